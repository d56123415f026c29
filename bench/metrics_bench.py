"""Metrics benchmark for issue #5 (`make bench`), on PostgreSQL, through the gateway.

    .venv/bin/python bench/metrics_bench.py                  # scratch databases on 127.0.0.1:5432
    .venv/bin/python bench/metrics_bench.py --metrics-url …  # reuse a database gen_city.py filled

What it does:

1. fresh gateway and metrics databases (migrated); ``bench/gen_city.py`` fills the metrics one
   with a city (2,000 buildings, 200,000 enterprises, 36 months × 2 kinds = 14.4M figures);
2. times ``python -m metrics rebuild`` (every rollup from scratch);
3. starts metrics and the gateway as real uvicorn subprocesses (``louyu_kit.serve``); registry and
   tasks are not started (metrics answers its dashboard from its own tables; the feed consumer and
   the goals copy just report them unreachable);
4. a bureau system signs in with client credentials (scope facts:write) and posts batches of
   50,000 rows (25,000 enterprises × tax_total and tax_district for 2026-01): new figures, then
   corrections of the same rows; rows per second per request (target ≥ 20,000) and the metrics
   process's peak memory (VmHWM from /proc, sampled VmRSS while posting; target ≤ 500 MB);
5. a bureau user signs in and calls ``GET /api/metrics/dashboard`` and
   ``GET /api/metrics/rankings/buildings`` for several periods: p50 / p95 / p99 (target p95 ≤ 150 ms).

Numbers to report, not a test: the exit status is non-zero only when something did not work
(a server did not start, a batch was not stored). A 503 from the gateway's read timeout (1.5 s)
is counted as a slow request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_city import generate  # noqa: E402
from registry_bench import PASSWORD, USERNAME, Server, add_bureau_user, free_port, start_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
CLIENT_ID, CLIENT_SECRET = "bench-tax-bureau", "bench-client-secret-" + "s" * 20
BATCH_ROWS = 50_000
INGEST_TARGET = 20_000.0
MEMORY_TARGET_MB = 500.0
LATENCY_TARGET_MS = 150.0
PERIODS = ("2025", "2025-Q4", "2025-06", "2024")

for _key in [k for k in os.environ if k.startswith("LOUYU_")]:
    del os.environ[_key]


def log(message: str) -> None:
    print(f"[metrics-bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# ----- databases and servers -------------------------------------------------------------------


class Scratch:
    """Scratch PostgreSQL databases, dropped at the end unless kept."""

    def __init__(self, keep: bool) -> None:
        from sqlalchemy import create_engine

        subprocess.run(["bash", str(ROOT / "scripts" / "ensure-postgres.sh")], check=True)
        self.admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        self.keep = keep
        self.created: list[str] = []
        self.run_id = uuid.uuid4().hex[:8]

    def database(self, service: str) -> str:
        from sqlalchemy import text

        from louyu_kit.migrations import upgrade

        name = f"louyu_bench_{self.run_id}_{service}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        upgrade(ROOT / "services" / service, url)
        return url

    def drop(self) -> None:
        from sqlalchemy import text

        if not self.keep:
            with self.admin.connect() as conn:
                for name in self.created:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        elif self.created:
            log(f"databases kept: {', '.join(self.created)}")
        self.admin.dispose()


def add_client(url: str) -> None:
    from gateway.accounts.models import ServiceClient
    from gateway.auth.service import hash_client_secret
    from louyu_kit.db import Database

    db = Database.from_url(url)
    try:
        with db.write_sessions() as session:
            session.add(
                ServiceClient(
                    client_id=CLIENT_ID,
                    name="基准测试（税务局）",
                    secret_hash=hash_client_secret(CLIENT_SECRET),
                    scopes=["facts:write"],
                )
            )
            session.commit()
    finally:
        db.dispose()


def env_for(workdir: Path, urls: dict[str, str], ports: dict[str, int]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOUYU_")}
    closed = f"http://127.0.0.1:{free_port()}"
    env.update(
        {
            "LOUYU_ENV": "test",
            "LOUYU_DATA_DIR": str(workdir / "data"),
            "LOUYU_LOG_LEVEL": "INFO",
            "LOUYU_METRICS_DATABASE_URL": urls["metrics"],
            "LOUYU_GATEWAY_DATABASE_URL": urls["gateway"],
            "LOUYU_GATEWAY_URL": f"http://127.0.0.1:{ports['gateway']}",
            "LOUYU_METRICS_URL": f"http://127.0.0.1:{ports['metrics']}",
            "LOUYU_REGISTRY_URL": closed,
            "LOUYU_TASKS_URL": closed,
            "LOUYU_FRONTEND_DIR": str(workdir / "no-frontend"),
        }
    )
    return env


# ----- memory -------------------------------------------------------------------------------


def _status_kb(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class RssSampler:
    """Samples a process's resident memory every 50 ms while running."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak_kb = max(self.peak_kb, _status_kb(self.pid, "VmRSS"))
            except OSError:
                return
            self._stop.wait(0.05)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


