"""``xbuild ci github``: the GitHub Actions workflow that builds each platform on its own runner.

Each platform is one leg of a matrix job. Where GitHub hosts a runner of that
architecture (``NATIVE_RUNNERS``), the leg builds the Dockerfile as it is, natively.
Every other platform builds on an amd64 runner from the xbuild-converted Dockerfile:
its build stages cross-compile on the runner, and QEMU (set up on those legs only)
runs just the final stages' RUN steps. Each leg pushes its image by digest
(``push-by-digest=true,name-canonical=true``) with its own cache scope and uploads the
digest as an artifact; a merge job joins the digests into one index with
``docker buildx imagetools create`` and checks it with ``xbuild verify``.

Decisions are made here; ``templates/github-workflow.yml.j2`` holds layout only.
Values reach the shell through ``env:``, never pasted into a script.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from xbuild import REPO_URL, __version__
from xbuild.errors import UsageError

# GitHub-hosted runner labels per architecture (standard runners, public repositories;
# https://docs.github.com/en/actions/using-github-hosted-runners/about-github-hosted-runners).
NATIVE_RUNNERS = {"linux/amd64": "ubuntu-24.04", "linux/arm64": "ubuntu-24.04-arm"}
# Where the legs without a native runner run: amd64, the runner build stages cross-compile on.
EMULATING_RUNNER = NATIVE_RUNNERS["linux/amd64"]

# Actions pinned to full commit SHAs (a tag can be moved; a SHA cannot), each with the
# release it is. Found pinned with that comment in public workflows; update them together.
ACTIONS = {
    "checkout": "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2",
    "setup-qemu": "docker/setup-qemu-action@29109295f81e9208d7d86ff1c6c12d2833863392 # v3.6.0",
    "setup-buildx": "docker/setup-buildx-action@e468171a9de216ec08956ac3ada2f0791b6bd435 # v3.11.1",
    "login": "docker/login-action@74a5d142397b4f367a81961eba4e8cd7edddf772 # v3.4.0",
    "build-push": "docker/build-push-action@263435318d21b8e681c14492fe198d362a7d2c83 # v6.18.0",
    "upload-artifact": "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2",
    "download-artifact": "actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0",
}

WORKFLOW = os.path.join(".github", "workflows", "xbuild.yml")
TEMPLATE = "github-workflow.yml.j2"
# The default image: the repository's own package on GitHub's registry.
DEFAULT_IMAGE = "ghcr.io/${{ github.repository }}"
# The default tag: the git tag for a tag push, else the commit.
DEFAULT_TAG = "${{ github.ref_type == 'tag' && github.ref_name || github.sha }}"


@dataclass(frozen=True)
class Leg:
    platform: str
    runner: str
    slug: str  # os-arch[-variant]: artifact name and cache scope
    emulated: bool  # no native runner: converted Dockerfile, QEMU for the final stages
    binfmt: str  # the QEMU handler setup-qemu-action installs ("" when native)


def legs(platforms: tuple[str, ...]) -> list[Leg]:
    """One matrix leg per platform, native where GitHub has a runner for it."""
    from xbuild.distribute import slug
    from xbuild.platforms import lookup

    out = []
    for name in platforms:
        canonical = lookup(name).name
        runner = NATIVE_RUNNERS.get(canonical)
        out.append(Leg(platform=name, runner=runner or EMULATING_RUNNER, slug=slug(name),
                       emulated=runner is None,
                       binfmt="" if runner else lookup(name).binfmt_arg))
    return out


def _login(registry: str) -> dict[str, str]:
    """docker/login-action's inputs for ``registry`` (secrets the user provides)."""
    if registry == "ghcr.io":
        return {"registry": registry, "username": "${{ github.actor }}",
                "password": "${{ secrets.GITHUB_TOKEN }}"}
    if registry == "docker.io":
        return {"registry": "", "username": "${{ secrets.DOCKERHUB_USERNAME }}",
                "password": "${{ secrets.DOCKERHUB_TOKEN }}"}
    return {"registry": registry, "username": "${{ secrets.REGISTRY_USERNAME }}",
            "password": "${{ secrets.REGISTRY_PASSWORD }}"}


def split_image(image: str | None) -> tuple[str, str]:
    """(repository, tag) from ``--image`` (default: ghcr.io/<owner>/<repo>, tag per push)."""
    from xbuild.buildx import validate_tag
    from xbuild.distribute import repository

    if image is None:
        return DEFAULT_IMAGE, DEFAULT_TAG
    try:
        validate_tag(image)
    except UsageError:
        raise UsageError(f"--image: invalid image reference {image!r} "
                         "(expected [registry[:port]/]name[:tag], lowercase name)") from None
    if "@" in image:
        raise UsageError(f"--image: {image!r} has a digest; give a name and, optionally, a tag")
    repo = repository(image)
    tag = image[len(repo) + 1:] if len(image) > len(repo) else DEFAULT_TAG
    return repo, tag


def registry_of(repo: str) -> str:
    """The registry host of a repository (docker's rule: a first part with . or : or localhost)."""
    first, _, rest = repo.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return first
    return "docker.io"


def render(*, platforms: tuple[str, ...], image: str | None, dockerfile: str, context: str,
           target: str | None) -> str:
    """The workflow's text. ``dockerfile`` and ``context`` are relative to the repository."""
    import jinja2

    from xbuild.scaffold import templates_dir

    repo, tag = split_image(image)
    registry = "ghcr.io" if image is None else registry_of(repo)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        # GitHub's own expressions are ${{ ... }}: the template's markers differ
        variable_start_string="<@", variable_end_string="@>",
        block_start_string="<%", block_end_string="%>",
        comment_start_string="<#", comment_end_string="#>",
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.filters["q"] = json.dumps  # a YAML double-quoted scalar (JSON strings are YAML)
    matrix = legs(platforms)
    text: str = env.get_template(TEMPLATE).render(
        version=__version__, actions=ACTIONS, legs=matrix, emulated=any(g.emulated for g in matrix),
        platforms=",".join(platforms), repo=repo, tag=tag, login=_login(registry),
        ghcr=registry == "ghcr.io", dockerfile=dockerfile, context=context, target=target,
        install=f"git+{REPO_URL}@v{__version__}", merge_runner=EMULATING_RUNNER)
    return text


def write_github_workflow(directory: str, *, file: str | None, image: str | None,
                          platforms: str | None, force: bool) -> str:
    """Render for the repository at ``directory`` and write it atomically; the path written.

    Platforms and target come from the flags, else the config that applies to the
    Dockerfile (``xbuild.config``), else the defaults."""
    from xbuild.errors import XBuildError
    from xbuild.files import write_atomic
    from xbuild.runner import RunOptions, file_options

    if not os.path.isdir(directory):
        raise XBuildError("no such directory", path=directory)
    dockerfile = os.path.join(directory, file or "Dockerfile")
    if not os.path.isfile(dockerfile):
        raise XBuildError("no such file (the workflow builds it; -f names another)",
                          path=dockerfile)
    options, _ = file_options(dockerfile, RunOptions(platforms=platforms))
    relative = os.path.relpath(dockerfile, directory).replace(os.sep, "/")
    context = os.path.dirname(relative) or "."
    text = render(platforms=options.platforms, image=image, dockerfile=relative,
                  context=context, target=options.target)
    target = os.path.join(directory, WORKFLOW)
    if os.path.lexists(target) and not force:
        raise XBuildError("exists; pass --force to overwrite", path=target)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    write_atomic(target, text)
    return target
