"""What `rfp score` prints without --json: the ranking table and the sensitivity to the
weights."""

from __future__ import annotations

from typing import Any

from rfp.domain.amendments import sentences
from rfp.domain.decision.sensitivity import SensitivityReport
from rfp.domain.formatting import money, score_text
from rfp.domain.scoring.result import Result
from rfp.scenario.amendments import as_amended


def _cell(text: str, width: int, right: bool = False) -> str:
    text = text if len(text) <= width else text[: width - 1] + "…"
    return text.rjust(width) if right else text.ljust(width)


def ranking_table(result: Result, doc: dict[str, Any]) -> str:
    ev = doc["evaluation"]
    criteria = doc["criteria"]
    names = {v["key"]: v["name"] for v in doc["vendors"]}
    name_width = min(32, max([6, *(len(n) for n in names.values())]))
    widths = [max(7, min(14, len(c["name"]))) for c in criteria]
    lines = [
        ev["title"],
        f"Stage {ev['stage']} · scale {ev['scale']['min']:g}-{ev['scale']['max']:g} · "
        f"{ev['aggregation']} of evaluators · price formula {ev['price_formula']} · "
        "scores on 0-100",
        "",
    ]
    header = "Rank  " + _cell("Vendor", name_width) + "   Total"
    header += "".join(
        "  " + _cell(c["name"], w, right=True) for c, w in zip(criteria, widths, strict=True)
    )
    lines.append(header + "  Status")
    weights_line = "      " + _cell("weight", name_width) + "        "
    weights_line += "".join(
        "  " + _cell(f"{100 * result.weights[c['key']]:.0f} %", w, right=True)
        for c, w in zip(criteria, widths, strict=True)
    )
    lines.append(weights_line)
    lines.append("-" * len(header + "  Status"))
    for v in result.vendors:
        rank = f"{v.rank:>4}" if v.rank is not None else "   –"
        row = f"{rank}  {_cell(v.name, name_width)}  {score_text(v.total):>6}"
        row += "".join(
            "  " + _cell(score_text(v.criteria[c["key"]]), w, right=True)
            for c, w in zip(criteria, widths, strict=True)
        )
        status = []
        if v.disqualified:
            status.append("DISQUALIFIED (failed " + ", ".join(v.failed_knockouts) + ")")
        if not v.complete:
            status.append("provisional")
        if v.amended_after_unsealing:
            status.append("AMENDED after unsealing")
        lines.append(row + "  " + "; ".join(status))

    priced = [(v, v.cost) for v in result.vendors if v.cost is not None]
    if priced:
        scope = ev["scope"]
        lines += [
            "",
            f"Cost over {scope['term_months']:g} months "
            f"({scope['contacts_per_month']:,.0f} contacts a month, "
            f"{priced[0][1].hours_per_month:,.0f} agent-hours a month)",
        ]
        lines.append(
            "      "
            + _cell("Vendor", name_width)
            + "  "
            + "  ".join(
                _cell(h, 13, right=True)
                for h in ("Rate/agent-h", "Benchmark", "TCO", "Per contact", "Savings")
            )
        )
        for v, cost in priced:
            band = f"${cost.rate_range[0]:.0f}-{cost.rate_range[1]:.0f}" if cost.rate_range else "–"
            lines.append(
                "      "
                + _cell(v.name, name_width)
                + "  "
                + "  ".join(
                    _cell(text, 13, right=True)
                    for text in (
                        money(cost.effective_rate, 2),
                        band,
                        money(cost.tco),
                        money(cost.cost_per_contact, 2),
                        money(cost.savings),
                    )
                )
            )

    amended = [v for v in result.vendors if v.amendments]
    if amended:
        texts = {q["key"]: q["text"] for c in criteria for q in c["questions"]}
        units = {q["key"]: q["unit"] for c in criteria for q in c["questions"]}
        models = {v["key"]: (as_amended(v)["pricing"] or {}).get("model") for v in doc["vendors"]}
        lines += ["", "Amendments (changes after the responses were frozen)"]
        for v in amended:
            for line in sentences(
                v.amendments, texts, pricing_model=models.get(v.key), units=units
            ):
                lines.append(f"  {v.name}: {line}")

    flagged = [(v, f) for v in result.vendors for f in v.flags]
    if flagged:
        lines += ["", "Flags"]
        lines += [f"  {v.name}: {f.message}" for v, f in flagged]
    incomplete = [v for v in result.vendors if not v.complete]
    if incomplete:
        lines += ["", "Provisional (incomplete data)"]
        for v in incomplete:
            lines.append(f"  {v.name}: " + "; ".join(v.incomplete_reasons))
    abstaining = [v for v in result.vendors if v.abstentions]
    if abstaining:
        lines += ["", "Abstentions (not counted, not missing)"]
        for v in abstaining:
            lines += [
                f"  {v.name}: {a.evaluator} on {a.question}: {a.reason}" for a in v.abstentions
            ]
    return "\n".join(lines)


def sensitivity_text(report: SensitivityReport) -> str:
    lines = ["Sensitivity to the weights", f"  {report.verdict}"]
    if not report.stability.vendors:
        return "\n".join(lines)
    width = max(9, *(len(c.name) for c in report.criteria))
    lines.append(f"  {'Criterion':<{width}}  Weight  The leader changes if the weight ...")
    for c in report.criteria:
        weight = f"{100 * c.weight:.1f}".removesuffix(".0") + " %"
        lines.append(f"  {c.name:<{width}}  {weight:>6}  {c.summary}")
    s = report.stability
    lines.append(
        f"  First place over {s.draws:,} weightings drawn around the official ones "
        f"(Dirichlet, concentration {s.concentration:g}, seed {s.seed}; ties split):"
    )
    for v in s.vendors:
        lines.append(
            f"    {v.name}: {100 * v.first_share:.1f} % first, mean rank {v.mean_rank:.2f}"
        )
    return "\n".join(lines)
