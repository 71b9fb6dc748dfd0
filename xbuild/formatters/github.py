"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

from xbuild.formatters import Checked, rule_name

_LEVEL = {"error": "error", "warning": "warning", "note": "notice"}


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def render(checked: list[Checked], *, color: bool = False) -> str:
    out = []
    for c in checked:
        if c.error is not None:
            props = f"file={_prop(c.path)}"
            if c.error.line is not None:
                props += f",line={c.error.line}"
            out.append(f"::error {props},title=xbuild::{_data(c.error.message)}")
            continue
        for f in c.findings:
            _, _, end_line, _ = f.region
            props = f"file={_prop(c.path)},line={f.line}"
            if end_line > f.line:
                props += f",endLine={end_line}"
            title = f"{f.code} {rule_name(f.code)}"
            msg = f.message + (" (fixable: xbuild convert --write)" if f.fixed else "")
            out.append(f"::{_LEVEL.get(f.severity, 'warning')} {props},title={_prop(title)}::"
                       f"{_data(msg)}")
    return "".join(line + "\n" for line in out)
