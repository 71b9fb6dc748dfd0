"""Golden pairs: tests/fixtures/<lang>/<case>.in.Dockerfile -> <case>.out.Dockerfile.

No .out file means the input must come out unchanged. Every output must
convert to itself (convergence), parse with BuildKit's parser with the
instruction count the edits imply, and survive CRLF and no-final-newline
variants. ``XBUILD_REGEN=1 pytest tests/test_golden.py`` rewrites the .out
files from the current converter; review them in the diff.
"""

from __future__ import annotations

import pytest

from tests.conftest import REGEN, Case, buildkit_lines, discover
from xbuild.convert import convert
from xbuild.output import render_report

CASES = discover()


def _implied_new_instructions(result) -> int:
    """Instructions in the whole lines that edits insert."""
    from xbuild.model import parse

    n = 0
    for e in result.edits:
        at_line_start = e.start == 0 or result.original[e.start - 1] == "\n"
        if e.start == e.end and at_line_start and e.replacement.endswith("\n"):
            n += len(parse(e.replacement).instructions)
    return n


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_golden(case: Case) -> None:
    result = convert(case.input, str(case.src), case.options)
    if REGEN:
        if result.changed:
            case.out.write_bytes(result.text.encode("utf-8", "surrogateescape"))
        elif case.out.exists():
            case.out.unlink()
        return
    assert result.text == case.expected
    if case.reason is not None:
        report = render_report(result) + "\n".join(f.message for f in result.findings)
        assert case.reason in report, report


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_converges(case: Case) -> None:
    again = convert(case.expected, str(case.src), case.options)
    assert again.text == case.expected, "a second run changed the output"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_buildkit_accepts_output(case: Case) -> None:
    result = convert(case.input, str(case.src), case.options)
    before = buildkit_lines(case.input)
    after = buildkit_lines(result.text)
    assert len(after) == len(before) + _implied_new_instructions(result)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_scanner_matches_buildkit(case: Case) -> None:
    from xbuild.model import parse

    for text in (case.input, case.expected):
        mine = [(i.keyword, i.start_line, i.end_line) for i in parse(text).instructions]
        assert mine == buildkit_lines(text)


LF_CASES = [c for c in CASES if "\r\n" not in c.input]
NEWLINE_CASES = [c for c in CASES if c.input.endswith("\n") and c.expected.endswith("\n")]


@pytest.mark.parametrize("case", LF_CASES, ids=[c.id for c in LF_CASES])
def test_crlf_variant(case: Case) -> None:
    crlf = case.input.replace("\n", "\r\n")
    result = convert(crlf, str(case.src), case.options)
    assert result.text == case.expected.replace("\n", "\r\n")


@pytest.mark.parametrize("case", NEWLINE_CASES, ids=[c.id for c in NEWLINE_CASES])
def test_no_final_newline_variant(case: Case) -> None:
    result = convert(case.input[:-1], str(case.src), case.options)
    assert result.text == case.expected[:-1]


def test_every_language_has_cases() -> None:
    langs = {c.lang for c in CASES}
    assert "go" in langs
    assert sum(1 for c in CASES if c.lang == "go") >= 25
