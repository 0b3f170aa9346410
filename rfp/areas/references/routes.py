"""Reference calls: the calls per vendor with their flags, and the form to record one.

The lead and the active evaluators record calls from `scoring` on (DESIGN.md, "References");
an evaluator edits and deletes their own calls, the lead any. Viewers read the calls on
the results pages.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length

from rfp import models as m
from rfp.areas.references.operations import (
    WRITABLE_STAGES,
    ReferenceCallError,
    ReferenceCallFields,
    delete_call,
    record_call,
    reference_call_flags,
    update_call,
)
from rfp.areas.scorecards.pages import scale_of
from rfp.core import access as a
from rfp.core.blind import is_blind, ordered, vendor_labels
from rfp.core.db import utcnow
from rfp.core.extensions import db_session

bp = Blueprint(
    "references",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/references",
)

YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]
SIGN_AGAIN = [
    SelectChoice("yes", "Yes"),
    SelectChoice("no", "No"),
    SelectChoice("unsure", "Unsure"),
]


class ReferenceCallForm(FlaskForm):
    vendor_id = SelectField("Vendor", validators=[InputRequired(message="Choose the vendor.")])
    company = StringField(
        "Reference company",
        validators=[InputRequired(message="Name the reference company."), Length(max=200)],
    )
    contact = StringField(
        "Contact",
        description="Name and role of the person you spoke to.",
        validators=[Length(max=200)],
    )
    call_date = DateField(
        "Date of the call", validators=[InputRequired(message="Give the date of the call.")]
    )
    # The choices are checked by the operation, whose messages name the field.
    similar_business = RadioField(
        "Is their business similar to ours?",
        choices=YES_NO,
        validate_choice=False,
        validators=[InputRequired(message="Answer whether their business is similar.")],
    )
    rating = RadioField(
        "Rating",
        validate_choice=False,
        validators=[InputRequired(message="Choose a rating on the scale.")],
    )
    would_sign_again = RadioField(
        "Would you sign this contract again?",
        choices=SIGN_AGAIN,
        validate_choice=False,
        validators=[InputRequired(message="Answer: would they sign this contract again?")],
    )
    surprised_negatively = TextAreaField(
        "What surprised you negatively?", validators=[Length(max=5000)]
    )
    do_differently = TextAreaField("What would you do differently?", validators=[Length(max=5000)])
    notes = TextAreaField("Notes", validators=[Length(max=5000)])

    def fields_for_operation(self) -> ReferenceCallFields:
        return ReferenceCallFields(
            company=self.company.data or "",
            contact=self.contact.data or "",
            call_date=self.call_date.data,
            similar_business={"yes": True, "no": False}.get(self.similar_business.data or ""),
            rating=self.rating.data,
            would_sign_again=self.would_sign_again.data or "",
            surprised_negatively=self.surprised_negatively.data or "",
            do_differently=self.do_differently.data or "",
            notes=self.notes.data or "",
        )


def _form(access: a.Access, vendors: list[m.Vendor], labels: dict[int, str], **kwargs: Any):  # type: ignore[no-untyped-def]
    form = ReferenceCallForm(**kwargs)
    form.vendor_id.choices = [("", "Choose a vendor…")] + [
        (str(v.id), labels[v.id]) for v in vendors
    ]
    form.rating.choices = [SelectChoice(p.label) for p in scale_of(access.evaluation)]
    return form


def _vendors_for(access: a.Access) -> list[m.Vendor]:
    """The vendors this user sees calls for: an evaluator's conflicts are left out."""
    vendors = ordered(access.evaluation.vendors)
    if access.is_lead or access.membership is None:
        return vendors
    conflicted = {c.vendor_id for c in access.membership.conflicts}
    return [v for v in vendors if v.id not in conflicted]


def _access(evaluation_id: int) -> a.Access:
    return a.evaluation_access(evaluation_id).require(a.RECORD_REFERENCES)


def _render_index(access: a.Access, form: ReferenceCallForm | None, status: int = 200) -> Any:
    session = db_session()
    vendors = _vendors_for(access)
    blind = is_blind(access)
    labels = vendor_labels(ordered(access.evaluation.vendors), blind)
    calls = session.scalars(
        select(m.ReferenceCall)
        .where(m.ReferenceCall.evaluation_id == access.evaluation.id)
        .options(joinedload(m.ReferenceCall.caller).joinedload(m.Membership.user))
        .order_by(m.ReferenceCall.call_date.desc(), m.ReferenceCall.id.desc())
    ).all()
    by_vendor: dict[int, list[m.ReferenceCall]] = {v.id: [] for v in vendors}
    for call in calls:
        if call.vendor_id in by_vendor:
            by_vendor[call.vendor_id].append(call)
    may_record = a.may_record_reference_calls(access)
    writable = access.evaluation.stage in WRITABLE_STAGES
    return (
        render_template(
            "references/index.html",
            access=access,
            vendors=vendors,
            labels=labels,
            blind=blind,
            by_vendor=by_vendor,
            flags={v.id: reference_call_flags(by_vendor[v.id]) for v in vendors},
            may_record=may_record,
            writable=writable,
            may_edit=lambda call: writable and a.may_edit_reference_call(access, call),
            form=form,
            scale=scale_of(access.evaluation),
        ),
        status,
    )


