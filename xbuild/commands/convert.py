"""``xbuild convert``: print, diff, check or write the cross-compiling Dockerfile."""

from __future__ import annotations

from typing import List, Optional

import typer

from xbuild.app import app
from xbuild.commands.options import ContextOption, NoContextOption, HelperOption, PlatformsOption, TargetOption


@app.command()
def convert(
    paths: Optional[List[str]] = typer.Argument(
        None, help="Dockerfiles to convert (default: Dockerfile); - reads standard input. "
                   "Several files need --write, --check or --diff."),
    diff: bool = typer.Option(False, "--diff", help="Print a unified diff instead of the file."),
    check: bool = typer.Option(False, "--check",
                               help="Print nothing; exit 1 when a file would change."),
    write: bool = typer.Option(False, "--write", "-w", help="Replace the files (atomically)."),
    target: TargetOption = None,
    context: ContextOption = None,
    no_context: NoContextOption = False,
    platforms: PlatformsOption = None,
    helper: HelperOption = None,
    config: Optional[str] = typer.Option(None, "--config", help="Config file to use instead "
                                         "of the nearest .xbuild.toml / pyproject.toml."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No per-stage report on stderr."),
) -> None:
    """Rewrite build stages to cross-compile on $BUILDPLATFORM.

    Exit codes: 0 done (with --check: unchanged); 1 with --check: a file would change,
    with --write: a file was rewritten and others failed never; 2 usage error;
    3 a file is unreadable or unsupported (the other files are still converted).
    """
    import sys

    from xbuild.config import load_config, read_config
    from xbuild.convert import convert as run
    from xbuild.errors import EXIT_CHANGED, UsageError, XBuildError
    from xbuild.files import encode, read_dockerfile, write_atomic
    from xbuild.output import render_diff, render_report
    from xbuild.settings import make_options

    paths = paths or ["Dockerfile"]
    if sum((diff, check, write)) > 1:
        raise UsageError("--diff, --check and --write are exclusive")
    if write and "-" in paths:
        raise UsageError("--write needs a file, not standard input")
    if len(paths) > 1 and not (diff or check or write):
        raise UsageError("several files need --write, --check or --diff")
    if config is not None:
        read_config(config)  # a bad --config is a usage error before any file is read

    changed = False
    error = 0
    for path in paths:
        try:
            options = make_options(path, target=target, context=context, platforms=platforms,
                                   helper=helper, no_context=no_context, discover_context=True,
                                   config=load_config(path, config) if path != "-" else None)
            result = run(read_dockerfile(path), path, options)
        except XBuildError as err:
            if len(paths) == 1 or err.exit_code == 2:
                raise
            typer.echo(f"xbuild: {err}", err=True)  # the other files still get converted
            error = max(error, err.exit_code)
            continue
        changed |= result.changed
        if not quiet and not check:
            report = render_report(result)
            if report:
                typer.echo(report, err=True, nl=False)
        if check:
            continue
        if diff:
            typer.echo(render_diff(result), nl=False)
        elif write:
            if result.changed:
                write_atomic(path, result.text)
        else:
            try:
                sys.stdout.buffer.write(encode(result.text))
                sys.stdout.flush()
            except BrokenPipeError:
                raise typer.Exit(0)
    if error:
        raise typer.Exit(error)
    if check and changed:
        raise typer.Exit(EXIT_CHANGED)
