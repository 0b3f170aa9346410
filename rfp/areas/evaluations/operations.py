"""Creating an evaluation (from the template, blank, or a scenario file) and changing
its settings and scope. Flush, audit, never commit.

Importing a scenario file is an administrator's or a lead's act (issue 14): who may
is a setting, RFP_IMPORT_ALLOWED (`may_import`). An administrator's import enrols the
file's panel with their scores; anyone else's creates the evaluation with the importer
as lead and the file's people as pending invitations (rfp.scenario.store). Every import
is audited with the file's SHA-256.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.consensus.operations import flags_kept
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.operations import (
    changed,
    check_bound,
    frozen_reason,
    number_or_int,
    require_writable,
)
from rfp.core.refusal import CONFLICT, FORBIDDEN, Refusals, Refused
from rfp.core.versions import check_version
from rfp.domain.formatting import when
from rfp.domain.scoring.benchmarks import (
    CSAT_TARGET_PCT,
    FCR_TARGET_PCT,
    INHOUSE_RATE_RANGE,
    PILOT_WEEKS,
)
from rfp.domain.template import rewrites
from rfp.domain.vocabulary import CriterionKind, Role, Stage
from rfp.scenario import ScenarioError
from rfp.scenario.pricing import MIXES, mix_errors
from rfp.scenario.schema import (
    COST_DEFAULTS,
    COST_REQUIRED,
    SCOPE_LISTS,
    SCOPE_NUMBERS,
    SCOPE_TEXTS,
    TARGETS,
    load_scenario_text,
)
from rfp.scenario.store import import_scenario

TEMPLATE_NAME = "Customer service outsourcing"

# RFP_IMPORT_ALLOWED: who may import a scenario file.
IMPORT_RIGHTS = {
    "admins_and_leads": "administrators and the leads of an evaluation",
    "admins": "administrators",
    "anyone": "anyone with an account",
}

# Settings that change how vendors are scored: fixed when the evaluation leaves draft,
# like the weights (a change then needs a reason).
SCORING_SETTINGS = (
    "scale_min",
    "scale_max",
    "anchors",
    "aggregation",
    "dispersion_threshold",
    "price_formula",
    "price_zero_multiple",
    "blind_scoring",
    "two_envelope",
    # Rescaling each evaluator to the panel changes every aggregate; the concentration of
    # the rank-stability draws changes the verdict leadership reads.
    "normalise_evaluators",
    "sensitivity_concentration",
)
# Scope fields that feed the cost model (TCO, cost per contact, savings).
COST_SCOPE_FIELDS = (
    "contacts_per_month",
    "aht_minutes",
    "occupancy",
    "fte_hours_per_month",
    "term_months",
    "governance_overhead_pct",
    "inhouse_rate",
)
GENERAL_SETTINGS = ("title", "description", "deadline", "scoring_due")


def _empty_document(evaluation: dict[str, Any], criteria: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": 1,
        "evaluation": evaluation,
        "criteria": criteria,
        "vendors": [],
        "evaluators": [],
        "conflicts": [],
        "scores": [],
        "consensus": [],
        "references": [],
    }


def create_from_template(
    session: Session, lead: m.User, title: str, description: str = ""
) -> m.Evaluation:
    """A draft with the template's criteria, questions, scale and scope; no vendors."""
    from rfp.demo import template_scenario

    template = template_scenario()
    evaluation_doc = dict(template["evaluation"], title=title.strip(), description=description)
    document = _empty_document(evaluation_doc, template["criteria"])
    document["document_slots"] = template.get("document_slots", [])  # SOC 2 report, ...
    evaluation = import_scenario(session, document, lead=lead)
    record(
        session,
        evaluation,
        lead,
        "evaluation.created",
        evaluation.title,
        new={"from": f"template: {TEMPLATE_NAME}", "criteria": len(template["criteria"])},
    )
    return evaluation


