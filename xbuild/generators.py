"""Does a C/C++ project build a program and run it during its own build?

A code generator built by the project (CMake ``add_executable(gen ...)`` then
``add_custom_command(COMMAND gen ...)``) is compiled with the same compiler as
everything else. Cross-compiling makes it a binary of the target, which the build
machine cannot run, so such a build fails (or, under QEMU's binfmt, runs emulated
and slowly) unless the project has a two-pass native-tools build. xbuild refuses
those stages and names the generator; it never guesses.

Read from the build context: CMakeLists.txt / *.cmake, meson.build, Makefile.am and
plain Makefiles, bounded like the rest of the context reading.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

MAX_FILES = 400
MAX_BYTES = 512 * 1024
_SKIP_DIRS = frozenset({".git", "node_modules", "target", "build", "vendor", "third_party",
                        "3rdparty", "external", "deps", "test", "tests"})


@dataclass(frozen=True)
class Generator:
    path: str  # relative to the project root
    line: int
    program: str

    def describe(self) -> str:
        return f"`{self.program}` ({self.path}:{self.line})"


def _files(root: str, names: tuple[str, ...], suffixes: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
        for fn in sorted(filenames):
            if fn in names or fn.endswith(suffixes):
                out.append(os.path.join(dirpath, fn))
                if len(out) >= MAX_FILES:
                    return out
    return out


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read(MAX_BYTES)
    except OSError:
        return ""


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


_CMAKE_EXE = re.compile(r"\badd_executable\s*\(\s*([A-Za-z0-9_.+-]+)", re.I)
_CMAKE_CUSTOM = re.compile(r"\badd_custom_(?:command|target)\s*\((.*?)\)\s*(?:\n|$)", re.I | re.S)
_CMAKE_COMMAND = re.compile(r"\bCOMMAND\s+(\$<TARGET_FILE:([^>]+)>|\"?\$\{[^}]*\}/([^\s\")]+)|"
                            r"([A-Za-z0-9_.+-]+))", re.I)


def _cmake(root: str) -> list[Generator]:
    files = _files(root, ("CMakeLists.txt",), (".cmake",))
    texts = {p: _read(p) for p in files}
    exes = {m.group(1) for t in texts.values() for m in _CMAKE_EXE.finditer(t)}
    out: list[Generator] = []
    for p, t in texts.items():
        for m in _CMAKE_CUSTOM.finditer(t):
            for c in _CMAKE_COMMAND.finditer(m.group(1)):
                name = c.group(2) or c.group(3) or c.group(4)
                if name in exes:
                    out.append(Generator(os.path.relpath(p, root),
                                         _line(t, m.start(1) + c.start()), name))
    return out


_MESON_EXE = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*=\s*executable\s*\(\s*['\"]([^'\"]+)"
                        r"['\"]([^)]*)\)", re.S)
_MESON_USE = re.compile(r"\b(?:custom_target|generator|run_command)\s*\(([^)]*)\)", re.S)


def _meson(root: str) -> list[Generator]:
    out: list[Generator] = []
    texts = {p: _read(p) for p in _files(root, ("meson.build",), ())}
    exes = {m.group(1): m.group(2) for t in texts.values() for m in _MESON_EXE.finditer(t)
            if not re.search(r"native\s*:\s*true", m.group(3))}  # native: built for the builder
    for p, t in texts.items():
        for m in _MESON_USE.finditer(t):
            for var, name in exes.items():
                if re.search(r"\b" + re.escape(var) + r"\b", m.group(1)):
                    out.append(Generator(os.path.relpath(p, root), _line(t, m.start()), name))
                    break
    return out


_MAKE_PROGRAMS = re.compile(r"^\s*(?:noinst|check|bin|sbin|EXTRA)_PROGRAMS\s*\+?=\s*(.*)$", re.M)
_RULE_RUN = re.compile(r"^\t[^\n]*?(?:\./|\$\((?:top_)?builddir\)/|\$\(srcdir\)/)"
                       r"([A-Za-z0-9_.+-]+)", re.M)


def _make(root: str) -> list[Generator]:
    out: list[Generator] = []
    files = _files(root, ("Makefile.am", "Makefile", "GNUmakefile", "makefile"), (".mk",))
    texts = {p: _read(p) for p in files}
    programs: set[str] = set()
    for t in texts.values():
        for m in _MAKE_PROGRAMS.finditer(t):
            programs.update(re.sub(r"\$\(EXEEXT\)", "", w) for w in m.group(1).split())
        # plain make: `gen: gen.c` rules that link a program with $(CC)
        for m in re.finditer(r"^([A-Za-z0-9_.+-]+)\s*:[^\n=]*\n\t[^\n]*\$\((?:CC|CXX|LINK)\)",
                             t, re.M):
            programs.add(m.group(1))
    for p, t in texts.items():
        for m in _RULE_RUN.finditer(t):
            if m.group(1) in programs:
                out.append(Generator(os.path.relpath(p, root), _line(t, m.start(1)), m.group(1)))
    return out


def generators(root: str | None) -> list[Generator]:
    """Programs the project builds and then runs during its build, first found first."""
    if not root or not os.path.isdir(root):
        return []
    return _cmake(root) + _meson(root) + _make(root)
