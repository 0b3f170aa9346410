"""Single-use links sent by e-mail to an account (an invitation, a password reset).

The link's token is made when the message is sent and never stored: the row keeps its
SHA-256, so a copy of the database opens nothing. A token works once (`used_at`), until
`expires_at`, and only while it is the account's latest: a newer link, or any new
password, revokes the older ones (`revoked_at`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rfp.core.db import Base, UTCDateTime, utcnow, vocabulary
from rfp.domain.vocabulary import TokenPurpose

if TYPE_CHECKING:
    from rfp.models.users import User


class AccountToken(Base):
    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(vocabulary(TokenPurpose, "purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The evaluation an invitation is for (where the new password leads), if any.
    evaluation_id: Mapped[int | None] = mapped_column(
        ForeignKey("evaluations.id", ondelete="SET NULL")
    )
    # The message that carried the link.
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("mail_messages.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def usable(self, now: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and now < self.expires_at

    def __repr__(self) -> str:
        return f"<AccountToken {self.id} {self.purpose} of user {self.user_id}>"
