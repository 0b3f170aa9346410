"""Rank stability: how often each vendor ranks first when the weights vary a little.

Weight vectors are drawn from a Dirichlet distribution centred on the official
normalised weights w, alpha = concentration * w: the higher the concentration, the
closer the draws stay to w (the lead sets it). The generator is seeded, so the same
evaluation and settings give the same figures. Totals for all draws at once are the
vendors x criteria score matrix times the criteria x draws weight matrix.

Ties for first are split equally between the tied vendors, so the first-place shares
always sum to 1. Ranks follow the engine's tie tolerance: a vendor's rank is 1 + the
number of vendors ahead of it by more than 1e-9. Only qualified vendors are ranked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..scoring.engine import normalised_weights
from ..scoring.model import ScoringInput
from ..scoring.ranking import TIE_TOLERANCE
from ..scoring.result import Result

CHUNK_CELLS = 4_000_000  # vendors^2 x draws compared at once (booleans, about 4 MB)


@dataclass(frozen=True)
class VendorStability:
    key: str
    name: str
    official_rank: int
    first_share: float  # share of draws ranked first (a tie for first split equally)
    mean_rank: float  # competition rank averaged over the draws

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "rank": self.official_rank,
            "first_share": self.first_share,
            "mean_rank": self.mean_rank,
        }


@dataclass(frozen=True)
class RankStability:
    draws: int
    concentration: float
    seed: int
    vendors: tuple[VendorStability, ...]  # qualified vendors, in official rank order
    tie_share: float  # share of draws with a tie for first

    def share(self, key: str) -> float:
        return next((v.first_share for v in self.vendors if v.key == key), 0.0)

    def to_json(self) -> dict[str, Any]:
        return {
            "draws": self.draws,
            "concentration": self.concentration,
            "seed": self.seed,
            "ties_for_first": "split equally",
            "tie_share": self.tie_share,
            "vendors": [v.to_json() for v in self.vendors],
        }


def rank_stability(
    inp: ScoringInput,
    result: Result,
    *,
    draws: int = 10_000,
    concentration: float = 50.0,
    seed: int = 2027,
) -> RankStability:
    """How often each qualified vendor ranks first, and its mean rank, over weight vectors
    drawn from Dirichlet(concentration * w) around the official normalised weights w.

    Criteria with no weight stay at none. Ranks follow the engine's tie tolerance: a
    vendor's rank is 1 + the number of vendors ahead of it by more than 1e-9.
    """
    if draws < 1:
        raise ValueError("draws must be at least 1")
    if not concentration > 0:
        raise ValueError("concentration must be greater than 0")
    qualified = list(result.ranked)
    weights = normalised_weights(inp.criteria)
    active = [c.key for c in inp.criteria if weights[c.key] > 0]
    if not qualified:
        return RankStability(draws, concentration, seed, (), 0.0)
    rng = np.random.default_rng(seed)
    if active:
        scores = np.array([[v.criteria[k] for k in active] for v in qualified], dtype=float)
        alpha = concentration * np.array([weights[k] for k in active])
        sampled = rng.dirichlet(alpha, size=draws).T  # criteria x draws
        totals = scores @ sampled  # vendors x draws
    else:
        totals = np.zeros((len(qualified), draws))
    first = np.zeros(len(qualified))
    rank_sum = np.zeros(len(qualified))
    ties = 0
    step = max(1, CHUNK_CELLS // len(qualified) ** 2)
    for start in range(0, draws, step):
        chunk = totals[:, start : start + step]
        ahead = (chunk[None, :, :] > chunk[:, None, :] + TIE_TOLERANCE).sum(axis=1)
        ranks = ahead + 1
        on_top = ranks == 1
        sharing = on_top.sum(axis=0)
        first += (on_top / sharing).sum(axis=1)
        rank_sum += ranks.sum(axis=1)
        ties += int((sharing > 1).sum())
    vendors = tuple(
        VendorStability(
            key=v.key,
            name=v.name,
            official_rank=v.rank or 0,
            first_share=float(first[i] / draws),
            mean_rank=float(rank_sum[i] / draws),
        )
        for i, v in enumerate(qualified)
    )
    return RankStability(draws, concentration, seed, vendors, ties / draws)
