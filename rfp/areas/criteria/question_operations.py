"""Questions of a criterion: scored, knockout (a must-have, pass or fail) or info.

After `draft`, adding or removing a question, or changing its weight or kind, needs a
reason; every change is audited with its old and new values. Flush, never commit.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.consensus.operations import flags_kept
from rfp.areas.criteria.operations import (
    check_weight,
    move_and_record,
    question_target,
    record_changes,
    renumber,
)
from rfp.areas.criteria.queries import score_count
from rfp.core.audit import record
from rfp.core.operations import (
    frozen_reason,
    number_or_int,
    require_writable,
    response_frozen,
    unique_key,
)
from rfp.core.refusal import CONFLICT, Refused
from rfp.core.versions import check_version
from rfp.domain.decision.quantitative import band_errors, bands_from_json
from rfp.domain.scoring.model import Scale
from rfp.domain.vocabulary import AnswerType, CriterionKind, QuestionKind, Stage


def _question_state(q: m.Question) -> dict[str, object]:
    return {
        "text": q.text,
        "kind": q.kind,
        "weight": number_or_int(q.weight),
        "guidance": q.guidance,
        "answer_type": q.answer_type or AnswerType.TEXT,
        "unit": q.unit or "",
        "bands": q.bands,
    }


def _check_answer(
    evaluation: m.Evaluation,
    kind: str,
    answer_type: str,
    unit: str,
    bands: list[dict[str, float | None]] | None,
) -> tuple[str, str, list[dict[str, float | None]] | None]:
    """A quantitative question: the vendor answers a number (in `unit`); a scored one may
    be scored by the lead's bands [{"min", "max", "score"}], the first matching band
    winning (rfp.domain.decision.quantitative). No bands: evaluators score it as usual."""
    if answer_type not in AnswerType.values():
        raise Refused("answer_type", f"must be one of {', '.join(AnswerType.values())}")
    if answer_type == AnswerType.NUMBER and kind == QuestionKind.KNOCKOUT:
        raise Refused("answer_type", "a knockout is answered pass or fail, not a number")
    unit = unit.strip()
    if len(unit) > 40:
        raise Refused("unit", "at most 40 characters")
    if answer_type != AnswerType.NUMBER:
        return answer_type, "", None
    if not bands or kind != QuestionKind.SCORED:
        return answer_type, unit, None
    scale = Scale(evaluation.scale_min, evaluation.scale_max)
    errors = band_errors(bands_from_json(bands), scale)
    if errors:
        raise Refused("bands", "; ".join(errors))
    clean = [
        {
            "min": number_or_int(b.get("min")),
            "max": number_or_int(b.get("max")),
            "score": number_or_int(b["score"]),
        }
        for b in bands
    ]
    return answer_type, unit, clean


def _check_question(criterion: m.Criterion, text: str, kind: str, weight: float) -> float:
    if CriterionKind(criterion.kind).computed:
        raise Refused(
            "criterion", f"the {criterion.kind} criterion is computed and has no questions"
        )
    if not text.strip():
        raise Refused("text", "is required")
    if kind not in QuestionKind.values():
        raise Refused("kind", f"must be one of {', '.join(QuestionKind.values())}")
    # Knockout and info questions are not weighted; keep what was typed, default 1.
    return check_weight(weight) if kind == QuestionKind.SCORED else float(weight or 1)


def add_question(
    session: Session,
    criterion: m.Criterion,
    user: m.User,
    *,
    text: str,
    kind: str,
    weight: float,
    guidance: str = "",
    reason: str = "",
    answer_type: str = AnswerType.TEXT,
    unit: str = "",
    bands: list[dict[str, float | None]] | None = None,
) -> m.Question:
    evaluation = criterion.evaluation
    require_writable(evaluation)
    weight = _check_question(criterion, text, kind, weight)
    answer_type, unit, bands = _check_answer(evaluation, kind, answer_type, unit, bands)
    why = frozen_reason(evaluation, reason, "Criteria and questions")
    taken = session.scalars(select(m.Question.key).where(m.Question.evaluation_id == evaluation.id))
    question = m.Question(
        evaluation_id=evaluation.id,
        key=unique_key(text, taken, "question"),
        text=text.strip(),
        guidance=guidance.strip(),
        kind=kind,
        weight=weight,
        answer_type=answer_type,
        unit=unit,
        bands=bands,
        position=max((q.position for q in criterion.questions), default=-1) + 1,
    )
    criterion.questions.append(question)
    session.flush()
    record(
        session,
        evaluation,
        user,
        "question.added",
        question_target(question),
        new=_question_state(question),
        reason=why,
    )
    return question


def _require_rewordable(evaluation: m.Evaluation) -> None:
    """While vendors are responding, the questions they answer are reworded by an
    addendum only (rfp.areas.addenda), which tells every vendor and asks each to
    acknowledge it: a quiet edit would leave vendors answering different texts. In draft
    the text is free; once the responses are in, a rewording is the panel's (audited)."""
    if evaluation.stage == Stage.OPEN and not response_frozen(evaluation):
        raise Refused(
            "text",
            "Vendors are responding: reword a question with an addendum (Addenda), so that "
            "every vendor is told and acknowledges it.",
            CONFLICT,
        )


