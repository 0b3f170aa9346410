"""The data version (rfp.core.data_version): every write to an evaluation, whichever area
makes it, bumps the evaluation's counter in the same transaction; reads, bookkeeping
and rolled-back writes do not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.consensus.operations import record_consensus
from rfp.areas.criteria.operations import save_weights
from rfp.areas.people.operations import deactivate_evaluator
from rfp.areas.references.operations import ReferenceCallFields, record_call
from rfp.areas.scorecards.operations import save_score
from rfp.areas.stages.operations import step_back
from rfp.areas.vendors.operations import amend_response
from rfp.core import jobs
from rfp.core.audit import record
from rfp.core.data_version import current_version, pending, touch
from rfp.core.db import Database
from rfp.domain.vocabulary import AmendedField


class World:
    """The demo evaluation's rows a write needs, loaded in the write's session."""

    def __init__(self, session: Session, evaluation_id: int) -> None:
        self.session = session
        self.evaluation = session.get(m.Evaluation, evaluation_id)
        self.lead = self.member("morgan").user
        self.vendor = self.evaluation.vendors[0]
        self.question = session.scalar(
            select(m.Question).where(
                m.Question.evaluation_id == evaluation_id, m.Question.kind == "scored"
            )
        )

    def member(self, username: str) -> m.Membership:
        return self.session.scalar(
            select(m.Membership)
            .join(m.User)
            .where(m.Membership.evaluation_id == self.evaluation.id, m.User.username == username)
        )


def version(db: Database, evaluation_id: int) -> int:
    with db.transaction() as s:
        return current_version(s, evaluation_id)


def a_score(w: World) -> None:
    w.evaluation.stage = "scoring"  # evaluators score in scoring (arranged in this write)
    dana = w.member("dana")
    dana.submitted_at = None
    save_score(w.session, w.evaluation, dana, dana.user, w.vendor, w.question.id, 2, "Weak")


def a_consensus_record(w: World) -> None:
    record_consensus(w.session, w.evaluation, w.lead, w.vendor, w.question, 4, "Agreed")


def a_reference_call(w: World) -> None:
    fields = ReferenceCallFields(
        company="Acme Retail",
        contact="J. Doe",
        call_date=date(2026, 10, 2),
        similar_business=True,
        rating=4,
        would_sign_again="yes",
    )
    record_call(w.session, w.evaluation, w.lead, w.member("morgan"), w.vendor, fields)


def a_weight_change(w: World) -> None:
    criterion = w.evaluation.criteria[0]
    save_weights(
        w.session, w.evaluation, w.lead, {criterion.id: criterion.weight + 5}, {}, reason="Board"
    )


def a_vendor_price(w: World) -> None:
    # The demo's responses are frozen (past the deadline): a price changes by amendment.
    amend_response(
        w.session,
        w.vendor,
        w.lead,
        field=AmendedField.RATE,
        question=None,
        new=99.5,
        reason="Corrected quote",
    )


def a_stage_change(w: World) -> None:
    w.evaluation.stage = "pilot"  # pilot -> consensus is a way back (arranged in this write)
    step_back(w.session, w.evaluation, w.lead, "One more consensus round")


def an_evaluator_taken_off_the_panel(w: World) -> None:
    deactivate_evaluator(w.session, w.member("luis"), w.lead, "Left the company")


def a_conflict_declaration(w: World) -> None:  # reaches its evaluation through membership
    w.session.add(m.ConflictDeclaration(membership_id=w.member("dana").id, vendor_id=w.vendor.id))


def a_knockout_answer(w: World) -> None:  # reaches its evaluation through the vendor
    answer = w.session.scalar(select(m.Answer).where(m.Answer.vendor_id == w.vendor.id))
    answer.knockout_pass = not answer.knockout_pass


def an_evaluator_limited_to_a_criterion(w: World) -> None:  # the association table
    luis = w.member("luis")  # held: a collection changes on a live parent only
    luis.criteria.append(w.evaluation.criteria[0])
    w.session.flush()


def a_renamed_evaluator(w: World) -> None:  # names show on the results pages
    w.member("dana").user.name = "Dana Okafor-Reyes"


def a_removed_vendor(w: World) -> None:
    w.session.delete(w.evaluation.vendors[-1])


def an_answer_deleted_once_expired(w: World) -> None:  # its vendor_id read before the delete
    answer = w.session.scalar(select(m.Answer).where(m.Answer.vendor_id == w.vendor.id))
    w.session.expire(answer)
    w.session.delete(answer)


def a_bulk_update(w: World) -> None:
    w.session.execute(
        update(m.Score).where(m.Score.vendor_id == w.vendor.id).values(comment="bulk")
    )


def a_bulk_delete(w: World) -> None:
    w.session.execute(delete(m.ConsensusScore).where(m.ConsensusScore.vendor_id == w.vendor.id))
    w.session.execute(delete(m.Score).where(m.Score.vendor_id == w.vendor.id))


def a_bulk_insert_of_conflicts(w: World) -> None:  # no evaluation_id: through vendor_id
    luis = w.member("luis").id
    declared = select(m.ConflictDeclaration.vendor_id).where(
        m.ConflictDeclaration.membership_id == luis
    )
    vendors = w.session.scalars(
        select(m.Vendor.id).where(
            m.Vendor.evaluation_id == w.evaluation.id, m.Vendor.id.not_in(declared)
        )
    ).all()
    assert vendors
    w.session.execute(
        insert(m.ConflictDeclaration), [{"membership_id": luis, "vendor_id": v} for v in vendors]
    )


def an_insert_with_values(w: World) -> None:
    w.session.execute(
        insert(m.membership_criteria).values(
            membership_id=w.member("luis").id, criterion_id=w.evaluation.criteria[1].id
        )
    )


def an_evaluation_setting(w: World) -> None:
    w.session.execute(
        update(m.Evaluation).where(m.Evaluation.id == w.evaluation.id).values(aggregation="median")
    )


WRITES: list[Callable[[World], None]] = [
    a_score,
    a_consensus_record,
    a_reference_call,
    a_weight_change,
    a_vendor_price,
    a_stage_change,
    an_evaluator_taken_off_the_panel,
    a_conflict_declaration,
    a_knockout_answer,
    an_evaluator_limited_to_a_criterion,
    a_renamed_evaluator,
    a_removed_vendor,
    an_answer_deleted_once_expired,
    a_bulk_update,
    a_bulk_delete,
    a_bulk_insert_of_conflicts,
    an_insert_with_values,
    an_evaluation_setting,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda f: f.__name__)
def test_every_kind_of_write_bumps_the_version_once_in_its_transaction(
    write: Callable[[World], None], db: Database, demo: dict[str, Any]
) -> None:
    evaluation_id = demo["evaluation"]
    before = version(db, evaluation_id)
    with db.transaction() as s:
        write(World(s, evaluation_id))
    assert version(db, evaluation_id) == before + 1


@pytest.mark.parametrize("write", WRITES, ids=lambda f: f.__name__)
def test_a_rolled_back_write_leaves_the_version_as_it_was(
    write: Callable[[World], None], db: Database, demo: dict[str, Any]
) -> None:
    evaluation_id = demo["evaluation"]
    before = version(db, evaluation_id)
    with db.session() as s:
        write(World(s, evaluation_id))
        s.flush()
        s.rollback()
        s.commit()  # nothing left to bump
    assert version(db, evaluation_id) == before


def test_reads_bookkeeping_and_logins_leave_the_version_alone(db, demo):
    evaluation_id = demo["evaluation"]
    before = version(db, evaluation_id)
    with db.transaction() as s:
        w = World(s, evaluation_id)
        s.scalars(select(m.Score).where(m.Score.evaluation_id == evaluation_id)).all()
        record(s, w.evaluation, w.lead, "report.generated", "a workbook")
        job = jobs.enqueue(s, "mail", {}, evaluation_id=evaluation_id)
        w.lead.last_login_at = w.evaluation.created_at
        w.vendor.name = w.vendor.name  # set to what it was: no change
    with db.transaction() as s:
        s.get(m.Job, job.id).progress = 50
    assert version(db, evaluation_id) == before


def test_only_the_evaluation_written_is_bumped(db, demo, make_scenario):
    from rfp.scenario import normalise_scenario
    from rfp.scenario.store import import_scenario

    with db.transaction() as s:
        other = import_scenario(s, normalise_scenario(make_scenario())).id
    demo_before, other_before = version(db, demo["evaluation"]), version(db, other)
    with db.transaction() as s:
        a_consensus_record(World(s, demo["evaluation"]))
    assert version(db, demo["evaluation"]) == demo_before + 1
    assert version(db, other) == other_before


def test_several_flushes_in_one_transaction_bump_once_at_commit(db, demo):
    evaluation_id = demo["evaluation"]
    before = version(db, evaluation_id)
    with db.transaction() as s:
        w = World(s, evaluation_id)
        a_consensus_record(w)
        s.flush()
        a_reference_call(w)
        s.flush()
        assert pending(s) == {evaluation_id}
        assert version(db, evaluation_id) == before  # not yet: the bump comes at commit
    assert version(db, evaluation_id) == before + 1


def test_a_loaded_evaluation_reads_its_new_version_after_the_commit(db, demo):
    evaluation_id = demo["evaluation"]
    with db.session() as s:
        w = World(s, evaluation_id)
        before = w.evaluation.data_version
        a_consensus_record(w)
        s.commit()
        assert w.evaluation.data_version == before + 1


def test_sql_given_as_text_bumps_when_touched(db, demo):
    evaluation_id = demo["evaluation"]
    before = version(db, evaluation_id)
    with db.transaction() as s:
        s.execute(
            text("UPDATE scores SET comment = 'raw' WHERE evaluation_id = :e"), {"e": evaluation_id}
        )
        touch(s, evaluation_id)
    assert version(db, evaluation_id) == before + 1
