"""Bad input: every case gives a correct result or one line and a documented exit code.

The error goldens live in tests/errors/: ``<case>.Dockerfile`` and ``<case>.err``
(the exact stderr line ``xbuild convert <case>.Dockerfile`` prints, run from that
folder). ``XBUILD_REGEN=1 pytest tests/test_bad_input.py`` rewrites the .err files
from the current behaviour; review them in the diff.

Decisions (BuildKit's dockerfile2llb is the reference):
- ``COPY --from=<name>`` naming no stage is an image reference: not an error.
- ``COPY --from=<n>`` with no stage ``n``, or naming the current or a later stage
  (by index or by name): BuildKit fails the build, so xbuild refuses (exit 3).
- ``FROM a AS b`` / ``FROM b AS a``: a FROM can only name an *earlier* stage, so
  the first ``a`` is an image; there is no cycle and nothing loops.
- An unknown instruction, or anything but ARG before the first FROM: BuildKit
  refuses the file (instructions.Parse), so does xbuild (exit 3).
- Duplicate stage names (case-insensitive): refused, the references are ambiguous.
- Invalid UTF-8 is carried through byte for byte (surrogateescape), never
  re-encoded; UTF-16/32 (a BOM) and NUL bytes are refused.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REGEN, ROOT, buildkit_lines
from xbuild.errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_USAGE, XBuildError

ERRORS = Path(__file__).resolve().parent / "errors"
CASES = sorted(p.name[: -len(".Dockerfile")] for p in ERRORS.glob("*.Dockerfile"))
HELLO = ROOT / "examples" / "hello-go" / "Dockerfile"


def run(*args: str, cwd: Path | None = None, stdin: bytes | None = None,
        code: str | None = None) -> subprocess.CompletedProcess:
    """``python -m xbuild ARGS`` (or ``python -c CODE ARGS``) as a user runs it."""
    argv = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "xbuild", *args]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    return subprocess.run(argv, input=stdin, capture_output=True, cwd=cwd, timeout=120, env=env)


def one_line_error(p: subprocess.CompletedProcess, code: int = EXIT_INPUT) -> str:
    err = p.stderr.decode("utf-8", "replace")
    assert p.returncode == code, (p.returncode, err)
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.endswith("\n") and err.startswith("xbuild: "), err
    assert p.stdout == b""
    return err


# -- error goldens ----------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_error_golden(case: str) -> None:
    p = run("convert", f"{case}.Dockerfile", cwd=ERRORS)
    err = one_line_error(p)
    golden = ERRORS / f"{case}.err"
    if REGEN:
        golden.write_text(err)
    assert golden.exists(), f"no {golden.name}: run with XBUILD_REGEN=1 and review"
    assert err == golden.read_text()


@pytest.mark.parametrize("case", CASES)
def test_error_golden_in_process(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The core raises the same one-line XBuildError the CLI prints."""
    from xbuild.convert import convert
    from xbuild.files import read_dockerfile

    monkeypatch.chdir(ERRORS)
    name = f"{case}.Dockerfile"
    with pytest.raises(XBuildError) as info:
        convert(read_dockerfile(name), name)
    assert f"xbuild: {info.value}\n" == (ERRORS / f"{case}.err").read_text()
    assert info.value.exit_code == EXIT_INPUT


def test_every_error_golden_has_its_err_file() -> None:
    orphans = {p.name[: -len(".err")] for p in ERRORS.glob("*.err")} - set(CASES)
    assert not orphans and CASES


# -- paths that are not Dockerfiles -----------------------------------------------------

def test_missing_path(tmp_path: Path) -> None:
    err = one_line_error(run("convert", str(tmp_path / "nope")))
    assert err == f"xbuild: {tmp_path / 'nope'}: no such file\n"


