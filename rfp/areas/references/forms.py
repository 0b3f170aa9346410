"""The reference-call form: every field DESIGN.md lists, the rating on the evaluation's
scale, the vendor among those the caller may see."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wtforms import DateField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from rfp import models as m
from rfp.areas.references.operations import ReferenceCallFields
from rfp.core.forms import CheckedForm
from rfp.core.scale import scale_of
from rfp.domain.vocabulary import SignAgain

YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]
SIMILAR = {"yes": True, "no": False}
YES_OR_NO: dict[bool | None, str] = {True: "yes", False: "no"}


class ReferenceCallForm(CheckedForm):
    vendor_id = SelectField("Vendor", validators=[InputRequired(message="Choose the vendor.")])
    company = StringField(
        "Reference company",
        validators=[InputRequired(message="Name the reference company."), Length(max=200)],
    )
    contact = StringField(
        "Contact",
        description="Name and role of the person you spoke to.",
        validators=[Length(max=200)],
    )
    call_date = DateField(
        "Date of the call", validators=[InputRequired(message="Give the date of the call.")]
    )
    # The choices are checked by the operation, whose messages name the field.
    similar_business = RadioField(
        "Is their business similar to ours?",
        choices=YES_NO,
        validate_choice=False,
        validators=[InputRequired(message="Answer whether their business is similar.")],
    )
    rating = RadioField(
        "Rating",
        validate_choice=False,
        validators=[InputRequired(message="Choose a rating on the scale.")],
    )
    would_sign_again = RadioField(
        "Would you sign this contract again?",
        choices=[SelectChoice(value, label) for value, label in SignAgain.choices()],
        validate_choice=False,
        validators=[InputRequired(message="Answer: would they sign this contract again?")],
    )
    surprised_negatively = TextAreaField(
        "What surprised you negatively?", validators=[Length(max=5000)]
    )
    do_differently = TextAreaField("What would you do differently?", validators=[Length(max=5000)])
    notes = TextAreaField("Notes", validators=[Length(max=5000)])

    def vendor(self, vendors: Sequence[m.Vendor]) -> m.Vendor | None:
        """The chosen vendor, if it is one of `vendors`."""
        chosen = self.vendor_id.data or ""
        return next((v for v in vendors if str(v.id) == chosen), None)

    def fields_for_operation(self) -> ReferenceCallFields:
        return ReferenceCallFields(
            company=self.company.data or "",
            contact=self.contact.data or "",
            call_date=self.call_date.data,
            similar_business=SIMILAR.get(self.similar_business.data or ""),
            rating=self.rating.data,
            would_sign_again=self.would_sign_again.data or "",
            surprised_negatively=self.surprised_negatively.data or "",
            do_differently=self.do_differently.data or "",
            notes=self.notes.data or "",
        )


def reference_call_form(
    evaluation: m.Evaluation,
    vendors: Sequence[m.Vendor],
    labels: Mapping[int, str],
    call: m.ReferenceCall | None = None,
    **kwargs: Any,
) -> ReferenceCallForm:
    """The form for these vendors (as the caller sees them) on the evaluation's scale;
    with `call`, showing that call as recorded."""
    if call is not None:
        kwargs.update(
            formdata=None,
            vendor_id=str(call.vendor_id),
            company=call.company,
            contact=call.contact,
            call_date=call.call_date,
            similar_business=YES_OR_NO.get(call.similar_business),
            rating=f"{call.rating:g}",
            would_sign_again=call.would_sign_again,
            surprised_negatively=call.surprised_negatively,
            do_differently=call.do_differently,
            notes=call.notes,
        )
    form = ReferenceCallForm(**kwargs)
    form.vendor_id.choices = [SelectChoice("", "Choose a vendor…")] + [
        SelectChoice(str(v.id), labels[v.id]) for v in vendors
    ]
    form.rating.choices = [SelectChoice(p.label) for p in scale_of(evaluation)]
    return form
