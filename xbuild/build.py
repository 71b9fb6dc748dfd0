"""Running a converted build: the one place that writes the temporary Dockerfile
and starts ``docker buildx build``.

The user's Dockerfile is read, converted in memory, and written to a fresh
temporary folder *outside* the build context (a file inside the context would
be sent to the builder and could change cache keys or be COPYed). buildx runs
as an argv list, never through a shell; its progress output streams to our
stderr as it comes, and its last ``ERROR:`` line becomes our one-line message.

Unless ``--no-verify``, what is built is verified before it goes anywhere: a first
build exports it to a local OCI layout in the same temporary folder, ``xbuild
verify``'s checks run on it (every ELF file for its platform), and only then does
the requested build run (``--push``, ``--load``, ``--output`` or none), from the
cache the first one filled. A wrong-architecture image is never pushed or loaded.
"""

from __future__ import annotations

import dataclasses
import os
import shlex
import shutil
import sys
import tempfile

from xbuild.buildx import BuildRequest, build_argv, failure_summary, validate_platforms
from xbuild.errors import EXIT_BUILD, EXIT_VERIFY, UsageError, XBuildError
from xbuild.files import encode, read_dockerfile
from xbuild.stream import stream


def resolve_paths(path: str | None, file: str | None) -> tuple[str, str]:
    """(dockerfile, context) from ``xbuild build [PATH] [-f FILE]``."""
    path = path or "."
    if os.path.isdir(path):
        context = path
        dockerfile = file if file is not None else os.path.join(path, "Dockerfile")
    elif os.path.exists(path):
        if file is not None:
            raise UsageError(f"PATH {path!r} is a file; give either a Dockerfile or -f, not both")
        dockerfile = path
        context = os.path.dirname(path) or "."
    else:
        raise XBuildError("no such file or directory", path=path)
    return dockerfile, context


def _inside(child: str, parent: str) -> bool:
    child, parent = os.path.realpath(child), os.path.realpath(parent)
    return child == parent or child.startswith(parent.rstrip(os.sep) + os.sep)


def make_temp_dir(context: str) -> str:
    """A new private folder that is not inside ``context``."""
    candidates = [tempfile.gettempdir(), "/tmp", "/var/tmp", os.path.expanduser("~")]
    for base in candidates:
        if not os.path.isdir(base) or _inside(base, context):
            continue
        try:
            return tempfile.mkdtemp(prefix="xbuild-", dir=base)
        except OSError:
            continue
    raise XBuildError("no temporary folder outside the build context is writable "
                      "(set TMPDIR to a folder outside it)", path=context, exit_code=EXIT_BUILD)


def write_converted(dockerfile: str, text: str, tmpdir: str) -> str:
    """Write ``text`` under ``tmpdir`` with the Dockerfile's own base name.

    BuildKit reads ``<Dockerfile>.dockerignore`` beside the Dockerfile before the
    context's ``.dockerignore``; copying it keeps the same files out of the build.
    """
    name = os.path.basename(dockerfile) if dockerfile != "-" else "Dockerfile"
    out = os.path.join(tmpdir, name)
    with open(out, "wb") as fh:
        fh.write(encode(text))
    ignore = dockerfile + ".dockerignore"
    if dockerfile != "-" and os.path.isfile(ignore):
        shutil.copyfile(ignore, out + ".dockerignore")
    return out


# Flags of the verification build that must not repeat in the requested one: it would
# rebuild everything instead of exporting what the first build just made.
NO_CACHE = ("--no-cache",)


