"""Scenario documents <-> the database: import and dump.

Import and dump are inverse: dump(import(doc)) == doc for a canonical document. Both
flush and never commit; the caller (a CLI command, a view) commits once, so that a
failed import leaves nothing behind.

Who the panel of an imported file becomes depends on who imports it (issue 14). An
administrator's import (or the CLI's) enrols the evaluators: an account is matched by
e-mail, then by username, else created without a password (its username by the rule
of every account, rfp.core.credentials), and their scores, comments and declared
conflicts are stored under their names. Anyone else's import (`pending_panel=True`)
enrols nobody and creates no account: each evaluator becomes a pending invitation the
importer confirms on the people page, and what the file says in their names (scores,
comments, conflicts) is left out; the importer is the evaluation's lead.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.core.credentials import check_username
from rfp.core.db import utcnow
from rfp.core.refusal import Refused
from rfp.models.adapter import load_amendments, membership_limits
from rfp.scenario.checks import ScenarioError
from rfp.scenario.pilot_store import (
    dump_award_shares,
    dump_pilot,
    import_award_shares,
    import_pilot,
)
from rfp.scenario.pricing import pricing_lines
from rfp.scenario.schema import FORMAT
from rfp.scenario.scores import is_abstention
from rfp.scenario.sourcing_store import dump_sourcing, import_sourcing

PAST_OPEN = ("scoring", "consensus", "pilot", "decided")
PAST_CONSENSUS = ("consensus", "pilot", "decided")


def _num(value: float | None) -> float | int | None:
    """Integral floats as ints, so that a dump reads as the file was written."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _evaluator_user(session: Session, i: int, key: str, name: str, email: str) -> m.User:
    """The account of a panel member: matched by e-mail, then by username; else created
    without a password (an admin sets one before they can log in), its username checked
    like every other (no look-alike of an existing account)."""
    user = None
    if email:
        user = session.scalar(select(m.User).where(m.User.email == email))
    if user is None:
        user = session.scalar(select(m.User).where(m.User.username == key))
    if user is None:
        try:
            username = check_username(key, session.scalars(select(m.User.username)))
        except Refused as refused:
            raise ScenarioError([f"evaluators[{i}].key: {refused.message}"]) from refused
        user = m.User(username=username, name=name, email=email or None, password_hash=None)
        session.add(user)
        session.flush()
    return user


def _pending_panel(
    session: Session, doc: dict[str, Any], evaluation: m.Evaluation, importer: m.User | None
) -> None:
    """The file's evaluators as invitations waiting for the importer's confirmation."""
    for e in doc["evaluators"]:
        session.add(
            m.PendingInvitation(
                evaluation_id=evaluation.id,
                key=e["key"],
                name=e["name"],
                email=e["email"] or None,
                criteria=list(e["criteria"] or []),
                imported_by_id=importer.id if importer else None,
            )
        )


