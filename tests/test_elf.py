"""ELF parsing: machine, class, byte order, PT_INTERP and ARM Tag_CPU_arch."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.elfmaker import arm_attributes, make_elf
from xbuild import elf
from xbuild.platforms import BY_NAME


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_each_platform_round_trips(name):
    p = BY_NAME[name]
    data = make_elf(p.elf_machine, cls=p.elf_class, big=p.big_endian, interp="/lib/ld.so.1",
                    arm_arch=p.arm_cpu_arch)
    info = elf.parse(data)
    assert (info.machine, info.elf_class, info.big_endian) == (p.elf_machine, p.elf_class, p.big_endian)
    assert info.interpreter == "/lib/ld.so.1"
    assert info.arm_cpu_arch == p.arm_cpu_arch


def test_static_binary_has_no_interpreter():
    info = elf.parse(make_elf(183))
    assert info.interpreter is None and info.arm_cpu_arch is None
    assert info.machine_name == "AArch64 (EM_AARCH64)"


def test_arm_v6_vs_v7_attribute():
    assert elf.parse(make_elf(40, cls=32, arm_arch=6)).arm_cpu_arch == 6
    assert elf.parse(make_elf(40, cls=32, arm_arch=10)).arm_cpu_arch == 10
    assert elf.parse(make_elf(40, cls=32)).arm_cpu_arch is None  # no attributes section


def test_attribute_parser_skips_string_and_compat_tags():
    # Tag_compatibility (32: ULEB + string) and Tag_conformance (67: string) before Tag_CPU_arch
    import struct

    attrs = bytes([32, 1]) + b"gnu\0" + bytes([67]) + b"2.09\0" + bytes([6, 14])
    sub = bytes([1]) + struct.pack("<I", 5 + len(attrs)) + attrs
    body = b"A" + struct.pack("<I", 4 + 6 + len(sub)) + b"aeabi\0" + sub
    assert elf.arm_cpu_arch(body, "<") == 14
    assert elf.arm_cpu_arch(arm_attributes(9, ">"), ">") == 9
    assert elf.arm_cpu_arch(b"", "<") is None
    assert elf.arm_cpu_arch(b"B" + body[1:], "<") is None


@pytest.mark.parametrize("data, message", [
    (b"\x7fELF", "not an ELF file"),
    (b"MZ" + b"\0" * 100, "not an ELF file"),
    (b"\x7fELF\x03\x01\x01" + b"\0" * 60, "bad ELF identification"),
    (b"\x7fELF\x02\x01\x01" + b"\0" * 20, "truncated ELF header"),
])
def test_malformed(data, message):
    with pytest.raises(elf.ELFError, match=message):
        elf.parse(data)


def test_truncated_program_header():
    data = make_elf(62, interp="/lib64/ld-linux-x86-64.so.2")
    with pytest.raises(elf.ELFError):
        elf.parse(data[:80])


@pytest.mark.skipif(shutil.which("gcc") is None, reason="no gcc on this machine")
def test_real_gcc_binary(tmp_path):
    src = tmp_path / "hello.c"
    src.write_text("int main(void){return 0;}\n")
    subprocess.run(["gcc", "-o", str(tmp_path / "hello"), str(src)], check=True)
    info = elf.parse((tmp_path / "hello").read_bytes())
    assert info.machine == 62
    assert info.elf_class == 64 and not info.big_endian
    assert info.interpreter == "/lib64/ld-linux-x86-64.so.2"
    subprocess.run(["gcc", "-static", "-o", str(tmp_path / "static"), str(src)], check=True)
    assert elf.parse((tmp_path / "static").read_bytes()).interpreter is None


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_needed_and_soname_round_trip(name):
    p = BY_NAME[name]
    data = make_elf(p.elf_machine, cls=p.elf_class, big=p.big_endian, interp="/lib/ld.so.1",
                    arm_arch=p.arm_cpu_arch, e_type=3, needed=("libsqlite3.so.0", "libc.so.6"),
                    soname="libhello.so.1")
    info = elf.parse(data)
    assert info.needed == ("libsqlite3.so.0", "libc.so.6")
    assert info.soname == "libhello.so.1"
    assert info.interpreter == "/lib/ld.so.1" and info.arm_cpu_arch == p.arm_cpu_arch


def test_static_binary_has_no_needed():
    info = elf.parse(make_elf(62))
    assert info.needed == () and info.soname is None


def test_bad_dynamic_segment_is_an_elf_error():
    import struct

    data = bytearray(make_elf(62, needed=("libc.so.6",)))
    # point DT_STRTAB (the entry after DT_NEEDED) outside every PT_LOAD segment
    at = data.find(struct.pack("<qQ", 5, 0)[:8])
    struct.pack_into("<Q", data, at + 8, 0x7FFF0000)
    with pytest.raises(elf.ELFError, match="DT_STRTAB"):
        elf.parse(bytes(data))
    with pytest.raises(elf.ELFError):
        elf.parse(make_elf(62, needed=("libc.so.6",))[:120])  # PT_DYNAMIC cut off


@pytest.mark.skipif(shutil.which("gcc") is None, reason="no gcc")
def test_real_shared_object_and_executable(tmp_path):
    (tmp_path / "lib.c").write_text("#include <stdio.h>\nint f(void) { return puts(\"f\"); }\n")
    (tmp_path / "main.c").write_text("int f(void);\nint main(void) { return f(); }\n")
    subprocess.run(["gcc", "-shared", "-fPIC", "-Wl,-soname,libf.so.1", "-o", tmp_path / "libf.so",
                    tmp_path / "lib.c"], check=True)
    subprocess.run(["gcc", "-o", tmp_path / "main", tmp_path / "main.c", "-L", tmp_path, "-lf"], check=True)
    lib = elf.parse((tmp_path / "libf.so").read_bytes())
    assert lib.soname == "libf.so.1" and "libc.so.6" in lib.needed and lib.interpreter is None
    exe = elf.parse((tmp_path / "main").read_bytes())
    assert exe.needed[0] == "libf.so.1" and "libc.so.6" in exe.needed and exe.interpreter
