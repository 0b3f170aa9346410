"""Paragraph and table styles of the PDF summary, and the helpers every section uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Table,
    TableStyle,
)

from rfp.reports.pdf.fonts import FONT, FONT_BOLD, fonts, markup

BRAND = colors.HexColor("#1F3B57")
INK = colors.HexColor("#1E2833")
MUTED = colors.HexColor("#6B7785")
LINE = colors.HexColor("#D9DEE5")
PALE = colors.HexColor("#EEF2F7")
DISQUALIFIED_BG = colors.HexColor("#FBEDED")
FLAG_BG = colors.HexColor("#FDF1E2")
GOOD_BG = colors.HexColor("#E8F3EA")


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    kicker: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    cell_centre: ParagraphStyle
    total: ParagraphStyle
    source: ParagraphStyle
    head: ParagraphStyle
    head_right: ParagraphStyle
    head_small: ParagraphStyle
    quote: ParagraphStyle
    big: ParagraphStyle
    exception: ParagraphStyle


@cache
def styles() -> Styles:
    fonts()  # registers the font family the styles name
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12.5, textColor=INK)
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10)
    head = ParagraphStyle(
        "head", parent=cell, fontName=FONT_BOLD, fontSize=7.5, leading=9, textColor=colors.white
    )
    return Styles(
        title=ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=22, leading=27, textColor=BRAND
        ),
        kicker=ParagraphStyle("kicker", parent=body, textColor=MUTED, spaceAfter=4),
        h1=ParagraphStyle(
            "h1",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=14,
            leading=18,
            textColor=BRAND,
            spaceBefore=14,
            spaceAfter=6,
        ),
        h2=ParagraphStyle(
            "h2",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=14,
            spaceBefore=8,
            spaceAfter=3,
        ),  # fmt: skip
        body=ParagraphStyle("body-spaced", parent=body, spaceAfter=5),
        small=ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5, textColor=MUTED),
        cell=cell,
        cell_bold=ParagraphStyle("cell-bold", parent=cell, fontName=FONT_BOLD),
        cell_right=ParagraphStyle("cell-right", parent=cell, alignment=TA_RIGHT),
        cell_centre=ParagraphStyle("cell-centre", parent=cell, alignment=TA_CENTER),
        total=ParagraphStyle("total", parent=cell, fontName=FONT_BOLD, alignment=TA_RIGHT),
        source=ParagraphStyle(
            "source", parent=body, fontSize=7.5, leading=9.5, textColor=MUTED, leftIndent=12
        ),
        head=head,
        head_right=ParagraphStyle("head-right", parent=head, alignment=TA_RIGHT),
        head_small=ParagraphStyle(
            "head-small", parent=head, fontSize=6.8, leading=8.2, alignment=TA_RIGHT
        ),
        quote=ParagraphStyle(
            "quote", parent=body, fontSize=8.5, leading=11.5, leftIndent=12, spaceAfter=4
        ),
        big=ParagraphStyle(
            "big", parent=body, fontName=FONT_BOLD, fontSize=18, leading=23, textColor=BRAND
        ),
        exception=ParagraphStyle(
            "exception", parent=body, leftIndent=9, firstLineIndent=-9, spaceAfter=2
        ),
    )


def user(text: str | None, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text (names, comments): escaped, CJK runs in a CJK font."""
    bold = style.fontName == FONT_BOLD
    return Paragraph(markup(text or "", bold=bold), style)


def own(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of rfp's own words, which may carry <b> and other markup."""
    return Paragraph(text, style)


def plain(text: str, style: ParagraphStyle) -> Paragraph:
    """rfp's own words without markup (escaped)."""
    return Paragraph(escape(text), style)


def heading(text: str, level: int = 1) -> list[Flowable]:
    """A section heading that never ends a page: it starts a new one when less than a few
    lines' room is left. (keepWithNext would move a long table that follows it whole to
    the next page.)"""
    s = styles()
    room = 110 if level == 1 else 70
    return [CondPageBreak(room), own(text, s.h1 if level == 1 else s.h2)]


class Together(KeepTogether):  # type: ignore[misc]  # reportlab has no type stubs
    """Flowables kept on one page: moved whole to the next page when they do not fit the
    rest of this one, but split where they stand when no page could hold them (a long
    table then runs on with its header repeated, rather than leaving a page blank)."""

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 (reportlab's names)
        parts: list[Flowable] = super().split(aW, aH)  # reportlab: no stubs, a list of them
        frame = getattr(self, "_frame", None)
        taller_than_a_page = frame is not None and frame._height < self._H
        if taller_than_a_page and parts and isinstance(parts[0], type(self.FrameBreak)):
            return parts[1:]
        return parts


def section(text: str, body: Sequence[Flowable], level: int = 1) -> list[Flowable]:
    """A heading and what must be read with it (an introduction, a table), kept together
    (`Together`); the heading never ends a page."""
    s = styles()
    room = 110 if level == 1 else 70
    return [CondPageBreak(room), Together([own(text, s.h1 if level == 1 else s.h2), *body])]


def table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header_rows: int = 1,
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A table whose header repeats on every page it runs over."""
    t = Table(list(rows), colWidths=list(widths), repeatRows=header_rows)
    t.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # for plain-string cells
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), BRAND),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, header_rows), (-1, -1), 0.4, LINE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                *extra,
            ]
        )
    )
    return t
