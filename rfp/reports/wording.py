"""Words both reports use for the evaluation's rules, so that the workbook and the PDF say
the same thing, in the procurement team's words rather than the scenario file's keys."""

from __future__ import annotations

from rfp.domain.vocabulary import PriceFormula, Stage

# The price formulas written out (DESIGN.md's "Cost").
PRICE_FORMULA_RULES = {
    PriceFormula.LOWEST_RATIO: "score = 100 × lowest TCO / TCO",
    PriceFormula.LINEAR: "score = 100 × (highest TCO − TCO) / (highest TCO − lowest TCO), "
    "100 for all when equal",
    PriceFormula.DEVIATION: "score = 100 × (1 − (TCO − lowest TCO) / lowest TCO): twice the "
    "lowest scores 0",
    PriceFormula.LOG: "score = 100 × (1 − ln(TCO / lowest TCO) / ln(A))",
}


def price_formula_name(formula: str) -> str:
    """ "lowest_ratio" -> "Lowest price ratio"."""
    return PriceFormula(formula).label


def price_formula_rule(formula: str, zero_multiple: float | None = None) -> str:
    """The rule in words; the logarithmic one with its zero multiple A when given (the
    workbook, where A is an input, names it beside the rule instead)."""
    rule = PRICE_FORMULA_RULES[PriceFormula(formula)]
    if formula == PriceFormula.LOG and zero_multiple is not None:
        rule += f", A = {zero_multiple:g}: a price A times the lowest scores 0"
    return rule


def stage_name(stage: str) -> str:
    """ "consensus" -> "Consensus", "open" -> "Open for responses"."""
    return Stage(stage).label
