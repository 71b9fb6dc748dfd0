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
    "--context", help="Build context to read (go.mod, sources, Makefiles) [default: the "
                      "Dockerfile's folder, when it holds a project; none for standard input].")]
NoContextOption = Annotated[bool, typer.Option(
    "--no-context", help="Read the Dockerfile alone, no build context.")]
PlatformsOption = Annotated[Optional[str], typer.Option(
    "--platforms", "--platform", help="Platforms that must work, comma separated.")]
HelperOption = Annotated[Optional[str], typer.Option(
    "--helper", help="Toolchain strategy for Rust/C/cgo: auto, native or xx.")]
