"""Invalid scenario files: every one gets an error naming the path of the bad field, and
`rfp import` exits with status 2 leaving the database exactly as it was.

Each case starts from the small valid scenario of conftest (`minimal_scenario`) and
breaks one thing. The database checks run on SQLite, and on PostgreSQL when
TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from rfp.cli import main
from rfp.core.db import Base, Database
from rfp.scenario import ScenarioError, load_scenario_text, normalise_scenario
from rfp.scenario.store import import_scenario

Doc = dict[str, Any]
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[Doc], Doc | str | bytes]  # the broken file (a document or raw text)
    error: str  # one of the errors, exactly; "..." at the end: a prefix

    def content(self, valid: Doc) -> bytes:
        made = self.make(valid)
        if isinstance(made, bytes):
            return made
        if isinstance(made, str):
            return made.encode()
        return json.dumps(made).encode()

    def matches(self, errors: list[str]) -> bool:
        if self.error.endswith("..."):
            return any(e.startswith(self.error[:-3]) for e in errors)
        return self.error in errors


def change(path: str, value: Any) -> Callable[[Doc], Doc]:
    """Set doc[path] = value, where path reads like an error path: "vendors[1].pricing.rate"."""

    def apply(doc: Doc) -> Doc:
        target: Any = doc
        parts = path.replace("[", ".").replace("]", "").split(".")
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        if last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value
        return doc

    return apply


def drop(path: str) -> Callable[[Doc], Doc]:
    def apply(doc: Doc) -> Doc:
        *parents, last = path.split(".")
        target: Any = doc
        for part in parents:
            target = target[part]
        del target[last]
        return doc

    return apply


def with_scores(
    *rows: dict[str, Any], scale: tuple[int, int] | None = None
) -> Callable[[Doc], Doc]:
    def apply(doc: Doc) -> Doc:
        doc["scores"] = list(rows)
        if scale is not None:
            doc["evaluation"]["scale"] = {"min": scale[0], "max": scale[1]}
        return doc

    return apply


def then(*steps: Callable[[Doc], Doc]) -> Callable[[Doc], Doc]:
    def apply(doc: Doc) -> Doc:
        for step in steps:
            doc = step(doc)
        return doc

    return apply


def score(
    evaluator: str = "ana", vendor: str = "alpha", question: str = "timezone", value: Any = 3
) -> dict[str, Any]:
    return {"evaluator": evaluator, "vendor": vendor, "question": question, "score": value}


def abstention(
    question: str = "timezone", reason: str | None = "Cannot judge it"
) -> dict[str, Any]:
    row = {"evaluator": "ana", "vendor": "alpha", "question": question, "abstain": True}
    return row if reason is None else row | {"reason": reason}


def reference(**fields: Any) -> Callable[[Doc], Doc]:
    row = {"vendor": "alpha", "company": "Acme Retail", "rating": 4} | fields
    return change("references", [row])


def raw_text(text: str | bytes) -> Callable[[Doc], str | bytes]:
    return lambda _doc: text


def rate_literal(literal: str) -> Callable[[Doc], str]:
    """The file with alpha's rate written as a JSON literal that a document cannot hold."""
    return lambda doc: json.dumps(doc).replace('"rate": 16', f'"rate": {literal}', 1)


KEY_MESSAGE = (
    "must be a key: 1 to 80 letters, digits, '_', '-' or '.', starting with a letter or digit"
)


def amendment(**fields: Any) -> dict[str, Any]:
    """Alpha's rate amended from 16 to 15.5 while open (the minimal scenario is in draft:
    cases that need a later stage say so)."""
    return {
        "field": "rate",
        "old": 16,
        "new": 15.5,
        "reason": "Arithmetic error",
        "source": "lead",
        "by": "Lena Lead",
        "at": "2026-10-20T14:00:00+00:00",
        "stage": "open",
        **fields,
    }


