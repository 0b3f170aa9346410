"""An evaluation open for responses, its people, and helpers to make vendor links.

Used by the fixtures in conftest.py and imported by tests that need a scenario.

Vendors alpha and beta have not started; the questions are timezone, language (text,
cultural fit), attrition (a number, in %), sites (info), soc2 (a knockout) and audits.
People: lena (lead), ana and raj (evaluators), vic (viewer), otto (no part in it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import func, select

from rfp import models as m
from rfp.areas.intake import operations as ops
from rfp.core.db import utcnow
from rfp.scenario import normalise_scenario
from rfp.scenario.store import import_scenario

PASSWORD = "rfp-demo-2027"


@cache
def password_hash() -> str:
    """Hashing is slow on purpose; one hash serves every test user."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD)


def open_scenario(make_scenario: Any, **evaluation: Any) -> dict[str, Any]:
    deadline = (utcnow() + timedelta(days=7)).replace(microsecond=0).isoformat()
    evaluation = {"stage": "open", "deadline": deadline, **evaluation}
    doc = make_scenario(**evaluation)
    doc["evaluation"]["scope"].update(
        functions=["customer care"],
        channels=["email", "chat"],
        languages=["en", "es"],
        coverage="Mon-Fri 08:00-20:00 US Central",
        compliance=["SOC 2", "PCI-DSS"],
        pilot_weeks=10,
        targets={"fcr_pct": 75, "csat_pct": 85},
    )
    doc["criteria"][0]["questions"].append(
        {
            "key": "attrition",
            "text": "Annual agent attrition",
            "answer_type": "number",
            "unit": "%",
            "guidance": "Last 12 months, all sites",
        }
    )
    doc["criteria"][1]["questions"].append(
        {"key": "sites", "text": "Delivery sites", "kind": "info"}
    )
    for vendor in doc["vendors"]:
        vendor.update(status="not_started", pricing=None, knockouts={})
        vendor["contact_email"] = f"bids@{vendor['key']}.example"
    return normalise_scenario(doc)


@dataclass
class World:
    db: Any
    evaluation: int
    vendors: dict[str, int]
    users: dict[str, int]
    tokens: dict[str, str] = field(default_factory=dict)

    def link(self, vendor_key: str) -> str:
        """Make a portal link for a vendor as the lead; returns the plain token."""
        with self.db.transaction() as s:
            evaluation = s.get(m.Evaluation, self.evaluation)
            vendor = s.get(m.Vendor, self.vendors[vendor_key])
            _link, token = ops.create_link(s, evaluation, vendor, s.get(m.User, self.users["lena"]))
        self.tokens[vendor_key] = token
        return token

    def set(self, **values: Any) -> None:
        """Change the evaluation directly (stage, deadline, two_envelope...)."""
        with self.db.transaction() as s:
            evaluation = s.get(m.Evaluation, self.evaluation)
            for name, value in values.items():
                setattr(evaluation, name, value)

    def response(self, vendor_key: str) -> dict[str, Any]:
        """The vendor's stored response, as the scenario dump has it."""
        from rfp.scenario.store import dump_evaluation

        with self.db.transaction() as s:
            doc = dump_evaluation(s, self.evaluation)
        return next(v for v in doc["vendors"] if v["key"] == vendor_key)

    def counts(self) -> dict[str, int]:
        """Rows per table: to show that a refused request wrote nothing."""
        with self.db.transaction() as s:
            return {
                table.name: s.scalar(select(func.count()).select_from(table))
                for table in m.Answer.metadata.sorted_tables
            }

    def snapshot(self) -> tuple[dict[str, int], dict[str, Any], dict[str, Any]]:
        return self.counts(), self.response("alpha"), self.response("beta")


def build_world(db: Any, doc: dict[str, Any]) -> World:
    with db.transaction() as s:
        lena = m.User(username="lena", name="Lena Lead", email="lena@buyer.example")
        lena.password_hash = password_hash()
        s.add(lena)
        s.flush()
        evaluation = import_scenario(s, doc, lead=lena)
        users = {"lena": lena}
        for key in ("ana", "raj"):
            user = s.scalar(select(m.User).where(m.User.username == key))
            user.password_hash = password_hash()
            users[key] = user
        for username, name in (("vic", "Vic Viewer"), ("otto", "Otto Outsider")):
            user = m.User(username=username, name=name)
            user.password_hash = password_hash()
            s.add(user)
            users[username] = user
        s.flush()
        s.add(m.Membership(evaluation=evaluation, user=users["vic"], role="viewer", key="vic"))
        s.flush()
        return World(
            db=db,
            evaluation=evaluation.id,
            vendors={v.key: v.id for v in evaluation.vendors},
            users={k: u.id for k, u in users.items()},
        )
