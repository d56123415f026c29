"""扫楼 visits: vacancy written through to a real registry app, nothing half-saved when registry
is down or refuses midway, a draft sent twice recorded once, scope, photos."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from louyu_kit.clock import today_in_china
from tests.conftest import free_port
from tests.tasks.conftest import BUREAU, CHIEF_SGH, FGJ, LEADER, SHUIGUOHU, STREET_SGH, YANGYUAN, token
from tests.tasks.field import JPEG_BYTES, ONE_PIXEL_PNG, changes, chief_building, make_stack, space, wire_registry


@pytest.fixture
def stack(make_client):
    return make_stack(make_client)


def registry_space(stack, space_id: int) -> dict:
    resp = stack.registry.get(f"/api/registry/spaces/{space_id}", headers=BUREAU)
    assert resp.status_code == 200, resp.text
    return resp.json()


def visit_body(building: dict, **fields) -> dict:
    return {"building_code": building["code"], **fields}


class TestWriteThrough:
    def test_a_visit_that_marks_a_space_vacant_changes_the_space_in_registry(self, stack):
        building = chief_building(stack.registry)
        leased = space(stack.registry, building["code"], status="leased")
        body = visit_body(
            building,
            units=["水果湖街道", "swj"],
            notes="10层原租户已搬离",
            spaces=[{"space_id": leased["id"], "status": "vacant", "available_from": "2025-07-01"}],
            tenants=[{"move": "left", "enterprise_name": "某某科技有限公司", "floor": 10, "area": 500}],
            leads=[{"company_name": "意向科技有限公司", "area_wanted": 800, "contact_phone": "13912345678"}],
            demands=[{"enterprise_name": "在楼企业有限公司", "category": "parking", "text": "员工停车位不足"}],
        )
        resp = stack.tasks.post("/api/tasks/visits", json=body, headers=CHIEF_SGH)
        assert resp.status_code == 201, resp.text
        visit = resp.json()

        after = registry_space(stack, leased["id"])
        assert after["status"] == "vacant"
        assert after["available_from"] == "2025-07-01"
        assert after["version"] == leased["version"] + 1
        assert visit["space_changes"] == [
            {
                "space_id": leased["id"],
                "floor": 10,
                "unit": "1001",
                "area": 500.0,
                "status_before": "leased",
                "status_after": "vacant",
                "available_from": "2025-07-01",
                "registry_version": after["version"],
            }
        ]
        assert visit["street_code"] == SHUIGUOHU
        assert visit["chief_username"] == "louzhang"
        assert visit["units"] == ["420106012", "swj"]
        assert visit["tenant_moves"][0]["move_label"] == "已迁出"
        assert len(visit["lead_ids"]) == 1 and len(visit["demand_ids"]) == 1

        lead = stack.tasks.get(f"/api/tasks/leads/{visit['lead_ids'][0]}", headers=CHIEF_SGH).json()
        assert lead["source_visit_id"] == visit["id"] and lead["building_code"] == building["code"]
        assert lead["contact_phone"] == "139****5678"
        demand = stack.tasks.get(f"/api/tasks/demands/{visit['demand_ids'][0]}", headers=CHIEF_SGH).json()
        assert demand["status"] == "submitted" and demand["source_visit_id"] == visit["id"]

        events = changes(stack.tasks)
        assert {(e["entity"], e["op"]) for e in events} >= {
            ("visit", "create"),
            ("lead", "create"),
            ("demand", "create"),
        }
        visit_event = next(e for e in events if e["entity"] == "visit")
        assert visit_event["data"]["space_changes"] == [
            {"space_id": leased["id"], "status_before": "leased", "status_after": "vacant"}
        ]

    def test_an_unchanged_space_is_not_written(self, stack):
        building = chief_building(stack.registry)
        vacant = space(stack.registry, building["code"], status="vacant")
        body = visit_body(building, spaces=[{"space_id": vacant["id"], "status": "vacant"}])
        resp = stack.tasks.post("/api/tasks/visits", json=body, headers=CHIEF_SGH)
        assert resp.status_code == 201, resp.text
        assert resp.json()["space_changes"] == []
        assert registry_space(stack, vacant["id"])["version"] == vacant["version"]


class TestNothingHalfSaved:
    def test_registry_down_refuses_the_visit_with_503_and_saves_nothing(self, make_client):
        tasks = make_client("tasks", registry_url=f"http://127.0.0.1:{free_port()}")
        body = {
            "building_code": "420106-0001",
            "spaces": [{"space_id": 1, "status": "vacant"}],
            "demands": [{"enterprise_name": "在楼企业有限公司", "category": "parking", "text": "停车难"}],
        }
        resp = tasks.post("/api/tasks/visits", json=body, headers=CHIEF_SGH)
        assert resp.status_code == 503, resp.text
        assert resp.json()["error"] == "Unavailable"
        assert "楼宇登记服务" in resp.json()["detail"] and "未保存" in resp.json()["detail"]
        assert tasks.get("/api/tasks/visits", headers=BUREAU).json()["total"] == 0
        assert tasks.get("/api/tasks/demands", headers=BUREAU).json()["total"] == 0
        assert changes(tasks) == []

    def test_registry_failing_midway_puts_back_the_spaces_already_changed(self, stack):
        building = chief_building(stack.registry)
        first = space(stack.registry, building["code"], floor=10, unit="1001", status="leased")
        second = space(stack.registry, building["code"], floor=11, unit="1101", status="leased")
        inner = httpx.ASGITransport(app=stack.registry.app)

        class DiesOnSecondWrite(httpx.AsyncBaseTransport):
            writes = 0

            async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
                if request.method == "PATCH" and "/spaces/" in request.url.path:
                    type(self).writes += 1
                    # The second space's write finds registry gone (the undo of the first goes through).
                    if type(self).writes == 2:
                        raise httpx.ConnectError("connection refused", request=request)
                return await inner.handle_async_request(request)

        wire_registry(stack.tasks, stack.registry, DiesOnSecondWrite())
        body = visit_body(
            building,
            spaces=[{"space_id": first["id"], "status": "vacant"}, {"space_id": second["id"], "status": "vacant"}],
            leads=[{"company_name": "意向科技有限公司"}],
        )
        resp = stack.tasks.post("/api/tasks/visits", json=body, headers=CHIEF_SGH)
        assert resp.status_code == 503, resp.text
        assert "未保存" in resp.json()["detail"] and "已恢复" in resp.json()["detail"]
        assert registry_space(stack, first["id"])["status"] == "leased"
        assert registry_space(stack, second["id"])["status"] == "leased"
        assert stack.tasks.get("/api/tasks/visits", headers=BUREAU).json()["total"] == 0
        assert stack.tasks.get("/api/tasks/leads", headers=BUREAU).json()["total"] == 0
        assert changes(stack.tasks) == []

    def test_a_space_changed_since_the_page_was_opened_is_refused_with_412(self, stack):
        building = chief_building(stack.registry)
        leased = space(stack.registry, building["code"])
        body = visit_body(
            building, spaces=[{"space_id": leased["id"], "status": "vacant", "version": leased["version"] - 1 or 99}]
        )
        resp = stack.tasks.post("/api/tasks/visits", json=body, headers=CHIEF_SGH)
        assert resp.status_code == 412, resp.text
        assert "已被他人修改" in resp.json()["detail"]
        assert registry_space(stack, leased["id"])["status"] == "leased"
        assert stack.tasks.get("/api/tasks/visits", headers=BUREAU).json()["total"] == 0

    def test_a_space_of_another_building_is_422_naming_the_entry(self, stack):
        building = chief_building(stack.registry)
        other = chief_building(stack.registry, "长江产业大厦")
        foreign = space(stack.registry, other["code"])
        body = visit_body(building, spaces=[{"space_id": foreign["id"], "status": "vacant"}])
        resp = stack.tasks.post("/api/tasks/visits", json=body, headers=CHIEF_SGH)
        assert resp.status_code == 422, resp.text
        assert resp.json()["fields"][0]["field"] == "spaces.0.space_id"

    def test_an_unknown_participating_unit_is_422_and_registry_is_not_touched(self, stack):
        building = chief_building(stack.registry)
        leased = space(stack.registry, building["code"])
        body = visit_body(building, units=["不存在的局"], spaces=[{"space_id": leased["id"], "status": "vacant"}])
        resp = stack.tasks.post("/api/tasks/visits", json=body, headers=CHIEF_SGH)
        assert resp.status_code == 422, resp.text
        assert resp.json()["fields"][0]["field"] == "units.0"
        assert registry_space(stack, leased["id"])["status"] == "leased"

    def test_a_refused_demand_refuses_the_whole_visit_before_registry_is_written(self, stack):
        building = chief_building(stack.registry)
        leased = space(stack.registry, building["code"])
        body = visit_body(
            building,
            spaces=[{"space_id": leased["id"], "status": "vacant"}],
            leads=[{"company_name": "意向科技有限公司"}],
            demands=[{"enterprise_name": "某公司", "category": "policy", "text": "政策咨询", "unit": "fgj"}],
        )
        resp = stack.tasks.post("/api/tasks/visits", json=body, headers=CHIEF_SGH)
        assert resp.status_code == 403, resp.text
        assert registry_space(stack, leased["id"]) == leased | {"occupied_area": 0.0}
        assert stack.tasks.get("/api/tasks/leads", headers=BUREAU).json()["total"] == 0
        assert changes(stack.tasks) == []


class TestDraftsAndScope:
    def test_a_draft_sent_twice_is_recorded_once(self, stack):
        building = chief_building(stack.registry)
        leased = space(stack.registry, building["code"])
        body = visit_body(
            building, client_ref="draft-7f3c2a91", spaces=[{"space_id": leased["id"], "status": "vacant"}]
        )
        first = stack.tasks.post("/api/tasks/visits", json=body, headers=CHIEF_SGH)
        again = stack.tasks.post("/api/tasks/visits", json=body, headers=CHIEF_SGH)
        assert first.status_code == 201 and again.status_code == 200, again.text
        assert again.json()["id"] == first.json()["id"]
        assert stack.tasks.get("/api/tasks/visits", headers=BUREAU).json()["total"] == 1
        assert registry_space(stack, leased["id"])["version"] == leased["version"] + 1

    def test_the_idempotency_key_header_works_like_client_ref(self, stack):
        building = chief_building(stack.registry)
        headers = {**CHIEF_SGH, "Idempotency-Key": "draft-header-0001"}
        first = stack.tasks.post("/api/tasks/visits", json=visit_body(building), headers=headers)
        again = stack.tasks.post("/api/tasks/visits", json=visit_body(building), headers=headers)
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["client_ref"] == "draft-header-0001"

    def test_a_chief_cannot_visit_another_chiefs_building(self, stack):
        building = chief_building(stack.registry, chief="another")
        resp = stack.tasks.post("/api/tasks/visits", json=visit_body(building), headers=CHIEF_SGH)
        assert resp.status_code == 404, resp.text
        assert stack.tasks.get("/api/tasks/visits", headers=BUREAU).json()["total"] == 0

    def test_a_department_cannot_record_visits(self, stack):
        building = chief_building(stack.registry)
        resp = stack.tasks.post("/api/tasks/visits", json=visit_body(building), headers=FGJ)
        assert resp.status_code == 403

    def test_a_visit_in_the_future_is_refused(self, stack):
        building = chief_building(stack.registry)
        tomorrow = (today_in_china() + timedelta(days=1)).isoformat()
        resp = stack.tasks.post("/api/tasks/visits", json=visit_body(building, visit_date=tomorrow), headers=CHIEF_SGH)
        assert resp.status_code == 422
        assert resp.json()["fields"][0]["field"] == "visit_date"

    def test_visits_are_listed_within_scope(self, stack):
        mine = chief_building(stack.registry)
        other_street = chief_building(stack.registry, "保利广场", chief="yangyuan_chief", street=YANGYUAN)
        assert stack.tasks.post("/api/tasks/visits", json=visit_body(mine), headers=CHIEF_SGH).status_code == 201
        other_chief = token("yangyuan_chief", "chief", streets=(YANGYUAN,))
        assert (
            stack.tasks.post("/api/tasks/visits", json=visit_body(other_street), headers=other_chief).status_code == 201
        )
        assert stack.tasks.get("/api/tasks/visits", headers=LEADER).json()["total"] == 2
        street_list = stack.tasks.get("/api/tasks/visits", headers=STREET_SGH).json()
        assert [v["building_code"] for v in street_list["items"]] == [mine["code"]]
        assert stack.tasks.get("/api/tasks/visits", headers=CHIEF_SGH).json()["total"] == 1
        hidden = stack.tasks.get("/api/tasks/visits", headers=CHIEF_SGH).json()["items"][0]["id"] + 1
        assert stack.tasks.get(f"/api/tasks/visits/{hidden}", headers=CHIEF_SGH).status_code == 404


class TestPhotos:
    def visit(self, stack) -> dict:
        building = chief_building(stack.registry)
        resp = stack.tasks.post("/api/tasks/visits", json=visit_body(building), headers=CHIEF_SGH)
        assert resp.status_code == 201
        return resp.json()

    def test_a_photo_is_checked_by_content_stored_and_served(self, stack):
        visit = self.visit(stack)
        resp = stack.tasks.post(
            f"/api/tasks/visits/{visit['id']}/photos",
            files={"file": ("10楼.jpg", JPEG_BYTES, "application/octet-stream")},
            headers=CHIEF_SGH,
        )
        assert resp.status_code == 201, resp.text
        photo = resp.json()
        assert photo["content_type"] == "image/jpeg" and photo["size"] == len(JPEG_BYTES)
        assert photo["filename"] == "10楼.jpg"
        download = stack.tasks.get(photo["url"], headers=CHIEF_SGH)
        assert download.status_code == 200
        assert download.content == JPEG_BYTES and download.headers["content-type"] == "image/jpeg"
        assert stack.tasks.get(f"/api/tasks/visits/{visit['id']}", headers=CHIEF_SGH).json()["photos"] == 1

    def test_the_same_photo_sent_again_is_kept_once(self, stack):
        visit = self.visit(stack)
        url = f"/api/tasks/visits/{visit['id']}/photos"
        first = stack.tasks.post(url, files={"file": ("a.jpg", JPEG_BYTES, "image/jpeg")}, headers=CHIEF_SGH)
        again = stack.tasks.post(url, files={"file": ("a.jpg", JPEG_BYTES, "image/jpeg")}, headers=CHIEF_SGH)
        other = stack.tasks.post(url, files={"file": ("b.png", ONE_PIXEL_PNG, "image/png")}, headers=CHIEF_SGH)
        assert first.json()["id"] == again.json()["id"] != other.json()["id"]
        assert stack.tasks.get(f"/api/tasks/visits/{visit['id']}", headers=CHIEF_SGH).json()["photos"] == 2

    def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(self, stack):
        visit = self.visit(stack)
        resp = stack.tasks.post(
            f"/api/tasks/visits/{visit['id']}/photos",
            files={"file": ("photo.png", b"<script>alert(1)</script>", "image/png")},
            headers=CHIEF_SGH,
        )
        assert resp.status_code == 422
        assert resp.json()["fields"][0]["field"] == "file"

    def test_a_photo_over_the_size_limit_is_413(self, make_client):
        stack = make_stack(make_client, tasks_photo_max_bytes=100)
        visit = self.visit(stack)
        resp = stack.tasks.post(
            f"/api/tasks/visits/{visit['id']}/photos",
            files={"file": ("big.png", ONE_PIXEL_PNG + b"\x00" * 200, "image/png")},
            headers=CHIEF_SGH,
        )
        assert resp.status_code == 413, resp.text
        assert "不能超过" in resp.json()["detail"]

    def test_another_chief_cannot_add_photos(self, stack):
        visit = self.visit(stack)
        other = token("another", "chief", streets=(SHUIGUOHU,))
        resp = stack.tasks.post(
            f"/api/tasks/visits/{visit['id']}/photos",
            files={"file": ("a.jpg", JPEG_BYTES, "image/jpeg")},
            headers=other,
        )
        assert resp.status_code == 404


def test_field_work_routes_run_in_worker_threads():
    """Routes that use the database are plain functions (run in a worker thread): an async route
    waiting on SQLite's write lock would stop the event loop that the lock holder needs to commit.
    Calls to registry and metrics go to the event loop from there (clients.BlockingRegistry)."""
    import inspect

    from fastapi.routing import APIRoute

    from tasks.assessment.router import router as assessment
    from tasks.bulletins.router import router as bulletins
    from tasks.demands.router import router as demands
    from tasks.leads.router import router as leads
    from tasks.visits.router import router as visits

    routes = [r for router in (visits, leads, demands, bulletins, assessment) for r in router.routes]
    assert len(routes) > 30 and all(isinstance(r, APIRoute) for r in routes)
    assert [r.path for r in routes if inspect.iscoroutinefunction(r.endpoint)] == []
