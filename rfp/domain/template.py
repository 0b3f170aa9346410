"""The "Customer service outsourcing" template's question texts, built from the scope.

The template's questions come from the seeds (time zone overlap, language fluency,
tooling, pilot willingness, ...), but a question that names a company's own facts
(Spanish, US Central hours, Okta, Zendesk, a 10-week pilot) is wrong for every other
company. Here each template question's text and guidance is a function of the
evaluation's scope: its languages, coverage hours and time zones, tools, channels,
compliance requirements, pilot length and contract term. Where the scope says nothing,
the wording is neutral ("our service languages", "our helpdesk and CRM").

Texts are *rewritten when the scope changes*, not rendered from placeholders when read.
Why: a question's stored text is the record of what vendors were asked. Every reader
(the vendor portal, the printed questionnaire, the scorecards, the workbook, the PDF,
the letters, the scenario export, the addenda's before-and-after) reads that one stored
text, unchanged; placeholders would have to be rendered by each of them, and a scope
edit after vendors answered would silently change the question under their answers.
So: while the evaluation is a draft, a scope change rewrites each template question
whose text (or guidance) is still the template's wording for the old scope, and leaves
alone any the lead has reworded. Once vendors are responding, a question changes only
by an addendum, which tells every vendor (rfp.areas.addenda).

Pure: no Flask, no database. `template_texts(scope)` gives the texts;
`rewrites(questions, old_scope, new_scope)` says which stored texts to replace.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# ISO 639-1 codes people type into the scope's languages, as vendors read them.
LANGUAGE_NAMES = {
    "ar": "Arabic",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "hi": "Hindi",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "pl": "Polish",
    "pt": "Portuguese",
    "ru": "Russian",
    "sv": "Swedish",
    "tl": "Tagalog",
    "tr": "Turkish",
    "vi": "Vietnamese",
    "zh": "Chinese",
}


@dataclass(frozen=True)
class QuestionText:
    text: str
    guidance: str


def joined(items: Iterable[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def language_names(scope: Mapping[str, Any]) -> list[str]:
    """The scope's languages by name ("fr" -> French; anything else as typed)."""
    return [
        LANGUAGE_NAMES.get(str(code).strip().lower(), str(code).strip())
        for code in scope.get("languages") or []
        if str(code).strip()
    ]


def _number(value: float) -> str:
    return f"{value:g}" if not float(value).is_integer() else f"{int(value)}"


def seats_needed(scope: Mapping[str, Any]) -> int | None:
    """Seats the volume needs: agent hours a month (contacts * AHT / 60 / occupancy,
    DESIGN.md's H) over the hours of one FTE a month, rounded up; None without volumes."""
    contacts, aht = scope.get("contacts_per_month"), scope.get("aht_minutes")
    occupancy = scope.get("occupancy") or 0.8
    fte_hours = scope.get("fte_hours_per_month") or 160
    if not contacts or not aht:
        return None
    return math.ceil(float(contacts) * float(aht) / 60.0 / float(occupancy) / float(fte_hours))


def _timezone(scope: Mapping[str, Any]) -> QuestionText:
    coverage = str(scope.get("coverage") or "").strip()
    zones = ", ".join(scope.get("time_zones") or [])
    window = "; ".join(part for part in (coverage, zones) if part)
    text = "Daily overlap with our business hours" + (f" ({window})" if window else "")
    return QuestionText(
        text,
        "5: agents and the people who make decisions work our whole coverage window, 6+ "
        "hours of live management overlap. 1: coverage only through night shifts with "
        "leadership asleep during our day.",
    )


def _language(scope: Mapping[str, Any]) -> QuestionText:
    names = language_names(scope)
    if not names:
        return QuestionText(
            "Fluency of agents in our service languages (level, assessment method)",
            "5: native-level fluency in every service language, independently assessed "
            "(C1+). 1: weak fluency, or a language subcontracted without shared QA.",
        )
    if len(names) == 1:
        return QuestionText(
            f"{names[0]} fluency of agents (level, assessment method)",
            f"5: native-level {names[0]}, independently assessed (C1+). 1: weak or "
            "unassessed fluency.",
        )
    langs = joined(names)
    return QuestionText(
        f"{langs} fluency of agents (level, assessment method, share of multilingual agents)",
        f"5: native-level {langs}, independently assessed (C1+), enough agents in every "
        "language for every interval. 1: a language weak, or subcontracted without "
        "shared QA.",
    )


