"""Just enough ELF to tell which platform a binary was built for.

Reads the identification bytes (class, data encoding), ``e_type``, ``e_machine``,
the ``PT_INTERP`` program header (the dynamic loader a binary asks for), the
``PT_DYNAMIC`` segment's ``DT_NEEDED`` and ``DT_SONAME`` entries (the libraries a
binary or shared object links, read through ``DT_STRTAB`` as the loader does:
a virtual address mapped to a file offset by the ``PT_LOAD`` segments) and, for
32-bit ARM, ``Tag_CPU_arch`` from the ``.ARM.attributes`` section: e_machine is
EM_ARM for ARMv5, v6 and v7 alike, so only the build attributes tell a v7 binary
that crashes on a v6 CPU from a v6 one.

References: System V gABI ch. 4 (ELF header, section header), ch. 5 (program
header, dynamic section); "Addenda to, and Errata in, the ABI for the Arm Architecture"
(IHI 0045, build attributes: format-version 'A', "aeabi" subsection,
Tag_File = 1, Tag_CPU_arch = 6).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

ELF_MAGIC = b"\x7fELF"
ELFCLASS32, ELFCLASS64 = 1, 2
ELFDATA2LSB, ELFDATA2MSB = 1, 2
ET_REL, ET_EXEC, ET_DYN, ET_CORE = 1, 2, 3, 4
PT_LOAD, PT_DYNAMIC, PT_INTERP = 1, 2, 3
DT_NULL, DT_NEEDED, DT_STRTAB, DT_STRSZ, DT_SONAME = 0, 1, 5, 10, 14
MAX_DYNAMIC = 4096  # entries read from PT_DYNAMIC (real files have a few dozen)
SHT_ARM_ATTRIBUTES = 0x70000003

# e_machine values (elf.h) -> a readable name for messages.
MACHINE_NAMES = {
    3: "x86 (EM_386)", 8: "MIPS (EM_MIPS)", 20: "PowerPC (EM_PPC)", 21: "PowerPC64 (EM_PPC64)",
    22: "s390 (EM_S390)", 40: "ARM (EM_ARM)", 62: "x86-64 (EM_X86_64)", 183: "AArch64 (EM_AARCH64)",
    243: "RISC-V (EM_RISCV)", 258: "LoongArch (EM_LOONGARCH)",
}

# Tag_CPU_arch values (IHI 0045 section 3.3.5.2).
CPU_ARCH_NAMES = {
    0: "pre-v4", 1: "v4", 2: "v4T", 3: "v5T", 4: "v5TE", 5: "v5TEJ", 6: "v6", 7: "v6KZ",
    8: "v6T2", 9: "v6K", 10: "v7", 11: "v6-M", 12: "v6S-M", 13: "v7E-M", 14: "v8-A",
    15: "v8-R", 16: "v8-M.baseline", 17: "v8-M.mainline", 18: "v8.1-A", 19: "v8.2-A",
    20: "v8.3-A", 21: "v8.1-M.mainline", 22: "v9-A",
}
TAG_FILE = 1
TAG_CPU_ARCH = 6


class ELFError(ValueError):
    """Not a well-formed ELF file (truncated, or offsets outside the file)."""


@dataclass(frozen=True)
class ELFInfo:
    elf_class: int  # 32 or 64
    big_endian: bool
    e_type: int
    machine: int
    interpreter: str | None  # PT_INTERP path, None for a static binary
    arm_cpu_arch: int | None  # Tag_CPU_arch, None when absent or not ARM
    needed: tuple[str, ...] = ()  # DT_NEEDED, in file order
    soname: str | None = None  # DT_SONAME

    @property
    def machine_name(self) -> str:
        return MACHINE_NAMES.get(self.machine, f"e_machine {self.machine}")


def is_elf(data: bytes) -> bool:
    return data[:4] == ELF_MAGIC


def _uleb128(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ELFError("truncated ULEB128 in .ARM.attributes")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, pos


def _ntbs(data: bytes, pos: int) -> int:
    end = data.find(b"\0", pos)
    if end < 0:
        raise ELFError("unterminated string in .ARM.attributes")
    return end + 1


def arm_cpu_arch(section: bytes, endian: str) -> int | None:
    """Tag_CPU_arch from an ``.ARM.attributes`` section body, or None."""
    if not section or section[0:1] != b"A":
        return None
    pos = 1
    while pos + 4 <= len(section):
        (length,) = struct.unpack_from(endian + "I", section, pos)
        if length < 4 or pos + length > len(section):
            raise ELFError("bad .ARM.attributes subsection length")
        end = pos + length
        vendor_end = _ntbs(section, pos + 4)
        vendor = section[pos + 4: vendor_end - 1]
        if vendor == b"aeabi":
            p = vendor_end
            while p < end:
                tag, p2 = _uleb128(section, p)
                if p2 + 4 > end:
                    raise ELFError("truncated .ARM.attributes sub-subsection")
                (size,) = struct.unpack_from(endian + "I", section, p2)
                if size < 5 or p + size > end:
                    raise ELFError("bad .ARM.attributes sub-subsection size")
                if tag == TAG_FILE:
                    q, stop = p2 + 4, p + size
                    while q < stop:
                        attr, q = _uleb128(section, q)
                        if attr == TAG_CPU_ARCH:
                            value, q = _uleb128(section, q)
                            return value
                        # IHI 0045: tags 4, 5, 67 and odd tags > 32 are strings;
                        # 32 (Tag_compatibility) is a ULEB then a string; the rest ULEB.
                        if attr in (4, 5, 67) or (attr > 32 and attr % 2 == 1):
                            q = _ntbs(section, q)
                        elif attr == 32:
                            _, q = _uleb128(section, q)
                            q = _ntbs(section, q)
                        else:
                            _, q = _uleb128(section, q)
                p += size
        pos = end
    return None


def parse(data: bytes) -> ELFInfo:
    """Parse an ELF image held in memory; ``ELFError`` when it is not one."""
    if len(data) < 16 or not is_elf(data):
        raise ELFError("not an ELF file")
    cls, enc = data[4], data[5]
    if cls not in (ELFCLASS32, ELFCLASS64) or enc not in (ELFDATA2LSB, ELFDATA2MSB):
        raise ELFError(f"bad ELF identification (class {cls}, data {enc})")
    e = "<" if enc == ELFDATA2LSB else ">"
    try:
        if cls == ELFCLASS64:
            (e_type, e_machine, _v, _entry, e_phoff, e_shoff, _flags, _ehsize, e_phentsize, e_phnum,
             e_shentsize, e_shnum, _shstrndx) = struct.unpack_from(e + "HHIQQQIHHHHHH", data, 16)
        else:
            (e_type, e_machine, _v, _entry, e_phoff, e_shoff, _flags, _ehsize, e_phentsize, e_phnum,
             e_shentsize, e_shnum, _shstrndx) = struct.unpack_from(e + "HHIIIIIHHHHHH", data, 16)
    except struct.error:
        raise ELFError("truncated ELF header") from None

    interp = None
    loads: list[tuple[int, int, int]] = []  # (p_vaddr, p_offset, p_filesz)
    dynamic: tuple[int, int] | None = None  # (p_offset, p_filesz)
    for i in range(e_phnum if e_phoff else 0):
        off = e_phoff + i * e_phentsize
        try:
            if cls == ELFCLASS64:
                p_type, _f, p_offset, p_vaddr, _pa, p_filesz = struct.unpack_from(e + "IIQQQQ", data, off)
            else:
                p_type, p_offset, p_vaddr, _pa, p_filesz = struct.unpack_from(e + "IIIII", data, off)
        except struct.error:
            raise ELFError("program header table outside the file") from None
        if p_type == PT_INTERP and interp is None:
            raw = data[p_offset: p_offset + p_filesz]
            if len(raw) != p_filesz:
                raise ELFError("PT_INTERP outside the file")
            interp = bytes(raw).split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
        elif p_type == PT_LOAD:
            loads.append((p_vaddr, p_offset, p_filesz))
        elif p_type == PT_DYNAMIC and dynamic is None:
            dynamic = (p_offset, p_filesz)
    needed, soname = _dynamic(data, e, cls, dynamic, loads) if dynamic else ((), None)

    cpu_arch = None
    if e_machine == 40 and cls == ELFCLASS32 and e_shoff:
        for i in range(e_shnum):
            off = e_shoff + i * e_shentsize
            try:
                _name, sh_type, _fl, _addr, sh_offset, sh_size = struct.unpack_from(e + "IIIIII", data, off)
            except struct.error:
                raise ELFError("section header table outside the file") from None
            if sh_type == SHT_ARM_ATTRIBUTES:
                body = data[sh_offset: sh_offset + sh_size]
                if len(body) != sh_size:
                    raise ELFError(".ARM.attributes outside the file")
                cpu_arch = arm_cpu_arch(body, e)
                break

    return ELFInfo(elf_class=32 if cls == ELFCLASS32 else 64, big_endian=enc == ELFDATA2MSB,
                   e_type=e_type, machine=e_machine, interpreter=interp, arm_cpu_arch=cpu_arch,
                   needed=needed, soname=soname)


def _dynamic(data: bytes, e: str, cls: int, dynamic: tuple[int, int],
             loads: list[tuple[int, int, int]]) -> tuple[tuple[str, ...], str | None]:
    """DT_NEEDED names and DT_SONAME from the PT_DYNAMIC segment."""
    offset, size = dynamic
    fmt, step = (e + "qQ", 16) if cls == ELFCLASS64 else (e + "iI", 8)
    if offset + size > len(data):
        raise ELFError("PT_DYNAMIC outside the file")
    strtab = strsz = None
    needed_at: list[int] = []
    soname_at = None
    for i in range(min(size // step, MAX_DYNAMIC)):
        tag, val = struct.unpack_from(fmt, data, offset + i * step)
        if tag == DT_NULL:
            break
        if tag == DT_NEEDED:
            needed_at.append(val)
        elif tag == DT_SONAME:
            soname_at = val
        elif tag == DT_STRTAB:
            strtab = val
        elif tag == DT_STRSZ:
            strsz = val
    if not needed_at and soname_at is None:
        return (), None
    if strtab is None:
        raise ELFError("PT_DYNAMIC has DT_NEEDED/DT_SONAME but no DT_STRTAB")
    # DT_STRTAB is a virtual address: the PT_LOAD segment holding it gives its file offset
    base = next((off + strtab - va for va, off, sz in loads if va <= strtab < va + sz), None)
    if base is None:
        raise ELFError("DT_STRTAB is not inside any PT_LOAD segment")
    limit = min(len(data), base + strsz) if strsz is not None else len(data)

    def string(at: int) -> str:
        start = base + at
        end = data.find(b"\0", start, limit)
        if start >= limit or end < 0:
            raise ELFError("dynamic string outside DT_STRTAB")
        return bytes(data[start:end]).decode("utf-8", "surrogateescape")

    return tuple(string(at) for at in needed_at), (string(soname_at) if soname_at is not None else None)
