"""Vendors: details, responses typed in by the lead, and what evaluators may see."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from rfp import models as m
from rfp.core.db import utcnow
from tests.fixtures.evaluations import events, membership_id, set_stage
from tests.fixtures.setup import count, load, question_id

PUENTE_ANSWER = "Monterrey and Saltillo are on UTC-6 all year"


def _open(db, evaluation_id: int) -> None:
    """Open for responses, the deadline a fortnight away: responses still change."""
    set_stage(db, evaluation_id, "open", deadline=utcnow() + timedelta(days=14))


def _url(evaluation_id: int, rest: str = "") -> str:
    return f"/evaluations/{evaluation_id}/vendors{rest}"


def _response_form(db, evaluation_id: int, vendor_id: int, **changes) -> dict:
    """The response form as stored, with `changes` applied."""
    data: dict = {}
    with db.transaction() as s:
        vendor = s.get(m.Vendor, vendor_id)
        answers = {a.question_id: a for a in vendor.answers}
        questions = s.scalars(
            select(m.Question).where(m.Question.evaluation_id == evaluation_id)
        ).all()
        for q in questions:
            answer = answers.get(q.id)
            if q.kind == "knockout":
                passed = answer.knockout_pass if answer else None
                data[f"knockout_{q.id}"] = "" if passed is None else ("yes" if passed else "no")
                data[f"evidence_{q.id}"] = answer.evidence if answer else ""
            else:
                data[f"answer_{q.id}"] = answer.text if answer else ""
        r = vendor.response
        data.update(
            pricing_model=r.pricing_model or "",
            rate="" if r.rate is None else str(r.rate),
            setup_fee="" if r.setup_fee is None else str(r.setup_fee),
            monthly_fee="" if r.monthly_fee is None else str(r.monthly_fee),
        )
        if r.status == "submitted":
            data["complete"] = "y"
    data.update(changes)
    return data


def test_the_lead_adds_a_vendor_in_draft(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    auth.login("morgan")
    response = client.post(
        _url(evaluation_id, "/new"),
        data={
            "name": "Altamira CX",
            "delivery_model": "nearshore",
            "country": "MX",
            "contact_name": "Ana Ruiz",
            "contact_email": "ana@altamira.example",
        },
    )
    assert response.status_code == 302
    with db.transaction() as s:
        vendor = s.scalar(select(m.Vendor).where(m.Vendor.name == "Altamira CX"))
        assert (vendor.key, vendor.delivery_model, vendor.position) == (
            "altamira_cx",
            "nearshore",
            5,
        )
        assert vendor.response.status == "not_started"
    [event] = events(db, evaluation_id, "vendor.added")
    assert event.new["contact_email"] == "ana@altamira.example"


def test_a_vendor_name_is_unique_in_an_evaluation(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "open")
    auth.login("morgan")
    response = client.post(_url(evaluation_id, "/new"), data={"name": "puente norte cx"})
    assert b"Puente Norte CX is already a vendor of this evaluation" in response.data
    assert count(db, m.Vendor, evaluation_id=evaluation_id) == 5


def test_vendors_are_added_and_removed_only_in_draft_or_open(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "scoring")
    auth.login("morgan")
    assert client.post(_url(evaluation_id, "/new"), data={"name": "Late CX"}).status_code == 409
    tanglaw = demo["tanglaw"]
    assert client.post(_url(evaluation_id, f"/{tanglaw}/remove")).status_code == 409
    set_stage(db, evaluation_id, "open")
    response = client.post(
        _url(evaluation_id, f"/{tanglaw}/remove"), data={"reason": "Withdrew from the RFP"}
    )
    assert response.status_code == 302
    assert load(db, m.Vendor, tanglaw) is None
    [event] = events(db, evaluation_id, "vendor.removed")
    assert event.old["name"] == "Tanglaw Support Services"
    assert event.reason == "Withdrew from the RFP"


def test_a_response_is_saved_whole_with_answers_knockouts_and_pricing(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    _open(db, evaluation_id)
    auth.login("morgan")
    client.post(
        _url(evaluation_id, "/new"), data={"name": "Altamira CX", "delivery_model": "nearshore"}
    )
    with db.transaction() as s:
        vendor_id = s.scalar(select(m.Vendor.id).where(m.Vendor.name == "Altamira CX"))
    timezone = question_id(db, evaluation_id, "timezone")
    soc2 = question_id(db, evaluation_id, "soc2")
    data = _response_form(db, evaluation_id, vendor_id)
    data.update(
        {
            f"answer_{timezone}": "Full overlap, Central time",
            f"knockout_{soc2}": "yes",
            f"evidence_{soc2}": "SOC 2 Type II, March 2026",
            "pricing_model": "per_hour",
            "rate": "16.5",
            "setup_fee": "25000",
            "monthly_fee": "2000",
            "complete": "y",
        }
    )
    response = client.post(_url(evaluation_id, f"/{vendor_id}/response"), data=data)
    assert response.status_code == 302
    with db.transaction() as s:
        vendor = s.get(m.Vendor, vendor_id)
        answers = {a.question_id: a for a in vendor.answers}
        assert answers[timezone].text == "Full overlap, Central time"
        assert (answers[soc2].knockout_pass, answers[soc2].evidence) == (
            True,
            "SOC 2 Type II, March 2026",
        )
        r = vendor.response
        assert (r.pricing_model, r.rate, r.setup_fee, r.monthly_fee) == (
            "per_hour",
            16.5,
            25000,
            2000,
        )
        assert r.status == "submitted" and r.submitted_at is not None and r.source == "typed"
    [event] = events(db, evaluation_id, "vendor.response")
    assert event.new["rate"] == 16.5 and event.new["answer:timezone"] == {
        "text": "Full overlap, Central time"
    }


def test_a_refused_response_names_the_field_and_writes_nothing(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    _open(db, evaluation_id)
    auth.login("morgan")
    vendor_id = demo["puente_norte"]
    timezone = question_id(db, evaluation_id, "timezone")
    url = _url(evaluation_id, f"/{vendor_id}/response")
    # a rate without a pricing model: the operation refuses it, after the answers
    data = _response_form(db, evaluation_id, vendor_id, pricing_model="", rate="14")
    data[f"answer_{timezone}"] = "Changed answer"
    response = client.post(url, data=data)
    assert response.status_code == 200
    assert b"choose how the vendor prices the rate given" in response.data
    # a negative fee: the form refuses it
    data = _response_form(db, evaluation_id, vendor_id, monthly_fee="-5")
    data[f"answer_{timezone}"] = "Changed answer"
    assert "Must be a number ≥ 0." in client.post(url, data=data).data.decode()
    with db.transaction() as s:
        answer = s.scalar(
            select(m.Answer).where(
                m.Answer.vendor_id == vendor_id, m.Answer.question_id == timezone
            )
        )
        assert answer.text.startswith(PUENTE_ANSWER)
        assert s.get(m.VendorResponse, vendor_id).rate == 2720
    assert events(db, evaluation_id, "vendor.response") == []


def test_the_rate_form_shows_the_seeds_range_of_the_delivery_model(client, auth, db, demo):
    _open(db, demo["evaluation"])
    auth.login("morgan")
    page = client.get(_url(demo["evaluation"], f"/{demo['puente_norte']}/response")).data.decode()
    # nearshore $12-20 an agent-hour; x 160 h = $1,920-3,200 per FTE-month
    assert "nearshore: $12–20 per agent-hour (≈ $1,920–3,200 per FTE-month at 160 h)" in page
    assert "onshore:" not in page


def test_the_vendor_page_flags_an_effective_rate_against_the_seeds_range(client, auth, db, demo):
    auth.login("morgan")
    page = client.get(_url(demo["evaluation"], f"/{demo['puente_norte']}")).data.decode()
    # $2,720 per FTE-month / 160 h = $17.00 an agent-hour: inside nearshore's $12-20.
    # H = 5,000 h: monthly charge 5,000 / 160 x 2,720 = $85,000;
    # TCO = 30,000 + 36 x (85,000 + 2,500) x 1.10 = $3,495,000.
    assert "$17.00" in page and "within the seeds' nearshore range" in page
    assert "$3,495,000" in page


def test_responses_are_sealed_from_evaluators_until_scoring(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    vendor_id = demo["puente_norte"]
    for stage in ("draft", "open"):
        set_stage(db, evaluation_id, stage)
        auth.login("dana")
        listing = client.get(_url(evaluation_id)).data.decode()
        assert "Puente Norte CX" in listing and "nearshore" in listing
        assert "rgarza@" not in listing and "2,720" not in listing
        page = client.get(_url(evaluation_id, f"/{vendor_id}")).data.decode()
        assert "Puente Norte CX" in page and "nearshore" in page
        assert "Response sealed" in page
        assert PUENTE_ANSWER not in page and "2,720" not in page and "rgarza@" not in page
        assert "SOC 2 Type II, period" not in page  # knockout evidence
        auth.logout()
    set_stage(db, evaluation_id, "scoring")
    auth.login("dana")
    page = client.get(_url(evaluation_id, f"/{vendor_id}")).data.decode()
    assert PUENTE_ANSWER in page and "$2,720.00" in page
    assert "rgarza@" not in page  # the contact stays the lead's


def test_viewers_do_not_read_sealed_responses_either(client, auth, db, demo):
    set_stage(db, demo["evaluation"], "open")
    auth.login("elena")
    page = client.get(_url(demo["evaluation"], f"/{demo['puente_norte']}")).data.decode()
    assert "Response sealed" in page and PUENTE_ANSWER not in page


def test_an_evaluator_with_a_conflict_does_not_read_that_response(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "scoring")
    with db.transaction() as s:
        s.add(
            m.ConflictDeclaration(
                membership_id=membership_id(db, evaluation_id, "dana"),
                vendor_id=demo["puente_norte"],
                note="Former employer",
            )
        )
    auth.login("dana")
    page = client.get(_url(evaluation_id, f"/{demo['puente_norte']}")).data.decode()
    assert "You declared a conflict of interest with this vendor" in page
    assert PUENTE_ANSWER not in page
    other = client.get(_url(evaluation_id, f"/{demo['cottonwood']}")).data.decode()
    assert "You declared a conflict" not in other


def test_two_envelopes_hide_prices_until_the_evaluator_submits(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "scoring")
    dana = membership_id(db, evaluation_id, "dana")
    with db.transaction() as s:
        s.get(m.Evaluation, evaluation_id).two_envelope = True
        s.get(m.Membership, dana).submitted_at = None
    auth.login("dana")
    page = client.get(_url(evaluation_id, f"/{demo['puente_norte']}")).data.decode()
    assert PUENTE_ANSWER in page
    assert "2,720" not in page and "prices are shown once you have submitted" in page


def test_blind_scoring_shows_evaluators_letters_until_consensus(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "scoring")
    with db.transaction() as s:
        s.get(m.Evaluation, evaluation_id).blind_scoring = True
    auth.login("dana")
    listing = client.get(_url(evaluation_id)).data.decode()
    assert "Vendor B" in listing and "Puente Norte" not in listing
    page = client.get(_url(evaluation_id, f"/{demo['puente_norte']}")).data.decode()
    assert "Vendor B" in page and "Puente Norte" not in page and " MX" not in page
    auth.logout()
    auth.login("morgan")
    assert b"Puente Norte CX" in client.get(_url(evaluation_id)).data


def test_vendor_names_with_markup_are_shown_as_text(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    auth.login("morgan")
    client.post(
        _url(evaluation_id, "/new"),
        data={"name": "<script>alert(1)</script>", "notes": "<b>bold</b>"},
    )
    with db.transaction() as s:
        vendor_id = s.scalar(select(m.Vendor.id).where(m.Vendor.name.like("<script>%")))
    for path in ("", f"/{vendor_id}", f"/{vendor_id}/edit", f"/{vendor_id}/response"):
        page = client.get(_url(evaluation_id, path)).data.decode()
        assert "<script>alert(1)</script>" not in page
        assert "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(_url(evaluation_id)).data.decode()


def test_vendors_of_another_evaluation_are_not_found(client, auth, db, demo):
    auth.login("morgan")
    response = client.post("/evaluations/new", data={"start": "blank", "title": "Other"})
    other = int(response.headers["Location"].rsplit("/", 1)[1])
    assert client.get(_url(other, f"/{demo['puente_norte']}")).status_code == 404
    assert client.get(_url(other, f"/{demo['puente_norte']}/response")).status_code == 404


def test_the_vendor_page_lists_its_reference_calls_with_the_flags(client, auth, db, demo):
    # The demo: Threadline has two calls (fewer than three: flagged), Tanglaw three
    # with one "no" to signing again (flagged).
    evaluation_id = demo["evaluation"]
    auth.login("morgan")
    threadline = client.get(f"/evaluations/{evaluation_id}/vendors/{demo['threadline']}")
    page = threadline.get_data(as_text=True)
    assert "Reference calls" in page
    assert "Only 2 reference calls; talk to 3 customers in similar businesses" in page
    tanglaw = client.get(f"/evaluations/{evaluation_id}/vendors/{demo['tanglaw']}")
    assert "1 reference would not sign this contract again" in tanglaw.get_data(as_text=True)
    # Evaluators read them too once scoring is open (the demo is in consensus) ...
    auth.logout()
    auth.login("dana")
    assert "Reference calls" in client.get(
        f"/evaluations/{evaluation_id}/vendors/{demo['threadline']}"
    ).get_data(as_text=True)
    # ... but not while responses are sealed.
    set_stage(db, evaluation_id, "open")
    assert "Reference calls" not in client.get(
        f"/evaluations/{evaluation_id}/vendors/{demo['threadline']}"
    ).get_data(as_text=True)


def test_a_quote_is_shown_in_the_words_of_its_pricing_model(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    auth.login("morgan")
    # Puente Norte quotes $2,720 per FTE-month.
    listing = client.get(_url(evaluation_id)).data.decode()
    assert "/ FTE-month" in listing
    page = client.get(_url(evaluation_id, f"/{demo['puente_norte']}")).data.decode()
    assert "per FTE-month</div>" in page
    _open(db, evaluation_id)
    form = client.get(_url(evaluation_id, f"/{demo['puente_norte']}/response")).data.decode()
    assert '<option selected value="per_fte_month">Per FTE-month</option>' in form


def test_a_refused_vendor_names_its_field(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    auth.login("morgan")
    with db.transaction() as s:
        taken = s.get(m.Vendor, demo["puente_norte"]).name
    response = client.post(_url(evaluation_id, "/new"), data={"name": taken.upper()})
    assert response.status_code == 200
    page = response.data.decode()
    # The operation's refusal stands under the name, as the form's own errors do.
    assert f'<p class="error" role="alert">{taken} is already a vendor' in page
