"""The sections after page 1 (cover.py): ranking, charts, knockouts. Each returns
flowables; numbers come from the Result, formatted like the web page
(rfp.domain.formatting)."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Spacer

from rfp.domain.amendments import knockouts_turned_to_pass
from rfp.domain.formatting import percent, score_text
from rfp.domain.numbering import number_document
from rfp.domain.scoring.result import Result
from rfp.domain.vocabulary import DeliveryModel
from rfp.reports.pdf.charts import contribution_charts, profile_chart
from rfp.reports.pdf.styles import (
    DISQUALIFIED_BG,
    own,
    plain,
    section,
    styles,
    table,
    user,
)
from rfp.scenario.amendments import as_amended


def ranking(result: Result, doc: dict[str, Any], width: float) -> list[Flowable]:
    """Rank, vendor (with its delivery model and status), criterion scores with their
    weights, and the total."""
    s = styles()
    criteria = doc["criteria"]
    models = {v["key"]: DeliveryModel(v["model"]).label for v in doc["vendors"] if v["model"]}
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
    # The note above the table, so that nothing is left dangling after a table that ends
    # a page.
    return section("Ranking", [plain(notes, s.small), Spacer(1, 4), t])


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
    title = "Knockouts and disqualifications"
    if not questions:
        return section(title, [plain("This evaluation has no knockout questions.", s.body)])
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
    story = section(title, [table(rows, [width - 180, 60, 60, 60])])
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
        story += section(
            "Disqualified", [table(rows, [width * 0.25, width * 0.3, width * 0.45])], 2
        )
    unanswered = [v for v in result.vendors if v.unanswered_knockouts and not v.disqualified]
    if unanswered:
        story.append(Spacer(1, 4))
        names = ", ".join(v.name for v in unanswered)
        story.append(
            user(f"Knockouts not yet answered (incomplete, not disqualified): {names}.", s.body)
        )
    return story
