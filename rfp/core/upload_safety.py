"""Is an uploaded file safe to open as a workbook? Checked on the bytes, before openpyxl.

A hostile upload must be refused quickly and with a message, never crash or hang a
worker: a size limit; a real xlsx only (a zip with [Content_Types].xml and
xl/workbook.xml, whatever the file is called); no encrypted (password to open) or
macro-enabled files; the zip's declared uncompressed sizes and compression ratios
checked before anything is inflated (a zip bomb); and every part that is XML (whatever
its name: sheets, shared strings, the workbook, the content types, relationships, a
custom part) is read through defusedxml, which refuses a document type declaration, so
that no entity (the "billion laughs" expansion, an external entity reading a file or a
URL) ever reaches openpyxl. OOXML never declares a DTD. Row, sheet and cell limits are
applied while reading (rfp.areas.intake.parse).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import IO
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

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
        _check_xml(archive, part, what)


# How an XML document may begin: a byte order mark, "<" in UTF-8 (or any ASCII-based
# encoding) or UTF-16. Any other part (an image, printer settings) is not XML to any
# parser, openpyxl's included.
_XML_STARTS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"<")


def _looks_like_xml(head: bytes) -> bool:
    return head.lstrip(b" \t\r\n").startswith(_XML_STARTS) or head.startswith(_XML_STARTS)


# The declarations refused wherever they appear, in the encodings an XML part may use.
_DECLARATIONS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_CHUNK = 1024 * 1024
_OVERLAP = max(len(d) for d in _DECLARATIONS) - 1


def _check_xml(archive: zipfile.ZipFile, part: zipfile.ZipInfo, what: str) -> None:
    """A part that is (or claims to be) XML must declare no document type and no entity.

    Two readings: defusedxml parses the prolog, where XML allows a DTD (and so entity
    declarations), whatever the document's encoding, and stops at the root element; and
    the whole part is scanned for a declaration anywhere (outside the prolog it is not
    even well-formed XML, but it has no business in a workbook either)."""
    name = part.filename
    try:
        with archive.open(part) as stream:
            head = stream.read(64)
        if not head or not (name.endswith((".xml", ".rels", ".vml")) or _looks_like_xml(head)):
            return
        with archive.open(part) as stream:
            for _event, _element in iterparse(stream, events=("start",), forbid_dtd=True):
                break  # past the prolog: no DTD can follow
        with archive.open(part) as stream:
            if _declares_anything(stream):
                raise DefusedXmlException(name)
    except DefusedXmlException as exc:
        raise UploadRefused(
            f"The {what} is refused: its part {name} declares a document type or XML "
            "entities, which an Office file never does (an attempt to expand entities "
            "or to read files through the upload?). Save it again from its application "
            "and upload that file."
        ) from exc
    except ParseError as exc:
        raise UploadRefused(
            f"The file is damaged: its part {name} is not well-formed XML."
        ) from exc
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        raise UploadRefused(f"The file is damaged: its part {name} cannot be read.") from exc


def _declares_anything(stream: IO[bytes]) -> bool:
    tail = b""
    while chunk := stream.read(_CHUNK):
        window = tail + chunk
        if any(declaration in window for declaration in _DECLARATIONS):
            return True
        tail = window[-_OVERLAP:]
    return False
