"""Is an uploaded file what it claims to be, and safe to hand to an evaluator? Checked on
the bytes, before anything is stored.

What a file is comes from its content, never from its name: the magic bytes and the
structure of a PDF, an OOXML package (xlsx, docx), a PNG or a JPEG. The name must not
contradict the content (an executable renamed "report.pdf" is refused for what it is),
must be a plain name (no folders, no control characters), and is cleaned for showing
and sending back. A PDF that would run something when opened (JavaScript, an automatic
open or page action, a Launch action, embedded files) is refused, also when the names
are hidden in compressed object streams or written with #xx escapes; zip-based files
get the questionnaire's zip-bomb checks (rfp.core.upload_safety); images are walked
chunk by chunk (or marker by marker) to their end, with a limit on their pixels.

Pure: no Flask, no database. `inspect_upload(...)` returns an `Inspected` or raises
`UploadRefused` with a message for the person who uploaded the file.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from rfp.core.upload_safety import (
    OLE2_MAGIC,
    ZIP_MAGIC,
    UploadRefused,
    ZipLimits,
    check_zip_parts,
    open_zip,
)
from rfp.domain.vocabulary import DocumentKind

__all__ = ["UploadRefused", "Inspected", "inspect_upload", "clean_filename", "megabytes"]

CONTENT_TYPES = {
    DocumentKind.PDF: "application/pdf",
    DocumentKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DocumentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentKind.PNG: "image/png",
    DocumentKind.JPG: "image/jpeg",
}
EXTENSIONS = {
    DocumentKind.PDF: (".pdf",),
    DocumentKind.XLSX: (".xlsx",),
    DocumentKind.DOCX: (".docx",),
    DocumentKind.PNG: (".png",),
    DocumentKind.JPG: (".jpg", ".jpeg"),
}
MAX_NAME_LENGTH = 150
MAX_PIXELS = 100_000_000  # a 10,000 x 10,000 scan; more is a decompression bomb
# A document may hold pictures: more room than a questionnaire.
DOCUMENT_ZIP_LIMITS = ZipLimits(
    what="document",
    max_parts=2_000,
    max_uncompressed=200 * 1024 * 1024,
    purpose="a document may unpack to",
)
# Compressed PDF object streams are inflated to look for hidden actions, up to this.
MAX_INFLATED_PDF_BYTES = 64 * 1024 * 1024

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
PDF_MAGIC = b"%PDF-"
# What else an upload often is, to say so plainly when it is refused.
OTHER_CONTENT = (
    (b"MZ", "a Windows program (.exe or .dll)"),
    (b"\x7fELF", "a Linux program"),
    (b"\xca\xfe\xba\xbe", "a macOS program"),
    (b"\xcf\xfa\xed\xfe", "a macOS program"),
    (b"\xce\xfa\xed\xfe", "a macOS program"),
    (b"#!", "a script"),
    (b"{\\rtf", "an RTF document"),
    (b"GIF8", "a GIF image"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
)


@dataclass(frozen=True)
class Inspected:
    """An upload that passed: what it is, the name to keep, its size and SHA-256."""

    kind: DocumentKind
    filename: str
    size: int
    sha256: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


def megabytes(size: int) -> str:
    """1048576 -> "1 MB", 1572864 -> "1.5 MB"."""
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0") + " MB"


def kinds_words(kinds: Iterable[DocumentKind]) -> str:
    """ "PDF or Word document (.docx)"."""
    labels = [DocumentKind(k).label for k in kinds]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " or " + labels[-1]


def accept(kinds: Iterable[DocumentKind]) -> str:
    """The file picker's hint (".pdf,.docx"): a convenience, never a check."""
    return ",".join(ext for k in kinds for ext in EXTENSIONS[DocumentKind(k)])


def inspect_upload(
    data: bytes, filename: str, allowed: Iterable[DocumentKind], max_bytes: int
) -> Inspected:
    """Check an upload completely; raise UploadRefused naming what is wrong."""
    allowed = tuple(DocumentKind(k) for k in allowed)
    name = clean_filename(filename)
    if not data:
        raise UploadRefused("The file is empty.")
    if len(data) > max_bytes:
        # The caller may have read only max_bytes + 1 bytes: the size is unknown.
        raise UploadRefused(f"The file is too large: the limit is {megabytes(max_bytes)}.")
    kind = detect_kind(data)
    stem, extension = _split(name)
    if extension and extension not in EXTENSIONS[kind]:
        raise UploadRefused(
            f"The file is named {extension} but its content is a {kind.label}: "
            "rename it or upload the right file."
        )
    if kind not in allowed:
        raise UploadRefused(
            f"The file is a {kind.label}; this document must be a {kinds_words(allowed)}."
        )
    CHECKS[kind](data)
    if not extension:
        name = f"{stem}{EXTENSIONS[kind][0]}"
    return Inspected(
        kind=kind, filename=name, size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )


# -- names ---------------------------------------------------------------------------------

_SAFE = re.compile(r"[^\w .,()+&@'-]", re.UNICODE)


