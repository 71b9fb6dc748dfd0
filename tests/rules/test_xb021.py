"""XB021 cross-toolchain-setup."""

import pytest

from ruletest import C_PROJECT, assert_fixes, assert_noop, assert_refused, of, run

CODE = "XB021"


@pytest.mark.parametrize("src", [
    pytest.param("""
        FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
        COPY --from=tonistiigi/xx / /
        ARG TARGETPLATFORM
        RUN CGO_ENABLED=1 xx-go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, id="already-cross-xx"),
    # the stage moves and cgo goes through xx-go, but xx is the user's already
    pytest.param("""
        FROM golang:1.22-alpine AS build
        COPY --from=tonistiigi/xx / /
        RUN apk add clang lld
        RUN CGO_ENABLED=1 go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, id="xx-set-up-by-user"),
    pytest.param("""
        FROM golang:1.22 AS build
        RUN CGO_ENABLED=0 go build -o /app .
        FROM debian
        COPY --from=build /app /app
    """, id="pure-go-needs-no-c-toolchain"),
    pytest.param("""
        FROM gcc:14 AS build
        RUN cmake -DCMAKE_TOOLCHAIN_FILE=/tc.cmake -B build && cmake --build build
        FROM debian
        COPY --from=build /build/app /app
    """, id="user-cmake-toolchain-file"),
    pytest.param("""
        FROM gcc:14
        RUN gcc -o /app main.c
    """, id="exported-stage"),
])
def test_noop(src):
    assert_noop(src, CODE)


