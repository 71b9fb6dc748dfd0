"""A moved Rust/C/cgo stage gets a cross toolchain for the target platform.

Why: a compiler on $BUILDPLATFORM needs a linker, a C library and headers for
the target. Native helper (Debian): a ``case "$TARGETPLATFORM"`` generated from
xbuild's platform table (one row per platform of --platforms, table columns only;
other platforms, and linux/arm/v6 which Debian has no port for, fail the build with
a message), the derived variables written once to /etc/xbuild.env, then, unless the
target is the build machine's arch, ``gcc-<triple>`` (``g++-<triple>`` for C++) and
the stage's ``-dev`` packages as ``:<debarch>``. It goes before the first COPY of the
project's sources, so a source edit leaves it cached. xx helper (Alpine, or --helper
xx): tonistiigi/xx pinned by digest, clang+lld for the build machine and
``xx-apk``/``xx-apt-get`` for the target's libraries. https://github.com/tonistiigi/xx#readme
Generator and rationale: xbuild/crossmap.py, docs/recipes.md.

Before:
    COPY src ./src
    RUN cargo build --release
After:
    ARG TARGETPLATFORM
    # xbuild: cross toolchain; rows: Debian arch, GNU triple, Rust target (from xbuild's platform table)
    RUN set -e; case "$TARGETPLATFORM" in linux/amd64*) set -- amd64 x86_64-linux-gnu x86_64-unknown-linux-gnu ;; \\
          linux/arm64*) set -- arm64 aarch64-linux-gnu aarch64-unknown-linux-gnu ;; \\
          *) echo "xbuild: $TARGETPLATFORM is not in this table (--platforms)" >&2; exit 1 ;; esac; rustup target add $3; \\
        printf 'export %s\\n' RUST_TARGET=$3 CARGO_TARGET_$(echo $3 | tr a-z- A-Z_)_LINKER=$2-gcc > /etc/xbuild.env; \\
        command -v $2-gcc >/dev/null || { apt-get update; apt-get install -y $(echo gcc-$2 | tr _ -); }
    COPY src ./src
    RUN . /etc/xbuild.env && cargo build --target "$RUST_TARGET" --release ...
"""

from __future__ import annotations

from xbuild import crossmap
from xbuild import toolchain as tcm
from xbuild.context import Context, Fix
from xbuild.model import Instruction
from xbuild.recipes.base import Toolchain
from xbuild.result import Edit
from xbuild.rules._cross import settled
from xbuild.rules._wording import ON_BUILD, Plans, reword

CODE = "XB021"
NAME = "cross-toolchain-setup"

PROBLEM = (f"{ON_BUILD}, its compiler needs a linker, C library and headers for the "
           "target platform")


def check(ctx: Context, plans: Plans) -> list[Fix]:
    """The setup of every stage whose recipe settled a toolchain and where it goes
    (``xbuild.toolchain.finish_cross``)."""
    return reword([f for index, c, tc, needs in settled(plans) if c.setup_at is not None
                   for f in setup_fixes(ctx, index, tc, needs, c.setup_at)], PROBLEM)


def setup_fixes(ctx: Context, index: int, tc: Toolchain, needs: crossmap.Needs,
                use: Instruction) -> list[Fix]:
    """The toolchain setup of a stage: xx and clang after its FROM (platform-neutral),
    and before ``use`` (after ``ARG TARGETPLATFORM``) the target half."""
    st = ctx.df.stages[index]
    run = ctx.keyword("RUN")
    pkgs = list(needs.dev_packages)
    apk = tc.distro == "alpine"
    fixes: list[Fix] = []
    if tc.helper == "xx":
        from_end = st.from_.end
        nl = ctx.df.newline
        if not ctx.df.text[st.from_.start:from_end].endswith("\n"):
            nl_before = nl
        else:
            nl_before = ""
        native = ("apk add --no-cache clang lld" if apk else
                  "apt-get update && apt-get install -y --no-install-recommends clang lld")
        # two edits: each inserted line is one instruction
        fixes.append(Fix(CODE, st.from_.line,
                         "tonistiigi/xx (pinned by digest) and clang+lld for the build machine",
                         index, (Edit(from_end, from_end, f"{nl_before}{ctx.keyword('COPY')} "
                                      f"--from={tcm.XX_IMAGE} / /{nl}", CODE, -3),
                                 Edit(from_end, from_end, f"{run} {native}{nl}", CODE,
                                      -2))))
        add = "xx-apk add --no-cache" if apk else "xx-apt-get install -y --no-install-recommends"
        target = [f"{add} {' '.join(['xx-c-essentials'] + pkgs)}",
                  "xx-clang --setup-target-triple"]
        line = f"{run} " + " && ".join(target)
        fixes.append(Fix(CODE, use.line,
                         "target C library and headers installed with xx"
                         + (f" ({', '.join(pkgs)})" if pkgs else ""),
                         index, (ctx.insert_before(use, line, CODE, 1),)))
        return fixes
    esc, nl = ctx.df.escape, ctx.df.newline
    lines = crossmap.shell_lines(ctx.options.platforms, needs)
    text = crossmap.comment(needs) + nl + f"{run} " + f" {esc}{nl}".join(lines)
    msg = (f"target toolchain: $TARGETPLATFORM mapped by xbuild's platform table "
           f"({', '.join(ctx.options.platforms)}), variables in {tcm.ENV_FILE}; cross gcc")
    if pkgs:
        msg += " and " + ", ".join(f"{p}:<debarch>" for p in pkgs)
    fixes.append(Fix(CODE, use.line, msg, index,
                     (ctx.insert_before(use, text, CODE, 1),)))
    return fixes
