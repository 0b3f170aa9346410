"""The results page's pilot section and the split award's blended cost: what the pilot
proposed and the lead recorded per shortlisted vendor, and the award's volume shares.
Pure: from the engine's result (which carries both) to what the page shows."""

from __future__ import annotations

from dataclasses import dataclass

from rfp.domain.scoring.result import Result, SplitCost
from rfp.domain.vocabulary import KpiStatus, PilotRole


@dataclass(frozen=True)
class PilotVendorRow:
    name: str
    role: str
    passed: int
    watched: int
    failed: int
    criteria: int
    proposed: str | None  # PilotVerdict value
    verdict: str | None
    verdict_reason: str


@dataclass(frozen=True)
class PilotSection:
    weeks: int
    reported_weeks: int
    finished: bool
    vendors: tuple[PilotVendorRow, ...]


@dataclass(frozen=True)
class ShareRow:
    name: str
    share_pct: float
    monthly_charge: float
    tco: float


@dataclass(frozen=True)
class SplitSection:
    shares: tuple[ShareRow, ...]
    cost: SplitCost


def build_pilot_section(result: Result) -> PilotSection | None:
    pilot = result.pilot
    if pilot is None:
        return None
    names = {v.key: v.name for v in result.vendors}
    return PilotSection(
        weeks=pilot.weeks,
        reported_weeks=pilot.reported_weeks,
        finished=pilot.finished,
        vendors=tuple(
            PilotVendorRow(
                name=names.get(v.vendor, v.vendor),
                role=PilotRole(v.role).label,
                passed=v.count(KpiStatus.PASS),
                watched=v.count(KpiStatus.WATCH),
                failed=v.count(KpiStatus.FAIL),
                criteria=len(v.criteria),
                proposed=v.proposed.value if v.proposed else None,
                verdict=v.verdict.value if v.verdict else None,
                verdict_reason=v.verdict_reason,
            )
            for v in pilot.vendors
        ),
    )


def build_split_section(result: Result) -> SplitSection | None:
    split = result.split
    if split is None:
        return None
    names = {v.key: v.name for v in result.vendors}
    return SplitSection(
        shares=tuple(
            ShareRow(names.get(s.vendor, s.vendor), s.share_pct, s.monthly_charge, s.tco)
            for s in split.shares
        ),
        cost=split,
    )