CASES = [
    # -- the file itself
    Case(
        "malformed_json",
        raw_text('{"format": 1,}'),
        "line 1, column 14: malformed JSON: Expecting property name enclosed in double quotes",
    ),
    Case("truncated_json", lambda d: json.dumps(d)[:-1], "line 1, column ..."),
    Case("not_an_object", raw_text("[1, 2]"), "file: must be a JSON object"),
    Case("not_utf8", raw_text(b'{"format": 1, "x": "\xe9"}'), "file: not UTF-8 text ..."),
    Case(
        "nested_too_deeply", raw_text("[" * 100_000 + "]" * 100_000), "file: nested too deeply ..."
    ),
    Case(
        "integer_of_5000_digits",
        raw_text('{"format": ' + "9" * 5000 + "}"),
        "file: malformed JSON: ...",
    ),
    Case("wrong_format", change("format", 2), "format: must be 1 ..."),
    Case("format_as_text", change("format", "1"), "format: must be 1 ..."),
    Case("missing_vendors", drop("vendors"), "vendors: is required"),
    Case("empty_vendor_list", change("vendors", []), "vendors: must not be empty"),
    Case("criteria_not_a_list", change("criteria", {}), "criteria: must be a list"),
    Case(
        "evaluation_not_an_object",
        change("evaluation", "Customer care"),
        "evaluation: must be an object",
    ),
    # -- unknown fields (typos do not pass silently)
    Case("unknown_top_level_field", change("vendor", []), "vendor: is not a known field"),
    Case(
        "unknown_vendor_field",
        change("vendors[0].colour", "blue"),
        "vendors[0].colour: is not a known field",
    ),
    Case(
        "unknown_pricing_field",
        change("vendors[0].pricing.currency", "USD"),
        "vendors[0].pricing.currency: is not a known field",
    ),
    # -- wrong types and bounds
    Case(
        "weight_as_text",
        change("criteria[0].weight", "high"),
        "criteria[0].weight: must be a number > 0 and <= 10,000",
    ),
    Case(
        "criterion_weight_zero",
        change("criteria[2].weight", 0),
        "criteria[2].weight: must be a number > 0 and <= 10,000",
    ),
    Case(
        "question_weight_negative",
        change("criteria[0].questions[1].weight", -1),
        "criteria[0].questions[1].weight: must be a number > 0 and <= 10,000",
    ),
    Case(
        "negative_rate",
        change("vendors[1].pricing.rate", -10),
        "vendors[1].pricing.rate: must be a number >= 0 and <= 1,000,000",
    ),
    Case(
        "rate_as_text",
        change("vendors[1].pricing.rate", "10"),
        "vendors[1].pricing.rate: must be a number >= 0 and <= 1,000,000",
    ),
    Case(
        "rate_as_boolean",
        change("vendors[1].pricing.rate", True),
        "vendors[1].pricing.rate: must be a number >= 0 and <= 1,000,000",
    ),
    Case(
        "rate_infinite",
        rate_literal("1e400"),
        "vendors[0].pricing.rate: must be a number >= 0 and <= 1,000,000",
    ),
    Case(
        "rate_nan",
        rate_literal("NaN"),
        "vendors[0].pricing.rate: must be a number >= 0 and <= 1,000,000",
    ),
    Case(
        "rate_of_400_digits",
        rate_literal("1" + "0" * 400),
        "vendors[0].pricing.rate: must be a number >= 0 and <= 1,000,000",
    ),
    Case(
        "negative_setup_fee",
        change("vendors[0].pricing.setup_fee", -1),
        "vendors[0].pricing.setup_fee: must be a number >= 0 and <= 10,000,000,000",
    ),
    Case(
        "unknown_pricing_model",
        change("vendors[0].pricing.model", "per_seat"),
        "vendors[0].pricing.model: must be one of 'per_hour', 'per_contact', 'per_fte_month'",
    ),
    Case(
        "unknown_delivery_model",
        change("vendors[0].model", "moonshore"),
        "vendors[0].model: must be one of 'onshore', 'nearshore', 'offshore', 'specialty'",
    ),
    Case(
        "key_with_a_space", change("vendors[0].key", "alpha cx"), f"vendors[0].key: {KEY_MESSAGE}"
    ),
    Case("empty_title", change("evaluation.title", "  "), "evaluation.title: must not be empty"),
    Case(
        "unknown_stage",
        change("evaluation.stage", "closed"),
        "evaluation.stage: must be one of 'draft', 'open', 'scoring', 'consensus', 'pilot', "
        "'decided'",
    ),
    Case(
        "unknown_price_formula",
        change("evaluation.price_formula", "cheapest"),
        "evaluation.price_formula: must be one of 'lowest_ratio', 'linear', 'deviation', 'log'",
    ),
    Case(
        "unknown_aggregation",
        change("evaluation.aggregation", "mode"),
        "evaluation.aggregation: must be one of 'mean', 'median'",
    ),
    Case(
        "scale_upside_down",
        change("evaluation.scale", {"min": 5, "max": 1}),
        "evaluation.scale.max: must be greater than scale.min",
    ),
    Case(
        "deadline_without_time_zone",
        change("evaluation.deadline", "2026-10-16T17:00:00"),
        "evaluation.deadline: must be an ISO 8601 date-time with a time zone"
        ", e.g. 2026-10-16T17:00:00+00:00",
    ),
    Case(
        "scoring_due_with_a_time",
        change("evaluation.scoring_due", "2026-10-16T17:00:00"),
        "evaluation.scoring_due: must be a date as YYYY-MM-DD",
    ),
    Case(
        "occupancy_above_one",
        change("evaluation.scope.occupancy", 1.5),
        "evaluation.scope.occupancy: must be a number >= 0.01 and <= 1",
    ),
    Case(
        "term_zero",
        change("evaluation.scope.term_months", 0),
        "evaluation.scope.term_months: must be a number > 0 and <= 240",
    ),
    Case(
        "negative_inhouse_rate",
        change("evaluation.scope.inhouse_rate", -38),
        "evaluation.scope.inhouse_rate: must be a number >= 0 and <= 10,000",
    ),
    Case(
        "cost_without_volume",
        drop("evaluation.scope.contacts_per_month"),
        "evaluation.scope.contacts_per_month: is required when the evaluation has a cost criterion",
    ),
    # -- duplicate keys
    Case(
        "duplicate_vendor_key",
        change("vendors[1].key", "alpha"),
        "vendors[1].key: duplicate vendor key 'alpha' (first at vendors[0].key)",
    ),
    Case(
        "duplicate_criterion_key",
        change("criteria[1].key", "fit"),
        "criteria[1].key: duplicate criterion key 'fit' (first at criteria[0].key)",
    ),
    Case(
        "duplicate_question_key",
        change("criteria[1].questions[1].key", "timezone"),
        "criteria[1].questions[1].key: duplicate question key 'timezone'"
        " (first at criteria[0].questions[0].key)",
    ),
    Case(
        "duplicate_evaluator_key",
        change("evaluators[1].key", "ana"),
        "evaluators[1].key: duplicate evaluator key 'ana' (first at evaluators[0].key)",
    ),
    Case(
        "duplicate_evaluator_email",
        then(
            change("evaluators[0].email", "ana@buyer.example"),
            change("evaluators[1].email", "Ana@Buyer.example"),
        ),
        "evaluators[1].email: duplicate evaluator e-mail 'ana@buyer.example'"
        " (first at evaluators[0].email)",
    ),
    Case(
        "duplicate_score",
        with_scores(score(), score(value=4)),
        "scores[1]: duplicate score for evaluator/vendor/question 'ana/alpha/timezone'"
        " (first at scores[0])",
    ),
    Case(
        "duplicate_consensus",
        change("consensus", [{"vendor": "alpha", "question": "audits", "score": 3}] * 2),
        "consensus[1]: duplicate consensus for vendor/question 'alpha/audits'"
        " (first at consensus[0])",
    ),
    # an entry that is not an object does not shift the paths of the entries after it
    Case(
        "duplicate_vendor_after_a_non_object",
        lambda d: d | {"vendors": ["oops", *d["vendors"], d["vendors"][0]]},
        "vendors[3].key: duplicate vendor key 'alpha' (first at vendors[1].key)",
    ),
    Case(
        "duplicate_score_after_a_non_object",
        with_scores(7, score(), score()),  # type: ignore[arg-type]
        "scores[2]: duplicate score for evaluator/vendor/question 'ana/alpha/timezone'"
        " (first at scores[1])",
    ),
    Case(
        "duplicate_question_after_a_non_object",
        lambda d: change(
            "criteria[0].questions",
            [None, *d["criteria"][0]["questions"], d["criteria"][0]["questions"][0]],
        )(d),
        "criteria[0].questions[3].key: duplicate question key 'timezone'"
        " (first at criteria[0].questions[1].key)",
    ),
    # -- structure of the criteria tree
    Case(
        "two_cost_criteria",
        lambda d: d | {"criteria": [*d["criteria"], dict(d["criteria"][2], key="cost2")]},
        "criteria[4].kind: only one cost criterion is allowed",
    ),
    Case(
        "cost_criterion_with_questions",
        change("criteria[2].questions", [{"key": "price", "text": "Price"}]),
        "criteria[2].questions: a cost criterion is computed and has no questions",
    ),
    Case(
        "scored_criterion_without_scored_question",
        change("criteria[1].questions", [{"key": "soc2", "text": "SOC 2", "kind": "knockout"}]),
        "criteria[1].questions: a scored criterion needs at least one scored question",
    ),
    # -- scores
    Case(
        "score_above_the_scale",
        with_scores(score(value=6)),
        "scores[0].score: must be a number >= 0 and <= 5",
    ),
    Case(
        "score_below_a_one_to_ten_scale",
        with_scores(score(value=0), scale=(1, 10)),
        "scores[0].score: must be a number >= 1 and <= 10",
    ),
    Case(
        "score_as_text",
        with_scores(score(value="4")),
        "scores[0].score: must be a number >= 0 and <= 5",
    ),
    Case(
        "score_missing",
        with_scores({"evaluator": "ana", "vendor": "alpha", "question": "timezone"}),
        "scores[0].score: is required",
    ),
    Case(
        "score_unknown_vendor",
        with_scores(score(vendor="gamma")),
        "scores[0].vendor: unknown vendor 'gamma'",
    ),
    Case(
        "score_unknown_evaluator",
        with_scores(score(evaluator="zoe")),
        "scores[0].evaluator: unknown evaluator 'zoe'",
    ),
    Case(
        "score_unknown_question",
        with_scores(score(question="pricing")),
        "scores[0].question: unknown question 'pricing'",
    ),
    Case(
        "score_on_a_knockout",
        with_scores(score(question="soc2")),
        "scores[0].question: question 'soc2' is a knockout question, not scored",
    ),
    Case(
        "score_from_an_evaluator_limited_to_another_criterion",
        then(change("evaluators[1].criteria", ["compliance"]), with_scores(score(evaluator="raj"))),
        "scores[0].question: evaluator 'raj' is limited to compliance; 'timezone' is in 'fit'",
    ),
    Case(
        "score_nan",
        lambda d: json.dumps(with_scores(score(value=1.5))(d)).replace("1.5", "NaN"),
        "scores[0].score: must be a number >= 0 and <= 5",
    ),
    Case(
        "score_comment_not_text",
        with_scores(score() | {"comment": 5}),
        "scores[0].comment: must be a string",
    ),
    Case(
        "score_row_not_an_object",
        with_scores(score(), ["ana", "alpha", "timezone", 3]),
        "scores[1]: must be an object",
    ),
    Case(
        "unknown_fields_in_a_score",
        with_scores(score() | {"note": "x"}),
        "scores[0].note: is not a known field",
    ),
    # -- abstentions: `abstain: true` with a reason, no score
    Case(
        "abstention_without_a_reason",
        with_scores(abstention(reason=None)),
        "scores[0].reason: is required",
    ),
    Case(
        "abstention_with_a_blank_reason",
        with_scores(abstention(reason="  ")),
        "scores[0].reason: must not be empty",
    ),
    Case(
        "abstention_with_a_score",
        with_scores(abstention() | {"score": 3}),
        "scores[0].score: an abstention has no score (leave out abstain to give one)",
    ),
    Case(
        "abstention_with_a_comment",
        with_scores(abstention() | {"comment": "x"}),
        "scores[0].comment: an abstention has no comment: its reason says why",
    ),
    Case(
        "abstain_false",
        with_scores(abstention() | {"abstain": False}),
        "scores[0].abstain: must be true (leave it out for a score)",
    ),
    Case(
        "abstention_beside_a_score_of_the_same_question",
        with_scores(score(), abstention()),
        "scores[1]: duplicate score for evaluator/vendor/question 'ana/alpha/timezone'"
        " (first at scores[0])",
    ),
    Case(
        "abstention_on_a_knockout",
        with_scores(abstention(question="soc2")),
        "scores[0].question: question 'soc2' is a knockout question, not scored",
    ),
    # -- evaluators, vendors' answers, references, consensus, conflicts, award
    Case(
        "evaluator_limited_to_unknown_criterion",
        change("evaluators[1].criteria", ["pricing"]),
        "evaluators[1].criteria[0]: unknown key 'pricing': not a scored criterion",
    ),
    Case(
        "evaluator_limited_to_the_cost_criterion",
        change("evaluators[1].criteria", ["cost"]),
        "evaluators[1].criteria[0]: unknown key 'cost': not a scored criterion",
    ),
    Case(
        "evaluator_criteria_nested_list",
        change("evaluators[1].criteria", [["fit"]]),
        "evaluators[1].criteria[0]: unknown key ['fit']: not a scored criterion",
    ),
    Case(
        "knockout_answer_for_unknown_question",
        change("vendors[0].knockouts", {"iso27001": True}),
        "vendors[0].knockouts.iso27001: unknown key: not a knockout question of this evaluation",
    ),
    Case(
        "knockout_answer_as_text",
        change("vendors[0].knockouts", {"soc2": "yes"}),
        "vendors[0].knockouts.soc2: must be true or false",
    ),
    Case(
        "answer_to_unknown_question",
        change("vendors[0].answers", {"nope": "?"}),
        "vendors[0].answers.nope: unknown key: not a question of this evaluation",
    ),
    Case(
        "reference_rating_above_the_scale",
        reference(rating=7),
        "references[0].rating: must be a number >= 0 and <= 5",
    ),
    Case(
        "reference_unknown_vendor",
        reference(vendor="gamma"),
        "references[0].vendor: unknown vendor 'gamma'",
    ),
    Case(
        "reference_would_sign_maybe",
        reference(would_sign_again="maybe"),
        "references[0].would_sign_again: must be one of 'yes', 'no', 'unsure'",
    ),
    Case(
        "reference_date_not_iso",
        reference(date="02/10/2026"),
        "references[0].date: must be a date as YYYY-MM-DD",
    ),
    Case(
        "reference_without_company",
        change("references", [{"vendor": "alpha", "rating": 3}]),
        "references[0].company: is required",
    ),
    Case(
        "consensus_unknown_question",
        change("consensus", [{"vendor": "alpha", "question": "nope", "score": 3}]),
        "consensus[0].question: unknown question 'nope'",
    ),
    Case(
        "consensus_outside_the_scale",
        change("consensus", [{"vendor": "alpha", "question": "audits", "score": -1}]),
        "consensus[0].score: must be a number >= 0 and <= 5",
    ),
    Case(
        "conflict_with_unknown_vendor",
        change("conflicts", [{"evaluator": "ana", "vendor": "gamma"}]),
        "conflicts[0].vendor: unknown vendor 'gamma'",
    ),
    Case(
        "award_to_unknown_vendor",
        change("evaluation.award", {"vendor": "gamma"}),
        "evaluation.award.vendor: unknown vendor 'gamma'",
    ),
    # -- vendors[].amendments: changes after the response was frozen ---------------------
    Case(
        "amendment_old_is_not_the_value_in_effect",
        change("vendors[0].amendments", [amendment(old=15)]),
        "vendors[0].amendments[0].old: must be the value in effect before this amendment (16)",
    ),
    Case(
        "amendment_chain_breaks",
        change("vendors[0].amendments", [amendment(), amendment(old=16, new=14)]),
        "vendors[0].amendments[1].old: must be the value in effect before this amendment (15.5)",
    ),
    Case(
        "amendment_changes_nothing",
        change("vendors[0].amendments", [amendment(new=16)]),
        "vendors[0].amendments[0].new: must differ from old: an amendment changes something",
    ),
    Case(
        "amendment_without_a_reason",
        change("vendors[0].amendments", [amendment(reason="  ")]),
        "vendors[0].amendments[0].reason: must not be empty",
    ),
    Case(
        "amendment_negative_rate",
        change("vendors[0].amendments", [amendment(new=-1)]),
        "vendors[0].amendments[0].new: must be a number >= 0",
    ),
    Case(
        "amendment_of_an_unknown_field",
        change("vendors[0].amendments", [amendment(field="discount")]),
        "vendors[0].amendments[0].field: must be one of 'pricing_model', ...",
    ),
    Case(
        "amendment_of_a_knockout_that_is_not_one",
        change(
            "vendors[0].amendments",
            [amendment(field="knockout", question="audits", old=None, new=True)],
        ),
        "vendors[0].amendments[0].question: unknown key 'audits': not a knockout question "
        "of this evaluation",
    ),
    Case(
        "amendment_knockout_not_a_boolean",
        change(
            "vendors[0].amendments",
            [amendment(field="knockout", question="soc2", old=True, new="yes")],
        ),
        "vendors[0].amendments[0].new: must be true or false",
    ),
    Case(
        "amendment_in_draft",
        change("vendors[0].amendments", [amendment(stage="draft")]),
        "vendors[0].amendments[0].stage: must be one of 'open', ...",
    ),
    Case(
        "amendment_after_the_evaluation_s_stage",
        change("vendors[0].amendments", [amendment(stage="consensus")]),
        "vendors[0].amendments[0].stage: is later than the evaluation's stage (draft)",
    ),
    Case(
        "amendment_unsealed_flag_against_its_stage",
        change("vendors[0].amendments", [amendment(stage="open", after_unsealing=True)]),
        "vendors[0].amendments[0].after_unsealing: must be false at the open stage (the "
        "prices are unsealed when scoring starts)",
    ),
    Case(
        "amendment_time_without_a_zone",
        change("vendors[0].amendments", [amendment(at="2026-10-20T14:00:00")]),
        "vendors[0].amendments[0].at: must be an ISO 8601 date-time with a time zone, ...",
    ),
    Case(
        "amendment_unknown_source",
        change("vendors[0].amendments", [amendment(source="cfo")]),
        "vendors[0].amendments[0].source: must be one of 'vendor', 'lead'",
    ),
    Case(
        "amendment_of_a_price_naming_a_question",
        change("vendors[0].amendments", [amendment(question="timezone")]),
        "vendors[0].amendments[0].question: a price amendment names no question (use null)",
    ),
    Case(
        "amendment_without_old",
        change("vendors[0].amendments", [{k: v for k, v in amendment().items() if k != "old"}]),
        "vendors[0].amendments[0].old: is required",
    ),
]


