"""Target platform ARGs are declared in the stage that uses them, without a value.

Why: BuildKit's automatic platform ARGs (TARGETOS, TARGETARCH, TARGETVARIANT)
are global; inside a stage they are empty unless redeclared there. They are
declared right before the first step that needs them, after the
platform-neutral steps (``go mod download``), so those layers stay shared by
all platforms.
https://docs.docker.com/reference/dockerfile/#automatic-platform-args-in-the-global-scope

Before:
    RUN go mod download
    RUN go build -o /app .
After:
    RUN go mod download
    ARG TARGETOS TARGETARCH TARGETVARIANT
    RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /app .
"""

from __future__ import annotations

from xbuild.context import Context, Fix
from xbuild.rules._wording import ON_BUILD, Plans
from xbuild.rules.xb040_undeclared_target_arg import uses

CODE = "XB002"
NAME = "declare-target-args"


def check(ctx: Context, plans: Plans) -> list[Fix]:
    out = []
    for i, p in plans.items():
        cross = p.cross
        if cross is None or cross.first_target_use is None:
            continue
        use = cross.first_target_use
        needed = list(cross.target_args)
        # a step above the compile that already expands a TARGET* ARG needs it declared
        # too: the declaration moves up to it (one ARG line, not two)
        seen: set[str] = set()
        for ins in ctx.df.stages[i].instructions[1:]:
            if ins.index >= use.index:
                break
            if ins.cmd == "ARG":
                seen |= {w.value.split("=", 1)[0] for w in ins.words}
                continue
            early = [n for n in uses(ctx, ins) if n not in seen]
            if early:
                use = ins
                needed += [n for n in early if n not in needed]
                break
        # a TARGET* ARG with a default counts too: XB005 removes the default
        declared = {name for name, (value, ins) in ctx.facts[i].args.items()
                    if ins.index < use.index}
        missing = [a for a in needed if a not in declared]
        if not missing:
            continue
        text = ctx.keyword("ARG") + " " + " ".join(missing)
        edit = ctx.insert_before(use, text, CODE)
        out.append(Fix(CODE, use.line,
                       f"{ON_BUILD}, line {use.line} needs {' '.join(missing)}, which "
                       f"{'is' if len(missing) == 1 else 'are'} empty unless the stage declares "
                       f"{'it' if len(missing) == 1 else 'them'}; add `{text}` before it",
                       i, (edit,)))
    return out
