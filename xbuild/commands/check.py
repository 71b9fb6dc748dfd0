"""``xbuild check``: report findings in Dockerfiles for humans, CI and review bots."""

from __future__ import annotations

from typing import List, Optional

import typer

from xbuild.app import app
from xbuild.commands import options as opt

EXIT_HELP = """--fail-on says which findings fail: fixable (the default) those `xbuild
convert --write` fixes, and errors; warning also the refusals and warnings it cannot fix;
never none. Exit codes: 0 no failing finding; 1 a failing finding; 2 usage error (bad flag,
bad config: the file and key are named); 3 an input could not be read or is not a
Dockerfile BuildKit accepts (the other files are still checked and reported)."""


@app.command(help=f"""Report what `xbuild convert` would change, and what it cannot fix.

PATHS are files, folders (searched for Dockerfile, Dockerfile.*, Dockerfile-*,
*.Dockerfile, *.dockerfile, Containerfile, Containerfile.*, *.Containerfile, skipping .git,
node_modules and vendor) or glob patterns; default: `.`.
Settings come from [tool.xbuild] in pyproject.toml or .xbuild.toml, found by walking up
from each Dockerfile's folder to the repository root; flags win.

{EXIT_HELP}""")
def check(
    paths: Optional[List[str]] = typer.Argument(None, help="Files, folders or globs (default: .)."),
    fmt: str = typer.Option("text", "--format", "-f",
                            help="Output: text, json, sarif, github or diff."),
    target: opt.TargetOption = None,
    context: opt.ContextOption = None,
    no_context: opt.NoContextOption = False,
    platforms: opt.PlatformsOption = None,
    helper: opt.HelperOption = None,
    ignore: Optional[str] = typer.Option(None, "--ignore", help="Rule codes to skip, comma "
                                         "separated (adds to the config's ignore)."),
    config: opt.ConfigOption = None,
    fail_on: Optional[str] = typer.Option(None, "--fail-on", metavar="fixable|warning|never",
                                          help="Which findings make the exit code 1 "
                                               "(default: the config's fail-on, else fixable)."),
) -> None:
    import os
    import sys

    from xbuild.errors import UsageError
    from xbuild.formatters import DEFAULT_FAIL_ON, FAIL_ON, FORMATS, Checked, fails, render
    from xbuild.runner import RunOptions, run_paths

    if fmt not in FORMATS:
        raise UsageError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise UsageError(f"--fail-on: {fail_on!r} is not one of {', '.join(FAIL_ON)}")
    report = run_paths(paths or ["."], RunOptions(
        target=target, context=context, no_context=no_context, platforms=platforms, helper=helper,
        ignore=ignore, config=config, discover=True))
    failing = any(fails(f, fail_on or e.settings.get("fail-on") or DEFAULT_FAIL_ON)
                  for e in report.entries if e.result for f in e.result.findings)
    color = fmt == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    out = render(fmt, [Checked(e.path, result=e.result, error=e.error) for e in report.entries],
                 color=color)
    if out:
        typer.echo(out, nl=False)
    raise typer.Exit(report.exit_code or (1 if failing else 0))
