"""The vendor's question form and the lead's answer form."""

from __future__ import annotations

from collections.abc import Sequence

from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from rfp import models as m
from rfp.areas.clarifications.operations import MAX_ANSWER, MAX_QUESTION
from rfp.core.forms import CheckedForm, options

PUBLISH = "publish"  # the answer form's button that publishes (else: to the asker only)


class AskForm(CheckedForm):
    text = TextAreaField("Your question", validators=[Optional(), Length(max=MAX_QUESTION)])
    question_id = SelectField("About the question", choices=[], default="")

    def set_questions(self, questions: Sequence[tuple[int, str]]) -> AskForm:
        self.question_id.choices = options(
            [("", "— the RFP in general")] + [(str(qid), text[:120]) for qid, text in questions]
        )
        return self

    @property
    def chosen_question(self) -> int | None:
        chosen = self.question_id.data
        return int(chosen) if chosen and chosen.isdigit() else None


class AnswerForm(CheckedForm):
    public_text = TextAreaField(
        "The question as every vendor reads it",
        validators=[Optional(), Length(max=MAX_QUESTION)],
        description="Remove anything that names or identifies the vendor who asked.",
    )
    answer = TextAreaField("Answer", validators=[Optional(), Length(max=MAX_ANSWER)])
    action = HiddenField()  # which button: "publish" or "answer"

    @property
    def publishing(self) -> bool:
        return self.action.data == PUBLISH

    @classmethod
    def of(cls, clarification: m.Clarification) -> AnswerForm:
        return cls(
            formdata=None,
            data={
                "public_text": clarification.public_text or clarification.text,
                "answer": clarification.answer,
            },
            prefix=f"q{clarification.id}",
        )
