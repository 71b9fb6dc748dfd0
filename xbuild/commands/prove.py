"""``xbuild prove``: build the original and the converted Dockerfile, compare what they ship."""

from __future__ import annotations

from typing import List, Optional

import typer

from xbuild.app import app
from xbuild.commands import options as opt


@app.command(
    context_settings={"allow_interspersed_args": True},
    help=(
        "Build the original Dockerfile (emulated) and its conversion (xbuild's, or --converted FILE) "
        "for every platform into local OCI layouts in a temporary folder (no registry, nothing left "
        "behind), then compare the two images per platform: the same paths, every ELF file (shared "
        "objects included) for the platform's architecture, with the original's loader and DT_NEEDED. "
        "Arguments after `--` go to both builds (named contexts, network, secrets). "
        "Exit 0: equivalent; 5: a wrong-architecture, missing or different file; 4: a build failed."
    ),
)
def prove(
    path: Optional[str] = typer.Argument(None, help="Build context directory or Dockerfile [default: .]"),
    extra: Optional[List[str]] = typer.Argument(None, help="Extra buildx arguments, after `--`.",
                                                show_default=False),
    converted: Optional[str] = typer.Option(None, "--converted",
                                            help="A cross Dockerfile to prove instead of xbuild's conversion."),
    platform: opt.PlatformOption = None,
    target: opt.TargetOption = None,
    fmt: str = typer.Option("text", "--format", help="text or json."),
    smoke: Optional[str] = typer.Option(None, "--smoke",
                                        help="Command to run in both images per platform; output and exit "
                                             "status must match."),
    exclude: Optional[List[str]] = typer.Option(None, "--exclude",
                                                help="Glob of image paths not to compare; repeatable."),
) -> None:
    from xbuild.provebuild import run_prove

    extra_args = list(extra or [])
    if path is not None and path.startswith("-"):
        # `xbuild prove -- --opt`: click binds the first word after `--` to PATH.
        extra_args.insert(0, path)
        path = None
    rc = run_prove(path=path, converted=converted, platform=platform, target=target, fmt=fmt, smoke=smoke,
                   exclude=tuple(exclude or ()), extra=tuple(extra_args))
    raise typer.Exit(rc)
