"""The rule docs are generated from the rule docstrings and must be current.

``python -m xbuild.docs`` rewrites docs/rules/*.md and README.md's rule table; these
tests fail when a docstring changed and the pages were not regenerated.
"""

from __future__ import annotations

from pathlib import Path

from xbuild.docs import END, START, generated, main, render_rules, rule_markdown, stale
from xbuild.rules import REGISTRY

ROOT = Path(__file__).resolve().parent.parent


def test_readme_carries_the_block():
    assert START in (ROOT / "README.md").read_text()


def test_generated_docs_are_current():
    assert stale(str(ROOT)) == [], "stale: run python -m xbuild.docs"


def test_every_rule_has_a_page():
    for rule in REGISTRY:
        page = ROOT / "docs" / "rules" / f"{rule.code.lower()}.md"
        text = page.read_text()
        assert text.startswith(f"# {rule.code} {rule.name}\n")
        assert rule.doc.strip().splitlines()[0] in text
        assert "Before" in rule.doc and "After" in rule.doc, rule.code
        assert rule.doc.strip().splitlines()[1] == "", f"{rule.code}: summary line, then a blank"
        assert f"[{rule.code}](docs/rules/{page.name})" in render_rules()


def test_check_mode_names_stale_files(tmp_path, capsys):
    (tmp_path / "README.md").write_text(f"# x\n\n{START}\nold\n{END}\n\nafter\n")
    assert main(["--check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "README.md: stale" in err and "xb001.md: stale" in err
    assert main([str(tmp_path)]) == 0
    assert main(["--check", str(tmp_path)]) == 0
    assert (tmp_path / "README.md").read_text().endswith(f"{END}\n\nafter\n")
    assert (tmp_path / "docs" / "rules" / "xb001.md").read_text() == rule_markdown(REGISTRY[0])


def test_page_of_a_removed_rule_is_stale(tmp_path):
    main([str(tmp_path)])
    gone = tmp_path / "docs" / "rules" / "xb999.md"
    gone.write_text("# XB999 gone\n")
    assert generated(str(tmp_path))[str(gone)] is None
    assert main(["--check", str(tmp_path)]) == 1
    assert main([str(tmp_path)]) == 0 and not gone.exists()


def test_readme_without_markers_is_an_error(tmp_path):
    (tmp_path / "README.md").write_text("no markers\n")
    assert main([str(tmp_path)]) == 2
