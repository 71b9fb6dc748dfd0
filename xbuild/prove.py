"""``xbuild prove``, the pure part: compare two images' filesystems, per platform.

The original Dockerfile built emulated is the oracle; the converted one (xbuild's
rewrite, or a cross Dockerfile written by hand) must ship the same thing:

- the same set of paths, of the same kinds, symlinks pointing at the same targets
  (``ALWAYS_DIFFERENT`` lists the few paths a build may create or not by itself);
- every ELF file in the converted image (any mode: shared objects included) runs
  on the platform: machine, class, byte order, ARM architecture version (the
  checks ``verify`` makes); when the original's own file is for another machine
  (a cross toolchain's test data, firmware) the converted one must match it instead;
- the same dynamic loader (PT_INTERP) and the same DT_NEEDED set as the original's;
- a path that is ELF in one image and not in the other is a failure.

File contents are not compared: timestamps, build ids and paths baked in by a
compiler differ between any two builds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from xbuild.layers import Node
from xbuild.platforms import Platform
from xbuild.verify import excluded, wrong_arch

# Paths a build may leave or not without any instruction asking for them: BuildKit's
# mount points for every RUN (it may leave empty files behind), the kernel's virtual
# filesystems, scratch space and per-user caches whose entries are content hashes.
ALWAYS_DIFFERENT = (
    "/etc/hostname", "/etc/hosts", "/etc/resolv.conf",
    "/dev/*", "/proc/*", "/sys/*", "/tmp", "/tmp/*", "/root/.cache", "/root/.cache/*",
)

# kinds of problem, in the order a reader wants them
MISSING = "missing"  # in the original, not in the converted image
EXTRA = "extra"  # in the converted image only
KIND = "kind"  # a file in one, a directory or symlink in the other
LINK = "link"  # symlinks to different targets
ELF_ONLY = "elf"  # ELF in one, not in the other
ARCH = "arch"  # an ELF file for the wrong platform
INTERP = "interp"
NEEDED = "needed"
MALFORMED = "malformed"


@dataclass(frozen=True)
class Problem:
    path: str
    kind: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "message": self.message}


@dataclass
class Comparison:
    platform: str
    files: int = 0  # paths compared (the union of both images, minus the allowlist)
    elf: int = 0  # ELF files checked
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def equivalent(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"platform": self.platform, "files": self.files, "elf": self.elf,
                "equivalent": self.equivalent, "problems": [p.to_json() for p in self.problems],
                "notes": list(self.notes)}


def _describe(node: Node) -> str:
    if node.kind == "symlink":
        return f"a symlink to {node.link}"
    if node.is_elf:
        return "an ELF file"
    return {"file": "a file", "dir": "a directory"}.get(node.kind, "a special file")


def _interp(value: str | None) -> str:
    return value if value is not None else "none (static)"


def compare(original: dict[str, Node], converted: dict[str, Node], platform: Platform,
            exclude: tuple[str, ...] = ()) -> Comparison:
    """Every way ``converted`` ships something other than ``original`` for ``platform``."""
    out = Comparison(platform=platform.name)
    skip = ALWAYS_DIFFERENT + tuple(exclude)
    for path in sorted(set(original) | set(converted)):
        if path == "/" or excluded(path, skip):
            continue
        out.files += 1
        a, b = original.get(path), converted.get(path)
        if b is None:
            assert a is not None
            out.problems.append(Problem(path, MISSING, f"{_describe(a)} in the original, missing in the converted image"))
            continue
        if a is None:
            out.problems.append(Problem(path, EXTRA, f"{_describe(b)} only in the converted image"))
            continue
        if a.is_elf != b.is_elf:
            out.problems.append(Problem(path, ELF_ONLY, f"{_describe(a)} in the original, {_describe(b)} "
                                        "in the converted image"))
            if b.is_elf:
                out.elf += 1
            continue
        if a.kind != b.kind:
            out.problems.append(Problem(path, KIND, f"{_describe(a)} in the original, {_describe(b)} "
                                        "in the converted image"))
            continue
        if a.kind == "symlink" and a.link != b.link:
            out.problems.append(Problem(path, LINK, f"symlink to {a.link} in the original, to {b.link} "
                                        "in the converted image"))
            continue
        if b.is_elf:
            out.elf += 1
            _compare_elf(path, a, b, platform, out)
    return out


def _compare_elf(path: str, a: Node, b: Node, platform: Platform, out: Comparison) -> None:
    if b.error is not None or b.info is None:
        out.problems.append(Problem(path, MALFORMED, f"malformed ELF in the converted image: {b.error}"))
        return
    if a.error is not None or a.info is None:
        out.notes.append(f"{path}: malformed ELF in the original ({a.error}); only checked for {platform.name}")
        why = wrong_arch(b.info, platform)
        if why:
            out.problems.append(Problem(path, ARCH, why))
        return
    want, got = a.info, b.info
    if wrong_arch(want, platform) is None:
        why = wrong_arch(got, platform)
        if why:
            out.problems.append(Problem(path, ARCH, f"{why} (the original's is right)"))
            return
    elif (want.machine, want.elf_class, want.big_endian) != (got.machine, got.elf_class, got.big_endian):
        # the original ships a file for another machine on purpose: the converted one must match it
        out.problems.append(Problem(path, ARCH, f"{got.machine_name} ELF{got.elf_class}, the original's is "
                                    f"{want.machine_name} ELF{want.elf_class}"))
        return
    if want.interpreter != got.interpreter:
        out.problems.append(Problem(path, INTERP, f"dynamic loader {_interp(got.interpreter)}, the original's "
                                    f"is {_interp(want.interpreter)}"))
    if set(want.needed) != set(got.needed):
        lost = sorted(set(want.needed) - set(got.needed))
        gained = sorted(set(got.needed) - set(want.needed))
        parts = ([f"lacks {', '.join(lost)}"] if lost else []) + ([f"adds {', '.join(gained)}"] if gained else [])
        out.problems.append(Problem(path, NEEDED, "DT_NEEDED " + "; ".join(parts) + " (against the original)"))


def render_text(results: list[Comparison]) -> str:
    """A table (one row per platform), then one line per problem naming the path."""
    rows = [("platform", "files", "ELF", "differences", "result")]
    for r in results:
        rows.append((r.platform, str(r.files), str(r.elf), str(len(r.problems)),
                     "equivalent" if r.equivalent else "DIFFERENT"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)).rstrip() for row in rows]
    for r in results:
        lines += [f"{r.platform}: {p.path}: {p.message}" for p in r.problems]
        lines += [f"{r.platform}: note: {n}" for n in r.notes]
    return "\n".join(lines) + "\n"


def render_json(results: list[Comparison], original: str, converted: str) -> str:
    doc = {"original": original, "converted": converted,
           "equivalent": all(r.equivalent for r in results),
           "platforms": [r.to_json() for r in results]}
    return json.dumps(doc, indent=2) + "\n"
