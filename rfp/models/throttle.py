"""Requests counted for throttling (rfp.core.db_throttle): what was asked (`bucket`), by or
for whom (`key_hash`: a SHA-256, never the address or the client itself), and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from rfp.core.db import Base, UTCDateTime, utcnow


class ThrottleEvent(Base):
    __tablename__ = "throttle_events"
    __table_args__ = (Index("ix_throttle_events_bucket_key_at", "bucket", "key_hash", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(40))
    key_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
