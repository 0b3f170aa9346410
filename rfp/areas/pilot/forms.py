"""The pilot's forms. Repeating fields are generated per pilot, as the weight table's are:
`role_<vendor id>` on the shortlist, `include_<kpi>` / `threshold_<kpi>` / ... on the
set-up, `baseline_<kpi>`, `w<week>_<kpi>` on a vendor's weekly figures, and
`share_<vendor id>` on the award."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    RadioField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from rfp import models as m
from rfp.areas.pilot.operations import CriterionEntry, Segment
from rfp.core.forms import CheckboxesField, CheckedForm, options
from rfp.domain.kpis import KPI_SPECS, kpi_name
from rfp.domain.vocabulary import Kpi, KpiDirection, PilotRole, PilotVerdict

NOT_SHORTLISTED = ""
MAX_TEXT = 5000


class FigureField(FloatField):
    """A figure as typed: blank is no figure; "1e308" and "nan" are refused here."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace(",", "")]
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError("Must be a number.") from exc
        if self.data is not None and not math.isfinite(self.data):
            self.data = None
            raise ValueError("Must be a number.")


def _figure(label: str) -> FigureField:
    return FigureField(label, validators=[Optional()])


# -- shortlist ---------------------------------------------------------------------------


class ShortlistForm(CheckedForm):
    def roles(self) -> dict[int, str]:
        return {
            int(name.removeprefix("role_")): field.data or ""
            for name, field in self._fields.items()
            if name.startswith("role_")
        }


def shortlist_form(vendors: Sequence[m.Vendor], current: dict[int, str]) -> ShortlistForm:
    """A role per vendor (left out, champion, challenger), the current shortlist chosen."""

    class Form(ShortlistForm):
        pass

    choices = options([(NOT_SHORTLISTED, "Not shortlisted"), *PilotRole.choices()])
    for vendor in vendors:
        setattr(
            Form,
            f"role_{vendor.id}",
            RadioField(vendor.name, choices=choices, default=current.get(vendor.id, "")),
        )
    return Form()


# -- set-up --------------------------------------------------------------------------------


class ReasonForm(CheckedForm):
    reason = TextAreaField(
        "Reason for the change",
        validators=[Length(max=MAX_TEXT)],
        description="Required once the success criteria are fixed; it goes into the audit trail.",
    )


class SetupForm(ReasonForm):
    channels = CheckboxesField("Channels in the pilot")
    contact_types = TextAreaField(
        "Contact types",
        validators=[Length(max=MAX_TEXT)],
        description="What the pilot handles: one queue, one product line, one channel.",
    )
    volume_share_pct = FigureField(
        "Share of the volume (%)", validators=[Optional()], description="Of the scoped contacts."
    )
    start_date = DateField("First day", validators=[Optional()])
    end_date = DateField("Last day", validators=[Optional()])

    def segment(self) -> Segment:
        return Segment(
            channels=tuple(self.channels.data or ()),
            contact_types=(self.contact_types.data or "").strip(),
            volume_share_pct=self.volume_share_pct.data,
            start=self.start_date.data,
            end=self.end_date.data,
        )

    def entries(self) -> list[CriterionEntry]:
        return [
            CriterionEntry(
                kpi=kpi.value,
                included=bool(self[f"include_{kpi.value}"].data),
                direction=self[f"direction_{kpi.value}"].data or "",
                threshold=self[f"threshold_{kpi.value}"].data,
                fail_at=self[f"fail_at_{kpi.value}"].data,
                seconds=self["seconds_service_level_pct"].data
                if kpi == Kpi.SERVICE_LEVEL
                else None,
            )
            for kpi in Kpi
        ]


for _kpi in Kpi:
    _spec, _name = KPI_SPECS[_kpi], kpi_name(_kpi)
    setattr(SetupForm, f"include_{_kpi.value}", BooleanField(_name))
    setattr(
        SetupForm,
        f"direction_{_kpi.value}",
        SelectField(
            f"{_name}: direction", choices=options(KpiDirection.choices()), default=_spec.direction
        ),
    )
    setattr(SetupForm, f"threshold_{_kpi.value}", _figure(f"{_name} threshold ({_spec.unit})"))
    setattr(SetupForm, f"fail_at_{_kpi.value}", _figure(f"{_name} failing limit ({_spec.unit})"))
SetupForm.seconds_service_level_pct = _figure("Service level: answered within (seconds)")  # type: ignore[attr-defined]


