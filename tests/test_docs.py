"""The README's rule list is generated from the rule docstrings and must be current.

The block between ``<!-- rules:start -->`` and ``<!-- rules:end -->`` is rewritten by
``python -m xbuild.docs README.md``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from xbuild.docs import END, START, main, render_rules, replace_block
from xbuild.rules import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md"]


def test_some_doc_carries_the_block():
    assert any(START in p.read_text() for p in DOCS), "no rules block in README.md"


@pytest.mark.parametrize("doc", [p for p in DOCS if START in p.read_text()],
                         ids=lambda p: p.name)
def test_rules_block_is_current(doc):
    text = doc.read_text()
    assert replace_block(text, render_rules()) == text, \
        f"stale: run python -m xbuild.docs {doc.name}"


def test_every_rule_documented():
    block = render_rules()
    for rule in REGISTRY:
        assert f"### {rule.code} {rule.name}\n" in block
        assert rule.doc.strip().splitlines()[0] in block
        assert "Before" in rule.doc and "After" in rule.doc, rule.code
        assert rule.doc.strip().splitlines()[1] == "", f"{rule.code}: summary line, then a blank"


def test_check_mode(tmp_path):
    doc = tmp_path / "README.md"
    doc.write_text(f"# x\n\n{START}\nold\n{END}\n\nafter\n")
    assert main(["--check", str(doc)]) == 1
    assert main([str(doc)]) == 0
    assert main(["--check", str(doc)]) == 0
    assert doc.read_text().endswith(f"{END}\n\nafter\n")
    (tmp_path / "none.md").write_text("no markers\n")
    assert main([str(tmp_path / "none.md")]) == 2
