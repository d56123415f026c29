"""The metrics service as tasks needs it: headline figures for a bulletin (the dashboard's
cards) and, for assessment, the new 亿元 / 特色 buildings of a year per street. Metrics being
down is normal here: callers get ``None`` and say the figures are unavailable, never fail.

Shapes read (the consumer's; metrics may add fields):
- ``GET /api/metrics/dashboard?period=`` → ``{as_of, cards: [{key, label, value, unit?, new?}]}``
  (money in 元, rates as fractions, ``null`` when not computable);
- ``GET /api/metrics/tiers?period=YYYY`` → ``{items: [{key, new: [{code}]}]}``;
- ``GET /api/metrics/featured?year=`` → ``{items: [{building_code, street_code, qualifies}]}``.
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from anyio import from_thread
from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field

from louyu_kit.errors import LouyuError
from louyu_kit.http import PeerClient

log = logging.getLogger("louyu.tasks.metrics")

# Cards a bulletin shows, in this order (others are left to the dashboard).
BULLETIN_CARDS = (
    "tax_total",
    "tax_district",
    "yiyuan_buildings",
    "featured_buildings",
    "occupancy_rate",
    "vacant_area",
    "tenants",
    "buildings",
)


class Figure(BaseModel):
    """One headline figure, formatted for a bulletin."""

    key: str
    label: str = Field(description="指标名称")
    value: str = Field(description="数值（已按单位格式化）")
    note: str = Field("", description="补充说明，如同比")


class Headline(BaseModel):
    """What a bulletin takes from the metrics dashboard."""

    period: str
    as_of: str | None = None
    figures: list[Figure]


class StreetNews(BaseModel):
    """New 亿元 and 特色 buildings of a year, per street code."""

    year: int
    yiyuan: dict[str, int] = Field(default_factory=dict)
    featured: dict[str, int] = Field(default_factory=dict)


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _plain(number: Decimal, places: int = 2) -> str:
    text = f"{number:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(key: str, value: Any, unit: str) -> str | None:
    """A card's value as a bulletin writes it (亿元 / 万元, percentages, counts)."""
    number = _number(value)
    if number is None:
        return None
    if key.endswith("_rate"):
        return f"{_plain(number * 100, 1)}%"
    if unit == "元":
        if abs(number) >= Decimal(100_000_000):
            return f"{_plain(number / Decimal(100_000_000))}亿元"
        if abs(number) >= Decimal(10_000):
            return f"{_plain(number / Decimal(10_000))}万元"
        return f"{_plain(number)}元"
    if key in ("yiyuan_buildings", "featured_buildings"):
        return f"{_plain(number, 0)}栋"
    return f"{_plain(number)}{unit}"


def _note(card: dict[str, Any]) -> str:
    parts = []
    yoy = _number(card.get("yoy"))
    if yoy is not None:
        parts.append(f"同比{'增长' if yoy >= 0 else '下降'}{_plain(abs(yoy) * 100, 1)}%")
    new = _number(card.get("new"))
    if new is not None and new > 0:
        parts.append(f"较上年新增{_plain(new, 0)}栋")
    return "，".join(parts)


def headline_figures(cards: Any) -> list[Figure]:
    if not isinstance(cards, list):
        return []
    by_key = {str(c.get("key")): c for c in cards if isinstance(c, dict) and c.get("key")}
    figures = []
    for key in BULLETIN_CARDS:
        card = by_key.get(key)
        if card is None:
            continue
        value = format_value(key, card.get("value"), str(card.get("unit") or ""))
        if value is not None:
            figures.append(Figure(key=key, label=str(card.get("label") or key), value=value, note=_note(card)))
    return figures


class GoalFigure(BaseModel):
    """A goal as metrics measures it (``GET /api/metrics/goals?year=``): the figures are quoted,
    never recomputed here."""

    model_config = ConfigDict(extra="ignore")

    metric: str
    metric_name: str = ""
    text: str = ""
    unit: str = ""
    comparison_name: str = ""
    target: Decimal
    baseline_value: Decimal | None = None
    current_value: Decimal | None = None
    progress: Decimal | None = None
    achieved: bool = False
    computation: str = ""


