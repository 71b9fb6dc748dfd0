"""Hazard 6 (issue 10, "The build context by default"): the project's files decide
cgo, `-sys` crates, native npm addons and what a Makefile or script does. Each case
with ``files`` gets them as its build context. Includes issue 10's three "Done when"
fixtures: ctx-makefile-plain-go-build, ctx-makefile-hardcoded-goarch,
ctx-cgo-golang122-keeps-cgo."""

from __future__ import annotations

import pytest

from tests.adversarial.harness import GO_CROSS, Case, check, params

H = "context"
GO_MOD = "module example.com/app\n\ngo 1.22\n"
MAIN_GO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n'
GO_RUNTIME = """
    FROM golang:1.22 AS build
    WORKDIR /src
    COPY . .
    RUN go build -o /out/app .
    FROM debian:bookworm-slim
    COPY --from=build /out/app /usr/local/bin/app
    """
MAKE_GO = """
    FROM golang:1.22 AS build
    WORKDIR /src
    COPY . .
    RUN make build
    FROM debian:bookworm-slim
    COPY --from=build /src/bin/app /usr/local/bin/app
    """
NODE_SHIPS_MODULES = """
    FROM node:20 AS build
    WORKDIR /app
    COPY package*.json ./
    RUN npm ci --omit=dev
    COPY . .
    FROM node:20-slim
    WORKDIR /app
    COPY --from=build /app/node_modules ./node_modules
    COPY --from=build /app/src ./src
    CMD ["node", "src/index.js"]
    """
RUST_DEB = """
    FROM rust:1.79 AS build
    RUN apt-get update && apt-get install -y --no-install-recommends {pkgs}
    WORKDIR /src
    COPY . .
    RUN cargo build --release
    FROM debian:bookworm-slim
    COPY --from=build /src/target/release/app /usr/local/bin/app
    """
CARGO_TOML = '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n{deps}\n'


def cargo_lock(*crates: str) -> str:
    return "version = 3\n" + "".join(
        f'\n[[package]]\nname = "{c}"\nversion = "0.1.0"\n' for c in ("app",) + crates)


def package_json(**deps: str) -> str:
    body = ",\n".join(f'    "{k}": "{v}"' for k, v in deps.items())
    return '{\n  "name": "app",\n  "version": "1.0.0",\n  "dependencies": {\n' + body + "\n  }\n}\n"


