"""入驻申请 (待确认): a street proposes moving in an enterprise that is not its own; the bureau
confirms (the stay is then created) or rejects it. See registry.access for who may do what."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from registry.db import Base

PROPOSAL_STATUSES = {"pending": "待确认", "confirmed": "已确认", "rejected": "已驳回"}


class OccupancyProposal(Base):
    __tablename__ = "occupancy_proposal"
    __table_args__ = (Index("ix_occupancy_proposal_status", "status", "proposed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"), index=True)
    # The move-in as proposed: [{"id": space id, "area": ㎡ or null}], area, dates, note.
    spaces: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    area: Mapped[float | None] = mapped_column(Float)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    proposed_by: Mapped[str] = mapped_column(String(100), index=True)
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(String(300), default="")
    occupancy_id: Mapped[int | None] = mapped_column(ForeignKey("occupancy.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
