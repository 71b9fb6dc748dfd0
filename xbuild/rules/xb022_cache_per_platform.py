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
from xbuild.rules._wording import ON_BUILD, Plans, passthrough, reword

CODE = "XB022"
NAME = "cache-id-per-platform"

PROBLEM = (f"{ON_BUILD}, every target platform's build runs there side by side and "
           "shares this cache")


def check(ctx: Context, plans: Plans) -> list[Fix]:
    return reword(passthrough(plans, CODE), PROBLEM, (
        (r"cache mount on (\S+) gets a per-platform id.*",
         rf"cache mount on \1 would be shared by every target platform's build {ON_BUILD}; "
         "give it a per-platform id"),))
