"""``--format sarif``: SARIF 2.1.0 for code-scanning services (GitHub, GitLab, Azure).

Rule metadata comes from each rule module (code, name, docstring); results carry
exact regions; fixable findings carry ``fixes`` whose replacements, applied to the
original file, give exactly what ``xbuild convert`` writes. Regions are 1-based
lines and columns counted in Unicode code points (``columnKind``); an end column is
exclusive; an insertion is an empty region (start == end).
https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
"""

from __future__ import annotations

import json
import os
from typing import Any

from xbuild import __version__
from xbuild.formatters import Checked, Positions

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "note": "note"}


_SAFE = "/:@!$&'()*+,;=-._~"


def repo_root(path: str) -> str | None:
    """The repository a file is in: the nearest folder above it holding ``.git``."""
    folder = os.path.dirname(os.path.abspath(path))
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def location(path: str) -> dict[str, str]:
    """A file's ``artifactLocation``: relative to its repository root (``uriBaseId``
    SRCROOT, which code scanning resolves against the checkout), else an absolute
    ``file://`` URI; never relative to the directory xbuild happened to run in."""
    from urllib.parse import quote

    if path == "-":
        return {"uri": "stdin"}
    root = repo_root(path)
    if root is None:
        return {"uri": "file://" + quote(os.path.abspath(path).replace(os.sep, "/"), safe=_SAFE)}
    rel = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    return {"uri": quote(rel, safe=_SAFE), "uriBaseId": "SRCROOT"}


def _root_uri(checked: list[Checked]) -> dict[str, Any]:
    from urllib.parse import quote

    roots = {r for r in (repo_root(c.path) for c in checked if c.path != "-") if r}
    if len(roots) != 1:
        return {}
    root = quote(roots.pop().replace(os.sep, "/").rstrip("/") + "/", safe=_SAFE)
    return {"SRCROOT": {"uri": "file://" + root}}


def _region(pos: Positions, start: int, end: int) -> dict[str, Any]:
    sl, sc = pos.line_col(start)
    el, ec = pos.line_col(end)
    return {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec}


def _rules() -> list[dict[str, Any]]:
    from xbuild.docs import help_uri, rule_sections
    from xbuild.rules import REGISTRY

    out = []
    for rule in REGISTRY:
        summary, body = rule_sections(rule)
        out.append({
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": summary},
            "fullDescription": {"text": body or summary},
            "help": {"text": rule.doc.strip()},
            "helpUri": help_uri(rule),
            "defaultConfiguration": {"level": "warning"},
        })
    return out


def log(checked: list[Checked]) -> dict[str, Any]:
    from xbuild.docs import README_URL

    rules = _rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    notifications = []
    for c in checked:
        loc = location(c.path)
        if c.error is not None:
            notifications.append({"level": "error", "message": {"text": str(c.error)},
                                  "locations": [{"physicalLocation": {
                                      "artifactLocation": dict(loc)}}]})
            continue
        pos = c.positions
        for f in c.findings:
            sl, sc, el, ec = f.region
            res: dict[str, Any] = {
                "ruleId": f.code,
                "level": _LEVEL.get(f.severity, "warning"),
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": dict(loc),
                    "region": {"startLine": sl, "startColumn": sc, "endLine": el,
                               "endColumn": ec}}}],
            }
            if f.code in index:
                res["ruleIndex"] = index[f.code]
            if f.stage is not None:
                res["properties"] = {"stage": f.stage}
            if f.edits:
                res["fixes"] = [{
                    "description": {"text": f"xbuild convert: {f.message}"},
                    "artifactChanges": [{
                        "artifactLocation": dict(loc),
                        "replacements": [{
                            "deletedRegion": _region(pos, e.start, e.end),
                            "insertedContent": {"text": e.replacement},
                        } for e in sorted(f.edits, key=lambda e: (e.start, e.end, e.order))],
                    }],
                }]
            results.append(res)
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "xbuild", "version": __version__,
                            "informationUri": README_URL, "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    base = _root_uri(checked)
    if base:
        run["originalUriBaseIds"] = base
    run["invocations"] = [{"executionSuccessful": not notifications,
                           "toolExecutionNotifications": notifications}]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(checked: list[Checked], *, color: bool = False) -> str:
    return json.dumps(log(checked), indent=2, ensure_ascii=False) + "\n"
