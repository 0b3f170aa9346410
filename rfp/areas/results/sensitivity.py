"""The results page's sensitivity section: the verdict, the flip thresholds, rank
stability, the price-formula comparison and the rank-reversal check.

The sensitivity report is `rfp.domain.decision.sensitivity.sensitivity_report` on the page's
own input and result (the reports and `rfp score --json` call the same function with the
same draws, concentration and seed, so all of them print the same figures).

The price-formula rankings are computed from the Result without re-running the engine,
which on the largest evaluations would cost a fifth of a second a formula: criterion
scores other than cost do not depend on the formula, and the cost points are the
engine's own `price_score` over the same lowest and highest TCO. `formula_comparison`
and `reversal_check` equal `compare_price_formulas` and `rank_reversal_check` (tests
check both); with evaluator normalisation on, removing a vendor moves the panel's
statistics, so the reversal check then runs the engine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from rfp.domain.decision.price_formulas import (
    NO_COST,
    TOO_FEW_PRICED,
    FormulaComparison,
    FormulaRanking,
    RankReversal,
    cheapest_bid,
    has_cost,
    rank_reversal_check,
    reversal_of,
)
from rfp.domain.decision.sensitivity import CriterionSensitivity, FlipThreshold, SensitivityReport
from rfp.domain.decision.sensitivity import sensitivity_report as engine_sensitivity_report
from rfp.domain.scoring.cost import price_score
from rfp.domain.scoring.model import PriceFormula as FormulaName
from rfp.domain.scoring.model import ScoringInput
from rfp.domain.scoring.ranking import competition_order
from rfp.domain.scoring.result import Result, VendorResult
from rfp.domain.vocabulary import CriterionKind, PriceFormula

# Draws for rank stability on the page: the same as the reports and the CLI, so that the
# page, the workbook and the PDF print the same shares (about 70 ms on the 40 x 120 x 12
# evaluation; see tests/benchmarks/bench_decision_web.py).
PAGE_DRAWS = 10_000
SEED = 2027


def sensitivity_for(inp: ScoringInput, result: Result, concentration: float) -> SensitivityReport:
    """The evaluation's sensitivity report as every output prints it."""
    return engine_sensitivity_report(
        inp, result, draws=PAGE_DRAWS, concentration=concentration, seed=SEED
    )


# -- price formulas from the Result --------------------------------------------------------


def _totals(
    inp: ScoringInput, result: Result, cost_scores: dict[str, float | None]
) -> dict[str, float]:
    """Each vendor's total with its cost points replaced (the engine's own sum)."""
    cost_keys = {c.key for c in inp.criteria if c.kind == CriterionKind.COST}
    weights = result.weights
    out = {}
    for v in result.vendors:
        scores = {
            c.key: ((cost_scores.get(v.key) or 0.0) if c.key in cost_keys else v.criteria[c.key])
            for c in inp.criteria
        }
        total = math.fsum(scores[c.key] * weights[c.key] for c in inp.criteria)
        out[v.key] = min(100.0, max(0.0, total))
    return out


def _ranking(
    formula: str,
    vendors: Sequence[VendorResult],
    totals: dict[str, float],
    cost_scores: dict[str, float | None],
) -> FormulaRanking:
    """The engine's ranking rule: qualified by total (competition ranks, ties by name),
    then the disqualified by total, without rank."""
    qualified = [(v.key, v.name, totals[v.key]) for v in vendors if not v.disqualified]
    ranked = competition_order(qualified)
    ranks: dict[str, int | None] = dict(ranked)
    out = sorted(
        (v for v in vendors if v.disqualified), key=lambda v: (-totals[v.key], v.name, v.key)
    )
    for v in out:
        ranks[v.key] = None
    order = tuple(key for key, _ in ranked) + tuple(v.key for v in out)
    return FormulaRanking(
        formula=formula,
        ranks={v.key: ranks[v.key] for v in vendors},
        totals={v.key: totals[v.key] for v in vendors},
        cost_scores={v.key: cost_scores.get(v.key) for v in vendors},
        order=order,
    )


def _cost_scores(
    inp: ScoringInput,
    vendors: Sequence[VendorResult],
    low: float | None,
    high: float | None,
    formula: str,
) -> dict[str, float | None]:
    if low is None or high is None:
        return {v.key: None for v in vendors}
    zero = inp.settings.price_zero_multiple
    return {
        v.key: (
            price_score(v.cost.tco, low, high, cast(FormulaName, formula), zero)
            if v.cost is not None
            else None
        )
        for v in vendors
    }


def formula_comparison(inp: ScoringInput, result: Result) -> FormulaComparison:
    """The ranking under each price formula, side by side (= compare_price_formulas)."""
    rankings = []
    for formula in PriceFormula:
        costs = _cost_scores(inp, result.vendors, result.min_tco, result.max_tco, formula)
        rankings.append(_ranking(formula, result.vendors, _totals(inp, result, costs), costs))
    return FormulaComparison(
        current=inp.settings.price_formula,
        names={v.key: v.name for v in inp.vendors},
        rankings=tuple(rankings),
    )


