"""Build stages run on the builder's own platform.

Why: without ``--platform=$BUILDPLATFORM`` every RUN of a foreign platform's
build executes under QEMU emulation: compiles run 4-40x slower and often crash.
A stage whose output is only copied into the image can run natively and
cross-compile. The flag goes on the root of a FROM chain (BuildKit ignores it
on ``FROM <stage>``); the exported stage is never moved.
https://docs.docker.com/build/building/multi-platform/#cross-compilation

Before:
    FROM golang:alpine AS builder
After:
    FROM --platform=$BUILDPLATFORM golang:alpine AS builder
"""

from __future__ import annotations

from xbuild.context import Context, Fix
from xbuild.result import Edit
from xbuild.rules._wording import Plans, names

CODE = "XB001"
NAME = "build-stage-on-buildplatform"
FLAG = "--platform=$BUILDPLATFORM"


def check(ctx: Context, plans: Plans) -> list[Fix]:
    out = []
    for i, p in plans.items():
        if not p.move_root:
            continue
        st = ctx.df.stages[i]
        ins = st.from_
        existing = ins.flags.get("platform")
        what = "asset stage" if p.asset else "build stage"
        if existing is not None:  # --platform=$TARGETPLATFORM: replace the value
            start = ins.orig(existing.start)
            edit = Edit(start, start + len(existing.value), FLAG, CODE)
        else:
            at = ins.orig(ins.args_offset)
            edit = Edit(at, at, FLAG + " ", CODE)
        moved = [ctx.df.stages[c].label for c in ctx.graph.children(i)]
        msg = f"{what} `{st.label}` "
        if moved:
            msg += "(and " + names(moved) + ", built FROM it) "
        msg += ("compiles under QEMU for every foreign target platform; run it on "
                "$BUILDPLATFORM" if not p.asset else
                "runs under QEMU for every foreign target platform; run it on $BUILDPLATFORM")
        out.append(Fix(CODE, ins.line, msg, i, (edit,)))
    return out
