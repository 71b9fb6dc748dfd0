"""`go build` compiles for the target: explicit CGO_ENABLED, GOOS, GOARCH, GOARM.

Why: on $BUILDPLATFORM Go compiles for the build machine unless told
otherwise. CGO_ENABLED is always explicit: Go turns cgo on natively when a C
compiler is present and off when cross-compiling, so leaving it unset gives
different binaries per platform. GOARM follows the arm variant (v6/v7); a
hard-coded GOARCH is replaced, since it ships one architecture to every
platform.

Before:
    RUN go build -o hello .
After:
    RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o hello .
"""

from __future__ import annotations

from xbuild.analysis import Step
from xbuild.context import Context, Fix
from xbuild.recipes.go import GO, GOARM_VALUE, per_target
from xbuild.result import Edit
from xbuild.rules._go import go_rewrites
from xbuild.rules._wording import ON_BUILD, Plans, reword

CODE = "XB003"
NAME = "go-build-for-target"

PROBLEM = f"{ON_BUILD}, Go compiles for the build machine"


def check(ctx: Context, plans: Plans) -> list[Fix]:
    fixes = [f for index, step in go_rewrites(ctx, plans) for f in env_fixes(ctx, index, step)]
    return reword(fixes, PROBLEM, (
        (r"(`[^`]+`) compiles for the target: (.*)",
         rf"\1 compiles for the build machine {ON_BUILD}; set \2"),))


def env_fixes(ctx: Context, index: int, step: Step) -> list[Fix]:
    """The target environment a go build (or a step running one) gets: whatever of
    CGO_ENABLED, GOOS, GOARCH, GOARM (and GOAMD64) it does not set per target already."""
    env = GO.step_env(ctx, index, step)
    prefix = step.cmd.assigned()
    add: list[str] = []
    edits: list[Edit] = []
    notes: list[str] = []
    if "CGO_ENABLED" not in env:
        # never silently turn cgo off for code that needs it
        add.append("CGO_ENABLED=1" if GO.uses_cgo(ctx, index, step) else "CGO_ENABLED=0")
    if "GOOS" not in env:
        add.append("GOOS=$TARGETOS")
    goarch = env.get("GOARCH")
    if goarch is None:
        add.append("GOARCH=$TARGETARCH")
    elif not per_target(goarch[0]):
        if "GOARCH" in prefix:
            w = prefix["GOARCH"]
            edits.append(Edit(w.start, w.end, "GOARCH=$TARGETARCH", CODE))
        else:
            add.append("GOARCH=$TARGETARCH")
        notes.append(f"GOARCH={goarch[0]} was fixed to one architecture")
    if "GOARM" not in env:
        add.append(f"GOARM={GOARM_VALUE}")
    if any(p.startswith("linux/amd64/") for p in ctx.options.platforms) and "GOAMD64" not in env:
        add.append("GOAMD64=${TARGETVARIANT:-v1}")
    if add:
        at = step.cmd.words[0].start
        edits.append(Edit(at, at, " ".join(add) + " ", CODE))
    if not edits:
        return []
    what = " ".join(add) if add else "GOARCH=$TARGETARCH"
    said = " ".join([step.cmd.name] + step.cmd.args[:1])
    msg = f"`{said}` compiles for the target: {what}"
    if notes:
        msg += " (" + "; ".join(notes) + ")"
    return [Fix(CODE, step.line, msg, index, tuple(edits))]