def import_scenario(
    session: Session,
    doc: dict[str, Any],
    *,
    lead: m.User | None = None,
    actor: str = "",
    pending_panel: bool = False,
    file_sha256: str = "",
) -> m.Evaluation:
    """Create an evaluation from a canonical scenario document (flush, no commit).

    `pending_panel`: the evaluators become pending invitations (see the module's
    docstring); `file_sha256`: the file's digest, recorded in the audit event."""
    ev = doc["evaluation"]
    now = utcnow()
    evaluation = m.Evaluation(
        title=ev["title"],
        description=ev["description"],
        stage=ev["stage"],
        deadline=datetime.fromisoformat(ev["deadline"]) if ev["deadline"] else None,
        scoring_due=date.fromisoformat(ev["scoring_due"]) if ev["scoring_due"] else None,
        scale_min=float(ev["scale"]["min"]),
        scale_max=float(ev["scale"]["max"]),
        anchors=dict(ev["scale"]["anchors"]),
        aggregation=ev["aggregation"],
        dispersion_threshold=float(ev["dispersion_threshold"]),
        price_formula=ev["price_formula"],
        price_zero_multiple=float(ev["price_zero_multiple"]),
        scope=ev["scope"],
        readiness=dict(ev["readiness"]),
        blind_scoring=ev["blind_scoring"],
        two_envelope=ev["two_envelope"],
        normalise_evaluators=ev["normalise_evaluators"],
        sensitivity_concentration=float(ev["sensitivity_concentration"]),
        award_rationale=(ev["award"] or {}).get("rationale", ""),
        unsealed_at=now if ev["stage"] in PAST_OPEN else None,
        decided_at=now if ev["stage"] == "decided" else None,
        created_by_id=lead.id if lead else None,
    )
    session.add(evaluation)
    session.flush()

    criteria: dict[str, m.Criterion] = {}
    questions: dict[str, m.Question] = {}
    for i, c in enumerate(doc["criteria"]):
        criterion = m.Criterion(
            key=c["key"],
            name=c["name"],
            kind=c["kind"],
            weight=float(c["weight"]),
            description=c["description"],
            position=i,
            evaluation=evaluation,
        )
        session.add(criterion)
        criteria[c["key"]] = criterion
        for j, q in enumerate(c["questions"]):
            question = m.Question(
                key=q["key"],
                text=q["text"],
                guidance=q["guidance"],
                kind=q["kind"],
                weight=float(q["weight"]),
                position=j,
                answer_type=q["answer_type"],
                unit=q["unit"],
                bands=q["bands"],
                evaluation_id=evaluation.id,
            )
            questions[q["key"]] = question
            criterion.questions.append(question)
    session.flush()

    vendors: dict[str, m.Vendor] = {}
    for i, v in enumerate(doc["vendors"]):
        pricing = v["pricing"] or {}
        vendor = m.Vendor(
            key=v["key"],
            name=v["name"],
            delivery_model=v["model"],
            country=v["country"],
            contact_name=v["contact_name"],
            contact_email=v["contact_email"],
            notes=v["notes"],
            position=i,
            evaluation=evaluation,
        )
        vendor.response = m.VendorResponse(
            status=v["status"],
            source="import",
            pricing_model=pricing.get("model"),
            rate=pricing.get("rate"),
            setup_fee=pricing.get("setup_fee"),
            monthly_fee=pricing.get("monthly_fee"),
            rate_lines=pricing.get("lines"),
            volume_tiers=pricing.get("tiers"),
            submitted_at=now if v["status"] == "submitted" else None,
            updated_at=now,
        )
        vendors[v["key"]] = vendor
    session.add_all(vendors.values())

    memberships: dict[str, m.Membership] = {}
    panel: dict[int, str] = {}  # account id -> evaluator key: an account sits on a panel once
    if pending_panel:
        _pending_panel(session, doc, evaluation, lead)
    for i, e in enumerate([] if pending_panel else doc["evaluators"]):
        user = _evaluator_user(session, i, e["key"], e["name"], e["email"])
        if user.id in panel:
            raise ScenarioError(
                [
                    f"evaluators[{i}]: is the account {user.username!r} already on the panel as "
                    f"{panel[user.id]!r} (accounts are matched by e-mail, then by username)"
                ]
            )
        panel[user.id] = e["key"]
        membership = m.Membership(
            evaluation=evaluation,
            user=user,
            role="evaluator",
            key=e["key"],
            active=e["active"],
            criteria=[criteria[k] for k in e["criteria"]] if e["criteria"] else [],
            coi_declared_at=now if ev["stage"] in PAST_OPEN else None,
            submitted_at=now if ev["stage"] in PAST_CONSENSUS else None,
            removed_at=None if e["active"] else now,
        )
        memberships[e["key"]] = membership
        session.add(membership)
    if lead is not None and not any(ms.user is lead for ms in memberships.values()):
        key = lead.username
        while key in memberships:
            key += "_lead"
        session.add(m.Membership(evaluation=evaluation, user=lead, role="lead", key=key))
    session.flush()

    if ev["award"]:
        evaluation.award_vendor_id = vendors[ev["award"]["vendor"]].id
    for d in [] if pending_panel else doc["conflicts"]:
        session.add(
            m.ConflictDeclaration(
                membership_id=memberships[d["evaluator"]].id,
                vendor_id=vendors[d["vendor"]].id,
                note=d["note"],
            )
        )

    answer_rows = []
    for v in doc["vendors"]:
        keys = [*v["answers"], *(k for k in v["knockouts"] if k not in v["answers"])]
        keys += [k for k in (*v["evidence"], *v["numbers"]) if k not in keys]
        for key in dict.fromkeys(keys):
            answer_rows.append(
                {
                    "vendor_id": vendors[v["key"]].id,
                    "question_id": questions[key].id,
                    "text": v["answers"].get(key, ""),
                    "knockout_pass": v["knockouts"].get(key),
                    "evidence": v["evidence"].get(key, ""),
                    "number": v["numbers"].get(key),
                    "updated_at": now,
                }
            )
    if answer_rows:
        session.execute(insert(m.Answer), answer_rows)
    # The changes after the response was frozen, in their order, beside it.
    amendment_rows = [
        {
            "evaluation_id": evaluation.id,
            "vendor_id": vendors[v["key"]].id,
            "field": a["field"],
            "question_id": questions[a["question"]].id if a["question"] else None,
            "old_value": a["old"],
            "new_value": a["new"],
            "reason": a["reason"],
            "source": a["source"],
            "stage": a["stage"],
            "after_unsealing": a["after_unsealing"],
            "actor": a["by"],
            "at": datetime.fromisoformat(a["at"]),
        }
        for v in doc["vendors"]
        for a in v["amendments"]
    ]
    if amendment_rows:
        session.execute(insert(m.ResponseAmendment), amendment_rows)

    score_rows = [
        {
            "evaluation_id": evaluation.id,
            "membership_id": memberships[s["evaluator"]].id,
            "vendor_id": vendors[s["vendor"]].id,
            "question_id": questions[s["question"]].id,
            # An abstention: no value, and its reason where a score has its comment.
            "value": None if is_abstention(s) else float(s["score"]),
            "abstained": is_abstention(s),
            "comment": s["reason"] if is_abstention(s) else s["comment"],
            "created_at": now,
            "updated_at": now,
        }
        for s in ([] if pending_panel else doc["scores"])
    ]
    if score_rows:
        session.execute(insert(m.Score), score_rows)
    for s in doc["consensus"]:
        session.add(
            m.ConsensusScore(
                evaluation_id=evaluation.id,
                vendor_id=vendors[s["vendor"]].id,
                question_id=questions[s["question"]].id,
                value=float(s["score"]),
                rationale=s["rationale"],
                recorded_by_id=lead.id if lead else None,
            )
        )
    names = {e["key"]: e["name"] for e in doc["evaluators"]}
    for i, r in enumerate(doc["references"]):
        caller = memberships.get(r["caller"])
        session.add(
            m.ReferenceCall(
                evaluation_id=evaluation.id,
                vendor_id=vendors[r["vendor"]].id,
                caller_membership_id=caller.id if caller else None,
                caller_name="" if caller else names.get(r["caller"], r["caller"]),
                company=r["company"],
                contact=r["contact"],
                call_date=date.fromisoformat(r["date"]) if r["date"] else None,
                similar_business=r["similar_business"],
                rating=float(r["rating"]),
                would_sign_again=r["would_sign_again"],
                surprised_negatively=r["surprised_negatively"],
                do_differently=r["do_differently"],
                notes=r["notes"],
                position=i,
            )
        )
    import_sourcing(session, doc, evaluation, vendors, questions)
    import_pilot(session, evaluation, doc.get("pilot"), vendors)
    import_award_shares(session, evaluation, ev["award"], vendors)
    imported: dict[str, Any] = {"vendors": len(doc["vendors"]), "scores": len(score_rows)}
    if pending_panel:
        imported |= {
            "pending_invitations": len(doc["evaluators"]),
            "left_out": {"scores": len(doc["scores"]), "conflicts": len(doc["conflicts"])},
        }
    if file_sha256:
        imported["sha256"] = file_sha256
    session.add(
        m.AuditEvent(
            evaluation_id=evaluation.id,
            user_id=lead.id if lead else None,
            actor=actor,
            action="evaluation.imported",
            target=evaluation.title,
            new=imported,
        )
    )
    session.flush()
    return evaluation


