#!/usr/bin/env bash
# The deployment checks run `nginx -t` on deploy/nginx/louyu.conf. Print the path of an nginx
# binary: the installed one, or Debian's package unpacked under .cache/nginx (never installed
# as a service, so nothing starts listening).
set -euo pipefail
if command -v nginx >/dev/null 2>&1; then command -v nginx; exit 0; fi
root="$(cd "$(dirname "$0")/.." && pwd)/.cache/nginx"
if [ ! -x "$root/usr/sbin/nginx" ]; then
  mkdir -p "$root/deb"
  download() { (cd "$root/deb" && apt-get download nginx >&2 2>/dev/null); }
  # A fresh machine may have no package lists yet: update them once and try again.
  download || { apt-get update -qq >&2 && download; } || {
    echo "cannot download Debian's nginx package (run apt-get update as root, or install nginx)" >&2
    exit 1
  }
  debs=("$root"/deb/nginx_*.deb)
  dpkg-deb -x "${debs[0]}" "$root"
fi
echo "$root/usr/sbin/nginx"