def update_question(
    session: Session,
    question: m.Question,
    user: m.User,
    *,
    text: str,
    kind: str,
    weight: float,
    guidance: str = "",
    reason: str = "",
    answer_type: str | None = None,
    unit: str | None = None,
    bands: list[dict[str, float | None]] | None | bool = False,
    opened_version: int | None = None,
) -> bool:
    """`answer_type`, `unit` and `bands` left at None / False keep their value.
    `opened_version`: the question's version its form was opened at (rfp.core.versions)."""
    criterion = question.criterion
    evaluation = criterion.evaluation
    require_writable(evaluation)
    weight = _check_question(criterion, text, kind, weight)
    old = _question_state(question)
    answer_type, unit, checked_bands = _check_answer(
        evaluation,
        kind,
        old["answer_type"] if answer_type is None else answer_type,  # type: ignore[arg-type]
        old["unit"] if unit is None else unit,  # type: ignore[arg-type]
        old["bands"] if bands is False else bands,  # type: ignore[arg-type]
    )
    new = {
        "text": text.strip(),
        "kind": kind,
        "weight": number_or_int(weight),
        "guidance": guidance.strip(),
        "answer_type": answer_type,
        "unit": unit,
        "bands": checked_bands,
    }
    if old == new:
        return False
    if old["text"] != new["text"]:
        _require_rewordable(evaluation)
    scoring = (
        old["kind"] != new["kind"]
        or (kind == QuestionKind.SCORED and old["weight"] != new["weight"])
        or old["bands"] != new["bands"]
        or (old["answer_type"] != new["answer_type"] and (old["bands"] or new["bands"]))
    )
    why = frozen_reason(evaluation, reason, "Weights and questions") if scoring else reason.strip()
    target = question_target(question)
    check_version(
        session, question, opened_version, what=target, actions=("question.%",), target=target
    )
    with flags_kept(session, evaluation):
        question.text, question.kind = new["text"], kind
        question.weight, question.guidance = weight, new["guidance"]
        question.answer_type, question.unit, question.bands = answer_type, unit, checked_bands
        session.flush()
    record_changes(session, evaluation, user, "question", question_target(question), old, new, why)
    return True


def delete_question(
    session: Session, question: m.Question, user: m.User, *, reason: str = ""
) -> None:
    criterion = question.criterion
    evaluation = criterion.evaluation
    require_writable(evaluation)
    why = frozen_reason(evaluation, reason, "Criteria and questions")
    old = dict(_question_state(question), scores_deleted=score_count(session, [question.id]))
    target = question_target(question)
    with flags_kept(session, evaluation):
        criterion.questions.remove(question)
        session.flush()
    renumber(criterion.questions)
    record(session, evaluation, user, "question.removed", target, old=old, reason=why)


def move_question(session: Session, question: m.Question, user: m.User, direction: str) -> bool:
    criterion = question.criterion
    return move_and_record(
        session,
        criterion.evaluation,
        user,
        list(criterion.questions),
        question,
        direction,
        "question.moved",
        question_target(question),
    )
