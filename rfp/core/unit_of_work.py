"""The request protocol: run an operation, commit once, or roll back and show why.

A view loads, checks access, validates its form, then hands the change to `commit`:

    done = commit(lambda: ops.add_vendor(session, evaluation, user, details), form)
    if done:
        flash(f"{done.value.name} added.")
        return redirect(...)
    return render_template(..., form=form)   # the refusal is on the form

The operation flushes and never commits; `commit` commits the request's session once
when it returns. When it raises `Refused`, everything it flushed is rolled back and the
message goes under the form field the refusal names (or above the form); forbidden and
not-found refusals answer 403 and 404 instead, as they are not the form's business.
Without a form, a refusal is answered by `register_refusal_handler`'s handler, which is
the one place where `Refused.kind` becomes an HTTP status (400, 403, 404, 409).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import Flask, abort
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from rfp.core.extensions import db_session
from rfp.core.refusal import FORBIDDEN, NOT_FOUND, Refused

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What `commit` did: true when committed (`value` is what the operation returned),
    false when refused (`refused` says why; it is shown on the form already)."""

    value: T | None = None
    refused: Refused | None = None

    def __bool__(self) -> bool:
        return self.refused is None


def commit(
    operation: Callable[[], T],
    form: FlaskForm | None = None,
    *,
    fields: Sequence[str] = (),
) -> Outcome[T]:
    """Run `operation`, then commit the request's session once; on `Refused`, roll back
    and put the message on `form` (under the first of `fields` the form has, by default
    the field the refusal names). Without a form the refusal propagates to the app's
    handler."""
    session = db_session()
    try:
        value = operation()
    except Refused as refused:
        session.rollback()
        if form is None or refused.kind in (FORBIDDEN, NOT_FOUND):
            raise
        show_on_form(form, refused, fields)
        return Outcome(refused=refused)
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return Outcome(value=value)


def show_on_form(form: FlaskForm, refused: Refused, fields: Sequence[str] = ()) -> None:
    """Each message of `refused` under the field it names (or the first of `fields` the
    form has), else among the form's own errors."""
    for part in refused.refusals:
        names = list(fields) or [part.field]
        field = next((f for f in (getattr(form, n, None) for n in names if n) if f), None)
        errors: Any = field.errors if field is not None else form.form_errors
        if isinstance(errors, tuple):  # WTForms leaves a tuple before validation
            errors = list(errors)
            field.errors = errors  # type: ignore[union-attr]
        errors.append(part.message)


def register_refusal_handler(app: Flask) -> None:
    """A refusal no view caught: roll back and answer its status with its message."""
    from rfp.core.errors import render_error

    def handle(refused: Refused) -> ResponseReturnValue:
        db_session().rollback()
        return render_error(refused.status, refused.message)

    app.register_error_handler(Refused, handle)


def refuse_http(refused: Refused) -> None:
    """Answer a refusal as an HTTP error now (for views that check before a form)."""
    abort(refused.status, description=refused.message)


def show_refusal(form: FlaskForm, exc: Refused, *names: str) -> None:
    """Roll back and show `exc` on `form` (for views not yet on `commit`)."""
    db_session().rollback()
    show_on_form(form, exc, names)
