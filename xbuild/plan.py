"""Decide, per FROM chain, which stages move to $BUILDPLATFORM.

A platform belongs to a chain's root: ``FROM <stage>`` inherits it and BuildKit
ignores ``--platform`` there. So the unit of decision is the *tree* of a root
stage (the root and every stage built FROM it). A tree moves when

- it feeds the exported stage only through files (COPY --from, RUN --mount),
  never as the exported stage's own filesystem;
- every compiling stage in it has a recipe that can make it cross-compile and
  no recipe blocker (cgo, Windows, GOBIN...);
- nothing in it runs or inspects what it built.

Otherwise each compiling stage in the tree is reported as refused, with the
reason and the line. https://docs.docker.com/build/building/multi-platform/#cross-compilation
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from xbuild.analysis import Step
from xbuild.artifacts import export_blockers
from xbuild.cargo import cargo_role
from xbuild.context import Context
from xbuild.images import Image
from xbuild.recipes import CrossPlan, Recipe, recipes
from xbuild.result import ALREADY, KEPT, MOVED, REFUSED, REWRITTEN
from xbuild.vocabulary import (
    ARCH_QUERY,
    CARGO,
    CC,
    CODEGEN,
    EXEC_LOCAL,
    GO_BUILD,
    GO_RUN,
    GO_TOOL,
    HOST_TOOL,
    INDIRECT,
    INSPECT,
    JS_EXE,
    NEUTRAL,
    NODE,
    PKG,
    PYTHON,
    SCRIPT,
    UNKNOWN,
)

_COMPILE_KINDS = {GO_BUILD, CARGO, CC, INDIRECT}
_CONST_PLATFORM = re.compile(r"^[a-z0-9]+/[a-z0-9]+(/[a-z0-9]+)?$", re.I)


@dataclass(frozen=True)
class StagePlan:
    """One stage's decision, fixed once made: rules read it, nothing rewrites it."""

    index: int
    action: str = KEPT
    recipe: Recipe | None = None
    reasons: tuple[tuple[int, str], ...] = ()
    cross: CrossPlan | None = None
    move_root: bool = False  # this stage's FROM gets --platform=$BUILDPLATFORM
    asset: bool = False  # moved as a platform-neutral asset stage


@dataclass(frozen=True)
class Veto:
    """A stage the planner must leave as it is, decided after a first plan: a part of
    its rewrite is ignored (``--ignore``, ``# xbuild: ignore``), or xbuild's own check
    of the rewritten file failed. ``action`` is KEPT or REFUSED."""

    action: str
    line: int
    reason: str


@dataclass
class _Draft:
    """A StagePlan while the planner is still deciding it."""

    index: int
    action: str = KEPT
    recipe: Recipe | None = None
    reasons: list[tuple[int, str]] = field(default_factory=list)
    cross: CrossPlan | None = None
    move_root: bool = False
    asset: bool = False

    def veto(self, v: Veto) -> None:
        self.action, self.reasons = v.action, [(v.line, v.reason)]

    def freeze(self) -> StagePlan:
        return StagePlan(self.index, self.action, self.recipe, tuple(self.reasons), self.cross,
                         self.move_root, self.asset)


# the plan of each stage, by stage index: what every rule's check() receives
Plans = Mapping[int, StagePlan]


