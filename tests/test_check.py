"""``xbuild check``: discovery, formats, exit codes, color, config; through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xbuild.cli import main

ROOT = Path(__file__).resolve().parent.parent
HELLO = ROOT / "examples" / "hello-go" / "Dockerfile"
CONVERTED = HELLO.read_text().replace(
    "FROM golang:alpine", "FROM --platform=$BUILDPLATFORM golang:alpine").replace(
    "RUN go build", "ARG TARGETOS TARGETARCH TARGETVARIANT\n"
    "RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build")


def xbuild(capsys, *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    out, err = capsys.readouterr()
    return exc.value.code, out, err


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_hello_go_findings_exit_1(capsys):
    rc, out, err = xbuild(capsys, "check", str(HELLO))
    assert rc == 1
    assert f"{HELLO}:1: XB001 warning: build stage `builder` runs on $BUILDPLATFORM" in out
    assert out.rstrip().endswith("3 findings, 3 fixable with `xbuild convert --write` in 1 file")
    assert "\033[" not in out  # not a terminal: no color
    assert err == ""


def test_converted_is_clean_exit_0(capsys, tmp_path):
    from xbuild.convert import convert

    assert convert(HELLO.read_text()).text == CONVERTED
    df = write(tmp_path / "Dockerfile", CONVERTED)
    rc, out, _ = xbuild(capsys, "check", str(df))
    assert (rc, out) == (0, "1 file checked, no findings\n")


def test_notes_do_not_fail(capsys, tmp_path):
    df = write(tmp_path / "Dockerfile", "FROM --platform=$TARGETPLATFORM alpine\n")
    rc, out, _ = xbuild(capsys, "check", str(df))
    assert rc == 0
    assert "XB007 note:" in out


def test_discovery_folder_and_glob(capsys, repo):
    names = ["Dockerfile", "app/Dockerfile.prod", "svc/api.Dockerfile", "c/Containerfile",
             "node_modules/x/Dockerfile", "vendor/Dockerfile", "docs/notes.txt",
             "Dockerfile.d/readme"]
    for n in names:
        write(repo / n, "FROM alpine\n")
    rc, out, _ = xbuild(capsys, "check", "--format", "json", str(repo))
    got = sorted(os.path.relpath(f["path"], repo) for f in json.loads(out)["files"])
    assert got == ["Dockerfile", "app/Dockerfile.prod", "c/Containerfile", "svc/api.Dockerfile"]
    rc, out, _ = xbuild(capsys, "check", "--format", "json", str(repo / "**" / "*.Dockerfile"))
    assert [os.path.relpath(f["path"], repo) for f in json.loads(out)["files"]] == \
        ["svc/api.Dockerfile"]


def test_missing_and_broken_input_exit_3(capsys, tmp_path):
    good = write(tmp_path / "Dockerfile", "FROM alpine\n")
    bad = write(tmp_path / "bad.Dockerfile", "RUN <<EOF\necho\n")
    rc, out, err = xbuild(capsys, "check", str(good), str(bad), str(tmp_path / "nope"))
    assert rc == 3
    assert f"xbuild: {bad}:1: unterminated heredoc <<EOF\n" in err
    assert f"xbuild: {tmp_path / 'nope'}: no such file or directory\n" in err
    assert "Traceback" not in err
    assert "2 files not checked" in out


def test_usage_exit_2(capsys):
    assert xbuild(capsys, "check", "--format", "xml", str(HELLO))[0] == 2
    assert xbuild(capsys, "check", "--platforms", "linux/mips", str(HELLO))[0] == 2
    assert xbuild(capsys, "check", "--config", "/nonexistent.toml", str(HELLO))[0] == 2


def test_ignore_flag(capsys):
    rc, out, _ = xbuild(capsys, "check", "--ignore", "XB001,xb002,XB003", str(HELLO))
    assert (rc, out) == (0, "1 file checked, no findings\n")


def test_json_shape(capsys):
    rc, out, _ = xbuild(capsys, "check", "--format", "json", str(HELLO))
    data = json.loads(out)
    assert list(data) == ["schema_version", "tool", "files", "summary"]
    assert data["schema_version"] == 1
    (f,) = data["files"]
    assert list(f) == ["path", "changed", "error", "findings", "stages"]
    first = f["findings"][0]
    assert list(first) == ["code", "name", "line", "end_line", "stage", "message", "severity",
                           "fixed", "edits"]
    assert (first["code"], first["name"], first["line"], first["stage"]) == \
        ("XB001", "build-stage-on-buildplatform", 1, "builder")
    assert first["edits"] == [{"start": {"line": 1, "column": 6}, "end": {"line": 1, "column": 6},
                               "replacement": "--platform=$BUILDPLATFORM "}]
    assert [s["action"] for s in f["stages"]] == ["moved", "kept"]
    assert data["summary"]["warning"] == 3


def test_github_format(capsys, tmp_path):
    df = write(tmp_path / "a,b:c" / "Dockerfile", "FROM golang:1.22\nRUN go build \\\n  -o /a .\n")
    rc, out, _ = xbuild(capsys, "check", "--format", "github", str(df))
    assert rc == 1
    path = str(df).replace(":", "%3A").replace(",", "%2C")
    assert out == (f"::warning file={path},line=1,title=XB008 emulated-compile::stage `0` stays "
                   "emulated: stage `0` is the exported image: it stays on the target platform "
                   "(split the build into its own stage to cross-compile)\n")


def test_diff_format(capsys):
    rc, out, _ = xbuild(capsys, "check", "--format", "diff", str(HELLO))
    assert rc == 1
    assert "+FROM --platform=$BUILDPLATFORM golang:alpine AS builder\n" in out


def test_color_only_on_terminal_and_not_with_no_color():
    """A real pseudo-terminal: color on; NO_COLOR set: off."""
    import pty

    def run(env_extra):
        env = {**os.environ, **env_extra}
        env.pop("NO_COLOR", None) if "NO_COLOR" not in env_extra else None
        pid, fd = pty.fork()
        if pid == 0:  # child
            os.environ.clear()
            os.environ.update(env)
            os.execv(sys.executable, [sys.executable, "-m", "xbuild", "check", str(HELLO)])
        chunks = []
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        os.waitpid(pid, 0)
        return b"".join(chunks).decode()

    assert "\033[" in run({})
    assert "\033[" not in run({"NO_COLOR": "1"})


def test_config_found_walking_up_flags_win(capsys, repo):
    write(repo / "pyproject.toml", "[project]\nname='x'\n\n[tool.xbuild]\nignore = ['XB005']\n"
                                   "platforms = 'linux/amd64,linux/arm/v7'\n")
    # two independent findings: a TARGETARCH default (XB005), a constant platform (XB006)
    df = write(repo / "svc" / "deep" / "Dockerfile",
               "ARG TARGETARCH=amd64\nFROM --platform=linux/amd64 alpine AS a\n"
               "FROM alpine\nCOPY --from=a /etc/os-release /x\n")
    rc, out, _ = xbuild(capsys, "check", "--format", "json", str(df))
    codes = [f["code"] for f in json.loads(out)["files"][0]["findings"]]
    assert codes == ["XB006"]
    # a nearer .xbuild.toml wins over the pyproject above it
    write(repo / "svc" / ".xbuild.toml", "ignore = 'XB006'\n")
    rc, out, _ = xbuild(capsys, "check", "--format", "json", str(df))
    codes = [f["code"] for f in json.loads(out)["files"][0]["findings"]]
    assert codes == ["XB005"]
    # and the command line adds to it
    rc, out, _ = xbuild(capsys, "check", "--format", "json", "--ignore", "XB005", str(df))
    assert json.loads(out)["files"][0]["findings"] == [] and rc == 0


def test_ignoring_part_of_a_rewrite_leaves_the_stage_alone(capsys, repo):
    """Regression: ignoring XB001 used to keep XB002/XB003, i.e. a stage compiling for
    the target while emulated was fine, but ignoring XB003 kept the move: the stage ran
    on $BUILDPLATFORM and shipped the build machine's architecture to every platform."""
    df = write(repo / "Dockerfile", HELLO.read_text())
    for code in ("XB001", "XB002", "XB003"):
        rc, out, _ = xbuild(capsys, "check", "--format", "json", "--ignore", code, str(df))
        data = json.loads(out)["files"][0]
        assert data["findings"] == [] and data["changed"] is False, code


