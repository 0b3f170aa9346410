"""ORM models (SQLAlchemy 2.0). Every model is imported here so metadata is complete."""

from rfp.models.amendments import ResponseAmendment
from rfp.models.audit import AuditEvent, GeneratedReport
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
from rfp.models.mail import MailMessage
from rfp.models.scoring import AhpJudgment, ConsensusScore, ReferenceCall, Score
from rfp.models.users import User
from rfp.models.vendors import RESPONSE_STATUSES, Answer, Vendor, VendorLink, VendorResponse

__all__ = [
    "DEFAULT_ANCHORS",
    "READINESS_ITEMS",
    "RESPONSE_STATUSES",
    "ROLES",
    "STAGES",
    "AhpJudgment",
    "Answer",
    "AuditEvent",
    "ConflictDeclaration",
    "ConsensusScore",
    "Criterion",
    "Evaluation",
    "GeneratedReport",
    "Job",
    "MailMessage",
    "Membership",
    "Question",
    "ReferenceCall",
    "ResponseAmendment",
    "Score",
    "User",
    "Vendor",
    "VendorLink",
    "VendorResponse",
    "membership_criteria",
]
