"""``xbuild verify``: does a multi-platform image hold what it claims, per platform?

For each requested platform: the index has an entry for it; every executable
ELF file in that image's merged filesystem has the platform's e_machine, class
and byte order (from ``platforms.PLATFORMS``); 32-bit ARM binaries carry an
architecture version the platform's CPU can run (Tag_CPU_arch); and a dynamic
binary's loader (PT_INTERP) exists in the same filesystem, so a glibc binary
copied into an Alpine or scratch image is caught before anyone runs it.

Layers are applied in order with OCI whiteouts (``.wh.<name>`` deletes,
``.wh..wh..opq`` hides what lower layers put in a directory); symlinks are
followed inside the image's root, never on the host.
"""

from __future__ import annotations

import fnmatch
import io
import posixpath
import tarfile
from dataclasses import dataclass, field
from typing import Any

from xbuild import elf
from xbuild.errors import EXIT_INPUT, XBuildError
from xbuild.platforms import Platform, lookup
from xbuild.registry import INDEX_TYPES, Source

ATTESTATION = "attestation-manifest"  # vnd.docker.reference.type of buildx provenance entries
WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"
# Tag_CPU_arch values each ARM platform's CPUs run: a v6 CPU (Raspberry Pi 1/Zero)
# runs v4..v6K code; a v7 CPU also runs v7. M-profile and v8 AArch32 code is wrong for both.
ARM_ACCEPTS = {6: frozenset(range(1, 10)), 10: frozenset(range(1, 11))}
MAX_ELF = 1024 * 1024 * 1024


@dataclass
class Node:
    kind: str  # file | dir | symlink | other
    link: str = ""
    mode: int = 0
    info: elf.ELFInfo | None = None  # ELF files only
    error: str | None = None  # a file with the ELF magic that does not parse


@dataclass
class PlatformReport:
    platform: str
    digest: str = ""
    checked: int = 0  # ELF executables examined
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _norm(name: str) -> str:
    """A tar member name as an absolute path in the image ("./usr/" -> "/usr")."""
    path = posixpath.normpath("/" + name)
    return "/" + path.lstrip("/")


def merge_layers(layers: list[bytes]) -> dict[str, Node]:
    """The filesystem the layers produce, path -> Node (ELF files parsed)."""
    fs: dict[str, Node] = {"/": Node("dir")}
    for blob in layers:
        try:
            tar = tarfile.open(fileobj=io.BytesIO(blob), mode="r:*")
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise XBuildError(f"layer is not a (compressed) tar archive: {exc}", exit_code=EXIT_INPUT) \
                from None
        with tar:
            members = tar.getmembers()
            # Whiteouts apply to lower layers only: handle them before this layer's files.
            for m in members:
                path = _norm(m.name)
                base = posixpath.basename(path)
                parent = posixpath.dirname(path)
                if base == OPAQUE:
                    prefix = parent.rstrip("/") + "/"
                    for p in [p for p in fs if p.startswith(prefix)]:
                        del fs[p]
                elif base.startswith(WHITEOUT):
                    gone = posixpath.join(parent, base[len(WHITEOUT):])
                    for p in [p for p in fs if p == gone or p.startswith(gone + "/")]:
                        del fs[p]
            for m in members:
                path = _norm(m.name)
                if posixpath.basename(path).startswith(WHITEOUT):
                    continue
                if m.isdir():
                    old = fs.get(path)
                    if old is None or old.kind != "dir":
                        for p in [p for p in fs if p.startswith(path + "/")]:
                            del fs[p]
                    fs[path] = Node("dir", mode=m.mode)
                elif m.issym():
                    _replace(fs, path, Node("symlink", link=m.linkname, mode=m.mode))
                elif m.islnk():
                    target = fs.get(_norm(m.linkname))
                    node = Node("file", mode=m.mode) if target is None else \
                        Node(target.kind, target.link, m.mode, target.info, target.error)
                    _replace(fs, path, node)
                elif m.isreg():
                    node = Node("file", mode=m.mode)
                    if m.mode & 0o111 and m.size >= 16:
                        fh = tar.extractfile(m)
                        head = fh.read(4) if fh else b""
                        if elf.is_elf(head) and m.size <= MAX_ELF:
                            data = head + (fh.read() if fh else b"")
                            try:
                                node.info = elf.parse(data)
                            except elf.ELFError as exc:
                                node.error = str(exc)
                    _replace(fs, path, node)
                else:
                    _replace(fs, path, Node("other", mode=m.mode))
    return fs


def _replace(fs: dict[str, Node], path: str, node: Node) -> None:
    old = fs.get(path)
    if old is not None and old.kind == "dir":
        for p in [p for p in fs if p.startswith(path + "/")]:
            del fs[p]
    fs[path] = node


def resolve(fs: dict[str, Node], path: str, limit: int = 40) -> str | None:
    """Follow symlinks inside the image root; the final path, or None if it does not exist."""
    parts = [p for p in _norm(path).split("/") if p]
    current = "/"
    hops = 0
    while parts:
        name = parts.pop(0)
        if name == "..":
            current = posixpath.dirname(current) or "/"
            continue
        if name == ".":
            continue
        candidate = posixpath.join(current, name)
        node = fs.get(candidate)
        if node is None:
            return None
        if node.kind == "symlink":
            hops += 1
            if hops > limit:
                return None
            # absolute targets are relative to the image root, not the host's
            parts = [p for p in node.link.split("/") if p] + parts
            if node.link.startswith("/"):
                current = "/"
            continue
        current = candidate
    return current if current in fs else None


