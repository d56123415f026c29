#!/usr/bin/env bash
# TEST SCAFFOLDING (make test-compose only): the stand-in postgres:16-bookworm's entrypoint.
# What the official image's docker-entrypoint.sh does for docker-compose.yml, no more:
#   first start (empty PGDATA): initdb with POSTGRES_INITDB_ARGS and the superuser postgres with
#   POSTGRES_PASSWORD; a server on the local socket only runs the scripts in
#   /docker-entrypoint-initdb.d (*.sh executed when executable, sourced otherwise; *.sql by psql);
#   then the server listens on every address, local socket trusted, TCP with scram-sha-256.
set -Eeuo pipefail

if [ "${1:-}" = "postgres" ] && [ "$(id -u)" = "0" ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ "${1:-}" = "postgres" ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set (the stand-in, like the official image, refuses an empty one)}"
  export POSTGRES_USER="${POSTGRES_USER:-postgres}"
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  # shellcheck disable=SC2086  # POSTGRES_INITDB_ARGS is a list of options, as in the official image
  initdb --username="$POSTGRES_USER" --pwfile="$pwfile" ${POSTGRES_INITDB_ARGS:-} -D "$PGDATA"
  rm -f "$pwfile"
  {
    echo "local all all trust"
    echo "host all all all scram-sha-256"
  } >"$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  # Initialisation: the local socket only, as the official image (TCP stays closed meanwhile).
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
  export PGUSER="$POSTGRES_USER"
  for f in /docker-entrypoint-initdb.d/*; do
    [ -e "$f" ] || continue
    case "$f" in
      *.sh)
        # shellcheck disable=SC1090  # the init scripts are the deployment's, known only at run time
        if [ -x "$f" ]; then echo "running $f"; "$f"; else echo "sourcing $f"; . "$f"; fi ;;
      *.sql) echo "running $f"; psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -f "$f" ;;
      *) echo "ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo "PostgreSQL init process complete; ready for start up."
fi

exec "$@"
