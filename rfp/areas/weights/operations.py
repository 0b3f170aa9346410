"""Decision support that changes state: AHP participants and judgments, applying the AHP
weights, and choosing the price formula from the side-by-side comparison.

AHP weighting happens in `draft`, before the weights are fixed: inviting, judging and
applying are refused (a conflict, 409) once the evaluation has left it. The weights
applied are recomputed here from the stored judgments, never taken from the request.
Every change is audited; flush, never commit.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.weights.queries import ahp_panel, criterion_keys, eligible_members, own_judgment
from rfp.core.audit import record
from rfp.core.operations import frozen_reason, number_or_int, require_writable
from rfp.core.refusal import CONFLICT, FORBIDDEN, Refused
from rfp.domain.decision.ahp import AhpError, analyse, validate_matrix
from rfp.domain.vocabulary import PriceFormula, Role

WEIGHT_DECIMALS = 1  # applied weights are percentages with one decimal, summing to 100
AHP = "AHP weighting"  # the audit target of participant changes


def _require_draft(evaluation: m.Evaluation, what: str) -> None:
    stage = evaluation.current_stage
    if stage.weights_frozen:
        raise Refused(
            "stage",
            f"{what} happens while the evaluation is in draft; it is at the {stage.label} "
            "stage and its weights are fixed.",
            CONFLICT,
        )


# -- participants -------------------------------------------------------------------------


def set_participants(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    membership_ids: Iterable[int],
) -> bool:
    """Invite exactly these members (the lead and active evaluators) to compare the
    criteria; the others are no longer invited (their judgments stay, uncounted).
    Returns whether anything changed."""
    require_writable(evaluation)
    _require_draft(evaluation, "AHP weighting")
    wanted = set(membership_ids)
    eligible = eligible_members(session, evaluation)
    if wanted - set(eligible):
        raise Refused(
            "participants", "Only the lead and active evaluators of this evaluation take part."
        )
    before = sorted(ms.user.name for ms in eligible.values() if ms.ahp_invited)
    for ms_id, ms in eligible.items():
        ms.ahp_invited = ms_id in wanted
    after = sorted(ms.user.name for ms in eligible.values() if ms.ahp_invited)
    if before == after:
        return False
    session.flush()
    record(
        session,
        evaluation,
        user,
        "ahp.participants",
        AHP,
        old={"invited": before},
        new={"invited": after},
    )
    return True


# -- judgments ------------------------------------------------------------------------------


def _join_as_lead(
    session: Session, evaluation: m.Evaluation, membership: m.Membership, user: m.User
) -> None:
    """An uninvited member may not judge, but the lead decides who takes part: filling
    in their own comparison is that choice."""
    if membership.ahp_invited:
        return
    if membership.role != Role.LEAD:
        raise Refused("membership", "You are not invited to compare the criteria.", FORBIDDEN)
    membership.ahp_invited = True
    record(session, evaluation, user, "ahp.participants", AHP, new={"joined": membership.user.name})


def save_judgment(
    session: Session,
    evaluation: m.Evaluation,
    membership: m.Membership,
    user: m.User,
    criteria: Sequence[str],
    matrix: Sequence[Sequence[float]],
) -> m.AhpJudgment:
    """Store a participant's pairwise comparison of the current criteria (replacing
    their earlier one) and audit it with its consistency."""
    require_writable(evaluation)
    _require_draft(evaluation, "AHP weighting")
    if membership.evaluation_id != evaluation.id:
        raise Refused("membership", "Not a member of this evaluation.", FORBIDDEN)
    _join_as_lead(session, evaluation, membership, user)
    current = criterion_keys(session, evaluation)
    if list(criteria) != current:
        raise Refused(
            "criteria", "The criteria changed while you were comparing them; compare them again."
        )
    try:
        exact = validate_matrix([list(row) for row in matrix], len(current))
        analysis = analyse(current, [exact])
    except AhpError as exc:
        raise Refused("matrix", "; ".join(exc.errors)) from exc
    stored = [[number_or_int(round(x, 12)) for x in row] for row in exact]
    judgment = own_judgment(session, evaluation, membership)
    names = {c.key: c.name for c in evaluation.criteria}
    old = None
    if judgment is None:
        judgment = m.AhpJudgment(evaluation_id=evaluation.id, membership_id=membership.id)
        session.add(judgment)
    else:
        old = _judgments_in_words(names, judgment.criteria, judgment.matrix)
    judgment.criteria = current
    judgment.matrix = stored
    session.flush()
    record(
        session,
        evaluation,
        user,
        "ahp.judgment",
        membership.user.name,
        old=old,
        new={
            **_judgments_in_words(names, current, stored),
            "cr": None if analysis.cr is None else round(analysis.cr, 4),
        },
    )
    return judgment


def _judgments_in_words(
    names: dict[str, str], criteria: Sequence[str], matrix: Sequence[Sequence[float]]
) -> dict[str, str]:
    """The comparison as the trail shows it: "Cost vs Compliance" -> "3" (cost is three
    times as important) or "1/3", one entry per pair of criteria."""

    def ratio(x: float) -> str:
        return f"{x:g}" if x >= 1 else f"1/{1 / x:g}"

    return {
        f"{names.get(a, a)} vs {names.get(b, b)}": ratio(matrix[i][j])
        for i, a in enumerate(criteria)
        for j, b in enumerate(criteria)
        if i < j
    }


# -- applying the weights -----------------------------------------------------------------


def percent_weights(weights: dict[str, float], decimals: int = WEIGHT_DECIMALS) -> dict[str, float]:
    """AHP weights (summing to 1) as percentages rounded to `decimals` and summing to
    exactly 100 in those units (largest remainder), none below one unit (weights must
    be greater than 0)."""
    unit = 10**decimals
    total_units = 100 * unit
    # Rounded first, so that floating-point noise in equal weights does not decide who
    # gets the remaining units: equal remainders go by key.
    raw = {k: round(w * total_units, 6) for k, w in weights.items()}
    units = {k: max(1, math.floor(v)) for k, v in raw.items()}
    order = sorted(raw, key=lambda k: (-(raw[k] - math.floor(raw[k])), k))
    i = 0
    while sum(units.values()) < total_units:
        units[order[i % len(order)]] += 1
        i += 1
    biggest = sorted(units, key=lambda k: (-units[k], k))
    j = 0
    while sum(units.values()) > total_units:
        key = biggest[j % len(biggest)]
        if units[key] > 1:
            units[key] -= 1
        j += 1
    return {k: units[k] / unit for k in weights}


def weights_fingerprint(weights: dict[str, float]) -> str:
    """A short digest of the weights a page proposes, so that applying refuses when the
    judgments changed after the lead read them."""
    text = ";".join(f"{k}={v:g}" for k, v in sorted(weights.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def apply_ahp_weights(
    session: Session,
    evaluation: m.Evaluation,
    user: m.User,
    *,
    expected: str | None = None,
) -> dict[str, float]:
    """Set the criterion weights to the combined AHP result, in one audited change.
    Returns the new weights (percentages by criterion key)."""
    require_writable(evaluation)
    _require_draft(evaluation, "Applying AHP weights")
    panel = ahp_panel(session, evaluation)
    combined = panel.combined
    if combined is None:
        raise Refused("judgments", "No invited participant has compared the current criteria yet.")
    new = percent_weights(combined.weights_by_key)
    if expected is not None and expected != weights_fingerprint(new):
        raise Refused(
            "judgments",
            "The comparisons changed since you opened the page; review the weights again.",
            CONFLICT,
        )
    criteria = {c.key: c for c in evaluation.criteria}
    old = {key: number_or_int(criteria[key].weight) for key in new}
    if all(math.isclose(old[k], v) for k, v in new.items()):
        return new
    for key, weight in new.items():
        criteria[key].weight = weight
    session.flush()
    who = [p.name for p in panel.participants if p.counted]
    cr = "not computed" if combined.cr is None else f"{combined.cr:.3f}"
    record(
        session,
        evaluation,
        user,
        "criteria.weights_from_ahp",
        "Criterion weights",
        old={"weights": old},
        new={"weights": {k: number_or_int(v) for k, v in new.items()}, "cr": combined.cr},
        reason=f"AHP: geometric mean of the pairwise comparisons of {', '.join(who)} (CR {cr})",
    )
    return new


# -- the price formula, from the side-by-side comparison ----------------------------------


def set_price_formula(
    session: Session, evaluation: m.Evaluation, user: m.User, formula: str, reason: str = ""
) -> bool:
    """Choose the price formula, by the settings' rule: freely in draft, with a reason
    after (a scoring setting), never once decided. Returns whether it changed."""
    require_writable(evaluation)
    if formula not in PriceFormula.values():
        raise Refused("price_formula", f"Must be one of {', '.join(PriceFormula.values())}.")
    if formula == evaluation.price_formula:
        return False
    why = frozen_reason(evaluation, reason, "Scoring settings")
    old = evaluation.price_formula
    evaluation.price_formula = PriceFormula(formula)
    session.flush()
    record(
        session,
        evaluation,
        user,
        "settings.changed",
        "price_formula",
        old={"price_formula": old},
        new={"price_formula": formula},
        reason=why,
    )
    return True
