"""C/C++ build systems configured for the target: --host, CMake cross defines, Meson cross file, make CC=.

Why: on $BUILDPLATFORM, configure, cmake, meson and make pick the build
machine's compiler. autotools cross-compiles with ``--host=<gnu-triple>`` (tools
the build runs stay native through CC_FOR_BUILD); CMake with
``CMAKE_SYSTEM_NAME`` and the cross compilers; Meson with a cross file written
from the platform table; plain make with ``CC``/``CXX``/``AR`` overrides. With
tonistiigi/xx (Alpine) the compiler is ``xx-clang``.
https://www.gnu.org/software/automake/manual/html_node/Cross_002dCompilation.html
https://cmake.org/cmake/help/latest/manual/cmake-toolchains.7.html#cross-compiling

Before:
    RUN ./configure --prefix=/usr && make
After (Debian):
    RUN . /etc/xbuild.env && ./configure --host="$GNU_TRIPLE" --prefix=/usr && make
"""

from __future__ import annotations

from xbuild import toolchain as tcm
from xbuild.analysis import Step
from xbuild.context import Context, Fix
from xbuild.recipes.c import C, compiler_var
from xbuild.result import Edit
from xbuild.rules._cross import settled
from xbuild.rules._wording import ON_BUILD, Plans, reword

CODE = "XB023"
NAME = "c-build-for-target"

PROBLEM = f"{ON_BUILD}, the C/C++ build compiles for the build machine"


def check(ctx: Context, plans: Plans) -> list[Fix]:
    # the recipe's own XB023: no cross toolchain fits (said on the FROM line)
    fixes = [f for p in plans.values() if p.cross is not None for f in p.cross.findings
             if f.code == CODE]
    for index, _, tc, needs in settled(plans, "c"):
        xx = tc.helper == "xx"
        fixes.extend(target_fixes(ctx, index, C.rewrites(ctx, index, xx), xx, needs.cxx))
    return reword(fixes, PROBLEM)


def target_fixes(ctx: Context, index: int, rewrites: list[tuple[Step, str]], xx: bool,
                 cxx: bool) -> list[Fix]:
    """One fix per step: configure --host, cmake's cross defines, meson's cross file,
    make's CC/CXX/AR, a direct compiler call replaced, strip with the target's strip;
    with the native helper each RUN sources the environment file once."""
    out: list[Fix] = []
    prefixed: set[int] = set()
    for s, r in rewrites:
        edits: list[Edit] = []
        name = s.cmd.words[0]
        if r == "configure":
            host = '"$(xx-clang --print-target-triple)"' if xx else '"$GNU_TRIPLE"'
            edits.append(Edit(name.end, name.end, f" --host={host}", CODE))
            if xx:
                edits.append(Edit(s.cmd.start, s.cmd.start, "CC=xx-clang CXX=xx-clang++ ", CODE, 1))
            msg = "configure --host for the target triple"
        elif r == "cmake":
            defs = ("$(xx-clang --print-cmake-defines)" if xx else
                    '-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR="$CMAKE_CPU" '
                    '-DCMAKE_C_COMPILER="$CC"' + (' -DCMAKE_CXX_COMPILER="$CXX"' if cxx else ""))
            sep = " " if xx or s.ins.is_json else f" {ctx.df.escape}{ctx.df.newline}      "
            edits.append(Edit(name.end, name.end, sep + defs, CODE))
            msg = "cmake configures a cross build (system, processor, compilers)"
        elif r == "meson":
            anchor = s.cmd.words[1] if s.cmd.args[:1] == ["setup"] else name
            edits.append(Edit(anchor.end, anchor.end, f" --cross-file {tcm.MESON_CROSS_FILE}", CODE))
            msg = "meson setup with a cross file generated from the platform table"
        elif r == "make":
            vars_ = ("CC=xx-clang CXX=xx-clang++" if xx else
                     'CC="$CC" CXX="$CXX" AR="$AR"' if cxx else 'CC="$CC" AR="$AR"')
            edits.append(Edit(name.end, name.end, " " + vars_, CODE))
            msg = "make with the target's compilers"
        elif r == "compiler":
            var = compiler_var(s.cmd.name)
            new = ("xx-clang" if var == "CC" else "xx-clang++") if xx else f'"${var}"'
            edits.append(Edit(name.start, name.end, new, CODE))
            msg = f"`{s.cmd.name}` replaced by the target's compiler"
        else:  # strip
            edits.append(Edit(name.start, name.end, '"$STRIP"', CODE))
            msg = "strip with the target's strip"
        if not xx:
            e = tcm.run_prefix_once(ctx, s.ins, CODE, prefixed)
            if e is not None:
                edits.append(e)
        out.append(Fix(CODE, s.line, msg, index, tuple(edits)))
    return out
