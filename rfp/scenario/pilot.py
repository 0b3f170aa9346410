"""The scenario file's pilot and split award (format 1, optional fields): validation,
canonical form, and the engine's input.

```json
"pilot": {
  "channels": ["email", "chat"], "contact_types": "Order status, subscription changes",
  "volume_share_pct": 15, "start": "2026-11-02", "end": "2027-01-10",
  "criteria_fixed": "2026-10-29T16:00:00+00:00",
  "shortlist": [{"vendor": "puente_norte", "role": "champion", "verdict": "expand",
                 "verdict_reason": "Every criterion passes"}],
  "criteria": [{"kpi": "fcr_pct", "direction": "higher", "threshold": 75, "fail_at": 72,
                "seconds": null, "baseline": 70}],
  "weeks": [{"vendor": "puente_norte", "week": 1, "fcr_pct": 71.5, "csat_pct": 84}]
}
```

and `evaluation.award.shares`: `[{"vendor": key, "share_pct": 70}, ...]` for an award that
divides the volume (two or more vendors, shares summing to 100). A file without them
reads, and dumps, exactly as before.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rfp.domain.kpis import KPI_SPECS, SuccessCriterion
from rfp.domain.pilot import MAX_PILOT_WEEKS, PilotPlan, ShortlistedVendor, weeks_between
from rfp.domain.vocabulary import Kpi, KpiDirection, PilotRole, PilotVerdict, Stage
from rfp.scenario.checks import Checker

PILOT_FIELDS = (
    "channels",
    "contact_types",
    "volume_share_pct",
    "start",
    "end",
    "criteria_fixed",
    "shortlist",
    "criteria",
    "weeks",
)
# A pilot is shortlisted at the end of consensus, but an evaluation stepped back from
# its pilot keeps it (to scoring, even): a file at any stage may carry one, so that
# every evaluation dumps to a file that imports.
SHARE_TOLERANCE = 1e-6


def check_pilot(
    c: Checker, value: Any, *, stage: str | None, vendor_keys: set[str]
) -> dict[str, Any] | None:
    """The canonical pilot, or None when the file has none (errors go to `c`)."""
    path = "pilot"
    if value is None:
        if stage == Stage.PILOT:
            c.error("evaluation.stage", "is 'pilot' but the file has no pilot")
        return None
    p = c.obj(value, path, allowed=PILOT_FIELDS, required=("shortlist",))
    if p is None:
        return None
    start = _date(c, p.get("start"), f"{path}.start")
    end = _date(c, p.get("end"), f"{path}.end")
    weeks = None
    if start and end:
        if end < start:
            c.error(f"{path}.end", "must be on or after the start")
        elif weeks_between(date.fromisoformat(start), date.fromisoformat(end)) > MAX_PILOT_WEEKS:
            c.error(f"{path}.end", f"a pilot runs at most {MAX_PILOT_WEEKS} weeks")
        else:
            weeks = weeks_between(date.fromisoformat(start), date.fromisoformat(end))
    fixed = p.get("criteria_fixed")
    share = p.get("volume_share_pct")
    out: dict[str, Any] = {
        "channels": c.text_list(p.get("channels", []), f"{path}.channels") or [],
        "contact_types": c.text(p.get("contact_types", ""), f"{path}.contact_types") or "",
        "volume_share_pct": None
        if share is None
        else c.number(share, f"{path}.volume_share_pct", exclusive_minimum=0, maximum=100),
        "start": start,
        "end": end,
        "criteria_fixed": None
        if fixed is None
        else c.iso_datetime(fixed, f"{path}.criteria_fixed"),
        "shortlist": _shortlist(c, p.get("shortlist"), f"{path}.shortlist", vendor_keys),
        "criteria": _criteria(c, p.get("criteria", []), f"{path}.criteria"),
    }
    out["weeks"] = _weeks(c, p.get("weeks", []), f"{path}.weeks", out, weeks)
    return out


def _date(c: Checker, value: Any, path: str) -> str | None:
    return None if value is None else c.iso_date(value, path)


def _shortlist(c: Checker, value: Any, path: str, vendor_keys: set[str]) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(c.array(value, path, non_empty=True)):
        entry_path = f"{path}[{i}]"
        s = c.obj(
            item,
            entry_path,
            allowed=("vendor", "role", "verdict", "verdict_reason"),
            required=("vendor", "role"),
        )
        if s is None:
            continue
        c.known(s.get("vendor"), f"{entry_path}.vendor", vendor_keys, "vendor")
        verdict = s.get("verdict")
        reason = c.text(s.get("verdict_reason", ""), f"{entry_path}.verdict_reason") or ""
        if verdict is not None and not reason.strip():
            c.error(f"{entry_path}.verdict_reason", "a recorded verdict needs its reason")
        out.append(
            {
                "vendor": s.get("vendor"),
                "role": c.choice(s.get("role"), f"{entry_path}.role", PilotRole.values()),
                "verdict": None
                if verdict is None
                else c.choice(verdict, f"{entry_path}.verdict", PilotVerdict.values()),
                "verdict_reason": reason,
            }
        )
    c.unique(
        ((f"{path}[{i}].vendor", s["vendor"]) for i, s in enumerate(out) if s["vendor"]),
        "shortlisted vendor",
    )
    champions = sum(1 for s in out if s["role"] == PilotRole.CHAMPION)
    if out and champions != 1:
        c.error(path, f"needs exactly one champion (has {champions})")
    return out


def _criteria(c: Checker, value: Any, path: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, item in enumerate(c.array(value, path)):
        entry_path = f"{path}[{i}]"
        k = c.obj(
            item,
            entry_path,
            allowed=("kpi", "direction", "threshold", "fail_at", "seconds", "baseline"),
            required=("kpi", "threshold", "fail_at"),
        )
        if k is None:
            continue
        kpi = c.choice(k.get("kpi"), f"{entry_path}.kpi", Kpi.values())
        spec = KPI_SPECS[Kpi(kpi)] if kpi else None
        lowest, highest = (spec.lowest, spec.highest) if spec else (None, None)
        direction = c.choice(
            k.get("direction", spec.direction if spec else KpiDirection.HIGHER),
            f"{entry_path}.direction",
            KpiDirection.values(),
        )
        seconds, baseline = k.get("seconds"), k.get("baseline")
        if seconds is not None and kpi != Kpi.SERVICE_LEVEL:
            c.error(f"{entry_path}.seconds", "is for the service level only")
        criterion = {
            "kpi": kpi,
            "direction": direction,
            "threshold": c.number(
                k.get("threshold"), f"{entry_path}.threshold", minimum=lowest, maximum=highest
            ),
            "fail_at": c.number(
                k.get("fail_at"), f"{entry_path}.fail_at", minimum=lowest, maximum=highest
            ),
            "seconds": None
            if seconds is None
            else c.number(seconds, f"{entry_path}.seconds", exclusive_minimum=0, maximum=3600),
            "baseline": None
            if baseline is None
            else c.number(baseline, f"{entry_path}.baseline", minimum=lowest, maximum=highest),
        }
        checked = criterion_of(criterion)
        if checked is not None and (problem := checked.problem()):
            c.error(f"{entry_path}.fail_at", problem)
        out.append(criterion)
    c.unique(
        ((f"{path}[{i}].kpi", k["kpi"]) for i, k in enumerate(out) if k["kpi"]), "success criterion"
    )
    return out


def _weeks(
    c: Checker, value: Any, path: str, pilot: dict[str, Any], weeks: int | None
) -> list[dict[str, Any]]:
    rows = c.array(value, path)
    if rows and weeks is None:
        c.error(path, "weekly figures need the pilot's start and end dates")
    if rows and pilot["criteria_fixed"] is None:
        c.error(path, "weekly figures need the success criteria fixed (criteria_fixed)")
    order = {s["vendor"]: i for i, s in enumerate(pilot["shortlist"])}
    kpis = [k["kpi"] for k in pilot["criteria"] if k["kpi"]]
    out = []
    for i, item in enumerate(rows):
        row_path = f"{path}[{i}]"
        w = c.obj(
            item, row_path, allowed=("vendor", "week", *Kpi.values()), required=("vendor", "week")
        )
        if w is None:
            continue
        c.known(w.get("vendor"), f"{row_path}.vendor", order, "shortlisted vendor")
        week = c.number(w.get("week"), f"{row_path}.week", minimum=1, integer=True)
        if week is not None and weeks is not None and week > weeks:
            c.error(f"{row_path}.week", f"the pilot has {weeks} weeks")
        row: dict[str, Any] = {"vendor": w.get("vendor"), "week": week}
        for kpi in Kpi:
            if kpi.value not in w:
                continue
            if kpi.value not in kpis:
                c.error(f"{row_path}.{kpi.value}", "the pilot has no success criterion for it")
                continue
            spec = KPI_SPECS[kpi]
            row[kpi.value] = c.number(
                w[kpi.value], f"{row_path}.{kpi.value}", minimum=spec.lowest, maximum=spec.highest
            )
        out.append(row)
    c.unique(
        (
            (f"{path}[{i}]", f"{w['vendor']} week {w['week']}")
            for i, w in enumerate(out)
            if w["vendor"] and w["week"]
        ),
        "week",
    )
    # Canonical order: the shortlist's, then week by week (what the database gives back).
    out.sort(key=lambda w: (order.get(w["vendor"], len(order)), w["week"] or 0))
    return out


def check_award_shares(
    c: Checker, value: Any, path: str, vendor_keys: set[str], awarded: str | None
) -> list[dict[str, Any]] | None:
    """A split award's shares: two or more vendors, each share in (0, 100], summing to
    100, the awarded vendor among them."""
    if value is None:
        return None
    out: list[dict[str, Any]] = []
    for i, item in enumerate(c.array(value, path)):
        s = c.obj(
            item, f"{path}[{i}]", allowed=("vendor", "share_pct"), required=("vendor", "share_pct")
        )
        if s is None:
            continue
        c.known(s.get("vendor"), f"{path}[{i}].vendor", vendor_keys, "vendor")
        out.append(
            {
                "vendor": s.get("vendor"),
                "share_pct": c.number(
                    s.get("share_pct"), f"{path}[{i}].share_pct", exclusive_minimum=0, maximum=100
                ),
            }
        )
    c.unique(((f"{path}[{i}].vendor", s["vendor"]) for i, s in enumerate(out)), "vendor")
    if len(out) < 2:
        c.error(path, "a split award names two or more vendors (leave shares out otherwise)")
    shares = [s["share_pct"] for s in out if s["share_pct"] is not None]
    if len(shares) == len(out) and abs(sum(shares) - 100) > SHARE_TOLERANCE:
        c.error(path, f"the shares must add up to 100 (they add up to {sum(shares):g})")
    if awarded is not None and out and awarded not in {s["vendor"] for s in out}:
        c.error(path, f"must include the awarded vendor {awarded!r}")
    return out


# -- canonical document -> engine input ---------------------------------------------------


def criterion_of(entry: dict[str, Any]) -> SuccessCriterion | None:
    """A canonical criterion as the domain's, or None when a field is missing."""
    if entry.get("kpi") is None or entry.get("threshold") is None or entry.get("fail_at") is None:
        return None
    return SuccessCriterion(
        kpi=Kpi(entry["kpi"]),
        direction=KpiDirection(entry["direction"] or KPI_SPECS[Kpi(entry["kpi"])].direction),
        threshold=float(entry["threshold"]),
        fail_at=float(entry["fail_at"]),
        seconds=None if entry.get("seconds") is None else float(entry["seconds"]),
        baseline=None if entry.get("baseline") is None else float(entry["baseline"]),
    )


