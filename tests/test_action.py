"""The GitHub Action (action.yml): its own venv, the SARIF uploaded only when the
check ran, and the step scripts run for real with bash against the installed xbuild
(the runner's environment variables stood in by a temporary folder)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parent.parent
HELLO = ROOT / "examples" / "hello-go" / "Dockerfile"
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS = {s.get("id") or s["name"]: s for s in ACTION["runs"]["steps"]}


def test_does_not_change_the_callers_python():
    uses = [s.get("uses", "") for s in ACTION["runs"]["steps"]]
    assert not any(u.startswith("actions/setup-python") for u in uses)
    install = STEPS["install"]["run"]
    assert '-m venv "$venv"' in install and 'venv="${RUNNER_TEMP}/xbuild-venv"' in install
    assert re.search(r'"\$venv/bin/python" -m pip install', install)
    assert "${{" not in install and "${{" not in STEPS["check"]["run"]  # inputs via env only


def test_upload_only_when_the_check_ran():
    upload = next(s for s in ACTION["runs"]["steps"] if s.get("uses", "").startswith(
        "github/codeql-action/upload-sarif"))
    assert "steps.check.outputs.sarif != ''" in upload["if"]


def xbuild_bin() -> Path:
    exe = Path(sys.executable).parent / "xbuild"
    if not exe.exists():
        pytest.skip("no installed xbuild script beside this Python")
    return exe


def run_step(name: str, tmp_path: Path, **env: str) -> tuple[int, dict[str, str]]:
    out = tmp_path / "github_output"
    out.write_text("")
    full = {**os.environ, "RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(out), **env}
    p = subprocess.run(["bash", "-e", "-c", STEPS[name]["run"]], env=full, cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    outputs = dict(line.split("=", 1) for line in out.read_text().splitlines())
    return p.returncode, outputs


def check(tmp_path: Path, paths: str, fail_on: str = "fixable") -> dict[str, str]:
    rc, outputs = run_step("check", tmp_path, XB_BIN=str(xbuild_bin()), XB_PATHS=paths,
                           XB_PLATFORMS="", XB_IGNORE="", XB_CONFIG="", XB_FAIL_ON=fail_on)
    assert rc == 0  # the step itself never fails: the upload comes first
    return outputs


def test_check_step_fixable_file(tmp_path):
    (tmp_path / "Dockerfile").write_text(HELLO.read_text())
    outputs = check(tmp_path, "Dockerfile")
    assert outputs["exit-code"] == "1"
    sarif = Path(outputs["sarif"])
    assert '"ruleId": "XB001"' in sarif.read_text()
    rc, _ = run_step("Result", tmp_path, XB_RC="1", XB_FAIL_ON="fixable")
    assert rc == 1


def test_check_step_refusal_passes(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM golang:1.22\nRUN go build -o /a . && /a\n")
    outputs = check(tmp_path, "Dockerfile")
    assert outputs["exit-code"] == "0" and outputs["sarif"]
    assert check(tmp_path, "Dockerfile", "warning")["exit-code"] == "1"


def test_check_step_that_could_not_run_uploads_nothing(tmp_path):
    (tmp_path / "Dockerfile").write_text(HELLO.read_text())
    outputs = check(tmp_path, "Dockerfile", "sometimes")
    assert outputs["exit-code"] == "2" and "sarif" not in outputs
    rc, _ = run_step("Result", tmp_path, XB_RC="2", XB_FAIL_ON="sometimes")
    assert rc == 2


@pytest.mark.skipif(os.environ.get("XBUILD_NETWORK_TESTS") != "1",
                    reason="installs from the package index; set XBUILD_NETWORK_TESTS=1")
def test_install_step_makes_its_own_venv(tmp_path):
    rc, outputs = run_step("install", tmp_path, XB_PYTHON=sys.executable, XB_SOURCE=str(ROOT))
    assert rc == 0
    exe = Path(outputs["xbuild"])
    assert exe == tmp_path / "xbuild-venv" / "bin" / "xbuild"
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("xbuild ")
