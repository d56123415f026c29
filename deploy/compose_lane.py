#!/usr/bin/env python3
"""`make test-compose`, the part after the tools: the real images, `docker compose up`, checks.

Run by deploy/test-compose.sh (which installs Docker, Compose v2 and the stand-in base images).
Python's standard library only: it runs from a fresh clone before any virtualenv exists.

What it does, in a project of its own (`louyu-lane`, never the `louyu` of a real deployment),
with a `.env` written from deploy/.env.example with generated secrets (in a temporary folder,
never the checkout's own .env), the gateway published on a free port of 127.0.0.1:

  up          docker compose up -d --build (the project's Dockerfiles and compose file as they are)
  checks      through the published port only: health and ready of all four, the SPA, sign-in of
              the admin, a bureau account, a building and an enterprise written and read, a
              facts batch visible in metrics' KPIs (change feed and rollups across containers),
              a service killed → 503 for it within 2 s and back by the restart policy, the
              backup/restore drill through `docker compose exec`, the containers non-root with
              read-only file systems
  broken      copies that must fail, each with a message naming its cause: a wrong database
              password in .env, a Dockerfile that forgets a file the service needs
  no pulls    `up` is the README's command as written (no `--pull never`); the daemon's events hold
              no pull and, when the lane started dockerd (--debug), its log no registry call
  down        docker compose down within 20 s, every container exiting 0
Then it removes what it made (containers, volumes, networks, its images, the temporary folder).
Any failure ends it with `compose lane FAILED: <cause>`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "louyu-lane"
PREFIX = "louyu-lane"
VERSION = "lane"
SERVICES = ("gateway", "registry", "tasks", "metrics")
HEALTH = {"gateway": "/api/auth", "registry": "/api/registry", "tasks": "/api/tasks", "metrics": "/api/metrics"}
STARTED = time.monotonic()


class LaneFailure(Exception):
    """The lane's verdict: the message names the cause."""


def say(message: str) -> None:
    print(f"== [{time.monotonic() - STARTED:5.0f} s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ----- the deployment's settings ---------------------------------------------------------------


def admin_password() -> str:
    """A password the gateway's policy accepts (deploy/.env.example states the rules)."""
    return f"Lane-{secrets.token_hex(5)}-Qz7"


def derive(service_key: str, service: str) -> str:
    # As deploy/.env.example documents it (and louyu_kit.settings.derive_service_secret does).
    digest = hmac.new(service_key.encode(), f"louyu-service:{service}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def write_env(work: Path, port: int, **overrides: str) -> tuple[Path, dict[str, str]]:
    """deploy/.env.example with every secret generated; the key file in work/secrets."""
    key_file = work / "secrets" / "jwt-signing-key.pem"
    if not key_file.exists():
        key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        subprocess.run(
            ["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", str(key_file)],
            check=True,
            capture_output=True,
        )
        # The gateway runs as uid 10001 and reads the secret from a bind mount of this file.
        os.chown(key_file, 10001, 10001)
        key_file.chmod(0o400)
    service_key = secrets.token_hex(32)
    values = {
        "LOUYU_SERVICE_KEY": service_key,
        "POSTGRES_PASSWORD": secrets.token_hex(16),
        "LOUYU_ADMIN_PASSWORD": admin_password(),
        "LOUYU_PUBLIC_BIND": "127.0.0.1",
        "LOUYU_PUBLIC_PORT": str(port),
        "LOUYU_IMAGE_PREFIX": PREFIX,
        "LOUYU_VERSION": VERSION,
        "LOUYU_JWT_PRIVATE_KEY_PATH": str(key_file),
        "LOUYU_JWT_PREVIOUS_KEY_PATH": str(key_file),
        # Plain http on 127.0.0.1 here (no TLS front-end in the lane).
        "LOUYU_HSTS": "false",
    }
    for svc in SERVICES:
        values[f"LOUYU_{svc.upper()}_DB_PASSWORD"] = secrets.token_hex(16)
    for svc in SERVICES[1:]:
        values[f"LOUYU_{svc.upper()}_SERVICE_SECRET"] = derive(service_key, svc)
    values.update(overrides)
    lines, seen = [], set()
    for line in (ROOT / "deploy" / ".env.example").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Z][A-Z0-9_]*)=", line)
        if m and m.group(1) in values:
            seen.add(m.group(1))
            line = f"{m.group(1)}={values[m.group(1)]}"
        lines.append(line)
    missing = sorted(set(values) - seen)
    if missing:
        raise LaneFailure(f"deploy/.env.example has no line for {missing}")
    env_file = work / ".env"
    env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env_file.chmod(0o600)
    return env_file, values


