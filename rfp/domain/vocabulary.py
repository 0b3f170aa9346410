"""The product's words: every closed set of values, with its label, in one place.

Each is a `StrEnum`, so a member *is* its stored string (`Stage.DRAFT == "draft"`): the
database, the scenario file and JSON keep the plain values, while code compares against
names that a typo cannot slip past. Columns that hold them carry a CHECK constraint
built from the same members (rfp.models), so the database refuses any other value.

What each stage allows is here too (`Stage.sealed`, `Stage.read_only`, ...): the rule
"responses stay sealed until scoring" is written once and read by every area, the API
and the reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Labelled(StrEnum):
    """A closed set of values, each with the label a procurement team reads."""

    @property
    def label(self) -> str:
        return LABELS.get(self, self.value.replace("_", " ").capitalize())

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs for a select field."""
        return [(member.value, member.label) for member in cls]


class Stage(Labelled):
    """The lifecycle of an evaluation (DESIGN.md), in order."""

    DRAFT = "draft"
    OPEN = "open"
    SCORING = "scoring"
    CONSENSUS = "consensus"
    DECIDED = "decided"

    @property
    def rules(self) -> StageRules:
        return STAGE_RULES[self]

    @property
    def sealed(self) -> bool:
        """Vendor responses are sealed: no evaluator reads them yet."""
        return self.rules.sealed

    @property
    def weights_frozen(self) -> bool:
        """Criteria and weights changed only with a reason (audited)."""
        return self.rules.weights_frozen

    @property
    def blind(self) -> bool:
        """Under blind scoring, evaluators see vendors as letters in this stage."""
        return self.rules.blind

    @property
    def read_only(self) -> bool:
        """Nothing changes any more: the award is recorded."""
        return self.rules.read_only

    @property
    def collecting(self) -> bool:
        """Vendors are added and removed, links made and responses taken in."""
        return self.rules.collecting

    @property
    def scoring_open(self) -> bool:
        """Evaluators save scores and reference calls are recorded."""
        return self.rules.scoring_open

    @property
    def panel_visible(self) -> bool:
        """The panel's individual scores are shown to the panel and to viewers."""
        return self.rules.panel_visible

    @property
    def unsealed(self) -> bool:
        return not self.rules.sealed

    def at_or_after(self, other: Stage) -> bool:
        order = list(Stage)
        return order.index(self) >= order.index(other)

    @classmethod
    def where(cls, capability: str) -> tuple[Stage, ...]:
        """The stages that have a capability, in order: `Stage.where("sealed")`."""
        return tuple(stage for stage in cls if getattr(stage.rules, capability))


@dataclass(frozen=True)
class StageRules:
    sealed: bool
    weights_frozen: bool
    blind: bool
    read_only: bool
    collecting: bool
    scoring_open: bool
    panel_visible: bool


STAGE_RULES: dict[Stage, StageRules] = {
    Stage.DRAFT: StageRules(
        sealed=True, weights_frozen=False, blind=True, read_only=False,
        collecting=True, scoring_open=False, panel_visible=False,
    ),
    Stage.OPEN: StageRules(
        sealed=True, weights_frozen=True, blind=True, read_only=False,
        collecting=True, scoring_open=False, panel_visible=False,
    ),
    Stage.SCORING: StageRules(
        sealed=False, weights_frozen=True, blind=True, read_only=False,
        collecting=False, scoring_open=True, panel_visible=False,
    ),
    Stage.CONSENSUS: StageRules(
        sealed=False, weights_frozen=True, blind=False, read_only=False,
        collecting=False, scoring_open=True, panel_visible=True,
    ),
    Stage.DECIDED: StageRules(
        sealed=False, weights_frozen=True, blind=False, read_only=True,
        collecting=False, scoring_open=False, panel_visible=True,
    ),
}  # fmt: skip


class Role(Labelled):
    """A person's part in one evaluation (admin is a flag on the account, not a role)."""

    LEAD = "lead"
    EVALUATOR = "evaluator"
    VIEWER = "viewer"


class CriterionKind(Labelled):
    SCORED = "scored"
    COST = "cost"
    REFERENCES = "references"

    @property
    def computed(self) -> bool:
        """Cost and references are computed, not scored by hand."""
        return self is not CriterionKind.SCORED


class QuestionKind(Labelled):
    SCORED = "scored"
    KNOCKOUT = "knockout"
    INFO = "info"


class AnswerType(Labelled):
    TEXT = "text"
    NUMBER = "number"


class PricingModel(Labelled):
    PER_HOUR = "per_hour"
    PER_CONTACT = "per_contact"
    PER_FTE_MONTH = "per_fte_month"


