"""Consensus (lead): the flagged (vendor, question) pairs with the panel's scores side by
side, and consensus scores with their rationale, on flagged pairs or any other.

The lead reads these pages from `scoring` on; consensus scores are recorded, changed and
removed in `consensus` only.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from rfp import models as m
from rfp.areas.consensus import forms, pages, queries
from rfp.areas.consensus import operations as ops
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.scale import scale_of
from rfp.core.unit_of_work import commit
from rfp.domain.vocabulary import Stage

bp = Blueprint(
    "consensus",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/consensus",
)


def _lead(evaluation_id: int) -> a.Access:
    return a.evaluation_access(evaluation_id).require(a.MANAGE)


def _question_of(access: a.Access, question_id: int) -> m.Question:
    question = queries.scored_question(db_session(), access.evaluation, question_id)
    if question is None:
        abort(404)
    return question


@bp.route("")
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id)
    evaluation = access.evaluation
    page = None
    if pages.visible(evaluation):
        page = pages.consensus_page(queries.load_consensus(db_session(), evaluation))
    return render_template(
        "consensus/index.html",
        access=access,
        page=page,
        writable=pages.writable(evaluation),
        scale=scale_of(evaluation),
        form_for=lambda pair: forms.consensus_form(evaluation, pair.consensus, return_to="index"),
    )


@bp.route("/pick")
def pick(evaluation_id: int):  # type: ignore[no-untyped-def]
    """The "any (vendor, question)" chooser: a GET form lands here and is sent on."""
    access = _lead(evaluation_id)
    form = forms.PickForm(request.args)
    if not form.validate():
        flash("Choose a vendor and a question.", "error")
        return redirect(url_for("consensus.index", evaluation_id=evaluation_id))
    vendor = a.vendor_of(access, form.vendor.data)
    question = _question_of(access, form.question.data)
    return redirect(
        url_for(
            "consensus.pair",
            evaluation_id=evaluation_id,
            vendor_id=vendor.id,
            question_id=question.id,
        )
    )


def _render_pair(
    access: a.Access, vendor: m.Vendor, question: m.Question, form: forms.ConsensusForm | None
) -> Any:
    evaluation = access.evaluation
    if not pages.visible(evaluation):
        abort(409, description="Scores are entered from the scoring stage on.")
    rows = queries.load_consensus(db_session(), evaluation, only=[(vendor.id, question.id)])
    page = pages.consensus_page(rows, calibration=False)
    views = page.flagged + page.others
    if not views:
        abort(404)
    view = views[0]
    return render_template(
        "consensus/pair.html",
        access=access,
        pair=view,
        form=form or forms.consensus_form(evaluation, view.consensus, return_to="pair"),
        writable=pages.writable(evaluation),
        scale=scale_of(evaluation),
    )


@bp.route("/<int:vendor_id>/<int:question_id>")
def pair(evaluation_id: int, vendor_id: int, question_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id)
    vendor = a.vendor_of(access, vendor_id)
    question = _question_of(access, question_id)
    return _render_pair(access, vendor, question, None)


def _back(evaluation_id: int, vendor_id: int, question_id: int, to: str | None) -> Any:
    if to == "pair":
        return redirect(
            url_for(
                "consensus.pair",
                evaluation_id=evaluation_id,
                vendor_id=vendor_id,
                question_id=question_id,
            )
        )
    return redirect(
        url_for("consensus.index", evaluation_id=evaluation_id) + f"#pair-{vendor_id}-{question_id}"
    )


@bp.route("/<int:vendor_id>/<int:question_id>", methods=["POST"])
def record(evaluation_id: int, vendor_id: int, question_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id)
    access.require_stage(Stage.CONSENSUS)
    vendor = a.vendor_of(access, vendor_id)
    question = _question_of(access, question_id)
    form = forms.consensus_form(access.evaluation)
    if form.validate_on_submit():
        done = commit(
            lambda: ops.record_consensus(
                db_session(),
                access.evaluation,
                access.user,
                vendor,
                question,
                form.score.data,
                form.rationale.data,
            ),
            form,
        )
        if done:
            assert done.value is not None
            _score, changed = done.value
            flash(
                f"Consensus score {form.score.data} recorded for {vendor.name}, {question.text}."
                if changed
                else "No changes.",
                "success",
            )
            return _back(evaluation_id, vendor.id, question.id, form.return_to.data)
    return _render_pair(access, vendor, question, form)


@bp.route("/<int:vendor_id>/<int:question_id>/remove", methods=["POST"])
def remove(evaluation_id: int, vendor_id: int, question_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id)
    access.require_stage(Stage.CONSENSUS)
    vendor = a.vendor_of(access, vendor_id)
    question = _question_of(access, question_id)
    form = forms.RemoveConsensusForm()
    commit(
        lambda: ops.remove_consensus(
            db_session(),
            access.evaluation,
            access.user,
            vendor,
            question,
            reason=form.reason.data or "",
        )
    )
    flash(f"Consensus score removed for {vendor.name}, {question.text}.", "success")
    return _back(evaluation_id, vendor.id, question.id, form.return_to.data)
