"""Rate lines, volume tiers and the scope's channel and language mix in a scenario file.

A price may be one rate (as always) or, beside it, rate lines per channel and language
and volume tiers (rfp.domain.scoring.model.RateLine, VolumeTier):

    "pricing": {"model": "per_hour", "rate": 15, "setup_fee": 0, "monthly_fee": 0,
                "lines": [{"channel": "voice", "language": "en", "rate": 14},
                          {"channel": "voice", "language": "es", "rate": 16},
                          {"channel": "chat", "rate": 11}],
                "tiers": [{"above_contacts": 20000, "discount_pct": 5}]}

`rate` stays required: it prices whatever no line covers. `lines` and `tiers` appear
in the canonical form only when given, so a file with one rate reads, scores and dumps
exactly as before. The scope's `channel_mix` and `language_mix` ({name: percent},
summing to 100) split the volume; without them the volume is split evenly over the
scope's channels and languages.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from rfp.domain.bounds import BOUNDS
from rfp.scenario.checks import Checker

MIXES = {"channel_mix": "channels", "language_mix": "languages"}


def check_lines(c: Checker, value: Any, path: str) -> list[dict[str, Any]]:
    """The canonical rate lines ({channel, language, rate}, None for any), each bad
    field named by its path; a repeated channel and language named by its row."""
    out: list[dict[str, Any]] = []
    seen: dict[tuple[str | None, str | None], int] = {}
    for i, item in enumerate(c.array(value, path)):
        p = f"{path}[{i}]"
        line = c.obj(item, p, allowed=("channel", "language", "rate"), required=("rate",))
        if line is None:
            continue
        names: dict[str, str | None] = {}
        for field in ("channel", "language"):
            raw = line.get(field)
            name = (
                None if raw is None else c.text(raw, f"{p}.{field}", non_empty=True, max_length=80)
            )
            names[field] = name.strip() if isinstance(name, str) else name
        if line.get("channel") is None and line.get("language") is None:
            c.error(p, "must name a channel or a language (the single rate covers the rest)")
            continue
        rate = c.number(line.get("rate"), f"{p}.rate", **BOUNDS["rate"].schema())
        where = (names["channel"], names["language"])
        if where in seen:
            c.error(p, f"repeats the channel and language of row {seen[where] + 1}")
            continue
        seen[where] = i
        out.append({"channel": names["channel"], "language": names["language"], "rate": rate})
    return out


def check_tiers(
    c: Checker, value: Any, path: str, single_rate: Any, has_lines: bool
) -> list[dict[str, Any]]:
    """The canonical volume tiers ({above_contacts, discount_pct} or {above_contacts,
    rate}), in the order given; thresholds distinct, a tier's rate only without lines
    and no higher than the single rate."""
    out: list[dict[str, Any]] = []
    seen: dict[float, int] = {}
    for i, item in enumerate(c.array(value, path)):
        p = f"{path}[{i}]"
        tier = c.obj(
            item,
            p,
            allowed=("above_contacts", "discount_pct", "rate"),
            required=("above_contacts",),
        )
        if tier is None:
            continue
        above = c.number(
            tier.get("above_contacts"), f"{p}.above_contacts", **BOUNDS["tier_contacts"].schema()
        )
        if ("discount_pct" in tier) == ("rate" in tier):
            c.error(p, "must give one of discount_pct and rate, not both")
            continue
        if above is not None and above in seen:
            c.error(f"{p}.above_contacts", f"repeats the threshold of row {seen[above] + 1}")
            continue
        if above is not None:
            seen[above] = i
        if "discount_pct" in tier:
            pct = c.number(
                tier["discount_pct"], f"{p}.discount_pct", **BOUNDS["discount_pct"].schema()
            )
            out.append({"above_contacts": above, "discount_pct": pct})
            continue
        if has_lines:
            c.error(f"{p}.rate", "with rate lines, give the tier as discount_pct off every rate")
            continue
        rate = c.number(tier["rate"], f"{p}.rate", **BOUNDS["rate"].schema())
        if _is_number(rate) and _is_number(single_rate) and rate > single_rate:
            c.error(f"{p}.rate", f"must be at most the single rate ({single_rate:g})")
        out.append({"above_contacts": above, "rate": rate})
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_mixes(c: Checker, scope: Mapping[str, Any], out: dict[str, Any], path: str) -> None:
    """The scope's channel and language mix into `out` (only when given): every name one
    of the scope's channels (languages), every share 0 to 100, together 100."""
    for field, names in MIXES.items():
        if scope.get(field) in (None, {}):
            continue
        mix = c.obj(scope[field], f"{path}.{field}")
        if mix is None:
            continue
        known = out.get(names) or []
        shares: dict[str, Any] = {}
        for name, pct in mix.items():
            p = f"{path}.{field}.{name}"
            if name not in known:
                c.error(p, f"must be one of the scope's {names} ({', '.join(known) or 'none'})")
                continue
            shares[name] = c.number(pct, p, **BOUNDS["mix_pct"].schema())
        numbers = [v for v in shares.values() if _is_number(v)]
        if len(numbers) == len(mix) and not math.isclose(sum(numbers), 100, abs_tol=0.01):
            c.error(f"{path}.{field}", f"must add up to 100 % (it adds up to {sum(numbers):g} %)")
        out[field] = shares


