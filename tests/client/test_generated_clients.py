"""A Python client generated from each service's OpenAPI document (openapi-python-client), used
against a running product: every answer below is the generated client's typed model (or its
bytes for a file), never a hand-parsed JSON body (issue #23 item 5)."""

from __future__ import annotations

import io
import uuid

import openpyxl
import pytest

pytestmark = pytest.mark.client

CREDIT_CODE = "91420106MA4K8X2Y09"


def test_the_four_clients_install_under_ascii_names(lane):
    assert lane.packages == {s: f"louyu_{s}_api_client" for s in ("gateway", "registry", "tasks", "metrics")}
    for service in lane.packages:
        assert lane.package(service).AuthenticatedClient is not None
    print(f"\nclient lane: {', '.join(f'{k} {v:.1f} s' for k, v in lane.seconds.items())}")


def test_a_facts_batch_posted_with_a_client_credentials_token(lane, admin_token):
    gateway = lane.models("gateway")
    created = lane.op("gateway", "create_client_api_auth_clients_post").sync(
        client=lane.authenticated("gateway", admin_token),
        body=gateway.ClientCreate(name="客户端生成测试（税务局）", scopes=["facts:write"]),
    )
    assert isinstance(created, gateway.ClientWithSecret), created
    pair = lane.op("gateway", "token_api_auth_token_post").sync(
        client=lane.anonymous("gateway"),
        body=gateway.BodyTokenApiAuthTokenPost(
            grant_type="client_credentials", client_id=created.client_id, client_secret=created.client_secret
        ),
    )
    assert isinstance(pair, gateway.TokenResponse), pair

    metrics = lane.models("metrics")
    row = metrics.BatchInFactRowIn(
        credit_code=CREDIT_CODE, period="2025-06", kind=metrics.BatchInFactRowInKind("tax_total"), value=1250000.5
    )
    answer = lane.op("metrics", "post_batch_api_metrics_facts_batches_post").sync(
        client=lane.authenticated("metrics", pair.access_token),
        body=metrics.BatchIn(source=metrics.BatchInSource("tax_bureau"), rows=[row]),
        idempotency_key=str(uuid.uuid4()),
    )
    assert isinstance(answer, metrics.BatchRead), answer
    assert answer.rejected == [] and answer.accepted == 1 and answer.id


def test_the_dashboard_reads_as_its_model(lane, leader_token):
    metrics = lane.models("metrics")
    dashboard = lane.op("metrics", "read_dashboard_api_metrics_dashboard_get").sync(
        client=lane.authenticated("metrics", leader_token)
    )
    assert isinstance(dashboard, metrics.Dashboard), dashboard
    assert dashboard.cards


def test_aggregates_as_json_and_as_xlsx(lane, leader_token):
    metrics = lane.models("metrics")
    client = lane.authenticated("metrics", leader_token)
    table = lane.op("metrics", "read_aggregates_api_metrics_stats_aggregates_get").sync(client=client)
    assert isinstance(table, metrics.Aggregates), table
    assert table.items and table.total_row

    download = lane.op("metrics", "export_aggregates_api_metrics_stats_aggregates_export_get").sync_detailed(
        client=client
    )
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(download.parsed.payload.read()), read_only=True)
    assert book.sheetnames


def test_a_registry_import_file_in_dry_run(lane, bureau_token):
    registry = lane.models("registry")
    types = lane.package("registry").types
    client = lane.authenticated("registry", bureau_token)
    template = lane.op("registry", "template_api_registry_imports_kind_template_get").sync(
        registry.TemplateApiRegistryImportsKindTemplateGetKind("buildings"), client=client
    )
    assert isinstance(template, types.File), template
    content = template.payload.read()
    assert content.startswith(b"PK")
    report = lane.op("registry", "import_file_api_registry_imports_kind_post").sync(
        registry.ImportFileApiRegistryImportsKindPostKind("buildings"),
        client=client,
        dry_run=True,
        body=registry.BodyImportFileApiRegistryImportsKindPost(
            file=types.File(
                payload=io.BytesIO(content),
                file_name="楼宇导入模板.xlsx",
                mime_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        ),
    )
    assert isinstance(report, registry.ImportReport), report
    assert report.dry_run is True


def test_a_422_and_a_404_are_typed_errors(lane, bureau_token):
    registry = lane.models("registry")
    client = lane.authenticated("registry", bureau_token)
    missing = lane.op("registry", "read_building_api_registry_buildings_code_get").sync_detailed(
        "NO-SUCH-BUILDING", client=client
    )
    assert missing.status_code == 404
    assert isinstance(missing.parsed, registry.ErrorBody), missing.parsed
    assert missing.parsed.error.endswith("NotFound") and missing.parsed.detail

    invalid = lane.op("registry", "list_buildings_api_registry_buildings_get").sync_detailed(
        client=client, page_size=100_000
    )
    assert invalid.status_code == 422
    assert isinstance(invalid.parsed, registry.ErrorBody), invalid.parsed
    assert invalid.parsed.fields and invalid.parsed.fields[0].field
