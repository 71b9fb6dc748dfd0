"""docs/architecture.md names every module of xbuild/ with its true line count.

The page is how a newcomer walks the code; a module it leaves out or a count that
drifted makes it lie. Each table row's first cell names paths (a file, a folder ending
in ``/``, or ``{a,b}`` alternatives); its second cell gives one count per ``xbuild/``
path, a folder counting all its ``.py`` lines. ``XBUILD_REGEN=1`` rewrites the counts.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import REGEN

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
PKG = ROOT / "xbuild"
# package markers and the entry shim: no job of their own to describe
UNNAMED = {"xbuild/__init__.py", "xbuild/__main__.py"}
ROW = re.compile(r"^\| (?P<paths>`[^|]+) \| (?P<counts>[0-9, ]*) \| (?P<job>.+) \|$")


def _expand(path: str) -> list[str]:
    m = re.search(r"\{([^}]*)\}", path)
    if not m:
        return [path]
    return [x for alt in m.group(1).split(",")
            for x in _expand(path[:m.start()] + alt + path[m.end():])]


def _lines(path: str) -> int:
    p = ROOT / path
    files = sorted(p.rglob("*.py")) if path.endswith("/") else [p]
    return sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files)


def _rows(text: str) -> list[tuple[int, list[str], list[str]]]:
    """(line index, the xbuild/ paths, the counts as written) of each module row."""
    out = []
    for i, line in enumerate(text.splitlines()):
        m = ROW.match(line)
        if not m:
            continue
        named = [x for p in re.findall(r"`([^`]+)`", m.group("paths")) for x in _expand(p)]
        counts = [c.strip() for c in m.group("counts").split(",") if c.strip()]
        out.append((i, [p for p in named if p.startswith("xbuild/")], counts))
    return out


def test_every_module_is_named() -> None:
    named = [p for _, paths, _ in _rows(DOC.read_text(encoding="utf-8")) for p in paths]
    for p in named:
        assert (ROOT / p).exists(), f"docs/architecture.md names {p}, which does not exist"
    missing = []
    for f in sorted(PKG.rglob("*.py")):
        rel = f.relative_to(ROOT).as_posix()
        if rel in UNNAMED:
            continue
        if not any(rel == p or (p.endswith("/") and rel.startswith(p)) for p in named):
            missing.append(rel)
    assert not missing, f"docs/architecture.md does not name {missing}"


def test_line_counts_are_true() -> None:
    text = DOC.read_text(encoding="utf-8")
    lines = text.split("\n")
    wrong = []
    for i, paths, counts in _rows(text):
        actual = [str(_lines(p)) for p in paths]
        if counts != actual:
            wrong.append(f"{', '.join(paths)}: {', '.join(counts)} written, {', '.join(actual)} true")
            if REGEN:
                cells = lines[i].split(" | ")
                cells[1] = ", ".join(actual)
                lines[i] = " | ".join(cells)
    if REGEN and wrong:
        DOC.write_text("\n".join(lines), encoding="utf-8")
        wrong = []
    assert not wrong, "docs/architecture.md (XBUILD_REGEN=1 rewrites):\n" + "\n".join(wrong)
