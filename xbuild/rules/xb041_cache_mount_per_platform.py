"""A cargo `target/`, build, ccache or apt/apk cache mount is shared by all platforms.

Why: ``RUN --mount=type=cache`` is keyed by its ``id`` (default: the target
path), not by platform, so every platform of a multi-platform build reads and
writes the same cache. For Go's module and build caches that is harmless
(entries are keyed by GOOS/GOARCH); for cargo's ``target/`` and for apt/apk
package caches it mixes one architecture's artifacts and package indexes into
another's build, giving wrong binaries or corrupt package state. An ``id``
that includes ``$TARGETPLATFORM`` gives each platform its own cache. The fix
is only made where the stage already declares ``ARG TARGETPLATFORM`` before the
step (cache ids are expanded with the stage's ARGs); otherwise it is reported.
apt and apk caches also get ``sharing=locked`` (their lock files live in the
cache). Which paths count, and the mount parser, live in ``xbuild.mounts``.
https://docs.docker.com/reference/dockerfile/#run---mounttypecache

Before:
    ARG TARGETPLATFORM
    RUN --mount=type=cache,target=/app/target cargo build --release
After:
    ARG TARGETPLATFORM
    RUN --mount=type=cache,target=/app/target,id=/app/target-$TARGETPLATFORM cargo build --release
"""

from __future__ import annotations

from xbuild import mounts as mnt
from xbuild.context import Context, Fix
from xbuild.rules import xb022_cache_per_platform as xb022
from xbuild.rules._wording import Plans

CODE = "XB041"
NAME = "cache-mount-per-platform"


def check(ctx: Context, plans: Plans) -> list[Fix]:
    out = []
    # RUNs whose cache ids XB022 makes per-platform (with the ARG TARGETPLATFORM that
    # XB002 inserts): one fix, not a fix and a report
    fixed_by_recipe = xb022.fixed_lines(ctx, plans)
    for st in ctx.df.stages:
        for ins in st.instructions[1:]:
            if ins.line in fixed_by_recipe:
                continue
            for m in mnt.mounts(ins):
                why = mnt.shared_by_mistake(m)
                if why is None:
                    continue
                what = f"cache mount on {m.target} is shared by every platform ({why})"
                declared = ctx.graph.declares_arg(st.index, ins, "TARGETPLATFORM")
                if declared and mnt.editable(ins, ctx.df.text, m):
                    out.append(Fix(CODE, ins.line, f"{what}; give it an id ending in -$TARGETPLATFORM",
                                   st.index, tuple(mnt.per_platform_edits(ins, m, CODE))))
                    continue
                hint = "" if declared else " after declaring ARG TARGETPLATFORM in the stage"
                out.append(Fix(CODE, ins.line, f"{what}; add id=<name>-$TARGETPLATFORM{hint}",
                               st.index))
    return out
