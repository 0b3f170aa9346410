"""Markup typed by users is shown as text on every page.

The demo gets a vendor named `<script>alert(1)</script>` and markup (`<b>bold</b>`,
`<img src=x onerror=alert(1)>`) in a comment, an answer, a reference call's notes, a
criterion's name, a question's text, the evaluation's title, a user's name and an audit
event. Then every GET route of the URL map is read as the lead, the admin, a viewer and
an evaluator (in scoring, for the scorecards, and in consensus, where everyone reads the
results; the lead also in open, for intake), and the vendor portal with its token: no HTML response
carries the raw markup, the pages that show these texts carry them escaped, and the JSON
API carries them as data.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from markupsafe import escape
from sqlalchemy import select

from rfp import models as m
from rfp.core.audit import record
from tests.fixtures.demo_world import (
    VENDOR,
    EvaluationIds,
    World,
    build_world,
    fast_hashing_for_module,  # noqa: F401  (module fixture)
    make_app,
    module_database_url,
)

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
BOLD = "<b>bold</b>"
RAW = (SCRIPT, "<img src=x", BOLD)

TEXTS = {
    "vendor": SCRIPT,
    "title": f"Outsourcing {BOLD} {SCRIPT}",
    "criterion": f"Tooling {BOLD} {IMG}",
    "question": f"Time zone overlap {IMG} {BOLD}",
    "answer": f"Our Monterrey site keeps your hours {BOLD} {IMG}",
    "comment": f"Convincing {BOLD} {IMG} overlap",
    "call_note": f"Praised the site lead {BOLD} {IMG}",
    "user": f"Dana {BOLD} {IMG}",
    "qa": f"Are Saturdays in scope {BOLD} {IMG}",
    "addendum": f"The deadline moves {BOLD} {IMG}",
    "slot": f"SOC 2 report {BOLD} {IMG}",
    "verdict": f"Expand {BOLD} {IMG}",
    "amendment": f"Confirmed by phone {BOLD} {IMG}",
}
ESCAPED = {key: str(escape(value)) for key, value in TEXTS.items()}

STAGES = ("open", "scoring", "consensus", "pilot", "decided")
ROLES = ("lead", "admin", "viewer", "evaluator")
# Where each text is shown (endpoint -> texts), for the roles that open the page (200).
# Each evaluator's comments by name are the panel's: viewers and evaluators read them on
# the results pages from consensus on (PANEL below).
SHOWN_ON = {
    "dashboard.index": ("title",),
    "evaluations.overview": ("title",),
    "criteria.index": ("criterion", "question"),
    "vendors.index": ("vendor",),
    "vendors.detail": ("vendor", "amendment"),
    "vendors.amend": ("vendor", "amendment"),
    "members.index": ("user",),
    "scorecards.index": ("vendor",),
    "scorecards.scorecard": ("vendor", "question", "answer", "comment"),
    "references.index": ("vendor", "call_note"),
    "consensus.index": ("vendor",),
    "consensus.pair": ("vendor", "question", "comment", "user"),
    "results.index": ("vendor", "criterion", "amendment"),
    "results.vendor": (
        "vendor",
        "question",
        "answer",
        "comment",
        "call_note",
        "user",
        "amendment",
    ),
    "audit.index": ("vendor",),
    "intake.index": ("vendor",),
    "portal.response": ("vendor", "title", "answer"),
    "clarifications.index": ("qa",),
    "addenda.index": ("addendum",),
    "documents.index": ("vendor", "slot"),
    "portal_clarifications.index": ("vendor", "title", "qa"),
    "portal_addenda.index": ("vendor", "title", "addendum"),
    "portal_documents.index": ("vendor", "title", "slot"),
    "admin.users": ("user",),
    "mail.index": ("title", "user", "comment"),
    "pilot.index": ("vendor", "verdict"),
    "pilot.weeks": ("vendor",),
    "pilot.award": ("vendor",),
    "letters.index": ("vendor", "title"),
    "letters.edit": ("vendor", "title"),
    # In the values of form fields, too.
    "evaluations.settings": ("title",),
    "criteria.edit_criterion": ("criterion",),
    "criteria.edit_question": ("question",),
    "vendors.edit": ("vendor",),
    "vendors.response": ("answer",),
}
PANEL = ("comment",)
# Not markup: files a spreadsheet or viewer opens (the CSV's cells are tested for formula
# injection in tests/areas/audit/test_audit_exports.py).
BINARY = (
    "application/vnd.openxmlformats",
    "application/pdf",
    "application/octet-stream",
    "text/csv",
)


@pytest.fixture(scope="module")
def world(tmp_path_factory, worker_id, fast_hashing_for_module) -> Any:  # noqa: F811
    folder = tmp_path_factory.mktemp("escaping")
    app = make_app(module_database_url(folder, "escaping", worker_id), folder)
    built = build_world(app, STAGES, sentinels=False)
    with built.db.transaction() as s:
        for ids in built.evaluations.values():
            _put_markup(s, ids)
        s.scalar(select(m.User).where(m.User.username == "dana")).name = TEXTS["user"]
    yield built
    built.db.dispose()


def _put_markup(s: Any, ids: EvaluationIds) -> None:
    evaluation = s.get(m.Evaluation, ids.evaluation)
    vendor = s.get(m.Vendor, ids.vendors[VENDOR])
    old_name = vendor.name
    vendor.name = TEXTS["vendor"]
    evaluation.title = TEXTS["title"]
    s.get(m.Criterion, ids.criteria["tooling"]).name = TEXTS["criterion"]
    s.get(m.Question, ids.questions["timezone"]).text = TEXTS["question"]
    asked = {"vendor_id": vendor.id, "question_id": ids.questions["timezone"]}
    s.scalar(select(m.Answer).filter_by(**asked)).text = TEXTS["answer"]
    s.scalar(
        select(m.Score).filter_by(membership_id=ids.memberships["dana"], **asked)
    ).comment = TEXTS["comment"]
    s.get(m.ReferenceCall, ids.calls[f"dana:{VENDOR}"]).notes = TEXTS["call_note"]
    # An e-mail whose subject, addressee and last error carry the markup (the outbox).
    s.add(
        m.MailMessage(
            evaluation_id=evaluation.id,
            kind="vendor_notice",
            to_address="x@vendor.example",
            to_name=TEXTS["user"],
            subject=TEXTS["title"],
            renderer="rfp.areas.mail.messages:vendor_notice",
            context={},
            status="failed",
            last_error=TEXTS["comment"],
        )
    )
    question = s.get(m.Clarification, ids.clarification)
    question.text = question.public_text = question.answer = TEXTS["qa"]
    s.get(m.Addendum, ids.addendum).body = TEXTS["addendum"]
    s.get(m.DocumentSlot, ids.slot).name = TEXTS["slot"]
    s.scalar(select(m.PilotVendor).filter_by(vendor_id=vendor.id)).verdict_reason = TEXTS["verdict"]
    lead = s.scalar(select(m.User).where(m.User.username == "morgan"))
    # An amendment of the vendor's answer, its reason and author in markup too.
    s.add(
        m.ResponseAmendment(
            evaluation_id=evaluation.id,
            vendor_id=vendor.id,
            field="answer",
            question_id=ids.questions["timezone"],
            old_value=TEXTS["answer"],
            new_value=TEXTS["answer"] + " (amended)",
            reason=TEXTS["amendment"],
            source="lead",
            stage=evaluation.stage,
            after_unsealing=evaluation.stage != "open",
            actor=TEXTS["user"],
        )
    )
    record(
        s,
        evaluation,
        lead,
        "vendor.updated",
        TEXTS["vendor"],
        old={"name": old_name},
        new={"name": TEXTS["vendor"]},
        reason=TEXTS["comment"],
    )


def _get_rules(app: Any) -> list[Any]:
    return sorted(
        (r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"),
        key=lambda r: r.endpoint,
    )


def _read(world: World, role: str, stage: str) -> list[tuple[str, str, Any]]:
    """(endpoint, url, response) for every GET route, as the role, in the stage's copy."""
    client = world.client(role)
    out = []
    for rule in _get_rules(world.app):
        url = world.url(rule, stage)
        response = client.get(url)
        response.close()
        out.append((rule.endpoint, url, response))
    return out


