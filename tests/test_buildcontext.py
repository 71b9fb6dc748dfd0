"""The build-context view: what it lists, what it refuses to read, where it stops."""

from __future__ import annotations

import os

import pytest

from xbuild import buildcontext
from xbuild.buildcontext import BuildContext, default_context, looks_like_project
from xbuild.dockerignore import IgnoreRules


def tree(root, files: dict[str, str]) -> str:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return str(root)


# ------------------------------------------------------------------ .dockerignore rules

@pytest.mark.parametrize("patterns, path, excluded", [
    # anchored at the root, unlike gitignore
    (["foo"], "foo", True),
    (["foo"], "sub/foo", False),
    (["*/foo"], "sub/foo", True),
    (["*/foo"], "a/b/foo", False),
    # ** spans any number of folders, zero included
    (["**/foo"], "foo", True),
    (["**/foo"], "a/b/foo", True),
    (["**/*.go"], "a/b/c.go", True),
    (["**/*.go"], "c.go", True),
    (["a/**/b"], "a/b", True),
    (["a/**/b"], "a/x/y/b", True),
    (["a/**"], "a/x/y", True),
    # a folder pattern covers what is under it
    (["build"], "build/out/app", True),
    (["/build/"], "build/app", True),
    (["./docs"], "docs/x.md", True),
    # the last match wins; ! re-includes, even under an excluded folder
    (["*.md", "!README.md"], "README.md", False),
    (["*.md", "!README*.md", "README-secret.md"], "README-secret.md", True),
    (["*.md", "!README*.md", "README-secret.md"], "README-x.md", False),
    (["*", "!src"], "src/main.go", False),
    (["*", "!src"], "go.mod", True),
    (["node_modules", "!node_modules/keep/**"], "node_modules/keep/a", False),
    (["node_modules", "!node_modules/keep/**"], "node_modules/other", True),
    # classes, ?, escapes
    (["[ab]*"], "bx", True),
    (["[!ab]*"], "bx", False),
    (["?x"], "zx", True),
    (["?x"], "zzx", False),
    (["\\*"], "*", True),
    (["\\*"], "a", False),
])
def test_dockerignore_matches_docker(patterns, path, excluded):
    assert IgnoreRules.parse("\n".join(patterns)).excluded(path) is excluded


def test_dockerignore_comments_blank_lines_and_spaces():
    rules = IgnoreRules.parse("# a comment\n\n   secret.txt   \n\ufeff")
    assert rules.excluded("secret.txt")
    assert not rules.excluded("# a comment")


def test_dockerignore_bad_pattern_is_reported_not_raised():
    rules = IgnoreRules.parse("[abc\n!\nok")
    assert len(rules.errors) == 2 and rules.excluded("ok")


def test_dockerignore_agrees_with_docker_py():
    """docker-py's matcher (the Docker SDK's) is an independent oracle."""
    build = pytest.importorskip("docker.utils.build")
    pattern_sets = [["*", "!src"], ["**/*.go"], ["src", "!src/keep"], ["a/**"], ["/build/"],
                    ["*.md", "!README*.md", "README-secret.md"], ["**.go"], ["a/**/b"],
                    ["node_modules", "!node_modules/x/**"], ["[ab]*"], ["*/tmp"], ["docs/*/out"]]
    paths = ["a", "a/b", "a/x/y/b", "src", "src/keep", "src/keep/f", "src/main.go", "main.go",
             "build", "build/o", "README.md", "README-secret.md", "README-x.md", "docs/a/out/f",
             "b.go", "d/.go", "node_modules/x/y", "node_modules/z", "ax", "cx", "d/tmp", "d/e/tmp"]
    for pats in pattern_sets:
        ours, theirs = IgnoreRules.parse("\n".join(pats)), build.PatternMatcher(pats)
        for p in paths:
            assert ours.excluded(p) == bool(theirs.matches(p)), (pats, p)


# ------------------------------------------------------------------ the view

def test_lists_files_sorted_and_skips_vcs_deps_and_build_output(tmp_path):
    root = tree(tmp_path, {"go.mod": "module x\n", "cmd/a/main.go": "package main\n",
                           ".git/config": "", "node_modules/x/index.js": "",
                           "target/release/app": "", "web/node_modules/y.js": ""})
    ctx = BuildContext.open(root)
    assert ctx.files() == ("cmd/a/main.go", "go.mod")
    assert not ctx.partial and ctx.root == root
    assert ctx.read("go.mod") == "module x\n"
    assert ctx.read("target/release/app") is None and not ctx.exists("node_modules")


def test_honours_dockerignore_with_negation(tmp_path):
    root = tree(tmp_path, {".dockerignore": "*\n!src\n!go.mod\nsrc/**/*_test.go\n",
                           "go.mod": "", "secret.env": "x", "src/a.go": "", "src/b/c_test.go": ""})
    ctx = BuildContext.open(root)
    assert ctx.files() == ("go.mod", "src/a.go")
    assert ctx.read("secret.env") is None and not ctx.exists("secret.env")


