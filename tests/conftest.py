"""Shared test helpers: the BuildKit parser oracle, fixture discovery, the corpus."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"
REGEN = os.environ.get("XBUILD_REGEN") == "1"


def buildkit_parse(text: str):
    """BuildKit's own parser (moby/buildkit, wrapped by the PyPI package `dockerfile`)."""
    import dockerfile

    # The wrapper crashes the interpreter (segfault) on text that is not valid UTF-8;
    # BuildKit reads bytes, so hand it the bytes' replacement-decoded form instead.
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return dockerfile.parse_string(text)


def buildkit_lines(text: str) -> list[tuple[str, int, int]]:
    return [(c.cmd, c.start_line, c.end_line) for c in buildkit_parse(text)]


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class Case:
    lang: str
    name: str
    src: Path

    @property
    def id(self) -> str:
        return f"{self.lang}/{self.name}"

    @property
    def out(self) -> Path:
        return self.src.with_name(self.name + ".out.Dockerfile")

    @property
    def input(self) -> str:
        return read(self.src)

    @property
    def expected(self) -> str:
        return read(self.out) if self.out.exists() else self.input

    @property
    def options(self):
        from xbuild.settings import make_options

        opt = self.src.with_name(self.name + ".options.json")
        raw = json.loads(opt.read_text()) if opt.exists() else {}
        if "context" in raw:
            raw["context"] = str(self.src.parent / raw["context"])
        return make_options(str(self.src), **raw)

    @property
    def reason(self) -> str | None:
        r = self.src.with_name(self.name + ".reason")
        return r.read_text().strip() if r.exists() else None


def discover() -> list[Case]:
    cases = []
    for src in sorted(FIXTURES.glob("*/*.in.Dockerfile")):
        cases.append(Case(src.parent.name, src.name[: -len(".in.Dockerfile")], src))
    return cases


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.glob("*/*") if p.is_file())


def corpus_index() -> dict[str, dict[str, str]]:
    index = CORPUS / "INDEX.tsv"
    if not index.exists():
        return {}
    rows = index.read_text().splitlines()
    head = rows[0].split("\t")
    return {r.split("\t")[0]: dict(zip(head, r.split("\t"), strict=False)) for r in rows[1:] if r.strip()}


needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


def fake_docker_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Path:
    """Install ``script`` as an executable ``docker`` first on PATH; returns its log file
    (``FAKE_DOCKER_LOG``), for tests that assert the exact argv xbuild runs."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    docker = bindir / "docker"
    docker.write_text(script)
    docker.chmod(docker.stat().st_mode | stat.S_IEXEC)
    log = tmp_path / "docker.log"
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_DOCKER_LOG", str(log))
    return log
