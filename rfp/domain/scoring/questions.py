"""Question scores (DESIGN.md rules 2 and 5) for every vendor at once.

From the engine's cube: the evaluators' mean or median, replaced by a consensus score
where the lead recorded one; quantitative questions scored from the vendor's number by
their bands; and the expected (question, evaluator) pairs nobody has scored yet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rfp.domain.scoring.model import Question, Scale, ScoringInput, Vendor, band_score
from rfp.domain.scoring.panel import BoolArray, FloatArray, Panel
from rfp.domain.scoring.result import MissingScore


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
    questions: one column per such question, quantitative ones included."""

    keys: list[str]
    weights: list[float]
    criteria: list[str]  # the criterion each column is listed under
    cube_column: list[int | None]  # its question on the cube; None: quantitative
    blocks: list[slice]  # each criterion's columns (empty for cost and references)
    scores: list[list[float | None]]  # [vendor][column] in inp.vendors order; None: no score
    reasons: list[dict[int, str]]  # [vendor][column]: why a quantitative one has none


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
    values = question_score[:, cube_questions].tolist()
    marks = has_question_score[:, cube_questions].tolist()
    by_row = [
        [score if has else None for score, has in zip(row, mark, strict=True)]
        for row, mark in zip(values, marks, strict=True)
    ]
    scores: list[list[float | None]] = []
    reasons: list[dict[int, str]] = []
    for v in inp.vendors:
        row = by_row[v_index[v.key]]
        if not computed:
            scores.append(row)
            reasons.append({})
            continue
        sheet_row: list[float | None] = [None] * len(keys)
        for column, score in zip(on_cube, row, strict=True):
            sheet_row[column] = score
        why: dict[int, str] = {}
        for column, q in computed:
            noted: list[str] = []
            sheet_row[column] = _computed_question_score(v, q, consensus, inp, noted)
            if noted:
                why[column] = noted[0]
        scores.append(sheet_row)
        reasons.append(why)
    return QuestionSheet(keys, weights, criteria, cube_column, blocks, scores, reasons)


def missing_scores(
    inp: ScoringInput, panel: Panel, agreed: BoolArray, sheet: QuestionSheet
) -> list[tuple[MissingScore, ...]]:
    """Each vendor's expected scores nobody has entered (rule 5), by cube row: in the
    criteria's question order, then the evaluators' order; none where a consensus
    score covers the question."""
    on_cube = [k for k, i in enumerate(sheet.cube_column) if i is not None]
    cube_questions = [i for i in sheet.cube_column if i is not None]
    entries = inp.evaluators
    none: list[tuple[MissingScore, ...]] = [() for _ in panel.vendors]
    if not on_cube or not entries or not panel.vendors:
        return none
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
    rows, columns, evaluators = np.nonzero(missing)
    if not len(rows):
        return none
    questions = [sheet.keys[k] for k in on_cube]
    listed = [
        MissingScore(questions[q], entries[n].key)
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
