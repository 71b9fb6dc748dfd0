"""``xbuild explain``: rule docs by code, emulated steps per stage and platform."""

from __future__ import annotations

from pathlib import Path

import pytest

from xbuild.cli import main
from xbuild.emulation import emulated_count, stage_runs

ROOT = Path(__file__).resolve().parent.parent
HELLO = ROOT / "examples" / "hello-go" / "Dockerfile"


def xbuild(capsys, *argv):
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def test_explain_code_prints_docstring(capsys):
    from xbuild.rules import BY_CODE

    rc, out, _ = xbuild(capsys, "explain", "xb040")
    assert rc == 0
    assert out.startswith("XB040 undeclared-target-arg\n\n")
    assert BY_CODE["XB040"].doc.strip() in out
    assert out.rstrip().endswith("/docs/rules/xb040.md")


def test_unknown_code_is_usage_error(capsys):
    rc, _, err = xbuild(capsys, "explain", "XB999")
    assert rc == 2 and err.startswith("xbuild: unknown rule XB999")


def test_explain_file(capsys):
    rc, out, _ = xbuild(capsys, "explain", str(HELLO), "--build-platform", "linux/amd64",
                        "--platforms", "linux/amd64,linux/arm64")
    assert rc == 0
    assert "-> line 4: RUN go build -o hello .  [emulated -> native]" in out
    assert "linux/amd64: 0 -> 0 of 1" in out
    assert "linux/arm64: 1 -> 0 of 1" in out


def test_build_platform_arm64(capsys):
    rc, out, _ = xbuild(capsys, "explain", str(HELLO), "--build-platform", "linux/arm64")
    assert "linux/amd64: 1 -> 0 of 1" in out and "linux/arm64: 0 -> 0 of 1" in out


def test_missing_file_exit_3(capsys, tmp_path):
    rc, _, err = xbuild(capsys, "explain", str(tmp_path / "Dockerfile"))
    assert rc == 3 and err == f"xbuild: {tmp_path / 'Dockerfile'}: no such file\n"


SRC = """\
FROM golang:1.22 AS tools
RUN go install example.com/tool@v1
FROM --platform=linux/amd64 debian AS fixed
RUN apt-get update
FROM --platform=$BUILDPLATFORM alpine AS native
RUN echo native
FROM native AS child
RUN echo child
FROM alpine
COPY --from=fixed /etc/os-release /a
COPY --from=child /b /b
RUN apk add ca-certificates
"""


@pytest.mark.parametrize(("target", "build", "emulated"), [
    pytest.param("linux/arm64", "linux/amd64", {"fixed": False, "native": False, "child": False,
                                                "alpine": True}, id="arm64-on-amd64"),
    pytest.param("linux/amd64", "linux/arm64", {"fixed": True, "native": False, "child": False,
                                                "alpine": True}, id="amd64-on-arm64"),
    pytest.param("linux/amd64", "linux/amd64", {"fixed": False, "native": False, "child": False,
                                                "alpine": False}, id="native"),
])
def test_stage_runs(target, build, emulated):
    stages = {s.label: s for s in stage_runs(SRC, target, build)}
    assert not stages["tools"].built  # the exported stage does not need it
    assert not stages["tools"].emulated(build)
    assert {k: stages[k].emulated(build) for k in emulated} == emulated
    assert stages["child"].runs_on == build  # inherits its parent's platform
    assert emulated_count(list(stages.values()), build) == sum(
        len(stages[k].runs) for k, v in emulated.items() if v)
