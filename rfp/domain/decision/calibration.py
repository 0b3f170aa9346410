"""Evaluator calibration: who scores more leniently or severely than the panel.

For every (vendor, question) an evaluator scored together with at least one other
evaluator, the difference between their normalised score (0..100) and the mean of the
others' is one observation; its mean says how lenient (+) or severe (-) they are, its
standard deviation how consistently. Only the scores the engine counts are used (active
evaluator, within their criteria, no conflict, not a quantitative question).

`normalise_scores` is the optional correction: each evaluator's scores become z-scores
over their own scores, rescaled to the panel's mean and standard deviation, clamped to
the scale. Both standard deviations are population ones (over all the scores there
are). An evaluator whose scores are all equal has no spread to rescale and is left as is.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any, Literal

from rfp.domain.scoring.engine import counted_scores
from rfp.domain.scoring.model import ScoringInput
from rfp.domain.scoring.normalisation import normalise_counted

Leaning = Literal["lenient", "severe", "in line", "no shared items"]
# A mean difference of half a point on a 0-5 scale (10 of 100) or more is a leaning.
LEANING_POINTS = 10.0
DRIVERS = 5


@dataclass(frozen=True)
class CalibrationItem:
    """One shared item: the evaluator's raw score against the other evaluators' mean."""

    vendor: str
    question: str
    score: float  # raw, on the evaluation's scale
    others_mean: float  # raw mean of the other evaluators' scores
    difference: float  # normalised points (0..100 scale): score - others_mean

    def to_json(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "question": self.question,
            "score": self.score,
            "others_mean": self.others_mean,
            "difference": self.difference,
        }


@dataclass(frozen=True)
class EvaluatorCalibration:
    evaluator: str
    name: str
    count: int  # shared items
    mean_difference: float | None  # normalised points; + lenient, - severe
    spread: float | None  # sample standard deviation of the differences (2+ items)
    leaning: Leaning
    drivers: tuple[CalibrationItem, ...]  # largest absolute differences first

    def to_json(self) -> dict[str, Any]:
        return {
            "evaluator": self.evaluator,
            "name": self.name,
            "count": self.count,
            "mean_difference": self.mean_difference,
            "spread": self.spread,
            "leaning": self.leaning,
            "drivers": [d.to_json() for d in self.drivers],
        }


@dataclass(frozen=True)
class Calibration:
    evaluators: tuple[EvaluatorCalibration, ...]  # in the input's evaluator order

    def evaluator(self, key: str) -> EvaluatorCalibration:
        return next(e for e in self.evaluators if e.evaluator == key)

    def to_json(self) -> dict[str, Any]:
        return {"evaluators": [e.to_json() for e in self.evaluators]}


def evaluator_calibration(inp: ScoringInput, *, drivers: int = DRIVERS) -> Calibration:
    """Each evaluator's mean difference from the panel on the items they share with it."""
    scale = inp.scale
    points = 100.0 / (scale.hi - scale.lo)  # one raw point in normalised points
    items: dict[str, list[CalibrationItem]] = defaultdict(list)
    for (vendor, question), by_evaluator in sorted(counted_scores(inp).items()):
        if len(by_evaluator) < 2:
            continue
        total = math.fsum(by_evaluator.values())
        for evaluator, score in by_evaluator.items():
            others_mean = (total - score) / (len(by_evaluator) - 1)
            items[evaluator].append(
                CalibrationItem(
                    vendor, question, score, others_mean, (score - others_mean) * points
                )
            )
    out = []
    for e in inp.evaluators:
        mine = items.get(e.key, [])
        differences = [i.difference for i in mine]
        mean = math.fsum(differences) / len(differences) if differences else None
        out.append(
            EvaluatorCalibration(
                evaluator=e.key,
                name=e.name,
                count=len(mine),
                mean_difference=mean,
                spread=statistics.stdev(differences) if len(differences) >= 2 else None,
                leaning=_leaning(mean),
                drivers=tuple(
                    sorted(mine, key=lambda i: (-abs(i.difference), i.vendor, i.question))[:drivers]
                ),
            )
        )
    return Calibration(tuple(out))


def _leaning(mean: float | None) -> Leaning:
    if mean is None:
        return "no shared items"
    if mean >= LEANING_POINTS:
        return "lenient"
    if mean <= -LEANING_POINTS:
        return "severe"
    return "in line"


def normalise_scores(inp: ScoringInput) -> ScoringInput:
    """The same input with each evaluator's counted scores rescaled to the panel.

    x -> panel_mean + (x - own_mean) / own_sd * panel_sd, clamped to the scale (the
    engine's own rule, rfp.domain.scoring.normalisation, which it applies by itself when
    Settings.normalise_evaluators is on). Scores the engine would not count are passed
    through unchanged.
    """
    counted = counted_scores(inp)
    normalised = normalise_counted(counted, inp.scale.lo, inp.scale.hi)
    scores = tuple(
        s._replace(value=normalised[(s.vendor, s.question)][s.evaluator])
        if s.evaluator in counted.get((s.vendor, s.question), {})
        else s
        for s in inp.scores
    )
    return replace(inp, scores=scores)
