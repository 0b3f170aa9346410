"""Decision support as plain text, for `rfp ahp` and the sensitivity part of `rfp score`."""

from __future__ import annotations

from rfp.domain.decision.ahp import CR_ACCEPTABLE, RANDOM_INDEX_TABLES, AhpResult, judgment_text
from rfp.domain.decision.sensitivity import SensitivityReport


def ahp_text(result: AhpResult) -> str:
    table = RANDOM_INDEX_TABLES[result.random_index_table]
    who = "one participant" if result.participants == 1 else f"{result.participants} participants"
    width = max(9, *(len(k) for k in result.criteria))
    combined = "" if result.participants == 1 else ", combined by geometric mean"
    lines = [f"AHP weights from the pairwise comparisons of {who}{combined}", ""]
    lines.append(f"  {'Criterion':<{width}}  {'Weight':>7}")
    for key, weight in sorted(result.weights_by_key.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {key:<{width}}  {100 * weight:>6.1f} %")
    lines.append("")
    lines.append(f"lambda max {result.lambda_max:.4f} · CI {result.ci:.4f}")
    if result.cr is None:
        lines.append(f"CR not computed (random index table {table.name})")
    else:
        verdict = "acceptable" if result.acceptable else "too inconsistent"
        lines.append(
            f"RI {_ri_text(result.random_index)} ({table.name}: {table.source})\n"
            f"CR {result.cr:.3f}: {verdict} (at most {CR_ACCEPTABLE:.2f})"
        )
    j = result.most_inconsistent
    if j is not None:
        lines.append(
            f"Most inconsistent judgment: {j.row_key} against {j.column_key} "
            f"(matrix[{j.row}][{j.column}]): given {judgment_text(j.given)}, "
            f"the weights imply {judgment_text(j.consistent)}"
        )
    if result.warning:
        lines.append(f"Warning: {result.warning}")
    return "\n".join(lines)


def _ri_text(value: float | None) -> str:
    if value is None:
        return "none"
    return f"{value:.2f}" if round(value, 2) == value else f"{value:g}"


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
