"""Creating an evaluation (template, blank, scenario file), its overview and settings."""

from __future__ import annotations

import io
import json

from sqlalchemy import select

from rfp import models as m
from tests.fixtures.evaluations import events, set_stage
from tests.fixtures.setup import count, load


def _created_id(response) -> int:
    assert response.status_code == 302, response.data[:2000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_creating_from_the_template_copies_criteria_scale_and_scope_but_no_vendors(
    client, auth, db, demo
):
    auth.login("morgan")
    response = client.post(
        "/evaluations/new", data={"start": "template", "title": "Nearshore CX 2028"}
    )
    evaluation_id = _created_id(response)
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, evaluation_id)
        demo_evaluation = s.get(m.Evaluation, demo["evaluation"])
        assert evaluation.title == "Nearshore CX 2028"
        assert evaluation.stage == "draft"
        # the demo's six criteria (cultural fit, compliance, tooling, stability, cost,
        # references) with 4 + 4 + 2 + 5 = 15 questions
        assert [c.key for c in evaluation.criteria] == [c.key for c in demo_evaluation.criteria]
        assert sum(len(c.questions) for c in evaluation.criteria) == 15
        # the demo's volumes and cost baseline, none of its company's facts
        for field in ("contacts_per_month", "aht_minutes", "inhouse_rate", "channels"):
            assert evaluation.scope[field] == demo_evaluation.scope[field]
        assert evaluation.scope["languages"] == ["en"]
        assert (evaluation.scope["coverage"], evaluation.scope["tools"]) == ("", [])
        assert (evaluation.scale_min, evaluation.scale_max) == (0, 5)
        assert evaluation.anchors["3"] == "Meets the requirement"
        assert evaluation.vendors == []
        roles = {(ms.user.username, ms.role) for ms in evaluation.memberships}
        assert roles == {("morgan", "lead")}
    created = events(db, evaluation_id, "evaluation.created")
    assert created[0].new["from"] == "template: Customer service outsourcing"


def test_creating_a_blank_evaluation_makes_the_creator_its_lead(client, auth, db, demo):
    auth.login("dana")  # an evaluator elsewhere can lead an evaluation of their own
    evaluation_id = _created_id(
        client.post("/evaluations/new", data={"start": "blank", "title": "Back office 2027"})
    )
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, evaluation_id)
        assert evaluation.criteria == []
        assert evaluation.anchors == m.DEFAULT_ANCHORS
        assert [(ms.user.username, ms.role) for ms in evaluation.memberships] == [("dana", "lead")]
    assert client.get(f"/evaluations/{evaluation_id}").status_code == 200


def test_a_title_is_required_for_the_template_and_blank(client, auth, db, demo):
    auth.login("morgan")
    before = count(db, m.Evaluation)
    response = client.post("/evaluations/new", data={"start": "blank", "title": "  "})
    assert response.status_code == 200
    assert b"Give the evaluation a title." in response.data
    assert count(db, m.Evaluation) == before


def test_uploading_a_scenario_file_imports_the_whole_evaluation(
    client, auth, db, demo, make_scenario
):
    """An administrator's import enrols the panel (a lead's: tests/areas/evaluations/
    test_import_rights.py)."""
    auth.login("admin")
    doc = make_scenario(title="Imported evaluation")
    response = client.post(
        "/evaluations/new",
        data={
            "start": "upload",
            "title": "",
            "scenario": (io.BytesIO(json.dumps(doc).encode()), "scenario.json"),
        },
        content_type="multipart/form-data",
    )
    evaluation_id = _created_id(response)
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, evaluation_id)
        assert evaluation.title == "Imported evaluation"
        assert [v.key for v in evaluation.vendors] == ["alpha", "beta"]
        assert {ms.key: ms.role for ms in evaluation.memberships} == {
            "ana": "evaluator",
            "raj": "evaluator",
            "admin": "lead",
        }


