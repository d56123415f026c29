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
# Issue #19's goals (issue #5's were 20,000 rows/s and 500 MB).
INGEST_TARGET = 50_000.0
MEMORY_TARGET_MB = 300.0
LATENCY_TARGET_MS = 150.0
REBUILD_TARGET_S = 60.0
FRESHNESS_TARGET_S = 5.0
FIRST_READ_TARGET_MS = 1_000.0
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


def batches(codes: list[str], count: int, *, salt: int = 0) -> list[tuple[str, list[dict[str, Any]]]]:
    """(label, rows): new figures for 2026-01 in slices of 25,000 enterprises, then corrections of the first slices
    (``salt`` changes every value, so a reused city changes on every run)."""
    per = BATCH_ROWS // 2
    new = (count + 1) // 2
    out = []
    for k in range(count):
        correction = k >= new
        first = ((k - new) if correction else k) * per
        rows = []
        for n, code in enumerate(codes[first : first + per]):
            tax = 10_000 + (n * 7919) % 900_000 + (123 if correction else 0) + salt
            rows.append({"credit_code": code, "period": "2026-01", "kind": "tax_total", "value": tax})
            rows.append(
                {"credit_code": code, "period": "2026-01", "kind": "tax_district", "value": round(tax * 0.35, 2)}
            )
        out.append(("更正" if correction else "新增", rows))
    return out


class KpiReader:
    """A bureau user polling the district's 2026-01 KPIs: when a batch is in them."""

    def __init__(self, gateway: httpx.Client) -> None:
        self.gateway = gateway
        resp = gateway.post(
            "/api/auth/token", data={"grant_type": "password", "username": USERNAME, "password": PASSWORD}
        )
        resp.raise_for_status()
        self.headers = {"Authorization": f"Bearer {resp.json()['access_token']}"}

    def value(self) -> tuple[float | None, float]:
        started = time.perf_counter()
        resp = self.gateway.get("/api/metrics/kpis", params={"period": "2026-01"}, headers=self.headers)
        elapsed = (time.perf_counter() - started) * 1000
        if resp.status_code != 200:
            return None, elapsed
        return resp.json()["tax_total"], elapsed

    def wait_for_change(self, before: float | None, timeout: float = 300.0) -> dict[str, Any]:
        """Seconds from now (the 201) until the KPIs show a value other than ``before``, and how
        long that first changed answer took (the first answer after a change)."""
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            value, elapsed = self.value()
            if value is not None and value != before:
                return {"seconds": time.perf_counter() - started, "first_ms": elapsed, "value": value}
            time.sleep(0.1)
        return {"seconds": float("inf"), "first_ms": float("nan"), "value": before}


def ingest(
    gateway: httpx.Client, metrics_pid: int, codes: list[str], count: int, *, reader: KpiReader | None = None
) -> dict[str, Any]:
    freshness: list[float] = []
    first_after_change: list[float] = []
    before = reader.value()[0] if reader is not None else None
    resp = gateway.post(
        "/api/auth/token",
        data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    )
    resp.raise_for_status()
    headers = {"Authorization": f"Bearer {resp.json()['access_token']}"}
    rates: list[float] = []
    before_kb = _status_kb(metrics_pid, "VmRSS")
    with RssSampler(metrics_pid) as sampler:
        for index, (label, rows) in enumerate(batches(codes, count, salt=int(time.time()) % 997), start=1):
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
            if reader is not None:
                fresh = reader.wait_for_change(before)
                freshness.append(fresh["seconds"])
                first_after_change.append(fresh["first_ms"])
                log(
                    f"    in the KPIs {fresh['seconds']:.2f} s after its 201 "
                    f"(first answer after the change {fresh['first_ms']:.0f} ms)"
                )
                before = fresh["value"]
    return {
        "freshness": freshness,
        "first_after_change_ms": first_after_change,
        "rates": rates,
        "rss_before_mb": before_kb / 1024,
        "rss_peak_sampled_mb": sampler.peak_kb / 1024,
        "hwm_mb": _status_kb(metrics_pid, "VmHWM") / 1024,
    }