def test_dangling_symlink(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").symlink_to(tmp_path / "gone")
    assert "no such file" in one_line_error(run("convert", str(tmp_path / "Dockerfile")))


def test_directory(tmp_path: Path) -> None:
    # printing needs one file; --write/--check/--diff search a folder (test_convert_folders)
    err = one_line_error(run("convert", str(tmp_path)), code=EXIT_USAGE)
    assert err == f"xbuild: {tmp_path}: a folder needs --write, --check or --diff\n"


def test_directory_without_dockerfiles(tmp_path: Path) -> None:
    err = one_line_error(run("convert", "--write", str(tmp_path)))
    assert err == f"xbuild: {tmp_path}: no Dockerfile found\n"


def test_endless_device_is_read_bounded() -> None:
    """/dev/zero has st_size 0 and never ends: the read is bounded, then refused."""
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    err = one_line_error(run("convert", "/dev/zero"))
    assert "too large" in err


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    from xbuild.files import MAX_BYTES

    big = tmp_path / "Dockerfile"
    with open(big, "wb") as fh:  # sparse: costs no disk
        fh.truncate(MAX_BYTES + 1)
    assert "file too large" in one_line_error(run("convert", str(big)))


def test_stdin_binary_refused() -> None:
    err = one_line_error(run("convert", "-", stdin=b"FROM alpine\n\x00\x00"))
    assert err == "xbuild: <stdin>:2: binary content (NUL byte), not a Dockerfile\n"


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permission denied (monkeypatched: root reads anything)."""
    from xbuild import files

    df = tmp_path / "Dockerfile"
    df.write_text("FROM alpine\n")
    real_open = open

    def deny(path, *a, **k):
        if str(path) == str(df):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *a, **k)

    monkeypatch.setattr("builtins.open", deny)
    with pytest.raises(XBuildError) as info:
        files.read_dockerfile(str(df))
    assert str(info.value) == f"{df}: cannot read: Permission denied"


# -- content that is unusual but valid --------------------------------------------------

INVALID_UTF8 = b"\xff\xfe caf\xc3\xa9 \xe9t\xe9 \xc3"  # stray bytes, latin-1, a cut sequence


def test_invalid_utf8_unchanged_file_is_byte_identical(tmp_path: Path) -> None:
    data = b"FROM alpine\n# " + INVALID_UTF8 + b"\nRUN echo " + INVALID_UTF8 + b"\n"
    df = tmp_path / "Dockerfile"
    df.write_bytes(data)
    p = run("convert", "-q", str(df))
    assert p.returncode == 0 and p.stdout == data


def test_invalid_utf8_survives_a_rewrite_byte_for_byte(tmp_path: Path) -> None:
    original = HELLO.read_bytes()
    data = b"# " + INVALID_UTF8 + b"\n" + original.replace(
        b"RUN go build", b"RUN echo '" + INVALID_UTF8 + b"' && go build")
    df = tmp_path / "Dockerfile"
    df.write_bytes(data)
    printed = run("convert", "-q", str(df))
    assert printed.returncode == 0
    assert b"--platform=$BUILDPLATFORM" in printed.stdout
    assert printed.stdout.count(INVALID_UTF8) == 2
    assert run("convert", "--write", "-q", str(df)).returncode == 0
    assert df.read_bytes() == printed.stdout
    # every original line that was not edited is still there, byte for byte
    kept = [ln for ln in data.splitlines() if b"go build" not in ln and b"FROM golang" not in ln]
    assert all(ln in df.read_bytes().splitlines() for ln in kept)


def test_invalid_utf8_through_stdin() -> None:
    data = b"FROM alpine\nLABEL x=\"" + INVALID_UTF8 + b"\"\n"
    p = run("convert", "-q", "-", stdin=data)
    assert p.returncode == 0 and p.stdout == data


def test_invalid_utf8_in_diff_does_not_crash(tmp_path: Path) -> None:
    df = tmp_path / "Dockerfile"
    df.write_bytes(b"# " + INVALID_UTF8 + b"\n" + HELLO.read_bytes())
    p = run("convert", "--diff", "-q", str(df))
    assert p.returncode == 0 and b"Traceback" not in p.stderr
    assert b"+FROM --platform=$BUILDPLATFORM" in p.stdout


def test_copy_from_unknown_name_is_an_image() -> None:
    from xbuild.convert import convert

    text = ("FROM golang:1.22 AS build\nRUN go build -o /app .\n"
            "FROM alpine\nCOPY --from=nginx:latest /etc/nginx /etc/nginx\n")
    result = convert(text)
    assert result.text == text  # `build` feeds nothing: left alone
    assert {s.name: s.action for s in result.stages} == {"build": "kept", "alpine": "kept"}


def test_copy_from_earlier_index_is_a_stage() -> None:
    from xbuild.convert import convert

    text = ("FROM golang:1.22 AS build\nRUN go build -o /app .\n"
            "FROM alpine\nCOPY --from=0 /app /app\n")
    assert "--platform=$BUILDPLATFORM" in convert(text).text


def test_from_cycle_is_an_image_reference_and_terminates() -> None:
    from xbuild.convert import convert
    from xbuild.graph import build_graph
    from xbuild.model import parse

    text = "FROM a AS b\nRUN go build -o /x .\nFROM b AS a\nRUN go build -o /y .\n"
    g = build_graph(parse(text))
    assert g.parent == {1: 0}  # `a` in the first FROM is an image
    assert g.root(1) == 0 and g.chain(1) == [1, 0] and g.children(0) == [1]
    result = convert(text)
    assert result.text == text  # the exported stage's chain stays put
    self_named = "FROM a AS a\nRUN go build -o /x .\nFROM a\nRUN true\n"
    assert build_graph(parse(self_named)).parent == {1: 0}


def test_lowercase_and_mixed_case_keywords() -> None:
    from xbuild.convert import convert

    text = HELLO.read_text().replace("FROM", "from").replace("RUN", "run")
    out = convert(text).text
    assert "from --platform=$BUILDPLATFORM golang:alpine AS builder" in out


def _big_dockerfile(lines: int) -> str:
    head = ["# syntax=docker/dockerfile:1\n", "FROM golang:1.22 AS build\n", "WORKDIR /src\n"]
    body, i = [], 0
    while len(head) + len(body) < lines - 4:
        body += [f"# step {i}\n", f"RUN echo {i} \\\n", "    && true\n"]
        i += 1
    tail = ["RUN go build -o /app .\n", "FROM alpine\n", "COPY --from=build /app /app\n"]
    return "".join(head + body + tail)


def test_hundred_thousand_lines() -> None:
    from xbuild.convert import convert
    from xbuild.model import parse

    text = _big_dockerfile(100_000)
    assert text.count("\n") >= 99_990
    result = convert(text, "big")
    assert "FROM --platform=$BUILDPLATFORM golang:1.22 AS build" in result.text
    assert convert(result.text, "big").text == result.text
    bk = buildkit_lines(result.text)
    assert [(i.keyword, i.start_line, i.end_line) for i in parse(result.text).instructions] == bk


def test_ten_megabytes(tmp_path: Path) -> None:
    """10 MB in long lines (each under BuildKit's 64 KiB line limit, which
    tests/errors/line-too-long covers), around the hello-go build."""
    blob = "x" * 60_000
    lines = [f"LABEL blob{i}=\"{blob}\"\n" for i in range(100)]
    lines += [f"RUN echo {blob} \\\n && echo {blob}\n" for i in range(40)]
    text = HELLO.read_text().replace("RUN go build", "".join(lines) + "RUN go build")
    assert len(text.encode()) >= 10 * 1024 * 1024
    df = tmp_path / "Dockerfile"
    df.write_text(text)
    p = run("convert", "--write", "-q", str(df))
    assert p.returncode == 0, p.stderr
    out = df.read_text()
    assert out.count(blob) == 180 and "--platform=$BUILDPLATFORM" in out
    # (not through BuildKit's parser here: it takes minutes on 60 KB lines)
    from xbuild.model import parse

    assert len(parse(out).instructions) == len(parse(text).instructions) + 1  # the ARG line


def test_crlf_mixed_with_lf_keeps_each_line_ending() -> None:
    from xbuild.convert import convert

    lines = HELLO.read_text().splitlines()
    endings = ["\r\n", "\n", "\r\n", "\r\n", "\n", "\r\n", "\r\n", "\n", "\r\n"]
    text = "".join(ln + e for ln, e in zip(lines, endings, strict=False))
    result = convert(text)
    assert result.changed
    out_lines = result.text.splitlines(keepends=True)
    for ln in text.splitlines(keepends=True):
        if "go build" not in ln and "FROM golang" not in ln:
            assert ln in out_lines  # untouched lines keep their own ending
    inserted = [ln for ln in out_lines if ln.startswith("ARG TARGET")]
    assert inserted == ["ARG TARGETOS TARGETARCH TARGETVARIANT\r\n"]  # the dominant ending
    assert convert(result.text).text == result.text


def test_bom_is_kept() -> None:
    from xbuild.convert import convert

    text = "\ufeff" + HELLO.read_text()
    result = convert(text)
    assert result.text.startswith("\ufeffFROM --platform=$BUILDPLATFORM golang")


# -- internal errors --------------------------------------------------------------------

def test_internal_error_is_one_line_in_process(tmp_path: Path, monkeypatch, capsys) -> None:
    import xbuild.convert
    from xbuild.cli import ISSUES_URL, main

    def boom(ctx, vetoes=None):
        raise RuntimeError("planner exploded")

    monkeypatch.setattr(xbuild.convert, "plan", boom)
    with pytest.raises(SystemExit) as info:
        main(["convert", str(HELLO)])
    assert info.value.code == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("xbuild: internal error: RuntimeError: planner exploded")
    assert ISSUES_URL in err


def test_internal_error_is_one_line_from_the_cli(tmp_path: Path) -> None:
    """The same through a real process: nothing but the one line reaches stderr."""
    df = tmp_path / "Dockerfile"
    df.write_bytes(HELLO.read_bytes())
    code = ("import sys, xbuild.plan\n"
            "def boom(ctx, vetoes=None): raise KeyError('stage')\n"
            "xbuild.plan.plan = boom\n"
            "from xbuild.cli import main\n"
            "main(sys.argv[1:])\n")
    p = run("convert", "--write", str(df), code=code)
    err = one_line_error(p, EXIT_INTERNAL)
    assert "internal error: KeyError" in err and "please report it at" in err
    assert df.read_bytes() == HELLO.read_bytes()  # nothing written


def test_internal_error_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    """A rule that crashes half-way through a --write leaves the file alone."""
    import xbuild.rules as rules
    from xbuild.cli import main

    df = tmp_path / "Dockerfile"
    df.write_bytes(HELLO.read_bytes())
    broken = rules.Rule("XB999", "broken", "broken", lambda ctx, plans: 1 / 0)
    monkeypatch.setattr(rules, "REGISTRY", rules.REGISTRY + (broken,))
    with pytest.raises(SystemExit) as info:
        main(["convert", "--write", "-q", str(df)])
    assert info.value.code == EXIT_INTERNAL
    assert df.read_bytes() == HELLO.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["Dockerfile"]


# -- usage errors from the command-line parser ------------------------------------------

@pytest.mark.parametrize("args, message", [
    (("convert", "--bogus", "Dockerfile"), "xbuild: No such option: --bogus\n"),
    (("no-such-command",), "xbuild: No such command 'no-such-command'.\n"),
    (("convert", "a", "b"), "xbuild: several files need --write, --check or --diff\n"),
    (("convert", "--platforms"), "xbuild: Option '--platforms' requires an argument.\n"),
])
def test_usage_errors_are_one_line(args, message) -> None:
    """Regression: typer >= 0.22 vendors click, so ``import click`` in the error
    path raised ModuleNotFoundError and every usage error ended in a traceback."""
    assert one_line_error(run(*args), 2) == message


def test_bare_command_prints_help_not_a_traceback() -> None:
    p = run()
    err = p.stderr.decode()
    assert p.returncode == 2 and "Traceback" not in err
    assert "Usage:" in err and "convert" in err
