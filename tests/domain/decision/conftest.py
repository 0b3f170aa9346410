"""Factories for decision-support tests: engine inputs with criterion scores set directly."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import pytest

from rfp.domain.scoring.model import (
    ConsensusScore,
    Criterion,
    Question,
    Scale,
    ScoringInput,
    Vendor,
)


def criterion_input(
    scores: Mapping[str, Mapping[str, float]],
    weights: Mapping[str, float],
    *,
    disqualified: Iterable[str] = (),
    names: Mapping[str, str] | None = None,
) -> ScoringInput:
    """vendor -> {criterion: score 0..100}, criterion -> weight. One question per
    criterion, its score fixed by consensus on a 0..100 scale, so a vendor's criterion
    score is exactly the number given. Disqualified vendors fail a knockout."""
    keys = list(weights)
    criteria = tuple(
        Criterion(
            key=k,
            name=k.replace("_", " ").capitalize(),
            weight=float(weights[k]),
            questions=(Question(f"{k}_q"),)
            + ((Question("must_have", kind="knockout"),) if i == 0 else ()),
        )
        for i, k in enumerate(keys)
    )
    out = set(disqualified)
    vendors = tuple(
        Vendor(
            key=v,
            name=(names or {}).get(v, v.capitalize()),
            knockouts={"must_have": v not in out},
        )
        for v in scores
    )
    consensus = tuple(
        ConsensusScore(v, f"{k}_q", float(s)) for v, row in scores.items() for k, s in row.items()
    )
    return ScoringInput(
        criteria=criteria, vendors=vendors, consensus=consensus, scale=Scale(0.0, 100.0)
    )


@pytest.fixture
def make_criterion_input() -> Callable[..., ScoringInput]:
    return criterion_input
