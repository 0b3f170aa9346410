"""Forms of the vendors blueprint: a vendor's details, and the response the lead types
in: a form class built for the evaluation's questions, with a field per question (two
for a knockout: the answer and its evidence) beside the pricing."""

from __future__ import annotations

from collections.abc import Sequence

from wtforms import (
    BooleanField,
    EmailField,
    FloatField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
)

from rfp import models as m
from rfp.areas.vendors.operations import AnswerInput, PricingInput, VendorDetails
from rfp.core.forms import (
    CheckedForm,
    VersionField,
    Within,
    price_rows,
    rate_lines_field,
    volume_tiers_field,
)
from rfp.core.operations import number_or_int
from rfp.domain.scoring.benchmarks import RATE_RANGES
from rfp.domain.vocabulary import (
    AmendedField,
    AnswerType,
    DeliveryModel,
    PricingModel,
    QuestionKind,
    ResponseStatus,
)
from rfp.scenario.pricing import lines_to_text, tiers_to_text

DELIVERY_CHOICES = [SelectChoice("", "— not stated")] + [
    SelectChoice(
        model.value,
        f"{model.label} (seeds: ${RATE_RANGES[model][0]:g}–{RATE_RANGES[model][1]:g} "
        "per agent-hour)",
    )
    for model in DeliveryModel
]
PRICING_CHOICES = [SelectChoice("", "— no price yet")] + [
    SelectChoice(model.value, model.label[:1].upper() + model.label[1:]) for model in PricingModel
]
INFO_HELP = "Info: asked of the vendor, not scored."
KNOCKOUT_CHOICES = [
    SelectChoice("", "Unanswered"),
    SelectChoice("yes", "Yes: meets it"),
    SelectChoice("no", "No: fails it"),
]


class ReasonForm(CheckedForm):
    reason = TextAreaField("Reason", validators=[Length(max=5000)])


class VendorForm(CheckedForm):
    version = VersionField()  # rfp.core.versions
    name = StringField("Vendor name", validators=[DataRequired(), Length(max=200)])
    delivery_model = SelectField("Delivery model", choices=DELIVERY_CHOICES, default="")
    country = StringField("Country", validators=[Length(max=80)])
    contact_name = StringField("Contact name", validators=[Length(max=200)])
    contact_email = EmailField(
        "Contact e-mail",
        validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
    )
    notes = TextAreaField("Notes", validators=[Length(max=20000)])

    def details(self) -> VendorDetails:
        return VendorDetails(
            name=self.name.data or "",
            delivery_model=self.delivery_model.data or None,
            country=self.country.data or "",
            contact_name=self.contact_name.data or "",
            contact_email=self.contact_email.data or "",
            notes=self.notes.data or "",
        )


def vendor_form(vendor: m.Vendor | None = None, *, current: bool = False) -> VendorForm:
    """The details form, filled with the vendor's (an unstated model shows as such).
    `current`: with the stored values even on a POST (after a stale form's refusal)."""
    form = VendorForm(formdata=None, obj=vendor) if current else VendorForm(obj=vendor)
    if vendor is not None and (current or not form.is_submitted()):
        form.delivery_model.data = vendor.delivery_model or ""
    return form


def _money(label: str, bound: str, description: str = "") -> FloatField:
    return FloatField(
        label,
        validators=[Optional(), NumberRange(min=0, message="Must be a number ≥ 0."), Within(bound)],
        description=description,
    )


class ResponseForm(CheckedForm):
    """The pricing part of a response; `response_form_class` adds the questions."""

    pricing_model = SelectField("Pricing model", choices=PRICING_CHOICES, default="")
    rate = _money("Rate (USD)", "rate", "Per agent-hour, per contact or per FTE-month, as quoted.")
    setup_fee = _money(
        "Setup fee (USD)", "setup_fee", "One-off: transition, training, integration."
    )
    monthly_fee = _money(
        "Monthly fee (USD)", "monthly_fee", "Fixed, on top of the charges: management, tools."
    )
    rate_lines = rate_lines_field()
    volume_tiers = volume_tiers_field()
    complete = BooleanField("The response has been received in full")
    reason = TextAreaField("Reason for the change", validators=[Length(max=5000)])

    questions: Sequence[m.Question] = ()

    def answers(self, stored: dict[int, m.Answer]) -> dict[int, AnswerInput]:
        """What the form says, keeping the parts of a stored answer it has no field for
        (an imported text beside a knockout, say)."""
        out = {}
        for q in self.questions:
            kept = stored.get(q.id)
            text = kept.text if kept else ""
            number = kept.number if kept else None
            if q.kind == QuestionKind.KNOCKOUT:
                value = self[f"knockout_{q.id}"].data
                out[q.id] = AnswerInput(
                    text=text,
                    number=number,
                    knockout_pass=None if not value else value == "yes",
                    evidence=self[f"evidence_{q.id}"].data or "",
                )
            elif q.answer_type == AnswerType.NUMBER:
                out[q.id] = AnswerInput(text=text, number=self[f"number_{q.id}"].data)
            else:
                out[q.id] = AnswerInput(text=self[f"answer_{q.id}"].data or "", number=number)
        return out

    def pricing(self) -> PricingInput:
        lines, tiers = price_rows(self)
        return PricingInput(
            model=self.pricing_model.data or None,
            rate=self.rate.data,
            setup_fee=self.setup_fee.data,
            monthly_fee=self.monthly_fee.data,
            lines=lines,
            tiers=tiers,
        )


