"""The build-time platform mapping: the one generator of the shell that turns
``$TARGETPLATFORM`` into a Debian cross toolchain, for ``convert`` and ``init`` alike.

The emitted block, in this order:

1. ``case "$TARGETPLATFORM"``: one row per platform the file is converted for
   (``--platforms``), holding only columns of ``xbuild.platforms.PLATFORMS``
   (``set -- <deb arch> <gnu triple> ...``); any other platform fails the build
   with a message saying so: a build that stops beats an image of the wrong
   architecture. Rows only for the requested platforms keep the file short; every
   platform of the table works when it is asked for.
2. the derived values, once: the variables later steps need (``CC``, cargo's
   linker variable...), written to ``ENV_FILE``, which rewritten steps source.
3. the toolchain: nothing when the target is the build machine's own
   architecture (its compilers are in the image already); else Debian's
   ``gcc-<triple>`` (``g++-<triple>`` only for C++) with the target's C library,
   and the stage's ``-dev`` packages as ``:<debarch>``.

Names that are not columns are derived in the shell from the columns (``tr``),
never typed per platform: Debian spells the cross gcc package with ``-`` where
the triple has ``_`` (``gcc-x86-64-linux-gnu``), cargo's linker variable is the
Rust target upper-cased (https://doc.rust-lang.org/cargo/reference/config.html#targettriplelinker).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xbuild.platforms import Platform, lookup

ENV_FILE = "/etc/xbuild.env"
MESON_CROSS_FILE = "/etc/xbuild-meson.ini"
SOURCE_ENV = f". {ENV_FILE}"
MAX_LINE = 116  # shell per line after the 4-space indent and before " \\": lines stay within 120

# column attribute -> (what the comment calls it, the value of a platform)
_COLUMNS: dict[str, tuple[str, Callable[[Platform], object]]] = {
    "deb_arch": ("Debian arch", lambda p: p.deb_arch),
    "gnu_triple": ("GNU triple", lambda p: p.gnu_triple),
    "rust_gnu": ("Rust target", lambda p: p.rust_gnu),
    "cmake_cpu": ("CMake CPU", lambda p: p.cmake_cpu),
    "meson_cpu": ("Meson CPU family", lambda p: p.meson_cpu),
    "endian": ("endianness", lambda p: "big" if p.big_endian else "little"),
}
# only the target's multiarch .pc files (Debian layout)
_PKGCONFIG = "PKG_CONFIG_LIBDIR=/usr/lib/$2/pkgconfig:/usr/share/pkgconfig"


@dataclass(frozen=True)
class Needs:
    """What one stage's cross build uses; only that is installed and exported."""

    lang: str  # rust | c | cgo
    dev_packages: tuple[str, ...] = ()
    cxx: bool = False
    cmake: bool = False
    meson: bool = False
    strip: bool = False
    ubuntu: bool = False  # Ubuntu builder: a non-x86 target's packages come from ports

    @property
    def columns(self) -> tuple[str, ...]:
        cols = ["deb_arch", "gnu_triple"]
        if self.lang == "rust":
            cols.append("rust_gnu")
        if self.cmake or self.meson:
            cols.append("cmake_cpu")
        if self.meson:
            cols += ["meson_cpu", "endian"]
        return tuple(cols)


def table_platforms(platforms: tuple[str, ...]) -> list[Platform]:
    """The table rows for ``--platforms``: one per table entry (amd64/v2 is amd64)."""
    out: list[Platform] = []
    for name in platforms:
        p = lookup(name)
        if p not in out:
            out.append(p)
    return out


def _pattern(p: Platform) -> str:
    # BuildKit keeps an explicit variant (linux/amd64/v2, linux/arm64/v8): a platform
    # without a variant in the table matches its variants too.
    return p.name if p.variant else f"{p.name}*"


def comment(needs: Needs) -> str:
    names = ", ".join(_COLUMNS[c][0] for c in needs.columns)
    return f"# xbuild: cross toolchain; rows: {names} (from xbuild's platform table)"


