"""The letters area's reads: the saved letters of an evaluation and the result they are
drafted from."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.results.queries import (
    EvaluationResults,
    VendorFile,
    cached_results,
    load_vendor_file,
)


def saved_letters(session: Session, evaluation: m.Evaluation) -> dict[int, m.OutcomeLetter]:
    """The letters saved so far, by vendor id."""
    return {
        letter.vendor_id: letter
        for letter in session.scalars(
            select(m.OutcomeLetter).where(m.OutcomeLetter.evaluation_id == evaluation.id)
        )
    }


def saved_letter(
    session: Session, evaluation: m.Evaluation, vendor: m.Vendor
) -> m.OutcomeLetter | None:
    return session.scalar(
        select(m.OutcomeLetter).where(
            m.OutcomeLetter.evaluation_id == evaluation.id,
            m.OutcomeLetter.vendor_id == vendor.id,
        )
    )


def letter_by_id(session: Session, letter_id: int) -> m.OutcomeLetter | None:
    return session.get(m.OutcomeLetter, letter_id)


def results_of(session: Session, evaluation: m.Evaluation) -> EvaluationResults:
    return cached_results(session, evaluation)


def vendor_file(
    session: Session, evaluation: m.Evaluation, vendor: m.Vendor, results: EvaluationResults
) -> VendorFile:
    return load_vendor_file(session, evaluation, vendor, results.question_keys)
