"""The intake operations refuse with `Refused`: what is wrong, by field, and what kind of
refusal it is (bad input, or a stage that does not allow it now); nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from rfp import models as m
from rfp.areas.intake import operations as ops
from rfp.areas.intake.content import Pricing, ResponseContent
from rfp.areas.intake.forms import response_form
from rfp.areas.intake.queries import portal_of, questions_of
from rfp.core.refusal import CONFLICT, INVALID, Refusals, Refused


def _refused(world: Any, change: Any) -> Refused:
    """The refusal of `change(session, evaluation, vendor alpha, lead)`, rolled back."""
    before = world.snapshot()
    with pytest.raises(Refused) as refused, world.db.transaction() as s:
        evaluation = s.get(m.Evaluation, world.evaluation)
        vendor = s.get(m.Vendor, world.vendors["alpha"])
        change(s, evaluation, vendor, s.get(m.User, world.users["lena"]))
    assert world.snapshot() == before
    return refused.value


def test_a_response_with_wrong_answers_is_refused_field_by_field(world):
    content = ResponseContent(
        answers={"attrition": "thirty", "nonsense": "x"},
        knockouts={"timezone": True},
        pricing=Pricing(rate=-1),
    )
    refused = _refused(world, lambda s, _e, vendor, _u: ops.save_draft(s, vendor, content))
    assert isinstance(refused, Refusals)
    assert refused.kind == INVALID
    assert {(r.field, r.message) for r in refused.refusals} == {
        ("answer_attrition", "Not a text question of this evaluation."),
        ("answer_nonsense", "Not a text question of this evaluation."),
        ("knockout_timezone", "Not a knockout of this evaluation."),
        ("rate", "Rate must be at least 0."),
    }


@pytest.mark.parametrize(
    ("stage", "reason"),
    [
        ("draft", "The evaluation is not open for responses yet."),
        ("scoring", "Responses are closed: the evaluation team is reviewing them."),
        ("consensus", "Responses are closed: the evaluation team is reviewing them."),
        # after the decision, nothing about scoring any more
        ("decided", "Responses are closed: the evaluation is concluded."),
    ],
)
def test_the_portal_refuses_a_change_outside_the_open_stage_as_a_conflict(world, stage, reason):
    world.set(stage=stage)
    refused = _refused(
        world, lambda s, _e, vendor, _u: ops.save_draft(s, vendor, ResponseContent())
    )
    assert (refused.field, refused.message, refused.kind) == ("response", reason, CONFLICT)


def test_a_link_needs_the_collecting_stages(world):
    world.set(stage="scoring")
    refused = _refused(world, ops.create_link)
    assert refused.field == "link" and refused.kind == CONFLICT
    assert "links are made while responses are collected" in refused.message


def test_every_problem_of_a_workbook_is_a_refusal_of_its_own(world):
    refused = _refused(
        world, lambda s, _e, vendor, lead: ops.import_workbook(s, vendor, b"not a zip", user=lead)
    )
    assert [r.field for r in refused.refusals] == [""]
    assert "not an Excel .xlsx workbook" in refused.message


def test_saving_through_the_link_notes_its_use(world):
    token = world.link("alpha")
    with world.db.transaction() as s:
        portal = portal_of(s, token)
        assert portal is not None and portal.link.last_used_at is None
        ops.save_portal_response(s, portal.link, ResponseContent(), submit=False)
    with world.db.transaction() as s:
        assert s.get(m.VendorLink, portal.link.id).last_used_at is not None
    assert world.response("alpha")["status"] == "draft"


def test_the_response_form_has_a_field_per_question_and_two_per_knockout(app, world):
    with world.db.transaction() as s:
        questions = questions_of(s, s.get(m.Evaluation, world.evaluation))
    with app.test_request_context():
        form = response_form(questions)(formdata=None)
    fields = {
        name for name in form._fields if name.startswith(("answer_", "knockout_", "evidence_"))
    }
    assert fields == {
        "answer_timezone",
        "answer_language",
        "answer_attrition",
        "answer_sites",
        "answer_audits",
        "knockout_soc2",
        "evidence_soc2",
    }
