"""Scenario format 1: validation and the canonical form.

`normalise_scenario(doc)` checks a parsed scenario document completely and returns its
canonical form (every optional field present with its default, a fixed key order), or
raises `ScenarioError` listing every bad field by path. The canonical form is what
`dump` produces, so that dump(import(file)) == normalise_scenario(file).
"""

from __future__ import annotations

import json
from typing import Any

from rfp.domain.bounds import BOUNDS
from rfp.domain.scoring.model import (
    AGGREGATIONS,
    CRITERION_KINDS,
    DELIVERY_MODELS,
    PRICE_FORMULAS,
    PRICING_MODELS,
    QUESTION_KINDS,
    SIGN_AGAIN,
)
from rfp.scenario.amendments import check_amendment_stages, check_amendments
from rfp.scenario.checks import Checker, ScenarioError
from rfp.scenario.pilot import check_award_shares, check_pilot
from rfp.scenario.pricing import MIXES, check_lines, check_mixes, check_tiers
from rfp.scenario.scores import check_scores, scored_question
from rfp.scenario.sourcing import SECTIONS as SOURCING_SECTIONS
from rfp.scenario.sourcing import check_sourcing

FORMAT = 1
STAGES = ("draft", "open", "scoring", "consensus", "pilot", "decided")
RESPONSE_STATUSES = ("not_started", "draft", "submitted")
DEFAULT_ANCHORS = {
    "0": "No response or unacceptable",
    "1": "Poor",
    "2": "Weak",
    "3": "Meets the requirement",
    "4": "Exceeds",
    "5": "Outstanding",
}
SCOPE_LISTS = ("functions", "channels", "languages", "compliance", "time_zones", "tools")
SCOPE_TEXTS = ("coverage", "complexity")
# field -> (check keyword arguments); None default means "absent unless given".
_WEIGHT = BOUNDS["weight"].schema()
_POINT = {k: v for k, v in BOUNDS["scale_point"].schema().items() if k != "integer"}
_ANSWER_NUMBER = BOUNDS["answer_number"].schema()
SCOPE_NUMBERS: dict[str, dict[str, Any]] = {
    field: BOUNDS[field].schema()
    for field in (
        "contacts_per_month",
        "aht_minutes",
        "occupancy",
        "fte_hours_per_month",
        "term_months",
        "governance_overhead_pct",
        "inhouse_rate",
        "pilot_weeks",
    )
}
TARGET_BOUNDS = {
    "fcr_pct": "fcr_pct",
    "csat_pct": "csat_pct",
    "aht_minutes": "target_aht_minutes",
    "attrition_pct": "attrition_pct",
    "service_level_pct": "service_level_pct",
}
COST_REQUIRED = ("contacts_per_month", "aht_minutes", "term_months")
COST_DEFAULTS = {"occupancy": 0.8, "fte_hours_per_month": 160, "governance_overhead_pct": 0}
TARGETS = ("fcr_pct", "csat_pct", "aht_minutes", "attrition_pct", "service_level_pct")
READINESS = (
    "objectives",
    "process_maturity",
    "security_requirements",
    "stakeholder_alignment",
    "escalation_protocols",
)


