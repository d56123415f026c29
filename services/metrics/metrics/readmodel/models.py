"""The read model: registry's dimensions as metrics needs them, fed only by the change feed.

Every row carries ``seq``, the change-feed number of the last event applied to it, and a
registry delete only sets ``deleted`` (a tombstone), so an event that arrives again or late
(a replayed page, an older event after a newer one) is recognised and ignored. Queries must
filter ``deleted = false``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from metrics.db import Base


class RmBuilding(Base):
    """楼宇 (registry ``building``, keyed by its code)."""

    __tablename__ = "rm_building"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    street_code: Mapped[str] = mapped_column(String(9), default="", index=True)
    zone: Mapped[str] = mapped_column(String(50), default="", index=True)
    gfa: Mapped[float | None] = mapped_column(Float)
    leasable_area: Mapped[float | None] = mapped_column(Float)
    stage: Mapped[str] = mapped_column(String(20), default="operating")
    lng: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Other names of the building (registry's aliases), for 问数.
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    chief_username: Mapped[str | None] = mapped_column(String(50), index=True)
    liaison_username: Mapped[str | None] = mapped_column(String(50), index=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class RmSpace(Base):
    """房源 (registry ``space``, keyed by registry's id)."""

    __tablename__ = "rm_space"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    building_code: Mapped[str] = mapped_column(String(20), index=True)
    area: Mapped[float] = mapped_column(Float, default=0)
    status: Mapped[str] = mapped_column(String(10), default="vacant")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class RmEnterprise(Base):
    """企业 (registry ``enterprise``, keyed by its 统一社会信用代码)."""

    __tablename__ = "rm_enterprise"
    # 问数 finds an enterprise named in a question by its exact name.
    __table_args__ = (Index("ix_rm_enterprise_name", "name"),)

    credit_code: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    industry_code: Mapped[str | None] = mapped_column(String(4), index=True)
    registered_in_district: Mapped[bool] = mapped_column(Boolean, default=False)
    taxed_in_district: Mapped[bool] = mapped_column(Boolean, default=False)
    in_statistics: Mapped[bool] = mapped_column(Boolean, default=False)
    above_scale: Mapped[bool] = mapped_column(Boolean, default=False)
    is_key: Mapped[bool] = mapped_column(Boolean, default=False)
    hq_level: Mapped[str | None] = mapped_column(String(20))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class RmOccupancy(Base):
    """入驻 (registry ``occupancy``): the enterprise occupied ``area`` m² of the building from
    ``start_date`` through ``end_date`` (its last day; open when null)."""

    __tablename__ = "rm_occupancy"
    __table_args__ = (
        Index("ix_rm_occupancy_credit_dates", "credit_code", "start_date", "end_date"),
        Index("ix_rm_occupancy_building_dates", "building_code", "start_date", "end_date", "credit_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    credit_code: Mapped[str] = mapped_column(String(18))
    building_code: Mapped[str] = mapped_column(String(20))
    area: Mapped[float] = mapped_column(Float, default=0)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    spaces: Mapped[list[dict[str, float]]] = mapped_column(JSON, default=list)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class RmTheme(Base):
    """特色主题 and the GB/T 4754 code prefixes of its industries."""

    __tablename__ = "rm_theme"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(30), default="")
    industry_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class SyncState(Base):
    """Where the consumer of one change feed stands (``source`` = the producing service)."""

    __tablename__ = "sync_state"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    # Seq of the last event applied (the read model reflects every event up to it).
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    # The producer's last seq when last asked, and how many events the cursor was behind it.
    head: Mapped[int | None] = mapped_column(BigInteger)
    lag: Mapped[int] = mapped_column(BigInteger, default=0)
    # When the producer wrote the last applied event.
    last_event_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_ok_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The last moment the consumer saw its cursor at the producer's head (fully current).
    current_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