def _matches(platform: Platform, entry_platform: dict[str, Any]) -> bool:
    name = "/".join(x for x in (entry_platform.get("os", ""), entry_platform.get("architecture", ""),
                                entry_platform.get("variant", "")) if x)
    try:
        return lookup(name) is platform
    except KeyError:
        return False


def check_filesystem(fs: dict[str, Node], platform: Platform, report: PlatformReport,
                     exclude: tuple[str, ...] = ()) -> None:
    want_class = platform.elf_class
    for path in sorted(fs):
        node = fs[path]
        if node.kind != "file" or (node.info is None and node.error is None):
            continue
        if any(fnmatch.fnmatchcase(path, pat) for pat in exclude):
            continue
        if node.error is not None:
            report.problems.append(f"{path}: malformed ELF: {node.error}")
            continue
        info = node.info
        assert info is not None
        report.checked += 1
        wrong = []
        if info.machine != platform.elf_machine:
            wrong.append(f"machine {info.machine_name}, expected "
                         f"{elf.MACHINE_NAMES.get(platform.elf_machine, platform.elf_machine)}")
        if info.elf_class != want_class:
            wrong.append(f"ELF{info.elf_class}, expected ELF{want_class}")
        if info.big_endian != platform.big_endian:
            wrong.append("big-endian, expected little-endian" if info.big_endian
                         else "little-endian, expected big-endian")
        if wrong:
            report.problems.append(f"{path}: " + "; ".join(wrong))
            continue
        if platform.arm_cpu_arch is not None:
            accepted = ARM_ACCEPTS.get(platform.arm_cpu_arch, frozenset())
            if info.arm_cpu_arch is None:
                report.notes.append(f"{path}: no ARM build attributes; architecture version not checked")
            elif info.arm_cpu_arch not in accepted:
                got = elf.CPU_ARCH_NAMES.get(info.arm_cpu_arch, str(info.arm_cpu_arch))
                report.problems.append(f"{path}: ARM architecture {got} (Tag_CPU_arch {info.arm_cpu_arch})"
                                       f" does not run on {platform.name}")
        if info.interpreter is not None and resolve(fs, info.interpreter) is None:
            report.problems.append(f"{path}: dynamic loader {info.interpreter} is not in the image "
                                   "(built against another libc, or the runtime image lacks it)")


def verify(source: Source, platforms: tuple[str, ...], exclude: tuple[str, ...] = ()) -> list[PlatformReport]:
    media_type, top = source.top()
    entries: list[dict[str, Any]] = []
    if media_type in INDEX_TYPES:
        for entry in top.get("manifests") or []:
            annotations = entry.get("annotations") or {}
            if annotations.get("vnd.docker.reference.type") == ATTESTATION:
                continue
            entries.append(entry)
        # an OCI layout whose index.json points at one nested index (buildx type=oci output)
        if len(entries) == 1 and entries[0].get("mediaType") in INDEX_TYPES:
            _mt, top = source.manifest(entries[0]["digest"])
            entries = [e for e in top.get("manifests") or []
                       if (e.get("annotations") or {}).get("vnd.docker.reference.type") != ATTESTATION]
    else:  # a single-platform manifest: its platform is in the config blob
        config = _config(source, top)
        entries = [{"digest": None, "platform": {k: config.get(k, "") for k in ("os", "architecture", "variant")},
                    "_manifest": top}]

    reports = []
    for name in platforms:
        platform = lookup(name)
        report = PlatformReport(platform=name)
        reports.append(report)
        match = [e for e in entries if _matches(platform, e.get("platform") or {})]
        if not match:
            present = sorted("/".join(x for x in ((e.get("platform") or {}).get("os", "?"),
                                                   (e.get("platform") or {}).get("architecture", "?"),
                                                   (e.get("platform") or {}).get("variant", "")) if x)
                             for e in entries)
            report.problems.append(f"no image for {name} in the index (it has: {', '.join(present) or 'nothing'})")
            continue
        entry = match[0]
        report.digest = entry.get("digest") or ""
        manifest = entry.get("_manifest")
        if manifest is None:
            _mt, manifest = source.manifest(entry["digest"])
        config = _config(source, manifest)
        cfg_name = "/".join(x for x in (config.get("os", ""), config.get("architecture", ""),
                                        config.get("variant", "")) if x)
        if not _matches(platform, {"os": config.get("os", ""), "architecture": config.get("architecture", ""),
                                   "variant": config.get("variant", "")}):
            report.problems.append(f"image config says {cfg_name or 'no platform'}, the index says {name}")
        layers = [source.blob(layer["digest"]) for layer in manifest.get("layers") or []]
        fs = merge_layers(layers)
        check_filesystem(fs, platform, report, exclude)
    return reports


def _config(source: Source, manifest: dict[str, Any]) -> dict[str, Any]:
    desc = manifest.get("config") or {}
    if "digest" not in desc:
        raise XBuildError("manifest has no config", path=source.name, exit_code=EXIT_INPUT)
    import json

    try:
        doc = json.loads(source.blob(desc["digest"]))
    except ValueError:
        raise XBuildError("image config is not JSON", path=source.name, exit_code=EXIT_INPUT) from None
    return doc if isinstance(doc, dict) else {}
