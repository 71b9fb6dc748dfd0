"""``--format diff``: the unified diff ``xbuild convert --write`` would apply, per file."""

from __future__ import annotations

from xbuild.formatters import Checked
from xbuild.output import render_diff


def render(checked: list[Checked], *, color: bool = False) -> str:
    return "".join(render_diff(c.result) for c in checked if c.result is not None)
