"""Small typed checks that collect errors by path instead of stopping at the first.

An error reads `vendors[2].pricing.rate: must be a number >= 0`, so that whoever wrote
the file can go straight to the field.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from rfp.domain.control_characters import control_problem

KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")

_MISSING = object()
_LARGEST = sys.float_info.max


class ScenarioError(ValueError):
    """The scenario file is invalid; `errors` lists every problem, path first."""

    def __init__(self, errors: Iterable[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


class Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    # -- containers -------------------------------------------------------------------
    def obj(
        self,
        value: Any,
        path: str,
        allowed: Iterable[str] | None = None,
        required: Iterable[str] = (),
    ) -> Mapping[str, Any] | None:
        if not isinstance(value, dict):
            self.error(path, "must be an object")
            return None
        for key in required:
            if key not in value:
                self.error(_join(path, key), "is required")
        if allowed is not None:
            allowed = set(allowed)
            for key in value:
                if key not in allowed:
                    self.error(_join(path, key), "is not a known field")
        return value

    def array(self, value: Any, path: str, non_empty: bool = False) -> list[Any]:
        if not isinstance(value, list):
            self.error(path, "must be a list")
            return []
        if non_empty and not value:
            self.error(path, "must not be empty")
        return value

    # -- scalars ----------------------------------------------------------------------
    def number(
        self,
        value: Any,
        path: str,
        *,
        minimum: float | None = None,
        exclusive_minimum: float | None = None,
        maximum: float | None = None,
        integer: bool = False,
    ) -> float | None:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok and isinstance(value, float) and not math.isfinite(value):
            ok = False
        if ok and isinstance(value, int) and not -_LARGEST <= value <= _LARGEST:
            ok = False  # a 400-digit integer has no float; it would fail far from here
        if ok and integer and float(value) != int(value):
            ok = False
        bounds = []
        if minimum is not None:
            bounds.append(f">= {_shown(minimum)}")
        if exclusive_minimum is not None:
            bounds.append(f"> {_shown(exclusive_minimum)}")
        if maximum is not None:
            bounds.append(f"<= {_shown(maximum)}")
        noun = "an integer" if integer else "a number"
        message = f"must be {noun}" + (" " + " and ".join(bounds) if bounds else "")
        if not ok:
            self.error(path, message)
            return None
        if (
            (minimum is not None and value < minimum)
            or (exclusive_minimum is not None and value <= exclusive_minimum)
            or (maximum is not None and value > maximum)
        ):
            self.error(path, message)
            return None
        return int(value) if integer else value

    def text(
        self, value: Any, path: str, *, non_empty: bool = False, max_length: int = 100_000
    ) -> str | None:
        if not isinstance(value, str):
            self.error(path, "must be a string")
            return None
        if non_empty and not value.strip():
            self.error(path, "must not be empty")
            return None
        if len(value) > max_length:
            self.error(path, f"must be at most {max_length} characters")
            return None
        return value

    def key(self, value: Any, path: str) -> str | None:
        if not isinstance(value, str) or not KEY_PATTERN.match(value):
            self.error(
                path,
                "must be a key: 1 to 80 letters, digits, '_', '-' or '.', starting with a "
                "letter or digit",
            )
            return None
        return value

    def boolean(self, value: Any, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.error(path, "must be true or false")
            return None
        return value

    def choice(self, value: Any, path: str, choices: Iterable[str]) -> str | None:
        choices = tuple(choices)
        if not isinstance(value, str) or value not in choices:
            self.error(path, "must be one of " + ", ".join(repr(c) for c in choices))
            return None
        return value

    def text_list(self, value: Any, path: str) -> list[str] | None:
        items = self.array(value, path)
        if not isinstance(value, list):
            return None
        out = []
        for i, item in enumerate(items):
            checked = self.text(item, f"{path}[{i}]")
            if checked is not None:
                out.append(checked)
        return out if len(out) == len(items) else None

    def iso_date(self, value: Any, path: str) -> str | None:
        if isinstance(value, str):
            try:
                date.fromisoformat(value)
                if len(value) == 10:
                    return value
            except ValueError:
                pass
        self.error(path, "must be a date as YYYY-MM-DD")
        return None

    def iso_datetime(self, value: Any, path: str) -> str | None:
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is not None:
                # Canonical form: UTC, as the database keeps it ("Z" or "+02:00" in).
                return parsed.astimezone(UTC).isoformat()
        self.error(
            path, "must be an ISO 8601 date-time with a time zone, e.g. 2026-10-16T17:00:00+00:00"
        )
        return None

    def known(self, value: Any, path: str, known: Any, what: str) -> bool:
        """Is `value` one of the keys in `known` (text only)? If not, the error says so."""
        if not isinstance(value, str) or value not in known:
            self.error(path, f"unknown {what} {value!r}")
            return False
        return True

    def on_scale(self, value: Any, path: str, scale: Mapping[str, Any]) -> float | None:
        """A number on the evaluation's scale (any number when the scale is broken)."""
        lo, hi = scale.get("min"), scale.get("max")
        if lo is None or hi is None:
            return self.number(value, path)
        return self.number(value, path, minimum=lo, maximum=hi)

    def unique(self, keys: Iterable[tuple[str, str]], what: str) -> None:
        """Report duplicates among (path, key) pairs."""
        seen: dict[str, str] = {}
        for path, key in keys:
            if key in seen:
                self.error(path, f"duplicate {what} {key!r} (first at {seen[key]})")
            else:
                seen[key] = path

    def no_control_characters(
        self, value: Any, path: str = "", source: str | bytes | None = None
    ) -> None:
        """Every text of `value`, keys included, however deep, free of control characters
        other than tab and line ends: checked once over the whole file, so that no field
        is forgotten ("vendors[0].name: contains a control character (NUL); remove it").
        `source`, the JSON text `value` was parsed from, saves writing it again."""
        if not _may_hold_control_characters(value, source):
            return  # the common case, found in one pass over the text (see below)
        found: list[str] = []
        stack = [(value, path)]
        while stack:
            item, where = stack.pop()
            if isinstance(item, str):
                problem = control_problem(item)
                if problem:
                    found.append(f"{where or 'file'}: {problem}")
            elif isinstance(item, dict):
                for key, inner in item.items():
                    problem = control_problem(key)
                    if problem:
                        found.append(f"{where or 'file'}: a field name {problem}")
                    else:
                        stack.append((inner, _join(where, key)))
            elif isinstance(item, list):
                stack.extend((inner, f"{where}[{i}]") for i, inner in enumerate(item))
        self.errors.extend(sorted(found, key=_natural))

    def get(self, mapping: Mapping[str, Any] | None, key: str, default: Any = _MISSING) -> Any:
        if mapping is None or key not in mapping:
            return None if default is _MISSING else default
        return mapping[key]


