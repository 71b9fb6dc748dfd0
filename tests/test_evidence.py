"""Evidence from small project trees: cgo, -sys crates, npm addons, make recipes."""

from __future__ import annotations

from pathlib import Path

import pytest

from xbuild import buildcontext
from xbuild.buildcontext import BuildContext
from xbuild.context import Context
from xbuild.evidence import (Evidence, classify_recipe, go_cgo, make_recipe, npm_native, rust_sys,
                             script_text)
from xbuild.result import Options


def view(tmp_path, files: dict[str, str]) -> BuildContext:
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return BuildContext.open(str(tmp_path))


GOMOD = "module example.com/app\n\ngo 1.22\n"

# ------------------------------------------------------------------ Go cgo


def test_go_without_cgo_is_an_empty_answer(tmp_path):
    ctx = view(tmp_path, {"go.mod": GOMOD, "main.go": "package main\nfunc main() {}\n"})
    assert go_cgo(ctx) == ()


def test_no_go_mod_is_unknown(tmp_path):
    assert go_cgo(view(tmp_path, {"main.go": 'import "C"\n'})) is None


def test_import_c_names_the_file_and_line(tmp_path):
    ctx = view(tmp_path, {"go.mod": GOMOD, "main.go": "package main\n",
                          "db/sqlite.go": 'package db\n\n// #include <x.h>\nimport "C"\n',
                          "db/cgo_test.go": 'package db\nimport "C"\n'})
    assert go_cgo(ctx) == (Evidence('import "C"', "db/sqlite.go", 4),)


def test_import_c_in_an_import_block(tmp_path):
    ctx = view(tmp_path, {"go.mod": GOMOD, "a.go": 'package a\n\nimport (\n\t"fmt"\n\t"C"\n)\n'})
    assert go_cgo(ctx)[0].file == "a.go"


def test_test_files_vendor_and_testdata_do_not_count(tmp_path):
    ctx = view(tmp_path, {"go.mod": GOMOD, "x_test.go": 'import "C"\n',
                          "vendor/m/c.go": 'import "C"\n', "testdata/c.go": 'import "C"\n'})
    assert go_cgo(ctx) == ()


@pytest.mark.parametrize("require", [
    "require github.com/mattn/go-sqlite3 v1.14.22",
    "require (\n\tgithub.com/miekg/pkcs11 v1.1.1 // indirect\n)",
    "require github.com/confluentinc/confluent-kafka-go/v2 v2.3.0",
])
def test_cgo_only_modules_in_go_mod(tmp_path, require):
    ctx = view(tmp_path, {"go.mod": GOMOD + require + "\n", "main.go": "package main\n"})
    (ev,) = go_cgo(ctx)
    assert ev.file == "go.mod" and "cgo only" in ev.what and ev.line is not None


def test_a_commented_require_does_not_count(tmp_path):
    ctx = view(tmp_path, {"go.mod": GOMOD + "// github.com/mattn/go-sqlite3 v1.14.0\n"})
    assert go_cgo(ctx) == ()


def test_cgo_only_package_import(tmp_path):
    ctx = view(tmp_path, {"go.mod": GOMOD + "require github.com/google/gopacket v1.1.19\n",
                          "cap.go": 'package main\nimport "github.com/google/gopacket/pcap"\n'})
    assert go_cgo(ctx) == (Evidence("imports github.com/google/gopacket/pcap (cgo only)",
                                    "cap.go", 2),)


def test_partial_view_without_evidence_is_unknown(tmp_path, monkeypatch):
    monkeypatch.setattr(buildcontext, "MAX_ENTRIES", 3)
    files = {"go.mod": GOMOD, **{f"f{i}.go": "package main\n" for i in range(5)}}
    assert go_cgo(view(tmp_path, files)) is None


def test_dockerignored_cgo_file_does_not_count(tmp_path):
    ctx = view(tmp_path, {".dockerignore": "tools\n", "go.mod": GOMOD,
                          "tools/c.go": 'import "C"\n'})
    assert go_cgo(ctx) == ()


# ------------------------------------------------------------------ Rust -sys crates

