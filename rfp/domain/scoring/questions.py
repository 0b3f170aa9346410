"""Question scores (DESIGN.md rules 2 and 5) for every vendor at once.

From the engine's cube: the evaluators' mean or median, replaced by a consensus score
where the lead recorded one; quantitative questions scored from the vendor's number by
their bands; and the expected (question, evaluator) pairs nobody has scored yet.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import compress

import numpy as np

from rfp.domain.scoring.model import Question, Scale, ScoringInput, Vendor, band_score
from rfp.domain.scoring.panel import BoolArray, FloatArray, Panel
from rfp.domain.scoring.result import MissingScore, assembled


def normalise(scale: Scale, values: FloatArray) -> FloatArray:
    """`Scale.normalise` on an array, the same operations in the same order."""
    return 100.0 * (values - scale.lo) / (scale.hi - scale.lo)


@dataclass(frozen=True)
class Agreed:
    """Consensus scores on the cube's (vendor, question) cells."""

    has: BoolArray
    value: FloatArray


def consensus_cells(panel: Panel, consensus: dict[tuple[str, str], float]) -> Agreed:
    shape = (len(panel.vendors), len(panel.questions))
    has = np.zeros(shape, dtype=bool)
    value = np.zeros(shape, dtype=np.float64)
    v_index = {key: i for i, key in enumerate(panel.vendors)}
    q_index = {key: i for i, key in enumerate(panel.questions)}
    for (vendor, question), agreed in consensus.items():
        v, q = v_index.get(vendor), q_index.get(question)
        if v is not None and q is not None:
            has[v, q] = True
            value[v, q] = agreed
    return Agreed(has, value)


@dataclass(frozen=True)
class QuestionSheet:
    """Every vendor's question scores in the order the criteria list their scored
    questions: one column per such question, quantitative ones included; one row per
    vendor, in the evaluation's order."""

    keys: list[str]
    weights: list[float]
    criteria: list[str]  # the criterion each column is listed under
    cube_column: list[int | None]  # its question on the cube; None: quantitative
    blocks: list[slice]  # each criterion's columns (empty for cost and references)
    values: FloatArray  # [vendor, column], 0.0 where `has` is False
    has: BoolArray  # [vendor, column]: the question has a score
    reasons: list[dict[int, str]]  # [vendor][column]: why a quantitative one has none

    def scores(self) -> list[list[float | None]]:
        """[vendor][column]: the score, None where there is none."""
        if self.has.all():
            rows: list[list[float | None]] = self.values.tolist()
            return rows
        return [
            [score if has else None for score, has in zip(row, mark, strict=True)]
            for row, mark in zip(self.values.tolist(), self.has.tolist(), strict=True)
        ]


def question_sheet(
    inp: ScoringInput,
    panel: Panel,
    question_score: FloatArray,
    has_question_score: BoolArray,
    consensus: dict[tuple[str, str], float],
) -> QuestionSheet:
    q_index = {key: i for i, key in enumerate(panel.questions)}
    v_index = {key: i for i, key in enumerate(panel.vendors)}
    keys: list[str] = []
    weights: list[float] = []
    criteria: list[str] = []
    cube_column: list[int | None] = []
    blocks: list[slice] = []
    computed: list[tuple[int, Question]] = []
    for c in inp.criteria:
        start = len(keys)
        if c.kind not in ("cost", "references"):
            for q in c.questions:
                if q.kind != "scored":
                    continue
                if q.computed:
                    computed.append((len(keys), q))
                keys.append(q.key)
                weights.append(q.weight)
                criteria.append(c.key)
                cube_column.append(None if q.computed else q_index[q.key])
        blocks.append(slice(start, len(keys)))

    on_cube = [k for k, i in enumerate(cube_column) if i is not None]
    cube_questions = [i for i in cube_column if i is not None]
    rows = np.array([v_index[v.key] for v in inp.vendors], dtype=np.intp)
    values = np.zeros((len(rows), len(keys)), dtype=np.float64)
    has = np.zeros((len(rows), len(keys)), dtype=bool)
    if len(rows):
        values[:, on_cube] = question_score[rows][:, cube_questions]
        has[:, on_cube] = has_question_score[rows][:, cube_questions]
    reasons: list[dict[int, str]] = [{} for _ in inp.vendors]
    for i, v in enumerate(inp.vendors):
        for column, q in computed:
            noted: list[str] = []
            score = _computed_question_score(v, q, consensus, inp, noted)
            if score is not None:
                values[i, column], has[i, column] = score, True
            if noted:
                reasons[i][column] = noted[0]
    return QuestionSheet(keys, weights, criteria, cube_column, blocks, values, has, reasons)


