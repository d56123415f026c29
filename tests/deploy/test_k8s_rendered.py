"""What `kubectl apply -k deploy/k8s` would send (issue #15): `kubectl kustomize` renders it, the
rendered objects pass the strict Kubernetes schemas, and they run the same images as
docker-compose.yml with probes on the endpoints the compose lane (`make test-compose`) proved:
readiness on /api/<svc>/ready (compose's healthcheck), liveness and start-up on /health (the
images' HEALTHCHECK)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.conftest import DEPLOY, ROOT, run, tool

K8S = DEPLOY / "k8s"
SERVICES = ("gateway", "registry", "tasks", "metrics")
PREFIX = {"gateway": "/api/auth", "registry": "/api/registry", "tasks": "/api/tasks", "metrics": "/api/metrics"}
VERSIONS = ("1.25.0", "1.37.0")


def render(folder: Path = K8S) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed")
    result = run([kubectl, "kustomize", str(folder)])
    assert result.returncode == 0, result.stderr
    return [d for d in yaml.safe_load_all(result.stdout) if d]


def compose_images() -> dict[str, str]:
    doc = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return {name: doc["services"][name]["image"] for name in SERVICES}


def problems_of(objects: list[dict[str, Any]]) -> list[str]:
    problems = []
    images = compose_images()
    for obj in objects:
        if obj["kind"] not in ("Deployment", "Job"):
            continue
        name = obj["metadata"]["name"]
        svc = name.removesuffix("-migrate")
        for container in obj["spec"]["template"]["spec"]["containers"]:
            repo = container["image"].rsplit(":", 1)[0]
            # compose: ${LOUYU_IMAGE_PREFIX:-louyu}/<svc>:${LOUYU_VERSION:-latest}, with the defaults.
            expected = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", images[svc]).rsplit(":", 1)[0]
            if repo != expected:
                problems.append(f"{obj['kind']} {name} runs {repo}, compose runs {expected}")
            if obj["kind"] != "Deployment":
                continue
            ready = container.get("readinessProbe", {}).get("httpGet", {}).get("path")
            if ready != f"{PREFIX[svc]}/ready":
                problems.append(f"{name}: readiness must ask {PREFIX[svc]}/ready (compose's healthcheck), not {ready}")
            for probe in ("livenessProbe", "startupProbe"):
                path = container.get(probe, {}).get("httpGet", {}).get("path")
                if path != f"{PREFIX[svc]}/health":
                    problems.append(f"{name}: {probe} must ask {PREFIX[svc]}/health, not {path}")
    kinds = {(o["kind"], o["metadata"]["name"]) for o in objects}
    for svc in SERVICES:
        for kind, name in (("Deployment", svc), ("Job", f"{svc}-migrate")):
            if (kind, name) not in kinds:
                problems.append(f"the rendered manifests have no {kind} {name}")
    return problems


def test_kustomize_renders_objects_that_pass_the_strict_schemas(tmp_path):
    objects = render()
    assert all(o["metadata"].get("namespace") == "louyu" for o in objects if o["kind"] != "Namespace")
    rendered = tmp_path / "rendered.yaml"
    rendered.write_text(yaml.safe_dump_all(objects), encoding="utf-8")
    for version in VERSIONS:
        result = run([tool("kubernetes-validate"), "--strict", "--quiet", "-k", version, str(rendered)])
        assert result.returncode == 0, result.stdout + result.stderr


def test_rendered_objects_run_the_compose_images_with_the_proven_probes():
    assert problems_of(render()) == []


def test_a_broken_copy_is_noticed(tmp_path):
    objects = render()
    deployment = next(o for o in objects if o["kind"] == "Deployment" and o["metadata"]["name"] == "tasks")
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["path"] = "/api/tasks/health"
    job = next(o for o in objects if o["kind"] == "Job" and o["metadata"]["name"] == "metrics-migrate")
    job["spec"]["template"]["spec"]["containers"][0]["image"] = "someone/metrics:1"
    problems = problems_of(objects)
    assert any("tasks: readiness" in p for p in problems), problems
    assert any("metrics-migrate runs someone/metrics" in p for p in problems), problems
    # A strict-schema break in the rendered output: an unknown field.
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}
    rendered = tmp_path / "rendered.yaml"
    rendered.write_text(yaml.safe_dump_all(objects), encoding="utf-8")
    result = run([tool("kubernetes-validate"), "--strict", "--quiet", "-k", VERSIONS[-1], str(rendered)])
    assert result.returncode != 0
