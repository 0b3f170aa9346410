"""Page 1 of the PDF summary: what a board reads before anything else.

The recommendation (or the award, with who recorded it and when), the money of the
vendor it names (TCO over the term, cost per contact, and the difference against keeping
the work in-house, a negative one said plainly), and the process exceptions in a box,
from `rfp.reports.meta.process_exceptions`. Then a few counts. Numbers come from the
Result, formatted like the results page (rfp.domain.formatting).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from rfp.domain.formatting import counted, day, money, percent, when
from rfp.domain.recommendation import recommend
from rfp.domain.scoring.result import Result, VendorResult
from rfp.reports.meta import ReportMeta, process_exceptions
from rfp.reports.pdf.amendments import exception_lines
from rfp.reports.pdf.fonts import FONT
from rfp.reports.pdf.styles import GOOD_BG, LINE, PALE, plain, styles, user
from rfp.reports.wording import stage_name

EXCEPTIONS_BG = colors.HexColor("#FDF1E2")
EXCEPTIONS_LINE = colors.HexColor("#E0A458")
EXCEPTION_LINES = 8  # beyond this, "and n more" (the audit trail has them all)


def cover(
    result: Result, doc: dict[str, Any], meta: ReportMeta, generated_at: datetime, width: float
) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [
        plain("Vendor evaluation summary", s.kicker),
        user(doc["evaluation"]["title"], s.title),
        Spacer(1, 4),
        plain(_stage_line(doc, result, generated_at), s.small),
        Spacer(1, 12),
        _recommendation(result, doc, meta),
        Spacer(1, 10),
        *_money(result, doc, meta, width),
        Spacer(1, 10),
        _exceptions_box(process_exceptions(result, meta) + exception_lines(result, doc), meta),
        Spacer(1, 10),
        _key_facts(result, doc),
    ]
    return story


def _stage_line(doc: dict[str, Any], result: Result, generated_at: datetime) -> str:
    ev = doc["evaluation"]
    evaluators = [e for e in doc["evaluators"] if e["active"]]
    qualified = len(result.vendors) - sum(v.disqualified for v in result.vendors)
    return (
        f"Stage: {stage_name(ev['stage'])} · {counted(len(result.vendors), 'vendor')} "
        f"({qualified} qualified) · {counted(len(evaluators), 'evaluator')} · generated "
        f"{when(generated_at)}"
    )


def _panel(cells: list[Flowable], background: Any, border: Any = LINE) -> Table:
    panel = Table([[cells]], colWidths=["100%"])
    panel.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, -1), background),
                ("BOX", (0, 0), (-1, -1), 0.6, border),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
            ]
        )
    )
    return panel


def _recommendation(result: Result, doc: dict[str, Any], meta: ReportMeta) -> Table:
    """The recommendation, and the decision: awarded to whom, by whom, on what day."""
    s = styles()
    rec = recommend(result)
    if rec.status == "recommend" and rec.leader is not None:
        box: list[Flowable] = [plain("Recommendation", s.kicker), user(rec.leader, s.big)]
        box.append(user(rec.headline, s.body))
    else:
        box = [user(rec.headline, s.h2), user(rec.detail, s.body)]
    for caveat in rec.amendments:  # a knockout amended to pass after unsealing
        box.append(user(caveat, s.body))
    awarded = _awarded(result, meta)
    if awarded is not None:
        box.append(user(f"Awarded to {awarded.name}.", s.h2))
        box.append(user(decision_line(meta), s.body))
        if meta.award_rationale:
            box.append(user(f"“{meta.award_rationale}”", s.quote))
    else:
        box.append(plain(f"No award recorded yet (stage: {stage_name(meta.stage)}).", s.small))
    return _panel(box, GOOD_BG if rec.status == "recommend" and not rec.amendments else PALE)


def decision_line(meta: ReportMeta) -> str:
    """Who recorded the award (the decision maker) and on what day, or that the record
    does not say."""
    unknown = "not on record"
    by = meta.decided_by or unknown
    on = day(meta.decided_at) if meta.decided_at is not None else unknown
    line = f"Decision maker: {by} · Award date: {on}"
    if unknown in (by, on) and meta.from_scenario_file:
        line += " (a scenario file does not keep who recorded the award, nor when)"
    return line


def _awarded(result: Result, meta: ReportMeta) -> VendorResult | None:
    return next((v for v in result.vendors if v.key == meta.award_vendor), None)


def _money_subjects(result: Result, meta: ReportMeta) -> tuple[list[VendorResult], str]:
    """Whose money page 1 shows, and why: the awarded vendor, else the leader, else the
    vendors tied for first."""
    awarded = _awarded(result, meta)
    if awarded is not None:
        return [awarded], "awarded"
    leader = result.leader()
    if leader is not None:
        return [leader], "ranked first" if result.complete else "leading for now"
    return [v for v in result.ranked if v.rank == 1], "tied for first"


def savings_text(savings: float | None) -> str:
    """The difference against in-house in words: what the vendor saves, or what it costs
    more (never a bare negative number)."""
    if savings is None:
        return "no in-house rate to compare"
    if savings < 0:
        return f"costs {money(-savings)} more than in-house"
    return f"saves {money(savings)} against in-house"


def _money(result: Result, doc: dict[str, Any], meta: ReportMeta, width: float) -> list[Flowable]:
    """TCO, cost per contact and the difference against in-house of the vendor the page
    names (one row each when several are tied)."""
    s = styles()
    subjects, why = _money_subjects(result, meta)
    if not subjects:
        return [plain("No qualified vendor: no price to report.", s.body)]
    scope = doc["evaluation"]["scope"]
    term = scope.get("term_months")
    over = f" over {term:g} months" if term else ""  # the term
    title = f"The money: {subjects[0].name}, {why}" if len(subjects) == 1 else f"The money ({why})"
    labels = [f"TCO{over}", "Cost per contact", "Against in-house"]
    widths = [width * 0.3, width * 0.2, width * 0.5]
    if len(subjects) > 1:
        labels.insert(0, "Vendor")
        widths = [width * 0.25, width * 0.25, width * 0.15, width * 0.35]
    rows: list[list[Any]] = [[plain(label, s.small) for label in labels]]
    computed = any(v.cost is not None for v in result.vendors)
    for vendor in subjects:
        row = _money_row(vendor, computed)
        rows.append([user(vendor.name, s.cell_bold), *row] if len(subjects) > 1 else row)
    table = Table(rows, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return [user(title, s.h2), table, Spacer(1, 3), plain(_baseline(result, scope), s.small)]


def _money_row(vendor: VendorResult, costs_computed: bool) -> list[Any]:
    s = styles()
    cost = vendor.cost
    if cost is None:
        missing = "no price" if costs_computed else "not computed"
        return [plain(missing, s.h2), plain("–", s.h2), plain("–", s.h2)]
    against: list[Flowable] = [plain(savings_text(cost.savings), s.h2)]
    if cost.savings is not None and cost.inhouse_tco:
        share = percent(abs(cost.savings) / cost.inhouse_tco)
        side = "below" if cost.savings >= 0 else "above"
        against.append(plain(f"{share} {side} the in-house cost", s.small))
    return [plain(money(cost.tco), s.h2), plain(money(cost.cost_per_contact, 2), s.h2), against]


def _baseline(result: Result, scope: dict[str, Any]) -> str:
    """What the money is measured against, in a line."""
    priced = next((v.cost for v in result.vendors if v.cost is not None), None)
    if priced is None:
        return "TCO: setup fee, the monthly charge and fees over the term, and governance."
    overhead = scope.get("governance_overhead_pct") or 0
    text = (
        f"TCO: setup fee plus the monthly charge and fees over the term, with {overhead:g} % "
        f"governance overhead; {priced.hours_per_month:,.0f} agent-hours a month."
    )
    if priced.inhouse_tco is not None:
        text += (
            f" In-house: {money(priced.inhouse_tco)} over the term at "
            f"{money(scope['inhouse_rate'], 2)} an agent-hour."
        )
    return text


def _exceptions_box(lines: list[str], meta: ReportMeta) -> Table:
    """The exceptions one per line, or what was checked and found clean."""
    s = styles()
    if not lines:
        done = ["no conflict of interest declared"]
        if meta.past_scoring:
            done.append("every scorecard submitted")
        if meta.decided and meta.decided_at is not None and meta.deadline is not None:
            done.append("award after the response deadline")
        text = "None: " + ", ".join(done) + "."
        return _panel([plain("Process exceptions", s.h2), plain(text, s.body)], PALE)
    shown = lines[:EXCEPTION_LINES]
    cells: list[Flowable] = [plain("Process exceptions", s.h2)]
    cells += [user(f"• {line}", s.exception) for line in shown]
    if len(lines) > len(shown):
        more = len(lines) - len(shown)
        cells.append(plain(f"… and {more} more (the audit trail has them all).", s.small))
    return _panel(cells, EXCEPTIONS_BG, EXCEPTIONS_LINE)


def _key_facts(result: Result, doc: dict[str, Any]) -> Table:
    s = styles()
    open_flags = [d for d in result.flagged_dispersion if not d.resolved]
    facts = [
        ("Vendors qualified", f"{len(result.ranked)} of {len(result.vendors)}"),
        ("Evaluator scores", f"{len(doc['scores']):,}"),
        ("Reference calls", f"{len(doc['references']):,}"),
        ("Score spreads to calibrate", f"{len(open_flags):,} open"),
    ]
    cells = [[plain(label, s.small) for label, _ in facts], [plain(v, s.h2) for _, v in facts]]
    t = Table(cells, colWidths=["25%"] * 4)
    t.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("LINEABOVE", (0, 0), (-1, 0), 0.6, LINE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return t
