"""deploy/k8s: every manifest valid against the Kubernetes schemas (kubernetes-validate, strict,
oldest and newest versions it ships), and the rules the schemas cannot express. A broken copy
fails each check."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.conftest import DEPLOY, run, tool

K8S = DEPLOY / "k8s"
SERVICES = ("gateway", "registry", "tasks", "metrics")
PORTS = {"gateway": 8000, "registry": 8001, "tasks": 8002, "metrics": 8003}
PREFIX = {"gateway": "/api/auth", "registry": "/api/registry", "tasks": "/api/tasks", "metrics": "/api/metrics"}
# Oldest and newest schemas kubernetes-validate ships: 政务云 clusters are often not the newest.
VERSIONS = ("1.25.0", "1.37.0")
# Custom resources (an operator's) have no schema in kubernetes-validate: shape-checked only.
CRD_EXAMPLES = {"postgres/cloudnative-pg.yaml"}
# LOUYU_LOG_CONSOLE is `make run`'s: in production every line goes to the console whatever it says.
NOT_IN_CLUSTER = {
    "LOUYU_DATA_DIR",
    "LOUYU_GATEWAY_HOST",
    "LOUYU_FRONTEND_DIR",
    "LOUYU_ADMIN_PASSWORD",
    "LOUYU_LOG_CONSOLE",
} | {f"LOUYU_{s.upper()}_PORT" for s in SERVICES}


def manifests() -> list[Path]:
    return sorted(p for p in K8S.rglob("*.yaml") if p.name != "kustomization.yaml")


def core_manifests() -> list[Path]:
    return [p for p in manifests() if str(p.relative_to(K8S)) not in CRD_EXAMPLES]


def docs(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def all_docs() -> list[dict[str, Any]]:
    return [d for p in core_manifests() for d in docs(p)]


def validate(paths: list[Path], version: str) -> tuple[bool, str]:
    result = run([tool("kubernetes-validate"), "--strict", "--quiet", "-k", version, *map(str, paths)])
    return result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("version", VERSIONS)
def test_manifests_are_valid_against_the_kubernetes_schemas(version):
    ok, output = validate(core_manifests(), version)
    assert ok, output


def test_custom_resource_examples_are_well_formed():
    for rel in CRD_EXAMPLES:
        for doc in docs(K8S / rel):
            assert doc["apiVersion"].startswith("postgresql.cnpg.io/") and doc["kind"] in ("Cluster", "Database")
            assert doc["metadata"]["namespace"] == "louyu"
    cluster = docs(K8S / "postgres/cloudnative-pg.yaml")[0]
    assert cluster["spec"]["instances"] >= 3 and cluster["spec"]["minSyncReplicas"] >= 1


BROKEN = [
    ("registry.yaml", "readinessProbe:", "readinesProbe:"),
    ("registry.yaml", "containerPort: 8001", "containerPort: port-8001"),
    ("ingress.yaml", "      secretName: louyu-tls", "      secretNames: [louyu-tls]"),
    ("migrate-jobs.yaml", "backoffLimit: 6", "backoffLimit: six"),
    ("configmap.yaml", '  LOUYU_HSTS: "true"', "  LOUYU_HSTS: true"),
]


@pytest.mark.parametrize(("name", "old", "new"), BROKEN, ids=[f"{b[0]}:{b[2]}" for b in BROKEN])
def test_a_broken_copy_fails_the_schema_check(tmp_path, name, old, new):
    text = (K8S / name).read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / name
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    ok, output = validate([broken], VERSIONS[-1])
    assert not ok and "ERROR" in output


def _by_kind(documents: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(d["kind"], d["metadata"]["name"]): d for d in documents}


def _containers(pod_spec: dict[str, Any]) -> list[dict[str, Any]]:
    return pod_spec.get("initContainers", []) + pod_spec.get("containers", [])


def rule_problems(documents: list[dict[str, Any]]) -> list[str]:
    problems = []
    objects = _by_kind(documents)
    if ("Namespace", "louyu") not in objects:
        problems.append("the louyu Namespace is missing")
    for d in documents:
        if d["kind"] != "Namespace" and d["metadata"].get("namespace") != "louyu":
            problems.append(f"{d['kind']}/{d['metadata']['name']} is not in the louyu namespace")
    for svc in SERVICES:
        deployment = objects.get(("Deployment", svc))
        if deployment is None:
            problems.append(f"Deployment {svc} is missing")
            continue
        pod = deployment["spec"]["template"]["spec"]
        main = next(c for c in pod["containers"] if c["name"] == svc)
        ready = main.get("readinessProbe", {}).get("httpGet", {}).get("path")
        live = main.get("livenessProbe", {}).get("httpGet", {}).get("path")
        if ready != f"{PREFIX[svc]}/ready":
            problems.append(f"{svc}: readiness probe must ask {PREFIX[svc]}/ready, not {ready}")
        if live != f"{PREFIX[svc]}/health":
            problems.append(f"{svc}: liveness probe must ask {PREFIX[svc]}/health, not {live}")
        if [p["containerPort"] for p in main.get("ports", [])] != [PORTS[svc]]:
            problems.append(f"{svc}: must listen on {PORTS[svc]}")
        if not pod.get("securityContext", {}).get("runAsNonRoot"):
            problems.append(f"{svc}: pods must run as non-root")
        for container in _containers(pod):
            res = container.get("resources", {})
            if not {"cpu", "memory"} <= set(res.get("requests", {})) or "memory" not in res.get("limits", {}):
                problems.append(f"{svc}/{container['name']}: needs cpu and memory requests and a memory limit")
            sc = container.get("securityContext", {})
            if sc.get("allowPrivilegeEscalation") is not False or sc.get("capabilities", {}).get("drop") != ["ALL"]:
                problems.append(f"{svc}/{container['name']}: no privilege escalation, all capabilities dropped")
            refs = {e.get("secretRef", {}).get("name") for e in container.get("envFrom", [])}
            foreign = {f"louyu-{o}-db" for o in SERVICES if o != svc} & refs
            if foreign:
                problems.append(f"{svc}/{container['name']}: must not see other services' databases {foreign}")
            others = {f"louyu-{o}-credential" for o in SERVICES if o != svc} & refs
            if others:
                problems.append(f"{svc}/{container['name']}: must not hold other services' credentials {others}")
            if svc != "gateway" and "louyu-gateway-keys" in refs:
                problems.append(f"{svc}/{container['name']}: the service key is the gateway's alone")
        mounted = {v.get("secret", {}).get("secretName") for v in pod.get("volumes", [])}
        if svc != "gateway" and "louyu-jwt-signing-key" in mounted:
            problems.append(f"{svc}: only the gateway may mount the signing key")
        if svc == "gateway" and "louyu-jwt-signing-key" not in mounted:
            problems.append("gateway: must mount the Secret louyu-jwt-signing-key")
        if svc != "gateway" and f"louyu-{svc}-credential" not in {
            e.get("secretRef", {}).get("name") for e in main.get("envFrom", [])
        }:
            problems.append(f"{svc}: needs its own credential louyu-{svc}-credential")
        init = " ".join(" ".join(c.get("command", [])) for c in pod.get("initContainers", []))
        if f"louyu_kit.check_migrations {svc}" not in init:
            problems.append(f"{svc}: an init container must wait for the migration job")
        service = objects.get(("Service", svc))
        if service is None or service["spec"]["selector"] != deployment["spec"]["selector"]["matchLabels"]:
            problems.append(f"Service {svc} is missing or does not select the Deployment's pods")
        hpa = objects.get(("HorizontalPodAutoscaler", svc))
        if hpa is None or hpa["spec"]["scaleTargetRef"]["name"] != svc or hpa["spec"]["minReplicas"] < 2:
            problems.append(f"{svc}: a HorizontalPodAutoscaler with at least 2 replicas is missing")
        if ("PodDisruptionBudget", svc) not in objects:
            problems.append(f"{svc}: a PodDisruptionBudget is missing")
        job = objects.get(("Job", f"{svc}-migrate"))
        command = " ".join(job["spec"]["template"]["spec"]["containers"][0]["command"]) if job else ""
        if f"python -m {svc} migrate" not in command:
            problems.append(f"{svc}: a migration Job running python -m {svc} migrate is missing")
        elif job["spec"]["template"]["spec"]["containers"][0]["image"] != main["image"]:
            problems.append(f"{svc}: the migration Job must run the Deployment's image")
    ingress = objects.get(("Ingress", "louyu"))
    if ingress is None or not ingress["spec"].get("tls"):
        problems.append("the Ingress must terminate TLS")
    else:
        backends = {p["backend"]["service"]["name"] for r in ingress["spec"]["rules"] for p in r["http"]["paths"]}
        if backends != {"gateway"}:
            problems.append(f"the Ingress must route to the gateway only, not {backends}")
    return problems


def test_manifests_follow_the_deployment_rules():
    assert rule_problems(all_docs()) == []


def _break(documents: list[dict[str, Any]], change: str) -> None:
    objects = _by_kind(documents)
    pod = objects[("Deployment", "tasks")]["spec"]["template"]["spec"]
    if change == "no readiness probe":
        del pod["containers"][0]["readinessProbe"]
    elif change == "no limits":
        del pod["containers"][0]["resources"]["limits"]
    elif change == "no autoscaler":
        documents.remove(objects[("HorizontalPodAutoscaler", "metrics")])
    elif change == "no migration job":
        documents.remove(objects[("Job", "registry-migrate")])
    elif change == "ingress without tls":
        del objects[("Ingress", "louyu")]["spec"]["tls"]
    elif change == "another service's database":
        pod["containers"][0]["envFrom"].append({"secretRef": {"name": "louyu-registry-db"}})
    elif change == "a service mounts the signing key":
        pod["volumes"].append({"name": "k", "secret": {"secretName": "louyu-jwt-signing-key"}})
    elif change == "a service holds the service key":
        pod["containers"][0]["envFrom"].append({"secretRef": {"name": "louyu-gateway-keys"}})


@pytest.mark.parametrize(
    "change",
    [
        "no readiness probe",
        "no limits",
        "no autoscaler",
        "no migration job",
        "ingress without tls",
        "another service's database",
        "a service mounts the signing key",
        "a service holds the service key",
    ],
)
def test_a_broken_copy_fails_the_rules(change):
    documents = all_docs()
    _break(documents, change)
    assert rule_problems(documents), change


def test_kustomization_applies_every_manifest_but_the_templates():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    listed = set(kustomization["resources"])
    expected = {str(p.relative_to(K8S)) for p in core_manifests()} - {"secret.template.yaml"}
    assert listed == expected
    assert kustomization["namespace"] == "louyu"


def test_every_setting_is_in_the_configmap_or_the_secret_template():
    names = set()
    for svc in SERVICES:
        settings = importlib.import_module(f"{svc}.config").Settings
        names |= {f"LOUYU_{n.upper()}" for n in settings.model_fields}
    config = set(docs(K8S / "configmap.yaml")[0]["data"])
    secrets = {k for d in docs(K8S / "secret.template.yaml") for k in d["stringData"]}
    assert sorted(names - NOT_IN_CLUSTER - config - secrets) == []
    assert "LOUYU_ADMIN_PASSWORD" in secrets
    assert not {k for k in config if k.endswith(("SECRET", "PASSWORD", "TOKEN", "DATABASE_URL"))}
    for d in docs(K8S / "secret.template.yaml"):
        for value in d["stringData"].values():
            assert "REPLACE_ME" in value, "the template must not ship a real secret"
