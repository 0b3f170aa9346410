"""The decision after the pilot: the lead's verdict on each shortlisted vendor (beside
the one the data proposes), and the award with the pilot's evidence and, when the volume
is divided, the split. Flush, never commit."""

from __future__ import annotations

import math
from collections.abc import Mapping

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.pilot.operations import clean_text, require_fixed, require_pilot_stage
from rfp.areas.stages.operations import decide
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.refusal import Refused, refuse_all
from rfp.domain.pilot import PilotResult
from rfp.domain.scoring import Result
from rfp.domain.vocabulary import KpiStatus, PilotRole, PilotVerdict, Stage

SHARE_TOLERANCE = 1e-6
MAX_REASON = 5000


def record_verdict(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    pilot: m.Pilot,
    entry: m.PilotVendor,
    verdict: str,
    reason: str,
    proposed: PilotVerdict | None,
) -> None:
    """The lead's verdict on a vendor's pilot, with a reason (audited beside the verdict
    the data proposed)."""
    require_pilot_stage(evaluation, Stage.PILOT, what="verdicts are recorded")
    require_fixed(pilot)
    if verdict not in PilotVerdict.values():
        raise Refused("verdict", "choose expand, extend or unwind")
    reason = clean_text(reason)
    if not reason:
        raise Refused("reason", "say why: the verdict goes into the award's evidence")
    if len(reason) > MAX_REASON:
        raise Refused("reason", f"at most {MAX_REASON:,} characters")
    old = {"verdict": entry.verdict, "reason": entry.verdict_reason} if entry.verdict else None
    entry.verdict = PilotVerdict(verdict)
    entry.verdict_reason = reason
    entry.verdict_at = utcnow()
    session.flush()
    record(
        session,
        evaluation,
        user,
        "pilot.verdict",
        entry.vendor.name,
        old=old,
        new={
            "verdict": verdict,
            "reason": reason,
            "proposed": proposed.value if proposed else None,
        },
    )


def evidence_text(pilot: m.Pilot, outcome: PilotResult, names: Mapping[str, str]) -> str:
    """The pilot's evidence in words, for the award: dates, segment, each vendor's
    criteria and verdict."""
    segment = ", ".join(pilot.channels or []) or "one segment"
    if pilot.volume_share_pct:
        segment += f"; {pilot.volume_share_pct:g} % of the volume"
    start = pilot.start_date.isoformat() if pilot.start_date else "–"
    end = pilot.end_date.isoformat() if pilot.end_date else "–"
    head = (
        f"Pilot of {outcome.weeks} weeks, {start} to {end} ({segment}): "
        f"{outcome.reported_weeks} weeks reported."
    )
    lines = [head]
    for vendor in outcome.vendors:
        passed = vendor.count(KpiStatus.PASS)
        verdict = vendor.verdict.label.lower() if vendor.verdict else "no verdict"
        lines.append(
            f"{names.get(vendor.vendor, vendor.vendor)} ({PilotRole(vendor.role).label.lower()}): "
            f"{passed} of {len(vendor.criteria)} success criteria pass; verdict {verdict}"
            + (f" ({vendor.verdict_reason})" if vendor.verdict_reason else "")
            + "."
        )
    return "\n".join(lines)


def award(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    pilot: m.Pilot,
    result: Result,
    shares: Mapping[int, float | None],
    rationale: str,
    override_reason: str = "",
) -> tuple[m.Vendor, list[tuple[m.Vendor, float]]]:
    """Record the award after the pilot: one vendor, or the volume split between several
    (shares in percent summing to 100). Each awarded vendor must be shortlisted with a
    recorded verdict other than unwind. The rationale gets the pilot's evidence; the
    vendor with the largest share is the one awarded (the stages' rules apply to it:
    qualified, and a reason when it is not ranked first). Returns it and the split."""
    require_pilot_stage(evaluation, Stage.PILOT, what="the award after the pilot is recorded")
    by_vendor = {pv.vendor_id: pv for pv in pilot.vendors}
    given = {vid: pct for vid, pct in shares.items() if pct}
    problems = []
    for vendor_id, pct in given.items():
        entry = by_vendor.get(vendor_id)
        if entry is None:
            raise Refused("shares", "award only shortlisted vendors")
        field = f"share_{vendor_id}"
        if pct is None or not math.isfinite(pct) or not 0 < pct <= 100:
            problems.append(Refused(field, "a share of the volume: more than 0, at most 100"))
        elif entry.verdict is None:
            problems.append(
                Refused(field, f"record a verdict on {entry.vendor.name}'s pilot first")
            )
        elif entry.verdict == PilotVerdict.UNWIND:
            problems.append(
                Refused(
                    field, f"{entry.vendor.name}'s pilot verdict is unwind: it cannot be awarded"
                )
            )
    if not given:
        problems.append(Refused("shares", "give the awarded vendor's share: 100 % for one vendor"))
    refuse_all(problems)
    total = math.fsum(p for p in given.values() if p is not None)
    if abs(total - 100) > SHARE_TOLERANCE:
        raise Refused("shares", f"the shares must add up to 100 % (they add up to {total:g} %)")
    rationale = clean_text(rationale)
    if not rationale:
        raise Refused("rationale", "record why: the pilot's evidence is added to it")
    ranks = {v.key: (v.rank or 10**6) for v in result.vendors}
    for vendor_id in given:
        vendor = by_vendor[vendor_id].vendor
        if ranks.get(vendor.key, 10**6) == 10**6:
            raise Refused(f"share_{vendor_id}", f"{vendor.name} is disqualified")
    ordered = sorted(
        given.items(), key=lambda item: (-item[1], ranks.get(by_vendor[item[0]].vendor.key, 10**6))
    )
    main = by_vendor[ordered[0][0]].vendor
    assert result.pilot is not None
    names = {pv.vendor.key: pv.vendor.name for pv in pilot.vendors}
    evidence = evidence_text(pilot, result.pilot, names)
    split = [(by_vendor[vid].vendor, float(pct)) for vid, pct in ordered]
    text = rationale
    if len(split) > 1:
        text += "\n\nSplit award: " + ", ".join(f"{v.name} {pct:g} %" for v, pct in split) + "."
    decide(
        session,
        evaluation,
        user,
        result,
        main,
        text + "\n\nPilot evidence: " + evidence,
        override_reason=clean_text(override_reason),
        # The pilot's award page is its own confirmation, and its rationale with the
        # pilot's evidence answers for anything still open (kept with the award).
        open_items_reason=rationale,
        confirmed=True,
    )
    if len(split) > 1:
        for i, (vendor, pct) in enumerate(split):
            session.add(
                m.AwardShare(
                    evaluation_id=evaluation.id, vendor_id=vendor.id, share_pct=pct, position=i
                )
            )
        session.flush()
        record(
            session,
            evaluation,
            user,
            "award.split",
            main.name,
            new={vendor.name: pct for vendor, pct in split},
        )
    return main, split