def _certifications(scope: Mapping[str, Any]) -> QuestionText:
    required = list(scope.get("compliance") or [])
    named = f"{', '.join(required)}, client audit rights" if required else "client audit rights"
    return QuestionText(
        f"Certifications, audits and regulatory compliance ({named})",
        "5: every certification we require current and without exceptions, generous audit "
        "rights. 1: certifications lapsed or audit rights refused.",
    )


def _data_security(scope: Mapping[str, Any]) -> QuestionText:
    return QuestionText(
        "Data security for agent access to our tools (SSO, MFA, endpoints, provisioning)",
        "5: our single sign-on with phishing-resistant MFA, managed locked-down endpoints, "
        "same-day deprovisioning, sensitive data never on their systems. 1: shared accounts "
        "or unmanaged home PCs.",
    )


def _helpdesk(scope: Mapping[str, Any]) -> QuestionText:
    tools = ", ".join(scope.get("tools") or [])
    return QuestionText(
        f"Helpdesk and CRM compatibility ({tools})"
        if tools
        else "Helpdesk and CRM compatibility with our tools",
        f"5: agents already work in {tools} for comparable clients, no middleware. 1: would "
        "need their own ticketing system or an integration we must build."
        if tools
        else "5: agents already work in the same stack for comparable clients, no "
        "middleware. 1: would need their own ticketing system or an integration we must "
        "build.",
    )


def _qa_dashboards(scope: Mapping[str, Any]) -> QuestionText:
    return QuestionText(
        "Shared QA scorecards and dashboards",
        "5: scores in our QA tool on our scorecard, agent-level data into our reporting in "
        "near real time. 1: only their own monthly PDF reports.",
    )


def _ramp(scope: Mapping[str, Any]) -> QuestionText:
    seats = seats_needed(scope)
    target = f"{seats}+ seats" if seats else "the seats our volume needs"
    return QuestionText(
        "Hiring capacity and ramp (30-60-90 day onboarding plan)",
        f"5: concrete 30-60-90 plan reaching {target} by day 90 with hiring capacity for "
        "backfill and peaks. 1: no plan or capacity below our ramp.",
    )


def _pilot(scope: Mapping[str, Any]) -> QuestionText:
    weeks = scope.get("pilot_weeks")
    channels = joined(list(scope.get("channels") or []))
    pilot = f"{_number(weeks)}-week pilot" if weeks else "a controlled pilot"
    on = f" on {channels}" if channels else ""
    return QuestionText(
        f"Pilot willingness ({pilot}{on}, exit terms)",
        f"5: {pilot}{on} with exit criteria and no commitment if missed. 1: no pilot or a "
        "long minimum commitment.",
    )


def _financial(scope: Mapping[str, Any]) -> QuestionText:
    term = scope.get("term_months")
    return QuestionText(
        "Financial stability" + (f" over a {_number(term)}-month contract" if term else ""),
        "5: audited accounts, profitable, diversified client base, no ownership change "
        "expected. 1: losses, heavy client concentration or no audited accounts.",
    )


# Template question key -> its wording from the scope. Questions of the template not
# listed here (escalation, SOC 2, PCI, attrition, sites) are neutral as they stand.
TEMPLATE_QUESTIONS: dict[str, Callable[[Mapping[str, Any]], QuestionText]] = {
    "timezone": _timezone,
    "language": _language,
    "certifications": _certifications,
    "data_security": _data_security,
    "helpdesk": _helpdesk,
    "qa_dashboards": _qa_dashboards,
    "ramp": _ramp,
    "pilot": _pilot,
    "financial": _financial,
}


def template_texts(scope: Mapping[str, Any]) -> dict[str, QuestionText]:
    """Each scope-built template question's text and guidance for this scope."""
    return {key: build(scope) for key, build in TEMPLATE_QUESTIONS.items()}


def rewrites(
    questions: Iterable[tuple[str, str, str]],
    old_scope: Mapping[str, Any],
    new_scope: Mapping[str, Any],
) -> dict[str, QuestionText]:
    """For (key, text, guidance) of stored questions: key -> the new text and guidance of
    each template question still worded as the template words it for `old_scope` (a
    text or guidance the lead reworded is kept as it is). Only real changes."""
    before, after = template_texts(old_scope), template_texts(new_scope)
    out: dict[str, QuestionText] = {}
    for key, text, guidance in questions:
        if key not in before:
            continue
        new = QuestionText(
            after[key].text if text == before[key].text else text,
            after[key].guidance if guidance == before[key].guidance else guidance,
        )
        if new != QuestionText(text, guidance):
            out[key] = new
    return out
