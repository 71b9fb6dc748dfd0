"""`xbuild prove`: the comparison on hand-made filesystems, and the command with a fake `docker`.

The fake `docker` records its argv and, for `--output type=oci,dest=D,tar=false`, copies a
prepared OCI layout to D (one for the user's Dockerfile, one for any other file), so the
exact argv of both builds is asserted and the comparison runs on real layouts; the real
builds are in tests/e2e/test_zoo_e2e.py.
"""

from __future__ import annotations

import json
import os
import shutil
import sys

import pytest

from tests.conftest import fake_docker_on_path
from tests.elfmaker import Layout, layer, make_elf
from xbuild.cli import main
from xbuild.layers import merge_layers
from xbuild.platforms import BY_NAME
from xbuild.prove import compare, render_text
from xbuild.provebuild import failing_step

ARM64, AMD64 = BY_NAME["linux/arm64"], BY_NAME["linux/amd64"]
LD = {183: "/lib/ld-linux-aarch64.so.1", 62: "/lib64/ld-linux-x86-64.so.2"}


def image(machine: int, *, lib_machine: int | None = None, interp: bool = True,
          needed=("libc.so.6",), extra=()) -> list[bytes]:
    """A small image: a loader, an app, a plugin .so without exec bit, a symlink, a text file."""
    lib_machine = machine if lib_machine is None else lib_machine
    return [layer([("lib", "dir", None), (LD[machine][1:], "file", make_elf(machine, e_type=3)),
                   ("etc", "dir", None), ("etc/os-release", "file", b"ID=debian\n", 0o644)]),
            layer([("app", "dir", None),
                   ("app/hello", "file", make_elf(machine, interp=LD[machine] if interp else None,
                                                  needed=needed if interp else ())),
                   ("app/libplugin.so", "file", make_elf(lib_machine, e_type=3, needed=("libc.so.6",)), 0o644),
                   ("app/current", "sym", "hello"),
                   ("app/README", "file", b"hello\n", 0o644), *extra])]


def fs(layers):
    return merge_layers(layers)


def test_equivalent_images():
    r = compare(fs(image(183)), fs(image(183)), ARM64)
    assert r.equivalent and r.elf == 3 and r.files == 9, r.problems


def test_so_without_exec_bit_for_the_wrong_machine():
    r = compare(fs(image(183)), fs(image(183, lib_machine=62)), ARM64)
    [p] = r.problems
    assert (p.path, p.kind) == ("/app/libplugin.so", "arch")
    assert p.message == "machine x86-64 (EM_X86_64), expected AArch64 (EM_AARCH64) (the original's is right)"


def test_missing_extra_and_elf_only():
    orig = fs(image(183, extra=[("app/gone.txt", "file", b"x", 0o644), ("app/tool", "file", b"#!/bin/sh\n")]))
    conv = fs(image(183, extra=[("app/new.txt", "file", b"x", 0o644), ("app/tool", "file", make_elf(62))]))
    r = compare(orig, conv, ARM64)
    got = {(p.path, p.kind) for p in r.problems}
    assert got == {("/app/gone.txt", "missing"), ("/app/new.txt", "extra"), ("/app/tool", "elf")}
    text = render_text([r])
    assert "linux/arm64: /app/gone.txt: a file in the original, missing in the converted image" in text
    assert "linux/arm64: /app/tool: a file in the original, an ELF file in the converted image" in text


def test_interpreter_and_needed_differ():
    # the CGO_ENABLED trap: native build linked libc dynamically, the cross build is static
    r = compare(fs(image(183)), fs(image(183, interp=False)), ARM64)
    [p] = [p for p in r.problems if p.path == "/app/hello" and p.kind == "interp"]
    assert p.message == "dynamic loader none (static), the original's is /lib/ld-linux-aarch64.so.1"
    assert any(p.kind == "needed" and "lacks libc.so.6" in p.message for p in r.problems)
    r = compare(fs(image(183)), fs(image(183, needed=("libc.so.6", "libsqlite3.so.0"))), ARM64)
    [p] = r.problems
    assert p.kind == "needed" and p.message == "DT_NEEDED adds libsqlite3.so.0 (against the original)"


