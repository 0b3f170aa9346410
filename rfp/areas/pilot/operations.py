"""The pilot's set-up, each write with its audit event: the shortlist, the segment, dates
and success criteria, fixing them, and the in-house baseline. The weekly figures are in
figure_operations.py, the verdicts and the award in decision_operations.py.

The rules of the seeds: success criteria are fixed before the pilot starts (after that a
change needs a reason, audited with the old and new values, like the weights after
draft); figures are entered only against fixed criteria; the data proposes a verdict
(rfp.domain.pilot) and the lead records one with a reason; the award goes to vendors the
pilot did not unwind. Flush, never commit; refuse with `Refused`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.pilot.queries import figure_counts, figures_of, weeks_of
from rfp.areas.stages.operations import enter_pilot
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.operations import require_writable
from rfp.core.refusal import CONFLICT, Refused, refuse_all
from rfp.domain.control_characters import without_control_characters
from rfp.domain.formatting import joined_names
from rfp.domain.kpis import KPI_SPECS, SuccessCriterion, default_criteria, figure_problem
from rfp.domain.pilot import MAX_PILOT_WEEKS, weeks_between
from rfp.domain.scoring import Result
from rfp.domain.vocabulary import Kpi, KpiDirection, PilotRole, Stage


def clean_text(text: str | None) -> str:
    """Text as it is kept: trimmed, line ends as \\n, no control characters (a NUL is
    refused by PostgreSQL)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return without_control_characters(text).strip()


def require_pilot_stage(evaluation: m.Evaluation, *stages: Stage, what: str) -> None:
    """Writable, and in one of `stages` (the pilot's, unless told otherwise)."""
    stages = stages or (Stage.PILOT,)
    require_writable(evaluation)
    if evaluation.current_stage not in stages:
        when = "at the end of consensus or " if Stage.CONSENSUS in stages else ""
        raise Refused("stage", f"{what} {when}during the pilot", CONFLICT)


def require_fixed(pilot: m.Pilot) -> None:
    if not pilot.fixed:
        raise Refused(
            "stage",
            "fix the success criteria first: figures are judged only against criteria "
            "fixed before the pilot starts",
            CONFLICT,
        )


def _reason_when_fixed(pilot: m.Pilot, reason: str, what: str) -> str:
    reason = clean_text(reason)
    if pilot.fixed and not reason:
        raise Refused(
            "reason",
            f"{what} were fixed before the pilot started. Give a reason for this change; it "
            "goes into the audit trail.",
        )
    return reason


# -- shortlist ---------------------------------------------------------------------------


def _next_monday(today: date) -> date:
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def shortlist(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    pilot: m.Pilot | None,
    result: Result,
    roles: Mapping[int, str],
) -> m.Pilot:
    """Shortlist vendors for the pilot (vendor id -> champion or challenger; others are
    left out). At the end of consensus this starts the pilot stage, with the segment and
    the success criteria pre-filled from the scope; during the pilot, before the criteria
    are fixed, it changes the shortlist."""
    require_pilot_stage(evaluation, Stage.CONSENSUS, Stage.PILOT, what="the shortlist is made")
    vendors = {v.id: v for v in evaluation.vendors}
    picked = {vid: PilotRole(role) for vid, role in roles.items() if role}
    problems = []
    for vendor_id in picked:
        vendor = vendors.get(vendor_id)
        if vendor is None:
            raise Refused("shortlist", "choose vendors of this evaluation")
        outcome = next((v for v in result.vendors if v.key == vendor.key), None)
        if outcome is None or outcome.rank is None:
            problems.append(
                Refused(f"role_{vendor_id}", f"{vendor.name} is disqualified: it cannot be piloted")
            )
    champions = [vid for vid, role in picked.items() if role == PilotRole.CHAMPION]
    if not picked:
        problems.append(Refused("shortlist", "shortlist at least one vendor: the champion"))
    elif len(champions) != 1:
        problems.append(
            Refused("shortlist", f"choose exactly one champion (you chose {len(champions)})")
        )
    refuse_all(problems)
    before = _shortlist_words(pilot) if pilot is not None else []
    if pilot is None:
        pilot = _new_pilot(session, evaluation)
    elif pilot.fixed and {pv.vendor_id: pv.role for pv in pilot.vendors} != picked:
        raise Refused(
            "shortlist",
            "the shortlist was fixed with the success criteria: it cannot change now",
            CONFLICT,
        )
    counts = figure_counts(session, pilot)
    for entry in list(pilot.vendors):
        if entry.vendor_id not in picked:
            if counts.get(entry.id) or entry.verdict:
                raise Refused(
                    "shortlist",
                    f"{entry.vendor.name} has pilot figures or a verdict: it stays shortlisted",
                )
            pilot.vendors.remove(entry)
    position = {vid: i for i, vid in enumerate(vendors)}
    for vendor_id, role in sorted(picked.items(), key=lambda item: position[item[0]]):
        entry = next((pv for pv in pilot.vendors if pv.vendor_id == vendor_id), None)
        if entry is None:
            entry = m.PilotVendor(vendor=vendors[vendor_id], role=role)
            pilot.vendors.append(entry)
        entry.role = role
    for i, entry in enumerate(
        sorted(
            pilot.vendors, key=lambda pv: (pv.role != PilotRole.CHAMPION, position[pv.vendor.id])
        )
    ):
        entry.position = i
    session.flush()
    session.refresh(pilot, ["vendors"])
    after = _shortlist_words(pilot)
    if after != before:
        record(
            session,
            evaluation,
            user,
            "pilot.shortlisted",
            evaluation.title,
            old={"shortlist": before} if before else None,
            new={"shortlist": after},
        )
    if evaluation.current_stage == Stage.CONSENSUS:
        enter_pilot(session, evaluation, user, "Shortlisted for a pilot: " + "; ".join(after))
    return pilot


