"""Tasks benchmark for issue #4 (`make bench`): importing the real plan, and "my unit's tasks"
with 5,000 tasks in the system.

    .venv/bin/python bench/tasks_bench.py              # SQLite file in a temp dir
    .venv/bin/python bench/tasks_bench.py --postgres   # a scratch database on 127.0.0.1:5432

What it does:

1. a fresh tasks database, migrated with ``louyu_kit.migrations.upgrade``;
2. starts the tasks service as a real uvicorn subprocess (``louyu_kit.serve``) and calls it
   straight (no gateway) with a bureau or department token signed with the bench secret;
3. import of the real plan (``tests/tasks/data/wuchang-plan-2025.txt``): 20 previews and 20
   saves (each save a new 文号), timed per request; target ≤ 200 ms;
4. bulk-loads (SQLAlchemy Core) plans up to 5,000 tasks in the system, each with a lead and
   2–4 co-organisers among the directory's departments and streets, random due dates and
   progress; the department measured (区发改局, ``fgj``) holds about one task in nine;
5. 300 requests per scenario after a warm-up: ``GET /tasks/mine`` (page 1 by due date),
   ``GET /tasks/mine?light=red`` (lights computed per request), and the bureau's
   ``GET /tasks?unit=fgj``; p50 / p95 / p99 / max; target p95 ≤ 50 ms.

Numbers to report, not a test: the exit status is non-zero only when something did not work.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PLAN = ROOT / "tests" / "tasks" / "data" / "wuchang-plan-2025.txt"
N_TASKS = 5_000
IMPORT_TARGET_MS = 200.0
LIST_TARGET_MS = 50.0
SEED = 20261126

for _key in [k for k in os.environ if k.startswith("LOUYU_")]:
    del os.environ[_key]

sys.path[:0] = [str(ROOT / "services" / "kit"), str(ROOT / "services" / "tasks")]

from sqlalchemy import create_engine, insert, select, text  # noqa: E402

from louyu_kit.migrations import upgrade  # noqa: E402
from louyu_kit.tokens import ACCESS, TokenCodec, generate_private_key_pem, public_jwk  # noqa: E402

# The bench stands in for the gateway: it signs, tasks verifies with the public key (a file).
JWT_KEY = generate_private_key_pem()


def log(message: str) -> None:
    print(f"[tasks-bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def headers(username: str, role: str, org: str | None) -> dict[str, str]:
    codec = TokenCodec(key=JWT_KEY, issuer="louyu-gateway", audience="louyu-api")
    claims: dict[str, Any] = {"kind": "user", "sid": f"bench-{username}", "roles": [role], "streets": []}
    if org:
        claims["org"] = org
    return {"Authorization": f"Bearer {codec.issue(sub=username, typ=ACCESS, ttl_seconds=3600, claims=claims).token}"}


def pct(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(name: str, values: list[float], target: float) -> str:
    p95 = pct(values, 95)
    verdict = "OK" if p95 <= target else "MISSED"
    return (
        f"{name:<44} n={len(values):<4} p50={statistics.median(values):7.1f} ms  p95={p95:7.1f} ms  "
        f"p99={pct(values, 99):7.1f} ms  max={max(values):7.1f} ms  target p95 ≤ {target:.0f} ms: {verdict}"
    )


def load_tasks(url: str, total: int) -> int:
    """Plans of 500 tasks each until ``total`` tasks exist; returns how many hold ``fgj``."""
    from tasks import models  # noqa: F401
    from tasks.plans.models import Plan, PlanPhase
    from tasks.units.models import Unit
    from tasks.work.models import Task, TaskUnit

    rng = random.Random(SEED)
    engine = create_engine(url)
    held = 0
    today = date.today()
    with engine.begin() as conn:
        existing = conn.execute(select(Task.id).order_by(Task.id.desc()).limit(1)).scalar() or 0
        units = [
            code
            for code, kind in conn.execute(select(Unit.code, Unit.kind))
            if kind in ("department", "street", "committee", "enterprise")
        ]
        # Tasks, sub-tasks and milestones (the imports above hold some); section groups do not count.
        count = conn.execute(text("SELECT count(*) FROM task WHERE kind <> 'section'")).scalar() or 0
        next_id = existing + 1
        plan_no = 0
        while count < total:
            plan_no += 1
            plan_id = conn.execute(
                insert(Plan)
                .values(title=f"压测方案{plan_no}", doc_number=f"压测〔2025〕{plan_no}号", source_text="")
                .returning(Plan.id)
            ).scalar_one()
            phase_id = conn.execute(
                insert(PlanPhase)
                .values(plan_id=plan_id, name="全面推进阶段", start_date=today - timedelta(days=200),
                        end_date=today + timedelta(days=160))
                .returning(PlanPhase.id)
            ).scalar_one()  # fmt: skip
            batch = min(500, total - count)
            tasks, links = [], []
            for i in range(batch):
                lead = rng.choice(units)
                co = rng.sample([u for u in units if u != lead], rng.randint(2, 4))
                due = today + timedelta(days=rng.randint(-60, 200))
                progress = rng.choice([0, 10, 30, 50, 70, 90, 100])
                tasks.append(
                    {
                        "id": next_id,
                        "plan_id": plan_id,
                        "phase_id": phase_id,
                        "kind": "task",
                        "number": f"{i + 1}.",
                        "title": f"压测任务{next_id}",
                        "body": "按计划推进楼宇经济相关工作。" * 4,
                        "lead_unit_code": lead,
                        "start_date": today - timedelta(days=200),
                        "due_date": due,
                        "status": "done" if progress == 100 else ("in_progress" if progress else "not_started"),
                        "progress": progress,
                        "position": i,
                    }
                )
                for pos, code in enumerate([lead, *co]):
                    links.append({"task_id": next_id, "unit_code": code, "role": "lead" if pos == 0 else "co",
                                  "written_as": "", "position": pos})  # fmt: skip
                held += "fgj" in (lead, *co)
                next_id += 1
            conn.execute(insert(Task), tasks)
            conn.execute(insert(TaskUnit), links)
            count += batch
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
    engine.dispose()
    return held


def measure(client: httpx.Client, path: str, params: dict[str, Any], auth: dict[str, str], n: int) -> list[float]:
    for _ in range(20):
        client.get(path, params=params, headers=auth).raise_for_status()
    out = []
    for _ in range(n):
        start = time.perf_counter()
        resp = client.get(path, params=params, headers=auth)
        out.append((time.perf_counter() - start) * 1000)
        resp.raise_for_status()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="use a scratch database on 127.0.0.1:5432")
    parser.add_argument("--requests", type=int, default=300, help="requests per list scenario")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="louyu-tasks-bench-"))
    pg_name = f"louyu_bench_tasks_{uuid.uuid4().hex[:8]}"
    admin = None
    if args.postgres:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{pg_name}"'))
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{pg_name}"
    else:
        url = f"sqlite:///{workdir / 'tasks.db'}"
    server = None
    try:
        log(f"database: {'PostgreSQL ' + pg_name if args.postgres else 'SQLite in ' + str(workdir)}; migrate")
        upgrade(ROOT / "services" / "tasks", url)
        port = free_port()
        keys_file = workdir / "jwks.json"
        keys_file.write_text(json.dumps({"keys": [public_jwk(JWT_KEY)]}))
        env = {k: v for k, v in os.environ.items() if not k.startswith("LOUYU_")}
        env.update(
            LOUYU_ENV="test",
            LOUYU_DATA_DIR=str(workdir),
            LOUYU_JWT_PUBLIC_KEYS_FILE=str(keys_file),
            LOUYU_TASKS_DATABASE_URL=url,
            LOUYU_REVOCATION_POLL_SECONDS="0",
            LOUYU_TASKS_SUPERVISION_INTERVAL_SECONDS="0",
            LOUYU_LOG_LEVEL="WARNING",
            PYTHONPATH=os.pathsep.join(str(ROOT / "services" / s) for s in ("kit", "tasks")),
        )
        log_path = workdir / "tasks.log"
        with log_path.open("wb") as out:
            server = subprocess.Popen(
                [sys.executable, "-m", "louyu_kit.serve", "tasks.main:create_app", "--port", str(port)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"tasks exited:\n{log_path.read_text(errors='replace')[-3000:]}")
            try:
                if httpx.get(base + "/api/tasks/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("tasks did not become ready in 60 s")
            time.sleep(0.2)

        bureau = headers("bench-bureau", "bureau", "swj")
        dept = headers("bench-fgj", "department", "fgj")
        plan_text = PLAN.read_text(encoding="utf-8")
        results = []
        with httpx.Client(base_url=base, timeout=30) as client:
            previews, saves = [], []
            for i in range(22):
                start = time.perf_counter()
                resp = client.post("/api/tasks/plans/import", json={"text": plan_text}, headers=bureau)
                elapsed = (time.perf_counter() - start) * 1000
                resp.raise_for_status()
                if i >= 2:
                    previews.append(elapsed)
            for i in range(22):
                body = {"text": plan_text.replace("〔2025〕3号", f"〔2025〕{100 + i}号"), "save": True}
                start = time.perf_counter()
                resp = client.post("/api/tasks/plans/import", json=body, headers=bureau)
                elapsed = (time.perf_counter() - start) * 1000
                if resp.status_code != 201:
                    raise RuntimeError(f"save failed: {resp.status_code} {resp.text[:300]}")
                if i >= 2:
                    saves.append(elapsed)
            results.append(summary("import real plan: preview (parse only)", previews, IMPORT_TARGET_MS))
            results.append(summary("import real plan: save (parse + store)", saves, IMPORT_TARGET_MS))

            log(f"load up to {N_TASKS:,} tasks")
            t0 = time.perf_counter()
            held = load_tasks(url, N_TASKS)
            total = client.get("/api/tasks/tasks", params={"page_size": 1}, headers=bureau).json()["total"]
            mine_total = client.get("/api/tasks/tasks/mine", params={"page_size": 1}, headers=dept).json()["total"]
            log(f"loaded in {time.perf_counter() - t0:.1f} s: {total:,} tasks in the system, fgj holds {mine_total:,}")
            n = args.requests
            results.append(
                summary("GET /tasks/mine (fgj, page 1, by due date)",
                        measure(client, "/api/tasks/tasks/mine", {}, dept, n), LIST_TARGET_MS)
            )  # fmt: skip
            results.append(
                summary("GET /tasks/mine?light=red (fgj)",
                        measure(client, "/api/tasks/tasks/mine", {"light": "red"}, dept, n), LIST_TARGET_MS)
            )  # fmt: skip
            results.append(
                summary("GET /tasks?unit=fgj (bureau)",
                        measure(client, "/api/tasks/tasks", {"unit": "fgj"}, bureau, n), LIST_TARGET_MS)
            )  # fmt: skip
        print()
        print(f"Tasks benchmark — {'PostgreSQL' if args.postgres else 'SQLite'}, tasks service direct (no gateway), "
              f"{total:,} tasks, 区发改局 holds {mine_total:,} (loaded {held:,})")  # fmt: skip
        for line in results:
            print("  " + line)
        return 0
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))
            admin.dispose()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