def test_symlink_target_and_kind():
    orig = fs(image(183, extra=[("app/bin", "sym", "target/release/app"), ("app/d", "dir", None)]))
    conv = fs(image(183, extra=[("app/bin", "sym", "target/aarch64-unknown-linux-gnu/release/app"),
                                ("app/d", "file", b"x", 0o644)]))
    kinds = {p.path: p.kind for p in compare(orig, conv, ARM64).problems}
    assert kinds == {"/app/bin": "link", "/app/d": "kind"}


def test_allowlist_and_exclude():
    orig = fs(image(183, extra=[("tmp", "dir", None), ("tmp/x", "file", b"1", 0o644)]))
    conv = fs(image(183, extra=[("etc/resolv.conf", "file", b"", 0o644), ("root", "dir", None),
                                ("root/.cache", "dir", None), ("root/.cache/go-build", "dir", None),
                                ("app/build-id.txt", "file", b"1", 0o644)]))
    r = compare(orig, conv, ARM64)
    # /tmp and the cache are allowlisted, /root itself is not
    assert {p.path for p in r.problems} == {"/root", "/app/build-id.txt"}
    r = compare(orig, conv, ARM64, exclude=("/root*", "/app/build-id.txt"))
    assert r.equivalent, r.problems


def test_foreign_file_in_the_original_must_match_not_the_platform():
    """A file for another machine on purpose (a cross toolchain's test data) is kept as it is."""
    orig = fs(image(183, extra=[("usr/share/testdata.elf", "file", make_elf(62), 0o644)]))
    same = fs(image(183, extra=[("usr/share/testdata.elf", "file", make_elf(62), 0o644)]))
    other = fs(image(183, extra=[("usr/share/testdata.elf", "file", make_elf(183), 0o644)]))
    assert compare(orig, same, ARM64).equivalent
    [p] = compare(orig, other, ARM64).problems
    assert p.kind == "arch" and "the original's is x86-64 (EM_X86_64) ELF64" in p.message


def test_arm_version_checked():
    v7 = BY_NAME["linux/arm/v6"]
    orig = fs([layer([("hello", "file", make_elf(40, cls=32, arm_arch=6))])])
    conv = fs([layer([("hello", "file", make_elf(40, cls=32, arm_arch=10))])])
    [p] = compare(orig, conv, v7).problems
    assert p.kind == "arch" and "does not run on linux/arm/v6" in p.message


def test_failing_step_from_buildkit_output():
    tail = ["#9 ERROR: process \"/bin/sh -c make\" did not complete successfully: exit code: 2\n",
            "------\n", " > [linux/arm64 build 4/5] RUN make CC=gcc:\n", "------\n", "Dockerfile:5\n",
            "ERROR: failed to solve: process \"/bin/sh -c make\" did not complete successfully\n"]
    assert failing_step(tail) == "[linux/arm64 build 4/5] RUN make CC=gcc"
    assert failing_step(["nothing\n"]) is None


# ---------------------------------------------------------------- the command, with a fake docker

FAKE_DOCKER = """#!{python}
import json, os, shutil, sys
argv = sys.argv[1:]
rec = {{"argv": argv}}
if "--file" in argv:
    f = argv[argv.index("--file") + 1]
    rec["dockerfile"] = open(f).read()
with open(os.environ["FAKE_DOCKER_LOG"], "a") as fh:
    fh.write(json.dumps(rec) + "\\n")
if argv[:2] == ["buildx", "build"]:
    sys.stderr.write("#1 [internal] load build definition\\n")
    which = "original" if f == os.environ["FAKE_ORIGINAL"] else "converted"
    if os.environ.get("FAKE_FAIL") == which:
        sys.stderr.write("------\\n > [linux/arm64 build 2/2] RUN make:\\n------\\n")
        sys.stderr.write("ERROR: failed to solve: process \\"/bin/sh -c make\\" did not complete successfully: exit code: 2\\n")
        sys.exit(1)
    out = argv[argv.index("--output") + 1]
    if out.startswith("type=oci,"):
        dest = dict(kv.split("=", 1) for kv in out.split(","))["dest"]
        shutil.copytree(os.path.join(os.environ["FAKE_LAYOUTS"], which), dest)
elif argv[:1] == ["run"]:
    image = argv[argv.index("--pull=never") + 3]
    arch = argv[argv.index("--platform") + 1].split("/")[1]
    wrong = os.environ.get("FAKE_SMOKE_WRONG") and image.endswith(":converted") and arch == "arm64"
    print("Hello, " + ("amd64" if wrong else arch) + "!")
"""

