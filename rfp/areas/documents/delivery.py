"""Sending a stored document back, and the settings uploads read (for the views).

A document always goes out as an attachment with the Content-Type of what it was found
to be (never what the uploader claimed), `nosniff`, a sandboxing Content-Security-Policy
and no caching outside the browser: a browser that is told to show it inline, or to
guess its type, is never given the chance.
"""

from __future__ import annotations

from flask import Response, abort, current_app, send_file

from rfp import models as m
from rfp.areas.documents.inspection import CONTENT_TYPES
from rfp.core.document_store import DocumentStore
from rfp.core.security import DOWNLOAD_POLICY
from rfp.domain.vocabulary import DocumentKind


def document_store() -> DocumentStore:
    return DocumentStore(current_app.config["RFP_DOCUMENT_DIR"])


def document_limit() -> int:
    """The largest document: RFP_DOCUMENT_MAX_BYTES, within the request limit."""
    limit = int(current_app.config["RFP_DOCUMENT_MAX_BYTES"])
    request_limit = current_app.config.get("MAX_CONTENT_LENGTH")
    return min(limit, int(request_limit)) if request_limit else limit


def read_upload(stream: object, limit: int) -> bytes:
    """At most limit + 1 bytes of an uploaded file (one more tells it is too large)."""
    return stream.read(limit + 1)  # type: ignore[attr-defined,no-any-return]


def send_document(document: m.Document, download_name: str) -> Response:
    path = document_store().found(document.sha256, document.size)
    if path is None:
        abort(
            404,
            description="The file is not in the document store (an evaluation imported "
            "without its files?). Ask the administrator.",
        )
    response = send_file(
        path,
        mimetype=CONTENT_TYPES[DocumentKind(document.kind)],
        as_attachment=True,
        download_name=download_name,
        etag=document.sha256,
        max_age=0,
        conditional=False,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOWNLOAD_POLICY
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
