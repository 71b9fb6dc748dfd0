"""End to end: each example's naive Dockerfile and xbuild's conversion both build for
linux/amd64 + linux/arm64 on the real rig, push to the loopback registry, pass
`xbuild verify`, and every platform's image runs (arm64 under QEMU) and prints its
own architecture. The converted build goes through `xbuild build` itself, so the
argv it hands to buildx is the one exercised.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.e2e.examples import EXAMPLES, PLATFORMS, Example
from xbuild.convert import convert
from xbuild.files import read_dockerfile
from xbuild.result import Options

pytestmark = pytest.mark.e2e

IDS = [e.name for e in EXAMPLES]
# Build-time network: none, except for a converted file that installs packages (apt
# reaches deb.debian.org through the host network; the rig has no bridge).
COMMON = ["--provenance=false"]


def sh(argv: list[str], timeout: int = 1800) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def xbuild(*args: str, timeout: int = 1800) -> subprocess.CompletedProcess:
    return sh([sys.executable, "-m", "xbuild", *args], timeout=timeout)


def tail(p: subprocess.CompletedProcess, n: int = 25) -> str:
    return "\n".join((p.stdout + p.stderr).splitlines()[-n:])


def converted(ex: Example):
    path = os.path.join(ex.path, "Dockerfile")
    return convert(read_dockerfile(path), path, Options(platforms=PLATFORMS, context=ex.path))


def network_for(text: str) -> str:
    return "--network=host" if any(w in text for w in ("apt-get", "apt ", "apk add")) else "--network=none"


def check_runs(ref: str) -> None:
    for platform in PLATFORMS:
        arch = platform.split("/")[1]
        p = sh(["docker", "run", "--rm", "--network", "none", "--platform", platform, ref])
        assert p.returncode == 0, f"{ref} {platform}: docker run failed:\n{tail(p)}"
        assert p.stdout.strip() == f"Hello, {arch}!", f"{ref} {platform} printed {p.stdout!r}"


def check_verify(ref: str) -> None:
    p = xbuild("verify", ref, "--platform", ",".join(PLATFORMS), timeout=600)
    assert p.returncode == 0, f"xbuild verify {ref} failed:\n{p.stdout}{p.stderr}"
    for platform in PLATFORMS:
        assert any(line.startswith(platform + ":") and line.endswith(": ok") for line in p.stdout.splitlines())


@pytest.mark.parametrize("ex", EXAMPLES, ids=IDS)
def test_original_builds_emulated(rig, ex: Example):
    ref = ex.ref("original")
    p = sh(["docker", "buildx", "build", "--progress=plain", "--platform", ",".join(PLATFORMS),
            *COMMON, "--network=none", *ex.context_args(), "-t", ref, "--push", ex.path])
    assert p.returncode == 0, f"original {ex.name} did not build:\n{tail(p)}"
    # the naive file compiles the arm64 binary under QEMU: its builder stage runs as arm64
    assert f"[linux/arm64 {ex.builder_stage}" in p.stderr
    check_verify(ref)
    check_runs(ref)


@pytest.mark.parametrize("ex", EXAMPLES, ids=IDS)
def test_converted_builds_with_xbuild_build(rig, ex: Example):
    result = converted(ex)
    if not result.changed:
        pytest.skip(f"xbuild convert leaves {ex.name}/Dockerfile unchanged today "
                    "(Rust/C conversion is issue 3); nothing new to build")
    ref = ex.ref("converted")
    p = xbuild("build", ex.path, "--platform", ",".join(PLATFORMS), "-t", ref, "--push", "--",
               "--progress=plain", *COMMON, network_for(result.text), *ex.context_args())
    assert p.returncode == 0, f"xbuild build {ex.name} failed:\n{tail(p)}"
    # the argv xbuild handed to buildx, as it printed it
    assert "docker buildx build --platform linux/amd64,linux/arm64 --file " in p.stderr
    # cross-compiled: the builder stage ran on amd64 for the arm64 target, not under QEMU
    assert f"[linux/amd64->arm64 {ex.builder_stage}" in p.stderr, tail(p, 60)
    assert f"[linux/arm64 {ex.builder_stage}" not in p.stderr
    # the user's Dockerfile is untouched
    assert read_dockerfile(os.path.join(ex.path, "Dockerfile")) == result.original
    check_verify(ref)
    check_runs(ref)


def test_doctor_on_the_rig(rig):
    p = xbuild("doctor", "--platform", ",".join(PLATFORMS), timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "ok    linux/arm64: emulated by " in p.stdout
    # the converted hello-go needs no emulation for its build stage
    p = xbuild("doctor", os.path.join(EXAMPLES[0].path, "Dockerfile"), timeout=120)
    assert p.returncode == 0 and "no RUN step runs emulated" in p.stdout, p.stdout


def test_verify_catches_a_wrong_architecture(rig, tmp_path):
    """An amd64 binary shipped as linux/arm64: built on purpose, and verify must say so."""
    (tmp_path / "Dockerfile").write_text(
        "FROM --platform=$BUILDPLATFORM debian:bookworm AS host\n"
        "FROM debian:bookworm\nCOPY --from=host /usr/bin/true /usr/local/bin/mytrue\n")
    ref = "127.0.0.1:5000/xbuild-e2e/wrong-arch:latest"
    p = sh(["docker", "buildx", "build", "--progress=plain", "--platform", ",".join(PLATFORMS), *COMMON,
            "--network=none", "-t", ref, "--push", str(tmp_path)])
    assert p.returncode == 0, tail(p)
    v = xbuild("verify", ref, "--platform", ",".join(PLATFORMS), timeout=600)
    assert v.returncode == 5, v.stdout + v.stderr
    assert ("linux/arm64: /usr/local/bin/mytrue: machine x86-64 (EM_X86_64), expected AArch64 (EM_AARCH64)"
            in v.stdout)
    assert "linux/amd64:" in v.stdout and "linux/amd64: /usr/local/bin/mytrue" not in v.stdout


def test_failed_build_is_one_line_with_exit_4(rig, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM debian:bookworm\nRUN echo about to fail && false\n")
    p = xbuild("build", str(tmp_path), "--platform", "linux/amd64", "--", "--progress=plain",
               "--network=none", timeout=600)
    assert p.returncode == 4, p.stderr
    last = p.stderr.strip().splitlines()[-1]
    assert last.startswith("xbuild: docker buildx build failed: ") and "did not complete successfully" in last
    assert "about to fail" in p.stderr  # BuildKit's progress was streamed through
    assert os.listdir(tmp_path) == ["Dockerfile"]  # nothing written into the context


def test_verify_reads_a_real_oci_layout(rig, tmp_path):
    """buildx's own `--output type=oci,tar=false` layout (index.json -> index -> platforms)."""
    ex = EXAMPLES[0]
    out = tmp_path / "oci"
    p = xbuild("build", ex.path, "--platform", ",".join(PLATFORMS), "--output", f"type=oci,dest={out},tar=false",
               "--", "--progress=plain", *COMMON, "--network=none", *ex.context_args())
    assert p.returncode == 0, tail(p)
    v = xbuild("verify", str(out), "--platform", ",".join(PLATFORMS), timeout=600)
    assert v.returncode == 0, v.stdout + v.stderr
    v = xbuild("verify", str(out), "--platform", "linux/amd64,linux/arm64,linux/arm/v7", timeout=600)
    assert v.returncode == 5 and "linux/arm/v7: no image for linux/arm/v7 in the index" in v.stdout
