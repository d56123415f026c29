"""The load lane of issue #24 (`make bench-load`): a benchmark printing numbers, not a test.

    .venv/bin/python bench/load.py                      # SQLite, 100/300/1,000 users, 60 s each
    .venv/bin/python bench/load.py --postgres           # the same on the local PostgreSQL
    .venv/bin/python bench/load.py --seconds 20 --users 100,300   # shorter, to try it

It starts its own product the way `make run` does (scripts/run.py via tests/stack.py) on free
ports and a temporary data directory (PostgreSQL: scratch databases, dropped afterwards), signs
the demo users in, and runs Locust (bench/load_locustfile.py) headless:

1. the cached dashboard through the gateway, 200 users without think time;
2. the real mix (leaders, bureau, street users, 楼长 submitting visits, a bureau system posting a
   50,000-row facts batch meanwhile) with think times, at each number of users;
3. a burst: 1,000 users without think time on one route for 20 s, while every service's /health
   is asked every 0.25 s, and how long until a normal request is served again afterwards.

It prints the three goals of the issue with PASS/FAIL and the machine's load. The load generator
runs on the same machine (2 cores here): its CPU is taken from the product's, so the figures are
a floor of what the product does on its own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("kit", "gateway", "registry", "tasks", "metrics")
# The product and Locust import this tree's services (not another checkout's editable install).
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT / "services" / s) for s in SERVICES] + [os.environ.get("PYTHONPATH", "")]
).rstrip(os.pathsep)
sys.path[:0] = [str(ROOT)] + [str(ROOT / "services" / s) for s in SERVICES]

from louyu_kit.uscc import check_character  # noqa: E402
from tests.stack import RunningProduct, start_product  # noqa: E402

CLIENT_ID, CLIENT_SECRET = "load-bench-tax", "load-bench-secret-" + "x" * 24
SHED = {"Overloaded", "Busy"}
HEALTH = {"gateway": "/api/auth/health", "registry": "/api/registry/health", "tasks": "/api/tasks/health"}
HEALTH["metrics"] = "/api/metrics/health"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ----- the product ----------------------------------------------------------------------------


class Postgres:
    """Scratch databases louyu_load_<pid>_<service> on the local server, dropped afterwards."""

    def __init__(self) -> None:
        from sqlalchemy import create_engine

        self.admin_url = os.environ.get("LOUYU_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
        self.engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self.names = {s: f"louyu_load_{os.getpid()}_{s}" for s in ("gateway", "registry", "tasks", "metrics")}

    def create(self) -> dict[str, str]:
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        env = {}
        with self.engine.connect() as conn:
            for service, name in self.names.items():
                conn.execute(text(f'CREATE DATABASE "{name}"'))
                url = make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)
                env[f"LOUYU_{service.upper()}_DATABASE_URL"] = url
        return env

    def drop(self) -> None:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            for name in self.names.values():
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def start(
    workdir: Path, pg: Postgres | None, attempts: int = 3, workers: int = 1
) -> tuple[RunningProduct, dict[str, str]]:
    """The product as `make run` starts it (its launcher gives each service 60 s to be ready: on a
    crowded machine that can fail, so try again with fresh data)."""
    for attempt in range(1, attempts + 1):
        data = workdir / f"data-{attempt}"
        if pg is not None:
            pg.drop()
        extra = pg.create() if pg is not None else {}
        try:
            env = {**extra, "LOUYU_DATA_DIR": str(data), "LOUYU_WORKERS": str(workers)}
            product = start_product(data, extra_env=env, timeout=300)
            product.data_dir = data  # type: ignore[attr-defined]
            return product, extra
        except RuntimeError as exc:
            if attempt == attempts:
                raise
            log(f"the product did not start (attempt {attempt}): {str(exc).splitlines()[-1]}; trying again")
    raise AssertionError("unreachable")


def demo_password(product: RunningProduct) -> str:
    for line in product.output:
        if "演示账号密码" in line:
            return line.split("：", 1)[1].strip()
    raise RuntimeError("the demo accounts' password was not printed:\n" + "".join(product.output[-30:]))


def add_client(gateway_url: str) -> None:
    from gateway.accounts.models import ServiceClient
    from gateway.auth.service import hash_client_secret
    from louyu_kit.db import Database

    db = Database.from_url(gateway_url)
    try:
        with db.write_sessions() as session:
            session.add(
                ServiceClient(
                    client_id=CLIENT_ID,
                    name="压测（税务局）",
                    secret_hash=hash_client_secret(CLIENT_SECRET),
                    scopes=["facts:write"],
                )
            )
            session.commit()
    finally:
        db.dispose()


def enterprise_codes(registry_url: str) -> list[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(registry_url)
    try:
        with engine.connect() as conn:
            return [row[0] for row in conn.execute(text("SELECT credit_code FROM enterprise ORDER BY credit_code"))]
    finally:
        engine.dispose()


def batch_rows(codes: list[str], rows: int = 50_000) -> list[dict[str, Any]]:
    """50,000 rows of the tax bureau: both kinds for the registry's enterprises, month after month
    back from 2025-12, and invented enterprises (valid codes) when those run out."""
    codes = list(codes)
    n = 0
    while len(codes) * 2 * 48 < rows:  # at most 4 years back
        first17 = f"91420106LD{n:07d}"
        codes.append(first17 + check_character(first17))
        n += 1
    out: list[dict[str, Any]] = []
    year, month = 2025, 12
    while len(out) < rows:
        period = f"{year}-{month:02d}"
        for code in codes:
            tax = 10_000 + random.randint(0, 900_000)
            out.append({"credit_code": code, "period": period, "kind": "tax_total", "value": tax})
            out.append({"credit_code": code, "period": period, "kind": "tax_district", "value": round(tax * 0.35, 2)})
            if len(out) >= rows:
                break
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[:rows]


def sign_in(http: httpx.Client, password: str) -> dict[str, str]:
    users = {"leader": "demo_leader", "bureau": "demo_bureau", "street": "demo_street", "chief": "demo_chief03"}
    tokens = {}
    for role, username in users.items():
        resp = http.post("/api/auth/token", data={"grant_type": "password", "username": username, "password": password})
        resp.raise_for_status()
        tokens[role] = resp.json()["access_token"]
    resp = http.post(
        "/api/auth/token",
        data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    )
    resp.raise_for_status()
    tokens["system"] = resp.json()["access_token"]
    return tokens


def codes_of(http: httpx.Client, token: str) -> list[str]:
    resp = http.get("/api/registry/buildings", params={"page_size": 200}, headers={"Authorization": f"Bearer {token}"})
    resp.raise_for_status()
    return [b["code"] for b in resp.json()["items"]]


def words_of(http: httpx.Client, token: str) -> list[str]:
    resp = http.get(
        "/api/registry/enterprises", params={"page_size": 100}, headers={"Authorization": f"Bearer {token}"}
    )
    resp.raise_for_status()
    names = [e["name"] for e in resp.json()["items"] if len(e.get("name", "")) >= 4]
    return sorted({name[:2] for name in names} | {name[2:4] for name in names})[:40] or ["有限"]


# ----- runs -----------------------------------------------------------------------------------


@dataclass
class Run:
    records: list[tuple[float, str, str, int, float, str]]
    seconds: float
    load: tuple[float, float, float]
    health: dict[str, list[tuple[float, float, int]]] = field(default_factory=dict)

    def api(self) -> list[tuple[float, str, str, int, float, str]]:
        return [r for r in self.records if "facts/batches" not in r[2]]

    def rate(self) -> float:
        return len(self.records) / self.seconds if self.seconds else 0.0


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class HealthProbe:
    """Asks every service's /health directly every 0.25 s: (time, seconds, status)."""

    def __init__(self, ports: dict[str, int]) -> None:
        self.ports = ports
        self.samples: dict[str, list[tuple[float, float, int]]] = {name: [] for name in ports}
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(name,), daemon=True) for name in ports]

    def _run(self, name: str) -> None:
        url = f"http://127.0.0.1:{self.ports[name]}{HEALTH[name]}"
        with httpx.Client(timeout=5) as http:
            while not self.stop.is_set():
                started = time.perf_counter()
                try:
                    status = http.get(url).status_code
                except httpx.HTTPError:
                    status = 0
                self.samples[name].append((time.time(), time.perf_counter() - started, status))
                self.stop.wait(0.25)

    def __enter__(self) -> HealthProbe:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=10)