def latency(gateway: httpx.Client, path: str, requests: int) -> dict[str, Any]:
    resp = gateway.post("/api/auth/token", data={"grant_type": "password", "username": USERNAME, "password": PASSWORD})
    resp.raise_for_status()
    headers = {"Authorization": f"Bearer {resp.json()['access_token']}"}
    first: list[float] = []
    for period in PERIODS:  # warm-up: connections, caches, plans; the first read of each period is kept
        started = time.perf_counter()
        gateway.get(path, params={"period": period}, headers=headers)
        first.append((time.perf_counter() - started) * 1000)
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
            "first_max": max(first),
        }
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return {
        "path": path,
        "p50": q[49],
        "p95": q[94],
        "p99": q[98],
        "slow": slow,
        "errors": errors,
        "n": len(samples),
        "first_max": max(first),
    }


def reads_during_rebuild(gateway: httpx.Client, url: str) -> dict[str, Any]:
    """A second ``python -m metrics rebuild`` while a bureau user reads the dashboard over and
    over: the rebuild's seconds, and the reads' p95 / max and failures (503s and errors)."""
    resp = gateway.post("/api/auth/token", data={"grant_type": "password", "username": USERNAME, "password": PASSWORD})
    resp.raise_for_status()
    headers = {"Authorization": f"Bearer {resp.json()['access_token']}"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOUYU_")}
    env.update({"LOUYU_METRICS_DATABASE_URL": url, "LOUYU_ENV": "test"})
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "metrics", "rebuild"],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    samples: list[float] = []
    failures = 0
    n = 0
    while proc.poll() is None:
        period = PERIODS[n % len(PERIODS)]
        n += 1
        t0 = time.perf_counter()
        resp = gateway.get("/api/metrics/dashboard", params={"period": period}, headers=headers)
        samples.append((time.perf_counter() - t0) * 1000)
        if resp.status_code != 200:
            failures += 1
        time.sleep(0.2)
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"python -m metrics rebuild failed:\n{out[-2000:]}{err[-4000:]}")
    log(f"rebuild under reads: {out.strip()}")
    q = statistics.quantiles(samples, n=100, method="inclusive") if len(samples) >= 2 else [float("nan")] * 99
    return {
        "seconds": seconds,
        "p95": q[94],
        "max": max(samples) if samples else float("nan"),
        "n": len(samples),
        "failures": failures,
    }


def _row(figure: str, measured: str, goal: str, ok: bool | None) -> str:
    result = "—" if ok is None else ("PASS" if ok else "FAIL")
    return f"| {figure} | {measured} | {goal} | {result} |"


