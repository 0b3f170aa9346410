"""The first sections of the PDF summary: cover and recommendation, ranking, charts,
knockouts. Each returns flowables; numbers come from the Result, formatted like the web
page (rfp.domain.formatting)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from rfp.domain.amendments import knockouts_turned_to_pass
from rfp.domain.formatting import percent, score_text, when
from rfp.domain.numbering import number_document
from rfp.domain.recommendation import recommend
from rfp.domain.scoring.result import Result
from rfp.reports.pdf.charts import contribution_charts, profile_chart
from rfp.reports.pdf.fonts import FONT
from rfp.reports.pdf.styles import (
    DISQUALIFIED_BG,
    GOOD_BG,
    LINE,
    PALE,
    heading,
    own,
    plain,
    styles,
    table,
    user,
)
from rfp.scenario.amendments import as_amended


def _stage_line(doc: dict[str, Any], result: Result, generated_at: datetime) -> str:
    ev = doc["evaluation"]
    evaluators = [e for e in doc["evaluators"] if e["active"]]
    qualified = len(result.vendors) - sum(v.disqualified for v in result.vendors)
    return (
        f"Stage: {ev['stage']} · {len(result.vendors)} vendors ({qualified} qualified) · "
        f"{len(evaluators)} evaluators · generated {when(generated_at)}"
    )


def cover(result: Result, doc: dict[str, Any], generated_at: datetime) -> list[Flowable]:
    s = styles()
    ev = doc["evaluation"]
    rec = recommend(result)
    story: list[Flowable] = [
        plain("Vendor evaluation summary", s.kicker),
        user(ev["title"], s.title),
        Spacer(1, 4),
        plain(_stage_line(doc, result, generated_at), s.small),
        Spacer(1, 14),
    ]
    if rec.status == "recommend" and rec.leader is not None:
        box = [plain("Recommendation", s.kicker), user(rec.leader, s.big)]
        box.append(user(rec.headline, s.body))
    else:
        box = [user(rec.headline, s.h2), user(rec.detail, s.body)]
    for caveat in rec.amendments:
        box.append(user(caveat, s.body))
    award = ev.get("award")
    if award:
        names = {v["key"]: v["name"] for v in doc["vendors"]}
        box.append(user(f"Awarded to {names.get(award['vendor'], award['vendor'])}.", s.h2))
        if award.get("rationale"):
            box.append(user(f"“{award['rationale']}”", s.quote))
    background = GOOD_BG if rec.status == "recommend" and not rec.amendments else PALE
    panel = Table([[box]], colWidths=["100%"])
    panel.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, -1), background),
                ("BOX", (0, 0), (-1, -1), 0.6, LINE),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    story += [panel, Spacer(1, 10)]
    story += _key_facts(result, doc)
    return story


def _key_facts(result: Result, doc: dict[str, Any]) -> list[Flowable]:
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
            [("FONTNAME", (0, 0), (-1, -1), FONT), ("LINEABOVE", (0, 0), (-1, 0), 0.6, LINE)]
        )
    )
    return [t]


def ranking(result: Result, doc: dict[str, Any], width: float) -> list[Flowable]:
    """Rank, vendor (with its delivery model and status), criterion scores with their
    weights, and the total."""
    s = styles()
    criteria = doc["criteria"]
    models = {v["key"]: v["model"] for v in doc["vendors"]}
    rank_w, total_w = 32.0, 44.0
    crit_w = max(30.0, min(56.0, (width - rank_w - total_w - 112) / len(criteria)))
    vendor_w = width - rank_w - total_w - crit_w * len(criteria)
    header = [
        plain("Rank", s.head),
        plain("Vendor", s.head),
        *(user(c["name"], s.head_small) for c in criteria),
        plain("Total", s.head_right),
    ]
    weights = [
        plain("", s.head),
        plain("weight", s.head),
        *(plain(percent(result.weights[c["key"]]), s.head_right) for c in criteria),
        plain("100 %", s.head_right),
    ]
    rows: list[list[Any]] = [header, weights]
    extra: list[tuple[Any, ...]] = []
    for i, vendor in enumerate(result.vendors):
        status = "disqualified" if vendor.disqualified else "" if vendor.complete else "provisional"
        amended = "amended after unsealing" if vendor.amended_after_unsealing else ""
        detail = " · ".join(t for t in (models.get(vendor.key), status, amended) if t)
        name = user(vendor.name, s.cell_bold)
        rows.append(
            [
                plain(str(vendor.rank) if vendor.rank is not None else "–", s.cell_centre),
                [name, user(detail, s.small)] if detail else name,
                *(plain(score_text(vendor.criteria[c["key"]]), s.cell_right) for c in criteria),
                plain(score_text(vendor.total) + ("*" if not vendor.complete else ""), s.total),
            ]
        )
        if vendor.disqualified:
            extra.append(("BACKGROUND", (0, i + 2), (-1, i + 2), DISQUALIFIED_BG))
    t = table(
        rows,
        [rank_w, vendor_w, *([crit_w] * len(criteria)), total_w],
        header_rows=2,
        extra=[("LEFTPADDING", (2, 0), (-1, 0), 2), ("RIGHTPADDING", (2, 0), (-1, 0), 3), *extra],
    )
    notes = (
        "Criterion scores and totals on 0-100. Disqualified vendors (a failed knockout) are "
        "listed after the ranked ones, without a rank."
    )
    if not result.complete:
        notes += " * provisional: the vendor's data is incomplete, its figures will change."
    if any(v.amended_after_unsealing for v in result.vendors):
        notes += (
            " Amended after unsealing: the bid was changed once the prices were open; the "
            "figures score the amended bid (see the process exceptions on page 1)."
        )
    return [*heading("Ranking"), t, Spacer(1, 3), plain(notes, s.small)]


def charts(result: Result, doc: dict[str, Any], width: float) -> list[Flowable]:
    s = styles()
    criteria = doc["criteria"]
    drawings = contribution_charts(result, criteria, width)
    story: list[Flowable] = [
        KeepTogether(
            [
                own("Totals by criterion contribution", s.h1),
                plain(
                    "Each bar is a vendor's total; each segment is what one criterion "
                    "contributes (its score times its share of the weights).",
                    s.small,
                ),
                Spacer(1, 6),
                drawings[0],
            ]
        )
    ]
    for drawing in drawings[1:]:
        story += [plain("(continued)", s.small), drawing]
    leaders = list(result.ranked[:3])
    if leaders:
        heading = "Profile of the leading vendors" if len(leaders) > 1 else "Profile of the leader"
        story += [
            KeepTogether(
                [
                    own(heading, s.h1),
                    plain(
                        "Criterion scores (0-100) of the "
                        + (f"top {len(leaders)} ranked vendors." if len(leaders) > 1 else
                           "first-ranked vendor."),
                        s.small,
                    ),
                    Spacer(1, 6),
                    profile_chart(leaders, criteria, width),
                ]
            )
        ]  # fmt: skip
    return story


def knockouts(result: Result, doc: dict[str, Any], width: float) -> list[Flowable]:
    s = styles()
    questions = [q for c in doc["criteria"] for q in c["questions"] if q["kind"] == "knockout"]
    story: list[Flowable] = heading("Knockouts and disqualifications")
    if not questions:
        return [*story, plain("This evaluation has no knockout questions.", s.body)]
    numbering = number_document(doc)
    texts = {q["key"]: numbering.label(q["key"], q["text"]) for q in questions}
    # As the engine scored them: with the amendments applied.
    vendors = {v["key"]: as_amended(v) for v in doc["vendors"]}
    rows: list[list[Any]] = [
        [plain("Knockout (must-have)", s.head), plain("Passed", s.head_right),
         plain("Failed", s.head_right), plain("Not answered", s.head_right)]
    ]  # fmt: skip
    for q in questions:
        answers = [v["knockouts"].get(q["key"]) for v in vendors.values()]
        rows.append(
            [
                user(texts[q["key"]], s.cell),
                plain(str(sum(a is True for a in answers)), s.cell_right),
                plain(str(sum(a is False for a in answers)), s.cell_right),
                plain(str(sum(a is None for a in answers)), s.cell_right),
            ]
        )
    story.append(table(rows, [width - 180, 60, 60, 60]))
    disqualified = [v for v in result.vendors if v.disqualified]
    turned = [(v, knockouts_turned_to_pass(v.amendments)) for v in result.vendors]
    turned = [(v, flips) for v, flips in turned if flips]
    if turned:
        story.append(Spacer(1, 4))
        for vendor, flips in turned:
            failed = "; ".join(texts.get(a.question or "", a.question or "") for a in flips)
            story.append(
                user(
                    f"{vendor.name} failed {failed} as submitted; the answer was amended to "
                    "pass after the prices were unsealed (see the process exceptions on "
                    "page 1), so it is not disqualified.",
                    s.body,
                )
            )
    if not disqualified:
        story.append(Spacer(1, 4))
        story.append(
            plain(
                "No other vendor failed a knockout." if turned else "No vendor failed a knockout.",
                s.body,
            )
        )
    else:
        rows = [[plain("Vendor", s.head), plain("Failed knockout", s.head),
                 plain("Evidence given", s.head)]]  # fmt: skip
        for vendor in disqualified:
            evidence = vendors[vendor.key]["evidence"]
            for key in vendor.failed_knockouts:
                rows.append(
                    [
                        user(vendor.name, s.cell_bold),
                        user(texts.get(key, key), s.cell),
                        user(evidence.get(key) or "–", s.cell),
                    ]
                )
        story += [*heading("Disqualified", 2), table(rows, [width * 0.25, width * 0.3,
                                                          width * 0.45])]  # fmt: skip
    unanswered = [v for v in result.vendors if v.unanswered_knockouts and not v.disqualified]
    if unanswered:
        story.append(Spacer(1, 4))
        names = ", ".join(v.name for v in unanswered)
        story.append(
            user(f"Knockouts not yet answered (incomplete, not disqualified): {names}.", s.body)
        )
    return story