ORIGINAL = "FROM golang:1.27 AS builder\nWORKDIR /src\nCOPY . .\nRUN go build -o /hello .\n" \
           "FROM debian:bookworm\nCOPY --from=builder /hello /app/hello\n"


def write_layout(root, arm64_lib_machine=183):
    lay = Layout(str(root))
    arm = lay.image("linux/arm64", image(183, lib_machine=arm64_lib_machine))
    amd = lay.image("linux/amd64", image(62))
    inner = lay.put(lay.index([amd, arm]), "application/vnd.oci.image.index.v1+json")
    lay.index([inner])


@pytest.fixture
def rig(tmp_path, monkeypatch):
    log = fake_docker_on_path(tmp_path, monkeypatch, FAKE_DOCKER.format(python=sys.executable))
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "Dockerfile").write_text(ORIGINAL)
    (proj / "go.mod").write_text("module hello\n\ngo 1.22\n")
    (proj / "main.go").write_text('package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n')
    layouts = tmp_path / "layouts"
    write_layout(layouts / "original")
    write_layout(layouts / "converted")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr("tempfile.tempdir", None)
    monkeypatch.setenv("FAKE_ORIGINAL", str(proj / "Dockerfile"))
    monkeypatch.setenv("FAKE_LAYOUTS", str(layouts))

    class Rig:
        project = proj
        tmpdir = tmp
        layout_dir = layouts

        @staticmethod
        def calls():
            return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    return Rig


def run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def test_prove_builds_both_and_passes(rig, capsys):
    rc, out, err = run(["prove", str(rig.project), "--", "--network=none",
                        "--build-context", "golang:1.27=docker-image://golang:1.27"], capsys)
    assert rc == 0, out + err
    first, second = rig.calls()
    dest = first["argv"][first["argv"].index("--output") + 1]
    assert dest.startswith(f"type=oci,dest={rig.tmpdir}/xbuild-") and dest.endswith("/original,tar=false")
    assert first["argv"] == ["buildx", "build", "--platform", "linux/amd64,linux/arm64",
                             "--file", str(rig.project / "Dockerfile"), "--output", dest, "--network=none",
                             "--build-context", "golang:1.27=docker-image://golang:1.27", str(rig.project)]
    tmpfile = second["argv"][second["argv"].index("--file") + 1]
    assert second["argv"] == ["buildx", "build", "--platform", "linux/amd64,linux/arm64", "--file", tmpfile,
                              "--output", dest.replace("/original,", "/converted,"), "--network=none",
                              "--build-context", "golang:1.27=docker-image://golang:1.27", str(rig.project)]
    assert first["dockerfile"] == ORIGINAL and "--platform=$BUILDPLATFORM" in second["dockerfile"]
    assert not any(a in ("--push", "--load") for c in rig.calls() for a in c["argv"])
    assert os.listdir(rig.tmpdir) == [], "the temporary folder (layouts, converted file) is left behind"
    assert sorted(os.listdir(rig.project)) == ["Dockerfile", "go.mod", "main.go"]
    lines = out.splitlines()
    assert lines[0].split() == ["platform", "files", "ELF", "differences", "result"]
    assert lines[1].split() == ["linux/amd64", "9", "3", "0", "equivalent"]
    assert lines[2].split() == ["linux/arm64", "9", "3", "0", "equivalent"]


