"""Scoring reminders already sent: one row per (evaluator, due date, days before), so
that each reminder goes out once however often `rfp send-due` runs (the unique
constraint holds even when two runs overlap). A due date moved by the lead starts a new
series."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rfp.core.db import Base, UTCDateTime, utcnow


class ScoringReminder(Base):
    __tablename__ = "scoring_reminders"
    __table_args__ = (UniqueConstraint("membership_id", "due_on", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    due_on: Mapped[date] = mapped_column(Date)
    days_before: Mapped[int] = mapped_column(Integer)  # 5, 2 or 0 (on the day)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("mail_messages.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
