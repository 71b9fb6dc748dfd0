"""Smoke run over real Dockerfiles in ../shared/corpus (read in place, never copied).

Every file: no crash, output accepted by BuildKit's parser with the instruction
count the edits imply, a second run changes nothing, and no byte outside the
edited lines changes. Files that already cross-compile come out unchanged.
"""

from __future__ import annotations

import difflib

import pytest

from tests.conftest import buildkit_lines, corpus_files, corpus_index, needs_corpus, read
from tests.test_golden import _implied_new_instructions
from xbuild.convert import convert

FILES = corpus_files()
pytestmark = needs_corpus


def _id(p) -> str:
    return f"{p.parent.name}/{p.name}"


@pytest.mark.parametrize("path", FILES, ids=[_id(p) for p in FILES])
def test_corpus_file(path) -> None:
    if path.suffix in (".md", ".tsv"):
        pytest.skip("not a Dockerfile")
    text = read(path)
    result = convert(text, str(path))
    after = buildkit_lines(result.text)
    assert len(after) == len(buildkit_lines(text)) + _implied_new_instructions(result)
    assert convert(result.text, str(path)).text == result.text, "does not converge"
    # every original line that changed holds an edit
    edited_lines = {text.count("\n", 0, e.start) for e in result.edits} | {
        text.count("\n", 0, max(e.end - 1, e.start)) for e in result.edits}
    a, b = text.splitlines(keepends=True), result.text.splitlines(keepends=True)
    for op, i1, i2, _, _ in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            assert set(range(i1, i2)) <= edited_lines, f"lines {i1 + 1}-{i2} changed without an edit"


@pytest.mark.parametrize("path", FILES, ids=[_id(p) for p in FILES])
def test_scanner_matches_buildkit_on_corpus(path) -> None:
    if path.suffix in (".md", ".tsv"):
        pytest.skip("not a Dockerfile")
    from xbuild.model import parse

    text = read(path)
    assert [(i.keyword, i.start_line, i.end_line) for i in parse(text).instructions] == \
        buildkit_lines(text)


ALREADY = [p for p in FILES if corpus_index().get(_id(p), {}).get("already_cross") == "yes"]


@pytest.mark.parametrize("path", ALREADY, ids=[_id(p) for p in ALREADY])
def test_already_cross_files_unchanged(path) -> None:
    text = read(path)
    assert convert(text, str(path)).text == text