def _shortlist_words(pilot: m.Pilot) -> list[str]:
    return [f"{pv.vendor.name} ({PilotRole(pv.role).label.lower()})" for pv in pilot.vendors]


def _new_pilot(session: Session, evaluation: m.Evaluation) -> m.Pilot:
    """A pilot pre-filled from the scope: its first channel, the seeds' weeks from next
    Monday, and the success criteria from the targets (rfp.domain.kpis)."""
    scope = evaluation.scope or {}
    start = _next_monday(utcnow().date())
    weeks = int(scope.get("pilot_weeks") or 10)
    pilot = m.Pilot(
        evaluation_id=evaluation.id,
        channels=list(scope.get("channels") or [])[:1],
        contact_types="",
        start_date=start,
        end_date=start + timedelta(days=7 * weeks - 1),
    )
    for i, criterion in enumerate(default_criteria(scope)):
        pilot.criteria.append(_criterion_row(criterion, i))
    session.add(pilot)
    session.flush()
    return pilot


def _criterion_row(criterion: SuccessCriterion, position: int) -> m.PilotCriterion:
    return m.PilotCriterion(
        kpi=criterion.kpi,
        direction=criterion.direction,
        threshold=criterion.threshold,
        fail_at=criterion.fail_at,
        seconds=criterion.seconds,
        baseline=criterion.baseline,
        position=position,
    )


# -- set-up: segment, dates, success criteria ----------------------------------------------


@dataclass(frozen=True)
class Segment:
    channels: tuple[str, ...]
    contact_types: str
    volume_share_pct: float | None
    start: date | None
    end: date | None


@dataclass(frozen=True)
class CriterionEntry:
    """A row of the set-up form: `included` false leaves the KPI out."""

    kpi: str
    included: bool
    direction: str
    threshold: float | None
    fail_at: float | None
    seconds: float | None = None


def _criterion_words(c: m.PilotCriterion | SuccessCriterion) -> str:
    return SuccessCriterion(
        Kpi(c.kpi), KpiDirection(c.direction), c.threshold, c.fail_at, c.seconds
    ).describe()


def _check_entries(
    entries: Iterable[CriterionEntry],
) -> tuple[list[SuccessCriterion], list[Refused]]:
    problems: list[Refused] = []
    criteria = []
    for entry in entries:
        if not entry.included:
            continue
        spec = KPI_SPECS[Kpi(entry.kpi)]
        row_problems = []
        for field, value in (("threshold", entry.threshold), ("fail_at", entry.fail_at)):
            if value is None:
                row_problems.append(Refused(f"{field}_{entry.kpi}", "give a figure"))
            elif (problem := figure_problem(entry.kpi, value)) is not None:
                row_problems.append(Refused(f"{field}_{entry.kpi}", f"{value:g} {problem}"))
        if entry.seconds is not None and not (0 < entry.seconds <= 3600):
            row_problems.append(
                Refused(f"seconds_{entry.kpi}", "must be more than 0 and at most 3,600 seconds")
            )
        if row_problems:
            problems += row_problems
            continue
        assert entry.threshold is not None and entry.fail_at is not None
        criterion = SuccessCriterion(
            Kpi(entry.kpi),
            KpiDirection(entry.direction or spec.direction),
            entry.threshold,
            entry.fail_at,
            entry.seconds if entry.kpi == Kpi.SERVICE_LEVEL else None,
        )
        if (problem := criterion.problem()) is not None:
            problems.append(Refused(f"fail_at_{entry.kpi}", problem))
            continue
        criteria.append(criterion)
    if not criteria and not problems:
        problems.append(Refused("criteria", "include at least one success criterion"))
    return criteria, problems


def _check_segment(segment: Segment) -> list[Refused]:
    problems = []
    if segment.start is None:
        problems.append(Refused("start_date", "give the pilot's first day"))
    if segment.end is None:
        problems.append(Refused("end_date", "give the pilot's last day"))
    if segment.start and segment.end:
        if segment.end < segment.start:
            problems.append(Refused("end_date", "the pilot ends on or after its first day"))
        elif weeks_between(segment.start, segment.end) > MAX_PILOT_WEEKS:
            problems.append(Refused("end_date", f"a pilot runs at most {MAX_PILOT_WEEKS} weeks"))
    share = segment.volume_share_pct
    if share is not None and not (math.isfinite(share) and 0 < share <= 100):
        problems.append(
            Refused("volume_share_pct", "a share of the volume: more than 0, at most 100")
        )
    return problems


