"""No default value on a TARGET* platform ARG.

Why: ``ARG TARGETARCH=amd64`` (global or in a stage) replaces the value BuildKit
sets for each platform, so every platform gets amd64 binaries: the build
succeeds and ships the wrong architecture. The default is removed.
https://docs.docker.com/reference/dockerfile/#automatic-platform-args-in-the-global-scope

Before:
    ARG TARGETARCH=amd64
After:
    ARG TARGETARCH
"""

from __future__ import annotations

from xbuild.context import Context, Fix
from xbuild.model import split_words
from xbuild.result import Edit
from xbuild.rules._wording import Plans

CODE = "XB005"
NAME = "target-arg-default"
TARGET_ARGS = ("TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT")


def check(ctx: Context, plans: Plans) -> list[Fix]:
    out = []
    for ins in ctx.df.instructions:
        if ins.cmd != "ARG":
            continue
        for w in split_words(ins.logical, ins.rest_offset):
            name, eq, value = w.value.partition("=")
            if eq and name in TARGET_ARGS:
                start = ins.orig(w.start) + len(name)
                end = ins.orig(w.start) + len(w.value)
                out.append(Fix(CODE, ins.line,
                               f"ARG {name}={value} replaces the value BuildKit sets per "
                               f"platform, so every platform gets {value}; remove the default",
                               None,
                               (Edit(start, end, "", CODE),)))
    return out
