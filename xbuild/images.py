"""What xbuild knows of a base image from its reference alone: the one home of image
classification (issue 14.1).

Distro (which cross toolchain fits), libc (XB042), whose language's image it is (the
C recipe leaves ``make`` in ``golang:*`` to Go), whether its C toolchain is fixed to one
target (muslrust, cross-rs), and the image-set defaults (GOPATH, CARGO_HOME) that the
artifact tracker starts from. Everything is read from the name and tag: xbuild pulls
nothing, so an image it does not know is "unknown", never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

# Official images built on Debian (glibc) unless the tag says alpine.
DEBIAN_IMAGES = frozenset({"rust", "golang", "gcc", "buildpack-deps", "debian", "cargo-chef"})
UBUNTU_IMAGES = frozenset({"ubuntu"})
# The image of another language's toolchain: make in them builds that language.
LANGUAGE_IMAGES = {"golang": "go", "rust": "rust", "cargo-chef": "rust", "node": "node",
                   "python": "python", "openjdk": "java"}
# Images whose C toolchain ships for one C target, matched anywhere in the reference.
FIXED_TOOLCHAIN = (
    ("muslrust", "clux/muslrust ships its musl C toolchain for its own architecture only"),
    ("rust-musl-cross", "rust-musl-cross images hard-code one target triple"),
    ("blackdex/rust-musl", "blackdex/rust-musl images hard-code one target triple"),
    ("cross-rs/", "cross-rs images hard-code one target triple"),
    ("windows", "a Windows base image"),
    ("servercore", "a Windows base image"),
    ("nanoserver", "a Windows base image"),
)


@dataclass(frozen=True)
class Image:
    """A base image reference as the Dockerfile names it (ARGs resolved where they can be)."""

    ref: str

    @cached_property
    def _parts(self) -> tuple[str, str, str]:
        ref = self.ref.lower().split("@", 1)[0]
        path, _, tag = ref.rpartition(":") if ":" in ref.rsplit("/", 1)[-1] else (ref, "", "")
        return path, path.rsplit("/", 1)[-1], tag

    @property
    def path(self) -> str:
        """The repository with its registry and namespace, lower-cased, no tag or digest."""
        return self._parts[0]

    @property
    def name(self) -> str:
        """The repository's last segment: ``docker.io/library/golang:1.22`` -> ``golang``."""
        return self._parts[1]

    @property
    def tag(self) -> str:
        return self._parts[2]

    @property
    def dynamic(self) -> bool:
        """Chosen at build time (an ARG xbuild could not resolve)."""
        return "$" in self.ref

    @property
    def distro(self) -> str:
        """alpine | ubuntu | debian | unknown."""
        if "alpine" in self.tag or "alpine" in self.name:
            return "alpine"
        if self.name in UBUNTU_IMAGES:
            return "ubuntu"
        if self.name in DEBIAN_IMAGES:
            return "debian"
        return "unknown"

    @property
    def libc(self) -> str | None:
        """glibc, musl, none (scratch, distroless static) or None (unknown)."""
        if self.ref.lower() == "scratch" or ("distroless" in self.path
                                             and self.name.startswith("static")):
            return "none"
        if self.name == "busybox" and "musl" in self.tag:
            return "musl"
        return {"alpine": "musl", "debian": "glibc", "ubuntu": "glibc"}.get(self.distro)

    @property
    def language(self) -> str | None:
        """The language whose toolchain image this is (go, rust, node, python, java)."""
        return LANGUAGE_IMAGES.get(self.name)

    @property
    def c_toolchain(self) -> bool:
        """An image made for compiling C (gcc, buildpack-deps)."""
        return self.name in ("gcc", "buildpack-deps")

    @property
    def golang(self) -> bool:
        """Built on the official golang image set (golang, golangci-lint...): GOPATH=/go
        and the working directory /go."""
        return self.name.startswith("golang")

    @property
    def ships_gcc(self) -> bool:
        """The official Debian golang image ships gcc, so Go turns cgo on by default."""
        return self.name == "golang" and self.distro != "alpine"

    @property
    def cargo_home(self) -> str:
        return "/usr/local/cargo" if self.name.startswith(("rust", "cargo-chef")) else "/root/.cargo"

    @property
    def fixed_toolchain(self) -> str | None:
        """Why its C toolchain cannot target other platforms, or None."""
        low = self.ref.lower()
        return next((why for needle, why in FIXED_TOOLCHAIN if needle in low), None)
