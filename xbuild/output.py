"""Human-facing renderings of a Result: the per-stage report and a unified diff."""

from __future__ import annotations

import difflib

from xbuild.result import Result


def render_report(result: Result) -> str:
    lines = []
    for st in result.stages:
        head = f"{result.path}:{st.line}: stage `{st.name}`: {st.action}"
        lines.append(head)
        for r in st.reasons:
            lines.append(f"    {r}")
    for f in result.findings:
        if f.code == "XB000":
            lines.append(f"{result.path}:{f.line}: {f.code} {f.message}")
    return "\n".join(lines) + ("\n" if lines else "")


def render_diff(result: Result) -> str:
    if not result.changed:
        return ""
    a = result.original.splitlines(keepends=True)
    b = result.text.splitlines(keepends=True)
    out = []
    for line in difflib.unified_diff(a, b, f"a/{result.path}", f"b/{result.path}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