def plan(ctx: Context, vetoes: Mapping[int, Veto] | None = None) -> Plans:
    """Each stage's decision, from a context ``xbuild.convert.analyse`` made (where a
    shipped ``go install tool@v`` is a go build already). A tree holding a vetoed stage
    does not move, and a vetoed stage is not rewritten. Reads ``ctx``, never changes it."""
    vetoes = vetoes or {}
    g = ctx.graph
    stages = ctx.df.stages
    plans = {st.index: _Draft(st.index) for st in stages}
    for st in stages:
        for candidate in recipes():
            if candidate.detect(ctx, st.index):
                plans[st.index].recipe = candidate
                break

    roots = [st.index for st in stages if st.index not in g.parent]
    for root in roots:
        tree = [root] + g.children(root)
        feeding = [i for i in tree if i in g.feeds]
        compiling = [i for i in tree if plans[i].recipe is not None and i in g.feeds]
        if not feeding:
            continue
        if g.on_build_platform(root):
            for i in compiling:
                if i in vetoes:
                    plans[i].veto(vetoes[i])
                    continue
                r = plans[i].recipe
                assert r is not None
                if r.already_cross(ctx, i):
                    plans[i].action = ALREADY
                    continue
                # Already native and compiling for the build machine: every platform gets
                # its binary. Fix it when the recipe can; otherwise say so loudly.
                blockers = r.blockers(ctx, i) + step_blockers(ctx, i, r, False)
                if blockers:
                    plans[i].action = REFUSED
                    plans[i].reasons.append((stages[i].from_.line,
                                             "on $BUILDPLATFORM and compiles for the build "
                                             "platform, so every platform gets the build "
                                             "machine's binary; not fixed because:"))
                    plans[i].reasons.extend(blockers)
                    continue
                plans[i].action = REWRITTEN
                plans[i].cross = r.cross(ctx, i)
                plans[i].reasons.append((stages[i].from_.line,
                                         "on $BUILDPLATFORM but compiled for the build "
                                         "platform; now compiles for the target"))
            continue
        asset = not compiling and _is_asset_tree(ctx, tree)
        if not compiling and not asset:
            continue
        if any(i in vetoes for i in tree):
            for i in tree:
                if i in vetoes:
                    plans[i].veto(vetoes[i])
            continue
        blockers = _tree_blockers(ctx, root, tree, plans, asset)
        if blockers:
            for i in (compiling or [root]):
                if i in g.feeds or i == root:
                    plans[i].action = REFUSED
                    plans[i].reasons.extend(blockers)
            continue
        plans[root].move_root = True
        for i in tree:
            plans[i].action = MOVED
            plans[i].asset = asset
            r = plans[i].recipe
            if r is not None:
                plans[i].cross = r.cross(ctx, i)
    # Stages the export needs that still compile on the target platform and no
    # recipe took: say so (make, cargo, cc... until a recipe handles them).
    for i, line, command in compile_steps_left(ctx, plans):
        p = plans[i]
        if p.action == KEPT and i not in vetoes:
            p.action = REFUSED
            hint = ""
            if command.split()[0] in ("make", "go", "task", "mage", "just") and _is_go_stage(ctx, i):
                hint = ("; if it hands GOOS/GOARCH from the environment to go, put the stage on "
                        "$BUILDPLATFORM and prefix it with CGO_ENABLED=0 GOOS=$TARGETOS "
                        "GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} by hand")
            fixed = [a for s in ctx.facts[i].steps if s.line == line for a in s.cmd.args
                     if re.fullmatch(r"(GOARCH|GOARM|GOAMD64)=[A-Za-z0-9_]+", a)]
            if fixed:
                hint = (f"; it passes {' '.join(fixed)} itself, the same for every platform: "
                        "use GOARCH=$TARGETARCH") + hint
            p.reasons.append((line, f"compiles with `{command}`, which xbuild does not rewrite"
                                    + hint))
    return MappingProxyType({i: d.freeze() for i, d in plans.items()})


def _tree_blockers(ctx: Context, root: int, tree: list[int], plans: dict[int, _Draft],
                   asset: bool) -> list[tuple[int, str]]:
    g = ctx.graph
    stages = ctx.df.stages
    out: list[tuple[int, str]] = []
    exported = g.exported
    for i in tree:
        if g.in_exported_chain(i):
            if i == exported.index:
                out.append((exported.from_.line,
                            f"stage `{exported.label}` is the exported image: it stays on the "
                            "target platform (split the build into its own stage to cross-compile)"))
            else:
                out.append((exported.from_.line,
                            f"the exported stage `{exported.label}` is built FROM `{stages[i].label}`: "
                            "its filesystem ships, so it stays on the target platform"))
            return out
    plat = stages[root].platform
    if plat is not None and _CONST_PLATFORM.match(plat):
        out.append((stages[root].from_.line, f"FROM has a fixed --platform={plat}"))
        return out
    compiled_before: set[int] = set()
    # stages the export does not need are moved along but cannot break this build
    for i in (i for i in tree if i in g.feeds):
        compiled = g.parent.get(i) in compiled_before
        r = plans[i].recipe
        if r is not None:
            out.extend(r.blockers(ctx, i))
        out.extend(step_blockers(ctx, i, r, compiled))
        compiled = compiled or any(s.kind in _COMPILE_KINDS for s in ctx.facts[i].steps)
        if compiled:
            compiled_before.add(i)
        for dst, ins_index in g.consumers(i):
            ins = ctx.df.instructions[ins_index]
            srcs = [w.value for w in ins.words if not w.value.startswith("--")][:-1]
            if ins.cmd in ("COPY", "ADD") and any(s.rstrip("/.") == "" for s in srcs):
                out.append((ins.line, f"stage `{stages[dst].label}` copies the whole filesystem of "
                                      f"`{stages[i].label}`: it ships, so it stays on the target "
                                      "platform"))
        # follow the artifacts: every path that leaves the stage
        out.extend(export_blockers(ctx, i))
    return list(dict.fromkeys(out))


