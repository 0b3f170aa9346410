"""Documents of an evaluation: the slots the lead asks vendors to fill ("SOC 2 Type II
report", "Proposal PDF"), the files vendors upload into them, and the RFP's own files
(the buyer's documents and addenda's attachments).

The bytes live in the document store (rfp.core.document_store), named by their
SHA-256; a row names its file by that hash. A replaced or removed upload is not deleted:
its row is marked superseded, so that what a vendor sent stays on the record.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rfp.core.db import Base, UTCDateTime, utcnow, vocabulary
from rfp.domain.vocabulary import DocumentKind

if TYPE_CHECKING:
    from rfp.models.evaluations import Question
    from rfp.models.vendors import Vendor


class DocumentSlot(Base):
    """A document the lead asks every vendor for, with the types and size it takes."""

    __tablename__ = "document_slots"
    __table_args__ = (UniqueConstraint("evaluation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(80))  # the slot's name in scenario files
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)  # DocumentKind values
    max_bytes: Mapped[int] = mapped_column(Integer)
    # Prices (a pricing workbook): in the second envelope, like the rates.
    price_envelope: Mapped[bool] = mapped_column(Boolean, default=False)
    # The knockout this document proves (one slot at most per knockout question).
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL"), unique=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question | None] = relationship()

    @property
    def document_kinds(self) -> tuple[DocumentKind, ...]:
        return tuple(DocumentKind(k) for k in self.kinds or ())

    def __repr__(self) -> str:
        return f"<DocumentSlot {self.key}>"


class Document(Base):
    """One uploaded file: a vendor's (in a slot) or the buyer's (an RFP document, maybe
    attached to an addendum)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    # None: an RFP document of the buyer, which every vendor reads.
    vendor_id: Mapped[int | None] = mapped_column(
        ForeignKey("vendors.id", ondelete="CASCADE"), index=True
    )
    slot_id: Mapped[int | None] = mapped_column(
        ForeignKey("document_slots.id", ondelete="CASCADE"), index=True
    )
    addendum_id: Mapped[int | None] = mapped_column(
        ForeignKey("addenda.id", ondelete="SET NULL"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))  # sanitised; shown and sent back
    kind: Mapped[DocumentKind] = mapped_column(vocabulary(DocumentKind, "kind", 10))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Replaced by a newer upload, or removed: kept for the record, shown nowhere.
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    vendor: Mapped[Vendor | None] = relationship()
    slot: Mapped[DocumentSlot | None] = relationship()

    @property
    def current(self) -> bool:
        return self.superseded_at is None

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.kind} {self.sha256[:12]}>"
