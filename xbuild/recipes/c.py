"""C/C++: autotools ``--host``, CMake system/compiler defines, a Meson cross file, ``make CC=``.

Facts (PRIMER; GNU automake "Cross-Compilation"; CMake toolchains manual; Meson
cross-compilation docs; tonistiigi/xx README):
- autotools: ``--host=<gnu-triple>`` selects ``<triple>-gcc``; tools the build
  runs (code generators) are built with CC_FOR_BUILD, i.e. natively.
- CMake: ``-DCMAKE_SYSTEM_NAME=Linux`` switches it into cross mode (no running
  of test programs), with the processor and the cross compilers.
- Meson needs a cross file (``--cross-file``); xbuild writes one from the
  platform table at build time (Debian only).
- Plain ``make``: ``CC``/``CXX``/``AR`` on the command line override the
  Makefile's own assignments.
- Debian/Ubuntu: cross gcc and ``:<debarch>`` -dev packages (native helper);
  Alpine: ``xx-clang`` with an ``xx-apk`` sysroot (no cross gcc packages).
"""

from __future__ import annotations

import os
import posixpath
import re
from typing import TYPE_CHECKING

from xbuild import toolchain as tcm
from xbuild.analysis import Step
from xbuild.images import Image
from xbuild.recipes.base import CrossPlan
from xbuild.vocabulary import CC, INDIRECT, SCRIPT

if TYPE_CHECKING:
    from xbuild.context import Context

CODE = "XB023"
_MAKE = ("make", "gmake")
_GEN = ("autogen.sh", "bootstrap", "bootstrap.sh", "autoreconf")  # regenerate configure: neutral
_RUN_TESTS = frozenset({"test", "check", "tests", "unittest"})
_CMAKE_NON_CONFIGURE = ("--build", "--install", "-E", "-P", "--version", "--help", "-h")
_MESON_NON_SETUP = frozenset({"compile", "install", "test", "configure", "introspect",
                              "--version", "-v", "wrap", "subprojects", "dist", "rewrite",
                              "init", "devenv", "env2mfile"})
_CC_NAMES = {"gcc": "CC", "cc": "CC", "clang": "CC", "g++": "CXX", "c++": "CXX", "clang++": "CXX"}


