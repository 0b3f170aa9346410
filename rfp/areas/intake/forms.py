"""The intake forms: the lead's buttons and upload, and the vendor's response form.

The portal's response form has one field per question, built for the evaluation at hand
by `response_form(questions)` (as indico builds its review forms): `answer_<key>` for a
question, `knockout_<key>` and `evidence_<key>` for a knockout, and the pricing fields.
`content()` turns the validated form into the plain ResponseContent the operations take;
`prefill(content)` does the reverse to show a saved response again.
"""

from __future__ import annotations

import math
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FloatField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import NumberInput

from rfp.areas.intake.content import (
    MAX_NUMBER,
    MAX_TEXT_LENGTH,
    Pricing,
    QuestionSpec,
    ResponseContent,
    clean_text,
)
from rfp.core.forms import CheckedForm, Within, price_rows, rate_lines_field, volume_tiers_field
from rfp.domain.vocabulary import PricingModel
from rfp.scenario.pricing import lines_to_text, tiers_to_text

YES, NO = "yes", "no"  # a knockout's answer on the form
SUBMIT = "submit"  # the `action` of the response form's submit button (else "save")


class ActionForm(CheckedForm):
    """A button that changes state: CSRF only, with an optional reason."""

    reason = StringField("Reason", validators=[Optional(), Length(max=500)])


class QuestionnaireUploadForm(CheckedForm):
    workbook = FileField(
        "Filled questionnaire (.xlsx)",
        validators=[FileRequired("Choose the filled questionnaire (.xlsx) to upload.")],
    )


class UploadForm(QuestionnaireUploadForm):
    """The lead's upload of a questionnaire the vendor sent by e-mail."""

    received = BooleanField("Mark the response as received (submitted)", default=True)


class NumberField(FloatField):
    """A float with a message a vendor understands; NaN and infinities refused."""

    widget = NumberInput(step="any")

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            value = float(str(valuelist[0]).strip())
        except ValueError:
            self.data = None
            raise ValueError("Must be a number.") from None
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            self.data = None
            raise ValueError("Must be a finite number.")
        self.data = value

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        if self.data is None:
            return ""
        # 25000 rather than 25000.0; repr keeps every digit of 16.55.
        return str(int(self.data)) if float(self.data).is_integer() else repr(float(self.data))


def _at_least_zero(form: FlaskForm, field: NumberField) -> None:
    if field.data is not None and field.data < 0:
        raise ValidationError("Must be 0 or more.")


def _yes_no(form: FlaskForm, field: RadioField) -> None:
    if field.data not in (None, "", YES, NO):
        raise ValidationError("Choose yes or no.")


class PortalResponseForm(CheckedForm):
    """The pricing and the submission; `response_form` adds a field per question."""

    pricing_model = SelectField(
        "Pricing model",
        choices=[SelectChoice("", "— choose —")]
        + [SelectChoice(value, label) for value, label in PricingModel.choices()],
        validators=[Optional()],
    )
    rate = NumberField("Rate (USD)", validators=[Optional(), _at_least_zero, Within("rate")])
    setup_fee = NumberField(
        "Setup fee (USD, once)", validators=[Optional(), _at_least_zero, Within("setup_fee")]
    )
    monthly_fee = NumberField(
        "Monthly fee (USD)", validators=[Optional(), _at_least_zero, Within("monthly_fee")]
    )
    rate_lines = rate_lines_field()
    volume_tiers = volume_tiers_field()
    confirm = BooleanField(
        "I confirm this response is complete and final. Once submitted it cannot be "
        "changed unless the procurement lead reopens it."
    )
    action = HiddenField()  # which button was pressed: "save" or "submit"

    questions: tuple[QuestionSpec, ...] = ()

    @property
    def submitting(self) -> bool:
        return self.action.data == SUBMIT

    def validate_confirm(self, field: BooleanField) -> None:
        if self.submitting and not field.data:
            raise ValidationError("Tick the confirmation to submit.")

    def answer_field(self, q: QuestionSpec) -> Any:
        return self[f"answer_{q.key}"]

    def knockout_field(self, q: QuestionSpec) -> Any:
        return self[f"knockout_{q.key}"]

    def evidence_field(self, q: QuestionSpec) -> Any:
        return self[f"evidence_{q.key}"]

    @classmethod
    def prefill(cls, content: ResponseContent) -> dict[str, Any]:
        """The form's data for a saved response."""
        data: dict[str, Any] = {
            "pricing_model": content.pricing.model or "",
            "rate": content.pricing.rate,
            "setup_fee": content.pricing.setup_fee,
            "monthly_fee": content.pricing.monthly_fee,
            "rate_lines": lines_to_text(content.pricing.lines),
            "volume_tiers": tiers_to_text(content.pricing.tiers),
        }
        for q in cls.questions:
            if q.is_knockout:
                passed = content.knockouts.get(q.key)
                data[f"knockout_{q.key}"] = None if passed is None else (YES if passed else NO)
                data[f"evidence_{q.key}"] = content.evidence.get(q.key, "")
            elif q.is_number:
                data[f"answer_{q.key}"] = content.numbers.get(q.key)
            else:
                data[f"answer_{q.key}"] = content.answers.get(q.key, "")
        return data

    def content(self) -> ResponseContent:
        """The response in a validated form; blank answers are left out."""
        answers: dict[str, str] = {}
        numbers: dict[str, float] = {}
        knockouts: dict[str, bool] = {}
        evidence: dict[str, str] = {}
        for q in self.questions:
            if q.is_knockout:
                value = self.knockout_field(q).data
                if value in (YES, NO):
                    knockouts[q.key] = value == YES
                note = clean_text(self.evidence_field(q).data or "")
                if note.strip():
                    evidence[q.key] = note
            elif q.is_number:
                if self.answer_field(q).data is not None:
                    numbers[q.key] = float(self.answer_field(q).data)
            else:
                text = clean_text(self.answer_field(q).data or "")
                if text.strip():
                    answers[q.key] = text
        model = self.pricing_model.data
        lines, tiers = price_rows(self)
        return ResponseContent(
            answers=answers,
            numbers=numbers,
            knockouts=knockouts,
            evidence=evidence,
            pricing=Pricing(
                model=PricingModel(model) if model else None,
                rate=self.rate.data,
                setup_fee=self.setup_fee.data,
                monthly_fee=self.monthly_fee.data,
                lines=lines,
                tiers=tiers,
            ),
        )


def response_form(questions: tuple[QuestionSpec, ...]) -> type[PortalResponseForm]:
    """The response form of these questions: a field per question (two per knockout)."""
    attrs: dict[str, Any] = {"questions": questions}
    too_long = Length(max=MAX_TEXT_LENGTH, message=f"At most {MAX_TEXT_LENGTH:,} characters.")
    for q in questions:
        if q.is_knockout:
            attrs[f"knockout_{q.key}"] = RadioField(
                q.text,
                choices=[SelectChoice(YES, "Yes"), SelectChoice(NO, "No")],
                validate_choice=False,
                validators=[_yes_no],
            )
            attrs[f"evidence_{q.key}"] = TextAreaField(
                "Evidence", validators=[Optional(), too_long]
            )
        elif q.is_number:
            attrs[f"answer_{q.key}"] = NumberField(q.text, validators=[Optional()])
        else:
            attrs[f"answer_{q.key}"] = TextAreaField(q.text, validators=[Optional(), too_long])
    return type("PortalResponseFormOfQuestions", (PortalResponseForm,), attrs)
