"""A flagged disagreement is settled by a consensus score with its rationale, never out of
sight: from consensus on, a change that would make one vanish without it is refused,
whichever area makes it (the panel, the settings, the criteria).

Data: the demo in `consensus` without its consensus score on Tanglaw/timezone, so that
pair is flagged and unresolved: Dana 2, Luis 5 (range 3, threshold 2).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, select

from rfp import models as m
from rfp.areas.consensus.operations import record_consensus, unresolved_flags
from rfp.areas.criteria.question_operations import delete_question
from rfp.areas.evaluations.operations import settings_of, update_settings
from rfp.areas.people.operations import deactivate_evaluator, update_limits
from rfp.core.refusal import Refused
from tests.fixtures.evaluations import set_stage

VANISH = "This would clear 1 flagged disagreement that has no consensus score"
PAIR = "Tanglaw Support Services · Daily overlap with our business hours"


@pytest.fixture
def unresolved(db: Any, demo: dict[str, Any]) -> dict[str, Any]:
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, demo["evaluation"])
        s.execute(
            delete(m.ConsensusScore).where(
                m.ConsensusScore.evaluation_id == evaluation.id,
                m.ConsensusScore.vendor_id == demo["tanglaw"],
            )
        )
        s.flush()
        assert unresolved_flags(s, evaluation) == {("tanglaw", "timezone")}
    return demo


def _in_consensus(s: Any, demo: dict[str, Any]) -> tuple[m.Evaluation, m.User]:
    evaluation = s.get(m.Evaluation, demo["evaluation"])
    lead = s.scalar(select(m.User).where(m.User.username == "morgan"))
    return evaluation, lead


def _member(s: Any, evaluation: m.Evaluation, key: str) -> m.Membership:
    return next(ms for ms in evaluation.memberships if ms.key == key)


def test_taking_an_evaluator_off_the_panel_cannot_clear_a_flag(db, unresolved):
    with db.transaction() as s:
        evaluation, lead = _in_consensus(s, unresolved)
        with pytest.raises(Refused, match=VANISH) as refused:
            deactivate_evaluator(s, _member(s, evaluation, "luis"), lead, "Left the company")
        assert PAIR in refused.value.message and refused.value.field == "reason"
        s.rollback()
    with db.transaction() as s:
        evaluation, lead = _in_consensus(s, unresolved)
        assert _member(s, evaluation, "luis").active


def test_a_consensus_score_with_its_rationale_settles_it_and_the_change_goes_ahead(db, unresolved):
    with db.transaction() as s:
        evaluation, lead = _in_consensus(s, unresolved)
        tanglaw = s.get(m.Vendor, unresolved["tanglaw"])
        timezone = next(q for c in evaluation.criteria for q in c.questions if q.key == "timezone")
        record_consensus(s, evaluation, lead, tanglaw, timezone, 3, "Agreed on the call")
        deactivate_evaluator(s, _member(s, evaluation, "luis"), lead, "Left the company")
        assert not _member(s, evaluation, "luis").active


def test_limiting_an_evaluator_away_from_the_question_cannot_clear_it(db, unresolved):
    with db.transaction() as s:
        evaluation, lead = _in_consensus(s, unresolved)
        tooling = next(c for c in evaluation.criteria if c.key == "tooling")
        with pytest.raises(Refused, match=VANISH) as refused:
            update_limits(s, _member(s, evaluation, "dana"), lead, [tooling])
        assert refused.value.field == "criteria"


def test_raising_the_threshold_cannot_clear_it(db, unresolved):
    with db.transaction() as s:
        evaluation, lead = _in_consensus(s, unresolved)
        settings = settings_of(evaluation)
        keep = {
            k: v
            for k, v in settings.items()
            if k in ("title", "description", "aggregation", "price_formula")
        }
        with pytest.raises(Refused, match=VANISH) as refused:
            update_settings(
                s,
                evaluation,
                lead,
                **keep,
                deadline=evaluation.deadline,
                scale_min=evaluation.scale_min,
                scale_max=evaluation.scale_max,
                anchors=dict(evaluation.anchors),
                dispersion_threshold=4,  # the range is 3: the flag would go
                price_zero_multiple=evaluation.price_zero_multiple,
                blind_scoring=evaluation.blind_scoring,
                two_envelope=evaluation.two_envelope,
                scope=dict(evaluation.scope),
                reason="Too many flags",
            )
        assert refused.value.field == "dispersion_threshold"


def test_deleting_the_question_cannot_clear_it(db, unresolved):
    with db.transaction() as s:
        evaluation, lead = _in_consensus(s, unresolved)
        timezone = next(q for c in evaluation.criteria for q in c.questions if q.key == "timezone")
        with pytest.raises(Refused, match=VANISH):
            delete_question(s, timezone, lead, reason="Not a fair question")


def test_before_consensus_nothing_is_held_back(db, unresolved):
    """While scoring, the panel's scores are not visible yet: the same change is free."""
    set_stage(db, unresolved["evaluation"], "scoring")
    with db.transaction() as s:
        evaluation, lead = _in_consensus(s, unresolved)
        deactivate_evaluator(s, _member(s, evaluation, "luis"), lead, "Left the company")
        assert not _member(s, evaluation, "luis").active
