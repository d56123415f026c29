"""Enterprise tags carry Chinese labels (never `global500` on a screen): one label map, in the
read schema of both the list and the detail."""

from __future__ import annotations

from registry.enterprises.models import HQ_LEVELS, TAG_LABELS
from tests.registry.conftest import BUREAU, new_enterprise


def test_detail_and_list_show_tags_in_chinese(registry):
    client = registry
    made = new_enterprise(client, 1, hq_level="global500", listed=True, above_scale=True)
    assert made["hq_level_label"] == "世界500强"
    detail = client.get(f"/api/registry/enterprises/{made['credit_code']}", headers=BUREAU).json()
    labels = {t["code"]: t["label"] for t in detail["tags"]}
    assert labels["global500"] == "世界500强" and labels["listed"] == "上市" and labels["above_scale"] == "规上"
    listed = client.get("/api/registry/enterprises", headers=BUREAU).json()["items"][0]
    assert listed["hq_level_label"] == "世界500强"
    assert all(not t["label"].isascii() for t in listed["tags"])


def test_every_tag_code_has_a_chinese_label():
    assert set(HQ_LEVELS) <= set(TAG_LABELS)
    assert all(label and not label.isascii() for label in TAG_LABELS.values())
