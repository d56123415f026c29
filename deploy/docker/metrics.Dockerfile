# The Louyu metrics service. Build from the repository root (the build context is the repo,
# trimmed by .dockerignore):
#   docker build -f deploy/docker/metrics.Dockerfile -t louyu/metrics:0.1.0 .
# Runs: python -m louyu_kit.serve metrics.main:create_app on port 8003.
# Migrate first (compose and the Kubernetes Job do): python -m metrics migrate

FROM python:3.11-slim-bookworm AS build
# Wheels only (requirements.lock pins every package; all ship manylinux wheels): no compiler here either.
COPY requirements.lock /tmp/requirements.lock
RUN python -m venv --without-pip /opt/louyu \
 && pip --disable-pip-version-check --python /opt/louyu/bin/python install --no-cache-dir --only-binary=:all: \
      -r /tmp/requirements.lock
# The service runs from its source folder: alembic.ini and migrations/ sit beside the package.
COPY services/kit/louyu_kit /app/services/kit/louyu_kit
COPY services/metrics/alembic.ini /app/services/metrics/alembic.ini
COPY services/metrics/migrations /app/services/metrics/migrations
COPY services/metrics/metrics /app/services/metrics/metrics
RUN /opt/louyu/bin/python -m compileall -q /app/services

FROM python:3.11-slim-bookworm
ENV PATH=/opt/louyu/bin:$PATH \
    PYTHONPATH=/app/services/kit:/app/services/metrics \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LOUYU_ENV=production \
    LOUYU_LOG_JSON=true
RUN groupadd --system --gid 10001 louyu \
 && useradd --system --uid 10001 --gid louyu --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin louyu
COPY --from=build /opt/louyu /opt/louyu
COPY --from=build /app /app
WORKDIR /app
# Numeric, so Kubernetes can verify runAsNonRoot.
USER 10001:10001
EXPOSE 8003
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8003/api/metrics/health', timeout=2)"]
CMD ["python", "-m", "louyu_kit.serve", "metrics.main:create_app", "--host", "0.0.0.0", "--port", "8003"]