def locust(
    product: RunningProduct, config: dict[str, Any], classes: list[str], users: int, rate: float, seconds: int
) -> Run:
    workdir = Path(config["workdir"])
    out = workdir / f"records-{classes[0]}-{users}-{time.time_ns()}.json"
    env = {**os.environ, "LOAD_CONFIG": json.dumps({**config, "out": str(out)})}
    cmd = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "bench" / "load_locustfile.py"),
        "--headless",
        "--host",
        product.url,
        "-u",
        str(users),
        "-r",
        str(rate),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--only-summary",
        "--loglevel",
        "ERROR",
        *classes,
    ]
    started = time.monotonic()
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 240)
    elapsed = time.monotonic() - started
    if not out.exists():
        raise RuntimeError(f"locust wrote no records (exit {done.returncode}):\n{done.stderr[-3000:]}")
    records = [tuple(r) for r in json.loads(out.read_text())]
    out.unlink()
    return Run(records=records, seconds=min(elapsed, seconds + 10), load=os.getloadavg())  # type: ignore[arg-type]


def summarise(run: Run) -> dict[str, Any]:
    api = run.api()
    times = [r[4] for r in api if r[3]]
    shed = sum(1 for r in api if r[3] == 503 and r[5] in SHED)
    other_5xx = sum(1 for r in api if r[3] >= 500 and not (r[3] == 503 and r[5] in SHED))
    lost = sum(1 for r in api if r[3] == 0)
    writes = [r for r in api if r[1] == "POST"]
    answered_writes = sum(1 for r in writes if r[3])
    batches = [r for r in run.records if "facts/batches" in r[2]]
    # Answered with the figures (2xx, or 304 to a client that has them): a shed 503 is fast but serves nobody.
    served = [r for r in api if 200 <= r[3] < 300 or r[3] == 304]
    return {
        "requests": len(api),
        "rate": len(api) / run.seconds if run.seconds else 0.0,
        "served": len(served),
        "served_rate": len(served) / run.seconds if run.seconds else 0.0,
        "served_p99": pct([r[4] for r in served], 99),
        "p50": pct(times, 50),
        "p95": pct(times, 95),
        "p99": pct(times, 99),
        "shed": shed,
        "shed_share": shed / len(api) if api else 0.0,
        "other_5xx": other_5xx,
        "lost": lost,
        "writes": len(writes),
        "writes_answered": answered_writes,
        "writes_ok": sum(1 for r in writes if 200 <= r[3] < 300),
        "batch": [(r[3], round(r[4] / 1000, 1)) for r in batches],
        "errors": sorted({f"{r[3]} {r[5]} {r[2]}" for r in api if r[3] >= 500 or r[3] == 0})[:8],
        "load": run.load,
    }


