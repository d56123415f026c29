"""One figure on every screen (#13 item 2), through the real services: registry with the demo
data, metrics reading registry's change feed (real uvicorn servers; the requests go to each
service's API directly, so a slow test machine does not meet the gateway's upstream timeout).

For every demo building and three dates — today, the last day of last month, and the day a
lease booked for later starts — registry's building answer, metrics' building KPIs, its map
entry, its rankings row and its row in the building export give the same 入驻率, 入驻面积,
空置面积 and 在楼企业; every street's KPIs are the sums over its buildings (在建 and 未填报 left
out of the rates); a 在建 building's area is 在建载体面积.
"""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from louyu_kit.clock import today_in_china
from louyu_kit.files import read_table
from louyu_kit.tokens import ACCESS
from registry.enterprises.uscc import make
from tests.conftest import TEST_TOKEN_SECONDS
from tests.metrics.sync_helpers import CODEC, wait_caught_up

pytestmark = pytest.mark.live


def _token(sub: str, *roles: str) -> dict[str, str]:
    issued = CODEC.issue(
        sub=sub,
        typ=ACCESS,
        ttl_seconds=TEST_TOKEN_SECONDS,
        claims={"kind": "user", "sid": f"sid-{sub}", "roles": list(roles), "streets": []},
    )
    return {"Authorization": f"Bearer {issued.token}"}


BUREAU = _token("shangwu", "bureau")
KEYS = ("occupancy_rate", "occupied_area", "vacant_area", "tenants")


def _get(client: httpx.Client, path: str, **params):  # type: ignore[no-untyped-def]
    resp = client.get(path, params=params, headers=BUREAU)
    assert resp.status_code == 200, (path, params, resp.text)
    return resp


def _registry(client: httpx.Client, code: str, on: date) -> dict:
    f = _get(client, f"/api/registry/buildings/{code}", on=on.isoformat()).json()["figures"]
    assert f["on"] == on.isoformat()
    return {
        "status": f["status"],
        "leasable_area": f["leasable_area"],
        "occupancy_rate": f["occupancy_rate"],
        "occupied_area": f["occupied_area"],
        "vacant_area": f["vacant_area"],
        "tenants": f["tenant_count"],
    }


def _pick(row: dict) -> dict:
    return {k: row[k] for k in KEYS}


def _export(client: httpx.Client, on: date) -> dict[str, dict]:
    content = _get(client, "/api/registry/exports/buildings", format="csv", on=on.isoformat()).content
    out = {}
    for _n, row in read_table(content, filename="b.csv").rows:
        assert row["统计日期"] == on.isoformat()
        rate = row["入驻率(%)"]
        out[row["楼宇编码"]] = {
            "occupancy_rate": None if rate == "" else round(float(rate) / 100, 4),
            "occupied_area": float(row["入驻面积(㎡)"]),
            "vacant_area": None if row["空置面积(㎡)"] == "" else float(row["空置面积(㎡)"]),
            "tenants": int(row["在楼企业数"]),
        }
    return out


class _Routes(httpx.HTTPTransport):
    """``/api/<service>/…`` to that service's own server (as the gateway routes it)."""

    def __init__(self, stack) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.urls = {name: httpx.URL(stack.servers[name].url) for name in ("registry", "metrics")}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        service = request.url.path.split("/")[2]
        target = self.urls[service]
        request.url = request.url.copy_with(scheme=target.scheme, host=target.host, port=target.port)
        request.headers["host"] = f"{target.host}:{target.port}"
        return super().handle_request(request)


def _book_a_later_lease(client: httpx.Client) -> date:
    """A tenant moving into a vacant demo space next month: the third date."""
    start = today_in_china() + timedelta(days=40)
    spaces = _get(client, "/api/registry/spaces/available", page_size=100).json()["items"]
    space = next(s for s in spaces if s["status"] == "vacant" and s["building_code"])
    body = {
        "credit_code": make("91420106MA4KFUT01"),
        "name": "（演示）武汉未来入驻科技有限公司",
        "industry_code": "6513",
    }
    assert client.post("/api/registry/enterprises", json=body, headers=BUREAU).status_code == 201
    stay = {
        "credit_code": body["credit_code"],
        "building_code": space["building_code"],
        "start_date": start.isoformat(),
        "spaces": [{"id": space["id"]}],
    }
    resp = client.post("/api/registry/occupancies", json=stay, headers=BUREAU)
    assert resp.status_code == 201, resp.text
    return start


