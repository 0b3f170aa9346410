"""What a report says beyond the result and the scenario document: who recorded the award
and when, and the facts of the process an auditor asks about (declared conflicts,
scorecards never submitted, dates against the response deadline).

`ReportMeta` is plain data. The reports area builds it from the database
(rfp.areas.reports.queries.report_meta); `rfp report FILE` from the scenario alone
(`meta_from_scenario`), which knows the conflicts and the dates the file carries but not
who recorded the award. `process_exceptions` turns it into the lines of page 1's box.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rfp.domain.formatting import counted, day, joined_names, when
from rfp.domain.scoring.result import Result
from rfp.domain.vocabulary import Stage


@dataclass(frozen=True)
class DeclaredConflict:
    """An evaluator's declared conflict of interest with a vendor (names, not keys)."""

    evaluator: str
    vendor: str
    note: str = ""


@dataclass(frozen=True)
class ReportMeta:
    stage: str
    deadline: datetime | None = None
    unsealed_at: datetime | None = None
    award_vendor: str | None = None  # the awarded vendor's key
    award_rationale: str = ""
    decided_by: str | None = None  # who recorded the award (None: not on record)
    decided_at: datetime | None = None
    conflicts: tuple[DeclaredConflict, ...] = ()
    # Active evaluators whose scorecard was never submitted.
    unsubmitted_scorecards: tuple[str, ...] = ()
    from_scenario_file: bool = False  # built without the database: no one is on record

    @property
    def decided(self) -> bool:
        return self.stage == Stage.DECIDED

    @property
    def past_scoring(self) -> bool:
        """Consensus is open or the award is recorded: scorecards should all be in."""
        return Stage(self.stage).at_or_after(Stage.CONSENSUS)


def meta_from_scenario(doc: dict[str, Any]) -> ReportMeta:
    """The meta a scenario document gives: stage, deadline, award and conflicts. A scenario
    keeps no submission or award dates, nor who recorded the award."""
    ev = doc["evaluation"]
    award = ev.get("award") or {}
    return ReportMeta(
        stage=ev["stage"],
        deadline=_utc(ev.get("deadline")),
        award_vendor=award.get("vendor"),
        award_rationale=award.get("rationale") or "",
        conflicts=scenario_conflicts(doc),
        from_scenario_file=True,
    )


def scenario_conflicts(doc: dict[str, Any]) -> tuple[DeclaredConflict, ...]:
    evaluators = {e["key"]: e["name"] for e in doc["evaluators"]}
    vendors = {v["key"]: v["name"] for v in doc["vendors"]}
    return tuple(
        DeclaredConflict(
            evaluator=evaluators.get(c["evaluator"], c["evaluator"]),
            vendor=vendors.get(c["vendor"], c["vendor"]),
            note=c.get("note") or "",
        )
        for c in doc.get("conflicts", [])
    )


def _utc(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def process_exceptions(result: Result, meta: ReportMeta) -> list[str]:
    """The departures from a clean process, one sentence each, for page 1's box: declared
    conflicts of interest, scorecards never submitted, an award or an unsealing before the
    response deadline, an award to another vendor than the first-ranked one.

    (Amendments made by the lead after unsealing belong here too: append one line per
    amendment from the result.)"""
    lines = [
        f"{c.evaluator} declared a conflict of interest with {c.vendor}; their scores of that "
        "vendor are not counted." + (f" ({c.note})" if c.note else "")
        for c in meta.conflicts
    ]
    if meta.unsubmitted_scorecards and meta.past_scoring:
        names = list(meta.unsubmitted_scorecards)
        lines.append(
            f"{counted(len(names), 'scorecard')} never submitted, by {joined_names(names)}: "
            "the scores entered count as they stand."
        )
    deadline = meta.deadline
    if deadline is not None and meta.unsealed_at is not None and meta.unsealed_at < deadline:
        lines.append(
            f"Responses unsealed on {when(meta.unsealed_at)}, before the response "
            f"deadline of {when(meta.deadline)}."
        )
    if deadline is not None and meta.decided_at is not None and meta.decided_at < deadline:
        lines.append(
            f"Award recorded on {day(meta.decided_at)}, before the response deadline of "
            f"{day(meta.deadline)}."
        )
    lines += _award_exceptions(result, meta)
    return lines


def _award_exceptions(result: Result, meta: ReportMeta) -> list[str]:
    if meta.award_vendor is None:
        return []
    awarded = next((v for v in result.vendors if v.key == meta.award_vendor), None)
    if awarded is None:
        return []
    if awarded.disqualified:
        return [f"Awarded to {awarded.name}, which failed a knockout question."]
    if awarded.rank is not None and awarded.rank > 1:
        first = joined_names([v.name for v in result.ranked if v.rank == 1])
        return [f"Awarded to {awarded.name}, ranked {awarded.rank}, over {first}, ranked first."]
    return []
