"""Outcome letters after the award: drafts per vendor from the result, no other vendor's
price unless the lead discloses it, the PDF, sending through the loopback SMTP server
with the letter attached, frozen once sent, refused before the award.

The evaluation (one evaluator, Ana Ruiz, scale 0 to 5; weights fit 40, compliance 30,
cost 20, references 10, so shares .4/.3/.2/.1):

    H = 20000 contacts * 6 min / 60 / 0.8 occupancy = 2,500 agent-hours a month
    TCO = 24 months * 2,500 h * rate:   Alpha $16 -> $960,000   Beta $20 -> $1,200,000
                                        Gamma $10 -> $600,000 (fails SOC 2: disqualified)
    cost (lowest ratio over qualified): Alpha 100, Beta 100 * 960/1200 = 80

    Alpha: timezone 5 (100), language 4 (80) -> fit (2*100 + 80)/3 = 93.3; audits 4 -> 80
           reference 4 -> 80; total .4*93.33 + .3*80 + .2*100 + .1*80 = 89.3, rank 1
    Beta:  timezone 3 (60), language 2 (40) -> fit (2*60 + 40)/3 = 53.3; audits: consensus
           5 -> 100; reference 3 -> 60; total .4*53.33 + .3*100 + .2*80 + .1*60 = 73.3,
           rank 2 of 2
    Gamma: disqualified (SOC 2 Type II not met), no rank
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from rfp import models as m
from rfp.core import jobs
from rfp.domain.vocabulary import MailStatus
from tests.fixtures.decision_web import import_small
from tests.fixtures.evaluations import events, set_stage
from tests.fixtures.mail import html_of, text_of
from tests.fixtures.scenarios import minimal_scenario

# Alpha's TCO, cost per contact, monthly charge (2,500 h * $16) and total.
WINNER_FIGURES = ("960,000", "$2.00", "$40,000", "89.3")


def _scenario() -> dict[str, Any]:
    doc = minimal_scenario(
        title="Support desk 2027",
        stage="decided",
        award={"vendor": "alpha", "rationale": "Best overall."},
    )
    doc["evaluation"]["scope"]["pilot_weeks"] = 10
    contacts = {
        "alpha": ("Ada Alvarez", "ada@alpha.example"),
        "beta": ("Bo Brandt", "bo@beta.example"),
    }
    for vendor in doc["vendors"]:
        vendor["contact_name"], vendor["contact_email"] = contacts[vendor["key"]]
    doc["vendors"][1]["pricing"]["rate"] = 20
    doc["vendors"].append(
        {
            "key": "gamma",
            "name": "Gamma Care",
            "model": "offshore",
            "contact_name": "Gil Gomez",
            "contact_email": "gil@gamma.example",
            "pricing": {"model": "per_hour", "rate": 10},
            "knockouts": {"soc2": False},
        }
    )
    doc["evaluators"] = [{"key": "ana", "name": "Ana Ruiz"}]
    given = {
        "alpha": {"timezone": 5, "language": 4, "audits": 4},
        "beta": {"timezone": 3, "language": 2, "audits": 4},
        "gamma": {"timezone": 4, "language": 4, "audits": 3},
    }
    comments = {
        ("beta", "timezone"): "Only four hours of overlap with Central time",
        ("beta", "language"): "Spanish agents scarce at weekends",
        ("alpha", "timezone"): "Full overlap from the Monterrey site",
    }
    doc["scores"] = [
        {
            "evaluator": "ana",
            "vendor": vendor,
            "question": question,
            "score": score,
            "comment": comments.get((vendor, question), ""),
        }
        for vendor, questions in given.items()
        for question, score in questions.items()
    ]
    doc["consensus"] = [
        {
            "vendor": "beta",
            "question": "audits",
            "score": 5,
            "rationale": "Quarterly third-party audits with shared reports",
        }
    ]
    doc["references"] = [
        {
            "vendor": key,
            "caller": "ana",
            "company": "Acme",
            "contact": "J. Doe",
            "date": "2026-10-02",
            "similar_business": True,
            "rating": rating,
            "would_sign_again": "yes",
            "surprised_negatively": "",
            "do_differently": "",
            "notes": "",
        }
        for key, rating in (("alpha", 4), ("beta", 3), ("gamma", 3))
    ]
    return doc


@pytest.fixture
def letters(db: Any, client: Any, login_as: Any, tmp_path: Any, monkeypatch: Any) -> dict[str, Any]:
    monkeypatch.setenv("RFP_MAIL_ATTACHMENTS", str(tmp_path / "attachments"))
    ids = import_small(db, _scenario())
    login_as(client, "lena")
    ids["base"] = f"/evaluations/{ids['evaluation']}/letters"
    return ids


def _page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _form(page: str) -> dict[str, str]:
    """The letter form's fields as the page fills them."""
    import html
    import re

    out = {}
    for name in ("opening", "strengths", "weaknesses", "closing"):
        found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
        assert found, name
        out[name] = html.unescape(found.group(1)).removeprefix("\r\n")
    return out


