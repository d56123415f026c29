"""待办 from registry: my applied import refused for bad rows stays a 待办 until a later import of
the same kind goes through; dry runs and other people's imports are not mine to redo."""

from __future__ import annotations

from registry.imports.files import write_table
from registry.imports.kinds import KINDS
from tests.registry.conftest import BUREAU, LEADER, credit_code, token

HEADERS = KINDS["enterprises"].headers
OTHER_BUREAU = token("another", "bureau")


def _row(code: str, name: str) -> list[str]:
    values = {"统一社会信用代码": code, "企业名称": name}
    return [values.get(h, "") for h in HEADERS]


def _upload(registry, rows, *, name: str, dry_run: bool, headers=BUREAU):
    data = write_table(HEADERS, rows, fmt="csv")
    return registry.post(
        "/api/registry/imports/enterprises",
        params={"dry_run": str(dry_run).lower()},
        files={"file": (name, data, "text/csv")},
        headers=headers,
    )


def inbox(registry, headers=BUREAU) -> dict:
    resp = registry.get("/api/registry/inbox", headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_a_refused_import_is_a_todo_until_one_goes_through(registry):
    bad = [_row(credit_code(1), "甲有限公司"), _row(credit_code(1), "甲二有限公司")]
    _upload(registry, bad, name="试导入.csv", dry_run=True)
    assert inbox(registry)["total"] == 0  # a dry run is only a check
    assert _upload(registry, bad, name="第一批.csv", dry_run=False).json()["applied"] is False
    body = inbox(registry)
    [item] = body["items"]
    assert body["total"] == 1
    assert item["kind"] == "import" and item["link"] == "/imports/registry"
    assert item["title"] == "修改后重新导入企业：第一批.csv（1 行有误，未保存）"
    assert inbox(registry, OTHER_BUREAU)["total"] == 0
    assert registry.get("/api/registry/inbox", headers=LEADER).status_code == 403
    assert _upload(registry, bad[:1], name="第一批（改）.csv", dry_run=False).json()["applied"] is True
    assert inbox(registry)["total"] == 0
