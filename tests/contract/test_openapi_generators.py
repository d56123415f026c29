"""Each service's OpenAPI document is one a client generator can use (issue #23 item 4), and the
check fails when a file route is declared as JSON, an upload is not binary, a component name is
duplicated or a title is not ASCII (``tests/contract/openapi_walk.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pytest
from fastapi import FastAPI, File, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from louyu_kit.docs import XLSX_TYPE, file_response_doc, install_openapi
from tests.conftest import build_app, settings_for
from tests.contract.openapi_walk import problems

SERVICES = ("gateway", "registry", "tasks", "metrics")


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, FastAPI]:
    tmp: Path = tmp_path_factory.mktemp("openapi")
    return {s: build_app(s, settings_for(s, f"sqlite:///{tmp / s}.db", tmp)) for s in SERVICES}


def _fresh(app: FastAPI) -> FastAPI:
    app.openapi_schema = None
    return app


@pytest.mark.parametrize("service", SERVICES)
def test_the_document_is_one_a_generator_can_use(apps, service):
    assert problems(_fresh(apps[service])) == []


@pytest.mark.parametrize("service", SERVICES)
def test_ascii_title_and_the_chinese_name_beside_it(apps, service):
    info = apps[service].openapi()["info"]
    assert info["title"] == f"Louyu {service.capitalize()} API"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info["x-title-zh"] + info["description"])


def test_every_download_is_declared_with_its_media_types(apps):
    expected = {
        ("gateway", "/api/auth/audit/export"): {XLSX_TYPE, "text/csv; charset=utf-8"},
        ("registry", "/api/registry/imports/{kind}/template"): {XLSX_TYPE},
        ("registry", "/api/registry/exports/{kind}"): {XLSX_TYPE},
        ("registry", "/api/registry/spaces/available/export"): {XLSX_TYPE},
        ("metrics", "/api/metrics/facts/upload/template"): {XLSX_TYPE},
        ("metrics", "/api/metrics/stats/aggregates"): {XLSX_TYPE, "application/json"},
        ("metrics", "/api/metrics/stats/aggregates/export"): {XLSX_TYPE},
        ("metrics", "/api/metrics/stats/cross-tab/export"): {XLSX_TYPE},
        ("tasks", "/api/tasks/bulletins/{bulletin_id}.docx"): {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        },
        ("tasks", "/api/tasks/visits/{visit_id}/photos/{photo_id}"): {"image/jpeg", "image/png"},
        ("tasks", "/api/tasks/tasks/{task_id}/attachments/{attachment_id}"): {"image/jpeg", "application/pdf"},
    }
    for (service, path), media in expected.items():
        content = apps[service].openapi()["paths"][path]["get"]["responses"]["200"]["content"]
        assert media <= set(content), (path, list(content))


def test_every_upload_is_binary_multipart(apps):
    uploads = []
    for service in SERVICES:
        doc = apps[service].openapi()
        for path, ops in doc["paths"].items():
            for method, op in ops.items():
                body = op.get("requestBody", {}).get("content", {}) if isinstance(op, dict) else {}
                if "multipart/form-data" in body:
                    ref = body["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
                    props = doc["components"]["schemas"][ref]["properties"]
                    assert props["file"]["format"] == "binary", (path, props)
                    uploads.append(f"{method.upper()} {path}")
    assert sorted(uploads) == [
        "POST /api/metrics/facts/upload",
        "POST /api/registry/imports/{kind}",
        "POST /api/tasks/inspections/{inspection_id}/photos",
        "POST /api/tasks/opinions/{opinion_id}/assignments/{assignment_id}/evidence",
        "POST /api/tasks/parts/{part_id}/attachments",
        "POST /api/tasks/plans/{plan_id}/summaries/{unit_code}/attachments",
        "POST /api/tasks/policies/import",
        "POST /api/tasks/policy-applications/import",
        "POST /api/tasks/tasks/{task_id}/attachments",
        "POST /api/tasks/visits/{visit_id}/photos",
    ]


def test_required_headers_are_declared_required(apps):
    batch = apps["metrics"].openapi()["paths"]["/api/metrics/facts/batches"]["post"]
    key = next(p for p in batch["parameters"] if p["name"] == "Idempotency-Key")
    assert key["required"] is True and key["schema"]["type"] == "string"
    # A visit's Idempotency-Key stays optional: client_ref in the body does the same.
    visit = apps["tasks"].openapi()["paths"]["/api/tasks/visits"]["post"]
    assert not next(p for p in visit["parameters"] if p["name"] == "Idempotency-Key").get("required")


def test_the_plan_models_keep_their_names(apps):
    schemas = apps["tasks"].openapi()["components"]["schemas"]
    assert {"GoalNode", "GoalNodeInput", "SectionNode", "TaskNode", "ImportResult", "PlanRead"} <= set(schemas)
    assert not [n for n in schemas if "-" in n]


# ----- the check can fail -------------------------------------------------------------------


def test_a_file_route_flipped_back_to_json_fails_the_check(monkeypatch, tmp_path):
    """The metrics template route as it was before #23 (a file answer declared as JSON), in a
    freshly built app: the check names it."""
    from metrics.facts.router import router

    route = next(r for r in router.routes if getattr(r, "path", "") == "/facts/upload/template")
    monkeypatch.setattr(route, "response_class", JSONResponse)
    monkeypatch.setattr(route, "responses", {})
    app = build_app("metrics", settings_for("metrics", f"sqlite:///{tmp_path}/m.db", tmp_path))
    found = problems(app)
    assert found == [
        "GET /api/metrics/facts/upload/template 200: JSON answer without a schema (a file declared as JSON?)",
        "GET /api/metrics/facts/upload/template: answers a file but its 200 is declared as ['application/json']",
    ]


class Node(BaseModel):
    value: float = 0


class Outer(BaseModel):
    node: Node


def _broken_app() -> FastAPI:
    app = FastAPI(title="楼宇登记服务")

    @app.get("/export")
    def export() -> Response:  # a file, declared as JSON (FastAPI's default)
        return Response(b"PK", media_type=XLSX_TYPE)

    @app.get("/report.docx", response_class=Response, responses={200: {"content": {"application/msword": {}}}})
    def report() -> Response:  # a file type without a binary schema
        return Response(b"", media_type="application/msword")

    @app.post("/upload")
    def upload(file: Annotated[UploadFile, File()]) -> Outer:
        return Outer(node=Node())

    @app.get("/good", response_class=Response, responses=file_response_doc(XLSX_TYPE))
    def good() -> Response:
        return Response(b"PK", media_type=XLSX_TYPE)

    return app


def test_the_check_names_each_kind_of_fault():
    app = _broken_app()
    found = problems(app)  # FastAPI's own document: no louyu_kit post-processing
    text = "\n".join(found)
    assert "title '楼宇登记服务' is not ASCII" in text
    assert "GET /export 200: JSON answer without a schema" in text
    assert "GET /export: answers a file but its 200 is declared as ['application/json']" in text
    assert "GET /report.docx 200: application/msword without a binary schema" in text
    assert "POST /upload: upload field 'file' is not format binary" in text
    assert not [p for p in found if "/good" in p]


def test_the_kit_fixes_uploads_but_not_a_file_declared_as_json():
    app = _broken_app()
    install_openapi(app)
    found = problems(app)
    assert not [p for p in found if "upload" in p]
    assert [p for p in found if "GET /export" in p]


def test_two_models_with_one_class_name_fail_the_check():
    app = FastAPI(title="Louyu Test API")

    @app.get("/a", response_model=Node)
    def a() -> Node:
        return Node()

    doc = app.openapi()
    doc["components"]["schemas"]["Node-Input"] = {**doc["components"]["schemas"]["Node"], "title": "Node"}
    assert any("make one class name" in p for p in problems(app))
    assert any("'Node-Input' is not an identifier" in p for p in problems(app))


def test_money_is_a_number_in_the_metrics_document(apps):
    schemas = apps["metrics"].openapi()["components"]["schemas"]

    def types(schema):
        return {o.get("type") for o in schema.get("anyOf", [schema])} - {"null"}

    for model, field in (
        ("FactRead", "value"),
        ("RevisionRead", "value"),
        ("UnregisteredPage", "tax_total"),
        ("WarningRuleRead", "min_base"),
        ("WarningRuleChange", "min_base"),
        ("WarningFigures", "current"),
        ("Card", "value"),
        ("StreetBar", "tax_total"),
    ):
        assert types(schemas[model]["properties"][field]) == {"number"}, (model, field)
