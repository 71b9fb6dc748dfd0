"""Cross C toolchains for moved stages: which builder distro, which helper, where the setup goes.

Shared by the Rust, C/C++ and cgo recipes. Two strategies (``--helper``):

- ``native``: the base distro's own cross packages (Debian: ``gcc-<triple>`` plus
  ``dpkg --add-architecture`` and ``libfoo-dev:<debarch>`` multiarch packages);
  Alpine has none. The shell comes from ``xbuild.crossmap`` (shared with ``init``).
- ``xx``: tonistiigi/xx (``xx-apk``/``xx-apt-get`` install target packages into a
  sysroot, ``xx-clang``/``xx-cargo``/``xx-go`` drive clang+lld for the target).
  https://github.com/tonistiigi/xx#readme
- ``auto``: native where the distro can do it (Debian), xx where it cannot (Alpine).

The setup goes before the first COPY of the project's sources (``setup_anchor``), so a
source edit leaves the toolchain layer cached.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from xbuild import crossmap
from xbuild import mounts as mnt
from xbuild.context import Fix
from xbuild.images import Image
from xbuild.platforms import Platform
from xbuild.recipes.base import Toolchain as Toolchain
from xbuild.result import Edit
from xbuild.vocabulary import PKG, XX

if TYPE_CHECKING:
    from xbuild.context import Context
    from xbuild.model import Instruction
    from xbuild.recipes.base import CrossPlan

ENV_FILE = crossmap.ENV_FILE
MESON_CROSS_FILE = crossmap.MESON_CROSS_FILE
SOURCE_ENV = crossmap.SOURCE_ENV
# files of older xbuild versions: a stage carrying one has its setup already
_SETUP_MARKS = (ENV_FILE, "/tmp/xbuild-target.env", "tonistiigi/xx")
# Pinned by version AND digest, as xx's README recommends; how the digest was chosen: docs/recipes.md.
XX_IMAGE = ("tonistiigi/xx:1.9.0@sha256:"
            "c64defb9ed5a91eacb37f96ccc3d4cd72521c4bd18d5442905b95e2226b0e707")
SETUP_CODE = "XB021"
CACHE_CODE = "XB022"

# Commands that ask the machine for its architecture: on $BUILDPLATFORM they
# answer the build machine's, not the target's.
# -dev packages that are build tools (they must match the build machine).
_NATIVE_DEV = re.compile(r"^(libclang.*|clang.*|llvm.*|libc6-dev|libc-dev|musl-dev|libstdc\+\+.*)$")


def builder_image(ctx: Context, index: int) -> str:
    """The image the chain of stage ``index`` is built on (its root's FROM, resolved)."""
    root = ctx.graph.root(index)
    return ctx.graph.resolved_base.get(root, ctx.df.stages[root].base)


def toolchain(ctx: Context, index: int, lang: str) -> Toolchain:
    """The strategy for stage ``index`` and the reasons it cannot cross-compile."""
    root = ctx.graph.root(index)
    image = builder_image(ctx, index)
    stage_line = ctx.df.stages[root].from_.line
    ref = Image(image)
    tc = Toolchain(ref.distro, "native", image=image)
    why = ref.fixed_toolchain
    if why is not None:
        tc.reasons.append((stage_line, f"builder `{image}`: {why}; it cannot cross-compile "
                                       "for other platforms"))
        return tc
    if ref.dynamic:
        tc.reasons.append((stage_line, f"builder image `{image}` is chosen at build time; "
                                       "xbuild cannot tell its distro"))
        return tc
    if tc.distro == "unknown":
        tc.reasons.append((stage_line, f"builder `{image}`: unknown base distro (xbuild knows "
                                       "Debian/Ubuntu and Alpine cross toolchains)"))
        return tc
    platforms = ctx.options.platforms
    wanted = ctx.options.helper
    if tc.distro == "alpine":
        if wanted == "native":
            tc.reasons.append((stage_line, "Alpine has no cross-compiler packages, so "
                                           "--helper native cannot cross-compile here "
                                           "(use --helper xx or auto)"))
            return tc
        tc.helper = "xx"
    else:
        tc.helper = "xx" if wanted == "xx" else "native"
    if tc.helper == "native":
        for name in platforms:
            p = _platform(name)
            if p is not None and p.deb_arch is None:
                tc.reasons.append((stage_line, f"{name} must work (--platforms) but {p.note}; "
                                               "the stage stays emulated"))
    return tc


def _platform(name: str) -> Platform | None:
    from xbuild.platforms import lookup

    try:
        return lookup(name)
    except KeyError:
        return None


def dev_packages(ctx: Context, index: int) -> list[str]:
    """Target libraries the chain installs (``-dev`` packages, linux-headers), in order."""
    out: list[str] = []
    for i in reversed(ctx.graph.chain(index)):
        for step in ctx.facts[i].steps:
            if step.kind != PKG or step.cmd.name.startswith("xx-"):
                continue
            args = step.cmd.args
            if not any(a in ("add", "install") for a in args):
                continue
            for a in args:
                if a.startswith("-") or a in ("add", "install") or "$" in a:
                    continue
                name = re.split(r"[=<>~:]", a, maxsplit=1)[0]
                if (name.endswith("-dev") or name == "linux-headers") and \
                        not _NATIVE_DEV.match(name) and name not in out:
                    out.append(name)
    return out


# -- where the setup goes ---------------------------------------------------------------

# Files that describe dependencies, not code: copied before the setup, they keep the
# layers that fetch dependencies shared by every platform (and a rust-toolchain pin
# in effect for ``rustup target add``); any other COPY/ADD is the project's sources.
_MANIFESTS = frozenset({"cargo.toml", "cargo.lock", "rust-toolchain", "rust-toolchain.toml",
                        "go.mod", "go.sum", "package.json", "package-lock.json", "yarn.lock",
                        "pnpm-lock.yaml", "requirements.txt", "conanfile.txt", "vcpkg.json"})


def _manifest_only(ins: Instruction) -> bool:
    if ins.flag_value("from") is not None:
        return False
    srcs = [w.value for w in ins.words if not w.value.startswith("--")][:-1]
    return bool(srcs) and all(s.strip("'\"").rstrip("/").rsplit("/", 1)[-1].lower() in _MANIFESTS
                              for s in srcs)


def setup_anchor(ctx: Context, index: int, use: Instruction) -> Instruction:
    """Where the toolchain setup goes: before the first COPY/ADD of the project's
    sources above ``use`` (nothing the setup needs comes from them, so a source edit
    leaves the toolchain layer cached), else right before ``use``."""
    for ins in ctx.df.stages[index].instructions[1:]:
        if ins.index >= use.index:
            break
        if ins.cmd in ("COPY", "ADD") and not _manifest_only(ins):
            return ins
    return use


def author_cross_compiles(ctx: Context, index: int) -> bool:
    """The stage uses xx, or its chain names a TARGET* ARG: its author cross-compiles."""
    if XX in ctx.facts[index].kinds():
        return True
    return any(ctx.facts[i].uses_target_args() for i in ctx.graph.chain(index))


def cross_toolchain(ctx: Context, index: int, lang: str, code: str,
                    plan: CrossPlan) -> Toolchain | None:
    """The toolchain of a moved stage the recipe must rewrite, or None: the stage only
    moved along with its tree (the export never reads it), or no toolchain fits (then
    ``plan`` gets a finding that says why, on the FROM line)."""
    if index not in ctx.graph.feeds:
        return None
    tc = toolchain(ctx, index, lang)
    if not tc.ok:
        plan.findings.append(Fix(code, ctx.df.stages[index].from_.line,
                              "cannot cross-compile: " + tc.reasons[0][1], index))
        return None
    return tc


def finish_cross(ctx: Context, index: int, plan: CrossPlan, tc: Toolchain, needs: crossmap.Needs,
                 uses: list[Instruction]) -> None:
    """Settle where the toolchain goes: the first instruction that needs the target (of
    ``uses`` and the cache mounts XB022 makes per-platform), and the setup before the
    project's sources (``setup_anchor``), unless the stage (or an ancestor) has one.
    The edits are the rules' (XB021 the setup, XB022 the cache ids)."""
    plan.toolchain, plan.needs = tc, needs
    uses = uses + [ins for ins, _ in per_platform_mounts(ctx, index)]
    if not uses:
        return
    first = min(uses, key=lambda ins: ins.index)
    plan.first_target_use = first
    if not has_setup(ctx, index):
        plan.first_target_use = plan.setup_at = setup_anchor(ctx, index, first)


def needs_of(ctx: Context, index: int, lang: str, **flags: bool) -> crossmap.Needs:
    """What the stage's cross build uses (``flags``: cxx, cmake, meson, strip)."""
    return crossmap.Needs(lang, tuple(dev_packages(ctx, index)),
                          ubuntu=Image(builder_image(ctx, index)).distro == "ubuntu", **flags)


def has_setup(ctx: Context, index: int) -> bool:
    """A stage (or an ancestor) already carries xbuild's or xx's setup."""
    for i in ctx.graph.chain(index):
        for ins in ctx.df.stages[i].instructions:
            text = ctx.df.text[ins.start:ins.end]
            if any(mark in text for mark in _SETUP_MARKS):
                return True
    return False


def run_prefix(ctx: Context, ins: Instruction, code: str) -> Edit | None:
    """Source ``ENV_FILE`` at the start of a RUN's script (None: exec form)."""
    from xbuild.analysis import run_scripts

    scripts = run_scripts(ins, ctx.df.text)
    if not scripts:
        return None
    # ``RUN <<EOF``: BuildKit runs the body itself, so the prefix goes into it. A shell
    # reading a heredoc (``RUN bash <<EOF``) gets it on the outer command instead: the
    # outer shell expands an unquoted body before bash reads it, so the variables must
    # be set there already (the file exports them, so bash inherits them too)
    if ins.heredocs and scripts and ins.rest.lstrip().startswith("<<"):
        # the first script with a body: an empty one (``<<EOF`` then ``EOF``) starts at
        # its terminator, and text put there would stop ending the heredoc
        bodies = [h for h in ins.heredocs if h.body_end > h.body_start]
        if not bodies:
            return None
        h = bodies[0]
        at = h.body_start
        first = ctx.df.text[at:ctx.df.text.find("\n", at) + 1]
        if first.startswith("#!"):
            at += len(first)
        return Edit(at, at, SOURCE_ENV + "; ", code, -1)
    at = ins.orig(ins.rest_offset)
    return Edit(at, at, SOURCE_ENV + " && ", code, -1)


def run_prefix_once(ctx: Context, ins: Instruction, code: str,
                    prefixed: set[int]) -> Edit | None:
    """``run_prefix`` for a RUN not in ``prefixed`` (instruction indexes), which it joins:
    a RUN with several rewritten commands sources the file once."""
    if ins.index in prefixed:
        return None
    edit = run_prefix(ctx, ins, code)
    if edit is not None:
        prefixed.add(ins.index)
    return edit


# -- per-platform cache mounts ----------------------------------------------------------

def per_platform_mounts(ctx: Context, index: int) -> list[tuple[Instruction, mnt.Mount]]:
    """The cache mounts of a moved stage that rule XB022 gives a per-platform id: on
    target/, build, apt, apk or ccache dirs (the table and the parser: ``xbuild.mounts``),
    in a RUN that does not see ``ARG TARGETPLATFORM`` yet (else XB041 fixes it in place).

    Why: a cache mount is shared by every platform's build unless its id differs;
    once the stage runs on $BUILDPLATFORM the builds of all platforms run there
    concurrently and would share (and corrupt) one target/ directory.
    https://docs.docker.com/reference/dockerfile/#run---mounttypecache
    """
    return [(ins, m) for ins in ctx.facts[index].stage.instructions[1:] for m in mnt.mounts(ins)
            if mnt.shared_by_mistake(m) is not None
            and not ctx.graph.declares_arg(index, ins, "TARGETPLATFORM")]
