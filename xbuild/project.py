"""What a project is made of: pure detection for ``xbuild init``.

Each ``detect_*`` function reads files under one directory and returns a frozen
dataclass; nothing here renders, writes or runs anything. A project that cannot
be understood raises ``XBuildError`` with the file and line at fault.
"""

from __future__ import annotations

import glob
import os
import re
import tomllib  # Python 3.11+, the floor in pyproject.toml
from dataclasses import dataclass, field
from typing import Any

from xbuild import debpkgs
from xbuild.debpkgs import CLib
from xbuild.errors import XBuildError

LANGS = ("go", "rust", "c")

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


@dataclass(frozen=True)
class GoProject:
    root: str
    module: str
    go_version: str | None  # `go` directive, e.g. "1.22" or "1.22.3"
    toolchain: str | None  # `toolchain` directive without the "go" prefix, e.g. "1.23.1"
    mains: tuple[str, ...]  # package paths relative to root: "." or "cmd/api"
    has_go_sum: bool
    cgo: bool
    cgo_files: tuple[str, ...] = ()  # where cgo was seen (relative paths), for the header comment
    libraries: Libraries = Libraries()

    lang = "go"

    @property
    def binaries(self) -> tuple[str, ...]:
        return tuple(go_binary_name(self.module, m) for m in self.mains)


@dataclass(frozen=True)
class RustPackage:
    name: str
    manifest_dir: str  # relative to root, "" for the root package
    bins: tuple[str, ...]
    target_files: tuple[str, ...]  # relative paths of lib/bin sources cargo would discover


@dataclass(frozen=True)
class RustProject:
    root: str
    packages: tuple[RustPackage, ...]
    is_workspace: bool
    rust_version: str | None  # rust-version (a minimum)
    toolchain_channel: str | None  # rust-toolchain(.toml) channel
    toolchain_file: str | None  # its file name, copied before `cargo fetch`
    has_lock: bool
    sys_crates: tuple[str, ...]  # -sys crates in Cargo.lock
    libraries: Libraries = Libraries()

    lang = "rust"

    @property
    def binaries(self) -> tuple[str, ...]:
        out: list[str] = []
        for pkg in self.packages:
            out.extend(b for b in pkg.bins if b not in out)
        return tuple(out)


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


Project = GoProject | RustProject | CProject


# --------------------------------------------------------------------------- helpers

def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError as exc:
        raise XBuildError(f"cannot read: {exc.strerror}", path=path) from None


