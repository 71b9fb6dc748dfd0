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
        # xbuild: cross toolchain; rows: Debian arch, GNU triple (from xbuild's platform table)
        RUN set -e; case "$TARGETPLATFORM" in \\
              ...
              *) echo "xbuild: $TARGETPLATFORM is not in this table (--platforms)" >&2; exit 1 ;; esac; \\
            printf 'export %s\\n' GNU_TRIPLE=$2 CC=$2-gcc > /etc/xbuild.env; \\
            command -v $2-gcc >/dev/null || { apt-get update; apt-get install -y $(echo gcc-$2 | tr _ -); }
        RUN . /etc/xbuild.env && CGO_ENABLED=1 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /app .
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
        # xbuild: cross toolchain; rows: Debian arch, GNU triple (from xbuild's platform table)
        RUN set -e; case "$TARGETPLATFORM" in \\
              ...
              *) echo "xbuild: $TARGETPLATFORM is not in this table (--platforms)" >&2; exit 1 ;; esac; \\
            printf 'export %s\\n' GNU_TRIPLE=$2 CC=$2-gcc PKG_CONFIG_LIBDIR=/usr/lib/$2/pkgconfig:/usr/share/pkgconfig > \\
            /etc/xbuild.env; \\
            dpkg --add-architecture $1; apt-get update; apt-get install -y \\
            $(command -v $2-gcc >/dev/null || echo gcc-$2 | tr _ -) libsqlite3-dev:$1
        RUN . /etc/xbuild.env && CGO_ENABLED=1 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /app .
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
        COPY --from=tonistiigi/xx:1.9.0@sha256:c64defb9ed5a91eacb37f96ccc3d4cd72521c4bd18d5442905b95e2226b0e707 / /
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
        ARG TARGETOS TARGETARCH TARGETVARIANT TARGETPLATFORM
        # xbuild: cross toolchain; rows: Debian arch, GNU triple (from xbuild's platform table)
        RUN set -e; case "$TARGETPLATFORM" in \\
              ...
              *) echo "xbuild: $TARGETPLATFORM is not in this table (--platforms)" >&2; exit 1 ;; esac; \\
            printf 'export %s\\n' GNU_TRIPLE=$2 CC=$2-gcc > /etc/xbuild.env; \\
            command -v $2-gcc >/dev/null || { apt-get update; apt-get install -y $(echo gcc-$2 | tr _ -); }
        COPY . .
        RUN . /etc/xbuild.env && CGO_ENABLED=1 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /app .
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
