"""The scoring engine: pure Python, no Flask, no SQLAlchemy.

Input dataclasses live in `model`, output in `result`; `score_evaluation` turns one into
the other.
"""

from rfp.domain.scoring.engine import score_evaluation
from rfp.domain.scoring.model import (
    Abstention,
    Band,
    ConsensusScore,
    CostScope,
    Criterion,
    Evaluator,
    Pricing,
    Question,
    ReferenceCall,
    Scale,
    Score,
    ScoringInput,
    Settings,
    Vendor,
    band_score,
)
from rfp.domain.scoring.result import (
    AbstainedScore,
    CostResult,
    Dispersion,
    Flag,
    MissingScore,
    ReferenceSummary,
    Result,
    VendorResult,
)

__all__ = [
    "AbstainedScore",
    "Abstention",
    "Band",
    "ConsensusScore",
    "CostResult",
    "CostScope",
    "Criterion",
    "Dispersion",
    "Evaluator",
    "Flag",
    "MissingScore",
    "Pricing",
    "Question",
    "ReferenceCall",
    "ReferenceSummary",
    "Result",
    "Scale",
    "Score",
    "ScoringInput",
    "Settings",
    "Vendor",
    "VendorResult",
    "band_score",
    "score_evaluation",
]