def test_per_dockerfile_ignore_file_wins(tmp_path):
    root = tree(tmp_path, {".dockerignore": "a\n", "app.Dockerfile": "FROM x\n",
                           "app.Dockerfile.dockerignore": "b\n", "a": "", "b": ""})
    ctx = BuildContext.open(root, os.path.join(root, "app.Dockerfile"))
    assert "a" in ctx.files() and "b" not in ctx.files()


def test_symlinks_out_of_the_root_are_not_read(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_text("s3cret")
    root = tmp_path / "ctx"
    tree(root, {"main.go": "package main\n"})
    os.symlink(outside / "secret", root / "link")
    os.symlink(outside, root / "dirlink")
    os.symlink(root / "main.go", root / "inner")
    ctx = BuildContext.open(str(root))
    assert ctx.files() == ("inner", "main.go")
    assert ctx.read("link") is None and ctx.read("dirlink/secret") is None
    assert ctx.read("../outside/secret") is None and ctx.read(str(outside / "secret")) is None
    assert ctx.read("inner") == "package main\n"


def test_entry_bound_makes_the_view_partial(tmp_path, monkeypatch):
    root = tree(tmp_path, {f"f{i:02}.go": "" for i in range(30)})
    monkeypatch.setattr(buildcontext, "MAX_ENTRIES", 10)
    ctx = BuildContext.open(root)
    assert len(ctx.files()) == 10
    assert ctx.partial and "stopped after 10 entries" in ctx.partial_why[0]


def test_read_bounds_make_the_view_partial(tmp_path, monkeypatch):
    root = tree(tmp_path, {"big": "x" * 100, "a": "y" * 40, "b": "z" * 40})
    monkeypatch.setattr(buildcontext, "MAX_FILE_BYTES", 50)
    monkeypatch.setattr(buildcontext, "MAX_TOTAL_BYTES", 60)
    ctx = BuildContext.open(root)
    assert not ctx.partial
    assert ctx.read("big") is None and ctx.partial
    assert ctx.read("a") == "y" * 40
    assert ctx.read("b") is None  # the total would pass 60 bytes
    assert len(ctx.partial_why) == 2


def test_unreadable_folder_is_partial_not_an_error(tmp_path):
    root = tree(tmp_path, {"ok.go": "", "locked/x.go": ""})
    os.chmod(tmp_path / "locked", 0)
    try:
        ctx = BuildContext.open(root)
        files = ctx.files()
        if os.geteuid() != 0:  # root reads anything
            assert files == ("ok.go",) and ctx.partial
    finally:
        os.chmod(tmp_path / "locked", 0o755)


# ------------------------------------------------------------------ the default context

def test_default_context_is_the_dockerfile_folder_of_a_project(tmp_path):
    root = tree(tmp_path, {"go.mod": "module x\n", "Dockerfile": "FROM x\n",
                           "deploy/prod.Dockerfile": "FROM x\n"})
    assert default_context(os.path.join(root, "Dockerfile")) == root
    assert default_context("-") is None


def test_a_folder_of_unrelated_dockerfiles_is_not_a_context(tmp_path):
    root = tree(tmp_path, {"a__Dockerfile": "FROM x\n", "b__Dockerfile": "FROM x\n",
                           "c.in.Dockerfile": "FROM x\n", "sub/go.mod": "module y\n"})
    assert not looks_like_project(root)
    assert default_context(os.path.join(root, "a__Dockerfile")) is None


def test_a_lone_dockerfile_folder_is_its_context(tmp_path):
    root = tree(tmp_path, {"Dockerfile": "FROM x\n", "main.c": ""})
    assert default_context(os.path.join(root, "Dockerfile")) == root


def test_one_huge_folder_is_cut_at_the_bound(tmp_path, monkeypatch):
    root = tree(tmp_path, {f"d/f{i:03}": "" for i in range(200)})
    monkeypatch.setattr(buildcontext, "MAX_ENTRIES", 50)
    ctx = BuildContext.open(root)
    assert len(ctx.files()) == 49 and ctx.partial  # "d" itself is one entry


def test_a_large_real_tree_is_walked_quickly(tmp_path):
    """The default bound keeps a walk of a big tree well under a second."""
    import time

    for d in range(30):
        sub = tmp_path / f"pkg{d}"
        sub.mkdir()
        for f in range(1000):
            (sub / f"f{f}.go").touch()
    start = time.monotonic()
    ctx = BuildContext.open(str(tmp_path))
    files = ctx.files()
    assert ctx.partial and len(files) < buildcontext.MAX_ENTRIES
    assert time.monotonic() - start < 5
