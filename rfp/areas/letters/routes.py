"""The outcome letters (lead and admin, once the award is recorded): the list of letters,
one page per vendor's letter to review and edit, its PDF preview, "start again from the
draft", and "send". Before the award every route answers 409. The evaluation is
read-only then, but a letter changes nothing of the result, so saving is allowed."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import login_required

from rfp import models as m
from rfp.areas.letters import operations as ops
from rfp.areas.letters import queries
from rfp.areas.letters.drafting import draft_words, letter_kind
from rfp.areas.letters.forms import ButtonForm, letter_form
from rfp.areas.letters.pages import LetterRow
from rfp.areas.mail.queries import message_of
from rfp.core import access as a
from rfp.core.db import utcnow
from rfp.core.extensions import db_session
from rfp.core.refusal import Refused
from rfp.core.unit_of_work import commit, refuse_http
from rfp.domain.letters import LetterDocument
from rfp.domain.vocabulary import MailStatus
from rfp.reports.pdf.letters import build_letter_pdf

bp = Blueprint(
    "letters",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/letters",
)


def _access(evaluation_id: int) -> a.Access:
    """The lead's or an admin's access, once the award is recorded (409 before)."""
    access = a.evaluation_access(evaluation_id).require(a.MANAGE)
    try:
        ops.require_award(access.evaluation)
    except Refused as refused:
        refuse_http(refused)
    return access


def _words(access: a.Access, vendor: m.Vendor, letter: m.OutcomeLetter | None) -> ops.LetterWords:
    """The saved words, or the draft generated from the result."""
    if letter is not None:
        return ops.words_of(letter)
    session = db_session()
    results = queries.results_of(session, access.evaluation)
    return draft_words(
        access.evaluation,
        results,
        results.result.vendor(vendor.key),
        queries.vendor_file(session, access.evaluation, vendor, results),
    )


def _document(access: a.Access, vendor: m.Vendor, letter: m.OutcomeLetter | None) -> LetterDocument:
    """The letter as it reads: as sent, or as it would go out now."""
    if letter is not None and letter.sent_document is not None:
        return LetterDocument.from_dict(letter.sent_document)
    try:
        return ops.document_of(
            db_session(),
            access.evaluation,
            vendor,
            _words(access, vendor, letter),
            disclose_winner_price=letter.disclose_winner_price if letter else False,
            signature=access.user.name,
            dated=utcnow().date(),
        )
    except Refused as refused:
        refuse_http(refused)
        raise


@bp.route("")
@login_required
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _access(evaluation_id)
    session = db_session()
    evaluation = access.evaluation
    results = queries.results_of(session, evaluation)
    saved = queries.saved_letters(session, evaluation)
    by_key = {v.key: v for v in evaluation.vendors}
    rows = []
    for outcome in results.result.vendors:
        vendor = by_key.get(outcome.key)
        if vendor is None:
            continue
        letter = saved.get(vendor.id)
        message = (
            message_of(session, evaluation, letter.message_id)
            if letter is not None and letter.message_id
            else None
        )
        rows.append(LetterRow(vendor, outcome, letter_kind(evaluation, vendor), letter, message))
    rows.sort(key=lambda row: row.vendor.id != evaluation.award_vendor_id)  # award first
    return render_template(
        "letters/index.html", access=access, evaluation=evaluation, rows=rows, button=ButtonForm()
    )


@bp.route("/<int:vendor_id>", methods=["GET", "POST"])
@login_required
def edit(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = _access(evaluation_id)
    vendor = a.vendor_of(access, vendor_id)
    session = db_session()
    letter = queries.saved_letter(session, access.evaluation, vendor)
    if letter is not None and letter.sent and request.method == "POST":
        abort(409, description=f"The letter to {vendor.name} was sent; it cannot change.")
    form = letter_form(
        _words(access, vendor, letter), letter.disclose_winner_price if letter else False
    )
    if form.validate_on_submit():
        done = commit(
            lambda: ops.save_letter(
                session,
                access.evaluation,
                vendor,
                access.user,
                form.words(),
                disclose_winner_price=bool(form.disclose_winner_price.data),
            ),
            form,
        )
        if done:
            flash(f"The letter to {vendor.name} is saved.", "success")
            return redirect(
                url_for("letters.edit", evaluation_id=evaluation_id, vendor_id=vendor_id)
            )
    letter = queries.saved_letter(session, access.evaluation, vendor)
    message = (
        message_of(session, access.evaluation, letter.message_id)
        if letter is not None and letter.message_id
        else None
    )
    page = render_template(
        "letters/edit.html",
        access=access,
        evaluation=access.evaluation,
        vendor=vendor,
        letter=letter,
        form=form,
        button=ButtonForm(),
        document=_document(access, vendor, letter),
        message=message,
        mail_status=MailStatus(message.status).label if message is not None else "",
    )
    return (page, 400) if form.errors else page


@bp.route("/<int:vendor_id>/letter.pdf")
@login_required
def pdf(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = _access(evaluation_id)
    vendor = a.vendor_of(access, vendor_id)
    letter = queries.saved_letter(db_session(), access.evaluation, vendor)
    document = _document(access, vendor, letter)
    response = Response(build_letter_pdf(document), mimetype="application/pdf")
    kind = "award" if document.is_award else "debrief"
    response.headers["Content-Disposition"] = f'inline; filename="{kind}-letter-{vendor.id}.pdf"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/<int:vendor_id>/redraft", methods=["POST"])
@login_required
def redraft(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = _access(evaluation_id)
    vendor = a.vendor_of(access, vendor_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    done = commit(lambda: ops.redraft(db_session(), access.evaluation, vendor, access.user))
    if done.value is not None:
        flash(f"The letter to {vendor.name} is back to the draft drawn from the result.", "success")
    return redirect(url_for("letters.edit", evaluation_id=evaluation_id, vendor_id=vendor_id))


@bp.route("/<int:vendor_id>/send", methods=["POST"])
@login_required
def send(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = _access(evaluation_id)
    vendor = a.vendor_of(access, vendor_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    commit(lambda: ops.send_letter(db_session(), access.evaluation, vendor, access.user))
    flash(f"The letter to {vendor.name} is queued to {vendor.contact_email}.", "success")
    return redirect(url_for("letters.index", evaluation_id=evaluation_id))