# ----- steps ----------------------------------------------------------------------------------


def time_rebuild(url: str) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOUYU_")}
    env.update({"LOUYU_METRICS_DATABASE_URL": url, "LOUYU_ENV": "test"})
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "metrics", "rebuild"], cwd=ROOT, env=env, text=True, capture_output=True
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"python -m metrics rebuild failed:\n{done.stdout[-2000:]}{done.stderr[-4000:]}")
    log(f"rebuild: {done.stdout.strip()}")
    return seconds


def batches(codes: list[str], count: int) -> list[tuple[str, list[dict[str, Any]]]]:
    """(label, rows): new figures for 2026-01 in slices of 25,000 enterprises, then corrections of the first slices."""
    per = BATCH_ROWS // 2
    new = (count + 1) // 2
    out = []
    for k in range(count):
        correction = k >= new
        first = ((k - new) if correction else k) * per
        rows = []
        for n, code in enumerate(codes[first : first + per]):
            tax = 10_000 + (n * 7919) % 900_000 + (123 if correction else 0)
            rows.append({"credit_code": code, "period": "2026-01", "kind": "tax_total", "value": tax})
            rows.append(
                {"credit_code": code, "period": "2026-01", "kind": "tax_district", "value": round(tax * 0.35, 2)}
            )
        out.append(("更正" if correction else "新增", rows))
    return out


def ingest(gateway: httpx.Client, metrics_pid: int, codes: list[str], count: int) -> dict[str, Any]:
    resp = gateway.post(
        "/api/auth/token",
        data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    )
    resp.raise_for_status()
    headers = {"Authorization": f"Bearer {resp.json()['access_token']}"}
    rates: list[float] = []
    before_kb = _status_kb(metrics_pid, "VmRSS")
    with RssSampler(metrics_pid) as sampler:
        for index, (label, rows) in enumerate(batches(codes, count), start=1):
            started = time.perf_counter()
            resp = gateway.post(
                "/api/metrics/facts/batches",
                json={"source": "tax_bureau", "rows": rows},
                headers={**headers, "Idempotency-Key": f"bench-{uuid.uuid4().hex}"},
                timeout=120,
            )
            seconds = time.perf_counter() - started
            if resp.status_code != 201:
                raise RuntimeError(f"batch {index}: {resp.status_code} {resp.text[:500]}")
            body = resp.json()
            if body["accepted"] != len(rows):
                raise RuntimeError(f"batch {index}: only {body['accepted']} of {len(rows)} rows accepted")
            rates.append(len(rows) / seconds)
            log(
                f"  batch {index} ({label}): {len(rows):,} rows in {seconds:.2f} s = {rates[-1]:,.0f} rows/s "
                f"(created {body['created']:,}, updated {body['updated']:,}, unchanged {body['unchanged']:,})"
            )
    return {
        "rates": rates,
        "rss_before_mb": before_kb / 1024,
        "rss_peak_sampled_mb": sampler.peak_kb / 1024,
        "hwm_mb": _status_kb(metrics_pid, "VmHWM") / 1024,
    }


