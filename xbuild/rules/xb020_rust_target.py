"""`cargo build` compiles for the target triple; executables copied back to target/<profile>/.

Why: on $BUILDPLATFORM cargo builds for the build machine unless given
``--target``. The triple, the cross linker (``CARGO_TARGET_<TRIPLE>_LINKER``)
and the C compiler for ``-sys`` crates (``CC_<triple>``) come from the
build-time platform table in /etc/xbuild.env (Debian) or from
tonistiigi/xx's ``xx-cargo`` (Alpine). ``rustup target add`` runs where cargo
runs so a rust-toolchain.toml pin gets the target too. ``--target`` moves the
output to ``target/<triple>/<profile>/``; the executables are copied back in the
same RUN so later steps and ``COPY --from`` paths keep working.
https://doc.rust-lang.org/cargo/reference/config.html#targettriplelinker

Before:
    RUN cargo build --release
After (Debian builder):
    RUN . /etc/xbuild.env && cargo build --target "$RUST_TARGET" --release && \
        find target/"$RUST_TARGET"/release -maxdepth 1 -type f -perm -100 -exec install -pDt target/release {} +
After (Alpine builder, xx):
    RUN xx-cargo build --release && \
        find target/"$(xx-cargo --print-target-triple)"/release ... -exec install -pDt target/release {} +
"""

from __future__ import annotations

from xbuild import toolchain as tcm
from xbuild.analysis import Step
from xbuild.cargo import cargo_sub
from xbuild.context import Context, Fix
from xbuild.recipes.base import Toolchain
from xbuild.recipes.rust import (
    RUST,
    cargo_flag,
    pin_after_setup,
    profile_dir,
    rm_insert_points,
    stale_removals,
    triple_of,
)
from xbuild.result import Edit
from xbuild.rules._wording import ON_BUILD, Plans, reword

CODE = "XB020"
NAME = "rust-target-triple"

PROBLEM = f"{ON_BUILD}, cargo builds for the build machine"


def check(ctx: Context, plans: Plans) -> list[Fix]:
    fixes: list[Fix] = []
    for index, p in plans.items():
        if p.cross is None:
            continue
        # the recipe's own XB020: no cross toolchain fits (said on the FROM line)
        fixes.extend(f for f in p.cross.findings if f.code == CODE)
        if p.recipe is RUST and p.cross.toolchain is not None:
            fixes.extend(target_fixes(ctx, index, p.cross.toolchain))
    return reword(fixes, PROBLEM, (
        (r"(`[^`]+`) compiles for the target triple; executables copied back to (\S+)",
         rf"\1 compiles for the build machine {ON_BUILD}; build it with --target for the "
         r"target's triple and copy the executables back to \2"),
        (r"(`[^`]+`) compiles for the target triple",
         rf"\1 compiles for the build machine {ON_BUILD}; build it with --target for the "
         "target's triple"),
        (r"strip with the target's strip",
         "the build machine's `strip` cannot strip the target's binaries; use the "
         "target's strip"),))


