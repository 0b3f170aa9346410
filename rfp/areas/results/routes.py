"""Results: the ranking, chart, cost and flags; one page per vendor; the JSON view.

Who may read them is `Access.can(VIEW_RESULTS)`: the lead and admin, viewers
(leadership), and evaluators from `consensus` on. Each evaluator's own scores and
comments, by name, need VIEW_PANEL_SCORES: always for the lead, from `consensus` on for
viewers and evaluators. Before that a viewer reads the aggregate, the spreads and who
has not scored yet, but not who gave what, on the pages and in the JSON alike. An
evaluator who declared a conflict of interest with a vendor sees it in the ranking but
may not open its file (comments, answers, reference calls). While prices are sealed from
a reader (`Access.can_see_pricing`), the results are too (409).

Every page runs a fixed number of queries: `load_scoring_input` for the engine, plus a
few for texts and, on a vendor's page, its comments, answers and calls. What they
compute is kept per process while the evaluation's data version stands
(rfp.core.result_cache): the engine's result and the sensitivity report once per
version, each page's data once per version and variant of what the reader may see
(panel scores, the lead's sections, an evaluator's conflicts), the JSON once per
version and variant. A write anywhere bumps the version in its own transaction, so the
next request after a save computes afresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for
from markupsafe import Markup

from rfp.areas.results.pages import (
    ResultsPage,
    build_results_page,
    scale_points,
    withhold_panel_scores,
)
from rfp.areas.results.pilot_section import build_pilot_section, build_split_section
from rfp.areas.results.queries import (
    EvaluationResults,
    cached_results,
    collection_paused,
    load_vendor_file,
)
from rfp.areas.results.sensitivity import (
    SensitivitySection,
    build_sensitivity_section,
    sensitivity_for,
)
from rfp.areas.results.vendor_page import VendorPage, build_vendor_page
from rfp.core.access import VIEW_PANEL_SCORES, VIEW_RESULTS, Access, evaluation_access, vendor_of
from rfp.core.extensions import db_session
from rfp.core.result_cache import result_cache
from rfp.domain.decision.sensitivity import SensitivityReport
from rfp.models import Evaluation

bp = Blueprint("results", __name__, template_folder="templates")


def _results_access(evaluation_id: int) -> Access:
    """Who may read results now: VIEW_RESULTS, and prices unsealed for this reader.

    Results are computed from the vendors' prices (the cost criterion, TCO): while those
    are sealed from a reader (a viewer before scoring opens, an evaluator under two
    envelopes who has not submitted), so are the results: 409, a matter of stage."""
    access = evaluation_access(evaluation_id).require(VIEW_RESULTS)
    if not access.can_see_pricing():
        abort(
            409,
            description="The results are computed from the vendors' prices, which are "
            "sealed from you at this stage: they open when scoring starts (and, with two "
            "envelopes, once you have submitted your scores).",
        )
    return access


def _vendor_links(access: Access, vendor_ids: dict[str, int]) -> dict[str, str]:
    """Links to the vendors' pages this reader may open."""
    evaluation_id = access.evaluation.id
    return {
        key: url_for("results.vendor", evaluation_id=evaluation_id, vendor_id=vendor_id)
        for key, vendor_id in vendor_ids.items()
        if not access.conflicted_with(vendor_id)
    }


def _sensitivity(access: Access, data: EvaluationResults) -> SensitivityReport:
    evaluation = access.evaluation
    return result_cache().get_or_build(
        evaluation,
        "sensitivity",
        lambda: sensitivity_for(
            data.scoring_input, data.result, evaluation.sensitivity_concentration
        ),
    )


@dataclass(frozen=True)
class PageSections:
    """The results page's HTML that depends on the data and the variant only."""

    top: Markup
    bottom: Markup


def _render_sections(
    page: ResultsPage, evaluation: Evaluation, data: EvaluationResults
) -> PageSections:
    """Rendered once per version and variant: most of the page's rendering time."""
    context = {
        "page": page,
        "evaluation": evaluation,
        "scale_points": scale_points,
        "pilot_section": build_pilot_section(data.result),
        "split_section": build_split_section(data.result),
    }
    return PageSections(
        top=Markup(render_template("results/_top.html", **context)),  # noqa: S704 (rendered)
        bottom=Markup(render_template("results/_bottom.html", **context)),  # noqa: S704
    )


def _conflicts(access: Access) -> frozenset[int]:
    if access.membership is None:
        return frozenset()
    return frozenset(c.vendor_id for c in access.membership.conflicts)


@bp.route("/evaluations/<int:evaluation_id>/results")
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _results_access(evaluation_id)
    evaluation = access.evaluation
    panel_visible = access.can(VIEW_PANEL_SCORES)

    def build() -> tuple[ResultsPage, PageSections, SensitivitySection]:
        data = cached_results(db_session(), evaluation)
        page = build_results_page(
            data,
            _vendor_links(access, data.vendor_ids),
            panel_visible=panel_visible,
            awarded_vendor_id=evaluation.award_vendor_id,
        )
        sensitivity = build_sensitivity_section(
            data.scoring_input,
            data.result,
            concentration=evaluation.sensitivity_concentration,
            lead=access.is_lead,
            report=_sensitivity(access, data),
        )
        return page, _render_sections(page, evaluation, data), sensitivity

    # What this reader may see decides the page's data: one entry per variant.
    variant = ("page", panel_visible, access.is_lead, _conflicts(access), request.script_root)
    # The collector is paused while the page is built and rendered: the result holds tens
    # of thousands of objects that every collection would walk again (`collection_paused`).
    with collection_paused():
        page, sections, sensitivity = result_cache().get_or_build(evaluation, variant, build)
        return render_template(
            "results/index.html",
            access=access,
            page=page,
            sections=sections,
            scale_points=scale_points,
            sensitivity=sensitivity,
        )


@bp.route("/evaluations/<int:evaluation_id>/results/vendors/<int:vendor_id>")
def vendor(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = _results_access(evaluation_id)
    vendor = vendor_of(access, vendor_id)
    if access.conflicted_with(vendor.id):
        abort(403)
    session = db_session()
    evaluation = access.evaluation
    panel_visible = access.can(VIEW_PANEL_SCORES)

    def build() -> VendorPage:
        data = cached_results(session, evaluation)
        return build_vendor_page(
            data,
            load_vendor_file(session, evaluation, vendor, data.question_keys),
            panel_visible=panel_visible,
            anchors=evaluation.anchors or {},
        )

    with collection_paused():
        page = result_cache().get_or_build(evaluation, ("vendor", vendor.id, panel_visible), build)
        return render_template(
            "results/vendor.html", access=access, page=page, scale_points=scale_points
        )


@bp.route("/api/evaluations/<int:evaluation_id>/results")
def api(evaluation_id: int):  # type: ignore[no-untyped-def]
    """The fields of `rfp score --json`: `Result.to_json()` and the sensitivity report with
    the page's draws, concentration and seed (errors answer JSON too)."""
    access = _results_access(evaluation_id)
    evaluation = access.evaluation
    panel_visible = access.can(VIEW_PANEL_SCORES)

    def build() -> bytes:
        data = cached_results(db_session(), evaluation)
        doc = data.result.to_json() | {"sensitivity": _sensitivity(access, data).to_json()}
        if not panel_visible:
            doc = withhold_panel_scores(doc)
        return jsonify(doc).get_data()

    with collection_paused():
        body = result_cache().get_or_build(evaluation, ("api", panel_visible), build)
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Cache-Control"] = "private, no-store"
    return response
