"""Evaluator normalisation (an evaluation setting, off by default).

Each evaluator's counted scores become z-scores over their own scores, rescaled to the
panel's mean and spread (over every counted score of the evaluation) and clamped to the
scale: x -> panel_mean + (x - own_mean) / own_sd * panel_sd. An evaluator whose scores
do not vary is left as they are. It corrects a systematically lenient or severe
evaluator; dispersion flags keep reading the raw scores the evaluators gave.
"""

from __future__ import annotations

import math
import statistics
import sys
from collections import defaultdict
from fractions import Fraction

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
    panel_mean, panel_sd = _mean_and_sd(panel)
    if panel_sd <= 0:
        return counted
    rescale: dict[str, tuple[float, float]] = {}
    for evaluator, values in own.items():
        mean, sd = _mean_and_sd(values)
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


def _mean_and_sd(values: list[float]) -> tuple[float, float]:
    """statistics.fmean and statistics.pstdev about it: by `fmean` and `pstdev` below
    when every value is a float or an int a float holds exactly (the same floats),
    else by the statistics module itself."""
    if set(map(type, values)) <= {float, int} and max(map(abs, values)) < 2.0**53:
        array = np.array(values, dtype=np.float64)
        mean = fmean(array)
        return mean, pstdev(array, mean)
    mean = statistics.fmean(values)
    return mean, statistics.pstdev(values, mean)


def normalise_panel(
    values: NDArray[np.float64], present: NDArray[np.bool_], lo: float, hi: float
) -> NDArray[np.float64]:
    """The same rescaling on the engine's cube (vendor x question x evaluator): each
    evaluator's present scores rescaled to the panel, with the very statistics
    `normalise_counted` takes (`fmean` and `pstdev` of the same scores, to the bit)."""
    panel = values[present]
    if panel.size < 2:
        return values
    panel_mean = fmean(panel)
    panel_sd = pstdev(panel, panel_mean)
    if panel_sd <= 0:
        return values
    out = values.copy()
    for e in range(values.shape[-1]):
        given = present[..., e]
        own = values[..., e][given]
        if own.size == 0:
            continue
        mean = fmean(own)
        sd = pstdev(own, mean)
        if sd > 0:
            rescaled = panel_mean + (values[..., e] - mean) / sd * panel_sd
            out[..., e] = np.where(given, np.minimum(hi, np.maximum(lo, rescaled)), 0.0)
    return out


def fmean(values: NDArray[np.float64]) -> float:
    """`statistics.fmean(values)`: the correctly rounded sum over the count."""
    return math.fsum(values.tolist()) / values.size


def pstdev(values: NDArray[np.float64], mean: float) -> float:
    """`statistics.pstdev(values, mean)`, the same float, in a fraction of the time.

    The statistics module sums the squared deviations (each computed in floating point)
    exactly, as a fraction, and takes the correctly rounded square root of that sum
    over the count. Scores take a handful of distinct values, so the exact sum is taken
    over the distinct squares times how often each occurs.
    """
    deviations = values - mean
    squares, counts = np.unique(deviations * deviations, return_counts=True)
    total = sum(
        (
            Fraction(square) * count
            for square, count in zip(squares.tolist(), counts.tolist(), strict=True)
        ),
        Fraction(0),
    )
    mean_square = total / values.size
    return _sqrt_of_fraction(mean_square.numerator, mean_square.denominator)


def _sqrt_of_fraction(n: int, m: int) -> float:
    """The square root of n/m, correctly rounded to a float; CPython's statistics
    module's own method (`_float_sqrt_of_frac`, round-to-odd then one rounding)."""
    q = (n.bit_length() - m.bit_length() - _SQRT_BIT_WIDTH) // 2
    if q >= 0:
        return (_isqrt_of_fraction_rto(n, m << 2 * q) << q) / 1
    return _isqrt_of_fraction_rto(n << -2 * q, m) / (1 << -q)


_SQRT_BIT_WIDTH = 2 * sys.float_info.mant_dig + 3


def _isqrt_of_fraction_rto(n: int, m: int) -> int:
    """The square root of n/m rounded to an integer, to odd."""
    a = math.isqrt(n // m)
    return a | (a * a * m != n)