def test_every_screen_shows_the_same_figures_for_the_same_date(live_stack):
    from registry import demo

    assert demo.load_if_empty(live_stack.db_urls["registry"])
    with httpx.Client(transport=_Routes(live_stack), base_url="http://louyu", timeout=120) as client:
        later = _book_a_later_lease(client)
        wait_caught_up(live_stack, timeout=180)
        today = today_in_china()
        month_end = today.replace(day=1) - timedelta(days=1)
        codes = [b["code"] for b in _get(client, "/api/registry/buildings", page_size=100).json()["items"]]
        assert len(codes) == len(demo.BUILDINGS)
        statuses: set[str] = set()
        for on in (today, month_end, later):
            day = on.isoformat()
            mapped = _get(client, "/api/metrics/map", on=day).json()
            assert mapped["figures_on"] == day
            on_map = {b["code"]: b for b in mapped["buildings"] + mapped["unplaced"]}
            ranking = _get(client, "/api/metrics/rankings/buildings", on=day, limit=2000).json()
            assert ranking["figures_on"] == day
            ranked = {r["code"]: r for r in ranking["items"]}
            exported = _export(client, on)
            registry_by_code = {}
            for code in codes:
                expected = _registry(client, code, on)
                registry_by_code[code] = expected
                statuses.add(expected["status"])
                mine = _pick(expected)
                kpi = _get(client, "/api/metrics/kpis", level="building", code=code, on=day).json()
                assert kpi["figures_on"] == day and kpi["figures_status"] == expected["status"]
                assert _pick(kpi) == mine, ("kpis", code, day)
                assert _pick(on_map[code]) == mine, ("map", code, day)
                assert _pick(ranked[code]) == mine, ("rankings", code, day)
                assert exported[code] == mine, ("export", code, day)
                tab = _get(client, f"/api/metrics/buildings/{code}", on=day).json()["kpis"]
                assert _pick(tab) == mine, ("tax tab", code, day)
            _streets_add_up(client, registry_by_code, on)
        # The demo has 在建 buildings, and every figure above was checked for them too.
        assert "under_construction" in statuses and "reported" in statuses
    # The later lease shows on its start day, not before.
    assert later > today


def _streets_add_up(client: httpx.Client, figures: dict[str, dict], on: date) -> None:
    day = on.isoformat()
    buildings = _get(client, "/api/registry/buildings", page_size=100, on=day).json()["items"]
    by_street: dict[str, list[dict]] = {}
    for b in buildings:
        by_street.setdefault(b["street_code"], []).append(figures[b["code"]] | {"gfa": b["gfa"]})
    district = {"occupied": 0.0, "leasable": 0.0, "tenants": 0, "building_area": 0.0}
    for street, members in by_street.items():
        kpi = _get(client, "/api/metrics/kpis", level="street", code=street, on=day).json()
        reported = [m for m in members if m["status"] == "reported"]
        occupied = round(sum(m["occupied_area"] for m in reported), 2)
        leasable = round(sum(m["leasable_area"] for m in reported), 2)
        assert kpi["occupied_area"] == occupied, street
        assert kpi["leasable_area"] == leasable, street
        assert kpi["vacant_area"] == round(sum(m["vacant_area"] for m in reported), 2), street
        assert kpi["tenants"] == sum(m["tenants"] for m in reported), street
        assert kpi["occupancy_rate"] == (round(occupied / leasable, 4) if leasable else None), street
        building_area = sum(m["gfa"] or 0 for m in members if m["status"] == "under_construction")
        assert kpi["under_construction_area"] == round(building_area, 2), street
        district["occupied"] += occupied
        district["leasable"] += leasable
        district["tenants"] += kpi["tenants"]
        district["building_area"] += building_area
    whole = _get(client, "/api/metrics/kpis", level="district", on=day).json()
    assert whole["occupied_area"] == round(district["occupied"], 2)
    assert whole["leasable_area"] == round(district["leasable"], 2)
    assert whole["tenants"] == district["tenants"]
    # 在建 is outside the district's denominators and reported as 在建载体面积.
    assert whole["under_construction_area"] == round(district["building_area"], 2) > 0
