"""``xbuild convert``: print, diff, check or write the cross-compiling Dockerfile."""

from __future__ import annotations

from typing import Optional

import typer

from xbuild.app import app
from xbuild.commands.options import ContextOption, HelperOption, PlatformsOption, TargetOption


@app.command()
def convert(
    path: str = typer.Argument("Dockerfile", help="Dockerfile to convert; - reads standard input."),
    diff: bool = typer.Option(False, "--diff", help="Print a unified diff instead of the file."),
    check: bool = typer.Option(False, "--check",
                               help="Print nothing; exit 1 when the file would change."),
    write: bool = typer.Option(False, "--write", "-w", help="Replace the file (atomically)."),
    target: TargetOption = None,
    context: ContextOption = None,
    platforms: PlatformsOption = None,
    helper: HelperOption = None,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No per-stage report on stderr."),
) -> None:
    """Rewrite build stages to cross-compile on $BUILDPLATFORM.

    Exit codes: 0 done (with --check: unchanged); 1 with --check: would change;
    2 usage error; 3 unreadable or unsupported input.
    """
    from xbuild.errors import UsageError, XBuildError
    from xbuild.files import read_dockerfile, write_atomic
    from xbuild.output import render_diff, render_report
    from xbuild.settings import make_options

    if sum((diff, check, write)) > 1:
        raise UsageError("--diff, --check and --write are exclusive")
    if write and path == "-":
        raise UsageError("--write needs a file, not standard input")
    options = make_options(path, target=target, context=context, platforms=platforms,
                           helper=helper)
    text = read_dockerfile(path)
    from xbuild.convert import convert as run

    result = run(text, path, options)
    if not quiet and not check:
        report = render_report(result)
        if report:
            typer.echo(report, err=True, nl=False)
    if check:
        raise typer.Exit(1 if result.changed else 0)
    if diff:
        typer.echo(render_diff(result), nl=False)
        return
    if write:
        if result.changed:
            write_atomic(path, result.text)
        return
    try:
        from xbuild.files import encode
        import sys

        sys.stdout.buffer.write(encode(result.text))
        sys.stdout.flush()
    except BrokenPipeError:
        raise typer.Exit(0)
    _ = XBuildError
