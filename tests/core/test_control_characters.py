"""A NUL in a title gave a 500 on PostgreSQL (which refuses it) and a corrupt workbook on
SQLite. Control characters other than tab and line ends are refused where text comes in
(every form, the JSON score save, the address, the scenario file, the questionnaire),
with the field named, and stripped by the report builders as a second line."""

from __future__ import annotations

import importlib
import io
import json
import pkgutil

import pytest
from flask_wtf import FlaskForm

import rfp
from rfp import models as m
from rfp.areas.intake.content import spec_from_scenario
from rfp.areas.intake.parse import QuestionnaireError, parse_questionnaire
from rfp.areas.intake.questionnaire import build_questionnaire
from rfp.core.forms import CheckedForm
from rfp.domain.control_characters import control_character, without_control_characters
from rfp.reports.pdf.fonts import runs
from rfp.reports.xlsx.cells import clean_text
from tests.areas.scorecards.conftest import scoring  # noqa: F401  (the fixture)
from tests.areas.scorecards.test_scorecards import dana_scores, declare, save_json
from tests.fixtures.intake_workbooks import fill
from tests.fixtures.intake_world import open_scenario
from tests.fixtures.setup import count

__all__ = ["scoring"]  # the scorecards' fixture, used here


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("plain", None),
        ("tab\tand\r\nlines\n", None),
        ("nul\x00", "NUL"),
        ("bell\x07", "U+0007"),
        ("esc\x1b[31m", "ESC"),
        ("del\x7f", "DEL"),
        ("next line\x85", "U+0085"),
        ("accents é ü and CJK 漢字", None),
    ],
)
def test_control_characters_are_named_as_a_reader_knows_them(text, found):
    assert control_character(text) == found


def _all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_all_subclasses(c) for c in found))


def test_every_form_of_the_app_checks_for_control_characters():
    for module in pkgutil.walk_packages(rfp.__path__, "rfp."):
        if ".migrations." not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    forms = {c for c in _all_subclasses(FlaskForm) if c.__module__.startswith("rfp.")}
    assert len(forms) > 40
    bare = sorted(c.__qualname__ for c in forms if not issubclass(c, CheckedForm))
    assert bare == []


def test_a_nul_in_a_new_evaluation_s_title_is_refused_under_the_field(client, auth, db, demo):
    auth.login("morgan")
    before = count(db, m.Evaluation)
    response = client.post(
        "/evaluations/new", data={"start": "blank", "title": "Back office\x00 2027"}
    )
    assert response.status_code == 200
    assert "Title contains a control character (NUL); remove it." in response.data.decode()
    assert count(db, m.Evaluation) == before


def test_a_nul_in_the_login_username_is_a_field_error_not_a_server_error(client, demo):
    response = client.post("/login", data={"username": "morgan\x00", "password": "x"})
    assert response.status_code == 200
    assert "Username contains a control character (NUL); remove it." in response.data.decode()


def test_a_nul_in_a_score_comment_sent_as_json_is_refused_naming_the_comment(
    client, auth, db, scoring
):
    auth.login("dana")
    declare(client, scoring)
    refused = save_json(client, scoring, "cottonwood", "timezone", 3, "fine\x00")
    assert refused.status_code == 400
    assert refused.json["field"] == "comment"
    assert "comment contains a control character (NUL)" in refused.json["error"]
    assert dana_scores(db, scoring) == {}


def test_a_scenario_file_with_a_nul_names_the_field_and_writes_nothing(
    client, auth, db, demo, make_scenario
):
    auth.login("morgan")
    doc = make_scenario()
    doc["vendors"][1]["name"] = "Beta\x00 CX"  # json.dumps writes it as \u0000
    before = count(db, m.Evaluation)
    response = client.post(
        "/evaluations/new",
        data={"start": "upload", "scenario": (io.BytesIO(json.dumps(doc).encode()), "s.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "vendors[1].name: contains a control character (NUL); remove it" in (
        response.data.decode()
    )
    assert count(db, m.Evaluation) == before


def test_a_control_character_in_the_address_is_a_400_naming_the_parameter(client, auth, demo):
    auth.login("morgan")
    response = client.get(f"/evaluations/{demo['evaluation']}/audit?type=score%00changed")
    assert response.status_code == 400
    assert "parameter &#39;type&#39; contains a control character (NUL)" in (response.data.decode())


def test_a_control_character_in_a_questionnaire_answer_names_its_cell(make_scenario):
    spec = spec_from_scenario(open_scenario(make_scenario), "alpha", evaluation_id=41)
    # A C1 control (NEL) is legal XML, so a spreadsheet can carry it; C0 ones are not.
    data = fill(build_questionnaire(spec), answers={"timezone": "Lima\x85Cebu"})
    with pytest.raises(QuestionnaireError) as refused:
        parse_questionnaire(data, spec)
    assert refused.value.errors == [
        "Questions!E3: the answer to 'timezone' contains a control character (U+0085); remove it"
    ]


def test_report_builders_strip_control_characters_as_a_second_line():
    assert clean_text("Cottonwood\x00 Ridge\x1b\x7f CX\x85") == "Cottonwood Ridge CX"
    assert clean_text("two\nlines\ttab") == "two\nlines\ttab"
    assert "".join(chunk for _font, chunk in runs("Valle\x00 Claro\x07")) == "Valle Claro"
    assert without_control_characters("a\x00b\x9fc") == "abc"
