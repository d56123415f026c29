# Louyu — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
SERVICE_PACKAGES := services/kit services/gateway services/registry services/tasks services/metrics
FRONTEND_SOURCES := $(shell find frontend/src frontend/public frontend/index.html frontend/vite.config.js -type f 2>/dev/null)
ARTIFACTS := test-artifacts

.PHONY: help run test test-python test-postgres test-office test-attack test-deploy test-compose test-frontend test-browser test-client lint bench bench-load lock reset-admin create-auditor reset-auditor frontend clean

help:
	@echo "make run          install what is missing, start Louyu on SQLite with demo data (http://localhost:8000)"
	@echo "make test         install what is missing, run every test (SQLite, PostgreSQL, deployment, frontend, browser)"
	@echo "make test-compose docker compose up of the real images (installs Docker, as root), checked through its port"
	@echo "make reset-admin  set a new password for the admin account (printed once)"
	@echo "make create-auditor NAME=x  create a 安全审计员 account (password printed once; audited)"
	@echo "make reset-auditor NAME=x   set a new password for an auditor (printed once; audited)"
	@echo "make lock         re-pin Python dependencies after editing requirements*.txt"

# ----- installs (each runs only when its inputs changed) --------------------------------

$(VENV)/.runtime: requirements.lock $(addsuffix /pyproject.toml,$(SERVICE_PACKAGES))
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps --no-build-isolation $(addprefix -e ,$(SERVICE_PACKAGES))
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.lock
	$(PIP) install -r requirements-dev.lock -c requirements.lock
	@touch $@

frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

frontend/dist/index.html: frontend/node_modules/.installed frontend/package.json $(FRONTEND_SOURCES)
	cd frontend && npm run build

frontend: frontend/dist/index.html

# ----- the two commands -----------------------------------------------------------------

run: $(VENV)/.runtime frontend/dist/index.html
	@$(PY) scripts/run.py

test: lint test-python test-postgres test-office test-attack test-deploy test-compose test-frontend test-browser test-client
	@echo "All test lanes passed (SQLite, PostgreSQL, office, attack, deployment, compose, frontend, browser, client)."

lint: $(VENV)/.dev frontend/node_modules/.installed
	$(VENV)/bin/ruff check services tests scripts
	$(VENV)/bin/ruff format --check services tests scripts
	cd frontend && npx eslint . && npx prettier --check .

test-python: $(VENV)/.dev
	@mkdir -p $(ARTIFACTS)
	LOUYU_TEST_DATABASE=sqlite $(PY) -m pytest -m "not browser and not deploy and not attack and not office and not client" -n 2 --junitxml=$(ARTIFACTS)/pytest-sqlite.xml

test-postgres: $(VENV)/.dev
	@mkdir -p $(ARTIFACTS)
	bash scripts/ensure-postgres.sh
	LOUYU_TEST_DATABASE=postgres $(PY) -m pytest -m "not browser and not deploy and not attack and not office and not client" -n 2 --junitxml=$(ARTIFACTS)/pytest-postgres.xml

# The office lane (tests/office, issue #23): exports and the bulletin converted to PDF by LibreOffice
# (headless), pages counted and read; slow, so run once, here, not in the SQLite and PostgreSQL lanes.
test-office: $(VENV)/.dev
	@mkdir -p $(ARTIFACTS)
	bash scripts/ensure-libreoffice.sh
	LOUYU_TEST_DATABASE=sqlite $(PY) -m pytest -m office tests/office -n 2 --junitxml=$(ARTIFACTS)/pytest-office.xml

# The attack lane (tests/attack, issue #14): a disposable product started as `make run` starts it,
# on free ports, attacked with forged tokens, every route × every role, schemathesis, 200
# concurrent edits, hostile input, audit and tampering checks and kill -9 of each service; once
# on SQLite, once on PostgreSQL. Its figures (tried / got through) end the output and are in
# test-artifacts/attack-figures-<lane>.json.
test-attack: $(VENV)/.dev frontend/dist/index.html
	@mkdir -p $(ARTIFACTS)
	bash scripts/ensure-postgres.sh
	LOUYU_TEST_DATABASE=sqlite $(PY) -m pytest -m attack tests/attack -n 0 --junitxml=$(ARTIFACTS)/pytest-attack-sqlite.xml
	LOUYU_TEST_DATABASE=postgres $(PY) -m pytest -m attack tests/attack -n 0 --junitxml=$(ARTIFACTS)/pytest-attack-postgres.xml

# Deployment checks (tests/deploy): Compose spec, Kubernetes schemas, hadolint, shellcheck,
# nginx -t, the image layout, backups and the restore drill on the local PostgreSQL.
test-deploy: $(VENV)/.dev
	@mkdir -p $(ARTIFACTS)
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-nginx.sh >/dev/null
	LOUYU_TEST_DATABASE=postgres $(PY) -m pytest -m deploy tests/deploy -n 2 --junitxml=$(ARTIFACTS)/pytest-deploy.xml
	@cat $(ARTIFACTS)/restore-drill.txt

