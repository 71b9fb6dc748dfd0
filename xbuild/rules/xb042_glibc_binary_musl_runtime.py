"""A dynamically linked glibc build is copied into an Alpine or scratch image (report only).

Why: ``golang:1.22``, ``rust:1.79`` and ``gcc:14`` are Debian-based: what they
compile dynamically links glibc (Go with cgo on, Rust's ``*-linux-gnu``
targets, C without ``-static``). Alpine ships musl and ``scratch`` /
distroless-static ship no libc at all, so the binary fails at start with
"not found" (the dynamic loader is missing) on every platform. Which fix is
right (a static build, a musl target, an ``-alpine`` builder or a Debian
runtime) is the author's call, so xbuild only reports it.
https://docs.docker.com/build/building/multi-stage/

Before:
    FROM golang:1.22 AS build
    RUN CGO_ENABLED=1 go build -o /app .
    FROM alpine
    COPY --from=build /app /app
After (one option, by hand):
    FROM golang:1.22 AS build
    RUN CGO_ENABLED=0 go build -o /app .
"""

from __future__ import annotations

from xbuild.analysis import Step
from xbuild.context import Context, Fix
from xbuild.images import Image
from xbuild.rules._wording import Plans
from xbuild.vocabulary import CARGO, CC

CODE = "XB042"
NAME = "glibc-binary-in-musl-image"
def dynamic_glibc_steps(ctx: Context, plans: Plans, index: int) -> list[tuple[Step, str]]:
    """Compile steps of a stage that produce a binary dynamically linked to glibc."""
    from xbuild.recipes.go import GO

    facts = ctx.facts[index]
    text = "\n".join(ins.logical for ins in facts.stage.instructions)
    out: list[tuple[Step, str]] = []
    for step in facts.go_builds:
        cgo = GO.step_env(ctx, index, step).get("CGO_ENABLED", (None, ""))[0]
        if cgo is not None and cgo.strip().strip("'\"") == "1":
            out.append((step, "Go with CGO_ENABLED=1 links glibc dynamically"))
        elif cgo is None and (index not in plans or plans[index].cross is None):
            out.append((step, "Go with CGO_ENABLED unset builds with cgo where gcc is present "
                              "(it is, in this image), so a binary using net or os/user links "
                              "glibc dynamically"))
    if "crt-static" in text:
        return out
    for step in facts.steps:
        args = step.cmd.args
        if step.kind == CARGO and step.cmd.name == "cargo" and args[:1] in (["build"], ["install"]):
            target = _option(args, "--target") or _env(ctx, index, "CARGO_BUILD_TARGET")
            if target is None or "-gnu" in target:
                out.append((step, f"Rust target {target or 'default (gnu)'} links glibc "
                                  "dynamically"))
        elif step.kind == CC and step.cmd.name in ("gcc", "cc", "g++", "c++", "clang", "clang++") \
                and "-static" not in args and "-c" not in args and "-static" not in text:
            out.append((step, f"`{step.cmd.name}` without -static links glibc dynamically"))
    return out


def _option(args: list[str], name: str) -> str | None:
    for i, a in enumerate(args):
        if a == name and i + 1 < len(args):
            return args[i + 1]
        if a.startswith(name + "="):
            return a.split("=", 1)[1]
    return None


def _env(ctx: Context, index: int, name: str) -> str | None:
    return ctx.env(index).get(name)


def check(ctx: Context, plans: Plans) -> list[Fix]:
    g = ctx.graph
    exported = g.exported
    runtime_base = g.resolved_base[g.root(exported.index)]
    runtime_libc = Image(runtime_base).libc
    if runtime_libc not in ("musl", "none"):
        return []
    runtime = "scratch (no libc)" if runtime_libc == "none" else f"{runtime_base} (musl)"
    out = []
    seen: set[int] = set()
    for dst in g.chain(exported.index):
        for src, ins_index in g.sources.get(dst, []):
            if src in seen or g.in_exported_chain(src):
                continue
            seen.add(src)
            builder_base = g.resolved_base[g.root(src)]
            if Image(builder_base).libc != "glibc":
                continue
            copy_line = ctx.df.instructions[ins_index].line
            # the binary may have been built in a stage ``src`` is built FROM
            steps = [s for i in g.chain(src) for s in dynamic_glibc_steps(ctx, plans, i)]
            for step, what in steps[:1]:
                out.append(Fix(CODE, step.line,
                               f"stage `{ctx.df.stages[src].label}` is built on {builder_base} "
                               f"(glibc): {what}, but line {copy_line} "
                               f"copies it into {runtime}, where it will not start; link it "
                               "statically, build on a musl (-alpine) image, or ship a glibc "
                               "runtime", src))
    return out
