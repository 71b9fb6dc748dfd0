"""--write: temp file in the same folder, fsync, rename (xbuild.files.write_atomic).

A killed xbuild leaves the old file or the new one, never a truncated one. A
SIGKILL between writing the temp file and the rename can leave that temp file
behind; it is always named ``.xbuild-*.tmp`` next to the Dockerfile (documented
in docs-robust.md) and is safe to delete.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from xbuild.errors import XBuildError
from xbuild.files import write_atomic

HELLO = ROOT / "examples" / "hello-go" / "Dockerfile"


def xbuild(*args: str, env: dict | None = None, **kw) -> subprocess.Popen:
    full = dict(os.environ, **(env or {}))
    full["PYTHONPATH"] = os.pathsep.join([str(ROOT), full.get("PYTHONPATH", "")])
    return subprocess.Popen([sys.executable, "-m", "xbuild", *args], env=full,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def leftovers(folder: Path, keep: str = "Dockerfile") -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != keep)


def test_write_keeps_mode_and_owner(tmp_path: Path) -> None:
    df = tmp_path / "Dockerfile"
    df.write_text("FROM alpine\n")
    os.chmod(df, 0o604)
    if os.geteuid() == 0:
        os.chown(df, 1234, 4321)
    write_atomic(str(df), "FROM alpine:3\n")
    st = df.stat()
    assert df.read_text() == "FROM alpine:3\n"
    assert st.st_mode & 0o777 == 0o604
    if os.geteuid() == 0:
        assert (st.st_uid, st.st_gid) == (1234, 4321)
    assert leftovers(tmp_path) == []


def test_read_only_file_is_refused_and_intact(tmp_path: Path) -> None:
    df = tmp_path / "Dockerfile"
    df.write_bytes(HELLO.read_bytes())
    os.chmod(df, 0o444)
    p = xbuild("convert", "--write", "-q", str(df))
    _, err = p.communicate(timeout=60)
    assert p.returncode == 3
    assert err.decode() == f"xbuild: {df}: cannot write: file is read-only\n"
    assert df.read_bytes() == HELLO.read_bytes() and leftovers(tmp_path) == []


def test_unwritable_folder_is_refused_and_intact(tmp_path: Path, monkeypatch) -> None:
    """mkstemp failing (read-only folder; root ignores mode bits, so simulated)."""
    import tempfile

    df = tmp_path / "Dockerfile"
    df.write_text("FROM alpine\n")

    def deny(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", deny)
    with pytest.raises(XBuildError, match="cannot write: Permission denied"):
        write_atomic(str(df), "FROM alpine:3\n")
    assert df.read_text() == "FROM alpine\n"


def test_failed_rename_removes_the_temp_file(tmp_path: Path, monkeypatch) -> None:
    df = tmp_path / "Dockerfile"
    df.write_text("FROM alpine\n")

    def fail(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(XBuildError, match="No space left on device"):
        write_atomic(str(df), "FROM alpine:3\n")
    assert df.read_text() == "FROM alpine\n" and leftovers(tmp_path) == []


def test_symlink_is_written_through_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real" / "Dockerfile"
    real.parent.mkdir()
    real.write_bytes(HELLO.read_bytes())
    link = tmp_path / "Dockerfile"
    link.symlink_to(Path("real") / "Dockerfile")
    p = xbuild("convert", "--write", "-q", str(link))
    assert p.wait(timeout=60) == 0
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "Dockerfile")
    assert b"--platform=$BUILDPLATFORM" in real.read_bytes()
    assert leftovers(real.parent) == []


def _big(tmp_path: Path) -> tuple[Path, bytes]:
    df = tmp_path / "Dockerfile"
    body = "".join(f"RUN echo {i}\n" for i in range(20_000))
    df.write_bytes(HELLO.read_bytes().replace(b"RUN go build", body.encode() + b"RUN go build"))
    return df, df.read_bytes()


def test_kill_between_write_and_rename_keeps_the_original(tmp_path: Path) -> None:
    df, original = _big(tmp_path)
    p = xbuild("convert", "--write", "-q", str(df),
               env={"XBUILD_TEST_PAUSE_BEFORE_RENAME": "30"})
    deadline = time.time() + 60
    while time.time() < deadline and not [n for n in leftovers(tmp_path) if n.endswith(".tmp")]:
        time.sleep(0.02)
    tmp = leftovers(tmp_path)
    assert len(tmp) == 1 and tmp[0].startswith(".xbuild-") and tmp[0].endswith(".tmp")
    time.sleep(0.2)  # the temp file is complete and fsynced before the pause
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=10)
    assert df.read_bytes() == original
    assert (tmp_path / tmp[0]).read_bytes().startswith(b"FROM --platform=$BUILDPLATFORM")


def test_kill_at_random_times_never_truncates(tmp_path: Path) -> None:
    df, original = _big(tmp_path)
    first = xbuild("convert", "-q", str(df))
    converted, _ = first.communicate(timeout=60)
    rng = random.Random(7)
    for _ in range(8):
        df.write_bytes(original)
        p = xbuild("convert", "--write", "-q", str(df))
        time.sleep(rng.uniform(0.05, 0.6))
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=10)
        assert df.read_bytes() in (original, converted)
        assert all(n.startswith(".xbuild-") and n.endswith(".tmp") for n in leftovers(tmp_path))
        for n in leftovers(tmp_path):
            (tmp_path / n).unlink()


def test_commands_are_never_built_from_dockerfile_text() -> None:
    """No shell, no string-built command lines in xbuild's own code."""
    for path in (ROOT / "xbuild").rglob("*.py"):
        src = path.read_text()
        assert "shell=True" not in src, path
        assert "os.system(" not in src and "os.popen(" not in src, path


@pytest.mark.parametrize("value", ["linux/amd64;rm -rf /", "linux/amd64 --push", "$(id)",
                                   "linux/amd64,../../x", "linux/amd64\nlinux/arm64", "--load"])
def test_platform_values_are_validated(value: str) -> None:
    from xbuild.platforms import parse_platforms
    from xbuild.settings import make_options

    with pytest.raises(ValueError):
        parse_platforms(value)
    with pytest.raises(XBuildError) as info:
        make_options("Dockerfile", platforms=value)
    assert info.value.exit_code == 2 and "\n" not in str(info.value)


def test_platform_values_are_canonical() -> None:
    from xbuild.platforms import parse_platforms

    assert parse_platforms(" linux/ARM64 , linux/arm ,linux/arm64") == ("linux/arm64", "linux/arm/v7")
