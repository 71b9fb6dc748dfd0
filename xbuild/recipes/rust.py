"""Rust: ``cargo build --target <triple>`` with a cross linker, on rustup-based builders.

Facts (PRIMER; cargo and rustup docs; tonistiigi/xx src/xx-cargo):
- ``rustup target add <triple>`` installs the target's std for the toolchain in
  effect *in the current directory*, so a rust-toolchain.toml pin is respected
  only when it runs where cargo runs: it is prefixed to each cargo command.
- The linker comes from ``CARGO_TARGET_<TRIPLE>_LINKER``; C code of ``-sys``
  crates from ``CC_<triple>``/``AR_<triple>`` (not ``CC``, which the cc crate
  also uses for the build machine); pkg-config needs ``PKG_CONFIG_ALLOW_CROSS=1``
  and ``PKG_CONFIG_LIBDIR_<triple>`` pointing at the multiarch directory.
- ``--target`` moves output from ``target/<profile>/`` to
  ``target/<triple>/<profile>/``. xbuild copies the executables back to
  ``target/<profile>/`` in the same RUN: later commands of that RUN, later RUNs,
  cache-mounted target dirs and ``COPY --from`` paths all keep working, and the
  Dockerfile stays platform-independent (following the path would need the
  triple in COPY, which only exists at build time).
- ``cargo install`` installs into ``$CARGO_HOME/bin`` whatever ``--target`` is.
- Debian builders (rust:*, cargo-chef) use Debian's cross gcc (glibc triple);
  Alpine builders (rust:alpine) use tonistiigi/xx (``xx-cargo``, clang+lld, musl
  triple), since Alpine has no cross gcc packages.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from xbuild import toolchain as tcm
from xbuild.analysis import Step
from xbuild.cargo import cargo_role
from xbuild.recipes.base import CrossPlan
from xbuild.vocabulary import CARGO

if TYPE_CHECKING:
    from xbuild.context import Context
    from xbuild.model import Instruction

CODE = "XB020"
def _chain_value(ctx: Context, index: int, name: str) -> str | None:
    """The value an ENV or ARG of the stage chain gives ``name`` (None: unset/no default)."""
    env = ctx.env(index)
    if env.get(name):
        return env[name]
    for i in ctx.graph.chain(index):
        got = ctx.facts[i].args.get(name)
        if got is not None and got[0]:
            return got[0]
    return None


def cargo_flag(args: list[str], *names: str) -> str | None:
    for i, a in enumerate(args):
        for n in names:
            if a == n and i + 1 < len(args):
                return args[i + 1]
            if a.startswith(n + "="):
                return a[len(n) + 1:]
    return None


def profile_dir(args: list[str]) -> str:
    prof = cargo_flag(args, "--profile")
    if prof:
        return {"dev": "debug", "test": "debug", "bench": "release"}.get(prof, prof)
    return "release" if ("--release" in args or "-r" in args) else "debug"


class RustRecipe:
    name = "rust"

    def builds(self, ctx: Context, index: int) -> list[Step]:
        return [s for s in ctx.facts[index].steps
                if s.kind == CARGO and cargo_role(s) == "build"]

    def detect(self, ctx: Context, index: int) -> bool:
        return bool(self.builds(ctx, index))

    def handles(self, ctx: Context, index: int, step: Step) -> bool:
        if step.cmd.name == "strip":  # rewritten to the target's strip (native helper)
            return tcm.toolchain(ctx, index, "rust").helper != "xx"
        return step.kind == CARGO and cargo_role(step) in ("build", "tool", "neutral", "host")

    def already_cross(self, ctx: Context, index: int) -> bool:
        if all(cargo_flag(s.cmd.args, "--target") is not None for s in self.builds(ctx, index)):
            return True
        return tcm.author_cross_compiles(ctx, index)

    def blockers(self, ctx: Context, index: int) -> list[tuple[int, str]]:
        tc = tcm.toolchain(ctx, index, "rust")
        out = list(tc.reasons)
        if out:
            return out
        chain_text = " ".join(ins.logical for i in ctx.graph.chain(index)
                              for ins in ctx.df.stages[i].instructions)
        rustup = (any(n in tc.image for n in ("rust", "cargo-chef"))
                  or "rustup" in chain_text)
        # xx-cargo installs the target's rust-stdlib from Alpine's own packages
        # (tonistiigi/xx README, "distribution packages"), so distro Rust works with xx
        if not rustup and tc.helper != "xx":
            out.append((ctx.df.stages[index].from_.line,
                        "Rust comes from the distro's packages, not rustup: no way to add the "
                        "target's standard library"))
        env = ctx.env(index)
        if "RUST_TARGET" in env or "RUST_TARGET" in ctx.facts[index].args:
            out.append((ctx.df.stages[index].from_.line,
                        "sets RUST_TARGET itself, the variable xbuild's recipe sets per platform"))
        steps = ctx.facts[index].steps
        for s in stale_removals(steps):
            # the dummy-main trick, in a form the rewrite cannot follow (see rm_insert_points)
            if rm_insert_points(s) is None:
                path = next(a for a in s.cmd.args if _TARGET_PROFILE.search(a))
                out.append((s.line, f"removes `{path}` (the dummy-main caching trick) in a "
                                    "form xbuild cannot rewrite; with --target the build "
                                    "writes to target/<triple>/release/, so the stale dummy "
                                    "build would ship; remove target/*/release/... instead"))
        if env.get("CARGO_BUILD_TARGET"):
            out.append((ctx.df.stages[index].from_.line,
                        f"CARGO_BUILD_TARGET={env['CARGO_BUILD_TARGET']} fixes one target"))
        for s in ctx.facts[index].steps:
            if s.kind != CARGO:
                continue
            role = cargo_role(s)
            if role == "other":
                out.append((s.line, f"compiles with `{' '.join([s.cmd.name] + s.cmd.args[:1])}`,"
                                    " which xbuild does not rewrite"))
            elif role == "build":
                t = cargo_flag(s.cmd.args, "--target")
                fixed = t
                if t is not None and "$" in t:  # --target $TARGET: what does it hold?
                    name = t.strip('"{}$').split("}")[0].strip("{")
                    value = _chain_value(ctx, index, name)
                    fixed = value if value and "$" not in value else None
                if fixed is not None and "$" not in fixed:
                    out.append((s.line, f"builds for a fixed --target {fixed}; that triple is "
                                        "named in later paths, so xbuild leaves it to you"))
            elif role == "host" and s.cmd.args[:1] and s.cmd.args[0] in (
                    "test", "t", "bench", "nextest"):
                out.append((s.line, f"runs the tests (`cargo {s.cmd.args[0]}`): on "
                                    "$BUILDPLATFORM they would test a build for the build machine, "
                                    "not what ships"))
            if role == "build" and tc.helper == "xx" and s.ins.is_json:
                out.append((s.line, "exec-form RUN cannot source the target environment"))
        for s in ctx.facts[index].steps:
            if s.cmd.name == "strip" and tc.helper == "xx":
                out.append((s.line, "runs `strip` on a cross-compiled binary; with xx use "
                                    "`strip = true` in the Cargo profile instead"))
        flags = env.get("RUSTFLAGS") or ""
        if "target-cpu=native" in flags:
            out.append((ctx.df.stages[index].from_.line,
                        "RUSTFLAGS has target-cpu=native: on $BUILDPLATFORM that is the build "
                        "machine's CPU"))
        return out

    def cross(self, ctx: Context, index: int) -> CrossPlan:
        """The toolchain and its setup; the cargo and strip edits are XB020's
        (``xbuild.rules.xb020_rust_target``)."""
        plan = CrossPlan(target_args=("TARGETPLATFORM",))
        tc = tcm.cross_toolchain(ctx, index, "rust", CODE, plan)
        if tc is None:
            return plan
        plan.toolchain = tc
        uses = [s.ins for s in self.builds(ctx, index)]
        strips = any(s.cmd.name == "strip" for s in ctx.facts[index].steps)
        tcm.finish_cross(ctx, index, plan, tc, tcm.needs_of(ctx, index, "rust", strip=strips), uses)
        return plan

_TARGET_PROFILE = re.compile(r"(^|/)target/(?=(release|debug)/)")


def triple_of(helper: str) -> str:
    """The shell text naming the target triple in a rewritten cargo command."""
    return '"$(xx-cargo --print-target-triple)"' if helper == "xx" else '"$RUST_TARGET"'


def stale_removals(steps: list[Step]) -> list[Step]:
    """``rm`` of files under target/release/ (or debug/) before a later cargo build: the
    dummy-main caching trick (build a stub, delete its outputs, build the real sources).
    A clean-up after the last build is not one."""
    out = []
    for k, s in enumerate(steps):
        if s.cmd.name == "rm" and any(_TARGET_PROFILE.search(a) for a in s.cmd.args) and any(
                t.kind == CARGO and cargo_role(t) == "build" for t in steps[k + 1:]):
            out.append(s)
    return out


def rm_insert_points(s: Step) -> list[int] | None:
    """Where ``rm target/release/...`` takes ``<triple>/`` so it removes
    ``target/<triple>/release/...``, where the rewritten build writes (the edits are
    XB020's); None when a path is quoted or the command is nested in a quoted script
    (offsets there are not exact)."""
    if s.cmd.nested:
        return None
    out = []
    for w in s.cmd.words[1:]:
        if _TARGET_PROFILE.search(w.text) is None:
            continue
        m = _TARGET_PROFILE.search(w.value)
        if m is None or "'" in w.value or '"' in w.value or "\\" in w.value:
            return None
        out.append(w.start + m.end())
    return out


def pin_after_setup(ctx: Context, index: int, build: Instruction) -> bool:
    """A rust-toolchain pin in the context that only arrives with the sources, after
    the setup's ``rustup target add`` (which then served the default toolchain)."""
    root = ctx.options.context
    if not root or not any(os.path.isfile(os.path.join(root, f))
                           for f in ("rust-toolchain", "rust-toolchain.toml")):
        return False
    anchor = tcm.setup_anchor(ctx, index, build)
    return not any(ins.cmd in ("COPY", "ADD") and "rust-toolchain" in ins.logical
                   for ins in ctx.df.stages[index].instructions if ins.index < anchor.index)


RUST = RustRecipe()
