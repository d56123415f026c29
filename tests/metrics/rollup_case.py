"""A small district for the KPI, dashboard, access and stats tests (numbers chosen by hand).

Buildings (GFA / leasable m²):
- B1 积玉桥, 40,000 / 20,000, themes [finance], zone 滨江商务区, chief ``louzhang``
- B2 积玉桥, 20,000 / 10,000, themes []
- B3 杨园,   10,000 / 10,000, themes [finance], zone 滨江商务区
Stays (all from 2024-01-01, open): F1 1,000 m² in B1 (registered, in statistics),
F2 1,000 m² in B1 (registered), F3 5,000 m² in B2 (in statistics), F4 2,000 m² in B3.
F5 occupies no building.
Industries: F1, F2 6620 (J 金融), F3 6513 (I), F4 7481 (M), F5 5110 (F).

全口径 tax per month (区级 = half of it), 2025-01 … 2025-06 and 2024-01 … 2024-06:
F1 100,000 (2024: 80,000); F2 50,000 (2024: 50,000); F3 200,000 (2024: 100,000);
F4 30,000 (2024: none); F5 10,000 (2024: 10,000).
"""

from __future__ import annotations

from datetime import date

from louyu_kit.db import Database
from metrics.rollups import service
from tests.metrics.conftest import (
    JIYUQIAO,
    YANGYUAN,
    add_building,
    add_enterprise,
    add_fact,
    add_occupancy,
    add_theme,
    credit_code,
)

F1, F2, F3, F4, F5 = (credit_code(n) for n in (101, 102, 103, 104, 105))
MONTHLY_2025 = {F1: 100_000, F2: 50_000, F3: 200_000, F4: 30_000, F5: 10_000}
MONTHLY_2024 = {F1: 80_000, F2: 50_000, F3: 100_000, F5: 10_000}


def build(db: Database, *, months: int = 6) -> None:
    add_theme(db, "finance", "金融", ["66", "67", "68", "69"])
    add_building(
        db,
        "B1",
        street_code=JIYUQIAO,
        name="长江金融大厦",
        gfa=40_000.0,
        leasable_area=20_000.0,
        themes=["finance"],
        zone="滨江商务区",
        chief_username="louzhang",
    )
    add_building(db, "B2", street_code=JIYUQIAO, name="数创大厦", gfa=20_000.0, leasable_area=10_000.0)
    add_building(
        db,
        "B3",
        street_code=YANGYUAN,
        name="杨园中心",
        gfa=10_000.0,
        leasable_area=10_000.0,
        themes=["finance"],
        zone="滨江商务区",
    )
    add_enterprise(db, F1, name="甲金融有限公司", industry_code="6620", registered_in_district=True, in_statistics=True)
    add_enterprise(db, F2, name="乙金融有限公司", industry_code="6620", registered_in_district=True)
    add_enterprise(db, F3, name="丙软件有限公司", industry_code="6513", in_statistics=True)
    add_enterprise(db, F4, name="丁设计有限公司", industry_code="7481")
    add_enterprise(db, F5, name="戊贸易有限公司", industry_code="5110")
    start = date(2024, 1, 1)
    add_occupancy(db, 1, F1, "B1", area=1_000, start=start)
    add_occupancy(db, 2, F2, "B1", area=1_000, start=start)
    add_occupancy(db, 3, F3, "B2", area=5_000, start=start)
    add_occupancy(db, 4, F4, "B3", area=2_000, start=start)
    for month in range(1, months + 1):
        for code, value in MONTHLY_2025.items():
            add_fact(db, code, f"2025-{month:02d}", value)
            add_fact(db, code, f"2025-{month:02d}", value / 2, kind="tax_district")
        for code, value in MONTHLY_2024.items():
            add_fact(db, code, f"2024-{month:02d}", value)
            add_fact(db, code, f"2024-{month:02d}", value / 2, kind="tax_district")
    rebuild(db)


def rebuild(db: Database) -> None:
    with db.write_sessions() as session:
        service.rebuild_all(session)
        session.commit()