def step_blockers(ctx: Context, index: int, recipe: Recipe | None,
                  compiled_already: bool) -> list[tuple[int, str]]:
    """Default-deny: every step of a stage that would run on $BUILDPLATFORM must have a
    known, safe class (xbuild.vocabulary). Each step that has not is a (line, reason)."""
    out: list[tuple[int, str]] = []
    handles = getattr(recipe, "handles", None)  # recipe-specific: steps it cross-compiles
    for step, after in _after_compile(ctx, index, compiled_already):
        handled = handles is not None and handles(ctx, index, step)
        reason = _step_reason(step, after, handled)
        if reason is not None:
            out.append((step.line, reason))
        words = [w.text for w in step.cmd.assigns + step.cmd.words]
        native = next((m.group(0) for w in words for m in [_NATIVE_CPU.search(w)] if m), None)
        if native and recipe is not None:
            out.append((step.line, f"compiles with `{native}`: on $BUILDPLATFORM that means the "
                                   "build machine's CPU; name the target CPU, or drop the flag"))
    if recipe is not None:
        out.extend(_native_env(ctx, index))
    return list(dict.fromkeys(out))


# Flags that tune code to the CPU of the machine that compiles.
_NATIVE_CPU = re.compile(r"-m(arch|cpu|tune)=native|target-cpu=native")


def _native_env(ctx: Context, index: int) -> list[tuple[int, str]]:
    """ENV/ARG values that fix the CPU of one platform for all of them."""
    out: list[tuple[int, str]] = []
    for i in ctx.graph.chain(index):
        facts = ctx.facts[i]
        for name, (value, ins) in list(facts.env.items()) + list(facts.args.items()):
            if value and _NATIVE_CPU.search(value):
                out.append((ins.line, f"{name}={value} tunes the build to the build machine's "
                                      "CPU on $BUILDPLATFORM"))
            elif name == "GOAMD64" and value and "$" not in value:
                out.append((ins.line, f"{name}={value} is fixed for every platform; xbuild sets "
                                      "GOAMD64 from the amd64 variant (linux/amd64/v3)"))
    return out


def _said(step: Step) -> str:
    return " ".join([step.cmd.name] + step.cmd.args[:2])


