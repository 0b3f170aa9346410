"""Decision support that changes state: AHP participants and judgments, applying the AHP
weights, and choosing the price formula from the side-by-side comparison.

AHP weighting happens in `draft`, before the weights are fixed: inviting, judging and
applying are refused (409) once the evaluation has left it. The weights applied are
recomputed here from the stored judgments, never taken from the request. Every change
is audited; flush, never commit.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from rfp import models as m
from rfp.core.audit import record
from rfp.core.operations import frozen_reason, number_or_int, require_writable
from rfp.domain.decision.ahp import AhpError, AhpResult, Matrix, analyse, validate_matrix
from rfp.domain.scoring.model import PRICE_FORMULAS

PARTICIPANT_ROLES = ("lead", "evaluator")
WEIGHT_DECIMALS = 1  # applied weights are percentages with one decimal, summing to 100


class DecisionError(ValueError):
    """A decision-support change was refused; `field` names the input at fault and
    `status` the HTTP answer (400 bad input, 409 not at this stage)."""

    def __init__(self, field: str, message: str, status: int = 400) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.status = status


def _require_draft(evaluation: m.Evaluation, what: str) -> None:
    if evaluation.stage != "draft":
        raise DecisionError(
            "stage",
            f"{what} happens while the evaluation is in draft; it is in {evaluation.stage} "
            "and its weights are fixed",
            status=409,
        )


# -- who takes part, and what they judged -------------------------------------------------


@dataclass(frozen=True)
class CriterionRef:
    key: str
    name: str
    weight: float  # the stored (relative) weight
    share: float  # its normalised weight, 0..1


@dataclass(frozen=True)
class Participant:
    membership_id: int
    key: str
    name: str
    role: str
    invited: bool
    matrix: Matrix | None  # aligned to the current criteria; None: none, or stale
    stale: bool  # a judgment of criteria that have changed since
    updated_at: datetime | None
    analysis: AhpResult | None

    @property
    def counted(self) -> bool:
        """Part of the combined result: invited, with a judgment of the current criteria."""
        return self.invited and self.analysis is not None


@dataclass(frozen=True)
class AhpPanel:
    criteria: tuple[CriterionRef, ...]
    participants: tuple[Participant, ...]  # the lead(s) and the active evaluators
    combined: AhpResult | None  # geometric mean over the counted participants

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.criteria)

    @property
    def names(self) -> dict[str, str]:
        return {c.key: c.name for c in self.criteria}

    def participant(self, membership_id: int) -> Participant | None:
        return next((p for p in self.participants if p.membership_id == membership_id), None)


def aligned_matrix(
    stored_keys: Sequence[str], stored: Sequence[Sequence[float]], keys: Sequence[str]
) -> Matrix | None:
    """A stored matrix in the order of `keys`, or None when the criteria differ (a
    criterion added, removed or renamed since: the comparison must be made again)."""
    if sorted(stored_keys) != sorted(keys) or len(set(keys)) != len(keys):
        return None
    at = {key: i for i, key in enumerate(stored_keys)}
    try:
        return tuple(tuple(float(stored[at[a]][at[b]]) for b in keys) for a in keys)
    except (IndexError, TypeError, ValueError):
        return None


def ahp_panel(session: Session, evaluation: m.Evaluation) -> AhpPanel:
    """Everyone who may take part, their judgments analysed, and the combined result.
    Three queries, however many participants."""
    criteria_rows = session.execute(
        select(m.Criterion.key, m.Criterion.name, m.Criterion.weight)
        .where(m.Criterion.evaluation_id == evaluation.id)
        .order_by(m.Criterion.position, m.Criterion.id)
    ).all()
    total = math.fsum(w for _k, _n, w in criteria_rows)
    criteria = tuple(
        CriterionRef(k, n, w, w / total if total > 0 else 0.0) for k, n, w in criteria_rows
    )
    keys = [c.key for c in criteria]
    memberships = session.scalars(
        select(m.Membership)
        .options(joinedload(m.Membership.user))
        .where(
            m.Membership.evaluation_id == evaluation.id,
            m.Membership.role.in_(PARTICIPANT_ROLES),
        )
        .order_by(m.Membership.role.desc(), m.Membership.id)  # the lead first
    ).all()
    judgments = {
        j.membership_id: j
        for j in session.scalars(
            select(m.AhpJudgment).where(m.AhpJudgment.evaluation_id == evaluation.id)
        )
    }
    participants = []
    for ms in memberships:
        if ms.role == "evaluator" and not ms.active:
            continue
        judgment = judgments.get(ms.id)
        matrix = analysis = None
        stale = False
        if judgment is not None:
            matrix = aligned_matrix(judgment.criteria, judgment.matrix, keys)
            stale = matrix is None
            if matrix is not None and len(keys) >= 2:
                try:
                    analysis = analyse(keys, [matrix])
                except AhpError:
                    matrix, stale = None, True
        participants.append(
            Participant(
                membership_id=ms.id,
                key=ms.key,
                name=ms.user.name,
                role=ms.role,
                invited=ms.ahp_invited,
                matrix=matrix,
                stale=stale,
                updated_at=judgment.updated_at if judgment else None,
                analysis=analysis,
            )
        )
    counted = [p.matrix for p in participants if p.counted and p.matrix is not None]
    combined = analyse(keys, counted) if counted else None
    return AhpPanel(criteria, tuple(participants), combined)


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
    eligible = {
        ms.id: ms
        for ms in session.scalars(
            select(m.Membership)
            .options(joinedload(m.Membership.user))
            .where(
                m.Membership.evaluation_id == evaluation.id,
                m.Membership.role.in_(PARTICIPANT_ROLES),
            )
        )
        if ms.role == "lead" or ms.active
    }
    unknown = wanted - set(eligible)
    if unknown:
        raise DecisionError(
            "participants", "only the lead and active evaluators of this evaluation take part"
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
        "AHP weighting",
        old={"invited": before},
        new={"invited": after},
    )
    return True


# -- judgments ------------------------------------------------------------------------------


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
        raise DecisionError("membership", "not a member of this evaluation", status=403)
    if not membership.ahp_invited:
        if membership.role != "lead":
            raise DecisionError("membership", "not invited to compare the criteria", status=403)
        # The lead decides who takes part: filling in their own comparison is that choice.
        membership.ahp_invited = True
        record(
            session,
            evaluation,
            user,
            "ahp.participants",
            "AHP weighting",
            new={"joined": membership.user.name},
        )
    current = list(
        session.scalars(
            select(m.Criterion.key)
            .where(m.Criterion.evaluation_id == evaluation.id)
            .order_by(m.Criterion.position, m.Criterion.id)
        )
    )
    if list(criteria) != current:
        raise DecisionError(
            "criteria", "the criteria changed while you were comparing them; compare them again"
        )
    try:
        exact = validate_matrix([list(row) for row in matrix], len(current))
        analysis = analyse(current, [exact])
    except AhpError as exc:
        raise DecisionError("matrix", "; ".join(exc.errors)) from exc
    stored = [[number_or_int(round(x, 12)) for x in row] for row in exact]
    judgment = session.scalar(
        select(m.AhpJudgment).where(
            m.AhpJudgment.evaluation_id == evaluation.id,
            m.AhpJudgment.membership_id == membership.id,
        )
    )
    old = None
    if judgment is None:
        judgment = m.AhpJudgment(evaluation_id=evaluation.id, membership_id=membership.id)
        session.add(judgment)
    else:
        old = {"criteria": list(judgment.criteria), "matrix": judgment.matrix}
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
            "criteria": current,
            "matrix": stored,
            "cr": None if analysis.cr is None else round(analysis.cr, 4),
        },
    )
    return judgment


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
    if panel.combined is None:
        raise DecisionError(
            "judgments", "no invited participant has compared the current criteria yet"
        )
    new = percent_weights(panel.combined.weights_by_key)
    if expected is not None and expected != weights_fingerprint(new):
        raise DecisionError(
            "judgments",
            "the comparisons changed since you opened the page; review the weights again",
            status=409,
        )
    criteria = {c.key: c for c in evaluation.criteria}
    old = {key: number_or_int(criteria[key].weight) for key in new}
    if all(math.isclose(old[k], v) for k, v in new.items()):
        return new
    for key, weight in new.items():
        criteria[key].weight = weight
    session.flush()
    combined = panel.combined
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
    if formula not in PRICE_FORMULAS:
        raise DecisionError("price_formula", f"must be one of {', '.join(PRICE_FORMULAS)}")
    if formula == evaluation.price_formula:
        return False
    try:
        why = frozen_reason(evaluation, reason, "Scoring settings")
    except ValueError as exc:  # SetupError: a reason is needed after draft
        raise DecisionError("reason", getattr(exc, "message", str(exc))) from exc
    old = evaluation.price_formula
    evaluation.price_formula = formula
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
