"""XB022 cache-id-per-platform."""

import pytest
from ruletest import assert_fixes, assert_noop, assert_refused, of, run

CODE = "XB022"


@pytest.mark.parametrize("src", [
    pytest.param("""
        FROM rust:1.80 AS build
        RUN --mount=type=cache,target=/src/target,id=/src/target-$TARGETPLATFORM cargo build --release
        FROM debian
        COPY --from=build /src/target/release/app /app
    """, id="already-per-platform"),
    pytest.param("""
        FROM rust:1.80 AS build
        RUN --mount=type=cache,target=/usr/local/cargo/registry cargo build --release
        FROM debian
        COPY --from=build /target/release/app /app
    """, id="registry-cache-is-platform-neutral"),
    pytest.param("""
        FROM golang:1.22 AS build
        RUN --mount=type=cache,target=/root/.cache/go-build \\
            --mount=type=cache,target=/go/pkg/mod \\
            CGO_ENABLED=1 go build -o /app .
        FROM debian
        COPY --from=build /app /app
    """, id="go-caches-stay-shared"),
    pytest.param("""
        FROM rust:1.80
        RUN --mount=type=cache,target=/src/target cargo build --release
    """, id="exported-stage"),
    # XB041 appends the id in place when TARGETPLATFORM is declared already
    pytest.param("""
        FROM rust:1.80 AS build
        ARG TARGETPLATFORM
        RUN --mount=type=cache,target=/src/target cargo build --release
        FROM debian
        COPY --from=build /src/target/release/app /app
    """, id="arg-declared-left-to-xb041"),
])
def test_noop(src):
    assert_noop(src, CODE)


