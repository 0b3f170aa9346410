"""The scorecards' forms, generated per evaluation as indico generates its review forms:
a score and a justification per question, a declaration and a note per vendor.

The fields keep the names the pages and scorecard.js use (`score-<question id>`,
`comment-<question id>`, `conflict-<vendor id>`, `note-<vendor id>`). The operations
check the values, with messages that name the question or the vendor; a refusal about
one of them is shown under its fields as well as above the form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from wtforms import Field, HiddenField, RadioField, SelectChoice, StringField, TextAreaField

from rfp import models as m
from rfp.core.forms import CheckedForm
from rfp.core.refusal import Refused


def _append(field: Field, message: str) -> None:
    field.errors = [*field.errors, message]


class ScorecardForm(CheckedForm):
    """One vendor's scorecard without JavaScript: every question at once (a base class;
    `scorecard_form` adds the fields of an evaluation's questions)."""

    then = HiddenField()  # "next": save, then open the next vendor
    next_vendor = HiddenField()

    question_ids: ClassVar[tuple[int, ...]] = ()

    def score_of(self, question_id: int) -> Field:
        return self[f"score_{question_id}"]

    def comment_of(self, question_id: int) -> Field:
        return self[f"comment_{question_id}"]

    def posted(self) -> dict[int, tuple[Any, str]]:
        """Question id -> (raw score or None, comment) for the questions the form sent
        (a radio group with no choice sends nothing; its comment box always does)."""
        out: dict[int, tuple[Any, str]] = {}
        for question_id in self.question_ids:
            score, comment = self.score_of(question_id), self.comment_of(question_id)
            if score.raw_data or comment.raw_data:
                out[question_id] = (
                    score.data if score.raw_data else None,
                    (comment.data or "").strip(),
                )
        return out

    def next_vendor_id(self) -> int | None:
        """The vendor to open after saving, when the evaluator asked to go on."""
        target = self.next_vendor.data or ""
        return int(target) if self.then.data == "next" and target.isdigit() else None

    def show_under_questions(self, refused: Refused) -> None:
        """Each refusal about a question under its field (its comment, else its score)."""
        for part in refused.refusals:
            if part.subject_id in self.question_ids:
                of = self.comment_of if part.field == "comment" else self.score_of
                _append(of(part.subject_id), part.message)

    def question_errors(self) -> dict[int, str]:
        """Question id -> the message shown under it."""
        out: dict[int, str] = {}
        for question_id in self.question_ids:
            errors = [*self.score_of(question_id).errors, *self.comment_of(question_id).errors]
            if errors:
                out[question_id] = errors[0]
        return out


def scorecard_form(question_ids: Sequence[int], points: Sequence[str]) -> type[ScorecardForm]:
    """The scorecard form of an evaluation: a score on the scale (`points`, as labels)
    and a justification for each question evaluators score. Every such question has its
    fields, not only those of the evaluator's criteria: a score sent for another one is
    refused by name rather than dropped."""
    fields: dict[str, Any] = {"question_ids": tuple(question_ids)}
    for question_id in question_ids:
        # validate_choice off: the operation checks the point, naming the question.
        fields[f"score_{question_id}"] = RadioField(
            choices=[SelectChoice(p) for p in points],
            validate_choice=False,
            name=f"score-{question_id}",
        )
        fields[f"comment_{question_id}"] = TextAreaField(name=f"comment-{question_id}")
    return type("EvaluationScorecardForm", (ScorecardForm,), fields)


# The declaration's two answers per vendor, as the form posts them.
CONFLICT, NO_CONFLICT = "yes", "no"
CONFLICT_CHOICES = [
    SelectChoice(NO_CONFLICT, "No conflict"),
    SelectChoice(CONFLICT, "Conflict of interest"),
]


class DeclarationForm(CheckedForm):
    """The conflict-of-interest declaration: conflict or none, and a note, per vendor (a
    base class; `declaration_form` adds the fields of an evaluation's vendors)."""

    vendor_ids: ClassVar[tuple[int, ...]] = ()

    def answer_of(self, vendor_id: int) -> Field:
        return self[f"conflict_{vendor_id}"]

    def note_of(self, vendor_id: int) -> Field:
        return self[f"note_{vendor_id}"]

    def choices(self) -> dict[int, tuple[bool | None, str]]:
        """Vendor id -> (conflict, note); None where the vendor has no answer."""
        answers = {CONFLICT: True, NO_CONFLICT: False}
        return {
            vendor_id: (
                answers.get(self.answer_of(vendor_id).data or ""),
                self.note_of(vendor_id).data or "",
            )
            for vendor_id in self.vendor_ids
        }

    def show_under_vendors(self, refused: Refused) -> None:
        for part in refused.refusals:
            if part.subject_id in self.vendor_ids:
                _append(self.answer_of(part.subject_id), part.message)

    def vendor_errors(self) -> dict[int, str]:
        """Vendor id -> the message shown beside its answer."""
        return {
            vendor_id: self.answer_of(vendor_id).errors[0]
            for vendor_id in self.vendor_ids
            if self.answer_of(vendor_id).errors
        }


def declaration_form(
    vendors: Sequence[m.Vendor], membership: m.Membership, *, prefill: bool
) -> DeclarationForm:
    """The declaration form for these vendors; with `prefill`, showing the evaluator's
    declaration as it stands (nothing is chosen before the first one)."""
    fields: dict[str, Any] = {"vendor_ids": tuple(v.id for v in vendors)}
    for v in vendors:
        fields[f"conflict_{v.id}"] = RadioField(
            choices=CONFLICT_CHOICES, validate_choice=False, name=f"conflict-{v.id}"
        )
        fields[f"note_{v.id}"] = StringField(name=f"note-{v.id}")
    form_class = type("EvaluationDeclarationForm", (DeclarationForm,), fields)
    data: dict[str, str] = {}
    if prefill and membership.coi_declared_at is not None:
        declared = {c.vendor_id: c for c in membership.conflicts}
        for v in vendors:
            conflict = declared.get(v.id)
            data[f"conflict_{v.id}"] = CONFLICT if conflict else NO_CONFLICT
            data[f"note_{v.id}"] = conflict.note if conflict else ""
    return form_class(data=data)


class SubmitForm(CheckedForm):
    """Submitting one's scores (a button: the refusal, if any, is flashed)."""
