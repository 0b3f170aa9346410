"""ORM models (SQLAlchemy 2.0). Every model is imported here so metadata is complete."""

from rfp.models.account_tokens import AccountToken
from rfp.models.addenda import Addendum, AddendumAcknowledgement
from rfp.models.amendments import ResponseAmendment
from rfp.models.audit import AuditEvent, GeneratedReport
from rfp.models.clarifications import Clarification
from rfp.models.documents import Document, DocumentSlot
from rfp.models.evaluations import (
    DEFAULT_ANCHORS,
    READINESS_ITEMS,
    ROLES,
    STAGES,
    ConflictDeclaration,
    Criterion,
    Evaluation,
    Membership,
    Question,
    membership_criteria,
)
from rfp.models.jobs import Job
from rfp.models.letters import OutcomeLetter
from rfp.models.mail import MailMessage
from rfp.models.pending_invitations import PendingInvitation
from rfp.models.pilot import AwardShare, Pilot, PilotCriterion, PilotFigure, PilotVendor
from rfp.models.reminders import ScoringReminder
from rfp.models.scoring import AhpJudgment, ConsensusScore, ReferenceCall, Score
from rfp.models.throttle import ThrottleEvent
from rfp.models.users import User
from rfp.models.vendors import RESPONSE_STATUSES, Answer, Vendor, VendorLink, VendorResponse

__all__ = [
    "Addendum",
    "AddendumAcknowledgement",
    "Clarification",
    "Document",
    "DocumentSlot",
    "DEFAULT_ANCHORS",
    "READINESS_ITEMS",
    "RESPONSE_STATUSES",
    "ROLES",
    "STAGES",
    "AccountToken",
    "AhpJudgment",
    "Answer",
    "AuditEvent",
    "AwardShare",
    "ConflictDeclaration",
    "ConsensusScore",
    "Criterion",
    "Evaluation",
    "GeneratedReport",
    "Job",
    "MailMessage",
    "OutcomeLetter",
    "Membership",
    "PendingInvitation",
    "Pilot",
    "PilotCriterion",
    "PilotFigure",
    "PilotVendor",
    "Question",
    "ReferenceCall",
    "ResponseAmendment",
    "Score",
    "ScoringReminder",
    "ThrottleEvent",
    "User",
    "Vendor",
    "VendorLink",
    "VendorResponse",
    "membership_criteria",
]
