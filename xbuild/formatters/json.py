"""``--format json``: a stable, documented report (``schema_version`` 1).

Shape (keys always present, in this order; new keys may be added, none removed
or changed without bumping ``schema_version``)::

    {"schema_version": 1,
     "tool": {"name": "xbuild", "version": "..."},
     "files": [{"path": "...", "changed": bool, "error": null | {"message", "line", "exit_code"},
                "findings": [{"code", "name", "line", "end_line", "stage", "message",
                              "severity", "fixed",
                              "edits": [{"start": {"line", "column"}, "end": {"line", "column"},
                                         "replacement"}]}],
                "stages": [{"index", "name", "line", "action", "reasons"}]}],
     "summary": {"files", "errors", "findings", "fixable", "error", "warning", "note"}}

Lines and columns are 1-based; an edit's ``end`` is exclusive and equals ``start``
for an insertion.
"""

from __future__ import annotations

import json
from typing import Any

from xbuild import __version__
from xbuild.formatters import Checked, counts, rule_name

SCHEMA_VERSION = 1


def report(checked: list[Checked]) -> dict[str, Any]:
    files = []
    for c in checked:
        entry: dict[str, Any] = {"path": c.path,
                       "changed": bool(c.result is not None and c.result.changed),
                       "error": None, "findings": [], "stages": []}
        if c.error is not None:
            entry["error"] = {"message": c.error.message, "line": c.error.line,
                              "exit_code": c.error.exit_code}
        pos = c.positions
        for f in c.findings:
            _, _, end_line, _ = f.region
            edits = []
            for e in f.edits:
                sl, sc = pos.line_col(e.start)
                el, ec = pos.line_col(e.end)
                edits.append({"start": {"line": sl, "column": sc},
                              "end": {"line": el, "column": ec},
                              "replacement": e.replacement})
            entry["findings"].append({
                "code": f.code, "name": rule_name(f.code), "line": f.line,
                "end_line": end_line, "stage": f.stage, "message": f.message,
                "severity": f.severity, "fixed": f.fixed, "edits": edits})
        if c.result is not None:
            entry["stages"] = [{"index": s.index, "name": s.name, "line": s.line,
                                "action": s.action, "reasons": list(s.reasons)}
                               for s in c.result.stages]
        files.append(entry)
    return {"schema_version": SCHEMA_VERSION, "tool": {"name": "xbuild", "version": __version__},
            "files": files, "summary": counts(checked)}


def render(checked: list[Checked], *, color: bool = False) -> str:
    return json.dumps(report(checked), indent=2, ensure_ascii=False) + "\n"
