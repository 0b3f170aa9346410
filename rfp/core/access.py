"""Who may do what on an evaluation: the one place the permission rules live.

Views call `evaluation_access(evaluation_id)` first: it answers 404 when the evaluation
does not exist or the user has no part in it (its existence is not theirs to know),
and returns an `Access` whose `require(...)` answers 403 for what the role may not do
and 409 for what the stage forbids.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, request
from flask_login import current_user
from sqlalchemy import select

from rfp import models as m
from rfp.core.extensions import db_session
from rfp.domain.vocabulary import Role, Stage

# The installation's administrators: a flag on the account, above every membership.
ADMIN = "admin"

# Actions, by who may take them. Stage rules are checked separately (require_stage).
MANAGE = "manage"  # edit set-up, open and close stages, record consensus, export
VIEW_SETUP = "view_setup"  # read criteria, vendors, scope
SCORE = "score"  # an active evaluator's own scorecards
RECORD_REFERENCES = "record_references"  # evaluators and the lead
# The results (ranking, totals, question scores, dispersion). An evaluator reads them
# from consensus on, and only once their own scorecard is submitted (see below).
VIEW_RESULTS = "view_results"
# Each evaluator's own raw scores and comments, by name, on the results pages. Until
# consensus the panel scores independently: leadership (viewers) reads the aggregate
# then, not who gave what, so that nobody is leaned on mid-scoring. An evaluator sees
# the panel's scores only once their own are submitted, in every stage and through
# every route (pages, JSON, reports): scoring stays independent.
VIEW_PANEL_SCORES = "view_panel_scores"
VIEW_AUDIT = "view_audit"
DOWNLOAD_REPORTS = "download_reports"
ALL_ACTIONS = (
    MANAGE,
    VIEW_SETUP,
    SCORE,
    RECORD_REFERENCES,
    VIEW_RESULTS,
    VIEW_PANEL_SCORES,
    VIEW_AUDIT,
    DOWNLOAD_REPORTS,
)


@dataclass
class Access:
    evaluation: m.Evaluation
    user: m.User
    membership: m.Membership | None

    @property
    def role(self) -> str | None:
        """admin, lead, evaluator, viewer (admin wins over a membership)."""
        if self.user.is_admin:
            return ADMIN
        if self.membership is None:
            return None
        if self.membership.role == Role.EVALUATOR and not self.membership.active:
            return None
        return self.membership.role

    @property
    def is_lead(self) -> bool:
        return self.role in (ADMIN, Role.LEAD)

    @property
    def is_evaluator(self) -> bool:
        return (
            self.membership is not None
            and self.membership.role == Role.EVALUATOR
            and self.membership.active
        )

    def can(self, action: str) -> bool:
        role = self.role
        stage = self.evaluation.current_stage
        if role is None:
            return False
        if role in (ADMIN, Role.LEAD):
            return True
        if action == VIEW_SETUP:
            return True
        if role == Role.EVALUATOR:
            if action in (SCORE, RECORD_REFERENCES):
                return stage.unsealed
            if action in (VIEW_RESULTS, VIEW_PANEL_SCORES):
                return stage.panel_visible and self.has_submitted
            return False
        if action == VIEW_PANEL_SCORES:
            return stage.panel_visible
        if role == Role.VIEWER:
            # The audit trail names who changed which score: leadership reads it once
            # the panel's scores are theirs to read (consensus on), like the results.
            if action == VIEW_AUDIT:
                return stage.panel_visible
            return action in (VIEW_RESULTS, DOWNLOAD_REPORTS)
        return False

    @property
    def has_submitted(self) -> bool:
        """The member's own scorecard is submitted (by them, or as it stood when
        consensus opened)."""
        return self.membership is not None and self.membership.submitted_at is not None

    def require(self, action: str) -> Access:
        if not self.can(action):
            abort(403)
        return self

    def require_stage(self, *stages: str, message: str | None = None) -> Access:
        """409 when the evaluation is not in one of `stages` (a state conflict, not a
        permission problem: the same request would succeed at another stage)."""
        if self.evaluation.stage not in stages:
            abort(
                409,
                description=message
                or f"Not possible at the {self.evaluation.current_stage.label} stage; "
                f"allowed at: {', '.join(Stage(s).label for s in stages)}.",
            )
        return self

    def require_writable(self) -> Access:
        if self.evaluation.read_only:
            abort(409, description="The evaluation is decided and read-only.")
        return self

    def can_see_pricing(self) -> bool:
        """Vendors' prices: sealed from everyone but the lead until scoring opens, and
        with two envelopes (`evaluation.two_envelope`) hidden from each evaluator until
        they have submitted their quality scores. The lead always sees them; the cost
        criterion is computed regardless."""
        if self.is_lead:
            return True
        if self.role is None or self.evaluation.sealed:
            return False
        if self.evaluation.two_envelope and self.role == Role.EVALUATOR:
            return self.membership is not None and self.membership.submitted_at is not None
        return True

    def can_judge_weights(self) -> bool:
        """Fill in one's own pairwise comparison of the criteria (AHP weighting): the
        lead (saving one makes them a participant) and the evaluators the lead invited
        (`Membership.ahp_invited`). A judgment belongs to a membership, so an admin
        takes part only as a member."""
        ms = self.membership
        if ms is None or self.role is None:
            return False
        if ms.role == Role.LEAD:
            return True
        return ms.role == Role.EVALUATOR and ms.active and ms.ahp_invited

    def conflicted_with(self, vendor_id: int) -> bool:
        """The evaluator declared a conflict of interest with this vendor."""
        if self.membership is None:
            return False
        return any(c.vendor_id == vendor_id for c in self.membership.conflicts)


def evaluation_access(evaluation_id: int) -> Access:
    """Load an evaluation the current user takes part in, or answer 404."""
    if not current_user.is_authenticated:
        abort(401)
    session = db_session()
    evaluation = session.get(m.Evaluation, evaluation_id)
    if evaluation is None:
        abort(404)
    membership = session.scalar(
        select(m.Membership).where(
            m.Membership.evaluation_id == evaluation_id,
            m.Membership.user_id == current_user.id,
        )
    )
    access = Access(
        evaluation=evaluation, user=current_user._get_current_object(), membership=membership
    )
    if access.role is None:
        abort(404)
    return access


def lead_access(evaluation_id: int) -> Access:
    """The lead's (or an admin's) access to the evaluation, or 404/403; a POST also needs
    the evaluation writable (409 once decided). The set-up and decision pages' rule."""
    access = evaluation_access(evaluation_id).require(MANAGE)
    if request.method == "POST":
        access.require_writable()
    return access


