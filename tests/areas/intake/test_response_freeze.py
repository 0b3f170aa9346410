"""A submitted response is frozen once the deadline passes or the prices are unsealed.

Tried as an adversarial lead and vendor, route by route: the vendor's portal save and
submit, its questionnaire upload, the lead's questionnaire import (with "received"
ticked), the lead's reopen and the typed-in response form; each direct POST after the
deadline (open, not yet unsealed) and after unsealing writes nothing. The operations
refuse too, not only the routes: called directly they raise a conflict. And the deadline
itself can no longer be moved once it has passed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from rfp import models as m
from rfp.areas.intake import operations as ops
from rfp.areas.intake.content import ResponseContent
from rfp.areas.vendors import operations as vendor_ops
from rfp.core.db import utcnow
from rfp.core.refusal import CONFLICT, Refused
from tests.areas.intake.test_portal_lifecycle import FULL
from tests.areas.intake.test_questionnaire_upload import TYPED, _download, _upload, _vendor_url
from tests.fixtures.intake_workbooks import fill

# After the deadline, before unsealing; and after unsealing (each stage of it).
FROZEN = [
    pytest.param({"deadline_passed": True}, id="deadline-passed"),
    pytest.param({"stage": "scoring"}, id="scoring"),
    pytest.param({"stage": "consensus"}, id="consensus"),
]


def _freeze(world: Any, deadline_passed: bool = False, stage: str | None = None) -> None:
    if deadline_passed:
        world.set(deadline=utcnow() - timedelta(minutes=5))
    if stage:
        world.set(stage=stage, unsealed_at=utcnow())


@pytest.fixture
def submitted(client: Any, world: Any) -> str:
    """Alpha's response, submitted through its link before the deadline: its token."""
    token = world.link("alpha")
    assert (
        client.post(
            f"/portal/{token}", data={**FULL, "action": "submit", "confirm": "y"}
        ).status_code
        == 302
    )
    assert world.response("alpha")["status"] == "submitted"
    return token


@pytest.fixture
def typed(client: Any, auth: Any, world: Any) -> None:
    """Beta's response typed in by the lead before the deadline, received in full."""
    auth.login("lena")
    with world.db.transaction() as s:
        vendor = s.get(m.Vendor, world.vendors["beta"])
        vendor_ops.save_response(
            s,
            vendor,
            s.get(m.User, world.users["lena"]),
            answers={},
            pricing=vendor_ops.PricingInput("per_hour", 11.0, 5000.0, 0.0),
            complete=True,
        )


@pytest.mark.parametrize("frozen", FROZEN)
def test_the_vendor_cannot_save_or_submit_through_its_link(client, world, submitted, frozen):
    # The lead reopened the response before the deadline: a draft the vendor could change.
    with world.db.transaction() as s:
        ops.reopen_response(
            s, s.get(m.Vendor, world.vendors["alpha"]), s.get(m.User, world.users["lena"])
        )
    _freeze(world, **frozen)
    before = world.snapshot()
    for action in ("save", "submit"):
        client.post(
            f"/portal/{submitted}", data={**FULL, "rate": "9.99", "action": action, "confirm": "y"}
        )
    assert world.snapshot() == before


@pytest.mark.parametrize("frozen", FROZEN)
def test_the_portal_operations_refuse_when_called_directly(world, submitted, frozen):
    _freeze(world, **frozen)
    with world.db.transaction() as s:
        link = s.scalars(select(m.VendorLink)).first()
        with pytest.raises(Refused) as refused:
            ops.save_portal_response(s, link, ResponseContent(), submit=True)
        assert refused.value.kind == CONFLICT


@pytest.mark.parametrize("frozen", FROZEN)
def test_the_vendor_cannot_re_upload_its_questionnaire(client, world, submitted, frozen):
    filled = fill(client.get(f"/portal/{submitted}/questionnaire.xlsx").data, **TYPED)
    _freeze(world, **frozen)
    before = world.snapshot()
    _upload(client, f"/portal/{submitted}/upload", filled)
    assert world.snapshot() == before


@pytest.mark.parametrize("frozen", FROZEN)
def test_the_lead_cannot_re_import_a_questionnaire_over_a_submitted_response(
    client, auth, world, submitted, frozen
):
    auth.login("lena")
    filled = fill(_download(client, world), **TYPED)
    _freeze(world, **frozen)
    before = world.snapshot()
    response = _upload(client, f"{_vendor_url(world)}/upload", filled, received="y")
    assert response.status_code in (409, 422)
    assert world.snapshot() == before


def test_after_the_deadline_the_import_is_refused_with_the_reason(client, auth, world, submitted):
    auth.login("lena")
    filled = fill(_download(client, world), **TYPED)
    _freeze(world, deadline_passed=True)
    page = _upload(client, f"{_vendor_url(world)}/upload", filled).get_data(as_text=True)
    assert "The responses are frozen: the response deadline has passed." in page


