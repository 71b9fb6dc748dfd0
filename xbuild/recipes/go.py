"""Go: ``CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v}``.

Facts (PRIMER, Go's cmd/go docs):
- Go cross-compiles by environment alone; cgo needs a cross C toolchain, so
  CGO_ENABLED is always set explicitly (Go turns cgo on natively when a C
  compiler exists and off when cross-compiling: leaving it unset gives
  different binaries per platform).
- GOARM comes from the arm variant (v6 -> 6, v7 -> 7). BuildKit normalises
  arm64 and amd64 variants away (empty), so ``${TARGETVARIANT#v}`` is empty
  there and Go uses its default; for 32-bit arm it is the variant's number.
  Without it a cross build defaults to GOARM=7 and a linux/arm/v6 image would
  ship ARMv7 code.
- ``go install`` with a foreign GOOS/GOARCH writes to ``$GOPATH/bin/<os>_<arch>/``;
  with GOBIN set it refuses to install cross-compiled binaries.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from xbuild import toolchain as tcm
from xbuild.analysis import Step
from xbuild.images import Image
from xbuild.recipes.base import CrossPlan
from xbuild.recipes.cgo import cgo_cross
from xbuild.vocabulary import C_TOOLCHAIN_PKGS, INDIRECT, SCRIPT, XX

if TYPE_CHECKING:
    from xbuild.context import Context, ProjectFacts
    from xbuild.evidence import BuildEnv

GOARM_VALUE = "${TARGETVARIANT#v}"


def per_target(value: str | None) -> bool:
    """Whether an env value is computed per target (not a constant)."""
    return value is not None and ("TARGET" in value or "$(" in value or "`" in value)


class GoRecipe:
    name = "go"

    def detect(self, ctx: Context, index: int) -> bool:
        return bool(ctx.facts[index].go_builds) or bool(self.delegated(ctx, index))

    # -- go builds behind make or a script, read from the build context ----------------
    def delegated(self, ctx: Context, index: int) -> list[tuple[Step, BuildEnv]]:
        """(step, BuildEnv) for each ``make``/script step whose recipe, read from the build
        context, runs ``go build`` (or overrides the target): xbuild.evidence says whether
        it passes GOOS/GOARCH/GOARM/CGO_ENABLED through from the environment."""
        # asked per step: compute once
        memo: dict[int, list[tuple[Step, BuildEnv]]] = ctx.__dict__.setdefault("_go_delegated", {})
        if index not in memo:
            memo[index] = self._delegated(ctx, index)
        return memo[index]

    def _delegated(self, ctx: Context, index: int) -> list[tuple[Step, BuildEnv]]:
        out: list[tuple[Step, BuildEnv]] = []
        for st in ctx.facts[index].steps:
            if st.cmd.nested or st.kind not in (INDIRECT, SCRIPT):
                continue
            project = ctx.project_at(index, st.ins)
            if project.view is None:
                continue
            where = ctx.context_dir(index, st.ins) or ""
            if st.kind == INDIRECT and st.cmd.name in ("make", "gmake"):
                args = st.cmd.args
                if any(a in ("-C", "-f", "--directory", "--file") for a in args):
                    continue
                targets = [a for a in args if not a.startswith("-") and "=" not in a]
                variables = dict(a.split("=", 1) for a in args if "=" in a and
                                 not a.startswith("-"))
                recipe = project.make_recipe(targets[0] if targets else None, directory=where,
                                             variables=variables)
                env = project.build_env(recipe, "go")
                lines: list[str] = list(recipe.lines)
            elif st.cmd.name not in ("sh", "bash") and not st.cmd.name.startswith("./"):
                continue  # a script by absolute path is not in the build context
            else:
                path = st.cmd.name if st.cmd.name not in ("sh", "bash") else \
                    (st.cmd.args[0] if st.cmd.args else "")
                if not path or path.startswith("/"):
                    continue
                text = project.script_text(posixpath.normpath(posixpath.join(where, path)))
                if text is None:
                    continue
                lines = text.splitlines()
                env = project.build_env(lines, "go")
            # only recipes that run go build (a C Makefile setting CC is the C recipe's)
            if env.builds or any(re.search(r"\bgo\s+(build|install)\b", ln) for ln in lines):
                out.append((st, _refuse_unsafe_lines(env, lines)))
        return out

    def handles(self, ctx: Context, index: int, step: Step) -> bool:
        return any(st is step and env.passes_through
                   for st, env in self.delegated(ctx, index))

    # -- the environment a go command sees -------------------------------------------
    def step_env(self, ctx: Context, index: int, step: Step) -> dict[str, tuple[str, str]]:
        """name -> (value, where) for the go variables, in effect for ``step``.
        where: 'prefix', 'export', 'env' (ENV, inherited too) or 'arg'."""
        out: dict[str, tuple[str, str]] = {}
        for name, value in ctx.env(index).items():
            if value is not None:
                out[name] = (value, "env")
        for name, (value, ins) in ctx.facts[index].args.items():
            if value is not None and ins.index < step.ins.index:
                out[name] = (value, "arg")
        for i in reversed(ctx.graph.chain(index)):  # `go env -w K=V` persists in GOENV
            for s in ctx.facts[i].steps:
                if i == index and s.ins.index > step.ins.index:
                    break
                if s.cmd.name == "go" and s.cmd.args[:2] == ["env", "-w"]:
                    for a in s.cmd.args[2:]:
                        k, eq, v = a.partition("=")
                        if eq:
                            out[k] = (v, "go env -w")
        for s in ctx.facts[index].steps_of(step.ins):
            if s.cmd.export and s.cmd.start < step.cmd.start:
                for aw in s.cmd.assigns:
                    k, _, v = aw.value.partition("=")
                    out[k] = (aw.text.partition("=")[2] if "=" in aw.text else v, "export")
        for k, w in step.cmd.assigned().items():
            out[k] = (w.value.partition("=")[2].strip("'\""), "prefix")
        return out

    def step_cross(self, ctx: Context, index: int, step: Step) -> bool:
        env = self.step_env(ctx, index, step)
        return per_target(env.get("GOARCH", (None, ""))[0])

    def already_cross(self, ctx: Context, index: int) -> bool:
        facts = ctx.facts[index]
        if XX in facts.kinds():
            return True
        # GOOS/GOARCH spelled out by the author (GOOS=windows go build ...): a
        # deliberate target, not the image's platform
        if all({"GOOS", "GOARCH"} & set(s.cmd.assigned()) for s in facts.go_builds):
            return True
        if all(self.step_cross(ctx, index, s) for s in facts.go_builds):
            return True
        # the author handles target ARGs some other way (a script, make): trust it
        return any(ctx.facts[i].uses_target_args() for i in ctx.graph.chain(index))

    def blockers(self, ctx: Context, index: int) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = self.test_blockers(ctx, index)
        for st, benv in self.delegated(ctx, index):
            if not benv.passes_through:
                said = " ".join([st.cmd.name] + st.cmd.args[:1])
                what = f": `{benv.line}`" if benv.line else ""
                out.append((st.line, f"`{said}` runs go build with its own target settings"
                                     f"{what} ({benv.why}); pass GOOS/GOARCH through from the "
                                     "environment, or convert by hand"))
        facts = ctx.facts[index]
        for step in facts.go_builds:
            env = self.step_env(ctx, index, step)
            goos = env.get("GOOS", ("", ""))[0]
            if goos and goos not in ("linux",) and not per_target(goos):
                out.append((step.line, f"builds for GOOS={goos}; only Linux targets are rewritten"))
                continue
            goarch = env.get("GOARCH", ("", ""))[0]
            if "$" in goarch and not per_target(goarch):
                out.append((step.line, f"builds for GOARCH={goarch}, a variable of its own (a loop "
                                       "over architectures?): the author picks the targets, so "
                                       "xbuild leaves it"))
            if env.get("GOARCH", ("", ""))[1] == "go env -w" or env.get("GOOS", ("", ""))[1] \
                    == "go env -w":
                out.append((step.line, "sets GOOS/GOARCH with `go env -w`: remove it so the "
                                       "target can be set per platform"))
            if "GOBIN" in env and step.cmd.args and step.cmd.args[0] == "install":
                out.append((step.line, "go install with GOBIN set cannot install cross-compiled "
                                       "binaries"))
            cgo = env.get("CGO_ENABLED", (None, ""))[0]
            if cgo is not None and cgo.strip() not in ("0", ""):
                # cgo cross-compiles with a cross C toolchain (xbuild.toolchain), if one fits
                tc = cgo_toolchain(ctx, index)
                if not tc.ok:
                    out.append((step.line, f"builds with cgo (CGO_ENABLED={cgo}) and no cross C "
                                           f"toolchain fits: {tc.reasons[0][1]}"))
            elif cgo is None:
                project = ctx.project_at(index, step.ins)
                why = project.go_cgo_why if project.go_cgo else implicit_cgo_why(ctx, index,
                                                                                 project)
                if why:
                    tc = cgo_toolchain(ctx, index)
                    if not tc.ok:
                        out.append((step.line, f"builds with cgo ({why}); CGO_ENABLED=0 would "
                                               "change what it builds, and no cross C toolchain "
                                               f"fits: {tc.reasons[0][1]}; set CGO_ENABLED=0 if "
                                               "it needs no cgo"))
        return out

    def test_blockers(self, ctx: Context, index: int) -> list[tuple[int, str]]:
        """``go test`` of cgo code on $BUILDPLATFORM tests the build machine's build."""
        out: list[tuple[int, str]] = []
        builds = ctx.facts[index].go_builds
        if not builds or not any(self.uses_cgo(ctx, index, b) for b in builds):
            return out
        for s in ctx.facts[index].steps:
            if s.cmd.name == "go" and s.cmd.args[:1] == ["test"]:
                out.append((s.line, "runs `go test` of cgo code: on $BUILDPLATFORM it would test "
                                    "a build for the build machine, not what ships"))
        return out

    def target_steps(self, ctx: Context, index: int) -> list[Step]:
        """The go builds of a stage and the steps that run one with the environment passed
        through (make, a script), in order: each gets the target environment (XB003,
        ``xbuild.rules.xb003_go_target_env``), a ``go install`` also XB004."""
        delegated = [st for st, env in self.delegated(ctx, index) if env.passes_through]
        return sorted(ctx.facts[index].go_builds + delegated, key=lambda st: st.cmd.start)

    def cross(self, ctx: Context, index: int) -> CrossPlan:
        plan = CrossPlan()
        steps = self.target_steps(ctx, index)
        if steps:
            plan.first_target_use = steps[0].ins
        cgo_steps = [s for s in ctx.facts[index].go_builds if self.uses_cgo(ctx, index, s)]
        if cgo_steps and index in ctx.graph.feeds:
            cgo_cross(ctx, index, cgo_steps, plan)
        return plan

    def uses_cgo(self, ctx: Context, index: int, step: Step) -> bool:
        cgo = self.step_env(ctx, index, step).get("CGO_ENABLED", (None, ""))[0]
        if cgo is None:
            project = ctx.project_at(index, step.ins)
            return bool(project.go_cgo) or bool(implicit_cgo_why(ctx, index, project))
        return cgo.strip() not in ("0", "")