def print_table(report: dict[str, Any]) -> None:
    """Every figure of issue #19 measured here, its goal and PASS / FAIL, as one markdown table."""
    rows = ["| Figure | Measured | Goal | Result |", "|---|---|---|---|"]
    if "rebuild_s" in report:
        rows.append(
            _row(
                "Rebuild (`python -m metrics rebuild`)",
                f"{report['rebuild_s']:.1f} s",
                "≤ 60 s",
                report["rebuild_s"] <= REBUILD_TARGET_S,
            )
        )
    under = report.get("under_rebuild")
    if under:
        rows.append(
            _row(
                "Rebuild while the dashboard is read",
                f"{under['seconds']:.1f} s",
                "≤ 60 s",
                under["seconds"] <= REBUILD_TARGET_S,
            )
        )
        rows.append(
            _row(
                "Dashboard during a rebuild (p95 / max, failures)",
                f"{under['p95']:.0f} / {under['max']:.0f} ms, {under['failures']} of {under['n']} failed",
                "p95 ≤ 150 ms, none failed",
                under["p95"] <= LATENCY_TARGET_MS and under["failures"] == 0,
            )
        )
    ing = report["ingest"]
    if ing["freshness"]:
        fresh = statistics.median(ing["freshness"])
        spread = ", ".join(f"{v:.1f}" for v in ing["freshness"])
        rows.append(
            _row(
                "50,000-row batch in the KPIs after its 201 (median)",
                f"{fresh:.2f} s ({spread})",
                "≤ 5 s",
                fresh <= FRESHNESS_TARGET_S,
            )
        )
        first = max(ing["first_after_change_ms"])
        rows.append(
            _row("First KPI answer after a change (max)", f"{first:.0f} ms", "≤ 1 s", first <= FIRST_READ_TARGET_MS)
        )
    rows.append(_row("Registry edit in metrics' figures", "not measured here", "≤ 2 s", None))
    for item in report["latency"]:
        rows.append(
            _row(
                f"First `{item['path']}` of each period (max of {len(PERIODS)})",
                f"{item['first_max']:.0f} ms",
                "≤ 1 s",
                item["first_max"] <= FIRST_READ_TARGET_MS,
            )
        )
    rates = ing["rates"]
    median = statistics.median(rates)
    rows.append(
        _row(
            "Ingest through the gateway (median of batches)",
            f"{median:,.0f} rows/s ({min(rates):,.0f}–{max(rates):,.0f})",
            "≥ 50,000 rows/s",
            median >= INGEST_TARGET,
        )
    )
    peak = max(ing["hwm_mb"], ing["rss_peak_sampled_mb"])
    rows.append(
        _row("Metrics process peak memory while ingesting", f"{peak:,.0f} MB", "≤ 300 MB", peak <= MEMORY_TARGET_MB)
    )
    for item in report["latency"]:
        notes = f" ({item['slow']} × 503)" if item["slow"] else ""
        rows.append(
            _row(
                f"`{item['path']}` p50 / p95 / p99{notes}",
                f"{item['p50']:.0f} / {item['p95']:.0f} / {item['p99']:.0f} ms",
                "p95 ≤ 150 ms",
                item["p95"] <= LATENCY_TARGET_MS and not item["errors"],
            )
        )
    rows.append(_row("Exports (streamed .xlsx / CSV)", "measured by the exports' own bench", "see it", None))
    rows.append(_row("1× / 2× / 4× city scale growth", "not measured (one city only)", "flat where it should be", None))
    print("\n".join(rows))
    print(f"\nLoad average {' '.join(f'{v:.1f}' for v in os.getloadavg())} (2 cores, shared with other work).")


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
    parser.add_argument(
        "--skip-rebuild-under-reads", action="store_true", help="do not time a second rebuild while reading"
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
        # The gateway first: a service is ready only with a fresh revocation list from it. A loaded
        # shared machine can take more than a minute to start a service.
        gateway_server = start_server("gateway", ports["gateway"], env, workdir, "/api/auth/ready", timeout=300)
        servers.append(gateway_server)
        metrics_server = start_server("metrics", ports["metrics"], env, workdir, "/api/metrics/ready", timeout=300)
        servers.append(metrics_server)
        metrics_pid = metrics_server.process.pid

        from sqlalchemy import create_engine, text

        engine = create_engine(urls["metrics"])
        with engine.connect() as conn:
            codes = list(conn.scalars(text("SELECT credit_code FROM rm_enterprise ORDER BY credit_code")))
        engine.dispose()

        with httpx.Client(base_url=gateway_server.url, timeout=30) as gateway:
            log(f"posting {args.batches} batches of {BATCH_ROWS:,} rows through the gateway …")
            report["ingest"] = ingest(gateway, metrics_pid, codes, args.batches, reader=KpiReader(gateway))
            for line in metrics_server.log_path.read_text(errors="replace").splitlines():
                if "facts batch" in line:
                    log(f"  metrics: {line[line.index('facts batch') :][:260]}")
            log("letting the rollup worker settle (10 s) …")
            time.sleep(10)
            report["latency"] = [
                latency(gateway, "/api/metrics/dashboard", args.requests),
                latency(gateway, "/api/metrics/rankings/buildings", args.requests),
            ]
            if not args.skip_rebuild_under_reads:
                log("a second rebuild while the dashboard is read …")
                report["under_rebuild"] = reads_during_rebuild(gateway, urls["metrics"])
    finally:
        for server in reversed(servers):
            server.stop()
        scratch.drop()

    print()
    print("=== metrics benchmark (PostgreSQL, through the gateway; issue #19) ===")
    if "generate_s" in report:
        print(f"(city generated by gen_city.py in {report['generate_s']:.0f} s)")
    print()
    print_table(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