@bp.route("")
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _access(evaluation_id)
    form = None
    if a.may_record_reference_calls(access) and access.evaluation.stage in WRITABLE_STAGES:
        vendors = _vendors_for(access)
        form = _form(access, vendors, vendor_labels(vendors, is_blind(access)))
        form.call_date.data = utcnow().date()
        chosen = request.args.get("vendor", "")
        if chosen.isdigit() and int(chosen) in {v.id for v in vendors}:
            form.vendor_id.data = chosen
    return _render_index(access, form)


def _apply(form: ReferenceCallForm, error: ReferenceCallError) -> None:
    field = getattr(form, error.field, None)
    if field is None:
        abort(error.status, description=str(error))
    field.errors = [*field.errors, error.message[:1].upper() + error.message[1:] + "."]


@bp.route("", methods=["POST"])
def create(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _access(evaluation_id)
    if not a.may_record_reference_calls(access):
        abort(403)
    access.require_stage(*WRITABLE_STAGES)
    vendors = _vendors_for(access)
    form = _form(access, vendors, vendor_labels(vendors, is_blind(access)))
    if form.validate_on_submit():
        vendor = a.vendor_of(access, int(form.vendor_id.data))
        if vendor not in vendors:
            abort(403)
        session = db_session()
        caller = access.membership if access.membership is not None else None
        try:
            record_call(
                session, access.evaluation, access.user, caller, vendor, form.fields_for_operation()
            )
        except ReferenceCallError as exc:
            session.rollback()
            if exc.status != 400:
                abort(exc.status, description=str(exc))
            _apply(form, exc)
        else:
            session.commit()
            flash(f"Reference call with {form.company.data.strip()} recorded.", "success")
            return redirect(url_for("references.index", evaluation_id=evaluation_id))
    return _render_index(access, form)


def _call_of(access: a.Access, call_id: int) -> m.ReferenceCall:
    call = db_session().get(m.ReferenceCall, call_id)
    if call is None or call.evaluation_id != access.evaluation.id:
        abort(404)
    if not a.may_edit_reference_call(access, call):
        abort(403)
    return call


@bp.route("/<int:call_id>/edit", methods=["GET", "POST"])
def edit(evaluation_id: int, call_id: int):  # type: ignore[no-untyped-def]
    access = _access(evaluation_id)
    call = _call_of(access, call_id)
    access.require_stage(*WRITABLE_STAGES)
    vendors = _vendors_for(access)
    labels = vendor_labels(vendors, is_blind(access))
    if request.method == "GET":
        form = _form(
            access,
            vendors,
            labels,
            formdata=None,
            vendor_id=str(call.vendor_id),
            company=call.company,
            contact=call.contact,
            call_date=call.call_date,
            similar_business={True: "yes", False: "no"}.get(call.similar_business),
            rating=f"{call.rating:g}",
            would_sign_again=call.would_sign_again,
            surprised_negatively=call.surprised_negatively,
            do_differently=call.do_differently,
            notes=call.notes,
        )
    else:
        form = _form(access, vendors, labels)
        if form.validate_on_submit():
            vendor = a.vendor_of(access, int(form.vendor_id.data))
            if vendor not in vendors:
                abort(403)
            session = db_session()
            try:
                changed = update_call(
                    session,
                    access.evaluation,
                    access.user,
                    call,
                    vendor,
                    form.fields_for_operation(),
                )
            except ReferenceCallError as exc:
                session.rollback()
                if exc.status != 400:
                    abort(exc.status, description=str(exc))
                _apply(form, exc)
            else:
                session.commit()
                flash("Reference call updated." if changed else "No changes.", "success")
                return redirect(url_for("references.index", evaluation_id=evaluation_id))
    return render_template(
        "references/edit.html",
        access=access,
        form=form,
        call=call,
        scale=scale_of(access.evaluation),
    )


@bp.route("/<int:call_id>/delete", methods=["POST"])
def delete(evaluation_id: int, call_id: int):  # type: ignore[no-untyped-def]
    access = _access(evaluation_id)
    call = _call_of(access, call_id)
    access.require_stage(*WRITABLE_STAGES)
    session = db_session()
    company = call.company
    try:
        delete_call(session, access.evaluation, access.user, call)
    except ReferenceCallError as exc:
        abort(exc.status, description=str(exc))
    session.commit()
    flash(f"Reference call with {company} deleted.", "success")
    return redirect(url_for("references.index", evaluation_id=evaluation_id))
