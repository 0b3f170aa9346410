"""The PDF summary for leadership: `build_summary_pdf(result, doc, generated_at=...,
meta=...) -> bytes`.

Page 1 carries the decision: the recommendation or the award (who recorded it, when), the
money and the process exceptions. Then the ranking, charts, sensitivity, knockouts, cost
and savings, reference calls, dispersion flags and methodology, every page footed with the
evaluation's name, the generation time and "page x of y". Numbers come from the engine's
Result, formatted by rfp.domain.formatting like the results page, so the two cannot
disagree; words are the product's (vocabulary labels), never the scenario file's keys.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from rfp.domain.formatting import when
from rfp.domain.scoring.result import Result
from rfp.reports.meta import ReportMeta, meta_from_scenario
from rfp.reports.pdf.amendments import amendments_section
from rfp.reports.pdf.cover import cover
from rfp.reports.pdf.details import cost, dispersion, methodology, references
from rfp.reports.pdf.fonts import FONT, fonts, markup
from rfp.reports.pdf.pilot import pilot
from rfp.reports.pdf.sections import charts, knockouts, ranking
from rfp.reports.pdf.sensitivity import sensitivity
from rfp.reports.pdf.styles import MUTED, styles

PDF_MIMETYPE = "application/pdf"
PAGE_SIZE = LETTER  # the demo's procurement team is in the US
MARGIN = 0.7 * inch
FOOTER_SIZE = 7.5


class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type stubs
    """Holds every page until the end, so that each can say "page x of y"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(FONT, FOOTER_SIZE)
            self.setFillColor(MUTED)
            width, _ = self._pagesize
            self.drawRightString(width - MARGIN, MARGIN / 2, f"Page {number} of {total}")
            super().showPage()
        super().save()


def page_footer(words: str) -> Any:
    """What each page draws at its foot: a rule and `words` (user text, escaped); the
    NumberedCanvas adds "page x of y" beside them."""
    text = markup(words)

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        style = styles().small
        footer = Paragraph(text, style)
        width = doc.pagesize[0] - 2 * MARGIN - 80  # room for "Page x of y"
        _, height = footer.wrap(width, MARGIN)
        canvas.saveState()
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.3)
        canvas.line(MARGIN, MARGIN / 2 + 11, doc.pagesize[0] - MARGIN, MARGIN / 2 + 11)
        footer.drawOn(canvas, MARGIN, MARGIN / 2 + FOOTER_SIZE - height + 1)
        canvas.restoreState()

    return draw


def story(
    result: Result, doc: dict[str, Any], meta: ReportMeta, generated_at: datetime, width: float
) -> list[Flowable]:
    """Every section in reading order."""
    return [
        *cover(result, doc, meta, generated_at, width),
        *ranking(result, doc, width),
        *charts(result, doc, width),
        *pilot(result, doc, width),
        *sensitivity(result, doc, width),
        *knockouts(result, doc, width),
        *amendments_section(result, doc, width),
        *cost(result, doc, width),
        *references(result, doc, width),
        *dispersion(result, doc, width),
        *methodology(result, doc, width, generated_at),
    ]


def build_summary_pdf(
    result: Result,
    doc: dict[str, Any],
    *,
    generated_at: datetime,
    meta: ReportMeta | None = None,
) -> bytes:
    """The PDF summary as bytes. `meta`: who recorded the award and the process facts
    (rfp.reports.meta); without it, what the scenario document says."""
    meta = meta if meta is not None else meta_from_scenario(doc)
    fonts()
    out = io.BytesIO()
    title = doc["evaluation"]["title"]
    template = document_template(
        out,
        title=title,
        subject="Vendor evaluation summary",
        footer=f"{title} · generated {when(generated_at)}",
    )
    template.build(
        story(result, doc, meta, generated_at, template.width), canvasmaker=NumberedCanvas
    )
    return out.getvalue()


def document_template(out: io.BytesIO, *, title: str, subject: str, footer: str) -> BaseDocTemplate:
    """A letter-size document of one frame within the margins, in rfp's fonts, each page
    footed with `footer` (build it with `canvasmaker=NumberedCanvas`)."""
    template = BaseDocTemplate(
        out,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="rfp",
        subject=subject,
        creator="rfp",
        initialFontName=FONT,  # no Helvetica anywhere in the file
    )
    frame = Frame(
        template.leftMargin,
        template.bottomMargin,
        template.width,
        template.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    template.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=page_footer(footer))])
    return template
