"""Who gets what on every route of the app: the one table of expected answers.

One row per (endpoint, method, stage). The stage is the demo copy the row is checked
on (tests/web/demo_world.py holds a copy of the demo evaluation at each stage); it is
chosen where it matters so that the allowed roles can really use the route: set-up
edits in `draft`, vendor intake and the portal in `open`, scorecards and reference
calls in `scoring`, consensus and results in `consensus`. Routes outside an evaluation
have no stage (None). An endpoint may have rows at several stages when the answer
changes with the stage (results, vendors' responses, reports).

The columns are the roles:

    anonymous   not logged in
    stranger    logged in, no part in the evaluation
    viewer      elena (leadership)
    evaluator   dana
    conflicted  luis, an evaluator who declared a conflict of interest with the vendor
                in the URL (Puente Norte)
    lead        morgan
    admin       admin (no membership; leads every evaluation)

and the answers:

    OK      allowed. GET: 200, or a redirect within the app (not to the login page).
            POST: 200, 302, 400, 409 or 422 (the test sends harmless data, see
            HARMLESS_POSTS, so an allowed POST writes nothing) but never 403/404/500.
    HIDE    200, but the page shows none of the protected data (a sealed response, a
            response hidden by a declared conflict).
    LOGIN   anonymous: a redirect to the login page (401 on the JSON API).
    403     refused: the role may not do this; the body has none of the protected data.
    404     refused: not theirs to know it exists; no data either.
    409     refused by the stage (the same request works at another stage); no data.

A new route fails `test_the_table_covers_every_route_of_the_url_map` until its rows are
added here (and, for a new URL parameter, its entry in URL_PARAMETERS).
"""

from __future__ import annotations

from typing import NamedTuple

OK = "ok"
HIDE = "hidden"
LOGIN = "login"
ROLES = ("anonymous", "stranger", "viewer", "evaluator", "conflicted", "lead", "admin")


class Row(NamedTuple):
    endpoint: str
    method: str
    stage: str | None
    expected: dict[str, str | int]  # role -> answer

    @property
    def id(self) -> str:
        return f"{self.endpoint}-{self.method}" + (f"-{self.stage}" if self.stage else "")


# How each URL parameter is filled, from the world of the row's stage (demo_world.py).
URL_PARAMETERS = {
    "evaluation_id": "the demo copy at the row's stage",
    "vendor_id": "Puente Norte (luis declared a conflict of interest with it)",
    "question_id": "timezone (Cultural fit, scored; no consensus score for Puente Norte)",
    "criterion_id": "tooling",
    "membership_id": "priya's (an evaluator limited to two criteria)",
    "call_id": "Dana's reference call on Puente Norte (Brightwell Meal Co.)",
    "report_id": "an Excel report generated for the copy (consensus and decided only)",
    "job_id": "the finished report job that built that report (consensus and decided only)",
    "link_id": "Puente Norte's portal link",
    "token": "Puente Norte's portal token (a working link in the open copy)",
    "user_id": "elena's account",
    "message_id": "an invitation e-mailed to priya, delivered (so it is not sent again)",
    "clarification_id": "Q1 of the demo (Cottonwood's, published)",
    "addendum_id": "addendum 1 of the demo (every vendor acknowledged it)",
    "slot_id": "the SOC 2 Type II report slot (vendors have uploaded into it)",
    "document_id": "Puente Norte's SOC 2 report (a vendor's upload, sealed before scoring)",
    "rfp_document_id": "the buyer's statement of work (an RFP document)",
    # An invalid direction: once access is granted the move answers 400 and nothing moves.
    "direction": "sideways",
}
# The parameters naming an object of an evaluation: an id of another evaluation's
# object in their place answers 404 (test_an_id_from_another_evaluation_answers_404).
EVALUATION_OBJECTS = (
    "vendor_id",
    "question_id",
    "criterion_id",
    "membership_id",
    "call_id",
    "report_id",
    "link_id",
    "job_id",
    "message_id",
    "clarification_id",
    "addendum_id",
    "slot_id",
    "document_id",
    "rfp_document_id",
)

_ = None  # no stage: a route outside any evaluation
DRAFT, OPEN, SCORING, CONSENSUS, DECIDED = "draft", "open", "scoring", "consensus", "decided"
PILOT = "pilot"