LOCK = """version = 3

[[package]]
name = "app"
version = "0.1.0"

[[package]]
name = "pq-sys"
version = "0.4.8"

[[package]]
name = "openssl-sys"
version = "0.9.99"

[[package]]
name = "libsqlite3-sys"
version = "0.27.0"

[[package]]
name = "ring"
version = "0.17.8"

[[package]]
name = "zstd-sys"
version = "2.0.9"

[[package]]
name = "weird-sys"
version = "1.0.0"
"""


def test_sys_crates_from_the_lockfile(tmp_path):
    ctx = view(tmp_path, {"Cargo.toml": '[package]\nname = "app"\n\n[dependencies]\n'
                                        'rusqlite = { version = "0.30", features = ["bundled"] }\n',
                          "Cargo.lock": LOCK})
    by = {c.crate: c for c in rust_sys(ctx)}
    assert set(by) == {"pq-sys", "openssl-sys", "libsqlite3-sys", "ring", "zstd-sys", "weird-sys"}
    assert by["pq-sys"].dev == "libpq-dev" and not by["pq-sys"].needs_cc
    assert by["openssl-sys"].dev == "libssl-dev"
    # rusqlite's bundled feature builds SQLite: no -dev package, a C compiler still
    assert by["libsqlite3-sys"].dev is None and by["libsqlite3-sys"].bundled
    assert by["libsqlite3-sys"].needs_cc
    assert by["ring"].needs_cc and by["ring"].dev is None and by["ring"].known
    assert by["zstd-sys"].bundled and by["zstd-sys"].dev is None  # bundled unless pkg-config
    assert not by["weird-sys"].known and by["weird-sys"].dev is None
    assert by["pq-sys"].file == "Cargo.lock" and by["pq-sys"].line == 8


def test_vendored_openssl_and_system_zstd(tmp_path):
    ctx = view(tmp_path, {"Cargo.toml": '[package]\nname = "app"\n[dependencies]\n'
                                        'openssl = { version = "0.10", features = ["vendored"] }\n'
                                        'zstd = { version = "0.13", features = ["pkg-config"] }\n'
                                        'openssl-sys = "0.9"\nzstd-sys = "2"\n'})
    by = {c.crate: c for c in rust_sys(ctx)}
    assert by["openssl-sys"].bundled and by["openssl-sys"].dev is None
    assert by["zstd-sys"].dev == "libzstd-dev" and not by["zstd-sys"].bundled
    assert by["openssl-sys"].file == "Cargo.toml" and by["openssl-sys"].line == 6


def test_workspace_member_manifests_count(tmp_path):
    ctx = view(tmp_path, {"Cargo.toml": '[workspace]\nmembers = ["db"]\n',
                          "db/Cargo.toml": '[package]\nname = "db"\n[dependencies]\n'
                                           'libz-sys = "1"\n'})
    (crate,) = rust_sys(ctx)
    assert crate.crate == "libz-sys" and crate.dev == "zlib1g-dev" and crate.file == "db/Cargo.toml"


def test_no_cargo_toml_is_unknown_and_pure_rust_is_empty(tmp_path):
    assert rust_sys(view(tmp_path / "a", {"main.rs": ""})) is None
    assert rust_sys(view(tmp_path / "b", {"Cargo.toml": '[package]\nname = "x"\n'
                                                        '[dependencies]\nserde = "1"\n'})) == ()


def test_broken_toml_is_skipped_not_raised(tmp_path):
    assert rust_sys(view(tmp_path, {"Cargo.toml": "[package\n"})) is None


# ------------------------------------------------------------------ npm native addons


def test_native_packages_in_manifest_and_lockfile(tmp_path):
    ctx = view(tmp_path, {
        "package.json": '{"dependencies": {"bcrypt": "^5", "react": "18"},\n'
                        ' "devDependencies": {"esbuild": "0.20"}}',
        "package-lock.json": '{"packages": {"node_modules/sharp": {"version": "0.33"},\n'
                             '"node_modules/sharp-cli": {}}}',
        "native/binding.gyp": "{}"})
    found = {(n.package, n.kind, n.file) for n in npm_native(ctx)}
    assert found == {("bcrypt", "compiles", "package.json"), ("esbuild", "binary", "package.json"),
                     ("sharp", "binary", "package-lock.json"),
                     ("binding.gyp", "compiles", "native/binding.gyp")}


