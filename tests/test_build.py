"""`xbuild build`: the exact argv handed to buildx, validation, failure mapping, cleanup.

The `docker` here is a fake script on PATH that records its argv (and the
Dockerfile it was given) and exits with a chosen status; the real run is in
tests/e2e.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import sys

import pytest

from tests.conftest import fake_docker_on_path
from xbuild.buildx import BuildRequest, build_argv, failure_summary, validate_tag
from xbuild.cli import main
from xbuild.convert import convert
from xbuild.errors import EXIT_BUILD, EXIT_USAGE, EXIT_VERIFY, UsageError
from xbuild.result import Options

FAKE_DOCKER = """#!{python}
import json, os, sys
sys.path.insert(0, {root!r})
argv = sys.argv[1:]
rec = {{"argv": argv}}
if "--file" in argv:
    f = argv[argv.index("--file") + 1]
    rec["dockerfile"] = open(f).read()
    rec["dockerfile_path"] = f
    rec["dockerignore"] = os.path.exists(f + ".dockerignore")
with open(os.environ["FAKE_DOCKER_LOG"], "a") as fh:
    fh.write(json.dumps(rec) + "\\n")
sys.stderr.write("#1 [internal] load build definition\\n")
out = argv[argv.index("--output") + 1] if "--output" in argv else ""
if out.startswith("type=oci,") and out.endswith(",tar=false"):  # the verification build: a real layout
    from tests.elfmaker import Layout, layer, make_elf
    from xbuild.platforms import lookup
    lay = Layout(dict(kv.split("=", 1) for kv in out.split(","))["dest"])
    wrong = os.environ.get("FAKE_DOCKER_WRONG")
    plats = argv[argv.index("--platform") + 1].split(",")
    lay.index([lay.image(p, [layer([("hello", "file", make_elf(62 if wrong and p.endswith("arm64")
                                                               else lookup(p).elf_machine,
                                                               cls=lookup(p).elf_class))])]) for p in plats])
status = int(os.environ.get("FAKE_DOCKER_STATUS", "0"))
if status:
    sys.stderr.write("ERROR: failed to solve: process \\"/bin/sh -c make\\" did not complete successfully: exit code: 2\\n")
sys.exit(status)
"""

DOCKERFILE = "FROM golang:1.27 AS builder\nRUN go build -o /hello .\nFROM debian:bookworm\nCOPY --from=builder /hello /\n"


@pytest.fixture
def fake_docker(tmp_path, monkeypatch):
    log = fake_docker_on_path(tmp_path, monkeypatch, FAKE_DOCKER.format(
        python=sys.executable, root=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

    def calls():
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines()]

    return calls


@pytest.fixture
def project(tmp_path):
    ctx = tmp_path / "proj"
    ctx.mkdir()
    (ctx / "Dockerfile").write_text(DOCKERFILE)
    return ctx


def expected(project, target=None, platforms=("linux/amd64", "linux/arm64")):
    """What xbuild build must hand to buildx: convert's output, whatever it is today."""
    path = str(project / "Dockerfile")
    return convert(DOCKERFILE, path, Options(target=target, platforms=platforms, context=str(project))).text


def run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def test_argv_exact(fake_docker, project, capsys):
    rc, _, err = run(["build", str(project), "--platform", "linux/amd64,linux/arm64",
                      "-t", "127.0.0.1:5000/hello:1", "--push", "--builder", "xbuild",
                      "--target", "builder", "--", "--provenance=false", "--network=none"], capsys)
    assert rc == 0, err
    check, call = fake_docker()
    tmpfile = call["dockerfile_path"]
    # first built to a temporary OCI layout beside the converted file and verified, never pushed
    layout = os.path.join(os.path.dirname(tmpfile), "verify-oci")
    assert check["argv"] == ["buildx", "build", "--builder", "xbuild",
                             "--platform", "linux/amd64,linux/arm64", "--file", tmpfile,
                             "--target", "builder", "--output", f"type=oci,dest={layout},tar=false",
                             "--provenance=false", "--network=none", str(project)]
    assert re.search(r"^xbuild: verify: linux/arm64: sha256:[0-9a-f]{12} 1 ELF files checked: ok$", err, re.M)
    assert call["argv"] == ["buildx", "build", "--builder", "xbuild",
                            "--platform", "linux/amd64,linux/arm64", "--file", tmpfile,
                            "--tag", "127.0.0.1:5000/hello:1", "--target", "builder", "--push",
                            "--provenance=false", "--network=none", str(project)]
    # the converted text went to a temp file outside the context
    assert call["dockerfile"] == expected(project, target="builder")
    assert not os.path.realpath(tmpfile).startswith(os.path.realpath(project))
    assert not os.path.exists(tmpfile), "temporary Dockerfile must be removed"
    assert (project / "Dockerfile").read_text() == DOCKERFILE
    assert "#1 [internal] load build definition" in err  # progress streamed through


