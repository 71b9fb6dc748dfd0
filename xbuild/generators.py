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


def _files(root: str, names: tuple[str, ...], suffixes: tuple[str, ...],
           under: tuple[str, ...] = ("",)) -> list[str]:
    out: list[str] = []
    for folder in under:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, folder)):
            dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
            for fn in sorted(filenames):
                path = os.path.join(dirpath, fn)
                if (fn in names or fn.endswith(suffixes)) and path not in out:
                    out.append(path)
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


def _cmake(root: str, under: tuple[str, ...]) -> list[Generator]:
    files = _files(root, ("CMakeLists.txt",), (".cmake",), under)
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


def _meson(root: str, under: tuple[str, ...]) -> list[Generator]:
    out: list[Generator] = []
    texts = {p: _read(p) for p in _files(root, ("meson.build",), (), under)}
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


_MAKEFILES = ("Makefile.am", "Makefile", "GNUmakefile", "makefile")


def _make(root: str, under: tuple[str, ...]) -> list[Generator]:
    out: list[Generator] = []
    files = _files(root, _MAKEFILES, (".mk",), under)
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


# where a makefile sends make or reads another makefile: -C DIR, --directory=DIR, cd DIR,
# include/-include/sinclude FILES
_DIR_TARGET = re.compile(r"(?:(?<!\S)-C\s*|--directory[= ]|\bcd\s+)([^\s;&|)]+)")
_INCLUDE = re.compile(r"^[ ]*(?:-|s)?include[ \t]+(.+)$", re.M)
_PARENT_WORD = re.compile(r"(?:^|(?<=[\s=:;,(\'\"]))(\.\.(?:/[^\s:;,)\'\"|&<>]*)?)"
                          r"(?=$|[\s:;,)\'\"|&<>])", re.M)
_COMMENT = re.compile(r"(?<!\\)#.*$", re.M)
_ASSIGNED = re.compile(r"^[ \t]*(?:export[ \t]+|override[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*"
                       r"(?:[?:+!]|::)?=", re.M)
_REFERENCE = re.compile(r"\$[({]([A-Za-z_][A-Za-z0-9_.-]*)([^A-Za-z0-9_.-]|$)")
# variables make itself sets (a reference to them names no unknown folder)
_MAKE_OWN = frozenset({"CURDIR", "MAKE", "MAKEFLAGS", "MAKEFILE_LIST", "MAKECMDGOALS", "SHELL"})
MAX_SCOPE = 32


def _inside(root: str, rel: str) -> str | None:
    """``rel`` normalised, or None when it leaves the project root."""
    norm = os.path.normpath(rel)
    if norm == ".":
        return ""
    if norm.startswith("../") or norm == ".." or os.path.isabs(norm):
        return None
    return norm


def make_dir(args: list[str]) -> tuple[str, list[str]] | None:
    """(the folder ``make ARGS`` runs in, relative to where it starts, and the makefiles
    it reads by ``-f``), or None when a variable names one."""
    folder, files = ".", []
    for i, a in enumerate(args):
        for flag, out in (("-C", "dir"), ("--directory", "dir"), ("-f", "file"),
                          ("--file", "file"), ("--makefile", "file")):
            if a == flag and i + 1 < len(args):
                value = args[i + 1]
            elif a.startswith(flag + "=") and flag.startswith("--"):
                value = a.split("=", 1)[1]
            elif a.startswith(flag) and len(flag) == 2 and len(a) > 2:
                value = a[2:]
            else:
                continue
            if "$" in value or value.startswith("/"):
                return None
            if out == "dir":
                folder = os.path.join(folder, value)
            else:
                files.append(value)
    return folder, files


def make_scope(root: str, start: str) -> list[str] | None:
    """The folders (relative to ``root``, sorted) whose makefiles a plain ``make`` run in
    ``start`` can read: ``start`` and its subfolders, and every folder its makefiles
    name by a path leaving it (``../lib``, ``include ../x.mk``, ``$(MAKE) -C ../gen``),
    followed until nothing new is named. A named path is taken both from the makefile's
    own folder and from ``start`` (an included fragment's paths are the including
    make's); a path the project does not hold is skipped. None, meaning "search the whole project", when a path leaves ``root`` or
    is absolute, or when make is sent to (or includes) a place through a variable no
    makefile here assigns (it comes from the environment or the command line)."""
    todo, scope = [start], set[str]()
    while todo:
        folder = todo.pop()
        if folder in scope:
            continue
        if folder == "" or len(scope) >= MAX_SCOPE:
            return None
        scope.add(folder)
        files = _files(root, _MAKEFILES, (".mk",), (folder,))
        texts = {p: _COMMENT.sub("", _read(p)) for p in files}
        assigned = {m.group(1) for t in texts.values() for m in _ASSIGNED.finditer(t)} | _MAKE_OWN
        for path, text in texts.items():
            here = os.path.relpath(os.path.dirname(path), root)
            targets = [m.group(1) for m in _DIR_TARGET.finditer(text)]
            targets += [m.group(1) for m in _INCLUDE.finditer(text)]
            for target in targets:
                if target.startswith("/"):
                    return None
                if any(r.group(1) not in assigned for r in _REFERENCE.finditer(target)
                       if not r.group(2).isspace()):  # `$(wildcard x)`: a function
                    return None
            for m in _PARENT_WORD.finditer(text):
                for base in (here, start):
                    rel = _inside(root, os.path.join(base, m.group(1)))
                    if rel is None:
                        return None
                    full = os.path.join(root, rel)
                    if os.path.isfile(full):  # a makefile or a source: its folder
                        rel = os.path.dirname(rel)
                    elif not os.path.isdir(full):
                        continue  # not in the project (made during the build, or a typo)
                    if rel == "":
                        return None
                    if rel not in scope:
                        todo.append(rel)
    return sorted(scope)


def generators(root: str | None, under: list[str] | None = None) -> list[Generator]:
    """Programs the project builds and then runs during its build, first found first;
    ``under`` limits the search to those folders (relative to ``root``)."""
    if not root or not os.path.isdir(root):
        return []
    folders = tuple(under) if under else ("",)
    return _cmake(root, folders) + _meson(root, folders) + _make(root, folders)
