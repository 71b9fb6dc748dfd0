"""`xbuild build --distribute` on the rig: two single-platform builds pushed to the local
registry (the rig's builder is the `docker` driver, so by staging tag), merged with
`docker buildx imagetools create` over plain HTTP, and accepted by `xbuild verify`."""

from __future__ import annotations

import json
import time

import pytest

from tests.e2e.examples import EXAMPLES, PLATFORMS, REGISTRY
from tests.e2e.test_e2e import sh, tail, xbuild

pytestmark = pytest.mark.e2e

HELLO = next(ex for ex in EXAMPLES if ex.name == "hello-go")


def test_distribute_hello_go(rig):
    ref = f"{REGISTRY}/distribute-hello:{int(time.time())}"
    p = xbuild("build", HELLO.path, "--distribute", "--push", "--platform", ",".join(PLATFORMS), "-t", ref,
               "--", "--progress=plain", "--network=none", *HELLO.context_args())
    assert p.returncode == 0, f"xbuild build --distribute failed:\n{tail(p)}"
    for platform in PLATFORMS:  # one buildx build per platform, each by itself
        assert f"xbuild: {platform}: building: docker buildx build --platform {platform} " in p.stderr
    assert "xbuild: merging: docker buildx imagetools create -t " + ref in p.stderr
    # one index holding both platforms (attestation entries aside)
    raw = sh(["docker", "buildx", "imagetools", "inspect", "--raw", ref])
    assert raw.returncode == 0, tail(raw)
    index = json.loads(raw.stdout)
    plats = sorted(f"{m['platform']['os']}/{m['platform']['architecture']}" for m in index["manifests"]
                   if (m.get("annotations") or {}).get("vnd.docker.reference.type") != "attestation-manifest")
    assert plats == sorted(PLATFORMS)
    v = xbuild("verify", ref, "--platform", ",".join(PLATFORMS))
    assert v.returncode == 0, f"xbuild verify rejected the merged index:\n{tail(v)}"


def test_distribute_never_tags_a_wrong_architecture(rig, tmp_path):
    """Each platform's image is verified by digest before the merge: a final stage pinned to
    linux/amd64 ships amd64 files as the arm64 image, and the user's tag is never created."""
    (tmp_path / "Dockerfile").write_text('FROM --platform=linux/amd64 debian:bookworm\nCMD ["true"]\n')
    ref = f"{REGISTRY}/distribute-wrong:{int(time.time())}"
    p = xbuild("build", str(tmp_path), "--distribute", "--push", "--platform", ",".join(PLATFORMS),
               "-t", ref, "--", "--progress=plain", "--network=none")
    assert p.returncode == 5, f"expected the verify exit code:\n{tail(p)}"
    assert "nothing was tagged" in p.stderr, tail(p)
    assert "imagetools create" not in p.stderr, tail(p)
    gone = sh(["docker", "buildx", "imagetools", "inspect", "--raw", ref])
    assert gone.returncode != 0, f"{ref} exists although its arm64 image is amd64:\n{gone.stdout}"
