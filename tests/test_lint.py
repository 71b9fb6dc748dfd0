"""ruff and mypy (both pinned in the `test` extra, configured in pyproject.toml) find
nothing: mypy is strict on all of xbuild/, no module relaxed by an override."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(module: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    pytest.importorskip(module)
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def test_ruff_clean(tmp_path):
    env = {**os.environ, "RUFF_CACHE_DIR": os.environ.get("RUFF_CACHE_DIR", str(tmp_path))}
    p = _run("ruff", "check", "xbuild", "tests", "scripts", "bench", env=env)
    assert p.returncode == 0, p.stdout + p.stderr


def test_mypy_clean(tmp_path):
    env = {**os.environ, "MYPY_CACHE_DIR": os.environ.get("MYPY_CACHE_DIR", str(tmp_path))}
    p = _run("mypy", env=env)  # files and strictness from [tool.mypy]
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Success: no issues found" in p.stdout


def test_mypy_strict_everywhere():
    import tomllib

    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert cfg["strict"] is True and cfg["files"] == ["xbuild"]
    relaxed = {m for o in cfg.get("overrides", []) for m in o["module"]
               if m.startswith("xbuild") and set(o) - {"module"}}
    assert not relaxed, f"mypy is relaxed for {sorted(relaxed)}"
