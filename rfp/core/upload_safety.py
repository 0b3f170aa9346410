"""Is an uploaded file safe to open as a workbook? Checked on the bytes, before openpyxl.

A hostile upload must be refused quickly and with a message, never crash or hang a
worker: a size limit; a real xlsx only (a zip with [Content_Types].xml and
xl/workbook.xml, whatever the file is called); no encrypted (password to open) or
macro-enabled files; the zip's declared uncompressed sizes and compression ratios
checked before anything is inflated (a zip bomb); no DTDs in the XML parts. Row, sheet
and cell limits are applied while reading (rfp.areas.intake.parse).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_PART_RATIO = 100  # a part that inflates more than 100 times and beyond 1 MB: a bomb
RATIO_CHECK_FROM = 1024 * 1024
MAX_PARTS = 500
MAX_SHEETS = 12
MAX_ROWS = 2_000

ZIP_MAGIC = b"PK\x03\x04"
# An OLE2 compound file: what Excel writes for a workbook with a password to open
# (the encrypted OOXML package inside a compound file), and for old .xls files.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


class UploadRefused(ValueError):
    """The file was refused before it was opened; the message says why."""


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def check_upload(data: bytes) -> None:
    """Raise UploadRefused unless `data` looks like a plain, reasonably sized .xlsx."""
    if not data:
        raise UploadRefused("The file is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        # The caller may have read only MAX_UPLOAD_BYTES + 1 bytes: the size is unknown.
        raise UploadRefused(f"The file is too large: the limit is {megabytes(MAX_UPLOAD_BYTES)}.")
    if data.startswith(OLE2_MAGIC):
        raise UploadRefused(
            "The workbook is password-protected (encrypted), or an old .xls file. Remove the "
            "password to open (or save it as an Excel .xlsx workbook) and upload it again."
        )
    if not data.startswith(ZIP_MAGIC):
        raise UploadRefused(
            "This is not an Excel .xlsx workbook (a CSV or another kind of file renamed "
            ".xlsx?). Download the questionnaire, fill it in and upload that file."
        )
    with open_zip(data, "The file is damaged: it is not a readable .xlsx workbook.") as archive:
        _check_workbook_parts(archive)


def open_zip(data: bytes, damaged: str) -> zipfile.ZipFile:
    """The zip container of an OOXML file, or UploadRefused(`damaged`)."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UploadRefused(damaged) from exc


@dataclass(frozen=True)
class ZipLimits:
    """How much an OOXML container may hold, and the words its refusals use."""

    what: str = "workbook"  # "The workbook is refused: ..."
    max_parts: int = MAX_PARTS
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES
    purpose: str = "a questionnaire can need"


def _check_workbook_parts(archive: zipfile.ZipFile) -> None:
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise UploadRefused(f"The workbook has too many parts ({len(parts)}).")
    names = {p.filename for p in parts}
    if not all(name in names for name in REQUIRED_PARTS):
        raise UploadRefused(
            "This zip file is not an Excel .xlsx workbook (a Word or OpenDocument file?)."
        )
    if "xl/vbaProject.bin" in names:
        raise UploadRefused(
            "Macro-enabled workbooks are not accepted. Save it as an Excel .xlsx workbook."
        )
    sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    if len(sheets) > MAX_SHEETS:
        raise UploadRefused(
            f"The workbook has {len(sheets)} sheets; a questionnaire has at most {MAX_SHEETS}."
        )
    check_zip_parts(archive, ZipLimits())


def check_zip_parts(archive: zipfile.ZipFile, limits: ZipLimits) -> None:
    """The checks every zip-based upload gets before anything is inflated: the number of
    parts, no encrypted part, each part's declared compression ratio and the declared
    total (a zip bomb), and no DTD in the XML parts (entity expansion)."""
    parts = archive.infolist()
    what = limits.what
    if len(parts) > limits.max_parts:
        raise UploadRefused(f"The {what} has too many parts ({len(parts)}).")
    total = 0
    for part in parts:
        if part.flag_bits & 0x1:
            raise UploadRefused(f"The {what} is password-protected (encrypted parts).")
        total += part.file_size
        if part.file_size > RATIO_CHECK_FROM and (
            part.file_size > MAX_PART_RATIO * max(part.compress_size, 1)
        ):
            raise UploadRefused(
                f"The {what} is refused: its part {part.filename} would inflate "
                f"{part.file_size // max(part.compress_size, 1):,} times (a zip bomb?)."
            )
    if total > limits.max_uncompressed:
        raise UploadRefused(
            f"The {what} is refused: it would unpack to {megabytes(total)}, more than the "
            f"{megabytes(limits.max_uncompressed)} {limits.purpose}."
        )
    for part in parts:
        if part.filename.endswith((".xml", ".rels")):
            _check_xml_head(archive, part, what)


def _check_xml_head(archive: zipfile.ZipFile, part: zipfile.ZipInfo, what: str) -> None:
    """OOXML never declares a DTD: one is an entity-expansion attempt."""
    try:
        with archive.open(part) as stream:
            head = stream.read(2048)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        raise UploadRefused(
            f"The file is damaged: its part {part.filename} cannot be read."
        ) from exc
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UploadRefused(f"The {what} is refused: {part.filename} declares XML entities.")