@pytest.mark.parametrize(("src", "expected", "line"), [
    pytest.param("""
        FROM rust:1.80 AS build
        RUN cargo build --release
        FROM debian
        COPY --from=build /target/release/app /app
    """, """
        FROM --platform=$BUILDPLATFORM rust:1.80 AS build
        ARG TARGETPLATFORM
        RUN case "$TARGETPLATFORM" in \\
              ...
            esac > /tmp/xbuild-target.env && . /tmp/xbuild-target.env && \\
            if [ "$(dpkg --print-architecture)" = "$DEB_ARCH" ]; then XB_TOOLCHAIN="gcc g++ libc6-dev"; else dpkg --add-architecture "$DEB_ARCH"; fi && \\
            apt-get update && apt-get install -y --no-install-recommends $XB_TOOLCHAIN
        RUN . /tmp/xbuild-target.env && rustup target add "$RUST_TARGET" && cargo build --target "$RUST_TARGET" --release && mkdir -p target/release && find target/"$RUST_TARGET"/release -maxdepth 1 -type f -perm -100 -exec cp -p {} target/release/ \\;
        FROM debian
        COPY --from=build /target/release/app /app
    """, 2, id="debian-native-before-first-use"),
    pytest.param("""
        FROM debian:bookworm AS build
        RUN apt-get update && apt-get install -y gcc libssl-dev
        RUN gcc -o /app main.c -lssl
        FROM debian:bookworm-slim
        COPY --from=build /app /app
    """, """
        FROM --platform=$BUILDPLATFORM debian:bookworm AS build
        RUN apt-get update && apt-get install -y gcc libssl-dev
        ARG TARGETPLATFORM
        RUN case "$TARGETPLATFORM" in \\
              ...
            esac > /tmp/xbuild-target.env && . /tmp/xbuild-target.env && \\
            if [ "$(dpkg --print-architecture)" = "$DEB_ARCH" ]; then XB_TOOLCHAIN="gcc g++ libc6-dev"; else dpkg --add-architecture "$DEB_ARCH"; fi && \\
            apt-get update && apt-get install -y --no-install-recommends $XB_TOOLCHAIN libssl-dev:"$DEB_ARCH"
        RUN . /tmp/xbuild-target.env && "$CC" -o /app main.c -lssl
        FROM debian:bookworm-slim
        COPY --from=build /app /app
    """, 3, id="dev-packages-for-target-arch"),
    pytest.param("""
        FROM gcc:14 AS build
        RUN meson setup build && meson compile -C build
        FROM debian
        COPY --from=build /build/app /app
    """, """
        FROM --platform=$BUILDPLATFORM gcc:14 AS build
        ARG TARGETPLATFORM
        RUN case "$TARGETPLATFORM" in \\
              ...
            esac > /tmp/xbuild-target.env && . /tmp/xbuild-target.env && \\
            if [ "$(dpkg --print-architecture)" = "$DEB_ARCH" ]; then XB_TOOLCHAIN="gcc g++ libc6-dev"; else dpkg --add-architecture "$DEB_ARCH"; fi && \\
            apt-get update && apt-get install -y --no-install-recommends $XB_TOOLCHAIN && \\
            printf "[binaries]\\nc = '%s'\\ncpp = '%s'\\nar = '%s'\\nstrip = '%s'\\npkg-config = 'pkg-config'\\n[host_machine]\\nsystem = 'linux'\\ncpu_family = '%s'\\ncpu = '%s'\\nendian = '%s'\\n" "$CC" "$CXX" "$AR" "$STRIP" "$XB_MESON_CPU" "$XB_CMAKE_CPU" "$XB_ENDIAN" > /tmp/xbuild-meson.cross
        RUN . /tmp/xbuild-target.env && meson setup --cross-file /tmp/xbuild-meson.cross build && meson compile -C build
        FROM debian
        COPY --from=build /build/app /app
    """, 2, id="meson-cross-file-written"),
    pytest.param("""
        FROM alpine AS build
        RUN apk add build-base
        RUN gcc -O2 -o /app main.c
        FROM alpine
        COPY --from=build /app /app
    """, """
        FROM --platform=$BUILDPLATFORM alpine AS build
        COPY --from=tonistiigi/xx:1.6.1@sha256:923441d7c25f1e2eb5789f82d987693c47b8ed987c4ab3b075d6ed2b5d6779a3 / /
        RUN apk add --no-cache clang lld
        RUN apk add build-base
        ARG TARGETPLATFORM
        RUN xx-apk add --no-cache xx-c-essentials && xx-clang --setup-target-triple
        RUN xx-clang -O2 -o /app main.c
        FROM alpine
        COPY --from=build /app /app
    """, 1, id="alpine-xx-after-from"),
    pytest.param("""
        FROM rust:alpine AS build
        RUN apk add openssl-dev
        RUN cargo build --release
        FROM alpine
        COPY --from=build /target/release/app /app
    """, """
        FROM --platform=$BUILDPLATFORM rust:alpine AS build
        COPY --from=tonistiigi/xx:1.6.1@sha256:923441d7c25f1e2eb5789f82d987693c47b8ed987c4ab3b075d6ed2b5d6779a3 / /
        RUN apk add --no-cache clang lld
        RUN apk add openssl-dev
        ARG TARGETPLATFORM
        RUN xx-apk add --no-cache xx-c-essentials openssl-dev && xx-clang --setup-target-triple
        RUN xx-cargo build --release && mkdir -p target/release && find target/"$(xx-cargo --print-target-triple)"/release -maxdepth 1 -type f -perm -100 -exec cp -p {} target/release/ \\;
        FROM alpine
        COPY --from=build /target/release/app /app
    """, 3, id="alpine-xx-apk-dev-packages"),
])
def test_fixes(src, expected, line):
    assert_fixes(src, expected, CODE, line, fold=True, context=C_PROJECT)


def _case_arms(src: str) -> dict[str, str]:
    """pattern -> body of each arm of the generated case block."""
    text = run(src, context=C_PROJECT).text
    start = text.index('RUN case "$TARGETPLATFORM" in')
    block = text[start:text.index("esac", start)]
    arms = {}
    for line in block.splitlines()[1:-1]:  # the last is the indent before esac
        pattern, _, body = line.strip().partition(") ")
        arms[pattern] = body
    return arms


RUST_SRC = """
    FROM rust:1.80 AS build
    RUN cargo build --release
    FROM debian
    COPY --from=build /target/release/app /app
"""
C_SRC = """
    FROM gcc:14 AS build
    RUN make
    FROM debian
    COPY --from=build /app /app
"""


