"""Options that ``convert`` and ``check`` share: one definition, one help text.

Typer reads an option's flags and help from ``Annotated`` metadata, so a
command declares ``target: TargetOption = None`` and both commands stay in step
when a flag or its help changes.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

TargetOption = Annotated[Optional[str], typer.Option(
    "--target", help="The stage that is exported (default: the last).")]
ContextOption = Annotated[Optional[str], typer.Option(
    "--context", help="Project directory (go.mod, sources) to refine detection.")]
PlatformsOption = Annotated[Optional[str], typer.Option(
    "--platforms", "--platform", help="Platforms that must work, comma separated.")]
HelperOption = Annotated[Optional[str], typer.Option(
    "--helper", help="Toolchain strategy for Rust/C/cgo: auto, native or xx.")]
