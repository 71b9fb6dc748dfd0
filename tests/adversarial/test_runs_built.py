"""Hazard 5 (issue 10, "Running what was built"): once a stage moves, what it
compiled is for another architecture: running it (by any path), testing it, or
inspecting/stripping it with host tools breaks or lies. Refuse, or use the
target's tools ($TRIPLE-strip)."""

from __future__ import annotations

import pytest

from tests.adversarial.harness import Case, GO_CROSS, RUST_TARGET_BUILD, check, params

H = "runs_built"
BARE_STRIP = r"re:(^RUN|[;&|(]) *strip "

CASES = [
    Case("go-out-app-version", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -o /out/app . && /out/app --version
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "refused", reason="/out/app"),
    Case("go-cobra-completions", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -o bin/ctl ./cmd/ctl
        RUN mkdir -p /out && bin/ctl completion bash > /out/ctl.bash
        FROM alpine:3.20
        COPY --from=build /src/bin/ctl /usr/local/bin/ctl
        COPY --from=build /out/ctl.bash /etc/bash_completion.d/ctl
        """, "refused", reason="bin/ctl"),
    Case("rust-target-release-completions", H, """
        FROM rust:1.79 AS build
        WORKDIR /src
        COPY . .
        RUN cargo build --release
        RUN ./target/release/xtool completions zsh > /xtool.zsh
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/xtool /usr/local/bin/
        COPY --from=build /xtool.zsh /usr/share/zsh/site-functions/_xtool
        """, "refused", reason="target/release/xtool"),
    Case("make-install-then-run-installed", H, """
        FROM debian:bookworm AS build
        RUN apt-get update && apt-get install -y build-essential
        WORKDIR /src
        COPY . .
        RUN make && make install PREFIX=/usr/local
        RUN /usr/local/bin/mytool --selftest
        FROM debian:bookworm-slim
        COPY --from=build /usr/local/bin/mytool /usr/local/bin/mytool
        """, "refused", reason="mytool"),
    Case("gopath-bin-generator-runs", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN go install ./cmd/gen && $(go env GOPATH)/bin/gen -out internal/data/table.go
        RUN CGO_ENABLED=0 go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "safe", reason=r"re:\bgen\b", contains=(GO_CROSS,),
         absent=(r"re:GOARCH=\S+[^\n]*go install \./cmd/gen",)),
    Case("make-check-after-build", H, """
        FROM debian:bookworm AS build
        RUN apt-get update && apt-get install -y build-essential
        WORKDIR /src
        COPY . .
        RUN make -j"$(nproc)" && make check
        FROM debian:bookworm-slim
        COPY --from=build /src/bin/app /usr/local/bin/app
        """, "refused", reason="make check"),
    Case("cmake-build-target-test", H, """
        FROM debian:bookworm AS build
        RUN apt-get update && apt-get install -y build-essential cmake
        WORKDIR /src
        COPY . .
        RUN cmake -S . -B build && cmake --build build && cmake --build build --target test
        FROM debian:bookworm-slim
        COPY --from=build /src/build/app /usr/local/bin/app
        """, "refused", reason="target test"),
    Case("ctest-after-build", H, """
        FROM debian:bookworm AS build
        RUN apt-get update && apt-get install -y build-essential cmake
        WORKDIR /src
        COPY . .
        RUN cmake -B build && cmake --build build
        RUN cd build && ctest --output-on-failure
        FROM debian:bookworm-slim
        COPY --from=build /src/build/app /usr/local/bin/app
        """, "refused", reason="ctest"),
    Case("go-test-with-cgo", H, """
        FROM golang:1.22 AS build
        ENV CGO_ENABLED=1
        WORKDIR /src
        COPY . .
        RUN go test ./... && go build -o /out/app .
        FROM debian:bookworm-slim
        COPY --from=build /out/app /usr/local/bin/app
        """, "refused", reason="go test", absent=("CGO_ENABLED=0",)),
    Case("cargo-test-runs-target-tests", H, """
        FROM rust:1.79 AS build
        WORKDIR /src
        COPY . .
        RUN cargo test --release && cargo build --release
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /usr/local/bin/app
        """, "refused", reason="cargo test"),
    Case("host-strip-rust-binary", H, """
        FROM rust:1.79 AS build
        WORKDIR /src
        COPY . .
        RUN cargo build --release && strip target/release/app
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /usr/local/bin/app
        """, "safe", reason="strip", contains=(RUST_TARGET_BUILD,), absent=(BARE_STRIP,)),
    Case("host-strip-c-binary", H, """
        FROM debian:bookworm AS build
        RUN apt-get update && apt-get install -y gcc libc6-dev binutils
        WORKDIR /src
        COPY . .
        RUN gcc -O2 -o /out/app main.c
        RUN strip /out/app
        FROM debian:bookworm-slim
        COPY --from=build /out/app /usr/local/bin/app
        """, "safe", reason="strip", absent=(BARE_STRIP,)),
    Case("ldd-harvests-libs", H, """
        FROM golang:1.22 AS build
        ENV CGO_ENABLED=1
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app . && mkdir -p /out/libs && ldd /out/app | awk '/=>/ {print $3}' | xargs -I{} cp {} /out/libs/
        FROM debian:bookworm-slim
        COPY --from=build /out/ /opt/app/
        """, "refused", reason="ldd"),
    Case("upx-pack-go-binary", H, """
        FROM golang:1.22-alpine AS build
        RUN apk add --no-cache upx
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -ldflags "-s -w" -o /out/app . && upx --best /out/app
        FROM scratch
        COPY --from=build /out/app /app
        """, "safe", reason="upx", contains=(GO_CROSS,)),
    Case("cmake-builds-and-runs-generator", H, """
        FROM debian:bookworm AS build
        RUN apt-get update && apt-get install -y build-essential cmake
        WORKDIR /src
        COPY . .
        RUN cmake -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build
        FROM debian:bookworm-slim
        COPY --from=build /src/build/server /usr/local/bin/server
        """, "refused", reason="generat", files={
            "CMakeLists.txt": """
                cmake_minimum_required(VERSION 3.16)
                project(server C)
                add_executable(mkhash tools/mkhash.c)
                add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/hash.h
                  COMMAND mkhash ${CMAKE_SOURCE_DIR}/keywords.txt > ${CMAKE_BINARY_DIR}/hash.h
                  DEPENDS mkhash keywords.txt)
                add_executable(server src/main.c ${CMAKE_BINARY_DIR}/hash.h)
                target_include_directories(server PRIVATE ${CMAKE_BINARY_DIR})
                """,
            "tools/mkhash.c": "int main(void) { return 0; }\n",
            "src/main.c": '#include "hash.h"\nint main(void) { return 0; }\n',
            "keywords.txt": "get\nput\n",
        }),
    Case("go-app-generates-config", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -o /bin/app ./cmd/app
        RUN /bin/app config init --output /etc/app.yaml
        FROM alpine:3.20
        COPY --from=build /bin/app /usr/local/bin/app
        COPY --from=build /etc/app.yaml /etc/app.yaml
        """, "refused", reason="/bin/app"),
    # not running what was built: these move
    Case("checksum-of-built-binary", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -o /out/app . && ls -l /out/app && sha256sum /out/app > /out/app.sha256
        FROM alpine:3.20
        COPY --from=build /out/ /opt/app/
        """, "moved", contains=(GO_CROSS,)),
    Case("go-run-generator-is-native", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN go run ./tools/gen -out internal/gen/data.go
        RUN CGO_ENABLED=0 go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "moved", contains=(GO_CROSS,), absent=(r"re:GOARCH=\S+[^\n]*go run",)),
    Case("pure-go-test-runs-natively", H, """
        FROM golang:1.22-alpine AS build
        ENV CGO_ENABLED=0
        WORKDIR /src
        COPY . .
        RUN go test ./... && go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "moved", contains=(GO_CROSS,), absent=(r"re:GOARCH=\S+[^\n]*go test",)),
    Case("sqlc-tool-runs-natively", H, """
        FROM golang:1.22-alpine AS build
        RUN go install github.com/sqlc-dev/sqlc/cmd/sqlc@v1.26.0
        WORKDIR /src
        COPY . .
        RUN sqlc generate && CGO_ENABLED=0 go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "moved", contains=(GO_CROSS,),
         absent=(r"re:GOARCH=\S+[^\n]*go install github.com/sqlc",)),
    Case("rust-copy-release-binary-out", H, """
        FROM rust:1.79 AS build
        WORKDIR /src
        COPY . .
        RUN cargo build --release && mkdir -p /out && cp target/release/app /out/app
        FROM debian:bookworm-slim
        COPY --from=build /out/app /usr/local/bin/app
        """, "moved", contains=(RUST_TARGET_BUILD,)),
]


@pytest.mark.parametrize("case", params(CASES))
def test_runs_built(case: Case) -> None:
    check(case)
