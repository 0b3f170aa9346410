"""The vendor's documents page in its portal: the RFP's documents to read, and a slot
per document the lead asks for, to upload into while the response can still change.
The token is the only credential; a document of another vendor, or of another
evaluation, is not found."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for

from rfp.areas.documents import operations as ops
from rfp.areas.documents import queries
from rfp.areas.documents.delivery import (
    document_limit,
    document_store,
    read_upload,
    send_document,
)
from rfp.areas.documents.forms import ButtonForm, FileForm
from rfp.areas.documents.inspection import accept, kinds_words, megabytes
from rfp.areas.intake.operations import portal_closed_reason
from rfp.areas.intake.portal_routes import note_use, open_portal, portal_blueprint
from rfp.areas.intake.queries import Portal
from rfp.core.extensions import db_session
from rfp.core.unit_of_work import commit

bp = portal_blueprint("portal_documents", __name__, "/documents")


def _render(
    portal: Portal, form: FileForm | None = None, failed_slot: int | None = None, code: int = 200
) -> Any:
    session = db_session()
    vendor = portal.vendor
    page = render_template(
        "portal/documents.html",
        portal=portal,
        portal_token=portal.token,
        portal_section="documents",
        slots=queries.slots_of(session, vendor.evaluation_id),
        uploads=queries.vendor_documents(session, vendor.id),
        rfp_documents=queries.rfp_documents(session, vendor.evaluation_id),
        closed=portal_closed_reason(portal.evaluation, vendor.response),
        form=form if form is not None else FileForm(formdata=None),
        failed_slot=failed_slot,
        button=ButtonForm(formdata=None),
        limit=document_limit(),
        kinds_words=kinds_words,
        accept=accept,
        megabytes=megabytes,
    )
    note_use(portal)
    return page, code


@bp.route("")
def index(token: str):  # type: ignore[no-untyped-def]
    return _render(open_portal(token))


@bp.route("/slots/<int:slot_id>", methods=["POST"])
def upload(token: str, slot_id: int):  # type: ignore[no-untyped-def]
    portal = open_portal(token)
    slot = queries.slot_of(db_session(), portal.evaluation.id, slot_id)
    if slot is None:
        abort(404)
    form = FileForm()
    if not form.validate_on_submit():
        return _render(portal, form, slot.id, 422)
    limit = min(slot.max_bytes, document_limit())
    upload = form.file.data
    data = read_upload(upload.stream, limit)
    done = commit(
        lambda: ops.upload_vendor_document(
            db_session(),
            document_store(),
            portal.link,
            slot,
            data,
            upload.filename or "",
            document_limit(),
        ),
        form,
    )
    if not done or done.value is None:
        return _render(portal, form, slot.id, 422)
    flash(f"{done.value.filename} is uploaded as your “{slot.name}”.", "success")
    return redirect(url_for("portal_documents.index", token=token))


def _own_document(portal: Portal, document_id: int) -> Any:
    """A current document this vendor may read: its own, or the RFP's."""
    document = queries.document_of(db_session(), portal.evaluation.id, document_id)
    if document is None or document.vendor_id not in (None, portal.vendor.id):
        abort(404)
    return document


@bp.route("/<int:document_id>/remove", methods=["POST"])
def remove(token: str, document_id: int):  # type: ignore[no-untyped-def]
    portal = open_portal(token)
    document = _own_document(portal, document_id)
    if document.vendor_id is None:
        abort(404)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    done = commit(lambda: ops.remove_vendor_document(db_session(), portal.link, document), form)
    if done:
        flash(f"{document.filename} is removed.", "success")
    else:
        flash(done.refused.message if done.refused else "Not removed.", "error")
    return redirect(url_for("portal_documents.index", token=token))


@bp.route("/<int:document_id>")
def download(token: str, document_id: int):  # type: ignore[no-untyped-def]
    portal = open_portal(token)
    document = _own_document(portal, document_id)
    note_use(portal)
    return send_document(document, document.filename)
