"""Who may do what on an evaluation: the one place the permission rules live.

Views call `evaluation_access(evaluation_id)` first: it answers 404 when the evaluation
does not exist or the user has no part in it (its existence is not theirs to know),
and returns an `Access` whose `require(...)` answers 403 for what the role may not do
and 409 for what the stage forbids.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from .. import models as m
from ..extensions import db_session

# Actions, by who may take them. Stage rules are checked separately (require_stage).
MANAGE = "manage"  # edit set-up, open and close stages, record consensus, export
VIEW_SETUP = "view_setup"  # read criteria, vendors, scope
SCORE = "score"  # an active evaluator's own scorecards
RECORD_REFERENCES = "record_references"  # evaluators and the lead
VIEW_RESULTS = "view_results"
VIEW_AUDIT = "view_audit"
DOWNLOAD_REPORTS = "download_reports"
ALL_ACTIONS = (
    MANAGE,
    VIEW_SETUP,
    SCORE,
    RECORD_REFERENCES,
    VIEW_RESULTS,
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
            return "admin"
        if self.membership is None:
            return None
        if self.membership.role == "evaluator" and not self.membership.active:
            return None
        return self.membership.role

    @property
    def is_lead(self) -> bool:
        return self.role in ("admin", "lead")

    @property
    def is_evaluator(self) -> bool:
        return (
            self.membership is not None
            and self.membership.role == "evaluator"
            and self.membership.active
        )

    def can(self, action: str) -> bool:
        role = self.role
        stage = self.evaluation.stage
        if role is None:
            return False
        if role in ("admin", "lead"):
            return True
        if action == VIEW_SETUP:
            return True
        if role == "evaluator":
            if action in (SCORE, RECORD_REFERENCES):
                return stage in ("scoring", "consensus", "decided")
            if action == VIEW_RESULTS:
                return stage in ("consensus", "decided")
            return False
        if role == "viewer":
            return action in (VIEW_RESULTS, DOWNLOAD_REPORTS)
        return False

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
                or f"Not possible while the evaluation is in {self.evaluation.stage!r}; "
                f"allowed in: {', '.join(stages)}.",
            )
        return self

    def require_writable(self) -> Access:
        if self.evaluation.read_only:
            abort(409, description="The evaluation is decided and read-only.")
        return self

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
    return current_user._get_current_object()
