"""XB024 cgo-cross-toolchain."""

from pathlib import Path

import pytest

from ruletest import assert_fixes, assert_noop, assert_refused

CODE = "XB024"
CGO_CONTEXT = str(Path(__file__).parent.parent / "fixtures" / "go" / "ctx-cgo")


@pytest.mark.parametrize(("src", "options"), [
    pytest.param("""
        FROM golang:1.22 AS build
        RUN CGO_ENABLED=0 go build -o /app .
        FROM debian
        COPY --from=build /app /app
    """, {}, id="cgo-off"),
    pytest.param("""
        FROM golang:1.22
        RUN CGO_ENABLED=1 go build -o /app .
    """, {}, id="exported-stage"),
    pytest.param("""
        FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
        COPY --from=tonistiigi/xx / /
        ARG TARGETPLATFORM
        RUN CGO_ENABLED=1 xx-go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, {}, id="already-cross-xx-go"),
    pytest.param("""
        FROM golang:1.22-alpine AS build
        COPY . .
        RUN go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, {}, id="no-context-no-c-compiler-no-cgo"),
])
def test_noop(src, options):
    assert_noop(src, CODE, **options)


@pytest.mark.parametrize(("src", "expected", "line", "options"), [
    pytest.param("""
        FROM golang:1.22 AS build
        RUN CGO_ENABLED=1 go build -o /app .
        FROM debian
        COPY --from=build /app /app
    """, """
        FROM --platform=$BUILDPLATFORM golang:1.22 AS build
        ARG TARGETOS TARGETARCH TARGETVARIANT TARGETPLATFORM
        RUN case "$TARGETPLATFORM" in \\
              ...
            esac > /tmp/xbuild-target.env && . /tmp/xbuild-target.env && \\
            if [ "$(dpkg --print-architecture)" = "$DEB_ARCH" ]; then XB_TOOLCHAIN="gcc g++ libc6-dev"; else dpkg --add-architecture "$DEB_ARCH"; fi && \\
            apt-get update && apt-get install -y --no-install-recommends $XB_TOOLCHAIN
        RUN . /tmp/xbuild-target.env && CGO_ENABLED=1 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /app .
        FROM debian
        COPY --from=build /app /app
    """, 2, {}, id="debian-cross-gcc"),
    pytest.param("""
        FROM golang:1.22-bookworm AS build
        RUN apt-get update && apt-get install -y gcc libsqlite3-dev
        RUN CGO_ENABLED=1 go build -o /app .
        FROM debian:bookworm-slim
        COPY --from=build /app /app
    """, """
        FROM --platform=$BUILDPLATFORM golang:1.22-bookworm AS build
        RUN apt-get update && apt-get install -y gcc libsqlite3-dev
        ARG TARGETOS TARGETARCH TARGETVARIANT TARGETPLATFORM
        RUN case "$TARGETPLATFORM" in \\
              ...
            esac > /tmp/xbuild-target.env && . /tmp/xbuild-target.env && \\
            if [ "$(dpkg --print-architecture)" = "$DEB_ARCH" ]; then XB_TOOLCHAIN="gcc g++ libc6-dev"; else dpkg --add-architecture "$DEB_ARCH"; fi && \\
            apt-get update && apt-get install -y --no-install-recommends $XB_TOOLCHAIN libsqlite3-dev:"$DEB_ARCH"
        RUN . /tmp/xbuild-target.env && CGO_ENABLED=1 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /app .
        FROM debian:bookworm-slim
        COPY --from=build /app /app
    """, 3, {}, id="debian-dev-package-target-arch"),
    pytest.param("""
        FROM golang:1.22-alpine AS build
        ENV CGO_ENABLED=1
        RUN go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, """
        FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
        COPY --from=tonistiigi/xx:1.6.1@sha256:923441d7c25f1e2eb5789f82d987693c47b8ed987c4ab3b075d6ed2b5d6779a3 / /
        RUN apk add --no-cache clang lld
        ENV CGO_ENABLED=1
        ARG TARGETOS TARGETARCH TARGETVARIANT TARGETPLATFORM
        RUN xx-apk add --no-cache xx-c-essentials && xx-clang --setup-target-triple
        RUN GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} xx-go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, 3, {}, id="alpine-env-cgo-xx-go"),
    pytest.param("""
        FROM golang:1.22 AS build
        COPY . .
        RUN go build -o /app .
        FROM debian
        COPY --from=build /app /app
    """, """
        FROM --platform=$BUILDPLATFORM golang:1.22 AS build
        COPY . .
        ARG TARGETOS TARGETARCH TARGETVARIANT TARGETPLATFORM
        RUN case "$TARGETPLATFORM" in \\
              ...
            esac > /tmp/xbuild-target.env && . /tmp/xbuild-target.env && \\
            if [ "$(dpkg --print-architecture)" = "$DEB_ARCH" ]; then XB_TOOLCHAIN="gcc g++ libc6-dev"; else dpkg --add-architecture "$DEB_ARCH"; fi && \\
            apt-get update && apt-get install -y --no-install-recommends $XB_TOOLCHAIN
        RUN . /tmp/xbuild-target.env && CGO_ENABLED=1 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /app .
        FROM debian
        COPY --from=build /app /app
    """, 3, {"context": CGO_CONTEXT}, id="context-imports-c"),
])
def test_fixes(src, expected, line, options):
    assert_fixes(src, expected, CODE, line, fold=True, **options)


@pytest.mark.parametrize(("src", "line", "why", "options"), [
    pytest.param("""
        FROM golang:1.22-alpine AS build
        RUN CGO_ENABLED=1 go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, 2, "Alpine has no cross-compiler packages", {"helper": "native"},
        id="alpine-native-helper"),
    pytest.param("""
        FROM cgr.dev/chainguard/go AS build
        RUN CGO_ENABLED=1 go build -o /app .
        FROM debian
        COPY --from=build /app /app
    """, 2, "unknown base distro", {}, id="unknown-distro"),
    pytest.param("""
        FROM golang:1.22 AS build
        RUN CGO_ENABLED=1 go build -o /app . && /app -version
        FROM debian
        COPY --from=build /app /app
    """, 2, "runs `/app` after compiling", {}, id="runs-what-it-built"),
])
def test_refused(src, line, why, options):
    assert_refused(src, CODE, line, why, **options)
