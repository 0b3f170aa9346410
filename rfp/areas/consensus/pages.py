"""What the consensus pages show, from the rows rfp.areas.consensus.queries loads:
(vendor, question) pairs with every evaluator's score and comment side by side, the
panel's aggregate, what counts now, and the consensus score if one is recorded; on the
overview, each evaluator's calibration against the panel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rfp import models as m
from rfp.areas.consensus.calibration import CalibrationSection, build_calibration
from rfp.areas.consensus.queries import ConsensusRows, Pair
from rfp.domain.numbering import Numbering
from rfp.domain.vocabulary import Stage


@dataclass
class PanelScore:
    name: str
    value: float | None  # None: expected and not entered, or abstained
    comment: str  # the justification, or the reason for abstaining
    abstained: bool = False
    consensus: float | None = None  # the consensus score on the pair, raw

    @property
    def delta(self) -> float | None:
        """Consensus minus this evaluator's original score, in raw points (+: the
        consensus is higher); None without either."""
        if self.value is None or self.consensus is None:
            return None
        return self.consensus - self.value


@dataclass
class PairView:
    vendor: m.Vendor
    question: m.Question
    answer: m.Answer | None
    scores: list[PanelScore]
    spread: float | None
    flagged: bool
    panel_aggregate: float | None  # 0..100, the evaluators' mean or median
    current: float | None  # 0..100, what counts now (the consensus score when recorded)
    consensus: m.ConsensusScore | None
    number: str = ""  # the question's number, as on the criteria page
    scale: tuple[float, float] = (0.0, 5.0)

    @property
    def anchor(self) -> str:
        return f"pair-{self.vendor.id}-{self.question.id}"

    @property
    def panel_raw(self) -> float | None:
        """The panel's aggregate on the evaluation's scale."""
        if self.panel_aggregate is None:
            return None
        lo, hi = self.scale
        return lo + self.panel_aggregate * (hi - lo) / 100

    @property
    def delta(self) -> float | None:
        """Consensus minus the panel's aggregate, in raw points; None without either."""
        if self.consensus is None or self.panel_raw is None:
            return None
        return self.consensus.value - self.panel_raw


@dataclass
class ConsensusPage:
    flagged: list[PairView]
    others: list[PairView]  # consensus scores recorded on pairs that are not flagged
    vendors: list[m.Vendor]
    questions: list[m.Question]  # scored questions, tree order
    calibration: CalibrationSection | None = None  # each evaluator against the panel
    numbering: Numbering = field(default_factory=Numbering)

    @property
    def resolved(self) -> int:
        return sum(1 for p in self.flagged if p.consensus is not None)

    @property
    def records(self) -> list[PairView]:
        """Every pair with a consensus score, flagged ones first: the calibration record
        (the evaluators' original scores beside the consensus, with the difference)."""
        return [p for p in self.flagged + self.others if p.consensus is not None]

    @property
    def unresolved(self) -> int:
        return len(self.flagged) - self.resolved


def consensus_page(rows: ConsensusRows, *, calibration: bool = True) -> ConsensusPage:
    """The flagged pairs, then the others shown; with the calibration of each evaluator
    (the overview) or without (one pair's page)."""
    views = _pair_views(rows)
    flagged = set(rows.flagged)
    return ConsensusPage(
        flagged=[views[p] for p in rows.pairs if p in flagged and p in views],
        others=[views[p] for p in rows.pairs if p not in flagged and p in views],
        vendors=rows.vendors,
        questions=rows.questions,
        calibration=(
            build_calibration(
                rows.scoring_input,
                {v.key: v.name for v in rows.vendors},
                {q.key: rows.numbering.label(q.key, q.text) for q in rows.questions},
                {v.key: v.id for v in rows.vendors},
                {q.key: q.id for q in rows.questions},
            )
            if calibration
            else None
        ),
        numbering=rows.numbering,
    )


def _pair_views(rows: ConsensusRows) -> dict[Pair, PairView]:
    vendor_of = {v.id: v for v in rows.vendors}
    question_of = {q.id: q for q in rows.questions}
    details = rows.details
    views: dict[Pair, PairView] = {}
    for pair in rows.pairs:
        vendor, question = vendor_of.get(pair[0]), question_of.get(pair[1])
        if vendor is None or question is None:
            continue
        scores = []
        for membership_id, name in details.members:
            if (membership_id, vendor.id) in details.conflicts:
                continue
            scope = details.limits.get(membership_id)
            if scope and question.criterion_id not in scope:
                continue
            given = details.given.get(pair, {})
            value, comment = given.get(membership_id, (None, ""))
            consensus = rows.consensus.get(pair)
            scores.append(
                PanelScore(
                    name=name,
                    value=value,
                    comment=comment,
                    abstained=membership_id in given and value is None,
                    consensus=consensus.value if consensus is not None else None,
                )
            )
        spread = rows.dispersion.get(pair)
        views[pair] = PairView(
            vendor=vendor,
            question=question,
            answer=details.answers.get(pair),
            scores=scores,
            spread=spread.spread if spread else None,
            flagged=bool(spread and spread.flagged),
            panel_aggregate=rows.panel.vendor(vendor.key).questions.get(question.key),
            current=rows.result.vendor(vendor.key).questions.get(question.key),
            consensus=rows.consensus.get(pair),
            number=rows.numbering.question(question.key),
            scale=(rows.scoring_input.scale.lo, rows.scoring_input.scale.hi),
        )
    return views


def visible(evaluation: m.Evaluation) -> bool:
    """The panel's scores are compared once they are unsealed (from scoring on)."""
    return evaluation.current_stage.unsealed


def writable(evaluation: m.Evaluation) -> bool:
    """Consensus scores are recorded, changed and removed in the consensus stage only."""
    return evaluation.stage == Stage.CONSENSUS