def _row(page: str, criterion: str) -> list[str]:
    """The cells after the criterion's name in the page's scores table."""
    import re

    row = re.search(rf"<tr><td>{criterion}</td>(.*?)</tr>", page).group(1)
    return re.findall(r"<td[^>]*>(.*?)</td>", row)


def _save(client: Any, letters: dict[str, Any], vendor: str, **changes: str) -> Any:
    url = f"{letters['base']}/{letters[vendor]}"
    data = _form(_page(client, url)) | changes
    return client.post(url, data=data)


# -- drafts -----------------------------------------------------------------------------


def test_the_letters_page_lists_an_award_letter_and_a_debrief_per_other_vendor(client, letters):
    page = _page(client, letters["base"])
    assert page.index("Alpha CX") < page.index("Beta Support")  # the award letter first
    assert page.count("Award letter") == 1
    assert page.count("Regret and debrief letter") == 2
    assert "rank 2 · 73.3" in page and "disqualified" in page
    assert page.count("Draft, not reviewed") == 3


def test_a_debrief_draft_gives_rank_scores_against_the_winner_and_the_panel_notes(client, letters):
    page = _page(client, f"{letters['base']}/{letters['beta']}")
    assert (
        "Your proposal ranked 2nd of 2 qualified proposals, with a total score of 73.3 out "
        "of 100. The contract is awarded to Alpha CX." in page
    )
    # fit: Beta 53.3 beside Alpha's 93.3; compliance 100.0 beside 80.0; references 60 v 80;
    # cost: Beta's own 80.0, the winner's price score and total withheld
    assert _row(page, "Cultural fit") == ["40 %", "53.3", "93.3"]
    assert _row(page, "Compliance") == ["30 %", "100.0", "80.0"]
    assert _row(page, "References") == ["10 %", "60.0", "80.0"]
    assert _row(page, "Cost") == ["20 %", "80.0", "not disclosed"]
    assert "89.3" not in page
    words = _form(page)
    # audits: consensus 5 of 5 (100) -> a strength with the consensus rationale
    assert words["strengths"] == (
        "- Audit cadence (5.0 of 5): Quarterly third-party audits with shared reports."
    )
    # language 2 of 5 (40) and timezone 3 of 5 (60 is not below 60): one weakness
    assert words["weaknesses"] == (
        "- Language fluency (2.0 of 5): Spanish agents scarce at weekends."
    )
    assert "Ana Ruiz" not in page and "Ana" not in words["strengths"] + words["weaknesses"]


def test_a_disqualified_vendor_is_told_which_knockout_it_failed(client, letters):
    page = _page(client, f"{letters['base']}/{letters['gamma']}")
    assert (
        "Your proposal was not ranked: it did not meet the mandatory requirement “SOC 2 "
        "Type II”, which the request set as pass or fail." in page
    )
    assert _form(page)["weaknesses"].startswith(
        "- SOC 2 Type II: not met (a mandatory requirement)"
    )


def test_the_award_letter_states_the_result_and_the_next_steps(client, letters):
    page = _page(client, f"{letters['base']}/{letters['alpha']}")
    assert "Award of contract" in page
    assert "Your proposal ranked 1st of 2 qualified proposals, with a total score of 89.3" in page
    words = _form(page)
    assert "a 10-week pilot" in words["closing"] and "24-month term" in words["closing"]
    assert words["strengths"].startswith(
        "- Time zone overlap (5.0 of 5): Full overlap from the Monterrey site."
    )
    assert 'name="disclose_winner_price"' not in page


# -- prices ----------------------------------------------------------------------------