def test_a_bad_scenario_file_lists_every_error_by_path_and_writes_nothing(
    client, auth, db, demo, make_scenario
):
    auth.login("morgan")
    doc = make_scenario()
    doc["vendors"][1]["pricing"]["rate"] = -3
    doc["criteria"][0]["weight"] = "heavy"
    tables = (m.Evaluation, m.Criterion, m.Vendor, m.User, m.AuditEvent)
    before = [count(db, t) for t in tables]
    response = client.post(
        "/evaluations/new",
        data={"start": "upload", "scenario": (io.BytesIO(json.dumps(doc).encode()), "bad.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = response.data.decode()
    assert "Nothing has been written" in page
    assert "vendors[1].pricing.rate: must be a number" in page
    assert "criteria[0].weight: must be a number" in page
    assert [count(db, t) for t in tables] == before


def test_malformed_json_names_line_and_column(client, auth, db, demo):
    auth.login("morgan")
    response = client.post(
        "/evaluations/new",
        data={"start": "upload", "scenario": (io.BytesIO(b'{"format": 1,\n  oops}'), "x.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert b"line 2, column 3: malformed JSON" in response.data


def test_upload_without_a_file_asks_for_one(client, auth, db, demo):
    auth.login("morgan")
    response = client.post("/evaluations/new", data={"start": "upload"})
    assert b"Choose the scenario file to upload." in response.data


def test_the_overview_shows_scope_figures_and_next_steps_per_role(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    auth.login("morgan")
    page = client.get(f"/evaluations/{evaluation_id}").data.decode()
    # H = 24,000 contacts x 10 min / 60 / 0.80 occupancy = 5,000 agent-hours a month;
    # in-house TCO = 36 months x 5,000 h x $38 = $6,840,000
    assert "5,000" in page and "$6,840,000" in page
    assert "Record the award" in page
    auth.logout()
    auth.login("dana")
    page = client.get(f"/evaluations/{evaluation_id}").data.decode()
    assert "Record the award" not in page
    assert "Settings and scope" not in page


# -- settings -------------------------------------------------------------------------


def _settings_form(db, evaluation_id: int, **changes) -> dict:
    """The settings form as the page would post it back, with `changes` applied."""
    evaluation = load(db, m.Evaluation, evaluation_id)
    scope = evaluation.scope
    data = {
        "title": evaluation.title,
        "description": evaluation.description,
        "deadline": evaluation.deadline.strftime("%Y-%m-%dT%H:%M") if evaluation.deadline else "",
        "scoring_due": evaluation.scoring_due.isoformat() if evaluation.scoring_due else "",
        "scale_min": "0",
        "scale_max": "5",
        "aggregation": evaluation.aggregation,
        "dispersion_threshold": str(evaluation.dispersion_threshold),
        "price_formula": evaluation.price_formula,
        "price_zero_multiple": str(evaluation.price_zero_multiple),
        "functions": ", ".join(scope["functions"]),
        "channels": scope["channels"],
        "languages": ", ".join(scope["languages"]),
        "coverage": scope["coverage"],
        "time_zones": ", ".join(scope["time_zones"]),
        "tools": ", ".join(scope.get("tools") or []),
        "complexity": scope["complexity"],
        "contacts_per_month": str(scope["contacts_per_month"]),
        "aht_minutes": str(scope["aht_minutes"]),
        "occupancy_pct": str(scope["occupancy"] * 100),
        "fte_hours_per_month": str(scope["fte_hours_per_month"]),
        "term_months": str(scope["term_months"]),
        "governance_overhead_pct": str(scope["governance_overhead_pct"]),
        "inhouse_rate": str(scope["inhouse_rate"]),
        "compliance": scope["compliance"],
        "pilot_weeks": "" if scope["pilot_weeks"] is None else str(scope["pilot_weeks"]),
        "target_fcr_pct": str(scope["targets"]["fcr_pct"]),
        "target_csat_pct": str(scope["targets"]["csat_pct"]),
        "target_aht_minutes": str(scope["targets"]["aht_minutes"]),
        "target_attrition_pct": str(scope["targets"]["attrition_pct"]),
    }
    for point, text in evaluation.anchors.items():
        data[f"anchor_{point}"] = text
    data.update(changes)
    return data


def test_settings_saved_unchanged_change_nothing(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    auth.login("morgan")
    before = count(db, m.AuditEvent)
    response = client.post(
        f"/evaluations/{evaluation_id}/settings", data=_settings_form(db, evaluation_id)
    )
    assert response.status_code == 302
    assert count(db, m.AuditEvent) == before


def test_in_draft_settings_change_without_a_reason_and_are_audited(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    auth.login("morgan")
    data = _settings_form(
        db, evaluation_id, price_formula="linear", occupancy_pct="85", compliance=["HIPAA"]
    )
    assert client.post(f"/evaluations/{evaluation_id}/settings", data=data).status_code == 302
    evaluation = load(db, m.Evaluation, evaluation_id)
    assert evaluation.price_formula == "linear"
    assert evaluation.scope["occupancy"] == 0.85
    assert evaluation.scope["compliance"] == ["HIPAA"]
    [event] = events(db, evaluation_id, "settings.changed")
    assert event.old["price_formula"] == "lowest_ratio" and event.new["price_formula"] == "linear"
    assert event.old["scope.occupancy"] == 0.8 and event.new["scope.occupancy"] == 0.85


def test_the_scoring_due_date_is_a_setting_audited_and_not_before_the_deadline(
    client, auth, db, demo
):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "scoring")  # no reason needed: it is not a scoring rule
    auth.login("morgan")
    page = client.get(f"/evaluations/{evaluation_id}/settings").get_data(as_text=True)
    assert 'value="2026-09-25"' in page and "5 and 2 days before and on the day" in page
    data = _settings_form(db, evaluation_id, scoring_due="2026-10-02")
    assert client.post(f"/evaluations/{evaluation_id}/settings", data=data).status_code == 302
    assert load(db, m.Evaluation, evaluation_id).scoring_due.isoformat() == "2026-10-02"
    [event] = events(db, evaluation_id, "settings.changed")
    assert (event.old, event.new) == ({"scoring_due": "2026-09-25"}, {"scoring_due": "2026-10-02"})
    # The demo's responses were due on 2026-09-04.
    data = _settings_form(db, evaluation_id, scoring_due="2026-09-01")
    response = client.post(f"/evaluations/{evaluation_id}/settings", data=data)
    assert b"must be on or after the response deadline (2026-09-04)" in response.data
    data = _settings_form(db, evaluation_id, scoring_due="")
    assert client.post(f"/evaluations/{evaluation_id}/settings", data=data).status_code == 302
    assert load(db, m.Evaluation, evaluation_id).scoring_due is None


def test_after_draft_scoring_settings_need_a_reason(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "scoring")
    auth.login("morgan")
    data = _settings_form(db, evaluation_id, aggregation="median")
    response = client.post(f"/evaluations/{evaluation_id}/settings", data=data)
    assert response.status_code == 200
    assert b"give a reason" in response.data.lower()
    assert load(db, m.Evaluation, evaluation_id).aggregation == "mean"
    assert events(db, evaluation_id, "settings.changed") == []

    data["reason"] = "Two outliers on the panel; the median is fairer"
    assert client.post(f"/evaluations/{evaluation_id}/settings", data=data).status_code == 302
    assert load(db, m.Evaluation, evaluation_id).aggregation == "median"
    [event] = events(db, evaluation_id, "settings.changed")
    assert event.old == {"aggregation": "mean"} and event.new == {"aggregation": "median"}
    assert event.reason == "Two outliers on the panel; the median is fairer"


def test_after_draft_a_description_changes_without_a_reason(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    auth.login("morgan")
    data = _settings_form(db, evaluation_id, description="Tier-1 care, three channels.")
    assert client.post(f"/evaluations/{evaluation_id}/settings", data=data).status_code == 302
    assert load(db, m.Evaluation, evaluation_id).description == "Tier-1 care, three channels."


def test_the_scale_cannot_change_once_scores_are_recorded(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    auth.login("morgan")
    data = _settings_form(db, evaluation_id, scale_min="1", scale_max="10", reason="finer")
    response = client.post(f"/evaluations/{evaluation_id}/settings", data=data)
    assert response.status_code == 200
    assert b"can no longer change" in response.data
    assert load(db, m.Evaluation, evaluation_id).scale_max == 5


def test_the_cost_fields_are_required_with_a_cost_criterion(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    auth.login("morgan")
    data = _settings_form(db, evaluation_id, contacts_per_month="")
    response = client.post(f"/evaluations/{evaluation_id}/settings", data=data)
    assert b"is required because the evaluation has a cost criterion" in response.data
    assert load(db, m.Evaluation, evaluation_id).scope["contacts_per_month"] == 24000


def test_settings_show_the_seeds_benchmarks_and_warn_outside_them(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    auth.login("morgan")
    page = client.get(f"/evaluations/{evaluation_id}/settings").data.decode()
    assert "$30 to $45 fully loaded" in page  # in-house benchmark beside the field
    assert "72 to 78 %" in page and "above 85 %" in page
    assert "The seeds advise a controlled pilot" not in page  # 10 weeks is within 8-12
    data = _settings_form(db, evaluation_id, pilot_weeks="16", inhouse_rate="55")
    client.post(f"/evaluations/{evaluation_id}/settings", data=data)
    page = client.get(f"/evaluations/{evaluation_id}/settings").data.decode()
    assert "The seeds advise a controlled pilot of 8 to 12 weeks" in page
    assert "Outside the seeds&#39; $30 to $45 per agent-hour" in page


def test_anchor_texts_are_edited_per_point(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    auth.login("morgan")
    data = _settings_form(db, evaluation_id, anchor_3="Meets every stated requirement")
    client.post(f"/evaluations/{evaluation_id}/settings", data=data)
    assert load(db, m.Evaluation, evaluation_id).anchors["3"] == "Meets every stated requirement"


def test_settings_are_read_only_once_decided(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "decided")
    auth.login("morgan")
    page = client.get(f"/evaluations/{evaluation_id}/settings").data.decode()
    assert "disabled" in page and "Save settings" not in page
    response = client.post(
        f"/evaluations/{evaluation_id}/settings", data=_settings_form(db, evaluation_id)
    )
    assert response.status_code == 409


def test_the_demo_scope_survives_a_dump_after_a_settings_save(client, auth, db, demo):
    """What the form writes is the scenario schema's canonical scope."""
    from rfp.scenario import normalise_scenario
    from rfp.scenario.store import dump_evaluation

    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    auth.login("morgan")
    data = _settings_form(db, evaluation_id, languages="en, es, pt", channels=["email", "social"])
    client.post(f"/evaluations/{evaluation_id}/settings", data=data)
    # Back to the demo's own stage: its bids' amendments are dated after the draft.
    set_stage(db, evaluation_id, "pilot")
    with db.transaction() as s:
        doc = dump_evaluation(s, evaluation_id)
        assert s.scalar(select(m.Evaluation.id).where(m.Evaluation.id == evaluation_id))
    assert normalise_scenario(doc)["evaluation"]["scope"] == doc["evaluation"]["scope"]
    assert doc["evaluation"]["scope"]["languages"] == ["en", "es", "pt"]
    assert doc["evaluation"]["scope"]["channels"] == ["email", "social"]


def test_the_problems_of_a_refused_file_stand_under_the_file(client, auth, db, demo, make_scenario):
    auth.login("morgan")
    doc = make_scenario()
    doc["vendors"][1]["pricing"]["rate"] = -3
    response = client.post(
        "/evaluations/new",
        data={"start": "upload", "scenario": (io.BytesIO(json.dumps(doc).encode()), "bad.json")},
        content_type="multipart/form-data",
    )
    page = response.data.decode()
    assert "The scenario file was not imported: 1 problem." in page
    scenario_field = page[page.index('name="scenario"') :]
    assert scenario_field.index("vendors[1].pricing.rate: must be a number") < scenario_field.index(
        "</div>"
    )