def mix_shares(scope: dict[str, Any], field: str) -> tuple[tuple[str, float], ...]:
    """(name, share of 1) from the scope's mix, or an even split over its channels or
    languages; () when it has none."""
    mix = scope.get(field) or {}
    if mix:
        total = math.fsum(float(v) for v in mix.values()) or 1.0
        return tuple((name, float(pct) / total) for name, pct in mix.items())
    names = list(scope.get(MIXES[field]) or [])
    return tuple((name, 1.0 / len(names)) for name in names)


def pricing_lines(lines: Any, tiers: Any) -> dict[str, Any]:
    """The `lines` and `tiers` keys of a stored price, only those it has (as the
    canonical form writes them)."""
    out: dict[str, Any] = {}
    if lines:
        out["lines"] = [dict(line) for line in lines]
    if tiers:
        out["tiers"] = [dict(tier) for tier in tiers]
    return out


def parse_mix(text: str) -> dict[str, float]:
    """ "voice 60, chat 40" -> {"voice": 60.0, "chat": 40.0} (a trailing % allowed);
    ValueError naming the bad part."""
    out: dict[str, float] = {}
    for part in (p.strip() for p in (text or "").split(",")):
        if not part:
            continue
        name, _, pct = part.rstrip("%").strip().rpartition(" ")
        try:
            value = float(pct)
        except ValueError:
            raise ValueError(f"“{part}”: write a name and a percentage, e.g. voice 60") from None
        if not name.strip():
            raise ValueError(f"“{part}”: write a name and a percentage, e.g. voice 60")
        out[name.strip()] = value
    return out


def format_mix(mix: dict[str, Any] | None) -> str:
    return ", ".join(f"{name} {pct:g}" for name, pct in (mix or {}).items())


def mix_errors(scope: dict[str, Any]) -> dict[str, list[str]]:
    """The scope's mix problems by field (channel_mix, language_mix), as the scenario
    schema words them."""
    c = Checker()
    check_mixes(c, scope, dict(scope), "scope")
    out: dict[str, list[str]] = {}
    for error in c.errors:
        field = next(f for f in MIXES if error.startswith(f"scope.{f}"))
        out.setdefault(field, []).append(error.removeprefix("scope."))
    return out


# -- the forms' text: one rate line or tier a row ----------------------------------------

LINES_HELP = (
    "One line a row: channel, language, rate (leave the channel or the language empty for "
    "any), e.g. “voice, en, 14” or “chat, , 11”. What no line covers is at the rate above."
)
TIERS_HELP = (
    "One tier a row: contacts a month above which it applies, then a discount or a rate, "
    "e.g. “20000, 5%” (5 % off every rate above 20,000 contacts) or “20000, 13.50”."
)


def lines_from_text(text: str) -> list[dict[str, Any]]:
    """Rate lines from the form's rows ("voice, en, 14"); ValueError listing every bad
    row by its number (all or nothing)."""
    raw: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, row in _rows(text):
        parts = [p.strip() for p in row.split(",")]
        if len(parts) != 3:
            problems.append(f"Row {number}: write channel, language, rate (three parts).")
            continue
        channel, language, rate = parts
        value = _number(rate)
        if value is None:
            problems.append(f"Row {number}: the rate “{rate}” is not a number.")
            continue
        raw.append({"channel": any_word(channel), "language": any_word(language), "rate": value})
    if problems:
        raise ValueError(problems)
    c = Checker()
    lines = check_lines(c, raw, "lines")
    _raise_by_row(c, "lines")
    return lines


