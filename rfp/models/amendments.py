"""Amendments: changes to a vendor's response after it was frozen.

Once the response deadline passes or the prices are unsealed, a vendor's response (its
VendorResponse pricing and its Answer rows) stays as submitted; a change is a new row
here, with the old and new value, who, when, at which stage, the reason, and whether it
was the vendor's own clarification or the lead's amendment. The engine scores the
amended values (rfp.models.adapter applies them in order); nothing overwrites the
original.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rfp.core.db import Base, UTCDateTime, utcnow, vocabulary
from rfp.domain.vocabulary import AmendedField, AmendmentSource, Stage

if TYPE_CHECKING:
    from rfp.models.evaluations import Question
    from rfp.models.users import User
    from rfp.models.vendors import Vendor


class ResponseAmendment(Base):
    """One field of a frozen response changed: the old and the new value, never an
    overwrite of the response itself."""

    __tablename__ = "response_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    field: Mapped[AmendedField] = mapped_column(vocabulary(AmendedField, "field"))
    # The question of a knockout, answer or number amendment; none for a price's parts.
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    # JSON scalars: a pricing model or a text (str), a number, a knockout (bool), or null.
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    source: Mapped[AmendmentSource] = mapped_column(vocabulary(AmendmentSource, "source"))
    # The stage when it was made, and whether the prices were unsealed then.
    stage: Mapped[Stage] = mapped_column(vocabulary(Stage, "stage"))
    after_unsealing: Mapped[bool] = mapped_column(Boolean)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Who, in words, as it was then: the lead's name, or the vendor's.
    actor: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    vendor: Mapped[Vendor] = relationship()
    question: Mapped[Question | None] = relationship()
    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ResponseAmendment {self.field} of vendor {self.vendor_id}>"
