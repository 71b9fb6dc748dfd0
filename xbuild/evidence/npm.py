"""Node: native addons and platform-specific binary packages.

Why it matters: ``npm ci`` on $BUILDPLATFORM installs the *build machine's*
binaries. A stage whose ``node_modules`` (or a bundle holding them) ships must
stay on the target platform when any of these is present; a stage that only
emits JS/CSS assets may still move, because those binaries then only run at
build time (the ``kind`` field tells which case each package is).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from xbuild.buildcontext import BuildContext
from xbuild.evidence.base import line_of

# kind "compiles": builds C/C++ at install time (node-gyp) or fetches a prebuilt
# addon for the installing machine; "binary": a per-platform binary package
# chosen at install time (optionalDependencies by os/cpu); "engine": downloads a
# per-platform engine at install or generate time.
NATIVE_PACKAGES: dict[str, str] = {
    "node-gyp": "compiles", "prebuild-install": "compiles", "node-pre-gyp": "compiles",
    "@mapbox/node-pre-gyp": "compiles", "node-gyp-build": "compiles", "nan": "compiles",
    "node-addon-api": "compiles", "bcrypt": "compiles", "argon2": "compiles",
    "better-sqlite3": "compiles", "sqlite3": "compiles", "canvas": "compiles",
    "node-sass": "compiles", "re2": "compiles", "cpu-features": "compiles",
    "bufferutil": "compiles", "utf-8-validate": "compiles", "sharp": "binary",
    "esbuild": "binary", "@swc/core": "binary", "lightningcss": "binary",
    "@parcel/watcher": "binary", "@tailwindcss/oxide": "binary", "rollup": "binary",
    "@biomejs/biome": "binary", "turbo": "binary", "@rspack/core": "binary",
    "prisma": "engine", "@prisma/client": "engine", "@prisma/engines": "engine",
}
_MANIFEST_FIELDS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")
_LOCKFILES = ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock")


@dataclass(frozen=True)
class NpmNative:
    package: str  # the npm package, or "binding.gyp"
    kind: str  # compiles | binary | engine
    file: str  # the file that shows it
    line: int | None = None


def _lock_pattern(name: str) -> re.Pattern[str]:
    # package-lock: "node_modules/<name>"; yarn: <name>@ or "<name>@; pnpm: /<name>@ or <name>@
    n = re.escape(name)
    return re.compile(r'(?m)(?:node_modules/|^\s*-?\s*["\']?/?)' + n + r'(?:"\s*:|@)')


def _from_manifest(ctx: BuildContext, rel: str) -> list[NpmNative]:
    text = ctx.read(rel)
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return []
    out: list[NpmNative] = []
    for fld in _MANIFEST_FIELDS:
        deps = data.get(fld) if isinstance(data, dict) else None
        for name in deps if isinstance(deps, dict) else ():
            if name in NATIVE_PACKAGES:
                i = (text or "").find(f'"{name}"')
                out.append(NpmNative(name, NATIVE_PACKAGES[name], rel,
                                     line_of(text or "", i) if i >= 0 else None))
    scripts = data.get("scripts") if isinstance(data, dict) else None
    if isinstance(scripts, dict) and any("node-gyp" in str(v) for v in scripts.values()):
        out.append(NpmNative("node-gyp", "compiles", rel))
    return out


def npm_native(ctx: BuildContext) -> tuple[NpmNative, ...] | None:
    """Native addons in the view: ``binding.gyp`` files, and known native packages in
    any package.json or lockfile (lockfiles show transitive ones). One entry per
    package, from the first file that shows it. None: no package.json in the view
    (or a partial view with nothing found)."""
    manifests = ctx.named("package.json")
    if not manifests:
        return None
    found: dict[str, NpmNative] = {}
    for rel in ctx.named("binding.gyp"):
        found.setdefault("binding.gyp@" + rel, NpmNative("binding.gyp", "compiles", rel))
    for rel in manifests:
        for ev in _from_manifest(ctx, rel):
            found.setdefault(ev.package, ev)
    for rel in ctx.named(*_LOCKFILES):
        text = ctx.read(rel) or ""
        for name, kind in NATIVE_PACKAGES.items():
            if name in found:
                continue
            m = _lock_pattern(name).search(text)
            if m:
                found[name] = NpmNative(name, kind, rel, line_of(text, m.start()))
    if not found and ctx.partial:
        return None
    return tuple(found.values())
