"""The document forms: a slot (the lead's), an upload (the lead's RFP document, a
vendor's file in a slot), and a bare button."""

from __future__ import annotations

import math
from collections.abc import Sequence

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, FloatField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from rfp import models as m
from rfp.areas.documents.operations import SlotDetails
from rfp.core.forms import CheckboxesField, CheckedForm, options
from rfp.domain.vocabulary import DocumentKind

MEGABYTE = 1024 * 1024
DEFAULT_KINDS = (DocumentKind.PDF.value,)


class ButtonForm(CheckedForm):
    """A button that changes state: the CSRF token only."""


class FileForm(CheckedForm):
    file = FileField("File", validators=[FileRequired("Choose a file to upload.")])


def _finite(form: FlaskForm, field: FloatField) -> None:
    if field.data is not None and not math.isfinite(field.data):
        raise ValidationError("Must be a number.")


class SlotForm(CheckedForm):
    name = StringField(
        "Document",
        validators=[DataRequired("Give the document a name."), Length(max=200)],
        description="What vendors upload, e.g. “SOC 2 Type II report”, “Proposal PDF”.",
    )
    description = TextAreaField(
        "What it must show",
        validators=[Optional(), Length(max=2000)],
        description="Shown to vendors beside the upload, e.g. “dated within 12 months”.",
    )
    required = BooleanField("Required: a vendor cannot submit without it")
    kinds = CheckboxesField(
        "Accepted types", choices=options(DocumentKind.choices()), default=DEFAULT_KINDS
    )
    max_megabytes = FloatField(
        "Largest file (MB)", validators=[DataRequired("Give a size in MB."), _finite], default=10
    )
    price_envelope = BooleanField(
        "Holds prices: under two envelopes, evaluators open it with the prices"
    )
    question_id = SelectField("Proves the knockout", choices=[], default="")

    def set_knockouts(self, knockouts: Sequence[m.Question]) -> SlotForm:
        self.question_id.choices = options(
            [("", "— none")] + [(str(q.id), q.text[:120]) for q in knockouts]
        )
        return self

    def details(self) -> SlotDetails:
        chosen = self.question_id.data
        return SlotDetails(
            name=self.name.data or "",
            description=self.description.data or "",
            required=bool(self.required.data),
            kinds=tuple(self.kinds.data or ()),
            # Capped before it becomes bytes (1e308 MB is no size); the operation says
            # what the installation's limit is.
            max_bytes=int(round(min(self.max_megabytes.data or 0, 1e6) * MEGABYTE)),
            price_envelope=bool(self.price_envelope.data),
            question_id=int(chosen) if chosen and chosen.isdigit() else None,
        )

    @classmethod
    def of(cls, slot: m.DocumentSlot) -> dict[str, object]:
        return {
            "name": slot.name,
            "description": slot.description,
            "required": slot.required,
            "kinds": list(slot.kinds),
            "max_megabytes": round(slot.max_bytes / MEGABYTE, 2),
            "price_envelope": slot.price_envelope,
            "question_id": str(slot.question_id) if slot.question_id else "",
        }
