"""Price-formula honesty: the ranking under each formula, and lowest_ratio's rank reversal.

The formula that turns a TCO into cost points is a choice with consequences: the same
bids can rank differently under `lowest_ratio`, `linear`, `deviation` and `log`, so the
lead compares them side by side before the evaluation leaves draft.

`lowest_ratio` (100 * min / TCO) has a known weakness: every vendor's cost points depend
on the cheapest bid, so withdrawing that bid rescales everybody's cost points by the
same factor and can swap two other vendors, although nothing about either changed.
`rank_reversal_check` removes the cheapest qualified bid and reports whether the relative
order of the others changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, cast

from rfp.domain.scoring.engine import score_evaluation
from rfp.domain.scoring.model import PRICE_FORMULAS, PriceFormula, ScoringInput
from rfp.domain.scoring.ranking import TIE_TOLERANCE
from rfp.domain.scoring.result import Result, VendorResult

Relation = Literal["ahead", "level", "behind"]


@dataclass(frozen=True)
class FormulaRanking:
    formula: str
    ranks: dict[str, int | None]  # vendor -> rank (None: disqualified)
    totals: dict[str, float]
    cost_scores: dict[str, float | None]  # None: no price
    order: tuple[str, ...]  # vendor keys in rank order, disqualified last

    def to_json(self) -> dict[str, Any]:
        return {
            "formula": self.formula,
            "order": list(self.order),
            "ranks": dict(self.ranks),
            "totals": dict(self.totals),
            "cost_scores": dict(self.cost_scores),
        }


@dataclass(frozen=True)
class FormulaComparison:
    current: str  # the evaluation's own formula
    names: dict[str, str]
    rankings: tuple[FormulaRanking, ...]  # one per formula, in PRICE_FORMULAS order

    def ranking(self, formula: str) -> FormulaRanking:
        return next(r for r in self.rankings if r.formula == formula)

    @property
    def agree(self) -> bool:
        """True when every formula gives the same ranks."""
        return len({tuple(sorted(r.ranks.items())) for r in self.rankings}) == 1

    @property
    def leaders(self) -> dict[str, tuple[str, ...]]:
        return {
            r.formula: tuple(k for k, rank in r.ranks.items() if rank == 1) for r in self.rankings
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "current": self.current,
            "agree": self.agree,
            "names": dict(self.names),
            "rankings": [r.to_json() for r in self.rankings],
        }


def _ranking(formula: str, result: Result) -> FormulaRanking:
    return FormulaRanking(
        formula=formula,
        ranks={v.key: v.rank for v in result.vendors},
        totals={v.key: v.total for v in result.vendors},
        cost_scores={v.key: (v.cost.score if v.cost else None) for v in result.vendors},
        order=tuple(v.key for v in result.vendors),
    )


def with_price_formula(inp: ScoringInput, formula: PriceFormula) -> ScoringInput:
    return replace(inp, settings=replace(inp.settings, price_formula=formula))


def compare_price_formulas(inp: ScoringInput) -> FormulaComparison:
    """The engine's ranking under each of the four price formulas, side by side."""
    rankings = tuple(
        _ranking(formula, score_evaluation(with_price_formula(inp, cast(PriceFormula, formula))))
        for formula in PRICE_FORMULAS
    )
    return FormulaComparison(
        current=inp.settings.price_formula,
        names={v.key: v.name for v in inp.vendors},
        rankings=rankings,
    )


@dataclass(frozen=True)
class PairChange:
    """Two vendors whose relative order changed: `first` was ahead of (or level with,
    then listed by name) `second` before the cheapest bid was removed."""

    first: str
    second: str
    before: Relation  # first's position relative to second
    after: Relation

    def to_json(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "second": self.second,
            "before": self.before,
            "after": self.after,
        }


@dataclass(frozen=True)
class RankReversal:
    formula: str
    applicable: bool
    reason: str | None  # why the check does not apply, when it does not
    removed: str | None = None  # the cheapest qualified bid
    removed_name: str | None = None
    before: tuple[str, ...] = ()  # the other qualified vendors, in order, with it
    after: tuple[str, ...] = ()  # the same vendors, in order, without it
    changes: tuple[PairChange, ...] = ()
    message: str = ""

    @property
    def reordered(self) -> bool:
        return bool(self.changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "formula": self.formula,
            "applicable": self.applicable,
            "reason": self.reason,
            "removed": self.removed,
            "before": list(self.before),
            "after": list(self.after),
            "reordered": self.reordered,
            "changes": [c.to_json() for c in self.changes],
            "message": self.message,
        }


