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

# Base images by what they are built on. Matched on the image name (registry and
# tag removed); a tag containing "alpine" means Alpine.
_DEBIAN_IMAGES = frozenset({"rust", "golang", "gcc", "buildpack-deps", "debian", "cargo-chef"})
_UBUNTU_IMAGES = frozenset({"ubuntu"})
_ALPINE_IMAGES = frozenset({"alpine"})
# Images whose C toolchain only targets one fixed architecture.
_FIXED_TOOLCHAIN = (
    ("muslrust", "clux/muslrust ships its musl C toolchain for its own architecture only"),
    ("rust-musl-cross", "rust-musl-cross images hard-code one target triple"),
    ("blackdex/rust-musl", "blackdex/rust-musl images hard-code one target triple"),
    ("cross-rs/", "cross-rs images hard-code one target triple"),
    ("windows", "a Windows base image"),
    ("servercore", "a Windows base image"),
    ("nanoserver", "a Windows base image"),
)
# Commands that ask the machine for its architecture: on $BUILDPLATFORM they
# answer the build machine's, not the target's.
# -dev packages that are build tools (they must match the build machine).
_NATIVE_DEV = re.compile(r"^(libclang.*|clang.*|llvm.*|libc6-dev|libc-dev|musl-dev|libstdc\+\+.*)$")


def _image_name(ref: str) -> tuple[str, str]:
    """(name without registry, tag) of an image reference, lower-cased."""
    ref = ref.lower().split("@", 1)[0]
    name, _, tag = ref.rpartition(":") if ":" in ref.rsplit("/", 1)[-1] else (ref, "", "")
    return name, tag


def distro_of(image: str) -> str:
    name, tag = _image_name(image)
    short = name.rsplit("/", 1)[-1]
    if "alpine" in tag or short in _ALPINE_IMAGES or "alpine" in short:
        return "alpine"
    if short in _UBUNTU_IMAGES:
        return "ubuntu"
    if short in _DEBIAN_IMAGES:
        return "debian"
    return "unknown"


def builder_image(ctx: Context, index: int) -> str:
    """The image the chain of stage ``index`` is built on (its root's FROM, resolved)."""
    root = ctx.graph.root(index)
    return ctx.graph.resolved_base.get(root, ctx.df.stages[root].base)


def toolchain(ctx: Context, index: int, lang: str) -> Toolchain:
    """The strategy for stage ``index`` and the reasons it cannot cross-compile."""
    root = ctx.graph.root(index)
    image = builder_image(ctx, index)
    stage_line = ctx.df.stages[root].from_.line
    tc = Toolchain(distro_of(image), "native", image=image)
    low = image.lower()
    for needle, why in _FIXED_TOOLCHAIN:
        if needle in low:
            tc.reasons.append((stage_line, f"builder `{image}`: {why}; it cannot cross-compile "
                                           "for other platforms"))
            return tc
    if "$" in image:
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
        fixes.append(Fix(SETUP_CODE, st.from_.line,
                         "tonistiigi/xx (pinned by digest) and clang+lld for the build machine",
                         index, (Edit(from_end, from_end, f"{nl_before}{ctx.keyword('COPY')} "
                                      f"--from={XX_IMAGE} / /{nl}", SETUP_CODE, -3),
                                 Edit(from_end, from_end, f"{run} {native}{nl}", SETUP_CODE,
                                      -2))))
        add = "xx-apk add --no-cache" if apk else "xx-apt-get install -y --no-install-recommends"
        target = [f"{add} {' '.join(['xx-c-essentials'] + pkgs)}",
                  "xx-clang --setup-target-triple"]
        line = f"{run} " + " && ".join(target)
        fixes.append(Fix(SETUP_CODE, use.line,
                         "target C library and headers installed with xx"
                         + (f" ({', '.join(pkgs)})" if pkgs else ""),
                         index, (ctx.insert_before(use, line, SETUP_CODE, 1),)))
        return fixes
    esc, nl = ctx.df.escape, ctx.df.newline
    lines = crossmap.shell_lines(ctx.options.platforms, needs)
    text = crossmap.comment(needs) + nl + f"{run} " + f" {esc}{nl}".join(lines)
    msg = (f"target toolchain: $TARGETPLATFORM mapped by xbuild's platform table "
           f"({', '.join(ctx.options.platforms)}), variables in {ENV_FILE}; cross gcc")
    if pkgs:
        msg += " and " + ", ".join(f"{p}:<debarch>" for p in pkgs)
    fixes.append(Fix(SETUP_CODE, use.line, msg, index,
                     (ctx.insert_before(use, text, SETUP_CODE, 1),)))
    return fixes


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
        plan.fixes.append(Fix(code, ctx.df.stages[index].from_.line,
                              "cannot cross-compile: " + tc.reasons[0][1], index))
        return None
    return tc


def finish_cross(ctx: Context, index: int, plan: CrossPlan, tc: Toolchain, needs: crossmap.Needs,
                 uses: list[Instruction]) -> None:
    """Per-platform cache ids, then the first instruction that needs the target (of
    ``uses`` and the rewritten mounts) and the toolchain setup before the project's
    sources (``setup_anchor``), unless the stage (or an ancestor) has one."""
    for ins, fix in cache_mount_fixes(ctx, index, CACHE_CODE):
        plan.fixes.append(fix)
        uses.append(ins)
    if not uses:
        return
    first = min(uses, key=lambda ins: ins.index)
    plan.first_target_use = first
    if not has_setup(ctx, index):
        anchor = setup_anchor(ctx, index, first)
        plan.first_target_use = anchor
        plan.fixes.extend(setup_fixes(ctx, index, tc, needs, anchor))


def needs_of(ctx: Context, index: int, lang: str, **flags: bool) -> crossmap.Needs:
    """What the stage's cross build uses (``flags``: cxx, cmake, meson, strip)."""
    return crossmap.Needs(lang, tuple(dev_packages(ctx, index)),
                          ubuntu=distro_of(builder_image(ctx, index)) == "ubuntu", **flags)


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

def cache_mount_fixes(ctx: Context, index: int, code: str) -> list[tuple[Instruction, Fix]]:
    """Cache mounts on target/, build, apt, apk or ccache dirs get a per-platform id
    (the table and the parser: ``xbuild.mounts``).

    Why: a cache mount is shared by every platform's build unless its id differs;
    once the stage runs on $BUILDPLATFORM the builds of all platforms run there
    concurrently and would share (and corrupt) one target/ directory.
    https://docs.docker.com/reference/dockerfile/#run---mounttypecache
    """
    out = []
    for ins in ctx.facts[index].stage.instructions[1:]:
        for m in mnt.mounts(ins):
            if mnt.shared_by_mistake(m) is None or ctx.graph.declares_arg(index, ins, "TARGETPLATFORM"):
                continue  # declared already: XB041 fixes it in place
            msg = f"cache mount on {m.target} gets a per-platform id (shared by all platforms otherwise)"
            edits = tuple(mnt.per_platform_edits(ins, m, code)) if mnt.editable(ins, ctx.df.text, m) else ()
            if not edits:
                msg = f"cache mount on {m.target} is shared by every platform; add id=<name>-$TARGETPLATFORM"
            out.append((ins, Fix(code, ins.line, msg, index, edits)))
    return out
