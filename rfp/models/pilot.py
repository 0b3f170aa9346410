"""The pilot between consensus and the award: the shortlist, the success criteria, the
weekly KPI figures, the verdicts; and a split award's volume shares.

An evaluation has at most one pilot (rows of its own, so that an evaluation that goes
straight to the award has none). The rules that read these rows are pure:
rfp.domain.pilot.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rfp.core.db import Base, UTCDateTime, utcnow, vocabulary
from rfp.domain.vocabulary import Kpi, KpiDirection, PilotRole, PilotVerdict

if TYPE_CHECKING:
    from rfp.models.vendors import Vendor


class Pilot(Base):
    """One segment outsourced to the shortlisted vendors for a few weeks."""

    __tablename__ = "pilots"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), unique=True
    )
    # The segment: channels (from the scope's), contact types, share of the volume.
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact_types: Mapped[str] = mapped_column(Text, default="")
    volume_share_pct: Mapped[float | None] = mapped_column(Float)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    # Success criteria, dates and shortlist are fixed before the pilot starts; a change
    # after this needs a reason (audited), like the weights after draft.
    criteria_fixed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    vendors: Mapped[list[PilotVendor]] = relationship(
        back_populates="pilot", order_by="PilotVendor.position", cascade="all, delete-orphan"
    )
    criteria: Mapped[list[PilotCriterion]] = relationship(
        back_populates="pilot", order_by="PilotCriterion.position", cascade="all, delete-orphan"
    )

    @property
    def fixed(self) -> bool:
        return self.criteria_fixed_at is not None


class PilotVendor(Base):
    """A shortlisted vendor: champion or challenger, and the verdict on its pilot."""

    __tablename__ = "pilot_vendors"
    __table_args__ = (UniqueConstraint("pilot_id", "vendor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"))
    role: Mapped[PilotRole] = mapped_column(vocabulary(PilotRole, "role"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    verdict: Mapped[PilotVerdict | None] = mapped_column(vocabulary(PilotVerdict, "verdict"))
    verdict_reason: Mapped[str] = mapped_column(Text, default="")
    verdict_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    pilot: Mapped[Pilot] = relationship(back_populates="vendors")
    vendor: Mapped[Vendor] = relationship()
    figures: Mapped[list[PilotFigure]] = relationship(
        back_populates="pilot_vendor", cascade="all, delete-orphan"
    )


class PilotCriterion(Base):
    """A success criterion: one KPI, its threshold, direction and failing limit."""

    __tablename__ = "pilot_criteria"
    __table_args__ = (UniqueConstraint("pilot_id", "kpi"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    kpi: Mapped[Kpi] = mapped_column(vocabulary(Kpi, "kpi"))
    direction: Mapped[KpiDirection] = mapped_column(vocabulary(KpiDirection, "direction", 10))
    threshold: Mapped[float] = mapped_column(Float)
    fail_at: Mapped[float] = mapped_column(Float)
    seconds: Mapped[float | None] = mapped_column(Float)  # service level: answered within
    baseline: Mapped[float | None] = mapped_column(Float)  # the in-house team's figure
    position: Mapped[int] = mapped_column(Integer, default=0)

    pilot: Mapped[Pilot] = relationship(back_populates="criteria")


class PilotFigure(Base):
    """One KPI figure of one shortlisted vendor for one pilot week (week 1 begins on the
    pilot's start date)."""

    __tablename__ = "pilot_figures"
    __table_args__ = (UniqueConstraint("pilot_vendor_id", "week", "kpi"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_vendor_id: Mapped[int] = mapped_column(
        ForeignKey("pilot_vendors.id", ondelete="CASCADE"), index=True
    )
    week: Mapped[int] = mapped_column(Integer)
    kpi: Mapped[Kpi] = mapped_column(vocabulary(Kpi, "kpi"))
    value: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    pilot_vendor: Mapped[PilotVendor] = relationship(back_populates="figures")


class AwardShare(Base):
    """A split award: the share of the volume one awarded vendor takes (they sum to 100)."""

    __tablename__ = "award_shares"
    __table_args__ = (UniqueConstraint("evaluation_id", "vendor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"))
    share_pct: Mapped[float] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer, default=0)

    vendor: Mapped[Vendor] = relationship()