@pytest.mark.parametrize("frozen", FROZEN[:1])
def test_the_lead_cannot_reopen_a_submitted_response_after_the_deadline(
    client, auth, world, submitted, frozen
):
    auth.login("lena")
    _freeze(world, **frozen)
    before = world.snapshot()
    client.post(f"{_vendor_url(world)}/reopen", data={"reason": "The vendor asked"})
    assert world.snapshot() == before
    assert world.response("alpha")["status"] == "submitted"


def test_marking_a_late_draft_received_is_refused(world):
    """A draft the vendor never submitted is not taken in after the deadline."""
    with world.db.transaction() as s:
        ops.save_draft(s, s.get(m.Vendor, world.vendors["alpha"]), ResponseContent())
    _freeze(world, deadline_passed=True)
    with world.db.transaction() as s, pytest.raises(Refused, match="frozen"):
        ops.submit_response(
            s, s.get(m.Vendor, world.vendors["alpha"]), user=s.get(m.User, world.users["lena"])
        )


@pytest.mark.parametrize("frozen", FROZEN)
def test_the_lead_cannot_retype_a_response_typed_in_before_the_deadline(
    client, auth, world, typed, frozen
):
    _freeze(world, **frozen)
    before = world.snapshot()
    url = f"/evaluations/{world.evaluation}/vendors/{world.vendors['beta']}/response"
    assert client.get(url).status_code == 409
    response = client.post(url, data={"pricing_model": "per_hour", "rate": "7", "reason": "x"})
    assert response.status_code == 409
    assert world.snapshot() == before
    assert world.response("beta")["pricing"]["rate"] == 11


@pytest.mark.parametrize("frozen", FROZEN)
def test_the_typed_in_response_operation_refuses_when_called_directly(world, typed, frozen):
    _freeze(world, **frozen)
    with world.db.transaction() as s, pytest.raises(Refused) as refused:
        vendor_ops.save_response(
            s,
            s.get(m.Vendor, world.vendors["beta"]),
            s.get(m.User, world.users["lena"]),
            answers={},
            pricing=vendor_ops.PricingInput("per_hour", 7.0),
            complete=True,
            reason="Corrected rate card",
        )
    assert refused.value.kind == CONFLICT


def test_before_the_deadline_everything_still_changes(client, auth, world, submitted, typed):
    """The control: the same requests before the deadline do change the responses."""
    with world.db.transaction() as s:
        ops.reopen_response(
            s, s.get(m.Vendor, world.vendors["alpha"]), s.get(m.User, world.users["lena"])
        )
    client.post(f"/portal/{submitted}", data={**FULL, "rate": "9.99"})
    assert world.response("alpha")["pricing"]["rate"] == 9.99
    url = f"/evaluations/{world.evaluation}/vendors/{world.vendors['beta']}/response"
    client.post(url, data={"pricing_model": "per_hour", "rate": "7"})
    assert world.response("beta")["pricing"]["rate"] == 7


def test_a_passed_deadline_can_no_longer_move(client, auth, world):
    _freeze(world, deadline_passed=True)
    auth.login("lena")
    with world.db.transaction() as s:
        passed = s.get(m.Evaluation, world.evaluation).deadline
    settings = client.get(f"/evaluations/{world.evaluation}/settings").get_data(as_text=True)
    assert "Response deadline" in settings
    from rfp.areas.evaluations import operations as evaluation_ops

    with world.db.transaction() as s, pytest.raises(Refused) as refused:
        evaluation = s.get(m.Evaluation, world.evaluation)
        evaluation_ops.update_settings(
            s,
            evaluation,
            s.get(m.User, world.users["lena"]),
            **{
                **_settings_of(evaluation),
                "deadline": utcnow() + timedelta(days=7),
            },
        )
    assert refused.value.field == "deadline" and refused.value.kind == CONFLICT
    with world.db.transaction() as s:
        assert s.get(m.Evaluation, world.evaluation).deadline == passed


def _settings_of(evaluation: m.Evaluation) -> dict[str, Any]:
    return {
        "title": evaluation.title,
        "description": evaluation.description,
        "deadline": evaluation.deadline,
        "scale_min": evaluation.scale_min,
        "scale_max": evaluation.scale_max,
        "anchors": dict(evaluation.anchors),
        "aggregation": evaluation.aggregation,
        "dispersion_threshold": evaluation.dispersion_threshold,
        "price_formula": evaluation.price_formula,
        "price_zero_multiple": evaluation.price_zero_multiple,
        "blind_scoring": evaluation.blind_scoring,
        "two_envelope": evaluation.two_envelope,
        "scope": dict(evaluation.scope),
    }
