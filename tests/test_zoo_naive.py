"""The e2e zoo's fixtures and its naive-conversion helper, checked without the rig."""

from __future__ import annotations

import os

from tests.e2e.zoo import CASES, naive


def test_zoo_has_a_project_per_case():
    assert len(CASES) >= 20 and len({c.name for c in CASES}) == len(CASES)
    for c in CASES:
        assert os.path.isfile(os.path.join(c.path, "Dockerfile")), c.name
        assert c.xbuild in ("moved", "refused") and (c.xbuild == "moved" or c.reason), c.name
        assert c.naive_exit in (0, 4, 5) and (c.naive_exit == 0 or c.naive_path), c.name


def test_naive_moves_non_final_stages_and_sets_only_the_compiler_target():
    text = ("FROM golang:1.27 AS build\nWORKDIR /src\nRUN --mount=type=cache,target=/c go build -o /out/app .\n"
            "RUN sh build-ext.sh /out\n\nFROM debian:bookworm\nCOPY --from=build /out /opt/app\n")
    assert naive(text) == (
        "FROM --platform=$BUILDPLATFORM golang:1.27 AS build\nARG TARGETOS TARGETARCH\nWORKDIR /src\n"
        "RUN --mount=type=cache,target=/c GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .\n"
        "RUN sh build-ext.sh /out\n\nFROM debian:bookworm\nCOPY --from=build /out /opt/app\n")


def test_naive_c_and_rust():
    c = naive("FROM gcc:12 AS b\nRUN gcc -o x x.c && make CC=gcc\nFROM debian:bookworm\n")
    assert '&& "$CC" -o x x.c && make CC=gcc\n' in c.replace('export CC="$T-linux-gnu-gcc" RT="$T-unknown-linux-gnu" ', "")
    r = naive("FROM rust:1.80-bookworm AS b\nRUN cargo build --release\nFROM debian:bookworm\n")
    assert 'cargo build --release --target "$RT" && mkdir -p target/release && cp -a "target/$RT/release/." ' \
        "target/release/" in r