def latency(gateway: httpx.Client, path: str, requests: int) -> dict[str, Any]:
    resp = gateway.post("/api/auth/token", data={"grant_type": "password", "username": USERNAME, "password": PASSWORD})
    resp.raise_for_status()
    headers = {"Authorization": f"Bearer {resp.json()['access_token']}"}
    for period in PERIODS:  # warm-up: connections, caches, plans
        gateway.get(path, params={"period": period}, headers=headers)
    samples: list[float] = []
    slow = errors = 0
    for n in range(requests):
        period = PERIODS[n % len(PERIODS)]
        started = time.perf_counter()
        resp = gateway.get(path, params={"period": period}, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        if resp.status_code == 503:
            slow += 1
        elif resp.status_code != 200:
            errors += 1
            if errors == 1:
                log(f"  {path}?period={period}: {resp.status_code} {resp.text[:300]}")
            continue
        samples.append(elapsed)
    if len(samples) < 2:
        return {
            "path": path,
            "p50": float("nan"),
            "p95": float("nan"),
            "p99": float("nan"),
            "slow": slow,
            "errors": errors,
        }
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return {"path": path, "p50": q[49], "p95": q[94], "p99": q[98], "slow": slow, "errors": errors, "n": len(samples)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Metrics at city scale on PostgreSQL, through the gateway")
    parser.add_argument("--metrics-url", help="reuse a metrics database gen_city.py filled (not dropped)")
    parser.add_argument(
        "--batches", type=int, default=4, help="50,000-row batches to post (half new, half corrections)"
    )
    parser.add_argument("--requests", type=int, default=200, help="requests per latency scenario")
    parser.add_argument("--keep", action="store_true", help="keep the scratch databases")
    parser.add_argument("--buildings", type=int, default=2_000, help="city size (smaller for a quick try)")
    parser.add_argument("--enterprises", type=int, default=200_000, help="city size (at least 25,000)")
    parser.add_argument(
        "--skip-rebuild", action="store_true", help="do not time the rebuild (rollups already built, or a quick try)"
    )
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="louyu-metrics-bench-"))
    scratch = Scratch(keep=args.keep)
    servers: list[Server] = []
    report: dict[str, Any] = {}
    try:
        urls = {"gateway": scratch.database("gateway")}
        if args.metrics_url:
            urls["metrics"] = args.metrics_url
        else:
            urls["metrics"] = scratch.database("metrics")
            started = time.perf_counter()
            log("generating the city (gen_city.py) …")
            generate(
                urls["metrics"], buildings=args.buildings, enterprises=args.enterprises, seed=20261126, replace=False
            )
            report["generate_s"] = time.perf_counter() - started
        add_bureau_user(urls["gateway"])
        add_client(urls["gateway"])

        if not args.skip_rebuild:
            log("rebuilding every rollup (python -m metrics rebuild) …")
            report["rebuild_s"] = time_rebuild(urls["metrics"])

        ports = {"gateway": free_port(), "metrics": free_port()}
        env = env_for(workdir, urls, ports)
        servers.append(start_server("metrics", ports["metrics"], env, workdir, "/api/metrics/ready"))
        servers.append(start_server("gateway", ports["gateway"], env, workdir, "/api/auth/ready"))
        metrics_pid = servers[0].process.pid

        from sqlalchemy import create_engine, text

        engine = create_engine(urls["metrics"])
        with engine.connect() as conn:
            codes = list(conn.scalars(text("SELECT credit_code FROM rm_enterprise ORDER BY credit_code")))
        engine.dispose()

        with httpx.Client(base_url=servers[1].url, timeout=30) as gateway:
            log(f"posting {args.batches} batches of {BATCH_ROWS:,} rows through the gateway …")
            report["ingest"] = ingest(gateway, metrics_pid, codes, args.batches)
            for line in servers[0].log_path.read_text(errors="replace").splitlines():
                if "facts batch" in line:
                    log(f"  metrics: {line[line.index('facts batch') :][:260]}")
            log("letting the rollup worker settle (10 s) …")
            time.sleep(10)
            report["latency"] = [
                latency(gateway, "/api/metrics/dashboard", args.requests),
                latency(gateway, "/api/metrics/rankings/buildings", args.requests),
            ]
    finally:
        for server in reversed(servers):
            server.stop()
        scratch.drop()

    print()
    print("=== metrics benchmark (PostgreSQL, through the gateway) ===")
    if "generate_s" in report:
        print(f"generate city (gen_city.py)          {report['generate_s']:8.1f} s")
    if "rebuild_s" in report:
        print(f"rebuild_all (python -m metrics rebuild) {report['rebuild_s']:6.1f} s")
    ing = report["ingest"]
    rates = ing["rates"]
    median = statistics.median(rates)
    verdict = "PASS" if median >= INGEST_TARGET else "UNDER TARGET"
    print(
        f"ingest 50,000-row batches              median {median:,.0f} rows/s "
        f"(min {min(rates):,.0f}, max {max(rates):,.0f}; target ≥ {INGEST_TARGET:,.0f})  {verdict}"
    )
    peak = max(ing["hwm_mb"], ing["rss_peak_sampled_mb"])
    print(
        f"metrics process memory                 peak {peak:,.0f} MB (VmHWM {ing['hwm_mb']:,.0f} MB, "
        f"before posting {ing['rss_before_mb']:,.0f} MB; target ≤ {MEMORY_TARGET_MB:,.0f} MB)  "
        f"{'PASS' if peak <= MEMORY_TARGET_MB else 'OVER TARGET'}"
    )
    for item in report["latency"]:
        notes = []
        if item["slow"]:
            notes.append(f"{item['slow']} × 503 timeout")
        if item["errors"]:
            notes.append(f"{item['errors']} errors")
        verdict = "PASS" if item["p95"] <= LATENCY_TARGET_MS else "OVER TARGET"
        print(
            f"GET {item['path']:<34} p50 {item['p50']:6.1f} ms  p95 {item['p95']:6.1f} ms  "
            f"p99 {item['p99']:6.1f} ms  {verdict}{' (' + '; '.join(notes) + ')' if notes else ''}"
        )
    print(f"(load average {' '.join(f'{v:.1f}' for v in os.getloadavg())}; machine shared with other work)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
