"""An outcome letter as it is read: the award letter to the awarded vendor, or a regret
and debrief letter to another one. One `LetterDocument` feeds the PDF
(rfp.reports.pdf.letters), the e-mail's text (`letter_text`) and the page's preview, so
the three cannot disagree; sending keeps it as a plain dict (`as_dict`/`from_dict`).

Prices are in the document only as the letter may show them: the vendor's own quote,
and the awarded vendor's only when the lead chose to disclose it (`winner_price`). The
awarded vendor's price score and total are withheld with its price: with the
lowest-price formula they let a reader work back to the price itself.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from rfp.domain.formatting import long_day, money, score_text
from rfp.domain.vocabulary import LetterKind

NOT_DISCLOSED = "not disclosed"


@dataclass(frozen=True)
class ScoreLine:
    """One criterion: its share of the total, this vendor's score and the awarded
    vendor's (None where withheld), on 0 to 100."""

    criterion: str
    weight: float  # share of the total, 0 to 1
    own: float
    winner: float | None
    price: bool = False  # the cost criterion (its winner figure goes with the price)


@dataclass(frozen=True)
class PriceLine:
    """A quote as the letter states it."""

    tco: float
    cost_per_contact: float
    monthly_charge: float
    term_months: float


@dataclass(frozen=True)
class LetterDocument:
    kind: str  # LetterKind
    evaluation_title: str
    vendor_name: str
    contact_name: str
    winner_name: str
    dated: str  # ISO date
    standing: str  # the result in one sentence, from the engine (not edited)
    opening: str
    strengths: str
    weaknesses: str
    closing: str
    signature: str  # who signs: the lead's name
    scores: tuple[ScoreLine, ...] = ()
    own_total: float | None = None
    winner_total: float | None = None  # None: withheld with the price
    own_price: PriceLine | None = None
    winner_price: PriceLine | None = None  # only when the lead discloses it

    @property
    def is_award(self) -> bool:
        return self.kind == LetterKind.AWARD

    @property
    def heading(self) -> str:
        return "Award of contract" if self.is_award else "Outcome of your proposal"

    @property
    def strengths_heading(self) -> str:
        return "What set your proposal apart" if self.is_award else "Strengths of your proposal"

    @property
    def weaknesses_heading(self) -> str:
        return "Points to settle before contract" if self.is_award else "Where it fell short"

    @property
    def date(self) -> date:
        return date.fromisoformat(self.dated)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> LetterDocument:
        fields = dict(value)
        fields["scores"] = tuple(ScoreLine(**line) for line in value.get("scores") or ())
        for name in ("own_price", "winner_price"):
            if fields.get(name) is not None:
                fields[name] = PriceLine(**fields[name])
        return cls(**fields)


def figure(value: float | None) -> str:
    return NOT_DISCLOSED if value is None else score_text(value)


def price_words(price: PriceLine) -> str:
    return (
        f"total cost of ownership {money(price.tco)} over {price.term_months:g} months "
        f"({money(price.monthly_charge)} a month in charges, "
        f"{money(price.cost_per_contact, 2)} per contact)"
    )


def score_lines_text(document: LetterDocument) -> str:
    """The scores table as plain text lines."""
    if document.is_award:
        lines = [
            f"- {line.criterion} ({line.weight:.0%} of the total): {score_text(line.own)}"
            for line in document.scores
        ]
        lines.append(f"- Total: {figure(document.own_total)} out of 100")
        return "\n".join(lines)
    lines = [
        f"- {line.criterion} ({line.weight:.0%} of the total): yours {score_text(line.own)}, "
        f"awarded proposal {figure(line.winner)}"
        for line in document.scores
    ]
    lines.append(
        f"- Total: yours {figure(document.own_total)}, "
        f"awarded proposal {figure(document.winner_total)} (out of 100)"
    )
    return "\n".join(lines)


def letter_text(document: LetterDocument) -> str:
    """The letter as plain text (the e-mail's body, after its greeting)."""
    parts = [document.heading + ": " + document.evaluation_title, document.standing]
    parts += [document.opening.strip()]
    if document.scores:
        parts.append("Scores per criterion, out of 100:\n" + score_lines_text(document))
    if document.own_price is not None:
        parts.append("Your quote as evaluated: " + price_words(document.own_price) + ".")
    if document.winner_price is not None:
        parts.append(
            f"The awarded proposal ({document.winner_name}): "
            + price_words(document.winner_price)
            + "."
        )
    if document.strengths.strip():
        parts.append(document.strengths_heading + ":\n" + document.strengths.strip())
    if document.weaknesses.strip():
        parts.append(document.weaknesses_heading + ":\n" + document.weaknesses.strip())
    parts.append(document.closing.strip())
    parts.append(f"{document.signature}\n{long_day(document.date)}")
    return "\n\n".join(p for p in parts if p) + "\n"
