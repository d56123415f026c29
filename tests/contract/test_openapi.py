"""Each service's OpenAPI document describes the real error body and the answers a route gives.

- no FastAPI ``HTTPValidationError`` anywhere;
- every 4xx/5xx answer of every route refers to ``ErrorBody`` ({error, detail, request_id, fields});
- a route behind a token lists 401 and 403; a route with a path parameter 404; a write 409;
- a route that checks ``If-Match`` declares the header required and lists 412 and 428;
- and the document's error body is what the service really answers (a 404 and a 422, validated).
"""

from __future__ import annotations

import json

import pytest

from tests.metrics.conftest import BUREAU

SERVICES = ("gateway", "registry", "tasks", "metrics")
OPENAPI = {
    "gateway": "/api/auth/openapi.json",
    "registry": "/api/registry/openapi.json",
    "tasks": "/api/tasks/openapi.json",
    "metrics": "/api/metrics/openapi.json",
}
ERROR_REF = "#/components/schemas/ErrorBody"
METHODS = ("get", "post", "put", "patch", "delete")


def _document(make_client, service):
    client = make_client(service)
    resp = client.get(OPENAPI[service])
    if resp.status_code == 404:  # the gateway may serve its document under another prefix
        resp = client.get("/api/gateway/openapi.json")
    assert resp.status_code == 200, resp.text
    return resp.json()


def _operations(doc):
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            if method in METHODS:
                yield path, method, op


@pytest.mark.parametrize("service", SERVICES)
def test_errors_are_the_louyu_error_body(make_client, service):
    doc = _document(make_client, service)
    assert "HTTPValidationError" not in json.dumps(doc)
    body = doc["components"]["schemas"]["ErrorBody"]
    assert set(body["properties"]) == {"error", "detail", "request_id", "fields"}
    wrong = []
    for path, method, op in _operations(doc):
        for code, answer in op["responses"].items():
            if code.isdigit() and int(code) >= 400:
                schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
                if schema.get("$ref") != ERROR_REF:
                    wrong.append(f"{method.upper()} {path} {code}")
                if not answer.get("description"):
                    wrong.append(f"{method.upper()} {path} {code}: no description")
        if "{" in path and "404" not in op["responses"]:
            wrong.append(f"{method.upper()} {path}: a path parameter without 404")
        if method != "get" and "409" not in op["responses"]:
            wrong.append(f"{method.upper()} {path}: a write without 409")
        if "multipart/form-data" in op.get("requestBody", {}).get("content", {}) and "413" not in op["responses"]:
            wrong.append(f"{method.upper()} {path}: an upload without 413")
        if op.get("security") and not {"401", "403"} <= set(op["responses"]):
            wrong.append(f"{method.upper()} {path}: behind a token without 401/403")
        if_match = [p for p in op.get("parameters", []) if p.get("in") == "header" and p["name"].lower() == "if-match"]
        if if_match:
            if not if_match[0].get("required"):
                wrong.append(f"{method.upper()} {path}: If-Match not required")
            if not {"412", "428"} <= set(op["responses"]):
                wrong.append(f"{method.upper()} {path}: If-Match without 412/428")
    assert wrong == []


def test_if_match_is_declared_on_the_registry_updates(make_client):
    doc = _document(make_client, "registry")
    with_if_match = [
        (path, method)
        for path, method, op in _operations(doc)
        if any(
            p.get("in") == "header" and p["name"] == "If-Match" and p.get("required") for p in op.get("parameters", [])
        )
    ]
    assert ("/api/registry/buildings/{code}", "patch") in with_if_match


def test_routes_behind_a_token_say_so(make_client):
    doc = _document(make_client, "metrics")
    kpis = doc["paths"]["/api/metrics/kpis"]["get"]
    assert kpis["security"] == [{"bearer": []}]
    assert {"401", "403", "422", "500", "503"} <= set(kpis["responses"])
    assert "security" not in doc["paths"]["/api/metrics/health"]["get"]


def test_the_documented_error_body_is_what_the_service_answers(make_client):
    import jsonschema

    client = make_client("metrics")
    doc = client.get(OPENAPI["metrics"]).json()
    schema = {**doc["components"]["schemas"]["ErrorBody"], "components": doc["components"]}
    resolver_doc = {"components": doc["components"], **schema}
    for resp, status in (
        (client.get("/api/metrics/buildings/NOPE", headers=BUREAU), 404),
        (client.get("/api/metrics/rankings/buildings", params={"limit": "many"}, headers=BUREAU), 422),
        (client.get("/api/metrics/kpis"), 401),
    ):
        assert resp.status_code == status, resp.text
        assert str(status) in doc["paths"][_path_of(resp.request.url.path)]["get"]["responses"]
        jsonschema.validate(resp.json(), resolver_doc)


def _path_of(url_path):
    return "/api/metrics/buildings/{code}" if url_path.startswith("/api/metrics/buildings/") else url_path
