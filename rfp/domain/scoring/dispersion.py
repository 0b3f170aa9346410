"""Dispersion (DESIGN.md rule 8): for each (vendor, question) scored by two or more
evaluators, the range of their raw scores, flagged at or above the evaluation's threshold
for calibration, listing who gave what.

Read from the engine's cube; when the scores mix types (4 and 4.0, as hand-built inputs
may) it reads `counted_scores` instead, so that each score is listed as it was given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import compress, repeat

import numpy as np

from rfp.domain.scoring.panel import BoolArray, IndexArray, Panel, spreads
from rfp.domain.scoring.ranking import TIE_TOLERANCE
from rfp.domain.scoring.result import Dispersion, Flag

Counted = Mapping[tuple[str, str], Mapping[str, float]]


def panel_dispersion(
    panel: Panel, agreed: BoolArray, threshold: float
) -> tuple[list[Dispersion], dict[str, list[Flag]]]:
    """Every (vendor, question) with two or more scores, widest range first, then by
    vendor and question key, and the flags of the flagged ones by vendor key.
    `agreed[v, q]`: a consensus score has been recorded."""
    assert panel.as_given is not None
    counts = panel.counts
    v_at, q_at = np.nonzero(counts >= 2)
    ranges = spreads(panel.values, panel.present)[v_at, q_at]
    order = np.lexsort(
        (_sort_rank(panel.questions)[q_at], _sort_rank(panel.vendors)[v_at], -ranges)
    )
    v_at, q_at, ranges = v_at[order], q_at[order], ranges[order]

    # At or above, to within the tie tolerance: 0.3 - 0.1 is 0.1999...
    flagged = (ranges >= threshold - TIE_TOLERANCE).tolist()
    resolved = agreed[v_at, q_at].tolist()
    as_given = panel.as_given[v_at, q_at]
    listed = (ranges.astype(np.int64) if as_given.dtype.kind == "i" else ranges).tolist()
    evaluators = panel.evaluators
    # Built with map() rather than loops: thousands of each on a large evaluation.
    if bool((counts[v_at, q_at] == len(evaluators)).all()):
        # Each zip takes the next len(evaluators) scores off the one iterator.
        given = iter(as_given.ravel().tolist())
        scores = list(map(dict, map(zip, repeat(evaluators, len(v_at)), repeat(given))))
    else:
        marks = panel.present[v_at, q_at].tolist()
        scores = [
            dict(zip(compress(evaluators, mark), compress(row, mark), strict=True))
            for row, mark in zip(as_given.tolist(), marks, strict=True)
        ]
    vendors = list(map(panel.vendors.__getitem__, v_at.tolist()))
    questions = list(map(panel.questions.__getitem__, q_at.tolist()))
    # Thousands of entries and flags: each assembled in place, as result.assembled does.
    new, assemble = object.__new__, object.__setattr__
    dispersion: list[Dispersion] = []
    flags: dict[str, list[Flag]] = defaultdict(list)
    # The same few wordings recur (a question's range is one of a handful of values):
    # each is written once.
    wordings: dict[str, dict[float, str]] = defaultdict(dict)
    for vendor, question, listed_scores, spread, flag, done in zip(
        vendors, questions, scores, listed, flagged, resolved, strict=True
    ):
        entry = new(Dispersion)
        assemble(
            entry,
            "__dict__",
            {
                "vendor": vendor,
                "question": question,
                "scores": listed_scores,
                "spread": spread,
                "flagged": flag,
                "resolved": done,
            },
        )
        dispersion.append(entry)
        if flag:
            by_spread = wordings[question]
            message = by_spread.get(spread)
            if message is None:
                message = by_spread[spread] = _flag_message(question, spread)
            shown = new(Flag)
            assemble(
                shown,
                "__dict__",
                {
                    "kind": "dispersion",
                    "message": message + _RESOLVED if done else message,
                    "question": question,
                    "detail": {"range": spread, "scores": listed_scores, "resolved": done},
                },
            )
            flags[vendor].append(shown)
    return dispersion, flags


_RESOLVED = " (consensus recorded)"


def _flag_message(question: str, spread: float) -> str:
    return f"Evaluators' scores on {question} range over {spread:g} points"


def _sort_rank(keys: tuple[str, ...]) -> IndexArray:
    """Each key's place in sorted order."""
    rank = np.empty(len(keys), dtype=np.intp)
    rank[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
    return rank


def counted_dispersion(
    counted: Counted, agreed: Mapping[tuple[str, str], object], threshold: float
) -> list[Dispersion]:
    """The same from {(vendor, question): {evaluator: raw score}}, scores as given."""
    dispersion = []
    for (vendor, question), by_evaluator in counted.items():
        if len(by_evaluator) < 2:
            continue
        spread = max(by_evaluator.values()) - min(by_evaluator.values())
        dispersion.append(
            Dispersion(
                vendor=vendor,
                question=question,
                scores=dict(sorted(by_evaluator.items())),
                spread=spread,
                # At or above, to within the tie tolerance: 0.3 - 0.1 is 0.1999...
                flagged=spread >= threshold - TIE_TOLERANCE,
                resolved=(vendor, question) in agreed,
            )
        )
    dispersion.sort(key=lambda d: (-d.spread, d.vendor, d.question))
    return dispersion


def dispersion_flags(dispersion: Sequence[Dispersion]) -> dict[str, list[Flag]]:
    """The flag each flagged entry puts beside its vendor's figures, by vendor key, in
    the dispersion's order."""
    flags: dict[str, list[Flag]] = defaultdict(list)
    for d in dispersion:
        if d.flagged:
            message = _flag_message(d.question, d.spread)
            flags[d.vendor].append(
                Flag(
                    "dispersion",
                    message + _RESOLVED if d.resolved else message,
                    d.question,
                    {"range": d.spread, "scores": d.scores, "resolved": d.resolved},
                )
            )
    return flags