def clean_filename(filename: str | None) -> str:
    """The name to keep: a plain file name (no folders, no control characters), NFC,
    characters outside letters, digits and a little punctuation replaced by "_"."""
    raw = filename or ""
    if not raw.strip():
        raise UploadRefused("The file has no name: choose a file to upload.")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in raw):
        raise UploadRefused("The file name contains control characters: rename the file.")
    if "/" in raw or "\\" in raw or raw.strip() in (".", "..") or raw.startswith(".."):
        raise UploadRefused(
            "The file name must be a plain name, without folders (such as ../): rename the file."
        )
    name = unicodedata.normalize("NFC", raw).strip()
    name = _SAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).lstrip(". ")
    if len(name) > MAX_NAME_LENGTH:
        stem, extension = _split(name)
        name = stem[: MAX_NAME_LENGTH - len(extension)].rstrip() + extension
    return name or "document"


def _split(name: str) -> tuple[str, str]:
    """("Report 2026", ".pdf"); the extension lower-cased, "" when there is none."""
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or not re.fullmatch(r"[A-Za-z0-9]{1,8}", extension):
        return name, ""
    return stem, "." + extension.lower()


# -- what the content is ------------------------------------------------------------------


def detect_kind(data: bytes) -> DocumentKind:
    if data.startswith(PDF_MAGIC):
        return DocumentKind.PDF
    if data.startswith(PNG_MAGIC):
        return DocumentKind.PNG
    if data.startswith(JPEG_MAGIC):
        return DocumentKind.JPG
    if data.startswith(ZIP_MAGIC):
        return _ooxml_kind(data)
    if data.startswith(OLE2_MAGIC):
        raise UploadRefused(
            "The file is a password-protected (encrypted) Office file, or an old .doc or "
            ".xls file: remove the password, or save it as .docx or .xlsx, and upload it again."
        )
    raise UploadRefused(
        f"The file is {_what_else(data)}, not a PDF, Word, Excel, PNG or JPEG file."
    )


def _what_else(data: bytes) -> str:
    for magic, words in OTHER_CONTENT:
        if data.startswith(magic):
            return words
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml")):
        return "a web page or XML file"
    return "of a kind that is not accepted"


def _ooxml_kind(data: bytes) -> DocumentKind:
    with open_zip(data, "The file is damaged: it is not a readable Word or Excel file.") as archive:
        names = set(archive.namelist())
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return DocumentKind.XLSX
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return DocumentKind.DOCX
    raise UploadRefused("The file is a zip archive, not a Word (.docx) or Excel (.xlsx) document.")


# -- PDF -------------------------------------------------------------------------------------

# Names that make a PDF act when it is opened or read, rather than be read.
PDF_ACTIONS = {
    "JavaScript": "JavaScript",
    "JS": "JavaScript",
    "Launch": "a Launch action (it starts a program)",
    "AA": "automatic actions",
    "EmbeddedFile": "embedded files",
    "EmbeddedFiles": "embedded files",
    "RichMedia": "embedded media",
    "XFA": "an XFA form",
}
_NAME = re.compile(rb"/([A-Za-z0-9#_.\-]+)")
_OPEN_ACTION = re.compile(rb"/OpenAction\s*(\S)")
# The keyword that opens a stream's data, after its dictionary (not "endstream").
_STREAM_START = re.compile(rb">>\s*stream\r?\n")


def check_pdf(data: bytes) -> None:
    head = data[:1024]
    if not re.match(rb"%PDF-[12]\.\d", head):
        raise UploadRefused("The PDF is damaged: its header is not a PDF version.")
    if b"%%EOF" not in data[-2048:]:
        raise UploadRefused("The PDF is damaged or cut short: it has no end marker (%%EOF).")
    if not re.search(rb"\d+\s+\d+\s+obj\b", data):
        raise UploadRefused("The PDF is damaged: it holds no objects.")
    names = _pdf_names(data)
    if "Encrypt" in names:
        raise UploadRefused(
            "The PDF is encrypted (password or permission protection), so it cannot be "
            "checked: save it without protection and upload it again."
        )
    _refuse_actions(data, names)
    for inflated in _object_streams(data):
        _refuse_actions(inflated, _pdf_names(inflated))


def _pdf_names(data: bytes) -> set[str]:
    """Every /Name of the bytes, with #xx escapes decoded (/J#61vaScript is /JavaScript)."""
    return {_decode_name(found) for found in _NAME.findall(data)}


def _decode_name(raw: bytes) -> str:
    decoded = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
    return decoded.decode("latin-1")


def _refuse_actions(data: bytes, names: set[str]) -> None:
    found = sorted({PDF_ACTIONS[n] for n in names if n in PDF_ACTIONS})
    if found:
        what = " and ".join([", ".join(found[:-1]), found[-1]] if len(found) > 1 else found)
        raise UploadRefused(
            f"The PDF is refused: it contains {what}. Print or export it again as a plain "
            "PDF and upload that."
        )
    if "OpenAction" in names:
        # Allowed only as a destination ("open at page 1, fit the page"): [page /Fit].
        unescaped = re.sub(rb"/Open#41ction|/OpenActio#6E", b"/OpenAction", data)
        targets = _OPEN_ACTION.findall(unescaped)
        if not targets or any(t != b"[" for t in targets):
            raise UploadRefused(
                "The PDF is refused: it runs an action when it is opened (OpenAction). "
                "Print or export it again as a plain PDF and upload that."
            )


