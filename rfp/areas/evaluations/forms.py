"""Forms of the evaluations blueprint: a new evaluation, and its settings and scope.

Benchmarks beside the fields are the seeds' (rfp.domain.scoring.benchmarks)."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    Field,
    FloatField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from rfp import models as m
from rfp.areas.evaluations.operations import SCORING_SETTINGS, settings_of
from rfp.core.forms import CheckboxesField, CheckedForm, VersionField, Within, options
from rfp.core.operations import number_or_int
from rfp.domain.scoring.benchmarks import (
    CSAT_TARGET_PCT,
    FCR_TARGET_PCT,
    INHOUSE_RATE_RANGE,
    PILOT_WEEKS,
)
from rfp.domain.vocabulary import Aggregation, PriceFormula
from rfp.scenario.pricing import format_mix, parse_mix

CHANNELS = ("email", "chat", "voice", "social")
COMPLIANCE = ("HIPAA", "SOC 2", "PCI-DSS", "TCPA", "ISO 27001", "GDPR")
COMPLEXITY = ("low", "medium", "high")
# What each price formula does, after its label.
PRICE_FORMULA_HELP = {
    PriceFormula.LOWEST_RATIO: "100 × lowest TCO ÷ TCO (the default)",
    PriceFormula.LINEAR: "100 at the lowest TCO, 0 at the highest",
    PriceFormula.DEVIATION: "1 point off per % above the lowest; twice the lowest scores 0",
    PriceFormula.LOG: "0 at the price-zero multiple of the lowest TCO",
}
PRICE_FORMULA_CHOICES = [
    SelectChoice(formula.value, f"{formula.label}: {text}")
    for formula, text in PRICE_FORMULA_HELP.items()
]
AGGREGATION_CHOICES = [
    SelectChoice(a.value, f"{a.label} of the evaluators' scores") for a in Aggregation
]
MAX_ANCHORED_POINTS = 11
# The settings the form shows as settings_of gives them (the scope and the scale apart).
FORM_SETTINGS = ("title", "description") + tuple(
    name for name in SCORING_SETTINGS if name not in ("scale_min", "scale_max", "anchors")
)


def _greater_than_one(form: FlaskForm, field: FloatField) -> None:
    if field.data is not None and field.data <= 1:
        raise ValidationError("Must be greater than 1 (the multiple of the lowest TCO).")


class NewEvaluationForm(CheckedForm):
    start = RadioField(
        "Start from",
        choices=options(
            [
                ("template", "The “Customer service outsourcing” template"),
                ("blank", "A blank evaluation"),
                ("upload", "A scenario file"),
            ]
        ),
        default="template",
    )
    title = StringField("Title", validators=[Length(max=200)])
    description = TextAreaField("What is being outsourced, and why", validators=[Length(max=20000)])
    scenario = FileField(
        "Scenario file",
        description="A JSON scenario file, format 1 (as `rfp dump` writes it). It is checked "
        "completely; nothing is written if any field is wrong.",
    )

    def validate_title(self, field: StringField) -> None:
        if self.start.data in ("template", "blank") and not (field.data or "").strip():
            raise ValidationError("Give the evaluation a title.")

    def validate_scenario(self, field: FileField) -> None:
        if self.start.data == "upload" and not field.data:
            raise ValidationError("Choose the scenario file to upload.")


def _percent(label: str, description: str = "") -> FloatField:
    return FloatField(
        label,
        validators=[Optional(), NumberRange(min=0, max=100), Within("governance_overhead_pct")],
        description=description,
    )


class SettingsForm(CheckedForm):
    version = VersionField()
    title = StringField("Title", validators=[InputRequired(), Length(max=200)])
    description = TextAreaField("What this evaluation is for", validators=[Length(max=20000)])
    deadline = DateTimeLocalField(
        "Response deadline (UTC)", format="%Y-%m-%dT%H:%M", validators=[Optional()], tz=UTC
    )
    scoring_due = DateField(
        "Scoring due (UTC date)",
        validators=[Optional()],
        description="Evaluators' scorecards are due this day. Evaluators who have not "
        "submitted get a reminder by e-mail 5 and 2 days before and on the day.",
    )

    scale_min = IntegerField(
        "Lowest point", validators=[InputRequired(), NumberRange(min=0, max=100)]
    )
    scale_max = IntegerField(
        "Highest point", validators=[InputRequired(), NumberRange(min=1, max=100)]
    )
    aggregation = SelectField("Question score", choices=AGGREGATION_CHOICES)
    dispersion_threshold = FloatField(
        "Dispersion threshold (points)",
        validators=[InputRequired(), NumberRange(min=0), Within("dispersion_threshold")],
        description="A (vendor, question) whose scores range this far or more is flagged "
        "for calibration.",
    )
    price_formula = SelectField("Price formula", choices=PRICE_FORMULA_CHOICES)
    price_zero_multiple = FloatField(
        "Price-zero multiple",
        validators=[InputRequired(), _greater_than_one, Within("price_zero_multiple")],
        description="Logarithmic formula: the multiple of the lowest TCO that scores 0.",
    )
    blind_scoring = BooleanField(
        "Blind scoring: evaluators see “Vendor A”, “Vendor B” until consensus"
    )
    two_envelope = BooleanField(
        "Two envelopes: evaluators see prices only after submitting their quality scores"
    )
    normalise_evaluators = BooleanField(
        "Normalise each evaluator's scores to the panel before aggregating"
    )
    sensitivity_concentration = FloatField(
        "Spread of the plausible weightings (Dirichlet concentration)",
        validators=[
            Optional(),
            NumberRange(min=0.1, max=100000, message="Must be between 0.1 and 100,000."),
            Within("sensitivity_concentration"),
        ],
        description="Rank stability draws 10,000 sets of weights around the official ones. "
        "The higher this number, the closer the draws stay to the official weights. In nine "
        "draws out of ten a 20 % weight lies between about 12 and 30 % at 50 (the default), "
        "16 and 25 % at 200, 4 and 43 % at 10.",
    )

    functions = StringField(
        "Functions",
        description="Separate with commas: customer care, technical support, back office, ...",
    )
    channels = CheckboxesField("Channels")
    languages = StringField("Languages", description="Separate with commas: en, es, ...")
    coverage = StringField("Coverage", description="Hours and days, or 24/7.")
    time_zones = StringField(
        "Time zones",
        description="Separate with commas. The seeds: six "
        "hours or more of daily overlap is strong.",
    )
    tools = StringField(
        "Tools",
        validators=[Length(max=2000)],
        description="Separate with commas: the helpdesk, CRM and telephony agents work in "
        "(Zendesk, Salesforce, Five9, ...).",
    )
    channel_mix = StringField(
        "Channel mix (% of contacts)",
        validators=[Length(max=2000)],
        description="For rate lines per channel: voice 60, chat 30, email 10. Empty: an "
        "even split over the channels.",
    )
    language_mix = StringField(
        "Language mix (% of contacts)",
        validators=[Length(max=2000)],
        description="For rate lines per language: en 80, es 20. Empty: an even split.",
    )
    complexity = SelectField("Complexity")

    def validate_channel_mix(self, field: Field) -> None:
        _check_mix(field)

    def validate_language_mix(self, field: Field) -> None:
        _check_mix(field)

    contacts_per_month = IntegerField(
        "Contacts per month",
        validators=[Optional(), NumberRange(min=1), Within("contacts_per_month")],
    )
    aht_minutes = FloatField(
        "Average handle time (minutes)",
        validators=[Optional(), NumberRange(min=0.01), Within("aht_minutes")],
    )
    occupancy_pct = FloatField(
        "Occupancy (%)",
        validators=[Optional(), NumberRange(min=1, max=100), Within("governance_overhead_pct")],
        description="Share of paid agent time spent handling contacts; default 80 %.",
    )
    fte_hours_per_month = FloatField(
        "FTE hours per month",
        validators=[Optional(), NumberRange(min=1), Within("fte_hours_per_month")],
        description="Hours one full-time agent works in a month; default 160.",
    )
    term_months = IntegerField(
        "Contract term (months)",
        validators=[Optional(), NumberRange(min=1), Within("term_months")],
    )
    governance_overhead_pct = _percent(
        "Governance overhead (%)",
        "Added to the vendor's charges: vendor management, QA, calibration, reviews.",
    )
    inhouse_rate = FloatField(
        "In-house cost per agent-hour (USD)",
        validators=[Optional(), NumberRange(min=0), Within("inhouse_rate")],
        description=f"Seeds' benchmark: ${INHOUSE_RATE_RANGE[0]:.0f} to "
        f"${INHOUSE_RATE_RANGE[1]:.0f} fully loaded for a US agent.",
    )
    compliance = CheckboxesField("Compliance requirements")
    pilot_weeks = IntegerField(
        "Pilot (weeks)",
        validators=[Optional(), NumberRange(min=0, max=520)],
        description=f"Seeds' advice: {PILOT_WEEKS[0]} to {PILOT_WEEKS[1]} weeks before a "
        "full rollout.",
    )
    target_fcr_pct = _percent(
        "First contact resolution (%)",
        f"Seeds' benchmark: {FCR_TARGET_PCT[0]:.0f} to {FCR_TARGET_PCT[1]:.0f} %.",
    )
    target_csat_pct = _percent("CSAT (%)", f"Seeds' target: above {CSAT_TARGET_PCT:.0f} %.")
    target_aht_minutes = FloatField(
        "Average handle time (minutes)",
        validators=[Optional(), NumberRange(min=0), Within("target_aht_minutes")],
    )
    target_attrition_pct = FloatField(
        "Agent attrition (% a year)",
        validators=[Optional(), NumberRange(min=0, max=1000), Within("attrition_pct")],
    )
    target_service_level_pct = _percent("Service level (%)")

    reason = TextAreaField(
        "Reason for changing scoring settings",
        validators=[Length(max=5000)],
        description="Required after draft when the scale, anchors, aggregation, price "
        "formula, blind or two-envelope scoring, evaluator normalisation, the spread of the "
        "plausible weightings, or a cost field of the scope changes.",
    )

    anchor_points: list[str] = []  # the scale points with an anchor field (settings_form)

    def changes(self) -> dict[str, Any]:
        """What update_settings takes from the form."""
        return {
            "title": self.title.data,
            "description": self.description.data or "",
            "deadline": self.deadline.data,
            "scoring_due": self.scoring_due.data,
            "scale_min": self.scale_min.data,
            "scale_max": self.scale_max.data,
            "anchors": {p: self[f"anchor_{p}"].data or "" for p in self.anchor_points},
            "aggregation": self.aggregation.data,
            "dispersion_threshold": self.dispersion_threshold.data,
            "price_formula": self.price_formula.data,
            "price_zero_multiple": self.price_zero_multiple.data,
            "blind_scoring": self.blind_scoring.data,
            "two_envelope": self.two_envelope.data,
            "scope": scope_values(self),
            "reason": self.reason.data or "",
            "normalise_evaluators": self.normalise_evaluators.data,
            "sensitivity_concentration": self.sensitivity_concentration.data,
            "opened_version": self.version.data,
        }


def _choices(standard: tuple[str, ...], current: list[str]) -> list[SelectChoice]:
    """Standard options plus any value already stored that is not one of them."""
    values = list(standard) + [v for v in current if v not in standard]
    return options((v, v) for v in values)


def scale_points(lo: float, hi: float) -> list[str]:
    """The points of an integer scale that get an anchor text (none on long scales)."""
    if not (float(lo).is_integer() and float(hi).is_integer()):
        return []
    points = range(int(lo), int(hi) + 1)
    return [str(p) for p in points] if len(points) <= MAX_ANCHORED_POINTS else []


def settings_form(evaluation: m.Evaluation, *, current: bool = False) -> SettingsForm:
    """The settings form of an evaluation, with an anchor field per scale point.
    `current`: with the stored values even on a POST (after a stale form's refusal)."""
    points = scale_points(evaluation.scale_min, evaluation.scale_max)

    class Form(SettingsForm):
        anchor_points = points

    for point in points:
        setattr(Form, f"anchor_{point}", StringField(point, validators=[Length(max=200)]))
    scope = evaluation.scope or {}
    targets = scope.get("targets") or {}
    occupancy = scope.get("occupancy")
    settings = settings_of(evaluation)
    data = {
        **{name: settings[name] for name in FORM_SETTINGS},
        "deadline": evaluation.deadline,
        "scoring_due": evaluation.scoring_due,
        "scale_min": int(evaluation.scale_min),
        "scale_max": int(evaluation.scale_max),
        "functions": ", ".join(scope.get("functions") or []),
        "channels": list(scope.get("channels") or []),
        "languages": ", ".join(scope.get("languages") or []),
        "coverage": scope.get("coverage") or "",
        "time_zones": ", ".join(scope.get("time_zones") or []),
        "tools": ", ".join(scope.get("tools") or []),
        "channel_mix": format_mix(scope.get("channel_mix")),
        "language_mix": format_mix(scope.get("language_mix")),
        "complexity": scope.get("complexity") or "",
        "occupancy_pct": None if occupancy is None else number_or_int(round(occupancy * 100, 4)),
        "compliance": list(scope.get("compliance") or []),
        **{
            f: scope.get(f)
            for f in (
                "contacts_per_month",
                "aht_minutes",
                "fte_hours_per_month",
                "term_months",
                "governance_overhead_pct",
                "inhouse_rate",
                "pilot_weeks",
            )
        },
        **{
            f"target_{t}": targets.get(t)
            for t in ("fcr_pct", "csat_pct", "aht_minutes", "attrition_pct", "service_level_pct")
        },
        **{f"anchor_{p}": (evaluation.anchors or {}).get(p, "") for p in points},
        "version": evaluation.version,
    }
    form = Form(formdata=None, data=data) if current else Form(data=data)
    form.channels.choices = _choices(CHANNELS, data["channels"])
    form.compliance.choices = _choices(COMPLIANCE, data["compliance"])
    complexity = data["complexity"]
    form.complexity.choices = options([("", "—")]) + _choices(
        COMPLEXITY, [complexity] if complexity else []
    )
    return form


def _check_mix(field: Field) -> None:
    try:
        parse_mix(field.data or "")
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def scope_values(form: SettingsForm) -> dict[str, Any]:
    """The scope fields of a validated form, in the shape canonical_scope reads."""
    occupancy = form.occupancy_pct.data
    return {
        "functions": _split(form.functions.data),
        "channels": list(form.channels.data or []),
        "languages": _split(form.languages.data),
        "time_zones": _split(form.time_zones.data),
        "tools": _split(form.tools.data),
        "channel_mix": parse_mix(form.channel_mix.data or ""),
        "language_mix": parse_mix(form.language_mix.data or ""),
        "compliance": list(form.compliance.data or []),
        "coverage": form.coverage.data or "",
        "complexity": form.complexity.data or "",
        "contacts_per_month": form.contacts_per_month.data,
        "aht_minutes": form.aht_minutes.data,
        "occupancy": None if occupancy is None else round(occupancy / 100, 6),
        "fte_hours_per_month": form.fte_hours_per_month.data,
        "term_months": form.term_months.data,
        "governance_overhead_pct": form.governance_overhead_pct.data,
        "inhouse_rate": form.inhouse_rate.data,
        "pilot_weeks": form.pilot_weeks.data,
        "targets": {
            t: getattr(form, f"target_{t}").data
            for t in ("fcr_pct", "csat_pct", "aht_minutes", "attrition_pct", "service_level_pct")
        },
    }