@pytest.mark.parametrize(("src", "expected", "line"), [
    pytest.param("""
        FROM rust:alpine AS build
        RUN --mount=type=cache,target=/src/target cargo build --release
        FROM alpine
        COPY --from=build /src/target/release/app /app
    """, """
        FROM --platform=$BUILDPLATFORM rust:alpine AS build
        COPY --from=tonistiigi/xx:1.9.0@sha256:c64defb9ed5a91eacb37f96ccc3d4cd72521c4bd18d5442905b95e2226b0e707 / /
        RUN apk add --no-cache clang lld
        ARG TARGETPLATFORM
        RUN xx-apk add --no-cache xx-c-essentials && xx-clang --setup-target-triple
        RUN --mount=type=cache,target=/src/target,id=/src/target-$TARGETPLATFORM xx-cargo build --release && \\
            find target/"$(xx-cargo --print-target-triple)"/release -maxdepth 1 -type f -perm -100 \\
              -exec install -pDt target/release {} +
        FROM alpine
        COPY --from=build /src/target/release/app /app
    """, 2, id="cargo-target-dir"),
    pytest.param("""
        FROM rust:alpine AS build
        RUN --mount=type=cache,id=tgt,target=/src/target cargo build --release
        FROM alpine
        COPY --from=build /src/target/release/app /app
    """, """
        FROM --platform=$BUILDPLATFORM rust:alpine AS build
        COPY --from=tonistiigi/xx:1.9.0@sha256:c64defb9ed5a91eacb37f96ccc3d4cd72521c4bd18d5442905b95e2226b0e707 / /
        RUN apk add --no-cache clang lld
        ARG TARGETPLATFORM
        RUN xx-apk add --no-cache xx-c-essentials && xx-clang --setup-target-triple
        RUN --mount=type=cache,id=tgt-$TARGETPLATFORM,target=/src/target xx-cargo build --release && \\
            find target/"$(xx-cargo --print-target-triple)"/release -maxdepth 1 -type f -perm -100 \\
              -exec install -pDt target/release {} +
        FROM alpine
        COPY --from=build /src/target/release/app /app
    """, 2, id="existing-id-extended-in-place"),
    pytest.param("""
        FROM rust:alpine AS build
        RUN --mount=type=cache,target=/etc/apk/cache apk add openssl-dev
        RUN cargo build --release
        FROM alpine
        COPY --from=build /target/release/app /app
    """, """
        FROM --platform=$BUILDPLATFORM rust:alpine AS build
        COPY --from=tonistiigi/xx:1.9.0@sha256:c64defb9ed5a91eacb37f96ccc3d4cd72521c4bd18d5442905b95e2226b0e707 / /
        RUN apk add --no-cache clang lld
        ARG TARGETPLATFORM
        RUN xx-apk add --no-cache xx-c-essentials openssl-dev && xx-clang --setup-target-triple
        RUN --mount=type=cache,target=/etc/apk/cache,id=/etc/apk/cache-$TARGETPLATFORM,sharing=locked apk add openssl-dev
        RUN xx-cargo build --release && \\
            find target/"$(xx-cargo --print-target-triple)"/release -maxdepth 1 -type f -perm -100 \\
              -exec install -pDt target/release {} +
        FROM alpine
        COPY --from=build /target/release/app /app
    """, 2, id="apk-cache-moves-first-target-use"),
    pytest.param("""
        FROM gcc:14 AS build
        RUN --mount=type=cache,target=/root/.ccache gcc -o /app main.c
        FROM debian
        COPY --from=build /app /app
    """, """
        FROM --platform=$BUILDPLATFORM gcc:14 AS build
        ARG TARGETPLATFORM
        # xbuild: cross toolchain; rows: Debian arch, GNU triple (from xbuild's platform table)
        RUN set -e; case "$TARGETPLATFORM" in \\
              ...
              *) echo "xbuild: $TARGETPLATFORM is not in this table (--platforms)" >&2; exit 1 ;; esac; \\
            printf 'export %s\\n' GNU_TRIPLE=$2 CC=$2-gcc AR=$2-ar > /etc/xbuild.env; \\
            command -v $2-gcc >/dev/null || { apt-get update; apt-get install -y $(echo gcc-$2 | tr _ -); }
        RUN --mount=type=cache,target=/root/.ccache,id=/root/.ccache-$TARGETPLATFORM . /etc/xbuild.env && "$CC" -o /app main.c
        FROM debian
        COPY --from=build /app /app
    """, 2, id="ccache-c-build"),
    pytest.param("""
        FROM golang:1.22 AS build
        RUN --mount=type=cache,target=/root/.cache/go-build \\
            --mount=type=cache,target=/var/cache/apt \\
            CGO_ENABLED=1 go build -o /app .
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
        RUN --mount=type=cache,target=/root/.cache/go-build \\
            --mount=type=cache,target=/var/cache/apt,id=/var/cache/apt-$TARGETPLATFORM,sharing=locked \\
            . /etc/xbuild.env && CGO_ENABLED=1 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /app .
        FROM debian
        COPY --from=build /app /app
    """, 2, id="cgo-apt-cache-only"),
])
def test_fixes(src, expected, line):
    assert_fixes(src, expected, CODE, line, fold=True)


def test_one_finding_per_mount():
    result = run("""
        FROM rust:alpine AS build
        RUN --mount=type=cache,target=/etc/apk/cache apk add openssl-dev
        RUN --mount=type=cache,target=/src/target cargo build --release
        FROM alpine
        COPY --from=build /src/target/release/app /app
    """)
    assert [f.line for f in of(result, CODE)] == [2, 3]
    assert "/etc/apk/cache" in of(result, CODE)[0].message


def test_refused_stage_keeps_its_mounts():
    # the stage stays emulated, so no id is added (XB041 still reports the sharing)
    assert_refused("""
        FROM rust:1.80 AS build
        RUN --mount=type=cache,target=/src/target cargo build --release && ./target/release/app -V
        FROM debian
        COPY --from=build /src/target/release/app /app
    """, CODE, 2, "runs `./target/release/app` after compiling")
