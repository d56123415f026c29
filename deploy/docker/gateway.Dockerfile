# The Louyu gateway: sign-in, tokens, audit trail, the proxy to the three services, and the
# single-page app (built here in a Node stage and served by the gateway at /).
# Build from the repository root (the build context is the repo, trimmed by .dockerignore):
#   docker build -f deploy/docker/gateway.Dockerfile -t louyu/gateway:0.1.0 .
# Runs: python -m louyu_kit.serve gateway.main:create_app on port 8000 (one process; scale
# with containers or replicas, so each process's Prometheus numbers stay its own).
# Before it starts (compose and the Kubernetes Job do): python -m gateway migrate, then
# python -m gateway bootstrap (creates the first admin).

FROM node:20-bookworm-slim AS spa
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
# The build manifest (.vite/, read by the bundle budget check in make test) is not for the browser.
RUN npm run build && rm -rf dist/.vite

FROM python:3.11-slim-bookworm AS build
# Wheels only (requirements.lock pins every package; all ship manylinux wheels): no compiler here either.
COPY requirements.lock /tmp/requirements.lock
RUN python -m venv --without-pip /opt/louyu \
 && pip --disable-pip-version-check --python /opt/louyu/bin/python install --no-cache-dir --only-binary=:all: \
      -r /tmp/requirements.lock
# The service runs from its source folder: alembic.ini and migrations/ sit beside the package.
COPY services/kit/louyu_kit /app/services/kit/louyu_kit
COPY services/gateway/alembic.ini /app/services/gateway/alembic.ini
COPY services/gateway/migrations /app/services/gateway/migrations
COPY services/gateway/gateway /app/services/gateway/gateway
RUN /opt/louyu/bin/python -m compileall -q /app/services

FROM python:3.11-slim-bookworm
ENV PATH=/opt/louyu/bin:$PATH \
    PYTHONPATH=/app/services/kit:/app/services/gateway \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LOUYU_ENV=production \
    LOUYU_LOG_JSON=true \
    LOUYU_FRONTEND_DIR=/app/frontend/dist
RUN groupadd --system --gid 10001 louyu \
 && useradd --system --uid 10001 --gid louyu --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin louyu
COPY --from=build /opt/louyu /opt/louyu
COPY --from=build /app /app
COPY --from=spa /src/frontend/dist /app/frontend/dist
WORKDIR /app
# Numeric, so Kubernetes can verify runAsNonRoot.
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/auth/health', timeout=2)"]
CMD ["python", "-m", "louyu_kit.serve", "gateway.main:create_app", "--host", "0.0.0.0", "--port", "8000"]
