"""Text, styles, number formats and page set-up shared by every sheet of the workbook.

The one rule that matters most lives here: text that came from a user (names, answers,
comments, notes, titles) is written as text whatever it starts with (`prepared_text`
says how; `Sheet.text` in book.py writes it). A spreadsheet would evaluate
`=HYPERLINK(...)` typed into a vendor's name if it were written as a formula; a text cell
with the quote prefix set stays text even when a reader edits it.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rfp.domain.control_characters import without_control_characters

# Leading characters that a spreadsheet (or a CSV import of it) may read as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Error literals: typed into a cell they become errors, so they are quoted like formulas.
ERROR_LITERALS = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
# Characters XML 1.0 cannot carry at all (tab, line feed and carriage return it can).

# Number formats: scores with one decimal like the web page (score_text), money in USD.
SCORE = "0.0"
PERCENT = "0%"
PERCENT_1 = "0.0%"
MONEY = '"$"#,##0'
MONEY_2 = '"$"#,##0.00'
HOURS = "#,##0"
INTEGER = "#,##0"
DATE = "yyyy-mm-dd"

# Colours (RRGGBB); a reader sees them as ARGB "FF" + colour.
BRAND = "1F3B57"
NOTE_COLOUR = "5F6B7A"
GROUP_COLOUR = "E8EEF5"
INPUT_COLOUR = "FFF2CC"
INPUT_TEXT_COLOUR = "1F4E9E"
INPUT_BORDER_COLOUR = "C9A227"
DISQUALIFIED_COLOUR = "F4DEDE"
FLAG_COLOUR = "FCE4C4"


@dataclass(frozen=True)
class Style:
    """XlsxWriter format properties, hashable so that each combination is one Format.
    `a + b` is `a` with `b`'s properties over it."""

    properties: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, **properties: Any) -> Style:
        return cls(tuple(sorted(properties.items())))

    def __add__(self, other: Style | None) -> Style:
        if other is None or not other.properties:
            return self
        return Style(tuple(sorted({**dict(self.properties), **dict(other.properties)}.items())))

    def as_dict(self) -> dict[str, Any]:
        return dict(self.properties)


def fill(colour: str) -> Style:
    return Style.of(pattern=1, bg_color=f"#{colour}")


def number_format(fmt: str) -> Style:
    return Style.of(num_format=fmt)


PLAIN = Style()
BOLD = Style.of(bold=True)
HEADER = Style.of(
    bold=True, font_color="#FFFFFF", pattern=1, bg_color=f"#{BRAND}", text_wrap=True,
    valign="vcenter",
)  # fmt: skip
TITLE = Style.of(bold=True, font_size=15, font_color=f"#{BRAND}")
NOTE = Style.of(italic=True, font_color=f"#{NOTE_COLOUR}")
GROUP_FILL = fill(GROUP_COLOUR)
# Inputs follow the financial-modelling convention: blue figures on a pale yellow fill;
# they stay unlocked when a sheet is protected (every other cell is locked).
INPUT = Style.of(
    bold=True, font_color=f"#{INPUT_TEXT_COLOUR}", pattern=1, bg_color=f"#{INPUT_COLOUR}",
    border=1, border_color=f"#{INPUT_BORDER_COLOUR}", locked=False,
)  # fmt: skip
DISQUALIFIED_FILL = fill(DISQUALIFIED_COLOUR)
FLAG_FILL = fill(FLAG_COLOUR)
WRAP = Style.of(text_wrap=True, valign="top")
TOP = Style.of(valign="top")
CENTER = Style.of(align="center")
RIGHT = Style.of(align="right")


def clean_text(text: Any) -> str:
    """Text a cell can hold: no control characters (XML refuses most), at most Excel's length.
    (XlsxWriter writes a carriage return as OOXML's _x000D_ and escapes a literal
    "_xHHHH_" in the text, so that a spreadsheet reads back the same characters.)"""
    value = without_control_characters(str(text))
    # Texts are limited far below this where they are typed; a longer one is marked cut.
    return value if len(value) <= MAX_CELL_TEXT else value[: MAX_CELL_TEXT - 1] + "…"


@lru_cache(maxsize=8192)
def prepared_text(text: str) -> tuple[str, bool]:
    """(the text as a cell holds it, whether a spreadsheet could read it as a formula).
    Cached: names and question texts repeat on every row of the large sheets."""
    value = clean_text(text)
    return value, value.startswith(FORMULA_TRIGGERS) or value in ERROR_LITERALS


LINE_HEIGHT = 15.0  # points per line of 11-point text
MAX_ROW_HEIGHT = 409.0  # Excel's limit


@lru_cache(maxsize=4096)
def wrapped_height(text: str, width: float, *, bold: bool = False) -> float | None:
    """The height a row needs for `text` wrapped in a column `width` characters wide, or
    None when one line is enough.

    Spreadsheets do not re-fit the row heights of a file they open, so without this a
    wrapped comment shows only its first line. The estimate wraps at word boundaries
    like the spreadsheet does; bold text is wider.
    """
    per_line = max(1, int(width * (1.0 if bold else 1.15)))
    lines = sum(len(textwrap.wrap(part, per_line)) or 1 for part in text.split("\n"))
    return min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines) if lines > 1 else None


class ColumnWidths:
    """Column widths: fitted to the text seen (within bounds), or fixed."""

    def __init__(self, minimum: float = 6, maximum: float = 60) -> None:
        self.minimum = minimum
        self.maximum = maximum
        self.fitted: dict[int, float] = {}
        self.fixed: dict[int, float] = {}

    def see(self, column: int, text: str | None, padding: float = 2) -> None:
        if not text:
            return
        longest = max(len(line) for line in text.splitlines()) if text.strip() else 0
        self.fitted[column] = max(self.fitted.get(column, 0), longest + padding)

    def fix(self, column: int, width: float) -> None:
        self.fixed[column] = width

    def widths(self) -> dict[int, float]:
        """Column (1-based) -> width in characters."""
        out = {
            column: min(self.maximum, max(self.minimum, width))
            for column, width in self.fitted.items()
        }
        out.update(self.fixed)
        return out


FOOTER_TEXT_LIMIT = 200  # UTF-16 units: the whole footer may hold 255
# XlsxWriter reads "&G" and "&[Picture]" as image placeholders even after a doubled "&".
_PLACEHOLDER_AFTER_AMPERSAND = re.compile(r"&&(?=G|\[)")


def footer_text(text: str) -> str:
    """Header/footer text: '&' starts a control code there, so it is doubled (with an
    invisible space before a "G" or "[" so that no image placeholder is read)."""
    out = ""
    for character in clean_text(text):
        piece = "&&" if character == "&" else character
        if _utf16_length(out + piece) > FOOTER_TEXT_LIMIT:
            break
        out += piece
    return _PLACEHOLDER_AFTER_AMPERSAND.sub("&&\u200b", out)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
