#!/usr/bin/env bash
# First start of the PostgreSQL container: one database and one role per service.
set -euo pipefail
for svc in gateway registry tasks metrics; do
  var="LOUYU_${svc^^}_DB_PASSWORD"
  password="${!var:?$var must be set}"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE louyu_${svc} LOGIN PASSWORD '${password}';
CREATE DATABASE louyu_${svc} OWNER louyu_${svc};
REVOKE ALL ON DATABASE louyu_${svc} FROM PUBLIC;
SQL
done