def without_vendor(inp: ScoringInput, vendor: str) -> ScoringInput:
    """The evaluation as if this vendor had never bid."""
    return replace(
        inp,
        vendors=tuple(v for v in inp.vendors if v.key != vendor),
        scores=tuple(s for s in inp.scores if s.vendor != vendor),
        consensus=tuple(c for c in inp.consensus if c.vendor != vendor),
        references=tuple(r for r in inp.references if r.vendor != vendor),
        conflicts=frozenset(c for c in inp.conflicts if c[1] != vendor),
    )


NO_COST = "the evaluation has no cost criterion or cost scope"
TOO_FEW_PRICED = "fewer than three qualified vendors with a price to compare"


def has_cost(inp: ScoringInput) -> bool:
    """Whether prices are scored at all: a cost criterion and a scope to cost."""
    return any(c.kind == "cost" for c in inp.criteria) and inp.cost_scope is not None


def cheapest_bid(ranked: Sequence[VendorResult]) -> VendorResult | None:
    """The qualified vendor with the lowest TCO (by name, then key, on equal TCOs), or None
    when fewer than three qualified vendors have a price."""
    priced = [(v.cost.tco, v.name, v.key, v) for v in ranked if v.cost is not None]
    if len(priced) < 3:
        return None
    return min(priced, key=lambda entry: entry[:3])[3]


def reversal_of(
    formula: str,
    removed: VendorResult,
    names: Mapping[str, str],
    before: tuple[Sequence[str], Mapping[str, float]],
    after: tuple[Sequence[str], Mapping[str, float]],
) -> RankReversal:
    """The check's outcome from the qualified order and totals of the others with the
    cheapest bid (`before`) and without it (`after`): every pair whose relative position
    changed, and the sentence that says so."""
    (order_before, totals_before), (order_after, totals_after) = before, after
    changes = []
    for i, first in enumerate(order_before):
        for second in order_before[i + 1 :]:
            was = relation(totals_before[first], totals_before[second])
            now = relation(totals_after[first], totals_after[second])
            if was != now:
                changes.append(PairChange(first, second, was, now))
    if changes:
        described = "; ".join(describe_change(c, names) for c in changes)
        message = (
            f"Removing the cheapest bid ({removed.name}) reorders the others under "
            f"{formula}: {described}."
        )
    else:
        message = (
            f"Removing the cheapest bid ({removed.name}) leaves the order of the others "
            f"unchanged under {formula}."
        )
    return RankReversal(
        formula=formula,
        applicable=True,
        reason=None,
        removed=removed.key,
        removed_name=removed.name,
        before=tuple(order_before),
        after=tuple(order_after),
        changes=tuple(changes),
        message=message,
    )


def rank_reversal_check(inp: ScoringInput, formula: PriceFormula = "lowest_ratio") -> RankReversal:
    """Remove the cheapest qualified bid and compare the relative order of the others.

    The cheapest is the qualified vendor with the lowest TCO (by name on equal TCOs).
    Needs a cost criterion and at least three qualified vendors with a price.
    """
    if not has_cost(inp):
        return RankReversal(formula, False, NO_COST)
    inp = with_price_formula(inp, formula)
    result = score_evaluation(inp)
    cheapest = cheapest_bid(result.ranked)
    if cheapest is None:
        return RankReversal(formula, False, TOO_FEW_PRICED)
    reduced = score_evaluation(without_vendor(inp, cheapest.key))
    others = [v for v in result.ranked if v.key != cheapest.key]
    return reversal_of(
        formula,
        cheapest,
        {v.key: v.name for v in result.vendors},
        before=(tuple(v.key for v in others), {v.key: v.total for v in others}),
        after=(tuple(v.key for v in reduced.ranked), {v.key: v.total for v in reduced.ranked}),
    )


def relation(a: float, b: float) -> Relation:
    """Where a total stands against another: level within the engine's tie tolerance."""
    if abs(a - b) <= TIE_TOLERANCE:
        return "level"
    return "ahead" if a > b else "behind"


def describe_change(change: PairChange, names: Mapping[str, str]) -> str:
    first, second = names[change.first], names[change.second]
    if change.after == "behind":
        return f"{second} moves ahead of {first}"
    if change.after == "level":
        return f"{second} draws level with {first}"
    return f"{first} moves ahead of {second}"