def errors_of(content: bytes) -> list[str]:
    with pytest.raises(ScenarioError) as raised:
        load_scenario_text(content)
    return raised.value.errors


def test_there_are_at_least_twenty_cases_with_distinct_names():
    assert len(CASES) >= 20
    assert len({case.id for case in CASES}) == len(CASES)


def test_the_unbroken_scenario_is_valid(make_scenario):
    normalise_scenario(make_scenario())


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_an_invalid_file_gets_an_error_naming_the_path_of_the_bad_field(case, make_scenario):
    errors = errors_of(case.content(make_scenario()))
    assert case.matches(errors), errors
    # Every error starts with a path (or "file"/"line"), then a colon and the message.
    for error in errors:
        where, _, message = error.partition(": ")
        assert where and message, error
        assert not where.startswith(" "), error


# -- through the command line ---------------------------------------------------------


def row_counts(database) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with database.session() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture(scope="module")
def populated_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Doc], str]]:
    """The URL of a database of this module's own holding one evaluation (built on first
    use from the doc given): an SQLite file, or a PostgreSQL schema created for the
    module when TEST_DATABASE_URL is set. Invalid imports write nothing, so the tests
    share it; each compares the row counts before and after its own import."""
    built: dict[str, str] = {}

    def get(doc: Doc) -> str:
        if "url" not in built:
            if TEST_DATABASE_URL:
                # A schema of its own in the test database, first on the search_path.
                base = make_url(TEST_DATABASE_URL).set(drivername="postgresql+psycopg")
                schema = f"rfp_validation_{uuid.uuid4().hex[:12]}"
                admin = Database(base.render_as_string(hide_password=False))
                with admin.engine.begin() as connection:
                    connection.execute(text(f'CREATE SCHEMA "{schema}"'))
                admin.dispose()
                built["admin"] = base.render_as_string(hide_password=False)
                built["schema"] = schema
                options = {"options": f"-csearch_path={schema}"}
                url = base.update_query_dict(options).render_as_string(hide_password=False)
            else:
                url = f"sqlite:///{tmp_path_factory.mktemp('populated') / 'rfp.sqlite'}"
            database = Database(url)
            Base.metadata.create_all(database.engine)
            with database.transaction() as session:
                import_scenario(session, normalise_scenario(doc))
            database.dispose()
            built["url"] = url
        return built["url"]

    yield get
    if "schema" in built:
        admin = Database(built["admin"])
        with admin.engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{built["schema"]}" CASCADE'))
        admin.dispose()


