"""Cross C toolchains for moved stages: which builder distro, which helper, the setup step.

Shared by the Rust, C/C++ and cgo recipes. Two strategies (``--helper``):

- ``native``: the base distro's own cross packages. Debian has them
  (``crossbuild-essential-<debarch>`` plus ``dpkg --add-architecture`` and
  ``libfoo-dev:<debarch>`` multiarch packages); Alpine has none.
- ``xx``: tonistiigi/xx (``xx-apk``/``xx-apt-get`` install target packages into a
  sysroot, ``xx-clang``/``xx-cargo``/``xx-go`` drive clang+lld for the target).
  https://github.com/tonistiigi/xx#readme
- ``auto``: native where the distro can do it (Debian), xx where it cannot (Alpine).

The native setup maps ``$TARGETPLATFORM`` to every toolchain name at build time
with a ``case`` generated from ``xbuild.platforms.PLATFORMS`` (never assembled
from pieces in the shell) and writes the result to ``ENV_FILE``; rewritten RUN
steps source it. Platforms the distro cannot serve get an explicit failing
branch with the reason (Debian has no ARMv6 hard-float port), and anything else
fails with "unsupported platform": a build that stops is better than an image of
the wrong architecture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from xbuild.analysis import PKG
from xbuild.context import Fix
from xbuild.platforms import PLATFORMS, Platform
from xbuild.result import Edit

if TYPE_CHECKING:
    from xbuild.context import Context
    from xbuild.model import Instruction
    from xbuild.recipes import CrossPlan

ENV_FILE = "/tmp/xbuild-target.env"
MESON_CROSS_FILE = "/tmp/xbuild-meson.cross"
SOURCE_ENV = f". {ENV_FILE}"
# Pinned by version AND digest, as xx's README recommends for reproducible builds.
XX_IMAGE = ("tonistiigi/xx:1.6.1@sha256:"
            "923441d7c25f1e2eb5789f82d987693c47b8ed987c4ab3b075d6ed2b5d6779a3")
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


@dataclass
class Toolchain:
    distro: str  # debian | ubuntu | alpine | unknown
    helper: str  # native | xx
    reasons: list[tuple[int, str]] = field(default_factory=list)  # blockers
    image: str = ""

    @property
    def ok(self) -> bool:
        return not self.reasons


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


def toolchain(ctx: Context, index: int, lang: str) -> Toolchain:
    """The strategy for stage ``index`` and the reasons it cannot cross-compile."""
    g = ctx.graph
    root = g.root(index)
    image = g.resolved_base.get(root, ctx.df.stages[root].base)
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
    elif tc.distro == "ubuntu":
        foreign = [p for p in platforms if not p.startswith(("linux/amd64", "linux/386"))]
        if foreign:
            tc.reasons.append((stage_line, "Ubuntu serves non-x86 packages from "
                                           "ports.ubuntu.com, and xbuild does not rewrite apt "
                                           f"sources: cannot serve {', '.join(foreign)}"))
            return tc
        tc.helper = "xx" if wanted == "xx" else "native"
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


# -- the build-time platform mapping ---------------------------------------------------

def env_assignments(p: Platform, lang: str) -> list[str]:
    """The variables a native Debian cross build needs for ``p`` (``lang``: rust or c)."""
    gnu = p.gnu_triple
    assert gnu is not None and p.deb_arch is not None
    out = [f"GNU_TRIPLE={gnu}", f"DEB_ARCH={p.deb_arch}",
           f"XB_TOOLCHAIN=crossbuild-essential-{p.deb_arch}", f"XB_STRIP={gnu}-strip"]
    libdir = f"/usr/lib/{gnu}/pkgconfig:/usr/share/pkgconfig"
    if lang == "rust":
        triple = p.rust_gnu
        assert triple is not None
        upper = triple.upper().replace("-", "_")
        lower = triple.replace("-", "_")
        # CC_<triple> and not CC: the cc crate also compiles build scripts' C for the
        # build machine and falls back to CC for that (docs.rs/cc "External configuration").
        out = [f"RUST_TARGET={triple}"] + out + [
            f"CARGO_TARGET_{upper}_LINKER={gnu}-gcc", f"CC_{lower}={gnu}-gcc",
            f"CXX_{lower}={gnu}-g++", f"AR_{lower}={gnu}-ar", "PKG_CONFIG_ALLOW_CROSS=1",
            f"PKG_CONFIG_LIBDIR_{lower}={libdir}"]
    else:
        out += [f"CC={gnu}-gcc", f"CXX={gnu}-g++", f"AR={gnu}-ar", f"STRIP={gnu}-strip",
                f"PKG_CONFIG_LIBDIR={libdir}", f"XB_CMAKE_CPU={p.cmake_cpu}",
                f"XB_MESON_CPU={p.meson_cpu}",
                f"XB_ENDIAN={'big' if p.big_endian else 'little'}"]
    return out


def case_lines(lang: str) -> list[str]:
    """``case "$TARGETPLATFORM"`` branches, one per platform of the table."""
    lines = ['case "$TARGETPLATFORM" in']
    for p in PLATFORMS:
        pattern = p.name if p.variant else f"{p.name} | {p.name}/*"
        if p.deb_arch is None:
            lines.append(f"  {pattern}) echo 'xbuild: {p.name}: {p.note}' >&2; exit 1 ;;")
            continue
        lines.append(f"  {pattern}) echo 'export {' '.join(env_assignments(p, lang))}' ;;")
    lines.append('  *) echo "xbuild: unsupported platform $TARGETPLATFORM" >&2; exit 1 ;;')
    lines.append(f"esac > {ENV_FILE}")
    return lines


def _meson_cross_lines() -> list[str]:
    body = ("[binaries]\\nc = '%s'\\ncpp = '%s'\\nar = '%s'\\nstrip = '%s'\\n"
            "pkg-config = 'pkg-config'\\n[host_machine]\\nsystem = 'linux'\\n"
            "cpu_family = '%s'\\ncpu = '%s'\\nendian = '%s'\\n")
    return [f'printf "{body}" "$CC" "$CXX" "$AR" "$STRIP" "$XB_MESON_CPU" "$XB_CMAKE_CPU" '
            f'"$XB_ENDIAN" > {MESON_CROSS_FILE}']


def _join(ctx: Context, lines: list[str], indent: str = "    ") -> str:
    """Shell lines joined with the file's escape char and newline, continued."""
    esc = ctx.df.escape
    nl = ctx.df.newline
    out = lines[0]
    for ln in lines[1:]:
        out += f" {esc}{nl}{indent}{ln}"
    return out


