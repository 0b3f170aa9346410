"""The pilot between consensus and the award (optional: an evaluation may go straight to
the award).

The lead shortlists a champion and challengers at the end of consensus, which starts the
pilot stage; sets the segment, dates and success criteria (pre-filled from the scope's
targets) and fixes them before the pilot starts; enters each week's KPIs per vendor,
typed in or from a helpdesk export, and the in-house baseline; records a verdict per
vendor beside the one the data proposes; and records the award, whole or split, with the
pilot's evidence. Whoever may read the results reads the pilot's scorecard.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from rfp import models as m
from rfp.areas.pilot import decision_operations, figure_operations, forms, pages, queries
from rfp.areas.pilot import operations as ops
from rfp.areas.pilot.kpi_file import template_csv
from rfp.areas.results.queries import collection_paused
from rfp.core import access as a
from rfp.core.db import utcnow
from rfp.core.extensions import db_session
from rfp.core.unit_of_work import commit
from rfp.domain.kpis import KPI_SPECS, figure_text, kpi_name
from rfp.domain.scoring import Result
from rfp.domain.scoring.cost import split_cost
from rfp.domain.vocabulary import Kpi, KpiStatus, PilotRole, PilotVerdict, Stage
from rfp.models.adapter import load_scoring_input

bp = Blueprint(
    "pilot",
    __name__,
    template_folder="templates",
    url_prefix="/evaluations/<int:evaluation_id>/pilot",
)
MAX_UPLOAD = 5 * 1024 * 1024


@bp.context_processor
def _words() -> dict[str, Any]:
    """The pilot's vocabulary and figure wording, for this area's templates."""
    return {
        "Kpi": Kpi,
        "KpiStatus": KpiStatus,
        "PilotRole": PilotRole,
        "PilotVerdict": PilotVerdict,
        "KPI_SPECS": KPI_SPECS,
        "kpi_name": kpi_name,
        "figure_text": figure_text,
    }


def _reader(evaluation_id: int) -> a.Access:
    """Whoever may read the results reads the pilot (prices are unsealed by then)."""
    access = a.evaluation_access(evaluation_id).require(a.VIEW_RESULTS)
    if not access.can_see_pricing():
        abort(409, description="The pilot comes after consensus.")
    return access


def _lead(evaluation_id: int, *stages: Stage) -> a.Access:
    access = a.lead_access(evaluation_id)
    access.require_stage(
        *(stages or (Stage.PILOT,)),
        message="This is done during the pilot stage (after shortlisting at the end of consensus).",
    )
    return access


def _pilot_or_409(access: a.Access) -> m.Pilot:
    pilot = queries.pilot_of(db_session(), access.evaluation)
    if pilot is None:
        abort(409, description="There is no pilot: shortlist vendors at the end of consensus.")
    return pilot


def _entry_or_404(pilot: m.Pilot, access: a.Access, vendor_id: int) -> m.PilotVendor:
    vendor = a.vendor_of(access, vendor_id)
    entry = queries.shortlisted(pilot, vendor.id)
    if entry is None:
        abort(404)
    return entry


def _names(pilot: m.Pilot) -> dict[str, str]:
    return {pv.vendor.key: pv.vendor.name for pv in pilot.vendors}


def _back(access: a.Access, anchor: str = "") -> Any:
    url = url_for("pilot.index", evaluation_id=access.evaluation.id)
    return redirect(url + (f"#{anchor}" if anchor else ""))


# -- the pilot page ----------------------------------------------------------------------


def _render_index(
    access: a.Access,
    *,
    shortlist_form: forms.ShortlistForm | None = None,
    verdict_forms: dict[int, forms.VerdictForm] | None = None,
    upload_form: forms.UploadForm | None = None,
    code: int = 200,
) -> Any:
    session, evaluation = db_session(), access.evaluation
    with collection_paused():
        result = queries.scored(session, evaluation)
    pilot = queries.pilot_of(session, evaluation)
    stage = evaluation.current_stage
    lead = access.is_lead and not evaluation.read_only
    if lead and stage in (Stage.CONSENSUS, Stage.PILOT) and shortlist_form is None:
        current = {pv.vendor_id: str(pv.role) for pv in pilot.vendors} if pilot else {}
        shortlist_form = forms.shortlist_form(_shortlistable(evaluation, result), current)
    outcome = result.pilot
    cards = pages.vendor_cards(outcome, pilot, result) if pilot and outcome else ()
    if lead and pilot and stage == Stage.PILOT and verdict_forms is None:
        verdict_forms = {}
        for card in cards:
            form = forms.VerdictForm(prefix=f"v{card.vendor_id}")
            form.verdict.data = card.verdict or card.proposed
            form.reason.data = card.verdict_reason
            verdict_forms[card.vendor_id] = form
    return (
        render_template(
            "pilot/index.html",
            access=access,
            evaluation=evaluation,
            pilot=pilot,
            outcome=outcome,
            result=result,
            lead=lead,
            stage=stage,
            status=pages.status_line(pilot, outcome, utcnow().date()) if pilot else "",
            steps=pages.steps(pilot, outcome, stage) if pilot else (),
            cards=cards,
            charts=pages.kpi_charts(outcome, _names(pilot)) if pilot and outcome else (),
            shortlist_form=shortlist_form,
            shortlist_vendors=_shortlistable(evaluation, result),
            verdict_forms=verdict_forms or {},
            upload_form=upload_form or forms.UploadForm(),
            split=pages.split_rows(result.split, _names(pilot)) if pilot else (),
        ),
        code,
    )


def _shortlistable(evaluation: m.Evaluation, result: Result) -> list[m.Vendor]:
    """The qualified vendors, in rank order."""
    by_key = {v.key: v for v in evaluation.vendors}
    return [by_key[v.key] for v in result.ranked if v.key in by_key]


@bp.route("")
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    return _render_index(_reader(evaluation_id))


@bp.route("/shortlist", methods=["POST"])
def shortlist(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id, Stage.CONSENSUS, Stage.PILOT)
    session, evaluation = db_session(), access.evaluation
    result = queries.scored(session, evaluation)
    form = forms.shortlist_form(_shortlistable(evaluation, result), {})
    if not form.validate_on_submit():
        return _render_index(access, shortlist_form=form, code=400)
    pilot = queries.pilot_of(session, evaluation)
    starting = evaluation.current_stage == Stage.CONSENSUS
    done = commit(
        lambda: ops.shortlist(session, evaluation, access.user, pilot, result, form.roles()),
        form,
    )
    if not done:
        return _render_index(access, shortlist_form=form, code=422)
    if starting:
        flash(
            "The pilot stage has started. Set the segment, the dates and the success criteria, "
            "then fix them before the pilot starts.",
            "success",
        )
        return redirect(url_for("pilot.setup", evaluation_id=evaluation_id))
    flash("Shortlist saved.", "success")
    return _back(access)


# -- set-up ------------------------------------------------------------------------------


def _render_setup(
    access: a.Access,
    pilot: m.Pilot,
    form: forms.SetupForm | None = None,
    baseline_form: forms.BaselineForm | None = None,
    fix_form: forms.FixForm | None = None,
    code: int = 200,
) -> Any:
    channels = (access.evaluation.scope or {}).get("channels") or []
    return (
        render_template(
            "pilot/setup.html",
            access=access,
            evaluation=access.evaluation,
            pilot=pilot,
            form=form or forms.setup_form(pilot, channels),
            baseline_form=baseline_form or forms.baseline_form(pilot),
            fix_form=fix_form or forms.FixForm(),
            weeks=queries.weeks_of(pilot),
            today=utcnow().date(),
        ),
        code,
    )


@bp.route("/setup", methods=["GET", "POST"])
def setup(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id)
    pilot = _pilot_or_409(access)
    if request.method == "GET":
        return _render_setup(access, pilot)
    channels = (access.evaluation.scope or {}).get("channels") or []
    form = forms.setup_form(pilot, channels, formdata=request.form)
    if form.validate_on_submit():
        done = commit(
            lambda: ops.save_setup(
                db_session(),
                access.evaluation,
                access.user,
                pilot,
                form.segment(),
                form.entries(),
                form.reason.data or "",
            ),
            form,
        )
        if done:
            flash("Pilot set-up saved." if done.value else "Nothing changed.", "success")
            return redirect(url_for("pilot.setup", evaluation_id=evaluation_id))
    return _render_setup(access, pilot, form, code=422)


@bp.route("/fix", methods=["POST"])
def fix(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id)
    pilot = _pilot_or_409(access)
    form = forms.FixForm()
    if form.validate_on_submit():
        done = commit(
            lambda: ops.fix_criteria(
                db_session(), access.evaluation, access.user, pilot, form.note.data or ""
            ),
            form,
        )
        if done:
            flash(
                "The success criteria are fixed. Enter each week's figures as they come in.",
                "success",
            )
            return _back(access)
    return _render_setup(access, pilot, fix_form=form, code=422)


@bp.route("/baseline", methods=["POST"])
def baseline(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id)
    pilot = _pilot_or_409(access)
    form = forms.baseline_form(pilot)
    if form.validate_on_submit():
        done = commit(
            lambda: ops.save_baseline(
                db_session(), access.evaluation, access.user, pilot, form.values()
            ),
            form,
        )
        if done:
            flash("In-house baseline saved." if done.value else "Nothing changed.", "success")
            return redirect(url_for("pilot.setup", evaluation_id=evaluation_id) + "#baseline")
    return _render_setup(access, pilot, baseline_form=form, code=422)


# -- weekly figures ------------------------------------------------------------------------


def _render_weeks(
    access: a.Access, pilot: m.Pilot, entry: m.PilotVendor, form: forms.WeeksForm, code: int = 200
) -> Any:
    kpis = [str(c.kpi) for c in pilot.criteria]
    weeks = queries.weeks_of(pilot)
    return (
        render_template(
            "pilot/weeks.html",
            access=access,
            evaluation=access.evaluation,
            pilot=pilot,
            entry=entry,
            form=form,
            kpis=kpis,
            rows=pages.week_rows(pilot, weeks, kpis),
            criteria={str(c.kpi): c for c in pilot.criteria},
            today=utcnow().date(),
        ),
        code,
    )


@bp.route("/vendors/<int:vendor_id>/weeks", methods=["GET", "POST"])
def weeks(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id)
    pilot = _pilot_or_409(access)
    entry = _entry_or_404(pilot, access, vendor_id)
    if not pilot.fixed:
        abort(409, description="Fix the success criteria first (on the set-up page).")
    session = db_session()
    current = {
        (week, kpi): value
        for (pv, week, kpi), value in queries.figures_of(session, pilot).items()
        if pv == entry.id
    }
    kpis = [str(c.kpi) for c in pilot.criteria]
    form = forms.weeks_form(queries.weeks_of(pilot), kpis, current)
    if request.method == "POST":
        if form.validate_on_submit():
            done = commit(
                lambda: figure_operations.save_weeks(
                    session, access.evaluation, access.user, pilot, entry, form.figures()
                ),
                form,
            )
            if done:
                changed = done.value or 0
                flash(
                    f"{entry.vendor.name}: {changed} figure{'' if changed == 1 else 's'} saved."
                    if changed
                    else "Nothing changed.",
                    "success",
                )
                return _back(access, f"vendor-{entry.vendor_id}")
        return _render_weeks(access, pilot, entry, form, code=422)
    return _render_weeks(access, pilot, entry, form)


@bp.route("/upload", methods=["POST"])
def upload(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id)
    pilot = _pilot_or_409(access)
    form = forms.UploadForm()
    if not form.validate_on_submit():
        return _render_index(access, upload_form=form, code=422)
    data = form.kpi_file.data.read(MAX_UPLOAD + 1)
    filename = form.kpi_file.data.filename or ""
    done = commit(
        lambda: figure_operations.import_figures(
            db_session(), access.evaluation, access.user, pilot, data, filename
        ),
        form,
    )
    if not done or done.value is None:
        return _render_index(access, upload_form=form, code=422)
    figures = done.value
    weeks = sorted({f.week for f in figures})
    flash(
        f"{len(figures)} figures imported (week{'s' if len(weeks) > 1 else ''} "
        f"{', '.join(map(str, weeks))}).",
        "success",
    )
    return _back(access, "figures")


@bp.route("/template.csv")
def template(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id)
    pilot = _pilot_or_409(access)
    spec = queries.kpi_file_spec(pilot)
    if spec is None:
        abort(409, description="Set the pilot's dates first.")
    return Response(
        template_csv(spec),
        mimetype="text/csv",
        headers={
            "Content-Disposition": "attachment; filename=pilot-weekly-kpis.csv",
            "Cache-Control": "private, no-store",
        },
    )


# -- verdicts and the award ----------------------------------------------------------------


@bp.route("/vendors/<int:vendor_id>/verdict", methods=["POST"])
def verdict(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id)
    pilot = _pilot_or_409(access)
    entry = _entry_or_404(pilot, access, vendor_id)
    form = forms.VerdictForm(prefix=f"v{vendor_id}")
    session = db_session()
    result = queries.scored(session, access.evaluation)
    assert result.pilot is not None
    proposed = result.pilot.vendor(entry.vendor.key).proposed
    if form.validate_on_submit():
        done = commit(
            lambda: decision_operations.record_verdict(
                session,
                access.evaluation,
                access.user,
                pilot,
                entry,
                form.verdict.data or "",
                form.reason.data or "",
                proposed,
            ),
            form,
        )
        if done:
            flash(f"Verdict on {entry.vendor.name} recorded.", "success")
            return _back(access, f"vendor-{vendor_id}")
    return _render_index(access, verdict_forms={vendor_id: form}, code=422)


def _render_award(access: a.Access, pilot: m.Pilot, form: forms.AwardForm, code: int = 200) -> Any:
    session = db_session()
    inp = load_scoring_input(session, access.evaluation)
    result = queries.scored(session, access.evaluation)
    shares = [
        (entry.vendor.key, pct)
        for entry in pilot.vendors
        if (pct := form.volume_shares().get(entry.vendor_id))
    ]
    preview = split_cost(shares, inp.vendors, inp.cost_scope) if shares else None
    names = _names(pilot)
    return (
        render_template(
            "pilot/award.html",
            access=access,
            evaluation=access.evaluation,
            pilot=pilot,
            form=form,
            result=result,
            outcome=result.pilot,
            preview=preview,
            preview_rows=pages.split_rows(preview, names),
            share_total=sum(pct for _key, pct in shares),
            names=names,
        ),
        code,
    )


@bp.route("/award", methods=["GET", "POST"])
def award(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _lead(evaluation_id)
    pilot = _pilot_or_409(access)
    form = forms.award_form(pilot.vendors)
    if request.method == "GET":
        return _render_award(access, pilot, form)
    if not form.validate_on_submit():
        return _render_award(access, pilot, form, code=422)
    if request.form.get("action") == "preview":
        return _render_award(access, pilot, form)
    session = db_session()
    result = queries.scored(session, access.evaluation)
    done = commit(
        lambda: decision_operations.award(
            session,
            access.evaluation,
            access.user,
            pilot,
            result,
            form.volume_shares(),
            form.rationale.data or "",
            form.override_reason.data or "",
        ),
        form,
    )
    if not done or done.value is None:
        return _render_award(access, pilot, form, code=422)
    main, split = done.value
    shares = ", ".join(f"{v.name} {pct:g} %" for v, pct in split)
    flash(
        f"Awarded to {main.name}"
        + (f" ({shares})" if len(split) > 1 else "")
        + ". The evaluation is decided and read-only.",
        "success",
    )
    return redirect(url_for("evaluations.overview", evaluation_id=evaluation_id))