def criterion_means(sheet: QuestionSheet) -> list[list[float | None]]:
    """[vendor][criterion]: `weighted_mean` of each block of the sheet, on every vendor
    at once; None where no question of the criterion has a score (or their weights sum
    to 0). The same sums: math.fsum of the same products, so the same figures."""
    weights = np.array(sheet.weights, dtype=np.float64)
    filled = [block for block in sheet.blocks if block.stop > block.start]
    starts = [block.start for block in filled]
    highest: list[list[float]] = [[] for _ in range(len(sheet.values))]
    lowest: list[list[float]] = [[] for _ in range(len(sheet.values))]
    if starts and len(sheet.values):
        highest = np.maximum.reduceat(
            np.where(sheet.has, sheet.values, -np.inf), starts, axis=1
        ).tolist()
        lowest = np.minimum.reduceat(
            np.where(sheet.has, sheet.values, np.inf), starts, axis=1
        ).tolist()
    block_weights = [weights[block].tolist() for block in filled]
    out: list[list[float | None]] = []
    for row, mark, high, low in zip(
        (sheet.values * weights).tolist(), sheet.has.tolist(), highest, lowest, strict=True
    ):
        means: list[float | None] = []
        for n, block in enumerate(filled):
            marks = mark[block]
            total_weight = math.fsum(compress(block_weights[n], marks))
            if not any(marks) or total_weight <= 0:
                means.append(None)
                continue
            mean = math.fsum(compress(row[block], marks)) / total_weight
            # As weighted_mean: a mean never leaves [min, max] of its values.
            means.append(min(max(mean, low[n]), high[n]))
        # Cost and references have no questions: their blocks are empty.
        filled_means = iter(means)
        out.append([next(filled_means) if b.stop > b.start else None for b in sheet.blocks])
    return out


def missing_scores(
    inp: ScoringInput,
    panel: Panel,
    agreed: BoolArray,
    sheet: QuestionSheet,
    abstained: Mapping[tuple[str, str], Mapping[str, str]] | None = None,
) -> list[tuple[MissingScore, ...]]:
    """Each vendor's expected scores nobody has entered (rule 5), by cube row: in the
    criteria's question order, then the evaluators' order; none where a consensus
    score covers the question, nor where the evaluator abstained (`abstained`:
    {(vendor, question): {evaluator: reason}}, engine.abstained_evaluators)."""
    on_cube = [k for k, i in enumerate(sheet.cube_column) if i is not None]
    cube_questions = [i for i in sheet.cube_column if i is not None]
    entries = inp.evaluators
    none: list[tuple[MissingScore, ...]] = [() for _ in panel.vendors]
    if not on_cube or not entries or not panel.vendors or panel.present.all():
        return none  # nothing expected, or every evaluator scored everything
    e_index = {key: i for i, key in enumerate(panel.evaluators)}
    v_index = {key: i for i, key in enumerate(panel.vendors)}
    expected = np.array(
        [[e.criteria is None or sheet.criteria[k] in e.criteria for k in on_cube] for e in entries],
        dtype=bool,
    ).T
    conflicted = np.zeros((len(panel.vendors), len(entries)), dtype=bool)
    for n, e in enumerate(entries):
        for vendor in panel.vendors:
            if (e.key, vendor) in inp.conflicts:
                conflicted[v_index[vendor], n] = True
    given = panel.present[:, cube_questions][:, :, [e_index[e.key] for e in entries]]
    missing = ~agreed[:, cube_questions, None] & expected[None] & ~conflicted[:, None, :] & ~given
    if abstained:
        column = {sheet.keys[k]: j for j, k in enumerate(on_cube)}
        entry = {e.key: n for n, e in enumerate(entries)}
        for (vendor, question), by_evaluator in abstained.items():
            if vendor in v_index and question in column:
                for evaluator in by_evaluator:
                    if evaluator in entry:
                        missing[v_index[vendor], column[question], entry[evaluator]] = False
    rows, columns, evaluators = np.nonzero(missing)
    if not len(rows):
        return none
    questions = [sheet.keys[k] for k in on_cube]
    listed = [
        assembled(MissingScore, question=questions[q], evaluator=entries[n].key)
        for q, n in zip(columns.tolist(), evaluators.tolist(), strict=True)
    ]
    ends = np.cumsum(np.bincount(rows, minlength=len(panel.vendors))).tolist()
    starts = [0, *ends[:-1]]
    return [tuple(listed[a:b]) for a, b in zip(starts, ends, strict=True)]


def _computed_question_score(
    vendor: Vendor,
    question: Question,
    consensus: dict[tuple[str, str], float],
    inp: ScoringInput,
    reasons: list[str],
) -> float | None:
    """A quantitative question's 0..100 score: the band the vendor's number falls in.

    No evaluator score is expected. A consensus score, recorded with a rationale, still
    replaces the computed one (for a number found to be wrong after checking).
    """
    agreed = consensus.get((vendor.key, question.key))
    if agreed is not None:
        return inp.scale.normalise(agreed)
    number = vendor.numbers.get(question.key)
    if number is None:
        reasons.append(f"no number for {question.key}")
        return None
    assert question.bands is not None
    score = band_score(number, question.bands)
    if score is None:
        reasons.append(f"number {number:g} for {question.key} matches no band")
        return None
    return inp.scale.normalise(score)