@pytest.mark.parametrize("lockname, text", [
    ("yarn.lock", 'react@^18:\n  version "18"\n\n"@prisma/client@^5.0.0":\n  version "5.0.0"\n'),
    ("pnpm-lock.yaml", "packages:\n\n  /@prisma/client@5.0.0:\n    resolution: {}\n"),
    ("pnpm-lock.yaml", "packages:\n\n  '@prisma/client@5.0.0':\n    resolution: {}\n"),
])
def test_transitive_native_package_from_lockfiles(tmp_path, lockname, text):
    ctx = view(tmp_path, {"package.json": '{"dependencies": {"react": "18"}}', lockname: text})
    (n,) = npm_native(ctx)
    assert (n.package, n.kind, n.file) == ("@prisma/client", "engine", lockname)


def test_pure_js_and_no_package_json(tmp_path):
    assert npm_native(view(tmp_path / "a", {"package.json": '{"dependencies": {"vue": "3"}}',
                                            "yarn.lock": "vue@^3:\n  version \"3\"\n"})) == ()
    assert npm_native(view(tmp_path / "b", {"index.js": ""})) is None


def test_node_gyp_in_scripts(tmp_path):
    ctx = view(tmp_path, {"package.json": '{"scripts": {"install": "node-gyp rebuild"}}'})
    assert [n.package for n in npm_native(ctx)] == ["node-gyp"]


# ------------------------------------------------------------------ make recipes

GO_MAKEFILE = """\
# a typical Go Makefile
VERSION := $(shell git describe --tags)
BIN ?= app
LDFLAGS = -X main.version=$(VERSION)
GO = go

.PHONY: all build clean
all: build

build: deps
\t@echo building $(BIN)
\t$(GO) build -ldflags "$(LDFLAGS)" \\
\t\t-o bin/$(BIN) ./cmd/$(BIN)

deps:
\t$(GO) mod download

clean:
\trm -rf bin
"""


def test_default_target_follows_prerequisites(tmp_path):
    r = make_recipe(view(tmp_path, {"Makefile": GO_MAKEFILE}))
    assert r.known and r.target == "all" and r.file == "Makefile"
    assert r.lines == ("go mod download", "echo building ${BIN-app}",
                       'go build -ldflags "-X main.version=$(shell git describe --tags)"  '
                       "\t\t-o bin/${BIN-app} ./cmd/${BIN-app}")
    assert r.unresolved == ("$(shell git describe --tags)",)
    assert r.env == ("BIN",)


def test_named_target_and_command_line_variables(tmp_path):
    r = make_recipe(view(tmp_path, {"Makefile": GO_MAKEFILE}), "clean")
    assert r.lines == ("rm -rf bin",)
    r = make_recipe(view(tmp_path, {"Makefile": GO_MAKEFILE}), "deps", variables={"GO": "go1.22"})
    assert r.lines == ("go1.22 mod download",)


def test_automatic_variables_and_recursive_make(tmp_path):
    mk = "app: main.go\n\tgo build -o $@ $<\nrelease:\n\t$(MAKE) app\n"
    r = make_recipe(view(tmp_path, {"Makefile": mk, "main.go": ""}), "release")
    assert r.known and r.lines == ("go build -o app main.go",)


def test_prerequisites_from_functions_are_sources(tmp_path):
    mk = "SRC := $(wildcard *.go)\napp: $(SRC) $(shell find . -name '*.go')\n\tgo build -o $@\n"
    r = make_recipe(view(tmp_path, {"Makefile": mk}))
    assert r.known and r.lines == ("go build -o app",)


def test_a_missing_prerequisite_file_is_unknown(tmp_path):
    r = make_recipe(view(tmp_path, {"Makefile": "app: main.go\n\tgo build\n"}))
    assert not r.known and "no rule for 'main.go' and no such file" in r.unknown


