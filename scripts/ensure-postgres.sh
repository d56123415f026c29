#!/usr/bin/env bash
# The PostgreSQL test lane needs a server on 127.0.0.1:5432 (trust auth, user postgres).
# Start the local cluster if it is stopped; fail clearly if there is none.
set -euo pipefail
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "PostgreSQL is stopped: starting cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done
fi
echo "PostgreSQL is not reachable on 127.0.0.1:5432 and could not be started." >&2
echo "Install it (apt-get install postgresql) with trust auth for user postgres, or set LOUYU_TEST_POSTGRES_URL." >&2
exit 1
