"""The metrics service as tasks needs it: headline figures for a bulletin and the new 亿元 /
特色 buildings per street for assessment. Metrics being down is normal here: callers get
``None`` and say the figures are unavailable, never fail."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from pydantic import BaseModel, Field

from louyu_kit.errors import LouyuError
from louyu_kit.http import PeerClient

log = logging.getLogger("louyu.tasks.metrics")


class Figure(BaseModel):
    """One headline figure of the dashboard (a 驾驶舱 card)."""

    label: str = Field(description="指标名称")
    value: str = Field(description="数值（已格式化）")
    unit: str = Field("", description="单位")


class Dashboard(BaseModel):
    """What a bulletin takes from the metrics dashboard."""

    period: str
    figures: list[Figure]
    as_of: str | None = None
    # Street code → number of buildings that became 亿元楼宇 / 特色楼宇 in the period.
    new_yiyuan_by_street: dict[str, int] = Field(default_factory=dict)
    new_featured_by_street: dict[str, int] = Field(default_factory=dict)


def _text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _figures(cards: Any) -> list[Figure]:
    """Cards as a list of ``{label|title|name, value, unit}`` or a mapping key → card/value."""
    rows: list[tuple[Any, Any, Any]] = []
    if isinstance(cards, dict):
        for key, card in cards.items():
            if isinstance(card, dict):
                rows.append(
                    (
                        card.get("label") or card.get("title") or card.get("name") or key,
                        card.get("value"),
                        card.get("unit"),
                    )
                )
            else:
                rows.append((key, card, ""))
    elif isinstance(cards, list):
        for card in cards:
            if isinstance(card, dict):
                rows.append(
                    (
                        card.get("label") or card.get("title") or card.get("name") or card.get("key"),
                        card.get("value"),
                        card.get("unit"),
                    )
                )
    return [
        Figure(label=str(label), value=_text(value), unit=str(unit or ""))
        for label, value, unit in rows
        if label and value is not None
    ]


def _by_street(body: dict[str, Any], key: str) -> dict[str, int]:
    """``{"new_by_street": {"yiyuan": {street: n}, "featured": {...}}}`` when metrics gives it."""
    section = body.get("new_by_street")
    if not isinstance(section, dict) or not isinstance(section.get(key), dict):
        return {}
    out = {}
    for street, n in section[key].items():
        try:
            out[str(street)] = int(n)
        except (TypeError, ValueError):
            continue
    return out


class MetricsClient(PeerClient):
    peer_name = "指标分析服务"

    async def dashboard(self, period: str, *, token: str) -> Dashboard | None:
        """The dashboard's headline figures for ``period``, or None when metrics cannot answer."""
        try:
            resp = await self.request(
                "GET",
                "/api/metrics/dashboard",
                params={"period": period},
                headers={"Authorization": f"Bearer {token}"},
            )
            body = resp.json()
        except (LouyuError, ValueError) as exc:
            log.warning("metrics dashboard unavailable for %s: %s", period, exc)
            return None
        if not isinstance(body, dict):
            return None
        as_of = body.get("as_of")
        return Dashboard(
            period=period,
            figures=_figures(body.get("cards")),
            as_of=str(as_of) if as_of else None,
            new_yiyuan_by_street=_by_street(body, "yiyuan"),
            new_featured_by_street=_by_street(body, "featured"),
        )


def get_metrics(request: Request) -> MetricsClient:
    return request.app.state.metrics
