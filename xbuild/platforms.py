"""Platform facts: the one table every other module reads.

Nothing here is assembled by string concatenation elsewhere: a Rust triple, a
Debian architecture or an ELF machine number is looked up in ``PLATFORMS``.

Sources for each column:
- OCI platform names and variants: BuildKit's ``TARGETPLATFORM``/``TARGETVARIANT``
  (https://docs.docker.com/reference/dockerfile/#automatic-platform-args-in-the-global-scope).
- GOARCH/GOARM/GOAMD64: ``go tool dist list`` and cmd/go's environment docs.
- Rust triples: ``rustc --print target-list``; riscv64 is ``riscv64gc``.
- GNU triples and Debian arches: Debian's ``dpkg-architecture -L`` / crossbuild-essential-*;
  Debian has no ARMv6 hard-float port (armel is ARMv5 soft-float, armhf is ARMv7).
- Alpine arches: Alpine's ``apk --print-arch``; Alpine's ``armhf`` is ARMv6, ``armv7`` is ARMv7.
- ELF e_machine numbers: the System V gABI (elf.h ``EM_*``).
- tonistiigi/xx ``xx-info`` uses the same spellings (src/xx-info).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Platform:
    name: str  # OCI form: os/arch[/variant]
    goarch: str
    goarm: str | None  # GOARM for 32-bit arm
    rust_gnu: str | None
    rust_musl: str | None
    gnu_triple: str | None  # Debian/Ubuntu cross toolchain prefix; None: Debian has none
    deb_arch: str | None  # dpkg architecture; None: no Debian port
    alpine_arch: str
    elf_machine: int
    elf_class: int  # 32 or 64
    big_endian: bool = False
    # ARM EABI Tag_CPU_arch value in .ARM.attributes (v6=6, v7=10); None: not ARM32
    arm_cpu_arch: int | None = None
    note: str = ""
    # CMAKE_SYSTEM_PROCESSOR (uname -m spelling) and Meson's cpu_family
    # (https://mesonbuild.com/Reference-tables.html#cpu-families)
    cmake_cpu: str = ""
    meson_cpu: str = ""
    # binfmt_misc handler registered by Debian's qemu-user-static/binfmt-support and by
    # tonistiigi/binfmt (the same names), and the argument `tonistiigi/binfmt --install` takes
    qemu_handler: str = ""
    binfmt_arg: str = ""

    @property
    def os(self) -> str:
        return self.name.split("/")[0]

    @property
    def arch(self) -> str:
        return self.name.split("/")[1]

    @property
    def variant(self) -> str:
        parts = self.name.split("/")
        return parts[2] if len(parts) > 2 else ""

    def rust_triple(self, libc: str) -> str | None:
        """The Rust target triple for ``libc`` ('gnu' or 'musl')."""
        return self.rust_musl if libc == "musl" else self.rust_gnu


EM_386, EM_ARM, EM_PPC64, EM_S390, EM_X86_64, EM_AARCH64, EM_RISCV = 3, 40, 21, 22, 62, 183, 243

PLATFORMS: tuple[Platform, ...] = (
    Platform("linux/amd64", "amd64", None, "x86_64-unknown-linux-gnu", "x86_64-unknown-linux-musl",
             "x86_64-linux-gnu", "amd64", "x86_64", EM_X86_64, 64, cmake_cpu="x86_64", meson_cpu="x86_64",
             qemu_handler="qemu-x86_64", binfmt_arg="amd64"),
    Platform("linux/arm64", "arm64", None, "aarch64-unknown-linux-gnu", "aarch64-unknown-linux-musl",
             "aarch64-linux-gnu", "arm64", "aarch64", EM_AARCH64, 64, cmake_cpu="aarch64", meson_cpu="aarch64",
             qemu_handler="qemu-aarch64", binfmt_arg="arm64"),
    Platform("linux/arm/v7", "arm", "7", "armv7-unknown-linux-gnueabihf", "armv7-unknown-linux-musleabihf",
             "arm-linux-gnueabihf", "armhf", "armv7", EM_ARM, 32, arm_cpu_arch=10, cmake_cpu="armv7l",
             meson_cpu="arm",
             qemu_handler="qemu-arm", binfmt_arg="arm"),
    Platform("linux/arm/v6", "arm", "6", "arm-unknown-linux-gnueabihf", "arm-unknown-linux-musleabihf",
             None, None, "armhf", EM_ARM, 32, arm_cpu_arch=6,
             note="Debian has no ARMv6 hard-float port (armel is ARMv5 soft-float, armhf is ARMv7)",
             cmake_cpu="armv6l", meson_cpu="arm",
             qemu_handler="qemu-arm", binfmt_arg="arm"),
    Platform("linux/386", "386", None, "i686-unknown-linux-gnu", "i686-unknown-linux-musl",
             "i686-linux-gnu", "i386", "x86", EM_386, 32, cmake_cpu="i686", meson_cpu="x86",
             qemu_handler="qemu-i386", binfmt_arg="386"),
    Platform("linux/ppc64le", "ppc64le", None, "powerpc64le-unknown-linux-gnu", "powerpc64le-unknown-linux-musl",
             "powerpc64le-linux-gnu", "ppc64el", "ppc64le", EM_PPC64, 64, cmake_cpu="ppc64le", meson_cpu="ppc64",
             qemu_handler="qemu-ppc64le", binfmt_arg="ppc64le"),
    Platform("linux/s390x", "s390x", None, "s390x-unknown-linux-gnu", "s390x-unknown-linux-musl",
             "s390x-linux-gnu", "s390x", "s390x", EM_S390, 64, big_endian=True, cmake_cpu="s390x",
             meson_cpu="s390x",
             qemu_handler="qemu-s390x", binfmt_arg="s390x"),
    Platform("linux/riscv64", "riscv64", None, "riscv64gc-unknown-linux-gnu", "riscv64gc-unknown-linux-musl",
             "riscv64-linux-gnu", "riscv64", "riscv64", EM_RISCV, 64, cmake_cpu="riscv64", meson_cpu="riscv64",
             qemu_handler="qemu-riscv64", binfmt_arg="riscv64"),
)

BY_NAME: dict[str, Platform] = {p.name: p for p in PLATFORMS}
# Spellings BuildKit normalises to the canonical names above.
ALIASES: dict[str, str] = {
    "linux/arm": "linux/arm/v7",
    "linux/arm64/v8": "linux/arm64",
    "linux/aarch64": "linux/arm64",
    "linux/x86_64": "linux/amd64",
    "linux/amd64/v1": "linux/amd64",
    "linux/armhf": "linux/arm/v7",
    "linux/i386": "linux/386",
}
# amd64 micro-architecture variants: TARGETVARIANT -> GOAMD64.
AMD64_VARIANTS = {"v1": "v1", "v2": "v2", "v3": "v3", "v4": "v4"}

DEFAULT_PLATFORMS: tuple[str, ...] = ("linux/amd64", "linux/arm64")


def lookup(name: str) -> Platform:
    """The platform for an OCI platform string; ``KeyError`` when unknown.

    ``linux/amd64/v2``..``v4`` map to linux/amd64 (the variant only changes GOAMD64).
    """
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    if key in BY_NAME:
        return BY_NAME[key]
    parts = key.split("/")
    if len(parts) == 3 and parts[:2] == ["linux", "amd64"] and parts[2] in AMD64_VARIANTS:
        return BY_NAME["linux/amd64"]
    raise KeyError(name)


def parse_platforms(value: str) -> tuple[str, ...]:
    """Validate a ``--platform`` list (comma separated); return canonical names.

    Raises ``ValueError`` naming the first unknown platform.
    """
    out: list[str] = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            p = lookup(item)
        except KeyError:
            known = ", ".join(p.name for p in PLATFORMS)
            raise ValueError(f"unknown platform {item!r} (known: {known})") from None
        canonical = item.lower() if item.lower().startswith("linux/amd64/") else p.name
        if canonical not in out:
            out.append(canonical)
    if not out:
        raise ValueError("no platform given")
    return tuple(out)
