"""What the set-up operations share: the frozen-after-draft rule, the read-only rule
once decided, the freeze of vendors' responses at the deadline, and the stable keys
that scenario files use for criteria, questions and vendors. They refuse with
`Refused` (rfp.core.refusal)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from rfp import models as m
from rfp.core.db import utcnow
from rfp.core.refusal import CONFLICT, Refused
from rfp.domain.amendments import freeze_reason
from rfp.domain.bounds import BOUNDS


def frozen_reason(evaluation: m.Evaluation, reason: str | None, what: str) -> str:
    """The reason given for changing something frozen since `draft` (required then)."""
    reason = (reason or "").strip()
    if evaluation.weights_frozen and not reason:
        raise Refused(
            "reason",
            f"{what} are fixed since the evaluation left draft. Give a reason for this "
            "change; it goes into the audit trail.",
        )
    return reason


def require_writable(evaluation: m.Evaluation) -> None:
    """Operations refuse too, not only the views: a decided evaluation is read-only."""
    if evaluation.read_only:
        raise Refused("stage", "the evaluation is decided and read-only", CONFLICT)


_NOT_KEY = re.compile(r"[^a-z0-9]+")


def unique_key(text: str, taken: Iterable[str], fallback: str = "item") -> str:
    """A scenario-file key from a name ("Cultural fit" -> "cultural_fit"), unique among
    `taken` (a suffix _2, _3 ... when needed)."""
    base = _NOT_KEY.sub("_", text.lower()).strip("_")[:40].strip("_") or fallback
    taken = set(taken)
    key, n = base, 2
    while key in taken:
        key = f"{base}_{n}"
        n += 1
    return key


def number_or_int(value: float | None) -> float | int | None:
    """Integral floats as ints, so that stored JSON and dumps read as they were typed."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def changed(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The entries of `old` and `new` that differ (for an audit event's old and new)."""
    keys = [k for k in new if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys}, {k: new.get(k) for k in keys}


def check_bound(bound: str, value: Any, field: str, label: str = "") -> None:
    """Refuse a number outside its sane bounds (rfp.domain.bounds), naming the field:
    Refused("weight", "must be at most 10,000") or, with a label, "Weight must be ..."."""
    if value is None:
        return
    problem = BOUNDS[bound].problem(value)
    if problem:
        raise Refused(field, f"{label} {problem}" if label else problem)


def response_frozen(evaluation: m.Evaluation, now: datetime | None = None) -> str | None:
    """Why the vendors' responses no longer change directly (None: they still do): the
    prices are unsealed, or the response deadline has passed. After that a change is an
    amendment (rfp.areas.vendors.operations.amend_response), never an overwrite."""
    return freeze_reason(evaluation.current_stage, evaluation.deadline, now or utcnow())


def require_response_open(evaluation: m.Evaluation, field: str = "response") -> None:
    """Refuse (409) any direct write to a vendor's response once it is frozen."""
    frozen = response_frozen(evaluation)
    if frozen:
        raise Refused(
            field,
            f"The responses are frozen: {frozen}. A response stays as the vendor "
            "submitted it; a change now is an amendment, with its reason, on the vendor's "
            "page.",
            CONFLICT,
        )
