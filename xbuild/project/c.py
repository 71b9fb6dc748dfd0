"""``xbuild init`` for C/C++: CMake, Meson, autotools and plain make projects."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from xbuild.errors import XBuildError
from xbuild.project.common import Libraries, read_text, resolve_libraries, walk

@dataclass(frozen=True)
class CProject:
    root: str
    build_system: str  # cmake | meson | autotools | make
    name: str
    executables: tuple[str, ...]
    cxx: bool
    libraries: Libraries = Libraries()
    has_configure: bool = False  # autotools: a generated ./configure is present
    host_tools: tuple[str, ...] = field(default=())

    lang = "c"

    @property
    def binaries(self) -> tuple[str, ...]:
        return self.executables


_CMAKE_CMD = re.compile(r"^\s*(project|add_executable|find_package|pkg_check_modules|pkg_search_module"
                        r"|target_link_libraries)\s*\(([^)]*)\)", re.M | re.I)
_PKG_KEYWORDS = {"REQUIRED", "QUIET", "IMPORTED_TARGET", "GLOBAL", "NO_CMAKE_PATH",
                 "NO_CMAKE_ENVIRONMENT_PATH"}
_MESON_CALL = re.compile(r"\b(project|executable|dependency)\s*\(\s*'([^']+)'(.*?)\)", re.S)
_CXX_SOURCES = (".cpp", ".cc", ".cxx", ".C", ".c++")


def _has_cxx_sources(root: str) -> bool:
    return bool(walk(root, _CXX_SOURCES))


def _pkg_modules(args: list[str]) -> list[str]:
    # "libcurl>=7.0" / "libcurl >= 7.0": the module is the name before any comparison
    out = []
    for a in args:
        name = re.split(r"[<>=]", a, maxsplit=1)[0]
        if name and not re.fullmatch(r"[\d.]+", name) and name not in ("<", ">", "="):
            out.append(name)
    return out


def _detect_cmake(root: str) -> CProject:
    name = os.path.basename(os.path.abspath(root))
    exes: list[str] = []
    spellings: list[tuple[str, str]] = []
    cxx = False
    files = [p for p in walk(root, ("CMakeLists.txt",))]
    for path in files:
        text = re.sub(r"#[^\n]*", "", read_text(path))
        for m in _CMAKE_CMD.finditer(text):
            cmd, args = m.group(1).lower(), m.group(2).split()
            if not args:
                continue
            if cmd == "project" and path == os.path.join(root, "CMakeLists.txt"):
                name = args[0]
                langs = [a.upper() for a in args[1:]]
                cxx = cxx or "CXX" in langs or ("LANGUAGES" not in langs and len(args) == 1)
            elif cmd == "add_executable":
                if "IMPORTED" in args or "ALIAS" in args or "${" in args[0]:
                    continue
                exes.append(args[0])
                cxx = cxx or any(a.endswith(_CXX_SOURCES) for a in args[1:])
            elif cmd == "find_package" and args[0] not in ("PkgConfig",):
                spellings.append(("cmake", args[0]))
            elif cmd in ("pkg_check_modules", "pkg_search_module"):
                spellings += [("pkgconfig", a) for a in _pkg_modules(
                    [a for a in args[1:] if a not in _PKG_KEYWORDS])]
    # project(x) with no LANGUAGES enables C and CXX; only say C++ when sources need it
    cxx = cxx and _has_cxx_sources(root)
    return CProject(root=root, build_system="cmake", name=name, executables=tuple(dict.fromkeys(exes)),
                    cxx=cxx, libraries=resolve_libraries(spellings), host_tools=("cmake", "make", "pkg-config"))


def _detect_meson(root: str) -> CProject:
    name = os.path.basename(os.path.abspath(root))
    exes: list[str] = []
    spellings: list[tuple[str, str]] = []
    cxx = False
    for path in walk(root, ("meson.build",)):
        text = re.sub(r"#[^\n]*", "", read_text(path))
        for m in _MESON_CALL.finditer(text):
            fn, first, rest = m.groups()
            if fn == "project" and path == os.path.join(root, "meson.build"):
                name = first
                cxx = cxx or "'cpp'" in rest
            elif fn == "executable":
                exes.append(first)
            elif fn == "dependency":
                spellings.append(("pkgconfig", first))
    return CProject(root=root, build_system="meson", name=name, executables=tuple(dict.fromkeys(exes)),
                    cxx=cxx or _has_cxx_sources(root), libraries=resolve_libraries(spellings),
                    host_tools=("meson", "ninja-build", "pkg-config"))


_M4_ARG = r"\[?([^\],)]+)\]?"
_AC_INIT = re.compile(r"AC_INIT\(\s*" + _M4_ARG)
_PKG_CHECK = re.compile(r"PKG_CHECK_MODULES\(\s*\[?\w+\]?\s*,\s*\[?([^\]\)]+)\]?")
_AC_CHECK_LIB = re.compile(r"AC_(?:CHECK|SEARCH)_LIBS?\(\s*\[?([^\],)]+)\]?\s*,\s*\[?([^\],)]*)")
_BIN_PROGRAMS = re.compile(r"^\s*(?:bin|sbin)_PROGRAMS\s*\+?=\s*((?:[^\n\\]|\\\n)*)", re.M)


def _detect_autotools(root: str) -> CProject:
    name = os.path.basename(os.path.abspath(root))
    spellings: list[tuple[str, str]] = []
    for fname in ("configure.ac", "configure.in"):
        path = os.path.join(root, fname)
        if os.path.isfile(path):
            text = read_text(path)
            m = _AC_INIT.search(text)
            if m:
                name = m.group(1).strip()
            for pm in _PKG_CHECK.finditer(text):
                spellings += [("pkgconfig", a) for a in _pkg_modules(pm.group(1).split())]
            for lm in _AC_CHECK_LIB.finditer(text):
                libs = lm.group(1).split() if "SEARCH" in lm.group(0) else [lm.group(1)]
                if "SEARCH" in lm.group(0):
                    libs = lm.group(2).split()
                spellings += [("link", lib.strip()) for lib in libs]
            break
    exes: list[str] = []
    for path in walk(root, ("Makefile.am",)):
        for m in _BIN_PROGRAMS.finditer(read_text(path)):
            exes += [w for w in m.group(1).replace("\\\n", " ").split() if "$" not in w]
    return CProject(root=root, build_system="autotools", name=name, executables=tuple(dict.fromkeys(exes)),
                    cxx=_has_cxx_sources(root), libraries=resolve_libraries(spellings),
                    has_configure=os.path.isfile(os.path.join(root, "configure")),
                    host_tools=("autoconf", "automake", "libtool", "make", "pkg-config"))


_MAKE_ASSIGN = re.compile(r"^\s*([A-Za-z_][\w]*)\s*[:?+]?=\s*(.*)$", re.M)
_MAKE_RULE = re.compile(r"^([^\s:=#][^:=#]*?)\s*:(?!=)\s*([^\n;]*)", re.M)
_MAKE_PKGCONFIG = re.compile(r"pkg-config\s+(?:--\S+\s+)*([^)`]+)")


def _detect_make(root: str) -> CProject:
    path = next(os.path.join(root, n) for n in ("GNUmakefile", "makefile", "Makefile")
                if os.path.isfile(os.path.join(root, n)))
    text = read_text(path).replace("\\\n", " ")
    variables = {m.group(1): m.group(2).strip() for m in _MAKE_ASSIGN.finditer(text)}

    def expand(s: str) -> str:
        for _ in range(5):
            s = re.sub(r"\$[({](\w+)[)}]", lambda m: variables.get(m.group(1), ""), s)
        return s

    spellings: list[tuple[str, str]] = []
    for m in re.finditer(r"(?<![\w-])-l([\w+.\-]+)", expand(text)):
        spellings.append(("link", m.group(1)))
    for m in _MAKE_PKGCONFIG.finditer(text):
        spellings += [("pkgconfig", a) for a in m.group(1).split() if not a.startswith("-")]
    # The programs: the prerequisites of `all` (or the first rule's target) that are
    # plain file names, not phony words or object files.
    exes: list[str] = []
    rules = [(expand(m.group(1)).split(), expand(m.group(2)).split()) for m in _MAKE_RULE.finditer(text)
             if not m.group(1).startswith(".")]
    phony = {"all", "clean", "install", "test", "check", "distclean", "uninstall"}
    for targets, prereqs in rules:
        if "all" in targets:
            exes = [p for p in prereqs if p not in phony and not p.endswith((".o", ".a", ".so"))]
            break
    if not exes and rules:
        exes = [t for t in rules[0][0] if t not in phony and "%" not in t and not t.endswith(".o")]
    return CProject(root=root, build_system="make", name=os.path.basename(os.path.abspath(root)),
                    executables=tuple(dict.fromkeys(exes)), cxx=_has_cxx_sources(root),
                    libraries=resolve_libraries(spellings), host_tools=("make", "pkg-config"))


def detect_c(root: str) -> CProject:
    def has(*names: str) -> bool:
        return any(os.path.isfile(os.path.join(root, n)) for n in names)

    if has("CMakeLists.txt"):
        proj = _detect_cmake(root)
    elif has("meson.build"):
        proj = _detect_meson(root)
    elif has("configure.ac", "configure.in", "configure"):
        proj = _detect_autotools(root)
    elif has("Makefile", "makefile", "GNUmakefile"):
        proj = _detect_make(root)
    else:
        raise XBuildError("no CMakeLists.txt, meson.build, configure.ac or Makefile found", path=root)
    if not proj.executables:
        raise XBuildError(f"found {proj.build_system} but no executable target in it "
                          "(add_executable / executable() / bin_PROGRAMS / `all:` rule)", path=root)
    return proj
