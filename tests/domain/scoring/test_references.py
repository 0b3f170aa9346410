"""DESIGN.md "References": the references criterion is the mean of the normalised ratings
of the reference calls; no call scores 0 and makes the vendor incomplete; fewer than three
calls, or any "no" to "would you sign this contract again", is flagged.
"""

from __future__ import annotations

import pytest

from rfp.domain.scoring import (
    Criterion,
    ReferenceCall,
    Scale,
    ScoringInput,
    Vendor,
    score_evaluation,
)
from rfp.domain.scoring.engine import reference_flags

REFERENCES = Criterion(key="references", name="References", weight=1, kind="references")


DEFAULT_SCALE = Scale()  # 0..5


def with_calls(
    *calls: ReferenceCall,
    scale: Scale = DEFAULT_SCALE,
    criteria: tuple[Criterion, ...] = (REFERENCES,),
) -> ScoringInput:
    return ScoringInput(
        criteria=criteria,
        vendors=(Vendor("alpha", "Alpha"), Vendor("beta", "Beta")),
        references=calls,
        scale=scale,
    )


def kinds(result, key: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.kind for f in result.vendor(key).flags]


def test_the_references_score_is_the_mean_of_the_normalised_ratings():
    # 4, 5, 3 on 0..5 -> 80, 100, 60; mean = 240 / 3 = 80.
    result = score_evaluation(
        with_calls(
            ReferenceCall("alpha", 4, "yes"),
            ReferenceCall("alpha", 5, "yes"),
            ReferenceCall("alpha", 3, "unsure"),
        )
    )
    alpha = result.vendor("alpha")
    assert alpha.criteria["references"] == pytest.approx(80.0)
    assert alpha.references.score == pytest.approx(80.0)
    assert alpha.references.calls == 3
    assert dict(alpha.references.would_sign_again) == {"yes": 2, "no": 0, "unsure": 1}
    assert alpha.complete
    assert kinds(result, "alpha") == []


def test_ratings_are_normalised_on_the_evaluations_scale():
    # Scale 1..10: 10 -> 100, 7 -> 100 * 6 / 9 = 66.67, 4 -> 33.33; mean = 200 / 3 = 66.67.
    result = score_evaluation(
        with_calls(
            ReferenceCall("alpha", 10, "yes"),
            ReferenceCall("alpha", 7, "yes"),
            ReferenceCall("alpha", 4, "yes"),
            scale=Scale(1, 10),
        )
    )
    assert result.vendor("alpha").criteria["references"] == pytest.approx(66.6667, abs=1e-4)


def test_a_vendor_with_no_reference_call_scores_0_and_is_incomplete():
    result = score_evaluation(with_calls(*(ReferenceCall("alpha", 5, "yes") for _ in range(3))))
    beta = result.vendor("beta")
    assert beta.criteria["references"] == 0
    assert beta.references.score is None
    assert beta.references.calls == 0
    assert not beta.complete
    assert beta.incomplete_reasons == ("no reference call",)
    # Zero calls is also fewer than three.
    assert kinds(result, "beta") == ["references_few"]


@pytest.mark.parametrize(("calls", "flagged"), [(1, True), (2, True), (3, False), (4, False)])
def test_fewer_than_three_calls_is_flagged(calls, flagged):
    result = score_evaluation(with_calls(*(ReferenceCall("alpha", 4, "yes") for _ in range(calls))))
    assert ("references_few" in kinds(result, "alpha")) is flagged
    # Fewer calls do not make the vendor incomplete: one call is a score.
    assert result.vendor("alpha").complete


def test_the_few_calls_flag_says_how_many():
    result = score_evaluation(with_calls(ReferenceCall("alpha", 4, "yes")))
    (flag,) = result.vendor("alpha").flags
    assert flag.to_json()["calls"] == 1
    assert flag.message.startswith("Only 1 reference call;")


FEW = "talk to 3 customers in similar businesses"
NOT_AGAIN = "would not sign this contract again"


@pytest.mark.parametrize(
    ("calls", "would_not_sign", "messages"),
    [
        (0, 0, [f"No reference calls; {FEW}"]),
        (1, 1, [f"Only 1 reference call; {FEW}", f"1 reference {NOT_AGAIN}"]),
        (2, 2, [f"Only 2 reference calls; {FEW}", f"2 references {NOT_AGAIN}"]),
        (3, 0, []),
    ],
)
def test_the_flags_count_calls_and_references_in_the_right_number(calls, would_not_sign, messages):
    """The one wording of the reference flags: the engine's, which the references and
    vendor pages reuse (rfp.areas.references.operations.reference_call_flags)."""
    assert [f.message for f in reference_flags(calls, would_not_sign)] == messages


def test_any_no_to_signing_again_is_flagged_even_with_enough_calls():
    # 5, 5, 1 -> 100, 100, 20: mean 73.33; the "no" is flagged whatever the mean.
    result = score_evaluation(
        with_calls(
            ReferenceCall("alpha", 5, "yes"),
            ReferenceCall("alpha", 5, "yes"),
            ReferenceCall("alpha", 1, "no"),
        )
    )
    alpha = result.vendor("alpha")
    assert alpha.criteria["references"] == pytest.approx(73.3333, abs=1e-4)
    assert kinds(result, "alpha") == ["references_would_not_sign"]
    assert alpha.flags[0].to_json()["no"] == 1


def test_unsure_is_not_flagged():
    result = score_evaluation(with_calls(*(ReferenceCall("alpha", 3, "unsure") for _ in range(3))))
    assert kinds(result, "alpha") == []


def test_no_reference_flags_without_a_references_criterion():
    """An evaluation that does not weigh references does not ask for calls, so it is not
    told it has too few: the flags come with the criterion."""
    from rfp.domain.scoring import Question

    fit = Criterion(key="fit", name="Fit", weight=1, questions=(Question("q1"),))
    result = score_evaluation(with_calls(ReferenceCall("alpha", 1, "no"), criteria=(fit,)))
    assert "references" not in result.vendor("alpha").criteria
    assert not any(f.kind.startswith("references") for v in result.vendors for f in v.flags)


def test_references_weigh_into_the_total_like_any_criterion():
    # fit (weight 3) has nothing scored -> 0; references (weight 1) = 4 -> 80.
    # Total = 0 * 0.75 + 80 * 0.25 = 20.
    from rfp.domain.scoring import Question

    fit = Criterion(key="fit", name="Fit", weight=3, questions=(Question("q1"),))
    result = score_evaluation(
        with_calls(
            *(ReferenceCall("alpha", 4, "yes") for _ in range(3)), criteria=(fit, REFERENCES)
        )
    )
    assert result.vendor("alpha").total == pytest.approx(20.0)
