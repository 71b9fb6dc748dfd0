"""A FROM with a constant `--platform` (report only).

Why: ``FROM --platform=linux/amd64`` pins a stage to one platform whatever is
being built (BuildKit check FromPlatformFlagConstDisallowed). For a build
stage that means emulation on every other builder; for the exported stage it
means every platform's image is amd64. xbuild does not guess the intent.
https://docs.docker.com/reference/build-checks/from-platform-flag-const-disallowed/

Before:
    FROM --platform=linux/amd64 golang:1.22 AS build
After (by hand, for a build stage):
    FROM --platform=$BUILDPLATFORM golang:1.22 AS build
"""

from __future__ import annotations

import re

from xbuild.context import Context, Fix
from xbuild.rules._wording import Plans

CODE = "XB006"
NAME = "constant-platform"
_CONST = re.compile(r"^[a-z0-9]+/[a-z0-9]+(/[a-z0-9]+)?$", re.I)


def check(ctx: Context, plans: Plans) -> list[Fix]:
    out = []
    for st in ctx.df.stages:
        plat = st.platform
        if plat is not None and _CONST.match(plat):
            out.append(Fix(CODE, st.from_.line,
                           f"stage `{st.label}` is pinned to --platform={plat} whatever the "
                           "target platform; for a build stage use --platform=$BUILDPLATFORM "
                           "and cross-compile, for the image drop the flag", st.index))
    return out