def setup_form(pilot: m.Pilot, channels: Iterable[str], *, formdata: Any = None) -> SetupForm:
    """The set-up form, filled from the pilot (a row per KPI; those without a criterion
    unticked and pre-filled with nothing)."""
    data: dict[str, Any] = {
        "channels": list(pilot.channels or []),
        "contact_types": pilot.contact_types,
        "volume_share_pct": pilot.volume_share_pct,
        "start_date": pilot.start_date,
        "end_date": pilot.end_date,
    }
    for criterion in pilot.criteria:
        kpi = str(criterion.kpi)
        data |= {
            f"include_{kpi}": True,
            f"direction_{kpi}": str(criterion.direction),
            f"threshold_{kpi}": criterion.threshold,
            f"fail_at_{kpi}": criterion.fail_at,
        }
        if kpi == Kpi.SERVICE_LEVEL:
            data["seconds_service_level_pct"] = criterion.seconds
    form = SetupForm(formdata=formdata, data=data) if formdata is not None else SetupForm(data=data)
    known = list(dict.fromkeys([*channels, *(pilot.channels or [])]))
    form.channels.choices = options((c, c) for c in known)
    return form


class FixForm(CheckedForm):
    note = TextAreaField("Note for the audit trail (optional)", validators=[Length(max=MAX_TEXT)])


class BaselineForm(CheckedForm):
    def values(self) -> dict[str, float | None]:
        return {
            name.removeprefix("baseline_"): field.data
            for name, field in self._fields.items()
            if name.startswith("baseline_")
        }


def baseline_form(pilot: m.Pilot) -> BaselineForm:
    class Form(BaselineForm):
        pass

    data = {}
    for criterion in pilot.criteria:
        kpi = str(criterion.kpi)
        unit = KPI_SPECS[Kpi(kpi)].unit
        setattr(Form, f"baseline_{kpi}", _figure(f"{kpi_name(kpi, criterion.seconds)} ({unit})"))
        data[f"baseline_{kpi}"] = criterion.baseline
    form = Form()
    if not form.is_submitted():
        form.process(data=data)
    return form


# -- weekly figures ------------------------------------------------------------------------


class WeeksForm(CheckedForm):
    def figures(self) -> dict[tuple[int, str], float | None]:
        out = {}
        for name, field in self._fields.items():
            if name.startswith("w") and "_" in name and name[1].isdigit():
                week, _, kpi = name[1:].partition("_")
                out[(int(week), kpi)] = field.data
        return out


def weeks_form(weeks: int, kpis: Sequence[str], current: dict[tuple[int, str], float]) -> WeeksForm:
    """A field per week and KPI (`w3_fcr_pct`), filled with the vendor's figures."""

    class Form(WeeksForm):
        pass

    for week in range(1, weeks + 1):
        for kpi in kpis:
            setattr(Form, f"w{week}_{kpi}", _figure(f"Week {week}, {kpi_name(kpi)}"))
    form = Form()
    if not form.is_submitted():
        form.process(data={f"w{w}_{k}": v for (w, k), v in current.items()})
    return form


class UploadForm(CheckedForm):
    kpi_file = FileField(
        "Helpdesk export (.csv or .xlsx)",
        validators=[FileRequired("Choose the CSV or .xlsx file of weekly figures.")],
    )


# -- verdict and award ---------------------------------------------------------------------


class VerdictForm(CheckedForm):
    verdict = RadioField("Verdict", choices=options(PilotVerdict.choices()), validate_choice=False)
    reason = TextAreaField("Reason", validators=[Length(max=MAX_TEXT)])


class AwardForm(CheckedForm):
    rationale = TextAreaField("Rationale for the award", validators=[Length(max=20000)])
    override_reason = TextAreaField(
        "Why not the first-ranked vendor",
        validators=[Length(max=20000)],
        description="Required when the vendor with the largest share is not ranked first.",
    )

    def volume_shares(self) -> dict[int, float | None]:
        return {
            int(name.removeprefix("share_")): field.data
            for name, field in self._fields.items()
            if name.startswith("share_")
        }


def award_form(entries: Sequence[m.PilotVendor]) -> AwardForm:
    """A share of the volume per shortlisted vendor; the champion has 100 % to start."""

    class Form(AwardForm):
        pass

    for entry in entries:
        setattr(Form, f"share_{entry.vendor_id}", _figure(f"{entry.vendor.name} (% of volume)"))
    form = Form()
    if not form.is_submitted():
        form.process(
            data={
                f"share_{e.vendor_id}": 100 if e.role == PilotRole.CHAMPION else None
                for e in entries
            }
        )
    return form
