"""What the results pages read from the database, in a fixed number of queries.

The engine's input comes from `load_scoring_input` (fixed query count); this module adds
the words people read (question texts, evaluator names) and, for one vendor's page, the
comments, rationales, answers and reference calls the engine does not need. Each is one
query however many vendors, questions and evaluators there are: rows, not ORM objects,
so that nothing is lazily loaded in a loop.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from rfp import models as m
from rfp.core.result_cache import result_cache
from rfp.domain.scoring import score_evaluation
from rfp.domain.scoring.model import ScoringInput
from rfp.domain.scoring.result import Result
from rfp.domain.vocabulary import ResponseStatus, Role
from rfp.models.adapter import load_scoring_input


@dataclass(frozen=True)
class QuestionText:
    key: str
    text: str
    kind: str
    criterion: str  # criterion key
    weight: float
    guidance: str
    unit: str


@dataclass(frozen=True)
class EvaluationResults:
    """The engine's result with the texts and ids the pages show beside it."""

    scoring_input: ScoringInput
    result: Result
    questions: dict[str, QuestionText]  # key -> text, in the criteria's order
    question_keys: dict[int, str]  # database id -> key
    vendor_ids: dict[str, int]  # vendor key -> database id (for links)
    countries: dict[str, str]  # vendor key -> country


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a result is built.

    A large evaluation allocates tens of thousands of small objects in a burst (score
    rows, `Score`, `Dispersion` and `Flag` objects, their dicts); each burst triggers
    collections that walk every live object again, a third of the time of the results
    page on the 40 x 120 x 12 benchmark. None of these objects form reference cycles,
    so reference counting still frees them at once; the collector resumes afterwards
    (only if it was running: nested or concurrent uses leave it as they found it).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_results(session: Session, evaluation: m.Evaluation) -> EvaluationResults:
    with collection_paused():
        scoring_input = load_scoring_input(session, evaluation)
        result = score_evaluation(scoring_input)
    rows = session.execute(
        select(
            m.Question.id,
            m.Question.key,
            m.Question.text,
            m.Question.kind,
            m.Criterion.key,
            m.Question.weight,
            m.Question.guidance,
            m.Question.unit,
        )
        .join(m.Criterion, m.Criterion.id == m.Question.criterion_id)
        .where(m.Question.evaluation_id == evaluation.id)
        .order_by(m.Criterion.position, m.Question.position, m.Question.id)
    ).all()
    questions = {
        key: QuestionText(key, text, kind, criterion, weight, guidance or "", unit or "")
        for _id, key, text, kind, criterion, weight, guidance, unit in rows
    }
    vendor_rows = session.execute(
        select(m.Vendor.key, m.Vendor.id, m.Vendor.country).where(
            m.Vendor.evaluation_id == evaluation.id
        )
    ).all()
    return EvaluationResults(
        scoring_input=scoring_input,
        result=result,
        questions=questions,
        question_keys={row[0]: row[1] for row in rows},
        vendor_ids={key: vid for key, vid, _country in vendor_rows},
        countries={key: country or "" for key, _vid, country in vendor_rows},
    )


def cached_results(session: Session, evaluation: m.Evaluation) -> EvaluationResults:
    """`load_results`, kept while the evaluation's data version stands (the results
    pages and the JSON share one engine run per version and process)."""
    return result_cache().get_or_build(
        evaluation, "results", lambda: load_results(session, evaluation)
    )


# -- one vendor's file -----------------------------------------------------------------


@dataclass(frozen=True)
class Panelist:
    """A member who may have scored: evaluators, active or removed."""

    membership_id: int
    key: str
    name: str
    active: bool
    conflicted: bool  # declared a conflict of interest with this vendor


@dataclass(frozen=True)
class PanelScore:
    membership_id: int
    question: str  # question key
    value: float | None  # None: an abstention (the comment is its reason)
    comment: str
    updated_at: datetime | None


@dataclass(frozen=True)
class ConsensusRecord:
    question: str
    value: float
    rationale: str
    recorded_by: str
    recorded_at: datetime | None


@dataclass(frozen=True)
class AnswerRecord:
    question: str
    text: str
    knockout_pass: bool | None
    evidence: str
    number: float | None


@dataclass(frozen=True)
class ReferenceCallRecord:
    company: str
    contact: str
    caller: str
    call_date: date | None
    similar_business: bool | None
    rating: float
    would_sign_again: str
    surprised_negatively: str
    do_differently: str
    notes: str


