"""``xbuild ci github``: write the GitHub Actions workflow that builds per platform and merges."""

from __future__ import annotations

from typing import Optional

import typer

from xbuild.app import app
from xbuild.commands import options as opt

ci = typer.Typer(help="Write CI configuration that builds with xbuild.", no_args_is_help=True)
app.add_typer(ci, name="ci")


@ci.command(help="""Write DIR/.github/workflows/xbuild.yml: one job per platform, on a native
GitHub runner where there is one (ubuntu-24.04 for linux/amd64, ubuntu-24.04-arm for
linux/arm64), else on ubuntu-24.04 from the xbuild-converted Dockerfile with QEMU for the
final stages only; each pushes by digest, a merge job joins the digests into one index with
`docker buildx imagetools create` and runs `xbuild verify` on it. Platforms default to the
config's (else linux/amd64,linux/arm64). An existing workflow is kept unless --force.

Exit codes: 0 written; 2 bad option or config; 3 the workflow exists (use --force) or
cannot be written.""")
def github(
    directory: str = typer.Argument(".", metavar="[DIR]", help="Repository root (default: .)."),
    file: Optional[str] = typer.Option(None, "-f", "--file",
                                       help="Dockerfile, relative to DIR [default: Dockerfile]."),
    image: Optional[str] = typer.Option(None, "--image", metavar="REF",
                                        help="Image to push, [registry/]name[:tag] (default: "
                                             "ghcr.io/<owner>/<repo>, tagged with the git tag "
                                             "or commit)."),
    platforms: opt.PlatformsOption = None,
    force: bool = typer.Option(False, "--force", help="Overwrite an existing workflow."),
) -> None:
    from xbuild.ciworkflow import write_github_workflow

    target = write_github_workflow(directory, file=file, image=image, platforms=platforms,
                                   force=force)
    typer.echo(f"xbuild: wrote {target}", err=True)