@pytest.fixture
def populated(populated_url, make_scenario, monkeypatch) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """The module's populated database, with DATABASE_URL pointing at it."""
    url = populated_url(make_scenario())
    monkeypatch.setenv("DATABASE_URL", url)
    database = Database(url)
    yield database
    database.dispose()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_rfp_import_of_an_invalid_file_exits_2_and_writes_nothing(
    case, populated, make_scenario, tmp_path: Path
):
    path = tmp_path / "broken.json"
    path.write_bytes(case.content(make_scenario()))
    before = row_counts(populated)
    assert before["evaluations"] == 1

    result = CliRunner().invoke(main, ["import", str(path)])

    assert result.exit_code == 2, result.output
    assert f"{path}: invalid scenario" in result.stderr
    stderr_errors = [line.strip() for line in result.stderr.splitlines()[1:]]
    assert case.matches(stderr_errors), result.stderr
    assert "Traceback" not in result.output
    assert row_counts(populated) == before


@pytest.mark.parametrize("case", CASES[:12], ids=lambda case: case.id)
def test_rfp_score_of_an_invalid_file_exits_2(case, make_scenario, tmp_path: Path):
    path = tmp_path / "broken.json"
    path.write_bytes(case.content(make_scenario()))
    result = CliRunner().invoke(main, ["score", str(path)])
    assert result.exit_code == 2
    assert case.matches([line.strip() for line in result.stderr.splitlines()[1:]]), result.stderr
    assert result.stdout == ""
