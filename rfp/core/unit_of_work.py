"""A refused set-up change shown on its form.

The operations raise `SetupError(field, message)` before writing anything they refuse;
the view rolls back the unit of work and puts the message under the field it names, or
above the form when the form has no such field.
"""

from __future__ import annotations

from flask_wtf import FlaskForm

from rfp.core.extensions import db_session
from rfp.core.operations import SetupError


def show_refusal(form: FlaskForm, exc: SetupError, *names: str) -> None:
    """Roll back and show `exc` on `form`: under the first of `names` the form has
    (default: the field the error names), else among the form's own errors."""
    db_session().rollback()
    field = next(
        (f for f in (getattr(form, n, None) for n in names or (exc.field,)) if f is not None),
        None,
    )
    (field.errors if field is not None else form.form_errors).append(exc.message)