def _refuse_unsafe_lines(env: BuildEnv, lines: list[str]) -> BuildEnv:
    """The recipe's own lines go through the step vocabulary too (default-deny): a line
    that runs what it built, an unknown program, an arch query or a script makes the
    verdict "overrides" with that line, whatever the classifier said of go build."""
    from dataclasses import replace

    from xbuild.analysis import _expanded, classify
    from xbuild.shell import commands
    from xbuild.vocabulary import (
        ARCH_QUERY,
        EXEC_LOCAL,
        HOST_TOOL,
        INSPECT,
        JS_EXE,
        SHELLS,
        UNKNOWN,
        WRAPPERS,
    )

    if not env.passes_through:
        return env
    for line in lines:
        body = _without_dead_defaults(line.lstrip("\t @-+"))
        for cmd in _expanded(commands(body, lambda o: o)):
            kind = classify(cmd)
            if cmd.name in WRAPPERS or cmd.name in SHELLS:
                continue  # what it runs is in the expansion
            if kind in (EXEC_LOCAL, UNKNOWN, ARCH_QUERY, INSPECT, HOST_TOOL, JS_EXE, SCRIPT):
                return replace(env, verdict="overrides", line=body.strip(),
                               why=f"it runs `{cmd.name}`, which is not safe on the build "
                                   "machine (xbuild's step vocabulary)")
    return env


