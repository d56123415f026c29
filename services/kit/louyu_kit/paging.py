"""Lists answer ``{"items": [...], "total": n, "page": p, "page_size": s}``."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")

MAX_PAGE_SIZE = 200


class Page(BaseModel, Generic[T]):
    items: list[T] = Field(description="本页的记录")
    total: int = Field(description="符合条件的记录总数（total_capped 为真时是下限）")
    page: int = Field(1, description="页码，从 1 开始")
    page_size: int = Field(20, description="每页条数")
    total_capped: bool = Field(False, description="匹配过多、只数到上限时为真（请缩小搜索范围）")


class PageParams(BaseModel):
    page: int = 1
    page_size: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def _page_params(
    page: Annotated[int, Query(ge=1, le=100_000, description="页码，从 1 开始")] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="每页条数（最多 200）")] = 20,
) -> PageParams:
    return PageParams(page=page, page_size=page_size)


PageDep = Annotated[PageParams, Depends(_page_params)]


def paginate(session: Session, stmt: Select, params: PageParams) -> tuple[list, int]:
    """Run ``stmt`` for one page and count the total (the ORDER BY is dropped for the count)."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list(session.scalars(stmt.limit(params.page_size).offset(params.offset)))
    return rows, total
