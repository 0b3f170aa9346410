"""What the consensus pages show: (vendor, question) pairs with every evaluator's score
and comment side by side, the aggregate, and the consensus score if one is recorded.

The figures come from the engine (load_scoring_input -> score_evaluation): the
flagged pairs are its dispersion flags, the aggregate its question score, so this page
and the results agree. The panel's own aggregate (before any consensus) is the same
engine run without consensus scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.consensus.calibration import CalibrationSection, build_calibration
from rfp.domain.scoring import score_evaluation
from rfp.domain.scoring.model import ScoringInput
from rfp.domain.scoring.result import Dispersion, Result
from rfp.models.adapter import load_scoring_input

Pair = tuple[int, int]  # (vendor id, question id)


@dataclass
class PanelScore:
    name: str
    value: float | None  # None: expected and not entered
    comment: str


@dataclass
class PairView:
    vendor: m.Vendor
    question: m.Question
    answer: m.Answer | None
    scores: list[PanelScore]
    spread: float | None
    flagged: bool
    panel_aggregate: float | None  # 0..100, the evaluators' mean or median
    current: float | None  # 0..100, what counts now (the consensus score when recorded)
    consensus: m.ConsensusScore | None

    @property
    def anchor(self) -> str:
        return f"pair-{self.vendor.id}-{self.question.id}"


@dataclass
class ConsensusPage:
    flagged: list[PairView]
    others: list[PairView]  # consensus scores recorded on pairs that are not flagged
    vendors: list[m.Vendor]
    questions: list[m.Question]  # scored questions, tree order
    calibration: CalibrationSection | None = None  # each evaluator against the panel

    @property
    def resolved(self) -> int:
        return sum(1 for p in self.flagged if p.consensus is not None)

    @property
    def unresolved(self) -> int:
        return len(self.flagged) - self.resolved


def _results(session: Session, evaluation: m.Evaluation) -> tuple[Result, Result, ScoringInput]:
    inp = load_scoring_input(session, evaluation)
    return score_evaluation(inp), score_evaluation(replace(inp, consensus=())), inp


def build_consensus_page(
    session: Session, evaluation: m.Evaluation, only: Sequence[Pair] | None = None
) -> ConsensusPage:
    """Every flagged pair and every pair with a consensus score; or just `only`."""
    vendors = sorted(evaluation.vendors, key=lambda v: (v.position, v.id))
    vendor_by_key = {v.key: v for v in vendors}
    criteria = sorted(evaluation.criteria, key=lambda c: (c.position, c.id))
    questions = [
        q for c in criteria if c.kind == "scored" for q in c.questions if q.kind == "scored"
    ]
    question_by_key = {q.key: q for q in questions}
    result, panel, inp = _results(session, evaluation)
    consensus = {
        (c.vendor_id, c.question_id): c
        for c in session.scalars(
            select(m.ConsensusScore).where(m.ConsensusScore.evaluation_id == evaluation.id)
        )
    }
    dispersion = {
        (vendor_by_key[d.vendor].id, question_by_key[d.question].id): d
        for d in result.dispersion
        if d.vendor in vendor_by_key and d.question in question_by_key
    }
    if only is not None:
        pairs = list(only)
        flagged_pairs = [p for p in pairs if p in dispersion and dispersion[p].flagged]
    else:
        flagged_pairs = [
            (vendor_by_key[d.vendor].id, question_by_key[d.question].id)
            for d in result.flagged_dispersion
            if d.vendor in vendor_by_key and d.question in question_by_key
        ]
        pairs = flagged_pairs + sorted(
            (p for p in consensus if p not in set(flagged_pairs)),
            key=lambda p: (_order(vendors, p[0]), _order(questions, p[1])),
        )
    views = _pair_views(
        session, evaluation, pairs, vendors, questions, result, panel, consensus, dispersion
    )
    flagged_set = set(flagged_pairs)
    return ConsensusPage(
        flagged=[views[p] for p in pairs if p in flagged_set and p in views],
        others=[views[p] for p in pairs if p not in flagged_set and p in views],
        vendors=vendors,
        questions=questions,
        calibration=(
            build_calibration(
                inp,
                {v.key: v.name for v in vendors},
                {q.key: q.text for q in questions},
                {v.key: v.id for v in vendors},
                {q.key: q.id for q in questions},
            )
            if only is None
            else None
        ),
    )


def _order(items: Sequence[m.Vendor] | Sequence[m.Question], item_id: int) -> int:
    for i, item in enumerate(items):
        if item.id == item_id:
            return i
    return len(items)


def _pair_views(
    session: Session,
    evaluation: m.Evaluation,
    pairs: list[Pair],
    vendors: list[m.Vendor],
    questions: list[m.Question],
    result: Result,
    panel: Result,
    consensus: dict[Pair, m.ConsensusScore],
    dispersion: dict[Pair, Dispersion],
) -> dict[Pair, PairView]:
    if not pairs:
        return {}
    vendor_of = {v.id: v for v in vendors}
    question_of = {q.id: q for q in questions}
    answers = {
        (a.vendor_id, a.question_id): a
        for a in session.scalars(
            select(m.Answer).where(tuple_(m.Answer.vendor_id, m.Answer.question_id).in_(pairs))
        )
    }
    members = session.execute(
        select(m.Membership.id, m.User.name)
        .join(m.User, m.User.id == m.Membership.user_id)
        .where(
            m.Membership.evaluation_id == evaluation.id,
            m.Membership.role == "evaluator",
            m.Membership.active.is_(True),
        )
        .order_by(m.Membership.id)
    ).all()
    limits: dict[int, set[int]] = {}
    for membership_id, criterion_id in session.execute(
        select(m.membership_criteria.c.membership_id, m.membership_criteria.c.criterion_id)
        .join(m.Membership, m.Membership.id == m.membership_criteria.c.membership_id)
        .where(m.Membership.evaluation_id == evaluation.id)
    ):
        limits.setdefault(membership_id, set()).add(criterion_id)
    conflicts = set(
        session.execute(
            select(m.ConflictDeclaration.membership_id, m.ConflictDeclaration.vendor_id)
            .join(m.Membership)
            .where(m.Membership.evaluation_id == evaluation.id)
        ).all()
    )
    given: dict[Pair, dict[int, tuple[float, str]]] = {}
    for vendor_id, question_id, membership_id, value, comment in session.execute(
        select(
            m.Score.vendor_id,
            m.Score.question_id,
            m.Score.membership_id,
            m.Score.value,
            m.Score.comment,
        ).where(
            m.Score.evaluation_id == evaluation.id,
            tuple_(m.Score.vendor_id, m.Score.question_id).in_(pairs),
        )
    ):
        given.setdefault((vendor_id, question_id), {})[membership_id] = (value, comment)

    views: dict[Pair, PairView] = {}
    for pair in pairs:
        vendor, question = vendor_of.get(pair[0]), question_of.get(pair[1])
        if vendor is None or question is None:
            continue
        scores = []
        for membership_id, name in members:
            if (membership_id, vendor.id) in conflicts:
                continue
            scope = limits.get(membership_id)
            if scope and question.criterion_id not in scope:
                continue
            value, comment = given.get(pair, {}).get(membership_id, (None, ""))
            scores.append(PanelScore(name=name, value=value, comment=comment))
        spread = dispersion.get(pair)
        views[pair] = PairView(
            vendor=vendor,
            question=question,
            answer=answers.get(pair),
            scores=scores,
            spread=spread.spread if spread else None,
            flagged=bool(spread and spread.flagged),
            panel_aggregate=panel.vendor(vendor.key).questions.get(question.key),
            current=result.vendor(vendor.key).questions.get(question.key),
            consensus=consensus.get(pair),
        )
    return views
