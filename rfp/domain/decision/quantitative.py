"""Quantitative questions: a number from the vendor, scored by the lead's bands.

Agent attrition %, hours of time-zone overlap, years serving similar clients: facts, so
they are scored the same way for every vendor. A band matches a number x when
min <= x < max (either end may be open); the first matching band wins; a number no band
covers scores nothing (None), which leaves the question unscored and the vendor
incomplete, because the gap is in the bands, not in the vendor.

The engine does the scoring (a `Question` with `bands` and a `Vendor` with `numbers`):
its question score is the band's score, evaluators are not expected to score it, and a
consensus score, recorded with a rationale, still overrides it. This module attaches
bands and numbers to an input, checks bands, and describes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from rfp.domain.scoring.model import Band, Scale, ScoringInput, band_score, bands_from_json

__all__ = [
    "Band",
    "band_errors",
    "band_score",
    "bands_from_json",
    "computed_scores",
    "describe_band",
    "with_quantitative",
]


def band_errors(bands: Sequence[Band], scale: Scale, *, path: str = "bands") -> list[str]:
    """What is wrong with a set of bands: none given, ends out of order, a score off the
    scale. Overlaps are allowed (the first matching band wins) and so are gaps."""
    if not bands:
        return [f"{path}: at least one band is needed"]
    errors = []
    for i, band in enumerate(bands):
        if band.lo is not None and band.hi is not None and band.lo >= band.hi:
            errors.append(f"{path}[{i}].max: must be greater than min")
        if not scale.lo <= band.score <= scale.hi:
            errors.append(f"{path}[{i}].score: must be between {scale.lo:g} and {scale.hi:g}")
    return errors


def describe_band(band: Band, unit: str = "") -> str:
    """ "6 h or more", "4 to under 6 h", "under 4 h", "any number"."""
    suffix = f" {unit}" if unit else ""
    if band.lo is None and band.hi is None:
        return "any number"
    if band.hi is None:
        return f"{band.lo:g}{suffix} or more"
    if band.lo is None:
        return f"under {band.hi:g}{suffix}"
    return f"{band.lo:g} to under {band.hi:g}{suffix}"


def with_quantitative(
    inp: ScoringInput,
    *,
    bands: Mapping[str, Sequence[Band]],
    numbers: Mapping[str, Mapping[str, float]],
) -> ScoringInput:
    """The input with these questions scored by bands from each vendor's number.

    `bands`: question key -> bands; `numbers`: vendor key -> {question key: number}.
    Every vendor gets its computed score on those questions and no evaluator score is
    expected for them. Raises ValueError on a question that is not a scored question
    of this evaluation, or a vendor that is not in it.
    """
    scored = {q.key for c in inp.criteria for q in c.questions if q.kind == "scored"}
    unknown = sorted(set(bands) - scored)
    if unknown:
        raise ValueError(f"bands: not scored questions of this evaluation: {', '.join(unknown)}")
    vendor_keys = {v.key for v in inp.vendors}
    strangers = sorted(set(numbers) - vendor_keys)
    if strangers:
        raise ValueError(f"numbers: not vendors of this evaluation: {', '.join(strangers)}")
    criteria = tuple(
        replace(
            c,
            questions=tuple(
                replace(q, bands=tuple(bands[q.key])) if q.key in bands else q for q in c.questions
            ),
        )
        for c in inp.criteria
    )
    vendors = tuple(
        replace(v, numbers={**v.numbers, **numbers[v.key]}) if v.key in numbers else v
        for v in inp.vendors
    )
    return replace(inp, criteria=criteria, vendors=vendors)


def computed_scores(inp: ScoringInput) -> dict[tuple[str, str], float | None]:
    """(vendor, question) -> the band score on the evaluation's scale, for every vendor
    and quantitative question: what evaluators are shown instead of a score to enter.
    None where the vendor gave no number or no band covers it."""
    out: dict[tuple[str, str], float | None] = {}
    for c in inp.criteria:
        for q in c.questions:
            if not q.computed:
                continue
            assert q.bands is not None
            for v in inp.vendors:
                number = v.numbers.get(q.key)
                out[(v.key, q.key)] = None if number is None else band_score(number, q.bands)
    return out
