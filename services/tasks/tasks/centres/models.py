"""招商共享中心 and the stays of the enterprises they host during their transition period."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from tasks.db import Base

LEVELS = {"district": "区级", "street": "街道"}


class SharingCentre(Base):
    """A 招商共享中心: 区级 or 街道级, in a street (a 区级 centre too sits in one), opened on a date,
    with a capacity in 工位 (desks) and, when known, 面积 (m²)."""

    __tablename__ = "sharing_centre"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    level: Mapped[str] = mapped_column(String(10))
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    opened_date: Mapped[date] = mapped_column(Date, index=True)
    desks: Mapped[int] = mapped_column(Integer)
    area: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class CentreStay(Base):
    """An enterprise hosted by a centre from ``start_date`` to ``end_date`` (open while hosted),
    using ``desks`` 工位; keyed by its credit code when it has one (the registry enterprise)."""

    __tablename__ = "centre_stay"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("sharing_centre.id", ondelete="CASCADE"), index=True)
    enterprise_name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    desks: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