def create_blank(session: Session, lead: m.User, title: str, description: str = "") -> m.Evaluation:
    """A draft with the default scale and nothing else; the lead builds the criteria."""
    evaluation = m.Evaluation(
        title=title.strip(),
        description=description,
        anchors=dict(m.DEFAULT_ANCHORS),
        scope={},
        readiness={},
        created_by_id=lead.id,
    )
    session.add(evaluation)
    session.flush()
    session.add(
        m.Membership(
            evaluation_id=evaluation.id, user_id=lead.id, role=Role.LEAD, key=lead.username
        )
    )
    session.flush()
    record(session, evaluation, lead, "evaluation.created", evaluation.title, new={"from": "blank"})
    return evaluation


def may_import(session: Session, user: m.User, rights: str) -> bool:
    """Whether `user` may import a scenario file under the setting `rights` (a key of
    IMPORT_RIGHTS; an unknown one allows administrators only)."""
    if user.is_admin or rights == "anyone":
        return True
    if rights != "admins_and_leads":
        return False
    leads = select(m.Membership.id).where(
        m.Membership.user_id == user.id, m.Membership.role == Role.LEAD
    )
    return session.scalar(leads.limit(1)) is not None


def create_from_file(
    session: Session,
    importer: m.User,
    text: str | bytes,
    title: str = "",
    *,
    rights: str = "admins_and_leads",
) -> m.Evaluation:
    """Import a scenario file, the importer its lead (see the module's docstring).
    Refuses someone `rights` do not allow (403), and a bad file with every bad field by
    path (under the file's form field) before anything is written."""
    if not may_import(session, importer, rights):
        raise Refused(
            "scenario",
            f"Only {IMPORT_RIGHTS.get(rights, 'administrators')} may import a scenario file. "
            "Start from the template or a blank evaluation instead.",
            FORBIDDEN,
        )
    data = text.encode() if isinstance(text, str) else text
    try:
        doc = load_scenario_text(text)
        if title.strip():
            doc["evaluation"]["title"] = title.strip()
        return import_scenario(
            session,
            doc,
            lead=importer,
            pending_panel=not importer.is_admin,
            file_sha256=hashlib.sha256(data).hexdigest(),
        )
    except ScenarioError as exc:
        raise Refusals([Refused("scenario", error) for error in exc.errors]) from exc


def create_evaluation(
    session: Session,
    lead: m.User,
    start: str,
    title: str,
    description: str = "",
    scenario: str | bytes | None = None,
    *,
    import_rights: str = "admins_and_leads",
) -> m.Evaluation:
    """A new evaluation, led by `lead`, started from the template, blank, or a scenario
    file (`start`: template, blank, upload; an upload as `import_rights` allow)."""
    if start == "template":
        return create_from_template(session, lead, title, description)
    if start == "blank":
        return create_blank(session, lead, title, description)
    if scenario is None:
        raise Refused("scenario", "Choose the scenario file to upload.")
    return create_from_file(session, lead, scenario, title, rights=import_rights)


def has_cost_criterion(evaluation: m.Evaluation) -> bool:
    return any(c.kind == CriterionKind.COST for c in evaluation.criteria)


# -- settings and scope ----------------------------------------------------------------


def canonical_scope(values: dict[str, Any]) -> dict[str, Any]:
    """The scope as the scenario schema writes it: every list and text present, numbers
    None when not given (the cost defaults filled in), targets only when given."""
    scope: dict[str, Any] = {}
    for field in SCOPE_LISTS:
        items = values.get(field) or []
        scope[field] = list(dict.fromkeys(s.strip() for s in items if s and s.strip()))
    for field in SCOPE_TEXTS:
        scope[field] = (values.get(field) or "").strip()
    for field in SCOPE_NUMBERS:
        value = values.get(field)
        scope[field] = number_or_int(value) if value is not None else COST_DEFAULTS.get(field)
    targets = values.get("targets") or {}
    scope["targets"] = {t: number_or_int(targets[t]) for t in TARGETS if targets.get(t) is not None}
    for field in MIXES:  # the channel and language mix, only when given
        if values.get(field):
            scope[field] = {name: number_or_int(pct) for name, pct in values[field].items()}
    return scope


# The settings form's field of each scope number, where the names differ.
SCOPE_FORM_FIELDS = {"occupancy": "occupancy_pct"}
TARGET_BOUNDS = {"aht_minutes": "target_aht_minutes"}


