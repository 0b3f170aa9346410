"""Report files: which kinds there are, what a kept file is called, and where it lies.

Pure builders and file handling, no database: `build_report` makes the bytes of a report
from a result and its scenario document, `write_new_file` puts them under EXPORT_DIR
without overwriting anything, `stored_path` finds a kept file again from its row. Listing
a report on its evaluation (the GeneratedReport row and its audit event) is an operation
of the reports area (rfp.areas.reports.operations), which the CLI's `rfp export` calls too.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from rfp.domain.scoring.result import Result
from rfp.reports.meta import ReportMeta

SLUG_LENGTH = 60


class ReportKind(StrEnum):
    """The reports an evaluation has: its value is the file's extension."""

    XLSX = "xlsx"
    PDF = "pdf"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def mimetype(self) -> str:
        return _MIMETYPES[self]


_LABELS = {ReportKind.XLSX: "Excel workbook", ReportKind.PDF: "PDF summary"}
_MIMETYPES = {
    ReportKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportKind.PDF: "application/pdf",
}
KINDS: tuple[ReportKind, ...] = tuple(ReportKind)


def report_kind(kind: str) -> ReportKind:
    """The kind named by `kind`, or ValueError naming the kinds there are."""
    try:
        return ReportKind(kind)
    except ValueError:
        raise ValueError(f"kind: must be one of {', '.join(KINDS)}") from None


def slug(title: str) -> str:
    """ASCII words joined by hyphens: "Évaluation 2027" -> "evaluation-2027"."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return words[:SLUG_LENGTH].rstrip("-") or "evaluation"


def report_filename(
    kind: str, title: str, generated_at: datetime, evaluation_id: int | None = None
) -> str:
    """A name that sorts by time: 20261123T143000Z-eval-1-customer-service-2027.xlsx."""
    kind = report_kind(kind)
    stamp = generated_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    evaluation = f"eval-{evaluation_id}-" if evaluation_id is not None else ""
    return f"{stamp}-{evaluation}{slug(title)}.{kind}"


def write_new_file(directory: Path, filename: str, content: bytes) -> Path:
    """Write the file under a name nobody has taken (name, name-2, name-3, ...), whole or
    not at all: the bytes go to a hidden temporary file in the same folder, which takes
    its name only once complete and on disk. A write that fails halfway (a full disk)
    leaves nothing behind, and nobody ever lists or downloads half a report."""
    directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), 0o644)  # mkstemp's 0600 would be the kept file's
            write_content(out, content)
            out.flush()
            os.fsync(out.fileno())
        return _link_under_a_new_name(directory, filename, Path(temporary))
    finally:
        Path(temporary).unlink(missing_ok=True)


def write_content(out: BinaryIO, content: bytes) -> None:
    """The bytes into an open file (a seam for tests of a write that fails halfway)."""
    out.write(content)


def _link_under_a_new_name(directory: Path, filename: str, complete: Path) -> Path:
    """Give the complete file the first free name: a hard link never replaces a file
    that exists (FileExistsError), unlike a rename."""
    stem, dot, suffix = filename.rpartition(".")
    number = 1
    while True:
        name = filename if number == 1 else f"{stem}-{number}{dot}{suffix}"
        try:
            os.link(complete, directory / name)
        except FileExistsError:
            number += 1
            continue
        return directory / name


def build_report(
    kind: str,
    result: Result,
    doc: dict[str, Any],
    generated_at: datetime,
    meta: ReportMeta | None = None,
) -> bytes:
    """The bytes of a report of `result` (the scenario document `doc` gives its texts;
    `meta` who recorded the award and the process facts, else what `doc` says)."""
    if report_kind(kind) is ReportKind.XLSX:
        from rfp.reports.xlsx import build_workbook

        return build_workbook(result, doc, generated_at=generated_at)
    from rfp.reports.pdf import build_summary_pdf

    return build_summary_pdf(result, doc, generated_at=generated_at, meta=meta)


class KeptFile(Protocol):
    filename: str


def stored_path(export_dir: str | Path, report: KeptFile) -> Path | None:
    """The kept file of a report (its GeneratedReport row), or None when it is gone. The
    name comes from the row, never from the request, and must name a file directly
    inside EXPORT_DIR."""
    directory = Path(export_dir).resolve()
    filename = report.filename
    if not filename or filename != Path(filename).name or filename in (".", ".."):
        return None
    path = (directory / filename).resolve()
    if path.parent != directory or not path.is_file():
        return None
    return path
