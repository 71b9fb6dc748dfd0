"""A TARGET* platform ARG is used in a stage that does not declare it.

Why: BuildKit's automatic platform ARGs (TARGETPLATFORM, TARGETOS, TARGETARCH,
TARGETVARIANT) live in the global scope; inside a stage they expand to the
empty string unless the stage redeclares them with ``ARG`` (no value). A
``GOARCH=$TARGETARCH`` or ``--target $TARGETARCH`` without it silently builds
for the build machine. The declaration is added right before the first step
that uses it, so the steps above stay shared by all platforms. Stages that
xbuild itself rewrites get their declaration from XB002 instead.
https://docs.docker.com/reference/dockerfile/#automatic-platform-args-in-the-global-scope

Before:
    FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .
After:
    FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    ARG TARGETOS TARGETARCH
    RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .
"""

from __future__ import annotations

import re

from xbuild.context import Context, Fix
from xbuild.model import Instruction
from xbuild.rules._wording import Plans

CODE = "XB040"
NAME = "undeclared-target-arg"
TARGET_ARGS = ("TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT")
# $TARGETARCH, ${TARGETARCH}, ${TARGETVARIANT#v}, ${TARGETOS:-linux}; not \$TARGETARCH
_USE = re.compile(r"(?<!\\)\$(?:\{(TARGET[A-Z]+)(?=[}:#%/+\-])|(TARGET[A-Z]+)(?![A-Za-z0-9_]))")
# Instructions whose arguments BuildKit (or the RUN shell) expands with the stage's ARGs.
_EXPANDING = frozenset({"RUN", "ENV", "COPY", "ADD", "WORKDIR", "LABEL", "USER", "EXPOSE",
                        "VOLUME", "STOPSIGNAL"})


def uses(ctx: Context, ins: Instruction) -> list[str]:
    """TARGET* names an instruction expands (heredoc bodies of a RUN included)."""
    text = ins.logical
    if ins.cmd == "RUN":
        for h in ins.heredocs:
            if not h.quoted:
                text += "\n" + ctx.df.text[h.body_start:h.body_end]
    out = []
    for m in _USE.finditer(text):
        name = m.group(1) or m.group(2)
        if name in TARGET_ARGS and name not in out:
            out.append(name)
    return out


def check(ctx: Context, plans: Plans) -> list[Fix]:
    out = []
    for st in ctx.df.stages:
        p = plans[st.index]
        if p.cross is not None:
            continue  # XB002 declares what the rewrite needs, at the place it needs it
        # BuildKit inherits ARGs declared in a stage it is built FROM
        # (https://docs.docker.com/build/building/variables/#scoping, moby/buildkit#5381).
        declared: set[str] = set()
        for anc in ctx.graph.chain(st.index)[1:]:
            declared |= set(ctx.facts[anc].args)
        missing: list[str] = []
        first: Instruction | None = None
        for ins in st.instructions[1:]:
            if ins.cmd == "ARG":
                declared |= {w.value.split("=", 1)[0] for w in ins.words}
                continue
            if ins.cmd not in _EXPANDING:
                continue
            for name in uses(ctx, ins):
                if name not in declared and name not in missing:
                    missing.append(name)
                    if first is None:
                        first = ins
            if ins.cmd == "ENV":
                # ENV TARGETARCH=... defines it for what follows
                for w in ins.words:
                    if "=" in w.value:
                        declared.add(w.value.split("=", 1)[0])
        if first is None:
            continue
        names = [a for a in TARGET_ARGS if a in missing]
        edit = ctx.insert_before(first, ctx.keyword("ARG") + " " + " ".join(names), CODE)
        out.append(Fix(CODE, first.line,
                       f"stage `{st.label}` uses {', '.join('$' + n for n in names)}, which "
                       f"{'is' if len(names) == 1 else 'are'} empty unless the stage declares "
                       f"{'it' if len(names) == 1 else 'them'}; declare "
                       f"{'it' if len(names) == 1 else 'them'} (`ARG {' '.join(names)}`) "
                       f"before line {first.line}",
                       st.index, (edit,)))
    return out
