"""The pilot and the split award between the scenario file and the database (the part
of import and dump that store.py hands over). Flush, never commit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.core.db import utcnow
from rfp.domain.vocabulary import Kpi


def _num(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def import_pilot(
    session: Session,
    evaluation: m.Evaluation,
    pilot: dict[str, Any] | None,
    vendors: dict[str, m.Vendor],
) -> m.Pilot | None:
    """The canonical pilot as rows of the evaluation (nothing when there is none)."""
    if pilot is None:
        return None
    row = m.Pilot(
        evaluation_id=evaluation.id,
        channels=list(pilot["channels"]),
        contact_types=pilot["contact_types"],
        volume_share_pct=pilot["volume_share_pct"],
        start_date=date.fromisoformat(pilot["start"]) if pilot["start"] else None,
        end_date=date.fromisoformat(pilot["end"]) if pilot["end"] else None,
        criteria_fixed_at=datetime.fromisoformat(pilot["criteria_fixed"])
        if pilot["criteria_fixed"]
        else None,
    )
    now = utcnow()
    by_vendor: dict[str, m.PilotVendor] = {}
    for i, s in enumerate(pilot["shortlist"]):
        entry = m.PilotVendor(
            vendor_id=vendors[s["vendor"]].id,
            role=s["role"],
            position=i,
            verdict=s["verdict"],
            verdict_reason=s["verdict_reason"],
            verdict_at=now if s["verdict"] else None,
        )
        row.vendors.append(entry)
        by_vendor[s["vendor"]] = entry
    for i, k in enumerate(pilot["criteria"]):
        row.criteria.append(
            m.PilotCriterion(
                kpi=k["kpi"],
                direction=k["direction"],
                threshold=float(k["threshold"]),
                fail_at=float(k["fail_at"]),
                seconds=k["seconds"],
                baseline=k["baseline"],
                position=i,
            )
        )
    for week in pilot["weeks"]:
        for kpi in Kpi:
            if week.get(kpi.value) is not None:
                by_vendor[week["vendor"]].figures.append(
                    m.PilotFigure(week=week["week"], kpi=kpi, value=float(week[kpi.value]))
                )
    session.add(row)
    session.flush()
    return row


def import_award_shares(
    session: Session,
    evaluation: m.Evaluation,
    award: dict[str, Any] | None,
    vendors: dict[str, m.Vendor],
) -> None:
    for i, share in enumerate((award or {}).get("shares") or []):
        session.add(
            m.AwardShare(
                evaluation_id=evaluation.id,
                vendor_id=vendors[share["vendor"]].id,
                share_pct=float(share["share_pct"]),
                position=i,
            )
        )


def load_pilot(session: Session, evaluation_id: int) -> m.Pilot | None:
    return session.scalar(select(m.Pilot).where(m.Pilot.evaluation_id == evaluation_id))


def dump_pilot(
    session: Session, evaluation_id: int, vendor_key: dict[int, str]
) -> dict[str, Any] | None:
    """The canonical pilot of an evaluation, or None when it has none."""
    pilot = load_pilot(session, evaluation_id)
    if pilot is None:
        return None
    shortlist = list(pilot.vendors)
    figures: dict[tuple[int, int], dict[str, Any]] = {}
    for figure in session.scalars(
        select(m.PilotFigure)
        .join(m.PilotVendor)
        .where(m.PilotVendor.pilot_id == pilot.id)
        .order_by(m.PilotFigure.week, m.PilotFigure.id)
    ):
        figures.setdefault((figure.pilot_vendor_id, figure.week), {})[figure.kpi] = figure.value
    weeks = []
    for entry in shortlist:
        for (pilot_vendor_id, week), values in sorted(figures.items()):
            if pilot_vendor_id != entry.id:
                continue
            row: dict[str, Any] = {"vendor": vendor_key[entry.vendor_id], "week": week}
            row |= {kpi.value: _num(values[kpi]) for kpi in Kpi if kpi in values}
            weeks.append(row)
    return {
        "channels": list(pilot.channels or []),
        "contact_types": pilot.contact_types,
        "volume_share_pct": _num(pilot.volume_share_pct),
        "start": pilot.start_date.isoformat() if pilot.start_date else None,
        "end": pilot.end_date.isoformat() if pilot.end_date else None,
        "criteria_fixed": pilot.criteria_fixed_at.isoformat() if pilot.criteria_fixed_at else None,
        "shortlist": [
            {
                "vendor": vendor_key[entry.vendor_id],
                "role": entry.role,
                "verdict": entry.verdict,
                "verdict_reason": entry.verdict_reason,
            }
            for entry in shortlist
        ],
        "criteria": [
            {
                "kpi": k.kpi,
                "direction": k.direction,
                "threshold": _num(k.threshold),
                "fail_at": _num(k.fail_at),
                "seconds": _num(k.seconds),
                "baseline": _num(k.baseline),
            }
            for k in pilot.criteria
        ],
        "weeks": weeks,
    }


def dump_award_shares(
    session: Session, evaluation_id: int, vendor_key: dict[int, str]
) -> list[dict[str, Any]] | None:
    shares = session.scalars(
        select(m.AwardShare)
        .where(m.AwardShare.evaluation_id == evaluation_id)
        .order_by(m.AwardShare.position, m.AwardShare.id)
    ).all()
    if not shares:
        return None
    return [{"vendor": vendor_key[s.vendor_id], "share_pct": _num(s.share_pct)} for s in shares]
