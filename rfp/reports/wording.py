"""Words both reports use for the evaluation's rules, so that the workbook and the PDF say
the same thing, in the procurement team's words rather than the scenario file's keys."""

from __future__ import annotations

from rfp.domain.vocabulary import PriceFormula, Stage

# The price formulas written out (DESIGN.md's "Cost"); {A} is the price zero multiple.
PRICE_FORMULA_RULES = {
    PriceFormula.LOWEST_RATIO: "score = 100 × lowest TCO / TCO",
    PriceFormula.LINEAR: "score = 100 × (highest TCO − TCO) / (highest TCO − lowest TCO), "
    "100 for all when equal",
    PriceFormula.DEVIATION: "score = 100 × (1 − (TCO − lowest TCO) / lowest TCO): twice the "
    "lowest scores 0",
    PriceFormula.LOG: "score = 100 × (1 − ln(TCO / lowest TCO) / ln(A)), A = {A:g}: a price A "
    "times the lowest scores 0",
}


def price_formula_name(formula: str) -> str:
    """ "lowest_ratio" -> "Lowest price ratio"."""
    return PriceFormula(formula).label


def price_formula_rule(formula: str, zero_multiple: float) -> str:
    return PRICE_FORMULA_RULES[PriceFormula(formula)].format(A=zero_multiple)


def stage_name(stage: str) -> str:
    """ "consensus" -> "Consensus", "open" -> "Open for responses"."""
    return Stage(stage).label