CASES = [
    # cgo: keep it (cross C compiler, CGO_ENABLED=1 explicit) or refuse; never force it off
    Case("ctx-cgo-golang122-keeps-cgo", H, GO_RUNTIME, "safe", reason="cgo",
         contains=("CGO_ENABLED=1",), absent=("CGO_ENABLED=0",), files={
             "go.mod": GO_MOD + "\nrequire github.com/mattn/go-sqlite3 v1.14.22\n",
             "main.go": 'package main\n\nimport _ "github.com/mattn/go-sqlite3"\n\nfunc main() {}\n',
         }),
    Case("ctx-cgo-import-c", H, GO_RUNTIME, "safe", reason="cgo",
         contains=("CGO_ENABLED=1",), absent=("CGO_ENABLED=0",), files={
             "go.mod": GO_MOD,
             "main.go": MAIN_GO,
             "hash/hash.go": 'package hash\n\n// #include <stdint.h>\nimport "C"\n',
         }),
    Case("no-context-golang122-cgo-unset", H, GO_RUNTIME, "safe", reason="cgo",
         contains=("CGO_ENABLED=1",), absent=("CGO_ENABLED=0",)),
    Case("ctx-pure-go-on-golang122-moves", H, GO_RUNTIME, "moved", contains=(GO_CROSS,),
         absent=("CGO_ENABLED=1",), files={"go.mod": GO_MOD, "main.go": MAIN_GO}),
    Case("ctx-modernc-sqlite-is-pure-go", H, GO_RUNTIME, "moved", contains=(GO_CROSS,), files={
        "go.mod": GO_MOD + "\nrequire modernc.org/sqlite v1.30.1\n",
        "main.go": 'package main\n\nimport _ "modernc.org/sqlite"\n\nfunc main() {}\n',
    }),
    # -sys crates need the target's -dev package
    Case("ctx-rust-pq-sys-needs-target-libpq", H, RUST_DEB.format(pkgs="libpq-dev"), "safe",
         reason="pq", contains=("libpq-dev:",), files={
             "Cargo.toml": CARGO_TOML.format(deps='diesel = { version = "2", features = ["postgres"] }'),
             "Cargo.lock": cargo_lock("diesel", "pq-sys"),
             "src/main.rs": "fn main() {}\n",
         }),
    Case("ctx-rust-openssl-sys-needs-target-libssl", H,
         RUST_DEB.format(pkgs="libssl-dev pkg-config"), "safe", reason="openssl",
         contains=("libssl-dev:",), files={
             "Cargo.toml": CARGO_TOML.format(deps='reqwest = "0.12"'),
             "Cargo.lock": cargo_lock("reqwest", "native-tls", "openssl", "openssl-sys"),
             "src/main.rs": "fn main() {}\n",
         }),
    # native npm addons in node_modules that ship
    Case("ctx-npm-binding-gyp", H, NODE_SHIPS_MODULES, "refused", reason="binding.gyp", files={
        "package.json": package_json(express="^4.19.2"),
        "binding.gyp": '{ "targets": [ { "target_name": "addon", "sources": ["addon.cc"] } ] }\n',
        "src/index.js": "require('./build/Release/addon.node')\n",
    }),
    Case("ctx-npm-sharp", H, NODE_SHIPS_MODULES, "refused", reason="sharp", files={
        "package.json": package_json(express="^4.19.2", sharp="^0.33.4"),
        "src/index.js": "require('sharp')\n",
    }),
    Case("ctx-npm-bcrypt", H, NODE_SHIPS_MODULES, "refused", reason="bcrypt", files={
        "package.json": package_json(bcrypt="^5.1.1"),
        "src/index.js": "require('bcrypt')\n",
    }),
    Case("ctx-npm-prisma", H, NODE_SHIPS_MODULES, "refused", reason="prisma", files={
        "package.json": package_json(**{"@prisma/client": "^5.15.0", "prisma": "^5.15.0"}),
        "src/index.js": "require('@prisma/client')\n",
    }),
    Case("ctx-npm-pure-js-node-modules", H, NODE_SHIPS_MODULES, "safe", reason="node_modules",
         files={"package.json": package_json(express="^4.19.2"),
                "src/index.js": "require('express')\n"}),
    # make and scripts: converted when they pass GOOS/GOARCH through, refused when they override
    Case("ctx-makefile-plain-go-build", H, MAKE_GO, "moved", contains=(GO_CROSS,), files={
        "Makefile": "build:\n\tgo build -o bin/app ./cmd/app\n",
        "go.mod": GO_MOD,
        "cmd/app/main.go": MAIN_GO,
    }),
    Case("ctx-makefile-hardcoded-goarch", H, MAKE_GO, "refused", reason="GOARCH=amd64", files={
        "Makefile": "build:\n\tGOOS=linux GOARCH=amd64 go build -o bin/app ./cmd/app\n",
        "go.mod": GO_MOD,
        "cmd/app/main.go": MAIN_GO,
    }),
    # `GOARCH ?=` keeps a GOARCH the environment sets (make's ?= never overrides it), and
    # `go env GOARCH` answers from that environment too: with GOARCH=$TARGETARCH passed to
    # make, the recipe builds for the target, so converting is right (the lead's call)
    Case("ctx-makefile-go-env-goarch", H, MAKE_GO, "moved", contains=(GO_CROSS,), files={
        "Makefile": "GOARCH ?= $(shell go env GOARCH)\n\nbuild:\n"
                    "\tGOARCH=$(GOARCH) go build -o bin/app ./cmd/app\n",
        "go.mod": GO_MOD,
        "cmd/app/main.go": MAIN_GO,
    }),
    Case("ctx-script-passes-env-through", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN ./build.sh /out/app
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "moved", contains=(GO_CROSS,), files={
            "build.sh": '#!/bin/sh\nset -e\nexec go build -trimpath -o "$1" ./cmd/app\n',
            "go.mod": GO_MOD,
            "cmd/app/main.go": MAIN_GO,
        }),
    Case("ctx-script-exports-goarch", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN ./build.sh /out/app
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "refused", reason="GOARCH=amd64", files={
            "build.sh": '#!/bin/sh\nset -e\nexport GOOS=linux GOARCH=amd64\ngo build -o "$1" ./cmd/app\n',
            "go.mod": GO_MOD,
            "cmd/app/main.go": MAIN_GO,
        }),
    Case("ctx-build-go-sets-goarch", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN go run build.go -o /out/app
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "refused", reason="build.go", files={
            "build.go": '//go:build ignore\n\npackage main\n\nimport "os"\n\n'
                        'func main() { os.Setenv("GOARCH", "amd64") }\n',
            "go.mod": GO_MOD,
            "main.go": MAIN_GO,
        }),
    Case("ctx-makefile-runs-built-binary", H, MAKE_GO, "refused", reason="bin/app", files={
        "Makefile": "build:\n\tgo build -o bin/app ./cmd/app\n\tbin/app gen-man > bin/app.1\n",
        "go.mod": GO_MOD,
        "cmd/app/main.go": MAIN_GO,
    }),
    Case("no-context-alpine-with-gcc-cgo-unset", H, """
        FROM golang:1.22-alpine AS build
        RUN apk add --no-cache build-base
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "safe", reason="cgo", contains=("CGO_ENABLED=1",), absent=("CGO_ENABLED=0",)),
]


@pytest.mark.parametrize("case", params(CASES))
def test_context(case: Case) -> None:
    check(case)
