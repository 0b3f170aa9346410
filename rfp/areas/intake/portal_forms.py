"""The vendor portal's forms: one field per question, built for the evaluation at hand.

Field names are `answer_<key>`, `knockout_<key>`, `evidence_<key>` and the pricing
fields; `content_from_form` turns a validated form into the plain ResponseContent the
operations take, and `form_data` does the reverse to prefill the page.
"""

from __future__ import annotations

import math
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FloatField,
    RadioField,
    SelectChoice,
    SelectField,
    TextAreaField,
)
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import NumberInput

from rfp.areas.intake.content import (
    MAX_NUMBER,
    MAX_TEXT_LENGTH,
    PRICING_MODEL_LABELS,
    PRICING_MODELS,
    Pricing,
    QuestionSpec,
    ResponseContent,
    clean_text,
)


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
    if field.data not in (None, "", "yes", "no"):
        raise ValidationError("Choose yes or no.")


class PortalResponseBase(FlaskForm):
    pricing_model = SelectField(
        "Pricing model",
        choices=[SelectChoice("", "— choose —")]
        + [SelectChoice(m, PRICING_MODEL_LABELS[m]) for m in PRICING_MODELS],
        validators=[Optional()],
    )
    rate = NumberField("Rate (USD)", validators=[Optional(), _at_least_zero])
    setup_fee = NumberField("Setup fee (USD, once)", validators=[Optional(), _at_least_zero])
    monthly_fee = NumberField("Monthly fee (USD)", validators=[Optional(), _at_least_zero])
    confirm = BooleanField(
        "I confirm this response is complete and final. Once submitted it cannot be "
        "changed unless the procurement lead reopens it."
    )

    questions: tuple[QuestionSpec, ...] = ()

    def wants_submit(self) -> bool:
        from flask import request

        return request.form.get("action") == "submit"

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.wants_submit() and not self.confirm.data:
            self.confirm.errors = [*self.confirm.errors, "Tick the confirmation to submit."]
            ok = False
        return ok

    def answer_field(self, q: QuestionSpec) -> Any:
        return self[f"answer_{q.key}"]

    def knockout_field(self, q: QuestionSpec) -> Any:
        return self[f"knockout_{q.key}"]

    def evidence_field(self, q: QuestionSpec) -> Any:
        return self[f"evidence_{q.key}"]


def response_form_class(questions: tuple[QuestionSpec, ...]) -> type[PortalResponseBase]:
    attrs: dict[str, Any] = {"questions": questions}
    too_long = Length(max=MAX_TEXT_LENGTH, message=f"At most {MAX_TEXT_LENGTH:,} characters.")
    for q in questions:
        if q.is_knockout:
            attrs[f"knockout_{q.key}"] = RadioField(
                q.text,
                choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
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
    return type("PortalResponseForm", (PortalResponseBase,), attrs)


def form_data(questions: tuple[QuestionSpec, ...], content: ResponseContent) -> dict[str, Any]:
    data: dict[str, Any] = {
        "pricing_model": content.pricing.model or "",
        "rate": content.pricing.rate,
        "setup_fee": content.pricing.setup_fee,
        "monthly_fee": content.pricing.monthly_fee,
    }
    for q in questions:
        if q.is_knockout:
            passed = content.knockouts.get(q.key)
            data[f"knockout_{q.key}"] = None if passed is None else ("yes" if passed else "no")
            data[f"evidence_{q.key}"] = content.evidence.get(q.key, "")
        elif q.is_number:
            data[f"answer_{q.key}"] = content.numbers.get(q.key)
        else:
            data[f"answer_{q.key}"] = content.answers.get(q.key, "")
    return data


def content_from_form(form: PortalResponseBase) -> ResponseContent:
    answers: dict[str, str] = {}
    numbers: dict[str, float] = {}
    knockouts: dict[str, bool] = {}
    evidence: dict[str, str] = {}
    for q in form.questions:
        if q.is_knockout:
            value = form.knockout_field(q).data
            if value in ("yes", "no"):
                knockouts[q.key] = value == "yes"
            note = clean_text(form.evidence_field(q).data or "")
            if note.strip():
                evidence[q.key] = note
        elif q.is_number:
            if form.answer_field(q).data is not None:
                numbers[q.key] = float(form.answer_field(q).data)
        else:
            text = clean_text(form.answer_field(q).data or "")
            if text.strip():
                answers[q.key] = text
    return ResponseContent(
        answers=answers,
        numbers=numbers,
        knockouts=knockouts,
        evidence=evidence,
        pricing=Pricing(
            model=form.pricing_model.data or None,
            rate=form.rate.data,
            setup_fee=form.setup_fee.data,
            monthly_fee=form.monthly_fee.data,
        ),
    )


class QuestionnaireUploadForm(FlaskForm):
    workbook = FileField(
        "Filled questionnaire (.xlsx)",
        validators=[FileRequired("Choose the filled questionnaire (.xlsx) to upload.")],
    )
