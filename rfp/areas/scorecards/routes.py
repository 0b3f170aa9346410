"""The evaluator's scorecards: conflict-of-interest declaration, one scorecard per vendor
(saved as you go through a JSON endpoint, or all at once by a plain form), submission.
The lead reopens submitted scores from the people page (members.reopen).

The rules live in rfp.areas.scorecards.operations (what may be saved) and rfp.core.access
(who may open what); the pages are loaded by .queries and built by .pages.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for

from rfp import models as m
from rfp.areas.scorecards import declarations, forms, pages, queries
from rfp.areas.scorecards import operations as ops
from rfp.areas.scorecards.assignments import ScorecardProgress, criteria_limit, scored_questions
from rfp.core import access as a
from rfp.core.blind import ordered
from rfp.core.errors import render_error
from rfp.core.extensions import db_session
from rfp.core.refusal import Refused
from rfp.core.scale import scale_of
from rfp.core.unit_of_work import commit
from rfp.domain.formatting import counted

bp = Blueprint(
    "scorecards",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/scorecards",
)
# A point of the scale as people write it: 3, not 3.0 (scorecards, references, consensus).


@bp.errorhandler(Refused)
def refused(refusal: Refused) -> Any:
    """A refusal answers as everywhere (rfp.core.unit_of_work), but to the save-as-you-go
    script in the shape it reads, {error, field, status}, to show under the question."""
    db_session().rollback()
    if request.endpoint == "scorecards.save_one":
        body = {"error": refusal.message, "field": refusal.field or None, "status": refusal.status}
        return jsonify(body), refusal.status
    return render_error(refusal.status, refusal.message)


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
    assert access.membership is not None
    if access.membership.coi_declared_at is None:
        return _declaration_page(access, _declaration_form(access))
    page = pages.scorecard_index(access, queries.load_index(db_session(), access))
    return render_template("scorecards/index.html", access=access, page=page)


def _declaration_form(access: a.Access) -> forms.DeclarationForm:
    assert access.membership is not None
    return forms.declaration_form(
        pages.declaration_vendors(access), access.membership, prefill=request.method == "GET"
    )


def _declaration_page(access: a.Access, form: forms.DeclarationForm) -> Any:
    return render_template(
        "scorecards/conflicts.html",
        access=access,
        page=pages.declaration(access),
        form=form,
        errors=form.vendor_errors(),
    )


@bp.route("/conflicts", methods=["GET", "POST"])
def conflicts(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _evaluator(evaluation_id)
    form = _declaration_form(access)
    if request.method == "GET":
        return _declaration_page(access, form)
    declarations.check_may_declare(access.evaluation, access.membership)
    if form.validate_on_submit():
        choices = form.choices()
        done = commit(
            lambda: declarations.declare_conflicts(
                db_session(),
                access.evaluation,
                access.membership,
                access.user,
                ordered(access.evaluation.vendors),
                choices,
            ),
            form,
        )
        if done:
            count = sum(1 for conflict, _ in choices.values() if conflict)
            flash(
                "Declaration recorded: no conflict of interest."
                if not count
                else f"Declaration recorded: a conflict with {counted(count, 'vendor')}; "
                "they are not on your scorecards.",
                "success",
            )
            return redirect(url_for("scorecards.index", evaluation_id=evaluation_id))
        assert done.refused is not None
        form.show_under_vendors(done.refused)
    return _declaration_page(access, form)


def _scorecard_form(access: a.Access) -> forms.ScorecardForm:
    questions = scored_questions(db_session(), access.evaluation.id)
    points = [p.label for p in scale_of(access.evaluation)]
    return forms.scorecard_form([q.id for q in questions], points)()


@bp.route("/<int:vendor_id>")
def scorecard(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = _evaluator(evaluation_id)
    vendor = _scored_vendor(access, vendor_id)
    assert access.membership is not None
    if access.membership.coi_declared_at is None:
        flash("Declare your conflicts of interest before you open a scorecard.", "warning")
        return redirect(url_for("scorecards.index", evaluation_id=evaluation_id))
    card = pages.scorecard(access, vendor, queries.load_scorecard(db_session(), access, vendor))
    return render_template("scorecards/scorecard.html", access=access, card=card, errors=[])


@bp.route("/<int:vendor_id>", methods=["POST"])
def save(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    """The form without JavaScript: every changed question at once, all or nothing."""
    access = _evaluator(evaluation_id)
    vendor = _scored_vendor(access, vendor_id)
    ops.check_may_score(access.evaluation, access.membership)
    form = _scorecard_form(access)
    if form.validate_on_submit():
        done = commit(
            lambda: ops.save_scores(
                db_session(),
                access.evaluation,
                access.membership,
                access.user,
                vendor,
                form.posted(),
            ),
            form,
        )
        if done:
            assert done.value is not None
            changed = sum(1 for s in done.value if s.changed)
            flash(
                f"Saved {counted(changed, 'score')}." if changed else "No changes to save.",
                "success" if changed else "info",
            )
            target = form.next_vendor_id() or vendor.id
            return redirect(
                url_for("scorecards.scorecard", evaluation_id=evaluation_id, vendor_id=target)
            )
        assert done.refused is not None
        form.show_under_questions(done.refused)
    card = pages.scorecard(
        access,
        vendor,
        queries.load_scorecard(db_session(), access, vendor),
        posted=form.posted(),
        errors=form.question_errors(),
    )
    return render_template(
        "scorecards/scorecard.html", access=access, card=card, errors=form.form_errors
    )


@bp.route("/<int:vendor_id>/questions/<int:question_id>", methods=["POST"])
def save_one(evaluation_id: int, vendor_id: int, question_id: int):  # type: ignore[no-untyped-def]
    """Save as you go: one question, JSON in ({"score", "comment"}) and out. The hottest
    write of the app (twenty evaluators at once): a dozen short statements, rows not
    objects but the score itself (tests/benchmarks/bench_score_save.py, bench_load.py)."""
    access = _evaluator(evaluation_id)
    vendor = _scored_vendor(access, vendor_id)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        # An id of another evaluation's question is not found, whatever the body.
        ops.find_question(db_session(), access.evaluation, question_id)
        raise Refused("", 'Send a JSON object: {"score": 3, "comment": "..."}')
    membership = access.membership
    assert membership is not None
    session = db_session()
    limit = criteria_limit(session, membership)

    def save_and_count() -> tuple[ops.ScoreSaved, ScorecardProgress]:
        saved = ops.save_score(
            session,
            access.evaluation,
            membership,
            access.user,
            vendor,
            question_id,
            payload.get("score"),
            payload.get("comment", ""),
            limit=limit,
        )
        # Counted in the save's own transaction, which sees the score just written:
        # after the commit it took one more connection check-out and transaction.
        return saved, queries.progress_after_save(session, access.evaluation, membership, limit)

    done = commit(save_and_count)
    assert done.value is not None
    saved, progress = done.value
    return jsonify(pages.score_saved(saved, vendor.id, progress))


@bp.route("/submit", methods=["POST"])
def submit(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _evaluator(evaluation_id)
    ops.check_may_score(access.evaluation, access.membership)
    done = commit(
        lambda: ops.submit_scores(db_session(), access.evaluation, access.membership, access.user),
        forms.SubmitForm(),
    )
    if done:
        assert done.value is not None
        flash(
            f"Submitted: your {done.value.overall.entered} scores are in and locked. "
            "The lead can reopen them if a change is needed.",
            "success",
        )
    else:
        assert done.refused is not None
        flash(done.refused.message, "error")
    return redirect(url_for("scorecards.index", evaluation_id=evaluation_id))
