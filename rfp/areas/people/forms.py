"""The people forms: adding a person (an existing account, or a new one invited by
e-mail to set its own password), an evaluator's criteria, and the reason given for
taking someone off or reopening a scorecard."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wtforms import (
    EmailField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional

from rfp import models as m
from rfp.core.forms import CheckboxesField, CheckedForm
from rfp.domain.vocabulary import Role

ROLE_CHOICES = [
    SelectChoice(Role.EVALUATOR, "Evaluator: scores the vendors and records reference calls"),
    SelectChoice(Role.VIEWER, "Viewer: reads the results and downloads the reports (leadership)"),
    SelectChoice(Role.LEAD, "Lead: runs the evaluation with you"),
]
EXISTING, NEW = "existing", "new"


class ReasonForm(CheckedForm):
    reason = TextAreaField("Reason", validators=[Length(max=5000)])


class PendingForm(CheckedForm):
    """Confirm or dismiss someone a scenario import named."""

    pending_id = IntegerField("Person", validators=[InputRequired()])
    action = SelectField(
        "Action",
        choices=[SelectChoice("confirm", "Confirm and invite"), SelectChoice("dismiss", "Dismiss")],
        validate_choice=True,
    )


class LimitsForm(CheckedForm):
    criteria = CheckboxesField(
        "Limit to these criteria",
        coerce=int,
        description="Leave all unticked to have them score every scored criterion.",
    )

    def offer(self, criteria: Sequence[m.Criterion]) -> None:
        """The scored criteria an evaluator may be limited to."""
        self.criteria.choices = [SelectChoice(c.id, c.name) for c in criteria]

    def chosen(self, criteria: Sequence[m.Criterion]) -> list[m.Criterion]:
        wanted = set(self.criteria.data or [])
        return [c for c in criteria if c.id in wanted]


class AddMemberForm(LimitsForm):
    role = RadioField("Role", choices=ROLE_CHOICES, default=Role.EVALUATOR)
    account = RadioField(
        "Account",
        choices=[
            SelectChoice(EXISTING, "An existing account"),
            SelectChoice(NEW, "Someone new: invite them by e-mail"),
        ],
        default=EXISTING,
    )
    user_id = SelectField("Person", coerce=int, validate_choice=False)
    name = StringField("Full name", validators=[Optional(), Length(max=200)])
    email = EmailField(
        "E-mail",
        validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
        description="They get an invitation here, with a link to set their own password.",
    )
    username = StringField(
        "Username (optional)",
        validators=[Optional(), Length(max=80)],
        description="Leave empty to use the part of the e-mail address before the @.",
    )

    def offer_people(self, people: Sequence[m.User]) -> None:
        """The accounts that may be added: active ones not taking part yet."""
        self.user_id.choices = [SelectChoice(0, "— choose —")] + [
            SelectChoice(u.id, f"{u.name} ({u.username})") for u in people
        ]

    @property
    def existing_account(self) -> bool:
        return self.account.data == EXISTING

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.existing_account:
            if not self.user_id.data:
                self.user_id.errors.append("Choose a person.")
                ok = False
        else:
            for field in (self.name, self.email):
                if not (field.data or "").strip():
                    field.errors.append("Required to invite someone new.")
                    ok = False
        if self.role.data != Role.EVALUATOR and self.criteria.data:
            self.criteria.errors.append("Only evaluators are limited to some criteria.")
            ok = False
        return ok
