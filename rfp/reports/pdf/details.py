"""The later sections of the PDF summary: cost and savings, reference calls, dispersion
flags and the methodology."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, Spacer

from rfp.domain.formatting import day, money, percent, score_text, when
from rfp.domain.numbering import number_document
from rfp.domain.scoring.benchmarks import (
    COST_PER_CONTACT_RANGE,
    INHOUSE_RATE_RANGE,
    RATE_RANGES,
    REFERENCE_CALLS_EXPECTED,
)
from rfp.domain.scoring.engine import reference_flags
from rfp.domain.scoring.result import Result
from rfp.domain.vocabulary import DeliveryModel
from rfp.reports.pdf.styles import (
    DISQUALIFIED_BG,
    FLAG_BG,
    heading,
    own,
    plain,
    section,
    styles,
    table,
    user,
)
from rfp.reports.wording import price_formula_name, price_formula_rule, stage_name

COST_FLAGS = ("price_range", "cost_per_contact_range", "abnormally_low")
REFERENCE_HIGHLIGHT_VENDORS = 5  # quote the calls of the leading vendors, and every "no"
DISPERSION_ROWS = 25  # beyond this, a count per vendor and the widest spreads


def _range(low_high: tuple[float, float]) -> str:
    return f"${low_high[0]:g}-{low_high[1]:g}"


def cost(result: Result, doc: dict[str, Any], width: float) -> list[Flowable]:
    s = styles()
    title = "Cost and savings against in-house"
    scope = doc["evaluation"]["scope"]
    priced = [v.cost for v in result.vendors if v.cost is not None]
    if not priced:
        return section(
            title, [plain("No vendor cost was computed (no cost scope or no prices).", s.body)]
        )
    hours = priced[0].hours_per_month
    inhouse = priced[0].inhouse_tco
    assumptions = (
        f"{scope['contacts_per_month']:,.0f} contacts a month × {scope['aht_minutes']:g} min "
        f"handle time at {percent(scope['occupancy'])} occupancy = {hours:,.0f} agent-hours a "
        f"month; a {scope['term_months']:g}-month term; governance overhead "
        f"{scope['governance_overhead_pct']:g} %."
    )
    if inhouse is not None:
        assumptions += (
            f" In-house at {money(scope['inhouse_rate'], 2)} an agent-hour (the market "
            f"benchmark is {_range(INHOUSE_RATE_RANGE)}): {money(inhouse)} over the term."
        )
    rows: list[list[Any]] = [
        [
            plain("Vendor", s.head),
            plain("Rate per agent-hour", s.head_right),
            plain("Benchmark", s.head_right),
            plain("TCO", s.head_right),
            plain("Per contact", s.head_right),
            plain("Savings vs in-house", s.head_right),
            plain("Cost score", s.head_right),
        ]
    ]
    extra: list[tuple[Any, ...]] = []
    for vendor in result.vendors:
        c = vendor.cost
        name = user(vendor.name, s.cell_bold)
        if c is None:
            rows.append([name, plain("no price", s.cell), "", "", "", "", ""])
            continue
        rows.append(
            [
                name,
                plain(money(c.effective_rate, 2), s.cell_right),
                plain(_range(c.rate_range) if c.rate_range else "–", s.cell_right),
                plain(money(c.tco), s.cell_right),
                plain(money(c.cost_per_contact, 2), s.cell_right),
                plain(money(c.savings), s.cell_right),
                plain(score_text(c.score), s.cell_right),
            ]
        )
        row = len(rows) - 1
        if any(f.kind in COST_FLAGS for f in vendor.flags):
            extra.append(("BACKGROUND", (0, row), (-1, row), FLAG_BG))
        if vendor.disqualified:
            extra.append(("BACKGROUND", (0, row), (0, row), DISQUALIFIED_BG))
    rest = (width - 130) / 6
    ranges = ", ".join(
        f"{DeliveryModel(model).label.lower()} {_range(r)}" for model, r in RATE_RANGES.items()
    )
    story = section(
        title,
        [
            plain(assumptions, s.body),
            table(rows, [130, *([rest] * 6)], extra=extra),
            Spacer(1, 3),
            plain(
                f"Market benchmarks per agent-hour: {ranges}; in-house "
                f"{_range(INHOUSE_RATE_RANGE)}; cost per contact "
                f"{_range(COST_PER_CONTACT_RANGE)}. Rows shaded orange carry a price flag. A "
                "negative saving (−) is what the vendor costs more than in-house.",
                s.small,
            ),
        ],
    )
    story += rate_lines(result, doc, width)
    flagged = [(v, f) for v in result.vendors for f in v.flags if f.kind in COST_FLAGS]
    if flagged:
        rows = [[plain("Vendor", s.head), plain("Price flag", s.head)]]
        rows += [[user(v.name, s.cell_bold), user(f.message, s.cell)] for v, f in flagged]
        story += section("Price flags", [table(rows, [130, width - 130])], 2)
    return story


def tier_words(tier: dict[str, Any]) -> str:
    """ "10 % off above 15,000 contacts" or "$9.50 above 15,000 contacts"."""
    above = f"above {tier['above_contacts']:,.0f} contacts"
    if tier.get("discount_pct") is not None:
        return f"{tier['discount_pct']:g} % off {above}"
    return f"{money(tier['rate'], 2)} {above}"


def rate_lines(result: Result, doc: dict[str, Any], width: float) -> list[Flowable]:
    """The prices quoted with rate lines or volume tiers: each part of the volume (a
    channel in a language, by the scope's mix) with its share, rate and monthly charge,
    then what the tiers take off."""
    s = styles()
    quoted = [v for v in result.vendors if v.cost is not None and v.cost.charge_lines]
    if not quoted:
        return []
    pricing = {v["key"]: v["pricing"] or {} for v in doc["vendors"]}
    rows: list[list[Any]] = [
        [
            plain("Vendor", s.head),
            plain("Channel · language", s.head),
            plain("Share of contacts", s.head_right),
            plain("Rate", s.head_right),
            plain("Monthly charge", s.head_right),
            plain("From", s.head),
        ]
    ]
    for vendor in quoted:
        assert vendor.cost is not None
        for part in vendor.cost.charge_lines:
            rows.append(
                [
                    user(vendor.name, s.cell_bold),
                    user(f"{part.channel or 'any'} · {part.language or 'any'}", s.cell),
                    plain(percent(part.share), s.cell_right),
                    plain(money(part.rate, 2), s.cell_right),
                    plain(money(part.charge), s.cell_right),
                    plain("rate line" if part.from_line else "single rate", s.cell),
                ]
            )
        tiers = pricing.get(vendor.key, {}).get("tiers") or []
        if tiers:
            rows.append(
                [
                    user(vendor.name, s.cell_bold),
                    user("; ".join(tier_words(t) for t in tiers), s.cell),
                    "",
                    "",
                    plain(f"−{money(vendor.cost.tier_discount)}", s.cell_right),
                    plain("volume tiers", s.cell),
                ]
            )
    rest = (width - 130 - 150) / 4
    return section(
        "Rate lines and volume tiers",
        [
            table(rows, [130, 150, *([rest] * 4)]),
            Spacer(1, 3),
            plain(
                "A part of the volume no rate line covers is at the vendor's single rate. "
                "Tiers are marginal: only the contacts above a threshold get its price.",
                s.small,
            ),
        ],
        2,
    )


def references(result: Result, doc: dict[str, Any], width: float) -> list[Flowable]:
    s = styles()
    title = "Reference calls"
    calls = doc["references"]
    if not calls:
        return section(title, [plain("No reference call has been recorded.", s.body)])
    rows: list[list[Any]] = [
        [
            plain("Vendor", s.head),
            plain("Calls", s.head_right),
            plain("Would sign again: yes", s.head_right),
            plain("no", s.head_right),
            plain("unsure", s.head_right),
            plain("References score", s.head_right),
        ]
    ]
    extra: list[tuple[Any, ...]] = []
    for vendor in result.vendors:
        r = vendor.references
        rows.append(
            [
                user(vendor.name, s.cell_bold),
                plain(str(r.calls), s.cell_right),
                *(plain(str(r.would_sign_again.get(a, 0)), s.cell_right)
                  for a in ("yes", "no", "unsure")),
                plain(score_text(r.score), s.cell_right),
            ]
        )  # fmt: skip
        if reference_flags(r.calls, r.would_sign_again.get("no", 0)):
            extra.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), FLAG_BG))
    rest = (width - 160) / 5
    notes = (
        f"Shaded: fewer than {REFERENCE_CALLS_EXPECTED} calls, or a reference that would not "
        "sign again. The references score is the mean rating, normalised to 0-100."
    )
    story = section(
        title,
        [table(rows, [160, *([rest] * 5)], extra=extra), Spacer(1, 3), plain(notes, s.small)],
    )
    story += _highlights(result, doc)
    return story


def _highlights(result: Result, doc: dict[str, Any]) -> list[Flowable]:
    """The would-sign-again answers and the negative surprises of the leading vendors'
    calls, and of every call whose reference would not sign again, quoted."""
    s = styles()
    leading = [v.key for v in result.vendors[:REFERENCE_HIGHLIGHT_VENDORS]]
    names = {v.key: v.name for v in result.vendors}
    evaluators = {e["key"]: e["name"] for e in doc["evaluators"]}
    order = {key: i for i, key in enumerate(names)}
    chosen = [
        c for c in doc["references"] if c["vendor"] in leading or c["would_sign_again"] == "no"
    ]
    chosen.sort(key=lambda c: order.get(c["vendor"], len(order)))
    story: list[Flowable] = heading("Highlights", 2)
    current = None
    for call in chosen:
        if call["vendor"] != current:
            current = call["vendor"]
            story.append(user(names.get(current, current), s.cell_bold))
        who = ", ".join(t for t in (call["company"], call["contact"]) if t)
        caller = evaluators.get(call["caller"], call["caller"])
        source = f"{who} (called by {caller}" if caller else f"{who} ("
        source += (", " if caller else "") + (call["date"] or "undated") + ")"
        answer = {"yes": "Yes", "no": "No", "unsure": "Unsure"}[call["would_sign_again"]]
        text = f"Would sign again: {answer}."
        if call["surprised_negatively"]:
            text += f" Surprised negatively: “{call['surprised_negatively']}”"
        story.append(user(text, s.quote))
        story.append(user(f"— {source}", s.source))
        story.append(Spacer(1, 3))
    if len(story) == 1:
        story.append(plain("No call to quote.", s.body))
    return story


def dispersion(result: Result, doc: dict[str, Any], width: float) -> list[Flowable]:
    """The flagged (vendor, question) pairs: every one when they are few, else a count per
    vendor and the widest spreads (the workbook's Scores sheet has them all)."""
    s = styles()
    threshold = doc["evaluation"]["dispersion_threshold"]
    title = "Dispersion flags"
    flagged = result.flagged_dispersion
    if not flagged:
        return section(
            title,
            [
                plain(
                    f"No flag: on every question the evaluators' scores spread less than "
                    f"{threshold:g} points.",
                    s.body,
                )
            ],
        )
    still_open = [d for d in flagged if not d.resolved]
    intro = plain(
        f"{len(flagged):,} vendor-question pairs where the evaluators' scores spread "
        f"{threshold:g} points or more ({len(still_open):,} still open): they need "
        "calibration, and a consensus score recorded with a rationale.",
        s.body,
    )
    names = {v.key: v.name for v in result.vendors}
    numbering = number_document(doc)
    questions = {
        q["key"]: numbering.label(q["key"], q["text"])
        for c in doc["criteria"]
        for q in c["questions"]
    }
    evaluators = {e["key"]: e["name"] for e in doc["evaluators"]}
    rows: list[list[Any]] = [
        [plain("Vendor", s.head), plain("Question", s.head), plain("Scores", s.head),
         plain("Range", s.head_right), plain("Status", s.head)]
    ]  # fmt: skip
    shown = sorted(flagged, key=lambda d: (d.resolved, -d.spread))[:DISPERSION_ROWS]
    for d in shown:
        rows.append(
            [
                user(names.get(d.vendor, d.vendor), s.cell_bold),
                user(questions.get(d.question, d.question), s.cell),
                user(_scores_text(d.scores, evaluators), s.cell),
                plain(f"{d.spread:g}", s.cell_right),
                plain("consensus recorded" if d.resolved else "open", s.cell),
            ]
        )
    spreads = table(rows, [width * 0.2, width * 0.3, width * 0.28, 36, width * 0.22 - 36])
    if len(flagged) <= DISPERSION_ROWS:
        return section(title, [intro, spreads])
    return [
        *section(title, [intro, *_dispersion_by_vendor(result, width)]),
        *section(
            f"The {DISPERSION_ROWS} widest spreads, open ones first",
            [
                spreads,
                Spacer(1, 3),
                plain("Every flag is listed in the workbook's Scores sheet.", s.small),
            ],
            2,
        ),
    ]


def _scores_text(scores: Mapping[str, float], evaluators: dict[str, str]) -> str:
    """Each evaluator's score, or for a large panel the lowest and the highest."""
    if len(scores) <= 6:
        return ", ".join(f"{evaluators.get(e, e)} {v:g}" for e, v in scores.items())
    low = min(scores, key=lambda e: scores[e])
    high = max(scores, key=lambda e: scores[e])
    return (
        f"{len(scores)} scores from {scores[low]:g} ({evaluators.get(low, low)}) "
        f"to {scores[high]:g} ({evaluators.get(high, high)})"
    )


def _dispersion_by_vendor(result: Result, width: float) -> list[Flowable]:
    s = styles()
    rows: list[list[Any]] = [
        [plain("Vendor", s.head), plain("Flagged questions", s.head_right),
         plain("Open", s.head_right), plain("Widest range", s.head_right)]
    ]  # fmt: skip
    for vendor in result.vendors:
        mine = [d for d in result.flagged_dispersion if d.vendor == vendor.key]
        if not mine:
            continue
        rows.append(
            [
                user(vendor.name, s.cell_bold),
                plain(str(len(mine)), s.cell_right),
                plain(str(sum(not d.resolved for d in mine)), s.cell_right),
                plain(f"{max(d.spread for d in mine):g}", s.cell_right),
            ]
        )
    rest = (width - 200) / 3
    return [table(rows, [200, rest, rest, rest])]


def methodology(
    result: Result, doc: dict[str, Any], width: float, generated_at: datetime
) -> list[Flowable]:
    s = styles()
    ev = doc["evaluation"]
    scale = ev["scale"]
    lo, hi = scale["min"], scale["max"]
    body: list[Flowable] = [
        own("Scale and anchors", s.h2),
        plain(
            f"Evaluators score each question on {lo:g} to {hi:g}, with a written justification. "
            f"A score s counts as 100 × (s − {lo:g}) / ({hi:g} − {lo:g}) on 0-100.",
            s.body,
        ),
    ]
    anchors = scale.get("anchors") or {}
    if anchors:
        rows = [[plain("Score", s.head), plain("Anchor", s.head)]]
        rows += [[plain(p, s.cell), user(t, s.cell)] for p, t in anchors.items()]
        body.append(table(rows, [50, width - 50]))
    story = section("Methodology", body)
    rows = [[plain("Criterion", s.head), plain("How scored", s.head),
             plain("Weight", s.head_right), plain("Share", s.head_right)]]  # fmt: skip
    for c in doc["criteria"]:
        how = {
            "cost": "from the TCO by the price formula",
            "references": "from the reference calls",
        }.get(c["kind"], f"{sum(q['kind'] == 'scored' for q in c['questions'])} scored questions")
        rows.append(
            [
                user(c["name"], s.cell_bold),
                plain(how, s.cell),
                plain(f"{c['weight']:g}", s.cell_right),
                plain(percent(result.weights[c["key"]], 1), s.cell_right),
            ]
        )
    story += section(
        "Weights", [table(rows, [width * 0.35, width * 0.4, width * 0.1, width * 0.15])], 2
    )
    aggregation = "median" if ev["aggregation"] == "median" else "mean"
    zero_multiple = ev["price_zero_multiple"]
    formula = price_formula_rule(ev["price_formula"], zero_multiple)
    paragraphs = [
        ("Aggregation", f"A question's score is the {aggregation} of its evaluators' scores; a "
         "consensus score recorded by the lead replaces it. A criterion's score is the weighted "
         "mean of its question scores, the weights normalised over the questions that have a "
         "score. The total is the weighted mean of the criterion scores, the weights normalised "
         "over all criteria. Qualified vendors are ranked by total (equal totals share a rank); "
         "a vendor that fails a knockout is disqualified and not ranked."),
        ("Cost", [
            "Agent hours a month: H = contacts × AHT / 60 / occupancy",
            "Monthly charge: per agent-hour H × rate; per contact: contacts × rate; per FTE-month: "
            "H / FTE hours × rate",
            "TCO = setup fee + term × (monthly charge + monthly fee) × (1 + governance "
            "overhead %)",
            "Cost per contact = TCO / (term × contacts); savings = term × H × in-house rate − TCO",
            f"Price score ({price_formula_name(ev['price_formula'])}): {formula}, the lowest "
            "TCO taken over the qualified vendors with a price; clamped to 0-100",
            "A TCO more than 25 % below the median of the other qualified bids is flagged as "
            "abnormally low.",
        ]),
        ("References", "The references score is the mean of the calls' ratings on 0-100; fewer "
         f"than {REFERENCE_CALLS_EXPECTED} calls, or any reference that would not sign again, "
         "is flagged."),
        ("Dispersion", f"A question whose evaluators' scores range over "
         f"{ev['dispersion_threshold']:g} points or more is flagged for calibration."),
    ]  # fmt: skip
    # Run-in headings: the rules read as one page of reference, not a page per rule.
    story += heading("Rules", 2)
    for title, text in paragraphs:
        lines = [text] if isinstance(text, str) else text
        markup = "<br/>".join(escape(line) for line in lines)
        story.append(own(f"<b>{escape(title)}.</b> {markup}", s.body))
    story += _people_and_dates(doc, generated_at)
    return story


def _people_and_dates(doc: dict[str, Any], generated_at: datetime) -> list[Flowable]:
    s = styles()
    ev = doc["evaluation"]
    criteria = {c["key"]: c["name"] for c in doc["criteria"]}
    story: list[Flowable] = heading("Dates", 2)
    deadline = datetime.fromisoformat(ev["deadline"]) if ev["deadline"] else None
    if deadline is not None and deadline.tzinfo is not None:
        deadline = deadline.astimezone(UTC)
    story.append(
        plain(
            f"{f'Responses due {when(deadline)}' if deadline else 'No response deadline set'}"
            f" · stage: {stage_name(ev['stage'])} · report generated "
            f"{when(generated_at)} (data as of {day(generated_at)}).",
            s.body,
        )
    )
    story += heading("Evaluators", 2)
    for e in doc["evaluators"]:
        scope = (
            "all scored criteria"
            if not e["criteria"]
            else ", ".join(criteria.get(k, k) for k in e["criteria"])
        )
        state = "" if e["active"] else " (removed; their scores do not count)"
        story.append(user(f"{e['name']}: {scope}{state}", s.body))
    if not doc["evaluators"]:
        story.append(plain("No evaluator on the panel.", s.body))
    return story
