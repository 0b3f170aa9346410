"""Numbers and dates shown the same way in every output: pages, console, workbook, PDF.

Scores show one decimal everywhere (the JSON rounds nothing), so that "the same numbers
everywhere" holds to the last decimal shown. Plain functions with no Flask, so that the
console and the report builders can use them without loading the web application; the
Jinja filters in `rfp.core.templating` are these same functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime


def score_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun in the right number: 1 vendor, 2 vendors."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def joined_names(names: Sequence[str]) -> str:
    """Names as a sentence lists them: A; A and B; A, B and C."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def money(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    sign = "−" if value < 0 else ""
    return f"{sign}${abs(value):,.{decimals}f}"


def percent(value: float | None, decimals: int = 0) -> str:
    return "–" if value is None else f"{100 * value:.{decimals}f} %"


def when(value: datetime | None) -> str:
    if value is None:
        return "–"
    return value.strftime("%Y-%m-%d %H:%M UTC")


def day(value: datetime | None) -> str:
    return "–" if value is None else value.strftime("%Y-%m-%d")


def long_day(value: date | None) -> str:
    """A day as a letter writes it: Friday 25 September 2026."""
    return "–" if value is None else f"{value:%A} {value.day} {value:%B %Y}"


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking a cut (never a silent one)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
