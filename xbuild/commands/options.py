"""Options that several commands share: one definition, one help text.

Typer reads an option's flags and help from ``Annotated`` metadata, so a
command declares ``target: TargetOption = None`` and every command that has
the flag stays in step when it or its help changes. None means "not given":
the config file (``xbuild.config``) decides, then the default.
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
# build and doctor spell it as buildx does; the config's platforms apply to both
PlatformOption = Annotated[Optional[str], typer.Option(
    "--platform", help="Comma-separated platforms [default: the config's platforms, else "
                       "linux/amd64,linux/arm64].")]
HelperOption = Annotated[Optional[str], typer.Option(
    "--helper", help="Toolchain strategy for Rust/C/cgo: auto, native or xx.")]
ConfigOption = Annotated[Optional[str], typer.Option(
    "--config", help="Config file to use instead of searching (pyproject.toml or .xbuild.toml).")]
BuilderOption = Annotated[Optional[str], typer.Option(
    "--builder", help="buildx builder instance.")]