def test_gnumakefile_wins_and_subdirectory(tmp_path):
    ctx = view(tmp_path, {"Makefile": "a:\n\techo M\n", "GNUmakefile": "a:\n\techo G\n",
                          "sub/makefile": "b:\n\techo S\n"})
    assert make_recipe(ctx).lines == ("echo G",)
    assert make_recipe(ctx, directory="sub").lines == ("echo S",)


@pytest.mark.parametrize("makefile, target, why", [
    ("all: build\n", None, "no rule for 'build'"),
    ("include common.mk\nall: build\n", None, "may come from an included file"),
    ("app: main.o\n\tcc -o app main.o\n%.o: %.c\n\tcc -c $<\n", None, "built by a pattern rule"),
    ("ifeq ($(X),1)\nall:\n\tgo build\nendif\n", None, "inside a conditional"),
    ("a: b\nb: c\nc: d\nd:\n\techo\n", None, "nested deeper than 2 levels"),
    ("app: VAR = 1\napp:\n\tgo build\n", "app", "target-specific variable"),
    ("$(eval $(call X))\nall:\n\techo\n", None, "$(eval ...)"),
    (".PHONY: x\n", None, "has no target"),
])
def test_unknown_recipes_say_why(tmp_path, makefile, target, why):
    r = make_recipe(view(tmp_path, {"Makefile": makefile}), target)
    assert not r.known and why in r.unknown


def test_no_makefile(tmp_path):
    r = make_recipe(view(tmp_path, {"go.mod": GOMOD}))
    assert not r.known and "no Makefile" in r.unknown


def test_conditional_variable_is_kept_verbatim(tmp_path):
    mk = "ifeq ($(CI),1)\nFLAGS := -v\nendif\nall:\n\tgo build $(FLAGS) .\n"
    r = make_recipe(view(tmp_path, {"Makefile": mk}))
    assert r.lines == ("go build $(FLAGS) .",) and r.unresolved == ("$(FLAGS)",)


def test_script_text(tmp_path):
    ctx = view(tmp_path, {"scripts/build.sh": "#!/bin/sh\ngo build .\n"})
    assert script_text(ctx, "./scripts/build.sh") == "#!/bin/sh\ngo build .\n"
    assert script_text(ctx, "/src/scripts/build.sh") is None
    assert script_text(ctx, "missing.sh") is None


# ------------------------------------------------------------------ pass-through classifier


def classify_make(tmp_path, makefile: str, lang: str = "go", **files: str):
    ctx = view(tmp_path, {"Makefile": makefile, **files})
    return classify_recipe(make_recipe(ctx), lang, ctx)


@pytest.mark.parametrize("makefile", [
    GO_MAKEFILE,
    "all:\n\tCGO_ENABLED=0 go build -o app .\n",
    "GOARCH ?= amd64\nall:\n\tGOARCH=$(GOARCH) go build .\n",
    "all:\n\tGOOS=linux GOARCH=$${GOARCH} go build .\n",
    "all:\n\tcd cmd && go build -o /out/app . && echo done\n",
    "all:\n\tenv GOOS=linux go install ./...\n",
    "all:\n\tgo build -ldflags \"-X 'main.msg=a; GOARCH=amd64'\" .\n",
    "all:\n\techo 'GOARCH=amd64 go build' && go build .\n",
])
def test_go_recipes_that_pass_the_target_through(tmp_path, makefile):
    result = classify_make(tmp_path, makefile)
    assert result.verdict == "passes_through", result
    assert result.builds


@pytest.mark.parametrize("makefile, line", [
    ("all:\n\tGOARCH=amd64 go build .\n", "GOARCH=amd64 go build ."),
    ("export GOARCH := amd64\nall:\n\tgo build .\n", "Makefile:1: GOARCH := amd64"),
    ("GOARCH = arm64\nall:\n\tgo build .\n", "Makefile:1: GOARCH = arm64"),
    ("all:\n\tfor a in amd64 arm64; do GOARCH=$$a go build -o app-$$a .; done\n",
     "for a in amd64 arm64; do GOARCH=$a go build -o app-$a .; done"),
    ("all:\n\texport GOARCH=amd64; go build .\n", "export GOARCH=amd64; go build ."),
    ("all:\n\tgo env -w GOARCH=amd64 && go build .\n", "go env -w GOARCH=amd64 && go build ."),
    ("all:\n\tCC=gcc CGO_CFLAGS=-march=native go build .\n",
     "CC=gcc CGO_CFLAGS=-march=native go build ."),
    ("all:\n\tGOAMD64=v3 go build .\n", "GOAMD64=v3 go build ."),
    ("all:\n\tsh -c 'GOARCH=amd64 go build .'\n", "sh -c 'GOARCH=amd64 go build .'"),
    ("all:\n\tenv GOARCH=arm go build .\n", "env GOARCH=arm go build ."),
])
def test_go_recipes_that_override_the_target(tmp_path, makefile, line):
    result = classify_make(tmp_path, makefile)
    assert result.verdict == "overrides" and result.line == line, result


