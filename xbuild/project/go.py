"""``xbuild init`` for Go: module, versions, main packages, cgo and its C libraries."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from xbuild.errors import XBuildError
from xbuild.evidence.go import GO_IMPORT_C as _GO_IMPORT_C
from xbuild.evidence.go import GO_REQUIRE as _GO_REQUIRE
from xbuild.evidence.go import cgo_module
from xbuild.project.common import Libraries, line_of, read_text, relpath, resolve_libraries, walk

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


_GO_DIRECTIVE = re.compile(r"^\s*(module|go|toolchain)\s+(\S+)", re.M)
_GO_VERSION = re.compile(r"^1\.\d+(\.\d+)?((rc|beta)\d+)?$")
_GO_PACKAGE = re.compile(r"^\s*package\s+(\w+)", re.M)
_CGO_DIRECTIVE = re.compile(r"^\s*(?://)?\s*#cgo\s+([^:\n]*?)\s*(LDFLAGS|pkg-config)\s*:\s*(.*)$", re.M)


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
    text = read_text(gomod)
    module = go_version = toolchain = None
    # comments blanked to spaces, so offsets still point into the original text
    for m in _GO_DIRECTIVE.finditer(re.sub(r"//[^\n]*", lambda c: " " * len(c.group(0)), text)):
        key, value = m.group(1), m.group(2).strip('"')
        if key == "module":
            module = value
        elif key == "go":
            if not _GO_VERSION.match(value):
                raise XBuildError(f"unrecognised go version {value!r}", path=gomod,
                                  line=line_of(text, m.start(2)))
            go_version = value
        elif key == "toolchain" and value.startswith("go"):
            toolchain = value[2:] if value != "default" else None
    if not module:
        raise XBuildError("no module directive", path=gomod, line=1)

    sources = [p for p in walk(root, (".go",)) if not p.endswith("_test.go")]
    mains: list[str] = []
    cgo_files: list[str] = []
    spellings: list[tuple[str, str]] = []
    for path in sources:
        src = read_text(path)
        rel_dir = relpath(root, os.path.dirname(path))
        parts = rel_dir.split("/")
        if _go_package_name(src) == "main" and (rel_dir == "." or (len(parts) == 2 and parts[0] == "cmd")):
            if rel_dir not in mains:
                mains.append(rel_dir)
        if _GO_IMPORT_C.search(src):
            cgo_files.append(relpath(root, path))
            for d in _CGO_DIRECTIVE.finditer(src):
                kind, args = d.group(2), d.group(3).split()
                if kind == "pkg-config":
                    spellings += [("pkgconfig", a) for a in args if not a.startswith("-")]
                else:
                    spellings += [("link", a[2:]) for a in args if a.startswith("-l") and len(a) > 2]
    # Dependencies known to need cgo (their sources are not in the project).
    for m in _GO_REQUIRE.finditer(text):
        if cgo_module(m.group(1)) is not None:
            cgo_files.append(f"go.mod: {m.group(1)}")
    if not mains:
        raise XBuildError("no main package found (looked in ./ and ./cmd/*/)", path=root)
    mains.sort(key=lambda m: (m != ".", m))
    return GoProject(root=root, module=module, go_version=go_version, toolchain=toolchain,
                     mains=tuple(mains), has_go_sum=os.path.isfile(os.path.join(root, "go.sum")),
                     cgo=bool(cgo_files), cgo_files=tuple(cgo_files), libraries=resolve_libraries(spellings))