def dump_evaluation(session: Session, evaluation_id: int) -> dict[str, Any]:
    """The canonical scenario document of an evaluation (format 1)."""
    ev = session.get(m.Evaluation, evaluation_id)
    if ev is None:
        raise LookupError(f"no evaluation with id {evaluation_id}")
    criteria = session.scalars(
        select(m.Criterion).where(m.Criterion.evaluation_id == ev.id).order_by(m.Criterion.position)
    ).all()
    question_rows = session.scalars(
        select(m.Question)
        .where(m.Question.evaluation_id == ev.id)
        .order_by(m.Question.criterion_id, m.Question.position)
    ).all()
    questions_of: dict[int, list[m.Question]] = {}
    for q in question_rows:
        questions_of.setdefault(q.criterion_id, []).append(q)
    question_key = {q.id: q.key for q in question_rows}
    vendors = session.scalars(
        select(m.Vendor).where(m.Vendor.evaluation_id == ev.id).order_by(m.Vendor.position)
    ).all()
    vendor_key = {v.id: v.key for v in vendors}
    responses = {
        r.vendor_id: r
        for r in session.scalars(
            select(m.VendorResponse).join(m.Vendor).where(m.Vendor.evaluation_id == ev.id)
        )
    }
    answers: dict[int, list[m.Answer]] = {}
    for a in session.scalars(
        select(m.Answer).join(m.Vendor).where(m.Vendor.evaluation_id == ev.id).order_by(m.Answer.id)
    ):
        answers.setdefault(a.vendor_id, []).append(a)
    memberships = session.scalars(
        select(m.Membership).where(m.Membership.evaluation_id == ev.id).order_by(m.Membership.id)
    ).all()
    member_key = {ms.id: ms.key for ms in memberships}
    limits = membership_limits(session, ev.id)
    criterion_key = {c.id: c.key for c in criteria}
    award_key = vendor_key.get(ev.award_vendor_id) if ev.award_vendor_id else None
    amendments = load_amendments(session, ev.id)

    scope = dict(ev.scope or {})
    doc: dict[str, Any] = {
        "format": FORMAT,
        "evaluation": {
            "title": ev.title,
            "description": ev.description,
            "stage": ev.stage,
            "deadline": ev.deadline.isoformat() if ev.deadline else None,
            "scoring_due": ev.scoring_due.isoformat() if ev.scoring_due else None,
            "scale": {
                "min": _num(ev.scale_min),
                "max": _num(ev.scale_max),
                "anchors": dict(ev.anchors or {}),
            },
            "aggregation": ev.aggregation,
            "dispersion_threshold": _num(ev.dispersion_threshold),
            "price_formula": ev.price_formula,
            "price_zero_multiple": _num(ev.price_zero_multiple),
            "blind_scoring": ev.blind_scoring,
            "two_envelope": ev.two_envelope,
            "normalise_evaluators": ev.normalise_evaluators,
            "sensitivity_concentration": _num(ev.sensitivity_concentration),
            "readiness": dict(ev.readiness or {}),
            "scope": scope,
            "award": {"vendor": award_key, "rationale": ev.award_rationale} if award_key else None,
        },
        "criteria": [
            {
                "key": c.key,
                "name": c.name,
                "weight": _num(c.weight),
                "kind": c.kind,
                "description": c.description,
                "questions": [
                    {
                        "key": q.key,
                        "text": q.text,
                        "weight": _num(q.weight),
                        "kind": q.kind,
                        "guidance": q.guidance,
                        "answer_type": q.answer_type,
                        "unit": q.unit,
                        "bands": q.bands,
                    }
                    for q in questions_of.get(c.id, [])
                ],
            }
            for c in criteria
        ],
        "vendors": [
            _dump_vendor(v, responses.get(v.id), answers.get(v.id, []), question_key)
            | {"amendments": amendments.get(v.id, [])}
            for v in vendors
        ],
        "evaluators": [
            {
                "key": ms.key,
                "name": ms.user.name,
                "email": ms.user.email or "",
                "criteria": (
                    [
                        criterion_key[cid]
                        for cid in sorted(limits[ms.id], key=lambda cid: _position(criteria, cid))
                    ]
                    if limits.get(ms.id)
                    else None
                ),
                "active": ms.active,
            }
            for ms in memberships
            if ms.role == "evaluator"
        ],
        "conflicts": [
            {
                "evaluator": member_key[d.membership_id],
                "vendor": vendor_key[d.vendor_id],
                "note": d.note,
            }
            for d in session.scalars(
                select(m.ConflictDeclaration)
                .join(m.Membership)
                .where(m.Membership.evaluation_id == ev.id)
                .order_by(m.ConflictDeclaration.id)
            )
        ],
        "scores": [
            _dump_score(member_key[mid], vendor_key[vid], question_key[qid], value, comment)
            for mid, vid, qid, value, comment in session.execute(
                select(
                    m.Score.membership_id,
                    m.Score.vendor_id,
                    m.Score.question_id,
                    m.Score.value,
                    m.Score.comment,
                )
                .where(m.Score.evaluation_id == ev.id)
                .order_by(m.Score.id)
            )
        ],
        "consensus": [
            {
                "vendor": vendor_key[s.vendor_id],
                "question": question_key[s.question_id],
                "score": _num(s.value),
                "rationale": s.rationale,
            }
            for s in session.scalars(
                select(m.ConsensusScore)
                .where(m.ConsensusScore.evaluation_id == ev.id)
                .order_by(m.ConsensusScore.id)
            )
        ],
        "references": [
            {
                "vendor": vendor_key[r.vendor_id],
                "caller": member_key[r.caller_membership_id]
                if r.caller_membership_id
                else r.caller_name,
                "company": r.company,
                "contact": r.contact,
                "date": r.call_date.isoformat() if r.call_date else None,
                "similar_business": r.similar_business,
                "rating": _num(r.rating),
                "would_sign_again": r.would_sign_again,
                "surprised_negatively": r.surprised_negatively,
                "do_differently": r.do_differently,
                "notes": r.notes,
            }
            for r in session.scalars(
                select(m.ReferenceCall)
                .where(m.ReferenceCall.evaluation_id == ev.id)
                .order_by(m.ReferenceCall.position, m.ReferenceCall.id)
            )
        ],
    }
    doc.update(dump_sourcing(session, ev.id, vendor_key, question_key))
    if doc["evaluation"]["award"] is not None:
        shares = dump_award_shares(session, ev.id, vendor_key)
        if shares is not None:
            doc["evaluation"]["award"]["shares"] = shares
    pilot = dump_pilot(session, ev.id, vendor_key)
    if pilot is not None:
        doc["pilot"] = pilot
    return doc