def tiers_from_text(text: str, single_rate: Any, has_lines: bool) -> list[dict[str, Any]]:
    """Volume tiers from the form's rows ("20000, 5%" or "20000, 13.50"); ValueError
    listing every bad row by its number (all or nothing)."""
    raw: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, row in _rows(text):
        parts = [p.strip() for p in row.split(",")]
        if len(parts) != 2:
            problems.append(f"Row {number}: write the contacts a month, then a discount or a rate.")
            continue
        above, price = _number(parts[0].replace("_", "")), parts[1]
        is_pct = price.endswith("%")
        value = _number(price.rstrip("%").strip().lstrip("$"))
        if above is None or value is None:
            problems.append(f"Row {number}: “{row}” is not two numbers.")
            continue
        raw.append({"above_contacts": above, ("discount_pct" if is_pct else "rate"): value})
    if problems:
        raise ValueError(problems)
    c = Checker()
    tiers = check_tiers(c, raw, "tiers", single_rate, has_lines)
    _raise_by_row(c, "tiers")
    return tiers


def lines_to_text(lines: Any) -> str:
    return "\n".join(
        f"{line.get('channel') or ''}, {line.get('language') or ''}, {line['rate']:g}"
        for line in lines or ()
    )


def tiers_to_text(tiers: Any) -> str:
    rows = []
    for tier in tiers or ():
        if tier.get("discount_pct") is not None:
            rows.append(f"{tier['above_contacts']:g}, {tier['discount_pct']:g}%")
        else:
            rows.append(f"{tier['above_contacts']:g}, {tier['rate']:g}")
    return "\n".join(rows)


def _rows(text: str) -> list[tuple[int, str]]:
    """The non-empty rows with their numbers; a control character (a NUL byte) refused."""
    rows = [(i, row.strip()) for i, row in enumerate((text or "").splitlines(), 1) if row.strip()]
    bad = [i for i, row in rows if any(ord(ch) < 32 and ch != "\t" for ch in row)]
    if bad:
        raise ValueError([f"Row {i}: contains a control character." for i in bad])
    return rows


def any_word(word: str) -> str | None:
    """A channel or language as typed, None for any ("", "any", "*", "all"): the word the
    forms and the questionnaire's tables take for "every channel" or "every language"."""
    return None if word.lower() in ("", "any", "*", "all") else word


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "").replace("$", ""))
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def _raise_by_row(c: Checker, name: str) -> None:
    """The checker's errors ("lines[2].rate: must be ...") as the form's ("Row 3: rate
    must be ...")."""
    if not c.errors:
        return
    out = []
    for error in c.errors:
        where, _, message = error.partition(": ")
        index = where[len(name) + 1 : where.index("]")] if "[" in where else ""
        field = where.partition("].")[2].replace("_", " ")
        row = f"Row {int(index) + 1}: " if index.isdigit() else ""
        named = f"{field} {message}" if field and message.startswith("must") else message
        out.append(f"{row}{named[0].upper()}{named[1:]}." if not row else f"{row}{named}.")
    raise ValueError(out)


def price_line_problems(lines: Any, tiers: Any, single_rate: Any) -> dict[str, list[str]]:
    """Rate lines and tiers given as data (an operation's input), checked as the file's
    are: the problems by form field (rate_lines, volume_tiers), each naming its row."""
    out: dict[str, list[str]] = {}
    checks: tuple[tuple[str, str, Callable[[Checker], object]], ...] = (
        ("rate_lines", "lines", lambda c: check_lines(c, list(lines or ()), "lines")),
        (
            "volume_tiers",
            "tiers",
            lambda c: check_tiers(c, list(tiers or ()), "tiers", single_rate, bool(lines)),
        ),
    )
    for field, name, check in checks:
        c = Checker()
        check(c)
        try:
            _raise_by_row(c, name)
        except ValueError as exc:
            out[field] = list(exc.args[0])
    return out