def pilot_plan_of(pilot: dict[str, Any] | None) -> PilotPlan | None:
    """The engine's pilot from the canonical pilot (None when there is none)."""
    if pilot is None:
        return None
    start = date.fromisoformat(pilot["start"]) if pilot["start"] else None
    end = date.fromisoformat(pilot["end"]) if pilot["end"] else None
    criteria = tuple(c for c in map(criterion_of, pilot["criteria"]) if c is not None)
    figures = {
        (row["vendor"], int(row["week"]), kpi.value): float(row[kpi.value])
        for row in pilot["weeks"]
        for kpi in Kpi
        if row.get(kpi.value) is not None
    }
    return PilotPlan(
        weeks=weeks_between(start, end) if start and end else 0,
        criteria=criteria,
        vendors=tuple(
            ShortlistedVendor(s["vendor"], s["role"], s["verdict"], s["verdict_reason"])
            for s in pilot["shortlist"]
        ),
        figures=figures,
        start=start,
    )


def award_shares_of(award: dict[str, Any] | None) -> tuple[tuple[str, float], ...]:
    """A split award's (vendor, percent) pairs; empty when the award is not split."""
    if not award or not award.get("shares"):
        return ()
    return tuple((s["vendor"], float(s["share_pct"])) for s in award["shares"])