class PriceFormula(Labelled):
    LOWEST_RATIO = "lowest_ratio"
    LINEAR = "linear"
    DEVIATION = "deviation"
    LOG = "log"


class Aggregation(Labelled):
    MEAN = "mean"
    MEDIAN = "median"


class DeliveryModel(Labelled):
    ONSHORE = "onshore"
    NEARSHORE = "nearshore"
    OFFSHORE = "offshore"
    SPECIALTY = "specialty"


class SignAgain(Labelled):
    """A reference's answer to "would you sign this contract again?"."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


class ResponseStatus(Labelled):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"


class JobStatus(Labelled):
    """A background job (a report being built, a message being sent)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class MailStatus(Labelled):
    """An outgoing e-mail message."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class TokenPurpose(Labelled):
    """What a single-use link sent by e-mail to an account is for: both set a password."""

    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"  # noqa: S105  (a word, not a password)


class MailKind(Labelled):
    """The messages the product sends (`MailMessage.kind`; other parts may add kinds)."""

    INVITATION = "invitation"
    ADDED = "added"
    PASSWORD_RESET = "password_reset"  # noqa: S105  (a word, not a password)
    VENDOR_INVITATION = "vendor_invitation"
    SUBMISSION_RECEIPT = "submission_receipt"
    SCORING_REMINDER = "scoring_reminder"
    SCORECARDS_IN = "scorecards_in"
    VENDOR_NOTICE = "vendor_notice"


class LetterKind(Labelled):
    """An outcome letter after the award: to the awarded vendor, or to another one."""

    AWARD = "award"
    DEBRIEF = "debrief"


LABELS: dict[StrEnum, str] = {
    Stage.DRAFT: "Draft",
    Stage.OPEN: "Open for responses",
    Stage.SCORING: "Scoring",
    Stage.CONSENSUS: "Consensus",
    Stage.DECIDED: "Decided",
    Role.LEAD: "Procurement lead",
    Role.EVALUATOR: "Evaluator",
    Role.VIEWER: "Viewer",
    CriterionKind.SCORED: "Scored by the panel",
    CriterionKind.COST: "Cost (from the TCO)",
    CriterionKind.REFERENCES: "References (from the calls)",
    QuestionKind.SCORED: "Scored",
    QuestionKind.KNOCKOUT: "Knockout (must-have)",
    QuestionKind.INFO: "Information only",
    AnswerType.TEXT: "Text",
    AnswerType.NUMBER: "Number",
    PricingModel.PER_HOUR: "per agent-hour",
    PricingModel.PER_CONTACT: "per contact",
    PricingModel.PER_FTE_MONTH: "per FTE-month",
    PriceFormula.LOWEST_RATIO: "Lowest price ratio",
    PriceFormula.LINEAR: "Linear between lowest and highest",
    PriceFormula.DEVIATION: "Deviation from the lowest",
    PriceFormula.LOG: "Logarithmic",
    Aggregation.MEAN: "Mean",
    Aggregation.MEDIAN: "Median",
    DeliveryModel.ONSHORE: "Onshore",
    DeliveryModel.NEARSHORE: "Nearshore",
    DeliveryModel.OFFSHORE: "Offshore",
    DeliveryModel.SPECIALTY: "Specialty",
    SignAgain.YES: "Yes",
    SignAgain.NO: "No",
    SignAgain.UNSURE: "Unsure",
    ResponseStatus.NOT_STARTED: "Not started",
    ResponseStatus.DRAFT: "Draft",
    ResponseStatus.SUBMITTED: "Submitted",
    JobStatus.QUEUED: "Waiting",
    JobStatus.RUNNING: "In progress",
    JobStatus.DONE: "Ready",
    JobStatus.FAILED: "Failed",
    MailStatus.QUEUED: "Waiting to be sent",
    MailStatus.SENT: "Sent",
    MailStatus.FAILED: "Not delivered",
    TokenPurpose.INVITATION: "Invitation",
    TokenPurpose.PASSWORD_RESET: "Password reset",
    MailKind.INVITATION: "Invitation (set a password)",
    MailKind.ADDED: "Added to the evaluation",
    MailKind.PASSWORD_RESET: "Password reset",
    MailKind.VENDOR_INVITATION: "Vendor invitation (portal link)",
    MailKind.SUBMISSION_RECEIPT: "Submission receipt",
    MailKind.SCORING_REMINDER: "Scoring reminder",
    MailKind.SCORECARDS_IN: "Every scorecard is in",
    MailKind.VENDOR_NOTICE: "Notice to a vendor",
    LetterKind.AWARD: "Award letter",
    LetterKind.DEBRIEF: "Regret and debrief letter",
}
