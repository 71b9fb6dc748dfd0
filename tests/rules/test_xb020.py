"""XB020 rust-target-triple."""

import pytest
from ruletest import assert_fixes, assert_noop, assert_refused

CODE = "XB020"


@pytest.mark.parametrize(("src", "options"), [
    pytest.param("""
        FROM --platform=$BUILDPLATFORM rust:1.80 AS build
        ARG TARGETPLATFORM
        COPY --from=tonistiigi/xx / /
        RUN xx-cargo build --release
        FROM debian
        COPY --from=build /target/release/app /app
    """, {}, id="already-cross-xx"),
    pytest.param("""
        FROM rust:1.80
        RUN cargo build --release
    """, {}, id="exported-stage"),
    pytest.param("""
        FROM rust:1.80 AS build
        RUN cargo fetch
        FROM debian
        COPY --from=build /usr/local/cargo/registry /registry
    """, {}, id="fetch-is-platform-neutral"),
])
def test_noop(src, options):
    assert_noop(src, CODE, **options)


@pytest.mark.parametrize(("src", "expected", "line", "options"), [
    pytest.param("""
        FROM rust:alpine AS build
        RUN cargo build --release
        FROM alpine
        COPY --from=build /target/release/app /app
    """, """
        FROM --platform=$BUILDPLATFORM rust:alpine AS build
        COPY --from=tonistiigi/xx:1.9.0@sha256:c64defb9ed5a91eacb37f96ccc3d4cd72521c4bd18d5442905b95e2226b0e707 / /
        RUN apk add --no-cache clang lld
        ARG TARGETPLATFORM
        RUN xx-apk add --no-cache xx-c-essentials && xx-clang --setup-target-triple
        RUN xx-cargo build --release && \\
            find target/"$(xx-cargo --print-target-triple)"/release -maxdepth 1 -type f -perm -100 \\
              -exec install -pDt target/release {} +
        FROM alpine
        COPY --from=build /target/release/app /app
    """, 2, {}, id="alpine-xx-cargo"),
    pytest.param("""
        FROM rust:1.80 AS build
        RUN cargo build --profile dist
        FROM debian
        COPY --from=build /target/dist/app /app
    """, """
        FROM --platform=$BUILDPLATFORM rust:1.80 AS build
        ARG TARGETPLATFORM
        # xbuild: cross toolchain; rows: Debian arch, GNU triple, Rust target (from xbuild's platform table)
        RUN set -e; case "$TARGETPLATFORM" in \\
              ...
              *) echo "xbuild: $TARGETPLATFORM is not in this table (--platforms)" >&2; exit 1 ;; esac; rustup target add $3; \\
            printf 'export %s\\n' RUST_TARGET=$3 CARGO_TARGET_$(echo $3 | tr a-z- A-Z_)_LINKER=$2-gcc > /etc/xbuild.env; \\
            command -v $2-gcc >/dev/null || { apt-get update; apt-get install -y $(echo gcc-$2 | tr _ -); }
        RUN . /etc/xbuild.env && cargo build --target "$RUST_TARGET" --profile dist && \\
            find target/"$RUST_TARGET"/dist -maxdepth 1 -type f -perm -100 -exec install -pDt target/dist {} +
        FROM debian
        COPY --from=build /target/dist/app /app
    """, 2, {}, id="debian-custom-profile-copied-back"),
    pytest.param("""
        FROM rust:1.80 AS build
        RUN cargo build
        RUN strip target/debug/app
        FROM debian
        COPY --from=build /target/debug/app /app
    """, """
        FROM --platform=$BUILDPLATFORM rust:1.80 AS build
        ARG TARGETPLATFORM
        # xbuild: cross toolchain; rows: Debian arch, GNU triple, Rust target (from xbuild's platform table)
        RUN set -e; case "$TARGETPLATFORM" in \\
              ...
              *) echo "xbuild: $TARGETPLATFORM is not in this table (--platforms)" >&2; exit 1 ;; esac; rustup target add $3; \\
            printf 'export %s\\n' RUST_TARGET=$3 CARGO_TARGET_$(echo $3 | tr a-z- A-Z_)_LINKER=$2-gcc STRIP=$2-strip > \\
            /etc/xbuild.env; \\
            command -v $2-gcc >/dev/null || { apt-get update; apt-get install -y $(echo gcc-$2 | tr _ -); }
        RUN . /etc/xbuild.env && cargo build --target "$RUST_TARGET" && \\
            find target/"$RUST_TARGET"/debug -maxdepth 1 -type f -perm -100 -exec install -pDt target/debug {} +
        RUN . /etc/xbuild.env && "$STRIP" target/debug/app
        FROM debian
        COPY --from=build /target/debug/app /app
    """, 3, {}, id="strip-with-target-strip"),
    pytest.param("""
        FROM rust:1.80 AS build
        RUN cargo chef cook --release --recipe-path recipe.json
        RUN cargo build --release --bin app
        FROM debian
        COPY --from=build /target/release/app /app
    """, """
        FROM --platform=$BUILDPLATFORM rust:1.80 AS build
        ARG TARGETPLATFORM
        # xbuild: cross toolchain; rows: Debian arch, GNU triple, Rust target (from xbuild's platform table)
        RUN set -e; case "$TARGETPLATFORM" in \\
              ...
              *) echo "xbuild: $TARGETPLATFORM is not in this table (--platforms)" >&2; exit 1 ;; esac; rustup target add $3; \\
            printf 'export %s\\n' RUST_TARGET=$3 CARGO_TARGET_$(echo $3 | tr a-z- A-Z_)_LINKER=$2-gcc > /etc/xbuild.env; \\
            command -v $2-gcc >/dev/null || { apt-get update; apt-get install -y $(echo gcc-$2 | tr _ -); }
        RUN . /etc/xbuild.env && cargo chef cook --target "$RUST_TARGET" --release --recipe-path recipe.json
        RUN . /etc/xbuild.env && cargo build --target "$RUST_TARGET" --release --bin app && \\
            find target/"$RUST_TARGET"/release -maxdepth 1 -type f -perm -100 -exec install -pDt target/release {} +
        FROM debian
        COPY --from=build /target/release/app /app
    """, 2, {}, id="chef-cook-then-build"),
])
def test_fixes(src, expected, line, options):
    assert_fixes(src, expected, CODE, line, fold=True, **options)


