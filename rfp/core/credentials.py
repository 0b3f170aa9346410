"""Credentials: the rules for a username and a password: one function each, used by every place that
creates or renames an account (the administrator's form, the lead's "new account" on
the people page, `rfp create-user`, a scenario import) or sets a password (the
administrator, a set-your-password link, changing one's own, `rfp create-user`).

A username is NFKC-normalised, may hold no invisible or direction-changing character
(a right-to-left override, a zero-width space), must have the shape letters, digits,
'_', '-' and '.' (starting with a letter or digit), and may not look like an existing
account: two names whose *skeletons* are equal (Cyrillic 'а' and Latin 'a', 'rn' and
'm', '0' and 'o', ...) are one name to a reader, so the second is refused.

A password has at least MIN_PASSWORD_LENGTH characters, is not all spaces, is not one
of the common passwords shipped in common_passwords.txt, and is not, nor contains, the
username.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib.resources import files

from rfp.core.refusal import Refused

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
MAX_USERNAME_LENGTH = 80
USERNAME_SHAPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")
USERNAME_SHAPE_TEXT = "letters a-z, digits, '_', '-' and '.', starting with a letter or digit"
PASSWORD_RULE_TEXT = (
    f"At least {MIN_PASSWORD_LENGTH} characters; not a common password, and not your username."
)
# A username part shorter than this is not looked for inside a password ("al" in
# "balance" is no weakness).
SHORTEST_NAME_IN_PASSWORD = 3


# -- passwords ---------------------------------------------------------------------------------


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower case (lines starting '#' are notes)."""
    text = files("rfp.core").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def check_password(password: str, *, username: str = "", field: str = "password") -> None:
    """Refuse a weak password under `field` (its message says what is wrong)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refused(field, f"must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Refused(field, f"must be at most {MAX_PASSWORD_LENGTH} characters")
    if not password.strip():
        raise Refused(field, "cannot be only spaces")
    folded = unicodedata.normalize("NFKC", password).casefold()
    if folded.strip() in common_passwords():
        raise Refused(field, "is one of the most common passwords: choose another")
    name = unicodedata.normalize("NFKC", username).strip().casefold()
    if name and (folded == name or (len(name) >= SHORTEST_NAME_IN_PASSWORD and name in folded)):
        raise Refused(field, "cannot contain the username")


# -- usernames ---------------------------------------------------------------------------------

# Characters a reader cannot see or that reorder what they see: controls, format
# characters (zero-width space and joiners, the byte-order mark, bidirectional
# overrides and isolates), and unassigned or private code points.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}

# Look-alikes of Latin letters and digits (Unicode's confusables for the scripts a
# username attack uses: Cyrillic, Greek, fullwidth forms are already folded by NFKC),
# and the sequences of ASCII that read as another letter.
_LOOK_ALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "l", "ї": "l",
        "ј": "j", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ъ": "b", "ь": "b",
        "ɡ": "g", "ո": "n", "ս": "u", "օ": "o",
        # Greek
        "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "l", "κ": "k", "ν": "v",
        "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ϳ": "j",
        # Latin letters and digits that read alike
        "0": "o", "1": "l", "i": "l", "ı": "l", "|": "l",
        # separators
        ".": "_", "-": "_",
    }
)  # fmt: skip
_LOOK_ALIKE_SEQUENCES = (("rn", "m"), ("vv", "w"), ("cl", "d"))


def skeleton(name: str) -> str:
    """What a reader sees in `name`: NFKC, case folded, marks dropped, look-alikes
    mapped to one letter. Two names with equal skeletons are the same name to a person."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(
        c
        for c in unicodedata.normalize("NFD", text)
        if unicodedata.category(c) not in _INVISIBLE_CATEGORIES and not unicodedata.combining(c)
    )
    text = text.translate(_LOOK_ALIKES)
    for sequence, letter in _LOOK_ALIKE_SEQUENCES:
        text = text.replace(sequence, letter)
    return text


def _invisible(name: str) -> str | None:
    for c in name:
        if unicodedata.category(c) in _INVISIBLE_CATEGORIES:
            return f"U+{ord(c):04X}" + (
                f" {unicodedata.name(c)}" if unicodedata.name(c, "") else ""
            )
    return None


def check_username(
    username: str,
    existing: Iterable[str],
    *,
    field: str = "username",
) -> str:
    """The username to store (NFKC-normalised, stripped), or Refused under `field`.

    `existing`: the usernames of every other account (not the one being renamed)."""
    name = unicodedata.normalize("NFKC", username).strip()
    if not name:
        raise Refused(field, "is required")
    if len(name) > MAX_USERNAME_LENGTH:
        raise Refused(field, f"must be at most {MAX_USERNAME_LENGTH} characters")
    hidden = _invisible(name)
    if hidden:
        raise Refused(field, f"contains an invisible or direction-changing character ({hidden})")
    folded, shape = name.casefold(), skeleton(name)
    for other in existing:
        if other.casefold() == folded:
            raise Refused(field, f"{name!r} is already taken")
        if skeleton(other) == shape:
            raise Refused(field, f"{name!r} looks like the existing account {other!r}")
    if not USERNAME_SHAPE.match(name):
        raise Refused(field, USERNAME_SHAPE_TEXT)
    return name
