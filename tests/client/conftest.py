"""The client lane (issue #23, `make test-client`): a disposable product started as `make run`
starts it (tests/stack.py), a Python client generated from each service's OpenAPI document as the
product serves it (openapi-python-client, pinned in requirements-dev.txt, configured by
tests/client/generator.yaml), installed with pip into a temporary directory put on ``sys.path``,
and used through the gateway as a bureau's integrator would.

The generated packages are ``louyu_<service>_api_client`` (from the ASCII titles); an operation is
found by its operationId (``op("metrics", "post_batch_api_metrics_facts_batches_post")``).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.stack import ADMIN_PASSWORD, RunningProduct, start_product

SERVICES = ("gateway", "registry", "tasks", "metrics")
DOCUMENTS = {
    "gateway": "/api/auth/openapi.json",
    "registry": "/api/registry/openapi.json",
    "tasks": "/api/tasks/openapi.json",
    "metrics": "/api/metrics/openapi.json",
}
GENERATOR_CONFIG = Path(__file__).parent / "generator.yaml"
BIN = Path(sys.executable).parent


class Lane:
    """The running product, the generated packages and tokens for the demo accounts."""

    def __init__(self, running: RunningProduct, packages: dict[str, str], seconds: dict[str, float]) -> None:
        self.running = running
        self.packages = packages
        self.seconds = seconds
        self.demo_password = next(line.split("：", 1)[1].strip() for line in running.output if "演示账号密码" in line)

    @property
    def url(self) -> str:
        return self.running.url

    def package(self, service: str) -> ModuleType:
        return importlib.import_module(self.packages[service])

    def op(self, service: str, operation_id: str) -> ModuleType:
        """The generated module of an operation (``sync``, ``sync_detailed``…), whatever its tag."""
        api = importlib.import_module(f"{self.packages[service]}.api")
        for tag in pkgutil.iter_modules(api.__path__):
            try:
                return importlib.import_module(f"{api.__name__}.{tag.name}.{operation_id}")
            except ModuleNotFoundError:
                continue
        raise LookupError(f"{service}: no generated operation {operation_id}")

    def models(self, service: str) -> ModuleType:
        return importlib.import_module(f"{self.packages[service]}.models")

    def anonymous(self, service: str) -> Any:
        return self.package(service).Client(base_url=self.url, timeout=httpx.Timeout(60.0))

    def authenticated(self, service: str, token: str) -> Any:
        return self.package(service).AuthenticatedClient(base_url=self.url, token=token, timeout=httpx.Timeout(60.0))


def _generate(url: str, work: Path) -> tuple[dict[str, str], dict[str, float]]:
    seconds: dict[str, float] = {}
    started = time.monotonic()
    sources: list[Path] = []
    packages: dict[str, str] = {}
    for service in SERVICES:
        doc = httpx.get(url + DOCUMENTS[service], timeout=60).raise_for_status().json()
        path = work / f"{service}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False))
        project = work / f"louyu-{service}-api-client"
        run = subprocess.run(
            [
                str(BIN / "openapi-python-client"),
                "generate",
                "--path",
                str(path),
                "--config",
                str(GENERATOR_CONFIG),
                "--meta",
                "setup",
                "--output-path",
                str(project),
                "--overwrite",
            ],
            capture_output=True,
            text=True,
            env={"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(work)},
            timeout=600,
        )
        # Any warning means a part of the API left out of the client: the document is wrong.
        assert run.returncode == 0 and "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr
        sources.append(project)
        packages[service] = f"louyu_{service}_api_client"
    seconds["generate"] = time.monotonic() - started
    started = time.monotonic()
    site = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index"]
        + ["--disable-pip-version-check", "--target", str(site), *map(str, sources)],
        check=True,
        timeout=600,
    )
    seconds["install"] = time.monotonic() - started
    sys.path.insert(0, str(site))
    return packages, seconds


@pytest.fixture(scope="session")
def lane(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lane]:
    started = time.monotonic()
    running = start_product(tmp_path_factory.mktemp("client-product"), timeout=300)
    try:
        startup = time.monotonic() - started
        packages, seconds = _generate(running.url, tmp_path_factory.mktemp("clients"))
        seconds["start"] = startup
        yield Lane(running, packages, seconds)
    finally:
        running.stop()


@pytest.fixture(scope="session")
def admin_token(lane: Lane) -> str:
    return _password_token(lane, "admin", ADMIN_PASSWORD)


def _password_token(lane: Lane, username: str, password: str) -> str:
    models = lane.models("gateway")
    token = lane.op("gateway", "token_api_auth_token_post")
    body = models.BodyTokenApiAuthTokenPost(grant_type="password", username=username, password=password)
    answer = token.sync(client=lane.anonymous("gateway"), body=body)
    assert isinstance(answer, models.TokenResponse), answer
    return answer.access_token


@pytest.fixture(scope="session")
def leader_token(lane: Lane) -> str:
    return _password_token(lane, "demo_leader", lane.demo_password)


@pytest.fixture(scope="session")
def bureau_token(lane: Lane) -> str:
    return _password_token(lane, "demo_bureau", lane.demo_password)
