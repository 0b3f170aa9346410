"""Evaluator normalisation (an evaluation setting, off by default).

Each evaluator's counted scores become z-scores over their own scores, rescaled to the
panel's mean and spread (over every counted score of the evaluation) and clamped to the
scale: x -> panel_mean + (x - own_mean) / own_sd * panel_sd. An evaluator whose scores
do not vary is left as they are. It corrects a systematically lenient or severe
evaluator; dispersion flags keep reading the raw scores the evaluators gave.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

import numpy as np
from numpy.typing import NDArray

Counted = dict[tuple[str, str], dict[str, float]]


def normalise_counted(counted: Counted, lo: float, hi: float) -> Counted:
    """{(vendor, question): {evaluator: score}} with every evaluator rescaled to the panel."""
    own: dict[str, list[float]] = defaultdict(list)
    for by_evaluator in counted.values():
        for evaluator, value in by_evaluator.items():
            own[evaluator].append(value)
    panel = [v for values in own.values() for v in values]
    if len(panel) < 2:
        return counted
    panel_mean = statistics.fmean(panel)
    panel_sd = statistics.pstdev(panel, panel_mean)
    if panel_sd <= 0:
        return counted
    rescale: dict[str, tuple[float, float]] = {}
    for evaluator, values in own.items():
        mean = statistics.fmean(values)
        sd = statistics.pstdev(values, mean)
        if sd > 0:
            rescale[evaluator] = (mean, sd)

    def transform(evaluator: str, value: float) -> float:
        if evaluator not in rescale:
            return value
        mean, sd = rescale[evaluator]
        return min(hi, max(lo, panel_mean + (value - mean) / sd * panel_sd))

    return {
        pair: {e: transform(e, value) for e, value in by_evaluator.items()}
        for pair, by_evaluator in counted.items()
    }


def normalise_panel(
    values: NDArray[np.float64], present: NDArray[np.bool_], lo: float, hi: float
) -> NDArray[np.float64]:
    """The same rescaling on the engine's cube (vendor x question x evaluator): each
    evaluator's present scores rescaled to the panel; the statistics are the same
    `statistics` calls on the same scores, so the figures are identical."""
    panel = values[present].tolist()
    if len(panel) < 2:
        return values
    panel_mean = statistics.fmean(panel)
    panel_sd = statistics.pstdev(panel, panel_mean)
    if panel_sd <= 0:
        return values
    out = values.copy()
    for e in range(values.shape[-1]):
        own = values[..., e][present[..., e]]
        if own.size == 0:
            continue
        scores = own.tolist()
        mean = statistics.fmean(scores)
        sd = statistics.pstdev(scores, mean)
        if sd > 0:
            rescaled = panel_mean + (values[..., e] - mean) / sd * panel_sd
            out[..., e] = np.where(present[..., e], np.minimum(hi, np.maximum(lo, rescaled)), 0.0)
    return out
