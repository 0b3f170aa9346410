"""Control characters: refused where text comes in, stripped where reports go out.

A NUL in a title made PostgreSQL refuse the row (a 500) and SQLite store it, which then
corrupted the workbook. Tab, line feed and carriage return (browsers send a textarea's
lines as CR LF) are text; every other C0 control, DEL and the C1 controls are not.
"""

from __future__ import annotations

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_NAMES = {0: "NUL", 0x1B: "ESC", 0x7F: "DEL"}


def control_character(text: str) -> str | None:
    """The first control character of `text` as a reader names it ("NUL", "U+0007"),
    or None when there is none."""
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return None
    code = ord(found.group())
    return _NAMES.get(code, f"U+{code:04X}")


def control_problem(text: str) -> str | None:
    """Why `text` is refused, as a phrase after the field's name, or None."""
    name = control_character(text)
    if name is None:
        return None
    return f"contains a control character ({name}); remove it"


def without_control_characters(text: str) -> str:
    """`text` with its control characters removed (the report builders' second line)."""
    return CONTROL_CHARACTERS.sub("", text)
