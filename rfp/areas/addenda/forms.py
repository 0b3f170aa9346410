"""The lead's addendum form, and the vendor's acknowledgement button."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

from flask_wtf.file import FileField
from wtforms import DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from rfp import models as m
from rfp.areas.addenda.operations import MAX_BODY, AddendumDetails
from rfp.core.forms import CheckedForm, options


class AcknowledgeForm(CheckedForm):
    """The vendor's "I have read it" button: the CSRF token only."""


class AddendumForm(CheckedForm):
    title = StringField(
        "Title",
        validators=[DataRequired("Give the addendum a title."), Length(max=200)],
        description="What vendors see first, e.g. “Deadline extended by a week”.",
    )
    body = TextAreaField(
        "What changes, and why",
        validators=[Optional(), Length(max=MAX_BODY)],
        description="The change to the RFP, in the words vendors read.",
    )
    deadline = DateTimeLocalField(
        "New response deadline (UTC)",
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        tz=UTC,
        description="Leave empty to keep the deadline. Every vendor link follows it.",
    )
    question_id = SelectField("Reword a question", choices=[], default="")
    question_text = TextAreaField(
        "The question's new text", validators=[Optional(), Length(max=MAX_BODY)]
    )
    file = FileField("Publish a file with it (optional)")

    def set_questions(self, questions: Sequence[m.Question]) -> AddendumForm:
        self.question_id.choices = options(
            [("", "— no question changes")] + [(str(q.id), q.text[:120]) for q in questions]
        )
        return self

    def details(self, file: tuple[bytes, str] | None) -> AddendumDetails:
        chosen = self.question_id.data
        return AddendumDetails(
            title=self.title.data or "",
            body=self.body.data or "",
            deadline=self.deadline.data,
            question_id=int(chosen) if chosen and chosen.isdigit() else None,
            question_text=self.question_text.data or "",
            file=file,
        )
