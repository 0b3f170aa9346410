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

from rfp.domain.scoring.engine import normalised_weights
from rfp.domain.scoring.model import ScoringInput
from rfp.domain.scoring.ranking import TIE_TOLERANCE
from rfp.domain.scoring.result import Result


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


def competition_ranks(totals: np.ndarray) -> np.ndarray:
    """The engine's competition ranks (rfp.domain.scoring.ranking) of every column of a
    vendors x draws matrix of totals: highest first; a total within the tie tolerance of
    its group's first total shares that group's rank, and the next rank skips.

    One sort per column, instead of comparing every pair of vendors in every draw. Where
    no two neighbours of a sorted column are within the tolerance (almost every draw)
    the ranks are the sorted positions; the other columns take one pass down the sorted
    vendors. Equal totals get equal ranks either way, so the order the sort leaves them
    in does not matter.
    """
    by_draw = np.ascontiguousarray(totals.T)  # draws x vendors: each sort is contiguous
    draws, vendors = by_draw.shape
    order = np.argsort(-by_draw, axis=1)
    ordered = np.take_along_axis(by_draw, order, axis=1)  # descending per draw
    ranks_in_order = np.broadcast_to(np.arange(1, vendors + 1), (draws, vendors))
    close = (ordered[:, :-1] - ordered[:, 1:] <= TIE_TOLERANCE).any(axis=1)
    if close.any():
        ranks_in_order = ranks_in_order.copy()
        ranks_in_order[close] = _grouped_ranks(ordered[close])
    ranks = np.empty((draws, vendors), dtype=np.int64)
    ranks[np.arange(draws)[:, None], order] = ranks_in_order
    return ranks.T


def _grouped_ranks(ordered: np.ndarray) -> np.ndarray:
    """Competition ranks along each row of totals sorted in descending order: a total
    within the tie tolerance of its group's first total shares that group's rank."""
    draws, vendors = ordered.shape
    ranks = np.empty((draws, vendors), dtype=np.int64)
    head = ordered[:, 0].copy()
    head_rank = np.ones(draws, dtype=np.int64)
    ranks[:, 0] = head_rank
    for position in range(1, vendors):
        new_group = head - ordered[:, position] > TIE_TOLERANCE
        head = np.where(new_group, ordered[:, position], head)
        head_rank = np.where(new_group, position + 1, head_rank)
        ranks[:, position] = head_rank
    return ranks


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

    Criteria with no weight stay at none. Ranks follow the engine's competition ranking
    and its tie tolerance (see competition_ranks).
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
        # einsum, not @: a matrix this small is slower through a multi-threaded BLAS
        # (thread start-up, and contention on a busy server) than in one plain loop.
        totals = np.einsum("vc,cd->vd", scores, sampled)  # vendors x draws
    else:
        totals = np.zeros((len(qualified), draws))
    ranks = competition_ranks(totals)
    on_top = ranks == 1
    sharing = on_top.sum(axis=0)
    first = (on_top / np.maximum(sharing, 1)).sum(axis=1)
    rank_sum = ranks.sum(axis=1)
    ties = int((sharing > 1).sum())
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