# Consensus: everyone reads the results; scoring: the evaluator's scorecards and the
# viewer's results before the panel opens; open: the lead's intake pages; pilot: the
# pilot's pages; decided: the lead's outcome letters.
CASES = [(role, stage) for stage in ("scoring", "consensus") for role in ROLES] + [
    ("lead", "open"),
    ("lead", "pilot"),
    ("viewer", "pilot"),
    ("lead", "decided"),  # the outcome letters
]


@pytest.mark.parametrize(("role", "stage"), CASES)
def test_no_page_carries_the_raw_markup_and_the_texts_show_escaped(world, role, stage):
    problems, shown = [], 0
    panel_open = role in ("lead", "admin") or stage == "consensus"
    for endpoint, url, response in _read(world, role, stage):
        kind = response.content_type or ""
        if kind.startswith(BINARY):
            continue
        body = response.get_data(as_text=True)
        if response.status_code == 500:
            problems.append(f"{url}: 500")
        if kind.startswith("application/json"):
            continue  # data, not markup: test_the_json_api_carries_the_texts_as_data
        if kind.startswith("text/csv"):
            # Data, not markup (the pilot's KPI template, a download): names as written,
            # quoted where a spreadsheet would read a formula (test_kpi_import).
            assert "attachment" in response.headers.get("Content-Disposition", ""), url
            continue
        raw = [marker for marker in RAW if marker in body]
        if raw:
            problems.append(f"{endpoint} {url}: raw {raw}")
        if response.status_code == 200:
            for key in SHOWN_ON.get(endpoint, ()):
                if key in PANEL and endpoint.startswith("results.") and not panel_open:
                    continue
                shown += 1
                if ESCAPED[key] not in body:
                    problems.append(f"{endpoint} {url}: the {key} is not shown escaped")
    assert not problems, f"{role} at {stage}:\n" + "\n".join(problems)
    assert shown, "no page showed any of the texts: the test would prove nothing"


def test_the_vendor_portal_shows_the_texts_escaped(world):
    ids = world.at("open")
    response = world.client("anonymous").get(f"/portal/{ids.token}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert not [marker for marker in RAW if marker in body]
    for key in SHOWN_ON["portal.response"]:
        assert ESCAPED[key] in body, key


@pytest.mark.parametrize("role", ["lead", "viewer", "evaluator"])
def test_the_json_api_carries_the_texts_as_data(world, role):
    ids = world.at("consensus")
    response = world.client(role).get(f"/api/evaluations/{ids.evaluation}/results")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    doc = json.loads(response.get_data(as_text=True))
    assert TEXTS["vendor"] in {v["name"] for v in doc["vendors"]}
