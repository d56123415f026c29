"""Metrics test helpers shared by every metrics test file.

- tokens: ``user_token(name, *roles, streets=, org=)`` for people, ``client_token(name, *scopes)``
  for bureau systems, and ready headers (``BUREAU``, ``LEADER``, ``TAX_CLIENT``, ``STATS_CLIENT``);
- ``metrics`` fixture: a TestClient of the metrics app on a fresh, migrated database, and
  ``metrics_db(client)`` → the app's ``Database`` for factories and assertions;
- factories writing straight to the database (not through the API): read-model rows
  (``add_building``, ``add_enterprise``, ``add_occupancy``, ``add_space``, ``add_theme``) and
  figures (``add_fact``);
- ``credit_code(n)``: a valid USCC per ``n``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from louyu_kit.db import Database
from louyu_kit.tokens import ACCESS, TokenCodec
from louyu_kit.uscc import make as make_code
from tests.conftest import TEST_SECRET, TEST_TOKEN_SECONDS

JIYUQIAO, YANGYUAN, SHUIGUOHU = "420106001", "420106002", "420106012"


def _issue(sub: str, claims: dict[str, Any]) -> dict[str, str]:
    codec = TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api")
    issued = codec.issue(sub=sub, typ=ACCESS, ttl_seconds=TEST_TOKEN_SECONDS, claims={"sid": f"sid-{sub}", **claims})
    return {"Authorization": f"Bearer {issued.token}"}


def user_token(username: str, *roles: str, streets: Iterable[str] = (), org: str | None = None) -> dict[str, str]:
    """Headers carrying a person's access token (as the gateway issues it)."""
    claims: dict[str, Any] = {"kind": "user", "roles": list(roles), "streets": list(streets)}
    if org is not None:
        claims["org"] = org
    return _issue(username, claims)


def client_token(client_id: str, *scopes: str) -> dict[str, str]:
    """Headers carrying a bureau system's client-credentials token with ``scopes``."""
    return _issue(f"client:{client_id}", {"kind": "client", "scope": " ".join(scopes), "name": client_id})


BUREAU = user_token("shangwu", "bureau")
LEADER = user_token("lingdao", "leader")
DEPARTMENT = user_token("fgj-user", "department", org="fgj")
STREET = user_token("jiyuqiao", "street", streets=[JIYUQIAO])
CHIEF = user_token("louzhang", "chief")
AUDITOR = user_token("shenji", "auditor")
ADMIN = user_token("guanli", "admin")
TAX_CLIENT = client_token("tax-bureau", "facts:write")
STATS_CLIENT = client_token("stats-bureau", "stats:read")


def credit_code(n: int, region: str = "420106") -> str:
    """A valid USCC, different for each ``n`` (9 = market regulator, 1 = company)."""
    return make_code(f"91{region}{n:09d}")


def bad_check_code(n: int) -> str:
    """``credit_code(n)`` with a wrong check character."""
    good = credit_code(n)
    wrong = "0" if good[-1] != "0" else "1"
    return good[:17] + wrong


@pytest.fixture
def metrics(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client("metrics")


def metrics_db(client: TestClient) -> Database:
    """The running app's database (engine and session factories)."""
    return client.app.state.db  # type: ignore[attr-defined]


def _write(db: Database, rows: list[Any]) -> None:
    with db.write_sessions() as session:
        session.add_all(rows)
        session.commit()


def add_building(db: Database, code: str, *, street_code: str = JIYUQIAO, **fields: Any) -> None:
    from metrics.readmodel.models import RmBuilding

    values: dict[str, Any] = {"name": f"楼宇{code}", "gfa": 50_000.0, "leasable_area": 40_000.0, "themes": []}
    values.update(fields)
    _write(db, [RmBuilding(code=code, street_code=street_code, **values)])


def add_space(db: Database, space_id: int, building_code: str, *, area: float = 500.0, status: str = "leased") -> None:
    from metrics.readmodel.models import RmSpace

    _write(db, [RmSpace(id=space_id, building_code=building_code, area=area, status=status)])


def add_enterprise(db: Database, code: str, *, name: str | None = None, **fields: Any) -> None:
    from metrics.readmodel.models import RmEnterprise

    values: dict[str, Any] = {"name": name or f"企业{code[-6:]}", "industry_code": "6620"}
    values.update(fields)
    _write(db, [RmEnterprise(credit_code=code, **values)])


def add_occupancy(
    db: Database,
    occupancy_id: int,
    code: str,
    building_code: str,
    *,
    area: float = 1000.0,
    start: date = date(2020, 1, 1),
    end: date | None = None,
) -> None:
    from metrics.readmodel.models import RmOccupancy

    row = RmOccupancy(id=occupancy_id, credit_code=code, building_code=building_code, area=area)
    row.start_date, row.end_date = start, end
    _write(db, [row])


def add_theme(db: Database, code: str, name: str, prefixes: list[str]) -> None:
    from metrics.readmodel.models import RmTheme

    _write(db, [RmTheme(code=code, name=name, industry_prefixes=prefixes)])


def add_fact(
    db: Database,
    code: str,
    period: str,
    value: float | int | str | Decimal,
    *,
    kind: str = "tax_total",
    source: str = "tax_bureau",
    synthetic: bool = False,
) -> None:
    """One stored figure (straight into ``fact``, no batch)."""
    from metrics.facts.models import Fact
    from metrics.facts.periods import period_kind

    _write(
        db,
        [
            Fact(
                credit_code=code,
                period=period,
                period_kind=period_kind(period),
                kind=kind,
                value=Decimal(str(value)),
                source=source,
                revision=1,
                synthetic=synthetic,
            )
        ],
    )


def session_of(client: TestClient) -> Session:
    """A plain read session on the app's database (close it, or use it in ``with``)."""
    return metrics_db(client).sessions()
