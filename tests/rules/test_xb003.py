"""XB003 go-build-for-target."""

import pytest
from ruletest import assert_fixes, assert_noop, of, run

CODE = "XB003"


@pytest.mark.parametrize("src", [
    pytest.param("""
        FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
        ARG TARGETOS TARGETARCH
        RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, id="already-cross"),
    pytest.param("""
        FROM golang:1.22-alpine AS build
        RUN GOOS=windows GOARCH=amd64 go build -o /app.exe .
        FROM alpine
        COPY --from=build /app.exe /app.exe
    """, id="deliberate-goos-goarch"),
    pytest.param("""
        FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS b
        RUN CGO_ENABLED=0 GOARCH=amd64 go build -o /app .
        FROM alpine
        COPY --from=b /app /app
    """, id="prefix-goarch-is-deliberate"),
    pytest.param("""
        FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
        ARG TARGETOS TARGETARCH
        RUN go install golang.org/x/tools/cmd/stringer@v0.20.0
        COPY . .
        RUN go generate ./... && CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, id="tool-install-is-not-the-build"),
])
def test_noop(src):
    assert_noop(src, CODE)


@pytest.mark.parametrize(("src", "expected", "line"), [
    pytest.param("""
        FROM golang:alpine AS b
        RUN go build -o /app .
        FROM alpine
        COPY --from=b /app /app
    """, """
        FROM --platform=$BUILDPLATFORM golang:alpine AS b
        ARG TARGETOS TARGETARCH TARGETVARIANT
        RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /app .
        FROM alpine
        COPY --from=b /app /app
    """, 2, id="plain-go-build"),
    pytest.param("""
        FROM golang:1.22-alpine AS b
        ENV GOARCH=amd64
        RUN go build -o /app .
        FROM alpine
        COPY --from=b /app /app
    """, """
        FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS b
        ENV GOARCH=amd64
        ARG TARGETOS TARGETARCH TARGETVARIANT
        RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /app .
        FROM alpine
        COPY --from=b /app /app
    """, 3, id="env-fixed-goarch-overridden"),
])
def test_fixes(src, expected, line):
    assert_fixes(src, expected, CODE, line)


def test_cgo_refused_not_rewritten():
    # a distro without a cross C toolchain recipe: cgo is refused, never turned off
    result = run("""
        FROM cgr.dev/chainguard/go AS b
        RUN CGO_ENABLED=1 go build -o /app .
        FROM debian
        COPY --from=b /app /app
    """)
    assert of(result, CODE) == []
    assert [f.line for f in of(result, "XB008")] == [2]