def test_config_stops_at_repo_root(capsys, tmp_path):
    write(tmp_path / ".xbuild.toml", "ignore = ['XB001', 'XB002', 'XB003']\n")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    df = write(tmp_path / "repo" / "Dockerfile", HELLO.read_text())
    assert xbuild(capsys, "check", str(df))[0] == 1


def test_config_errors_are_usage(capsys, repo):
    write(repo / ".xbuild.toml", "colour = 'blue'\n")
    df = write(repo / "Dockerfile", "FROM alpine\n")
    rc, _, err = xbuild(capsys, "check", str(df))
    assert rc == 2
    assert err == f"xbuild: {repo / '.xbuild.toml'}: unknown xbuild setting 'colour' " \
                  "(known: platforms, helper, ignore, target, context)\n"
    write(repo / ".xbuild.toml", "ignore = [\n")
    rc, _, err = xbuild(capsys, "check", str(df))
    assert rc == 2 and "invalid TOML" in err and "\n" == err[-1] and err.count("\n") == 1


def test_explicit_config(capsys, tmp_path):
    cfg = write(tmp_path / "ci.toml", "[tool.xbuild]\nignore = ['XB001','XB002','XB003']\n")
    assert xbuild(capsys, "check", "--config", str(cfg), str(HELLO))[0] == 0


def test_help_documents_exit_codes(capsys):
    rc, out, _ = xbuild(capsys, "check", "--help")
    assert rc == 0
    for text in ("0 no finding", "1 at least one warning", "2 usage", "3 an input"):
        assert text in " ".join(out.split())


def test_module_entry_point_no_traceback(tmp_path):
    bad = write(tmp_path / "Dockerfile", "\x00")
    proc = subprocess.run([sys.executable, "-m", "xbuild", "check", str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 3
    assert proc.stderr == f"xbuild: {bad}:1: binary content (NUL byte), not a Dockerfile\n"
