"""The documents of an evaluation: slots (the lead's), the RFP's own documents, what each
vendor has uploaded, and the download of one document for those who may open it.

Every member reads the slots and the RFP documents; the lead sets the slots and attaches
RFP documents (in draft; once open, with an addendum). Vendors' uploads are sealed until
scoring starts, from the lead too (rfp.areas.documents.pages says who opens what).
`vendor_documents(access, vendor)` is a template global: the scorecard and the vendor
page include "documents/_vendor_documents.html" with it, beside the answers.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from rfp import models as m
from rfp.areas.documents import operations as ops
from rfp.areas.documents import queries
from rfp.areas.documents.delivery import (
    document_limit,
    document_store,
    read_upload,
    send_document,
)
from rfp.areas.documents.forms import ButtonForm, FileForm, SlotForm
from rfp.areas.documents.inspection import megabytes
from rfp.areas.documents.pages import (
    CONFLICT,
    SEALED,
    download_name,
    hidden_because,
    size_words,
    upload_matrix,
    vendor_documents_page,
)
from rfp.core import access as a
from rfp.core.extensions import db_session
from rfp.core.unit_of_work import commit
from rfp.domain.vocabulary import QuestionKind, Stage

bp = Blueprint(
    "documents",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/documents",
)


def _knockouts(evaluation: m.Evaluation) -> list[m.Question]:
    return [q for c in evaluation.criteria for q in c.questions if q.kind == QuestionKind.KNOCKOUT]


def _slot_form(access: a.Access, **kwargs: Any) -> SlotForm:
    return SlotForm(**kwargs).set_knockouts(_knockouts(access.evaluation))


def _render_index(
    access: a.Access,
    slot_form: SlotForm | None = None,
    file_form: FileForm | None = None,
    code: int = 200,
) -> Any:
    session = db_session()
    evaluation = access.evaluation
    slots = queries.slots_of(session, evaluation.id)
    # The upload matrix: the lead always (names of files only once unsealed), the panel
    # and viewers once the responses are unsealed.
    shows_uploads = access.is_lead or not evaluation.sealed
    matrix = (
        upload_matrix(
            access, evaluation.vendors, slots, queries.uploads_by_vendor(session, evaluation.id)
        )
        if shows_uploads
        else []
    )
    return render_template(
        "documents/index.html",
        access=access,
        evaluation=evaluation,
        slots=slots,
        rfp_documents=queries.rfp_documents(session, evaluation.id),
        matrix=matrix,
        shows_uploads=shows_uploads,
        slot_form=slot_form or _slot_form(access, formdata=None),
        file_form=file_form or FileForm(formdata=None),
        button=ButtonForm(formdata=None),
        slots_editable=access.is_lead
        and not evaluation.read_only
        and evaluation.stage in ops.SLOT_STAGES,
        attachable=access.is_lead and evaluation.stage == Stage.DRAFT,
        limit=megabytes(document_limit()),
    ), code


def _back(evaluation_id: int) -> Any:
    return redirect(url_for("documents.index", evaluation_id=evaluation_id))


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    return _render_index(a.evaluation_access(evaluation_id).require(a.VIEW_SETUP))


@bp.route("/slots", methods=["POST"])
@login_required
def new_slot(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    form = _slot_form(access)
    if form.validate_on_submit():
        done = commit(
            lambda: ops.add_slot(
                db_session(), access.evaluation, access.user, form.details(), document_limit()
            ),
            form,
        )
        if done and done.value is not None:
            flash(f"Vendors are now asked for “{done.value.name}”.", "success")
            return _back(evaluation_id)
    return _render_index(access, slot_form=form, code=422)


def _slot(access: a.Access, slot_id: int) -> m.DocumentSlot:
    slot = queries.slot_of(db_session(), access.evaluation.id, slot_id)
    if slot is None:
        abort(404)
    return slot


@bp.route("/slots/<int:slot_id>", methods=["GET", "POST"])
@login_required
def edit_slot(evaluation_id: int, slot_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    slot = _slot(access, slot_id)
    if request.method == "GET":
        form = _slot_form(access, formdata=None, data=SlotForm.of(slot))
    else:
        form = _slot_form(access)
        if form.validate_on_submit():
            done = commit(
                lambda: ops.update_slot(
                    db_session(), slot, access.user, form.details(), document_limit()
                ),
                form,
            )
            if done:
                flash(f"“{slot.name}” saved." if done.value else "No changes to save.", "success")
                return _back(evaluation_id)
    return render_template(
        "documents/slot.html",
        access=access,
        evaluation=access.evaluation,
        slot=slot,
        form=form,
        limit=megabytes(document_limit()),
    ), (422 if form.errors else 200)


@bp.route("/slots/<int:slot_id>/remove", methods=["POST"])
@login_required
def remove_slot(evaluation_id: int, slot_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    slot = _slot(access, slot_id)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    name = slot.name
    done = commit(lambda: ops.remove_slot(db_session(), slot, access.user), form)
    if done:
        flash(f"Vendors are no longer asked for “{name}”.", "success")
    else:
        flash(done.refused.message if done.refused else "Not removed.", "error")
    return _back(evaluation_id)


@bp.route("/rfp", methods=["POST"])
@login_required
def attach(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id).require_stage(
        Stage.DRAFT,
        message="Vendors are responding: publish the document with an addendum, so that "
        "every vendor is told.",
    )
    form = FileForm()
    if form.validate_on_submit():
        limit = document_limit()
        upload = form.file.data
        data = read_upload(upload.stream, limit)
        done = commit(
            lambda: ops.attach_rfp_document(
                db_session(),
                document_store(),
                access.evaluation,
                access.user,
                data,
                upload.filename or "",
                limit,
            ),
            form,
        )
        if done and done.value is not None:
            flash(f"{done.value.filename} is attached for every vendor to read.", "success")
            return _back(evaluation_id)
    return _render_index(access, file_form=form, code=422)


@bp.route("/rfp/<int:rfp_document_id>/remove", methods=["POST"])
@login_required
def remove(evaluation_id: int, rfp_document_id: int):  # type: ignore[no-untyped-def]
    access = a.lead_access(evaluation_id)
    document = queries.document_of(db_session(), evaluation_id, rfp_document_id)
    if document is None or document.vendor_id is not None:
        abort(404)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    done = commit(lambda: ops.remove_rfp_document(db_session(), document, access.user), form)
    if done:
        flash(f"{document.filename} is removed.", "success")
    else:
        flash(done.refused.message if done.refused else "Not removed.", "error")
    return _back(evaluation_id)


@bp.route("/<int:document_id>")
@login_required
def download(evaluation_id: int, document_id: int):  # type: ignore[no-untyped-def]
    access = a.evaluation_access(evaluation_id).require(a.VIEW_SETUP)
    document = queries.document_of(db_session(), evaluation_id, document_id)
    if document is None:
        abort(404)
    hidden = hidden_because(access, document, document.slot)
    if hidden == SEALED:
        abort(409, description="Vendors' documents are sealed until scoring starts.")
    if hidden == CONFLICT:
        abort(403, description="You declared a conflict of interest with this vendor.")
    if hidden is not None:
        abort(403, description="Prices are shown once you have submitted your quality scores.")
    return send_document(document, download_name(access, document, document.slot))


@bp.app_template_global()
def vendor_documents(access: a.Access, vendor: m.Vendor) -> Any:
    """The vendor's documents as this user may see them (None: the evaluation asks for
    none), for the scorecard and the vendor page."""
    session = db_session()
    slots = queries.slots_of(session, access.evaluation.id)
    if not slots:
        return None
    return vendor_documents_page(
        access, vendor, slots, queries.vendor_documents(session, vendor.id)
    )


@bp.app_template_filter("filesize")
def filesize(size: int) -> str:
    """A file's size as people read it: 12 kB, 1.4 MB."""
    return size_words(size)


@bp.app_template_global()
def document_proofs(evaluation_id: int) -> dict[str, str]:
    """Knockout question key -> the name of the document slot that proves it (for the
    vendor's requirements on its response page)."""
    return {
        slot.question.key: slot.name
        for slot in queries.slots_of(db_session(), evaluation_id)
        if slot.question is not None
    }
