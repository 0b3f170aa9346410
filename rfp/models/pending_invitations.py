"""People named in a scenario file that someone other than an administrator imported:
not enrolled, not given an account, until the importer (the evaluation's lead) confirms
each of them on the people page (rfp.areas.people.operations.confirm_pending)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rfp.core.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from rfp.models.evaluations import Evaluation


class PendingInvitation(Base):
    __tablename__ = "pending_invitations"
    __table_args__ = (UniqueConstraint("evaluation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    # The evaluator as the file names them (key, name, e-mail, the criteria they score).
    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    criteria: Mapped[list[str]] = mapped_column(JSON, default=list)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    evaluation: Mapped[Evaluation] = relationship()
