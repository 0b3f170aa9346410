"""Helpers of the decision-support web tests: judgments, page text, and small
evaluations worked out by hand (stages and audit events: evaluation_support)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import unescape
from typing import Any

from sqlalchemy import select

from rfp import models as m
from rfp.scenario import normalise_scenario
from rfp.scenario.store import import_scenario

PASSWORD = "rfp-demo-2027"


def criterion_weights(db: Any, evaluation_id: int) -> dict[str, float]:
    with db.transaction() as s:
        return dict(
            s.execute(
                select(m.Criterion.key, m.Criterion.weight).where(
                    m.Criterion.evaluation_id == evaluation_id
                )
            ).all()
        )


def criterion_keys(db: Any, evaluation_id: int) -> list[str]:
    with db.transaction() as s:
        return list(
            s.scalars(
                select(m.Criterion.key)
                .where(m.Criterion.evaluation_id == evaluation_id)
                .order_by(m.Criterion.position, m.Criterion.id)
            )
        )


def comparison(keys: Sequence[str], values: Sequence[str]) -> dict[str, str]:
    """The comparison form's data: one value per pair (i < j), in the criteria's order,
    plus the criteria the form was drawn for."""
    pairs = [(a, b) for i, a in enumerate(keys) for b in keys[i + 1 :]]
    assert len(pairs) == len(values), f"{len(pairs)} pairs, {len(values)} values"
    data = {f"pair-{a}-{b}": v for (a, b), v in zip(pairs, values, strict=True)}
    data["criteria"] = ",".join(keys)
    return data


def consistent_values(keys: Sequence[str], weights: dict[str, int]) -> list[str]:
    """Radio values of a perfectly consistent comparison: a_ij = w_i / w_j, each ratio a
    whole point of Saaty's scale (or its reciprocal)."""
    values = []
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            ratio = weights[a] / weights[b]
            if ratio == 1:
                values.append("eq")
            elif ratio > 1:
                assert ratio.is_integer()
                values.append(f"a{int(ratio)}")
            else:
                assert (1 / ratio).is_integer()
                values.append(f"b{int(1 / ratio)}")
    return values


def text_of(html: str) -> str:
    """The page's text, tags dropped and spaces collapsed (none before punctuation)."""
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    return re.sub(r" ([:.,;)])", r"\1", text)


def section(html: str, element_id: str) -> str:
    """The HTML from the element with this id to the end of its section."""
    start = html.index(f'id="{element_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def import_small(db: Any, doc: dict[str, Any], lead_username: str = "lena") -> dict[str, Any]:
    """Import a scenario with a lead account of its own; evaluators' accounts get the
    test password. Returns ids by key."""
    canonical = normalise_scenario(doc)
    with db.transaction() as s:
        lead = s.scalar(select(m.User).where(m.User.username == lead_username))
        if lead is None:
            lead = m.User(username=lead_username, name=lead_username.title())
            lead.set_password(PASSWORD)
            s.add(lead)
            s.flush()
        evaluation = import_scenario(s, canonical, lead=lead)
        for e in canonical["evaluators"]:
            user = s.scalar(select(m.User).where(m.User.username == e["key"]))
            user.set_password(PASSWORD)
        ids: dict[str, Any] = {"evaluation": evaluation.id}
        ids.update({v.key: v.id for v in evaluation.vendors})
        ids.update({f"q:{q.key}": q.id for c in evaluation.criteria for q in c.questions})
        ids.update({f"c:{c.key}": c.id for c in evaluation.criteria})
    return ids
