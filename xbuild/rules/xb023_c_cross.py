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

from xbuild.context import Context, Fix
from xbuild.rules._wording import ON_BUILD, Plans, passthrough, reword

CODE = "XB023"
NAME = "c-build-for-target"

PROBLEM = f"{ON_BUILD}, the C/C++ build compiles for the build machine"


def check(ctx: Context, plans: Plans) -> list[Fix]:
    return reword(passthrough(plans, CODE), PROBLEM)