def table(platforms: tuple[str, ...], needs: Needs) -> list[str]:
    """The ``case`` rows, then the failing default (shell lines, one row each)."""
    rows = ['case "$TARGETPLATFORM" in']
    for p in table_platforms(platforms):
        if p.deb_arch is None or p.gnu_triple is None:
            rows.append(f"{_pattern(p)}) echo 'xbuild: {p.name}: {p.note}' >&2; exit 1 ;;")
            continue
        values = " ".join(str(_COLUMNS[c][1](p)) for c in needs.columns)
        rows.append(f"{_pattern(p)}) set -- {values} ;;")
    rows.append('*) echo "xbuild: $TARGETPLATFORM is not in this table (--platforms)" >&2; exit 1 ;; esac')
    return rows


def derived(needs: Needs) -> list[str]:
    """``export`` assignments written to ``ENV_FILE`` ($1.. are the row's columns)."""
    if needs.lang == "rust":
        # The cc crate finds <gnu-triple>-gcc for a Debian target triple by itself;
        # plain CC would also compile build scripts' C for the wrong machine (docs.rs/cc).
        out = ["RUST_TARGET=$3", "CARGO_TARGET_$(echo $3 | tr a-z- A-Z_)_LINKER=$2-gcc"]
        if needs.dev_packages:
            out += ["PKG_CONFIG_ALLOW_CROSS=1", _PKGCONFIG]
    else:
        out = ["GNU_TRIPLE=$2", "CC=$2-gcc"]
        if needs.cxx:
            out.append("CXX=$2-g++")
        if needs.lang == "c":
            out.append("AR=$2-ar")
        if needs.dev_packages:
            out.append(_PKGCONFIG)
        if needs.cmake or needs.meson:
            out.append("CMAKE_CPU=$3")
    if needs.strip:
        out.append("STRIP=$2-strip")
    return out


def install(needs: Needs) -> str:
    """The target toolchain: Debian's gcc-<triple> (g++-<triple> for C++), whose
    Recommends are exactly the target's C library (libc6-dev-<debarch>-cross), unless
    the compiler for the triple is there already (the build machine's own arch); the
    ``-dev`` packages as ``:<debarch>`` (multiarch)."""
    tool = "g++" if needs.cxx else "gcc"
    pkgs = "$(echo gcc-$2 g++-$2 | tr _ -)" if needs.cxx else "$(echo gcc-$2 | tr _ -)"
    if not needs.dev_packages:
        return f"command -v $2-{tool} >/dev/null || {{ apt-get update; apt-get install -y {pkgs}; }}"
    dev = " ".join(f"{p}:$1" for p in needs.dev_packages)
    names = "gcc-$2 g++-$2" if needs.cxx else "gcc-$2"
    missing = f"$(command -v $2-{tool} >/dev/null || echo {names} | tr _ -)"
    return f"dpkg --add-architecture $1; apt-get update; apt-get install -y {missing} {dev}"


# Ubuntu keeps x86 packages on archive.ubuntu.com and every other architecture on
# ports.ubuntu.com (https://wiki.ubuntu.com/MultiarchSpec, "Ubuntu specifics").
UBUNTU_ARCHIVE = "http://archive.ubuntu.com/ubuntu"
UBUNTU_PORTS = "http://ports.ubuntu.com/ubuntu-ports"
UBUNTU_KEYRING = "/usr/share/keyrings/ubuntu-archive-keyring.gpg"
UBUNTU_LIST = "/etc/apt/sources.list.d/xbuild-target.list"


