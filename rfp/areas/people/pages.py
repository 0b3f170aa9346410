"""What the people page shows: the evaluators (on the panel first) with their progress,
then the viewers and the leads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rfp import models as m
from rfp.areas.scorecards.queries import EvaluatorProgress
from rfp.domain.vocabulary import CriterionKind, Role


@dataclass(frozen=True)
class RoleSection:
    role: Role
    title: str
    empty: str  # what the section says when nobody has the role
    members: list[m.Membership]

    @property
    def is_lead(self) -> bool:
        return self.role == Role.LEAD

    def removable(self) -> bool:
        """Members are removed, but an evaluation keeps at least one lead."""
        return not (self.is_lead and len(self.members) == 1)


@dataclass(frozen=True)
class PeoplePage:
    evaluators: list[m.Membership]  # on the panel first
    sections: list[RoleSection]  # viewers, leads
    progress: Mapping[int, EvaluatorProgress]  # by membership id, active evaluators
    kept: Mapping[int, int]  # scores on record, by membership id
    editable: bool
    scoring_open: bool  # a submitted scorecard or one in progress means something now
    invitations: Mapping[int, m.MailMessage] = field(default_factory=dict)  # by user id

    def invitation(self, membership: m.Membership) -> m.MailMessage | None:
        """The latest invitation of a member who has not set a password yet."""
        if membership.user.password_hash is not None:
            return None
        return self.invitations.get(membership.user_id)

    def may_invite(self, membership: m.Membership) -> bool:
        """An invitation (again) makes sense: no password yet, an address to send to."""
        user = membership.user
        return self.editable and user.password_hash is None and bool(user.email)

    @property
    def on_panel(self) -> int:
        return sum(1 for ms in self.evaluators if ms.active)


def people_page(
    evaluation: m.Evaluation,
    memberships: Sequence[m.Membership],
    progress: Mapping[int, EvaluatorProgress],
    kept: Mapping[int, int],
    invitations: Mapping[int, m.MailMessage] | None = None,
) -> PeoplePage:
    by_role: dict[Role, list[m.Membership]] = {role: [] for role in Role}
    for membership in memberships:
        by_role[Role(membership.role)].append(membership)
    return PeoplePage(
        evaluators=sorted(by_role[Role.EVALUATOR], key=lambda ms: (not ms.active, ms.id)),
        sections=[
            RoleSection(
                Role.VIEWER,
                "Viewers",
                "No viewers. Add leadership who should read the results and reports.",
                by_role[Role.VIEWER],
            ),
            RoleSection(Role.LEAD, "Leads", "", by_role[Role.LEAD]),
        ],
        progress=progress,
        kept=kept,
        editable=not evaluation.read_only,
        scoring_open=evaluation.current_stage.scoring_open,
        invitations=invitations or {},
    )


def scored_criteria(evaluation: m.Evaluation) -> list[m.Criterion]:
    """The criteria an evaluator may be limited to."""
    return [c for c in evaluation.criteria if c.kind == CriterionKind.SCORED]
