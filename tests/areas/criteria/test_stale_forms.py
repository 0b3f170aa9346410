"""Two leads saving weights at once: the second silently reverted the first, and the
audit trail blamed the second. Set-up rows carry a version; an edit form is saved only
if nothing it shows has changed since it was opened: otherwise "changed by X at T since
you opened it", the current values shown, nothing overwritten (rfp.core.versions)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from rfp import models as m
from tests.areas.evaluations.test_evaluations import _settings_form
from tests.fixtures.evaluations import set_stage
from tests.fixtures.setup import criterion_id, load

WEIGHT_INPUT = re.compile(
    r'<input type="number" name="((?:criterion|question)-\d+)" value="([^"]*)"'
)
HIDDEN = r'name="{name}" type="hidden" value="([^"]*)"'


def _opened(client: Any, url: str) -> tuple[str, dict[str, str]]:
    page = client.get(url).get_data(as_text=True)
    return page, dict(WEIGHT_INPUT.findall(page))


def _hidden(page: str, name: str) -> str:
    found = re.search(r'<input[^>]*name="' + name + r'"[^>]*value="([^"]*)"', page)
    assert found, f"no hidden {name} on the page"
    return found.group(1)


@pytest.fixture
def two_leads(app, demo, db, login_as):
    """Morgan (the lead) and the administrator, each in a browser of their own, on the
    demo back in draft."""
    set_stage(db, demo["evaluation"], "draft")
    morgan, admin = app.test_client(), app.test_client()
    login_as(morgan, "morgan")
    login_as(admin, "admin")
    return morgan, admin


def test_a_weight_table_opened_before_another_lead_s_save_overwrites_nothing(db, demo, two_leads):
    morgan, admin = two_leads
    evaluation_id = demo["evaluation"]
    url = f"/evaluations/{evaluation_id}/criteria"
    tooling = f"criterion-{criterion_id(db, evaluation_id, 'tooling')}"
    fit = f"criterion-{criterion_id(db, evaluation_id, 'cultural_fit')}"
    morgan_page, morgan_weights = _opened(morgan, url)  # Morgan opens the table...
    admin_page, admin_weights = _opened(admin, url)
    assert morgan_weights[tooling] == "15"
    # ... the administrator raises tooling to 20 and saves first ...
    saved = admin.post(
        f"{url}/weights",
        data={**admin_weights, tooling: "20", "versions": _hidden(admin_page, "versions")},
    )
    assert saved.status_code == 302
    # ... then Morgan saves a change of cultural fit on the table as it was opened,
    # tooling still at 15 on it: before, tooling went back to 15 in Morgan's name.
    stale = morgan.post(
        f"{url}/weights",
        data={**morgan_weights, fit: "50", "versions": _hidden(morgan_page, "versions")},
    )
    page = stale.get_data(as_text=True)
    assert stale.status_code == 200
    admin_name = load(db, m.User, _user_id(db, "admin")).name
    assert re.search(
        rf"Tooling: changed by {re.escape(admin_name)} at \d{{4}}-\d\d-\d\d \d\d:\d\d UTC "
        r"since you opened it",
        page,
    ), page
    # Nothing of Morgan's was written; the table shows the current weights.
    assert load(db, m.Criterion, int(tooling.split("-")[1])).weight == 20
    assert load(db, m.Criterion, int(fit.split("-")[1])).weight != 50
    assert dict(WEIGHT_INPUT.findall(page))[tooling] == "20"
    # Saved again on the table as it is now, the change goes through.
    again = morgan.post(
        f"{url}/weights",
        data={**dict(WEIGHT_INPUT.findall(page)), fit: "50", "versions": _hidden(page, "versions")},
    )
    assert again.status_code == 302
    assert load(db, m.Criterion, int(fit.split("-")[1])).weight == 50


def _user_id(db: Any, username: str) -> int:
    with db.session() as s:
        return s.scalar(select(m.User.id).where(m.User.username == username))


def test_settings_opened_before_another_lead_s_save_overwrite_nothing(db, demo, two_leads):
    morgan, admin = two_leads
    evaluation_id = demo["evaluation"]
    url = f"/evaluations/{evaluation_id}/settings"
    version = _hidden(morgan.get(url).get_data(as_text=True), "version")
    opened = _settings_form(db, evaluation_id)  # what Morgan's page holds
    saved = admin.post(
        url,
        data={
            **_settings_form(db, evaluation_id, title="Customer service 2027 (board copy)"),
            "version": version,
        },
    )
    assert saved.status_code == 302
    stale = morgan.post(url, data={**opened, "description": "Morgan's words", "version": version})
    page = stale.get_data(as_text=True)
    assert re.search(
        r"Settings: changed by Site Administrator at [-\d: ]+ UTC since you opened it", page
    )
    evaluation = load(db, m.Evaluation, evaluation_id)
    assert evaluation.title == "Customer service 2027 (board copy)"  # not reverted
    assert evaluation.description != "Morgan's words"
    assert 'value="Customer service 2027 (board copy)"' in page  # the current values


def test_a_change_committed_between_a_read_and_a_write_fails_the_flush(db, demo):
    """The version is also checked by the UPDATE itself (WHERE version = the one read),
    so that no check-then-write window lets a change through unseen."""
    first, second = db.session(), db.session()
    try:
        mine = first.scalar(select(m.Criterion).where(m.Criterion.key == "tooling"))
        theirs = second.scalar(select(m.Criterion).where(m.Criterion.key == "tooling"))
        theirs.weight = 20
        second.commit()
        mine.weight = 30
        with pytest.raises(StaleDataError):
            first.flush()
    finally:
        first.rollback()
        first.close()
        second.close()
    assert load(db, m.Criterion, theirs.id).weight == 20


def _criterion_form(c: m.Criterion, **changes: Any) -> dict[str, Any]:
    data = {"name": c.name, "kind": c.kind, "weight": f"{c.weight:g}"}
    return {**data, "description": c.description or "", **changes}


def _question_form(q: m.Question, **changes: Any) -> dict[str, Any]:
    data = {"text": q.text, "kind": q.kind, "weight": f"{q.weight:g}"}
    return {**data, "guidance": q.guidance or "", **changes}


def _vendor_form(v: m.Vendor, **changes: Any) -> dict[str, Any]:
    data = {"name": v.name, "delivery_model": v.delivery_model or "", "country": v.country}
    return {
        **data,
        "contact_name": v.contact_name,
        "contact_email": v.contact_email,
        "notes": v.notes or "",
        **changes,
    }


@pytest.mark.parametrize(
    ("model", "key", "path", "form", "theirs", "mine", "what"),
    [
        (
            m.Criterion, "tooling", "criteria/{id}/edit", _criterion_form,
            {"description": "Their description"}, {"name": "Tools and QA"}, "Tooling",
        ),
        (
            m.Question, "timezone", "criteria/questions/{id}/edit", _question_form,
            {"guidance": "Their guidance"}, {"text": "My rewording"}, "1.1 ",
        ),
        (
            m.Vendor, "cottonwood", "vendors/{id}/edit", _vendor_form,
            {"country": "Canada"}, {"notes": "My notes"}, "Cottonwood Ridge CX",
        ),
    ],
    ids=["criterion", "question", "vendor"],
)  # fmt: skip
def test_an_edit_form_opened_before_another_lead_s_save_overwrites_nothing(
    db, demo, two_leads, model, key, path, form, theirs, mine, what
):
    morgan, admin = two_leads
    evaluation_id = demo["evaluation"]
    with db.session() as s:
        item = s.scalar(select(model).where(model.evaluation_id == evaluation_id, model.key == key))
        opened = form(item)  # what Morgan's page holds
    url = f"/evaluations/{evaluation_id}/{path.format(id=item.id)}"
    version = _hidden(morgan.get(url).get_data(as_text=True), "version")
    saved = admin.post(url, data={**opened, **theirs, "version": version})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    stale = morgan.post(url, data={**opened, **mine, "version": version})
    page = stale.get_data(as_text=True)
    assert stale.status_code == 200
    assert re.search(
        re.escape(what) + r"[^<]*: changed by Site Administrator at [-\d: ]+ UTC since you opened",
        page,
    ), page
    after = load(db, model, item.id)
    (field, value), (my_field, my_value) = next(iter(theirs.items())), next(iter(mine.items()))
    assert getattr(after, field) == value  # theirs kept
    assert getattr(after, my_field) != my_value  # mine not written
    assert value in page  # the form shows the current values
