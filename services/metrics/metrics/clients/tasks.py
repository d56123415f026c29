"""The tasks service, asked only for the plan's goals (``GET /api/tasks/goals``) and the
招商共享中心 opened in a goal's year (``GET /api/tasks/centres/opened``), with an internal
service token, when the goals are copied; never on a dashboard request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from louyu_kit.auth import ServiceTokenSource
from louyu_kit.errors import Upstream
from louyu_kit.http import PeerClient, make_async_client

GOALS_PATH = "/api/tasks/goals"
CENTRES_OPENED_PATH = "/api/tasks/centres/opened"


@dataclass(frozen=True)
class TasksGoal:
    """A goal as the tasks service publishes it (the fields metrics needs)."""

    id: str
    plan_id: str | None
    plan_title: str
    metric: str
    target: Decimal
    unit: str
    text: str
    phase_end_date: date | None
    metric_name: str = ""
    comparison: str = "increase"  # increase / at_least / at_most / equal
    measured_by: str = "metrics"  # metrics computes it / the bureau enters it
    is_demo: bool = False  # a goal of the demo plan (make run)


class TasksClient(PeerClient):
    peer_name = "任务服务"

    def __init__(self, client: httpx.AsyncClient, *, tokens: ServiceTokenSource) -> None:
        super().__init__(client)
        self.tokens = tokens

    @classmethod
    def create(
        cls,
        base_url: str,
        *,
        tokens: ServiceTokenSource,
        timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> TasksClient:
        return cls(make_async_client(base_url, timeout=timeout, transport=transport), tokens=tokens)

    async def goals(self) -> list[TasksGoal]:
        """Every quantitative goal of every plan."""
        resp = await self.request("GET", GOALS_PATH, headers={"Authorization": f"Bearer {await self.tokens.token()}"})
        try:
            body = resp.json()
            return [_goal(item) for item in body["items"]]
        except (ValueError, KeyError, TypeError, InvalidOperation) as exc:
            raise Upstream("任务服务返回的目标数据格式不正确") from exc

    async def centres_opened(self, year: int) -> CentresOpened:
        """The 招商共享中心 (区级 and 街道) opened in ``year``."""
        resp = await self.request(
            "GET",
            CENTRES_OPENED_PATH,
            params={"year": year},
            headers={"Authorization": f"Bearer {await self.tokens.token()}"},
        )
        try:
            body = resp.json()
            names = [str(item["name"]) for item in body["items"]]
            return CentresOpened(year=year, count=int(body["count"]), names=names)
        except (ValueError, KeyError, TypeError) as exc:
            raise Upstream("任务服务返回的招商共享中心数据格式不正确") from exc


@dataclass(frozen=True)
class CentresOpened:
    """How many centres tasks has opened in a year, and their names."""

    year: int
    count: int
    names: list[str]


def _goal(item: dict[str, Any]) -> TasksGoal:
    end = item.get("phase_end_date")
    plan_id = item.get("plan_id")
    return TasksGoal(
        id=str(item["id"]),
        plan_id=None if plan_id is None else str(plan_id),
        plan_title=str(item.get("plan_title") or ""),
        metric=str(item["metric"]),
        target=Decimal(str(item["target"])),
        unit=str(item.get("unit") or ""),
        text=str(item.get("text") or ""),
        phase_end_date=date.fromisoformat(end) if end else None,
        metric_name=str(item.get("metric_name") or ""),
        comparison=_one_of(item.get("comparison"), COMPARISONS, "increase"),
        measured_by=_one_of(item.get("measured_by"), ("metrics", "bureau"), "metrics"),
        is_demo=item.get("is_demo") is True,
    )


COMPARISONS = ("increase", "at_least", "at_most", "equal")


def _one_of(value: Any, allowed: tuple[str, ...], default: str) -> str:
    if value is None:
        return default
    if value not in allowed:
        raise ValueError(f"unknown goal field value {value!r}")
    return str(value)
