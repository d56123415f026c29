"""Metrics read-model catch-up benchmark (issue #5): how fast metrics reads a city's worth of
registry change events into its read model, from an empty read model (cursor 0).

    .venv/bin/python bench/metrics_sync_bench.py              # SQLite files in a temp dir
    .venv/bin/python bench/metrics_sync_bench.py --postgres   # scratch databases on 127.0.0.1:5432

What it does:

1. fresh registry and metrics databases, migrated;
2. writes a synthetic change feed straight into registry's ``change_event`` table, shaped
   exactly like registry's own events: 2,000 buildings, ~20 spaces each (created, then ~60 %
   leased), 200,000 enterprises, 250,000 stays of which 50,000 ended by an update;
3. starts registry as a real uvicorn subprocess (``louyu_kit.serve``) serving that feed;
4. runs ``python -m metrics sync-once`` (the consumer the metrics process runs in the
   background: pages of 1,000 over HTTP with an internal token, bulk upserts, the rollups'
   hook in each page's transaction) and reports events per second and the process's peak
   memory; then checks the read model's row counts and cursor;
5. appends 10,000 more events (updates) and times the incremental catch-up.

Numbers to report, not a test: the exit status is non-zero only when something did not work.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SEED = 20261126
STREETS = [f"420106{n:03d}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)]
CHUNK = 10_000

for _key in [k for k in os.environ if k.startswith("LOUYU_")]:
    del os.environ[_key]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ----- the synthetic feed -----------------------------------------------------------------------


def credit_code(n: int) -> str:
    from louyu_kit.uscc import make

    return make(f"91420106{n:09d}")


def events(n_buildings: int, spaces_per: int, n_enterprises: int, n_stays: int) -> Iterator[tuple[str, str, str, dict]]:
    """(entity, entity_id, op, data) in the order registry would have written them."""
    rng = random.Random(SEED)
    buildings = [f"420106-{i:04d}" for i in range(1, n_buildings + 1)]
    for i, code in enumerate(buildings):
        yield (
            "building",
            code,
            "create",
            {
                "code": code,
                "name": f"基准大厦{i + 1}",
                "aliases": [],
                "street_code": STREETS[i % len(STREETS)],
                "address": f"基准路{i + 1}号",
                "lng": 114.3 + rng.random() / 10,
                "lat": 30.5 + rng.random() / 10,
                "gfa": round(rng.uniform(20_000, 150_000), -2),
                "leasable_area": round(rng.uniform(15_000, 120_000), -2),
                "stage": "operating",
                "zone": ["", "滨江商务区", "中北路", "华中金融城"][i % 4],
                "themes": [["finance"], ["digital"], [], ["culture", "finance"]][i % 4],
                "chief_username": f"chief{i % 300}",
                "liaison_username": None,
                "is_demo": False,
            },
        )
    space_ids: list[tuple[int, str]] = []
    sid = 0
    for code in buildings:
        for k in range(spaces_per):
            sid += 1
            space_ids.append((sid, code))
            yield (
                "space",
                str(sid),
                "create",
                {
                    "building_code": code,
                    "floor": 1 + k // 4,
                    "unit": f"{1 + k // 4}{k % 4:02d}",
                    "area": 400.0,
                    "status": "vacant",
                    "available_from": None,
                    "asking_rent": None,
                    "note": "",
                },
            )
    codes = [credit_code(n) for n in range(1, n_enterprises + 1)]
    for n, cc in enumerate(codes):
        yield (
            "enterprise",
            cc,
            "create",
            {
                "credit_code": cc,
                "name": f"基准企业{n + 1}有限公司",
                "industry_code": ["6620", "6513", "7484", "5191", "8710"][n % 5],
                "registered_in_district": n % 3 != 0,
                "taxed_in_district": n % 4 != 0,
                "in_statistics": n % 5 == 0,
                "above_scale": n % 7 == 0,
                "is_key": n % 50 == 0,
                "hq_level": None,
                "is_demo": False,
            },
        )
    stays: list[dict[str, Any]] = []
    for stay_id in range(1, n_stays + 1):
        cc = codes[(stay_id - 1) % len(codes)]
        space, building = space_ids[rng.randrange(len(space_ids))]
        start = date(2020, 1, 1) + timedelta(days=rng.randrange(2000))
        data = {
            "credit_code": cc,
            "building_code": building,
            "area": 120.0,
            "start_date": start.isoformat(),
            "end_date": None,
            "spaces": [{"space_id": space, "area": 120.0}],
            "note": "",
        }
        stays.append(data)
        yield "occupancy", str(stay_id), "create", data
        if stay_id % 5 == 0:
            yield "occupancy", str(stay_id), "update", {**data, "end_date": (start + timedelta(days=400)).isoformat()}
    for space, building in space_ids:
        if rng.random() < 0.6:
            yield (
                "space",
                str(space),
                "update",
                {
                    "building_code": building,
                    "floor": 1,
                    "unit": "x",
                    "area": 400.0,
                    "status": "leased",
                    "available_from": None,
                    "asking_rent": None,
                    "note": "",
                },
            )


def write_feed(url: str, items: Iterator[tuple[str, str, str, dict]], *, first_seq: int) -> int:
    """Insert the events after ``first_seq - 1``; returns the last seq."""
    from sqlalchemy import create_engine, insert, text, update

    from registry.db import feed

    engine = create_engine(url)
    now = datetime.now(UTC)
    seq = first_seq - 1
    try:
        if url.startswith("postgresql"):
            raw = engine.raw_connection()
            try:
                cur = raw.cursor()
                with cur.copy(
                    "COPY change_event (seq, entity, entity_id, op, data, actor, request_id, created_at) FROM STDIN"
                ) as copy:
                    for entity, key, op, data in items:
                        seq += 1
                        copy.write_row((seq, entity, key, op, json.dumps(data, ensure_ascii=False), "bench", None, now))
                cur.execute("UPDATE change_seq SET value = %s WHERE id = 1", (seq,))
                raw.commit()
            finally:
                raw.close()
        else:
            with engine.begin() as conn:
                batch: list[dict[str, Any]] = []
                for entity, key, op, data in items:
                    seq += 1
                    batch.append(
                        {
                            "seq": seq,
                            "entity": entity,
                            "entity_id": key,
                            "op": op,
                            "data": data,
                            "actor": "bench",
                            "request_id": None,
                            "created_at": now,
                        }
                    )
                    if len(batch) >= CHUNK:
                        conn.execute(insert(feed.events), batch)
                        batch = []
                if batch:
                    conn.execute(insert(feed.events), batch)
                conn.execute(update(feed.counter).where(feed.counter.c.id == 1).values(value=seq))
            with engine.connect() as conn:
                conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    finally:
        engine.dispose()
    return seq


# ----- databases and servers ----------------------------------------------------------------------


class Databases:
    def __init__(self, workdir: Path, postgres: bool) -> None:
        self.workdir, self.postgres = workdir, postgres
        self.created: list[str] = []
        self.urls: dict[str, str] = {}
        self.admin: Any = None

    def create(self) -> dict[str, str]:
        from louyu_kit.migrations import upgrade

        if self.postgres:
            from sqlalchemy import create_engine, text

            self.admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            run_id = uuid.uuid4().hex[:8]
            for service in ("registry", "metrics"):
                name = f"louyu_bench_{run_id}_{service}"
                with self.admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                self.created.append(name)
                self.urls[service] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        else:
            for service in ("registry", "metrics"):
                self.urls[service] = f"sqlite:///{self.workdir / f'{service}.db'}"
        # The gateway signs metrics' service token (and registry checks it with its JWKS): SQLite is enough.
        self.urls["gateway"] = f"sqlite:///{self.workdir / 'gateway.db'}"
        for service, url in self.urls.items():
            upgrade(ROOT / "services" / service, url)
        return self.urls

    def drop(self) -> None:
        if self.admin is None:
            return
        from sqlalchemy import text

        with self.admin.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def env_for(workdir: Path, urls: dict[str, str], registry_port: int, gateway_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOUYU_")}
    env.update(
        {
            "LOUYU_ENV": "test",
            # Dev keys in the shared data directory: the gateway signs, the others verify with its JWKS.
            "LOUYU_DATA_DIR": str(workdir / "data"),
            "LOUYU_GATEWAY_DATABASE_URL": urls["gateway"],
            "LOUYU_GATEWAY_URL": f"http://127.0.0.1:{gateway_port}",
            "LOUYU_FRONTEND_DIR": str(workdir / "no-frontend"),
            "LOUYU_LOG_LEVEL": "WARNING",
            "LOUYU_REVOCATION_POLL_SECONDS": "0",
            "LOUYU_REGISTRY_DATABASE_URL": urls["registry"],
            "LOUYU_METRICS_DATABASE_URL": urls["metrics"],
            "LOUYU_REGISTRY_URL": f"http://127.0.0.1:{registry_port}",
            "LOUYU_METRICS_SYNC_SECONDS": "0",
        }
    )
    return env


def start_registry(
    port: int, env: dict[str, str], workdir: Path, name: str = "registry", prefix: str = "/api/registry"
) -> subprocess.Popen[bytes]:
    log_file = (workdir / f"{name}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "louyu_kit.serve", f"{name}.main:create_app", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {(workdir / f'{name}.log').read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}{prefix}/ready", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"{name} did not become ready in 60 s")


# ``python -m metrics sync-once`` with the rollups' hook replaced by a no-op: the consumer's share.
WITHOUT_ROLLUPS = (
    "import metrics.rollups.hooks as hooks\n"
    "hooks.on_dimensions_changed = lambda session, **keys: None\n"
    "from metrics.config import get_settings\n"
    "from metrics.sync import cli\n"
    "raise SystemExit(cli.sync_once(get_settings()))\n"
)


def sync_once(env: dict[str, str], *, rollups: bool = True) -> tuple[float, float, str]:
    """Run ``python -m metrics sync-once``; (seconds, peak RSS MB of the child, its output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    command = ["-m", "metrics", "sync-once"] if rollups else ["-c", WITHOUT_ROLLUPS]
    proc = subprocess.run(
        [sys.executable, *command],
        env=env,
        cwd=ROOT / "services" / "metrics",
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"sync-once failed: {proc.stdout}{proc.stderr}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return seconds, peak, proc.stdout.strip()


def consumer_seconds(output: str) -> float:
    """The consumer's own time, from sync-once's line (``…，用时 12.3 秒…``)."""
    found = re.search(r"用时 ([0-9.]+) 秒", output)
    if found is None:
        raise RuntimeError(f"unexpected sync-once output: {output!r}")
    return max(float(found.group(1)), 0.1)


def counts(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            out = {
                t: conn.execute(text(f"SELECT count(*) FROM {t} WHERE NOT deleted")).scalar_one()
                for t in ("rm_building", "rm_space", "rm_enterprise", "rm_occupancy")
            }
            out["cursor"] = conn.execute(text("SELECT cursor FROM sync_state WHERE source = 'registry'")).scalar_one()
            out["ended"] = conn.execute(
                text("SELECT count(*) FROM rm_occupancy WHERE end_date IS NOT NULL")
            ).scalar_one()
            return out
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL scratch databases (default SQLite)")
    parser.add_argument("--buildings", type=int, default=2_000)
    parser.add_argument("--spaces-per-building", type=int, default=20)
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--stays", type=int, default=250_000)
    parser.add_argument(
        "--without-rollups",
        action="store_true",
        help="replace the rollups' hook by a no-op (time the read model alone)",
    )
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="louyu-sync-bench-"))
    dbs = Databases(workdir, args.postgres)
    registry = gateway = None
    try:
        urls = dbs.create()
        log(f"databases: {'PostgreSQL' if args.postgres else 'SQLite'}; writing the feed")
        started = time.perf_counter()
        head = write_feed(
            urls["registry"],
            events(args.buildings, args.spaces_per_building, args.enterprises, args.stays),
            first_seq=1,
        )
        log(f"{head:,} events written in {time.perf_counter() - started:.1f} s")
        port, gateway_port = free_port(), free_port()
        env = env_for(workdir, urls, port, gateway_port)
        gateway = start_registry(gateway_port, env, workdir, name="gateway", prefix="/api/auth")
        registry = start_registry(port, env, workdir)

        seconds, peak, output = sync_once(env, rollups=not args.without_rollups)
        found = counts(urls["metrics"])
        log(output)
        expected = {
            "rm_building": args.buildings,
            "rm_space": args.buildings * args.spaces_per_building,
            "rm_enterprise": args.enterprises,
            "rm_occupancy": args.stays,
            "cursor": head,
            "ended": args.stays // 5,
        }
        if found != expected:
            log(f"read model differs: {found} != {expected}")
            return 1
        what = "read model only (rollups' hook off)" if args.without_rollups else "read model and rollups' hook"
        took = consumer_seconds(output)
        print(
            f"\n{what}: catch-up from an empty read model: {head:,} events in {took:.1f} s "
            f"= {head / took:,.0f} events/s (process with start-up: {seconds:.1f} s); peak memory {peak:.0f} MB"
        )

        rng = random.Random(SEED + 1)
        more = [
            (
                "enterprise",
                credit_code(n),
                "update",
                {
                    "credit_code": credit_code(n),
                    "name": f"基准企业{n}有限公司",
                    "industry_code": "6620",
                    "registered_in_district": True,
                    "taxed_in_district": True,
                    "in_statistics": True,
                    "above_scale": True,
                    "is_key": False,
                    "hq_level": None,
                    "is_demo": False,
                },
            )
            for n in rng.sample(range(1, args.enterprises + 1), min(10_000, args.enterprises))
        ]
        head2 = write_feed(urls["registry"], iter(more), first_seq=head + 1)
        seconds2, _, output2 = sync_once(env, rollups=not args.without_rollups)
        log(output2)
        took2 = consumer_seconds(output2)
        print(
            f"incremental: {head2 - head:,} events in {took2:.1f} s = {(head2 - head) / took2:,.0f} events/s "
            f"(process with start-up: {seconds2:.1f} s)"
        )
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        return 0
    finally:
        for process in (registry, gateway):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        dbs.drop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
