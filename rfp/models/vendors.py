"""Vendors, their responses (answers, knockout answers, pricing) and portal links."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rfp.core.db import Base, UTCDateTime, utcnow, vocabulary
from rfp.domain.vocabulary import DeliveryModel, PricingModel, ResponseStatus

if TYPE_CHECKING:
    from rfp.models.evaluations import Evaluation, Question

RESPONSE_STATUSES: tuple[str, ...] = ResponseStatus.values()


class Vendor(Base):
    __tablename__ = "vendors"
    __table_args__ = (UniqueConstraint("evaluation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Optimistic locking (rfp.core.versions): moved by every UPDATE of the row.
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    delivery_model: Mapped[DeliveryModel | None] = mapped_column(
        vocabulary(DeliveryModel, "delivery_model")
    )
    country: Mapped[str] = mapped_column(String(80), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    evaluation: Mapped[Evaluation] = relationship(
        back_populates="vendors", foreign_keys=[evaluation_id]
    )
    response: Mapped[VendorResponse] = relationship(
        back_populates="vendor", cascade="all, delete-orphan", uselist=False
    )
    answers: Mapped[list[Answer]] = relationship(
        back_populates="vendor", cascade="all, delete-orphan"
    )
    links: Mapped[list[VendorLink]] = relationship(
        back_populates="vendor", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Vendor {self.key}>"


class VendorResponse(Base):
    """The vendor's response as a whole: its status and its pricing (one per vendor)."""

    __tablename__ = "vendor_responses"

    vendor_id: Mapped[int] = mapped_column(
        ForeignKey("vendors.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[ResponseStatus] = mapped_column(
        vocabulary(ResponseStatus, "status"), default=ResponseStatus.NOT_STARTED
    )
    source: Mapped[str] = mapped_column(String(20), default="typed")  # typed, portal, excel, import
    pricing_model: Mapped[PricingModel | None] = mapped_column(
        vocabulary(PricingModel, "pricing_model")
    )
    rate: Mapped[float | None] = mapped_column(Float)
    setup_fee: Mapped[float | None] = mapped_column(Float)
    monthly_fee: Mapped[float | None] = mapped_column(Float)
    # Beside the single rate (which prices what no line covers): rate lines per channel
    # and language and volume tiers, as the scenario file writes them (rfp.scenario.pricing).
    rate_lines: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    volume_tiers: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    vendor: Mapped[Vendor] = relationship(back_populates="response")

    @property
    def has_price(self) -> bool:
        return self.pricing_model is not None and self.rate is not None


class Answer(Base):
    """A vendor's answer to one question: text, a knockout yes/no with evidence, a number."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("vendor_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    knockout_pass: Mapped[bool | None] = mapped_column(Boolean)
    evidence: Mapped[str] = mapped_column(Text, default="")
    number: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    vendor: Mapped[Vendor] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class VendorLink(Base):
    """A secret portal link for one vendor; only the token's hash is stored."""

    __tablename__ = "vendor_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    vendor: Mapped[Vendor] = relationship(back_populates="links")
