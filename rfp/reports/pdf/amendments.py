"""Amendments in the PDF summary: the exceptions box of page 1 and the full list.

`exceptions_box` is page 1's box of what a board must see before it reads the ranking:
every bid amended after the prices were unsealed, each in one sentence ("Price amended by
the lead after unsealing: $2.35 → $1.95 per contact, reason: ..."), a knockout turned
from fail to pass first of all. It is a function of its own so that page 1 can be laid
out anew around it. `amendments_section` lists every amendment, before unsealing too.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, Spacer

from rfp.domain.amendments import knockouts_turned_to_pass, sentences
from rfp.domain.scoring.model import Amendment
from rfp.domain.scoring.result import Result, VendorResult
from rfp.domain.vocabulary import AmendmentSource
from rfp.reports.pdf.styles import FLAG_BG, heading, plain, styles, table, user
from rfp.scenario.amendments import as_amended

EXCEPTION = colors.HexColor("#B3261E")  # the frame of page 1's exceptions box


def _texts(doc: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    questions = [q for c in doc["criteria"] for q in c["questions"]]
    return {q["key"]: q["text"] for q in questions}, {q["key"]: q["unit"] for q in questions}


def _models(doc: dict[str, Any]) -> dict[str, str | None]:
    """Each vendor's pricing model as amended (the unit of its rate)."""
    return {v["key"]: (as_amended(v)["pricing"] or {}).get("model") for v in doc["vendors"]}


def vendor_sentences(
    vendor: VendorResult, amendments: tuple[Amendment, ...], doc: dict[str, Any]
) -> list[str]:
    """ "Valle Claro: Price amended by the lead after unsealing: $2.35 → $1.95 per contact,
    reason: ..." for each amendment given."""
    texts, units = _texts(doc)
    model = _models(doc).get(vendor.key)
    return [
        f"{vendor.name}: {line}"
        for line in sentences(amendments, texts, pricing_model=model, units=units)
    ]


def exception_lines(result: Result, doc: dict[str, Any]) -> list[str]:
    """Page 1's process exceptions from the bids: each amendment made after the prices
    were unsealed, a knockout turned from fail to pass listed first (rfp.reports.pdf.cover
    shows them in one box with rfp.reports.meta.process_exceptions)."""
    flips: list[str] = []
    others: list[str] = []
    for vendor in result.vendors:
        after = vendor.amended_after_unsealing
        turned = knockouts_turned_to_pass(after)
        flips += vendor_sentences(vendor, turned, doc)
        others += vendor_sentences(vendor, tuple(a for a in after if a not in turned), doc)
    return flips + others


def amendments_section(result: Result, doc: dict[str, Any], width: float) -> list[Flowable]:
    """Every amendment, vendors in rank order: what changed, as submitted → as amended,
    by whom and when, the reason. Nothing when no bid was amended."""
    amended = [v for v in result.vendors if v.amendments]
    if not amended:
        return []
    s = styles()
    texts, units = _texts(doc)
    models = _models(doc)
    story: list[Flowable] = heading("Amendments to bids after they were frozen")
    story.append(
        plain(
            "Once the response deadline passed or the prices were unsealed, a response "
            "changed only by amendment, kept beside it. A vendor's own clarification is the "
            "normal way; an amendment by the lead is the exception (shaded).",
            s.small,
        )
    )
    story.append(Spacer(1, 4))
    rows: list[list[Any]] = [
        [plain("Vendor", s.head), plain("Amendment", s.head), plain("By, when", s.head)]
    ]
    extra: list[tuple[Any, ...]] = []
    for vendor in amended:
        lines = sentences(
            vendor.amendments, texts, pricing_model=models.get(vendor.key), units=units
        )
        for amendment, line in zip(vendor.amendments, lines, strict=True):
            rows.append(
                [
                    user(vendor.name, s.cell_bold),
                    user(line, s.cell),
                    user(
                        f"{AmendmentSource(amendment.source).label}: {amendment.by}, "
                        f"{amendment.at[:16].replace('T', ' ')} UTC",
                        s.cell,
                    ),
                ]
            )
            if amendment.by_lead and amendment.after_unsealing:
                extra.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), FLAG_BG))
    story.append(table(rows, [width * 0.2, width * 0.55, width * 0.25], extra=extra))
    return story
