"""The evaluators' scores indexed once into arrays: vendor x question x evaluator.

The engine's hot path. Every score the rules count (an active evaluator, no conflict
with the vendor, a scored question inside the evaluator's criteria, not a quantitative
question) lands in one cell of a dense cube and `present` marks it; means, medians and
ranges are then taken along the evaluator axis for every (vendor, question) at once.

Exact, not approximately equal: a mean is `math.fsum(scores) / n`, the correctly
rounded sum. numpy's sum is used only when every partial sum is exact (scores on a
grid of 2**-20 and small enough, as every scale's points are); otherwise each cell
falls back to `math.fsum`. A median is the middle value, or the mean of the two middle
values, as `statistics.median` takes it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import itemgetter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from rfp.domain.scoring.model import Score, ScoringInput

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IndexArray = NDArray[np.intp]

# A sum of scores on a grid of 2**-GRID_BITS, each below SUM_LIMIT / n in size, is
# exact in float64 whatever the order of the additions.
GRID_BITS = 20
SUM_LIMIT = 2.0 ** (52 - GRID_BITS)


@dataclass(frozen=True)
class Panel:
    """Counted raw scores: `values[v, q, e]` where `present[v, q, e]`, else 0.0."""

    vendors: tuple[str, ...]  # unique vendor keys, in the evaluation's order
    questions: tuple[str, ...]  # evaluator-scored question keys, in the evaluation's order
    evaluators: tuple[str, ...]  # active evaluator keys, sorted (the order dispersion lists)
    values: FloatArray
    present: BoolArray
    # The scores as given, for what lists them (dispersion): the float cube itself, an
    # integer cube when every score was an int (so 4 stays 4, not 4.0), or None when
    # the types are mixed (the dispersion then reads `counted_scores`).
    as_given: NDArray[Any] | None

    @property
    def counts(self) -> NDArray[np.int64]:
        """How many evaluators scored each (vendor, question)."""
        counts: NDArray[np.int64] = self.present.sum(axis=2, dtype=np.int64)
        return counts


def scored_question_criteria(inp: ScoringInput) -> dict[str, str]:
    """{question key: criterion key} of the questions evaluators score (kind scored and
    not quantitative); a key in two criteria belongs to the last, as everywhere."""
    return {
        q.key: c.key
        for c in inp.criteria
        for q in c.questions
        if q.kind == "scored" and not q.computed
    }


def index_scores(inp: ScoringInput) -> Panel:
    """Every counted score of `inp` in its cell; a later score of the same (evaluator,
    vendor, question) replaces an earlier one."""
    criterion_of = scored_question_criteria(inp)
    vendors = tuple(dict.fromkeys(v.key for v in inp.vendors))
    questions = tuple(criterion_of)
    evaluators = tuple(sorted({e.key for e in inp.evaluators}))
    shape = (len(vendors), len(questions), len(evaluators))

    scores = inp.scores
    n = len(scores)
    e_at = _positions(scores, 0, evaluators)
    v_at = _positions(scores, 1, vendors)
    q_at = _positions(scores, 2, questions)
    counted = (e_at >= 0) & (v_at >= 0) & (q_at >= 0)
    if 0 in shape:
        counted[:] = False  # nobody, nothing or no vendor to score
    else:
        allowed = _within_limits(inp, criterion_of, evaluators, questions)
        if not allowed.all():
            # Unknown keys index -1 here, harmlessly: they are not counted anyway.
            counted &= allowed[e_at, q_at]
        conflicted = _conflicted(inp, evaluators, vendors)
        if conflicted.any():
            counted &= ~conflicted[e_at, v_at]

    cells = (v_at * shape[1] + q_at) * shape[2] + e_at
    given = list(map(itemgetter(3), scores))
    raw = np.fromiter(given, dtype=np.float64, count=n)
    if not counted.all():
        cells, raw = cells[counted], raw[counted]
    size = shape[0] * shape[1] * shape[2]
    present = np.zeros(size, dtype=bool)
    present[cells] = True
    if np.count_nonzero(present) < len(cells):
        # Repeated scores of one cell: keep the last (first in the reversed order).
        _unique, last = np.unique(cells[::-1], return_index=True)
        keep = np.sort(len(cells) - 1 - last)
        cells, raw = cells[keep], raw[keep]
    values = np.zeros(size, dtype=np.float64)
    values[cells] = raw
    values, present = values.reshape(shape), present.reshape(shape)

    types = set(map(type, given))
    as_given: NDArray[Any] | None = None
    if types <= {float}:
        as_given = values
    elif types == {int}:
        as_given = values.astype(np.int64)
    return Panel(vendors, questions, evaluators, values, present, as_given)


def _within_limits(
    inp: ScoringInput,
    criterion_of: dict[str, str],
    evaluators: tuple[str, ...],
    questions: tuple[str, ...],
) -> BoolArray:
    """[evaluator, question]: the question's criterion is among the evaluator's."""
    limits = {e.key: e.criteria for e in inp.evaluators}
    allowed = np.ones((len(evaluators), len(questions)), dtype=bool)
    for e, key in enumerate(evaluators):
        limit = limits[key]
        if limit is not None:
            allowed[e] = [criterion_of[q] in limit for q in questions]
    return allowed


def _conflicted(
    inp: ScoringInput, evaluators: tuple[str, ...], vendors: tuple[str, ...]
) -> BoolArray:
    """[evaluator, vendor]: a declared conflict of interest."""
    conflicted = np.zeros((len(evaluators), len(vendors)), dtype=bool)
    e_index = {key: i for i, key in enumerate(evaluators)}
    v_index = {key: i for i, key in enumerate(vendors)}
    for evaluator, vendor in inp.conflicts:
        if evaluator in e_index and vendor in v_index:
            conflicted[e_index[evaluator], v_index[vendor]] = True
    return conflicted


def _positions(scores: Sequence[Score], field: int, axis: Sequence[str]) -> IndexArray:
    """The index on the axis of each score's key (its `field`), -1 for a key not on it
    (map(), not a loop: this runs once per score)."""
    index = {key: i for i, key in enumerate(axis)}
    keys = map(itemgetter(field), scores)
    try:
        return np.fromiter(map(index.__getitem__, keys), dtype=np.intp, count=len(scores))
    except KeyError:  # a score for someone or something not in the evaluation: rare
        keys = map(itemgetter(field), scores)
        return np.fromiter(map(index.get, keys, repeat(-1)), dtype=np.intp, count=len(scores))


def aggregate(values: FloatArray, present: BoolArray, how: str) -> FloatArray:
    """The mean (or median) along the evaluator axis; 0.0 where nobody scored.
    `values` holds 0.0 wherever `present` is False, as the panel's do."""
    counts = present.sum(axis=-1)
    if how == "median":
        return _median(values, present, counts)
    return _mean(values, present, counts)


