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