def check_scope_numbers(scope: dict[str, Any]) -> None:
    """Every number of the scope within its sane bounds, the refusal naming the form's
    field (a handle time of 1e308 minutes is refused, not turned into an infinite TCO)."""
    for field in SCOPE_NUMBERS:
        check_bound(field, scope.get(field), SCOPE_FORM_FIELDS.get(field, field))
    for target, value in (scope.get("targets") or {}).items():
        check_bound(TARGET_BOUNDS.get(target, target), value, f"target_{target}")
    problems = mix_errors(scope)
    if problems:
        raise Refusals(
            [Refused(field, error) for field, errors in problems.items() for error in errors]
        )


def scope_warnings(scope: dict[str, Any], has_cost: bool = False) -> dict[str, str]:
    """Form field -> a warning in the seeds' words (warnings, never errors)."""
    out: dict[str, str] = {}
    lo, hi = INHOUSE_RATE_RANGE
    rate = scope.get("inhouse_rate")
    if rate is not None and not lo <= rate <= hi:
        out["inhouse_rate"] = (
            f"Outside the seeds' ${lo:.0f} to ${hi:.0f} per agent-hour for a fully loaded "
            "in-house US agent (benefits, facilities, management, tooling, training)."
        )
    weeks = scope.get("pilot_weeks")
    if weeks is not None and not PILOT_WEEKS[0] <= weeks <= PILOT_WEEKS[1]:
        out["pilot_weeks"] = (
            f"The seeds advise a controlled pilot of {PILOT_WEEKS[0]} to {PILOT_WEEKS[1]} "
            "weeks before a full rollout."
        )
    targets = scope.get("targets") or {}
    fcr = targets.get("fcr_pct")
    if fcr is not None and not FCR_TARGET_PCT[0] <= fcr <= FCR_TARGET_PCT[1]:
        out["target_fcr_pct"] = (
            f"The seeds' benchmark for nearshore CX teams is {FCR_TARGET_PCT[0]:.0f} to "
            f"{FCR_TARGET_PCT[1]:.0f} % first contact resolution."
        )
    csat = targets.get("csat_pct")
    if csat is not None and csat <= CSAT_TARGET_PCT:
        out["target_csat_pct"] = (
            f"The seeds' target is CSAT above {CSAT_TARGET_PCT:.0f} %, consistently."
        )
    if has_cost and not scope.get("governance_overhead_pct"):
        out["governance_overhead_pct"] = (
            "No governance overhead: the seeds warn that the total-cost comparison must "
            "include governance overhead, not just per-hour rates."
        )
    return out


def settings_of(evaluation: m.Evaluation) -> dict[str, Any]:
    """The editable settings of an evaluation, flat (scope fields as scope.<name>)."""
    out: dict[str, Any] = {
        "title": evaluation.title,
        "description": evaluation.description,
        "deadline": evaluation.deadline.isoformat() if evaluation.deadline else None,
        "scoring_due": evaluation.scoring_due.isoformat() if evaluation.scoring_due else None,
        "scale_min": number_or_int(evaluation.scale_min),
        "scale_max": number_or_int(evaluation.scale_max),
        "anchors": dict(evaluation.anchors or {}),
        "aggregation": evaluation.aggregation,
        "dispersion_threshold": number_or_int(evaluation.dispersion_threshold),
        "price_formula": evaluation.price_formula,
        "price_zero_multiple": number_or_int(evaluation.price_zero_multiple),
        "blind_scoring": evaluation.blind_scoring,
        "two_envelope": evaluation.two_envelope,
        "normalise_evaluators": evaluation.normalise_evaluators,
        "sensitivity_concentration": number_or_int(evaluation.sensitivity_concentration),
    }
    scope = canonical_scope(evaluation.scope or {})
    for key, value in scope.items():
        out[f"scope.{key}"] = value
    return out


def _is_scoring_setting(name: str) -> bool:
    return name in SCORING_SETTINGS or name.removeprefix("scope.") in COST_SCOPE_FIELDS


