"""A vendor's amendments in the scenario file (`vendors[].amendments`): checks, and the
response as amended.

A vendor's `pricing`, `knockouts`, `answers` and `numbers` are its response as
submitted; `amendments` lists, oldest first, the changes made after the response was
frozen (the deadline passed or the prices were unsealed). Each names its `field`
(pricing_model, rate, setup_fee, monthly_fee; knockout, answer, number with the
`question` key), the `old` and `new` value, the `reason`, the `source` ("vendor": its
own clarification, "lead": the lead's amendment), `by` (who, in words), `at` (ISO 8601),
the `stage` and `after_unsealing`. `old` must be the value in effect before (as
submitted, or as the previous amendment left it), so that a chain of amendments reads
as one history.

`as_amended(vendor)` gives the response the engine scores; the database side builds
the same canonical vendor and uses the same function (rfp.models.adapter).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rfp.domain.scoring.model import PRICING_MODELS, Amendment
from rfp.domain.vocabulary import AmendedField, AmendmentSource, Stage
from rfp.scenario.checks import Checker

# A pricing field of an amendment -> its key in the vendor's `pricing`.
PRICING_KEYS = {
    AmendedField.PRICING_MODEL: "model",
    AmendedField.RATE: "rate",
    AmendedField.SETUP_FEE: "setup_fee",
    AmendedField.MONTHLY_FEE: "monthly_fee",
}
# A question field -> the vendor's mapping it changes.
QUESTION_MAPS = {
    AmendedField.KNOCKOUT: "knockouts",
    AmendedField.ANSWER: "answers",
    AmendedField.NUMBER: "numbers",
}
# The question kinds each question field may name (as the vendor's own mappings allow).
QUESTION_KINDS = {
    AmendedField.KNOCKOUT: ("knockout",),
    AmendedField.ANSWER: ("scored", "knockout", "info"),
    AmendedField.NUMBER: ("scored", "knockout", "info"),
}
AMENDMENT_FIELDS = (
    "field",
    "question",
    "old",
    "new",
    "reason",
    "source",
    "by",
    "at",
    "stage",
    "after_unsealing",
)
# Amendments exist once a response is frozen: never in draft.
AMENDMENT_STAGES = tuple(s.value for s in Stage if s != Stage.DRAFT)


class Bid:
    """A vendor's response values, amended one change at a time."""

    def __init__(self, vendor: Mapping[str, Any]) -> None:
        pricing = vendor.get("pricing") or {}
        self.pricing: dict[str, Any] = {key: pricing.get(key) for key in PRICING_KEYS.values()}
        # Rate lines and volume tiers are not amended field by field: kept as submitted.
        self.lines = {key: pricing[key] for key in ("lines", "tiers") if pricing.get(key)}
        self.maps: dict[str, dict[str, Any]] = {
            name: dict(vendor.get(name) or {}) for name in QUESTION_MAPS.values()
        }

    def value(self, field: str, question: str | None) -> Any:
        kind = AmendedField(field)
        if kind.pricing:
            return self.pricing[PRICING_KEYS[kind]]
        return self.maps[QUESTION_MAPS[kind]].get(question or "")

    def change(self, field: str, question: str | None, value: Any) -> None:
        kind = AmendedField(field)
        if kind.pricing:
            self.pricing[PRICING_KEYS[kind]] = value
            return
        mapping = self.maps[QUESTION_MAPS[kind]]
        if value is None:
            mapping.pop(question or "", None)
        else:
            mapping[question or ""] = value

    def priced(self) -> dict[str, Any] | None:
        """The vendor's `pricing` as amended: none without a model and a rate."""
        if self.pricing["model"] is None or self.pricing["rate"] is None:
            return None
        return {
            "model": self.pricing["model"],
            "rate": self.pricing["rate"],
            "setup_fee": self.pricing["setup_fee"] or 0,
            "monthly_fee": self.pricing["monthly_fee"] or 0,
            **self.lines,
        }


