"""An image's merged filesystem from its layers, read as streams.

Each layer is a (compressed) tar read in tarfile's streaming mode straight from
the blob's file object: members arrive one at a time and only ELF files are read
(small ones into memory, big ones through a temporary file mapped with mmap), so a
layer is never held whole. Every regular file's first four bytes are looked at:
an ELF file is parsed whatever its mode (shared objects usually have no exec bit).

Layers apply in order with OCI whiteouts: ``.wh.<name>`` deletes a path of a lower
layer, ``.wh..wh..opq`` hides what lower layers put in its directory. Neither
touches a file of its own layer (OCI image-spec, layer.md "Whiteouts"), which is
what lets one streaming pass handle them in whatever order the tar has them.
Symlinks are followed inside the image's root, never on the host.
"""

from __future__ import annotations

import io
import mmap
import posixpath
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from typing import IO, Any

from xbuild import elf
from xbuild.errors import EXIT_INPUT, XBuildError

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"
IN_MEMORY = 16 * 1024 * 1024  # ELF files up to this size are read into memory; bigger ones are mmapped


@dataclass
class Node:
    kind: str  # file | dir | symlink | other
    link: str = ""
    mode: int = 0
    info: elf.ELFInfo | None = None  # ELF files only
    error: str | None = None  # a file with the ELF magic that does not parse

    @property
    def is_elf(self) -> bool:
        return self.kind == "file" and (self.info is not None or self.error is not None)


# One layer as a list of operations, in tar order: ("whiteout", path) | ("opaque", dir) |
# ("node", path, Node) | ("hardlink", path, target, mode). Kept so that a layer two
# images share (the same base) is read once.
Op = tuple[Any, ...]
Layer = bytes | IO[bytes]


def _norm(name: str) -> str:
    """A tar member name as an absolute path in the image ("./usr/" -> "/usr")."""
    path = posixpath.normpath("/" + name)
    return "/" + path.lstrip("/")


def _parse_elf(fh: IO[bytes], head: bytes, size: int) -> elf.ELFInfo:
    if size <= IN_MEMORY:
        return elf.parse(head + fh.read())
    with tempfile.TemporaryFile(prefix="xbuild-elf-") as tmp:
        tmp.write(head)
        shutil.copyfileobj(fh, tmp, 1 << 20)
        tmp.flush()
        with mmap.mmap(tmp.fileno(), 0, access=mmap.ACCESS_READ) as view:
            return elf.parse(view)  # type: ignore[arg-type]  # mmap slices like bytes


def read_layer(blob: Layer) -> list[Op]:
    """The operations one layer makes, read in a single forward pass."""
    fileobj = io.BytesIO(blob) if isinstance(blob, (bytes, bytearray)) else blob
    ops: list[Op] = []
    try:
        with tarfile.open(fileobj=fileobj, mode="r|*") as tar:
            for m in tar:
                path = _norm(m.name)
                base = posixpath.basename(path)
                if base == OPAQUE:
                    ops.append(("opaque", posixpath.dirname(path)))
                elif base.startswith(WHITEOUT):
                    ops.append(("whiteout", posixpath.join(posixpath.dirname(path), base[len(WHITEOUT):])))
                elif m.isdir():
                    ops.append(("node", path, Node("dir", mode=m.mode)))
                elif m.issym():
                    ops.append(("node", path, Node("symlink", link=m.linkname, mode=m.mode)))
                elif m.islnk():
                    ops.append(("hardlink", path, _norm(m.linkname), m.mode))
                elif m.isreg():
                    node = Node("file", mode=m.mode)
                    if m.size >= 16:
                        fh = tar.extractfile(m)
                        head = fh.read(4) if fh else b""
                        if fh is not None and elf.is_elf(head):
                            try:
                                node.info = _parse_elf(fh, head, m.size)
                            except elf.ELFError as exc:
                                node.error = str(exc)
                    ops.append(("node", path, node))
                else:
                    ops.append(("node", path, Node("other", mode=m.mode)))
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, XBuildError):
            raise
        raise XBuildError(f"layer is not a (compressed) tar archive: {exc}", exit_code=EXIT_INPUT) from None
    return ops


def apply_layer(fs: dict[str, Node], ops: list[Op]) -> None:
    """Apply one layer's operations to ``fs`` (path -> Node), in place."""
    mine: set[str] = set()  # paths this layer wrote: its own whiteouts leave them alone

    def drop(keep: Container[str], test: Callable[[str], bool]) -> None:
        for p in [p for p in fs if test(p) and p not in keep]:
            del fs[p]

    for op in ops:
        if op[0] == "opaque":
            prefix = op[1].rstrip("/") + "/"
            drop(mine, lambda p: p.startswith(prefix))  # noqa: B023 (called at once)
        elif op[0] == "whiteout":
            gone = op[1]
            drop(mine, lambda p: p == gone or p.startswith(gone + "/"))  # noqa: B023
        else:
            path = op[1]
            if op[0] == "hardlink":
                target = fs.get(op[2])
                node = Node("file", mode=op[3]) if target is None else \
                    Node(target.kind, target.link, op[3], target.info, target.error)
            else:
                node = op[2]
            old = fs.get(path)
            if node.kind == "dir":
                if old is not None and old.kind == "dir":  # a directory over a directory merges
                    node = Node("dir", mode=node.mode)
            elif old is not None and old.kind == "dir":  # anything else over a directory replaces it
                drop((), lambda p: p.startswith(path + "/"))  # noqa: B023
            fs[path] = node
            mine.add(path)


def merge_layers(layers: Iterable[Layer]) -> dict[str, Node]:
    """The filesystem the layers produce, path -> Node (ELF files parsed)."""
    fs: dict[str, Node] = {"/": Node("dir")}
    for blob in layers:
        apply_layer(fs, read_layer(blob))
    return fs


def resolve(fs: dict[str, Node], path: str, limit: int = 40) -> str | None:
    """Follow symlinks inside the image root; the final path, or None if it does not exist."""
    parts = [p for p in _norm(path).split("/") if p]
    current = "/"
    hops = 0
    while parts:
        name = parts.pop(0)
        if name == "..":
            current = posixpath.dirname(current) or "/"
            continue
        if name == ".":
            continue
        candidate = posixpath.join(current, name)
        node = fs.get(candidate)
        if node is None:
            return None
        if node.kind == "symlink":
            hops += 1
            if hops > limit:
                return None
            # absolute targets are relative to the image root, not the host's
            parts = [p for p in node.link.split("/") if p] + parts
            if node.link.startswith("/"):
                current = "/"
            continue
        current = candidate
    return current if current in fs else None