def _ratings_recorded(session: Session, evaluation: m.Evaluation) -> int:
    count = 0
    for model in (m.Score, m.ConsensusScore, m.ReferenceCall):
        count += session.scalar(
            select(func.count()).select_from(model).where(model.evaluation_id == evaluation.id)
        )
    return count


def _kept_deadline(evaluation: m.Evaluation, deadline: datetime | None) -> datetime | None:
    """The deadline to keep: the form shows it to the minute, so the same minute keeps
    the stored value. While vendors respond it moves only by an addendum, which tells
    every vendor and makes their links follow it (rfp.areas.addenda)."""
    old = evaluation.deadline
    same = (old is None and deadline is None) or (
        old is not None
        and deadline is not None
        and old.replace(second=0, microsecond=0) == deadline.replace(second=0, microsecond=0)
    )
    if same:
        return old
    if evaluation.stage == Stage.OPEN:
        raise Refused(
            "deadline",
            "Vendors are responding: move the deadline with an addendum (Addenda), so that "
            "every vendor is told and their links follow it.",
            CONFLICT,
        )
    return deadline


def _require_deadline_movable(evaluation: m.Evaluation, deadline: datetime | None) -> None:
    """Once the response deadline has passed on an open evaluation the responses are
    frozen at it (rfp.core.operations.response_frozen): moving it would unfreeze them."""
    old = evaluation.deadline
    if evaluation.stage == Stage.DRAFT or old is None or old > utcnow():
        return
    if deadline is not None and deadline.replace(second=0, microsecond=0) == old.replace(
        second=0, microsecond=0
    ):
        return  # the form shows minutes: the same deadline
    raise Refused(
        "deadline",
        f"The response deadline passed on {when(old)}: the vendors' responses are frozen "
        "at it and it can no longer move. A change to a response now is an amendment.",
        CONFLICT,
    )


