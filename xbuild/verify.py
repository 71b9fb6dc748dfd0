"""``xbuild verify``: does a multi-platform image hold what it claims, per platform?

For each requested platform: the index has an entry for it; every ELF file in
that image's merged filesystem (executables and shared objects alike, with or
without an exec bit) has the platform's e_machine, class and byte order (from
``platforms.PLATFORMS``); 32-bit ARM files carry an architecture version the
platform's CPU can run (Tag_CPU_arch); and a dynamic binary's loader (PT_INTERP)
exists in the same filesystem, so a glibc binary copied into an Alpine or scratch
image is caught before anyone runs it. Layers are streamed (``xbuild.layers``).
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass, field
from typing import Any

from xbuild import elf
from xbuild.errors import EXIT_INPUT, XBuildError
from xbuild.layers import Node, apply_layer, merge_layers, read_layer, resolve
from xbuild.platforms import Platform, lookup
from xbuild.registry import INDEX_TYPES, Source

__all__ = ["merge_layers", "resolve", "verify", "check_filesystem", "wrong_arch", "image_entries",
           "platform_filesystem", "PlatformReport"]

ATTESTATION = "attestation-manifest"  # vnd.docker.reference.type of buildx provenance entries
# Tag_CPU_arch values each ARM platform's CPUs run: a v6 CPU (Raspberry Pi 1/Zero)
# runs v4..v6K code; a v7 CPU also runs v7. M-profile and v8 AArch32 code is wrong for both.
ARM_ACCEPTS = {6: frozenset(range(1, 10)), 10: frozenset(range(1, 11))}


@dataclass
class PlatformReport:
    platform: str
    digest: str = ""
    checked: int = 0  # ELF files examined
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _matches(platform: Platform, entry_platform: dict[str, Any]) -> bool:
    try:
        return lookup(_name(entry_platform)) is platform
    except KeyError:
        return False


def wrong_arch(info: elf.ELFInfo, platform: Platform) -> str | None:
    """Why an ELF file cannot run on ``platform`` (machine, class, byte order, ARM version), or None."""
    wrong = []
    if info.machine != platform.elf_machine:
        wrong.append(f"machine {info.machine_name}, expected "
                     f"{elf.MACHINE_NAMES.get(platform.elf_machine, platform.elf_machine)}")
    if info.elf_class != platform.elf_class:
        wrong.append(f"ELF{info.elf_class}, expected ELF{platform.elf_class}")
    if info.big_endian != platform.big_endian:
        wrong.append("big-endian, expected little-endian" if info.big_endian
                     else "little-endian, expected big-endian")
    if wrong:
        return "; ".join(wrong)
    if platform.arm_cpu_arch is not None and info.arm_cpu_arch is not None \
            and info.arm_cpu_arch not in ARM_ACCEPTS.get(platform.arm_cpu_arch, frozenset()):
        got = elf.CPU_ARCH_NAMES.get(info.arm_cpu_arch, str(info.arm_cpu_arch))
        return f"ARM architecture {got} (Tag_CPU_arch {info.arm_cpu_arch}) does not run on {platform.name}"
    return None


def excluded(path: str, exclude: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(path, pat) for pat in exclude)


def check_filesystem(fs: dict[str, Node], platform: Platform, report: PlatformReport,
                     exclude: tuple[str, ...] = ()) -> None:
    for path in sorted(fs):
        node = fs[path]
        if not node.is_elf or excluded(path, exclude):
            continue
        report.checked += 1
        if node.error is not None:
            report.problems.append(f"{path}: malformed ELF: {node.error}")
            continue
        info = node.info
        assert info is not None
        why = wrong_arch(info, platform)
        if why:
            report.problems.append(f"{path}: {why}")
            continue
        if platform.arm_cpu_arch is not None and info.arm_cpu_arch is None:
            report.notes.append(f"{path}: no ARM build attributes; architecture version not checked")
        if info.interpreter is not None and resolve(fs, info.interpreter) is None:
            report.problems.append(f"{path}: dynamic loader {info.interpreter} is not in the image "
                                   "(built against another libc, or the runtime image lacks it)")


def image_entries(source: Source) -> list[dict[str, Any]]:
    """The platform entries of an image (attestations skipped; a single manifest as one entry)."""
    media_type, top = source.top()
    if media_type not in INDEX_TYPES:  # a single-platform manifest: its platform is in the config blob
        config = _config(source, top)
        return [{"digest": None, "platform": {k: config.get(k, "") for k in ("os", "architecture", "variant")},
                 "_manifest": top}]

    def platforms_of(index: dict[str, Any]) -> list[dict[str, Any]]:
        return [e for e in index.get("manifests") or []
                if (e.get("annotations") or {}).get("vnd.docker.reference.type") != ATTESTATION]

    entries = platforms_of(top)
    # an OCI layout whose index.json points at one nested index (buildx type=oci output)
    if len(entries) == 1 and entries[0].get("mediaType") in INDEX_TYPES:
        entries = platforms_of(source.manifest(entries[0]["digest"])[1])
    return entries


def _name(p: dict[str, Any]) -> str:
    return "/".join(x for x in (p.get("os", ""), p.get("architecture", ""), p.get("variant", "")) if x)


def platform_filesystem(source: Source, entries: list[dict[str, Any]], name: str, report: PlatformReport,
                        cache: dict[str, Any] | None = None) -> dict[str, Node] | None:
    """The merged filesystem of ``name``'s image, or None (a problem in ``report``).

    ``cache`` (layer digest -> operations) lets several images that share layers read them once.
    """
    platform = lookup(name)
    match = [e for e in entries if _matches(platform, e.get("platform") or {})]
    if not match:
        present = sorted(_name({"os": "?", "architecture": "?", **(e.get("platform") or {})}) for e in entries)
        report.problems.append(f"no image for {name} in the index (it has: {', '.join(present) or 'nothing'})")
        return None
    entry = match[0]
    report.digest = entry.get("digest") or ""
    manifest = entry.get("_manifest")
    if manifest is None:
        _mt, manifest = source.manifest(entry["digest"])
    config = _config(source, manifest)
    cfg = {k: config.get(k, "") for k in ("os", "architecture", "variant")}
    if not _matches(platform, cfg):
        report.problems.append(f"image config says {_name(cfg) or 'no platform'}, the index says {name}")
    fs: dict[str, Node] = {"/": Node("dir")}
    for layer in manifest.get("layers") or []:
        digest = layer["digest"]
        ops = cache.get(digest) if cache is not None else None
        if ops is None:
            with source.open_blob(digest) as blob:
                ops = read_layer(blob)  # type: ignore[arg-type]  # a file object of bytes
            if cache is not None:
                cache[digest] = ops
        apply_layer(fs, ops)
    return fs


def verify(source: Source, platforms: tuple[str, ...], exclude: tuple[str, ...] = ()) -> list[PlatformReport]:
    entries = image_entries(source)
    reports = []
    for name in platforms:
        report = PlatformReport(platform=name)
        reports.append(report)
        fs = platform_filesystem(source, entries, name, report)
        if fs is not None:
            check_filesystem(fs, lookup(name), report, exclude)
    return reports


def render_reports(reports: list[PlatformReport], quiet: bool) -> list[str]:
    """The lines ``xbuild verify`` prints (``quiet``: problems only)."""
    lines = []
    for r in reports:
        if not quiet or not r.ok:
            digest = f" {r.digest[:19]}" if r.digest else ""
            lines.append(f"{r.platform}:{digest} {r.checked} ELF files checked: {'ok' if r.ok else 'FAILED'}")
        lines += [f"{r.platform}: {p}" for p in r.problems]
        if not quiet:
            lines += [f"{r.platform}: note: {n}" for n in r.notes]
    return lines


def _config(source: Source, manifest: dict[str, Any]) -> dict[str, Any]:
    desc = manifest.get("config") or {}
    if "digest" not in desc:
        raise XBuildError("manifest has no config", path=source.name, exit_code=EXIT_INPUT)
    try:
        doc = json.loads(source.blob(desc["digest"]))
    except ValueError:
        raise XBuildError("image config is not JSON", path=source.name, exit_code=EXIT_INPUT) from None
    return doc if isinstance(doc, dict) else {}