def test_case_arms_rust():
    arms = _case_arms(RUST_SRC)
    assert list(arms) == [
        "linux/amd64 | linux/amd64/*", "linux/arm64 | linux/arm64/*", "linux/arm/v7",
        "linux/arm/v6", "linux/386 | linux/386/*", "linux/ppc64le | linux/ppc64le/*",
        "linux/s390x | linux/s390x/*", "linux/riscv64 | linux/riscv64/*", "*"]
    assert arms["linux/arm64 | linux/arm64/*"] == (
        "echo 'export RUST_TARGET=aarch64-unknown-linux-gnu GNU_TRIPLE=aarch64-linux-gnu "
        "DEB_ARCH=arm64 XB_TOOLCHAIN=crossbuild-essential-arm64 XB_STRIP=aarch64-linux-gnu-strip "
        "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc "
        "CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc "
        "CXX_aarch64_unknown_linux_gnu=aarch64-linux-gnu-g++ "
        "AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar PKG_CONFIG_ALLOW_CROSS=1 "
        "PKG_CONFIG_LIBDIR_aarch64_unknown_linux_gnu="
        "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig' ;; \\")
    # the traps of the platform table (PRIMER): armhf is ARMv7 on Debian, riscv64gc
    assert "RUST_TARGET=armv7-unknown-linux-gnueabihf GNU_TRIPLE=arm-linux-gnueabihf " \
        "DEB_ARCH=armhf " in arms["linux/arm/v7"]
    assert "RUST_TARGET=riscv64gc-unknown-linux-gnu " in arms["linux/riscv64 | linux/riscv64/*"]
    assert "DEB_ARCH=ppc64el " in arms["linux/ppc64le | linux/ppc64le/*"]
    assert arms["linux/arm/v6"].startswith("echo 'xbuild: linux/arm/v6: Debian has no ARMv6")
    assert arms["linux/arm/v6"].endswith("exit 1 ;; \\")
    assert arms["*"] == 'echo "xbuild: unsupported platform $TARGETPLATFORM" >&2; exit 1 ;; \\'


def test_case_arms_c():
    arms = _case_arms(C_SRC)
    arm64 = arms["linux/arm64 | linux/arm64/*"]
    assert "RUST_TARGET" not in arm64
    assert arm64 == (
        "echo 'export GNU_TRIPLE=aarch64-linux-gnu DEB_ARCH=arm64 "
        "XB_TOOLCHAIN=crossbuild-essential-arm64 XB_STRIP=aarch64-linux-gnu-strip "
        "CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ AR=aarch64-linux-gnu-ar "
        "STRIP=aarch64-linux-gnu-strip "
        "PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig "
        "XB_CMAKE_CPU=aarch64 XB_MESON_CPU=aarch64 XB_ENDIAN=little' ;; \\")
    assert "XB_ENDIAN=big" in arms["linux/s390x | linux/s390x/*"]
    assert "CC=i686-linux-gnu-gcc " in arms["linux/386 | linux/386/*"]


def test_one_setup_per_stage():
    result = run(context=C_PROJECT, src="""
        FROM gcc:14 AS build
        RUN ./configure && make
        RUN gcc -o /tool tool.c
        FROM debian
        COPY --from=build /app /app
    """)
    assert len(of(result, CODE)) == 1
    assert result.text.count('case "$TARGETPLATFORM" in') == 1


@pytest.mark.parametrize(("src", "line", "why", "options"), [
    pytest.param("""
        FROM cgr.dev/chainguard/wolfi-base AS build
        RUN apk add --no-cache rust
        RUN cargo build --release
        FROM alpine
        COPY --from=build /target/release/app /app
    """, 1, "unknown base distro", {}, id="unknown-distro"),
    pytest.param("""
        FROM debian:bookworm AS build
        RUN apt-get update && apt-get install -y build-essential cmake
        RUN cmake -B build && cmake --build build
        FROM debian:bookworm-slim
        COPY --from=build /build/app /app
    """, 1, "Debian has no ARMv6 hard-float port",
        {"platforms": "linux/arm/v6,linux/arm/v7"}, id="armv6-on-debian"),
    pytest.param("""
        FROM alpine AS build
        RUN apk add build-base
        RUN gcc -o /app main.c
        FROM alpine
        COPY --from=build /app /app
    """, 1, "Alpine has no cross-compiler packages", {"helper": "native"},
        id="native-helper-on-alpine"),
])
def test_refused(src, line, why, options):
    assert_refused(src, CODE, line, why, **options)
