"""The audit trail in the product's words: what an action is called, what a changed field
is called, and how its values read ("Price formula: Lowest price ratio -> Linear between
lowest and highest", not "price_formula: lowest_ratio -> linear"). Pure: the stored
events keep their stable keys (other programs read them); only what people read is
worded here, for the page and the CSV and Excel exports alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rfp.domain.vocabulary import (
    Aggregation,
    AnswerType,
    CriterionKind,
    DeliveryModel,
    Labelled,
    PriceFormula,
    PricingModel,
    QuestionKind,
    ResponseStatus,
    Role,
    SignAgain,
    Stage,
)

ACTIONS = {
    "evaluation.created": "Evaluation created",
    "evaluation.imported": "Evaluation imported",
    "settings.changed": "Settings changed",
    "readiness.updated": "Readiness checklist updated",
    "stage": "Stage changed",
    "responses.unsealed": "Responses unsealed",
    "criterion.added": "Criterion added",
    "criterion.updated": "Criterion changed",
    "criterion.weight": "Criterion weight changed",
    "criterion.moved": "Criterion moved",
    "criterion.removed": "Criterion removed",
    "criteria.weights_from_ahp": "Criterion weights set from the AHP comparison",
    "question.added": "Question added",
    "question.updated": "Question changed",
    "question.reworded_from_scope": "Question reworded from the scope",
    "question.weight": "Question weight changed",
    "question.moved": "Question moved",
    "question.removed": "Question removed",
    "vendor.added": "Vendor added",
    "vendor.updated": "Vendor details changed",
    "vendor.removed": "Vendor removed",
    "vendor.response": "Vendor response changed by the lead",
    "vendor_link.created": "Vendor link created",
    "vendor_link.revoked": "Vendor link revoked",
    "response.submitted": "Response submitted",
    "response.reopened": "Response reopened",
    "response.imported": "Response imported from the questionnaire",
    "response.reimported": "Response imported again from the questionnaire",
    "membership.added": "Person added",
    "membership.criteria": "Evaluator's criteria changed",
    "membership.deactivated": "Evaluator removed from the panel",
    "membership.reactivated": "Evaluator back on the panel",
    "membership.removed": "Person removed",
    "coi.declared": "Conflicts of interest declared",
    "coi.changed": "Conflicts of interest changed",
    "score.changed": "Score changed",
    "scores.submitted": "Scorecard submitted",
    "scorecard.reopened": "Scorecard reopened",
    "consensus.recorded": "Consensus score recorded",
    "consensus.changed": "Consensus score changed",
    "consensus.removed": "Consensus score removed",
    "reference.recorded": "Reference call recorded",
    "reference.changed": "Reference call changed",
    "reference.deleted": "Reference call deleted",
    "ahp.participants": "AHP participants changed",
    "ahp.judgment": "AHP comparison saved",
    "award.recorded": "Award recorded",
    "report.generated": "Report generated",
    "user.created": "Account created",
    "user.updated": "Account changed",
    "user.password_set": "Password set",
    "user.locked": "Account locked after failed log-ins",
    "user.unlocked": "Account unlocked",
}

FIELDS = {
    "title": "Title",
    "description": "Description",
    "deadline": "Deadline",
    "scale_min": "Lowest point of the scale",
    "scale_max": "Highest point of the scale",
    "anchors": "Scale anchors",
    "aggregation": "Aggregation of the panel's scores",
    "dispersion_threshold": "Dispersion threshold (points)",
    "price_formula": "Price formula",
    "price_zero_multiple": "Price that scores 0 (multiple of the lowest)",
    "blind_scoring": "Blind scoring",
    "two_envelope": "Two envelopes",
    "normalise_evaluators": "Evaluator normalisation",
    "sensitivity_concentration": "Rank stability concentration",
    "functions": "Functions",
    "channels": "Channels",
    "languages": "Languages",
    "coverage": "Coverage",
    "time_zones": "Time zones",
    "tools": "Tools",
    "complexity": "Complexity",
    "contacts_per_month": "Contacts a month",
    "aht_minutes": "Average handle time (minutes)",
    "occupancy": "Occupancy",
    "fte_hours_per_month": "Hours per FTE a month",
    "term_months": "Contract term (months)",
    "governance_overhead_pct": "Governance overhead (%)",
    "inhouse_rate": "In-house cost per agent-hour",
    "compliance": "Compliance requirements",
    "pilot_weeks": "Pilot (weeks)",
    "targets": "Target KPIs",
    "name": "Name",
    "kind": "Kind",
    "weight": "Weight",
    "position": "Position",
    "text": "Text",
    "guidance": "Guidance for evaluators",
    "answer_type": "Answer type",
    "unit": "Unit",
    "bands": "Scoring bands",
    "delivery_model": "Delivery model",
    "country": "Country",
    "contact_name": "Contact name",
    "contact_email": "Contact e-mail",
    "notes": "Notes",
    "pricing_model": "Pricing model",
    "rate": "Rate",
    "setup_fee": "Set-up fee",
    "monthly_fee": "Monthly fee",
    "status": "Response status",
    "knockout": "Knockout met",
    "evidence": "Evidence",
    "number": "Number",
    "stage": "Stage",
    "sealed": "Responses sealed",
    "role": "Role",
    "criteria": "Criteria",
    "active": "On the panel",
    "removed_reason": "Reason for the removal",
    "submitted_at": "Submitted",
    "score": "Score",
    "comment": "Justification",
    "rationale": "Rationale",
    "company": "Reference company",
    "contact": "Contact",
    "call_date": "Date of the call",
    "similar_business": "Similar business",
    "rating": "Rating",
    "would_sign_again": "Would sign again",
    "surprised_negatively": "What surprised them negatively",
    "do_differently": "What they would do differently",
    "vendor": "Vendor",
    "rank": "Rank",
    "total": "Total",
    "override_reason": "Reason for not choosing the first-ranked vendor",
    "filename": "File",
    "size": "Size (bytes)",
    "sha256": "SHA-256",
    "username": "Username",
    "email": "E-mail",
    "admin": "Administrator",
    "locked_until": "Locked until",
    "failed_logins": "Failed log-ins in a row",
    "revoked": "Revoked",
    "expires_at": "Valid until",
    "replaces": "Replaces link",
    "scores": "Scores entered",
    "cr": "Consistency ratio",
    "weights": "Weights",
    "invited": "Invited",
    "joined": "Joined",
    "from": "From",
}

# Fields whose values are one of the product's closed sets; "kind" and "model" depend on
# what the event is about.
VOCABULARY: dict[str, type[Labelled]] = {
    "price_formula": PriceFormula,
    "aggregation": Aggregation,
    "stage": Stage,
    "status": ResponseStatus,
    "role": Role,
    "would_sign_again": SignAgain,
    "pricing_model": PricingModel,
    "delivery_model": DeliveryModel,
    "answer_type": AnswerType,
}
KIND_BY_GROUP: dict[str, type[Labelled]] = {
    "criterion": CriterionKind,
    "question": QuestionKind,
}


def action_label(action: str) -> str:
    return ACTIONS.get(action, action.replace("_", " ").replace(".", ": ").capitalize())


def field_label(key: str, names: Mapping[str, str] | None = None) -> str:
    """A changed field's name. `scope.x` is a scope field, `answer:key` the answer to a
    question (named from `names`, question key -> its number and text)."""
    names = names or {}
    if key.startswith("scope."):
        return "Scope: " + field_label(key[len("scope.") :], names)
    if key.startswith("answer:"):
        question = key[len("answer:") :]
        return f"Answer to {names.get(question, question)}"
    if key in FIELDS:
        return FIELDS[key]
    return names.get(key, key.replace("_", " ").capitalize())


def _vocabulary_for(group: str, key: str) -> type[Labelled] | None:
    key = key.removeprefix("scope.")
    if key == "kind":
        return KIND_BY_GROUP.get(group)
    return VOCABULARY.get(key)


def value_text(group: str, key: str, value: Any, names: Mapping[str, str] | None = None) -> str:
    """A value as people read it; closed sets by their labels, keys by their names."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    vocabulary = _vocabulary_for(group, key)
    if vocabulary is not None and isinstance(value, str) and value in vocabulary.values():
        return vocabulary(value).label
    if isinstance(value, list):
        words = [value_text(group, key, v, names) for v in value]
        if key == "criteria" and names:
            words = [names.get(str(v), str(v)) for v in value]
        return ", ".join(words) or "(none)"
    if isinstance(value, dict):
        return "; ".join(
            f"{field_label(str(k), names)}: {value_text(group, str(k), v, names)}"
            for k, v in value.items()
        )
    return str(value)
