"""Building the ``docker buildx build`` command line: pure argv construction.

Nothing here runs a process or reads a file. Every value that reaches the argv
is validated first (platforms against the platform table, tags against the
image-reference grammar), and the Dockerfile only ever travels as a file path:
its content is never put on a command line.

Reference: https://docs.docker.com/reference/cli/docker/buildx/build/
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xbuild.errors import UsageError
from xbuild.settings import platforms_flag

# The image-reference grammar of distribution/reference (reference.go):
#   reference := name [ ":" tag ] [ "@" digest ]
#   name      := [domain '/'] path-component ['/' path-component]*
#   domain    := domain-component ['.' domain-component]* [':' port-number]  (or [IPv6])
#   path-component := alpha-numeric [separator alpha-numeric]*   (lowercase only)
#   separator := [_.] | '__' | [-]*
#   tag       := [\w][\w.-]{0,127}
#   digest    := algorithm ':' hex (sha256: 64 hex)
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?"
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_NAME = rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
IMAGE_REFERENCE = re.compile(rf"^{_NAME}(?::{_TAG})?(?:@{_DIGEST})?$", re.ASCII)  # \w: ASCII only
NAME_MAX = 255  # distribution/reference NameTotalLengthMax

# Builder instance names: what `docker buildx create --name` accepts.
BUILDER_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")
# Stage names: BuildKit's `AS name` (instructions/parse.go validStageName).
STAGE_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9_.-]*$")


def validate_tag(tag: str) -> str:
    """``tag`` if it is a valid image reference, else a ``UsageError``."""
    name = tag.split("@", 1)[0]
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]
    if not IMAGE_REFERENCE.match(tag) or len(name) > NAME_MAX:
        raise UsageError(f"invalid image reference {tag!r} for -t/--tag "
                         "(expected [registry[:port]/]name[:tag], lowercase name)")
    return tag


def validate_platforms(value: str) -> tuple[str, ...]:
    return platforms_flag(value, "--platform")


def _plain(flag: str, value: str) -> str:
    # A value that looks like an option, or holds a line break, is a mistake, not a value.
    if not value or value.startswith("-") or "\n" in value or "\r" in value or "\x00" in value:
        raise UsageError(f"invalid value {value!r} for {flag}")
    return value


@dataclass(frozen=True)
class BuildRequest:
    """Everything ``docker buildx build`` needs, validated."""

    dockerfile: str  # path of the (converted, temporary) Dockerfile
    context: str  # build context directory
    platforms: tuple[str, ...]
    tags: tuple[str, ...] = ()
    push: bool = False
    load: bool = False
    output: str | None = None  # --output spec, e.g. type=oci,dest=out.tar
    builder: str | None = None
    target: str | None = None
    extra: tuple[str, ...] = ()  # passed through verbatim (after `--` on xbuild's command line)
    docker: str = "docker"

    def __post_init__(self) -> None:
        if sum((self.push, self.load, self.output is not None)) > 1:
            raise UsageError("--push, --load and --output are mutually exclusive")
        if not self.platforms:
            raise UsageError("--platform: no platform given")
        for p in self.platforms:
            validate_platforms(p)
        for t in self.tags:
            validate_tag(t)
        if self.output is not None:
            _plain("--output", self.output)
        if self.builder is not None and not BUILDER_NAME.match(self.builder):
            raise UsageError(f"invalid builder name {self.builder!r} for --builder")
        if self.target is not None and not STAGE_NAME.match(self.target):
            raise UsageError(f"invalid stage name {self.target!r} for --target")
        if "\n" in self.context or "\x00" in self.context:
            raise UsageError(f"invalid build context path {self.context!r}")


def build_argv(req: BuildRequest) -> list[str]:
    """The exact argv for ``docker buildx build``; the context directory comes last."""
    argv = [req.docker, "buildx", "build"]
    if req.builder is not None:
        argv += ["--builder", req.builder]
    argv += ["--platform", ",".join(req.platforms)]
    argv += ["--file", req.dockerfile]
    for tag in req.tags:
        argv += ["--tag", tag]
    if req.target is not None:
        argv += ["--target", req.target]
    if req.push:
        argv.append("--push")
    elif req.load:
        argv.append("--load")
    elif req.output is not None:
        argv += ["--output", req.output]
    argv += list(req.extra)
    # A context path that begins with "-" would be read as an option.
    argv.append("./" + req.context if req.context.startswith("-") else req.context)
    return argv


# Lines of BuildKit's output that state why a build failed, most specific first.
_ERROR_PREFIXES = ("ERROR: ", "error: ", "Error response from daemon: ")


def failure_summary(stderr_tail: list[str], returncode: int) -> str:
    """One line saying why buildx failed, from the last lines it printed."""
    for prefix in _ERROR_PREFIXES:
        for line in reversed(stderr_tail):
            text = line.strip()
            if text.startswith(prefix):
                return f"docker buildx build failed: {text[len(prefix):].strip()}"
    if returncode < 0:
        return f"docker buildx build was killed by signal {-returncode}"
    return f"docker buildx build failed (exit status {returncode})"
