"""``xbuild convert`` on folders and globs: the Dockerfiles ``check`` would read.

A repository adopting xbuild runs ``xbuild check .`` and is told to run
``xbuild convert --write``; that command has to take the same paths.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELLO = ROOT / "examples" / "hello-go"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xbuild", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=60)


def repo(tmp_path: Path) -> Path:
    shutil.copytree(HELLO, tmp_path / "svc" / "a")
    shutil.copytree(HELLO, tmp_path / "svc" / "b")
    (tmp_path / "svc" / "b" / "Dockerfile").rename(tmp_path / "svc" / "b" / "Dockerfile.prod")
    nm = tmp_path / "svc" / "node_modules" / "x"
    nm.mkdir(parents=True)
    (nm / "Dockerfile").write_text((HELLO / "Dockerfile").read_text())
    return tmp_path


def test_write_converts_every_dockerfile_under_a_folder(tmp_path: Path) -> None:
    root = repo(tmp_path)
    p = run("convert", "--write", "-q", "svc", cwd=root)
    assert p.returncode == 0, p.stderr
    for f in ("svc/a/Dockerfile", "svc/b/Dockerfile.prod"):
        assert "FROM --platform=$BUILDPLATFORM" in (root / f).read_text(), f
    # skipped like check skips it
    assert "$BUILDPLATFORM" not in (root / "svc/node_modules/x/Dockerfile").read_text()
    again = run("convert", "--check", "svc", cwd=root)
    assert again.returncode == 0, again.stderr


def test_check_and_diff_take_folders_and_globs(tmp_path: Path) -> None:
    root = repo(tmp_path)
    p = run("convert", "--check", "svc", cwd=root)
    assert p.returncode == 1
    d = run("convert", "--diff", "-q", "svc/*/Dockerfile*", cwd=root)
    assert d.returncode == 0, d.stderr
    assert d.stdout.count("+FROM --platform=$BUILDPLATFORM") == 2


def test_a_folder_without_write_check_or_diff_is_a_usage_error(tmp_path: Path) -> None:
    root = repo(tmp_path)
    p = run("convert", "svc", cwd=root)
    assert p.returncode == 2
    assert p.stderr.strip().splitlines()[-1].endswith("svc: a folder needs --write, --check or --diff")
    assert p.stdout == ""


def test_a_pattern_matching_nothing_names_it(tmp_path: Path) -> None:
    p = run("convert", "--check", "nope/*/Dockerfile", cwd=tmp_path)
    assert p.returncode == 3
    assert "nope/*/Dockerfile: no file matches this pattern" in p.stderr


def test_a_pattern_without_write_check_or_diff_is_a_usage_error(tmp_path: Path) -> None:
    root = repo(tmp_path)
    p = run("convert", "svc/*/Dockerfile*", cwd=root)
    assert p.returncode == 2
    assert "svc/*/Dockerfile*: a pattern needs --write, --check or --diff" in p.stderr
