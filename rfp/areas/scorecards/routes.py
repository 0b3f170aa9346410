"""The evaluator's scorecards: conflict-of-interest declaration, one scorecard per vendor
(saved as you go through a JSON endpoint, or all at once by a plain form), submission.
The lead reopens submitted scores from the people page (members.reopen).

The rules live in rfp.areas.scorecards.operations (what may be saved) and rfp.core.access (who may
open what); the page's content is loaded by rfp.areas.scorecards.pages.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from rfp import models as m
from rfp.areas.scorecards.assignments import (
    conflicted_vendor_ids,
    criteria_limit,
    scorecard_progress,
    scored_questions,
)
from rfp.areas.scorecards.conflicts import check_may_declare, declare_conflicts
from rfp.areas.scorecards.operations import (
    ScoringError,
    ScoringErrors,
    ScoringIncomplete,
    save_score,
    save_scores,
    submit_scores,
)
from rfp.areas.scorecards.pages import build_scorecard, scale_of, writable_state
from rfp.core import access as a
from rfp.core.blind import is_blind, ordered, shuffled_for_declaration, vendor_labels
from rfp.core.extensions import db_session
from rfp.core.scale import point_label
from rfp.domain.formatting import counted

bp = Blueprint(
    "scorecards",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/scorecards",
)
# A point of the scale as people write it: 3, not 3.0 (scorecards, references, consensus).
bp.add_app_template_filter(point_label, "scale_point")


def _evaluator(evaluation_id: int) -> a.Access:
    """Scorecards are an active evaluator's own: anyone else gets 403 (after the 404
    of evaluation_access for those with no part in the evaluation)."""
    access = a.evaluation_access(evaluation_id).require(a.SCORE)
    if not access.is_evaluator:
        abort(403)
    return access


def _scored_vendor(access: a.Access, vendor_id: int) -> m.Vendor:
    vendor = a.vendor_of(access, vendor_id)
    if access.conflicted_with(vendor.id):
        abort(403, description="You declared a conflict of interest with this vendor.")
    return vendor


@bp.route("")
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _evaluator(evaluation_id)
    membership = access.membership
    assert membership is not None
    if membership.coi_declared_at is None:
        return _declaration_page(access, errors={}, posted={})
    session = db_session()
    vendors = ordered(access.evaluation.vendors)
    blind = is_blind(access)
    conflicts = conflicted_vendor_ids(session, membership)
    progress = scorecard_progress(
        session, access.evaluation, membership, [v.id for v in vendors], conflicts=conflicts
    )
    writable, lock_reason = writable_state(access)
    return render_template(
        "scorecards/index.html",
        access=access,
        membership=membership,
        vendors=[v for v in vendors if v.id not in conflicts],
        conflicted=[v for v in vendors if v.id in conflicts],
        labels=vendor_labels(vendors, blind),
        blind=blind,
        progress=progress,
        writable=writable,
        lock_reason=lock_reason,
        scale=scale_of(access.evaluation),
    )


def _declaration_page(
    access: a.Access, *, errors: dict[int, str], posted: dict[int, tuple[str, str]]
) -> Any:
    membership = access.membership
    assert membership is not None
    vendors = ordered(access.evaluation.vendors)
    blind = is_blind(access)
    if blind:
        vendors = shuffled_for_declaration(access.evaluation.id, vendors)
    declared = {c.vendor_id: c for c in membership.conflicts}
    choices: dict[int, tuple[str, str]] = {}
    for v in vendors:
        if v.id in posted:
            choices[v.id] = posted[v.id]
        elif membership.coi_declared_at is not None:
            conflict = declared.get(v.id)
            choices[v.id] = ("yes", conflict.note) if conflict else ("no", "")
        else:
            choices[v.id] = ("", "")
    try:
        check_may_declare(access.evaluation, membership)
        writable, lock_reason = True, ""
    except ScoringError as exc:
        writable, lock_reason = False, exc.message
    return render_template(
        "scorecards/conflicts.html",
        access=access,
        membership=membership,
        vendors=vendors,
        choices=choices,
        errors=errors,
        blind=blind,
        writable=writable,
        lock_reason=lock_reason,
        first=membership.coi_declared_at is None,
    )


@bp.route("/conflicts", methods=["GET", "POST"])
def conflicts(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _evaluator(evaluation_id)
    if request.method == "GET":
        return _declaration_page(access, errors={}, posted={})
    session = db_session()
    vendors = ordered(access.evaluation.vendors)
    posted = {
        v.id: (request.form.get(f"conflict-{v.id}", ""), request.form.get(f"note-{v.id}", ""))
        for v in vendors
    }
    choices = {
        vid: ({"yes": True, "no": False}.get(answer), note)
        for vid, (answer, note) in posted.items()
    }
    try:
        declare_conflicts(
            session, access.evaluation, access.membership, access.user, vendors, choices
        )
    except ScoringErrors as exc:
        session.rollback()
        labels = vendor_labels(vendors, False)  # the declaration names vendors
        errors = {
            e.subject_id: e.message.replace(f"{labels[e.subject_id]}: ", "", 1)
            for e in exc.errors
            if e.subject_id is not None
        }
        return _declaration_page(access, errors=errors, posted=posted)
    except ScoringError as exc:
        abort(exc.status, description=exc.message)
    session.commit()
    count = sum(1 for conflict, _ in choices.values() if conflict)
    flash(
        "Declaration recorded: no conflict of interest."
        if not count
        else f"Declaration recorded: a conflict with {counted(count, 'vendor')}; "
        "they are not on your scorecards.",
        "success",
    )
    return redirect(url_for("scorecards.index", evaluation_id=evaluation_id))


@bp.route("/<int:vendor_id>")
def scorecard(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = _evaluator(evaluation_id)
    vendor = _scored_vendor(access, vendor_id)
    assert access.membership is not None
    if access.membership.coi_declared_at is None:
        flash("Declare your conflicts of interest before you open a scorecard.", "warning")
        return redirect(url_for("scorecards.index", evaluation_id=evaluation_id))
    card = build_scorecard(db_session(), access, vendor)
    return render_template("scorecards/scorecard.html", access=access, card=card, errors=[])


@bp.route("/<int:vendor_id>", methods=["POST"])
def save(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    """The form without JavaScript: every changed question at once, all or nothing."""
    access = _evaluator(evaluation_id)
    vendor = _scored_vendor(access, vendor_id)
    session = db_session()
    assert access.membership is not None
    stored = {
        s.question_id: s
        for s in session.scalars(
            select(m.Score).where(
                m.Score.membership_id == access.membership.id, m.Score.vendor_id == vendor.id
            )
        )
    }
    posted = _posted_questions(request.form)
    entries: dict[int, tuple[Any, str]] = {}
    for question_id, (raw_value, comment) in posted.items():
        before = stored.get(question_id)
        if raw_value in (None, ""):
            if before is None and not comment:
                continue  # left blank: nothing to save
            raw_value = before.value if before is not None else None
        if before is not None and _same(before, raw_value, comment):
            continue
        entries[question_id] = (raw_value, comment)
    try:
        saved = save_scores(
            session, access.evaluation, access.membership, access.user, vendor, entries
        )
    except ScoringErrors as exc:
        session.rollback()
        card = build_scorecard(
            session,
            access,
            vendor,
            posted=posted,
            errors={
                e.subject_id: (e.message, e.field) for e in exc.errors if e.subject_id is not None
            },
        )
        return render_template(
            "scorecards/scorecard.html",
            access=access,
            card=card,
            errors=[e.message for e in exc.errors],
        )
    except ScoringError as exc:
        abort(exc.status, description=exc.message)
    session.commit()
    changed = sum(1 for s in saved if s.changed)
    flash(
        f"Saved {changed} score{'s' if changed != 1 else ''}."
        if changed
        else "No changes to save.",
        "success" if changed else "info",
    )
    target = vendor.id
    if request.form.get("then") == "next" and request.form.get("next_vendor", "").isdigit():
        target = int(request.form["next_vendor"])
    return redirect(url_for("scorecards.scorecard", evaluation_id=evaluation_id, vendor_id=target))


def _posted_questions(form: Any) -> dict[int, tuple[Any, str]]:
    """question id -> (raw score or None, comment) from fields score-<id>, comment-<id>."""
    ids: set[int] = set()
    for name in form:
        prefix, _, rest = name.partition("-")
        if prefix in ("score", "comment") and rest.isdigit():
            ids.add(int(rest))
    return {
        qid: (form.get(f"score-{qid}"), (form.get(f"comment-{qid}") or "").strip())
        for qid in sorted(ids)
    }


def _same(score: m.Score, raw_value: Any, comment: str) -> bool:
    try:
        return float(raw_value) == score.value and comment == score.comment
    except (TypeError, ValueError):
        return False


@bp.route("/<int:vendor_id>/questions/<int:question_id>", methods=["POST"])
def save_one(evaluation_id: int, vendor_id: int, question_id: int):  # type: ignore[no-untyped-def]
    """Save as you go: one question, JSON in ({"score", "comment"}) and out."""
    access = _evaluator(evaluation_id)
    vendor = _scored_vendor(access, vendor_id)
    # An id of another evaluation's question is not found, whatever the scorecard's state.
    question = db_session().get(m.Question, question_id)
    if question is None or question.evaluation_id != evaluation_id:
        return _json_error(404, "No such question in this evaluation.", "question")
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return _json_error(400, 'Send a JSON object: {"score": 3, "comment": "..."}', None)
    session = db_session()
    try:
        saved = save_score(
            session,
            access.evaluation,
            access.membership,
            access.user,
            vendor,
            question_id,
            payload.get("score"),
            payload.get("comment", ""),
        )
    except ScoringError as exc:
        session.rollback()
        return _json_error(exc.status, exc.message, exc.field)
    session.commit()
    assert access.membership is not None
    vendor_ids = list(
        session.scalars(select(m.Vendor.id).where(m.Vendor.evaluation_id == evaluation_id))
    )
    membership = access.membership
    progress = scorecard_progress(
        session,
        access.evaluation,
        membership,
        vendor_ids,
        questions=scored_questions(session, evaluation_id, criteria_limit(session, membership)),
        conflicts=frozenset(c.vendor_id for c in membership.conflicts),
    )
    mine = progress.by_vendor.get(vendor.id)
    return jsonify(
        {
            "saved": True,
            "changed": saved.changed,
            "question": question_id,
            "score": saved.value,
            "comment": saved.comment,
            "vendor_progress": {"entered": mine.entered, "expected": mine.expected}
            if mine
            else None,
            "overall": {
                "entered": progress.overall.entered,
                "expected": progress.overall.expected,
            },
            "complete": progress.overall.complete,
        }
    )


def _json_error(status: int, message: str, field: str | None) -> Any:
    return jsonify({"error": message, "field": field, "status": status}), status


@bp.route("/submit", methods=["POST"])
def submit(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _evaluator(evaluation_id)
    session = db_session()
    try:
        progress = submit_scores(session, access.evaluation, access.membership, access.user)
    except ScoringIncomplete as exc:
        session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("scorecards.index", evaluation_id=evaluation_id))
    except ScoringError as exc:
        abort(exc.status, description=exc.message)
    session.commit()
    flash(
        f"Submitted: your {progress.overall.entered} scores are in and locked. "
        "The lead can reopen them if a change is needed.",
        "success",
    )
    return redirect(url_for("scorecards.index", evaluation_id=evaluation_id))
