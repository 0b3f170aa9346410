"""What a submission receipt says a vendor submitted: a digest of the response as it was
at submission (answers, knockouts, pricing) and the SHA-256 of its canonical form.

The canonical form is the response as JSON: `answers` (question key -> text), `numbers`
(key -> number), `knockouts` (key -> true/false), `evidence` (key -> text) and `pricing`
(`model`, `rate`, `setup_fee`, `monthly_fee`), keys sorted, no spaces, UTF-8. The same
hash is written in the audit trail with the submission, so the buyer and the vendor
hold the same fingerprint of what was received.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from rfp.areas.intake.content import QuestionSpec, ResponseContent, completeness_of


def canonical_response(content: ResponseContent) -> bytes:
    pricing = content.pricing
    document = {
        "answers": content.answers,
        "numbers": content.numbers,
        "knockouts": content.knockouts,
        "evidence": content.evidence,
        "pricing": {
            "model": str(pricing.model) if pricing.model is not None else None,
            "rate": pricing.rate,
            "setup_fee": pricing.setup_fee,
            "monthly_fee": pricing.monthly_fee,
        },
    }
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def response_sha256(content: ResponseContent) -> str:
    return hashlib.sha256(canonical_response(content)).hexdigest()


def receipt_digest(questions: tuple[QuestionSpec, ...], content: ResponseContent) -> dict[str, Any]:
    """The digest a receipt shows (plain JSON, kept with the message)."""
    completeness = completeness_of(questions, content)
    knockout_keys = [q.key for q in questions if q.is_knockout]
    passed = sum(1 for key in knockout_keys if content.knockouts.get(key) is True)
    failed = sum(1 for key in knockout_keys if content.knockouts.get(key) is False)
    pricing = content.pricing
    return {
        "sha256": response_sha256(content),
        "answered": completeness.answered,
        "questions": completeness.questions,
        "knockouts": {
            "yes": passed,
            "no": failed,
            "unanswered": len(knockout_keys) - passed - failed,
        },
        "pricing": (
            {
                "model": str(pricing.model),
                "rate": pricing.rate,
                "setup_fee": pricing.setup_fee,
                "monthly_fee": pricing.monthly_fee,
            }
            if pricing.model is not None and pricing.rate is not None
            else None
        ),
        "missing": completeness.missing(),
    }