def as_amended(vendor: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical vendor with its amendments applied, in order: `pricing`,
    `knockouts`, `answers` and `numbers` as the engine scores them (the `amendments`
    stay, for the outputs to show). A vendor without amendments comes back as it is."""
    if not vendor.get("amendments"):
        return dict(vendor)
    bid = Bid(vendor)
    for amendment in vendor["amendments"]:
        bid.change(amendment["field"], amendment["question"], amendment["new"])
    return dict(vendor, pricing=bid.priced(), **bid.maps)


def amendment_of(amendment: Mapping[str, Any]) -> Amendment:
    """The engine's pass-through record of a canonical amendment."""
    return Amendment(**{key: amendment[key] for key in AMENDMENT_FIELDS})


# -- checks -------------------------------------------------------------------------------


def check_amendments(
    c: Checker,
    value: Any,
    path: str,
    vendor: Mapping[str, Any],
    questions: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """The canonical amendments of a vendor (`vendor`: its canonical response as
    submitted), each checked against the value in effect before it."""
    bid = Bid(vendor)
    out = []
    for i, item in enumerate(c.array(value, path)):
        at = f"{path}[{i}]"
        a = c.obj(
            item,
            at,
            allowed=AMENDMENT_FIELDS,
            required=("field", "old", "new", "reason", "source", "at", "stage"),
        )
        if a is None:
            continue
        field = c.choice(a.get("field"), f"{at}.field", AmendedField.values())
        question = _question(c, a, at, field, questions)
        stage = c.choice(a.get("stage"), f"{at}.stage", AMENDMENT_STAGES)
        unsealed = stage is not None and Stage(stage).unsealed
        after = a.get("after_unsealing", unsealed)
        if c.boolean(after, f"{at}.after_unsealing") is not None and stage and after != unsealed:
            c.error(
                f"{at}.after_unsealing",
                f"must be {'true' if unsealed else 'false'} at the {stage} stage "
                "(the prices are unsealed when scoring starts)",
            )
        entry = {
            "field": field,
            "question": question,
            "old": _value(c, a.get("old"), f"{at}.old", field),
            "new": _value(c, a.get("new"), f"{at}.new", field),
            "reason": c.text(a.get("reason", ""), f"{at}.reason", non_empty=True),
            "source": c.choice(a.get("source"), f"{at}.source", AmendmentSource.values()),
            "by": c.text(a.get("by", ""), f"{at}.by", max_length=200),
            "at": c.iso_datetime(a.get("at"), f"{at}.at"),
            "stage": stage,
            "after_unsealing": unsealed if stage is not None else after,
        }
        if field is None or (field not in PRICING_KEYS and question is None):
            continue
        before = bid.value(field, question)
        if "old" in a and entry["old"] != before:
            c.error(
                f"{at}.old",
                f"must be the value in effect before this amendment ({_shown(before)})",
            )
        if "new" in a and entry["new"] == entry["old"]:
            c.error(f"{at}.new", "must differ from old: an amendment changes something")
        bid.change(field, question, entry["new"])
        out.append(entry)
    return out


def check_amendment_stages(c: Checker, vendors: list[dict[str, Any]], stage: str | None) -> None:
    """No amendment is dated at a stage the evaluation has not reached."""
    if stage is None:
        return
    for i, vendor in enumerate(vendors):
        for j, amendment in enumerate(vendor["amendments"]):
            made = amendment["stage"]
            if made is not None and not Stage(stage).at_or_after(Stage(made)):
                c.error(
                    f"vendors[{i}].amendments[{j}].stage",
                    f"is later than the evaluation's stage ({stage})",
                )


def _question(
    c: Checker, a: Mapping[str, Any], at: str, field: str | None, questions: Mapping[str, Any]
) -> str | None:
    question = a.get("question")
    if field is None:
        return None
    if field in PRICING_KEYS:
        if question is not None:
            c.error(f"{at}.question", "a price amendment names no question (use null)")
        return None
    found = questions.get(question) if isinstance(question, str) else None
    kinds = QUESTION_KINDS[AmendedField(field)]
    if found is None or found[1]["kind"] not in kinds:
        what = "a knockout question" if field == AmendedField.KNOCKOUT else "a question"
        c.error(f"{at}.question", f"unknown key {question!r}: not {what} of this evaluation")
        return None
    return question


def _value(c: Checker, value: Any, path: str, field: str | None) -> Any:
    """An old or new value of the field's type; null (or "" for an answer) is none."""
    if value is None or field is None:
        return None
    kind = AmendedField(field)
    if kind is AmendedField.PRICING_MODEL:
        return c.choice(value, path, PRICING_MODELS)
    if kind in (AmendedField.RATE, AmendedField.SETUP_FEE, AmendedField.MONTHLY_FEE):
        return c.number(value, path, minimum=0)
    if kind is AmendedField.KNOCKOUT:
        return c.boolean(value, path)
    if kind is AmendedField.NUMBER:
        return c.number(value, path)
    text = c.text(value, path)
    return text or None


def _shown(value: Any) -> str:
    return (
        "null" if value is None else repr(value).replace("True", "true").replace("False", "false")
    )
