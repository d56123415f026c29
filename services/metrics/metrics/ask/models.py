"""问数: the bureau's synonyms and every question asked (history; the unanswered ones)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from metrics.db import Base


class AskSynonym(Base):
    """A word the bureau taught 问数: ``word`` means the ``kind`` thing with ``code``
    (a metric code, a tier key, a street / building / enterprise code, a zone or theme)."""

    __tablename__ = "ask_synonym"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    word: Mapped[str] = mapped_column(String(50), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(50))
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AskQuestion(Base):
    """One question as asked, how it was read and whether it was answered."""

    __tablename__ = "ask_question"
    __table_args__ = (
        Index("ix_ask_question_user_asked", "username", "asked_at"),
        Index("ix_ask_question_status_asked", "status", "asked_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    question: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    reading: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