class MetricsClient(PeerClient):
    peer_name = "指标分析服务"

    async def _get(self, path: str, params: dict[str, Any], token: str) -> Any:
        try:
            resp = await self.request("GET", path, params=params, headers={"Authorization": f"Bearer {token}"})
            return resp.json()
        except (LouyuError, ValueError) as exc:
            log.warning("metrics %s unavailable: %s", path, exc)
            return None

    async def headline(self, period: str, *, token: str) -> Headline | None:
        """The dashboard's headline figures for ``period``, or None when metrics cannot answer."""
        body = await self._get("/api/metrics/dashboard", {"period": period}, token)
        if not isinstance(body, dict):
            return None
        if not isinstance(body.get("cards"), list):
            log.warning("metrics dashboard for %s answered without cards", period)
            return None
        figures = headline_figures(body["cards"])
        as_of = body.get("as_of")
        return Headline(period=period, as_of=str(as_of) if as_of else None, figures=figures)

    async def street_news(self, year: int, *, token: str) -> StreetNews | None:
        """Buildings that became 亿元楼宇 / 特色楼宇 in ``year``, counted per street (None: unavailable)."""
        tiers = await self._get("/api/metrics/tiers", {"period": str(year)}, token)
        now = await self._get("/api/metrics/featured", {"year": year}, token)
        before = await self._get("/api/metrics/featured", {"year": year - 1}, token)
        if not (isinstance(tiers, dict) and isinstance(now, dict) and isinstance(before, dict)):
            return None
        try:
            streets = {str(v["building_code"]): str(v["street_code"]) for v in now["items"]}
            was = {str(v["building_code"]) for v in before["items"] if v.get("qualifies")}
            new_featured = [
                c
                for c, v in ((str(v["building_code"]), v) for v in now["items"])
                if v.get("qualifies") and c not in was
            ]
            yiyuan = next((t for t in tiers["items"] if t.get("key") == "yiyuan"), {"new": []})
            new_yiyuan = [str(b["code"]) for b in yiyuan.get("new") or []]
        except (KeyError, TypeError) as exc:
            log.warning("metrics answered an unexpected shape for %s: %s", year, exc)
            return None
        news = StreetNews(year=year)
        for code in new_yiyuan:
            if code in streets:
                news.yiyuan[streets[code]] = news.yiyuan.get(streets[code], 0) + 1
        for code in new_featured:
            news.featured[streets[code]] = news.featured.get(streets[code], 0) + 1
        return news

    async def goals(self, year: int, *, token: str) -> list[GoalFigure] | None:
        """The year's goals with their achieved values, or None when metrics cannot answer."""
        body = await self._get("/api/metrics/goals", {"year": year}, token)
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            return None
        try:
            return [GoalFigure.model_validate(item) for item in body["items"]]
        except ValueError as exc:
            log.warning("metrics goals for %s answered an unexpected shape: %s", year, exc)
            return None


async def _tier_codes(client: MetricsClient, year: int, tier: str, token: str) -> set[str] | None:
    body = await client._get("/api/metrics/tiers", {"period": str(year)}, token)
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        return None
    try:
        row = next((t for t in body["items"] if t.get("key") == tier), None)
        return {str(b["code"]) for b in (row or {}).get("buildings") or []}
    except (KeyError, TypeError, AttributeError) as exc:
        log.warning("metrics tiers for %s answered an unexpected shape: %s", year, exc)
        return None


class BlockingMetrics:
    """The metrics client for sync routes (see ``BlockingRegistry``)."""

    def __init__(self, client: MetricsClient) -> None:
        self._client = client

    def headline(self, period: str, *, token: str) -> Headline | None:
        return from_thread.run(partial(self._client.headline, period, token=token))

    def street_news(self, year: int, *, token: str) -> StreetNews | None:
        return from_thread.run(partial(self._client.street_news, year, token=token))

    def goals(self, year: int, *, token: str) -> list[GoalFigure] | None:
        return from_thread.run(partial(self._client.goals, year, token=token))

    def tier_buildings(self, year: int, tier: str, *, token: str) -> set[str] | None:
        """Codes of the buildings at ``tier`` (e.g. qianwan: 千万元及以上) in ``year``; None: unavailable."""
        return from_thread.run(partial(_tier_codes, self._client, year, tier, token))


def get_metrics(request: Request) -> BlockingMetrics:
    return BlockingMetrics(request.app.state.metrics)
