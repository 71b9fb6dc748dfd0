"""XB008 emulated-compile (report only)."""

import pytest
from ruletest import assert_noop, assert_reports

CODE = "XB008"


@pytest.mark.parametrize("src", [
    pytest.param("""
        FROM golang:1.22 AS build
        RUN go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, id="moved"),
    pytest.param("""
        FROM alpine
        RUN apk add curl
    """, id="no-compile"),
])
def test_noop(src):
    assert_noop(src, CODE)


@pytest.mark.parametrize(("src", "line", "why"), [
    pytest.param("""
        FROM golang:1.22
        RUN go build -o /app .
    """, 1, "exported image", id="exported"),
    pytest.param("""
        FROM golang:1.22 AS build
        RUN go build -o /app .
        RUN /app --version
        FROM alpine
        COPY --from=build /app /app
    """, 3, "after compiling", id="runs-built-later-step"),
    # regression: the run in the same RUN as the compile was missed, and the
    # stage was moved (the arm64 binary then ran on the amd64 build machine)
    pytest.param("""
        FROM golang:1.22 AS build
        RUN go build -o /app . && /app --version
        FROM alpine
        COPY --from=build /app /app
    """, 2, "after compiling", id="runs-built-same-run"),
    pytest.param("""
        FROM cgr.dev/chainguard/go AS build
        RUN CGO_ENABLED=1 go build -o /app .
        FROM debian
        COPY --from=build /app /app
    """, 2, "cgo", id="cgo"),  # cgo with no cross C toolchain for the distro (issue 3)
    pytest.param("""
        FROM gcc:14 AS build
        RUN bazel build //:app
        FROM debian
        COPY --from=build /app /app
    """, 2, "bazel", id="no-recipe"),  # make is the C recipe's since issue 3
])
def test_reports(src, line, why):
    assert_reports(src, CODE, line, contains=why)


def test_refused_on_buildplatform_is_an_error():
    """A stage on $BUILDPLATFORM that compiles natively and cannot be fixed ships the
    build machine's binary everywhere: that is an error, not a slow build."""
    from tests.rules.ruletest import run

    result = run("""
        FROM --platform=$BUILDPLATFORM golang:1.22 AS build
        ENV CGO_ENABLED=1
        RUN go build -o /app .
        FROM debian:bookworm-slim
        COPY --from=build /app /app
    """, helper="native", platforms="linux/amd64,linux/arm/v6")
    found = [f for f in result.findings if f.code == "XB008"]
    assert found and all(f.severity == "error" for f in found)
    assert "compiles for the build platform" in found[0].message
    assert not result.changed


def test_go_make_refusal_says_how_to_do_it_by_hand():
    from tests.rules.ruletest import run

    go = run("""
        FROM golang:1.22-alpine AS build
        RUN make build
        FROM alpine
        COPY --from=build /src/app /app
    """)
    c = run("""
        FROM debian:bookworm AS build
        RUN make
        FROM debian:bookworm-slim
        COPY --from=build /src/app /app
    """, helper="native", platforms="linux/amd64,linux/arm/v6")
    [fgo] = [f for f in go.findings if f.code == "XB008"]
    assert "GOOS=$TARGETOS GOARCH=$TARGETARCH" in fgo.message and not go.changed
    assert all("GOOS" not in f.message for f in c.findings)
