"""The evaluator scores of a scenario: tens of thousands of rows in a large evaluation.

A row is a score (`score`, `comment`) or an abstention: `"abstain": true` with the
`reason` the evaluator cannot judge the question, and no score. An abstention is not
counted, and takes the evaluator out of the scores expected there (not missing).

The whole list is checked column by column first (`_well_formed_scores`): each check
reads one column in a single pass in C, and keys and values are compared with what is
known once per distinct value. Only when that finds a problem does each row go through
the checks one by one, which name every problem of every row by its path, so that the
errors are the same whichever way a list is checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import repeat
from operator import contains, itemgetter
from typing import Any

import numpy as np

from rfp.scenario.checks import Checker

SCORE_FIELDS = frozenset(("evaluator", "vendor", "question", "score", "comment"))
SCORE_REQUIRED = frozenset(("evaluator", "vendor", "question", "score"))
ABSTENTION_FIELDS = ("evaluator", "vendor", "question", "abstain", "reason")
NOT_IN_ABSTENTION = {
    "score": "an abstention has no score (leave out abstain to give one)",
    "comment": "an abstention has no comment: its reason says why",
}
MAX_TEXT = 100_000  # Checker.text's default max_length


def check_scores(
    c: Checker,
    value: Any,
    vendors: set[str],
    evaluators: dict[str, Any],
    questions: dict[str, Any],
    scale: dict[str, Any],
) -> list[dict[str, Any]]:
    """The canonical score rows, the errors on `c`. Row by row (when the column checks
    find a problem), a well-formed row passes by a few plain lookups, any other goes
    through the full checks, which name every problem it has."""
    rows = c.array(value, "scores")
    criterion_of = {key: cr["key"] for key, (cr, q) in questions.items() if q["kind"] == "scored"}
    well_formed = _well_formed_scores(rows, vendors, evaluators, criterion_of, scale)
    if well_formed is not None:
        return well_formed
    out = []
    lo, hi = scale.get("min"), scale.get("max")
    first_at: dict[tuple[Any, ...], int] = {}  # (evaluator, vendor, question) -> first index
    for i, item in enumerate(rows):
        if type(item) is dict and SCORE_REQUIRED <= item.keys() <= SCORE_FIELDS:
            e, v, q, x = item["evaluator"], item["vendor"], item["question"], item["score"]
            comment = item.get("comment", "")
            criterion = criterion_of.get(q) if type(q) is str else None
            if (
                criterion is not None
                and type(e) is str
                and e in evaluators
                and type(v) is str
                and v in vendors
                and (evaluators[e] is None or criterion in evaluators[e])
                and (type(x) is int or type(x) is float)
                and lo is not None
                and hi is not None
                and lo <= x <= hi  # false for NaN
                and type(comment) is str
                and len(comment) <= MAX_TEXT
            ):
                out.append(
                    {"evaluator": e, "vendor": v, "question": q, "score": x, "comment": comment}
                )
                if first_at.setdefault((e, v, q), i) != i:
                    _duplicate_score(c, (e, v, q), first_at[(e, v, q)], i)
                continue
        row = _checked_score(c, item, f"scores[{i}]", vendors, evaluators, questions, scale)
        if row is None:
            continue
        out.append(row)
        key = (row["evaluator"], row["vendor"], row["question"])
        try:
            first = first_at.setdefault(key, i)
        except TypeError:  # a list or an object where a key belongs: already an error
            continue
        if first != i:
            _duplicate_score(c, key, first, i)
    return out


def _well_formed_scores(
    rows: list[Any],
    vendors: set[str],
    evaluators: dict[str, Any],
    criterion_of: dict[str, str],
    scale: dict[str, Any],
) -> list[dict[str, Any]] | None:
    """The canonical rows when every row would pass the fast path of `check_scores` (an
    object of a score's fields only, a known evaluator and vendor, a scored question
    inside the evaluator's criteria, a number on the scale, a comment of text) and no
    (evaluator, vendor, question) repeats; None as soon as one check fails, for the
    row-by-row checks to name what is wrong and where.

    Column by column: each check reads one column in a single pass in C (map, set, sum,
    numpy), and values are compared with the scale once per distinct value."""
    lo, hi = scale.get("min"), scale.get("max")
    if lo is None or hi is None:
        return None
    if not rows:
        return []
    if set(map(type, rows)) != {dict}:
        return None
    try:
        evaluator_of = list(map(itemgetter("evaluator"), rows))
        vendor_of = list(map(itemgetter("vendor"), rows))
        question_of = list(map(itemgetter("question"), rows))
        value_of = list(map(itemgetter("score"), rows))
    except KeyError:  # a required field missing
        return None
    comment_of = list(map(dict.get, rows, repeat("comment"), repeat("")))
    with_comment = sum(map(contains, rows, repeat("comment")))
    if sum(map(len, rows)) != 4 * len(rows) + with_comment:
        return None  # a field that is not a score's
    if not set(map(type, value_of)) <= {int, float}:
        return None  # bool, text, null, ...
    if not all(lo <= x <= hi for x in set(value_of)):  # false for NaN
        return None
    if not set(map(type, comment_of)) <= {str} or max(map(len, comment_of)) > MAX_TEXT:
        return None
    try:
        at = _key_positions(
            (evaluator_of, list(evaluators)),
            (vendor_of, list(vendors)),
            (question_of, list(criterion_of)),
        )
    except TypeError:  # a list or an object where a key belongs
        return None
    if at is None:
        return None
    e_at, v_at, q_at = at
    allowed = _allowed(list(evaluators.values()), list(criterion_of.values()))
    if allowed is not None and not allowed[e_at, q_at].all():
        return None  # a question outside the evaluator's criteria
    cells = (e_at * len(vendors) + v_at) * len(criterion_of) + q_at
    if len(rows) > 1 and np.bincount(cells).max() > 1:
        return None  # a repeated (evaluator, vendor, question)
    return [
        {"evaluator": e, "vendor": v, "question": q, "score": x, "comment": comment}
        for e, v, q, x, comment in zip(
            evaluator_of, vendor_of, question_of, value_of, comment_of, strict=True
        )
    ]


def _key_positions(*columns: tuple[list[Any], list[str]]) -> tuple[Any, ...] | None:
    """For each (column of keys, known keys): the position of every key among the known
    ones, as an array; None when a key is unknown. Only text is a key: an entry whose
    own key was invalid (None) matches nothing."""
    out = []
    for keys, known in columns:
        index = {key: i for i, key in enumerate(known) if isinstance(key, str)}
        at = np.fromiter(map(index.get, keys, repeat(-1)), dtype=np.intp, count=len(keys))
        if len(at) and at.min() < 0:
            return None
        out.append(at)
    return tuple(out)


def _allowed(limits: list[list[str] | None], question_criteria: list[str]) -> Any:
    """evaluator x question: may the evaluator score the question (its criterion within
    the evaluator's limit)? None when no evaluator is limited."""
    if all(limit is None for limit in limits):
        return None
    allowed = np.ones((len(limits), len(question_criteria)), dtype=bool)
    for e, limit in enumerate(limits):
        if limit is not None:
            allowed[e] = [criterion in limit for criterion in question_criteria]
    return allowed


def _duplicate_score(c: Checker, key: tuple[Any, ...], first: int, index: int) -> None:
    c.error(
        f"scores[{index}]",
        f"duplicate score for evaluator/vendor/question {'/'.join(map(str, key))!r} "
        f"(first at scores[{first}])",
    )


def _checked_score(
    c: Checker,
    item: Any,
    path: str,
    vendors: set[str],
    evaluators: dict[str, Any],
    questions: dict[str, Any],
    scale: dict[str, Any],
) -> dict[str, Any] | None:
    if isinstance(item, dict) and "abstain" in item:
        return _checked_abstention(c, item, path, vendors, evaluators, questions)
    s = c.obj(
        item,
        path,
        allowed=SCORE_FIELDS,
        required=("evaluator", "vendor", "question", "score"),
    )
    if s is None:
        return None
    _check_keys(c, s, path, vendors, evaluators, questions)
    return {
        "evaluator": s.get("evaluator"),
        "vendor": s.get("vendor"),
        "question": s.get("question"),
        "score": c.on_scale(s.get("score"), f"{path}.score", scale),
        "comment": c.text(s.get("comment", ""), f"{path}.comment"),
    }


def _checked_abstention(
    c: Checker,
    item: dict[str, Any],
    path: str,
    vendors: set[str],
    evaluators: dict[str, Any],
    questions: dict[str, Any],
) -> dict[str, Any] | None:
    """An abstention row: `abstain` is true (left out for a score) and the reason is
    required; a score or a comment beside it is an error, named."""
    s = c.obj(
        item,
        path,
        allowed=(*ABSTENTION_FIELDS, *NOT_IN_ABSTENTION),
        required=("evaluator", "vendor", "question", "reason"),
    )
    if s is None:
        return None
    for name, message in NOT_IN_ABSTENTION.items():
        if name in s:
            c.error(f"{path}.{name}", message)
    if s.get("abstain") is not True:
        c.error(f"{path}.abstain", "must be true (leave it out for a score)")
    _check_keys(c, s, path, vendors, evaluators, questions)
    reason = s.get("reason")
    return {
        "evaluator": s.get("evaluator"),
        "vendor": s.get("vendor"),
        "question": s.get("question"),
        "abstain": True,
        "reason": None if reason is None else c.text(reason, f"{path}.reason", non_empty=True),
    }


def is_abstention(row: dict[str, Any]) -> bool:
    """A canonical scores[] row that is an abstention, not a score."""
    return "abstain" in row


def _check_keys(
    c: Checker,
    s: Any,
    path: str,
    vendors: set[str],
    evaluators: dict[str, Any],
    questions: dict[str, Any],
) -> None:
    """The row's evaluator, vendor and question are known, and the question is a scored
    one inside the evaluator's criteria."""
    known_evaluator = c.known(s.get("evaluator"), f"{path}.evaluator", evaluators, "evaluator")
    c.known(s.get("vendor"), f"{path}.vendor", vendors, "vendor")
    criterion = scored_question(c, s.get("question"), f"{path}.question", questions)
    if known_evaluator and criterion is not None:
        limit = evaluators[s["evaluator"]]
        if limit is not None and criterion["key"] not in limit:
            c.error(
                f"{path}.question",
                f"evaluator {s['evaluator']!r} is limited to {', '.join(limit)}; "
                f"{s['question']!r} is in {criterion['key']!r}",
            )


def scored_question(
    c: Checker,
    value: Any,
    path: str,
    questions: Mapping[str, tuple[dict[str, Any], dict[str, Any]]],
) -> dict[str, Any] | None:
    """The criterion of a scored question of this evaluation, or None with the error.
    `questions`: each question's key to its (criterion, question)."""
    found = questions.get(value) if isinstance(value, str) else None
    if found is None:
        c.error(path, f"unknown question {value!r}")
        return None
    if found[1]["kind"] != "scored":
        c.error(path, f"question {value!r} is a {found[1]['kind']} question, not scored")
        return None
    return found[0]
