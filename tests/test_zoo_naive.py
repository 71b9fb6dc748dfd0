"""The e2e zoo's fixtures and its naive-conversion helper, checked without the rig."""

from __future__ import annotations

import os

import pytest

from tests.e2e.examples import PLATFORMS
from tests.e2e.zoo import CASES, naive
from xbuild.convert import convert
from xbuild.files import read_dockerfile
from xbuild.result import Options


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


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_xbuild_decides_each_case_as_the_zoo_expects(case):
    """The e2e zoo proves each decision on the rig; this checks the decision itself in
    the fast tier, so an analysis change that flips a case shows before the rig runs."""
    path = os.path.join(case.path, "Dockerfile")
    result = convert(read_dockerfile(path), path, Options(platforms=PLATFORMS, context=case.path))
    report = "\n".join(f"{s.name}: {s.action}: {'; '.join(s.reasons)}" for s in result.stages)
    if case.xbuild == "refused":
        assert any(s.action == "refused" for s in result.stages), report
        assert case.reason in report, f"expected a refusal naming {case.reason!r}:\n{report}"
    else:
        assert result.changed and any(s.action == "moved" for s in result.stages), report
