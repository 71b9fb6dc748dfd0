"""XB040 undeclared-target-arg."""

import pytest
from ruletest import assert_fixes, assert_noop, of, run

CODE = "XB040"


@pytest.mark.parametrize("src", [
    pytest.param("""
        FROM --platform=$BUILDPLATFORM golang:1.22 AS build
        ARG TARGETOS TARGETARCH
        RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, id="declared"),
    pytest.param("""
        FROM --platform=$BUILDPLATFORM alpine AS base
        ARG TARGETARCH
        FROM base AS build
        RUN echo $TARGETARCH
    """, id="inherited-from-parent-stage"),
    pytest.param("""
        ARG TARGETARCH
        FROM --platform=$TARGETARCH alpine
    """, id="from-line-uses-global-scope"),
    pytest.param("""
        FROM alpine
        RUN echo \\$TARGETARCH $TARGETARCHIVE
    """, id="escaped-and-longer-name"),
    pytest.param("""
        FROM alpine
        ENV TARGETARCH=arm64
        RUN echo $TARGETARCH
    """, id="env-defines-it"),
    pytest.param("""
        FROM golang:1.22 AS build
        RUN go build -o /app-$TARGETARCH .
        FROM alpine
        COPY --from=build /app-amd64 /app
    """, id="stage-rewritten-by-xb002"),
])
def test_noop(src):
    assert_noop(src, CODE)


@pytest.mark.parametrize(("src", "expected", "line"), [
    pytest.param("""
        FROM --platform=$BUILDPLATFORM golang:1.22 AS build
        RUN go mod download
        RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, """
        FROM --platform=$BUILDPLATFORM golang:1.22 AS build
        RUN go mod download
        ARG TARGETOS TARGETARCH
        RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, 3, id="run"),
    pytest.param("""
        FROM alpine
        COPY bin/app-${TARGETARCH} /app
    """, """
        FROM alpine
        ARG TARGETARCH
        COPY bin/app-${TARGETARCH} /app
    """, 2, id="copy-braces"),
    pytest.param("""
        FROM alpine
        ENV ARCH=${TARGETARCH:-amd64} VARIANT=${TARGETVARIANT#v}
        ARG TARGETOS
        RUN echo $TARGETOS
    """, """
        FROM alpine
        ARG TARGETARCH TARGETVARIANT
        ENV ARCH=${TARGETARCH:-amd64} VARIANT=${TARGETVARIANT#v}
        ARG TARGETOS
        RUN echo $TARGETOS
    """, 2, id="env-with-operators"),
    pytest.param("""
        FROM alpine
        # fetch the right binary
        RUN <<EOF
        wget https://example.com/tool-$TARGETARCH
        EOF
    """, """
        FROM alpine
        ARG TARGETARCH
        # fetch the right binary
        RUN <<EOF
        wget https://example.com/tool-$TARGETARCH
        EOF
    """, 3, id="heredoc-body-comment-stays"),
    pytest.param("""
        FROM alpine
        RUN echo $TARGETPLATFORM
        ARG TARGETPLATFORM
    """, """
        FROM alpine
        ARG TARGETPLATFORM
        RUN echo $TARGETPLATFORM
        ARG TARGETPLATFORM
    """, 2, id="declared-too-late"),
    pytest.param("""
        from alpine
        run echo $TARGETOS
    """, """
        from alpine
        arg TARGETOS
        run echo $TARGETOS
    """, 2, id="lowercase"),
])
def test_fixes(src, expected, line):
    assert_fixes(src, expected, CODE, line)


def test_one_finding_per_stage():
    result = run("""
        FROM alpine AS a
        RUN echo $TARGETOS
        RUN echo $TARGETARCH
        FROM alpine
        RUN echo $TARGETARCH
    """)
    assert [(f.line, f.stage) for f in of(result, CODE)] == [(2, "a"), (5, "alpine")]
    assert "$TARGETOS, $TARGETARCH" in of(result, CODE)[0].message