def reversal_check(inp: ScoringInput, result: Result) -> RankReversal:
    """lowest_ratio's rank-reversal check (= rank_reversal_check(inp, "lowest_ratio"))."""
    formula = PriceFormula.LOWEST_RATIO
    if inp.settings.normalise_evaluators:
        return rank_reversal_check(inp, formula)
    if not has_cost(inp):
        return RankReversal(formula, False, NO_COST)
    costs = _cost_scores(inp, result.vendors, result.min_tco, result.max_tco, formula)
    full = _ranking(formula, result.vendors, _totals(inp, result, costs), costs)
    by_key = {v.key: v for v in result.vendors}
    ranked = [by_key[k] for k in full.order if full.ranks[k] is not None]
    cheapest = cheapest_bid(ranked)
    if cheapest is None:
        return RankReversal(formula, False, TOO_FEW_PRICED)
    rest = [v for v in result.vendors if v.key != cheapest.key]
    pool = [v.cost.tco for v in rest if v.cost is not None and not v.disqualified] or [
        v.cost.tco for v in rest if v.cost is not None
    ]
    reduced_costs = _cost_scores(inp, rest, min(pool), max(pool), formula)
    reduced = _ranking(formula, rest, _totals(inp, result, reduced_costs), reduced_costs)
    return reversal_of(
        formula,
        cheapest,
        {v.key: v.name for v in result.vendors},
        before=(tuple(v.key for v in ranked if v.key != cheapest.key), full.totals),
        after=(tuple(k for k in reduced.order if reduced.ranks[k] is not None), reduced.totals),
    )


# -- what the section shows -------------------------------------------------------------------


@dataclass(frozen=True)
class ThresholdCell:
    text: str  # "rises above 26.3 % (Tanglaw would lead)" or "none within 0 to 100 %"
    change_pp: float | None
    found: bool


@dataclass(frozen=True)
class ThresholdRow:
    key: str
    name: str
    weight: float  # official normalised weight
    up: ThresholdCell
    down: ThresholdCell
    note: str | None
    closest: bool  # the threshold the verdict names


@dataclass(frozen=True)
class FormulaColumn:
    formula: str
    label: str
    current: bool
    entries: tuple[tuple[str, int | None, float], ...]  # (vendor name, rank, total) in order


@dataclass(frozen=True)
class FormulaRow:
    name: str
    disqualified: bool
    cells: tuple[tuple[int | None, float, bool], ...]  # (rank, total, differs) by formula


@dataclass(frozen=True)
class SensitivitySection:
    report: SensitivityReport
    thresholds: tuple[ThresholdRow, ...]
    reversal: RankReversal | None  # shown when the evaluation uses lowest_ratio
    formulas: tuple[FormulaColumn, ...]  # the lead's side-by-side comparison (else ())
    formulas_agree: bool
    formula_rows: tuple[FormulaRow, ...]  # one per vendor, in the official order


NONE_WITHIN = "none within 0 to 100 %"


def _cell(t: FlipThreshold | None) -> ThresholdCell:
    if t is None:
        return ThresholdCell(NONE_WITHIN, None, False)
    return ThresholdCell(t.text, t.change_pp, True)


def threshold_rows(report: SensitivityReport) -> tuple[ThresholdRow, ...]:
    closest = report.closest

    def is_closest(c: CriterionSensitivity) -> bool:
        return closest is not None and closest.criterion == c.criterion

    return tuple(
        ThresholdRow(
            key=c.criterion,
            name=c.name,
            weight=c.weight,
            up=_cell(c.up),
            down=_cell(c.down),
            note=c.note,
            closest=is_closest(c),
        )
        for c in report.criteria
    )


def build_sensitivity_section(
    inp: ScoringInput,
    result: Result,
    *,
    concentration: float,
    lead: bool,
    report: SensitivityReport | None = None,
) -> SensitivitySection:
    """The section; `report` when the caller has it already (`sensitivity_for`)."""
    if report is None:
        report = sensitivity_for(inp, result, concentration)
    has_cost = (
        any(c.kind == CriterionKind.COST for c in inp.criteria) and result.min_tco is not None
    )
    reversal = None
    if has_cost and (inp.settings.price_formula == PriceFormula.LOWEST_RATIO or lead):
        reversal = reversal_check(inp, result)
    formulas: tuple[FormulaColumn, ...] = ()
    rows: tuple[FormulaRow, ...] = ()
    agree = True
    if lead and has_cost:
        comparison = formula_comparison(inp, result)
        names = comparison.names
        formulas = tuple(
            FormulaColumn(
                formula=r.formula,
                label=PriceFormula(r.formula).label,
                current=r.formula == comparison.current,
                entries=tuple((names[k], r.ranks[k], r.totals[k]) for k in r.order),
            )
            for r in comparison.rankings
        )
        official = comparison.ranking(comparison.current)
        rows = tuple(
            FormulaRow(
                name=v.name,
                disqualified=v.disqualified,
                cells=tuple(
                    (r.ranks[v.key], r.totals[v.key], r.ranks[v.key] != official.ranks[v.key])
                    for r in comparison.rankings
                ),
            )
            for v in result.vendors
        )
        agree = comparison.agree
    return SensitivitySection(
        report=report,
        thresholds=threshold_rows(report),
        reversal=reversal,
        formulas=formulas,
        formulas_agree=agree,
        formula_rows=rows,
    )