# ----- docker ----------------------------------------------------------------------------------


def run(cmd: list[str], *, timeout: float = 600, check: bool = True, **kw: Any) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    except subprocess.TimeoutExpired as exc:
        raise LaneFailure(f"{' '.join(cmd[:6])} … did not finish within {timeout:.0f} s") from exc
    if check and result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-15:]
        raise LaneFailure(f"{' '.join(cmd[:8])} … failed ({result.returncode}):\n  " + "\n  ".join(tail))
    return result


class Stack:
    def __init__(self, env_file: Path, project: str = PROJECT, root: Path = ROOT) -> None:
        self.env_file = env_file
        self.project = project
        self.root = root

    def compose(self, *args: str, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess[str]:
        base = ["docker", "compose", "-p", self.project, "--project-directory", str(self.root)]
        base += ["-f", str(self.root / "docker-compose.yml"), "--env-file", str(self.env_file)]
        return run([*base, *args], timeout=timeout, check=check)

    def containers(self) -> list[dict[str, Any]]:
        out = self.compose("ps", "--all", "--format", "json").stdout.strip()
        if not out:
            return []
        if out.startswith("["):
            return json.loads(out)
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def container_id(self, service: str) -> str:
        return self.compose("ps", "--all", "-q", service).stdout.strip().splitlines()[0]

    def inspect(self, service: str) -> dict[str, Any]:
        return json.loads(run(["docker", "inspect", self.container_id(service)]).stdout)[0]

    def logs(self, service: str, lines: int = 40) -> str:
        return self.compose("logs", "--no-color", "--tail", str(lines), service, check=False).stdout

    def diagnose(self) -> str | None:
        """The cause of a failed start, from the containers that failed: None when none did."""
        causes = []
        for c in self.containers():
            service, state = c.get("Service", ""), c.get("State", "")
            code = c.get("ExitCode", 0)
            health = c.get("Health", "")
            if (state == "exited" and code != 0) or health == "unhealthy" or state == "restarting":
                causes.append(f"{service} {state} (exit {code}{', ' + health if health else ''}): {cause_in(self.logs(service))}")
        return "\n  ".join(causes) or None


CAUSES = [
    r"password authentication failed for user \"?[\w]+\"?",
    r"database \"?[\w]+\"? does not exist",
    r"Path doesn't exist: '?[^'\s]+'?",
    r"No such file or directory: '?[^'\s]+'?",
    r"ModuleNotFoundError: [^\n]+",
    r"FileNotFoundError: [^\n]+",
    r"LOUYU_[A-Z_]+ 不符合密码策略：[^\n\"]+",
    r"did not answer within \d+ s[^\n\"]*",
    r"Permission denied: '?[^'\s]+'?",
]


def cause_in(logs: str) -> str:
    """The line of a container's log that says what went wrong (else its last lines)."""
    for pattern in CAUSES:
        m = re.search(pattern, logs)
        if m:
            return m.group(0)
    lines = [line for line in logs.strip().splitlines() if line.strip()]
    return " | ".join(lines[-3:]) or "(no log)"


# ----- HTTP through the published port -----------------------------------------------------------


class Http:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(
        self, method: str, path: str, *, json_body: Any = None, form: dict[str, str] | None = None,
        token: str | None = None, timeout: float = 10, headers: dict[str, str] | None = None,
    ) -> tuple[int, Any, dict[str, str]]:
        headers = {"Accept": "application/json", **(headers or {})}
        data = None
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=timeout) as resp:
                status, raw, hdrs = resp.status, resp.read(), {k.lower(): v for k, v in resp.headers.items()}
        except urllib.error.HTTPError as exc:
            status, raw, hdrs = exc.code, exc.read(), {k.lower(): v for k, v in exc.headers.items()}
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        return status, body, hdrs

    def expect(self, status: int, method: str, path: str, **kw: Any) -> Any:
        got, body, _ = self.request(method, path, **kw)
        if got != status:
            raise LaneFailure(f"{method} {path}: expected {status}, got {got}: {str(body)[:300]}")
        return body

    def sign_in(self, username: str, password: str) -> str:
        form = {"grant_type": "password", "username": username, "password": password}
        return self.expect(200, "POST", "/api/auth/token", form=form)["access_token"]


