"""``--format text``: one line per finding, ``path:line: CODE message``, and a summary."""

from __future__ import annotations

from xbuild.formatters import Checked, counts, rule_name

_COLORS = {"error": "31", "warning": "33", "note": "36", "code": "1", "fixed": "32", "dim": "2"}


def _c(text: str, what: str, color: bool) -> str:
    return f"\033[{_COLORS[what]}m{text}\033[0m" if color else text


def render(checked: list[Checked], *, color: bool = False) -> str:
    lines = []
    for c in checked:
        if c.error is not None:
            continue  # the command prints errors on stderr, one line each
        for f in c.findings:
            where = f"{c.path}:{f.line}:"
            sev = _c(f.severity, f.severity if f.severity in _COLORS else "warning", color)
            tail = _c(" [fixable]", "fixed", color) if f.fixed else ""
            lines.append(f"{where} {_c(f.code, 'code', color)} {sev}: {f.message} "
                         f"{_c('(' + rule_name(f.code) + ')', 'dim', color)}{tail}")
    n = counts(checked)
    if n["findings"] or n["errors"]:
        parts = [f"{n['findings']} finding{'s' if n['findings'] != 1 else ''}"]
        if n["fixable"]:
            parts.append(f"{n['fixable']} fixable with `xbuild convert --write`")
        if n["errors"]:
            parts.append(f"{n['errors']} file{'s' if n['errors'] != 1 else ''} not checked")
        lines.append(", ".join(parts) + f" in {n['files']} file{'s' if n['files'] != 1 else ''}")
    else:
        lines.append(f"{n['files']} file{'s' if n['files'] != 1 else ''} checked, no findings")
    return "\n".join(lines) + "\n"