def target_fixes(ctx: Context, index: int, tc: Toolchain) -> list[Fix]:
    """Each cargo build of a moved stage built with ``--target`` (``xx-cargo`` with xx) and
    its executables copied back; with the native helper, ``strip`` after it is the
    target's (both source the environment file once per RUN)."""
    out: list[Fix] = []
    builds = RUST.builds(ctx, index)
    pin_later = bool(builds) and pin_after_setup(ctx, index, builds[0].ins)
    prefixed: set[int] = set()
    env = ctx.env(index)
    for s in builds:
        edits: list[Edit] = []
        if tc.helper == "native":
            e = tcm.run_prefix_once(ctx, s.ins, CODE, prefixed)
            if e is not None:
                edits.append(e)
        edits.extend(_cargo_edits(ctx, s, tc.helper, env, pin_later))
        _, sub = cargo_sub(s.cmd.args)
        what = "cargo chef cook" if sub == "chef" else f"cargo {sub}"
        msg = f"`{what}` compiles for the target triple"
        if sub in ("build", "b", "auditable", "rustc"):
            msg += f"; executables copied back to target/{profile_dir(s.cmd.args)}/"
        out.append(Fix(CODE, s.line, msg, index, tuple(edits)))
    for s in stale_removals(ctx.facts[index].steps):
        # the dummy-main trick: its rm follows the build to target/<triple>/
        edits = [Edit(at, at, triple_of(tc.helper) + "/", CODE)
                 for at in rm_insert_points(s) or ()]
        e = tcm.run_prefix_once(ctx, s.ins, CODE, prefixed) if tc.helper == "native" else None
        out.append(Fix(CODE, s.line, "`rm` of the stale dummy build follows it to "
                       "target/<triple>/", index, tuple(edits + ([e] if e else []))))
    if tc.helper == "native" and builds:
        first = builds[0].ins
        for s in ctx.facts[index].steps:
            if s.cmd.name == "strip" and s.ins.index >= first.index:
                edits = [Edit(s.cmd.words[0].start, s.cmd.words[0].end, '"$STRIP"', CODE)]
                e = tcm.run_prefix_once(ctx, s.ins, CODE, prefixed)
                if e is not None:
                    edits.append(e)
                out.append(Fix(CODE, s.line, "strip with the target's strip", index,
                               tuple(edits)))
    return out


def _cargo_edits(ctx: Context, s: Step, helper: str, env: dict[str, str | None],
                 pin_later: bool = False) -> list[Edit]:
    cmd = s.cmd
    args = cmd.args
    i, sub = cargo_sub(args)
    words = cmd.words[1:]
    out: list[Edit] = []
    if helper == "xx":
        name = cmd.words[0]
        out.append(Edit(name.start, name.end, "xx-cargo", CODE))
    else:
        if pin_later:  # the setup ran before the pin was copied: add it for the pin
            at = cmd.start
            out.append(Edit(at, at, 'rustup target add "$RUST_TARGET" && ', CODE, 1))
        anchor = words[i + 1] if sub in ("chef", "auditable") and i + 1 < len(words) \
            else words[i]
        out.append(Edit(anchor.end, anchor.end, ' --target "$RUST_TARGET"', CODE))
    triple = triple_of(helper)
    if sub in ("build", "b", "auditable", "rustc"):
        tdir = cargo_flag(args, "--target-dir")
        if tdir is None:
            tdir = '"$CARGO_TARGET_DIR"' if env.get("CARGO_TARGET_DIR") else "target"
        prof = profile_dir(args)
        end = cmd.words[-1].end
        cont = _continue(ctx, s)
        find = f"find {tdir}/{triple}/{prof} -maxdepth 1 -type f -perm -100"
        install = f"-exec install -pDt {tdir}/{prof} {{}} +"
        eol = ctx.df.text.find("\n", end)
        rest = ctx.df.text[end:eol if eol >= 0 else None].rstrip("\r")
        if "\n" in cont and len(cont.rsplit("\n", 1)[1] + find + install + rest) + 1 > MAX_WIDTH:
            # the copy-back and what followed the build on its line: over the width, the
            # -exec goes on a line of its own
            find += f" {_escape(ctx, s)}{ctx.df.newline}      "
        else:
            find += " "
        out.append(Edit(end, end, cont + find + install, CODE))
    return out


MAX_WIDTH = 120  # the longest line a rewrite writes where it can choose (issue 12)


def _continue(ctx: Context, s: Step) -> str:
    """`` && `` and a continuation line: the copy-back goes on its own line."""
    if s.ins.is_json:
        return " && "
    return f" && {_escape(ctx, s)}{ctx.df.newline}    "


def _escape(ctx: Context, s: Step) -> str:
    """The line-continuation character where ``s`` is: the shell's inside a heredoc
    body, the Dockerfile's (``# escape=``) elsewhere."""
    in_heredoc = any(h.body_start <= s.cmd.start < h.body_end for h in s.ins.heredocs)
    return "\\" if in_heredoc else ctx.df.escape
