"""Addenda: changes to the RFP published to every vendor while it is open (a text, a
question reworded, the deadline moved, a file attached), and each vendor's
acknowledgement, which its submission waits for."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rfp.core.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from rfp.models.evaluations import Question


class Addendum(Base):
    __tablename__ = "addenda"
    __table_args__ = (UniqueConstraint("evaluation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)  # Addendum 1, 2, ... in the evaluation
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The deadline it moved (both None when it did not).
    old_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The question it reworded (None when it did not), with its text before and after.
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"))
    old_question_text: Mapped[str] = mapped_column(Text, default="")
    new_question_text: Mapped[str] = mapped_column(Text, default="")

    question: Mapped[Question | None] = relationship()
    acknowledgements: Mapped[list[AddendumAcknowledgement]] = relationship(
        back_populates="addendum", cascade="all, delete-orphan"
    )

    @property
    def moves_deadline(self) -> bool:
        return self.new_deadline is not None

    def __repr__(self) -> str:
        return f"<Addendum {self.number} of {self.evaluation_id}>"


class AddendumAcknowledgement(Base):
    """A vendor confirmed, through its link, that it read an addendum."""

    __tablename__ = "addendum_acknowledgements"
    __table_args__ = (UniqueConstraint("addendum_id", "vendor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    addendum_id: Mapped[int] = mapped_column(
        ForeignKey("addenda.id", ondelete="CASCADE"), index=True
    )
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    addendum: Mapped[Addendum] = relationship(back_populates="acknowledgements")
