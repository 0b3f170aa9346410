"""Consensus (lead): the flagged (vendor, question) pairs with the panel's scores side by
side, and consensus scores with their rationale, on flagged pairs or any other.

The lead reads these pages from `scoring` on; consensus scores are recorded, changed and
removed in `consensus` only.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length

from rfp import models as m
from rfp.areas.consensus.operations import ConsensusError, record_consensus, remove_consensus
from rfp.areas.consensus.pages import build_consensus_page
from rfp.areas.scorecards.pages import scale_of
from rfp.core import access as a
from rfp.core.extensions import db_session

bp = Blueprint(
    "consensus",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/consensus",
)

VISIBLE_STAGES = ("scoring", "consensus", "decided")


class ConsensusForm(FlaskForm):
    # validate_choice off: the operation checks the point, with a message naming the scale.
    score = RadioField(
        "Consensus score",
        validate_choice=False,
        validators=[InputRequired(message="Choose a consensus score.")],
    )
    rationale = TextAreaField(
        "Rationale",
        description="Why the panel agreed on this score; it goes into the audit trail.",
        validators=[
            InputRequired(message="Give the rationale for the consensus score."),
            Length(max=5000),
        ],
    )
    return_to = HiddenField(default="index")


def _form(access: a.Access, **kwargs: Any) -> ConsensusForm:
    form = ConsensusForm(**kwargs)
    form.score.choices = [SelectChoice(p.label) for p in scale_of(access.evaluation)]
    return form


def _lead(evaluation_id: int) -> a.Access:
    return a.evaluation_access(evaluation_id).require(a.MANAGE)


def _question_of(access: a.Access, question_id: int) -> m.Question:
    question = db_session().get(m.Question, question_id)
    if question is None or question.evaluation_id != access.evaluation.id:
        abort(404)
    if question.kind != "scored" or question.criterion.kind != "scored":
        abort(404)
    return question


@bp.route("")
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id)
    page = None
    if access.evaluation.stage in VISIBLE_STAGES:
        page = build_consensus_page(db_session(), access.evaluation)
    return render_template(
        "consensus/index.html",
        access=access,
        page=page,
        writable=access.evaluation.stage == "consensus",
        scale=scale_of(access.evaluation),
        form_for=lambda pair: _form(
            access,
            formdata=None,
            score=f"{pair.consensus.value:g}" if pair.consensus else None,
            rationale=pair.consensus.rationale if pair.consensus else "",
            return_to="index",
        ),
    )


@bp.route("/pick")
def pick(evaluation_id: int):  # type: ignore[no-untyped-def]
    """The "any (vendor, question)" chooser: a GET form lands here and is sent on."""
    access = _lead(evaluation_id)
    vendor_id, question_id = request.args.get("vendor", ""), request.args.get("question", "")
    if not (vendor_id.isdigit() and question_id.isdigit()):
        flash("Choose a vendor and a question.", "error")
        return redirect(url_for("consensus.index", evaluation_id=evaluation_id))
    a.vendor_of(access, int(vendor_id))
    _question_of(access, int(question_id))
    return redirect(
        url_for(
            "consensus.pair",
            evaluation_id=evaluation_id,
            vendor_id=int(vendor_id),
            question_id=int(question_id),
        )
    )


def _render_pair(
    access: a.Access, vendor: m.Vendor, question: m.Question, form: ConsensusForm | None
) -> Any:
    if access.evaluation.stage not in VISIBLE_STAGES:
        abort(409, description="Scores are entered from the scoring stage on.")
    page = build_consensus_page(db_session(), access.evaluation, only=[(vendor.id, question.id)])
    views = page.flagged + page.others
    if not views:
        abort(404)
    view = views[0]
    if form is None:
        form = _form(
            access,
            formdata=None,
            score=f"{view.consensus.value:g}" if view.consensus else None,
            rationale=view.consensus.rationale if view.consensus else "",
            return_to="pair",
        )
    return render_template(
        "consensus/pair.html",
        access=access,
        pair=view,
        form=form,
        writable=access.evaluation.stage == "consensus",
        scale=scale_of(access.evaluation),
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
    access.require_stage("consensus")
    vendor = a.vendor_of(access, vendor_id)
    question = _question_of(access, question_id)
    form = _form(access)
    if form.validate_on_submit():
        session = db_session()
        try:
            _score, changed = record_consensus(
                session,
                access.evaluation,
                access.user,
                vendor,
                question,
                form.score.data,
                form.rationale.data,
            )
        except ConsensusError as exc:
            session.rollback()
            field = getattr(form, exc.field, None)
            if exc.status != 400 or field is None:
                abort(exc.status, description=str(exc))
            field.errors = [*field.errors, exc.message[:1].upper() + exc.message[1:] + "."]
        else:
            session.commit()
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
    access.require_stage("consensus")
    vendor = a.vendor_of(access, vendor_id)
    question = _question_of(access, question_id)
    session = db_session()
    try:
        remove_consensus(
            session,
            access.evaluation,
            access.user,
            vendor,
            question,
            reason=request.form.get("reason", "")[:2000],
        )
    except ConsensusError as exc:
        abort(exc.status, description=str(exc))
    session.commit()
    flash(f"Consensus score removed for {vendor.name}, {question.text}.", "success")
    return _back(evaluation_id, vendor.id, question.id, request.form.get("return_to"))