def vendor_of(access: Access, vendor_id: int) -> m.Vendor:
    """A vendor of this evaluation, or 404 (ids of other evaluations are not found)."""
    vendor = db_session().get(m.Vendor, vendor_id)
    if vendor is None or vendor.evaluation_id != access.evaluation.id:
        abort(404)
    return vendor


def require_admin() -> m.User:
    if not current_user.is_authenticated:
        abort(401)
    if not current_user.is_admin:
        abort(403)
    user = current_user._get_current_object()
    assert isinstance(user, m.User)  # authenticated: the user loader's (rfp.areas.load_user)
    return user


# -- blind scoring and reference calls (scorecards and references areas) ----------------

# Under blind scoring evaluators see vendors as "Vendor A", "Vendor B" in these stages.
BLIND_STAGES = Stage.where("blind")


def may_record_reference_calls(access: Access) -> bool:
    """The lead and the active evaluators record reference calls (the stage is checked
    by the operation). Under blind scoring, before consensus, only the lead does: a
    reference is a named vendor's customer, and an evaluator who records the call under
    a letter learns which vendor the letter is."""
    if not access.can(RECORD_REFERENCES):
        return False
    if access.is_lead:
        return True
    evaluation = access.evaluation
    if evaluation.blind_scoring and evaluation.stage in BLIND_STAGES:
        return False
    return access.is_evaluator


def may_edit_reference_call(access: Access, call: m.ReferenceCall) -> bool:
    """The lead edits or deletes any call; an evaluator only the calls they recorded."""
    if access.is_lead:
        return True
    return (
        may_record_reference_calls(access)
        and access.membership is not None
        and call.caller_membership_id == access.membership.id
    )
