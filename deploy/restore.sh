#!/usr/bin/env bash
# Restore a backup set written by deploy/backup.sh.
#
#   deploy/restore.sh [--yes] [--suffix SUFFIX] SET_DIR [DATABASE ...]
#
# First, before touching any database, it checks the whole set: every file against SHA256SUMS,
# no dump missing from it, and every dump readable by pg_restore. Anything wrong: it refuses
# (exit 1) and changes nothing. Then, per database (all of the set, or those named): drop it
# (--yes is required when it exists), create it owned by the owner recorded in MANIFEST, and
# pg_restore in one transaction, stopping at the first error.
#
#   --yes            replace databases that exist (stop the services first:
#                    docker compose stop gateway registry tasks metrics)
#   --suffix SUFFIX  restore DB as DB<SUFFIX> beside the live one (to inspect or to drill)
#
# Environment: PG_EXEC and PGUSER as for backup.sh (e.g. PG_EXEC="docker compose exec -T postgres").
set -euo pipefail

read -r -a pg <<<"${PG_EXEC:-}"
user="${PGUSER:-postgres}"
yes=false
suffix=""

die() { echo "restore: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --yes | -y) yes=true; shift ;;
    --suffix) suffix="${2?--suffix needs a value}"; shift 2 ;;
    -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) break ;;
  esac
done
set_dir="${1:?usage: deploy/restore.sh [--yes] [--suffix SUFFIX] SET_DIR [DATABASE ...]}"
shift
[ -d "$set_dir" ] || die "no backup set at $set_dir"
[[ "$suffix" =~ ^[a-z0-9_]*$ ]] || die "the suffix may hold only a-z, 0-9 and _"

# ----- 1. verify the whole set before changing anything ------------------------------------
[ -f "$set_dir/SHA256SUMS" ] || die "$set_dir has no SHA256SUMS: refusing an unverifiable set"
[ -f "$set_dir/MANIFEST" ] || die "$set_dir has no MANIFEST"
if ! (cd "$set_dir" && sha256sum --check --strict --quiet SHA256SUMS); then
  die "checksum mismatch in $set_dir: the set is corrupted, nothing was restored"
fi
grep -q ' MANIFEST$' "$set_dir/SHA256SUMS" || die "MANIFEST is not covered by SHA256SUMS"
for dump in "$set_dir"/*.dump; do
  [ -e "$dump" ] || die "$set_dir holds no dumps"
  name="$(basename "$dump")"
  grep -qF "  $name" "$set_dir/SHA256SUMS" || die "$name is not covered by SHA256SUMS"
  "${pg[@]}" pg_restore --list <"$dump" >/dev/null 2>&1 || die "$name is not a readable dump: nothing was restored"
done

mapfile -t in_set < <(sed -n 's/^database=\([a-z0-9_]*\) .*/\1/p' "$set_dir/MANIFEST")
if [ $# -gt 0 ]; then wanted=("$@"); else wanted=("${in_set[@]}"); fi
for db in "${wanted[@]}"; do
  printf '%s\n' "${in_set[@]}" | grep -qx -- "$db" || die "$db is not in this set (it has: ${in_set[*]})"
  [ -f "$set_dir/$db.dump" ] || die "$db.dump is missing"
done
echo "restore: $set_dir verified (${#in_set[@]} dumps, checksums and archives intact)"

# ----- 2. restore ---------------------------------------------------------------------------
sql() { "${pg[@]}" psql -AtX -v ON_ERROR_STOP=1 --username="$user" --dbname=postgres "$@"; }
now() { date +%s.%N; }
for db in "${wanted[@]}"; do
  start="$(now)"
  target="$db$suffix"
  owner="$(sed -n "s/^database=$db owner=\([^ ]*\) .*/\1/p" "$set_dir/MANIFEST")"
  exists="$(sql -v db="$target" <<<"SELECT 1 FROM pg_database WHERE datname = :'db'")"
  if [ -n "$exists" ] && [ "$yes" != true ]; then
    die "database $target exists: pass --yes to replace it (stop the services first)"
  fi
  owner_exists="$(sql -v role="$owner" <<<"SELECT 1 FROM pg_roles WHERE rolname = :'role'")"
  options=(--exit-on-error --single-transaction)
  if [ -n "$owner_exists" ]; then
    create_owner="$owner"
  else
    echo "restore: role $owner does not exist here; $target and its objects will belong to $user" >&2
    create_owner="$user"
    options+=(--no-owner)
  fi
  sql -v db="$target" -v owner="$create_owner" >/dev/null <<'SQL'
SET client_min_messages = warning;
DROP DATABASE IF EXISTS :"db" WITH (FORCE);
CREATE DATABASE :"db" OWNER :"owner" TEMPLATE template0;
SQL
  "${pg[@]}" pg_restore "${options[@]}" --username="$user" --dbname="$target" <"$set_dir/$db.dump" ||
    die "pg_restore into $target failed (the transaction was rolled back; $target is empty)"
  seconds="$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')"
  echo "restore: $db → $target (${seconds} s)"
done
echo "restore: done"
