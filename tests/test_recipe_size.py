"""A converted Rust/C/cgo stage stays small enough to review (issue 12): at most 8 added
lines per stage that gets a toolchain setup, and no added or changed line over 120
characters, for examples/hello-rust and every golden whose rewrite moves such a stage."""

from __future__ import annotations

import os

import pytest

from tests.conftest import discover
from xbuild.convert import convert
from xbuild.result import Options

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_ADDED = 8
MAX_WIDTH = 120
SETUP_CODES = ("XB020", "XB023", "XB024")
CASES = [c for c in discover() if c.out.exists()]
# Known over the bound (issue 12, left open): a user's long line that gets the env
# prefix, --target or the copy-back appended; cmake's defines before long arguments;
# the -dev package and Meson variants (9-11 lines). Strict: fixing one fails here
# until it is taken off the list.
KNOWN_OVER = frozenset(['c/alpine-xx-autotools', 'c/apt-cache-mount-per-platform', 'c/autotools-autogen-then-configure', 'c/autotools-configure-host', 'c/cmake-configure-cross', 'c/dev-packages-multiarch', 'c/meson-cross-file', 'c/ubuntu-amd64-only',
                        'c/ubuntu-ports-dev-packages',  # Ubuntu's ports sources: +7 lines
                        'rust/dummy-main-rm-before-build',  # two cargo builds: a copy-back each
                        'go-cgo/debian-cgo-sqlite-dev-arch', 'rust/cache-mount-existing-id', 'rust/cache-mount-target-per-platform', 'rust/debian-openssl-sys', 'rust/strip-with-target-strip', 'rust/workspace-binary-package'])


def _stages_set_up(result) -> int:
    return len({f.stage for f in result.findings if f.code == "XB021" and f.fixed})


def _check(original: str, result) -> None:
    new_lines = result.text.splitlines()
    old = set(original.splitlines())
    added = len(new_lines) - len(original.splitlines())
    stages = _stages_set_up(result)
    assert added <= MAX_ADDED * stages, f"{added} lines added for {stages} stage(s)"
    long = [ln for ln in new_lines if ln not in old and len(ln) > MAX_WIDTH]
    assert not long, f"{len(long)} new lines over {MAX_WIDTH} characters: {long[0]!r}"


def test_hello_rust_adds_at_most_8_lines():
    path = os.path.join(ROOT, "examples", "hello-rust", "Dockerfile")
    text = open(path, encoding="utf-8").read()
    result = convert(text, path, Options())
    assert _stages_set_up(result) == 1
    assert len(result.text.splitlines()) - len(text.splitlines()) <= MAX_ADDED
    _check(text, result)


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(strict=True, reason="known over the bound"))
    if c.id in KNOWN_OVER else c for c in CASES if c.lang in ("rust", "c", "go-cgo")],
    ids=lambda c: c.id)
def test_golden_stage_size(case):
    result = convert(case.input, str(case.src), case.options)
    if not _stages_set_up(result):
        pytest.skip("no toolchain setup in this case")
    _check(case.input, result)