def load_scenario_text(text: str | bytes) -> dict[str, Any]:
    """Parse and normalise a scenario file's text; malformed JSON names line and column."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            [f"line {exc.lineno}, column {exc.colno}: malformed JSON: {exc.msg}"]
        ) from exc
    except UnicodeDecodeError as exc:
        raise ScenarioError([f"file: not UTF-8 text ({exc.reason})"]) from exc
    except RecursionError as exc:
        raise ScenarioError(["file: nested too deeply to be a scenario"]) from exc
    except ValueError as exc:  # e.g. an integer literal of more than 4,300 digits
        raise ScenarioError([f"file: malformed JSON: {exc}"]) from exc
    return normalise_scenario(doc, source=text)


def normalise_scenario(doc: Any, source: str | bytes | None = None) -> dict[str, Any]:
    """The canonical scenario of a parsed document, or ScenarioError with every problem
    found; `source` is the JSON text it was parsed from, when there is one (it spares
    writing the document again to look for control characters)."""
    c = Checker()
    if not isinstance(doc, dict):
        raise ScenarioError(["file: must be a JSON object"])
    c.no_control_characters(doc, source=source)
    if c.errors:  # PostgreSQL refuses a NUL: nothing of such a file is read further
        raise ScenarioError(c.errors)
    root = c.obj(
        doc,
        "",
        allowed=(
            "format",
            "evaluation",
            "criteria",
            "vendors",
            "evaluators",
            "scores",
            "consensus",
            "references",
            "conflicts",
            *SOURCING_SECTIONS,
            "pilot",
        ),
        required=("format", "evaluation", "criteria", "vendors"),
    )
    if root is None:
        raise ScenarioError(c.errors or ["file: must be a JSON object"])
    if "format" in root and (root["format"] != FORMAT or isinstance(root["format"], bool)):
        c.error("format", f"must be {FORMAT} (this version of rfp reads scenario format {FORMAT})")

    criteria = _criteria(c, root.get("criteria", []))
    has_cost = any(cr["kind"] == "cost" for cr in criteria)
    evaluation = _evaluation(c, root.get("evaluation"), has_cost)
    scale = evaluation["scale"] if evaluation else {"min": 0, "max": 5}
    _check_bands(c, criteria, scale)
    questions = {q["key"]: (cr, q) for cr in criteria for q in cr["questions"]}
    vendors = _vendors(c, root.get("vendors", []), questions)
    check_amendment_stages(c, vendors, evaluation["stage"] if evaluation else None)
    vendor_keys = {v["key"] for v in vendors}
    evaluators = _evaluators(c, root.get("evaluators", []), criteria)
    evaluator_limits = {e["key"]: e.get("criteria") for e in evaluators}
    conflicts = _conflicts(c, root.get("conflicts", []), vendor_keys, evaluator_limits)
    scores = check_scores(
        c, root.get("scores", []), vendor_keys, evaluator_limits, questions, scale
    )
    consensus = _consensus(c, root.get("consensus", []), vendor_keys, questions, scale)
    references = _references(c, root.get("references", []), vendor_keys, scale)
    sourcing = check_sourcing(c, root, vendor_keys, questions)
    if evaluation and evaluation.get("award") is not None:
        award = evaluation["award"]
        award_vendor = award["vendor"]
        if award_vendor not in vendor_keys:
            c.error("evaluation.award.vendor", f"unknown vendor {award_vendor!r}")
        shares = check_award_shares(
            c, award.pop("shares", None), "evaluation.award.shares", vendor_keys, award_vendor
        )
        if shares is not None:
            award["shares"] = shares
    pilot = check_pilot(
        c,
        root.get("pilot"),
        stage=evaluation["stage"] if evaluation else None,
        vendor_keys=vendor_keys,
    )

    if c.errors:
        raise ScenarioError(c.errors)
    out: dict[str, Any] = {
        "format": FORMAT,
        "evaluation": evaluation,
        "criteria": criteria,
        "vendors": vendors,
        "evaluators": evaluators,
        "conflicts": conflicts,
        "scores": scores,
        "consensus": consensus,
        "references": references,
        **sourcing,
    }
    if pilot is not None:  # optional: a file without a pilot reads as it always did
        out["pilot"] = pilot
    return out


def _evaluation(c: Checker, value: Any, has_cost: bool) -> dict[str, Any] | None:
    path = "evaluation"
    ev = c.obj(
        value,
        path,
        allowed=(
            "title",
            "description",
            "stage",
            "deadline",
            "scoring_due",
            "scale",
            "aggregation",
            "dispersion_threshold",
            "price_formula",
            "price_zero_multiple",
            "scope",
            "readiness",
            "blind_scoring",
            "two_envelope",
            "normalise_evaluators",
            "sensitivity_concentration",
            "award",
        ),
        required=("title",),
    )
    if ev is None:
        return None
    out: dict[str, Any] = {
        "title": c.text(ev.get("title", ""), f"{path}.title", non_empty=True, max_length=200),
        "description": c.text(ev.get("description", ""), f"{path}.description"),
        "stage": c.choice(ev.get("stage", "draft"), f"{path}.stage", STAGES),
        "deadline": (
            c.iso_datetime(ev["deadline"], f"{path}.deadline")
            if ev.get("deadline") is not None
            else None
        ),
        "scoring_due": (
            c.iso_date(ev["scoring_due"], f"{path}.scoring_due")
            if ev.get("scoring_due") is not None
            else None
        ),
    }
    scale_in = c.obj(ev.get("scale", {}), f"{path}.scale", allowed=("min", "max", "anchors"))
    lo = c.number(c.get(scale_in, "min", 0), f"{path}.scale.min", **_POINT)
    hi = c.number(c.get(scale_in, "max", 5), f"{path}.scale.max", **_POINT)
    if lo is not None and hi is not None and hi <= lo:
        c.error(f"{path}.scale.max", "must be greater than scale.min")
    anchors_in = c.get(scale_in, "anchors", None)
    if anchors_in is None:
        anchors = dict(DEFAULT_ANCHORS) if (lo, hi) == (0, 5) else {}
    else:
        anchors = {}
        if c.obj(anchors_in, f"{path}.scale.anchors") is not None:
            for point, label in anchors_in.items():
                p = f"{path}.scale.anchors.{point}"
                try:
                    number = float(point)
                except ValueError:
                    c.error(p, "must be keyed by a point of the scale")
                    continue
                if lo is not None and hi is not None and not lo <= number <= hi:
                    c.error(p, f"must be a point of the scale {lo:g} to {hi:g}")
                if c.text(label, p) is not None:
                    anchors[point] = label
    out["scale"] = {"min": lo, "max": hi, "anchors": anchors}
    out["aggregation"] = c.choice(
        ev.get("aggregation", "mean"), f"{path}.aggregation", AGGREGATIONS
    )
    out["dispersion_threshold"] = c.number(
        ev.get("dispersion_threshold", 2),
        f"{path}.dispersion_threshold",
        **BOUNDS["dispersion_threshold"].schema(),
    )
    out["price_formula"] = c.choice(
        ev.get("price_formula", "lowest_ratio"), f"{path}.price_formula", PRICE_FORMULAS
    )
    out["price_zero_multiple"] = c.number(
        ev.get("price_zero_multiple", 2),
        f"{path}.price_zero_multiple",
        **BOUNDS["price_zero_multiple"].schema(),
    )
    for flag in ("blind_scoring", "two_envelope", "normalise_evaluators"):
        out[flag] = c.boolean(ev.get(flag, False), f"{path}.{flag}")
    out["sensitivity_concentration"] = c.number(
        ev.get("sensitivity_concentration", 50),
        f"{path}.sensitivity_concentration",
        **BOUNDS["sensitivity_concentration"].schema(),
    )
    readiness_in = c.obj(ev.get("readiness", {}), f"{path}.readiness", allowed=READINESS)
    out["readiness"] = {
        item: c.boolean(readiness_in[item], f"{path}.readiness.{item}")
        for item in READINESS
        if readiness_in is not None and item in readiness_in
    }
    out["scope"] = _scope(c, ev.get("scope", {}), f"{path}.scope", has_cost)
    award_in = ev.get("award")
    if award_in is None:
        out["award"] = None
    else:
        award = c.obj(
            award_in,
            f"{path}.award",
            allowed=("vendor", "rationale", "shares"),
            required=("vendor",),
        )
        out["award"] = {
            "vendor": c.key(c.get(award, "vendor", ""), f"{path}.award.vendor"),
            "rationale": c.text(c.get(award, "rationale", ""), f"{path}.award.rationale"),
        }
        if award is not None and award.get("shares") is not None:  # checked with the vendors' keys
            out["award"]["shares"] = award["shares"]
    return out


def _scope(c: Checker, value: Any, path: str, has_cost: bool) -> dict[str, Any]:
    allowed = (*SCOPE_LISTS, *SCOPE_TEXTS, *SCOPE_NUMBERS, "targets", *MIXES)
    scope = c.obj(value, path, allowed=allowed)
    if scope is None:
        return {}
    out: dict[str, Any] = {}
    for field in SCOPE_LISTS:
        out[field] = c.text_list(scope.get(field, []), f"{path}.{field}")
    for field in SCOPE_TEXTS:
        out[field] = c.text(scope.get(field, ""), f"{path}.{field}")
    for field, bounds in SCOPE_NUMBERS.items():
        if field in scope and scope[field] is not None:
            out[field] = c.number(scope[field], f"{path}.{field}", **bounds)
        elif has_cost and field in COST_REQUIRED:
            c.error(f"{path}.{field}", "is required when the evaluation has a cost criterion")
            out[field] = None
        else:
            out[field] = COST_DEFAULTS.get(field)
    targets = c.obj(scope.get("targets", {}), f"{path}.targets", allowed=TARGETS)
    out["targets"] = {
        t: c.number(targets[t], f"{path}.targets.{t}", **BOUNDS[TARGET_BOUNDS[t]].schema())
        for t in TARGETS
        if targets is not None and t in targets
    }
    check_mixes(c, scope, out, path)
    return out


def _criteria(c: Checker, value: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    at: list[tuple[int, list[int]]] = []  # input index of each entry and of its questions
    for i, item in enumerate(c.array(value, "criteria", non_empty=True)):
        path = f"criteria[{i}]"
        cr = c.obj(
            item,
            path,
            allowed=("key", "name", "weight", "kind", "description", "questions"),
            required=("key", "name", "weight"),
        )
        if cr is None:
            continue
        kind = c.choice(cr.get("kind", "scored"), f"{path}.kind", CRITERION_KINDS)
        questions = []
        question_at = []
        raw_questions = cr.get("questions", [])
        if kind in ("cost", "references") and raw_questions:
            c.error(f"{path}.questions", f"a {kind} criterion is computed and has no questions")
        for j, q_item in enumerate(c.array(raw_questions, f"{path}.questions")):
            question = _question(c, q_item, f"{path}.questions[{j}]")
            if question is not None:
                questions.append(question)
                question_at.append(j)
        if kind == "scored" and not any(q["kind"] == "scored" for q in questions):
            c.error(f"{path}.questions", "a scored criterion needs at least one scored question")
        out.append(
            {
                "key": c.key(cr.get("key"), f"{path}.key"),
                "name": c.text(cr.get("name", ""), f"{path}.name", non_empty=True, max_length=200),
                "weight": c.number(cr.get("weight"), f"{path}.weight", **_WEIGHT),
                "kind": kind,
                "description": c.text(cr.get("description", ""), f"{path}.description"),
                "questions": questions,
            }
        )
        at.append((i, question_at))
    c.unique(
        (
            (f"criteria[{i}].key", cr["key"])
            for (i, _questions), cr in zip(at, out, strict=True)
            if cr["key"]
        ),
        "criterion key",
    )
    for kind in ("cost", "references"):
        found = [i for (i, _), cr in zip(at, out, strict=True) if cr["kind"] == kind]
        for i in found[1:]:
            c.error(f"criteria[{i}].kind", f"only one {kind} criterion is allowed")
    c.unique(
        (
            (f"criteria[{i}].questions[{j}].key", q["key"])
            for (i, question_at), cr in zip(at, out, strict=True)
            for j, q in zip(question_at, cr["questions"], strict=True)
            if q["key"]
        ),
        "question key",
    )
    return out


def _question(c: Checker, value: Any, path: str) -> dict[str, Any] | None:
    q = c.obj(
        value,
        path,
        allowed=("key", "text", "weight", "kind", "guidance", "answer_type", "unit", "bands"),
        required=("key", "text"),
    )
    if q is None:
        return None
    kind = c.choice(q.get("kind", "scored"), f"{path}.kind", QUESTION_KINDS)
    weight = q.get("weight", 1)
    return {
        "key": c.key(q.get("key"), f"{path}.key"),
        "text": c.text(q.get("text", ""), f"{path}.text", non_empty=True),
        "weight": c.number(weight, f"{path}.weight", **_WEIGHT),
        "kind": kind,
        "guidance": c.text(q.get("guidance", ""), f"{path}.guidance"),
        "answer_type": c.choice(
            q.get("answer_type", "text"), f"{path}.answer_type", ("text", "number")
        ),
        "unit": c.text(q.get("unit", ""), f"{path}.unit", max_length=40),
        "bands": _bands(c, q.get("bands"), f"{path}.bands"),
    }


def _bands(c: Checker, value: Any, path: str) -> list[dict[str, Any]] | None:
    """Score bands of a quantitative question: [{"min": x, "max": y, "score": s}, ...]."""
    if value is None:
        return None
    out = []
    for i, item in enumerate(c.array(value, path, non_empty=True)):
        band = c.obj(item, f"{path}[{i}]", allowed=("min", "max", "score"), required=("score",))
        if band is None:
            continue
        entry: dict[str, Any] = {}
        for end in ("min", "max"):
            entry[end] = (
                c.number(band[end], f"{path}[{i}].{end}", **_ANSWER_NUMBER)
                if band.get(end) is not None
                else None
            )
        entry["score"] = c.number(band.get("score"), f"{path}[{i}].score")
        out.append(entry)
    return out


def _check_bands(c: Checker, criteria: list[dict[str, Any]], scale: dict[str, Any]) -> None:
    """Bands score a number: only on scored questions that take a number, with each
    band's ends in order and its score on the evaluation's scale."""
    for i, cr in enumerate(criteria):
        for j, q in enumerate(cr["questions"]):
            bands = q.get("bands")
            if bands is None:
                continue
            path = f"criteria[{i}].questions[{j}].bands"
            if q.get("answer_type") != "number":
                c.error(path, 'only a question with answer_type "number" is scored by bands')
            if q.get("kind") != "scored":
                kind = q.get("kind")
                c.error(path, f"only a scored question is scored by bands (this one is {kind})")
            for k, band in enumerate(bands):
                lo, hi = band.get("min"), band.get("max")
                if lo is not None and hi is not None and lo >= hi:
                    c.error(f"{path}[{k}].max", "must be greater than min")
                if band.get("score") is not None:
                    c.on_scale(band["score"], f"{path}[{k}].score", scale)


def _vendors(c: Checker, value: Any, questions: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    at = []  # input index of each entry (entries that are not objects are skipped)
    for i, item in enumerate(c.array(value, "vendors", non_empty=True)):
        path = f"vendors[{i}]"
        v = c.obj(
            item,
            path,
            allowed=(
                "key",
                "name",
                "model",
                "country",
                "contact_name",
                "contact_email",
                "notes",
                "pricing",
                "knockouts",
                "answers",
                "evidence",
                "numbers",
                "status",
                "amendments",
            ),
            required=("key", "name"),
        )
        if v is None:
            continue
        at.append(i)
        model = v.get("model")
        vendor: dict[str, Any] = {
            "key": c.key(v.get("key"), f"{path}.key"),
            "name": c.text(v.get("name", ""), f"{path}.name", non_empty=True, max_length=200),
            "model": None if model is None else c.choice(model, f"{path}.model", DELIVERY_MODELS),
            "country": c.text(v.get("country", ""), f"{path}.country", max_length=80),
            "contact_name": c.text(
                v.get("contact_name", ""), f"{path}.contact_name", max_length=200
            ),
            "contact_email": c.text(
                v.get("contact_email", ""), f"{path}.contact_email", max_length=254
            ),
            "notes": c.text(v.get("notes", ""), f"{path}.notes"),
            "status": c.choice(v.get("status", "submitted"), f"{path}.status", RESPONSE_STATUSES),
            "pricing": _pricing(c, v.get("pricing"), f"{path}.pricing"),
            "knockouts": _keyed(
                c,
                v.get("knockouts", {}),
                f"{path}.knockouts",
                questions,
                ("knockout",),
                c.boolean,
                "a knockout question",
            ),
            "evidence": _keyed(
                c,
                v.get("evidence", {}),
                f"{path}.evidence",
                questions,
                ("knockout",),
                c.text,
                "a knockout question",
            ),
            "answers": _keyed(
                c,
                v.get("answers", {}),
                f"{path}.answers",
                questions,
                QUESTION_KINDS,
                c.text,
                "a question",
            ),
            "numbers": _keyed(
                c,
                v.get("numbers", {}),
                f"{path}.numbers",
                questions,
                QUESTION_KINDS,
                lambda value, at: c.number(value, at, **_ANSWER_NUMBER),
                "a question",
            ),
        }
        # Changes after the response was frozen, each against the value before it.
        vendor["amendments"] = check_amendments(
            c, v.get("amendments", []), f"{path}.amendments", vendor, questions
        )
        out.append(vendor)
    c.unique(
        ((f"vendors[{i}].key", v["key"]) for i, v in zip(at, out, strict=True) if v["key"]),
        "vendor key",
    )
    return out


def _keyed(
    c: Checker,
    value: Any,
    path: str,
    questions: dict[str, Any],
    kinds: tuple[str, ...],
    check: Any,
    what: str,
) -> dict[str, Any]:
    mapping = c.obj(value, path)
    out: dict[str, Any] = {}
    if mapping is None:
        return out
    for key, item in mapping.items():
        found = questions.get(key)
        if found is None or found[1]["kind"] not in kinds:
            c.error(f"{path}.{key}", f"unknown key: not {what} of this evaluation")
            continue
        checked = check(item, f"{path}.{key}")
        if checked is not None and checked != "":  # an empty answer is no answer
            out[key] = checked
    return out


def _pricing(c: Checker, value: Any, path: str) -> dict[str, Any] | None:
    if value is None:
        return None
    p = c.obj(
        value,
        path,
        allowed=("model", "rate", "setup_fee", "monthly_fee", "lines", "tiers"),
        required=("model", "rate"),
    )
    if p is None:
        return None
    out: dict[str, Any] = {
        "model": c.choice(p.get("model"), f"{path}.model", PRICING_MODELS),
        "rate": c.number(p.get("rate"), f"{path}.rate", **BOUNDS["rate"].schema()),
        "setup_fee": c.number(
            p.get("setup_fee", 0), f"{path}.setup_fee", **BOUNDS["setup_fee"].schema()
        ),
        "monthly_fee": c.number(
            p.get("monthly_fee", 0), f"{path}.monthly_fee", **BOUNDS["monthly_fee"].schema()
        ),
    }
    # Rate lines and volume tiers (rfp.scenario.pricing): present only when given.
    if p.get("lines"):
        out["lines"] = check_lines(c, p["lines"], f"{path}.lines")
    if p.get("tiers"):
        out["tiers"] = check_tiers(
            c, p["tiers"], f"{path}.tiers", out["rate"], bool(out.get("lines"))
        )
    return out


def _evaluators(c: Checker, value: Any, criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    scored = {cr["key"] for cr in criteria if cr["kind"] == "scored"}
    order = {cr["key"]: i for i, cr in enumerate(criteria)}
    out: list[dict[str, Any]] = []
    at = []
    for i, item in enumerate(c.array(value, "evaluators")):
        path = f"evaluators[{i}]"
        e = c.obj(
            item,
            path,
            allowed=("key", "name", "email", "criteria", "active"),
            required=("key", "name"),
        )
        if e is None:
            continue
        at.append(i)
        limit = None
        if e.get("criteria") is not None:
            limit = []
            for j, key in enumerate(c.array(e["criteria"], f"{path}.criteria", non_empty=True)):
                if not isinstance(key, str) or key not in scored:
                    c.error(f"{path}.criteria[{j}]", f"unknown key {key!r}: not a scored criterion")
                elif key not in limit:
                    limit.append(key)
            # In the criteria's order, as the database gives them back.
            limit.sort(key=order.__getitem__)
        out.append(
            {
                "key": c.key(e.get("key"), f"{path}.key"),
                "name": c.text(e.get("name", ""), f"{path}.name", non_empty=True, max_length=200),
                "email": c.text(e.get("email", ""), f"{path}.email", max_length=254),
                "criteria": limit,
                "active": c.boolean(e.get("active", True), f"{path}.active"),
            }
        )
    c.unique(
        ((f"evaluators[{i}].key", e["key"]) for i, e in zip(at, out, strict=True) if e["key"]),
        "evaluator key",
    )
    # One e-mail is one account, and an account sits on a panel once.
    c.unique(
        (
            (f"evaluators[{i}].email", e["email"].lower())
            for i, e in zip(at, out, strict=True)
            if e["email"]
        ),
        "evaluator e-mail",
    )
    return out


def _conflicts(
    c: Checker, value: Any, vendors: set[str], evaluators: dict[str, Any]
) -> list[dict[str, Any]]:
    out = []
    at = []
    for i, item in enumerate(c.array(value, "conflicts")):
        path = f"conflicts[{i}]"
        d = c.obj(
            item, path, allowed=("evaluator", "vendor", "note"), required=("evaluator", "vendor")
        )
        if d is None:
            continue
        at.append(i)
        c.known(d.get("evaluator"), f"{path}.evaluator", evaluators, "evaluator")
        c.known(d.get("vendor"), f"{path}.vendor", vendors, "vendor")
        out.append(
            {
                "evaluator": d.get("evaluator"),
                "vendor": d.get("vendor"),
                "note": c.text(d.get("note", ""), f"{path}.note"),
            }
        )
    c.unique(
        (
            (f"conflicts[{i}]", f"{d['evaluator']}/{d['vendor']}")
            for i, d in zip(at, out, strict=True)
        ),
        "conflict",
    )
    return out


def _consensus(
    c: Checker, value: Any, vendors: set[str], questions: dict[str, Any], scale: dict[str, Any]
) -> list[dict[str, Any]]:
    out = []
    at = []
    for i, item in enumerate(c.array(value, "consensus")):
        path = f"consensus[{i}]"
        s = c.obj(
            item,
            path,
            allowed=("vendor", "question", "score", "rationale"),
            required=("vendor", "question", "score"),
        )
        if s is None:
            continue
        at.append(i)
        c.known(s.get("vendor"), f"{path}.vendor", vendors, "vendor")
        scored_question(c, s.get("question"), f"{path}.question", questions)
        out.append(
            {
                "vendor": s.get("vendor"),
                "question": s.get("question"),
                "score": c.on_scale(s.get("score"), f"{path}.score", scale),
                "rationale": c.text(s.get("rationale", ""), f"{path}.rationale"),
            }
        )
    c.unique(
        (
            (f"consensus[{i}]", f"{s['vendor']}/{s['question']}")
            for i, s in zip(at, out, strict=True)
        ),
        "consensus for vendor/question",
    )
    return out


REFERENCE_FIELDS = (
    "vendor",
    "caller",
    "company",
    "contact",
    "date",
    "similar_business",
    "rating",
    "would_sign_again",
    "surprised_negatively",
    "do_differently",
    "notes",
)


def _references(
    c: Checker, value: Any, vendors: set[str], scale: dict[str, Any]
) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(c.array(value, "references")):
        path = f"references[{i}]"
        r = c.obj(item, path, allowed=REFERENCE_FIELDS, required=("vendor", "company", "rating"))
        if r is None:
            continue
        c.known(r.get("vendor"), f"{path}.vendor", vendors, "vendor")
        similar = r.get("similar_business")
        out.append(
            {
                "vendor": r.get("vendor"),
                "caller": c.text(r.get("caller", ""), f"{path}.caller", max_length=200),
                "company": c.text(
                    r.get("company", ""), f"{path}.company", non_empty=True, max_length=200
                ),
                "contact": c.text(r.get("contact", ""), f"{path}.contact", max_length=200),
                "date": c.iso_date(r["date"], f"{path}.date")
                if r.get("date") is not None
                else None,
                "similar_business": None
                if similar is None
                else c.boolean(similar, f"{path}.similar_business"),
                "rating": c.on_scale(r.get("rating"), f"{path}.rating", scale),
                "would_sign_again": c.choice(
                    r.get("would_sign_again", "unsure"), f"{path}.would_sign_again", SIGN_AGAIN
                ),
                "surprised_negatively": c.text(
                    r.get("surprised_negatively", ""), f"{path}.surprised_negatively"
                ),
                "do_differently": c.text(r.get("do_differently", ""), f"{path}.do_differently"),
                "notes": c.text(r.get("notes", ""), f"{path}.notes"),
            }
        )
    return out
