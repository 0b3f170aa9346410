"""Canonical scenario document -> the engine's plain input."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import compress, repeat
from operator import contains, itemgetter
from typing import Any

from rfp.domain.scoring.model import (
    Abstention,
    Band,
    ConsensusScore,
    CostScope,
    Criterion,
    Evaluator,
    Pricing,
    Question,
    RateLine,
    ReferenceCall,
    Scale,
    Score,
    ScoringInput,
    Settings,
    VolumeTier,
    bands_from_json,
)
from rfp.domain.scoring.model import Vendor as EngineVendor
from rfp.scenario.amendments import amendment_of, as_amended
from rfp.scenario.pilot import award_shares_of, pilot_plan_of
from rfp.scenario.pricing import mix_shares


def settings_of(evaluation: dict[str, Any]) -> Settings:
    return Settings(
        aggregation=evaluation["aggregation"],
        dispersion_threshold=float(evaluation["dispersion_threshold"]),
        price_formula=evaluation["price_formula"],
        price_zero_multiple=float(evaluation["price_zero_multiple"]),
        normalise_evaluators=bool(evaluation.get("normalise_evaluators", False)),
    )


def cost_scope_of(scope: dict[str, Any]) -> CostScope | None:
    """The cost fields of a scope, or None when the volumes needed are not given."""
    if any(scope.get(f) is None for f in ("contacts_per_month", "aht_minutes", "term_months")):
        return None
    inhouse = scope.get("inhouse_rate")
    return CostScope(
        contacts_per_month=float(scope["contacts_per_month"]),
        aht_minutes=float(scope["aht_minutes"]),
        term_months=float(scope["term_months"]),
        occupancy=float(scope.get("occupancy") or 0.8),
        fte_hours_per_month=float(scope.get("fte_hours_per_month") or 160),
        governance_overhead_pct=float(scope.get("governance_overhead_pct") or 0),
        inhouse_rate=None if inhouse is None else float(inhouse),
        channel_mix=mix_shares(scope, "channel_mix"),
        language_mix=mix_shares(scope, "language_mix"),
    )


def bands_of(question: dict[str, Any]) -> tuple[Band, ...] | None:
    """The score bands of a quantitative question, or None when evaluators score it."""
    bands = question.get("bands")
    if bands is None or question.get("answer_type", "text") != "number":
        return None
    return bands_from_json(bands)


def criteria_of(criteria: list[dict[str, Any]]) -> tuple[Criterion, ...]:
    return tuple(
        Criterion(
            key=c["key"],
            name=c["name"],
            weight=float(c["weight"]),
            kind=c["kind"],
            questions=tuple(
                Question(key=q["key"], kind=q["kind"], weight=float(q["weight"]), bands=bands_of(q))
                for q in c["questions"]
            ),
        )
        for c in criteria
    )


def pricing_of(pricing: dict[str, Any] | None) -> Pricing | None:
    if pricing is None:
        return None
    return Pricing(
        model=pricing["model"],
        rate=float(pricing["rate"]),
        setup_fee=float(pricing["setup_fee"]),
        monthly_fee=float(pricing["monthly_fee"]),
        lines=tuple(
            RateLine(rate=float(line["rate"]), channel=line["channel"], language=line["language"])
            for line in pricing.get("lines") or ()
        ),
        tiers=tuple(
            VolumeTier(
                above_contacts=float(tier["above_contacts"]),
                discount_pct=_float_or_none(tier.get("discount_pct")),
                rate=_float_or_none(tier.get("rate")),
            )
            for tier in pricing.get("tiers") or ()
        ),
    )


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def scores_of(rows: list[dict[str, Any]], active: set[str]) -> tuple[Score, ...]:
    """The engine's scores from canonical score rows, those of active evaluators only
    (abstentions are not scores: see `abstentions_of`).

    Column by column, all in C (itemgetter, map, tuple.__new__): tens of thousands of
    rows are the bulk of a large evaluation's input."""
    if any(map(contains, rows, repeat("abstain"))):
        rows = [row for row in rows if "abstain" not in row]
    evaluators = list(map(itemgetter("evaluator"), rows))
    columns = (
        evaluators,
        map(itemgetter("vendor"), rows),
        map(itemgetter("question"), rows),
        map(float, map(itemgetter("score"), rows)),
    )
    scores: Iterator[Score] = map(tuple.__new__, repeat(Score), zip(*columns, strict=True))
    if not set(evaluators) <= active:
        scores = compress(scores, map(active.__contains__, evaluators))
    return tuple(scores)


def vendor_of(vendor: dict[str, Any]) -> EngineVendor:
    """The engine's vendor from a canonical one: its response as amended, and the
    amendments beside it (passed through to the result)."""
    amended = as_amended(vendor)
    return EngineVendor(
        key=vendor["key"],
        name=vendor["name"],
        delivery_model=vendor["model"],
        pricing=pricing_of(amended["pricing"]),
        knockouts=dict(amended["knockouts"]),
        numbers={key: float(n) for key, n in amended["numbers"].items()},
        amendments=tuple(amendment_of(a) for a in vendor.get("amendments", ())),
    )


def abstentions_of(rows: list[dict[str, Any]], active: set[str]) -> tuple[Abstention, ...]:
    """The abstentions among canonical score rows, those of active evaluators only."""
    if not any(map(contains, rows, repeat("abstain"))):
        return ()
    return tuple(
        Abstention(row["evaluator"], row["vendor"], row["question"], row["reason"])
        for row in rows
        if "abstain" in row and row["evaluator"] in active
    )


def scenario_to_input(doc: dict[str, Any]) -> ScoringInput:
    """The engine input for a canonical scenario (see schema.normalise_scenario)."""
    ev = doc["evaluation"]
    active = {e["key"] for e in doc["evaluators"] if e["active"]}
    return ScoringInput(
        criteria=criteria_of(doc["criteria"]),
        vendors=tuple(vendor_of(v) for v in doc["vendors"]),
        evaluators=tuple(
            Evaluator(
                key=e["key"],
                name=e["name"],
                criteria=None if e["criteria"] is None else frozenset(e["criteria"]),
            )
            for e in doc["evaluators"]
            if e["active"]
        ),
        scores=scores_of(doc["scores"], active),
        consensus=tuple(
            ConsensusScore(s["vendor"], s["question"], float(s["score"])) for s in doc["consensus"]
        ),
        references=tuple(
            ReferenceCall(r["vendor"], float(r["rating"]), r["would_sign_again"])
            for r in doc["references"]
        ),
        scale=Scale(float(ev["scale"]["min"]), float(ev["scale"]["max"])),
        settings=settings_of(ev),
        cost_scope=cost_scope_of(ev["scope"]),
        conflicts=frozenset((d["evaluator"], d["vendor"]) for d in doc["conflicts"]),
        pilot=pilot_plan_of(doc.get("pilot")),
        award_shares=award_shares_of(ev["award"]),
        abstentions=abstentions_of(doc["scores"], active),
    )
