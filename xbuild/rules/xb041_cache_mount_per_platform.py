"""A cargo `target/` or apt/apk cache mount is shared by all platforms.

Why: ``RUN --mount=type=cache`` is keyed by its ``id`` (default: the target
path), not by platform, so every platform of a multi-platform build reads and
writes the same cache. For Go's module and build caches that is harmless
(entries are keyed by GOOS/GOARCH); for cargo's ``target/`` and for apt/apk
package caches it mixes one architecture's artifacts and package indexes into
another's build, giving wrong binaries or corrupt package state. An ``id``
that includes ``$TARGETPLATFORM`` gives each platform its own cache. The fix
is only made where the stage already declares ``ARG TARGETPLATFORM`` before the
step (cache ids are expanded with the stage's ARGs); otherwise it is reported.
https://docs.docker.com/reference/dockerfile/#run---mounttypecache

Before:
    ARG TARGETPLATFORM
    RUN --mount=type=cache,target=/app/target cargo build --release
After:
    ARG TARGETPLATFORM
    RUN --mount=type=cache,target=/app/target,id=/app/target-$TARGETPLATFORM cargo build --release
"""

from __future__ import annotations

from xbuild.context import Context, Fix
from xbuild.model import Instruction, Word
from xbuild.result import Edit
from xbuild.rules._wording import Plans

CODE = "XB041"
NAME = "cache-mount-per-platform"
# Package-manager caches whose content is per architecture.
PACKAGE_CACHES = ("/var/cache/apt", "/var/lib/apt", "/var/cache/apk")


def mount_options(value: str) -> dict[str, str]:
    """``type=cache,target=/x,id=y`` -> {"type": "cache", "target": "/x", "id": "y"}.
    ``dst``/``destination`` are spelled ``target``; a bare key maps to ""."""
    out: dict[str, str] = {}
    for part in value.split(","):
        key, _, val = part.partition("=")
        key = key.strip().lower()
        if key in ("dst", "destination"):
            key = "target"
        out.setdefault(key, val.strip())
    return out


def platform_specific(mount_id: str) -> bool:
    """Whether a cache id differs per platform (TARGETARCH alone mixes arm/v6 and v7)."""
    return "TARGETPLATFORM" in mount_id or (
        "TARGETARCH" in mount_id and "TARGETVARIANT" in mount_id)


def why_per_platform(target: str) -> str | None:
    """Why a cache at ``target`` must not be shared across platforms, or None."""
    path = target.rstrip("/")
    if path.rsplit("/", 1)[-1] == "target":
        return "cargo's target/ holds one architecture's build artifacts"
    for cache in PACKAGE_CACHES:
        if path == cache or path.startswith(cache + "/"):
            return "package caches and indexes are per architecture"
    return None


def _declares_targetplatform(ctx: Context, index: int, ins: Instruction) -> bool:
    for st_index in ctx.graph.chain(index):
        for a in ctx.df.stages[st_index].instructions:
            if a.cmd == "ARG" and (st_index != index or a.index < ins.index) and any(
                    w.value.split("=", 1)[0] == "TARGETPLATFORM" for w in a.words):
                return True
    return False


def _mount_words(ins: Instruction) -> list[Word]:
    out = []
    for w in ins.words:
        if not w.value.startswith("--"):
            break
        if w.value.lower().startswith("--mount="):
            out.append(w)
    return out


def check(ctx: Context, plans: Plans) -> list[Fix]:
    out = []
    # RUNs whose cache ids a cross recipe already makes per-platform (XB022, with
    # the ARG TARGETPLATFORM it inserts): one fix, not a fix and a report
    fixed_by_recipe = {f.line for p in plans.values() if p.cross is not None
                       for f in p.cross.fixes if f.code == "XB022"}
    for st in ctx.df.stages:
        for ins in st.instructions[1:]:
            if ins.cmd != "RUN" or ins.line in fixed_by_recipe:
                continue
            for w in _mount_words(ins):
                raw = w.value.split("=", 1)[1]
                opts = mount_options(raw.strip("'\""))
                if opts.get("type") != "cache":
                    continue
                target = opts.get("target", "")
                why = why_per_platform(target)
                mount_id = opts.get("id", target)
                if why is None or platform_specific(mount_id):
                    continue
                what = f"cache mount on {target} is shared by every platform ({why})"
                start, end = ins.orig(w.start), ins.orig(w.end)
                # editable in place: one piece of the original (no continuation inside)
                # and unquoted, so a splice cannot break the flag's syntax
                editable = (end - start == len(w.value) and ctx.df.text[start:end] == w.value
                            and not any(q in w.value for q in "'\""))
                if editable and _declares_targetplatform(ctx, st.index, ins):
                    if "id" in opts:
                        edit = _extend_id(w, start)
                    else:
                        edit = Edit(end, end, f",id={target}-$TARGETPLATFORM", CODE)
                    if edit is not None:
                        out.append(Fix(CODE, ins.line, f"{what}; give it an id ending in -$TARGETPLATFORM",
                                       st.index, (edit,)))
                        continue
                hint = "" if _declares_targetplatform(ctx, st.index, ins) else (
                    " after declaring ARG TARGETPLATFORM in the stage")
                out.append(Fix(CODE, ins.line, f"{what}; add id=<name>-$TARGETPLATFORM{hint}",
                               st.index))
    return out


def _extend_id(w: Word, start: int) -> Edit | None:
    """Append ``-$TARGETPLATFORM`` to an existing ``id=`` value of a mount word."""
    value = w.value
    pos = value.index("=") + 1
    for part in value[pos:].split(","):
        key, eq, _ = part.partition("=")
        if key.strip().lower() == "id" and eq:
            at = start + pos + len(part)
            return Edit(at, at, "-$TARGETPLATFORM", CODE)
        pos += len(part) + 1
    return None
