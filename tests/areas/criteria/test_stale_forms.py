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
