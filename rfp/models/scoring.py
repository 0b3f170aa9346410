"""What evaluators record: scores with justifications, consensus, reference calls."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rfp.core.db import Base, UTCDateTime, utcnow, vocabulary
from rfp.domain.vocabulary import SignAgain

if TYPE_CHECKING:
    from rfp.models.evaluations import Membership, Question
    from rfp.models.vendors import Vendor


class Score(Base):
    """An evaluator's score on one (vendor, question) with its justification, or their
    abstention: `abstained`, no value, and the reason they cannot judge it in `comment`
    (required). An abstention is not counted and not missing (the engine's rule)."""

    __tablename__ = "scores"
    __table_args__ = (
        UniqueConstraint("membership_id", "vendor_id", "question_id"),
        # A score has a value; an abstention has none.
        CheckConstraint(
            "(abstained AND value IS NULL) OR (NOT abstained AND value IS NOT NULL)",
            name="value_or_abstained",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    value: Mapped[float | None] = mapped_column(Float)
    abstained: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    membership: Mapped[Membership] = relationship()
    vendor: Mapped[Vendor] = relationship()
    question: Mapped[Question] = relationship()


class ConsensusScore(Base):
    """The lead's agreed score for a (vendor, question); it replaces the evaluators'."""

    __tablename__ = "consensus_scores"
    __table_args__ = (UniqueConstraint("vendor_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    value: Mapped[float] = mapped_column(Float)
    rationale: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    vendor: Mapped[Vendor] = relationship()
    question: Mapped[Question] = relationship()


class ReferenceCall(Base):
    """A call to one of the vendor's customers, with the seeds' three questions."""

    __tablename__ = "reference_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    caller_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    # Who called, as written in the scenario when the caller is not a member.
    caller_name: Mapped[str] = mapped_column(String(200), default="")
    company: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(200), default="")
    call_date: Mapped[date | None] = mapped_column(Date)
    similar_business: Mapped[bool | None] = mapped_column(Boolean)
    rating: Mapped[float] = mapped_column(Float)
    would_sign_again: Mapped[SignAgain] = mapped_column(
        vocabulary(SignAgain, "would_sign_again", 10), default=SignAgain.UNSURE
    )
    surprised_negatively: Mapped[str] = mapped_column(Text, default="")
    do_differently: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    vendor: Mapped[Vendor] = relationship()
    caller: Mapped[Membership | None] = relationship()


class AhpJudgment(Base):
    """One participant's pairwise comparison of the criteria (Saaty's 1/9..9 scale)."""

    __tablename__ = "ahp_judgments"
    __table_args__ = (UniqueConstraint("evaluation_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    criteria: Mapped[list[str]] = mapped_column(JSON)  # criterion keys, the matrix's order
    matrix: Mapped[list[list[float]]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    membership: Mapped[Membership] = relationship()
