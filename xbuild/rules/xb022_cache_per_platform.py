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

from xbuild.context import Context, Fix

CODE = "XB022"
NAME = "cache-id-per-platform"


def check(ctx: Context, plans: dict) -> list[Fix]:
    return [f for p in plans.values() if p.cross is not None
            for f in p.cross.fixes if f.code == CODE]
