"""``xbuild init`` for Rust: packages and binaries, workspace, toolchain, -sys crates."""

from __future__ import annotations

import glob
import os
import re
import sys
from dataclasses import dataclass
from typing import Any

from xbuild import debpkgs
from xbuild.debpkgs import CLib
from xbuild.errors import XBuildError
from xbuild.evidence.rust import feature_enabled
from xbuild.project.common import Libraries, read_text, relpath

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - declared as `tomli; python_version<'3.11'`
    import tomli as tomllib


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


def _load_toml(path: str) -> dict[str, Any]:
    text = read_text(path)
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


def _rust_toolchain(root: str) -> tuple[str | None, str | None]:
    for name in ("rust-toolchain.toml", "rust-toolchain"):
        path = os.path.join(root, name)
        if not os.path.isfile(path):
            continue
        text = read_text(path).strip()
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
                rel = relpath(root, d)
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
        if any(feature_enabled(manifests, c, f) for c, f in debpkgs.RUST_BUNDLING_FEATURES.get(crate, ())):
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