def response_form_class(questions: Sequence[m.Question]) -> type[ResponseForm]:
    """A ResponseForm with the fields of these questions: `knockout_<id>` and
    `evidence_<id>` for a knockout, `number_<id>` for a number, else `answer_<id>`."""

    class Form(ResponseForm):
        pass

    Form.questions = tuple(questions)
    for q in questions:
        if q.kind == QuestionKind.KNOCKOUT:
            setattr(Form, f"knockout_{q.id}", SelectField(q.text, choices=KNOCKOUT_CHOICES))
            evidence = TextAreaField("Evidence", validators=[Length(max=20000)])
            setattr(Form, f"evidence_{q.id}", evidence)
        elif q.answer_type == AnswerType.NUMBER:
            setattr(Form, f"number_{q.id}", FloatField(q.text, validators=[Optional()]))
        else:
            help_text = INFO_HELP if q.kind == QuestionKind.INFO else q.guidance
            answer = TextAreaField(q.text, [Length(max=20000)], description=help_text)
            setattr(Form, f"answer_{q.id}", answer)
    return Form


def _stored_data(
    questions: Sequence[m.Question], answers: dict[int, m.Answer], response: m.VendorResponse | None
) -> dict[str, object]:
    """The stored response as the form's data."""
    data: dict[str, object] = {}
    for q in questions:
        answer = answers.get(q.id)
        if q.kind == QuestionKind.KNOCKOUT:
            passed = None if answer is None else answer.knockout_pass
            data[f"knockout_{q.id}"] = "" if passed is None else ("yes" if passed else "no")
            data[f"evidence_{q.id}"] = answer.evidence if answer else ""
        elif q.answer_type == AnswerType.NUMBER:
            data[f"number_{q.id}"] = number_or_int(answer.number) if answer else None
        else:
            data[f"answer_{q.id}"] = answer.text if answer else ""
    if response is not None:
        data.update(
            pricing_model=response.pricing_model or "",
            rate=number_or_int(response.rate),
            setup_fee=number_or_int(response.setup_fee),
            monthly_fee=number_or_int(response.monthly_fee),
            rate_lines=lines_to_text(response.rate_lines),
            volume_tiers=tiers_to_text(response.volume_tiers),
            complete=response.status == ResponseStatus.SUBMITTED,
        )
    return data


def response_form(
    questions: Sequence[m.Question], answers: dict[int, m.Answer], response: m.VendorResponse | None
) -> ResponseForm:
    """The response form for these questions, filled with what is stored."""
    return response_form_class(questions)(data=_stored_data(questions, answers, response))


# -- amendments ---------------------------------------------------------------------------

KNOCKOUT_AMENDMENTS = [
    SelectChoice("pass", "Pass: meets it"),
    SelectChoice("fail", "Fail: does not"),
]


class AmendmentForm(CheckedForm):
    """One amendment of a frozen response; `amendment_form_class` adds the `new` value's
    field, of the type the amended field takes."""

    reason = TextAreaField(
        "Reason",
        validators=[DataRequired(message="Give the reason for the amendment."), Length(max=5000)],
        description="Shown beside the amendment wherever the result is shown, and kept in "
        "the audit trail: the evidence (a written confirmation, a certificate) and who "
        "gave it.",
    )
    confirm = BooleanField(
        "I understand that this is the lead's amendment, the exception: it is shown as "
        "one on the results, in the JSON, the workbook and the PDF",
        validators=[DataRequired(message="Confirm the amendment.")],
    )
    field: AmendedField = AmendedField.RATE

    def value(self) -> object:
        """The new value as the operation takes it."""
        data = self["new"].data
        if self.field is AmendedField.KNOCKOUT:
            return None if not data else data == "pass"
        return data


def amendment_form_class(field: AmendedField) -> type[AmendmentForm]:
    """An AmendmentForm whose `new` field takes this field's value."""

    class Form(AmendmentForm):
        pass

    Form.field = field
    new: object
    if field is AmendedField.PRICING_MODEL:
        new = SelectField("New pricing model", choices=PRICING_CHOICES[1:])
    elif field is AmendedField.KNOCKOUT:
        new = SelectField("New answer", choices=KNOCKOUT_AMENDMENTS)
    elif field is AmendedField.ANSWER:
        new = TextAreaField("New answer", validators=[Length(max=20000)])
    elif field is AmendedField.NUMBER:
        new = FloatField("New number", validators=[Optional()])
    else:
        new = _money(f"New {field.label.lower()} (USD)", field.value)
    Form.new = new  # type: ignore[attr-defined]
    return Form