def test_no_price_of_the_winner_in_a_debrief_pdf_by_default(client, letters):
    assert _save(client, letters, "beta").status_code == 302
    response = client.get(f"{letters['base']}/{letters['beta']}/letter.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    assert "Outcome of your proposal" in text and "ranked 2nd of 2" in text
    assert "$1,200,000" in text  # Beta's own quote
    for figure in WINNER_FIGURES:
        assert figure not in text, figure
    assert "not disclosed" in text
    assert "Ana Ruiz" not in text


def test_the_winner_price_is_disclosed_when_the_lead_ticks_it(client, db, letters):
    assert _save(client, letters, "beta", disclose_winner_price="y").status_code == 302
    text = _pdf_text(client.get(f"{letters['base']}/{letters['beta']}/letter.pdf").data)
    assert "The awarded proposal (Alpha CX): total cost of ownership $960,000" in text
    assert "89.3" in text  # the winner's total comes with its price
    [event] = events(db, letters["evaluation"], "letter.saved")
    assert event.new["disclose_winner_price"] is True
    assert event.target == "Regret and debrief letter to Beta Support"


# -- sending -----------------------------------------------------------------------------


def test_sending_needs_the_lead_to_save_the_draft_first(client, letters, db):
    response = client.post(f"{letters['base']}/{letters['beta']}/send")
    assert response.status_code == 409
    assert "save it before sending" in response.get_data(as_text=True)
    with db.transaction() as s:
        assert s.scalar(select(m.MailMessage)) is None


def test_a_sent_debrief_goes_to_the_contact_with_its_pdf_and_no_winner_price(
    client, db, letters, smtp_server
):
    assert _save(client, letters, "beta", weaknesses="- Weekend Spanish cover").status_code == 302
    assert client.post(f"{letters['base']}/{letters['beta']}/send").status_code == 302
    assert jobs.run_pending(db) == 1
    [mail] = smtp_server.messages
    assert mail["To"] == "Bo Brandt <bo@beta.example>"
    assert mail["Subject"] == "Outcome of your proposal — Support desk 2027"
    text, html = text_of(mail), html_of(mail)
    assert "ranked 2nd of 2 qualified proposals" in text and "Weekend Spanish cover" in text
    assert "ranked 2nd of 2 qualified proposals" in html
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == "debrief-letter.pdf"
    pdf_text = _pdf_text(attachment.get_content())
    assert "Weekend Spanish cover" in pdf_text
    for figure in WINNER_FIGURES:
        assert figure not in text and figure not in html and figure not in pdf_text, figure
    with db.transaction() as s:
        letter = s.scalar(
            select(m.OutcomeLetter).where(m.OutcomeLetter.vendor_id == letters["beta"])
        )
        assert letter.sent_to == "bo@beta.example" and letter.sent_by_id is not None
        assert "Weekend Spanish cover" in letter.sent_text
        assert s.get(m.MailMessage, letter.message_id).status is MailStatus.SENT
    [event] = events(db, letters["evaluation"], "letter.sent")
    assert event.new == {"to": "bo@beta.example", "winner_price_disclosed": False}


def test_a_sent_letter_is_frozen(client, db, letters, smtp_server):
    _save(client, letters, "alpha")
    client.post(f"{letters['base']}/{letters['alpha']}/send")
    url = f"{letters['base']}/{letters['alpha']}"
    assert client.post(url, data={"opening": "Changed"}).status_code == 409
    assert client.post(f"{url}/redraft").status_code == 409
    assert client.post(f"{url}/send").status_code == 409
    page = _page(client, url)
    assert "Sent " in page and 'name="opening"' not in page
    jobs.run_pending(db)
    [mail] = smtp_server.messages
    assert mail["Subject"] == "Your proposal is selected — Support desk 2027"
    assert len(events(db, letters["evaluation"], "letter.sent")) == 1


def test_letters_are_refused_before_the_award(client, db, letters):
    set_stage(db, letters["evaluation"], "consensus", award_vendor_id=None)
    for url in (letters["base"], f"{letters['base']}/{letters['beta']}"):
        assert client.get(url).status_code == 409
    assert client.post(f"{letters['base']}/{letters['beta']}/send").status_code == 409


def test_a_letter_refuses_an_empty_opening_and_overlong_text(client, db, letters):
    url = f"{letters['base']}/{letters['beta']}"
    response = client.post(url, data={"opening": "  ", "strengths": "x"})
    assert response.status_code == 400
    assert "The letter needs its opening paragraph." in response.get_data(as_text=True)
    response = client.post(url, data={"opening": "Hi\x00", "strengths": "x" * 20_001})
    assert response.status_code == 400
    assert "At most 20,000 characters." in response.get_data(as_text=True)
    with db.transaction() as s:
        assert s.scalar(select(m.OutcomeLetter)) is None


def test_starting_again_puts_the_draft_back(client, db, letters):
    url = f"{letters['base']}/{letters['beta']}"
    _save(client, letters, "beta", strengths="Mine")
    assert "Mine" in _form(_page(client, url))["strengths"]
    assert client.post(f"{url}/redraft").status_code == 302
    assert _form(_page(client, url))["strengths"].startswith("- Audit cadence")
    [event] = events(db, letters["evaluation"], "letter.redrafted")
    assert event.old["strengths"] == "Mine"
