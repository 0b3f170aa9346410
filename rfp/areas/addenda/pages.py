"""What the addenda pages show: each addendum with what it changed and its files, and for
the lead who has acknowledged it. Pure functions of loaded rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rfp import models as m


@dataclass(frozen=True)
class Acknowledgement:
    vendor: m.Vendor
    at: datetime | None  # None: not yet


@dataclass(frozen=True)
class AddendumRow:
    addendum: m.Addendum
    files: tuple[m.Document, ...]
    acknowledgements: tuple[Acknowledgement, ...]  # the lead's view only; empty otherwise

    @property
    def acknowledged(self) -> int:
        return sum(1 for a in self.acknowledgements if a.at is not None)


def addendum_rows(
    addenda: Sequence[m.Addendum],
    files: dict[int, list[m.Document]],
    vendors: Sequence[m.Vendor] = (),
) -> list[AddendumRow]:
    """Newest first; with `vendors`, each vendor's acknowledgement of each addendum."""
    rows = []
    for addendum in sorted(addenda, key=lambda a: a.number, reverse=True):
        at = {ack.vendor_id: ack.acknowledged_at for ack in addendum.acknowledgements}
        rows.append(
            AddendumRow(
                addendum=addendum,
                files=tuple(files.get(addendum.id, [])),
                acknowledgements=tuple(Acknowledgement(v, at.get(v.id)) for v in vendors),
            )
        )
    return rows
