"""Jinja filters: numbers and dates shown the same way on every page.

Scores show one decimal everywhere (the results page, the JSON rounds nothing; the
reports use the same `score_text`), so that "the same numbers everywhere" holds to the
last decimal shown.
"""

from __future__ import annotations

from flask import Flask

from rfp.core.forms import text_limit
from rfp.core.scale import point_label

# The formatters live in rfp.domain.formatting (no Flask) and are re-exported here.
from rfp.domain.formatting import day, money, percent, score_text, when
from rfp.domain.vocabulary import AnswerType, CriterionKind, QuestionKind, Stage

__all__ = ["day", "money", "percent", "register_filters", "score_text", "when"]


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["score"] = score_text
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["day"] = day
    app.jinja_env.globals["STAGES"] = list(Stage)
    app.jinja_env.globals["Stage"] = Stage
    app.jinja_env.globals["QuestionKind"] = QuestionKind
    app.jinja_env.globals["CriterionKind"] = CriterionKind
    app.jinja_env.globals["AnswerType"] = AnswerType
    app.jinja_env.filters["scale_point"] = point_label
    app.jinja_env.globals["text_limit"] = text_limit

    from rfp.core.nav import tabs_for

    app.jinja_env.globals["evaluation_tabs"] = tabs_for
