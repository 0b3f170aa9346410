"""The evaluation's tabs: shown only for areas the user's role may open."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for

from rfp.core import access as a
from rfp.domain.vocabulary import Stage


@dataclass(frozen=True)
class Tab:
    label: str
    endpoint: str
    action: str  # the Access action needed to see the tab
    from_stage: Stage | None = None  # shown from this stage on
    stage: Stage | None = None  # shown at this stage only


TABS: tuple[Tab, ...] = (
    Tab("Overview", "evaluations.overview", a.VIEW_SETUP),
    Tab("Criteria", "criteria.index", a.VIEW_SETUP),
    Tab("Vendors", "vendors.index", a.VIEW_SETUP),
    Tab("People", "members.index", a.MANAGE),
    Tab("Intake", "intake.index", a.MANAGE),
    Tab("Q&A", "clarifications.index", a.VIEW_SETUP),
    Tab("Addenda", "addenda.index", a.VIEW_SETUP),
    Tab("Documents", "documents.index", a.VIEW_SETUP),
    Tab("My scorecards", "scorecards.index", a.SCORE),
    Tab("References", "references.index", a.RECORD_REFERENCES),
    Tab("Consensus", "consensus.index", a.MANAGE),
    Tab("Weights", "decision.index", a.MANAGE),
    Tab("Results", "results.index", a.VIEW_RESULTS),
    Tab("Pilot", "pilot.index", a.VIEW_RESULTS, Stage.CONSENSUS),
    Tab("Reports", "reports.index", a.DOWNLOAD_REPORTS),
    Tab("Audit trail", "audit.index", a.VIEW_AUDIT),
    Tab("Outbox", "mail.index", a.MANAGE),
    Tab("Letters", "letters.index", a.MANAGE, stage=Stage.DECIDED),
)


def tabs_for(access: a.Access) -> list[tuple[str, str, str]]:
    """(label, url, endpoint) of each tab this user may open, for registered areas."""
    endpoints = current_app.view_functions
    out = []
    for tab in TABS:
        if tab.endpoint not in endpoints or not access.can(tab.action):
            continue
        if tab.action == a.SCORE and not access.is_evaluator:
            continue
        if tab.from_stage and not access.evaluation.current_stage.at_or_after(tab.from_stage):
            continue
        if tab.stage is not None and access.evaluation.current_stage != tab.stage:
            continue
        out.append(
            (tab.label, url_for(tab.endpoint, evaluation_id=access.evaluation.id), tab.endpoint)
        )
    return out
