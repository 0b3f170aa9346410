"""Vendors: the list, their details, and the responses the lead types in.

Evaluators see only names and delivery models while responses are sealed (draft,
open); the rules of what each role sees are in pages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from rfp import models as m
from rfp.areas.criteria.queries import questions_in_order
from rfp.areas.references.queries import reference_call_flags
from rfp.areas.vendors import forms, queries
from rfp.areas.vendors import operations as ops
from rfp.areas.vendors.amendments import amendable_question
from rfp.areas.vendors.pages import (
    amendable_items,
    is_blind,
    prices_hidden,
    quote_figures,
    rate_range_text,
    response_hidden_because,
    response_view,
    status_badge,
    vendor_labels,
)
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.operations import require_response_open, response_frozen
from rfp.core.unit_of_work import commit
from rfp.core.versions import VERSION_FIELD
from rfp.domain.scoring.benchmarks import RATE_RANGES
from rfp.domain.vocabulary import AmendedField, QuestionKind

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
    view = (
        response_view(
            queries.response_as_submitted(session, vendor),
            questions,
            show_prices=not prices_hidden(access),
        )
        if hidden is None
        else None
    )
    return render_template(
        "vendors/detail.html",
        access=access,
        evaluation=evaluation,
        vendor=vendor,
        label=vendor_labels(access, evaluation.vendors)[vendor.id],
        blind=is_blind(access),
        hidden=hidden,
        answers={ans.question_id: ans for ans in vendor.answers} if hidden is None else {},
        view=view,
        frozen=response_frozen(evaluation),
        amendable=access.is_lead and ops.may_amend(evaluation, vendor) is None,
        knockouts=[q for q in questions if q.kind == QuestionKind.KNOCKOUT],
        info_questions={q.id for q in questions if q.kind == QuestionKind.INFO},
        response=vendor.response,
        badge=status_badge(vendor.response, "received in full"),
        prices_hidden=prices_hidden(access),
        figures=quote_figures(evaluation, vendor, view.amended["pricing"]) if view else None,
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
    require_response_open(evaluation)  # 409 once frozen: a change is an amendment
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


def _amendment_target(
    questions: list[m.Question],
) -> tuple[AmendedField, m.Question | None] | None:
    """The part of the response named by the query (`field`, and `question` by key), or
    None when it names none the lead may amend."""
    field = request.args.get("field", "")
    if field not in AmendedField.values():
        return None
    key = request.args.get("question")
    question = next((q for q in questions if q.key == key), None) if key else None
    target = AmendedField(field)
    return (target, question) if amendable_question(target, question) else None


@bp.route("/<int:vendor_id>/amend", methods=["GET", "POST"])
@login_required
def amend(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    """The lead's amendment of a frozen response: first the part to amend (`field`, and
    `question` for a question's answer, in the query), then its new value, the reason
    and a confirmation. The response as submitted stays beside it."""
    access = a.lead_access(evaluation_id)
    vendor = a.vendor_of(access, vendor_id)
    evaluation = access.evaluation
    refused = ops.may_amend(evaluation, vendor)
    if refused:
        abort(409, description=refused)
    session = db_session()
    questions = questions_in_order(session, evaluation)
    view = response_view(
        queries.response_as_submitted(session, vendor), questions, show_prices=True
    )
    items = amendable_items(questions, view)
    target = _amendment_target(questions)
    if target is None:
        return render_template(
            "vendors/amend_choose.html",
            access=access,
            evaluation=evaluation,
            vendor=vendor,
            items=items,
            view=view,
        )
    field, question = target
    item = next(i for i in items if i.field == field and i.question is question)
    form = forms.amendment_form_class(field)()
    if form.validate_on_submit():
        done = commit(
            lambda: ops.amend_response(
                session,
                vendor,
                access.user,
                field=field,
                question=question,
                new=form.value(),
                reason=form.reason.data or "",
            ),
            form,
        )
        if done:
            flash(
                f"{item.what} of {vendor.name} amended. The response as submitted stays "
                "beside the amendment, which is shown wherever the result is.",
                "success",
            )
            return _to_detail(vendor)
    return render_template(
        "vendors/amend.html",
        access=access,
        evaluation=evaluation,
        vendor=vendor,
        item=item,
        form=form,
        after_unsealing=evaluation.current_stage.unsealed,
        history=[
            line
            for line, entry in zip(view.lines, view.submitted["amendments"], strict=True)
            if entry["field"] == field and entry["question"] == (question.key if question else None)
        ],
    )
