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
        # xbuild: cross toolchain; rows: Debian arch, GNU triple, Rust target (from xbuild's platform table)
        RUN set -e; case "$TARGETPLATFORM" in \\
              ...
              *) echo "xbuild: $TARGETPLATFORM is not in this table (--platforms)" >&2; exit 1 ;; esac; rustup target add $3; \\
            printf 'export %s\\n' RUST_TARGET=$3 CARGO_TARGET_$(echo $3 | tr a-z- A-Z_)_LINKER=$2-gcc > /etc/xbuild.env; \\
            command -v $2-gcc >/dev/null || { apt-get update; apt-get install -y $(echo gcc-$2 | tr _ -); }
        RUN . /etc/xbuild.env && cargo build --target "$RUST_TARGET" --release && \\
            find target/"$RUST_TARGET"/release -maxdepth 1 -type f -perm -100 -exec install -pDt target/release {} +
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
        # xbuild: cross toolchain; rows: Debian arch, GNU triple (from xbuild's platform table)
        RUN set -e; case "$TARGETPLATFORM" in \\
              ...
              *) echo "xbuild: $TARGETPLATFORM is not in this table (--platforms)" >&2; exit 1 ;; esac; \\
            printf 'export %s\\n' GNU_TRIPLE=$2 CC=$2-gcc AR=$2-ar \\
            PKG_CONFIG_LIBDIR=/usr/lib/$2/pkgconfig:/usr/share/pkgconfig > /etc/xbuild.env; \\
            dpkg --add-architecture $1; apt-get update; apt-get install -y \\
            $(command -v $2-gcc >/dev/null || echo gcc-$2 | tr _ -) libssl-dev:$1
        RUN . /etc/xbuild.env && "$CC" -o /app main.c -lssl
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
        # xbuild: cross toolchain; rows: Debian arch, GNU triple, CMake CPU, Meson CPU family, endianness (from xbuild's platform table)
        RUN set -e; case "$TARGETPLATFORM" in \\
              ...
              *) echo "xbuild: $TARGETPLATFORM is not in this table (--platforms)" >&2; exit 1 ;; esac; \\
            printf 'export %s\\n' GNU_TRIPLE=$2 CC=$2-gcc AR=$2-ar CMAKE_CPU=$3 > /etc/xbuild.env; \\
            printf '%s\\n' [binaries] "c = '$2-gcc'" "cpp = '$2-g++'" "ar = '$2-ar'" "strip = '$2-strip'" [host_machine] \\
            "system = 'linux'" "cpu_family = '$4'" "cpu = '$3'" "endian = '$5'" > /etc/xbuild-meson.ini; \\
            command -v $2-gcc >/dev/null || { apt-get update; apt-get install -y $(echo gcc-$2 | tr _ -); }
        RUN . /etc/xbuild.env && meson setup --cross-file /etc/xbuild-meson.ini build && meson compile -C build
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
        COPY --from=tonistiigi/xx:1.9.0@sha256:c64defb9ed5a91eacb37f96ccc3d4cd72521c4bd18d5442905b95e2226b0e707 / /
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
        COPY --from=tonistiigi/xx:1.9.0@sha256:c64defb9ed5a91eacb37f96ccc3d4cd72521c4bd18d5442905b95e2226b0e707 / /
        RUN apk add --no-cache clang lld
        RUN apk add openssl-dev
        ARG TARGETPLATFORM
        RUN xx-apk add --no-cache xx-c-essentials openssl-dev && xx-clang --setup-target-triple
        RUN xx-cargo build --release && \\
            find target/"$(xx-cargo --print-target-triple)"/release -maxdepth 1 -type f -perm -100 \\
              -exec install -pDt target/release {} +
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
    assert result.text.count("# xbuild: cross toolchain") == 1


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
