"""An outcome letter as PDF: `build_letter_pdf(document) -> bytes`.

The award letter or the regret and debrief letter (rfp.domain.letters.LetterDocument),
in the summary's fonts and styles: the addressee and date, the result in a sentence,
the lead's words, the scores per criterion (the vendor's beside the awarded
proposal's, withheld figures said so), the prices the letter may state, strengths and
weaknesses, the closing and the signature; each page footed with the evaluation's name
and "page x of y". A pure function of the document, so a letter sent again is the same.
"""

from __future__ import annotations

import io

from reportlab.platypus import Flowable, Spacer

from rfp.domain.formatting import long_day, score_text
from rfp.domain.letters import LetterDocument, figure, price_words
from rfp.reports.pdf import NumberedCanvas, document_template
from rfp.reports.pdf.fonts import fonts
from rfp.reports.pdf.styles import PALE, heading, plain, styles, table, user


def _lines(text: str) -> list[Flowable]:
    """User text: one paragraph per line, "- " lines as bullets."""
    s = styles()
    out: list[Flowable] = []
    for line in text.strip().splitlines():
        line = line.strip()
        if not line:
            out.append(Spacer(1, 4))
        elif line.startswith(("- ", "• ", "* ")):
            out.append(user("• " + line[2:].strip(), s.quote))
        else:
            out.append(user(line, s.body))
    return out


def _scores(document: LetterDocument, width: float) -> list[Flowable]:
    s = styles()
    if not document.scores:
        return []
    if document.is_award:
        rows: list[list[Flowable]] = [
            [
                plain("Criterion", s.head),
                plain("Weight", s.head_right),
                plain("Score", s.head_right),
            ]
        ]
        for line in document.scores:
            rows.append(
                [
                    user(line.criterion, s.cell),
                    plain(f"{line.weight:.0%}", s.cell_right),
                    plain(score_text(line.own), s.cell_right),
                ]
            )
        rows.append(
            [
                plain("Total", s.cell_bold),
                plain("", s.cell),
                plain(figure(document.own_total), s.total),
            ]
        )
        widths = [width * 0.6, width * 0.2, width * 0.2]
    else:
        rows = [
            [
                plain("Criterion", s.head),
                plain("Weight", s.head_right),
                plain("Your proposal", s.head_right),
                plain("Awarded proposal", s.head_right),
            ]
        ]
        for line in document.scores:
            rows.append(
                [
                    user(line.criterion, s.cell),
                    plain(f"{line.weight:.0%}", s.cell_right),
                    plain(score_text(line.own), s.cell_right),
                    plain(figure(line.winner), s.cell_right),
                ]
            )
        rows.append(
            [
                plain("Total", s.cell_bold),
                plain("", s.cell),
                plain(figure(document.own_total), s.total),
                plain(figure(document.winner_total), s.total),
            ]
        )
        widths = [width * 0.46, width * 0.14, width * 0.2, width * 0.2]
    note = "Scores out of 100, weighted by the criteria's published weights."
    if any(line.winner is None for line in document.scores) or document.winner_total is None:
        note += (
            " The awarded proposal's price score and total are not disclosed, as they would"
            " reveal its price."
        )
    return [
        *heading("Scores per criterion", 2),
        table(rows, widths, extra=[("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), PALE)]),
        Spacer(1, 3),
        plain(note, s.small),
    ]


def _prices(document: LetterDocument) -> list[Flowable]:
    s = styles()
    out: list[Flowable] = []
    if document.own_price is not None:
        out.append(
            user("Your quote as evaluated: " + price_words(document.own_price) + ".", s.body)
        )
    if document.winner_price is not None:
        out.append(
            user(
                f"The awarded proposal ({document.winner_name}): "
                + price_words(document.winner_price)
                + ".",
                s.body,
            )
        )
    return out


def story(document: LetterDocument, width: float) -> list[Flowable]:
    s = styles()
    out: list[Flowable] = [
        user(document.evaluation_title, s.kicker),
        plain(long_day(document.date), s.small),
        Spacer(1, 10),
        user(document.contact_name, s.body),
        user(document.vendor_name, s.body),
        Spacer(1, 8),
        plain(document.heading, s.title),
        Spacer(1, 6),
        user(document.standing, s.h2),
        Spacer(1, 4),
        *_lines(document.opening),
        *_scores(document, width),
        Spacer(1, 6),
        *_prices(document),
    ]
    if document.strengths.strip():
        out += [*heading(document.strengths_heading, 2), *_lines(document.strengths)]
    if document.weaknesses.strip():
        out += [*heading(document.weaknesses_heading, 2), *_lines(document.weaknesses)]
    out += [Spacer(1, 8), *_lines(document.closing), Spacer(1, 14)]
    out += [user(document.signature, s.body)]
    return out


def build_letter_pdf(document: LetterDocument) -> bytes:
    """The letter as PDF bytes."""
    fonts()
    out = io.BytesIO()
    template = document_template(
        out,
        title=f"{document.heading}: {document.vendor_name}",
        subject=document.evaluation_title,
        footer=document.evaluation_title,
    )
    template.build(story(document, template.width), canvasmaker=NumberedCanvas)
    return out.getvalue()
