"""Cache mounts on target/, apt, apk and ccache directories get a per-platform id.

Why: ``RUN --mount=type=cache`` is shared by every platform's build unless its
``id`` differs. Once a stage runs on $BUILDPLATFORM, the builds for all target
platforms run there side by side and would share one cargo ``target/`` (or apt
lock, or ccache) directory. Module and registry caches stay shared: they are
platform-neutral. https://docs.docker.com/reference/dockerfile/#run---mounttypecache

Before:
    RUN --mount=type=cache,target=/app/target cargo build --release
After:
    RUN --mount=type=cache,target=/app/target,id=/app/target-$TARGETPLATFORM ...
"""

from __future__ import annotations

from xbuild import mounts as mnt
from xbuild.context import Context, Fix
from xbuild.rules._cross import settled
from xbuild.rules._wording import ON_BUILD, Plans, reword
from xbuild.toolchain import per_platform_mounts

CODE = "XB022"
NAME = "cache-id-per-platform"

PROBLEM = (f"{ON_BUILD}, every target platform's build runs there side by side and "
           "shares this cache")


def check(ctx: Context, plans: Plans) -> list[Fix]:
    return reword(_fixes(ctx, plans), PROBLEM, (
        (r"cache mount on (\S+) gets a per-platform id.*",
         rf"cache mount on \1 would be shared by every target platform's build {ON_BUILD}; "
         "give it a per-platform id"),))


def fixed_lines(ctx: Context, plans: Plans) -> set[int]:
    """Lines of the RUNs whose cache ids this rule makes per-platform (XB041 skips them)."""
    return {ins.line for i, *_ in settled(plans) for ins, _ in per_platform_mounts(ctx, i)}


def _fixes(ctx: Context, plans: Plans) -> list[Fix]:
    out = []
    for index, *_ in settled(plans):
        for ins, m in per_platform_mounts(ctx, index):
            edits = tuple(mnt.per_platform_edits(ins, m, CODE)) if mnt.editable(ins, ctx.df.text, m) else ()
            msg = (f"cache mount on {m.target} gets a per-platform id (shared by all platforms otherwise)"
                   if edits else
                   f"cache mount on {m.target} is shared by every platform; add id=<name>-$TARGETPLATFORM")
            out.append(Fix(CODE, ins.line, msg, index, edits))
    return out
