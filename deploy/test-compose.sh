#!/usr/bin/env bash
# make test-compose: the production deployment (docker-compose.yml, deploy/docker/*.Dockerfile)
# brought up for real and checked through its published port (issue #15).
#
# From a fresh clone on a fresh Debian bookworm machine (as root):
#   1. installs what is missing: docker.io and debootstrap (apt-get), the Compose v2 CLI plugin
#      (Debian trixie's docker-compose package, unpacked into the lane's cache: bookworm has only
#      Compose v1, which rejects the file);
#   2. uses the Docker daemon that runs, or starts one of its own (stopped at the end, with the
#      bridge and the firewall rules it added);
#   3. builds the stand-in base images (deploy/standins/, test scaffolding: no registry is
#      reachable here), kept between runs in the daemon's image store;
#   4. runs deploy/compose_lane.py: the project's images built from its Dockerfiles unchanged,
#      `docker compose up`, the checks, the copies that must fail, `down`, and its own clean-up.
# Cache: $LOUYU_LANE_CACHE (default /var/cache/louyu-compose-lane). Budget: 8 minutes warm.
set -Eeuo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${LOUYU_LANE_CACHE:-/var/cache/louyu-compose-lane}"
export LOUYU_LANE_CACHE="$cache"
started_at=$(date +%s)
say() { echo "== [$(($(date +%s) - started_at)) s] $*"; }
die() { echo "compose lane FAILED: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (it installs packages and may start dockerd)"
mkdir -p "$cache"

# ----- 1. tools ---------------------------------------------------------------------------------
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v openssl >/dev/null || missing+=(openssl)
command -v git >/dev/null || missing+=(git)
if [ "${#missing[@]}" -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >"$cache/apt.log" 2>&1 || die "apt-get update failed (see $cache/apt.log)"
  apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$cache/apt.log" 2>&1 \
    || die "apt-get install ${missing[*]} failed (see $cache/apt.log)"
fi
# Debian's client when there is one (the daemon's own version); else whatever `docker` is.
if [ -x /usr/bin/docker ]; then docker_bin=/usr/bin/docker; else docker_bin="$(command -v docker)"; fi
[ -n "$docker_bin" ] || die "no docker client (the docker.io package provides one)"
mkdir -p "$cache/bin"
ln -sf "$docker_bin" "$cache/bin/docker"
export PATH="$cache/bin:$PATH"

# Compose v2 as a CLI plugin in a DOCKER_CONFIG of the lane's own (the user's ~/.docker untouched).
export DOCKER_CONFIG="$cache/docker-config"
mkdir -p "$DOCKER_CONFIG/cli-plugins"
if ! docker compose version 2>/dev/null | grep -q -E 'version v?2\.'; then
  say "Compose v2: docker-compose from Debian trixie (the CLI plugin)"
  t="$cache/trixie"
  mkdir -p "$t/lists/partial" "$t/archives/partial"
  mirror="$(grep -h -o -E 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
    | tr -d ' ' | head -n 1 || true)"
  echo "deb ${mirror:-http://deb.debian.org/debian} trixie main" >"$t/sources.list"
  apt_t=(-o "Dir::Etc::SourceList=$t/sources.list" -o Dir::Etc::SourceParts=/nonexistent
    -o "Dir::State::Lists=$t/lists" -o "Dir::Cache::Archives=$t/archives" -o APT::Get::List-Cleanup=0)
  apt-get -q "${apt_t[@]}" update >"$t/apt.log" 2>&1 || die "apt-get update of trixie failed (see $t/apt.log)"
  (cd "$t" && apt-get -q "${apt_t[@]}" download docker-compose >>"$t/apt.log" 2>&1) \
    || die "apt-get download docker-compose (trixie) failed (see $t/apt.log)"
  deb="$(find "$t" -maxdepth 1 -name 'docker-compose_*.deb' | sort | tail -n 1)"
  rm -rf "$t/x" && dpkg-deb -x "$deb" "$t/x"
  install -m 755 "$t/x/usr/libexec/docker/cli-plugins/docker-compose" "$DOCKER_CONFIG/cli-plugins/docker-compose"
  docker compose version | grep -q -E 'version v?2\.' || die "the Compose v2 plugin does not run"
fi

# ----- 2. the daemon ----------------------------------------------------------------------------
own_dockerd=""
rules_before="$cache/iptables.before"
cleanup() {
  local code=$?
  if [ -n "$own_dockerd" ]; then
    say "stopping the dockerd this lane started (pid $own_dockerd)"
    kill "$own_dockerd" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$own_dockerd" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$own_dockerd" 2>/dev/null && kill -9 "$own_dockerd" 2>/dev/null || true
    # What dockerd leaves behind: its bridge and its firewall chains and rules.
    ip link delete docker0 2>/dev/null || true
    for br in $(ip -o link show type bridge 2>/dev/null | awk -F': ' '{print $2}' | grep '^br-' || true); do
      ip link delete "$br" 2>/dev/null || true
    done
    if command -v iptables-restore >/dev/null; then
      # Tables that held nothing before dockerd: empty them again (and FORWARD back to ACCEPT).
      grep -q '^\*filter' "$rules_before" || { iptables -P FORWARD ACCEPT; iptables -F; iptables -X; } 2>/dev/null || true
      grep -q '^\*nat' "$rules_before" || { iptables -t nat -F; iptables -t nat -X; } 2>/dev/null || true
      if [ -s "$rules_before" ]; then
        iptables-restore <"$rules_before" || echo "could not restore the firewall rules from $rules_before" >&2
      fi
    fi
  fi
  exit "$code"
}
trap cleanup EXIT
if docker info >/dev/null 2>&1; then
  say "using the running Docker daemon ($(docker version --format '{{.Server.Version}}'))"
else
  say "starting a dockerd of the lane's own"
  command -v iptables-save >/dev/null && iptables-save >"$rules_before" 2>/dev/null || : >"$rules_before"
  # --debug: every API call is logged, so the lane can show that no pull was even attempted.
  dockerd --debug >"$cache/dockerd.log" 2>&1 &
  own_dockerd=$!
  export LOUYU_LANE_DOCKERD_LOG="$cache/dockerd.log"
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || die "dockerd did not start (see $cache/dockerd.log)"
fi

# ----- 3. stand-in base images ------------------------------------------------------------------
say "stand-in base images (deploy/standins)"
bash "$root/deploy/standins/build.sh"

# ----- 4. the lane ------------------------------------------------------------------------------
say "the compose lane"
python3 "$root/deploy/compose_lane.py"
say "make test-compose passed in $(($(date +%s) - started_at)) s"
