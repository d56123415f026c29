#!/usr/bin/env bash
# Back up every Louyu database: one pg_dump per service database (custom format), a MANIFEST
# (owner, size, time of each), SHA256SUMS over all of them, and a retention count.
#
#   deploy/backup.sh [--dir DIR] [--keep N] [DATABASE ...]
#
# One run writes DIR/<UTC time>/ (e.g. backups/20260301T020000.123Z/): louyu_gateway.dump …,
# MANIFEST, SHA256SUMS. It is written as <time>.partial and renamed only when every dump is
# complete and readable, so a failed run never counts as a backup and never prunes one; then
# all but the newest N complete sets are deleted.
#
# Environment (all optional):
#   BACKUP_DIR        where the sets go (default ./backups)
#   BACKUP_KEEP       how many complete sets to keep (default 14)
#   BACKUP_DATABASES  the databases (default: louyu_gateway louyu_registry louyu_tasks louyu_metrics)
#   PG_EXEC           a command prefix that runs the PostgreSQL client tools, e.g.
#                     "docker compose exec -T postgres" (the compose deployment: the tools of
#                     the server's own version, over its local socket). Empty: the tools here,
#                     connecting with libpq's PGHOST, PGPORT, PGPASSWORD (or ~/.pgpass).
#   PGUSER            the role that dumps (default postgres)
# Exit status: 0 when every database was dumped, verified and checksummed; non-zero otherwise.
set -euo pipefail
umask 077

dir="${BACKUP_DIR:-./backups}"
keep="${BACKUP_KEEP:-14}"
read -r -a databases <<<"${BACKUP_DATABASES:-louyu_gateway louyu_registry louyu_tasks louyu_metrics}"
read -r -a pg <<<"${PG_EXEC:-}"
user="${PGUSER:-postgres}"

die() { echo "backup: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="${2:?--dir needs a directory}"; shift 2 ;;
    --keep) keep="${2:?--keep needs a number}"; shift 2 ;;
    -h | --help) sed -n '2,24p' "$0"; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) databases=("$@"); break ;;
  esac
done
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || die "--keep must be a positive number, not '$keep'"
[ "${#databases[@]}" -gt 0 ] || die "no databases to back up"
for db in "${databases[@]}"; do
  [[ "$db" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "not a database name: '$db'"
done

mkdir -p "$dir"
exec 9>"$dir/.lock"
flock -n 9 || die "another backup is writing to $dir"

stamp="$(date -u +%Y%m%dT%H%M%S.%3NZ)"
work="$dir/$stamp.partial"
mkdir "$work"
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
{
  echo "created=$stamp"
  echo "server_version=$("${pg[@]}" psql -AtX --username="$user" --dbname=postgres -c 'SHOW server_version')"
} >"$work/MANIFEST"

total_start="$(now)"
for db in "${databases[@]}"; do
  start="$(now)"
  owner="$("${pg[@]}" psql -AtX --username="$user" --dbname=postgres -v ON_ERROR_STOP=1 -v db="$db" \
    <<<"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = :'db'")"
  [ -n "$owner" ] || die "database $db does not exist"
  "${pg[@]}" pg_dump --format=custom --username="$user" --dbname="$db" >"$work/$db.dump" ||
    die "pg_dump of $db failed"
  # A dump that pg_restore cannot read is no backup.
  "${pg[@]}" pg_restore --list <"$work/$db.dump" >/dev/null || die "the dump of $db is not readable"
  bytes="$(stat -c %s "$work/$db.dump")"
  seconds="$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')"
  echo "database=$db owner=$owner bytes=$bytes seconds=$seconds" >>"$work/MANIFEST"
  echo "backup: $db → $stamp/$db.dump ($bytes bytes, ${seconds} s)"
done

(cd "$work" && sha256sum -- *.dump MANIFEST >SHA256SUMS)
sync -f "$work/SHA256SUMS" 2>/dev/null || sync
mv "$work" "$dir/$stamp"
trap - EXIT

# Retention: the newest $keep complete sets stay.
mapfile -t sets < <(find "$dir" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*T*Z' -printf '%f\n' | sort)
pruned=0
if [ "${#sets[@]}" -gt "$keep" ]; then
  for old in "${sets[@]:0:${#sets[@]}-keep}"; do
    rm -rf -- "${dir:?}/$old"
    pruned=$((pruned + 1))
  done
fi
total="$(awk -v a="$total_start" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')"
echo "backup: set $dir/$stamp complete (${#databases[@]} databases, ${total} s); kept $keep, pruned $pruned"
