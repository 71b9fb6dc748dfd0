"""`xbuild doctor`: parsing of recorded docker/buildx/binfmt outputs, and the verdicts built on them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xbuild import doctor
from xbuild.doctor import FAIL, OK, WARN, Facts, diagnose

DATA = Path(__file__).parent / "data" / "doctor"


def rec(name: str) -> str:
    return (DATA / name).read_text()


def rig_facts(**over) -> Facts:
    f = Facts(docker_version=rec("rig-docker-version.json"), buildx_version=rec("rig-buildx-version.txt"),
              buildx_inspect=rec("rig-buildx-inspect.txt"), docker_info=rec("rig-docker-info.json"),
              binfmt={"qemu-aarch64": rec("rig-binfmt-qemu-aarch64.txt")})
    for k, v in over.items():
        setattr(f, k, v)
    return f


def by_name(checks):
    return {c.name: c for c in checks}


def test_parse_recorded_outputs():
    assert doctor.parse_docker_version(rec("rig-docker-version.json")) == ("28.2.2", "26.1.5+dfsg1")
    assert doctor.parse_buildx_version(rec("rig-buildx-version.txt")) == "0.13.1+ds1"
    assert doctor.parse_buildx_version("github.com/docker/buildx v0.17.1 257815a\n") == "0.17.1"
    b = doctor.parse_buildx_inspect(rec("rig-buildx-inspect.txt"))
    assert (b.name, b.driver, b.status) == ("default", "docker", "running")
    assert b.platforms == ("linux/amd64", "linux/amd64/v2", "linux/amd64/v3", "linux/amd64/v4", "linux/arm64")
    info = doctor.parse_docker_info(rec("rig-docker-info.json"))
    assert doctor.containerd_store(info) and info["Architecture"] == "x86_64"
    e = doctor.parse_binfmt("qemu-aarch64", rec("rig-binfmt-qemu-aarch64.txt"))
    assert e.enabled and e.flags == "PF" and e.interpreter == "/usr/libexec/qemu-binfmt/aarch64-binfmt-P"


def test_no_daemon_output():
    client, server = doctor.parse_docker_version(rec("rig-docker-version-nodaemon.txt"))
    assert client == "28.2.2" and server is None
    checks = diagnose(Facts(docker_version=rec("rig-docker-version-nodaemon.txt"),
                            docker_error="Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
                                         "Is the docker daemon running?"), ("linux/amd64",))
    assert checks[-1].status == FAIL and "cannot reach the Docker daemon" in checks[-1].detail
    assert not doctor.can_build(checks)


def test_rig_is_healthy():
    checks = diagnose(rig_facts(), ("linux/amd64", "linux/arm64"))
    c = by_name(checks)
    assert [x.status for x in checks] == [OK] * 7
    assert c["linux/amd64"].detail == "native"
    assert "emulated on every node: linux/arm64; conversion still pays" in c["nodes"].detail
    assert c["linux/arm64"].detail == "emulated by /usr/libexec/qemu-binfmt/aarch64-binfmt-P (flags PF)"
    assert "containerd image store" in c["multi-platform"].detail
    assert doctor.can_build(checks)


def test_classic_store_cannot_build_multi_platform():
    info = json.loads(rec("rig-docker-info.json"))
    info["Driver"] = "overlay2"
    info["DriverStatus"] = [["Backing Filesystem", "extfs"], ["Supports d_type", "true"],
                            ["Using metacopy", "false"], ["Native Overlay Diff", "true"], ["userxattr", "false"]]
    checks = diagnose(rig_facts(docker_info=json.dumps(info)), ("linux/amd64", "linux/arm64"))
    m = by_name(checks)["multi-platform"]
    assert m.status == FAIL
    assert m.fixes[0] == "docker buildx create --use --name xbuild --driver docker-container --bootstrap"
    assert not doctor.can_build(checks)
    # one platform at a time still works there
    assert by_name(diagnose(rig_facts(docker_info=json.dumps(info)), ("linux/arm64",)))["multi-platform"].status == WARN


def test_docker_container_driver():
    inspect = rec("rig-buildx-inspect.txt").replace("Driver:        docker", "Driver:        docker-container")
    checks = diagnose(rig_facts(buildx_inspect=inspect), ("linux/amd64", "linux/arm64"))
    assert by_name(checks)["multi-platform"].status == OK


@pytest.mark.parametrize("entry, message", [
    (None, "no emulation registered (/proc/sys/fs/binfmt_misc/qemu-aarch64 missing)"),
    ("flags: PF", "lacks the F flag"),  # replaced below
    ("enabled", "registered but disabled"),
])
def test_missing_or_unusable_emulation(entry, message):
    raw = rec("rig-binfmt-qemu-aarch64.txt")
    if entry == "flags: PF":
        raw = raw.replace("flags: PF", "flags: P")
    elif entry == "enabled":
        raw = raw.replace("enabled", "disabled", 1)
    checks = diagnose(rig_facts(binfmt={"qemu-aarch64": raw if entry else None}), ("linux/amd64", "linux/arm64"))
    arm = by_name(checks)["linux/arm64"]
    assert arm.status == FAIL and message in arm.detail
    assert arm.fixes[0] == "docker run --privileged --rm tonistiigi/binfmt --install arm64"
    assert not doctor.can_build(checks)


NAIVE = "FROM golang:1.27 AS builder\nRUN go build -o /hello .\nFROM debian:bookworm\nCOPY --from=builder /hello /\n"
CONVERTED = NAIVE.replace("FROM golang", "FROM --platform=$BUILDPLATFORM golang")
WITH_RUN = CONVERTED + "RUN apt-get install -y ca-certificates\n"


def test_converted_dockerfile_needs_no_emulation():
    checks = diagnose(rig_facts(binfmt={"qemu-aarch64": None}), ("linux/amd64", "linux/arm64"), CONVERTED, "Df")
    c = by_name(checks)
    assert "no RUN step runs emulated" in c["Dockerfile"].detail
    assert c["linux/arm64"].status == OK and "not needed" in c["linux/arm64"].detail
    assert doctor.can_build(checks)


def test_naive_or_runtime_run_needs_emulation():
    for text, where in ((NAIVE, "stage builder (line 1): 1 RUN"), (WITH_RUN, "stage debian:bookworm (line 3): 1 RUN")):
        checks = diagnose(rig_facts(binfmt={"qemu-aarch64": None}), ("linux/amd64", "linux/arm64"), text, "Df")
        c = by_name(checks)
        assert where in c["Dockerfile"].detail
        assert c["linux/arm64"].status == FAIL and "needed by the RUN steps" in c["linux/arm64"].detail


def test_only_built_stages_on_the_target_platform_count():
    """FROM-chain inheritance, an unused stage and a RUN --mount=from= dependency."""
    text = ("FROM --platform=${BUILDPLATFORM} golang:1.27 AS base\nRUN go mod download\n"
            "FROM base AS build\nRUN go build\n"
            "FROM debian:bookworm AS unused\nRUN make\n"
            "FROM debian:bookworm AS tools\nRUN apt-get update\n"
            "FROM debian:bookworm\nCOPY --from=build /x /x\nRUN --mount=from=tools,target=/t true\n")
    checks = diagnose(rig_facts(binfmt={"qemu-aarch64": None}), ("linux/amd64", "linux/arm64"), text, "Df")
    c = by_name(checks)
    assert c["Dockerfile"].detail == ("Df: after conversion, RUN steps that still run emulated on foreign "
                                      "platforms: stage tools (line 7): 1 RUN; stage debian:bookworm (line 9): 1 RUN")
    assert c["linux/arm64"].status == FAIL
    # the same file built only up to `build` needs no QEMU at all
    checks = diagnose(rig_facts(binfmt={"qemu-aarch64": None}), ("linux/amd64", "linux/arm64"), text, "Df",
                      target="build")
    assert doctor.can_build(checks) and "not needed" in by_name(checks)["linux/arm64"].detail


def test_host_platform():
    assert doctor.host_platform("x86_64").name == "linux/amd64"
    assert doctor.host_platform("aarch64").name == "linux/arm64"
    assert doctor.host_platform("sparc") is None


def test_gather_with_recorded_runner(tmp_path):
    outputs = {
        ("docker", "version"): (0, rec("rig-docker-version.json"), ""),
        ("docker", "buildx", "version"): (0, rec("rig-buildx-version.txt"), ""),
        ("docker", "buildx", "inspect"): (0, rec("rig-buildx-inspect.txt"), ""),
        ("docker", "info"): (0, rec("rig-docker-info.json"), ""),
    }
    seen = []

    def run(argv):
        seen.append(argv)
        key = tuple(a for a in argv if not a.startswith("{{") and a != "--format")
        return outputs[key]

    (tmp_path / "register").write_text("")
    (tmp_path / "qemu-aarch64").write_text(rec("rig-binfmt-qemu-aarch64.txt"))
    facts = doctor.gather(("linux/amd64", "linux/arm64", "linux/s390x"), run=run,
                          binfmt_dir=str(tmp_path))
    assert seen[0] == ["docker", "version", "--format", "{{json .}}"]
    assert facts.binfmt["qemu-s390x"] is None and facts.binfmt_mounted
    checks = diagnose(facts, ("linux/amd64", "linux/arm64", "linux/s390x"))
    assert by_name(checks)["linux/s390x"].fixes[0] == \
        "docker run --privileged --rm tonistiigi/binfmt --install s390x"
