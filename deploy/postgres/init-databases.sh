#!/usr/bin/env bash
# First start of the PostgreSQL container (docker-entrypoint-initdb.d): one role and one
# database per service, each database owned by its role and closed to everyone else.
# Passwords come from LOUYU_<SERVICE>_DB_PASSWORD (see deploy/.env.example); they are passed
# as psql variables, never spliced into the SQL text.
set -euo pipefail
# Names are louyu_<service>; the prefix is changed only by the tests (tests/deploy).
prefix="${LOUYU_DB_PREFIX:-louyu_}"
for svc in gateway registry tasks metrics; do
  var="LOUYU_${svc^^}_DB_PASSWORD"
  password="${!var:?$var must be set}"
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v role="${prefix}${svc}" -v password="${password}" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
  # PostgreSQL 15+: the public schema belongs to the database owner, so migrations can create tables.
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "${prefix}${svc}" \
    -v role="${prefix}${svc}" <<'SQL'
ALTER SCHEMA public OWNER TO :"role";
SQL
done