# The production deployment run for real (issue #15, deploy/test-compose.sh): installs docker.io,
# debootstrap and the Compose v2 plugin if missing, starts its own dockerd if none runs, builds the
# stand-in base images (deploy/standins/, cached), then `docker compose up -d --build` of the
# project's images on a free port of 127.0.0.1 and the checks through that port (deploy/compose_lane.py).
test-compose:
	bash deploy/test-compose.sh

# Unit tests, then the performance budget on the build (issue #7): the cockpit's and the phone
# pages' gzipped JavaScript (frontend/bundle-budget.json; report in frontend/dist/bundle-report.json).
test-frontend: frontend/node_modules/.installed frontend/dist/index.html
	cd frontend && npm test
	cd frontend && node scripts/bundle-budget.mjs

test-browser: $(VENV)/.dev frontend/dist/index.html
	bash scripts/ensure-chromium.sh
	@mkdir -p $(ARTIFACTS)/screenshots
	$(PY) -m pytest -m browser tests/browser --junitxml=$(ARTIFACTS)/pytest-browser.xml

# The client lane (issue #23, tests/client): a Python client generated from each service's OpenAPI
# document with openapi-python-client (pinned in requirements-dev.txt, tests/client/generator.yaml),
# installed into a temporary directory and used against a product started as `make run` starts it:
# a facts batch, the dashboard, aggregates as JSON and .xlsx, a registry import in dry-run, a 422 and a 404.
test-client: $(VENV)/.dev
	@mkdir -p $(ARTIFACTS)
	LOUYU_TEST_DATABASE=sqlite $(PY) -m pytest -m client tests/client -n 0 -s --junitxml=$(ARTIFACTS)/pytest-client.xml

# ----- occasional -----------------------------------------------------------------------

reset-admin: $(VENV)/.runtime
	$(PY) -m gateway migrate && $(PY) -m gateway reset-admin-password

create-auditor: $(VENV)/.runtime
	@test -n "$(NAME)" || (echo "用法：make create-auditor NAME=登录名 [DISPLAY=姓名]" && exit 2)
	$(PY) -m gateway migrate && $(PY) -m gateway create-auditor "$(NAME)" $(if $(DISPLAY),"$(DISPLAY)")

reset-auditor: $(VENV)/.runtime
	@test -n "$(NAME)" || (echo "用法：make reset-auditor NAME=登录名" && exit 2)
	$(PY) -m gateway migrate && $(PY) -m gateway reset-auditor-password "$(NAME)"

# Registry at city scale (issue #3): list/search p95 through the gateway and a 10,000-row .xlsx
# import; numbers to report, not a test. `make bench BENCH_ARGS=--postgres` for PostgreSQL.
# Metrics at city scale (issue #5, PostgreSQL): 50,000-row ingest rate and memory, dashboard and
# ranking p95 through the gateway, rebuild of every rollup (bench/gen_city.py makes the city).
# Tasks (issue #4): import of the real plan, my unit's tasks with 5,000 tasks in the system.
# Streamed exports (issue #19): 210,000-row enterprise list and the audit log, .xlsx and CSV.
bench: $(VENV)/.dev
	$(PY) bench/registry_bench.py $(BENCH_ARGS)
	$(PY) bench/export_bench.py $(BENCH_ARGS)
	$(PY) bench/tasks_bench.py $(BENCH_ARGS)
	$(PY) bench/metrics_bench.py
	$(PY) bench/ask_bench.py

# Capacity (issue #24): its own product on free ports, Locust (in requirements-dev) with the real mix
# at 100, 300 and 1,000 users, the cached dashboard at 200 connections and a 1,000-connection burst;
# prints the three goals with PASS/FAIL and the machine's load (the generator shares the cores).
# `make bench-load BENCH_LOAD_ARGS="--postgres"`; shorter: BENCH_LOAD_ARGS="--seconds 20 --users 100,300".
bench-load: $(VENV)/.dev
	$(PY) bench/load.py $(BENCH_LOAD_ARGS)

lock:
	rm -rf /tmp/louyu-lock && $(PYTHON) -m venv /tmp/louyu-lock
	/tmp/louyu-lock/bin/pip install --quiet -r requirements.txt
	(echo "# Generated by 'make lock' from requirements.txt: the exact versions every install uses."; \
	  /tmp/louyu-lock/bin/pip freeze --all | grep -v '^pip==') > requirements.lock
	/tmp/louyu-lock/bin/pip install --quiet -r requirements-dev.txt
	(echo "# Generated by 'make lock' from requirements-dev.txt (runtime pins are in requirements.lock)."; \
	  /tmp/louyu-lock/bin/pip freeze --all | grep -v '^pip==' | grep -v -x -F -f requirements.lock) > requirements-dev.lock

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist $(ARTIFACTS)
