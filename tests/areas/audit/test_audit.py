"""The audit trail page: who, when, what, old -> new, why; filtered and paginated."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from rfp import models as m
from rfp.core.audit import record
from rfp.core.db import utcnow
from tests.fixtures.evaluations import set_stage
from tests.fixtures.setup import criterion_id


def _url(evaluation_id: int, query: str = "") -> str:
    return f"/evaluations/{evaluation_id}/audit{query}"


def test_a_weight_change_shows_who_old_new_and_reason(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    references = criterion_id(db, evaluation_id, "references")
    auth.login("morgan")
    client.post(
        f"/evaluations/{evaluation_id}/criteria/weights",
        data={f"criterion-{references}": "15", "reason": "References matter <more>"},
    )
    page = client.get(_url(evaluation_id)).data.decode()
    row = re.search(r"<tr>\s*<td[^>]*>[^<]*</td>\s*<td>Morgan Avery</td>.*?</tr>", page, re.S)
    assert row, page[:3000]
    text = row.group(0)
    assert "Criterion weight changed" in text and "References" in text
    assert "<del>10</del>" in text and "<ins>15</ins>" in text
    assert "References matter &lt;more&gt;" in text  # the reason is shown as text


def test_the_trail_is_filtered_by_type_of_action(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft", deadline=utcnow() + timedelta(days=30))
    auth.login("morgan")
    client.post(f"/evaluations/{evaluation_id}/stage/advance", data={"to": "open"})
    page = client.get(_url(evaluation_id, "?type=stage")).data.decode()
    assert '<option value="stage" selected>Stages</option>' in page
    assert '<td class="action">Stage changed</td>' in page
    assert "Evaluation imported" not in page
    page = client.get(_url(evaluation_id, "?type=evaluation")).data.decode()
    assert "Evaluation imported" in page and '<td class="action">Stage changed</td>' not in page


def test_the_trail_is_paginated_newest_first(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, evaluation_id)
        for i in range(60):
            record(s, evaluation, None, "vendor.updated", f"change {i:02d}", actor="test")
    auth.login("morgan")
    # 61 events (the import and 60 changes), 50 a page
    first = client.get(_url(evaluation_id)).data.decode()
    # newest first: changes 59 down to 10 on page 1; 09 to 00 and the import on page 2
    assert "1–50 of 61" in first and "change 59" in first and "change 10" in first
    assert "change 09" not in first
    second = client.get(_url(evaluation_id, "?page=2")).data.decode()
    assert "51–61 of 61" in second and "change 00" in second and "Evaluation imported" in second
    assert "← Newer" in second and "Older →" not in second
    # a page past the end shows the last one
    assert "51–61 of 61" in client.get(_url(evaluation_id, "?page=9")).data.decode()


@pytest.mark.parametrize(
    ("stage", "answers"),
    [
        ("scoring", {"dana": 403, "elena": 403, "morgan": 200, "admin": 200}),
        # Leadership reads the trail with the panel's scores, from consensus on.
        ("consensus", {"dana": 403, "elena": 200, "morgan": 200, "admin": 200}),
        ("decided", {"dana": 403, "elena": 200, "morgan": 200, "admin": 200}),
    ],
)
def test_the_lead_and_the_admin_read_the_trail_and_viewers_from_consensus_on(
    client, auth, db, demo, stage, answers
):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, stage)
    for user, expected in answers.items():
        auth.login(user)
        for path in ("", "/audit-trail.csv", "/audit-trail.xlsx"):
            assert client.get(_url(evaluation_id, path)).status_code == expected, (user, path)
        auth.logout()
