"""An evaluator who cannot judge a question abstains, with a reason: the abstention is
not a score (not counted) and takes the evaluator out of the expected scores there (not
missing). Worked by hand on a 0..5 scale, where a raw score s normalises to 20 * s."""

from __future__ import annotations

import pytest

from rfp.domain.scoring import (
    AbstainedScore,
    Abstention,
    Criterion,
    Evaluator,
    MissingScore,
    Question,
    Score,
    ScoringInput,
    Vendor,
    score_evaluation,
)
from rfp.scenario import normalise_scenario, scenario_to_input


def _input(*, abstentions=(), scores=(), evaluators=("ana", "raj", "lee"), **kwargs):  # type: ignore[no-untyped-def]
    return ScoringInput(
        criteria=(
            Criterion("fit", "Fit", 1, questions=(Question("q1"), Question("q2"))),
            Criterion("tools", "Tools", 1, questions=(Question("crm"),)),
        ),
        vendors=(Vendor("alpha", "Alpha"), Vendor("beta", "Beta")),
        evaluators=tuple(
            Evaluator(e, e.title(), frozenset({"fit"}) if e == "lee" else None) for e in evaluators
        ),
        scores=tuple(Score(*row) for row in scores),
        abstentions=tuple(Abstention(*row) for row in abstentions),
        **kwargs,
    )


FULL = (
    ("ana", "alpha", "q1", 4),
    ("ana", "alpha", "q2", 4),
    ("ana", "alpha", "crm", 2),
    ("raj", "alpha", "q1", 2),
    ("raj", "alpha", "crm", 3),
    ("lee", "alpha", "q1", 5),
    ("lee", "alpha", "q2", 1),
)


def test_an_abstention_is_neither_counted_nor_missing():
    # raj abstains on q2: q2 = mean(ana 80, lee 20) = 50, nobody is missing on alpha.
    # Without the abstention, raj would be listed missing on q2.
    without = score_evaluation(_input(scores=FULL)).vendor("alpha")
    assert without.missing == (MissingScore("q2", "raj"),)
    alpha = score_evaluation(
        _input(scores=FULL, abstentions=[("raj", "alpha", "q2", "No access to the demo")])
    ).vendor("alpha")
    assert alpha.missing == ()
    assert alpha.complete
    assert alpha.questions["q2"] == pytest.approx(50.0)
    assert alpha.abstentions == (AbstainedScore("q2", "raj", "No access to the demo"),)
    # fit = (q1 mean(80, 40, 100) = 220/3 + q2 50) / 2 = 61.67; tools = mean(40, 60) = 50
    # total = (61.67 + 50) / 2 = 55.83
    assert alpha.total == pytest.approx((220 / 3 + 50) / 2 / 2 + 25)


def test_an_abstention_holds_for_its_vendor_only():
    # raj abstains on beta's q2 only: on alpha he is still expected there.
    result = score_evaluation(
        _input(scores=FULL, abstentions=[("raj", "beta", "q2", "Former client")])
    )
    assert MissingScore("q2", "raj") in result.vendor("alpha").missing
    assert MissingScore("q2", "raj") not in result.vendor("beta").missing
    assert result.vendor("alpha").abstentions == ()
    assert result.vendor("beta").abstentions == (AbstainedScore("q2", "raj", "Former client"),)


def test_abstentions_are_listed_as_missing_scores_are_in_question_then_panel_order():
    inp = _input(
        abstentions=[
            ("lee", "alpha", "q2", "c"),
            ("raj", "alpha", "q2", "b"),
            ("ana", "alpha", "crm", "d"),
            ("raj", "alpha", "q1", "a"),
        ]
    )
    alpha = score_evaluation(inp).vendor("alpha")
    assert [(a.question, a.evaluator) for a in alpha.abstentions] == [
        ("q1", "raj"),
        ("q2", "raj"),
        ("q2", "lee"),
        ("crm", "ana"),
    ]


def test_an_abstention_the_rules_would_not_count_is_ignored():
    # lee is limited to fit: his abstention on crm is outside his criteria; ana declared a
    # conflict with alpha; "gone" is not on the panel; "tools" is not a question.
    alpha = score_evaluation(
        _input(
            abstentions=[
                ("lee", "alpha", "crm", "x"),
                ("ana", "alpha", "q1", "x"),
                ("gone", "alpha", "q1", "x"),
                ("raj", "alpha", "tools", "x"),
            ],
            conflicts=frozenset({("ana", "alpha")}),
        )
    ).vendor("alpha")
    assert alpha.abstentions == ()


def test_a_consensus_score_covers_the_question_and_the_abstention_is_still_listed():
    from rfp.domain.scoring import ConsensusScore

    alpha = score_evaluation(
        _input(
            scores=FULL,
            abstentions=[("raj", "alpha", "q2", "No access")],
            consensus=(ConsensusScore("alpha", "q2", 3),),
        )
    ).vendor("alpha")
    assert alpha.questions["q2"] == pytest.approx(60.0)
    assert alpha.abstentions == (AbstainedScore("q2", "raj", "No access"),)


def test_the_json_lists_abstentions_beside_the_missing_scores():
    doc = score_evaluation(
        _input(scores=FULL, abstentions=[("raj", "alpha", "q2", "No access")])
    ).to_json()
    alpha = next(v for v in doc["vendors"] if v["key"] == "alpha")
    beta = next(v for v in doc["vendors"] if v["key"] == "beta")
    assert alpha["abstentions"] == [{"question": "q2", "evaluator": "raj", "reason": "No access"}]
    assert beta["abstentions"] == []


def test_a_scenario_abstention_reaches_the_engine(make_scenario):
    doc = make_scenario()
    doc["scores"] = [
        {"evaluator": "ana", "vendor": "alpha", "question": "timezone", "score": 4},
        {
            "evaluator": "raj",
            "vendor": "alpha",
            "question": "timezone",
            "abstain": True,
            "reason": "Never saw their rota",
        },
    ]
    alpha = score_evaluation(scenario_to_input(normalise_scenario(doc))).vendor("alpha")
    assert alpha.questions["timezone"] == pytest.approx(80.0)
    assert MissingScore("timezone", "raj") not in alpha.missing
    assert alpha.abstentions == (AbstainedScore("timezone", "raj", "Never saw their rota"),)
