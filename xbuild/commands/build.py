"""``xbuild build``: convert in memory, then run ``docker buildx build`` on the result."""

from __future__ import annotations

from typing import List, Optional

import typer

from xbuild.app import app
from xbuild.commands import options as opt


@app.command(
    context_settings={"allow_interspersed_args": True},
    help=(
        "Convert the Dockerfile in memory and build it with `docker buildx build`. "
        "PATH is the build context directory (its Dockerfile is used) or a Dockerfile "
        "(its folder is the context). The user's Dockerfile is never modified: the "
        "converted text goes to a temporary file outside the context, removed afterwards. "
        "Arguments after `--` are passed to buildx verbatim, e.g. "
        "`xbuild build . -t r/app --push -- --provenance=false`."
    ),
)
def build(
    path: Optional[str] = typer.Argument(None, help="Build context directory or Dockerfile [default: .]"),
    extra: Optional[List[str]] = typer.Argument(None, help="Extra buildx arguments, after `--`.",
                                                show_default=False),
    file: Optional[str] = typer.Option(None, "-f", "--file", help="Dockerfile [default: PATH/Dockerfile]"),
    platform: opt.PlatformOption = None,
    tag: Optional[List[str]] = typer.Option(None, "-t", "--tag", help="Image reference; repeatable."),
    push: bool = typer.Option(False, "--push", help="Push the result (only when asked)."),
    load: bool = typer.Option(False, "--load", help="Load the result into the local image store."),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="buildx --output spec."),
    builder: opt.BuilderOption = None,
    target: opt.TargetOption = None,
    dry_run: bool = typer.Option(False, "--dry-run",
                                 help="Print the exact command (the converted file is kept) and exit."),
    no_verify: bool = typer.Option(False, "--no-verify",
                                   help="Skip verifying the result (by default it is built to a temporary "
                                        "OCI layout and verified before it is pushed, loaded or exported)."),
    distribute: bool = typer.Option(False, "--distribute",
                                    help="Build each platform on its own (a multi-node builder runs each "
                                         "natively), push by digest, merge into one index under -t, verify "
                                         "it. Needs --push."),
    cache: Optional[str] = typer.Option(None, "--cache",
                                        help="With --distribute: cache backend (e.g. type=gha); each platform "
                                             "gets --cache-from/--cache-to with scope=<repo>-<os>-<arch>."),
) -> None:
    from xbuild.build import run_build

    extra_args = list(extra or [])
    if path is not None and path.startswith("-"):
        # `xbuild build -- --opt`: click binds the first word after `--` to PATH.
        extra_args.insert(0, path)
        path = None
    rc = run_build(path=path, file=file, platform=platform, tags=tuple(tag or ()), push=push,
                   load=load, output=output, builder=builder, target=target, dry_run=dry_run,
                   extra=tuple(extra_args), verify=not no_verify,
                   distribute=distribute, cache=cache)
    raise typer.Exit(rc)
