"""A city-scale data set straight into a metrics PostgreSQL database (issue #5 benchmark).

    .venv/bin/python bench/gen_city.py --url postgresql+psycopg://postgres@127.0.0.1:5432/louyu_bench_metrics

Writes, with COPY (psycopg), into a migrated metrics database whose read model and figures
are empty (``--replace`` empties them first):

- ``rm_theme``: the shipped 特色 themes (``metrics.readmodel.apply.shipped_themes``);
- ``rm_building``: 2,000 buildings over the district's streets, GFA 8,000–200,000 m², zones,
  about a third with a theme;
- ``rm_space``: ~20 spaces per building, ~75 % leased or in own use;
- ``rm_enterprise``: 200,000 enterprises with valid credit codes (GB 32100), GB/T 4754
  industries (a building's theme drawing its tenants' industries), the 在册 / 在税 / 纳统 flags;
- ``rm_occupancy``: one stay per enterprise for 170,000 of them (10 % of those moved out during
  the 36 months, 5 % moved in from another building), the rest in no building;
- ``fact``: 36 months (2023-01 … 2025-12) of two kinds (tax_total, tax_district) for every
  enterprise = 14,400,000 figures, source tax_bureau, marked synthetic. Tax per enterprise is
  heavy-tailed (log-normal), so a plausible few dozen buildings pass 1亿 a year.

The fact table's secondary indexes are dropped for the load and rebuilt after it (the usual
bulk-load path; names as in the migration), then ANALYZE. Deterministic (``--seed``).
Prints the counts and the seconds each step took. Rollups are not computed here: run
``python -m metrics rebuild`` (the bench times it).
"""

from __future__ import annotations

import argparse
import io
import math
import random
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from louyu_kit.uscc import make as make_credit_code

ROOT = Path(__file__).resolve().parent.parent
ZONES = ("滨江商务区", "华中金融城", "环大学创新经济带", "环沙湖双碳经济带", "", "", "", "")
# Industries (GB/T 4754 小类) tenants are drawn from when their building has no theme.
OTHER_INDUSTRIES = ("5191", "5211", "6311", "6421", "6513", "7212", "7241", "7291", "7320", "7481", "8290", "7010")
MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)]
SEASON = (1.5, 0.7, 0.9, 1.25, 0.85, 0.9, 1.2, 0.85, 0.9, 1.2, 0.85, 0.95)
FIRST_DAY = date(2023, 1, 1)
LAST_DAY = date(2025, 12, 31)


def log(message: str) -> None:
    print(f"[gen_city {time.strftime('%H:%M:%S')}] {message}", flush=True)


def themes() -> list[tuple[str, str, list[str]]]:
    """The shipped 特色 themes (the read model's copy of registry's themes.csv)."""
    from metrics.readmodel.apply import shipped_themes

    return [(t["code"], t["name"], list(t["industry_prefixes"])) for t in shipped_themes().values()]


def streets() -> list[str]:
    """Wuchang's streets (统计用区划代码 2023; 004 is unused)."""
    return [f"420106{n:03d}" for n in (1, 2, 3, *range(5, 16))] + ["420106490"]


def _copy(cursor, table: str, columns: list[str], rows: Iterator[tuple]) -> int:  # type: ignore[no-untyped-def]
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _industry(rng: random.Random, prefixes: list[str]) -> str:
    prefix = rng.choice(prefixes)
    return (prefix + "".join(rng.choice("0123456789") for _ in range(4 - len(prefix))))[:4]


