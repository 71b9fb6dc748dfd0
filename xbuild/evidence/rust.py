"""Rust: which ``-sys`` crates (and C-compiling crates) the build links.

Why it matters: a moved ``cargo build --target`` runs each build script on the
build machine, and the script then links the *target's* C library: pq-sys needs
``libpq-dev:<debarch>``, openssl-sys ``libssl-dev:<debarch>`` (unless vendored),
and ring / aws-lc-sys / bundled -sys crates need a C cross compiler. The package
names live in ``xbuild.debpkgs`` (one table with ``xbuild init``).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

from xbuild import debpkgs
from xbuild.buildcontext import BuildContext
from xbuild.evidence.base import line_of

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - declared as `tomli; python_version<'3.11'`
    import tomli as tomllib


@dataclass(frozen=True)
class SysCrate:
    """A crate whose build links or compiles C for the target."""

    crate: str
    dev: str | None  # Debian -dev package for the target (None: bundled, or unknown)
    bundled: bool  # builds the C library from bundled sources (no -dev needed)
    needs_cc: bool  # its build script runs the target's C compiler
    known: bool  # the crate is in xbuild's tables (False: a -sys crate xbuild cannot map)
    file: str  # Cargo.lock or the Cargo.toml that names it
    line: int | None = None
    why: str = ""


def _toml(ctx: BuildContext, rel: str) -> dict[str, Any] | None:
    text = ctx.read(rel)
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def dependency_tables(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Every dependency table of one Cargo.toml (normal, build, workspace, per target)."""
    tables = [manifest.get("dependencies"), manifest.get("build-dependencies"),
              (manifest.get("workspace") or {}).get("dependencies")]
    for target in (manifest.get("target") or {}).values():
        if isinstance(target, dict):
            tables += [target.get("dependencies"), target.get("build-dependencies")]
    return [t for t in tables if isinstance(t, dict)]


def feature_enabled(manifests: list[dict[str, Any]], crate: str, feature: str) -> bool:
    """Is ``feature`` of dependency ``crate`` turned on in any manifest's dependency tables?"""
    for data in manifests:
        for table in dependency_tables(data):
            for key, spec in table.items():
                real = spec.get("package", key) if isinstance(spec, dict) else key
                if real == crate and isinstance(spec, dict) and feature in (spec.get("features") or []):
                    return True
    return False


def _crate_names(ctx: BuildContext, manifests: dict[str, dict[str, Any]]) -> dict[str, str]:
    """crate -> the file that names it: Cargo.lock (all crates) or the manifests (direct)."""
    out: dict[str, str] = {}
    for lock in ctx.named("Cargo.lock"):
        for p in (_toml(ctx, lock) or {}).get("package", []):
            if isinstance(p, dict) and isinstance(p.get("name"), str):
                out.setdefault(p["name"], lock)
    for rel, data in manifests.items():
        for table in dependency_tables(data):
            for key, spec in table.items():
                real = spec.get("package", key) if isinstance(spec, dict) else key
                out.setdefault(real, rel)
    return out


def _relevant(name: str) -> bool:
    return name.endswith("-sys") or name in debpkgs.RUST_CC_CRATES


def rust_sys(ctx: BuildContext) -> tuple[SysCrate, ...] | None:
    """The crates in the view's Cargo.lock / Cargo.toml files that need target C parts.

    None: no Cargo.toml in the view (or a partial view with none found). A crate
    with a bundling feature on (rusqlite's ``bundled``, openssl's ``vendored``)
    needs no -dev package but still a C compiler.
    """
    manifests = {rel: d for rel in ctx.named("Cargo.toml") if (d := _toml(ctx, rel)) is not None}
    if not manifests:
        return None
    data = list(manifests.values())
    out: list[SysCrate] = []
    for name, rel in sorted(_crate_names(ctx, manifests).items()):
        if not _relevant(name):
            continue
        text = ctx.read(rel) or ""
        m = re.search(r"(?m)^\s*(?:name\s*=\s*)?\"?" + re.escape(name) + r"\"?\s*[=\n]", text)
        line = line_of(text, m.start()) if m else None
        lib = debpkgs.by_crate(name)
        bundled = any(feature_enabled(data, c, f)
                      for c, f in debpkgs.RUST_BUNDLING_FEATURES.get(name, ()))
        if name in debpkgs.RUST_SYSTEM_FEATURES:
            bundled = not any(feature_enabled(data, c, f)
                              for c, f in debpkgs.RUST_SYSTEM_FEATURES[name])
        cc_why = debpkgs.RUST_CC_CRATES.get(name, "")
        known = lib is not None or bool(cc_why)
        dev = lib.dev if lib is not None and not bundled else None
        why = cc_why or ("builds the C library from bundled sources" if bundled else
                         f"links the target's {lib.key}" if lib else
                         "a -sys crate xbuild has no Debian package for")
        out.append(SysCrate(name, dev, bundled, bundled or bool(cc_why), known, rel, line, why))
    if not out and ctx.partial:
        return None
    return tuple(out)
