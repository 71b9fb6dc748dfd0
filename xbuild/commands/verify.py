"""``xbuild verify``: check every platform's binaries in a built image."""

from __future__ import annotations

from typing import List, Optional

import typer

from xbuild.app import app


@app.command(help=(
    "Check that IMAGE (a registry reference; plain HTTP for localhost/127.0.0.1) or an OCI "
    "image layout directory holds every requested platform, and that each platform's ELF "
    "files (executables and shared objects, exec bit or not) have that platform's machine, class, byte order and ARM architecture "
    "version, and find their dynamic loader in the same image. "
    "Exit 0: all good; 5: a platform is missing or a binary is wrong."
))
def verify(
    image: str = typer.Argument(..., help="Image reference or OCI layout directory."),
    platform: str = typer.Option("linux/amd64,linux/arm64", "--platform", help="Comma-separated platforms."),
    exclude: Optional[List[str]] = typer.Option(None, "--exclude",
                                                help="Glob of image paths not to check; repeatable."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Print problems only."),
) -> None:
    from xbuild.buildx import validate_platforms
    from xbuild.errors import EXIT_VERIFY
    from xbuild.registry import open_source
    from xbuild.verify import render_reports
    from xbuild.verify import verify as run_verify

    platforms = validate_platforms(platform)
    source = open_source(image)
    reports = run_verify(source, platforms, tuple(exclude or ()))
    for line in render_reports(reports, quiet):
        typer.echo(line)
    raise typer.Exit(0 if all(r.ok for r in reports) else EXIT_VERIFY)