def save_setup(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    pilot: m.Pilot,
    segment: Segment,
    entries: Iterable[CriterionEntry],
    reason: str = "",
) -> bool:
    """Save the segment, dates and success criteria; returns whether anything changed.
    Once the criteria are fixed a change needs a reason, and no change may leave a
    figure outside the pilot's weeks or without its criterion."""
    require_pilot_stage(evaluation, Stage.PILOT, what="the pilot is set up")
    criteria, problems = _check_entries(entries)
    refuse_all(_check_segment(segment) + problems)
    old = _setup_words(pilot)
    new = {
        "channels": list(segment.channels),
        "contact types": clean_text(segment.contact_types),
        "share of volume %": segment.volume_share_pct,
        "start": segment.start.isoformat() if segment.start else None,
        "end": segment.end.isoformat() if segment.end else None,
        "criteria": [c.describe() for c in criteria],
    }
    keys = [k for k in new if old.get(k) != new[k]]
    if not keys:
        return False
    reason = _reason_when_fixed(pilot, reason, "The segment, dates and success criteria")
    figures = figures_of(session, pilot)
    assert segment.start is not None and segment.end is not None
    weeks = weeks_between(segment.start, segment.end)
    late = sorted({week for _pv, week, _kpi in figures if week > weeks})
    if late:
        raise Refused("end_date", f"week {late[-1]} has figures: the pilot cannot end before it")
    kept = {c.kpi for c in criteria}
    orphaned = sorted({kpi for _pv, _week, kpi in figures if kpi not in kept})
    if orphaned:
        names = joined_names([Kpi(k).label for k in orphaned])
        raise Refused("criteria", f"{names} has weekly figures: its criterion stays")
    pilot.channels = list(segment.channels)
    pilot.contact_types = clean_text(segment.contact_types)
    pilot.volume_share_pct = segment.volume_share_pct
    pilot.start_date, pilot.end_date = segment.start, segment.end
    baselines = {str(c.kpi): c.baseline for c in pilot.criteria}
    pilot.criteria.clear()
    session.flush()
    for i, criterion in enumerate(criteria):
        row = _criterion_row(criterion, i)
        row.baseline = baselines.get(str(criterion.kpi))
        pilot.criteria.append(row)
    session.flush()
    action = "pilot.criteria_changed" if pilot.fixed else "pilot.setup"
    record(
        session,
        evaluation,
        user,
        action,
        evaluation.title,
        old={k: old.get(k) for k in keys},
        new={k: new[k] for k in keys},
        reason=reason,
    )
    return True


def _setup_words(pilot: m.Pilot) -> dict[str, object]:
    return {
        "channels": list(pilot.channels or []),
        "contact types": pilot.contact_types,
        "share of volume %": pilot.volume_share_pct,
        "start": pilot.start_date.isoformat() if pilot.start_date else None,
        "end": pilot.end_date.isoformat() if pilot.end_date else None,
        "criteria": [_criterion_words(c) for c in pilot.criteria],
    }


def fix_criteria(
    session: Session, evaluation: m.Evaluation, user: m.User, pilot: m.Pilot, note: str = ""
) -> None:
    """Fix the success criteria, the dates and the shortlist before the pilot starts."""
    require_pilot_stage(evaluation, Stage.PILOT, what="the success criteria are fixed")
    if pilot.fixed:
        raise Refused("stage", "the success criteria are fixed already", CONFLICT)
    if not weeks_of(pilot):
        raise Refused("stage", "set the pilot's dates first", CONFLICT)
    if not pilot.criteria:
        raise Refused("stage", "set at least one success criterion first", CONFLICT)
    pilot.criteria_fixed_at = utcnow()
    record(
        session,
        evaluation,
        user,
        "pilot.criteria_fixed",
        evaluation.title,
        new=_setup_words(pilot) | {"shortlist": _shortlist_words(pilot)},
        reason=clean_text(note),
    )


def save_baseline(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    pilot: m.Pilot,
    values: Mapping[str, float | None],
) -> bool:
    """The in-house team's figures, for comparison (not a criterion: no reason needed)."""
    require_pilot_stage(evaluation, Stage.PILOT, what="the baseline is entered")
    problems = [
        Refused(f"baseline_{kpi}", f"{value:g} {problem}")
        for kpi, value in values.items()
        if value is not None and (problem := figure_problem(kpi, value)) is not None
    ]
    refuse_all(problems)
    old, new = {}, {}
    for criterion in pilot.criteria:
        kpi = str(criterion.kpi)
        if kpi in values and values[kpi] != criterion.baseline:
            old[Kpi(kpi).label], new[Kpi(kpi).label] = criterion.baseline, values[kpi]
            criterion.baseline = values[kpi]
    if not new:
        return False
    session.flush()
    record(session, evaluation, user, "pilot.baseline", "in-house baseline", old=old, new=new)
    return True
