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
        return LABELS.get((type(self), self.value), self.value.replace("_", " ").capitalize())

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


def _key(member: StrEnum) -> tuple[type[StrEnum], str]:
    return (type(member), member.value)


# Each label by its closed set and value: two sets may share a value ("open" is a stage
# and a clarification status, "draft" a stage and a response status), never a label.
LABELS: dict[tuple[type[StrEnum], str], str] = {
    _key(Stage.DRAFT): "Draft",
    _key(Stage.OPEN): "Open for responses",
    _key(Stage.SCORING): "Scoring",
    _key(Stage.CONSENSUS): "Consensus",
    _key(Stage.PILOT): "Pilot",
    _key(Stage.DECIDED): "Decided",
    _key(Role.LEAD): "Procurement lead",
    _key(Role.EVALUATOR): "Evaluator",
    _key(Role.VIEWER): "Viewer",
    _key(CriterionKind.SCORED): "Scored by the panel",
    _key(CriterionKind.COST): "Cost (from the TCO)",
    _key(CriterionKind.REFERENCES): "References (from the calls)",
    _key(QuestionKind.SCORED): "Scored",
    _key(QuestionKind.KNOCKOUT): "Knockout (must-have)",
    _key(QuestionKind.INFO): "Information only",
    _key(AnswerType.TEXT): "Text",
    _key(AnswerType.NUMBER): "Number",
    _key(PricingModel.PER_HOUR): "per agent-hour",
    _key(PricingModel.PER_CONTACT): "per contact",
    _key(PricingModel.PER_FTE_MONTH): "per FTE-month",
    _key(PriceFormula.LOWEST_RATIO): "Lowest price ratio",
    _key(PriceFormula.LINEAR): "Linear between lowest and highest",
    _key(PriceFormula.DEVIATION): "Deviation from the lowest",
    _key(PriceFormula.LOG): "Logarithmic",
    _key(Aggregation.MEAN): "Mean",
    _key(Aggregation.MEDIAN): "Median",
    _key(DeliveryModel.ONSHORE): "Onshore",
    _key(DeliveryModel.NEARSHORE): "Nearshore",
    _key(DeliveryModel.OFFSHORE): "Offshore",
    _key(DeliveryModel.SPECIALTY): "Specialty",
    _key(SignAgain.YES): "Yes",
    _key(SignAgain.NO): "No",
    _key(SignAgain.UNSURE): "Unsure",
    _key(ResponseStatus.NOT_STARTED): "Not started",
    _key(ResponseStatus.DRAFT): "Draft",
    _key(ResponseStatus.SUBMITTED): "Submitted",
    _key(JobStatus.QUEUED): "Waiting",
    _key(JobStatus.RUNNING): "In progress",
    _key(JobStatus.DONE): "Ready",
    _key(JobStatus.FAILED): "Failed",
    _key(MailStatus.QUEUED): "Waiting to be sent",
    _key(MailStatus.SENT): "Sent",
    _key(MailStatus.FAILED): "Not delivered",
    _key(TokenPurpose.INVITATION): "Invitation",
    _key(TokenPurpose.PASSWORD_RESET): "Password reset",
    _key(MailKind.INVITATION): "Invitation (set a password)",
    _key(MailKind.ADDED): "Added to the evaluation",
    _key(MailKind.PASSWORD_RESET): "Password reset",
    _key(MailKind.VENDOR_INVITATION): "Vendor invitation (portal link)",
    _key(MailKind.SUBMISSION_RECEIPT): "Submission receipt",
    _key(MailKind.SCORING_REMINDER): "Scoring reminder",
    _key(MailKind.SCORECARDS_IN): "Every scorecard is in",
    _key(MailKind.VENDOR_NOTICE): "Notice to a vendor",
    _key(MailKind.CLARIFICATION_ASKED): "A vendor's question (to the leads)",
    _key(MailKind.CLARIFICATION_ANSWERED): "Answer to a vendor's question",
    _key(MailKind.CLARIFICATION_PUBLISHED): "Published Q&A answer",
    _key(MailKind.ADDENDUM): "Addendum",
    _key(DocumentKind.PDF): "PDF",
    _key(DocumentKind.XLSX): "Excel workbook (.xlsx)",
    _key(DocumentKind.DOCX): "Word document (.docx)",
    _key(DocumentKind.PNG): "PNG image",
    _key(DocumentKind.JPG): "JPEG image",
    _key(ClarificationStatus.OPEN): "Waiting for an answer",
    _key(ClarificationStatus.ANSWERED): "Answered to the asker",
    _key(ClarificationStatus.PUBLISHED): "Published to every vendor",
    _key(Kpi.FCR): "First contact resolution (FCR)",
    _key(Kpi.CSAT): "Customer satisfaction (CSAT)",
    _key(Kpi.AHT): "Average handle time (AHT)",
    _key(Kpi.ATTRITION): "Agent attrition",
    _key(Kpi.SERVICE_LEVEL): "Service level",
    _key(Kpi.QA_SCORE): "QA score",
    _key(Kpi.COST_PER_CONTACT): "Cost per contact",
    _key(KpiDirection.HIGHER): "Higher is better",
    _key(KpiDirection.LOWER): "Lower is better",
    _key(PilotRole.CHAMPION): "Champion",
    _key(PilotRole.CHALLENGER): "Challenger",
    _key(PilotVerdict.EXPAND): "Expand",
    _key(PilotVerdict.EXTEND): "Extend the pilot",
    _key(PilotVerdict.UNWIND): "Unwind",
    _key(KpiStatus.PASS): "Pass",
    _key(KpiStatus.WATCH): "Watch",
    _key(KpiStatus.FAIL): "Fail",
    _key(WeekBand.MET): "Met",
    _key(WeekBand.NEUTRAL): "Watch band",
    _key(WeekBand.FAILING): "Failing",
    _key(WeekBand.MISSING): "No figure",
    _key(AmendedField.PRICING_MODEL): "Pricing model",
    _key(AmendedField.RATE): "Rate",
    _key(AmendedField.SETUP_FEE): "Setup fee",
    _key(AmendedField.MONTHLY_FEE): "Monthly fee",
    _key(AmendedField.KNOCKOUT): "Knockout answer",
    _key(AmendedField.ANSWER): "Answer",
    _key(AmendedField.NUMBER): "Number",
    _key(AmendmentSource.VENDOR): "Vendor's clarification",
    _key(AmendmentSource.LEAD): "Amended by the lead",
    _key(LetterKind.AWARD): "Award letter",
    _key(LetterKind.DEBRIEF): "Regret and debrief letter",
}