def _mean(values: FloatArray, present: BoolArray, counts: NDArray[np.intp]) -> FloatArray:
    scored = counts > 0
    if _sums_are_exact(values, values.shape[-1]):
        sums = values.sum(axis=-1) + 0.0  # + 0.0: a sum of zeros is 0.0, as fsum's, not -0.0
    else:
        sums = np.zeros(counts.shape, dtype=np.float64)
        rows = values[scored].tolist()
        marks = present[scored].tolist()
        sums[scored] = [
            math.fsum(compress(row, mark)) for row, mark in zip(rows, marks, strict=True)
        ]
    means: FloatArray = np.divide(sums, counts, out=np.zeros(counts.shape), where=scored)
    return means


def _sums_are_exact(values: FloatArray, terms: int) -> bool:
    """Whether every sum of up to `terms` of these values is exact in float64."""
    if values.size == 0:
        return True
    on_grid = np.ldexp(values, GRID_BITS)
    return bool(
        np.array_equal(on_grid, np.floor(on_grid))
        and float(np.abs(values).max()) * max(terms, 1) < SUM_LIMIT
    )


def _median(values: FloatArray, present: BoolArray, counts: NDArray[np.intp]) -> FloatArray:
    if values.shape[-1] == 0:
        return np.zeros(counts.shape)
    # Absent cells sort last as +inf; the middle of the first `count` values is taken:
    # values[(n - 1) // 2] and values[n // 2], as statistics.median does.
    ordered = np.sort(np.where(present, values, np.inf), axis=-1)
    lower = np.take_along_axis(ordered, (np.maximum(counts, 1) - 1)[..., None] // 2, axis=-1)
    upper = np.take_along_axis(ordered, counts[..., None] // 2, axis=-1)
    lower, upper = lower[..., 0], upper[..., 0]
    middle = np.where(counts % 2 == 0, (lower + upper) / 2, lower)
    return np.where(counts > 0, middle, 0.0)


def spreads(values: FloatArray, present: BoolArray) -> FloatArray:
    """max - min of the scores along the evaluator axis; 0.0 where nobody scored."""
    if values.shape[-1] == 0:
        return np.zeros(values.shape[:-1])
    highest = np.where(present, values, -np.inf).max(axis=-1)
    lowest = np.where(present, values, np.inf).min(axis=-1)
    # + 0.0: the range of zeros is 0.0, as max() - min() gives it, not -0.0.
    return np.where(present.any(axis=-1), highest - lowest + 0.0, 0.0)
