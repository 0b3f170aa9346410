"""Jinja filters: numbers and dates shown the same way on every page.

Scores show one decimal everywhere (the results page, the JSON rounds nothing; the
reports use the same `score_text`), so that "the same numbers everywhere" holds to the
last decimal shown.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask


def score_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


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


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["score"] = score_text
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["day"] = day
    app.jinja_env.globals["STAGES"] = ("draft", "open", "scoring", "consensus", "decided")

    from .nav import tabs_for

    app.jinja_env.globals["evaluation_tabs"] = tabs_for