def test_prove_wrong_arch_is_exit_5_naming_the_path(rig, capsys):
    shutil.rmtree(rig.layout_dir / "converted")
    write_layout(rig.layout_dir / "converted", arm64_lib_machine=62)
    rc, out, err = run(["prove", str(rig.project), "--format", "json"], capsys)
    assert rc == 5, out + err
    doc = json.loads(out)
    assert doc["equivalent"] is False
    amd, arm = doc["platforms"]
    assert amd["equivalent"] is True and arm["equivalent"] is False
    assert arm["problems"] == [{"path": "/app/libplugin.so", "kind": "arch",
                                "message": "machine x86-64 (EM_X86_64), expected AArch64 (EM_AARCH64) "
                                           "(the original's is right)"}]
    assert os.listdir(rig.tmpdir) == []


def test_prove_with_a_hand_written_file_and_a_missing_platform(rig, capsys):
    hand = rig.project.parent / "cross.Dockerfile"
    hand.write_text("FROM --platform=$BUILDPLATFORM golang:1.27 AS b\n")
    rc, out, err = run(["prove", str(rig.project), "--converted", str(hand),
                        "--platform", "linux/arm64,linux/arm/v7", "--target", "builder"], capsys)
    assert rc == 5, out + err
    first, second = rig.calls()
    assert second["argv"][second["argv"].index("--file") + 1] == str(hand)
    assert first["argv"][first["argv"].index("--target") + 1] == "builder"
    assert "linux/arm/v7: /: original: no image for linux/arm/v7 in the index" in out


def test_build_failure_is_one_line_exit_4_naming_the_step(rig, capsys, monkeypatch):
    monkeypatch.setenv("FAKE_FAIL", "converted")
    rc, out, err = run(["prove", str(rig.project)], capsys)
    assert rc == 4
    last = err.strip().splitlines()[-1]
    assert last.startswith("xbuild: ") and "the converted build failed at [linux/arm64 build 2/2] RUN make: " \
        "failed to solve: process" in last
    assert out == "" and os.listdir(rig.tmpdir) == []


def test_smoke_runs_both_images_and_removes_them(rig, capsys, monkeypatch):
    rc, out, err = run(["prove", str(rig.project), "--platform", "linux/arm64", "--smoke", "/app/hello -v"],
                       capsys)
    assert rc == 0, out + err
    calls = [c["argv"] for c in rig.calls()]
    stored = [c[c.index("--output") + 1] for c in calls[2:4]]
    assert [s.rsplit(":", 1)[1] for s in stored] == ["original", "converted"]
    name = stored[0].split("name=")[1].split(":")[0]
    assert calls[4] == ["run", "--rm", "--network=none", "--pull=never", "--platform", "linux/arm64",
                        f"{name}:original", "/app/hello", "-v"]
    assert calls[-1] == ["image", "rm", "--force", f"{name}:original", f"{name}:converted"]
    assert "smoke '/app/hello -v': same output and exit status 0" in out
    monkeypatch.setenv("FAKE_SMOKE_WRONG", "1")
    rc, out, err = run(["prove", str(rig.project), "--platform", "linux/arm64", "--smoke", "/app/hello"],
                       capsys)
    assert rc == 5 and "linux/arm64: /app/hello: exit 0 printing 'Hello, amd64!'; the original exits 0 " \
        "printing 'Hello, arm64!'" in out


@pytest.mark.parametrize("args, message", [
    (["--format", "yaml"], "invalid value 'yaml' for --format"),
    (["--platform", "linux/sparc"], "unknown platform 'linux/sparc'"),
    (["--converted", "/nonexistent/Dockerfile"], "/nonexistent/Dockerfile"),
    (["--target", "-x"], "invalid stage name"),
])
def test_bad_input_never_reaches_buildx(rig, capsys, args, message):
    rc, _, err = run(["prove", str(rig.project), *args], capsys)
    assert rc in (2, 3) and message in err and err.count("\n") == 1
    assert rig.calls() == []


def test_unchanged_file_has_nothing_to_prove(rig, capsys):
    (rig.project / "Dockerfile").write_text("FROM debian:bookworm\nCOPY main.go /\n")
    rc, out, err = run(["prove", str(rig.project)], capsys)
    assert rc == 0 and "xbuild leaves it unchanged; nothing to prove" in err and rig.calls() == []
