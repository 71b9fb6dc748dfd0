"""Go: does the module need cgo?

Why it matters: Go turns cgo on natively and off when cross-compiling, so a
moved build with ``CGO_ENABLED`` unset silently compiles cgo packages to their
stubs (go-sqlite3 then fails at run time). Evidence of cgo means "keep cgo and
give it a cross C compiler, or refuse"; never force ``CGO_ENABLED=0``.
"""

from __future__ import annotations

import re

from xbuild.buildcontext import BuildContext
from xbuild.debpkgs import GO_CGO_MODULES, GO_CGO_PACKAGES
from xbuild.evidence.base import Evidence, line_of

# `import "C"` alone or inside an import ( ... ) block.
GO_IMPORT_C = re.compile(r'^\s*import\s+"C"|^\s*import\s*\((?:[^)]*?\n)*?\s*"C"\s*$', re.M)
# A module path on a require line (or inside a require block), with its version.
GO_REQUIRE = re.compile(r"^\s*(?:require\s+)?([\w.\-~/]+\.[\w.\-~/]+)\s+v\d", re.M)
# Folders whose .go files are not the module's own build (tests data, vendored copies).
_NOT_BUILT = ("vendor", "testdata")


def cgo_module(path: str) -> str | None:
    """The cgo-only module ``path`` is (or a major version of), else None."""
    for m in GO_CGO_MODULES:
        if path == m or re.fullmatch(re.escape(m) + r"/v\d+", path):
            return m
    return None


def _module_evidence(ctx: BuildContext, gomod: str) -> Evidence | None:
    text = ctx.read(gomod) or ""
    blank = re.sub(r"//[^\n]*", lambda c: " " * len(c.group(0)), text)
    for m in GO_REQUIRE.finditer(blank):
        mod = cgo_module(m.group(1))
        if mod is not None:
            return Evidence(f"requires {m.group(1)} (cgo only)", gomod, line_of(text, m.start(1)))
    return None


def _source_evidence(ctx: BuildContext, path: str) -> Evidence | None:
    src = ctx.read(path)
    if src is None:
        return None
    m = GO_IMPORT_C.search(src)
    if m:
        return Evidence('import "C"', path, line_of(src, m.end()))
    for pkg in GO_CGO_PACKAGES:
        i = src.find(f'"{pkg}"')
        if i >= 0:
            return Evidence(f"imports {pkg} (cgo only)", path, line_of(src, i))
    return None


def go_cgo(ctx: BuildContext) -> tuple[Evidence, ...] | None:
    """Where the Go code in the view needs cgo.

    None: no go.mod in the view, or nothing found in a partial view (cannot
    tell). ``()``: a Go module with no cgo anywhere. Otherwise the first proof
    per go.mod and the first source file with ``import "C"`` (or a cgo-only
    package import), ``_test.go`` files and ``vendor/``/``testdata/`` excluded.
    """
    mods = ctx.named("go.mod")
    if not mods:
        return None
    found: list[Evidence] = []
    for gomod in mods:
        ev = _module_evidence(ctx, gomod)
        if ev is not None:
            found.append(ev)
    for path in ctx.with_suffix(".go"):
        if path.endswith("_test.go") or any(p in _NOT_BUILT for p in path.split("/")[:-1]):
            continue
        ev = _source_evidence(ctx, path)
        if ev is not None:
            found.append(ev)
            break
    if not found and ctx.partial:
        return None
    return tuple(found)
