"""Hand-made minimal ELF files and OCI image layouts for the verify tests."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import struct
import tarfile


def uleb(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def arm_attributes(cpu_arch: int, endian: str = "<") -> bytes:
    attrs = uleb(5) + b"7-A\0" + uleb(6) + uleb(cpu_arch) + uleb(8) + uleb(1)
    sub = uleb(1) + struct.pack(endian + "I", 1 + 4 + len(attrs)) + attrs
    vendor = b"aeabi\0"
    return b"A" + struct.pack(endian + "I", 4 + len(vendor) + len(sub)) + vendor + sub


def make_elf(machine: int, cls: int = 64, big: bool = False, interp: str | None = None,
             arm_arch: int | None = None, e_type: int = 2, needed: tuple[str, ...] = (),
             soname: str | None = None) -> bytes:
    """A minimal ELF file. With ``needed``/``soname`` it gets a PT_LOAD segment (mapped at
    VADDR, so DT_STRTAB must be translated to a file offset) and a PT_DYNAMIC segment."""
    e = ">" if big else "<"
    ehsize, phentsize, shentsize = (64, 56, 64) if cls == 64 else (52, 32, 40)
    dyn = bool(needed) or soname is not None
    phnum = (1 if interp else 0) + (2 if dyn else 0)
    body = bytearray()
    off = ehsize + phnum * phentsize
    segments: list[tuple[int, int, int]] = []  # (p_type, p_offset, p_filesz); p_vaddr = VADDR + p_offset
    if interp:
        raw = interp.encode() + b"\0"
        segments.append((3, off, len(raw)))
        body += raw
    if dyn:
        strtab = bytearray(b"\0")
        entries = []
        for name in needed:
            entries.append((1, len(strtab)))
            strtab += name.encode() + b"\0"
        if soname is not None:
            entries.append((14, len(strtab)))
            strtab += soname.encode() + b"\0"
        str_off = off + len(body)
        body += strtab
        while (off + len(body)) % 8:
            body += b"\0"
        entries += [(5, VADDR + str_off), (10, len(strtab)), (0, 0)]
        dyn_off = off + len(body)
        body += b"".join(struct.pack(e + ("qQ" if cls == 64 else "iI"), t, v) for t, v in entries)
        segments.append((2, dyn_off, off + len(body) - dyn_off))
    shoff, shnum, shdrs = 0, 0, b""
    if arm_arch is not None:
        attr = arm_attributes(arm_arch, e)
        attr_off = off + len(body)
        body += attr
        while (off + len(body)) % 4:
            body += b"\0"
        shoff = off + len(body)
        shnum = 2
        shdrs = struct.pack(e + "IIIIIIIIII", *([0] * 10)) + \
            struct.pack(e + "IIIIIIIIII", 0, 0x70000003, 0, 0, attr_off, len(attr), 0, 0, 1, 0)
    if dyn:  # one PT_LOAD over the whole file
        segments.append((1, 0, off + len(body) + len(shdrs)))
    phdrs = b""
    for p_type, p_off, p_size in segments:
        vaddr = VADDR + p_off if p_type != 3 else 0
        if cls == 64:
            phdrs += struct.pack(e + "IIQQQQQQ", p_type, 4, p_off, vaddr, vaddr, p_size, p_size, 1)
        else:
            phdrs += struct.pack(e + "IIIIIIII", p_type, p_off, vaddr, vaddr, p_size, p_size, 4, 1)
    ident = b"\x7fELF" + bytes([1 if cls == 32 else 2, 2 if big else 1, 1]) + b"\0" * 9
    if cls == 64:
        hdr = struct.pack(e + "HHIQQQIHHHHHH", e_type, machine, 1, 0x400000, ehsize if phnum else 0,
                          shoff, 0, ehsize, phentsize, phnum, shentsize, shnum, 0)
    else:
        hdr = struct.pack(e + "HHIIIIIHHHHHH", e_type, machine, 1, 0x10000, ehsize if phnum else 0,
                          shoff, 0x5000400 if machine == 40 else 0, ehsize, phentsize, phnum, shentsize,
                          shnum, 0)
    return ident + hdr + phdrs + bytes(body) + shdrs


VADDR = 0x10000


def layer(entries: list[tuple]) -> bytes:
    """A gzip'd tar layer from (name, kind, data_or_link[, mode]) tuples."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for item in entries:
            name, kind, payload = item[:3]
            mode = item[3] if len(item) > 3 else 0o755
            ti = tarfile.TarInfo(name)
            ti.mode = mode
            if kind == "dir":
                ti.type = tarfile.DIRTYPE
                tar.addfile(ti)
            elif kind == "sym":
                ti.type = tarfile.SYMTYPE
                ti.linkname = payload
                tar.addfile(ti)
            elif kind == "hard":
                ti.type = tarfile.LNKTYPE
                ti.linkname = payload
                tar.addfile(ti)
            else:
                ti.size = len(payload)
                tar.addfile(ti, io.BytesIO(payload))
    return gzip.compress(buf.getvalue(), mtime=0)


class Layout:
    """Writes an OCI image layout: blobs by digest, index.json at the top."""

    def __init__(self, root: str) -> None:
        self.root = root
        os.makedirs(os.path.join(root, "blobs", "sha256"), exist_ok=True)
        with open(os.path.join(root, "oci-layout"), "w") as fh:
            json.dump({"imageLayoutVersion": "1.0.0"}, fh)

    def put(self, data: bytes, media_type: str) -> dict:
        digest = hashlib.sha256(data).hexdigest()
        with open(os.path.join(self.root, "blobs", "sha256", digest), "wb") as fh:
            fh.write(data)
        return {"mediaType": media_type, "digest": "sha256:" + digest, "size": len(data)}

    def image(self, platform: str, layers: list[bytes], config_platform: str | None = None) -> dict:
        parts = (config_platform or platform).split("/")
        cfg = {"os": parts[0], "architecture": parts[1], "rootfs": {"type": "layers", "diff_ids": []}}
        if len(parts) > 2:
            cfg["variant"] = parts[2]
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": self.put(json.dumps(cfg).encode(), "application/vnd.oci.image.config.v1+json"),
            "layers": [self.put(b, "application/vnd.oci.image.layer.v1.tar+gzip") for b in layers],
        }
        desc = self.put(json.dumps(manifest).encode(), manifest["mediaType"])
        p = platform.split("/")
        desc["platform"] = {"os": p[0], "architecture": p[1], **({"variant": p[2]} if len(p) > 2 else {})}
        return desc

    def index(self, descriptors: list[dict], media_type: str = "application/vnd.oci.image.index.v1+json") -> bytes:
        idx = {"schemaVersion": 2, "mediaType": media_type, "manifests": descriptors}
        data = json.dumps(idx).encode()
        with open(os.path.join(self.root, "index.json"), "wb") as fh:
            fh.write(data)
        return data
