"""党建 of a building: one row per building, written as a whole (no member registers)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from registry.db import Base

ORGANISATIONS = {"joint_committee": "楼宇联合党委", "branch": "党支部", "none": "无"}
# 一楼四员: the four posts a building fills (our reading of the practice; README says so):
# 党建指导员 (sent by the street's party working committee), 楼宇联络员 (the building's day-to-day
# contact for the street), 安全员 (safety and fire inspection), 服务专员 (the enterprise service
# commissioner who takes demands to the departments).
POSTS = {"instructor": "党建指导员", "liaison": "楼宇联络员", "safety": "安全员", "service": "服务专员"}


class BuildingParty(Base):
    """党建 of one building. ``council`` is the 楼宇理事会 as [{"name", "role"}]; ``posts`` the
    names of the 一楼四员 other than the 党建指导员 ({"liaison", "safety", "service"})."""

    __tablename__ = "building_party"

    building_id: Mapped[int] = mapped_column(ForeignKey("building.id", ondelete="CASCADE"), primary_key=True)
    organisation: Mapped[str] = mapped_column(String(20), default="none", index=True)
    instructor: Mapped[str] = mapped_column(String(50), default="")
    council: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    chamber: Mapped[str] = mapped_column(String(100), default="")
    alliance: Mapped[str] = mapped_column(String(100), default="")
    posts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
