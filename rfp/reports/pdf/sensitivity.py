"""The PDF summary's sensitivity section: the verdict, the flip thresholds and rank
stability, from the same `sensitivity_report` as the workbook's Sensitivity sheet and the
results page (rfp.reports.xlsx.sensitivity.report_sensitivity)."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle

from rfp.domain.decision.sensitivity import FlipThreshold
from rfp.domain.scoring.result import Result
from rfp.reports.pdf.fonts import FONT
from rfp.reports.pdf.styles import LINE, PALE, heading, plain, styles, table, user
from rfp.reports.xlsx.sensitivity import NONE_WITHIN, report_sensitivity

STABILITY_ROWS = 10  # vendors listed; the rest are summed up in a line
FULL_PAGE = 640.0  # points: about the body of a letter page


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def _threshold(t: FlipThreshold | None) -> str:
    if t is None:
        return NONE_WITHIN
    change = f"{t.change_pp:+.1f}".replace("-", "−")  # a minus sign, as money is shown
    return f"{t.text}, {change} pp"


def sensitivity(result: Result, doc: dict[str, Any], width: float) -> list[Flowable]:
    s = styles()
    report = report_sensitivity(result, doc)
    st = report.stability
    box = Table([[user(report.verdict, s.h2)]], colWidths=[width])
    box.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, -1), PALE),
                ("BOX", (0, 0), (-1, -1), 0.6, LINE),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    story: list[Flowable] = [*heading("Sensitivity to the weights"), box, Spacer(1, 8)]
    if len(st.vendors) < 2:
        return story

    rows: list[list[Any]] = [
        [
            plain("Criterion", s.head),
            plain("Weight", s.head_right),
            plain("The leader changes if the weight …", s.head),
            plain("… or if it", s.head),
        ]
    ]
    for c in report.criteria:
        if c.note and c.up is None and c.down is None:
            rows.append([user(c.name, s.cell), plain(_pct(c.weight), s.cell_right),
                         plain(c.note, s.cell), ""])  # fmt: skip
            continue
        rows.append(
            [
                user(c.name, s.cell),
                plain(_pct(c.weight), s.cell_right),
                user(_threshold(c.up), s.cell),
                user(_threshold(c.down), s.cell),
            ]
        )
    story += [
        *heading("Flip thresholds", 2),
        plain(
            "For each criterion, the weight (the others rescaled in proportion) at which "
            "another vendor would lead: the nearest crossing each way, exact.",
            s.small,
        ),
        Spacer(1, 3),
        table(rows, [width * 0.2, width * 0.1, width * 0.35, width * 0.35]),
    ]

    shown = st.vendors[:STABILITY_ROWS]
    rows = [
        [
            plain("Rank", s.head_right),
            plain("Vendor", s.head),
            plain("First in", s.head_right),
            plain("Mean rank", s.head_right),
        ]
    ]
    for v in shown:
        rows.append(
            [
                plain(str(v.official_rank), s.cell_right),
                user(v.name, s.cell_bold if v.official_rank == 1 else s.cell),
                plain(_pct(v.first_share), s.cell_right),
                plain(f"{v.mean_rank:.2f}", s.cell_right),
            ]
        )
    notes = (
        f"{st.draws:,} sets of weights drawn around the official ones (Dirichlet, "
        f"concentration {st.concentration:g}; seeded ({st.seed}), so the figures repeat). "
        "A tie for first is shared equally."
    )
    rest = st.vendors[STABILITY_ROWS:]
    if rest:
        best = max(v.first_share for v in rest)
        notes += (
            f" {len(rest)} more qualified vendors are not listed; none of them comes first in "
            f"more than {_pct(best)} of the draws."
        )
    story += [
        *heading("Rank stability", 2),
        plain(notes, s.small),
        Spacer(1, 3),
        table(rows, [40, width - 40 - 160, 80, 80]),
    ]
    return _together(story, width)


def _together(story: list[Flowable], width: float) -> list[Flowable]:
    """Read as one: the section starts on a new page when the rest of this one cannot
    hold it (and breaks normally when it is longer than a page)."""
    body = [f for f in story if not isinstance(f, CondPageBreak)]
    height = sum(f.wrap(width, FULL_PAGE)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                 for f in body)  # fmt: skip
    return [CondPageBreak(min(height + 12, FULL_PAGE)), *body]