# ----- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/load.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true", help="run the product on the local PostgreSQL")
    parser.add_argument("--users", default="100,300,1000", help="users of the mixed scenario, comma separated")
    parser.add_argument("--seconds", type=int, default=60, help="length of each mixed run")
    parser.add_argument("--dashboard-seconds", type=int, default=20)
    parser.add_argument("--burst-seconds", type=int, default=20)
    parser.add_argument("--burst-users", type=int, default=1000)
    parser.add_argument("--burst-path", default="/api/registry/buildings")
    parser.add_argument("--workers", type=int, default=1, help="LOUYU_WORKERS: processes per service")
    parser.add_argument("--skip", default="", help="parts to skip: dashboard,mixed,burst")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}

    workdir = Path(tempfile.mkdtemp(prefix="louyu-load-"))
    pg = Postgres() if args.postgres else None
    product = None
    report: dict[str, Any] = {
        "database": "postgres" if pg else "sqlite",
        "cores": os.cpu_count(),
        "workers": args.workers,
    }
    try:
        log(f"starting the product ({report['database']}, data in {workdir}) …")
        product, extra = start(workdir, pg, workers=args.workers)
        password = demo_password(product)
        data = product.data_dir  # type: ignore[attr-defined]
        gw_url = extra.get("LOUYU_GATEWAY_DATABASE_URL") or f"sqlite:///{data / 'gateway.db'}"
        reg_url = extra.get("LOUYU_REGISTRY_DATABASE_URL") or f"sqlite:///{data / 'registry.db'}"
        add_client(gw_url)
        batch_file = workdir / "batch.json"
        batch_file.write_text(
            json.dumps({"source": "tax_bureau", "rows": batch_rows(enterprise_codes(reg_url))}), encoding="utf-8"
        )
        with httpx.Client(base_url=product.url, timeout=30) as http:
            tokens = sign_in(http, password)
            config = {
                "workdir": str(workdir),
                "tokens": tokens,
                "buildings": codes_of(http, tokens["bureau"]),
                "street_buildings": codes_of(http, tokens["street"]),
                "chief_building": codes_of(http, tokens["chief"])[0],
                "words": words_of(http, tokens["bureau"]),
                "batch_file": str(batch_file),
                "burst_path": args.burst_path,
            }
            for _ in range(3):  # warm the caches
                http.get("/api/metrics/dashboard", headers={"Authorization": f"Bearer {tokens['leader']}"})
        log(f"signed in; {len(config['buildings'])} buildings, {len(config['words'])} search words")

        if "dashboard" not in skip:
            log(f"goal 1: cached dashboard, 200 users without think time, {args.dashboard_seconds} s …")
            run = locust(product, config, ["DashboardUser"], 200, 100, args.dashboard_seconds)
            report["dashboard"] = summarise(run)
            log(_line("dashboard 200 users", report["dashboard"]))

        report["mixed"] = {}
        if "mixed" not in skip:
            for users in [int(u) for u in args.users.split(",") if u.strip()]:
                log(f"goal 2: mixed scenario, {users} users, {args.seconds} s …")
                run = locust(
                    product,
                    config,
                    ["LeaderUser", "BureauUser", "StreetUser", "ChiefUser", "BureauSystem"],
                    users,
                    max(10, users / 10),
                    args.seconds,
                )
                report["mixed"][users] = summarise(run)
                log(_line(f"mixed {users} users", report["mixed"][users]))

        if "burst" not in skip:
            log(f"goal 3: burst, {args.burst_users} users on {args.burst_path}, {args.burst_seconds} s …")
            with HealthProbe(product.ports) as probe:
                started = time.time()
                run = locust(product, config, ["BurstUser"], args.burst_users, args.burst_users, args.burst_seconds)
                ended = time.time()
                recovered = recovery(product, config, args.burst_path)
                time.sleep(5)
            burst = summarise(run)
            shed_ms = [r[4] for r in run.records if r[3] == 503 and r[5] in SHED]
            burst["shed_p99_ms"] = pct(shed_ms, 99)
            burst["shed_p50_ms"] = pct(shed_ms, 50)
            burst["timeouts"] = sum(1 for r in run.records if r[3] == 0)
            burst["recovered_s"] = recovered
            burst["health_max_s"] = {
                name: max((s[1] if s[2] == 200 else 99.0) for s in samples if s[0] >= started - 1)
                for name, samples in probe.samples.items()
            }
            burst["health_after_max_s"] = {
                name: max(((s[1] if s[2] == 200 else 99.0) for s in samples if s[0] >= ended), default=float("nan"))
                for name, samples in probe.samples.items()
            }
            report["burst"] = burst
            log(_line("burst", burst))
    finally:
        if product is not None:
            product.stop()
        if pg is not None:
            pg.drop()
            pg.engine.dispose()
        shutil.rmtree(workdir, ignore_errors=True)

    print_goals(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    return 0


def recovery(product: RunningProduct, config: dict[str, Any], path: str) -> float:
    """Seconds after the burst until a normal request of the route is answered 200."""
    started = time.monotonic()
    with httpx.Client(base_url=product.url, timeout=10) as http:
        while time.monotonic() - started < 60:
            try:
                resp = http.get(path, headers={"Authorization": f"Bearer {config['tokens']['bureau']}"})
                if resp.status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
    return float("inf")


def _line(label: str, s: dict[str, Any]) -> str:
    return (
        f"  {label}: {s['requests']:,} requests, {s['rate']:,.0f} req/s ({s['served_rate']:,.0f} served), "
        f"p50 {s['p50']:.0f} ms, p95 {s['p95']:.0f} ms, "
        f"p99 {s['p99']:.0f} ms, shed {s['shed']:,} ({s['shed_share']:.1%}), other 5xx {s['other_5xx']}, "
        f"lost {s['lost']}, load {s['load'][0]:.1f} {' '.join(s['errors'][:3])}"
    )


def print_goals(report: dict[str, Any]) -> None:
    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    print()
    print(
        f"Load lane (issue #24) on {report['database']}, {report['cores']} cores, {report['workers']} worker "
        "process(es) per service; the load generator (Locust)"
    )
    print("runs on the same cores as the product, so these are floors of what the product does alone.")
    print()
    if "dashboard" in report:
        d = report["dashboard"]
        # Judged on answers served (200/304), not on requests shed with a 503.
        ok = d["served_rate"] >= 1000 and d["p99"] <= 300
        print(
            f"goal 1  cached dashboard via gateway, 200 users:   {d['served_rate']:,.0f} req/s served "
            f"({d['rate']:,.0f} answered, {d['shed_share']:.1%} shed), p50 {d['p50']:.0f} ms, "
            f"p99 {d['p99']:.0f} ms (≥ 1,000 req/s served, p99 ≤ 300 ms)  {verdict(ok)}   load {d['load'][0]:.1f}"
        )
    for users, m in report.get("mixed", {}).items():
        ok = m["p95"] <= 1000 and m["other_5xx"] == 0 and m["shed_share"] <= 0.01 and m["lost"] == 0
        goal = "p95 ≤ 1 s, 0 × 5xx, shed ≤ 1 %, no write lost"
        judged = verdict(ok) if users == 1000 else ("ok" if ok else "over")
        print(
            f"goal 2  mixed {users:>5} users: {m['rate']:,.0f} req/s, p50 {m['p50']:.0f} ms, p95 {m['p95']:.0f} ms, "
            f"shed {m['shed_share']:.2%}, other 5xx {m['other_5xx']}, writes {m['writes_ok']}/{m['writes']} ok, "
            f"{m['writes'] - m['writes_answered']} unanswered, batch {m['batch']} ({goal})  {judged}   "
            f"load {m['load'][0]:.1f}"
        )
    if "burst" in report:
        b = report["burst"]
        health = max(b["health_max_s"].values())
        ok = b["timeouts"] == 0 and b["shed_p99_ms"] <= 100 and health <= 1.0 and b["recovered_s"] <= 5
        print(
            f"goal 3  burst: {b['requests']:,} requests, {b['shed']:,} shed 503 (p50 {b['shed_p50_ms']:.0f} ms, "
            f"p99 {b['shed_p99_ms']:.0f} ms), {b['timeouts']} time-outs, other 5xx {b['other_5xx']}; /health max "
            + ", ".join(f"{k} {v:.2f} s" for k, v in b["health_max_s"].items())
            + f"; served again {b['recovered_s']:.1f} s after (no time-outs, 503 ≤ 100 ms, health ≤ 1 s, ≤ 5 s)"
            f"  {verdict(ok)}   load {b['load'][0]:.1f}"
        )
    print(f"machine load now (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    sys.exit(main())