def generate(url: str, *, buildings: int, enterprises: int, seed: int, replace: bool) -> dict[str, float]:
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    rng = random.Random(seed)
    timings: dict[str, float] = {}
    theme_rows = themes()
    street_codes = streets()
    with psycopg.connect(dsn, autocommit=False) as conn, conn.cursor() as cur:
        tables = ["rm_theme", "rm_building", "rm_space", "rm_enterprise", "rm_occupancy", "fact", "fact_revision"]
        cur.execute("SELECT count(*) FROM fact")
        has_facts = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM rm_building")
        has_buildings = cur.fetchone()[0]
        if (has_facts or has_buildings) and not replace:
            raise SystemExit("✘ 目标库已有楼宇或数据：加 --replace 清空后重新生成")
        cur.execute(f"TRUNCATE {', '.join(tables)}")

        started = time.perf_counter()
        _copy(
            cur,
            "rm_theme",
            ["code", "name", "industry_prefixes", "deleted", "seq"],
            ((code, name, psycopg.types.json.Jsonb(prefixes), False, 1) for code, name, prefixes in theme_rows),
        )

        # buildings and their themes
        building_codes = [f"420106-{i:04d}" for i in range(1, buildings + 1)]
        building_theme: dict[str, str | None] = {}
        gfa_of: dict[str, float] = {}
        rows = []
        for i, code in enumerate(building_codes):
            theme = rng.choice(theme_rows) if rng.random() < 0.35 else None
            building_theme[code] = theme[0] if theme else None
            gfa = round(rng.uniform(8_000, 200_000), 1)
            gfa_of[code] = gfa
            rows.append(
                (
                    code,
                    f"基准楼宇{i + 1:04d}",
                    street_codes[i % len(street_codes)],
                    rng.choice(ZONES),
                    gfa,
                    round(gfa * rng.uniform(0.6, 0.8), 1),
                    rng.choices(("operating", "new", "under_construction"), (80, 15, 5))[0],
                    round(rng.uniform(114.28, 114.42), 6),
                    round(rng.uniform(30.50, 30.62), 6),
                    psycopg.types.json.Jsonb([theme[0]] if theme else []),
                    f"bench_chief{i + 1:04d}",
                    None,
                    False,
                    False,
                    1,
                )
            )
        _copy(
            cur,
            "rm_building",
            [
                "code",
                "name",
                "street_code",
                "zone",
                "gfa",
                "leasable_area",
                "stage",
                "lng",
                "lat",
                "themes",
                "chief_username",
                "liaison_username",
                "is_demo",
                "deleted",
                "seq",
            ],  # fmt: skip
            iter(rows),
        )
        space_id = 0
        space_rows = []
        for code in building_codes:
            for _ in range(rng.randint(15, 25)):
                space_id += 1
                status = rng.choices(("leased", "self_use", "vacant", "reserved"), (65, 10, 20, 5))[0]
                space_rows.append((space_id, code, round(rng.uniform(100, 1500), 1), status, False, 1))
        _copy(cur, "rm_space", ["id", "building_code", "area", "status", "deleted", "seq"], iter(space_rows))
        timings["buildings+spaces"] = time.perf_counter() - started
        log(f"rm_theme {len(theme_rows)}, rm_building {buildings:,}, rm_space {space_id:,}")

        # enterprises, stays and the figures' scale per enterprise
        started = time.perf_counter()
        prefixes_of = {code: prefixes for code, _, prefixes in theme_rows}
        codes: list[str] = []
        annual: list[float] = []
        occupancy_rows = []
        enterprise_rows = []
        housed = int(enterprises * 0.85)
        for n in range(1, enterprises + 1):
            code = make_credit_code(f"91420106{n:09d}")
            codes.append(code)
            building = building_codes[rng.randrange(buildings)] if n <= housed else None
            theme = building_theme.get(building) if building else None
            industry = (
                _industry(rng, prefixes_of[theme])
                if theme and prefixes_of.get(theme) and rng.random() < 0.6
                else rng.choice(OTHER_INDUSTRIES)
            )
            enterprise_rows.append(
                (
                    code,
                    f"基准企业{n:06d}有限公司",
                    industry,
                    rng.random() < 0.8,
                    rng.random() < 0.75,
                    rng.random() < 0.6,
                    rng.random() < 0.2,
                    rng.random() < 0.05,
                    None,
                    False,
                    False,
                    1,
                )
            )
            # Heavy tail: median ~120,000 yuan a year, a few per thousand above 50 million.
            annual.append(rng.lognormvariate(math.log(120_000), 1.6))
            if building is None:
                continue
            area = round(rng.uniform(80, 2_000), 1)
            start = FIRST_DAY - timedelta(days=rng.randint(0, 2_000))
            end = None
            if rng.random() < 0.05:  # moved in from another building during the period
                other = building_codes[rng.randrange(buildings)]
                moved = FIRST_DAY + timedelta(days=rng.randint(30, 1_000))
                occupancy_rows.append((len(occupancy_rows) + 1, code, other, area, start, moved - timedelta(days=1)))
                start = moved
            elif rng.random() < 0.1:  # moved out
                end = FIRST_DAY + timedelta(days=rng.randint(30, (LAST_DAY - FIRST_DAY).days))
            occupancy_rows.append((len(occupancy_rows) + 1, code, building, area, start, end))
        _copy(
            cur,
            "rm_enterprise",
            [
                "credit_code",
                "name",
                "industry_code",
                "registered_in_district",
                "taxed_in_district",
                "in_statistics",
                "above_scale",
                "is_key",
                "hq_level",
                "is_demo",
                "deleted",
                "seq",
            ],  # fmt: skip
            iter(enterprise_rows),
        )
        _copy(
            cur,
            "rm_occupancy",
            ["id", "credit_code", "building_code", "area", "start_date", "end_date", "spaces", "deleted", "seq"],
            ((*row, psycopg.types.json.Jsonb([]), False, 1) for row in occupancy_rows),
        )
        timings["enterprises+occupancy"] = time.perf_counter() - started
        log(f"rm_enterprise {enterprises:,}, rm_occupancy {len(occupancy_rows):,}")

        # figures: 36 months × 2 kinds per enterprise, as COPY text in large chunks
        started = time.perf_counter()
        cur.execute("ALTER TABLE fact DROP CONSTRAINT IF EXISTS uq_fact_credit_code")
        cur.execute("DROP INDEX IF EXISTS ix_fact_period_kind")
        facts = 0
        columns = "id, credit_code, period, period_kind, kind, value, source, revision, synthetic, updated_at"
        now = "2026-01-05 02:00:00+00"
        # FREEZE: the table was emptied in this transaction, so the rows need no later vacuum pass.
        with cur.copy(f"COPY fact ({columns}) FROM STDIN WITH (FREEZE)") as copy:
            buffer = io.StringIO()
            for index, code in enumerate(codes):
                base = annual[index] / 12
                share = 0.3 + (index % 11) / 100
                growth = 1 + ((index * 7919) % 41 - 15) / 100  # −15 % … +25 % a year
                for m, period in enumerate(MONTHS):
                    tax = round(base * SEASON[m % 12] * growth ** (m // 12) * (0.9 + ((index + m) * 37 % 21) / 100), 2)
                    facts += 1
                    buffer.write(f"{facts}\t{code}\t{period}\tmonth\ttax_total\t{tax:.2f}\ttax_bureau\t1\tt\t{now}\n")
                    facts += 1
                    buffer.write(
                        f"{facts}\t{code}\t{period}\tmonth\ttax_district\t{tax * share:.2f}\ttax_bureau\t1\tt\t{now}\n"
                    )
                if index % 5_000 == 4_999:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
        timings["facts copy"] = time.perf_counter() - started
        log(f"fact {facts:,} rows copied in {timings['facts copy']:.1f} s; rebuilding its indexes")
        started = time.perf_counter()
        cur.execute("SET maintenance_work_mem = '512MB'")
        cur.execute("ALTER TABLE fact ADD CONSTRAINT uq_fact_credit_code UNIQUE (credit_code, period, kind, source)")
        cur.execute("CREATE INDEX ix_fact_period_kind ON fact (period, kind)")
        cur.execute("SELECT setval(pg_get_serial_sequence('fact', 'id'), (SELECT max(id) FROM fact))")
        conn.commit()
        timings["facts indexes"] = time.perf_counter() - started
    started = time.perf_counter()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    timings["vacuum analyze"] = time.perf_counter() - started
    timings["facts"] = facts
    timings["occupancies"] = len(occupancy_rows)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="metrics PostgreSQL database (migrated)")
    parser.add_argument("--buildings", type=int, default=2_000)
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--replace", action="store_true", help="empty the read model and figures first")
    args = parser.parse_args(argv)
    if not args.url.startswith("postgresql"):
        print("✘ gen_city 只支持 PostgreSQL（COPY）", file=sys.stderr)
        return 2
    started = time.perf_counter()
    timings = generate(
        args.url, buildings=args.buildings, enterprises=args.enterprises, seed=args.seed, replace=args.replace
    )
    log(
        "done in {:.0f} s: {}".format(
            time.perf_counter() - started,
            ", ".join(f"{k} {v:,.1f}" if isinstance(v, float) else f"{k} {v:,}" for k, v in timings.items()),
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
