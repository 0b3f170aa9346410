"""Forms of the vendors blueprint: a vendor's details, and the response the lead types
in (one field per question, built for the evaluation's questions)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, FloatField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from rfp import models as m
from rfp.areas.evaluations.forms import options
from rfp.areas.vendors.operations import AnswerInput, PricingInput
from rfp.core.operations import number_or_int
from rfp.domain.scoring.benchmarks import RATE_RANGES

DELIVERY_CHOICES = [("", "— not stated")] + [
    (model, f"{model.capitalize()} (seeds: ${lo:g}–{hi:g} per agent-hour)")
    for model, (lo, hi) in RATE_RANGES.items()
]
PRICING_CHOICES = [
    ("", "— no price yet"),
    ("per_hour", "Per agent-hour"),
    ("per_contact", "Per contact handled"),
    ("per_fte_month", "Per FTE-month"),
]
KNOCKOUT_CHOICES = [("", "Unanswered"), ("yes", "Yes: meets it"), ("no", "No: fails it")]


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[Length(max=5000)])


class VendorForm(FlaskForm):
    name = StringField("Vendor name", validators=[DataRequired(), Length(max=200)])
    delivery_model = SelectField("Delivery model", choices=options(DELIVERY_CHOICES), default="")
    country = StringField("Country", validators=[Length(max=80)])
    contact_name = StringField("Contact name", validators=[Length(max=200)])
    contact_email = EmailField(
        "Contact e-mail",
        validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
    )
    notes = TextAreaField("Notes", validators=[Length(max=20000)])


def _money(label: str, description: str = "") -> FloatField:
    return FloatField(
        label,
        validators=[Optional(), NumberRange(min=0, message="Must be a number ≥ 0.")],
        description=description,
    )


class ResponseForm(FlaskForm):
    pricing_model = SelectField("Pricing model", choices=options(PRICING_CHOICES), default="")
    rate = _money("Rate (USD)", "Per agent-hour, per contact or per FTE-month, as quoted.")
    setup_fee = _money("Setup fee (USD)", "One-off: transition, training, integration.")
    monthly_fee = _money("Monthly fee (USD)", "Fixed, on top of the charges: management, tools.")
    complete = BooleanField("The response has been received in full")
    reason = TextAreaField("Reason for the change", validators=[Length(max=5000)])


def response_form(
    questions: Sequence[m.Question], answers: dict[int, m.Answer], response: m.VendorResponse | None
) -> ResponseForm:
    """A ResponseForm with fields for each question, filled with what is stored."""

    class Form(ResponseForm):
        pass

    data: dict[str, object] = {}
    for q in questions:
        answer = answers.get(q.id)
        if q.kind == "knockout":
            setattr(
                Form,
                f"knockout_{q.id}",
                SelectField(q.text, choices=options(KNOCKOUT_CHOICES), default=""),
            )
            setattr(
                Form, f"evidence_{q.id}", TextAreaField("Evidence", validators=[Length(max=20000)])
            )
            passed = None if answer is None else answer.knockout_pass
            data[f"knockout_{q.id}"] = "" if passed is None else ("yes" if passed else "no")
            data[f"evidence_{q.id}"] = answer.evidence if answer else ""
        elif q.answer_type == "number":
            setattr(Form, f"number_{q.id}", FloatField(q.text, validators=[Optional()]))
            data[f"number_{q.id}"] = number_or_int(answer.number) if answer else None
        else:
            setattr(Form, f"answer_{q.id}", TextAreaField(q.text, validators=[Length(max=20000)]))
            data[f"answer_{q.id}"] = answer.text if answer else ""
    if response is not None:
        data.update(
            pricing_model=response.pricing_model or "",
            rate=number_or_int(response.rate),
            setup_fee=number_or_int(response.setup_fee),
            monthly_fee=number_or_int(response.monthly_fee),
            complete=response.status == "submitted",
        )
    return Form(data=data)


def answers_of(
    form: ResponseForm, questions: Sequence[m.Question], stored: dict[int, m.Answer]
) -> dict[int, AnswerInput]:
    """What the form says, keeping the parts of a stored answer it has no field for
    (an imported text beside a knockout, say)."""
    out = {}
    for q in questions:
        kept = stored.get(q.id)
        text = kept.text if kept else ""
        number = kept.number if kept else None
        if q.kind == "knockout":
            value = getattr(form, f"knockout_{q.id}").data
            out[q.id] = AnswerInput(
                text=text,
                number=number,
                knockout_pass=None if not value else value == "yes",
                evidence=getattr(form, f"evidence_{q.id}").data or "",
            )
        elif q.answer_type == "number":
            out[q.id] = AnswerInput(text=text, number=getattr(form, f"number_{q.id}").data)
        else:
            out[q.id] = AnswerInput(text=getattr(form, f"answer_{q.id}").data or "", number=number)
    return out


def pricing_of_form(form: ResponseForm) -> PricingInput:
    return PricingInput(
        model=form.pricing_model.data or None,
        rate=form.rate.data,
        setup_fee=form.setup_fee.data,
        monthly_fee=form.monthly_fee.data,
    )
