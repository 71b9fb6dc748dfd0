"""`xbuild check --fail-on` and the config errors users hit: findings with a fix fail,
refusals and advice pass by default; bad settings, unknown rule codes in --ignore, the
config or `# xbuild: ignore=` comments are one-line errors that say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from xbuild.cli import main

ROOT = Path(__file__).resolve().parent.parent
HELLO = ROOT / "examples" / "hello-go" / "Dockerfile"
REFUSED = "FROM golang:1.22\nRUN go build -o /app . && /app --version\n"  # XB008 only
NOTE = ("FROM --platform=$BUILDPLATFORM golang:1.22 AS b\nRUN echo\n"
        "FROM --platform=$TARGETPLATFORM alpine\nCOPY --from=b /etc/hostname /x\n")  # XB007


def xbuild(capsys, *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


@pytest.mark.parametrize(("level", "refused", "fixable", "note"), [
    (None, 0, 1, 0), ("fixable", 0, 1, 0), ("warning", 1, 1, 0), ("never", 0, 0, 0)])
def test_fail_on_levels(capsys, repo, level, refused, fixable, note):
    flag = [] if level is None else ["--fail-on", level]
    cases = {"refused": (REFUSED, refused), "note": (NOTE, note),
             "fixable": (HELLO.read_text(), fixable)}
    for name, (text, want) in cases.items():
        df = write(repo / name / "Dockerfile", text)
        rc, out, _ = xbuild(capsys, "check", *flag, str(df))
        assert rc == want, (name, level, out)
        assert "XB0" in out  # reported either way


def test_config_fail_on_and_flag_wins(capsys, repo):
    df = write(repo / "Dockerfile", REFUSED)
    write(repo / ".xbuild.toml", 'fail-on = "warning"\n')
    assert xbuild(capsys, "check", str(df))[0] == 1
    assert xbuild(capsys, "check", "--fail-on", "fixable", str(df))[0] == 0


def test_bad_fail_on(capsys, repo):
    df = write(repo / "Dockerfile", REFUSED)
    rc, _, err = xbuild(capsys, "check", "--fail-on", "warnings", str(df))
    assert rc == 2 and err == "xbuild: --fail-on: 'warnings' is not one of fixable, warning, never\n"
    write(repo / "pyproject.toml", '[tool.xbuild]\nfail-on = "sometimes"\n')
    rc, _, err = xbuild(capsys, "check", str(df))
    assert rc == 2
    assert err == (f"xbuild: {repo / 'pyproject.toml'}: [tool.xbuild] fail-on: 'sometimes' is "
                   "not one of fixable, warning, never\n")


@pytest.mark.parametrize(("toml", "message"), [
    ('helper = "qemu"', "helper: 'qemu' is not one of auto, native, xx"),
    ('platforms = ["linux/amd64", "linux/sparc"]', "platforms: "),
    ('ignore = ["XB001", "XB099"]', "ignore: unknown rule code XB099 (known: XB001,"),
    ("target = 3", "target: must be a string"),
])
def test_config_errors_name_file_and_key(capsys, repo, toml, message):
    """Regression: a bad helper in the config was reported as `--helper: ...`, a flag
    the user never passed."""
    cfg = write(repo / "pyproject.toml", f"[tool.xbuild]\n{toml}\n")
    df = write(repo / "Dockerfile", REFUSED)
    for command in ("check", "convert"):
        rc, _, err = xbuild(capsys, command, str(df))
        assert rc == 2, err
        assert err.startswith(f"xbuild: {cfg}: [tool.xbuild] {message}"), err
        assert err.count("\n") == 1 and "--" not in err.split(":", 2)[2][:20]


def test_unknown_code_in_ignore_flag(capsys, repo):
    df = write(repo / "Dockerfile", REFUSED)
    rc, _, err = xbuild(capsys, "check", "--ignore", "XB008,xb0o8", str(df))
    assert rc == 2 and err.startswith("xbuild: --ignore: unknown rule code xb0o8 (known: XB001")
    assert xbuild(capsys, "check", "--ignore", "xb008", "--fail-on", "warning", str(df))[0] == 0


def test_unknown_code_in_ignore_comment(capsys, repo):
    df = write(repo / "Dockerfile", "FROM alpine AS a\n\n# xbuild: ignore=XB005,XB050\n"
                                    "ARG TARGETARCH=amd64\n")
    for command in ("check", "convert"):
        rc, out, err = xbuild(capsys, command, str(df))
        assert rc == 3
        assert err.startswith(f"xbuild: {df}:3: # xbuild: ignore= names an unknown rule code "
                              "XB050 (known:"), err


def test_ignore_comment_text_inside_a_heredoc_is_not_a_directive(capsys, repo):
    df = write(repo / "Dockerfile", "FROM alpine\nRUN <<EOF\n# xbuild: ignore=NOPE\nEOF\n")
    assert xbuild(capsys, "check", str(df))[0] == 0