def setup_fixes(ctx: Context, index: int, tc: Toolchain, lang: str, use: Instruction,
                meson: bool = False) -> list[Fix]:
    """The toolchain setup of a stage: xx and clang after its FROM (platform-neutral),
    and before ``use`` (after ``ARG TARGETPLATFORM``) the target half."""
    st = ctx.df.stages[index]
    run = ctx.keyword("RUN")
    pkgs = dev_packages(ctx, index)
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
    lines = case_lines(lang)
    lines[-1] += f" && {SOURCE_ENV} &&"
    install = " ".join(["$XB_TOOLCHAIN"] + [f'{p}:"$DEB_ARCH"' for p in pkgs])
    lines += [
        'if [ "$(dpkg --print-architecture)" = "$DEB_ARCH" ]; then '
        'XB_TOOLCHAIN="gcc g++ libc6-dev"; else dpkg --add-architecture "$DEB_ARCH"; fi &&',
        f"apt-get update && apt-get install -y --no-install-recommends {install}"]
    if meson:
        lines[-1] += " &&"
        lines += _meson_cross_lines()
    text = f"{run} " + _join(ctx, lines)
    msg = ("target toolchain from the platform table: $TARGETPLATFORM mapped to triples and "
           f"Debian arch in {ENV_FILE}; cross gcc")
    if pkgs:
        msg += " and " + ", ".join(f"{p}:<debarch>" for p in pkgs)
    fixes.append(Fix(SETUP_CODE, use.line, msg, index,
                     (ctx.insert_before(use, text, SETUP_CODE, 1),)))
    return fixes


def author_cross_compiles(ctx: Context, index: int) -> bool:
    """The stage uses xx, or its chain names a TARGET* ARG: its author cross-compiles."""
    from xbuild.analysis import XX
    from xbuild.recipes.go import facts_uses_target

    if XX in ctx.facts[index].kinds():
        return True
    return any(facts_uses_target(ctx, i) for i in ctx.graph.chain(index))


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


