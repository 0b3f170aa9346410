"""An evaluation, its people, and its criteria tree."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rfp.core.db import Base, UTCDateTime, utcnow, vocabulary
from rfp.domain.vocabulary import (
    Aggregation,
    AnswerType,
    CriterionKind,
    PriceFormula,
    QuestionKind,
    Role,
    Stage,
)

if TYPE_CHECKING:
    from rfp.models.users import User
    from rfp.models.vendors import Vendor

STAGES: tuple[str, ...] = Stage.values()
ROLES: tuple[str, ...] = Role.values()

DEFAULT_ANCHORS: dict[str, str] = {
    "0": "No response or unacceptable",
    "1": "Poor",
    "2": "Weak",
    "3": "Meets the requirement",
    "4": "Exceeds",
    "5": "Outstanding",
}

# The seeds' readiness checklist, shown before the evaluation opens.
READINESS_ITEMS: dict[str, str] = {
    "objectives": (
        "Objectives are clear: the outcomes needed are defined, measurable and time-bound"
    ),
    "process_maturity": ("Processes are documented well enough to transfer to an external team"),
    "security_requirements": (
        "Security and regulatory requirements (HIPAA, SOC 2, PCI-DSS, ...) are written down"
    ),
    "stakeholder_alignment": (
        "Internal decision-makers agree on goals, timelines and accountability"
    ),
    "escalation_protocols": (
        "There is a clear process for issues beyond the external team's authority"
    ),
}


class Evaluation(Base):
    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Optimistic locking (rfp.core.versions): moved by every UPDATE of the row.
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[Stage] = mapped_column(vocabulary(Stage, "stage"), default=Stage.DRAFT)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The day evaluators' scorecards are due (UTC); reminders go out before it.
    scoring_due: Mapped[date | None] = mapped_column(Date)
    scale_min: Mapped[float] = mapped_column(Float, default=0.0)
    scale_max: Mapped[float] = mapped_column(Float, default=5.0)
    anchors: Mapped[dict[str, str]] = mapped_column(JSON, default=lambda: dict(DEFAULT_ANCHORS))
    aggregation: Mapped[Aggregation] = mapped_column(
        vocabulary(Aggregation, "aggregation", 10), default=Aggregation.MEAN
    )
    dispersion_threshold: Mapped[float] = mapped_column(Float, default=2.0)
    price_formula: Mapped[PriceFormula] = mapped_column(
        vocabulary(PriceFormula, "price_formula"), default=PriceFormula.LOWEST_RATIO
    )
    price_zero_multiple: Mapped[float] = mapped_column(Float, default=2.0)
    # Functions, channels, languages, coverage, volumes, term, compliance, targets...
    # validated by rfp.scenario.schema; the cost fields feed the TCO model.
    scope: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    readiness: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    blind_scoring: Mapped[bool] = mapped_column(Boolean, default=False)
    # Two envelopes: evaluators see prices only after submitting their quality scores.
    two_envelope: Mapped[bool] = mapped_column(Boolean, default=False)
    # Rescale each evaluator's scores to the panel's mean and spread before aggregating.
    normalise_evaluators: Mapped[bool] = mapped_column(Boolean, default=False)
    # Dirichlet concentration for rank stability (higher: draws closer to the weights).
    sensitivity_concentration: Mapped[float] = mapped_column(Float, default=50.0)
    award_vendor_id: Mapped[int | None] = mapped_column(
        ForeignKey("vendors.id", use_alter=True, ondelete="SET NULL")
    )
    award_rationale: Mapped[str] = mapped_column(Text, default="")
    # What was still open when the award was recorded (unsubmitted scorecards, open
    # dispersion flags, amendments, missing reference calls: rfp.areas.stages.queries.
    # open_items_before_award), in words, and the lead's reason for going ahead.
    award_open_items: Mapped[list[str] | None] = mapped_column(JSON)
    award_open_items_reason: Mapped[str] = mapped_column(
        Text, default="", server_default=text("''")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unsealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stage_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Bumped in the same transaction as every write to the evaluation or anything in it
    # (rfp.core.data_version): cached results are keyed by it, in every process.
    data_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="evaluation", order_by="Criterion.position", cascade="all, delete-orphan"
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan"
    )
    vendors: Mapped[list[Vendor]] = relationship(
        back_populates="evaluation",
        order_by="Vendor.position",
        cascade="all, delete-orphan",
        foreign_keys="Vendor.evaluation_id",
    )

    @property
    def current_stage(self) -> Stage:
        """The stage as a member of the vocabulary, with what it allows (Stage.sealed...)."""
        return Stage(self.stage)

    @property
    def weights_frozen(self) -> bool:
        return self.current_stage.weights_frozen

    @property
    def read_only(self) -> bool:
        return self.current_stage.read_only

    @property
    def sealed(self) -> bool:
        """Vendor responses stay sealed from evaluators until scoring opens."""
        return self.current_stage.sealed

    def __repr__(self) -> str:
        return f"<Evaluation {self.id} {self.title!r} {self.stage}>"


membership_criteria = Table(
    "membership_criteria",
    Base.metadata,
    Column("membership_id", ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True),
    Column("criterion_id", ForeignKey("criteria.id", ondelete="CASCADE"), primary_key=True),
)


class Membership(Base):
    """A user's role in one evaluation: lead, evaluator or viewer."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "user_id"),
        UniqueConstraint("evaluation_id", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(vocabulary(Role, "role"))
    # The stable key used in scenario files (scores name their evaluator by it).
    key: Mapped[str] = mapped_column(String(80))
    # An evaluator removed from the panel keeps their scores, out of the aggregate.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    removed_reason: Mapped[str] = mapped_column(Text, default="")
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    coi_declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Submitted by the opening of consensus, as the scorecard stood, not by the evaluator.
    auto_submitted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    ahp_invited: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    evaluation: Mapped[Evaluation] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()
    # Empty: the evaluator scores every criterion.
    criteria: Mapped[list[Criterion]] = relationship(secondary=membership_criteria)
    conflicts: Mapped[list[ConflictDeclaration]] = relationship(
        back_populates="membership", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Membership {self.key} {self.role} in {self.evaluation_id}>"


class ConflictDeclaration(Base):
    """An evaluator's declared conflict of interest with one vendor."""

    __tablename__ = "conflict_declarations"
    __table_args__ = (UniqueConstraint("membership_id", "vendor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    membership: Mapped[Membership] = relationship(back_populates="conflicts")
    vendor: Mapped[Vendor] = relationship()


class Criterion(Base):
    __tablename__ = "criteria"
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
    kind: Mapped[CriterionKind] = mapped_column(
        vocabulary(CriterionKind, "kind"), default=CriterionKind.SCORED
    )
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    evaluation: Mapped[Evaluation] = relationship(back_populates="criteria")
    questions: Mapped[list[Question]] = relationship(
        back_populates="criterion", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(Base):
    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("evaluation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Optimistic locking (rfp.core.versions): moved by every UPDATE of the row.
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("criteria.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    guidance: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[QuestionKind] = mapped_column(
        vocabulary(QuestionKind, "kind"), default=QuestionKind.SCORED
    )
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Quantitative questions: the vendor answers a number, scored by the lead's bands.
    answer_type: Mapped[AnswerType] = mapped_column(
        vocabulary(AnswerType, "answer_type", 10), default=AnswerType.TEXT
    )
    unit: Mapped[str] = mapped_column(String(40), default="")
    bands: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)

    criterion: Mapped[Criterion] = relationship(back_populates="questions")