def _rel(root: str, path: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


def _walk(root: str, suffixes: tuple[str, ...]) -> list[str]:
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


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _major_minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def _resolve(spellings: list[tuple[str, str]]) -> Libraries:
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


# --------------------------------------------------------------------------- detection entry

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


# --------------------------------------------------------------------------- Go

_GO_DIRECTIVE = re.compile(r"^\s*(module|go|toolchain)\s+(\S+)", re.M)
_GO_VERSION = re.compile(r"^1\.\d+(\.\d+)?((rc|beta)\d+)?$")
_GO_PACKAGE = re.compile(r"^\s*package\s+(\w+)", re.M)
# `import "C"` alone or inside an import ( ... ) block.
_GO_IMPORT_C = re.compile(r'^\s*import\s+"C"|^\s*import\s*\((?:[^)]*?\n)*?\s*"C"\s*$', re.M)
_CGO_DIRECTIVE = re.compile(r"^\s*(?://)?\s*#cgo\s+([^:\n]*?)\s*(LDFLAGS|pkg-config)\s*:\s*(.*)$", re.M)
_GO_REQUIRE = re.compile(r"^\s*(?:require\s+)?([\w.\-~/]+\.[\w.\-~/]+)\s+v\d", re.M)


def go_binary_name(module: str, main: str) -> str:
    """The file `go build -o dir/` writes for main package ``main`` of ``module``.

    cmd/go names it after the last import-path element, skipping a major-version
    suffix (example.com/tool/v2 -> tool).
    """
    path = module if main in (".", "") else f"{module}/{main}"
    parts = [p for p in path.split("/") if p]
    if len(parts) > 1 and re.fullmatch(r"v\d+", parts[-1]):
        parts.pop()
    return parts[-1] if parts else "app"


def _go_package_name(text: str) -> str | None:
    # skip comments and build tags before the package clause
    cleaned = re.sub(r"//[^\n]*|/\*.*?\*/", "", text, flags=re.S)
    m = _GO_PACKAGE.search(cleaned)
    return m.group(1) if m else None


def detect_go(root: str) -> GoProject:
    gomod = os.path.join(root, "go.mod")
    if not os.path.isfile(gomod):
        raise XBuildError("no go.mod: not a Go module (run `go mod init`, or pass --lang)", path=root)
    text = _read(gomod)
    module = go_version = toolchain = None
    # comments blanked to spaces, so offsets still point into the original text
    for m in _GO_DIRECTIVE.finditer(re.sub(r"//[^\n]*", lambda c: " " * len(c.group(0)), text)):
        key, value = m.group(1), m.group(2).strip('"')
        if key == "module":
            module = value
        elif key == "go":
            if not _GO_VERSION.match(value):
                raise XBuildError(f"unrecognised go version {value!r}", path=gomod,
                                  line=_line_of(text, m.start(2)))
            go_version = value
        elif key == "toolchain" and value.startswith("go"):
            toolchain = value[2:] if value != "default" else None
    if not module:
        raise XBuildError("no module directive", path=gomod, line=1)

    sources = [p for p in _walk(root, (".go",)) if not p.endswith("_test.go")]
    mains: list[str] = []
    cgo_files: list[str] = []
    spellings: list[tuple[str, str]] = []
    for path in sources:
        src = _read(path)
        rel_dir = _rel(root, os.path.dirname(path))
        parts = rel_dir.split("/")
        if _go_package_name(src) == "main" and (rel_dir == "." or (len(parts) == 2 and parts[0] == "cmd")):
            if rel_dir not in mains:
                mains.append(rel_dir)
        if _GO_IMPORT_C.search(src):
            cgo_files.append(_rel(root, path))
            for d in _CGO_DIRECTIVE.finditer(src):
                kind, args = d.group(2), d.group(3).split()
                if kind == "pkg-config":
                    spellings += [("pkgconfig", a) for a in args if not a.startswith("-")]
                else:
                    spellings += [("link", a[2:]) for a in args if a.startswith("-l") and len(a) > 2]
    # Dependencies known to need cgo (their sources are not in the project).
    for m in _GO_REQUIRE.finditer(text):
        if m.group(1) in debpkgs.GO_CGO_MODULES:
            cgo_files.append(f"go.mod: {m.group(1)}")
    if not mains:
        raise XBuildError("no main package found (looked in ./ and ./cmd/*/)", path=root)
    mains.sort(key=lambda m: (m != ".", m))
    return GoProject(root=root, module=module, go_version=go_version, toolchain=toolchain,
                     mains=tuple(mains), has_go_sum=os.path.isfile(os.path.join(root, "go.sum")),
                     cgo=bool(cgo_files), cgo_files=tuple(cgo_files), libraries=_resolve(spellings))


# --------------------------------------------------------------------------- Rust

def _load_toml(path: str) -> dict[str, Any]:
    text = _read(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python < 3.14 has the position only in the message: "... (at line 2, column 8)"
        m = re.search(r"\(at line (\d+)", str(exc))
        line = int(m.group(1)) if m else getattr(exc, "lineno", None)
        msg = str(exc).split(" (at ")[0]
        raise XBuildError(f"invalid TOML: {msg}", path=path, line=line) from None


def _rust_package(root: str, manifest_dir: str, data: dict[str, Any], path: str) -> RustPackage | None:
    pkg = data.get("package")
    if pkg is None:
        return None
    name = pkg.get("name")
    if not isinstance(name, str):
        raise XBuildError("[package] has no name", path=path)
    base = os.path.join(root, manifest_dir)
    bins: list[str] = []
    files: list[str] = []

    def add_file(rel: str) -> None:
        full = os.path.join(manifest_dir, rel) if manifest_dir else rel
        if full not in files:
            files.append(full.replace(os.sep, "/"))

    autobins = pkg.get("autobins", True)
    for b in data.get("bin", []) or []:
        bname = b.get("name")
        if isinstance(bname, str):
            bins.append(bname)
            add_file(b.get("path") or (f"src/bin/{bname}.rs" if bname != name else "src/main.rs"))
    if autobins:
        # cargo skips auto-discovery of a file an explicit [[bin]] already builds
        if (os.path.isfile(os.path.join(base, "src/main.rs")) and name not in bins
                and os.path.join(manifest_dir, "src/main.rs").lstrip("/") not in files):
            bins.append(name)
            add_file("src/main.rs")
        for f in sorted(glob.glob(os.path.join(base, "src/bin/*.rs"))):
            stem = os.path.basename(f)[:-3]
            if stem not in bins:
                bins.append(stem)
                add_file(f"src/bin/{stem}.rs")
        for f in sorted(glob.glob(os.path.join(base, "src/bin/*/main.rs"))):
            stem = os.path.basename(os.path.dirname(f))
            if stem not in bins:
                bins.append(stem)
                add_file(f"src/bin/{stem}/main.rs")
    lib = data.get("lib")
    if isinstance(lib, dict) and lib.get("path"):
        add_file(lib["path"])
    elif os.path.isfile(os.path.join(base, "src/lib.rs")):
        add_file("src/lib.rs")
    return RustPackage(name=name, manifest_dir=manifest_dir, bins=tuple(bins), target_files=tuple(files))


def _feature_enabled(manifests: list[dict[str, Any]], crate: str, feature: str) -> bool:
    """Is ``feature`` of dependency ``crate`` turned on in any manifest's dependency tables?"""
    for data in manifests:
        tables = [data.get("dependencies"), data.get("build-dependencies"),
                  (data.get("workspace") or {}).get("dependencies")]
        for target in (data.get("target") or {}).values():
            if isinstance(target, dict):
                tables.append(target.get("dependencies"))
        for table in tables:
            if not isinstance(table, dict):
                continue
            for key, spec in table.items():
                real = spec.get("package", key) if isinstance(spec, dict) else key
                if real == crate and isinstance(spec, dict) and feature in (spec.get("features") or []):
                    return True
    return False


def _rust_toolchain(root: str) -> tuple[str | None, str | None]:
    for name in ("rust-toolchain.toml", "rust-toolchain"):
        path = os.path.join(root, name)
        if not os.path.isfile(path):
            continue
        text = _read(path).strip()
        if name.endswith(".toml") or text.startswith("["):
            channel = (_load_toml(path).get("toolchain") or {}).get("channel")
            return (channel if isinstance(channel, str) else None), name
        return (text.splitlines()[0].strip() if text else None), name
    return None, None


def detect_rust(root: str) -> RustProject:
    top = os.path.join(root, "Cargo.toml")
    if not os.path.isfile(top):
        raise XBuildError("no Cargo.toml: not a Rust package (pass --lang)", path=root)
    data = _load_toml(top)
    manifests = [data]
    packages: list[RustPackage] = []
    root_pkg = _rust_package(root, "", data, top)
    if root_pkg:
        packages.append(root_pkg)
    ws = data.get("workspace")
    if isinstance(ws, dict):
        excluded = {os.path.normpath(e) for e in ws.get("exclude", [])}
        for pattern in ws.get("members", []):
            for d in sorted(glob.glob(os.path.join(root, pattern))):
                rel = _rel(root, d)
                if os.path.normpath(rel) in excluded or rel == ".":
                    continue
                mpath = os.path.join(d, "Cargo.toml")
                if not os.path.isfile(mpath):
                    continue
                mdata = _load_toml(mpath)
                manifests.append(mdata)
                pkg = _rust_package(root, rel, mdata, mpath)
                if pkg:
                    packages.append(pkg)
    if not packages:
        raise XBuildError("no [package] and no workspace members", path=top)

    def rust_version_of(d: dict[str, Any]) -> str | None:
        v = (d.get("package") or {}).get("rust-version")
        return v if isinstance(v, str) else None

    rust_version = rust_version_of(data) or ((ws or {}).get("package") or {}).get("rust-version")
    if rust_version is None:
        versions = [v for v in map(rust_version_of, manifests) if v]
        rust_version = max(versions, key=_version_key) if versions else None

    lock = os.path.join(root, "Cargo.lock")
    sys_crates: list[str] = []
    if os.path.isfile(lock):
        for p in _load_toml(lock).get("package", []):
            name = p.get("name", "")
            if name.endswith("-sys") and name not in sys_crates:
                sys_crates.append(name)
    found: list[CLib] = []
    unknown: list[str] = []
    for crate in sorted(sys_crates):
        if any(_feature_enabled(manifests, c, f) for c, f in debpkgs.RUST_BUNDLING_FEATURES.get(crate, ())):
            continue  # builds the library from bundled sources
        lib = debpkgs.by_crate(crate)
        if lib is not None and lib not in found:
            found.append(lib)
    channel, tfile = _rust_toolchain(root)
    return RustProject(root=root, packages=tuple(packages), is_workspace=isinstance(ws, dict),
                       rust_version=rust_version, toolchain_channel=channel, toolchain_file=tfile,
                       has_lock=os.path.isfile(lock), sys_crates=tuple(sorted(sys_crates)),
                       libraries=Libraries(tuple(found), tuple(unknown)))


def _version_key(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


# --------------------------------------------------------------------------- C / C++

_CMAKE_CMD = re.compile(r"^\s*(project|add_executable|find_package|pkg_check_modules|pkg_search_module"
                        r"|target_link_libraries)\s*\(([^)]*)\)", re.M | re.I)
_PKG_KEYWORDS = {"REQUIRED", "QUIET", "IMPORTED_TARGET", "GLOBAL", "NO_CMAKE_PATH",
                 "NO_CMAKE_ENVIRONMENT_PATH"}
_MESON_CALL = re.compile(r"\b(project|executable|dependency)\s*\(\s*'([^']+)'(.*?)\)", re.S)
_CXX_SOURCES = (".cpp", ".cc", ".cxx", ".C", ".c++")


def _has_cxx_sources(root: str) -> bool:
    return bool(_walk(root, _CXX_SOURCES))


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
    files = [p for p in _walk(root, ("CMakeLists.txt",))]
    for path in files:
        text = re.sub(r"#[^\n]*", "", _read(path))
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
                    cxx=cxx, libraries=_resolve(spellings), host_tools=("cmake", "make", "pkg-config"))


def _detect_meson(root: str) -> CProject:
    name = os.path.basename(os.path.abspath(root))
    exes: list[str] = []
    spellings: list[tuple[str, str]] = []
    cxx = False
    for path in _walk(root, ("meson.build",)):
        text = re.sub(r"#[^\n]*", "", _read(path))
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
                    cxx=cxx or _has_cxx_sources(root), libraries=_resolve(spellings),
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
            text = _read(path)
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
    for path in _walk(root, ("Makefile.am",)):
        for m in _BIN_PROGRAMS.finditer(_read(path)):
            exes += [w for w in m.group(1).replace("\\\n", " ").split() if "$" not in w]
    return CProject(root=root, build_system="autotools", name=name, executables=tuple(dict.fromkeys(exes)),
                    cxx=_has_cxx_sources(root), libraries=_resolve(spellings),
                    has_configure=os.path.isfile(os.path.join(root, "configure")),
                    host_tools=("autoconf", "automake", "libtool", "make", "pkg-config"))


_MAKE_ASSIGN = re.compile(r"^\s*([A-Za-z_][\w]*)\s*[:?+]?=\s*(.*)$", re.M)
_MAKE_RULE = re.compile(r"^([^\s:=#][^:=#]*?)\s*:(?!=)\s*([^\n;]*)", re.M)
_MAKE_PKGCONFIG = re.compile(r"pkg-config\s+(?:--\S+\s+)*([^)`]+)")


def _detect_make(root: str) -> CProject:
    path = next(os.path.join(root, n) for n in ("GNUmakefile", "makefile", "Makefile")
                if os.path.isfile(os.path.join(root, n)))
    text = _read(path).replace("\\\n", " ")
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
                    libraries=_resolve(spellings), host_tools=("make", "pkg-config"))


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