def test_go_build_program_that_sets_goarch(tmp_path):
    prog = 'package main\nfunc main() { cmd.Env = append(os.Environ(), "GOARCH=amd64") }\n'
    result = classify_make(tmp_path, "all:\n\tgo run build.go\n", **{"build.go": prog})
    assert result.verdict == "overrides" and "sets GOARCH" in result.why
    result = classify_make(tmp_path, "all:\n\tgo run ./tools/gen.go\n",
                           **{"tools/gen.go": "package main\n"})
    assert result.verdict == "unknown"


@pytest.mark.parametrize("makefile, why", [
    ("all:\n\techo nothing to build\n", "runs no go build"),
    ("GOARCH != uname -m\nall:\n\tGOARCH=$(GOARCH) go build\n", "cannot evaluate"),
    ("all:\n\tGOARCH=$$(uname -m) go build\n", "cannot evaluate"),
    ("all:\n\t$(MAKE) -C sub\n", "another make"),
    ("all:\n\t./missing.sh\n", "not in the build context"),
    ("GO := $(shell which go)\nall:\n\t$(GO) build\n", "cannot evaluate"),
    ("ifdef CROSS\nGOARCH := arm64\nendif\nall:\n\tgo build\n", "inside a conditional"),
])
def test_go_recipes_xbuild_cannot_judge(tmp_path, makefile, why):
    result = classify_make(tmp_path, makefile)
    assert result.verdict == "unknown" and why in result.why, result


def test_cgo_setting_is_reported(tmp_path):
    assert classify_make(tmp_path, "all:\n\tCGO_ENABLED=1 go build\n").cgo == "1"


def test_recipe_running_a_script_is_followed(tmp_path):
    good = classify_make(tmp_path / "a", "all:\n\tsh scripts/build.sh\n",
                         **{"scripts/build.sh": "#!/bin/sh\nset -e\ngo build -o /out/app .\n"})
    assert good.verdict == "passes_through"
    bad = classify_make(tmp_path / "b", "all:\n\t./build.sh\n",
                        **{"build.sh": "#!/bin/sh\nexport GOARCH=amd64\ngo build .\n"})
    assert bad.verdict == "overrides" and bad.line == "export GOARCH=amd64"


def test_script_lines_share_one_shell(tmp_path):
    ctx = view(tmp_path, {"build.sh": "GOARCH=amd64\nexport GOARCH\ngo build\n"})
    result = classify_recipe(script_text(ctx, "build.sh").splitlines(), "go", ctx)
    assert result.verdict == "overrides"


@pytest.mark.parametrize("lines, verdict", [
    (["cargo build --release"], "passes_through"),
    (["cargo build --release --target x86_64-unknown-linux-musl"], "overrides"),
    (["cargo build --target=aarch64-unknown-linux-gnu"], "overrides"),
    (["cargo build --target $CARGO_BUILD_TARGET"], "passes_through"),
    (["cargo build --target $TARGET"], "unknown"),
    (["CARGO_BUILD_TARGET=x86_64-unknown-linux-gnu cargo build"], "overrides"),
    (["RUSTFLAGS='-C target-cpu=native' cargo build"], "overrides"),
    (["cargo build --config build.target=\"x86_64-unknown-linux-gnu\""], "overrides"),
    (["cross build --release"], "unknown"),
    (["echo hi"], "unknown"),
])
def test_rust_lines(tmp_path, lines, verdict):
    assert classify_recipe(lines, "rust", view(tmp_path, {})).verdict == verdict


