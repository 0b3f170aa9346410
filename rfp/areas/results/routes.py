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
few for texts and, on a vendor's page, its comments, answers and calls.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, url_for

from rfp.areas.results.pages import build_results_page, scale_points, withhold_panel_scores
from rfp.areas.results.pilot_section import build_pilot_section, build_split_section
from rfp.areas.results.queries import collection_paused, load_results, load_vendor_file
from rfp.areas.results.sensitivity import build_sensitivity_section, sensitivity_for
from rfp.areas.results.vendor_page import build_vendor_page
from rfp.core.access import VIEW_PANEL_SCORES, VIEW_RESULTS, Access, evaluation_access, vendor_of
from rfp.core.extensions import db_session
from rfp.domain.scoring import score_evaluation
from rfp.models.adapter import load_scoring_input

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


@bp.route("/evaluations/<int:evaluation_id>/results")
def index(evaluation_id: int):  # type: ignore[no-untyped-def]
    access = _results_access(evaluation_id)
    evaluation = access.evaluation
    # The collector is paused for the whole page: the result holds tens of thousands of
    # objects that every collection would walk again (see `collection_paused`).
    with collection_paused():
        data = load_results(db_session(), evaluation)
        page = build_results_page(
            data,
            _vendor_links(access, data.vendor_ids),
            panel_visible=access.can(VIEW_PANEL_SCORES),
            awarded_vendor_id=evaluation.award_vendor_id,
        )
        sensitivity = build_sensitivity_section(
            data.scoring_input,
            data.result,
            concentration=evaluation.sensitivity_concentration,
            lead=access.is_lead,
        )
        return render_template(
            "results/index.html",
            access=access,
            page=page,
            scale_points=scale_points,
            sensitivity=sensitivity,
            pilot_section=build_pilot_section(data.result),
            split_section=build_split_section(data.result),
        )


@bp.route("/evaluations/<int:evaluation_id>/results/vendors/<int:vendor_id>")
def vendor(evaluation_id: int, vendor_id: int):  # type: ignore[no-untyped-def]
    access = _results_access(evaluation_id)
    vendor = vendor_of(access, vendor_id)
    if access.conflicted_with(vendor.id):
        abort(403)
    session = db_session()
    with collection_paused():
        data = load_results(session, access.evaluation)
        page = build_vendor_page(
            data,
            load_vendor_file(session, access.evaluation, vendor, data.question_keys),
            panel_visible=access.can(VIEW_PANEL_SCORES),
            anchors=access.evaluation.anchors or {},
        )
        return render_template(
            "results/vendor.html", access=access, page=page, scale_points=scale_points
        )


@bp.route("/api/evaluations/<int:evaluation_id>/results")
def api(evaluation_id: int):  # type: ignore[no-untyped-def]
    """The fields of `rfp score --json`: `Result.to_json()` and the sensitivity report with
    the page's draws, concentration and seed (errors answer JSON too)."""
    access = _results_access(evaluation_id)
    with collection_paused():
        inp = load_scoring_input(db_session(), access.evaluation)
        result = score_evaluation(inp)
        sensitivity = sensitivity_for(inp, result, access.evaluation.sensitivity_concentration)
        doc = result.to_json() | {"sensitivity": sensitivity.to_json()}
        if not access.can(VIEW_PANEL_SCORES):
            doc = withhold_panel_scores(doc)
        response = jsonify(doc)
    response.headers["Cache-Control"] = "private, no-store"
    return response
