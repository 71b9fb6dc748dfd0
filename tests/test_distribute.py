"""`xbuild build --distribute`: the exact argv of every step, with a fake `docker`.

The fake records each argv, answers `buildx inspect` with a chosen driver, and
writes a digest into the `--metadata-file` it is given; the real run on the rig
is tests/e2e/test_distribute_e2e.py.
"""

from __future__ import annotations

import json
import os
import sys

import pytest

from tests.conftest import fake_docker_on_path
from xbuild.cli import main
from xbuild.distribute import cache_args, repository

FAKE = """#!{python}
import hashlib, json, os, sys
argv = sys.argv[1:]
with open(os.environ["FAKE_DOCKER_LOG"], "a") as fh:
    fh.write(json.dumps(argv) + "\\n")
if argv[:2] == ["buildx", "inspect"]:
    print("Name:   default\\nDriver: " + os.environ.get("FAKE_DRIVER", "docker-container"))
    sys.exit(0)
if "--metadata-file" in argv:
    plat = argv[argv.index("--platform") + 1]
    if plat == os.environ.get("FAKE_FAIL"):
        sys.stderr.write("ERROR: failed to solve: exit code: 2\\n")
        sys.exit(1)
    with open(argv[argv.index("--metadata-file") + 1], "w") as fh:
        json.dump({{"containerimage.digest": "sha256:" + hashlib.sha256(plat.encode()).hexdigest()}}, fh)
"""


def digest(platform):
    import hashlib
    return "sha256:" + hashlib.sha256(platform.encode()).hexdigest()


@pytest.fixture
def docker(tmp_path, monkeypatch):
    log = fake_docker_on_path(tmp_path, monkeypatch, FAKE.format(python=sys.executable))
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "Dockerfile").write_text("FROM golang:1.27 AS b\nRUN go build -o /h .\n"
                                                  "FROM debian:bookworm\nCOPY --from=b /h /\n")
    return lambda: [json.loads(x) for x in log.read_text().splitlines()] if log.exists() else []


def run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    return exc.value.code, capsys.readouterr().err


def strip_file(argv):
    """The argv with the temporary Dockerfile and metadata paths replaced by markers."""
    out = list(argv)
    for flag in ("--file", "--metadata-file"):
        if flag in out:
            i = out.index(flag) + 1
            out[i] = os.path.basename(out[i])
    return out


def test_every_step_argv(docker, tmp_path, capsys):
    ctx = str(tmp_path / "proj")
    rc, err = run(["build", ctx, "--distribute", "--push", "--no-verify", "-t", "r.example/app:1",
                   "-t", "r.example/app:latest", "--cache", "type=gha", "--", "--provenance=false"], capsys)
    assert rc == 0, err
    inspect, amd, arm, merge = docker()
    assert inspect == ["buildx", "inspect"]
    for argv, plat in ((amd, "linux/amd64"), (arm, "linux/arm64")):
        s = plat.replace("/", "-")
        assert strip_file(argv) == [
            "buildx", "build", "--platform", plat, "--file", "Dockerfile",
            "--output", "type=image,name=r.example/app,push-by-digest=true,name-canonical=true,push=true",
            "--metadata-file", f"metadata-{s}.json",
            "--cache-from", f"type=gha,scope=app-{s}", "--cache-to", f"type=gha,scope=app-{s},mode=max",
            "--provenance=false", ctx]
    assert merge == ["buildx", "imagetools", "create", "-t", "r.example/app:1", "-t", "r.example/app:latest",
                     f"r.example/app@{digest('linux/amd64')}", f"r.example/app@{digest('linux/arm64')}"]


def test_docker_driver_pushes_staging_tags(docker, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FAKE_DRIVER", "docker")
    rc, err = run(["build", str(tmp_path / "proj"), "--distribute", "--push", "--no-verify",
                   "--builder", "b1", "-t", "127.0.0.1:5000/app:1", "--platform", "linux/arm/v7"], capsys)
    assert rc == 0, err
    inspect, one, merge = docker()
    assert inspect == ["buildx", "inspect", "b1"]
    assert one[one.index("--output") + 1] == "type=image,name=127.0.0.1:5000/app:1-xbuild-linux-arm-v7,push=true"
    assert merge == ["buildx", "imagetools", "create", "--builder", "b1", "-t", "127.0.0.1:5000/app:1",
                     f"127.0.0.1:5000/app@{digest('linux/arm/v7')}"]


def test_failure_names_platform_and_stops(docker, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FAKE_FAIL", "linux/amd64")
    rc, err = run(["build", str(tmp_path / "proj"), "--distribute", "--push", "-t", "r.example/app:1"], capsys)
    assert rc == 4
    assert err.strip().splitlines()[-1].startswith("xbuild: linux/amd64: building: docker buildx build failed")
    assert len(docker()) == 2  # inspect, the failed build; no arm64 build, no merge
    assert "Traceback" not in err


@pytest.mark.parametrize("args,message", [
    (["--distribute", "-t", "r.example/a:1"], "--distribute needs --push"),
    (["--distribute", "--push"], "needs at least one -t/--tag"),
    (["--distribute", "--push", "-t", "r.example/a:1", "-t", "r.example/b:1"], "same repository"),
    (["--distribute", "--push", "-t", "r.example/a:1", "--dry-run"], "--dry-run cannot"),
    (["--push", "-t", "r.example/a:1", "--cache", "type=gha"], "--cache is for --distribute"),
    (["--distribute", "--push", "-t", "r.example/a:1", "--cache", "type=gha,scope=x"], "without scope="),
])
def test_bad_usage_is_one_line(docker, tmp_path, capsys, args, message):
    rc, err = run(["build", str(tmp_path / "proj"), *args], capsys)
    assert rc == 2
    assert message in err and len(err.strip().splitlines()) == 1
    assert [a for a in docker() if a[:2] != ["buildx", "inspect"]] == []


@pytest.mark.parametrize("tag,repo", [("127.0.0.1:5000/x/app:1", "127.0.0.1:5000/x/app"),
                                      ("localhost:5000/app", "localhost:5000/app"),
                                      ("app:1", "app"), ("r.io/app@sha256:" + "0" * 64, "r.io/app")])
def test_repository(tag, repo):
    assert repository(tag) == repo


def test_no_cache_without_backend():
    assert cache_args(None, "r/app", "linux/amd64") == []