def ubuntu_sources(etc: str = "/etc") -> list[str]:
    """Shell statements that let apt fetch packages of the target arch ($1) on Ubuntu,
    when its archive is not the build machine's: the image's sources are pinned to the
    build machine's arch (``Architectures:`` in deb822 ``*.sources``, 24.04+, or
    ``[arch=]`` in ``sources.list``, 22.04) and a list for $1 is added, same suites.
    ``etc`` is for the tests, which run it on copies of both formats."""
    lst = UBUNTU_LIST.replace("/etc", etc, 1)
    return [f"m() {{ case $1 in (amd64|i386) echo {UBUNTU_ARCHIVE};; (*) echo {UBUNTU_PORTS};; esac; }}",
            "b=$(dpkg --print-architecture)", "u=$(m $1)",
            f'if [ "$u" != "$(m $b)" ]; then . {etc}/os-release',
            f'sed -i "/^Types:/a Architectures: $b" {etc}/apt/sources.list.d/*.sources 2>/dev/null || true',
            f'[ ! -f {etc}/apt/sources.list ] || sed -i "s/^deb \\(http\\)/deb [arch=$b] \\1/" '
            f"{etc}/apt/sources.list",
            "for s in $VERSION_CODENAME $VERSION_CODENAME-updates $VERSION_CODENAME-security",
            f'do echo "deb [arch=$1 signed-by={UBUNTU_KEYRING}] $u $s main universe"',
            f"done > {lst}", "fi"]


def meson_cross_file() -> str:
    """A Meson cross file for the row ($3 CMake CPU, $4 Meson CPU family, $5 endian)."""
    return ("printf '%s\\n' [binaries] \"c = '$2-gcc'\" \"cpp = '$2-g++'\" \"ar = '$2-ar'\" "
            "\"strip = '$2-strip'\" [host_machine] \"system = 'linux'\" \"cpu_family = '$4'\" "
            f"\"cpu = '$3'\" \"endian = '$5'\" > {MESON_CROSS_FILE}")


def setup_script(platforms: tuple[str, ...], needs: Needs) -> list[str]:
    """The shell of the setup RUN as lines (to be joined with `` \\`` continuations):
    the table rows, one a line, then the derived values and the install, packed."""
    rows = table(platforms, needs)
    head = f"set -e; {rows[0]} {rows[1]}"
    lines = [head] if len(head) <= MAX_LINE - 4 else ["set -e; " + rows[0], "  " + rows[1]]
    lines += ["  " + r for r in rows[2:-1]]
    stmts = [rows[-1]]
    if needs.lang == "rust":
        stmts.append("rustup target add $3")
    stmts.append(f"printf 'export %s\\n' {' '.join(derived(needs))} > {ENV_FILE}")
    if needs.meson:
        stmts.append(meson_cross_file())
    if needs.ubuntu and needs.dev_packages:
        stmts.extend(ubuntu_sources())
    stmts.append(install(needs))
    packed = pack(stmts, MAX_LINE - 5)  # room for the "  " of its first line and a ";"
    return lines + ["  " + packed[0]] + packed[1:]


def pack(stmts: list[str], width: int = MAX_LINE) -> list[str]:
    """Statements joined with ``; `` into lines of at most ``width`` characters: a
    statement goes on the current line if it fits, else on a new one, and only one
    longer than a line is broken, at spaces outside quotes and ``$(...)``."""
    lines: list[str] = []
    cur = ""
    for s in stmts:
        cand = f"{cur}; {s}" if cur else s
        if len(cand) <= width:
            cur = cand
            continue
        if cur:
            lines.append(cur + ";")
            cur = ""
        for w in _words(s):
            cand = f"{cur} {w}" if cur else w
            if cur and len(cand) > width:
                lines.append(cur)
                cur = w
            else:
                cur = cand
    if cur:
        lines.append(cur)
    return lines


def _words(stmt: str) -> list[str]:
    words, depth, quote, cur = [], 0, "", ""
    for ch in stmt:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == " " and not quote and depth == 0:
            words.append(cur)
            cur = ""
        else:
            cur += ch
    words.append(cur)
    return words


def shell_lines(platforms: tuple[str, ...], needs: Needs) -> list[str]:
    """``setup_script`` with continuation indents: the first line follows ``RUN ``."""
    lines = setup_script(platforms, needs)
    return [lines[0]] + ["    " + ln for ln in lines[1:]]