# fmt: off
_ROWS: list[tuple[str, str, str | None, str | int, str | int, str | int, str | int,
                  str | int, str | int, str | int]] = [
    # endpoint                   method  stage      anon   strngr viewer eval   confl  lead   admin
    # -- accounts (auth, admin) and the dashboard --------------------------------------------
    ("auth.login",                "GET",  _,         OK,    OK,    OK,    OK,    OK,    OK,    OK),
    ("auth.login",                "POST", _,         OK,    OK,    OK,    OK,    OK,    OK,    OK),
    ("auth.logout",               "POST", _,         LOGIN, OK,    OK,    OK,    OK,    OK,    OK),
    ("auth.change_password",      "GET",  _,         LOGIN, OK,    OK,    OK,    OK,    OK,    OK),
    ("auth.change_password",      "POST", _,         LOGIN, OK,    OK,    OK,    OK,    OK,    OK),
    ("admin.users",               "GET",  _,         LOGIN, 403,   403,   403,   403,   403,   OK),
    ("admin.new_user",            "GET",  _,         LOGIN, 403,   403,   403,   403,   403,   OK),
    ("admin.new_user",            "POST", _,         LOGIN, 403,   403,   403,   403,   403,   OK),
    ("admin.edit_user",           "GET",  _,         LOGIN, 403,   403,   403,   403,   403,   OK),
    ("admin.edit_user",           "POST", _,         LOGIN, 403,   403,   403,   403,   403,   OK),
    ("dashboard.root",            "GET",  _,         LOGIN, OK,    OK,    OK,    OK,    OK,    OK),
    ("dashboard.index",           "GET",  _,         LOGIN, OK,    OK,    OK,    OK,    OK,    OK),
    # -- set-up: anyone may start an evaluation (and leads it); the rest is the lead's -------
    ("evaluations.new",           "GET",  _,         LOGIN, OK,    OK,    OK,    OK,    OK,    OK),
    ("evaluations.new",           "POST", _,         LOGIN, OK,    OK,    OK,    OK,    OK,    OK),
    ("evaluations.overview",      "GET",  SCORING,   LOGIN, 404,   OK,    OK,    OK,    OK,    OK),
    ("evaluations.settings",      "GET",  DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("evaluations.settings",      "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("criteria.index",            "GET",  DRAFT,     LOGIN, 404,   OK,    OK,    OK,    OK,    OK),
    ("criteria.save_weights",     "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("criteria.new_criterion",    "GET",  DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("criteria.new_criterion",    "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("criteria.edit_criterion",   "GET",  DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("criteria.edit_criterion",   "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("criteria.delete_criterion", "GET",  DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("criteria.delete_criterion", "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("criteria.move_criterion",   "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("criteria.new_question",     "GET",  DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("criteria.new_question",     "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("criteria.edit_question",    "GET",  DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("criteria.edit_question",    "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("criteria.delete_question",  "GET",  DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("criteria.delete_question",  "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("criteria.move_question",    "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    # Vendors: every member reads names; responses are sealed before scoring (HIDE), and
    # hidden from an evaluator with a conflict after.
    ("vendors.index",             "GET",  OPEN,      LOGIN, 404,   OK,    OK,    OK,    OK,    OK),
    ("vendors.detail",            "GET",  OPEN,      LOGIN, 404,   HIDE,  HIDE,  HIDE,  OK,    OK),
    ("vendors.detail",            "GET",  SCORING,   LOGIN, 404,   OK,    OK,    HIDE,  OK,    OK),
    ("vendors.new",               "GET",  OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("vendors.new",               "POST", OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("vendors.edit",              "GET",  OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("vendors.edit",              "POST", OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("vendors.response",          "GET",  OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("vendors.response",          "POST", OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("vendors.remove",            "GET",  OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("vendors.remove",            "POST", OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("members.index",             "GET",  SCORING,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("members.add",               "GET",  DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("members.add",               "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("members.edit",              "GET",  DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("members.edit",              "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("members.remove",            "GET",  SCORING,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("members.remove",            "POST", SCORING,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("members.reactivate",        "POST", SCORING,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("members.reopen",            "POST", SCORING,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    # -- stages and the audit trail (lead and admin) -----------------------------------------
    ("stages.index",              "GET",  DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("stages.index",              "GET",  CONSENSUS, LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("stages.readiness",          "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("stages.advance",            "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("stages.back",               "POST", SCORING,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("stages.decide",             "POST", CONSENSUS, LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("audit.index",               "GET",  CONSENSUS, LOGIN, 404,   OK,    403,   403,   OK,    OK),
    # -- intake (lead) and the vendor portal (the token is the credential, for anyone) -------
    ("intake.index",              "GET",  OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("intake.vendor",             "GET",  OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("intake.questionnaire",      "GET",  OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("intake.create_link",        "POST", OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("intake.revoke_link",        "POST", OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("intake.reopen",             "POST", OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("intake.upload",             "POST", OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("portal.response",           "GET",  OPEN,      OK,    OK,    OK,    OK,    OK,    OK,    OK),
    ("portal.response",           "POST", OPEN,      OK,    OK,    OK,    OK,    OK,    OK,    OK),
    ("portal.questionnaire",      "GET",  OPEN,      OK,    OK,    OK,    OK,    OK,    OK,    OK),
    ("portal.upload",             "POST", OPEN,      OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # -- scorecards: an active evaluator's own; not the vendor they are conflicted with ------
    ("scorecards.index",          "GET",  SCORING,   LOGIN, 404,   403,   OK,    OK,    403,   403),
    ("scorecards.conflicts",      "GET",  SCORING,   LOGIN, 404,   403,   OK,    OK,    403,   403),
    ("scorecards.conflicts",      "POST", SCORING,   LOGIN, 404,   403,   OK,    OK,    403,   403),
    ("scorecards.scorecard",      "GET",  SCORING,   LOGIN, 404,   403,   OK,    403,   403,   403),
    ("scorecards.scorecard",      "GET",  CONSENSUS, LOGIN, 404,   403,   OK,    403,   403,   403),
    ("scorecards.save",           "POST", SCORING,   LOGIN, 404,   403,   OK,    403,   403,   403),
    ("scorecards.save_one",       "POST", SCORING,   LOGIN, 404,   403,   OK,    403,   403,   403),
    ("scorecards.submit",         "POST", SCORING,   LOGIN, 404,   403,   OK,    OK,    403,   403),
    # -- reference calls: evaluators and the lead; an evaluator edits only their own calls;
    # the delete is checked once decided (409 for those allowed), so that nothing is deleted.
    ("references.index",          "GET",  SCORING,   LOGIN, 404,   403,   OK,    OK,    OK,    OK),
    ("references.create",         "POST", SCORING,   LOGIN, 404,   403,   OK,    OK,    OK,    OK),
    ("references.edit",           "GET",  SCORING,   LOGIN, 404,   403,   OK,    403,   OK,    OK),
    ("references.edit",           "POST", SCORING,   LOGIN, 404,   403,   OK,    403,   OK,    OK),
    ("references.delete",         "POST", DECIDED,   LOGIN, 404,   403,   OK,    403,   OK,    OK),
    # -- consensus (lead) --------------------------------------------------------------------
    ("consensus.index",           "GET",  CONSENSUS, LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("consensus.pick",            "GET",  CONSENSUS, LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("consensus.pair",            "GET",  CONSENSUS, LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("consensus.record",          "POST", CONSENSUS, LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("consensus.remove",          "POST", CONSENSUS, LOGIN, 404,   403,   403,   403,   OK,    OK),
    # -- results: lead, viewers; evaluators from consensus on, not the file of a vendor
    # they are conflicted with; nobody but the lead while prices are sealed (409).
    ("results.index",             "GET",  OPEN,      LOGIN, 404,   409,   403,   403,   OK,    OK),
    ("results.index",             "GET",  SCORING,   LOGIN, 404,   OK,    403,   403,   OK,    OK),
    ("results.index",             "GET",  CONSENSUS, LOGIN, 404,   OK,    OK,    OK,    OK,    OK),
    ("results.vendor",            "GET",  SCORING,   LOGIN, 404,   OK,    403,   403,   OK,    OK),
    ("results.vendor",            "GET",  CONSENSUS, LOGIN, 404,   OK,    OK,    403,   OK,    OK),
    ("results.api",               "GET",  SCORING,   LOGIN, 404,   OK,    403,   403,   OK,    OK),
    ("results.api",               "GET",  CONSENSUS, LOGIN, 404,   OK,    OK,    OK,    OK,    OK),
    # -- reports: lead and viewers (the files only from consensus on), never evaluators ------
    ("reports.index",             "GET",  SCORING,   LOGIN, 404,   OK,    403,   403,   OK,    OK),
    ("reports.generate",          "POST", CONSENSUS, LOGIN, 404,   OK,    403,   403,   OK,    OK),
    ("reports.download",          "GET",  CONSENSUS, LOGIN, 404,   OK,    403,   403,   OK,    OK),
    # -- weights (AHP, lead; a comparison of one's own for the lead and the evaluators the lead
    # invited: dana is, luis is not; the admin has no membership to judge as) and the price
    # formula chosen from the results page (lead).
    ("decision.index",            "GET",  DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("decision.participants",     "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("decision.judgment",         "GET",  DRAFT,     LOGIN, 404,   403,   OK,    403,   OK,    403),
    ("decision.judgment",         "POST", DRAFT,     LOGIN, 404,   403,   OK,    403,   OK,    403),
    ("decision.apply",            "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("decision.price_formula",    "POST", CONSENSUS, LOGIN, 404,   403,   403,   403,   OK,    OK),
    # -- issue 11, reports off the request: a report job's progress (JSON) and "try again",
    # as the reports themselves (a done job is not tried again: 409 for those allowed).
    ("reports.job",               "GET",  CONSENSUS, LOGIN, 404,   OK,    403,   403,   OK,    OK),
    ("reports.job",               "GET",  SCORING,   LOGIN, 404,   409,   403,   403,   OK,    OK),
    ("reports.retry",             "POST", CONSENSUS, LOGIN, 404,   OK,    403,   403,   OK,    OK),
    # -- issue 12, e-mail: asking for a new password and setting one with a link (anyone:
    # the same page whoever asks), sending invitations (lead), the outbox (lead and admin,
    # also once decided, when the outcome letters go out).
    ("auth.forgot_password",      "GET",  _,         OK,    OK,    OK,    OK,    OK,    OK,    OK),
    ("auth.forgot_password",      "POST", _,         OK,    OK,    OK,    OK,    OK,    OK,    OK),
    ("auth.set_password_link",    "GET",  _,         OK,    OK,    OK,    OK,    OK,    OK,    OK),
    ("auth.set_password",         "GET",  _,         OK,    OK,    OK,    OK,    OK,    OK,    OK),
    ("auth.set_password",         "POST", _,         OK,    OK,    OK,    OK,    OK,    OK,    OK),
    ("members.invite",            "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("intake.send_invitation",    "POST", OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("mail.index",                "GET",  SCORING,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("mail.index",                "GET",  DECIDED,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("mail.send_again",           "POST", DECIDED,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    # -- issue 12, Q&A, addenda and documents: every member reads the published Q&A, the
    # addenda and the documents pages; the lead answers, publishes and sets the slots.
    # Vendors' documents are sealed until scoring, from the lead too (409), and hidden
    # from an evaluator with a conflict (403). The portal's pages: the token, as above.
    ("clarifications.index",      "GET",  OPEN,      LOGIN, 404,   OK,    OK,    OK,    OK,    OK),
    ("clarifications.answer",     "POST", OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("addenda.index",             "GET",  OPEN,      LOGIN, 404,   OK,    OK,    OK,    OK,    OK),
    ("addenda.new",               "GET",  OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("addenda.new",               "POST", OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("addenda.new",               "GET",  SCORING,   LOGIN, 404,   403,   403,   403,   409,   409),
    ("documents.index",           "GET",  OPEN,      LOGIN, 404,   OK,    OK,    OK,    OK,    OK),
    ("documents.index",           "GET",  SCORING,   LOGIN, 404,   OK,    OK,    OK,    OK,    OK),
    ("documents.new_slot",        "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("documents.edit_slot",       "GET",  DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("documents.edit_slot",       "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("documents.remove_slot",     "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("documents.attach",          "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("documents.remove",          "POST", OPEN,      LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("documents.download",        "GET",  SCORING,   LOGIN, 404,   OK,    OK,    403,   OK,    OK),
    ("documents.download",        "GET",  OPEN,      LOGIN, 404,   409,   409,   409,   409,   409),
    ("portal_clarifications.index", "GET",  OPEN,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    ("portal_clarifications.index", "POST", OPEN,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    ("portal_addenda.index",      "GET",  OPEN,      OK,    OK,    OK,    OK,    OK,    OK,    OK),
    ("portal_addenda.acknowledge", "POST", OPEN,     OK,    OK,    OK,    OK,    OK,    OK,    OK),
    ("portal_documents.index",    "GET",  OPEN,      OK,    OK,    OK,    OK,    OK,    OK,    OK),
    ("portal_documents.upload",   "POST", OPEN,      OK,    OK,    OK,    OK,    OK,    OK,    OK),
    ("portal_documents.remove",   "POST", OPEN,      OK,    OK,    OK,    OK,    OK,    OK,    OK),
    ("portal_documents.download", "GET",  OPEN,      OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # -- issue 13, the pilot: its scorecard for whoever reads the results (evaluators from
    # consensus on); the shortlist (at the end of consensus or during the pilot), set-up,
    # figures, verdicts and the award for the lead, during the pilot (409 once decided).
    ("pilot.index",               "GET",  SCORING,   LOGIN, 404,   OK,    403,   403,   OK,    OK),
    ("pilot.index",               "GET",  CONSENSUS, LOGIN, 404,   OK,    OK,    OK,    OK,    OK),
    ("pilot.index",               "GET",  PILOT,     LOGIN, 404,   OK,    OK,    OK,    OK,    OK),
    ("pilot.index",               "GET",  DECIDED,   LOGIN, 404,   OK,    OK,    OK,    OK,    OK),
    ("pilot.shortlist",           "POST", CONSENSUS, LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("pilot.shortlist",           "POST", DECIDED,   LOGIN, 404,   403,   403,   403,   409,   409),
    ("pilot.setup",               "GET",  PILOT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("pilot.setup",               "GET",  CONSENSUS, LOGIN, 404,   403,   403,   403,   409,   409),
    ("pilot.setup",               "POST", PILOT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("pilot.fix",                 "POST", PILOT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("pilot.baseline",            "POST", PILOT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("pilot.weeks",               "GET",  PILOT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("pilot.weeks",               "POST", PILOT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("pilot.upload",              "POST", PILOT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("pilot.template",            "GET",  PILOT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("pilot.verdict",             "POST", PILOT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("pilot.award",               "GET",  PILOT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("pilot.award",               "POST", PILOT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("pilot.award",               "POST", DECIDED,   LOGIN, 404,   403,   403,   403,   409,   409),
    # -- issue 10, the hardened app: the administrator lifts a log-in lockout (elena is not
    # locked, so the allowed POST writes nothing) --------------------------------------------
    ("admin.unlock_user",         "POST", _,         LOGIN, 403,   403,   403,   403,   403,   OK),
    # -- issue 10, the audit trail for leadership: viewers read it (and its exports) from
    # consensus on, with the panel's scores; the audit.index CONSENSUS row above changed
    # for the viewer too.
    ("audit.index",               "GET",  SCORING,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("audit.export_csv",          "GET",  SCORING,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("audit.export_csv",          "GET",  CONSENSUS, LOGIN, 404,   OK,    403,   403,   OK,    OK),
    ("audit.export_xlsx",         "GET",  CONSENSUS, LOGIN, 404,   OK,    403,   403,   OK,    OK),
    # -- issue 10, bids are what the vendor submitted: once unsealed (or the deadline passed)
    # the lead's response form answers 409, and a change is the lead's amendment (lead and
    # admin), which in turn answers 409 while the response can still change directly.
    ("vendors.response",          "GET",  SCORING,   LOGIN, 404,   403,   403,   403,   409,   409),
    ("vendors.response",          "POST", SCORING,   LOGIN, 404,   403,   403,   403,   409,   409),
    ("vendors.amend",             "GET",  SCORING,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("vendors.amend",             "GET",  OPEN,      LOGIN, 404,   403,   403,   403,   409,   409),
    ("vendors.amend",             "POST", SCORING,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("vendors.amend",             "POST", DECIDED,   LOGIN, 404,   403,   403,   403,   409,   409),
    # -- issue 12, outcome letters: the lead's and admin's once the award is recorded (the
    # vendor in the URL, Puente Norte, is the awarded one in the decided copy); before it,
    # 409 for them. Sending a letter never saved is refused (409), so nothing goes out.
    ("letters.index",             "GET",  DECIDED,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("letters.index",             "GET",  CONSENSUS, LOGIN, 404,   403,   403,   403,   409,   409),
    ("letters.edit",              "GET",  DECIDED,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("letters.edit",              "GET",  CONSENSUS, LOGIN, 404,   403,   403,   403,   409,   409),
    ("letters.edit",              "POST", DECIDED,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("letters.pdf",               "GET",  DECIDED,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("letters.redraft",           "POST", DECIDED,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("letters.send",              "POST", DECIDED,   LOGIN, 404,   403,   403,   403,   OK,    OK),
    ("letters.send",              "POST", CONSENSUS, LOGIN, 404,   403,   403,   403,   409,   409),
    # -- issue 14, sessions and import rights: one's own account page, and "log out of all
    # sessions" (like auth.logout, it logs the role's client out: the next test logs in
    # again) ----------------------------------------------------------------------------------
    ("auth.account",              "GET",  _,         LOGIN, OK,    OK,    OK,    OK,    OK,    OK),
    ("auth.end_sessions",         "POST", _,         LOGIN, OK,    OK,    OK,    OK,    OK,    OK),
    # the lead confirms or dismisses the people a scenario import named (none is waiting in
    # the demo: the allowed POST answers 400)
    ("members.pending",           "POST", DRAFT,     LOGIN, 404,   403,   403,   403,   OK,    OK),
]
# fmt: on

TABLE: list[Row] = [
    Row(endpoint, method, stage, dict(zip(ROLES, answers, strict=True)))
    for endpoint, method, stage, *answers in _ROWS
]

# Form data that makes an allowed POST write nothing (an invalid form, an over-long
# reason, a wrong choice); refused POSTs get the same data. Empty when not listed.
TOO_LONG = "x" * 20_001
HARMLESS_POSTS: dict[str, dict[str, str]] = {
    "criteria.delete_criterion": {"reason": TOO_LONG},
    "criteria.delete_question": {"reason": TOO_LONG},
    "criteria.save_weights": {"reason": TOO_LONG},
    "vendors.response": {"reason": TOO_LONG, "rate": "-1"},
    "vendors.remove": {"reason": TOO_LONG},
    "members.edit": {"criteria": "not-a-criterion"},
    "members.remove": {"reason": TOO_LONG},
    "members.reactivate": {"reason": TOO_LONG},
    "members.reopen": {"reason": TOO_LONG},
    "stages.readiness": {"note": TOO_LONG},
    "stages.advance": {"note": TOO_LONG},
    "stages.back": {"reason": TOO_LONG},
    "stages.decide": {"rationale": TOO_LONG},
    "intake.create_link": {"reason": TOO_LONG},
    "intake.revoke_link": {"reason": TOO_LONG},
    "intake.reopen": {"reason": TOO_LONG},
    "portal.response": {"action": "save", "rate": "-1"},
    "auth.forgot_password": {"email": "not an address"},
    "auth.set_password": {"password": "short", "confirm": "other"},
    "members.invite": {"reason": TOO_LONG},
    "intake.send_invitation": {"reason": TOO_LONG},
    "portal_clarifications.index": {"text": ""},
    "addenda.new": {"title": ""},
    "documents.edit_slot": {"name": ""},
    "decision.participants": {"participants": "not-a-member"},
    "decision.judgment": {"criteria": "stale"},
    "decision.apply": {"expected": "stale"},
    "pilot.setup": {"reason": TOO_LONG},
    "pilot.fix": {"note": TOO_LONG},
    "pilot.baseline": {"baseline_fcr_pct": "not a number"},
    "pilot.weeks": {"w1_fcr_pct": "not a number"},
    "pilot.award": {"rationale": TOO_LONG},
    "vendors.amend": {"reason": TOO_LONG, "new": "-1"},
    "letters.edit": {"opening": TOO_LONG},
    "members.pending": {"pending_id": "0", "action": "confirm"},
}
# Routes that read JSON: the harmless body they are sent instead of a form.
HARMLESS_JSON: dict[str, dict[str, object]] = {
    "scorecards.save_one": {"score": 99, "comment": ""},  # off the 0-5 scale: 400
}
