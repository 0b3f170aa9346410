"""Reference calls: the form with every field of DESIGN.md, its validation, the flags,
who may record, edit and delete calls, and at which stage.

Data: the demo moved back to `scoring`. Its calls per vendor: Cottonwood 3, Puente
Norte 3, Valle Claro 3, Tanglaw 3 (one "no" to signing again), Threadline 2.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from rfp import models as m
from rfp.domain.scoring import score_evaluation
from rfp.models.adapter import load_scoring_input
from tests.fixtures.evaluations import audit, make_user, set_stage


@pytest.fixture
def scoring(db: Any, demo: dict[str, Any]) -> dict[str, Any]:
    with db.transaction() as s:
        ev = s.get(m.Evaluation, demo["evaluation"])
        ev.stage = "scoring"
        ids: dict[str, Any] = {"evaluation": ev.id}
        for v in ev.vendors:
            ids[v.key] = v.id
        for ms in ev.memberships:
            ids[f"ms_{ms.key}"] = ms.id
            ms.submitted_at = None
        ids["calls"] = {
            (c.vendor.key, c.caller.key if c.caller else c.caller_name, c.company): c.id
            for c in s.scalars(
                select(m.ReferenceCall).where(m.ReferenceCall.evaluation_id == ev.id)
            )
        }
    return ids


def call_form(vendor: int, **changes: Any) -> dict[str, Any]:
    data = {
        "vendor_id": str(vendor),
        "company": "Harbor Street Books",
        "contact": "Nina Petrov, CX Lead",
        "call_date": "2026-10-06",
        "similar_business": "yes",
        "rating": "4",
        "would_sign_again": "yes",
        "surprised_negatively": "Ramp slipped two weeks.",
        "do_differently": "Freeze the knowledge base before training starts.",
        "notes": "Smaller program, 12 agents.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def calls_of(db: Any, vendor_id: int) -> list[m.ReferenceCall]:
    with db.transaction() as s:
        return list(
            s.scalars(
                select(m.ReferenceCall)
                .where(m.ReferenceCall.vendor_id == vendor_id)
                .order_by(m.ReferenceCall.id)
            )
        )


def url(ids: dict[str, Any], rest: str = "") -> str:
    return f"/evaluations/{ids['evaluation']}/references{rest}"


# -- recording ---------------------------------------------------------------------------


def test_an_evaluator_records_a_call_with_every_field(client, auth, db, scoring):
    auth.login("dana")
    page = client.get(url(scoring))
    assert page.status_code == 200
    for label in (
        b"Reference company",
        b"Contact",
        b"Date of the call",
        b"Is their business similar to ours?",
        b"Rating",
        b"Would you sign this contract again?",
        b"What surprised you negatively?",
        b"What would you do differently?",
        b"Notes",
    ):
        assert label in page.data, label
    assert b"Meets the requirement" in page.data  # the rating shows the scale's anchors

    response = client.post(url(scoring), data=call_form(scoring["threadline"]))
    assert response.status_code == 302
    call = calls_of(db, scoring["threadline"])[-1]
    assert call.caller_membership_id == scoring["ms_dana"]
    assert (call.company, call.contact, call.call_date) == (
        "Harbor Street Books",
        "Nina Petrov, CX Lead",
        date(2026, 10, 6),
    )
    assert (call.similar_business, call.rating, call.would_sign_again) == (True, 4.0, "yes")
    assert call.surprised_negatively == "Ramp slipped two weeks."
    assert call.do_differently == "Freeze the knowledge base before training starts."
    assert call.notes == "Smaller program, 12 agents."
    [event_] = audit(db, "reference.recorded")
    assert event_.target == "Threadline Commerce Care: Harbor Street Books"
    assert event_.new["rating"] == 4.0 and event_.new["call_date"] == "2026-10-06"


LABELS = {
    "company": "Reference company",
    "call_date": "Date of the call",
    "similar_business": "Is their business similar to ours?",
    "rating": "Rating",
    "would_sign_again": "Would you sign this contract again?",
    "vendor_id": "Vendor",
    "contact": "Contact",
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("company", "  ", b"Name the reference company."),
        ("company", None, b"Name the reference company."),
        ("call_date", "", b"Give the date of the call."),
        ("call_date", "not a date", b"Not a valid date value."),
        ("similar_business", None, b"Answer whether their business is similar."),
        ("similar_business", "maybe", b"Answer yes or no: is their business similar?"),
        ("rating", None, b"Choose a rating on the scale."),
        ("rating", "7", b"Must be one of the scale&#39;s points (0, 1, 2, 3, 4, 5)."),
        ("rating", "2.5", b"Must be one of the scale&#39;s points (0, 1, 2, 3, 4, 5)."),
        ("would_sign_again", None, b"Answer: would they sign this contract again?"),
        ("would_sign_again", "perhaps", b"Answer yes, no or unsure."),
        ("vendor_id", "", b"Choose the vendor."),
        ("contact", "x" * 201, b"Field cannot be longer than 200 characters."),
    ],
)
def test_the_form_names_the_field_at_fault_and_writes_nothing(
    client, auth, db, scoring, field, value, message
):
    auth.login("dana")
    before = len(calls_of(db, scoring["threadline"]))
    response = client.post(url(scoring), data=call_form(scoring["threadline"], **{field: value}))
    assert response.status_code == 200
    assert message in response.data
    # the error sits under the label of the field it names
    html = response.data.decode()
    at = html.index(message.decode())
    label = max(html.rfind("<label for=", 0, at), html.rfind("<legend", 0, at))
    assert LABELS[field] in html[label:at], field
    assert len(calls_of(db, scoring["threadline"])) == before
    assert audit(db, "reference.recorded") == []


def test_a_call_in_the_future_is_refused(client, auth, db, scoring):
    auth.login("dana")
    later = (date.today() + timedelta(days=5)).isoformat()
    response = client.post(url(scoring), data=call_form(scoring["threadline"], call_date=later))
    assert response.status_code == 200
    assert b"Cannot be in the future." in response.data
    assert len(calls_of(db, scoring["threadline"])) == 2


# -- flags -------------------------------------------------------------------------------


def _flags(html: bytes) -> str:
    table = re.search(rb'<table class="table ref-summary">.*?</table>', html, re.S).group(0)
    return " ".join(re.sub(rb"<[^>]+>", b" ", table).decode().split())


def test_fewer_than_three_calls_and_a_no_are_flagged(client, auth, db, scoring):
    auth.login("dana")
    flags = _flags(client.get(url(scoring)).data)
    assert "Threadline Commerce Care 2 4.5" in flags  # two calls rated 4 and 5
    assert "Only 2 reference calls; talk to 3 customers in similar businesses" in flags
    assert "1 reference would not sign this contract again" in flags  # Tanglaw
    assert flags.count("; talk to 3 customers") == 1

    client.post(url(scoring), data=call_form(scoring["threadline"], would_sign_again="no"))
    flags = _flags(client.get(url(scoring)).data)
    assert "Only 2 reference calls" not in flags  # three calls now
    assert flags.count("would not sign this contract again") == 2
    # the engine agrees: Threadline's references score is the mean of 4, 5, 4 -> 86.67
    with db.transaction() as s:
        result = score_evaluation(load_scoring_input(s, s.get(m.Evaluation, scoring["evaluation"])))
    threadline = result.vendor("threadline")
    assert threadline.references.calls == 3
    assert threadline.references.score == pytest.approx(100 * (4 + 5 + 4) / 3 / 5)
    assert {f.kind for f in threadline.flags} >= {"references_would_not_sign"}


# -- editing and deleting ----------------------------------------------------------------


def _own_call(scoring: dict[str, Any], caller: str) -> int:
    return next(cid for (_v, who, _c), cid in scoring["calls"].items() if who == caller)


def test_an_evaluator_edits_and_deletes_their_own_calls_only(client, auth, db, scoring):
    auth.login("dana")
    mine, luis = _own_call(scoring, "dana"), _own_call(scoring, "luis")
    assert client.get(url(scoring, f"/{mine}/edit")).status_code == 200
    assert client.get(url(scoring, f"/{luis}/edit")).status_code == 403
    assert client.post(url(scoring, f"/{luis}/delete")).status_code == 403
    with db.transaction() as s:
        call = s.get(m.ReferenceCall, mine)
        vendor_id, rating = call.vendor_id, call.rating
    new_rating = "2" if rating != 2 else "3"
    edited = client.post(
        url(scoring, f"/{mine}/edit"), data=call_form(vendor_id, rating=new_rating)
    )
    assert edited.status_code == 302
    [change] = audit(db, "reference.changed")
    assert change.old["rating"] == rating and change.new["rating"] == float(new_rating)
    assert client.post(url(scoring, f"/{mine}/delete")).status_code == 302
    with db.transaction() as s:
        assert s.get(m.ReferenceCall, mine) is None
    [deleted] = audit(db, "reference.deleted")
    assert deleted.old["company"] == "Harbor Street Books"


def test_the_lead_edits_any_call(client, auth, db, scoring):
    auth.login("morgan")
    luis = _own_call(scoring, "luis")
    assert client.get(url(scoring, f"/{luis}/edit")).status_code == 200
    assert client.post(url(scoring, f"/{luis}/delete")).status_code == 302
    assert len(audit(db, "reference.deleted")) == 1


def test_the_lead_records_a_call_as_the_caller(client, auth, db, scoring):
    auth.login("morgan")
    assert client.post(url(scoring), data=call_form(scoring["threadline"])).status_code == 302
    with db.transaction() as s:
        call = s.scalars(select(m.ReferenceCall).order_by(m.ReferenceCall.id.desc())).first()
        assert call.caller.user.username == "morgan"


# -- stages, roles, blind scoring --------------------------------------------------------


def test_calls_are_recorded_from_scoring_on_and_read_only_once_decided(client, auth, db, scoring):
    auth.login("morgan")
    set_stage(db, scoring["evaluation"], "open")
    assert client.post(url(scoring), data=call_form(scoring["threadline"])).status_code == 409
    set_stage(db, scoring["evaluation"], "decided")
    assert client.post(url(scoring), data=call_form(scoring["threadline"])).status_code == 409
    mine = _own_call(scoring, "dana")
    assert client.post(url(scoring, f"/{mine}/delete")).status_code == 409
    page = client.get(url(scoring))
    assert page.status_code == 200
    assert b"Record a reference call" not in page.data
    assert b"read only" in page.data
    set_stage(db, scoring["evaluation"], "consensus")
    assert client.post(url(scoring), data=call_form(scoring["threadline"])).status_code == 302


def test_who_may_open_the_references_page(client, auth, db, scoring):
    response = client.get(url(scoring))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post(url(scoring), data={}).status_code == 302
    auth.login("elena")  # viewer: reads calls on the results pages
    assert client.get(url(scoring)).status_code == 403
    assert client.post(url(scoring), data=call_form(scoring["threadline"])).status_code == 403
    auth.logout()
    make_user(db, "olga")
    auth.login("olga")
    assert client.get(url(scoring)).status_code == 404
    auth.logout()
    set_stage(db, scoring["evaluation"], "open")
    auth.login("dana")  # evaluators only from scoring on
    assert client.get(url(scoring)).status_code == 403


def test_under_blind_scoring_only_the_lead_records_calls(client, auth, db, scoring):
    set_stage(db, scoring["evaluation"], "scoring", blind_scoring=True)
    auth.login("dana")
    page = client.get(url(scoring))
    assert page.status_code == 200
    assert b"Vendor E" in page.data and b"Threadline Commerce Care" not in page.data
    assert b"the lead records reference calls until consensus" in page.data
    assert client.post(url(scoring), data=call_form(scoring["threadline"])).status_code == 403
    mine = _own_call(scoring, "dana")
    assert client.get(url(scoring, f"/{mine}/edit")).status_code == 403
    auth.logout()
    auth.login("morgan")
    assert client.post(url(scoring), data=call_form(scoring["threadline"])).status_code == 302


def test_an_evaluator_does_not_see_or_call_a_vendor_they_are_conflicted_with(
    client, auth, db, scoring
):
    with db.transaction() as s:
        s.add(
            m.ConflictDeclaration(membership_id=scoring["ms_dana"], vendor_id=scoring["threadline"])
        )
    auth.login("dana")
    page = client.get(url(scoring))
    assert b"Threadline Commerce Care" not in page.data
    before = len(calls_of(db, scoring["threadline"]))
    response = client.post(url(scoring), data=call_form(scoring["threadline"]))
    assert response.status_code in (200, 403)
    assert len(calls_of(db, scoring["threadline"])) == before


def test_markup_in_a_call_is_shown_as_text(client, auth, scoring):
    auth.login("dana")
    client.post(
        url(scoring),
        data=call_form(
            scoring["threadline"], company="<b>Acme</b>", notes="<script>alert(1)</script>"
        ),
    )
    page = client.get(url(scoring)).data
    assert b"<script>alert(1)</script>" not in page and b"<b>Acme</b>" not in page
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page


# -- CSRF --------------------------------------------------------------------------------


def test_every_post_route_rejects_a_request_without_a_csrf_token(
    csrf_client, login_as, db, scoring
):
    rules = {
        r.endpoint
        for r in csrf_client.application.url_map.iter_rules()
        if r.endpoint.startswith("references.") and "POST" in (r.methods or ())
    }
    assert rules == {"references.create", "references.edit", "references.delete"}
    with db.transaction() as s:
        count = s.scalar(select(func.count()).select_from(m.ReferenceCall))
    login_as(csrf_client, "dana")
    mine = _own_call(scoring, "dana")
    for target in (url(scoring), url(scoring, f"/{mine}/edit"), url(scoring, f"/{mine}/delete")):
        response = csrf_client.post(target, data=call_form(scoring["threadline"]))
        assert response.status_code == 400, target
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(m.ReferenceCall)) == count
    page = csrf_client.get(url(scoring)).data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    ok = csrf_client.post(
        url(scoring), data={**call_form(scoring["threadline"]), "csrf_token": token}
    )
    assert ok.status_code == 302
