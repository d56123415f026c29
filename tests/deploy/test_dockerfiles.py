"""deploy/docker/*.Dockerfile: hadolint (installed from PyPI), our own rules (multi-stage, slim
Python 3.11, non-root numeric USER, HEALTHCHECK, no build tools or installs in the final stage,
each image carries only the kit and its own service), the build context trimmed by
.dockerignore, and the image layout run for real: the final stage's files, copied into a
directory, migrate a database and answer the health check with nothing from the checkout."""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from louyu_kit.tokens import generate_private_key_pem
from tests.deploy.conftest import DEPLOY, ROOT, run, tool

DOCKER = DEPLOY / "docker"
SERVICES = ("gateway", "registry", "tasks", "metrics")
PORTS = {"gateway": 8000, "registry": 8001, "tasks": 8002, "metrics": 8003}
PREFIX = {"gateway": "/api/auth", "registry": "/api/registry", "tasks": "/api/tasks", "metrics": "/api/metrics"}
BUILD_TOOLS = re.compile(r"\b(apt-get|apt|apk|yum|dnf|gcc|g\+\+|make|build-essential|pip3? install|npm)\b")


@dataclass
class Stage:
    image: str
    alias: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def parse(text: str) -> list[Stage]:
    logical, buffer = [], ""
    for line in text.splitlines():
        if not buffer and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            buffer += line.rstrip()[:-1] + " "
            continue
        logical.append(buffer + line)
        buffer = ""
    stages: list[Stage] = []
    for line in logical:
        keyword, _, args = line.strip().partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            parts = args.split()
            stages.append(Stage(parts[0], parts[2] if len(parts) > 2 and parts[1].upper() == "AS" else None))
        elif stages:
            stages[-1].instructions.append((keyword, args.strip()))
    return stages


# Parser directives that make BuildKit fetch a frontend image from a registry on every build
# (`# syntax=docker/dockerfile:1` needs Docker Hub even when every base image is present).
SYNTAX_DIRECTIVE = re.compile(r"^#\s*syntax\s*=", re.I | re.M)
# The only images a Dockerfile may start from (besides its own stages): the ones
# deploy/standins/ stands in for in `make test-compose`, so the lane builds the real files.
BASE_IMAGES = {"python:3.11-slim-bookworm", "node:20-bookworm-slim"}


def rule_problems(name: str, text: str) -> list[str]:
    problems = []
    if SYNTAX_DIRECTIVE.search(text):
        problems.append(f"{name}: no '# syntax=' directive (BuildKit would fetch it from Docker Hub on every build)")
    stages = parse(text)
    aliases = {s.alias for s in stages if s.alias}
    for stage in stages:
        if stage.image not in aliases and stage.image not in BASE_IMAGES:
            problems.append(f"{name}: FROM {stage.image} is not one of {sorted(BASE_IMAGES)} (no stand-in for it)")
    if len(stages) < 2:
        return [f"{name}: must be multi-stage (build stage + runtime stage)"]
    final = stages[-1]
    if not re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?", final.image):
        problems.append(f"{name}: the final stage must start from a slim Python 3.11 image, not {final.image}")
    users = final.all("USER")
    if not users or not re.fullmatch(r"[1-9]\d{3,}(:[1-9]\d{3,})?", users[-1]):
        problems.append(f"{name}: the final stage must switch to a numeric non-root USER (uid ≥ 1000)")
    health = final.all("HEALTHCHECK")
    if not health or f"127.0.0.1:{PORTS[name]}{PREFIX[name]}/health" not in health[-1]:
        problems.append(f"{name}: HEALTHCHECK must probe {PREFIX[name]}/health on port {PORTS[name]}")
    for args in final.all("RUN"):
        if BUILD_TOOLS.search(args):
            problems.append(f"{name}: the final stage must not install anything or carry build tools: RUN {args}")
    cmd = " ".join(final.all("CMD"))
    if f"{name}.main:create_app" not in cmd or str(PORTS[name]) not in cmd:
        problems.append(f"{name}: CMD must serve {name}.main:create_app on {PORTS[name]}")
    if str(PORTS[name]) not in final.all("EXPOSE"):
        problems.append(f"{name}: EXPOSE {PORTS[name]}")
    sources = [a.split()[-2] for s in stages for a in s.all("COPY") if not a.startswith("--from")]
    for src in sources:
        if src.startswith("services/") and not src.startswith(("services/kit/", f"services/{name}/")):
            problems.append(f"{name}: copies another service's code ({src})")
    if not any("requirements.lock" in a for s in stages for a in s.all("COPY")):
        problems.append(f"{name}: dependencies must come from requirements.lock")
    if name == "gateway":
        node = [s for s in stages if s.image.startswith("node:")]
        copies_dist = any("--from=" in a and "dist" in a for a in final.all("COPY"))
        if not node or not copies_dist:
            problems.append("gateway: the SPA must be built in a Node stage and copied into the final image")
    return problems