# the variables XB003 always sets on the command that runs the recipe
_SET_BY_XBUILD = ("GOOS", "GOARCH", "GOARM")


def _without_dead_defaults(line: str) -> str:
    """``line`` with ``${GOARCH-default}`` (make's ``GOARCH ?= default``) cut to
    ``${GOARCH}`` for the variables xbuild sets around the recipe: the default is only
    evaluated when the variable is unset, so what it runs (``$(shell go env GOARCH)``)
    never runs. ``${GOARM:-7}`` keeps its default (xbuild may set GOARM empty)."""
    out: list[str] = []
    i = 0
    while True:
        m = re.compile(r"\$\{(" + "|".join(_SET_BY_XBUILD) + r")-").search(line, i)
        if m is None:
            return "".join(out) + line[i:]
        depth, j = 1, m.end()
        while j < len(line) and depth:
            depth += {"{": 1, "}": -1}.get(line[j], 0)
            j += 1
        if depth:
            return "".join(out) + line[i:]
        out.append(line[i:m.start()] + "${" + m.group(1) + "}")
        i = j


def implicit_cgo_why(ctx: Context, index: int, project: ProjectFacts | None = None) -> str:
    """Why Go would build with cgo natively here although CGO_ENABLED is unset (a C
    compiler in the image), or "" when it would not. Go turns cgo on when it finds a
    C compiler; keeping that behaviour needs a cross C compiler, never CGO_ENABLED=0,
    which builds cgo packages (go-sqlite3) to stubs that fail at run time, and turns
    net/os/user into their pure-Go versions (a static binary instead of a dynamic one)."""
    g = ctx.graph
    project = project if project is not None else ctx.project
    if project.go_cgo is False and not project.go_cgo_default:
        return ""  # a self-contained program without net/os/user: cgo changes nothing
    pkgs = set().union(*(ctx.facts[i].packages for i in g.chain(index)))
    found = sorted(pkgs & C_TOOLCHAIN_PKGS)
    if found:
        return (f"CGO_ENABLED is unset and it installs a C compiler ({', '.join(found)}), so "
                "Go builds with cgo")
    image = g.resolved_base.get(g.root(index), "").lower().split("@")[0]
    if Image(image).ships_gcc:
        return (f"CGO_ENABLED is unset and `{image}` (Debian) ships gcc, so Go builds with "
                "cgo")
    return ""


def cgo_toolchain(ctx: Context, index: int) -> tcm.Toolchain:
    return tcm.toolchain(ctx, index, "c")


GO = GoRecipe()
