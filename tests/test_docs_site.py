"""The documentation site builds with MkDocs in strict mode, and every internal link
(in the built site and in README.md) points at a page and anchor that exist.

MkDocs' own validation (mkdocs.yml ``validation:``, warnings as errors under
``strict``) catches links to missing pages and anchors in the markdown; the crawl
of the built HTML below catches what slips past it (raw HTML links, generated
pages), and README.md, which lives outside docs/, is checked separately.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if value is None:
                continue
            if key in ("href", "src"):
                self.links.append(value)
            elif key in ("id", "name"):
                self.ids.add(value)


def _parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    pytest.importorskip("mkdocs")
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                          "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(out)],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "WARNING" not in run.stderr, run.stderr
    return out


def test_every_page_is_built(site):
    for md in (ROOT / "docs").rglob("*.md"):
        rel = md.relative_to(ROOT / "docs").with_suffix("")
        html = site / ("index.html" if rel.name == "index" and rel.parent == Path(".")
                       else rel.parent / "index.html" if rel.name == "index"
                       else rel / "index.html")
        assert html.is_file(), f"{md} was not built"


def test_internal_links_resolve(site):
    pages = {p: _parse(p) for p in site.rglob("*.html")}
    broken = []
    for page, parsed in pages.items():
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "//")):
                continue
            path, frag = urldefrag(link)
            base = site if path.startswith("/") else page.parent  # 404.html: root-relative
            target = (base / unquote(path).lstrip("/")).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {link}")
                continue
            if frag and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if unquote(frag) not in ids:
                    broken.append(f"{page.relative_to(site)}: {link} (no such anchor)")
    assert broken == []


def _github_slug(heading: str) -> str:
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def test_readme_links_resolve():
    readme = (ROOT / "README.md").read_text()
    anchors = {_github_slug(h) for h in re.findall(r"^#+ (.+)$", readme, re.M)}
    broken = []
    for link in re.findall(r"\]\(([^)\s]+)\)", readme):
        if urlsplit(link).scheme:
            continue
        path, frag = urldefrag(link)
        if not path:
            if frag not in anchors:
                broken.append(link)
            continue
        target = ROOT / path
        if not target.exists():
            broken.append(link)
        elif frag and target.suffix == ".md":
            heads = re.findall(r"^#+ (.+)$", target.read_text(), re.M)
            if frag not in {_github_slug(h) for h in heads}:
                broken.append(link)
    assert broken == []


def test_readme_is_a_front_page():
    assert len((ROOT / "README.md").read_text().splitlines()) <= 300
