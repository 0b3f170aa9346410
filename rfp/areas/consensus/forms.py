"""The consensus forms: a consensus score with its rationale, its removal, and the
chooser that opens any (vendor, question) pair."""

from __future__ import annotations

from typing import Any

from wtforms import HiddenField, IntegerField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from rfp import models as m
from rfp.core.forms import CheckedForm
from rfp.core.scale import scale_of

REASON_MAX = 2000  # rfp.areas.consensus.operations.REMOVAL_REASON_MAX


class ConsensusForm(CheckedForm):
    # validate_choice off: the operation checks the point, with a message naming the scale.
    score = RadioField(
        "Consensus score",
        validate_choice=False,
        validators=[InputRequired(message="Choose a consensus score.")],
    )
    rationale = TextAreaField(
        "Rationale",
        description="Why the panel agreed on this score; it goes into the audit trail.",
        validators=[
            InputRequired(message="Give the rationale for the consensus score."),
            Length(max=5000),
        ],
    )
    return_to = HiddenField(default="index")  # "pair": back to the pair's own page


def consensus_form(
    evaluation: m.Evaluation,
    consensus: m.ConsensusScore | None = None,
    *,
    return_to: str | None = None,
    **kwargs: Any,
) -> ConsensusForm:
    """The form on the scale's points; with `return_to`, showing `consensus` as it stands
    (a pair card) rather than what was posted."""
    if return_to is not None:
        kwargs.update(
            formdata=None,
            score=f"{consensus.value:g}" if consensus else None,
            rationale=consensus.rationale if consensus else "",
            return_to=return_to,
        )
    form = ConsensusForm(**kwargs)
    form.score.choices = [SelectChoice(p.label) for p in scale_of(evaluation)]
    return form


class RemoveConsensusForm(CheckedForm):
    # Refused when too long (never cut): the reason goes into the audit trail whole.
    reason = HiddenField(validators=[Length(max=REASON_MAX)])
    return_to = HiddenField(default="index")


class PickForm(CheckedForm):
    """Any (vendor, question): a GET form, so without a CSRF token."""

    class Meta:
        csrf = False

    vendor = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    question = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