@dataclass(frozen=True)
class VendorFile:
    """Everything about one vendor beyond the engine's figures."""

    vendor_id: int
    key: str
    name: str
    delivery_model: str | None
    country: str
    response_status: str
    panel: tuple[Panelist, ...]
    scores: tuple[PanelScore, ...]
    consensus: dict[str, ConsensusRecord]  # question key -> record
    answers: dict[str, AnswerRecord]  # question key -> answer
    reference_calls: tuple[ReferenceCallRecord, ...]


def load_vendor_file(
    session: Session, evaluation: m.Evaluation, vendor: m.Vendor, question_key: dict[int, str]
) -> VendorFile:
    """One vendor's scores with comments, consensus, answers and reference calls.
    `question_key` maps question ids to keys (`EvaluationResults.question_keys`)."""
    ev_id = evaluation.id
    conflicted = set(
        session.scalars(
            select(m.ConflictDeclaration.membership_id).where(
                m.ConflictDeclaration.vendor_id == vendor.id
            )
        )
    )
    panel = tuple(
        Panelist(mid, key, name, active, mid in conflicted)
        for mid, key, name, active in session.execute(
            select(m.Membership.id, m.Membership.key, m.User.name, m.Membership.active)
            .join(m.User, m.User.id == m.Membership.user_id)
            .where(m.Membership.evaluation_id == ev_id, m.Membership.role == Role.EVALUATOR)
            .order_by(m.Membership.id)
        )
    )
    scores = tuple(
        PanelScore(mid, question_key[qid], value, comment or "", updated)
        for mid, qid, value, comment, updated in session.execute(
            select(
                m.Score.membership_id,
                m.Score.question_id,
                m.Score.value,
                m.Score.comment,
                m.Score.updated_at,
            )
            .where(m.Score.evaluation_id == ev_id, m.Score.vendor_id == vendor.id)
            .order_by(m.Score.membership_id, m.Score.question_id)
        )
    )
    consensus = {
        question_key[qid]: ConsensusRecord(question_key[qid], value, rationale or "", by or "", at)
        for qid, value, rationale, by, at in session.execute(
            select(
                m.ConsensusScore.question_id,
                m.ConsensusScore.value,
                m.ConsensusScore.rationale,
                m.User.name,
                m.ConsensusScore.recorded_at,
            )
            .outerjoin(m.User, m.User.id == m.ConsensusScore.recorded_by_id)
            .where(m.ConsensusScore.vendor_id == vendor.id)
        )
    }
    answers = {
        question_key[qid]: AnswerRecord(question_key[qid], text or "", passed, evidence or "", num)
        for qid, text, passed, evidence, num in session.execute(
            select(
                m.Answer.question_id,
                m.Answer.text,
                m.Answer.knockout_pass,
                m.Answer.evidence,
                m.Answer.number,
            ).where(m.Answer.vendor_id == vendor.id)
        )
    }
    caller = aliased(m.User)
    calls = tuple(
        ReferenceCallRecord(
            company=row.company,
            contact=row.contact or "",
            caller=row.caller or row.caller_name or "",
            call_date=row.call_date,
            similar_business=row.similar_business,
            rating=row.rating,
            would_sign_again=row.would_sign_again,
            surprised_negatively=row.surprised_negatively or "",
            do_differently=row.do_differently or "",
            notes=row.notes or "",
        )
        for row in session.execute(
            select(
                m.ReferenceCall.company,
                m.ReferenceCall.contact,
                caller.name.label("caller"),
                m.ReferenceCall.caller_name,
                m.ReferenceCall.call_date,
                m.ReferenceCall.similar_business,
                m.ReferenceCall.rating,
                m.ReferenceCall.would_sign_again,
                m.ReferenceCall.surprised_negatively,
                m.ReferenceCall.do_differently,
                m.ReferenceCall.notes,
            )
            .outerjoin(m.Membership, m.Membership.id == m.ReferenceCall.caller_membership_id)
            .outerjoin(caller, caller.id == m.Membership.user_id)
            .where(m.ReferenceCall.vendor_id == vendor.id)
            .order_by(m.ReferenceCall.position, m.ReferenceCall.id)
        )
    )
    status = session.scalar(
        select(m.VendorResponse.status).where(m.VendorResponse.vendor_id == vendor.id)
    )
    return VendorFile(
        vendor_id=vendor.id,
        key=vendor.key,
        name=vendor.name,
        delivery_model=vendor.delivery_model,
        country=vendor.country or "",
        response_status=status or ResponseStatus.NOT_STARTED,
        panel=panel,
        scores=scores,
        consensus=consensus,
        answers=answers,
        reference_calls=calls,
    )
