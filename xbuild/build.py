"""Running a converted build: the one place that writes the temporary Dockerfile
and starts ``docker buildx build``.

The user's Dockerfile is read, converted in memory, and written to a fresh
temporary folder *outside* the build context (a file inside the context would
be sent to the builder and could change cache keys or be COPYed). buildx runs
as an argv list, never through a shell; its progress output streams to our
stderr as it comes, and its last ``ERROR:`` line becomes our one-line message.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import deque

from xbuild.buildx import BuildRequest, build_argv, failure_summary, validate_platforms
from xbuild.errors import EXIT_BUILD, UsageError, XBuildError
from xbuild.files import encode, read_dockerfile


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


def stream(argv: list[str]) -> tuple[int, list[str]]:
    """Run ``argv``; copy its stderr to ours line by line; return (status, last lines)."""
    tail: deque[str] = deque(maxlen=40)
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except FileNotFoundError:
        raise XBuildError(f"{argv[0]!r} not found on PATH; is Docker installed? "
                          "(`xbuild doctor` checks the setup)", exit_code=EXIT_BUILD) from None
    except PermissionError:
        raise XBuildError(f"{argv[0]!r} is not executable", exit_code=EXIT_BUILD) from None
    assert proc.stderr is not None
    err = sys.stderr.buffer if hasattr(sys.stderr, "buffer") else None
    try:
        for raw in proc.stderr:
            if err is not None:
                err.write(raw)
                err.flush()
            else:
                sys.stderr.write(raw.decode("utf-8", "replace"))
            tail.append(raw.decode("utf-8", "replace"))
        return proc.wait(), list(tail)
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        raise


def run_build(*, path: str | None, file: str | None, platform: str, tags: tuple[str, ...],
              push: bool, load: bool, output: str | None, builder: str | None,
              target: str | None, dry_run: bool, extra: tuple[str, ...],
              docker: str = "docker") -> int:
    from xbuild.config import load_config
    from xbuild.convert import convert
    from xbuild.settings import make_options

    platforms = validate_platforms(platform)
    dockerfile, context = resolve_paths(path, file)
    # Validate every flag before converting or touching the disk.
    BuildRequest(dockerfile=dockerfile, context=context, platforms=platforms, tags=tags,
                 push=push, load=load, output=output, builder=builder, target=target,
                 extra=extra, docker=docker)
    text = read_dockerfile(dockerfile)
    if not dry_run and shutil.which(docker) is None:
        raise XBuildError(f"{docker!r} not found on PATH; is Docker installed? "
                          "(`xbuild doctor` checks the setup)", exit_code=EXIT_BUILD)
    # the config file's helper strategy and ignored codes apply; the build's own
    # --platform and --target win over it, as on every command
    options = make_options(dockerfile, target=target, context=context,
                           platforms=",".join(platforms), config=load_config(dockerfile))
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
            return 0
        print(f"xbuild: {dockerfile}: {note}; running: {shlex.join(argv)}", file=sys.stderr, flush=True)
        rc, tail = stream(argv)
        if rc != 0:
            raise XBuildError(failure_summary(tail, rc), exit_code=EXIT_BUILD)
        return 0
    finally:
        if not keep:
            shutil.rmtree(tmpdir, ignore_errors=True)