def verify_first(req: BuildRequest, tmpdir: str) -> None:
    """Build ``req`` into an OCI layout under ``tmpdir`` and verify it; exit 5 when it is wrong."""
    from xbuild.registry import LayoutSource
    from xbuild.verify import render_reports, verify

    layout = os.path.join(tmpdir, "verify-oci")
    if "," in layout or '"' in layout:
        raise XBuildError("the temporary folder's path holds a comma or quote, which buildx's --output "
                          "cannot carry; set TMPDIR to a plain path, or --no-verify", path=layout,
                          exit_code=EXIT_BUILD)
    check = BuildRequest(dockerfile=req.dockerfile, context=req.context, platforms=req.platforms,
                         output=f"type=oci,dest={layout},tar=false", builder=req.builder, target=req.target,
                         extra=req.extra, docker=req.docker)
    argv = build_argv(check)
    print(f"xbuild: building to verify first: {shlex.join(argv)}", file=sys.stderr, flush=True)
    rc, tail = stream(argv)
    if rc != 0:
        raise XBuildError(failure_summary(tail, rc), exit_code=EXIT_BUILD)
    reports = verify(LayoutSource(layout), req.platforms)
    shutil.rmtree(layout, ignore_errors=True)
    sys.stderr.write("".join(f"xbuild: verify: {line}\n" for line in render_reports(reports, quiet=False)))
    if not all(r.ok for r in reports):
        bad = sum(len(r.problems) for r in reports)
        raise XBuildError(f"verify found {bad} problem(s) in what was built (above); nothing was pushed, "
                          "loaded or exported (--no-verify skips the check)", exit_code=EXIT_VERIFY)


def run_build(*, path: str | None, file: str | None, platform: str | None, tags: tuple[str, ...],
              push: bool, load: bool, output: str | None, builder: str | None,
              target: str | None, dry_run: bool, extra: tuple[str, ...],
              docker: str = "docker", verify: bool = True, distribute: bool = False,
              cache: str | None = None) -> int:
    from xbuild.convert import convert
    from xbuild.runner import RunOptions, file_options

    if platform is not None:
        validate_platforms(platform)  # the flag's own error, before anything is read
    if distribute and not push:
        raise UsageError("--distribute needs --push: each platform is pushed by digest and merged in the registry")
    if distribute and dry_run:
        raise UsageError("--distribute runs several commands that depend on each other's digests; "
                         "--dry-run cannot print them")
    if cache is not None and not distribute:
        raise UsageError("--cache is for --distribute (one cache scope per platform); otherwise pass "
                         "--cache-from/--cache-to after `--`")
    dockerfile, context = resolve_paths(path, file)
    # the config file's platforms, helper strategy and ignored codes apply; the build's
    # own --platform and --target win over it, as on every command
    options, _ = file_options(dockerfile, RunOptions(target=target, context=context,
                                                     platforms=platform))
    platforms = options.platforms
    # Validate every flag before converting or touching the disk.
    BuildRequest(dockerfile=dockerfile, context=context, platforms=platforms, tags=tags,
                 push=push, load=load, output=output, builder=builder, target=target,
                 extra=extra, docker=docker)
    text = read_dockerfile(dockerfile)
    if not dry_run and shutil.which(docker) is None:
        raise XBuildError(f"{docker!r} not found on PATH; is Docker installed? "
                          "(`xbuild doctor` checks the setup)", exit_code=EXIT_BUILD)
    result = convert(text, dockerfile, options)
    tmpdir = make_temp_dir(context)
    keep = dry_run
    try:
        converted = write_converted(dockerfile, result.text, tmpdir)
        req = BuildRequest(dockerfile=converted, context=context, platforms=platforms, tags=tags,
                           push=push, load=load, output=output, builder=builder, target=target,
                           extra=extra, docker=docker)
        argv = build_argv(req)
        note = "converted" if result.changed else "unchanged (nothing to convert)"
        if dry_run:
            print(shlex.join(argv))
            print(f"xbuild: {dockerfile}: {note}; the file above is kept for you to run", file=sys.stderr)
            if verify:
                print("xbuild: (xbuild build would first export it to a temporary OCI layout and verify it; "
                      "run `xbuild verify` on what you build)", file=sys.stderr)
            return 0
        if distribute:
            from xbuild.distribute import distribute as run_distributed

            return run_distributed(req, tmpdir, cache=cache, verify=verify)
        if verify:
            verify_first(req, tmpdir)
            req = dataclasses.replace(req, extra=tuple(a for a in req.extra if a not in NO_CACHE))
            argv = build_argv(req)
        print(f"xbuild: {dockerfile}: {note}; running: {shlex.join(argv)}", file=sys.stderr, flush=True)
        rc, tail = stream(argv)
        if rc != 0:
            raise XBuildError(failure_summary(tail, rc), exit_code=EXIT_BUILD)
        return 0
    finally:
        if not keep:
            shutil.rmtree(tmpdir, ignore_errors=True)
