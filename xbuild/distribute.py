"""``xbuild build --distribute``: one buildx build per platform, pushed by digest, merged.

Each platform is its own ``docker buildx build --platform P`` of the converted
Dockerfile (on a multi-node builder buildx places it on a node that runs P
natively). Its image goes to the registry by digest only
(``push-by-digest=true,name-canonical=true``) and its digest is read from
``--metadata-file`` (``containerimage.digest``). ``docker buildx imagetools
create`` then writes one index under every ``-t`` tag. xbuild's verify checks each
platform's image by digest before the merge (a wrong architecture is never tagged)
and the merged index after it (attestation entries skipped).

The ``docker`` driver (the default builder of a plain dockerd) cannot push by
digest; there each platform is pushed under a staging tag
``<tag>-xbuild-<os>-<arch>[-<variant>]`` instead, which the index then names by
digest too. ``--cache SPEC`` (e.g. ``type=gha`` or ``type=s3,bucket=b,region=r``)
becomes ``--cache-from SPEC,scope=S`` and ``--cache-to SPEC,scope=S,mode=max``
with ``S = <repository name>-<os>-<arch>[-<variant>]``: platforms never evict each
other's cache.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys

from xbuild.buildx import BuildRequest, build_argv, failure_summary
from xbuild.errors import EXIT_BUILD, EXIT_VERIFY, UsageError, XBuildError
from xbuild.stream import stream


def repository(tag: str) -> str:
    """``host/repo:tag`` -> ``host/repo`` (docker's rule: a colon after the last slash is a tag)."""
    name = tag.split("@", 1)[0]
    head, _, last = name.rpartition("/")
    if ":" in last:
        last = last.rsplit(":", 1)[0]
    return f"{head}/{last}" if head else last


def slug(platform: str) -> str:
    return platform.replace("/", "-")


def cache_args(cache: str | None, repo: str, platform: str) -> list[str]:
    if cache is None:
        return []
    if "scope=" in cache:
        raise UsageError("--cache: give the backend without scope=; xbuild adds one scope per platform")
    scope = f"{repo.rsplit('/', 1)[-1]}-{slug(platform)}"
    return ["--cache-from", f"{cache},scope={scope}", "--cache-to", f"{cache},scope={scope},mode=max"]


def builder_driver(docker: str, builder: str | None) -> str:
    """The driver of the builder in use, from ``docker buildx inspect`` ("" when unknown)."""
    argv = [docker, "buildx", "inspect"] + ([builder] if builder else [])
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    m = re.search(r"^Driver:\s*(\S+)", p.stdout, re.M)
    return m.group(1) if m else ""


def platform_output(repo: str, tag: str, platform: str, driver: str) -> str:
    if driver == "docker":  # push-by-digest "is currently not implemented for docker driver"
        return f"type=image,name={tag}-xbuild-{slug(platform)},push=true"
    return f"type=image,name={repo},push-by-digest=true,name-canonical=true,push=true"


def read_digest(meta: str, platform: str) -> str:
    try:
        with open(meta, encoding="utf-8") as fh:
            digest = json.load(fh).get("containerimage.digest")
    except (OSError, ValueError, AttributeError):
        digest = None
    if not isinstance(digest, str) or not re.fullmatch(r"sha256:[0-9a-f]{64}", digest):
        raise XBuildError(f"{platform}: buildx wrote no image digest to its --metadata-file",
                          exit_code=EXIT_BUILD)
    return digest


def _run(argv: list[str], what: str) -> None:
    print(f"xbuild: {what}: {shlex.join(argv)}", file=sys.stderr, flush=True)
    rc, tail = stream(argv)
    if rc != 0:
        raise XBuildError(f"{what}: {failure_summary(tail, rc)}", exit_code=EXIT_BUILD)


def distribute(req: BuildRequest, tmpdir: str, cache: str | None = None, verify: bool = True) -> int:
    """Build ``req`` platform by platform, merge the digests under ``req.tags``, verify the index."""
    if not req.tags:
        raise UsageError("--distribute needs at least one -t/--tag: the per-platform images are pushed "
                         "to its repository and merged under it")
    repo = repository(req.tags[0])
    if any(repository(t) != repo for t in req.tags):
        raise UsageError("--distribute: every -t/--tag must name the same repository")
    driver = builder_driver(req.docker, req.builder)
    digests = []
    for platform in req.platforms:
        meta = os.path.join(tmpdir, f"metadata-{slug(platform)}.json")
        one = BuildRequest(dockerfile=req.dockerfile, context=req.context, platforms=(platform,),
                           output=platform_output(repo, req.tags[0], platform, driver),
                           builder=req.builder, target=req.target, docker=req.docker,
                           extra=("--metadata-file", meta, *cache_args(cache, repo, platform), *req.extra))
        _run(build_argv(one), f"{platform}: building")
        digests.append(read_digest(meta, platform))
    if verify:
        # each image is in the registry by digest only (or a staging tag): checked before
        # the index exists, a wrong architecture never gets the user's tag
        for platform, digest in zip(req.platforms, digests, strict=True):
            verify_index(f"{repo}@{digest}", (platform,), what=f"the {platform} image")
    merge = [req.docker, "buildx", "imagetools", "create"]
    if req.builder is not None:
        merge += ["--builder", req.builder]
    for tag in req.tags:
        merge += ["-t", tag]
    merge += [f"{repo}@{d}" for d in digests]
    _run(merge, "merging")
    if verify:
        verify_index(req.tags[0], req.platforms)
    return 0


def verify_index(ref: str, platforms: tuple[str, ...], what: str = "the merged index") -> None:
    from xbuild.registry import RegistrySource
    from xbuild.verify import render_reports, verify

    reports = verify(RegistrySource(ref), platforms)
    sys.stderr.write("".join(f"xbuild: verify: {line}\n" for line in render_reports(reports, quiet=False)))
    if not all(r.ok for r in reports):
        bad = sum(len(r.problems) for r in reports)
        tagged = "the tag points at it" if what == "the merged index" else "nothing was tagged"
        raise XBuildError(f"verify found {bad} problem(s) in {what} {ref} (above); {tagged}",
                          exit_code=EXIT_VERIFY)