def dockerfile(name: str) -> Path:
    return DOCKER / f"{name}.Dockerfile"


def test_one_dockerfile_per_service_and_no_leftover_single_image():
    assert sorted(p.name for p in DOCKER.glob("*.Dockerfile")) == sorted(f"{s}.Dockerfile" for s in SERVICES)
    assert not (DEPLOY / "Dockerfile").exists()


@pytest.mark.parametrize("name", SERVICES)
def test_hadolint_passes(name):
    result = run([tool("hadolint"), "--failure-threshold", "info", str(dockerfile(name))])
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_fails_on_a_broken_copy(tmp_path):
    broken = tmp_path / "Dockerfile"
    text = dockerfile("registry").read_text(encoding="utf-8")
    broken.write_text(
        text.replace("FROM python:3.11-slim-bookworm\n", "FROM python:latest\nRUN apt-get install -y gcc\n", 1),
        encoding="utf-8",
    )
    result = run([tool("hadolint"), "--failure-threshold", "info", str(broken)])
    assert result.returncode != 0
    assert "DL3007" in result.stdout  # latest tag
    assert "DL3008" in result.stdout or "DL3015" in result.stdout  # unpinned apt, recommends


@pytest.mark.parametrize("name", SERVICES)
def test_dockerfile_follows_our_rules(name):
    assert rule_problems(name, dockerfile(name).read_text(encoding="utf-8")) == []


RULE_BREAKS = {
    "syntax directive": lambda t: "# syntax=docker/dockerfile:1\n" + t,
    "root user": lambda t: t.replace("USER 10001:10001\n", "USER root\n"),
    "no healthcheck": lambda t: re.sub(r"HEALTHCHECK .*?\n  CMD .*?\n", "", t, flags=re.S),
    "single stage": lambda t: t[t.rindex("FROM python") :],
    "build tools in the final stage": lambda t: t.replace(
        "WORKDIR /app\n", "WORKDIR /app\nRUN apt-get update && apt-get install -y gcc\n"
    ),
    "a fat base image": lambda t: (
        t[: t.rindex("FROM python")]
        + t[t.rindex("FROM python") :].replace("python:3.11-slim-bookworm", "python:3.11-bookworm", 1)
    ),
    "another service's code": lambda t: t.replace(
        "COPY services/kit/louyu_kit", "COPY services/gateway/gateway /app/x\nCOPY services/kit/louyu_kit"
    ),
}


@pytest.mark.parametrize("change", sorted(RULE_BREAKS))
def test_a_broken_copy_fails_our_rules(change):
    text = dockerfile("registry").read_text(encoding="utf-8")
    broken = RULE_BREAKS[change](text)
    assert broken != text
    assert rule_problems("registry", broken), change


# ----- build context ----------------------------------------------------------------------


def _ignore_patterns() -> list[tuple[bool, str]]:
    patterns = []
    for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        patterns.append((negate, line.lstrip("!").strip("/")))
    return patterns


def _match(pattern: str, path: str) -> bool:
    """Docker's rule: a pattern matches the path or any of its parent directories."""
    regex = re.escape(pattern).replace(r"\*\*/", "(.*/)?").replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
    regex = regex.replace(r"\?", "[^/]")
    parts = path.split("/")
    return any(re.fullmatch(regex, "/".join(parts[:i])) for i in range(1, len(parts) + 1))


def excluded(path: str, patterns: list[tuple[bool, str]]) -> bool:
    result = False
    for negate, pattern in patterns:
        if _match(pattern, path):
            result = not negate
    return result


def test_dockerignore_keeps_local_state_and_tests_out_of_the_images():
    patterns = _ignore_patterns()
    for path in (
        "var/registry.db",
        "var/jwt-signing-key.pem",
        "secrets/jwt-signing-key.pem",
        ".venv/bin/python",
        "frontend/node_modules/vue/index.js",
        "node_modules/x.js",
        "tests/conftest.py",
        "frontend/tests/unit.spec.js",
        "test-artifacts/pytest-sqlite.xml",
        "frontend/dist/index.html",
        ".env",
        "deploy/.env",
        "backups/20260101T000000.000Z/louyu_gateway.dump",
        ".git/HEAD",
        "services/registry/registry/__pycache__/main.cpython-311.pyc",
        "services/gateway/louyu_gateway.egg-info/PKG-INFO",
    ):
        assert excluded(path, patterns), f"{path} would be sent to the image build"
    # …while everything the Dockerfiles COPY from the context is there.
    for name in SERVICES:
        for stage in parse(dockerfile(name).read_text(encoding="utf-8")):
            for args in stage.all("COPY"):
                if args.startswith("--from"):
                    continue
                for src in args.split()[:-1]:
                    if src.startswith("--"):
                        continue
                    assert (ROOT / src).exists(), src
                    assert not excluded(src.rstrip("/"), patterns), f"{name} needs {src}, but .dockerignore drops it"


