"""The compose lane's own parts that can be checked without Docker (`make test-compose` runs the
rest): the stand-ins stand in for exactly the images the project names, the lane's diagnosis
names the cause of a failed start, and it notices a pull in the daemon's events."""

from __future__ import annotations

import importlib.util
import re
import sys

import yaml

from tests.deploy.conftest import DEPLOY, ROOT, run, tool

STANDINS = DEPLOY / "standins"


def lane_module():
    spec = importlib.util.spec_from_file_location("compose_lane", DEPLOY / "compose_lane.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["compose_lane"] = module
    spec.loader.exec_module(module)
    return module


def images_the_project_pulls(*extra_dockerfiles: str) -> set[str]:
    """Base images of the Dockerfiles (not their own stages) and compose images nothing builds."""
    images = set()
    texts = [p.read_text(encoding="utf-8") for p in (DEPLOY / "docker").glob("*.Dockerfile")]
    for text in [*texts, *extra_dockerfiles]:
        stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?", text, re.M | re.I)
        aliases = {alias for _, alias in stages if alias}
        images |= {image for image, _ in stages if image not in aliases}
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    built = {svc.get("image") for svc in compose["services"].values() if svc.get("build")}
    images |= {svc["image"] for svc in compose["services"].values() if svc["image"] not in built}
    return images


def standin_tags() -> set[str]:
    text = (STANDINS / "build.sh").read_text(encoding="utf-8")
    return set(re.findall(r"needs_build (\S+:\S+) \"\$hash\"", text))


def test_the_stand_ins_are_exactly_the_images_the_project_names():
    assert standin_tags() == images_the_project_pulls()
    for kind in ("python", "node", "postgres"):
        text = (STANDINS / f"{kind}.Dockerfile").read_text(encoding="utf-8")
        assert text.startswith("# TEST SCAFFOLDING"), f"{kind}.Dockerfile must say it is test scaffolding"
        assert 'LABEL org.louyu.standin="' in text


def test_a_new_base_image_without_a_stand_in_is_noticed():
    broken = "FROM node:22-bookworm-slim AS spa\nRUN true\nFROM python:3.11-slim-bookworm\nCOPY --from=spa / /\n"
    assert images_the_project_pulls(broken) - standin_tags() == {"node:22-bookworm-slim"}


def test_the_lane_scripts_pass_shellcheck():
    for script in (DEPLOY / "test-compose.sh", STANDINS / "build.sh", STANDINS / "entrypoint.sh"):
        result = run([tool("shellcheck"), "--shell=bash", "--severity=style", str(script)])
        assert result.returncode == 0, result.stdout


def test_the_makefile_runs_the_lane():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test-compose:\n\tbash deploy/test-compose\.sh$", makefile, re.M)
    help_ = makefile[makefile.index("\nhelp:") : makefile.index("# ----- installs")]
    assert "make test-compose" in help_


POSTGRES_REFUSED = """tasks-migrate-1  | Traceback (most recent call last):
tasks-migrate-1  | sqlalchemy.exc.OperationalError: (psycopg.OperationalError) connection failed: \
connection to server at "172.18.0.2", port 5432 failed: FATAL:  password authentication failed for user "louyu_tasks"
"""
NO_MIGRATIONS = """registry-migrate-1  | alembic.util.exc.CommandError: Path doesn't exist: \
'/app/services/registry/migrations'.  Please use the 'init' command to create a new scripts folder.
"""


def test_the_lane_names_the_cause_of_a_failed_start():
    lane = lane_module()
    assert lane.cause_in(POSTGRES_REFUSED) == 'password authentication failed for user "louyu_tasks"'
    assert lane.cause_in(NO_MIGRATIONS) == "Path doesn't exist: '/app/services/registry/migrations'"
    assert lane.cause_in("a\nb\nsomething else entirely") == "a | b | something else entirely"


def test_the_lane_notices_a_pull_in_the_daemons_events():
    lane = lane_module()
    assert lane.pulls_in("tag sha256:1\ndelete sha256:2\n") == []
    assert lane.pulls_in("tag sha256:1\npull louyu/gateway:latest\n") == ["pull louyu/gateway:latest"]


def test_the_lane_writes_a_complete_env_with_a_policy_admin_password(tmp_path):
    from gateway.accounts.passwords import policy_problem

    lane = lane_module()
    env_file, values = lane.write_env(tmp_path, 18999)
    text = env_file.read_text(encoding="utf-8")
    for name in ("POSTGRES_PASSWORD", "LOUYU_SERVICE_KEY", "LOUYU_REGISTRY_SERVICE_SECRET", "LOUYU_ADMIN_PASSWORD"):
        assert re.search(rf"^{name}=\S{{8,}}$", text, re.M), name
    assert policy_problem(values["LOUYU_ADMIN_PASSWORD"], min_length=8, username="admin") is None
    from louyu_kit.settings import derive_service_secret

    assert values["LOUYU_TASKS_SERVICE_SECRET"] == derive_service_secret(values["LOUYU_SERVICE_KEY"], "tasks")
    assert (tmp_path / "secrets" / "jwt-signing-key.pem").stat().st_uid == 10001


def test_the_lane_notices_a_registry_call_in_the_daemons_debug_log():
    lane = lane_module()
    quiet = "\n".join(
        [
            'level=debug msg="Registering GET, /distribution/{name:.*}/json"',  # the daemon's start
            'level=debug msg="Calling GET /v1.41/containers/json?all=1"',
            'level=debug msg="Calling POST /v1.41/containers/create?name=louyu-lane-registry-1"',
        ]
    )
    assert lane.registry_contacts(quiet) == []
    pull = 'level=debug msg="Calling POST /v1.41/images/create?fromImage=louyu%2Fgateway&tag=latest"'
    digest = 'level=debug msg="Calling GET /v1.41/distribution/docker.io/louyu/gateway:latest/json"'
    assert lane.registry_contacts(f"{quiet}\n{pull}\n{digest}") == [pull, digest]
