"""scripts/rig.sh's bookkeeping: a second `up` reuses a running rig, `down` stops only
a rig no other run uses, and the last `down` leaves the hosts file and the apt
folder exactly as they were before the first `up`.

Run on temporary copies (HOSTS_FILE, APT_DIR, STATE, CACHE) in RIG_DRY=1 mode: the
real script, its real locking and its real dpkg queries, with `sleep` stand-ins for
dockerd and the registry and no apt-get, so the shared rig of this machine is never
touched. The packages are names no Debian archive has, so "missing" is real.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RIG = ROOT / "scripts" / "rig.sh"
HOSTS = "127.0.0.1 localhost\n::1 localhost ip6-localhost\n# a comment the user wrote\n"
FAKE_PKGS = "xbuild-rig-test-absent-a xbuild-rig-test-absent-b"

pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("bash", "flock", "dpkg-query", "tac", "awk")),
    reason="needs bash, flock, dpkg-query, tac and awk (Debian)")


class Rig:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.state = tmp / "state"
        self.hosts = tmp / "etc" / "hosts"
        self.apt = tmp / "etc" / "apt"
        self.hosts.parent.mkdir(parents=True)
        self.hosts.write_text(HOSTS)
        (self.apt / "sources.list.d").mkdir(parents=True)
        (self.apt / "sources.list.d" / "debian.sources").write_text("Types: deb\n")
        (self.apt / "preferences.d").mkdir()
        self.users: list[subprocess.Popen] = []

    def env(self, user: str | None) -> dict[str, str]:
        env = {**os.environ, "RIG_DRY": "1", "STATE": str(self.state),
               "CACHE": str(self.tmp / "cache"), "HOSTS_FILE": str(self.hosts),
               "APT_DIR": str(self.apt), "RIG_PACKAGES": FAKE_PKGS,
               "RIG_TRIXIE_PACKAGES": "xbuild-rig-test-absent-c"}
        env.pop("RIG_USER", None)
        if user is not None:
            env["RIG_USER"] = user
        return env

    def __call__(self, command: str, user: str | None) -> subprocess.CompletedProcess:
        p = subprocess.run(["bash", str(RIG), command], env=self.env(user), capture_output=True,
                           text=True, timeout=60)
        assert command == "status" or p.returncode == 0, p.stdout + p.stderr
        return p

    def user(self) -> str:
        """A live process to stand for one test run (its PID is the RIG_USER)."""
        proc = subprocess.Popen(["sleep", "600"])
        self.users.append(proc)
        return str(proc.pid)

    def running(self) -> bool:
        return self("status", None).returncode == 0

    def registered(self) -> list[str]:
        users = self.state / "users"
        return users.read_text().split() if users.exists() else []

    def snapshot(self) -> dict[str, bytes]:
        files = {str(p.relative_to(self.tmp)): p.read_bytes()
                 for p in sorted((self.tmp / "etc").rglob("*")) if p.is_file()}
        files["hosts-inode"] = str(self.hosts.stat().st_ino).encode()
        return files

    def cleanup(self) -> None:
        for proc in self.users:
            proc.kill()
            proc.wait()
        for pidfile in self.state.glob("*.pid"):
            try:
                os.kill(int(pidfile.read_text()), signal.SIGKILL)
            except (OSError, ValueError):
                pass


@pytest.fixture
def rig(tmp_path):
    r = Rig(tmp_path)
    yield r
    r.cleanup()


def test_last_down_restores_hosts_and_apt(rig):
    before = rig.snapshot()
    a = rig.user()
    out = rig("up", a).stdout
    assert "(dry) apt-get install xbuild-rig-test-absent-a" in out
    hosts = rig.hosts.read_text()
    assert hosts.startswith(HOSTS) and hosts.count("registry-1.docker.io") == 1
    assert (rig.apt / "sources.list.d" / "xbuild-rig-trixie.sources").exists()
    assert (rig.apt / "preferences.d" / "xbuild-rig-trixie").exists()
    changes = (rig.state / "changes").read_text().splitlines()
    assert changes[0] == f"hosts {rig.hosts}"
    assert "pkg xbuild-rig-test-absent-c" in changes
    assert rig.running() and rig.registered() == [a]
    out = rig("down", a).stdout
    assert "(dry) apt-get purge xbuild-rig-test-absent-a xbuild-rig-test-absent-b " \
           "xbuild-rig-test-absent-c" in out
    assert not rig.running()
    assert rig.snapshot() == before
    assert not (rig.state / "changes").exists()


def test_second_up_reuses_and_down_keeps_a_rig_in_use(rig):
    before = rig.snapshot()
    a, b = rig.user(), rig.user()
    rig("up", a)
    pids = {p.name: p.read_text() for p in rig.state.glob("*.pid")}
    out = rig("up", b).stdout
    assert "reused" in out
    assert {p.name: p.read_text() for p in rig.state.glob("*.pid")} == pids  # same daemons
    assert rig.hosts.read_text().count("registry-1.docker.io") == 1
    assert rig.registered() == [a, b]
    assert "still used by" in rig("down", a).stdout
    assert rig.running() and rig.registered() == [b]
    assert rig.snapshot() != before
    rig("down", b)
    assert not rig.running() and rig.snapshot() == before


def test_a_user_that_died_is_pruned(rig):
    before = rig.snapshot()
    a, b = rig.user(), rig.user()
    rig("up", a)
    rig("up", b)
    rig.users[1].kill()
    rig.users[1].wait()  # run b was killed before its down
    out = rig("down", a).stdout
    assert f"pruned user {b}" in out
    assert not rig.running() and rig.snapshot() == before


def test_files_that_were_there_are_not_removed(rig):
    mine = rig.apt / "preferences.d" / "xbuild-rig-trixie"
    mine.write_text("Package: *\nPin: release n=trixie\nPin-Priority: 500\n")
    with rig.hosts.open("a") as fh:  # a block an older rig.sh left, no end marker
        fh.write("# rig: block docker hub (fail fast, never leave the machine)\n"
                 "127.0.0.1 docker.io\n")
    before = rig.snapshot()
    a = rig.user()
    rig("up", a)
    assert f"file {mine}" not in (rig.state / "changes").read_text()
    assert "hosts" not in (rig.state / "changes").read_text()
    rig("down", a)
    assert rig.snapshot() == before


def test_a_rig_started_without_users_is_adopted_and_left_running(rig):
    """The shared rig a person started (or one started by an older rig.sh) must
    survive a test run's down."""
    rig("up", None)
    (rig.state / "users").unlink()  # as an older rig.sh left it
    a = rig.user()
    assert "adopting" in rig("up", a).stdout
    assert rig.registered() == ["manual", a]
    assert "still used by manual" in rig("down", a).stdout
    assert rig.running()
    rig("down", None)
    assert not rig.running()


def test_two_ups_at_once_start_one_rig(rig):
    before = rig.snapshot()
    a, b = rig.user(), rig.user()
    outs: dict[str, str] = {}
    threads = [threading.Thread(target=lambda u=u: outs.__setitem__(u, rig("up", u).stdout))
               for u in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum("reused" in o for o in outs.values()) == 1
    assert sorted(rig.registered()) == sorted([a, b])
    assert rig.hosts.read_text().count("registry-1.docker.io") == 1
    rig("down", b)
    rig("down", a)
    assert not rig.running() and rig.snapshot() == before


def test_test_sh_removes_its_temporary_venv_folder(tmp_path):
    """Each scripts/test.sh run makes its own folder under TMPDIR and removes it at
    exit, here after failing at once (PYTHON=false cannot make a venv)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    p = subprocess.run(["bash", str(ROOT / "scripts" / "test.sh")], capture_output=True,
                       text=True, timeout=60,
                       env={**os.environ, "TMPDIR": str(tmp), "PYTHON": "false"})
    assert p.returncode == 1 and "cannot create a venv" in p.stderr
    assert list(tmp.iterdir()) == []
