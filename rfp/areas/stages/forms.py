"""Forms of the stage page: the readiness checklist (a box per item of the seeds'
checklist), moving on, going back, and the award (a choice per ranked vendor)."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import Length

from rfp import models as m
from rfp.core.forms import CheckedForm
from rfp.domain.scoring import Result


class ReadinessForm(CheckedForm):
    """A box per item of the readiness checklist (added below, from the models' list)."""

    def readiness(self) -> dict[str, bool]:
        return {key: bool(self[key].data) for key in m.READINESS_ITEMS}


for _key, _text in m.READINESS_ITEMS.items():
    setattr(ReadinessForm, _key, BooleanField(_text))


# What a confirmation page posts back with the form's own fields.
CONFIRMED = "yes"


class Confirmable:
    """A form whose change the lead confirms on a second page (the `confirm` field)."""

    confirm: HiddenField

    @property
    def confirmed(self) -> bool:
        return self.confirm.data == CONFIRMED


class AdvanceForm(ReadinessForm, Confirmable):
    to = HiddenField()
    note = TextAreaField("Note for the audit trail (optional)", validators=[Length(max=5000)])
    confirm = HiddenField()


class BackForm(CheckedForm):
    reason = TextAreaField("Reason for going back", validators=[Length(max=5000)])


class DecideForm(CheckedForm, Confirmable):
    vendor_id = SelectField("Awarded vendor", coerce=int, validate_choice=False)
    rationale = TextAreaField("Rationale for the award", validators=[Length(max=20000)])
    override_reason = TextAreaField(
        "Why not the first-ranked vendor",
        validators=[Length(max=20000)],
        description="Required when the awarded vendor is not ranked first.",
    )
    open_items_reason = TextAreaField(
        "Why award with these items open",
        validators=[Length(max=20000)],
        description="Required while anything above is open; kept with the award.",
    )
    confirm = HiddenField()


def decide_form(result: Result | None, evaluation: m.Evaluation) -> DecideForm:
    """The award form: the qualified vendors in rank order, the first chosen."""
    form = DecideForm()
    if result is not None:
        ids = {v.key: v.id for v in evaluation.vendors}
        form.vendor_id.choices = [
            SelectChoice(
                ids[v.key],
                f"{v.rank}. {v.name} ({v.total:.1f}{'' if v.complete else ', provisional'})",
            )
            for v in result.ranked
        ]
        if not form.is_submitted() and result.ranked:
            form.vendor_id.data = ids[result.ranked[0].key]
    return form
