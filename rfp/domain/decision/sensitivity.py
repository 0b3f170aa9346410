"""How much the winner depends on the weights: flip thresholds, rank stability, a verdict.

Criterion scores do not depend on criterion weights, so none of this re-runs the engine:
a vendor's total is the weights times its criterion scores, straight from the Result.

Flip thresholds are exact. When criterion k's normalised weight w_k becomes t and the
other weights are rescaled by (1 - t) / (1 - w_k), each vendor's total is a line in t:
T_v(t) = R_v + t (s_vk - R_v), where s_vk is its score on k and R_v its total over the
other criteria with their weights renormalised. The leader changes where its line meets
another qualified vendor's line; the nearest such crossing in each direction is the
threshold. `verify_threshold` re-runs the engine on either side of one (for tests).

Rank stability (`stability.py`) draws weight vectors from a Dirichlet distribution
centred on the official weights (alpha = concentration * w: the higher, the closer the
draws stay), seeded so that a report repeats. Ties for first are split equally between
the tied vendors, so the first-place shares always sum to 1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rfp.domain.decision.stability import RankStability, VendorStability, rank_stability
from rfp.domain.formatting import joined_names
from rfp.domain.scoring.engine import normalised_weights, score_evaluation
from rfp.domain.scoring.model import ScoringInput
from rfp.domain.scoring.result import Result, VendorResult

__all__ = [
    "CriterionSensitivity",
    "FlipThreshold",
    "RankStability",
    "SensitivityReport",
    "VendorStability",
    "flip_thresholds",
    "leaders_at",
    "rank_stability",
    "reweighted",
    "sensitivity_report",
    "verdict",
    "verify_threshold",
]

Direction = Literal["up", "down"]
SLOPE_EPS = 1e-9  # points per unit of weight: lines this close in slope are parallel
CROSSING_EPS = 1e-12  # crossings this close in weight happen together


@dataclass(frozen=True)
class FlipThreshold:
    """The nearest weight of one criterion, in one direction, at which the leader changes."""

    criterion: str
    direction: Direction
    weight: float  # the criterion's normalised weight (0..1) at the crossing
    change_pp: float  # weight - official weight, in percentage points (signed)
    new_leader: str | None  # who leads just past the threshold; None if several tie
    new_leader_name: str | None
    tied: tuple[str, ...] = ()  # the vendors tied for first just past it, when they tie
    tied_names: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """In words: "rises above 26.3 % (Tanglaw would lead)". The weight is rounded
        outward (down when rising, up when falling) so that "only if" stays true."""
        pct = self.weight * 100
        if self.direction == "up":
            move = f"rises above {_pct_text(math.floor(pct * 10 + 1e-9) / 10)}"
        else:
            move = f"drops below {_pct_text(math.ceil(pct * 10 - 1e-9) / 10)}"
        if self.new_leader_name:
            return f"{move} ({self.new_leader_name} would lead)"
        return f"{move} ({joined_names(self.tied_names)} would tie for first)"

    def to_json(self) -> dict[str, Any]:
        return {
            "weight": self.weight,
            "change_pp": self.change_pp,
            "new_leader": self.new_leader,
            "new_leader_name": self.new_leader_name,
            "tied": list(self.tied),
            "text": self.text,
        }


@dataclass(frozen=True)
class CriterionSensitivity:
    criterion: str
    name: str
    weight: float  # official normalised weight
    up: FlipThreshold | None  # None: no weight up to 100 % changes the leader
    down: FlipThreshold | None  # None: no weight down to 0 % changes the leader
    note: str | None = None  # why a direction cannot be explored, when it cannot

    @property
    def summary(self) -> str:
        """What moving this weight does, in words, for tables and reports."""
        moves = [t.text for t in (self.up, self.down) if t is not None]
        return "; ".join(moves) if moves else (self.note or "none within 0 to 100 %")

    def to_json(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "name": self.name,
            "weight": self.weight,
            "up": self.up.to_json() if self.up else None,
            "down": self.down.to_json() if self.down else None,
            "note": self.note,
            "summary": self.summary,
        }


@dataclass(frozen=True)
class SensitivityReport:
    leaders: tuple[str, ...]  # rank 1 at the official weights (several when tied)
    criteria: tuple[CriterionSensitivity, ...]
    stability: RankStability
    closest: FlipThreshold | None
    verdict: str

    @property
    def leader(self) -> str | None:
        return self.leaders[0] if len(self.leaders) == 1 else None

    def to_json(self) -> dict[str, Any]:
        return {
            "leader": self.leader,
            "tied_for_first": list(self.leaders) if len(self.leaders) > 1 else [],
            "verdict": self.verdict,
            "closest": (
                {"criterion": self.closest.criterion, "direction": self.closest.direction}
                | self.closest.to_json()
                if self.closest
                else None
            ),
            "thresholds": [c.to_json() for c in self.criteria],
            "stability": self.stability.to_json(),
        }


# -- flip thresholds ------------------------------------------------------------------


def flip_thresholds(inp: ScoringInput, result: Result) -> tuple[CriterionSensitivity, ...]:
    """For each criterion, the nearest weight up and down at which the leader changes."""
    weights = normalised_weights(inp.criteria)
    qualified = list(result.ranked)
    names = {v.key: v.name for v in qualified}
    leaders = tuple(v.key for v in qualified if v.rank == 1)
    out = []
    for c in inp.criteria:
        w = weights[c.key]
        note = None
        up = down = None
        if len(inp.criteria) < 2:
            note = "a single criterion: there are no other weights to rescale"
        elif math.fsum(weights.values()) <= 0:
            note = "no criterion has a weight"
        elif len(qualified) < 2:
            note = "fewer than two qualified vendors: the lead cannot change"
        elif w >= 1.0:
            note = "the other criteria have no weight to rescale"
        else:
            lines = _lines(qualified, c.key, weights)
            up = _nearest_flip(c.key, "up", w, lines, leaders, names)
            if w > 0:
                down = _nearest_flip(c.key, "down", w, lines, leaders, names)
        out.append(CriterionSensitivity(c.key, c.name, w, up, down, note))
    return tuple(out)


def _lines(
    vendors: Sequence[VendorResult], criterion: str, weights: dict[str, float]
) -> dict[str, tuple[float, float]]:
    """vendor -> (intercept R_v, slope s_vk - R_v) of its total as a function of w_k."""
    rest = 1.0 - weights[criterion]
    lines = {}
    for v in vendors:
        others = math.fsum(
            score * weights[key] for key, score in v.criteria.items() if key != criterion
        )
        intercept = others / rest
        lines[v.key] = (intercept, v.criteria[criterion] - intercept)
    return lines


def _nearest_flip(
    criterion: str,
    direction: Direction,
    w0: float,
    lines: dict[str, tuple[float, float]],
    leaders: tuple[str, ...],
    names: dict[str, str],
) -> FlipThreshold | None:
    """Walk from w0 in one direction to the first change of who leads.

    u >= 0 is the distance moved; along it vendor v's total is T_v(w0) + sign * m_v * u.
    """
    sign = 1.0 if direction == "up" else -1.0
    room = 1.0 - w0 if direction == "up" else w0
    at_start = {key: b + m * w0 for key, (b, m) in lines.items()}
    rate = {key: sign * m for key, (_b, m) in lines.items()}

    def threshold(u: float, top: list[str]) -> FlipThreshold:
        single = top[0] if len(top) == 1 else None
        tied = () if single else tuple(sorted(top, key=lambda k: (names[k], k)))
        return FlipThreshold(
            criterion=criterion,
            direction=direction,
            weight=min(1.0, max(0.0, w0 + sign * u)),
            change_pp=100.0 * sign * u,
            new_leader=single,
            new_leader_name=names[single] if single else None,
            tied=tied,
            tied_names=tuple(names[k] for k in tied),
        )

    # A tie at the official weights: the tied vendor rising fastest leads at once.
    steepest = max(rate[k] for k in leaders)
    front = [k for k in leaders if rate[k] >= steepest - SLOPE_EPS]
    if len(front) < len(leaders):
        return threshold(0.0, front)

    # Otherwise the nearest crossing of the leader's line (or the tied group's) by another.
    head = front[0]
    crossings: list[tuple[float, str]] = []
    for key in lines:
        if key in front:
            continue
        gain = rate[key] - rate[head]
        if gain <= SLOPE_EPS:
            continue
        u = (at_start[head] - at_start[key]) / gain
        if u <= room + CROSSING_EPS:
            crossings.append((max(0.0, u), key))
    if not crossings:
        return None
    u_star = min(u for u, _ in crossings)
    meeting = front + [key for u, key in crossings if u <= u_star + CROSSING_EPS]
    if u_star >= room - CROSSING_EPS:
        # The crossing is at 0 % or 100 % itself: there they tie, with nothing beyond.
        return threshold(room, meeting)
    fastest = max(rate[k] for k in meeting)
    return threshold(u_star, [k for k in meeting if rate[k] >= fastest - SLOPE_EPS])


def reweighted(inp: ScoringInput, criterion: str, weight: float) -> ScoringInput:
    """The input with criterion's normalised weight set to `weight` (0..1) and the others
    rescaled proportionally, as the thresholds assume."""
    weights = normalised_weights(inp.criteria)
    rest = 1.0 - weights[criterion]
    if rest <= 0:
        raise ValueError(f"{criterion}: the other criteria have no weight to rescale")
    scale = (1.0 - weight) / rest
    new = {key: (weight if key == criterion else w * scale) for key, w in weights.items()}
    return inp.with_criterion_weights(new)


def leaders_at(inp: ScoringInput, criterion: str, weight: float) -> tuple[str, ...]:
    """The engine's rank-1 vendors with one criterion's weight moved (runs the engine)."""
    result = score_evaluation(reweighted(inp, criterion, weight))
    return tuple(v.key for v in result.vendors if v.rank == 1)


def verify_threshold(inp: ScoringInput, threshold: FlipThreshold, epsilon: float = 1e-6) -> bool:
    """Re-run the engine just before and just past a threshold: before it the official
    leader(s) lead, past it the named new leader (or tied group) does."""
    official = tuple(v.key for v in score_evaluation(inp).vendors if v.rank == 1)
    sign = 1.0 if threshold.direction == "up" else -1.0
    moved = abs(threshold.weight - _official_weight(inp, threshold.criterion))
    if moved > epsilon:
        before = leaders_at(inp, threshold.criterion, threshold.weight - sign * epsilon)
        if set(before) != set(official):
            return False
    past = threshold.weight + sign * epsilon
    if not 0.0 <= past <= 1.0:
        at = leaders_at(inp, threshold.criterion, threshold.weight)
        return set(at) != set(official)
    after = set(leaders_at(inp, threshold.criterion, past))
    expected = {threshold.new_leader} if threshold.new_leader else set(threshold.tied)
    return after == expected


def _official_weight(inp: ScoringInput, criterion: str) -> float:
    return normalised_weights(inp.criteria)[criterion]


# -- verdict --------------------------------------------------------------------------


def closest_threshold(criteria: Sequence[CriterionSensitivity]) -> FlipThreshold | None:
    found = [t for c in criteria for t in (c.up, c.down) if t is not None]
    return min(found, key=lambda t: (abs(t.change_pp), t.criterion, t.direction), default=None)


def verdict(
    result: Result,
    criteria: Sequence[CriterionSensitivity],
    stability: RankStability,
) -> str:
    """One line for leadership: how often the leader leads and what would change it."""
    ranked = result.ranked
    if not ranked:
        return "No qualified vendor: there is no ranking to test."
    names = {v.key: v.name for v in ranked}
    leaders = [v.key for v in ranked if v.rank == 1]
    if len(ranked) == 1:
        return f"{names[leaders[0]]} is the only qualified vendor."
    if len(leaders) > 1:
        shares = ", ".join(
            f"{names[k]} {_share_text(stability.share(k))}"
            for k in sorted(leaders, key=lambda k: -stability.share(k))
        )
        return (
            f"{joined_names([names[k] for k in leaders])} tie for first at the official "
            f"weights; first place in plausible weightings: {shares}."
        )
    leader = leaders[0]
    text = (
        f"{names[leader]} leads in {_share_text(stability.share(leader))} of plausible weightings"
    )
    closest = closest_threshold(criteria)
    if closest is None:
        return text + "; no single weight anywhere between 0 and 100 % changes the lead."
    name = next(c.name for c in criteria if c.criterion == closest.criterion)
    return text + f"; the lead changes only if {name} weight {closest.text}."


def _pct_text(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0") + " %"


def _share_text(share: float) -> str:
    if share >= 1.0:
        return "100 %"
    if share <= 0.0:
        return "none"
    if share >= 0.995:
        return "over 99 %"
    if share < 0.005:
        return "under 1 %"
    return f"{round(share * 100)} %"


def sensitivity_report(
    inp: ScoringInput,
    result: Result,
    *,
    draws: int = 10_000,
    concentration: float = 50.0,
    seed: int = 2027,
) -> SensitivityReport:
    """Flip thresholds, rank stability and the verdict for one scored evaluation."""
    criteria = flip_thresholds(inp, result)
    stability = rank_stability(inp, result, draws=draws, concentration=concentration, seed=seed)
    return SensitivityReport(
        leaders=tuple(v.key for v in result.ranked if v.rank == 1),
        criteria=criteria,
        stability=stability,
        closest=closest_threshold(criteria),
        verdict=verdict(result, criteria, stability),
    )
