"""`FROM --platform=$TARGETPLATFORM` is redundant.

Why: every stage already builds for the target platform by default (BuildKit
check RedundantTargetPlatform). On a build stage that xbuild moves, the value
becomes $BUILDPLATFORM; elsewhere it is reported and left alone.
https://docs.docker.com/reference/build-checks/redundant-target-platform/

Before:
    FROM --platform=$TARGETPLATFORM alpine
After:
    FROM alpine
"""

from __future__ import annotations

from xbuild.context import Context, Fix
from xbuild.rules._wording import Plans

CODE = "XB007"
NAME = "redundant-target-platform"


def check(ctx: Context, plans: Plans) -> list[Fix]:
    out = []
    for st in ctx.df.stages:
        plat = st.platform
        if plat in ("$TARGETPLATFORM", "${TARGETPLATFORM}") and not plans[st.index].move_root:
            out.append(Fix(CODE, st.from_.line,
                           f"stage `{st.label}`: --platform={plat} is what every stage gets by default; "
                           "drop it", st.index,
                           severity="note"))
    return out
