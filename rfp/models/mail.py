"""Outgoing e-mail: every message the product sends, with its delivery status, so that a
failed send is retried and visible to the lead, and never lost with the action that
caused it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rfp.core.db import Base, UTCDateTime, utcnow, vocabulary
from rfp.domain.vocabulary import MailStatus


class MailMessage(Base):
    """One message to one recipient. Its body is rendered when it is sent (by
    `renderer`, from `context`), so that a secret it carries (a set-your-password link)
    is made then and never stored in readable form."""

    __tablename__ = "mail_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int | None] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))  # "invitation", "reminder", ...
    to_address: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    renderer: Mapped[str] = mapped_column(String(200))  # "package.module:function"
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Files sent with the message, by reference (rfp.core.mail.AttachmentRef as dicts):
    # loaded when it is sent, never copied into the row.
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[MailStatus] = mapped_column(
        vocabulary(MailStatus, "status"), default=MailStatus.QUEUED, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<MailMessage {self.id} {self.kind} {self.status}>"
