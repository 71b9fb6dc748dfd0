"""The shape of xbuild/: no import cycle between its modules, no module too long.

Imports are read with ``ast``, not by importing: every ``import``/``from ... import``
of an xbuild module counts wherever it stands (module level, inside a function, under
``if TYPE_CHECKING``), because a lazy import only hides a cycle from the interpreter,
not from whoever has to change the code. The implicit import of a parent package
(``xbuild.recipes`` when ``xbuild.recipes.go`` is imported) is not an edge.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "xbuild"
MAX_LINES = 400


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> dict[str, int]:
    """The xbuild modules ``name`` imports, with the first line of each."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            # ``from xbuild import mounts`` imports the module xbuild.mounts
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                       for a in node.names]
        for t in targets:
            if t in known and t != name:
                out.setdefault(t, node.lineno)
    return out


def import_graph() -> dict[str, dict[str, int]]:
    mods = _modules()
    return {n: _imports(n, p, set(mods)) for n, p in mods.items()}


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def _describe(graph: dict[str, dict[str, int]], comp: list[str]) -> str:
    edges = [f"{a} -> {b} (line {graph[a][b]})" for a in comp for b in sorted(graph[a])
             if b in comp]
    return "cycle: " + ", ".join(comp) + "\n    " + "\n    ".join(edges)


def test_the_reader_sees_lazy_and_type_checking_imports():
    graph = import_graph()
    assert "xbuild.plan" in graph["xbuild.convert"]  # imported inside a function
    assert "xbuild.context" in graph["xbuild.rules._wording"]  # module level
    assert "xbuild.mounts" in graph["xbuild.rules.xb041_cache_mount_per_platform"]  # from xbuild import x
    assert cycles({"a": {"b": 1}, "b": {"c": 2}, "c": {"a": 3}, "d": {"a": 4}}) == [["a", "b", "c"]]


def test_no_import_cycle():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "\n".join(_describe(graph, c) for c in found)



def test_no_module_over_the_bound():
    long = {str(p.relative_to(ROOT)): n for p in _modules().values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines (split them by job): {long}"
