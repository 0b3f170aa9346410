"""Vendors: the list, their details, and the responses the lead types in.

Evaluators see only names and delivery models while responses are sealed (draft,
open); the rules of what each role sees are in vendor_display."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from rfp import models as m
from rfp.areas.criteria.forms import load_criteria_tree
from rfp.areas.references.queries import reference_call_flags
from rfp.areas.vendors import operations as ops
from rfp.areas.vendors.forms import (
    ReasonForm,
    VendorForm,
    answers_of,
    pricing_of_form,
    response_form,
)
from rfp.areas.vendors.operations import EDITABLE_STAGES, UNSEALED_STAGES, VendorDetails
from rfp.areas.vendors.pages import (
    is_blind,
    prices_hidden,
    quote_figures,
    rate_range_text,
    response_hidden_because,
    sealed_from_lead,
    vendor_labels,
)
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.operations import SetupError
from rfp.core.unit_of_work import show_refusal
from rfp.domain.scoring.benchmarks import RATE_RANGES

bp = Blueprint(
    "vendors",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/vendors",
)


def _details(form: VendorForm) -> VendorDetails:
    return VendorDetails(
        name=form.name.data or "",
        delivery_model=form.delivery_model.data or None,
        country=form.country.data or "",
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
        notes=form.notes.data or "",
    )


def _questions(evaluation: m.Evaluation) -> list[m.Question]:
    """Every question, in the editor's order (criteria loaded with their questions)."""
    return [q for c in load_criteria_tree(evaluation) for q in c.questions]


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.VIEW_SETUP)
    evaluation = access.evaluation
    session = db_session()
    vendors = session.scalars(
        select(m.Vendor)
        .where(m.Vendor.evaluation_id == evaluation.id)
        .options(selectinload(m.Vendor.response))
        .order_by(m.Vendor.position, m.Vendor.id)
    ).all()
    labels = vendor_labels(access, vendors)
    if is_blind(access):
        vendors = sorted(vendors, key=lambda v: labels[v.id])
    return render_template(
        "vendors/index.html",
        access=access,
        evaluation=evaluation,
        vendors=vendors,
        labels=labels,
        blind=is_blind(access),
        answered=ops.answer_counts(session, evaluation.id) if access.is_lead else {},
        question_count=len(_questions(evaluation)),
        can_add=access.is_lead and evaluation.stage in EDITABLE_STAGES,
        rate_ranges=RATE_RANGES,
        hidden_reason=None if access.is_lead or not evaluation.sealed else "sealed",
        prices_hidden=prices_hidden(access),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    access.require_stage(*EDITABLE_STAGES, message="Vendors are added in draft or open only.")
    form = VendorForm()
    if form.validate_on_submit():
        try:
            vendor = ops.add_vendor(db_session(), access.evaluation, access.user, _details(form))
        except SetupError as exc:
            show_refusal(form, exc)
        else:
            db_session().commit()
            flash(f"{vendor.name} added. Type in its response when it arrives.", "success")
            return redirect(
                url_for("vendors.detail", evaluation_id=evaluation_id, vendor_id=vendor.id)
            )
    return render_template(
        "vendors/form.html", access=access, evaluation=access.evaluation, form=form, vendor=None
    )


@bp.route("/<int:vendor_id>")
@login_required
def detail(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.VIEW_SETUP)
    vendor = a.vendor_of(access, vendor_id)
    evaluation = access.evaluation
    hidden = response_hidden_because(access, vendor)
    label = vendor_labels(access, evaluation.vendors)[vendor.id]
    answers = {ans.question_id: ans for ans in vendor.answers} if hidden is None else {}
    calls = _reference_calls(access, vendor, hidden)
    return render_template(
        "vendors/detail.html",
        access=access,
        evaluation=evaluation,
        vendor=vendor,
        label=label,
        blind=is_blind(access),
        hidden=hidden,
        answers=answers,
        knockouts=[q for q in _questions(evaluation) if q.kind == "knockout"],
        response=vendor.response,
        prices_hidden=prices_hidden(access),
        figures=quote_figures(evaluation, vendor) if hidden is None else None,
        ranges=rate_range_text(
            vendor.delivery_model, (evaluation.scope or {}).get("fte_hours_per_month") or 160
        ),
        removable=access.is_lead and evaluation.stage in EDITABLE_STAGES,
        reference_calls=calls,
        reference_call_flags=reference_call_flags(calls) if calls is not None else [],
    )


def _reference_calls(
    access: a.Access, vendor: m.Vendor, hidden: str | None
) -> list[m.ReferenceCall] | None:
    """The vendor's reference calls, or None when this user is not to read them here:
    the lead always reads them; the panel and viewers from scoring on, unless scoring is
    blind (the calls name the vendor) or the response is hidden from them."""
    if not access.is_lead and (hidden is not None or is_blind(access) or access.evaluation.sealed):
        return None
    return list(
        db_session().scalars(
            select(m.ReferenceCall)
            .where(m.ReferenceCall.vendor_id == vendor.id)
            .options(selectinload(m.ReferenceCall.caller).selectinload(m.Membership.user))
            .order_by(m.ReferenceCall.call_date, m.ReferenceCall.id)
        )
    )


@bp.route("/<int:vendor_id>/edit", methods=["GET", "POST"])
@login_required
def edit(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    vendor = a.vendor_of(access, vendor_id)
    form = VendorForm(obj=vendor)
    if request.method == "GET":
        form.delivery_model.data = vendor.delivery_model or ""
    if form.validate_on_submit():
        try:
            changed = ops.update_vendor(db_session(), vendor, access.user, _details(form))
        except SetupError as exc:
            show_refusal(form, exc)
        else:
            db_session().commit()
            flash(
                "Vendor saved." if changed else "Nothing changed.", "success" if changed else "info"
            )
            return redirect(
                url_for("vendors.detail", evaluation_id=evaluation_id, vendor_id=vendor.id)
            )
    return render_template(
        "vendors/form.html", access=access, evaluation=access.evaluation, form=form, vendor=vendor
    )


@bp.route("/<int:vendor_id>/response", methods=["GET", "POST"])
@login_required
def response(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    vendor = a.vendor_of(access, vendor_id)
    evaluation = access.evaluation
    if sealed_from_lead(evaluation, vendor):
        abort(
            409,
            description="The vendor sent this response itself; it stays sealed until "
            "scoring starts. Its status is on the Intake page.",
        )
    questions = _questions(evaluation)
    stored = {ans.question_id: ans for ans in vendor.answers}
    form = response_form(questions, stored, vendor.response)
    if request.method == "POST":
        access.require_writable()
    if form.validate_on_submit():
        session = db_session()
        try:
            changed = ops.save_response(
                session,
                vendor,
                access.user,
                answers=answers_of(form, questions, stored),
                pricing=pricing_of_form(form),
                complete=form.complete.data,
                reason=form.reason.data or "",
            )
        except SetupError as exc:
            show_refusal(form, exc)
        else:
            session.commit()
            flash(
                f"Response of {vendor.name} saved." if changed else "Nothing changed.",
                "success" if changed else "info",
            )
            return redirect(
                url_for("vendors.detail", evaluation_id=evaluation_id, vendor_id=vendor.id)
            )
    return render_template(
        "vendors/response.html",
        access=access,
        evaluation=evaluation,
        vendor=vendor,
        form=form,
        ranges=rate_range_text(
            vendor.delivery_model, (evaluation.scope or {}).get("fte_hours_per_month") or 160
        ),
        needs_reason=evaluation.stage in UNSEALED_STAGES,
    )


@bp.route("/<int:vendor_id>/remove", methods=["GET", "POST"])
@login_required
def remove(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    access.require_writable()
    access.require_stage(
        *EDITABLE_STAGES,
        message="Vendors are removed in draft or open only; "
        "once scoring starts they stay on record.",
    )
    vendor = a.vendor_of(access, vendor_id)
    form = ReasonForm()
    if form.validate_on_submit():
        name = vendor.name
        try:
            ops.remove_vendor(db_session(), vendor, access.user, reason=form.reason.data or "")
        except SetupError as exc:
            show_refusal(form, exc)
        else:
            db_session().commit()
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
