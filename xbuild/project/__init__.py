"""What a project is made of: pure detection for ``xbuild init``.

Each ``detect_*`` function reads files under one directory and returns a frozen
dataclass; nothing here renders, writes or runs anything. A project that cannot
be understood raises ``XBuildError`` with the file and line at fault.
"""

from __future__ import annotations

import os

from xbuild.errors import XBuildError
from xbuild.project.c import CProject, detect_c
from xbuild.project.common import Libraries
from xbuild.project.go import GoProject, detect_go, go_binary_name
from xbuild.project.rust import RustPackage, RustProject, detect_rust

__all__ = ["LANGS", "CProject", "GoProject", "Libraries", "Project", "RustPackage", "RustProject",
           "detect", "detect_c", "detect_go", "detect_lang", "detect_rust", "go_binary_name"]

LANGS = ("go", "rust", "c")

Project = GoProject | RustProject | CProject



def detect_lang(root: str) -> str | None:
    """The language of the project at root, from its build files; None when unknown."""
    if os.path.isfile(os.path.join(root, "go.mod")):
        return "go"
    if os.path.isfile(os.path.join(root, "Cargo.toml")):
        return "rust"
    for name in ("CMakeLists.txt", "meson.build", "configure.ac", "configure.in", "configure",
                 "Makefile", "makefile", "GNUmakefile"):
        if os.path.isfile(os.path.join(root, name)):
            return "c"
    return None


def detect(root: str, lang: str | None = None) -> Project:
    """Detect the project at root (as ``lang`` when given)."""
    if not os.path.isdir(root):
        raise XBuildError("not a directory", path=root)
    if lang is None:
        lang = detect_lang(root)
        if lang is None:
            raise XBuildError("no go.mod, Cargo.toml, CMakeLists.txt, meson.build, configure.ac or "
                              "Makefile found; pass --lang go|rust|c", path=root)
    if lang == "go":
        return detect_go(root)
    if lang == "rust":
        return detect_rust(root)
    if lang == "c":
        return detect_c(root)
    raise XBuildError(f"unknown language {lang!r} (known: {', '.join(LANGS)})", exit_code=2)
