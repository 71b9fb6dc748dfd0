"""The e2e tier's rig: real dockerd + BuildKit + QEMU + a registry on 127.0.0.1:5000.

`bash scripts/test.sh` brings the rig up before `pytest -m e2e`; run alone, this
fixture brings it up itself (as root) and takes it down again afterwards. When
the rig cannot run the tier FAILS with the reason on CI (CI=true) or as root; a
developer machine without root skips with the reason.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.e2e.examples import ROOT

RIG = os.path.join(ROOT, "scripts", "rig.sh")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true" or os.environ.get("XBUILD_E2E_REQUIRED") == "1" or os.geteuid() == 0:
        pytest.fail(f"e2e rig unavailable: {reason}", pytrace=False)
    pytest.skip(f"e2e rig unavailable: {reason}")


def _status() -> bool:
    return subprocess.run(["bash", RIG, "status"], capture_output=True).returncode == 0


@pytest.fixture(scope="session")
def rig():
    started = False
    if not _status():
        if os.geteuid() != 0:
            _unavailable("not root, and the rig is not running (sudo bash scripts/rig.sh up)")
        # registered as this process: its down stops only a rig no other run uses
        env = {**os.environ, "RIG_USER": str(os.getpid())}
        p = subprocess.run(["bash", RIG, "up"], capture_output=True, text=True, env=env)
        if p.returncode != 0:
            tail = " | ".join((p.stdout + p.stderr).strip().splitlines()[-3:])
            _unavailable(f"`bash scripts/rig.sh up` failed (exit {p.returncode}): {tail}")
        started = True
    yield
    if started:
        subprocess.run(["bash", RIG, "down"], check=False, env=env)
