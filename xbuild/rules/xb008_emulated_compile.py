"""A compile step still runs emulated (report only, with the reason).

Why: a stage that compiles on the target platform runs under QEMU on every
foreign platform. Where xbuild cannot move it safely (it is the exported
image, it runs what it built, it needs cgo, it compiles through a script xbuild
cannot see into), it says so with the line, instead of guessing.

Before:
    FROM golang:1.22
    RUN go build -o /app . && /app --version
After (unchanged; reported):
    stage `golang:1.22` compiles under QEMU for every foreign target platform, and xbuild leaves it there: runs `/app` after compiling ...
"""

from __future__ import annotations

from xbuild.context import Context, Fix
from xbuild.result import REFUSED
from xbuild.rules._wording import Plans

CODE = "XB008"
NAME = "emulated-compile"


def check(ctx: Context, plans: Plans) -> list[Fix]:
    out = []
    reported = set()
    for i, p in plans.items():
        if p.action != REFUSED:
            continue
        # a refused stage already on $BUILDPLATFORM is not slow but wrong: it ships the
        # build machine's binary to every platform
        native = ctx.graph.on_build_platform(i)
        what = ("runs on $BUILDPLATFORM but compiles for the build machine, so every platform "
                "gets that machine's binary, and xbuild cannot fix it"
                if native else "compiles under QEMU for every foreign target platform, and "
                "xbuild leaves it there")
        for line, reason in p.reasons:
            if (i, line, reason) not in reported:
                reported.add((i, line, reason))
                out.append(Fix(CODE, line, f"stage `{ctx.df.stages[i].label}` {what}: {reason}",
                               i, severity="error" if native else "warning"))
    return out
