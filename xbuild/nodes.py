"""The nodes of a buildx builder and which platforms each runs natively.

``docker buildx inspect`` lists, after ``Nodes:``, one block per node (``Name:``,
``Endpoint:``, ``Status:``, ``Platforms:``). BuildKit lists a worker's own
platform first (and its compatible variants: amd64/v2, 386 on x86-64; arm/v7 and
arm/v6 on most arm64 hosts); the rest it runs through binfmt_misc/QEMU. A
platform pinned with ``docker buildx create --platform`` carries a ``*``; when a
node has pinned platforms, the first pinned one is taken as its own.
"""

from __future__ import annotations

from dataclasses import dataclass

# A node whose own platform is the key runs these natively as well.
FAMILY = {
    "linux/amd64": ("linux/amd64", "linux/amd64/v2", "linux/amd64/v3", "linux/amd64/v4", "linux/386"),
    "linux/arm64": ("linux/arm64", "linux/arm/v7", "linux/arm/v6"),
}


@dataclass(frozen=True)
class Node:
    name: str
    endpoint: str
    status: str
    platforms: tuple[str, ...]
    pinned: tuple[str, ...]

    @property
    def own(self) -> str | None:
        first = (self.pinned or self.platforms or (None,))[0]
        return first

    def native(self, platform: str) -> bool:
        own = self.own
        return own is not None and (platform == own or platform in FAMILY.get(own, ()))


def parse_nodes(text: str) -> list[Node]:
    """Every node block of ``docker buildx inspect``'s text output, in order."""
    nodes: list[dict[str, str]] = []
    in_nodes = False
    for line in text.splitlines():
        if line.strip() == "Nodes:":
            in_nodes = True
            continue
        key, sep, value = line.partition(":")
        if not in_nodes or not sep or line.startswith((" ", "\t")):
            continue  # the builder's own header, or a Labels:/GC policy continuation line
        key, value = key.strip(), value.strip()
        if key == "Name":
            nodes.append({"Name": value})
        elif nodes and key in ("Endpoint", "Status", "Platforms"):
            nodes[-1].setdefault(key, value)
    out = []
    for n in nodes:
        raw = [p.strip() for p in n.get("Platforms", "").split(",") if p.strip()]
        out.append(Node(name=n["Name"], endpoint=n.get("Endpoint", ""), status=n.get("Status", ""),
                        platforms=tuple(dict.fromkeys(p.rstrip("*") for p in raw)),
                        pinned=tuple(p.rstrip("*") for p in raw if p.endswith("*"))))
    return out


def placement(nodes: list[Node], platforms: tuple[str, ...]) -> dict[str, str | None]:
    """For each platform, the first node that runs it natively (None: emulated everywhere)."""
    return {p: next((n.name for n in nodes if n.native(p)), None) for p in platforms}


def summary(nodes: list[Node], platforms: tuple[str, ...]) -> tuple[list[str], bool]:
    """(one line per node, whether every requested platform has a native node)."""
    lines = []
    for n in nodes:
        native = [p for p in n.platforms if n.native(p)]
        emulated = [p for p in n.platforms if not n.native(p)]
        state = f", {n.status}" if n.status else ""
        lines.append(f"node {n.name} ({n.endpoint or 'no endpoint'}{state}): native "
                     f"{', '.join(native) or 'unknown'}; emulated {', '.join(emulated) or 'none'}")
    where = placement(nodes, platforms)
    return lines, all(where.values())
