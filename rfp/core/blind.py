"""Blind scoring: evaluators see vendors as "Vendor A", "Vendor B" until consensus.

The letters follow the vendors' positions, so they are stable for the whole
evaluation. The lead and the admin always see names; from `consensus` on everyone does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from rfp import models as m
from rfp.core.access import BLIND_STAGES, Access


def is_blind(access: Access) -> bool:
    """Whether this user sees vendors under letters on this evaluation now."""
    evaluation = access.evaluation
    return (
        bool(evaluation.blind_scoring) and evaluation.stage in BLIND_STAGES and not access.is_lead
    )


def letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet columns), for any number of vendors."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def ordered(vendors: Sequence[m.Vendor]) -> list[m.Vendor]:
    return sorted(vendors, key=lambda v: (v.position, v.id))


def vendor_labels(vendors: Sequence[m.Vendor], blind: bool) -> dict[int, str]:
    """Vendor id -> what the user sees: the name, or "Vendor A" by position when blind."""
    if not blind:
        return {v.id: v.name for v in vendors}
    return {v.id: f"Vendor {letter(i)}" for i, v in enumerate(ordered(vendors))}


def shuffled_for_declaration(evaluation_id: int, vendors: Sequence[m.Vendor]) -> list[m.Vendor]:
    """The vendors in an order unrelated to their positions (stable per evaluation).

    A conflict of interest is declared against a name, so the declaration lists names
    even under blind scoring; listing them in position order would give the letters away.
    """

    def key(v: m.Vendor) -> str:
        return hashlib.sha256(f"{evaluation_id}:{v.id}:{v.name}".encode()).hexdigest()

    return sorted(vendors, key=key)
