"""Vendors: the list, their details, and the responses the lead types in.

Evaluators see only names and delivery models while responses are sealed (draft,
open); the rules of what each role sees are in pages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required

from rfp import models as m
from rfp.areas.criteria.queries import questions_in_order
from rfp.areas.references.queries import reference_call_flags
from rfp.areas.vendors import forms, queries
from rfp.areas.vendors import operations as ops
from rfp.areas.vendors.pages import (
    is_blind,
    prices_hidden,
    quote_figures,
    rate_range_text,
    response_hidden_because,
    status_badge,
    vendor_labels,
)
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.unit_of_work import commit
from rfp.core.versions import VERSION_FIELD
from rfp.domain.scoring.benchmarks import RATE_RANGES
from rfp.domain.vocabulary import QuestionKind

bp = Blueprint(
    "vendors",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/vendors",
)


def _to_detail(vendor: m.Vendor):  # type: ignore[no-untyped-def]
    return redirect(
        url_for("vendors.detail", evaluation_id=vendor.evaluation_id, vendor_id=vendor.id)
    )


def _render_form(access: a.Access, form: forms.VendorForm, vendor: m.Vendor | None) -> str:
    return render_template(
        "vendors/form.html", access=access, evaluation=access.evaluation, form=form, vendor=vendor
    )


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.VIEW_SETUP)
    evaluation = access.evaluation
    session = db_session()
    vendors = queries.vendors_of(session, evaluation)
    labels = vendor_labels(access, vendors)
    if is_blind(access):
        vendors = sorted(vendors, key=lambda v: labels[v.id])
    return render_template(
        "vendors/index.html",
        access=access,
        evaluation=evaluation,
        vendors=vendors,
        labels=labels,
        badges={v.id: status_badge(v.response) for v in vendors},
        blind=is_blind(access),
        answered=queries.answer_counts(session, evaluation) if access.is_lead else {},
        question_count=len(questions_in_order(session, evaluation)),
        can_add=access.is_lead and evaluation.current_stage.collecting,
        rate_ranges=RATE_RANGES,
        hidden_reason=None if access.is_lead or not evaluation.sealed else "sealed",
        prices_hidden=prices_hidden(access),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    access.require_stage(*ops.EDITABLE_STAGES, message="Vendors are added in draft or open only.")
    form = forms.vendor_form()
    if form.validate_on_submit():
        done = commit(
            lambda: ops.add_vendor(db_session(), access.evaluation, access.user, form.details()),
            form,
        )
        if done and done.value is not None:
            flash(f"{done.value.name} added. Type in its response when it arrives.", "success")
            return _to_detail(done.value)
    return _render_form(access, form, None)


@bp.route("/<int:vendor_id>")
@login_required
def detail(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.VIEW_SETUP)
    vendor = a.vendor_of(access, vendor_id)
    evaluation = access.evaluation
    session = db_session()
    hidden = response_hidden_because(access, vendor)
    # The lead always reads the reference calls; the panel and viewers from scoring on,
    # unless scoring is blind (the calls name the vendor) or the response is hidden.
    reads_calls = access.is_lead or not (hidden or is_blind(access) or evaluation.sealed)
    calls = queries.reference_calls_of(session, vendor) if reads_calls else None
    questions = questions_in_order(session, evaluation)
    return render_template(
        "vendors/detail.html",
        access=access,
        evaluation=evaluation,
        vendor=vendor,
        label=vendor_labels(access, evaluation.vendors)[vendor.id],
        blind=is_blind(access),
        hidden=hidden,
        answers={ans.question_id: ans for ans in vendor.answers} if hidden is None else {},
        knockouts=[q for q in questions if q.kind == QuestionKind.KNOCKOUT],
        info_questions={q.id for q in questions if q.kind == QuestionKind.INFO},
        response=vendor.response,
        badge=status_badge(vendor.response, "received in full"),
        prices_hidden=prices_hidden(access),
        figures=quote_figures(evaluation, vendor) if hidden is None else None,
        ranges=rate_range_text(evaluation, vendor.delivery_model),
        removable=access.is_lead and evaluation.current_stage.collecting,
        reference_calls=calls,
        reference_call_flags=reference_call_flags(calls) if calls is not None else [],
    )


@bp.route("/<int:vendor_id>/edit", methods=["GET", "POST"])
@login_required
def edit(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    vendor = a.vendor_of(access, vendor_id)
    form = forms.vendor_form(vendor)
    if form.validate_on_submit():
        done = commit(
            lambda: ops.update_vendor(
                db_session(), vendor, access.user, form.details(), form.version.data
            ),
            form,
        )
        if done:
            flash(
                "Vendor saved." if done.value else "Nothing changed.",
                "success" if done.value else "info",
            )
            return _to_detail(vendor)
        if done.refused is not None and done.refused.field == VERSION_FIELD:
            flash(done.refused.message, "error")  # the form shows the current values
            form = forms.vendor_form(vendor, current=True)
    return _render_form(access, form, vendor)


@bp.route("/<int:vendor_id>/response", methods=["GET", "POST"])
@login_required
def response(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    vendor = a.vendor_of(access, vendor_id)
    evaluation = access.evaluation
    ops.require_typed_in(evaluation, vendor)
    stored = {ans.question_id: ans for ans in vendor.answers}
    form = forms.response_form(
        questions_in_order(db_session(), evaluation), stored, vendor.response
    )
    if form.validate_on_submit():
        done = commit(
            lambda: ops.save_response(
                db_session(),
                vendor,
                access.user,
                answers=form.answers(stored),
                pricing=form.pricing(),
                complete=form.complete.data,
                reason=form.reason.data or "",
            ),
            form,
        )
        if done:
            flash(
                f"Response of {vendor.name} saved." if done.value else "Nothing changed.",
                "success" if done.value else "info",
            )
            return _to_detail(vendor)
    return render_template(
        "vendors/response.html",
        access=access,
        evaluation=evaluation,
        vendor=vendor,
        form=form,
        ranges=rate_range_text(evaluation, vendor.delivery_model),
        needs_reason=evaluation.current_stage.scoring_open,
    )


@bp.route("/<int:vendor_id>/remove", methods=["GET", "POST"])
@login_required
def remove(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id).require_writable()
    access.require_stage(
        *ops.EDITABLE_STAGES,
        message="Vendors are removed in draft or open only; "
        "once scoring starts they stay on record.",
    )
    vendor = a.vendor_of(access, vendor_id)
    form = forms.ReasonForm()
    name = vendor.name
    if form.validate_on_submit():
        reason = form.reason.data or ""
        if commit(
            lambda: ops.remove_vendor(db_session(), vendor, access.user, reason=reason), form
        ):
            flash(f"{name} removed from the evaluation.", "success")
            return redirect(url_for("vendors.index", evaluation_id=evaluation_id))
    return render_template(
        "vendors/remove.html",
        access=access,
        evaluation=access.evaluation,
        vendor=vendor,
        form=form,
        answers=len(vendor.answers),
    )