def _object_streams(data: bytes) -> Iterable[bytes]:
    """The inflated content of each compressed object stream (/Type /ObjStm): where a
    PDF 1.5+ keeps its dictionaries, out of sight of a plain scan."""
    budget = MAX_INFLATED_PDF_BYTES
    view = memoryview(data)
    for match in _STREAM_START.finditer(data):
        # The stream's dictionary: back to the "obj" keyword that opens the object.
        lowest = max(0, match.start() - 4096)
        opening = data.rfind(b"obj", lowest, match.start())
        names = _pdf_names(data[max(opening, lowest) : match.start()])
        if "ObjStm" not in names:
            continue
        if "FlateDecode" not in names:
            if "Filter" in names:
                raise UploadRefused(
                    "The PDF is refused: it hides objects behind a compression that "
                    "cannot be checked. Export it again as a plain PDF."
                )
            continue  # uncompressed: the plain scan saw it
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(view[match.end() :], budget + 1)
        except zlib.error as exc:
            raise UploadRefused("The PDF is damaged: a compressed part cannot be read.") from exc
        if len(inflated) > budget:
            raise UploadRefused(
                "The PDF is refused: its compressed parts inflate beyond "
                f"{megabytes(MAX_INFLATED_PDF_BYTES)} (a decompression bomb?)."
            )
        budget -= len(inflated)
        yield inflated


# -- OOXML -----------------------------------------------------------------------------------


def check_ooxml(data: bytes) -> None:
    with open_zip(data, "The file is damaged: it is not a readable Word or Excel file.") as archive:
        names = set(archive.namelist())
        if {"xl/vbaProject.bin", "word/vbaProject.bin"} & names or any(
            n.lower().endswith("vbaproject.bin") for n in names
        ):
            raise UploadRefused(
                "Macro-enabled files are not accepted: save it as a plain .docx or .xlsx."
            )
        check_zip_parts(archive, DOCUMENT_ZIP_LIMITS)


# -- images ----------------------------------------------------------------------------------


def check_png(data: bytes) -> None:
    position = len(PNG_MAGIC)
    first = True
    while True:
        if position + 8 > len(data):
            raise UploadRefused("The PNG image is damaged or cut short.")
        length, chunk = struct.unpack(">I4s", data[position : position + 8])
        end = position + 8 + length + 4
        if end > len(data):
            raise UploadRefused("The PNG image is damaged or cut short.")
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(chunk + body) != crc:
            raise UploadRefused("The PNG image is damaged (a chunk fails its checksum).")
        if first:
            if chunk != b"IHDR" or length != 13:
                raise UploadRefused("The PNG image is damaged: it does not start with a header.")
            width, height = struct.unpack(">II", body[:8])
            _check_pixels(width, height, "PNG")
            first = False
        position = end
        if chunk == b"IEND":
            break
    if data[position:].strip(b"\x00"):
        raise UploadRefused(
            "The PNG image is refused: it carries other data after the end of the image."
        )


# Start-of-frame markers (they carry the dimensions); C4, C8 and CC are not frames.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def check_jpeg(data: bytes) -> None:
    position = 2
    size_seen = False
    while True:
        if position + 4 > len(data) or data[position] != 0xFF:
            raise UploadRefused("The JPEG image is damaged or cut short.")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if length < 2 or position + 2 + length > len(data):
            raise UploadRefused("The JPEG image is damaged or cut short.")
        if marker in _SOF:
            if length < 7:
                raise UploadRefused("The JPEG image is damaged: a bad frame header.")
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            _check_pixels(width, height, "JPEG")
            size_seen = True
        position += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data follows until EOI
            break
    if not size_seen:
        raise UploadRefused("The JPEG image is damaged: it has no frame header.")
    end = data.rfind(b"\xff\xd9")
    if end < position or data[end + 2 :].strip(b"\x00\r\n"):
        raise UploadRefused(
            "The JPEG image is damaged or carries other data after the end of the image."
        )


def _check_pixels(width: int, height: int, what: str) -> None:
    if width == 0 or height == 0:
        raise UploadRefused(f"The {what} image is damaged: it has no pixels.")
    if width * height > MAX_PIXELS:
        raise UploadRefused(
            f"The {what} image is refused: {width:,} x {height:,} pixels is more than a "
            "scanned page needs (a decompression bomb?)."
        )


CHECKS = {
    DocumentKind.PDF: check_pdf,
    DocumentKind.XLSX: check_ooxml,
    DocumentKind.DOCX: check_ooxml,
    DocumentKind.PNG: check_png,
    DocumentKind.JPG: check_jpeg,
}
