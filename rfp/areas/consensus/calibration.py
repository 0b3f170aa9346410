"""Evaluator calibration as the consensus page shows it: each evaluator leaning lenient,
severe or in line against the panel, in points of the evaluation's own scale, with the
items that drive it named (vendor, question, their score against the others' mean).

The figures are `rfp.domain.decision.calibration.evaluator_calibration` on the engine's input:
raw scores, whatever the normalisation setting (that setting changes the aggregate, not
what each evaluator gave).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rfp.domain.decision.calibration import LEANING_POINTS, evaluator_calibration
from rfp.domain.scoring.model import ScoringInput


@dataclass(frozen=True)
class DriverRow:
    vendor: str
    vendor_key: str
    question: str
    question_key: str
    vendor_id: int | None
    question_id: int | None
    score: float  # raw, on the scale
    others_mean: float  # raw
    difference: float  # raw points (+ above the others)


@dataclass(frozen=True)
class EvaluatorRow:
    key: str
    name: str
    leaning: str  # lenient, severe, in line, no shared items
    count: int
    mean_points: float | None  # raw scale points; + lenient
    spread_points: float | None  # sample standard deviation, raw scale points
    mean_normalised: float | None  # the same on 0..100
    drivers: tuple[DriverRow, ...]


@dataclass(frozen=True)
class CalibrationSection:
    evaluators: tuple[EvaluatorRow, ...]
    scale: tuple[float, float]
    leaning_points: float  # raw points from which a mean difference is a leaning
    normalised: bool  # the evaluation normalises evaluators before aggregating


def build_calibration(
    inp: ScoringInput,
    vendor_names: Mapping[str, str],
    question_texts: Mapping[str, str],
    vendor_ids: Mapping[str, int] | None = None,
    question_ids: Mapping[str, int] | None = None,
) -> CalibrationSection:
    calibration = evaluator_calibration(inp)
    vendor_ids = vendor_ids or {}
    question_ids = question_ids or {}
    per_point = (inp.scale.hi - inp.scale.lo) / 100.0  # raw points per normalised point

    def raw(value: float | None) -> float | None:
        return None if value is None else value * per_point

    rows = tuple(
        EvaluatorRow(
            key=e.evaluator,
            name=e.name,
            leaning=e.leaning,
            count=e.count,
            mean_points=raw(e.mean_difference),
            spread_points=raw(e.spread),
            mean_normalised=e.mean_difference,
            drivers=tuple(
                DriverRow(
                    vendor=vendor_names.get(d.vendor, d.vendor),
                    vendor_key=d.vendor,
                    question=question_texts.get(d.question, d.question),
                    question_key=d.question,
                    vendor_id=vendor_ids.get(d.vendor),
                    question_id=question_ids.get(d.question),
                    score=d.score,
                    others_mean=d.others_mean,
                    difference=d.score - d.others_mean,
                )
                for d in e.drivers
            ),
        )
        for e in calibration.evaluators
    )
    return CalibrationSection(
        evaluators=rows,
        scale=(inp.scale.lo, inp.scale.hi),
        leaning_points=LEANING_POINTS * per_point,
        normalised=inp.settings.normalise_evaluators,
    )