def update_settings(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    *,
    title: str,
    description: str,
    deadline: datetime | None,
    scale_min: float,
    scale_max: float,
    anchors: dict[str, str],
    aggregation: str,
    dispersion_threshold: float,
    price_formula: str,
    price_zero_multiple: float,
    blind_scoring: bool,
    two_envelope: bool,
    scope: dict[str, Any],
    reason: str = "",
    normalise_evaluators: bool | None = None,
    sensitivity_concentration: float | None = None,
    scoring_due: date | None = None,
    opened_version: int | None = None,
) -> dict[str, Any]:
    """Apply the settings form; returns the changed fields (empty: nothing to do).
    `normalise_evaluators` and `sensitivity_concentration` left None keep their value.
    `opened_version`: the evaluation's version the form was opened at; a save on a
    form opened before someone else's is refused (rfp.core.versions).

    Scoring settings and the cost fields of the scope are fixed after draft: changing
    them then needs a reason. The scale cannot change once ratings are recorded.
    """
    require_writable(evaluation)
    deadline = _kept_deadline(evaluation, deadline)
    if sensitivity_concentration is not None and not sensitivity_concentration > 0:
        raise Refused("sensitivity_concentration", "must be greater than 0")
    check_bound("scale_point", scale_min, "scale_min")
    check_bound("scale_point", scale_max, "scale_max")
    if scale_max <= scale_min:
        raise Refused("scale_max", "must be greater than the lowest point of the scale")
    if scoring_due is not None and deadline is not None and scoring_due < deadline.date():
        raise Refused(
            "scoring_due",
            f"must be on or after the response deadline ({deadline:%Y-%m-%d}): scoring "
            "starts when the responses are in",
        )
    check_bound("dispersion_threshold", dispersion_threshold, "dispersion_threshold")
    check_bound("price_zero_multiple", price_zero_multiple, "price_zero_multiple")
    check_bound("sensitivity_concentration", sensitivity_concentration, "sensitivity_concentration")
    new_scope = canonical_scope(scope)
    check_scope_numbers(new_scope)
    if has_cost_criterion(evaluation):
        for field in COST_REQUIRED:
            if new_scope.get(field) is None:
                raise Refused(field, "is required because the evaluation has a cost criterion")
    anchors = {
        point: text.strip()
        for point, text in anchors.items()
        if text and text.strip() and scale_min <= float(point) <= scale_max
    }
    old = settings_of(evaluation)
    proposed = dict(
        old,
        title=title.strip(),
        description=description,
        deadline=deadline.isoformat() if deadline else None,
        scoring_due=scoring_due.isoformat() if scoring_due else None,
        scale_min=number_or_int(scale_min),
        scale_max=number_or_int(scale_max),
        anchors=anchors,
        aggregation=aggregation,
        dispersion_threshold=number_or_int(dispersion_threshold),
        price_formula=price_formula,
        price_zero_multiple=number_or_int(price_zero_multiple),
        blind_scoring=blind_scoring,
        two_envelope=two_envelope,
    )
    if normalise_evaluators is not None:
        proposed["normalise_evaluators"] = bool(normalise_evaluators)
    if sensitivity_concentration is not None:
        proposed["sensitivity_concentration"] = number_or_int(sensitivity_concentration)
    for key, value in new_scope.items():
        proposed[f"scope.{key}"] = value
    before, after = changed(old, proposed)
    if not after:
        return {}
    if "deadline" in after:
        _require_deadline_movable(evaluation, deadline)
    scale_changed = before.keys() & {"scale_min", "scale_max"}
    if scale_changed:
        recorded = _ratings_recorded(session, evaluation)
        if recorded:
            raise Refused(
                "scale_min",
                f"{recorded} scores or ratings are recorded on the "
                f"{old['scale_min']}–{old['scale_max']} scale; it can no longer change.",
                CONFLICT,
            )
    scoring_changes = [name for name in after if _is_scoring_setting(name)]
    why = ""
    if scoring_changes:
        why = frozen_reason(evaluation, reason, "Scoring settings and the cost scope")
    check_version(session, evaluation, opened_version, what="Settings", actions=("settings.%",))
    with flags_kept(session, evaluation, "dispersion_threshold"):
        evaluation.title = proposed["title"]
        evaluation.description = description
        evaluation.deadline = deadline
        evaluation.scoring_due = scoring_due
        evaluation.scale_min = float(scale_min)
        evaluation.scale_max = float(scale_max)
        evaluation.anchors = anchors
        evaluation.aggregation = aggregation
        evaluation.dispersion_threshold = float(dispersion_threshold)
        evaluation.price_formula = price_formula
        evaluation.price_zero_multiple = float(price_zero_multiple)
        evaluation.blind_scoring = blind_scoring
        evaluation.two_envelope = two_envelope
        evaluation.normalise_evaluators = proposed["normalise_evaluators"]
        evaluation.sensitivity_concentration = float(proposed["sensitivity_concentration"])
        old_scope = canonical_scope(evaluation.scope or {})
        evaluation.scope = new_scope
        session.flush()
    record(
        session,
        evaluation,
        user,
        "settings.changed",
        ", ".join(after),
        old=before,
        new=after,
        reason=why or (reason or "").strip(),
    )
    reword_from_scope(session, evaluation, user, old_scope, new_scope)
    return after


def reword_from_scope(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    old_scope: dict[str, Any],
    new_scope: dict[str, Any],
) -> list[str]:
    """While a draft, rewrite the template questions still worded from the old scope
    (rfp.domain.template: why rewritten rather than rendered when read); a question
    the lead reworded keeps its words. Once vendors respond a question changes only by
    an addendum. Returns the keys of the questions reworded, each audited."""
    if evaluation.stage != Stage.DRAFT or old_scope == new_scope:
        return []
    questions = [q for c in evaluation.criteria for q in c.questions]
    changes = rewrites(((q.key, q.text, q.guidance) for q in questions), old_scope, new_scope)
    for q in questions:
        if q.key not in changes:
            continue
        old = {"text": q.text, "guidance": q.guidance}
        q.text, q.guidance = changes[q.key].text, changes[q.key].guidance
        record(
            session,
            evaluation,
            user,
            "question.reworded_from_scope",
            q.key,
            old=old,
            new={"text": q.text, "guidance": q.guidance},
        )
    session.flush()
    return list(changes)
