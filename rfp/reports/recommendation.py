"""What the reports recommend, read off the result: a leader and its margin, or why not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..scoring.result import Result, VendorResult
from ..web.formatting import score_text

Verdict = Literal["recommend", "provisional", "tied", "none"]


@dataclass(frozen=True)
class Recommendation:
    verdict: Verdict
    headline: str
    detail: str
    leader: VendorResult | None = None
    runner_up: VendorResult | None = None

    @property
    def margin(self) -> float | None:
        """Points between the leader and the next ranked vendor."""
        if self.leader is None or self.runner_up is None:
            return None
        return self.leader.total - self.runner_up.total


def recommend(result: Result) -> Recommendation:
    """A recommendation only from complete results with a single first place."""
    ranked = result.ranked
    first = [v for v in ranked if v.rank == 1]
    if not ranked:
        return Recommendation(
            "none",
            "No recommendation: no vendor qualifies",
            "Every vendor failed at least one knockout question.",
        )
    if not result.complete:
        incomplete = [v for v in result.vendors if not v.complete]
        leading = " and ".join(v.name for v in first)
        return Recommendation(
            "provisional",
            "No recommendation yet: the results are provisional",
            f"{len(incomplete)} of {len(result.vendors)} vendors have incomplete data "
            "(scores, prices, knockout answers or reference calls still missing). "
            f"Leading for now: {leading} with {score_text(first[0].total)}.",
            leader=first[0] if len(first) == 1 else None,
        )
    if len(first) > 1:
        names = ", ".join(v.name for v in first[:-1]) + f" and {first[-1].name}"
        return Recommendation(
            "tied",
            "No recommendation: first place is tied",
            f"{names} share first place with {score_text(first[0].total)}.",
        )
    leader = first[0]
    runner_up = next((v for v in ranked if v is not leader), None)
    if runner_up is None:
        detail = f"Total {score_text(leader.total)} of 100; the only qualified vendor."
    else:
        detail = (
            # The exact margin, one decimal, as the results page shows it (it may differ by
            # 0.1 from the difference of the two rounded totals).
            f"Total {score_text(leader.total)} of 100, "
            f"{score_text(leader.total - runner_up.total)} points ahead of {runner_up.name} "
            f"({score_text(runner_up.total)})."
        )
    return Recommendation("recommend", f"Recommendation: {leader.name}", detail, leader, runner_up)
