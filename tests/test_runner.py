"""One path from PATHs to results for every command (xbuild.runner), and the drifts it ended:
`doctor` ignored the config file; `build` hid the configured platforms behind its flag default."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import fake_docker_on_path
from tests.test_check import xbuild  # main(argv) -> (exit code, stdout, stderr)
from tests.test_prove import rig  # noqa: F401  (the fixture: a fake docker serving OCI layouts)

ROOT = Path(__file__).resolve().parent.parent
DOCTOR_DATA = Path(__file__).parent / "data" / "doctor"
HELLO = (ROOT / "examples" / "hello-go" / "Dockerfile").read_text()

# answers `docker version/info` and `docker buildx version/inspect` with the rig's recorded outputs
RECORDED_DOCKER = f"""#!{sys.executable}
import sys
data = {str(DOCTOR_DATA)!r}
argv = [a for a in sys.argv[1:] if a != "--format" and not a.startswith("{{{{")]
name = {{("version",): "rig-docker-version.json", ("buildx", "version"): "rig-buildx-version.txt",
         ("buildx", "inspect"): "rig-buildx-inspect.txt", ("info",): "rig-docker-info.json"}}.get(tuple(argv))
if name is None:
    sys.exit(1)
sys.stdout.write(open(data + "/" + name).read())
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text(HELLO)
    (tmp_path / ".xbuild.toml").write_text('platforms = ["linux/amd64", "linux/s390x"]\n')
    return tmp_path


def test_doctor_reads_the_config(capsys, repo, tmp_path, monkeypatch):
    """Regression: doctor built its own Options and never read .xbuild.toml / pyproject.toml."""
    fake_docker_on_path(tmp_path, monkeypatch, RECORDED_DOCKER)
    _, out, _ = xbuild(capsys, "doctor", str(repo))
    platform_lines = [line.split()[1] for line in out.splitlines()
                      if line.split()[1:2] and line.split()[1].startswith("linux/")]
    assert platform_lines == ["linux/amd64:", "linux/s390x:"], out
    # the flag still wins
    _, out, _ = xbuild(capsys, "doctor", str(repo), "--platform", "linux/amd64,linux/arm64")
    assert "linux/arm64:" in out and "linux/s390x" not in out


def test_doctor_applies_the_configured_ignore(capsys, repo, tmp_path, monkeypatch):
    """The config's ignore reaches doctor's conversion: an ignored fix leaves RUN emulated."""
    fake_docker_on_path(tmp_path, monkeypatch, RECORDED_DOCKER)
    _, out, _ = xbuild(capsys, "doctor", str(repo))
    assert "after conversion no RUN step runs emulated" in out
    (repo / ".xbuild.toml").write_text('platforms = ["linux/amd64", "linux/s390x"]\n'
                                       'ignore = ["XB001"]\n')
    _, out, _ = xbuild(capsys, "doctor", str(repo))
    assert "after conversion no RUN step runs emulated" not in out


def test_build_uses_the_configured_platforms(capsys, repo):
    """Regression: build's --platform default (amd64,arm64) hid the config's platforms."""
    code, out, err = xbuild(capsys, "build", str(repo), "--dry-run")
    assert code == 0, err
    assert " --platform linux/amd64,linux/s390x " in out
    code, out, err = xbuild(capsys, "build", str(repo), "--dry-run", "--platform", "linux/arm64")
    assert code == 0 and " --platform linux/arm64 " in out
    (repo / ".xbuild.toml").unlink()
    code, out, err = xbuild(capsys, "build", str(repo), "--dry-run")
    assert code == 0 and " --platform linux/amd64,linux/arm64 " in out


def test_run_paths_reports_each_input_once(capsys, repo):
    """Discovery, per-file errors (printed at once, the others still run), the worst exit code."""
    from xbuild.errors import UsageError
    from xbuild.runner import RunOptions, run_paths

    (repo / "sub").mkdir()
    (repo / "sub" / "Dockerfile").write_bytes(b"\xff\xfe\x00F")  # UTF-16: unreadable
    seen = []
    report = run_paths([str(repo), str(repo / "missing*")], RunOptions(discover=True),
                       on_result=lambda e: seen.append(e.path))
    assert seen == [str(repo / "Dockerfile")]
    assert [e.path for e in report.entries] == [str(repo / "Dockerfile"),
                                                str(repo / "sub" / "Dockerfile"),
                                                str(repo / "missing*")]
    assert report.entries[0].settings == {"platforms": "linux/amd64,linux/s390x"}
    assert report.entries[0].result.changed and report.changed == 1
    assert report.exit_code == 3
    err = capsys.readouterr().err.splitlines()
    assert err == [f"xbuild: {repo / 'sub' / 'Dockerfile'}:1: UTF-16 encoded; BuildKit reads "
                   "Dockerfiles as UTF-8 only",
                   f"xbuild: {repo / 'missing*'}: no file matches this pattern"]
    # a bad flag is everyone's problem: it stops the run
    with pytest.raises(UsageError):
        run_paths([str(repo / "Dockerfile")], RunOptions(helper="qemu"))


def test_prove_uses_the_configured_platforms(rig, capsys):  # noqa: F811 (the fixture)
    """Regression: prove's --platform default hid the config's platforms, as build's did."""
    (rig.project / ".xbuild.toml").write_text('platforms = ["linux/arm64"]\n')
    code, out, err = xbuild(capsys, "prove", str(rig.project))
    assert code == 0, out + err
    assert [c["argv"][c["argv"].index("--platform") + 1] for c in rig.calls()] == [
        "linux/arm64", "linux/arm64"]


def test_convert_of_standard_input_reads_the_current_folders_config(capsys, repo, monkeypatch):
    """As check always did: `-` takes its settings from the config found from the cwd."""
    import io

    (repo / ".xbuild.toml").write_text('ignore = ["XB001"]\n')
    monkeypatch.chdir(repo)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(HELLO.encode())))
    code, out, err = xbuild(capsys, "convert", "-", "--quiet")
    assert code == 0, err
    assert "--platform=$BUILDPLATFORM" not in out  # XB001 (the move) is ignored
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(HELLO.encode())))
    code, out, _ = xbuild(capsys, "convert", "-", "--quiet", "--config", str(repo / "none.toml"))
    assert code == 2
