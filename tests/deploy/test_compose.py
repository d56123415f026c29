"""docker-compose.yml: valid against the Compose Specification (check-jsonschema's vendored
compose-spec schema), and the deployment rules the schema cannot express. Each check is shown
to fail on a deliberately broken copy."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.conftest import DEPLOY, ROOT, run, tool

COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = DEPLOY / ".env.example"
SERVICES = ("gateway", "registry", "tasks", "metrics")
PORTS = {"gateway": 8000, "registry": 8001, "tasks": 8002, "metrics": 8003}
HEALTH_PREFIX = {"gateway": "/api/auth", "registry": "/api/registry", "tasks": "/api/tasks", "metrics": "/api/metrics"}
# Settings a container does not take from the env file: `make run` only, or fixed in the image.
NOT_IN_CONTAINERS = {
    "LOUYU_DATA_DIR",
    "LOUYU_GATEWAY_HOST",
    "LOUYU_GATEWAY_PORT",
    "LOUYU_REGISTRY_PORT",
    "LOUYU_TASKS_PORT",
    "LOUYU_METRICS_PORT",
    "LOUYU_FRONTEND_DIR",
    # Where a developer's console sends the log; containers (production) always log everything to it.
    "LOUYU_LOG_CONSOLE",
    # The services verify with the gateway's JWKS (the default URL from LOUYU_GATEWAY_URL),
    # not with a key file of their own.
    "LOUYU_JWT_PUBLIC_KEYS_FILE",
    "LOUYU_JWKS_URL",
}
# The gateway signs and derives the services' credentials: it has no credential of its own.
NOT_FOR_THE_GATEWAY = {"LOUYU_SERVICE_SECRET"}
# Only the gateway (and its migration container) may see the signing key and the service key.
GATEWAY_ONLY = {"LOUYU_JWT_PRIVATE_KEY_FILE", "LOUYU_JWT_PREVIOUS_KEY_FILE", "LOUYU_SERVICE_KEY"}
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?+][^}]*)?\}")


def schema_check(path: Path) -> tuple[bool, str]:
    result = run([tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(path)])
    return result.returncode == 0, result.stdout + result.stderr


def setting_names(service: str) -> set[str]:
    settings = importlib.import_module(f"{service}.config").Settings
    return {f"LOUYU_{name.upper()}" for name in settings.model_fields}


def rule_problems(doc: dict[str, Any]) -> list[str]:
    """What a valid Compose file may still get wrong for this deployment."""
    problems = []
    services = doc.get("services", {})
    pg = services.get("postgres", {})
    if not str(pg.get("image", "")).startswith("postgres:16"):
        problems.append("postgres must run PostgreSQL 16")
    if not any(str(v).startswith("pgdata:") for v in pg.get("volumes", [])) or "pgdata" not in doc.get("volumes", {}):
        problems.append("PostgreSQL data must live in the named volume pgdata")
    if "healthcheck" not in pg:
        problems.append("postgres needs a healthcheck")
    pg_test = pg.get("healthcheck", {}).get("test", [])
    if not any(str(a) in ("--host=127.0.0.1", "--host=localhost") for a in pg_test):
        # During first-start initialisation the server answers on its local socket only.
        problems.append("postgres's healthcheck must ask over TCP (pg_isready --host=127.0.0.1)")
    built = {svc.get("image") for svc in services.values() if svc.get("build")}
    for svc_name, svc in services.items():
        image = str(svc.get("image", ""))
        if svc_name == "postgres":
            continue
        if svc.get("pull_policy") not in ("never", "build"):
            problems.append(f"{svc_name}: a Louyu image is built here, never pulled (pull_policy: never)")
        if image not in built:
            problems.append(f"{svc_name}: its image {image} is not built by any service of the file")
        if not image.startswith("${LOUYU_IMAGE_PREFIX"):
            problems.append(f"{svc_name}: its image must be named under ${{LOUYU_IMAGE_PREFIX}}")
    published = sorted(name for name, svc in services.items() if svc.get("ports"))
    if published != ["gateway"]:
        problems.append(f"only the gateway may publish a port, not {published}")
    for name in SERVICES:
        svc = services.get(name)
        migrate = services.get(f"{name}-migrate")
        if svc is None or migrate is None:
            problems.append(f"{name} and {name}-migrate must both exist")
            continue
        deps = svc.get("depends_on", {})
        if deps.get("postgres", {}).get("condition") != "service_healthy":
            problems.append(f"{name} must wait for postgres to be healthy")
        if deps.get(f"{name}-migrate", {}).get("condition") != "service_completed_successfully":
            problems.append(f"{name} must start only after {name}-migrate completed successfully")
        if migrate.get("depends_on", {}).get("postgres", {}).get("condition") != "service_healthy":
            problems.append(f"{name}-migrate must wait for postgres to be healthy")
        command = " ".join(migrate.get("command", []))
        if f"python -m {name} migrate" not in command:
            problems.append(f"{name}-migrate must run python -m {name} migrate")
        if svc.get("restart") not in ("always", "unless-stopped", "on-failure"):
            problems.append(f"{name} needs a restart policy (always, unless-stopped or on-failure)")
        if str(migrate.get("restart", "no")) != "no":
            problems.append(f"{name}-migrate is one-shot: restart must be 'no'")
        test = " ".join(svc.get("healthcheck", {}).get("test", []))
        if f"{PORTS[name]}{HEALTH_PREFIX[name]}/ready" not in test:
            problems.append(f"{name}'s healthcheck must ask {HEALTH_PREFIX[name]}/ready on port {PORTS[name]}")
        if svc.get("image") != migrate.get("image"):
            problems.append(f"{name} and {name}-migrate must run the same image")
        if svc.get("build", {}).get("dockerfile") != f"deploy/docker/{name}.Dockerfile":
            problems.append(f"{name} must build from deploy/docker/{name}.Dockerfile")
        env = svc.get("environment", {})
        if not isinstance(env, dict) or env.get("LOUYU_ENV") != "production":
            problems.append(f"{name} must run with LOUYU_ENV=production")
        exempt = NOT_IN_CONTAINERS | {"LOUYU_ADMIN_PASSWORD"} | (NOT_FOR_THE_GATEWAY if name == "gateway" else set())
        missing = sorted(setting_names(name) - exempt - set(env))
        if missing:
            problems.append(f"{name} does not pass these settings from the env file: {missing}")
        if name == "gateway" and "LOUYU_ADMIN_PASSWORD" in env:
            problems.append("only gateway-migrate (bootstrap) needs LOUYU_ADMIN_PASSWORD, not the gateway")
        for key, value in env.items():
            if key.endswith(("SECRET", "PASSWORD", "TOKEN")) and value and not VARIABLE.search(str(value)):
                problems.append(f"{name}: {key} must come from the env file, not be written in the compose file")
    for svc_name, svc in services.items():
        env = svc.get("environment", {}) if isinstance(svc.get("environment"), dict) else {}
        is_gateway = svc_name in ("gateway", "gateway-migrate")
        secrets = {s if isinstance(s, str) else s.get("source") for s in svc.get("secrets", [])}
        if not is_gateway and (GATEWAY_ONLY & set(env) or "jwt_signing_key" in secrets):
            problems.append(f"{svc_name} must not see the gateway's signing key or service key")
        if svc_name in SERVICES and svc_name != "gateway" and "LOUYU_SERVICE_SECRET" not in env:
            problems.append(f"{svc_name} needs its own LOUYU_SERVICE_SECRET")
        if is_gateway and "jwt_signing_key" not in secrets:
            problems.append(f"{svc_name} needs the jwt_signing_key secret")
    if "LOUYU_ADMIN_PASSWORD" not in services.get("gateway-migrate", {}).get("environment", {}):
        problems.append("gateway-migrate must pass LOUYU_ADMIN_PASSWORD to bootstrap")
    return problems


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_compose_file_is_valid_against_the_compose_specification():
    ok, output = schema_check(COMPOSE)
    assert ok, output


def test_compose_file_follows_the_deployment_rules():
    assert rule_problems(load(COMPOSE)) == []


BROKEN_SCHEMA = [
    ("unknown key", "    healthcheck:\n      # Over TCP", "    healthchek:\n      # Over TCP"),
    ("wrong type", "  pgdata: {}\n", "  pgdata: [1, 2]\n"),
    ("bad depends_on condition", "condition: service_completed_successfully", "condition: service_finished"),
    ("typo inside a merged block", "  read_only: true\n", "  read_onyl: true\n"),
]


@pytest.mark.parametrize(("what", "old", "new"), BROKEN_SCHEMA, ids=[b[0] for b in BROKEN_SCHEMA])
def test_a_broken_copy_fails_the_schema_check(tmp_path, what, old, new):
    text = COMPOSE.read_text(encoding="utf-8")
    assert old in text, old
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    ok, output = schema_check(broken)
    assert not ok, f"{what}: the schema check accepted it"


def _mutate(doc: dict[str, Any], change: str) -> None:
    services = doc["services"]
    if change == "registry publishes a port":
        services["registry"]["ports"] = ["8001:8001"]
    elif change == "no migration before the service":
        del services["tasks"]["depends_on"]["tasks-migrate"]
    elif change == "restart policy missing":
        del services["metrics"]["restart"]
    elif change == "postgres 15":
        services["postgres"]["image"] = "postgres:15"
    elif change == "a setting not wired":
        del services["gateway"]["environment"]["LOUYU_SESSION_MAX_HOURS"]
    elif change == "a secret written in the file":
        services["registry"]["environment"]["LOUYU_SERVICE_SECRET"] = "x" * 40
    elif change == "a service sees the signing key":
        services["metrics"]["secrets"] = ["jwt_signing_key"]
    elif change == "a migration image that may be pulled":
        del services["registry-migrate"]["pull_policy"]
    elif change == "a service image that may be pulled":
        services["gateway"]["pull_policy"] = "missing"
    elif change == "a migration image nothing builds":
        services["tasks-migrate"]["image"] = "louyu/tasks:latest"
    elif change == "postgres health over the local socket":
        services["postgres"]["healthcheck"]["test"] = ["CMD", "pg_isready", "--username=postgres"]
    elif change == "a service holds the service key":
        services["tasks"]["environment"] = {**services["tasks"]["environment"], "LOUYU_SERVICE_KEY": "${X:?}"}


RULE_BREAKS = [
    "registry publishes a port",
    "no migration before the service",
    "restart policy missing",
    "postgres 15",
    "a setting not wired",
    "a secret written in the file",
    "a service sees the signing key",
    "a service holds the service key",
    "a migration image that may be pulled",
    "a service image that may be pulled",
    "a migration image nothing builds",
    "postgres health over the local socket",
]


@pytest.mark.parametrize("change", RULE_BREAKS)
def test_a_broken_copy_fails_the_rules(change):
    doc = load(COMPOSE)
    _mutate(doc, change)
    assert rule_problems(doc), change


def _env_example() -> tuple[set[str], set[str]]:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    assigned = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, flags=re.M))
    mentioned = set(re.findall(r"\b(LOUYU_[A-Z0-9_]+|POSTGRES_[A-Z_]+)\b", text))
    return assigned, mentioned


def test_every_variable_of_the_compose_file_is_in_the_env_example_and_back():
    used = set(VARIABLE.findall(COMPOSE.read_text(encoding="utf-8")))
    assigned, _ = _env_example()
    assert sorted(used - assigned) == [], "used by docker-compose.yml but not set in deploy/.env.example"
    assert sorted(assigned - used) == [], "set in deploy/.env.example but not used by docker-compose.yml"


def test_required_secrets_have_no_default():
    text = COMPOSE.read_text(encoding="utf-8")
    per_service = [f"LOUYU_{s.upper()}_{what}" for s in SERVICES for what in ("DB_PASSWORD", "SERVICE_SECRET")]
    for name in ("LOUYU_SERVICE_KEY", "POSTGRES_PASSWORD", *(n for n in per_service if "GATEWAY_SERVICE" not in n)):
        uses = re.findall(r"\$\{" + name + r"([^}]*)\}", text)
        assert uses and all(u.startswith(":?") for u in uses), f"{name} must be required (${{{name}:?…}})"
    assigned = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", ENV_EXAMPLE.read_text(encoding="utf-8"), flags=re.M))
    for name in ("LOUYU_SERVICE_KEY", "POSTGRES_PASSWORD", "LOUYU_ADMIN_PASSWORD", "LOUYU_PROMETHEUS_TOKEN"):
        assert assigned[name] == "", f"{name} must be empty in the example (no shipped secret)"


# What deploy/.env.example says of LOUYU_ADMIN_PASSWORD, and a password breaking each rule
# (gateway-migrate refuses it and `docker compose up` stops: the rules must be stated there).
PASSWORD_RULES = {
    "LOUYU_PASSWORD_MIN_LENGTH": "Ab1-xy",
    "at most 128": "Ab1-" * 40,
    "at least 3 of 4 kinds": "abcdefgh-xyz",
    "not a commonly used password": None,
    'not containing the user name "admin"': "My-Admin-2026x",
}


def test_the_env_example_states_the_admin_password_rules_the_gateway_enforces():
    from gateway.accounts.passwords import common_passwords, policy_problem

    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    block = text[text.index("# LOUYU_ADMIN_PASSWORD") : text.index("LOUYU_ADMIN_PASSWORD=")]
    too_common = "该密码过于常见，容易被猜中，请换一个"
    common = next(p for p in sorted(common_passwords()) if policy_problem(p, min_length=8) == too_common)
    for rule, bad in PASSWORD_RULES.items():
        assert rule in block, f"deploy/.env.example does not state the rule: {rule}"
        problem = policy_problem(bad or common, min_length=8, username="admin")
        assert problem, f"{bad or common!r} breaks '{rule}' but the gateway accepts it"
    assert policy_problem("Lq7-vT93-kPz", min_length=8, username="admin") is None
