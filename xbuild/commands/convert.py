"""``xbuild convert``: print, diff, check or write the cross-compiling Dockerfile."""

from __future__ import annotations

from typing import List, Optional

import typer

from xbuild.app import app
from xbuild.commands import options as opt


@app.command()
def convert(
    paths: Optional[List[str]] = typer.Argument(
        None, help="Dockerfiles, folders or globs to convert (default: Dockerfile); - reads "
                   "standard input. Several files, a folder or a glob need --write, --check or "
                   "--diff; a folder is searched as `check` searches it."),
    diff: bool = typer.Option(False, "--diff", help="Print a unified diff instead of the file."),
    check: bool = typer.Option(False, "--check",
                               help="Print nothing; exit 1 when a file would change."),
    write: bool = typer.Option(False, "--write", "-w", help="Replace the files (atomically)."),
    target: opt.TargetOption = None,
    context: opt.ContextOption = None,
    no_context: opt.NoContextOption = False,
    platforms: opt.PlatformsOption = None,
    helper: opt.HelperOption = None,
    config: opt.ConfigOption = None,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No per-stage report on stderr."),
) -> None:
    """Rewrite build stages to cross-compile on $BUILDPLATFORM.

    Exit codes: 0 done (with --check: unchanged); 1 with --check: a file would change,
    with --write: a file was rewritten and others failed never; 2 usage error;
    3 a file is unreadable or unsupported (the other files are still converted).
    """
    import os
    import sys

    from xbuild.errors import EXIT_CHANGED, EXIT_INPUT, UsageError
    from xbuild.files import encode, write_atomic
    from xbuild.output import render_diff, render_report
    from xbuild.runner import Entry, RunOptions, run_paths

    paths = paths or ["Dockerfile"]
    if sum((diff, check, write)) > 1:
        raise UsageError("--diff, --check and --write are exclusive")
    if write and "-" in paths:
        raise UsageError("--write needs a file, not standard input")
    if not (diff or check or write):
        if len(paths) > 1:
            raise UsageError("several files need --write, --check or --diff")
        if os.path.isdir(paths[0]):
            raise UsageError(f"{paths[0]}: a folder needs --write, --check or --diff")
        if not os.path.exists(paths[0]) and any(c in paths[0] for c in "*?["):
            raise UsageError(f"{paths[0]}: a pattern needs --write, --check or --diff")

    def show(entry: Entry) -> None:
        result = entry.result
        assert result is not None
        if check:
            return
        if not quiet:
            typer.echo(render_report(result), err=True, nl=False)
        if diff:
            typer.echo(render_diff(result), nl=False)
        elif write:
            if result.changed:
                write_atomic(entry.path, result.text)
        else:
            try:
                sys.stdout.buffer.write(encode(result.text))
                sys.stdout.flush()
            except BrokenPipeError:
                raise typer.Exit(0) from None

    report = run_paths(paths, RunOptions(target=target, context=context, no_context=no_context,
                                         platforms=platforms, helper=helper, config=config,
                                         discover=diff or check or write),
                       on_result=show)
    if not report.entries:  # folders that hold no Dockerfile: say so, never a silent no-op
        typer.echo(f"xbuild: {', '.join(paths)}: no Dockerfile found", err=True)
        raise typer.Exit(EXIT_INPUT)
    if report.exit_code:
        raise typer.Exit(report.exit_code)
    if check and report.changed:
        raise typer.Exit(EXIT_CHANGED)
