"""XB023 c-build-for-target."""

import pytest

from ruletest import C_PROJECT, assert_fixes, assert_noop, assert_refused

CODE = "XB023"

NATIVE_SETUP = """\
        ARG TARGETPLATFORM
        RUN case "$TARGETPLATFORM" in \\
              ...
            esac > /tmp/xbuild-target.env && . /tmp/xbuild-target.env && \\
            if [ "$(dpkg --print-architecture)" = "$DEB_ARCH" ]; then XB_TOOLCHAIN="gcc g++ libc6-dev"; else dpkg --add-architecture "$DEB_ARCH"; fi && \\
            apt-get update && apt-get install -y --no-install-recommends $XB_TOOLCHAIN
"""


@pytest.mark.parametrize("src", [
    pytest.param("""
        FROM gcc:14
        RUN ./configure && make
    """, id="exported-stage"),
    pytest.param("""
        FROM gcc:14 AS build
        RUN cmake -DCMAKE_TOOLCHAIN_FILE=/tc.cmake -B build && cmake --build build
        FROM debian
        COPY --from=build /build/app /app
    """, id="user-cmake-toolchain-file"),
    pytest.param("""
        FROM --platform=$BUILDPLATFORM alpine AS build
        COPY --from=tonistiigi/xx / /
        ARG TARGETPLATFORM
        RUN xx-clang -o /app main.c
        FROM alpine
        COPY --from=build /app /app
    """, id="already-cross-xx"),
    pytest.param("""
        FROM golang:1.22 AS build
        RUN make
        FROM alpine
        COPY --from=build /app /app
    """, id="make-in-golang-image-is-go"),
])
def test_noop(src):
    assert_noop(src, CODE)


def _native(after_from: str, rest: str) -> str:
    """Expected Debian output: the FROM on $BUILDPLATFORM, then the toolchain setup."""
    return after_from + NATIVE_SETUP + rest


@pytest.mark.parametrize(("src", "expected", "line"), [
    pytest.param("""
        FROM gcc:14 AS build
        RUN ./configure --prefix=/usr && make && make install
        FROM debian
        COPY --from=build /usr/bin/app /app
    """, _native("""
        FROM --platform=$BUILDPLATFORM gcc:14 AS build
""", """\
        RUN . /tmp/xbuild-target.env && ./configure --host="$GNU_TRIPLE" --prefix=/usr && make && make install
        FROM debian
        COPY --from=build /usr/bin/app /app
    """), 2, id="autotools-host"),
    pytest.param("""
        FROM gcc:14 AS build
        RUN cmake -B build -G Ninja && cmake --build build
        FROM debian
        COPY --from=build /build/app /app
    """, _native("""
        FROM --platform=$BUILDPLATFORM gcc:14 AS build
""", """\
        RUN . /tmp/xbuild-target.env && cmake -DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR="$XB_CMAKE_CPU" -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" -B build -G Ninja && cmake --build build
        FROM debian
        COPY --from=build /build/app /app
    """), 2, id="cmake-cross-defines"),
    pytest.param("""
        FROM gcc:14 AS build
        RUN make
        FROM debian
        COPY --from=build /app /app
    """, _native("""
        FROM --platform=$BUILDPLATFORM gcc:14 AS build
""", """\
        RUN . /tmp/xbuild-target.env && make CC="$CC" CXX="$CXX" AR="$AR"
        FROM debian
        COPY --from=build /app /app
    """), 2, id="plain-make-cc-override"),
    pytest.param("""
        FROM gcc:14 AS build
        RUN g++ -O2 -o /app main.cpp
        FROM debian
        COPY --from=build /app /app
    """, _native("""
        FROM --platform=$BUILDPLATFORM gcc:14 AS build
""", """\
        RUN . /tmp/xbuild-target.env && "$CXX" -O2 -o /app main.cpp
        FROM debian
        COPY --from=build /app /app
    """), 2, id="direct-gpp"),
    pytest.param("""
        FROM alpine AS build
        RUN apk add build-base
        RUN ./configure && make
        FROM alpine
        COPY --from=build /app /app
    """, """
        FROM --platform=$BUILDPLATFORM alpine AS build
        COPY --from=tonistiigi/xx:1.6.1@sha256:923441d7c25f1e2eb5789f82d987693c47b8ed987c4ab3b075d6ed2b5d6779a3 / /
        RUN apk add --no-cache clang lld
        RUN apk add build-base
        ARG TARGETPLATFORM
        RUN xx-apk add --no-cache xx-c-essentials && xx-clang --setup-target-triple
        RUN CC=xx-clang CXX=xx-clang++ ./configure --host="$(xx-clang --print-target-triple)" && make
        FROM alpine
        COPY --from=build /app /app
    """, 3, id="alpine-xx-configure"),
    pytest.param("""
        FROM alpine AS build
        RUN apk add build-base
        RUN make
        FROM alpine
        COPY --from=build /app /app
    """, """
        FROM --platform=$BUILDPLATFORM alpine AS build
        COPY --from=tonistiigi/xx:1.6.1@sha256:923441d7c25f1e2eb5789f82d987693c47b8ed987c4ab3b075d6ed2b5d6779a3 / /
        RUN apk add --no-cache clang lld
        RUN apk add build-base
        ARG TARGETPLATFORM
        RUN xx-apk add --no-cache xx-c-essentials && xx-clang --setup-target-triple
        RUN make CC=xx-clang CXX=xx-clang++
        FROM alpine
        COPY --from=build /app /app
    """, 3, id="alpine-xx-make"),
])
def test_fixes(src, expected, line):
    assert_fixes(src, expected, CODE, line, fold=True, context=C_PROJECT)


@pytest.mark.parametrize(("src", "line", "why", "options"), [
    pytest.param("""
        FROM gcc:14 AS build
        RUN ./configure --host=aarch64-linux-gnu && make
        FROM debian
        COPY --from=build /app /app
    """, 2, "configure has a fixed --host=aarch64-linux-gnu", {}, id="fixed-host"),
    pytest.param("""
        FROM gcc:14 AS build
        RUN ./configure && make && make check
        FROM debian
        COPY --from=build /app /app
    """, 2, "runs the tests it built (`make check`)", {}, id="make-check"),
    pytest.param("""
        FROM alpine AS build
        RUN apk add build-base meson
        RUN meson setup build && meson compile -C build
        FROM alpine
        COPY --from=build /build/app /app
    """, 3, "Meson with xx", {}, id="meson-with-xx"),
    pytest.param("""
        FROM gcc:14 AS build
        RUN gcc -o /app main.c && ldd /app
        FROM debian
        COPY --from=build /app /app
    """, 2, "runs `ldd`", {}, id="ldd-on-output"),
    pytest.param("""
        FROM gcc:14 AS build
        RUN gcc -o /app main.c
        RUN ./configure --build=$(dpkg --print-architecture) && make
        FROM debian
        COPY --from=build /app /app
    """, 3, "asks the machine its architecture", {}, id="dpkg-arch-query"),
])
def test_refused(src, line, why, options):
    assert_refused(src, CODE, line, why, **options)
