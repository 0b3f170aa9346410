"""The recommendation read off the engine's Result: the leader and its margin, or why
there is none.

One function for every output that recommends (the results page and the PDF summary),
so that they name the same vendor, give the same margin and say it in the same words.
Pure: no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rfp.domain.amendments import knockouts_turned_to_pass, mark_text
from rfp.domain.formatting import counted, joined_names, score_text
from rfp.domain.scoring.result import Result

Status = Literal["recommend", "provisional", "tied", "none"]


@dataclass(frozen=True)
class Recommendation:
    """`status`: recommend, provisional, tied, none (nobody qualified).

    `headline` is the one line every output shows; `detail` what follows it (empty when
    the headline says it all). Names are vendor names; totals and the margin stay numbers.
    """

    status: Status
    headline: str
    detail: str = ""
    leader: str | None = None
    leader_total: float | None = None
    runner_up: str | None = None
    runner_up_total: float | None = None
    margin: float | None = None  # the exact difference of the two totals
    tied: tuple[str, ...] = ()
    incomplete: tuple[str, ...] = ()  # qualified vendors whose figures are provisional
    leader_flags: tuple[str, ...] = ()
    leader_open_disagreements: int = 0  # its flagged questions with no consensus yet
    # Bids changed after the prices were unsealed that bear on this recommendation: a
    # vendor that qualifies only by an amended knockout, the leader's amended bid.
    amendments: tuple[str, ...] = ()


def amendment_caveats(result: Result) -> tuple[str, ...]:
    """What every recommendation says of amendments made after unsealing: which ranked
    vendor qualifies only because a knockout it failed was amended to pass, and whether
    the bids of those ranked first were amended. Empty when none was."""
    caveats = []
    for vendor in result.ranked:
        if knockouts_turned_to_pass(vendor.amendments):
            caveats.append(
                f"{vendor.name} qualifies only because a knockout it failed as submitted was "
                "amended to pass after unsealing."
            )
    for vendor in result.ranked:
        mark = mark_text(vendor.amendments)
        if vendor.rank == 1 and mark:
            caveats.append(
                f"The bid of {vendor.name}, ranked first, was {mark[0].lower()}{mark[1:]}."
            )
    return tuple(caveats)


def recommend(result: Result) -> Recommendation:
    """A recommendation only from a single first place on complete figures.

    Provisional when any qualified vendor is incomplete: a missing score can still move
    any of them. A disqualified vendor's gaps cannot change the ranking.
    """
    ranked = result.ranked
    if not ranked:
        return Recommendation(
            "none",
            "No recommendation: no vendor qualifies.",
            "Every vendor failed at least one knockout question."
            if result.vendors
            else "There are no vendors yet.",
        )
    incomplete = tuple(v.name for v in ranked if not v.complete)
    leader = result.leader()
    if leader is None:
        tied = tuple(v.name for v in ranked if v.rank == 1)
        detail = f"{joined_names(tied)} share first place with {score_text(ranked[0].total)}."
        if incomplete:
            detail += " The results are also provisional."
        return Recommendation(
            "tied",
            "No recommendation: results are tied.",
            detail,
            leader_total=ranked[0].total,
            tied=tied,
            incomplete=incomplete,
            amendments=amendment_caveats(result),
        )
    runner_up = ranked[1] if len(ranked) > 1 else None
    margin = leader.total - runner_up.total if runner_up else None
    # The exact margin, one decimal: it may differ by 0.1 from the difference of the two
    # totals as shown.
    if runner_up is None:
        behind = ", the only qualified vendor"
    elif incomplete:
        behind = f", {score_text(margin)} points ahead of {runner_up.name}"
    else:
        behind = (
            f", {score_text(margin)} points ahead of {runner_up.name} "
            f"({score_text(runner_up.total)})"
        )
    if incomplete:
        headline = "No recommendation: results are provisional."
        detail = (
            f"{leader.name} leads for now with {score_text(leader.total)}{behind}, but "
            f"{counted(len(incomplete), 'qualified vendor')} ({', '.join(incomplete)}) "
            f"still {'has' if len(incomplete) == 1 else 'have'} missing scores or data."
        )
    else:
        headline = f"{leader.name} ranks first with {score_text(leader.total)}{behind}."
        detail = ""
    return Recommendation(
        "provisional" if incomplete else "recommend",
        headline,
        detail,
        leader=leader.name,
        leader_total=leader.total,
        runner_up=runner_up.name if runner_up else None,
        runner_up_total=runner_up.total if runner_up else None,
        margin=margin,
        incomplete=incomplete,
        leader_flags=tuple(f.message for f in leader.flags if f.kind != "dispersion"),
        leader_open_disagreements=sum(
            1 for d in result.flagged_dispersion if d.vendor == leader.key and not d.resolved
        ),
        amendments=amendment_caveats(result),
    )
