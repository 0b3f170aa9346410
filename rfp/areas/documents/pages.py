"""Who may open which document, and what the document pages show.

A vendor's upload is part of its response, and sealed like it: nobody opens it before
scoring starts, the lead included (the vendor sent it). After that an evaluator who
declared a conflict with the vendor does not open it, and under two envelopes a
document of a price slot (a pricing workbook) waits, like the rates, until the
evaluator has submitted the quality scores. The RFP's own documents are every member's.
Under blind scoring an evaluator sees the slot's name, never the vendor's file name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rfp import models as m
from rfp.areas.documents.inspection import EXTENSIONS, kinds_words, megabytes
from rfp.core import blind
from rfp.core.access import Access
from rfp.domain.vocabulary import DocumentKind

SEALED = "sealed"
CONFLICT = "conflict"
PRICE_ENVELOPE = "price_envelope"
HIDDEN_WORDS = {
    SEALED: "Sealed until scoring starts.",
    CONFLICT: "Not shown: you declared a conflict of interest with this vendor.",
    PRICE_ENVELOPE: "In the price envelope: shown once you have submitted your quality scores.",
}


def hidden_because(access: Access, document: m.Document, slot: m.DocumentSlot | None) -> str | None:
    """None when this user may open the document, else why not (a key of HIDDEN_WORDS)."""
    if document.vendor_id is None:
        return None
    if access.evaluation.sealed:
        return SEALED
    if access.is_evaluator and access.conflicted_with(document.vendor_id):
        return CONFLICT
    if slot is not None and slot.price_envelope and not access.can_see_pricing():
        return PRICE_ENVELOPE
    return None


def download_name(access: Access, document: m.Document, slot: m.DocumentSlot | None) -> str:
    """The file name sent back: the upload's own, or under blind scoring the slot's and
    the vendor's letter (a file name often names the vendor)."""
    if document.vendor_id is None or not blind.is_blind(access):
        return document.filename
    vendors = access.evaluation.vendors
    label = blind.vendor_labels(vendors, True).get(document.vendor_id, "Vendor")
    extension = EXTENSIONS[DocumentKind(document.kind)][0]
    return f"{slot.name if slot else 'Document'} - {label}{extension}"


def size_words(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"
    return megabytes(size)


@dataclass(frozen=True)
class SlotRow:
    """A slot of a vendor's documents, as an evaluator or the lead reads it."""

    slot: m.DocumentSlot
    document: m.Document | None
    hidden: str | None  # why the file cannot be opened by this user
    shown_name: str

    @property
    def kinds(self) -> str:
        return kinds_words(self.slot.document_kinds)

    @property
    def hidden_words(self) -> str:
        return HIDDEN_WORDS.get(self.hidden or "", "")

    @property
    def size(self) -> str:
        return size_words(self.document.size) if self.document else ""


@dataclass(frozen=True)
class VendorDocuments:
    vendor: m.Vendor
    rows: tuple[SlotRow, ...]

    @property
    def uploaded(self) -> int:
        return sum(1 for r in self.rows if r.document is not None)

    @property
    def missing_required(self) -> list[m.DocumentSlot]:
        return [r.slot for r in self.rows if r.slot.required and r.document is None]


def vendor_documents_page(
    access: Access,
    vendor: m.Vendor,
    slots: Sequence[m.DocumentSlot],
    uploads: dict[int, m.Document],
) -> VendorDocuments:
    rows = []
    for slot in slots:
        document = uploads.get(slot.id)
        hidden = hidden_because(access, document, slot) if document is not None else None
        shown = ""
        if document is not None and hidden is None:
            shown = download_name(access, document, slot)
        rows.append(SlotRow(slot=slot, document=document, hidden=hidden, shown_name=shown))
    return VendorDocuments(vendor=vendor, rows=tuple(rows))


@dataclass(frozen=True)
class MatrixCell:
    document: m.Document | None
    hidden: str | None
    shown_name: str = ""

    @property
    def size(self) -> str:
        return size_words(self.document.size) if self.document else ""


@dataclass(frozen=True)
class MatrixRow:
    vendor: m.Vendor
    label: str
    cells: tuple[MatrixCell, ...]  # in the slots' order


def upload_matrix(
    access: Access,
    vendors: Sequence[m.Vendor],
    slots: Sequence[m.DocumentSlot],
    uploads: dict[int, dict[int, m.Document]],
) -> list[MatrixRow]:
    """Vendor by slot: what each vendor has uploaded (its name only when unsealed)."""
    labels = blind.vendor_labels(list(vendors), blind.is_blind(access))
    rows = []
    for vendor in blind.ordered(vendors) if blind.is_blind(access) else vendors:
        theirs = uploads.get(vendor.id, {})
        cells = []
        for slot in slots:
            document = theirs.get(slot.id)
            hidden = hidden_because(access, document, slot) if document is not None else None
            shown = download_name(access, document, slot) if document and not hidden else ""
            cells.append(MatrixCell(document=document, hidden=hidden, shown_name=shown))
        rows.append(MatrixRow(vendor=vendor, label=labels[vendor.id], cells=tuple(cells)))
    return rows