# In JSON text a C0 control inside a string can only be an escape (\u0000, or \b and \f:
# a parser refuses one as it is), and DEL and the C1 controls are there as they are, or
# escaped. A few searches over the text, as UTF-8 bytes, tell whether the walk that names
# each path is needed: each pattern starts with one byte, which the regular expression
# engine finds as fast as a plain search does (a few milliseconds for megabytes). A
# backslash typed in a text can match too; then the walk decides.
_ESCAPED_CONTROL = re.compile(
    rb"\\(?:u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])|[bf])"
)
_RAW_C1_CONTROL = re.compile(rb"\xc2[\x80-\x9f]")  # U+0080 to U+009F in UTF-8


def _may_hold_control_characters(value: Any, source: str | bytes | None = None) -> bool:
    """False when no text of `value` can hold a control character, judged from the JSON
    text it was parsed from (`source`) or, without one, from `value` written as JSON."""
    try:
        if source is None:
            source = json.dumps(value, ensure_ascii=False)
        text = _utf8(source)
    except (TypeError, ValueError):
        return True
    return bool(_ESCAPED_CONTROL.search(text) or b"\x7f" in text or _RAW_C1_CONTROL.search(text))


def _utf8(source: str | bytes) -> bytes:
    """JSON text as UTF-8 bytes (a file may be UTF-16 or UTF-32, as json.loads allows)."""
    if isinstance(source, str):
        return source.encode("utf-8", "surrogatepass")
    encoding = json.detect_encoding(source)
    if encoding in ("utf-8", "utf-8-sig"):  # a BOM is no control character
        return source
    return source.decode(encoding, "surrogatepass").encode("utf-8", "surrogatepass")


def _natural(error: str) -> list[Any]:
    """Errors in the file's order: vendors[2] before vendors[10]."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", error)]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _shown(bound: float) -> str:
    """A bound as people read it: 1,000,000 rather than 1e+06."""
    return f"{bound:,.0f}" if float(bound).is_integer() and abs(bound) < 1e15 else f"{bound:g}"
