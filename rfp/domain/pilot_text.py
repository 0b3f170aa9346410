"""The pilot in words, for the outputs that are text: `rfp score` and the PDF summary.

One vendor per block: its part (champion, challenger), the verdict the data proposes and
the one the lead recorded, then each success criterion over the latest four weeks. The
results page and the workbook show the same outcome (rfp.areas.results.pilot_section,
rfp.reports.xlsx.pilot), all read from `Result.pilot`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rfp.domain.kpis import figure_text
from rfp.domain.pilot import CriterionOutcome, PilotResult, VendorPilot
from rfp.domain.vocabulary import KpiStatus, PilotRole, PilotVerdict


@dataclass(frozen=True)
class CriterionLine:
    """One success criterion of one vendor: what it asks, what the vendor did, the status."""

    criterion: str  # "FCR at least 75.0 % (failing below 72.0 %)"
    latest: str  # "76.5 % (weeks 7-10)"
    weeks_met: str  # "8 of 10"
    status: str  # "Pass"
    reason: str


def pilot_heading(pilot: PilotResult) -> str:
    """ "Pilot: 10 of 10 weeks reported (finished)." """
    state = "finished" if pilot.finished else "still running"
    return f"Pilot: {pilot.reported_weeks} of {pilot.weeks} weeks reported ({state})."


def verdict_line(vendor: VendorPilot, names: Mapping[str, str]) -> str:
    """ "Puente Norte CX (champion): the data proposes expand; recorded: expand. Reason:
    ..." """
    name = names.get(vendor.vendor, vendor.vendor)
    role = PilotRole(vendor.role).label.lower()
    proposed = PilotVerdict(vendor.proposed).label.lower() if vendor.proposed else "no verdict yet"
    line = f"{name} ({role}): the data proposes {proposed}"
    if vendor.verdict:
        line += f"; recorded: {PilotVerdict(vendor.verdict).label.lower()}."
        reason = vendor.verdict_reason.strip()
        if reason:
            line += f" Reason: {reason}" + ("" if reason.endswith((".", "!", "?")) else ".")
        return line
    return line + "; no verdict recorded yet."


def criterion_lines(vendor: VendorPilot) -> list[CriterionLine]:
    return [_criterion_line(outcome) for outcome in vendor.criteria]


def _criterion_line(outcome: CriterionOutcome) -> CriterionLine:
    kpi = outcome.criterion.kpi
    first, last = outcome.window
    latest = figure_text(kpi, outcome.latest_average)
    if outcome.latest_average is not None:
        latest += f" (weeks {first}-{last})" if first != last else f" (week {first})"
    return CriterionLine(
        criterion=outcome.criterion.describe(),
        latest=latest,
        weeks_met=f"{outcome.weeks_met} of {outcome.weeks_reported}",
        status=KpiStatus(outcome.status).label,
        reason=outcome.reason,
    )


def pilot_text(pilot: PilotResult, names: Mapping[str, str]) -> str:
    """The pilot as plain text lines, for `rfp score`."""
    lines = ["", pilot_heading(pilot)]
    for vendor in pilot.vendors:
        lines.append(verdict_line(vendor, names))
        for c in criterion_lines(vendor):
            lines.append(
                f"  {c.status:<5}  {c.criterion}: latest {c.latest}, met {c.weeks_met} weeks"
            )
    return "\n".join(lines)
