"""Outcome letters after the award: one per vendor of a decided evaluation, an award
letter to the awarded vendor and a regret and debrief letter to each other one.

A row exists once the lead has saved the letter (until then the page shows the draft
generated from the result). The lead's words are the editable fields; the figures (rank,
scores per criterion, prices) are read from the result when the letter is shown. Sending
freezes it: `sent_document` keeps the whole letter as it went out (words and figures),
`sent_text` its plain text, and nothing of it changes afterwards.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rfp.core.db import Base, UTCDateTime, utcnow, vocabulary
from rfp.domain.vocabulary import LetterKind
from rfp.models.vendors import Vendor


class OutcomeLetter(Base):
    __tablename__ = "outcome_letters"
    __table_args__ = (UniqueConstraint("evaluation_id", "vendor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"))
    kind: Mapped[LetterKind] = mapped_column(vocabulary(LetterKind, "kind"))
    opening: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    weaknesses: Mapped[str] = mapped_column(Text, default="")
    closing: Mapped[str] = mapped_column(Text, default="")
    # Off by default: no other vendor's price in a letter unless the lead chooses to.
    disclose_winner_price: Mapped[bool] = mapped_column(Boolean, default=False)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_to: Mapped[str] = mapped_column(Text, default="")
    sent_text: Mapped[str] = mapped_column(Text, default="")
    sent_document: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("mail_messages.id", ondelete="SET NULL")
    )

    vendor: Mapped[Vendor] = relationship()

    @property
    def sent(self) -> bool:
        return self.sent_at is not None

    def __repr__(self) -> str:
        return f"<OutcomeLetter {self.id} {self.kind} vendor {self.vendor_id}>"
