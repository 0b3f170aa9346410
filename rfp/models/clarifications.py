"""Clarification questions vendors ask while the evaluation is open, and the lead's
answers: to the asker only, or published to every vendor without the asker's name."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rfp.core.db import Base, UTCDateTime, utcnow, vocabulary
from rfp.domain.vocabulary import ClarificationStatus

if TYPE_CHECKING:
    from rfp.models.evaluations import Question
    from rfp.models.vendors import Vendor


class Clarification(Base):
    __tablename__ = "clarifications"
    __table_args__ = (UniqueConstraint("evaluation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)  # Q1, Q2, ... in the evaluation
    # The asker; kept from every other vendor (a removed vendor's published Q&A stays).
    vendor_id: Mapped[int | None] = mapped_column(
        ForeignKey("vendors.id", ondelete="SET NULL"), index=True
    )
    # The question of the RFP it is about, if any.
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)  # as the vendor asked it
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[ClarificationStatus] = mapped_column(
        vocabulary(ClarificationStatus, "status"), default=ClarificationStatus.OPEN
    )
    # The question as published: the lead may reword it so that it names nobody.
    public_text: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    vendor: Mapped[Vendor | None] = relationship()
    question: Mapped[Question | None] = relationship()

    @property
    def published(self) -> bool:
        return self.status == ClarificationStatus.PUBLISHED

    def __repr__(self) -> str:
        return f"<Clarification Q{self.number} {self.status}>"
