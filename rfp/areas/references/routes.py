"""Reference calls: the calls per vendor with their flags, and the form to record one.

The lead and the active evaluators record calls from `scoring` on (DESIGN.md, "References");
an evaluator edits and deletes their own calls, the lead any. Viewers read the calls on
the results pages.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from rfp import models as m
from rfp.areas.references import forms, pages, queries
from rfp.areas.references import operations as ops
from rfp.core import access as a
from rfp.core.db import utcnow
from rfp.core.extensions import db_session
from rfp.core.scale import scale_of
from rfp.core.unit_of_work import commit

bp = Blueprint(
    "references",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/references",
)


def _access(evaluation_id: int) -> a.Access:
    return a.evaluation_access(evaluation_id).require(a.RECORD_REFERENCES)


def _form(access: a.Access, call: m.ReferenceCall | None = None) -> forms.ReferenceCallForm:
    vendors = pages.vendors_for(access)
    return forms.reference_call_form(access.evaluation, vendors, pages.labels(access), call)


def _chosen_vendor(access: a.Access, form: forms.ReferenceCallForm) -> m.Vendor:
    vendor = form.vendor(pages.vendors_for(access))
    if vendor is None:
        abort(403)
    return vendor


def _render_index(access: a.Access, form: forms.ReferenceCallForm | None) -> Any:
    calls = queries.calls_of(db_session(), access.evaluation)
    return render_template(
        "references/index.html",
        access=access,
        page=pages.references_page(access, calls),
        form=form,
        scale=scale_of(access.evaluation),
    )


@bp.route("")
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _access(evaluation_id)
    form = None
    if a.may_record_reference_calls(access) and access.evaluation.current_stage.scoring_open:
        form = _form(access)
        form.call_date.data = utcnow().date()
        chosen = request.args.get("vendor", "")
        if chosen in {str(v.id) for v in pages.vendors_for(access)}:
            form.vendor_id.data = chosen
    return _render_index(access, form)


@bp.route("", methods=["POST"])
def create(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _access(evaluation_id)
    if not a.may_record_reference_calls(access):
        abort(403)
    access.require_stage(*ops.WRITABLE_STAGES)
    form = _form(access)
    if form.validate_on_submit():
        vendor = _chosen_vendor(access, form)
        done = commit(
            lambda: ops.record_call(
                db_session(),
                access.evaluation,
                access.user,
                access.membership,
                vendor,
                form.fields_for_operation(),
            ),
            form,
        )
        if done:
            flash(f"Reference call with {form.company.data.strip()} recorded.", "success")
            return redirect(url_for("references.index", evaluation_id=evaluation_id))
    return _render_index(access, form)


def _call_of(access: a.Access, call_id: int) -> m.ReferenceCall:
    call = queries.call_of(db_session(), access.evaluation, call_id)
    if call is None:
        abort(404)
    if not a.may_edit_reference_call(access, call):
        abort(403)
    return call


@bp.route("/<int:call_id>/edit", methods=["GET", "POST"])
def edit(evaluation_id: int, call_id: int):  # type: ignore[no-untyped-def]
    access = _access(evaluation_id)
    call = _call_of(access, call_id)
    access.require_stage(*ops.WRITABLE_STAGES)
    form = _form(access, call if request.method == "GET" else None)
    if form.validate_on_submit():
        vendor = _chosen_vendor(access, form)
        done = commit(
            lambda: ops.update_call(
                db_session(),
                access.evaluation,
                access.user,
                call,
                vendor,
                form.fields_for_operation(),
            ),
            form,
        )
        if done:
            flash("Reference call updated." if done.value else "No changes.", "success")
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
    access.require_stage(*ops.WRITABLE_STAGES)
    company = call.company
    commit(lambda: ops.delete_call(db_session(), access.evaluation, access.user, call))
    flash(f"Reference call with {company} deleted.", "success")
    return redirect(url_for("references.index", evaluation_id=evaluation_id))
