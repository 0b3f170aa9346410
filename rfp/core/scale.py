"""The evaluation's scale: the points a score, a consensus score or a reference rating
may take, and their anchor texts (DESIGN.md: "a score on the evaluation's scale (default
0 to 5, each point with an anchor text)")."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from rfp import models as m
from rfp.core.refusal import Refused


class ScaleError(Refused):
    """A value that is not a point of the scale (bad input): `field` names the input.

    Its message is a sentence for a form to show under the field ("Choose a point of the
    scale."); `reason` is the same as a fragment, for a caller that puts it in its own
    words (a scorecard names the question first).
    """

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(field, reason[:1].upper() + reason[1:] + ".")
        self.reason = reason


def scale_points(evaluation: m.Evaluation) -> tuple[float, ...]:
    """The points a score may take: every whole number in [min, max], the two ends, and
    any point an anchor text is written for."""
    lo, hi = evaluation.scale_min, evaluation.scale_max
    points = {float(lo), float(hi)}
    points.update(float(n) for n in range(math.ceil(lo), math.floor(hi) + 1))
    for key in evaluation.anchors or {}:
        try:
            point = float(key)
        except ValueError:
            continue
        if lo <= point <= hi:
            points.add(point)
    return tuple(sorted(points))


def point_label(value: float) -> str:
    return f"{value:g}"


def anchor_of(evaluation: m.Evaluation, value: float) -> str:
    for key, text in (evaluation.anchors or {}).items():
        try:
            if float(key) == value:
                return text
        except ValueError:
            continue
    return ""


def parse_point(evaluation: m.Evaluation, raw: Any, *, field: str = "score") -> float:
    """A value from a form or JSON as a point of the scale, or ScaleError naming `field`."""
    if raw is None or isinstance(raw, bool) or (isinstance(raw, str) and not raw.strip()):
        raise ScaleError(field, "choose a point of the scale")
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ScaleError(field, f"{raw!r} is not a number") from None
    points = scale_points(evaluation)
    if not math.isfinite(value) or value not in points:
        allowed = ", ".join(point_label(p) for p in points)
        raise ScaleError(field, f"must be one of the scale's points ({allowed})")
    return value


def is_extreme(evaluation: m.Evaluation, value: float) -> bool:
    return value in (evaluation.scale_min, evaluation.scale_max)


@dataclass(frozen=True)
class ScalePoint:
    """A point of the scale as a form shows it: a radio button with its anchor text."""

    value: float
    label: str
    anchor: str
    extreme: bool


def scale_of(evaluation: m.Evaluation) -> list[ScalePoint]:
    """The evaluation's scale as the radio buttons and the legend show it
    (templates/macros/scale.html)."""
    return [
        ScalePoint(
            value=p,
            label=point_label(p),
            anchor=anchor_of(evaluation, p),
            extreme=is_extreme(evaluation, p),
        )
        for p in scale_points(evaluation)
    ]
