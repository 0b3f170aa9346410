"""Large synthetic evaluations for benchmarks and load tests (`rfp generate`).

Deterministic for a seed. The shape follows the demo: four scored criteria holding the
questions, a cost and a references criterion; a few knockouts; optionally some evaluators
limited to two criteria; prices across the four delivery models, some outside their
benchmark range; scores on 0..5 for every expected (evaluator, vendor, question).
"""

from __future__ import annotations

import random
from typing import Any

from rfp.domain.scoring.benchmarks import RATE_RANGES

SCORED_CRITERIA = (
    ("cultural_fit", "Cultural fit", 20),
    ("compliance", "Compliance", 20),
    ("tooling", "Tooling", 15),
    ("stability", "Stability", 15),
)
KNOCKOUTS = 3


def generate_scenario(
    *,
    vendors: int = 40,
    questions: int = 120,
    evaluators: int = 12,
    seed: int = 2027,
    limited_every: int = 0,
) -> dict[str, Any]:
    """A scenario with every expected score present.

    With `limited_every=n`, every n-th evaluator is limited to compliance and tooling;
    by default nobody is, so there are vendors x questions x evaluators scores.
    """
    if vendors < 1 or questions < len(SCORED_CRITERIA) or evaluators < 1:
        raise ValueError("need at least 1 vendor, 4 questions and 1 evaluator")
    rng = random.Random(seed)  # noqa: S311  (test data, not secrets)
    criteria: list[dict[str, Any]] = []
    for index, (key, name, weight) in enumerate(SCORED_CRITERIA):
        count = questions // len(SCORED_CRITERIA) + (index < questions % len(SCORED_CRITERIA))
        qs = [
            {
                "key": f"{key}_q{n + 1:03d}",
                "text": f"{name} question {n + 1}",
                "weight": rng.choice((1, 1, 2, 3)),
                "kind": "scored",
            }
            for n in range(count)
        ]
        if key == "compliance":
            qs += [
                {"key": f"knockout_{n + 1}", "text": f"Must-have {n + 1}", "kind": "knockout"}
                for n in range(KNOCKOUTS)
            ]
        criteria.append(
            {"key": key, "name": name, "weight": weight, "kind": "scored", "questions": qs}
        )
    criteria.append({"key": "cost", "name": "Cost", "weight": 20, "kind": "cost"})
    criteria.append({"key": "references", "name": "References", "weight": 10, "kind": "references"})

    models = tuple(RATE_RANGES)
    vendor_docs = []
    for n in range(vendors):
        model = models[n % len(models)]
        lo, hi = RATE_RANGES[model]
        rate = round(rng.uniform(lo * 0.85, hi * 1.1), 2)
        pricing_model = rng.choice(("per_hour", "per_contact", "per_fte_month"))
        # Express the same hourly rate in the vendor's pricing model (AHT 8 min, occ. 0.8).
        if pricing_model == "per_contact":
            rate = round(rate * 8 / 60 / 0.8, 2)
        elif pricing_model == "per_fte_month":
            rate = round(rate * 160, 2)
        vendor_docs.append(
            {
                "key": f"vendor_{n + 1:03d}",
                "name": f"Vendor {n + 1:03d} {model.title()}",
                "model": model,
                "country": rng.choice(("US", "MX", "CO", "CR", "PH", "IN", "GT")),
                "pricing": {
                    "model": pricing_model,
                    "rate": rate,
                    "setup_fee": rng.randrange(10_000, 60_001, 1000),
                    "monthly_fee": rng.randrange(0, 5001, 250),
                },
                "knockouts": {f"knockout_{k + 1}": rng.random() > 0.04 for k in range(KNOCKOUTS)},
                "answers": {},
            }
        )

    evaluator_docs = []
    for n in range(evaluators):
        limited = bool(limited_every) and n % limited_every == limited_every - 1
        evaluator_docs.append(
            {
                "key": f"evaluator_{n + 1:02d}",
                "name": f"Evaluator {n + 1:02d}",
                "criteria": ["compliance", "tooling"] if limited else None,
            }
        )

    quality = {v["key"]: rng.uniform(1.5, 4.2) for v in vendor_docs}
    scores = []
    for e in evaluator_docs:
        severity = rng.uniform(-0.5, 0.5)
        for c in criteria[: len(SCORED_CRITERIA)]:
            if e["criteria"] is not None and c["key"] not in e["criteria"]:
                continue
            for q in c["questions"]:
                if q["kind"] != "scored":
                    continue
                for v in vendor_docs:
                    raw = quality[v["key"]] + severity + rng.gauss(0, 0.8)
                    scores.append(
                        {
                            "evaluator": e["key"],
                            "vendor": v["key"],
                            "question": q["key"],
                            "score": min(5, max(0, round(raw))),
                            "comment": "",
                        }
                    )
    references = []
    for v in vendor_docs:
        for r in range(rng.choice((1, 2, 3, 3, 3, 4))):
            references.append(
                {
                    "vendor": v["key"],
                    "caller": evaluator_docs[r % evaluators]["key"],
                    "company": f"Reference {r + 1} of {v['name']}",
                    "contact": "",
                    "date": f"2026-10-{r + 1:02d}",
                    "similar_business": True,
                    "rating": min(5, max(0, round(quality[v["key"]] + rng.gauss(0, 0.7)))),
                    "would_sign_again": rng.choice(("yes", "yes", "yes", "unsure", "no")),
                    "surprised_negatively": "",
                    "do_differently": "",
                    "notes": "",
                }
            )
    return {
        "format": 1,
        "evaluation": {
            "title": f"Synthetic evaluation {vendors}x{questions}x{evaluators}",
            "stage": "scoring",
            "scope": {
                "contacts_per_month": 30000,
                "aht_minutes": 8,
                "occupancy": 0.8,
                "fte_hours_per_month": 160,
                "term_months": 36,
                "governance_overhead_pct": 10,
                "inhouse_rate": 38,
            },
        },
        "criteria": criteria,
        "vendors": vendor_docs,
        "evaluators": [{k: v for k, v in e.items() if v is not None} for e in evaluator_docs],
        "scores": scores,
        "references": references,
    }
