"""The demo district for 问数 tests and the benchmark: the registry's demo buildings (real names
of the 2025 plan, in their demo streets, zones and themes; ``registry.demo.BUILDINGS``) with
synthetic spaces, tenants, stays and the metrics demo's synthetic monthly figures for 2024–2025
(``metrics.demo.figures``). Written straight into the metrics read model and facts, then
rolled up. Deterministic.

Building codes are ``D001`` … in the order of ``registry.demo.BUILDINGS``; enterprises are
``credit_code(1000 + n)`` named （演示）<building>…有限公司; one enterprise is in no building
(未入楼); 泛悦中心 has no leasable area (未填报); 在建 buildings have no tenants.
"""

from __future__ import annotations

import csv
import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from louyu_kit.db import Database
from metrics import demo
from metrics.facts.models import Fact
from metrics.readmodel.models import RmBuilding, RmEnterprise, RmOccupancy, RmSpace, RmTheme
from metrics.rollups import service as rollups
from registry.demo import BUILDINGS
from tests.metrics.conftest import credit_code

THEMES_CSV = Path(__file__).resolve().parents[2] / "services/metrics/metrics/readmodel/data/themes.csv"
INDUSTRY = {
    "finance": "6620",
    "engineering_design": "7482",
    "culture": "8710",
    "commerce_logistics": "5199",
    "digital": "6513",
    "low_altitude": "5631",
    "beidou": "7441",
    "health": "8411",
    "green_shipping": "5521",
    "carbon": "7722",
    "agriculture": "0511",
    "rail_tech": "5311",
    "hq": "7211",
}
NOT_REPORTED = "泛悦中心"
CHIEF_OF = {"中交大厦": "louzhang"}  # 楼长 of 中交大厦 (chief tests)
UNATTRIBUTED = credit_code(999)


def code_of(index: int) -> str:
    return f"D{index + 1:03d}"


def building_codes() -> dict[str, str]:
    """Building name → code."""
    return {name: code_of(i) for i, (name, *_rest) in enumerate(BUILDINGS)}


def load(db: Database, *, copies: int = 1) -> dict[str, int]:
    """Write the demo district (``copies`` > 1 repeats the buildings under other codes and names
    for the city-scale benchmark) and roll it up."""
    rnd = random.Random(20251207)
    themes, buildings, spaces, enterprises, stays, facts = [], [], [], [], [], []
    with THEMES_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            themes.append(
                RmTheme(code=row["code"], name=row["name"], industry_prefixes=row["industry_prefixes"].split())
            )
    n = 0
    for copy in range(copies):
        for i, (name, street, zone, theme_codes, stage, aliases) in enumerate(BUILDINGS):
            code = code_of(i) if copy == 0 else f"C{copy:03d}{i:03d}"
            label = name if copy == 0 else f"{name}{copy}号"
            gfa = float(rnd.randrange(30_000, 150_000, 1_000))
            leasable = None if name == NOT_REPORTED else round(gfa * 0.8, 2)
            buildings.append(
                RmBuilding(
                    code=code,
                    name=label,
                    street_code=street,
                    zone=zone,
                    gfa=gfa,
                    leasable_area=leasable,
                    stage=stage,
                    themes=list(theme_codes),
                    aliases=list(aliases) if copy == 0 else [],
                    chief_username=CHIEF_OF.get(label),
                    is_demo=True,
                )
            )
            if stage == "under_construction":
                continue
            if leasable:
                spaces.append(RmSpace(id=len(spaces) + 1, building_code=code, area=leasable, status="leased"))
            for k in range(rnd.randint(3, 6)):
                n += 1
                cc = credit_code(1000 + n)
                industry = INDUSTRY[theme_codes[0]] if theme_codes and k < 3 else "7224"
                hq = "global500" if (i + k) % 11 == 0 else ("china500" if (i + k) % 7 == 0 else None)
                employees = rnd.randint(60, 900)
                enterprises.append(
                    RmEnterprise(
                        credit_code=cc,
                        name=f"（演示）{label}{'甲乙丙丁戊己'[k]}号有限公司",
                        industry_code=industry,
                        registered_in_district=k % 3 != 2,
                        taxed_in_district=True,
                        in_statistics=k % 2 == 0,
                        hq_level=hq,
                        is_demo=True,
                    )
                )
                area = round((leasable or 20_000) * rnd.uniform(0.05, 0.2), 2)
                row = RmOccupancy(id=len(stays) + 1, credit_code=cc, building_code=code, area=area, spaces=[])
                row.start_date, row.end_date = date(2023, 1, 1), None
                stays.append(row)
                facts += _facts(demo.DemoEnterprise(cc, industry_code=industry, employees=employees, hq_level=hq))
    enterprises.append(
        RmEnterprise(credit_code=UNATTRIBUTED, name="（演示）楼外贸易有限公司", industry_code="5199", is_demo=True)
    )
    facts += _facts(demo.DemoEnterprise(UNATTRIBUTED, industry_code="5199", employees=200))
    with db.write_sessions() as session:
        for rows in (themes, buildings, spaces, enterprises, stays):
            session.add_all(rows)
        session.flush()
        session.bulk_insert_mappings(Fact, facts)  # type: ignore[arg-type]
        session.commit()
    with db.write_sessions() as session:
        rollups.rebuild_all(session)
        session.commit()
    return {"buildings": len(buildings), "enterprises": len(enterprises), "facts": len(facts)}


def _facts(enterprise: demo.DemoEnterprise) -> list[dict[str, object]]:
    return [
        {
            "credit_code": enterprise.credit_code,
            "period": period,
            "period_kind": "month",
            "kind": kind,
            "value": Decimal(value),
            "source": "tax_bureau",
            "revision": 1,
            "synthetic": True,
        }
        for period, kind, value in demo.figures(enterprise)
    ]