@pytest.mark.parametrize(("src", "line", "why", "options"), [
    pytest.param("""
        FROM rust:1.80 AS build
        RUN cross build --release
        FROM debian
        COPY --from=build /target/release/app /app
    """, 2, "compiles with `cross build --release`", {}, id="cross-rs"),
    pytest.param("""
        FROM rust:1.80 AS build
        RUN cargo build --release --target x86_64-unknown-linux-musl
        FROM debian
        COPY --from=build /target/x86_64-unknown-linux-musl/release/app /app
    """, 2, "fixed --target x86_64-unknown-linux-musl", {}, id="fixed-target"),
    pytest.param("""
        FROM rust:1.80 AS build
        RUN cargo build --release && ./target/release/app --version
        FROM debian
        COPY --from=build /target/release/app /app
    """, 2, "runs `./target/release/app` after compiling", {}, id="runs-what-it-built"),
    pytest.param("""
        FROM rust:1.80 AS build
        ENV RUSTFLAGS="-C target-cpu=native"
        RUN cargo build --release
        FROM debian
        COPY --from=build /target/release/app /app
    """, 1, "target-cpu=native", {}, id="target-cpu-native"),
    pytest.param("""
        FROM debian AS build
        RUN apt-get install -y cargo
        RUN cargo build --release
        FROM debian
        COPY --from=build /target/release/app /app
    """, 1, "not rustup", {}, id="distro-cargo-no-rustup"),
    pytest.param("""
        FROM rust:alpine AS build
        RUN cargo build --release
        RUN strip target/release/app
        FROM alpine
        COPY --from=build /target/release/app /app
    """, 3, "`strip = true` in the Cargo profile", {}, id="strip-with-xx"),
    pytest.param("""
        FROM rust:alpine AS build
        RUN cargo build --release
        FROM alpine
        COPY --from=build /target/release/app /app
    """, 1, "Alpine has no cross-compiler packages", {"helper": "native"},
        id="alpine-native-helper"),
])
def test_refused(src, line, why, options):
    assert_refused(src, CODE, line, why, **options)
