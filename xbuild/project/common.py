"""What the ``xbuild init`` detectors share: file reading, the walk, C libraries."""

from __future__ import annotations

import os
from dataclasses import dataclass

from xbuild import debpkgs
from xbuild.debpkgs import CLib
from xbuild.errors import XBuildError

# Folders never worth scanning for sources.
_SKIP_DIRS = frozenset({".git", "vendor", "node_modules", "target", "build", "_build", "dist",
                        "testdata", ".cache", "third_party"})
# A project this large is not walked further (keeps `init` fast on a home folder by mistake).
_MAX_FILES = 5000


@dataclass(frozen=True)
class Libraries:
    """C libraries a project links, resolved to Debian packages."""

    found: tuple[CLib, ...] = ()
    unknown: tuple[str, ...] = ()  # spellings with no entry in debpkgs (e.g. "-lfoo")

    def merge(self, other: Libraries) -> Libraries:
        found = self.found + tuple(lib for lib in other.found if lib not in self.found)
        unknown = self.unknown + tuple(u for u in other.unknown if u not in self.unknown)
        return Libraries(found, unknown)

    @property
    def dev_packages(self) -> tuple[str, ...]:
        return tuple(sorted({lib.dev for lib in self.found}))

    @property
    def runtime_packages(self) -> tuple[str, ...]:
        return tuple(sorted({lib.runtime for lib in self.found if lib.runtime}))


def read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError as exc:
        raise XBuildError(f"cannot read: {exc.strerror}", path=path) from None


def relpath(root: str, path: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


def walk(root: str, suffixes: tuple[str, ...]) -> list[str]:
    """Files under root ending in one of suffixes, sorted, skipping vendored/build folders."""
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(suffixes):
                out.append(os.path.join(dirpath, name))
                if len(out) >= _MAX_FILES:
                    return out
    return out


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def major_minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def resolve_libraries(spellings: list[tuple[str, str]]) -> Libraries:
    """(kind, name) pairs -> Libraries; kind is link | pkgconfig | cmake."""
    found: list[CLib] = []
    unknown: list[str] = []
    for kind, name in spellings:
        if kind == "link":
            if name in debpkgs.LIBC_LINK_NAMES:
                continue
            lib = debpkgs.by_link(name)
            shown = f"-l{name}"
        elif kind == "pkgconfig":
            lib = debpkgs.by_pkgconfig(name)
            shown = f"pkg-config {name}"
        else:
            lib = debpkgs.by_cmake(name)
            shown = f"find_package({name})"
        if lib is None:
            if shown not in unknown:
                unknown.append(shown)
        elif lib not in found:
            found.append(lib)
    return Libraries(tuple(found), tuple(unknown))