def _step_reason(step: Step, after: bool, handled: bool) -> str | None:
    kind, name = step.kind, step.cmd.name
    if step.cmd.nested and kind in _COMPILE_KINDS | {GO_RUN}:
        return (f"compiles with `{_said(step)}` inside `{step.cmd.via}`: xbuild does not "
                "rewrite inside a quoted script or a command substitution; write the command "
                "in the RUN line itself")
    if kind == UNKNOWN:
        return (f"runs `{name}`, which xbuild does not know: on $BUILDPLATFORM it may build or "
                "fetch code for the build machine; run it in a stage that stays on the target "
                "platform, or convert this stage by hand")
    if kind == ARCH_QUERY and not step.unused:
        return (f"asks the machine its architecture (`{_said(step)}`): on $BUILDPLATFORM that "
                "is the build machine's, not the target's; use $TARGETARCH/$TARGETPLATFORM "
                "instead")
    if kind == INSPECT:
        return (f"runs `{name}` on what it built (target libraries are harvested from it)"
                if after else
                f"runs `{name}`, which reads binaries of the build machine's architecture")
    if kind == EXEC_LOCAL:
        if after:
            return (f"runs `{name}` after compiling: on the build platform that would run a "
                    "binary of another architecture")
        return (f"runs `{name}`, a program xbuild cannot see into (it may build for the build "
                "platform)")
    if kind == HOST_TOOL and after and not handled:
        return (f"runs the build machine's `{name}` on what it built for the target; use the "
                "target's tool (e.g. <triple>-strip) or strip at link time (-ldflags=\"-s -w\", "
                "profile strip = true)")
    if kind == JS_EXE:
        return (f"builds a native executable with `{_said(step)}`, which would be the build "
                "machine's")
    if kind == INDIRECT and not handled:
        return (f"compiles through `{_said(step)}`, which xbuild cannot see into (it may "
                "compile for the build platform)")
    if kind == SCRIPT and not handled:
        return (f"runs `{_said(step)}`, a script xbuild cannot see into (it may compile for "
                "the build platform)")
    if kind == CARGO and _native_cargo(step):
        return None  # cargo fetch / install of a build tool: the build machine's, stays inside
    if kind in (CARGO, CC) and not handled:
        return f"also compiles with `{name}`, which this rewrite does not cross-compile"
    return None


def kept_blockers(ctx: Context, index: int) -> list[tuple[int, str]]:
    """Why a stage that compiles nothing xbuild rewrites could not move either: its
    unknown steps, scripts and native executables, and what leaves it built for the
    build machine. Empty when the stage only does arch-neutral work."""
    out = step_blockers(ctx, index, None, False)
    out.extend(export_blockers(ctx, index))
    for step in ctx.facts[index].steps:
        if step.kind == PYTHON and not any(line == step.line for line, _ in out):
            out.append((step.line, f"runs `{_said(step)}`: Python packaging builds C "
                                   "extensions for the machine that runs it"))
    return list(dict.fromkeys(out))


def _native_cargo(step: Step) -> bool:
    """cargo steps that run or install tools for the build machine (never shipped
    unless the artifact check says so): ``cargo install cargo-chef``, ``cargo binstall``."""

    return cargo_role(step) in ("tool", "neutral")


def _after_compile(ctx: Context, index: int,
                   compiled_already: bool) -> Iterator[tuple[Step, bool]]:
    """Each step of a stage with whether a compile ran before it (in this stage, or in
    the stage it is built FROM when ``compiled_already``)."""
    seen = compiled_already
    for step in ctx.facts[index].steps:
        yield step, seen
        seen = seen or step.kind in _COMPILE_KINDS


def _is_asset_tree(ctx: Context, tree: list[int]) -> bool:
    """JS/asset stages: only package installs, node tooling and file handling."""
    kinds: set[str] = set()
    for i in tree:
        kinds |= {s.kind for s in ctx.facts[i].steps
                  if not (s.kind == CARGO and _native_cargo(s)) and s.kind != GO_TOOL}
    return bool(kinds & {NODE, CODEGEN}) and kinds <= {NODE, PKG, NEUTRAL, CODEGEN}


def _is_go_stage(ctx: Context, index: int) -> bool:
    """A Go builder: a golang image at the root, or go commands in the chain."""
    g = ctx.graph
    if Image(g.resolved_base.get(g.root(index), "")).golang:
        return True
    return any(s.cmd.name == "go" for i in g.chain(index) for s in ctx.facts[i].steps)


def compile_steps_left(ctx: Context, plans: dict[int, _Draft]) -> list[tuple[int, int, str]]:
    """(stage, line, command) of compile steps still emulated in stages the export needs."""
    out = []
    for i in sorted(ctx.graph.feeds):
        if ctx.graph.on_build_platform(i) or plans[i].action == MOVED:
            continue
        for step in ctx.facts[i].steps:
            if step.kind == CARGO and _native_cargo(step):
                continue
            if step.kind in _COMPILE_KINDS or (step.kind == GO_RUN and step.cmd.args[:1] == ["run"]):
                out.append((i, step.line, " ".join([step.cmd.name] + step.cmd.args[:2])))
    return out