def test_cargo_config_target_overrides(tmp_path):
    ctx = view(tmp_path, {".cargo/config.toml": '[build]\ntarget = "x86_64-unknown-linux-gnu"\n'})
    result = classify_recipe(["cargo build --release"], "rust", ctx)
    assert result.verdict == "overrides" and result.line.startswith(".cargo/config.toml")


def test_unknown_language_is_a_programming_error(tmp_path):
    with pytest.raises(ValueError):
        classify_recipe(["make"], "c")


# ------------------------------------------------------------------ through Context.project

PROJECTS = Path(__file__).resolve().parent / "contexts"


def project_context(name: str) -> Context:
    root = PROJECTS / name
    dockerfile = root / "Dockerfile"
    return Context.from_text(dockerfile.read_text(), str(dockerfile), Options(context=str(root)))


def test_context_projects_for_the_analysis():
    plain = project_context("go-make-plain").project
    assert plain.build_env(plain.make_recipe(), "go").passes_through
    pinned = project_context("go-make-goarch").project
    result = pinned.build_env(pinned.make_recipe(), "go")
    assert result.verdict == "overrides" and result.line == "Makefile:2: GOARCH := amd64"
    ctx = project_context("go-make-plain")
    run_make = ctx.df.stages[0].instructions[-1]
    assert ctx.context_dir(0, run_make) == ""
    recipe = ctx.project_at(0, run_make).make_recipe(directory=ctx.context_dir(0, run_make))
    assert recipe.lines == ("go build -trimpath -o bin/${BIN-hello} .",)
    cgo = project_context("go-cgo-debian").project
    assert cgo.go_cgo is True and cgo.go_cgo_why == 'main.go has import "C"'
    assert cgo.rust_sys is None and cgo.npm_native is None
    assert cgo.script_text("main.go").startswith("package main")


def test_no_context_answers_cannot_tell():
    ctx = Context.from_text("FROM scratch\n", "Dockerfile", Options())
    facts = ctx.project
    assert facts.view is None and facts.go_cgo is None and facts.rust_sys is None
    assert facts.npm_native is None and facts.script_text("x.sh") is None
    assert not facts.make_recipe().known
    assert facts.build_env(["./build.sh"], "go").verdict == "unknown"


# ------------------------------------------------------------------ where a step runs in the context

@pytest.mark.parametrize("body, expected", [
    ("WORKDIR /src\nCOPY . .\nRUN make\n", ""),
    ("COPY . /src\nWORKDIR /src\nRUN make\n", ""),
    ("COPY api/ /app\nWORKDIR /app/cmd\nRUN make\n", "api/cmd"),
    ("COPY ./api /app\nWORKDIR /app\nRUN make\n", "api"),  # a folder, per the view
    ("WORKDIR /src\nCOPY go.mod Makefile ./\nRUN make\n", None),  # several sources
    ("WORKDIR /src\nCOPY . .\nWORKDIR /elsewhere\nRUN make\n", None),
    ("WORKDIR $DIR\nCOPY . .\nRUN make\n", None),
    ('WORKDIR /src\nCOPY [".", "."]\nRUN make\n', None),
    ("RUN make\n", None),
])
def test_context_dir_of_a_step(tmp_path, body, expected):
    from xbuild.provenance import context_dir

    view_ = view(tmp_path, {"api/Makefile": "all:\n", "go.mod": GOMOD})
    text = "FROM golang:1.22 AS build\n" + body
    ctx = Context.from_text(text, "Dockerfile", Options())
    run_make = ctx.df.stages[0].instructions[-1]
    assert context_dir(ctx.df, ctx.graph, 0, run_make, view_) == expected


def test_context_dir_through_a_parent_stage(tmp_path):
    from xbuild.provenance import context_dir

    text = "FROM golang:1.22 AS base\nWORKDIR /src\nCOPY . .\nFROM base AS build\nRUN make\n"
    ctx = Context.from_text(text, "Dockerfile", Options())
    assert context_dir(ctx.df, ctx.graph, 1, ctx.df.stages[1].instructions[-1]) == ""
