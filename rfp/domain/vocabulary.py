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
    # Optional: shortlisted vendors run a pilot on one segment before the award.
    PILOT = "pilot"
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
    def piloting(self) -> bool:
        """The pilot's set-up, weekly KPIs and verdicts are entered (rfp.areas.pilot)."""
        return self.rules.piloting

    @property
    def scores_frozen(self) -> bool:
        """Evaluators' scores are frozen: once the panel's scores are visible to the
        panel, nobody scores independently any more, so a change is a consensus score
        (recorded by the lead with its rationale), never an edit of an evaluator's own."""
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
    piloting: bool = False


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
    # The ranking the shortlist came from stands still while the pilot runs: no more
    # scores or reference calls (step back to consensus, with a reason, to change them).
    Stage.PILOT: StageRules(
        sealed=False, weights_frozen=True, blind=False, read_only=False,
        collecting=False, scoring_open=False, panel_visible=True, piloting=True,
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
    CLARIFICATION_ASKED = "clarification_asked"
    CLARIFICATION_ANSWERED = "clarification_answered"
    CLARIFICATION_PUBLISHED = "clarification_published"
    ADDENDUM = "addendum"


class DocumentKind(Labelled):
    """What an uploaded document is, by its content (never by its name)."""

    PDF = "pdf"
    XLSX = "xlsx"
    DOCX = "docx"
    PNG = "png"
    JPG = "jpg"


class ClarificationStatus(Labelled):
    """A vendor's clarification question: waiting, answered to the asker only, or
    published (anonymised) to every vendor."""

    OPEN = "open"
    ANSWERED = "answered"
    PUBLISHED = "published"


class Kpi(Labelled):
    """A pilot's key performance indicators (the seeds' list), each named with its unit
    as the scope's targets are: the same names in files, forms and the scenario file."""

    FCR = "fcr_pct"
    CSAT = "csat_pct"
    AHT = "aht_minutes"
    ATTRITION = "attrition_pct"
    SERVICE_LEVEL = "service_level_pct"
    QA_SCORE = "qa_score_pct"
    COST_PER_CONTACT = "cost_per_contact"


class KpiDirection(Labelled):
    """Which way a KPI improves: FCR up, handle time and attrition down."""

    HIGHER = "higher"
    LOWER = "lower"


class PilotRole(Labelled):
    """A shortlisted vendor's part in the pilot (BPO buyers' champion and challenger)."""

    CHAMPION = "champion"
    CHALLENGER = "challenger"


class PilotVerdict(Labelled):
    """What the pilot's data says to do with a vendor."""

    EXPAND = "expand"
    EXTEND = "extend"
    UNWIND = "unwind"


class KpiStatus(Labelled):
    """A success criterion over the pilot's latest four weeks."""

    PASS = "pass"  # noqa: S105  (a status, not a password)
    WATCH = "watch"
    FAIL = "fail"


class WeekBand(Labelled):
    """One week's figure against a success criterion."""

    MET = "met"
    NEUTRAL = "neutral"
    FAILING = "failing"
    MISSING = "missing"


class AmendedField(Labelled):
    """What of a vendor's response an amendment changes: a part of the price, or the
    answer to one question (a knockout's pass or fail, a text answer, a number)."""

    PRICING_MODEL = "pricing_model"
    RATE = "rate"
    SETUP_FEE = "setup_fee"
    MONTHLY_FEE = "monthly_fee"
    KNOCKOUT = "knockout"
    ANSWER = "answer"
    NUMBER = "number"

    @property
    def pricing(self) -> bool:
        """A part of the price (no question)."""
        return self in (
            AmendedField.PRICING_MODEL,
            AmendedField.RATE,
            AmendedField.SETUP_FEE,
            AmendedField.MONTHLY_FEE,
        )


class AmendmentSource(Labelled):
    """Who corrected a frozen response: the vendor's own clarification is the normal way;
    the lead's amendment is the exception."""

    VENDOR = "vendor"
    LEAD = "lead"


class LetterKind(Labelled):
    """An outcome letter after the award: to the awarded vendor, or to another one."""

    AWARD = "award"
    DEBRIEF = "debrief"


LABELS: dict[StrEnum, str] = {
    Stage.DRAFT: "Draft",
    Stage.OPEN: "Open for responses",
    Stage.SCORING: "Scoring",
    Stage.CONSENSUS: "Consensus",
    Stage.PILOT: "Pilot",
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
    MailKind.CLARIFICATION_ASKED: "A vendor's question (to the leads)",
    MailKind.CLARIFICATION_ANSWERED: "Answer to a vendor's question",
    MailKind.CLARIFICATION_PUBLISHED: "Published Q&A answer",
    MailKind.ADDENDUM: "Addendum",
    DocumentKind.PDF: "PDF",
    DocumentKind.XLSX: "Excel workbook (.xlsx)",
    DocumentKind.DOCX: "Word document (.docx)",
    DocumentKind.PNG: "PNG image",
    DocumentKind.JPG: "JPEG image",
    ClarificationStatus.OPEN: "Waiting for an answer",
    ClarificationStatus.ANSWERED: "Answered to the asker",
    ClarificationStatus.PUBLISHED: "Published to every vendor",
    Kpi.FCR: "First contact resolution (FCR)",
    Kpi.CSAT: "Customer satisfaction (CSAT)",
    Kpi.AHT: "Average handle time (AHT)",
    Kpi.ATTRITION: "Agent attrition",
    Kpi.SERVICE_LEVEL: "Service level",
    Kpi.QA_SCORE: "QA score",
    Kpi.COST_PER_CONTACT: "Cost per contact",
    KpiDirection.HIGHER: "Higher is better",
    KpiDirection.LOWER: "Lower is better",
    PilotRole.CHAMPION: "Champion",
    PilotRole.CHALLENGER: "Challenger",
    PilotVerdict.EXPAND: "Expand",
    PilotVerdict.EXTEND: "Extend the pilot",
    PilotVerdict.UNWIND: "Unwind",
    KpiStatus.PASS: "Pass",
    KpiStatus.WATCH: "Watch",
    KpiStatus.FAIL: "Fail",
    WeekBand.MET: "Met",
    WeekBand.NEUTRAL: "Watch band",
    WeekBand.FAILING: "Failing",
    WeekBand.MISSING: "No figure",
    AmendedField.PRICING_MODEL: "Pricing model",
    AmendedField.RATE: "Rate",
    AmendedField.SETUP_FEE: "Setup fee",
    AmendedField.MONTHLY_FEE: "Monthly fee",
    AmendedField.KNOCKOUT: "Knockout answer",
    AmendedField.ANSWER: "Answer",
    AmendedField.NUMBER: "Number",
    AmendmentSource.VENDOR: "Vendor's clarification",
    AmendmentSource.LEAD: "Amended by the lead",
    LetterKind.AWARD: "Award letter",
    LetterKind.DEBRIEF: "Regret and debrief letter",
}