def finish_cross(ctx: Context, index: int, plan: CrossPlan, tc: Toolchain, lang: str,
                 uses: list[Instruction], meson: bool = False) -> None:
    """Per-platform cache ids, then the first instruction that needs the target (of
    ``uses`` and the rewritten mounts) and the toolchain setup before it, unless the
    stage (or an ancestor) has one."""
    for ins, fix in cache_mount_fixes(ctx, index, CACHE_CODE):
        plan.fixes.append(fix)
        uses.append(ins)
    if not uses:
        return
    first = min(uses, key=lambda ins: ins.index)
    plan.first_target_use = first
    if not has_setup(ctx, index):
        plan.fixes.extend(setup_fixes(ctx, index, tc, lang, first, meson=meson))


def has_setup(ctx: Context, index: int) -> bool:
    """A stage (or an ancestor) already carries xbuild's or xx's setup."""
    for i in ctx.graph.chain(index):
        for ins in ctx.df.stages[i].instructions:
            text = ctx.df.text[ins.start:ins.end]
            if ENV_FILE in text or "tonistiigi/xx" in text:
                return True
    return False


def run_prefix(ctx: Context, ins: Instruction, code: str) -> Edit | None:
    """Source ``ENV_FILE`` at the start of a RUN's script (None: exec form)."""
    from xbuild.analysis import run_scripts

    scripts = run_scripts(ins, ctx.df.text)
    if not scripts:
        return None
    if ins.heredocs and scripts and len(scripts) and ins.rest.lstrip().startswith("<<"):
        h = ins.heredocs[0]
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

_CACHE_PER_PLATFORM = re.compile(r"(^|/)(target|build)/?$|^/var/cache/apt|^/var/lib/apt|"
                                 r"^/var/cache/apk|^/etc/apk/cache|ccache")


def cache_mount_fixes(ctx: Context, index: int, code: str) -> list[tuple[Instruction, Fix]]:
    """``--mount=type=cache`` on target/, apt, apk or ccache dirs gets a per-platform id.

    Why: a cache mount is shared by every platform's build unless its id differs;
    once the stage runs on $BUILDPLATFORM the builds of all platforms run there
    concurrently and would share (and corrupt) one target/ directory.
    https://docs.docker.com/reference/dockerfile/#run---mounttypecache
    """
    out = []
    for ins in ctx.facts[index].stage.instructions[1:]:
        if ins.cmd != "RUN":
            continue
        for w in ins.words:
            if not w.value.startswith("--"):
                break
            if not w.value.lower().startswith("--mount="):
                continue
            raw = w.value[len("--mount="):]
            quoted = raw[:1] in "'\"" and raw[-1:] == raw[:1]
            value = raw[1:-1] if quoted else raw
            opts = {}
            for part in value.split(","):
                k, _, v = part.partition("=")
                opts[k.strip().lower()] = v.strip()
            if opts.get("type") != "cache":
                continue
            tgt = opts.get("target") or opts.get("dst") or opts.get("destination") or ""
            if not _CACHE_PER_PLATFORM.search(tgt):
                continue
            if "TARGETPLATFORM" in opts.get("id", ""):
                continue
            if _declared_before(ctx, index, ins):
                continue  # XB041 fixes it in place: the ARG is already there
            end = ins.orig(w.end) - (1 if quoted else 0)
            if "id" in opts:
                # append to the id value, wherever it sits in the option list
                pos = _option_value_end(value, "id")
                at = ins.orig(w.start) + len("--mount=") + (1 if quoted else 0) + pos
                edit = Edit(at, at, "-$TARGETPLATFORM", code)
            else:
                edit = Edit(end, end, f",id={tgt}-$TARGETPLATFORM", code)
            out.append((ins, Fix(code, ins.line, f"cache mount on {tgt} gets a per-platform id "
                                                 "(shared by all platforms otherwise)",
                                 index, (edit,))))
    return out


def _option_value_end(value: str, key: str) -> int:
    pos = 0
    for part in value.split(","):
        k = part.partition("=")[0].strip().lower()
        if k == key:
            return pos + len(part.rstrip())
        pos += len(part) + 1
    return len(value)


def _declared_before(ctx: Context, index: int, ins: Instruction) -> bool:
    arg = ctx.facts[index].args.get("TARGETPLATFORM")
    return arg is not None and arg[0] is None and arg[1].index < ins.index