def test_a_broken_dockerignore_is_noticed():
    patterns = [p for p in _ignore_patterns() if p[1] not in ("var", "tests", "**/tests")]
    assert not excluded("var/jwt-secret", patterns)
    assert not excluded("tests/conftest.py", patterns)


# ----- the image layout, run for real ---------------------------------------------------------


def _assemble(name: str, app: Path) -> None:
    """Copy what the build stage copies to /app (minus what .dockerignore drops) into ``app``."""
    patterns = _ignore_patterns()
    for stage in parse(dockerfile(name).read_text(encoding="utf-8")):
        for args in stage.all("COPY"):
            if args.startswith("--from"):
                continue
            src, dest = args.split()[-2:]
            if not dest.startswith("/app/"):
                continue
            target = app / dest.removeprefix("/app/")
            source = ROOT / src
            if source.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
                continue
            for path in source.rglob("*"):
                rel = path.relative_to(ROOT).as_posix()
                if path.is_file() and not excluded(rel, patterns):
                    out = target / path.relative_to(source)
                    out.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, out)


PROBE = textwrap.dedent(
    """
    import runpy, sys
    # Forget the editable installs of the checkout: only the image's /app may provide Louyu code.
    sys.meta_path = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
    for name in [m for m in sys.modules if m.split(".")[0] in ("louyu_kit", "gateway", "registry", "tasks", "metrics")]:
        del sys.modules[name]
    service, app_dir = sys.argv[1], sys.argv[2]
    sys.path[:0] = [f"{app_dir}/services/kit", f"{app_dir}/services/{service}"]
    sys.argv = [service, "migrate"]
    try:
        runpy.run_module(service, run_name="__main__")
    except SystemExit as exc:
        assert not exc.code, exc.code
    if service == "gateway":
        sys.argv = [service, "bootstrap"]
        try:
            runpy.run_module(service, run_name="__main__")
        except SystemExit as exc:
            assert not exc.code, exc.code
    import importlib
    from fastapi.testclient import TestClient
    module = importlib.import_module(f"{service}.main")
    kit = importlib.import_module("louyu_kit")
    for mod in (module, kit):
        assert mod.__file__.startswith(app_dir), mod.__file__
    prefix = {"gateway": "/api/auth"}.get(service, f"/api/{service}")
    with TestClient(module.create_app()) as client:
        assert client.get(f"{prefix}/health").status_code == 200
        assert client.get(f"{prefix}/ready").status_code == 200
        if service == "gateway":
            assert client.get("/").status_code == 200
    print("IMAGE LAYOUT OK", service)
    """
)


@pytest.mark.parametrize("name", SERVICES)
def test_the_image_layout_migrates_and_serves_without_the_checkout(tmp_path, name):
    app = tmp_path / "app"
    _assemble(name, app)
    assert sorted(p.name for p in (app / "services").iterdir()) == sorted(["kit", name])
    dist = tmp_path / "dist"
    dist.mkdir()
    key_file = tmp_path / "signing-key.pem"
    key_file.write_text(generate_private_key_pem())
    (dist / "index.html").write_text("<!doctype html><title>楼宇</title>", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOUYU_")}
    env.update(
        LOUYU_ENV="production",
        LOUYU_SERVICE_KEY="image-layout-" + "s" * 40,
        LOUYU_SERVICE_SECRET="image-layout-" + "c" * 40,
        LOUYU_JWT_PRIVATE_KEY_FILE=str(key_file),
        LOUYU_REVOCATION_POLL_SECONDS="0",
        LOUYU_ADMIN_PASSWORD="Image-Layout-2026",
        LOUYU_FRONTEND_DIR=str(dist),
        PYTHONDONTWRITEBYTECODE="1",
        **{f"LOUYU_{name.upper()}_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"},
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE, name, str(app)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and "IMAGE LAYOUT OK" in result.stdout, result.stdout[-3000:] + result.stderr[-3000:]


def test_every_package_a_service_declares_is_pinned_in_the_lock():
    # The images install requirements.lock only (the services run from source).
    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", re.split(r"[<>=\[ ;]", name.strip())[0]).lower()

    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = {norm(line) for line in lock.splitlines() if line and not line.startswith("#")}
    for name in ("kit", *SERVICES):
        text = (ROOT / "services" / name / "pyproject.toml").read_text(encoding="utf-8")
        deps = re.search(r"dependencies = \[(.*?)\]", text, flags=re.S)
        listed = {norm(d.strip().strip('"')) for d in deps.group(1).split(",") if d.strip()} if deps else set()
        missing = listed - pinned - {"louyu-kit"}
        assert not missing, f"{name} depends on {missing}, which requirements.lock does not pin"


def test_fnmatch_helper_agrees_with_simple_globs():
    assert fnmatch.fnmatch("a.db", "*.db") == _match("*.db", "a.db")
