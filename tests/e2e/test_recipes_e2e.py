"""Issue 3's Debian recipes on real BuildKit: Rust + openssl-sys style linking, C with
CMake + zlib, and cgo + libsqlite3.

Each project under tests/e2e/projects/<name>/ has a naive, single-platform Dockerfile
that is byte for byte the *input* of a golden fixture (tests/fixtures/...), plus a tiny
program that links the library the fixture installs and prints `Hello, <arch>!` and the
library's runtime version. The test checks that xbuild's conversion is that fixture's
golden output, then `xbuild build` converts and builds it for linux/amd64 + linux/arm64
on the rig, pushes, `xbuild verify` passes, and each platform's image runs (arm64 under
QEMU) against its own copy of the library. A recipe that installed the build machine's
-dev package instead of the target's, or linked with the host compiler, fails here: the
cross linker rejects x86-64 libraries, and verify rejects x86-64 binaries in arm64 images.

Alpine/xx fixtures are not built: they need the tonistiigi/xx image (Docker Hub), which
the rig cannot pull.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import pytest

from tests.e2e.examples import PLATFORMS, REGISTRY, ROOT, rig_contexts
from tests.e2e.test_e2e import COMMON, check_verify, network_for, sh, tail, xbuild
from xbuild.convert import convert
from xbuild.files import read_dockerfile
from xbuild.result import Options

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Case:
    name: str  # tests/e2e/projects/<name>
    fixture: str  # tests/fixtures/<fixture>.{in,out}.Dockerfile
    cmd: tuple[str, ...]  # what `docker run` runs (the image's CMD when empty)
    library: str  # the start of the second line the program prints

    @property
    def path(self) -> str:
        return os.path.join(ROOT, "tests", "e2e", "projects", self.name)


CASES = (
    Case("rust-openssl", "rust/debian-openssl-sys", (), "OpenSSL 3.0."),
    Case("c-cmake-zlib", "c/cmake-configure-cross", ("app",), "zlib 1.2.13"),
    Case("go-cgo-sqlite", "go-cgo/debian-cgo-sqlite-dev-arch", ("/app",), "SQLite 3.40."),
)


def fixture(case: Case, kind: str) -> str:
    return read_dockerfile(os.path.join(ROOT, "tests", "fixtures", f"{case.fixture}.{kind}.Dockerfile"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_recipe_builds_cross_and_runs(rig, case: Case):
    dockerfile = os.path.join(case.path, "Dockerfile")
    text = read_dockerfile(dockerfile)
    assert text == fixture(case, "in"), f"{dockerfile} is no longer the input of fixture {case.fixture}"
    result = convert(text, dockerfile, Options(platforms=PLATFORMS, context=case.path))
    assert result.text == fixture(case, "out"), f"conversion differs from the golden {case.fixture}.out"

    ref = f"{REGISTRY}/xbuild-real/{case.name}:converted"
    t = time.monotonic()
    p = xbuild("build", case.path, "--platform", ",".join(PLATFORMS), "-t", ref, "--push", "--",
               "--progress=plain", *COMMON, network_for(result.text), *rig_contexts(result.text))
    assert p.returncode == 0, f"xbuild build {case.name} failed:\n{tail(p, 40)}"
    print(f"{case.name} build: {time.monotonic() - t:.1f} s")
    assert "[linux/amd64->arm64 build " in p.stderr, tail(p, 60)
    assert "[linux/arm64 build " not in p.stderr
    check_verify(ref)

    for platform in PLATFORMS:
        arch = platform.split("/")[1]
        r = sh(["docker", "run", "--rm", "--network", "none", "--pull", "never", "--platform", platform,
                ref, *case.cmd])
        assert r.returncode == 0, f"{ref} {platform}: docker run failed:\n{tail(r)}"
        lines = r.stdout.splitlines()
        assert lines[:1] == [f"Hello, {arch}!"], f"{ref} {platform} printed {r.stdout!r}"
        assert len(lines) == 2 and lines[1].startswith(case.library), f"{ref} {platform} printed {r.stdout!r}"
