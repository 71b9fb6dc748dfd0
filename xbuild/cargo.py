"""The cargo command vocabulary: which cargo subcommand a step runs and what that means
for a move (compiles the project, installs a build-machine tool, runs on the host, or
touches nothing architecture-specific). Shared by the Rust recipe, XB020, the planner
and the artifact tracker."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xbuild.analysis import Step

# Crates installed as tools the build runs (cargo subcommands and friends): native.
TOOL_CRATES = frozenset({"sccache", "wasm-bindgen-cli", "wasm-pack", "trunk", "just",
                         "sqlx-cli", "diesel_cli", "mdbook", "cbindgen", "bindgen-cli",
                         "protobuf-codegen", "dioxus-cli", "tauri-cli", "flamegraph"})
_VALUE_FLAGS = frozenset({"--version", "--vers", "--root", "--bin", "--features", "-F",
                          "--profile", "--git", "--branch", "--tag", "--rev", "--target-dir",
                          "-j", "--jobs", "--index", "--registry", "--example", "--path",
                          "--config", "-Z", "--target", "--recipe-path", "-p", "--package",
                          "--manifest-path", "--color", "--message-format"})
_NEUTRAL_SUBS = frozenset({"fetch", "vendor", "metadata", "update", "generate-lockfile",
                           "version", "--version", "-V", "new", "init", "tree", "clean",
                           "locate-project", "pkgid", "search", "login", "package", "publish",
                           "verify-project", "help", "--help", "-h", "fmt", "deny", "audit"})
_HOST_SUBS = frozenset({"run", "r", "test", "t", "bench", "doc", "d", "check", "c", "clippy",
                        "nextest", "sqlx", "leptos", "make"})


def cargo_sub(args: list[str]) -> tuple[int, str]:
    for i, a in enumerate(args):
        if not a.startswith(("-", "+")):
            return i, a
    return -1, ""


def cargo_role(step: Step) -> str:
    """build (compiles the project: needs --target) | tool | neutral | host | other."""
    cmd = step.cmd
    if cmd.name != "cargo":
        return "neutral" if cmd.name == "rustc" and cmd.args[:1] in (["--version"], ["-V"]) \
            else "other"
    args = cmd.args
    i, sub = cargo_sub(args)
    if sub in ("build", "b", "rustc"):
        return "build"
    if sub == "chef":
        nxt = args[i + 1] if i + 1 < len(args) else ""
        return "build" if nxt == "cook" else "neutral"
    if sub == "auditable":
        return "build"
    if sub == "binstall":  # downloads prebuilt tools for the build machine
        return "tool"
    if sub == "install":
        if any(a.startswith("--path") for a in args):
            return "build"
        crates, skip = [], False
        for a in args[i + 1:]:
            if skip:
                skip = False
                continue
            if a.startswith("-"):
                skip = a in _VALUE_FLAGS
                continue
            crates.append(a.split("@", 1)[0])
        if crates and all(c.startswith("cargo-") or c in TOOL_CRATES for c in crates):
            return "tool"
        return "build"
    if sub in _NEUTRAL_SUBS:
        return "neutral"
    if sub in _HOST_SUBS:
        return "host"
    return "other"