def wait(what: str, probe: Any, timeout: float, every: float = 1.0) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = probe()
            if last:
                return last
        except (OSError, LaneFailure) as exc:
            last = exc
        time.sleep(every)
    raise LaneFailure(f"{what}: not within {timeout:.0f} s (last: {str(last)[:300]})")


def uscc(n: int) -> str:
    """A valid 统一社会信用代码 (GB 32100 check character) for a made-up enterprise."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    body = f"91420106{n:09d}"
    total = sum(chars.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + chars[(31 - total % 31) % 31]


# ----- the lane --------------------------------------------------------------------------------


class Lane:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.port = free_port()
        self.env_file, self.values = write_env(work, self.port)
        reuse = os.environ.get("LOUYU_LANE_REUSE")  # debugging the checks: a stack left running
        if reuse:
            self.env_file = Path(reuse)
            text = self.env_file.read_text(encoding="utf-8")
            self.values = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", text, flags=re.M))
            self.port = int(self.values["LOUYU_PUBLIC_PORT"])
        self.stack = Stack(self.env_file)
        self.http = Http(f"http://127.0.0.1:{self.port}")
        self.timings: dict[str, float] = {}

    def step(self, name: str, fn: Any) -> None:
        say(name)
        started = time.monotonic()
        fn()
        self.timings[name] = time.monotonic() - started

    # -- up --
    def up(self) -> None:
        if os.environ.get("LOUYU_LANE_REUSE"):
            return
        # What an interrupted earlier run may have left (same project names, fresh volumes).
        self.stack.compose("down", "--volumes", "--remove-orphans", check=False, timeout=120)
        # The README's command as written (no `--pull never`): the file alone must keep Docker
        # from any registry (checked at the end in the daemon's events and debug log).
        result = self.stack.compose("up", "-d", "--build", check=False, timeout=900)
        if result.returncode != 0:
            cause = self.stack.diagnose()
            tail = " | ".join((result.stdout + result.stderr).strip().splitlines()[-4:])
            raise LaneFailure(f"docker compose up failed: {cause or tail}")
        wait("all four services healthy", self.all_healthy, 240, every=2)

    def all_healthy(self) -> bool:
        states = {c["Service"]: c for c in self.stack.containers()}
        cause = self.stack.diagnose()
        if cause:
            raise LaneFailure(cause)
        return all(states.get(s, {}).get("Health") == "healthy" for s in SERVICES)

    # -- checks through the published port --
    def check_health(self) -> None:
        for svc, prefix in HEALTH.items():
            for probe in ("health", "ready"):
                path = f"{prefix}/{probe}" if svc == "gateway" else f"/api/{svc}/{probe}"
                self.http.expect(200, "GET", path)
        status, body, headers = self.http.request("GET", "/")
        if status != 200 or "<div id=" not in str(body) or "text/html" not in headers.get("content-type", ""):
            raise LaneFailure(f"the SPA at / answered {status} {headers.get('content-type')}: {str(body)[:200]}")

    def check_accounts_and_registry(self) -> None:
        admin = self.http.sign_in("admin", self.values["LOUYU_ADMIN_PASSWORD"])
        me = self.http.expect(200, "GET", "/api/auth/me", token=admin)
        if "admin" not in me.get("roles", []):
            raise LaneFailure(f"admin signed in without the admin role: {me}")
        initial = f"Init-{secrets.token_hex(4)}-Kq"
        self.bureau_password = f"Bur-{secrets.token_hex(4)}-Zx9"
        body = {"username": "lane.bureau", "display_name": "商务局测试", "password": initial, "roles": ["bureau"]}
        self.http.expect(201, "POST", "/api/auth/users", json_body=body, token=admin)
        first = self.http.sign_in("lane.bureau", initial)
        change = {"current_password": initial, "new_password": self.bureau_password}
        self.http.expect(204, "POST", "/api/auth/password", json_body=change, token=first)
        self.bureau = self.http.sign_in("lane.bureau", self.bureau_password)
        building = {"name": "编排测试大厦", "street_code": "420106001", "gfa": 50000, "leasable_area": 40000}
        created = self.http.expect(201, "POST", "/api/registry/buildings", json_body=building, token=self.bureau)
        self.building = created["code"]
        read = self.http.expect(200, "GET", f"/api/registry/buildings/{self.building}", token=self.bureau)
        if read["name"] != building["name"]:
            raise LaneFailure(f"building read back as {read['name']!r}")
        self.credit = uscc(424242)
        ent = {"credit_code": self.credit, "name": "编排测试科技有限公司", "industry_code": "6510"}
        self.http.expect(201, "POST", "/api/registry/enterprises", json_body=ent, token=self.bureau)
        read = self.http.expect(200, "GET", f"/api/registry/enterprises/{self.credit}", token=self.bureau)
        if read["name"] != ent["name"]:
            raise LaneFailure(f"enterprise read back as {read['name']!r}")
        stay = {"credit_code": self.credit, "building_code": self.building, "start_date": "2025-01-01", "area": 800}
        self.http.expect(201, "POST", "/api/registry/occupancies", json_body=stay, token=self.bureau)

    def check_facts_reach_the_kpis(self) -> None:
        rows = [
            {"credit_code": self.credit, "period": "2025-06", "kind": "tax_total", "value": 123456},
            {"credit_code": self.credit, "period": "2025-06", "kind": "tax_district", "value": 61728},
        ]
        batch = {"source": "tax_bureau", "rows": rows}
        key = {"Idempotency-Key": secrets.token_hex(16)}
        stored = self.http.expect(
            201, "POST", "/api/metrics/facts/batches", json_body=batch, token=self.bureau, headers=key
        )
        if stored.get("accepted") != len(rows):
            raise LaneFailure(f"the facts batch was not stored whole: {stored}")
        path = f"/api/metrics/kpis?level=building&code={self.building}&period=2025-06"

        def kpi() -> bool:
            status, body, _ = self.http.request("GET", path, token=self.bureau)
            return status == 200 and body.get("tax_total") == 123456

        # The building and the stay reach metrics through registry's change feed, the figures
        # through the ingest; the rollups then count them for the building.
        wait("the building's KPIs in metrics to show the batch (change feed + rollups)", kpi, 90)

    def check_kill_and_restart(self) -> None:
        path = "/api/registry/buildings?limit=1"
        # A crash, not `docker kill` (which Docker counts as a manual stop: no restart follows):
        # SIGKILL to the container's main process from the host.
        pid = int(self.stack.inspect("registry")["State"]["Pid"])
        if pid <= 0:
            raise LaneFailure("registry has no running process to kill")
        os.kill(pid, 9)
        killed = time.monotonic()

        def answers_503() -> bool:
            return self.http.request("GET", path, token=self.bureau, timeout=3)[0] == 503

        wait("the gateway to answer 503 for the killed registry", answers_503, 2, every=0.1)
        took = time.monotonic() - killed
        say(f"   gateway answered 503 for registry {took:.2f} s after the kill")

        def back() -> bool:
            return self.http.request("GET", path, token=self.bureau, timeout=3)[0] == 200

        wait("the restart policy to bring registry back", back, 90)
        state = self.stack.inspect("registry")["State"]
        if state.get("Restarting") or state.get("Status") != "running":
            raise LaneFailure(f"registry is not running again: {state.get('Status')}")

    def check_hardening(self) -> None:
        for svc in SERVICES:
            info = self.stack.inspect(svc)
            user = info["Config"].get("User", "")
            if user.split(":")[0] in ("", "0", "root"):
                raise LaneFailure(f"{svc} runs as root (User={user!r})")
            if not info["HostConfig"].get("ReadonlyRootfs"):
                raise LaneFailure(f"{svc}'s root file system is writable")
            uid = self.stack.compose("exec", "-T", svc, "id", "-u").stdout.strip()
            if uid in ("", "0"):
                raise LaneFailure(f"{svc}: id -u in the container says {uid!r}")
            probe = self.stack.compose("exec", "-T", svc, "sh", "-c", "touch /app/x", check=False)
            if probe.returncode == 0:
                raise LaneFailure(f"{svc}: could write to /app")

    def check_backup_restore(self) -> None:
        backups = self.work / "backups"
        env = {**os.environ, "PG_EXEC": self.exec_prefix(), "BACKUP_DIR": str(backups)}
        result = run(["bash", str(ROOT / "deploy" / "backup.sh")], env=env, check=False, cwd=ROOT)
        if result.returncode != 0:
            raise LaneFailure(f"deploy/backup.sh failed: {(result.stdout + result.stderr).strip()[-600:]}")
        sets = sorted(p for p in backups.iterdir() if p.is_dir() and not p.name.endswith(".partial"))
        if not sets:
            raise LaneFailure("deploy/backup.sh wrote no backup set")
        restored = "louyu_registry_drill"
        env = {**os.environ, "PG_EXEC": self.exec_prefix()}
        restore = ["bash", str(ROOT / "deploy" / "restore.sh"), "--suffix", "_drill", str(sets[-1]), "louyu_registry"]
        result = run(restore, env=env, check=False, cwd=ROOT)
        if result.returncode != 0:
            raise LaneFailure(f"deploy/restore.sh failed: {(result.stdout + result.stderr).strip()[-600:]}")
        count = self.stack.compose(
            "exec", "-T", "postgres", "psql", "-AtX", "-U", "postgres", "-d", restored, "-c",
            f"SELECT count(*) FROM building WHERE code = '{self.building}'",
        ).stdout.strip()
        if count != "1":
            raise LaneFailure(f"the restored registry does not hold the lane's building (count {count!r})")
        self.stack.compose("exec", "-T", "postgres", "dropdb", "-U", "postgres", restored)

    def exec_prefix(self) -> str:
        return (
            f"docker compose -p {self.stack.project} --project-directory {ROOT} -f {ROOT / 'docker-compose.yml'} "
            f"--env-file {self.env_file} exec -T postgres"
        )

    # -- copies that must fail --
    def broken_db_password(self) -> None:
        """A wrong database password in .env: the lane must fail naming it."""
        broken_env, _ = write_env(
            self.work / "broken-password", self.port, LOUYU_TASKS_DB_PASSWORD="wrong-" + secrets.token_hex(8)
        )
        # The same volume (initialised with the right password), only tasks-migrate started.
        text = broken_env.read_text(encoding="utf-8")
        for name, value in self.values.items():
            if name != "LOUYU_TASKS_DB_PASSWORD":
                text = re.sub(rf"^{name}=.*$", f"{name}={value}", text, flags=re.M)
        broken_env.write_text(text, encoding="utf-8")
        stack = Stack(broken_env)
        result = stack.compose("run", "--rm", "--no-deps", "-T", "tasks-migrate", check=False, timeout=120)
        cause = cause_in(result.stdout + result.stderr)
        if result.returncode == 0 or 'password authentication failed for user "louyu_tasks"' not in cause:
            raise LaneFailure(f"a wrong LOUYU_TASKS_DB_PASSWORD was not reported as such: {cause}")
        say(f"   wrong database password → fails: {cause}")

    def broken_dockerfile(self) -> None:
        """A Dockerfile that forgets a file the service needs (its migrations): must fail naming it."""
        copy = self.work / "broken-dockerfile"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "var", "test-artifacts"))
        dockerfile = copy / "deploy" / "docker" / "registry.Dockerfile"
        text = dockerfile.read_text(encoding="utf-8")
        line = "COPY services/registry/migrations /app/services/registry/migrations\n"
        if line not in text:
            raise LaneFailure("registry.Dockerfile no longer has the line the broken copy removes")
        dockerfile.write_text(text.replace(line, ""), encoding="utf-8")
        env_file, _ = write_env(copy, self.port, LOUYU_IMAGE_PREFIX=f"{PREFIX}-broken")
        stack = Stack(env_file, project=f"{PROJECT}-broken", root=copy)
        try:
            result = stack.compose("up", "-d", "--build", "--pull", "never", "registry", check=False, timeout=600)
            cause = stack.diagnose() or cause_in(result.stdout + result.stderr)
            if result.returncode == 0 or "migrations" not in cause:
                raise LaneFailure(f"a Dockerfile without the registry's migrations was not reported as such: {cause}")
            say(f"   Dockerfile missing a file → fails: {cause}")
        finally:
            stack.compose("down", "--volumes", "--remove-orphans", "--rmi", "local", check=False, timeout=120)
            for svc in SERVICES:
                run(["docker", "image", "rm", "-f", f"{PREFIX}-broken/{svc}:{VERSION}"], check=False)

    # -- down --
    def down(self) -> None:
        started = time.monotonic()
        result = self.stack.compose("stop", "--timeout", "15", check=False, timeout=60)
        took = time.monotonic() - started
        if result.returncode != 0:
            raise LaneFailure(f"docker compose stop failed: {result.stderr.strip()[-400:]}")
        codes = {c["Service"]: (c.get("State"), c.get("ExitCode")) for c in self.stack.containers()}
        bad = {svc: code for svc, code in codes.items() if code[1] != 0}
        self.stack.compose("down", "--volumes", "--remove-orphans", timeout=120)
        say(f"   stopped in {took:.1f} s; exit codes {sorted((s, c[1]) for s, c in codes.items())}")
        if took > 20:
            raise LaneFailure(f"docker compose down took {took:.1f} s (more than 20 s)")
        if bad:
            raise LaneFailure(f"containers did not exit 0 on stop: {bad}")

    def cleanup(self) -> None:
        self.stack.compose("down", "--volumes", "--remove-orphans", check=False, timeout=120)
        for svc in SERVICES:
            run(["docker", "image", "rm", "-f", f"{PREFIX}/{svc}:{VERSION}"], check=False)


def pulls_in(events: str) -> list[str]:
    return [line for line in events.splitlines() if line.split(" ", 1)[0] == "pull"]


# What a (debug) daemon logs when asked to reach a registry: a pull (POST /images/create), a
# digest look-up (GET /distribution/…, Compose's pull-policy check), a registry host.
REGISTRY_CONTACT = re.compile(
    r"(Calling [A-Z]+ /v[\d.]+/(images/create|distribution/)|registry-1\.docker\.io|auth\.docker\.io)"
)


def registry_contacts(daemon_log: str) -> list[str]:
    return [line[:300] for line in daemon_log.splitlines() if REGISTRY_CONTACT.search(line)]


def daemon_log_since(path: str | None, offset: int) -> str:
    if not path or not Path(path).exists():
        return ""
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read().decode(errors="replace")


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="louyu-compose-lane."))
    events = subprocess.Popen(
        ["docker", "events", "--filter", "type=image", "--format", "{{.Action}} {{.Actor.ID}}"],
        stdout=subprocess.PIPE,
        text=True,
    )
    lane: Lane | None = None
    failure: str | None = None
    daemon_log = os.environ.get("LOUYU_LANE_DOCKERD_LOG")  # set when the lane started dockerd --debug
    log_offset = Path(daemon_log).stat().st_size if daemon_log and Path(daemon_log).exists() else 0
    try:
        lane = Lane(work)
        say(f"project {PROJECT}, gateway published on 127.0.0.1:{lane.port}, settings in {lane.env_file}")
        lane.step("docker compose up -d --build", lane.up)
        lane.step("health, ready and the SPA through the published port", lane.check_health)
        lane.step("admin sign-in, a bureau account, a building and an enterprise", lane.check_accounts_and_registry)
        lane.step("a facts batch reaches metrics' KPIs", lane.check_facts_reach_the_kpis)
        lane.step("registry killed: 503 within 2 s, back by the restart policy", lane.check_kill_and_restart)
        lane.step("non-root, read-only containers", lane.check_hardening)
        lane.step("backup.sh and restore.sh through docker compose exec", lane.check_backup_restore)
        lane.step("broken copy: a wrong database password in .env", lane.broken_db_password)
        lane.step("broken copy: a Dockerfile missing a file", lane.broken_dockerfile)
        lane.step("docker compose down within 20 s, every container exiting 0", lane.down)
    except LaneFailure as exc:
        failure = str(exc)
    finally:
        keep = bool(os.environ.get("LOUYU_LANE_KEEP") and failure and lane is not None)
        if keep:
            print(f"kept running: LOUYU_LANE_REUSE={work / '.env'}", file=sys.stderr)
        elif lane is not None:
            lane.cleanup()
        events.terminate()
        seen = events.communicate(timeout=10)[0]
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    pulls = pulls_in(seen)
    if pulls and failure is None:
        failure = f"Docker pulled an image: {pulls}"
    contacts = registry_contacts(daemon_log_since(daemon_log, log_offset))
    if contacts and failure is None:
        failure = "Docker was asked to reach a registry:\n  " + "\n  ".join(contacts[:10])
    if failure:
        print(f"compose lane FAILED: {failure}", file=sys.stderr)
        return 1
    watched = f"{len(seen.splitlines())} image events"
    if daemon_log:
        watched += " and every API call of the daemon's debug log"
    else:
        watched += " (a daemon the lane did not start: its API calls are not logged)"
    say(f"no registry contact: {watched}")
    if lane is not None:
        times = ", ".join(f"{v:.0f} s" for v in lane.timings.values())
        say(f"compose lane passed in {time.monotonic() - STARTED:.0f} s (the steps above: {times})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