def _base(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def role(step: Step) -> str:
    """configure | cmake | meson | make | compiler | gen | ninja | tests | neutral | other."""
    name = step.cmd.name
    base = _base(name)
    args = step.cmd.args
    if base == "configure" and step.kind == CC:
        return "configure"
    if base in _GEN or name in _GEN:
        return "gen"
    if base == "cmake":
        if args[:1] == ["--build"] and _RUN_TESTS & set(_cmake_build_targets(args)):
            return "tests"
        return "neutral" if args[:1] and args[0].startswith(_CMAKE_NON_CONFIGURE) else "cmake"
    if base == "meson":
        sub = args[0] if args else ""
        if sub == "test":
            return "tests"
        return "neutral" if sub in _MESON_NON_SETUP else "meson"
    if base in _MAKE:
        return "tests" if _RUN_TESTS & set(args) else "make"
    if base == "ninja":
        return "tests" if _RUN_TESTS & set(args) else "ninja"
    if base == "ctest":
        return "tests"
    if base in _CC_NAMES:
        return "compiler"
    return "other"


def _tests_said(s: Step) -> str:
    """How the report names a step that runs tests: ``make check``, or for
    ``cmake --build DIR --target test`` the target it builds."""
    if _base(s.cmd.name) == "cmake":
        tests = [t for t in _cmake_build_targets(s.cmd.args) if t in _RUN_TESTS]
        return f"{s.cmd.name} --build {s.cmd.args[1] if len(s.cmd.args) > 1 else ''} " \
               f"--target {tests[0]}"
    return " ".join([s.cmd.name] + s.cmd.args[:1])


def _cmake_build_targets(args: list[str]) -> list[str]:
    """The targets of ``cmake --build DIR --target a b`` / ``-t a`` / ``--target=a``."""
    out: list[str] = []
    taking = False
    for a in args[2:]:
        if a == "--":
            break
        if a in ("--target", "-t"):
            taking = True
        elif a.startswith("--target="):
            out.extend(a.split("=", 1)[1].split(","))
            taking = False
        elif a.startswith("-"):
            taking = False
        elif taking:
            out.append(a)
    return out


def _fixed_compiler(args: list[str]) -> str | None:
    """``-DCMAKE_C_COMPILER=clang`` (or CXX, or with ``:FILEPATH``) naming a fixed
    compiler rather than a variable: that compiler builds for the machine it runs on."""
    for i, a in enumerate(args):
        if a == "-D" and i + 1 < len(args):
            a = "-D" + args[i + 1]
        m = re.match(r"^-DCMAKE_(?:C|CXX)_COMPILER(?::[A-Z]+)?=(.*)$", a)
        if m and m.group(1) and "$" not in m.group(1):
            return a[2:]
    return None


def _mingw(ctx: Context, index: int) -> int | None:
    """Line of the first mention of a mingw (Windows) toolchain in the stage chain."""
    for i in ctx.graph.chain(index):
        for ins in ctx.df.stages[i].instructions[1:]:
            if ins.cmd == "RUN" and "mingw" in ins.logical.lower():
                return ins.line
    return None


def _build_system_blockers(ctx: Context, index: int) -> list[tuple[int, str]]:
    """A build system (CMake, configure, Meson, make) may build programs and run them
    during the build (code generators): cross-compiled, those cannot run on the build
    machine. Only the project's files can tell, so without them the stage stays."""
    from xbuild.generators import generators

    steps = [s for s in ctx.facts[index].steps
             if role(s) in ("configure", "cmake", "meson", "make", "ninja")]
    if not steps:
        return []
    first = steps[0]
    said = " ".join([first.cmd.name] + first.cmd.args[:1])
    root = ctx.options.context
    if not root:
        return [(first.line, f"builds through `{said}`, whose project may build and run its own "
                             "programs (code generators); xbuild needs the project's files to "
                             "check: run it in the project folder (the build context) or pass "
                             "--context")]
    silent = _context_silence(ctx, index, first)
    if silent:
        return [(first.line, f"builds through `{said}`, whose project may build and run its own "
                             f"programs (code generators), and {silent}")]
    found = generators(root, _make_scope(ctx, index, steps, root))
    if found:
        return [(first.line, f"the project builds and runs its own generator "
                             f"{found[0].describe()} during `{said}`: cross-compiled, it cannot "
                             "run on the build machine (a two-pass build with native tools "
                             "first is needed)")]
    return []


def _make_scope(ctx: Context, index: int, steps: list[Step], root: str) -> list[str] | None:
    """The project folders a plain-make build reads (None: the whole project): where
    each make runs (the stage's copy of the context, ``-C``) and what its makefiles
    reach (generators.make_scope). A configure, CMake or Meson step, a ``cd`` in the same
    RUN or a folder xbuild cannot place searches everything, as before."""
    from xbuild.generators import make_dir, make_scope

    if any(role(s) != "make" for s in steps):
        return None
    scope: set[str] = set()
    for s in steps:
        where = ctx.context_dir(index, s.ins)
        made = make_dir(s.cmd.args)
        if where is None or made is None or s.cmd.nested or re.search(r"(?<![\w-])cd\s", s.ins.logical):
            return None
        folder, files = made
        for start in [posixpath.join(where, folder)] + [
                posixpath.dirname(posixpath.join(where, folder, f)) for f in files]:
            start = posixpath.normpath(start)
            if start in (".", "") or start.startswith("../"):
                return None
            reached = make_scope(root, start)
            if reached is None:
                return None
            scope.update(reached)
    return sorted(scope) or None


def _context_silence(ctx: Context, index: int, first: Step) -> str | None:
    """Why the build context cannot vouch for the project ``first`` builds (or None)."""
    from xbuild.provenance import context_silence

    return context_silence(ctx.df, ctx.graph, index, first.ins)


class CRecipe:
    name = "c"

    def compiles(self, ctx: Context, index: int) -> list[Step]:
        return [s for s in ctx.facts[index].steps
                if (s.kind == CC or (s.kind == INDIRECT and _base(s.cmd.name) in _MAKE))
                and role(s) in ("configure", "cmake", "meson", "make", "compiler", "ninja",
                                "gen")]

    def detect(self, ctx: Context, index: int) -> bool:
        steps = [s for s in self.compiles(ctx, index) if role(s) != "gen"]
        if any(role(s) != "make" for s in steps):
            return True
        if not steps:
            return False
        if _mingw(ctx, index) is not None:
            return True  # so the planner reports why it stays
        # plain make is C only with evidence: a C toolchain installed, on an image
        # that is not another language's (make in golang:* builds Go)
        from xbuild.vocabulary import C_TOOLCHAIN_PKGS

        image = Image(ctx.graph.resolved_base.get(ctx.graph.root(index), ""))
        if image.language is not None:
            return False
        chain = ctx.graph.chain(index)
        pkgs = set().union(*(ctx.facts[i].packages for i in chain))
        return bool(pkgs & (C_TOOLCHAIN_PKGS | {"cmake", "autoconf", "automake", "libtool"})) \
            or image.c_toolchain

    def handles(self, ctx: Context, index: int, step: Step) -> bool:
        if step.cmd.name == "strip":  # rewritten to "$STRIP" (native helper)
            return tcm.toolchain(ctx, index, "c").helper != "xx"
        if step.kind not in (CC, INDIRECT, SCRIPT):
            return False
        return role(step) in ("configure", "cmake", "meson", "make", "compiler", "ninja", "gen",
                              "neutral")

    def already_cross(self, ctx: Context, index: int) -> bool:
        return tcm.author_cross_compiles(ctx, index)

    def blockers(self, ctx: Context, index: int) -> list[tuple[int, str]]:
        tc = tcm.toolchain(ctx, index, "c")
        out = list(tc.reasons)
        if out:
            return out
        out.extend(_build_system_blockers(ctx, index))
        for s in ctx.facts[index].steps:
            r = role(s)
            if r == "tests":
                out.append((s.line, f"runs the tests it built (`{_tests_said(s)}`):"
                                    " on $BUILDPLATFORM they would be binaries of another "
                                    "architecture"))
            elif r == "meson" and tc.helper == "xx":
                out.append((s.line, "Meson with xx needs a cross file xbuild does not generate "
                                    "(use --helper native on Debian)"))
            elif r == "cmake" and any(("CMAKE_TOOLCHAIN_FILE" in a or "CMAKE_SYSTEM_NAME" in a)
                                      and "TARGET" not in a for a in s.cmd.args):
                out.append((s.line, "cmake uses the author's own toolchain (CMAKE_TOOLCHAIN_FILE "
                                    "or CMAKE_SYSTEM_NAME), fixed for one target: xbuild leaves "
                                    "it to you"))
            elif r == "cmake" and (fixed := _fixed_compiler(s.cmd.args)):
                out.append((s.line, f"cmake is told to use `{fixed}`, one fixed compiler: on "
                                    "$BUILDPLATFORM it builds for one machine, not for each "
                                    "target (xbuild does not override the author's choice)"))
            elif r == "configure":
                host = next((a for a in s.cmd.args if a.startswith("--host")), None)
                if host is not None and "$" not in host:
                    out.append((s.line, f"configure has a fixed {host}"))
            elif s.cmd.name in ("scanelf", "lddtree") or (s.cmd.name == "strip" and
                                                          tc.helper == "xx"):
                out.append((s.line, f"runs `{s.cmd.name}` on what it built, which needs the "
                                    "target's tools"))
        for s in ctx.facts[index].steps:
            if s.kind == INDIRECT and _base(s.cmd.name) not in _MAKE:
                out.append((s.line, f"compiles through `{s.cmd.name}`, which xbuild cannot "
                                    "see into"))
        line = _mingw(ctx, index)
        if line is not None:
            out.append((line, "builds for Windows (mingw); only Linux targets are rewritten"))
        return out

    def cross(self, ctx: Context, index: int) -> CrossPlan:
        """The toolchain, what it installs, and where it goes; the build-system edits
        are rule XB023's (``xbuild.rules.xb023_c_cross``), on ``self.rewrites``."""
        plan = CrossPlan(target_args=("TARGETPLATFORM",))
        tc = tcm.cross_toolchain(ctx, index, "c", CODE, plan)
        if tc is None:
            return plan
        xx = tc.helper == "xx"
        steps = self.compiles(ctx, index)
        rewrites = _rewrites(ctx, index, steps, xx)
        strips = any(s.cmd.name == "strip" for s in ctx.facts[index].steps)
        needs = tcm.needs_of(ctx, index, "c", cxx=uses_cxx(ctx, index, steps),
                             cmake="cmake" in {role(s) for s in steps},
                             meson=any(r == "meson" for _, r in rewrites), strip=strips and not xx)
        tcm.finish_cross(ctx, index, plan, tc, needs, [s.ins for s, _ in rewrites])
        return plan

    def rewrites(self, ctx: Context, index: int, xx: bool) -> list[tuple[Step, str]]:
        """The steps pointed at the target, with their role, in order: the compile steps
        (the author's own ``--host``, toolchain file, cross file or ``CC=`` are left as
        they are; make after a configure step builds what it configured), then a
        ``strip`` after one of them (native helper only: with xx it is a blocker)."""
        return _rewrites(ctx, index, self.compiles(ctx, index), xx)


def _rewrites(ctx: Context, index: int, steps: list[Step], xx: bool) -> list[tuple[Step, str]]:
    configured = bool({role(s) for s in steps} & {"configure", "cmake", "meson"})
    strips = [s for s in ctx.facts[index].steps if s.cmd.name == "strip"]
    out: list[tuple[Step, str]] = []
    for s in steps + strips:
        r = role(s) if s.cmd.name != "strip" else "strip"
        args = s.cmd.args
        authors_own = (
            (r == "configure" and any(a.startswith("--host") for a in args))
            or (r == "cmake" and any("CMAKE_TOOLCHAIN_FILE" in a or "CMAKE_SYSTEM_NAME" in a
                                     for a in args))
            or (r == "meson" and any(a.startswith("--cross-file") for a in args))
            or (r == "make" and (configured or any(a.startswith("CC=") for a in args))))
        if authors_own or (r == "strip" and (xx or not out)) or r not in _REWRITTEN_ROLES:
            continue
        out.append((s, r))
    return out


_REWRITTEN_ROLES = frozenset({"configure", "cmake", "meson", "make", "compiler", "strip"})


def compiler_var(name: str) -> str:
    """CC or CXX: the variable a direct compiler call (``gcc``, ``clang++``...) stands for."""
    return _CC_NAMES[_base(name)]


_CXX_SOURCES = (".cc", ".cpp", ".cxx", ".c++", ".C")
_CXX_PACKAGES = frozenset({"g++", "clang++", "libstdc++-dev"})


def uses_cxx(ctx: Context, index: int, steps: list[Step]) -> bool:
    """Whether the stage compiles C++ (then g++-<triple> is installed and CXX set).

    Known from a direct C++ compiler call, an installed g++, or the context's sources
    (``--context``; for a plain make, the folders it reads). Without the context, any build system may compile C++: CMake,
    autoconf and make fall back to the build machine's g++ when no cross g++ exists,
    which would link a binary of the wrong architecture, so it is assumed; only a
    stage that compiles with direct C compiler calls alone is C-only.
    """
    if any(role(s) == "compiler" and _CC_NAMES[_base(s.cmd.name)] == "CXX" for s in steps):
        return True
    pkgs = set().union(*(ctx.facts[i].packages for i in ctx.graph.chain(index)))
    if pkgs & _CXX_PACKAGES:
        return True
    root = ctx.options.context
    if root and os.path.isdir(root):
        # a plain make reads only some folders (_make_scope); anything else: the whole project
        for folder in _make_scope(ctx, index, steps, root) or [""]:
            for _dirpath, dirnames, filenames in os.walk(os.path.join(root, folder)):
                dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in ("build", "vendor")]
                if any(f.endswith(_CXX_SOURCES) for f in filenames):
                    return True
        return False
    return not all(role(s) in ("compiler", "gen") for s in steps)


C = CRecipe()