def test_no_push_unless_asked(fake_docker, project, capsys):
    rc, _, err = run(["build", str(project), "-t", "127.0.0.1:5000/hello:1"], capsys)
    assert rc == 0, err
    _check, call = fake_docker()
    assert "--push" not in call["argv"] and "--load" not in call["argv"]
    assert call["argv"][call["argv"].index("--platform") + 1] == "linux/amd64,linux/arm64"


def test_dockerfile_path_and_load_and_output(fake_docker, project, capsys):
    (project / "Dockerfile.dockerignore").write_text("secret\n")
    rc, _, err = run(["build", str(project / "Dockerfile"), "--platform", "linux/arm64", "--load"], capsys)
    assert rc == 0, err
    rc, _, err = run(["build", str(project), "--platform", "linux/arm/v7",
                      "--output", "type=oci,dest=/tmp/x.tar"], capsys)
    assert rc == 0, err
    _, first, _, second = fake_docker()
    assert first["argv"][-2:] == ["--load", str(project)]
    assert first["dockerignore"] is True
    assert second["argv"][second["argv"].index("--platform") + 1] == "linux/arm/v7"
    assert second["argv"][-3:] == ["--output", "type=oci,dest=/tmp/x.tar", str(project)]


def test_extra_args_without_path(fake_docker, project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    rc, _, err = run(["build", "--platform", "linux/amd64", "--", "--no-cache", "--pull"], capsys)
    assert rc == 0, err
    check, call = fake_docker()
    assert check["argv"][-3:] == ["--no-cache", "--pull", "."]
    # the requested build exports what the verified one built: from its cache, not built again
    assert call["argv"][-2:] == ["--pull", "."]


def test_dry_run_prints_exact_command_and_keeps_file(fake_docker, project, capsys):
    rc, out, _ = run(["build", str(project), "--platform", "linux/arm64", "-t", "reg.example:5000/a/b:v1",
                      "--dry-run", "--", "--build-arg", "X=a b"], capsys)
    assert rc == 0
    assert fake_docker() == []
    argv = shlex.split(out.strip())
    tmpfile = argv[argv.index("--file") + 1]
    assert argv == ["docker", "buildx", "build", "--platform", "linux/arm64", "--file", tmpfile,
                    "--tag", "reg.example:5000/a/b:v1", "--build-arg", "X=a b", str(project)]
    assert "'X=a b'" in out
    assert open(tmpfile).read() == expected(project, platforms=("linux/arm64",))
    os.unlink(tmpfile)
    os.rmdir(os.path.dirname(tmpfile))


def test_failure_one_line_exit_build(fake_docker, project, capsys, monkeypatch):
    monkeypatch.setenv("FAKE_DOCKER_STATUS", "1")
    rc, _, err = run(["build", str(project), "--platform", "linux/arm64"], capsys)
    assert rc == EXIT_BUILD
    last = err.strip().splitlines()[-1]
    assert last == ('xbuild: docker buildx build failed: failed to solve: process "/bin/sh -c make" '
                    'did not complete successfully: exit code: 2')
    [call] = fake_docker()  # the verification build failed: nothing else ran
    assert not os.path.exists(call["dockerfile_path"])


def test_wrong_architecture_is_never_pushed(fake_docker, project, capsys, monkeypatch):
    monkeypatch.setenv("FAKE_DOCKER_WRONG", "1")
    rc, _, err = run(["build", str(project), "-t", "127.0.0.1:5000/hello:1", "--push"], capsys)
    assert rc == EXIT_VERIFY, err
    assert "xbuild: verify: linux/arm64: /hello: machine x86-64 (EM_X86_64), expected AArch64" in err
    assert err.strip().splitlines()[-1].startswith("xbuild: verify found 1 problem(s) in what was built")
    [check] = fake_docker()
    assert "--push" not in check["argv"]
    assert not os.path.exists(os.path.dirname(check["dockerfile_path"]))


def test_no_verify_builds_once(fake_docker, project, capsys, monkeypatch):
    monkeypatch.setenv("FAKE_DOCKER_WRONG", "1")
    rc, _, err = run(["build", str(project), "-t", "127.0.0.1:5000/hello:1", "--push", "--no-verify"], capsys)
    assert rc == 0, err
    [call] = fake_docker()
    assert call["argv"][-2:] == ["--push", str(project)]


def test_docker_missing(project, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    rc, _, err = run(["build", str(project), "--platform", "linux/arm64"], capsys)
    assert rc == EXIT_BUILD
    assert err.startswith("xbuild: 'docker' not found on PATH") and err.count("\n") == 1


@pytest.mark.parametrize("args, message", [
    (["--platform", "linux/arm65"], "xbuild: --platform: unknown platform 'linux/arm65'"),
    (["--platform", "linux/amd64;rm -rf /"], "xbuild: --platform: unknown platform"),
    (["-t", "Hello/World"], "xbuild: invalid image reference 'Hello/World'"),
    (["-t", "--push"], "xbuild: invalid image reference '--push'"),
    (["-t", "a:b:c"], "xbuild: invalid image reference 'a:b:c'"),
    (["--push", "--load"], "xbuild: --push, --load and --output are mutually exclusive"),
    (["--builder", "-x"], "xbuild: invalid builder name"),
    (["--target", "a b"], "xbuild: invalid stage name"),
    (["--output", "--x"], "xbuild: invalid value '--x' for --output"),
])
def test_bad_values_never_reach_buildx(fake_docker, project, capsys, args, message):
    rc, _, err = run(["build", str(project), *args], capsys)
    assert rc == EXIT_USAGE, err
    assert err.startswith(message) and err.count("\n") == 1
    assert fake_docker() == []


def test_missing_dockerfile_is_one_line(fake_docker, tmp_path, capsys):
    rc, _, err = run(["build", str(tmp_path)], capsys)
    assert rc == 3
    assert err == f"xbuild: {tmp_path / 'Dockerfile'}: no such file\n"
    assert fake_docker() == []


@pytest.mark.parametrize("tag", [
    "hello", "hello:1.0", "127.0.0.1:5000/xbuild/hello-go:orig", "localhost:5000/a_b/c-d:v_1",
    "ghcr.io/org/app@sha256:" + "a" * 64, "registry.example.com/a/b/c:latest",
])
def test_valid_tags(tag):
    assert validate_tag(tag) == tag


@pytest.mark.parametrize("tag", [
    "", "UPPER", "a/", "/a", "a//b", "a:", "a:-x", "a b", "a\nb", "-t", "a@sha256:xyz", "a" * 256, "a:tag\u00e9",
])
def test_invalid_tags(tag):
    with pytest.raises(UsageError):
        validate_tag(tag)


def test_context_starting_with_dash_is_not_an_option():
    req = BuildRequest(dockerfile="/tmp/x/Dockerfile", context="-weird", platforms=("linux/amd64",))
    assert build_argv(req)[-1] == "./-weird"


def test_failure_summary_fallbacks():
    assert failure_summary(["foo\n"], 3) == "docker buildx build failed (exit status 3)"
    assert failure_summary([], -9) == "docker buildx build was killed by signal 9"
    assert failure_summary(["error: no builder \"x\" found\n"], 1) == \
        'docker buildx build failed: no builder "x" found'


def test_config_file_applies_to_build(fake_docker, project, capsys):
    """Regression: build converted with default Options and ignored .xbuild.toml."""
    (project / ".xbuild.toml").write_text('ignore = ["XB001"]\n')
    rc, out, _ = run(["build", str(project), "--platform", "linux/arm64", "--dry-run"], capsys)
    assert rc == 0
    argv = shlex.split(out.strip())
    tmpfile = argv[argv.index("--file") + 1]
    # XB001 ignored: the whole rewrite of the builder stays out (all or nothing)
    assert open(tmpfile).read() == (project / "Dockerfile").read_text()
    os.unlink(tmpfile)
    os.rmdir(os.path.dirname(tmpfile))
