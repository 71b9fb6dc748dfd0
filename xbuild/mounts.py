"""``RUN --mount=`` flags: the one parser, and the one table of caches that are per platform.

Every module that reads a mount (the stage graph's ``from=``, XB022 in moved
stages, XB041 everywhere) goes through ``mounts()``; every decision "is this cache
shared across platforms by mistake?" goes through ``why_per_platform()``.

Facts (https://docs.docker.com/reference/dockerfile/#run---mount):
- the value is a comma-separated list of ``key=value`` options; ``dst`` and
  ``destination`` are spellings of ``target``; the flag may be quoted as a whole.
- a cache mount's identity is its ``id`` (default: its target path), not the
  platform: every platform of a multi-platform build shares it unless the id
  names the platform (``$TARGETPLATFORM``; ``$TARGETARCH`` alone mixes arm/v6
  and arm/v7).
- ``sharing`` is ``shared`` (default), ``private`` or ``locked``; apt and apk
  hold a lock file inside their cache, so concurrent writers need ``locked``
  (Docker's own apt example uses it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from xbuild.result import Edit

if TYPE_CHECKING:
    from xbuild.model import Instruction, Word

_FLAG = "--mount="
# Package-manager caches: per architecture, and written under a lock.
PACKAGE_CACHES = ("/var/cache/apt", "/var/lib/apt", "/var/cache/apk", "/etc/apk/cache")
# Build directories by their last path component: one architecture's objects.
BUILD_DIRS = {"target": "cargo's target/ holds one architecture's build artifacts",
              "build": "a build directory holds one architecture's objects"}
_CCACHE = "ccache holds one architecture's object files"


@dataclass(frozen=True)
class Mount:
    """One ``--mount=`` flag of a RUN."""

    word: Word  # the flag as a word of the logical line
    options: dict[str, str]  # lower-cased keys; dst/destination spelled target
    quoted: bool  # the whole value is in quotes

    @property
    def type(self) -> str:
        return self.options.get("type", "bind")

    @property
    def target(self) -> str:
        return self.options.get("target", "")

    @property
    def id(self) -> str:
        """The cache id BuildKit uses (the target path when none is given)."""
        return self.options.get("id", self.target)


def parse_options(value: str) -> dict[str, str]:
    """``type=cache,target=/x,id=y`` -> {"type": "cache", "target": "/x", "id": "y"}."""
    out: dict[str, str] = {}
    for part in value.split(","):
        key, _, val = part.partition("=")
        key = key.strip().lower()
        if key in ("dst", "destination"):
            key = "target"
        out.setdefault(key, val.strip())
    return out


def mounts(ins: Instruction) -> list[Mount]:
    """The ``--mount=`` flags of a RUN, in order (none for other instructions)."""
    if ins.cmd != "RUN":
        return []
    out = []
    for w in ins.words:
        if not w.value.startswith("--"):
            break
        if not w.value.lower().startswith(_FLAG):
            continue
        raw = w.value[len(_FLAG):]
        quoted = len(raw) > 1 and raw[:1] in "'\"" and raw[-1:] == raw[:1]
        out.append(Mount(w, parse_options(raw[1:-1] if quoted else raw), quoted))
    return out


def is_package_cache(target: str) -> bool:
    path = target.rstrip("/")
    return any(path == c or path.startswith(c + "/") for c in PACKAGE_CACHES)


def why_per_platform(target: str) -> str | None:
    """Why a cache at ``target`` must not be shared across platforms, or None."""
    path = target.rstrip("/")
    if is_package_cache(path):
        return "package caches and indexes are per architecture"
    last = path.rsplit("/", 1)[-1]
    if last in BUILD_DIRS:
        return BUILD_DIRS[last]
    if "ccache" in path:
        return _CCACHE
    return None


def platform_specific(mount_id: str) -> bool:
    """Whether a cache id differs per platform."""
    return "TARGETPLATFORM" in mount_id or (
        "TARGETARCH" in mount_id and "TARGETVARIANT" in mount_id)


def shared_by_mistake(m: Mount) -> str | None:
    """Why this cache mount must get a per-platform id (None: it is fine)."""
    if m.type != "cache":
        return None
    why = why_per_platform(m.target)
    if why is None or platform_specific(m.id):
        return None
    return why


def editable(ins: Instruction, text: str, m: Mount) -> bool:
    """The flag is one unquoted piece of the original, so a splice cannot break it."""
    start, end = ins.orig(m.word.start), ins.orig(m.word.end)
    return end - start == len(m.word.value) and text[start:end] == m.word.value and not m.quoted


def per_platform_edits(ins: Instruction, m: Mount, code: str) -> list[Edit]:
    """Edits giving ``m`` a per-platform id (the existing id gets ``-$TARGETPLATFORM``,
    else ``id=<target>-$TARGETPLATFORM``) and, for package caches without a
    ``sharing`` option, ``sharing=locked``. Only for ``editable`` flags."""
    value = m.word.value
    start = ins.orig(m.word.start)
    out = []
    if "id" in m.options:
        pos = len(_FLAG)
        for part in value[pos:].split(","):
            key, eq, _ = part.partition("=")
            if key.strip().lower() == "id" and eq:
                at = start + pos + len(part)
                out.append(Edit(at, at, "-$TARGETPLATFORM", code))
                break
            pos += len(part) + 1
    end = ins.orig(m.word.end)
    tail = "" if "id" in m.options else f",id={m.target}-$TARGETPLATFORM"
    if is_package_cache(m.target) and "sharing" not in m.options:
        tail += ",sharing=locked"
    if tail:
        out.append(Edit(end, end, tail, code))
    return out

