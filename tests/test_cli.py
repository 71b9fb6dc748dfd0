"""The convert command as a user runs it: modes, exit codes, one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HELLO = ROOT / "examples" / "hello-go" / "Dockerfile"


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xbuild", *args], input=stdin,
                          capture_output=True, cwd=cwd, timeout=60)


def test_convert_prints_and_reports(tmp_path: Path) -> None:
    p = run("convert", str(HELLO))
    assert p.returncode == 0
    out = p.stdout.decode()
    assert "FROM --platform=$BUILDPLATFORM golang:alpine AS builder" in out
    assert "stage `builder`: moved" in p.stderr.decode()


def test_quiet_silences_report() -> None:
    p = run("convert", "-q", str(HELLO))
    assert p.returncode == 0 and p.stderr == b""


def test_check_exit_codes(tmp_path: Path) -> None:
    assert run("convert", "--check", str(HELLO)).returncode == 1
    converted = tmp_path / "Dockerfile"
    converted.write_bytes(run("convert", "-q", str(HELLO)).stdout)
    p = run("convert", "--check", str(converted))
    assert p.returncode == 0 and p.stdout == b""


def test_diff_is_unified() -> None:
    p = run("convert", "--diff", "-q", str(HELLO))
    assert p.returncode == 0
    text = p.stdout.decode()
    assert text.startswith("--- a/")
    assert "-RUN go build -o hello ." in text
    assert "+ARG TARGETOS TARGETARCH TARGETVARIANT" in text


def test_write_replaces_file_and_keeps_mode(tmp_path: Path) -> None:
    df = tmp_path / "Dockerfile"
    df.write_bytes(HELLO.read_bytes())
    os.chmod(df, 0o640)
    assert run("convert", "--write", "-q", str(df)).returncode == 0
    assert b"--platform=$BUILDPLATFORM" in df.read_bytes()
    assert oct(df.stat().st_mode & 0o777) == oct(0o640)
    assert [p.name for p in tmp_path.iterdir()] == ["Dockerfile"]  # no temp file left
    before = df.read_bytes()
    assert run("convert", "--write", "-q", str(df)).returncode == 0
    assert df.read_bytes() == before  # idempotent


def test_stdin() -> None:
    p = run("convert", "-q", "-", stdin=HELLO.read_bytes())
    assert p.returncode == 0 and b"$BUILDPLATFORM" in p.stdout


@pytest.mark.parametrize("args, code, message", [
    (("convert", "does-not-exist"), 3, "does-not-exist: no such file"),
    (("convert", "--diff", "--check", str(HELLO)), 2, "exclusive"),
    (("convert", "--platforms", "linux/sparc", str(HELLO)), 2, "unknown platform 'linux/sparc'"),
    (("convert", "--target", "nope", str(HELLO)), 2, "--target 'nope': no stage of that name"),
    (("convert", "--write", "-"), 2, "--write needs a file"),
])
def test_errors_are_one_line(args, code, message) -> None:
    p = run(*args)
    err = p.stderr.decode()
    assert p.returncode == code
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_error_names_file_and_line(tmp_path: Path) -> None:
    df = tmp_path / "Dockerfile"
    df.write_text("FROM alpine\nRUN <<EOF\necho hi\n")
    p = run("convert", str(df))
    assert p.returncode == 3
    assert p.stderr.decode() == f"xbuild: {df}:2: unterminated heredoc <<EOF\n"


def test_version_and_module_entry() -> None:
    p = run("--version")
    assert p.returncode == 0 and p.stdout.decode().startswith("xbuild ")


def test_hello_go_example_is_the_golden_case() -> None:
    """examples/hello-go's expected conversion is the `go/hello-classic` golden pair."""
    fixture = ROOT / "tests" / "fixtures" / "go" / "hello-classic.in.Dockerfile"
    assert HELLO.read_bytes() == fixture.read_bytes()
    expected = fixture.with_name("hello-classic.out.Dockerfile").read_bytes()
    assert run("convert", "-q", str(HELLO)).stdout == expected


def test_several_files_write_and_check(tmp_path: Path) -> None:
    a, b, bad = tmp_path / "a.Dockerfile", tmp_path / "b.Dockerfile", tmp_path / "bad.Dockerfile"
    a.write_bytes(HELLO.read_bytes())
    b.write_text("FROM alpine\n")
    bad.write_text("FROM alpine\nRUN <<EOF\n")
    assert run("convert", "--check", str(a), str(b)).returncode == 1
    p = run("convert", "--write", "-q", str(bad), str(a), str(b))
    assert p.returncode == 3  # the unreadable file is reported, the others still converted
    assert p.stderr.decode() == f"xbuild: {bad}:2: unterminated heredoc <<EOF\n"
    assert b"--platform=$BUILDPLATFORM" in a.read_bytes()
    assert b.read_text() == "FROM alpine\n"
    assert run("convert", "--check", str(a), str(b)).returncode == 0


def test_convert_reads_config_and_flags_win(tmp_path: Path) -> None:
    df = tmp_path / "Dockerfile"
    df.write_bytes(HELLO.read_bytes())
    (tmp_path / ".xbuild.toml").write_text('ignore = ["XB003"]\n')
    out = run("convert", "-q", str(df)).stdout
    assert out == HELLO.read_bytes()  # XB003 ignored by config: no half rewrite either
    (tmp_path / ".xbuild.toml").write_text('platforms = ["linux/arm/v6"]\n')
    assert run("convert", "-q", "--platforms", "linux/amd64", str(df)).returncode == 0
    # a bad value is an error that names the file and key, even when a flag would win:
    # the file is wrong for every other command that reads it
    (tmp_path / ".xbuild.toml").write_text('platforms = ["linux/sparc"]\n')
    for argv in (["convert", "-q", str(df)], ["convert", "-q", "--platforms", "linux/amd64", str(df)]):
        p = run(*argv)
        assert p.returncode == 2
        assert p.stderr.decode().startswith(f"xbuild: {tmp_path / '.xbuild.toml'}: platforms: ")


def _installed_xbuild() -> Path:
    exe = Path(sys.executable).parent / "xbuild"
    if not exe.exists():
        pytest.skip("no installed xbuild script beside this Python")
    return exe


def test_shell_completion_offered() -> None:
    exe = _installed_xbuild()
    help_text = subprocess.run([str(exe), "--help"], capture_output=True, text=True).stdout
    assert "--install-completion" in help_text and "--show-completion" in help_text
    # typer detects the shell from the parent process (a Python here); without the
    # detection the shell is the option's value
    script = subprocess.run([str(exe), "--show-completion", "bash"], capture_output=True,
                            text=True, env={**os.environ,
                                            "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert script.returncode == 0 and "_XBUILD_COMPLETE=complete_bash" in script.stdout
    env = {**os.environ, "_XBUILD_COMPLETE": "complete_bash", "COMP_WORDS": "xbuild ch",
           "COMP_CWORD": "1"}
    words = subprocess.run([str(exe)], env=env, capture_output=True, text=True)
    assert words.stdout.split() == ["check"]
    env["COMP_WORDS"] = "xbuild check --fail"
    env["COMP_CWORD"] = "2"
    words = subprocess.run([str(exe)], env=env, capture_output=True, text=True)
    assert words.stdout.split() == ["--fail-on"]