def _dump_score(
    evaluator: str, vendor: str, question: str, value: float | None, comment: str
) -> dict[str, Any]:
    """A scores[] row: a score with its comment, or (no value) an abstention with its
    reason."""
    if value is None:
        return {
            "evaluator": evaluator,
            "vendor": vendor,
            "question": question,
            "abstain": True,
            "reason": comment,
        }
    return {
        "evaluator": evaluator,
        "vendor": vendor,
        "question": question,
        "score": _num(value),
        "comment": comment,
    }


def _position(criteria: Iterable[m.Criterion], criterion_id: int) -> int:
    for c in criteria:
        if c.id == criterion_id:
            return c.position
    return 0


def _dump_vendor(
    v: m.Vendor,
    response: m.VendorResponse | None,
    answers: list[m.Answer],
    question_key: dict[int, str],
) -> dict[str, Any]:
    pricing = None
    if response is not None and response.has_price:
        pricing = {
            "model": response.pricing_model,
            "rate": _num(response.rate),
            "setup_fee": _num(response.setup_fee or 0),
            "monthly_fee": _num(response.monthly_fee or 0),
            **pricing_lines(response.rate_lines, response.volume_tiers),
        }
    return {
        "key": v.key,
        "name": v.name,
        "model": v.delivery_model,
        "country": v.country,
        "contact_name": v.contact_name,
        "contact_email": v.contact_email,
        "notes": v.notes,
        "status": response.status if response else "not_started",
        "pricing": pricing,
        "knockouts": {
            question_key[a.question_id]: a.knockout_pass
            for a in answers
            if a.knockout_pass is not None
        },
        "evidence": {question_key[a.question_id]: a.evidence for a in answers if a.evidence},
        "answers": {question_key[a.question_id]: a.text for a in answers if a.text},
        "numbers": {
            question_key[a.question_id]: _num(a.number) for a in answers if a.number is not None
        },
    }
