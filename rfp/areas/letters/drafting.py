"""Drafts of the outcome letters, generated from the result, and the letter as it reads
(`LetterDocument`) from the lead's words and the result's figures.

What a draft takes from the evaluation:
- the standing: rank of N qualified proposals and total, or why the proposal was not
  ranked (the failed knockouts), and who is awarded;
- strengths: the scored questions the vendor scored at 80 or more out of 100 (4 of 5,
  "exceeds", on the default scale), weaknesses those below 60 (under "meets the
  requirement"), each with the consensus rationale and the evaluators' justifications,
  never their names. They are raw panel notes: the lead rewrites them before sending.

Prices: the vendor's own quote is stated; the awarded vendor's price (its TCO, its price
score and its total, from which the price can be worked back) only when the lead ticks
"disclose the winner's price" for that letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rfp import models as m
from rfp.areas.results.queries import EvaluationResults, VendorFile
from rfp.domain.formatting import joined_names, score_text
from rfp.domain.letters import LetterDocument, PriceLine, ScoreLine
from rfp.domain.scoring.result import VendorResult
from rfp.domain.vocabulary import CriterionKind, LetterKind, QuestionKind

STRENGTH_AT = 80.0  # out of 100: 4 of 5 ("exceeds") on the default scale
WEAKNESS_BELOW = 60.0  # out of 100: under 3 of 5 ("meets the requirement")
MOST_POINTS = 6  # strengths or weaknesses drafted per letter
SOURCE_LENGTH = 600  # characters of notes drafted per point


@dataclass(frozen=True)
class LetterWords:
    """What the lead writes (and edits) in a letter."""

    opening: str
    strengths: str
    weaknesses: str
    closing: str


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def letter_kind(evaluation: m.Evaluation, vendor: m.Vendor) -> LetterKind:
    return LetterKind.AWARD if vendor.id == evaluation.award_vendor_id else LetterKind.DEBRIEF


def standing(results: EvaluationResults, vendor: VendorResult, winner: VendorResult) -> str:
    """The result in one or two sentences (generated, not edited: the engine's facts)."""
    result = results.result
    ranked = len(result.ranked)
    if vendor.rank is not None:
        shared = sum(1 for v in result.ranked if v.rank == vendor.rank) > 1
        place = f"{ordinal(vendor.rank)}{' (shared)' if shared else ''} of {ranked}"
        first = (
            f"Your proposal ranked {place} qualified proposals, with a total score of "
            f"{score_text(vendor.total)} out of 100."
        )
    else:
        texts = [f"“{question_text(results, key)}”" for key in vendor.failed_knockouts]
        plural = "s" if len(texts) > 1 else ""
        first = (
            f"Your proposal was not ranked: it did not meet the mandatory requirement{plural} "
            f"{joined_names(texts)}, which the request set as pass or fail. It was still "
            "scored, and its scores are given below for your information."
        )
    if vendor.key == winner.key:
        return first + " The contract is awarded to your company."
    return first + f" The contract is awarded to {winner.name}."


def question_text(results: EvaluationResults, key: str) -> str:
    question = results.questions.get(key)
    return question.text if question is not None else key


def draft_words(
    evaluation: m.Evaluation,
    results: EvaluationResults,
    vendor: VendorResult,
    file: VendorFile,
) -> LetterWords:
    """The generated draft of a vendor's letter."""
    award = vendor.key == _winner_key(evaluation, results)
    strengths, weaknesses = _points(results, vendor, file)
    if not award and vendor.failed_knockouts:
        weaknesses = [
            f"- {question_text(results, key)}: not met (a mandatory requirement)"
            for key in vendor.failed_knockouts
        ] + weaknesses
    title = evaluation.title
    if award:
        opening = (
            f"We are pleased to tell you that {vendor.name} is selected for “{title}”. "
            "Thank you for a clear and complete proposal, and for the time your team gave "
            "to our questions and reference calls."
        )
        closing = _next_steps(evaluation)
    else:
        opening = (
            f"Thank you for the time and care {vendor.name} put into its response to "
            f"“{title}”. We evaluated every proposal against the criteria and weights "
            "published in the request. This letter explains how yours was assessed, so "
            "that it can help you in future bids."
        )
        closing = (
            "We are glad to go through this feedback in a short debrief call: reply to this "
            "message to arrange one. Thank you again for taking part; we hope to see "
            f"{vendor.name} respond to our future requests."
        )
    return LetterWords(
        opening=opening,
        strengths="\n".join(strengths[:MOST_POINTS]),
        weaknesses="\n".join(weaknesses[:MOST_POINTS]),
        closing=closing,
    )


def _next_steps(evaluation: m.Evaluation) -> str:
    scope = evaluation.scope or {}
    pilot = scope.get("pilot_weeks")
    term = scope.get("term_months")
    pilot_words = f"a {pilot:g}-week pilot" if isinstance(pilot, int | float) else "a pilot"
    term_words = f" before the full {term:g}-month term" if isinstance(term, int | float) else ""
    return (
        "Next steps: we will send the agreement for your review and agree the start of "
        f"{pilot_words} with its success measures (first-contact resolution, CSAT, handle "
        f"time){term_words}. Please name your account lead and send a 30-60-90 day "
        "onboarding plan. This letter is not itself a contract: the award becomes binding "
        "when the agreement is signed."
    )


def _points(
    results: EvaluationResults, vendor: VendorResult, file: VendorFile
) -> tuple[list[str], list[str]]:
    """(strengths, weaknesses) as "- question (score): notes" lines, best and worst first."""
    scale = results.scoring_input.scale
    active = {p.membership_id for p in file.panel if p.active and not p.conflicted}
    scored: list[tuple[float, str]] = []
    for key, question in results.questions.items():
        if question.kind != QuestionKind.SCORED:
            continue
        value = vendor.questions.get(key)
        if value is None:
            continue
        notes = []
        consensus = file.consensus.get(key)
        if consensus is not None and consensus.rationale.strip():
            notes.append(consensus.rationale.strip())
        for score in file.scores:
            comment = score.comment.strip()
            mine = score.question == key and score.membership_id in active
            if mine and comment and comment not in notes:
                notes.append(comment)
        on_scale = scale.lo + value / 100 * (scale.hi - scale.lo)
        text = f"- {question.text} ({score_text(on_scale)} of {scale.hi:g})"
        joined = " ".join(n if n.endswith((".", "!", "?")) else n + "." for n in notes)
        if len(joined) > SOURCE_LENGTH:
            joined = joined[: SOURCE_LENGTH - 1].rstrip() + "…"
        scored.append((value, f"{text}: {joined}" if joined else text))
    strengths = [
        line for value, line in sorted(scored, key=lambda s: -s[0]) if value >= STRENGTH_AT
    ]
    weaknesses = [
        line for value, line in sorted(scored, key=lambda s: s[0]) if value < WEAKNESS_BELOW
    ]
    return strengths, weaknesses


def _winner_key(evaluation: m.Evaluation, results: EvaluationResults) -> str | None:
    for key, vendor_id in results.vendor_ids.items():
        if vendor_id == evaluation.award_vendor_id:
            return key
    return None


def awarded(evaluation: m.Evaluation, results: EvaluationResults) -> VendorResult | None:
    key = _winner_key(evaluation, results)
    return results.result.vendor(key) if key is not None else None


def letter_document(
    evaluation: m.Evaluation,
    results: EvaluationResults,
    vendor: VendorResult,
    words: LetterWords,
    *,
    contact_name: str,
    disclose_winner_price: bool,
    signature: str,
    dated: date,
) -> LetterDocument:
    """The letter as it reads: the lead's words with the result's figures."""
    winner = awarded(evaluation, results)
    assert winner is not None, "letters are written once the award is recorded"
    award = vendor.key == winner.key
    disclose = award or disclose_winner_price
    result = results.result
    scores = tuple(
        ScoreLine(
            criterion=criterion.name,
            weight=result.weights.get(criterion.key, 0.0),
            own=vendor.criteria.get(criterion.key, 0.0),
            winner=(
                winner.criteria.get(criterion.key, 0.0)
                if disclose or criterion.kind != CriterionKind.COST
                else None
            ),
            price=criterion.kind == CriterionKind.COST,
        )
        for criterion in results.scoring_input.criteria
    )
    return LetterDocument(
        kind=LetterKind.AWARD if award else LetterKind.DEBRIEF,
        evaluation_title=evaluation.title,
        vendor_name=vendor.name,
        contact_name=contact_name,
        winner_name=winner.name,
        dated=dated.isoformat(),
        standing=standing(results, vendor, winner),
        opening=words.opening,
        strengths=words.strengths,
        weaknesses=words.weaknesses,
        closing=words.closing,
        signature=signature,
        scores=scores,
        own_total=vendor.total,
        winner_total=winner.total if disclose else None,
        own_price=_price(results, vendor),
        winner_price=_price(results, winner) if disclose_winner_price and not award else None,
    )


def _price(results: EvaluationResults, vendor: VendorResult) -> PriceLine | None:
    scope = results.scoring_input.cost_scope
    if vendor.cost is None or scope is None:
        return None
    return PriceLine(
        tco=vendor.cost.tco,
        cost_per_contact=vendor.cost.cost_per_contact,
        monthly_charge=vendor.cost.monthly_charge,
        term_months=scope.term_months,
    )
