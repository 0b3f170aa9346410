"""What the weights (AHP) pages show: each participant's consistency in words, the
combined weights beside the current ones, and the comparison form's rows.

Pure functions of the `AhpPanel` (rfp.areas.weights.queries), the AHP results and the
comparison form; the templates only lay them out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from rfp.areas.weights.forms import (
    POSITIONS,
    ComparisonForm,
    ScalePosition,
    pairs_of,
    position_of,
)
from rfp.areas.weights.operations import percent_weights, weights_fingerprint
from rfp.areas.weights.queries import AhpPanel, Participant
from rfp.domain.decision.ahp import CR_ACCEPTABLE, AhpResult, Judgment
from rfp.domain.vocabulary import Role

EQUAL_WITHIN = 1.15  # an implied ratio below this reads "about equally important"
COMBINED = "combined"  # `who` of the combined comparison


def _times(value: float) -> str:
    """7 -> "7", 2.04 -> "2", 2.46 -> "2.5"."""
    return f"{value:.1f}".removesuffix(".0")


def _rated(given: float, a: str, b: str) -> str:
    if abs(given - 1.0) < 1e-9:
        return f"{a} and {b} as equally important"
    if given > 1:
        return f"{a} {_times(given)}× as important as {b}"
    return f"{b} {_times(1 / given)}× as important as {a}"


def inconsistency_sentence(
    judgment: Judgment, names: Mapping[str, str], who: str | None = None
) -> str:
    """The judgment that strays furthest from the weights, in words:
    "You rated Cost 7× as important as Compliance, but your other answers imply about
    2×." `who` is a participant's name, None for "you", or COMBINED."""
    a = names.get(judgment.row_key, judgment.row_key)
    b = names.get(judgment.column_key, judgment.column_key)
    given, implied = judgment.given, judgment.consistent
    if who == COMBINED:
        text = (
            f"Combined, the participants rate {_rated(given, a, b)}, but the other answers imply "
        )
    else:
        subject, their = (who, "their") if who else ("You", "your")
        text = f"{subject} rated {_rated(given, a, b)}, but {their} other answers imply "
    if max(implied, 1 / implied) < EQUAL_WITHIN:
        return text + "they are about equally important."
    same_way = (given >= 1) == (implied >= 1) and abs(given - 1.0) > 1e-9
    if same_way:
        return text + f"about {_times(max(implied, 1 / implied))}×."
    if implied > 1:
        return text + f"{a} is about {_times(implied)}× as important as {b}."
    return text + f"{b} is about {_times(1 / implied)}× as important as {a}."


@dataclass(frozen=True)
class Consistency:
    cr: float | None
    acceptable: bool
    sentence: str | None  # the most inconsistent judgment, in words (when CR > 0.10)
    note: str | None  # why CR is not computed, when it is not


def consistency(analysis: AhpResult, names: Mapping[str, str], who: str | None) -> Consistency:
    sentence = None
    if analysis.cr is not None and analysis.cr > CR_ACCEPTABLE and analysis.most_inconsistent:
        sentence = inconsistency_sentence(analysis.most_inconsistent, names, who)
    note = analysis.warning if analysis.cr is None else None
    return Consistency(analysis.cr, analysis.acceptable, sentence, note)


@dataclass(frozen=True)
class ParticipantRow:
    membership_id: int
    name: str
    role: Role
    invited: bool
    status: str  # "not invited", "waiting", "filled in", "criteria changed"
    updated_at: datetime | None
    consistency: Consistency | None
    weights: dict[str, float] | None  # their own AHP weights, 0..1


@dataclass(frozen=True)
class WeightRow:
    key: str
    name: str
    current: float  # current normalised weight, 0..1
    ahp: float | None  # the combined AHP weight, 0..1
    applied: float | None  # the percentage that applying writes
    change_pp: float | None  # applied - current, in percentage points


@dataclass(frozen=True)
class WeightsPage:
    criteria_count: int
    participants: tuple[ParticipantRow, ...]
    counted: tuple[ParticipantRow, ...]  # in the combined result
    combined: AhpResult | None
    combined_consistency: Consistency | None
    weights: tuple[WeightRow, ...]
    fingerprint: str | None
    invited: int
    filled: int


def _status(p: Participant) -> str:
    if not p.invited:
        return "not invited"
    if p.stale:
        return "criteria changed"
    return "filled in" if p.analysis is not None else "waiting"


def build_weights_page(panel: AhpPanel) -> WeightsPage:
    names = panel.names
    rows = tuple(
        ParticipantRow(
            membership_id=p.membership_id,
            name=p.name,
            role=p.role,
            invited=p.invited,
            status=_status(p),
            updated_at=p.updated_at,
            consistency=consistency(p.analysis, names, p.name) if p.analysis else None,
            weights=p.analysis.weights_by_key if p.analysis else None,
        )
        for p in panel.participants
    )
    combined = panel.combined
    applied = percent_weights(combined.weights_by_key) if combined else None
    weights = tuple(
        WeightRow(
            key=c.key,
            name=c.name,
            current=c.share,
            ahp=combined.weights_by_key[c.key] if combined else None,
            applied=applied[c.key] if applied else None,
            change_pp=(applied[c.key] - 100 * c.share) if applied else None,
        )
        for c in panel.criteria
    )
    return WeightsPage(
        criteria_count=len(panel.criteria),
        participants=rows,
        counted=tuple(r for r, p in zip(rows, panel.participants, strict=True) if p.counted),
        combined=combined,
        combined_consistency=consistency(combined, names, COMBINED) if combined else None,
        weights=weights,
        fingerprint=weights_fingerprint(applied) if applied else None,
        invited=sum(1 for p in panel.participants if p.invited),
        filled=sum(1 for p in panel.participants if p.counted),
    )


# -- the comparison form -----------------------------------------------------------------


@dataclass(frozen=True)
class PairRow:
    field: str
    left: str  # criterion names
    right: str
    selected: str | None  # the radio value checked
    error: str | None
    positions: tuple[tuple[ScalePosition, str], ...]  # (position, its label in words)


def pair_rows(
    criteria: Sequence[tuple[str, str]],
    matrix: Sequence[Sequence[float]] | None,
    submitted: ComparisonForm | None = None,
) -> tuple[PairRow, ...]:
    """One row per pair (i < j) in the criteria's order, checked as it was sent in a
    `submitted` form that was refused, else from the stored matrix."""
    rows = []
    for pair in pairs_of(criteria):
        field = submitted.pair(pair) if submitted is not None else None
        selected: str | None = None
        if field is not None and field.raw_data:
            selected = field.raw_data[0] or None
        elif matrix is not None:
            selected = position_of(matrix[pair.i][pair.j])
        rows.append(
            PairRow(
                field=pair.field,
                left=pair.left_name,
                right=pair.right_name,
                selected=selected,
                error=field.errors[0] if field is not None and field.errors else None,
                positions=tuple(
                    (p, p.describe(pair.left_name, pair.right_name)) for p in POSITIONS
                ),
            )
        )
    return tuple(rows)
