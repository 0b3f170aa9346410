"""The sourcing record in a scenario file: document slots, documents, clarification Q&A
and addenda (with each vendor's acknowledgement). Validation here (pure, for `rfp
score` too); import and dump in rfp.scenario.sourcing_store. Every section is optional
(an empty list).

Documents are listed, not carried: each names its file by SHA-256, and the files stay in
the document store (RFP_DOCUMENT_DIR), which is copied with the file to move an
evaluation whole. A document whose file is not in the store is listed and answers "not
in the document store" when opened.

    "document_slots": [{"key", "name", "description", "required", "types", "max_bytes",
                        "price_envelope", "knockout"}],
    "documents": [{"vendor", "slot", "addendum", "filename", "type", "size", "sha256",
                   "uploaded_at", "removed_at"}],
    "clarifications": [{"number", "vendor", "question", "text", "asked_at", "status",
                        "public_text", "answer", "answered_at", "published_at"}],
    "addenda": [{"number", "title", "body", "published_at", "deadline": {"old", "new"},
                 "question": {"key", "old_text", "new_text"},
                 "acknowledged_by": [{"vendor", "at"}]}]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rfp.scenario.checks import Checker

SECTIONS = ("document_slots", "documents", "clarifications", "addenda")
TYPES = ("pdf", "xlsx", "docx", "png", "jpg")
CLARIFICATION_STATUSES = ("open", "answered", "published")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_DOCUMENT_BYTES = 2**31 - 1


def _when(c: Checker, value: Any, path: str) -> str | None:
    return c.iso_datetime(value, path) if value is not None else None


def _positive_int(c: Checker, value: Any, path: str) -> int | None:
    checked = c.number(value, path, minimum=1, maximum=MAX_DOCUMENT_BYTES, integer=True)
    return int(checked) if checked is not None else None


# -- validation --------------------------------------------------------------------------


def check_sourcing(
    c: Checker, root: Mapping[str, Any], vendors: set[str], questions: Mapping[str, Any]
) -> dict[str, list[dict[str, Any]]]:
    """The four sections in canonical form (errors collected on `c`)."""
    slots = _slots(c, root.get("document_slots", []), questions)
    addenda = _addenda(c, root.get("addenda", []), vendors, questions)
    return {
        "document_slots": slots,
        "documents": _documents(
            c,
            root.get("documents", []),
            vendors,
            {s["key"] for s in slots},
            {a["number"] for a in addenda},
        ),
        "clarifications": sorted(
            _clarifications(c, root.get("clarifications", []), vendors, questions),
            key=lambda q: q["number"] or 0,
        ),
        "addenda": sorted(addenda, key=lambda a: a["number"] or 0),
    }


def _slots(c: Checker, value: Any, questions: Mapping[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, item in enumerate(c.array(value, "document_slots")):
        path = f"document_slots[{i}]"
        s = c.obj(
            item,
            path,
            allowed=(
                "key",
                "name",
                "description",
                "required",
                "types",
                "max_bytes",
                "price_envelope",
                "knockout",
            ),
            required=("key", "name", "types", "max_bytes"),
        )
        if s is None:
            continue
        types = []
        for j, kind in enumerate(c.array(s.get("types", []), f"{path}.types", non_empty=True)):
            if c.choice(kind, f"{path}.types[{j}]", TYPES) is not None and kind not in types:
                types.append(kind)
        knockout = s.get("knockout")
        if knockout is not None:
            found = questions.get(knockout) if isinstance(knockout, str) else None
            if found is None or found[1]["kind"] != "knockout":
                c.error(f"{path}.knockout", f"unknown knockout question {knockout!r}")
        out.append(
            {
                "key": c.key(s.get("key"), f"{path}.key"),
                "name": c.text(s.get("name", ""), f"{path}.name", non_empty=True, max_length=200),
                "description": c.text(s.get("description", ""), f"{path}.description"),
                "required": c.boolean(s.get("required", False), f"{path}.required"),
                "types": [k for k in TYPES if k in types],
                "max_bytes": _positive_int(c, s.get("max_bytes"), f"{path}.max_bytes"),
                "price_envelope": c.boolean(
                    s.get("price_envelope", False), f"{path}.price_envelope"
                ),
                "knockout": knockout,
            }
        )
    c.unique(
        ((f"document_slots[{i}].key", s["key"]) for i, s in enumerate(out) if s["key"]),
        "document slot key",
    )
    c.unique(
        (
            (f"document_slots[{i}].knockout", s["knockout"])
            for i, s in enumerate(out)
            if s["knockout"]
        ),
        "knockout proved by a document slot",
    )
    return out


def _documents(
    c: Checker, value: Any, vendors: set[str], slots: set[str], addenda: set[int]
) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(c.array(value, "documents")):
        path = f"documents[{i}]"
        d = c.obj(
            item,
            path,
            allowed=(
                "vendor",
                "slot",
                "addendum",
                "filename",
                "type",
                "size",
                "sha256",
                "uploaded_at",
                "removed_at",
            ),
            required=("filename", "type", "size", "sha256", "uploaded_at"),
        )
        if d is None:
            continue
        vendor, slot, addendum = d.get("vendor"), d.get("slot"), d.get("addendum")
        if (vendor is None) != (slot is None):
            c.error(
                path, "a vendor's document names its vendor and its slot; an RFP document neither"
            )
        if vendor is not None:
            c.known(vendor, f"{path}.vendor", vendors, "vendor")
        if slot is not None:
            c.known(slot, f"{path}.slot", slots, "document slot")
        if addendum is not None and (vendor is not None or addendum not in addenda):
            c.error(f"{path}.addendum", f"unknown addendum {addendum!r} (of the RFP's documents)")
        sha = d.get("sha256")
        if not isinstance(sha, str) or not _SHA256.match(sha):
            c.error(f"{path}.sha256", "must be a SHA-256 in lower-case hex (64 characters)")
        filename = c.text(d.get("filename", ""), f"{path}.filename", non_empty=True, max_length=200)
        if filename is not None and ("/" in filename or "\\" in filename):
            c.error(f"{path}.filename", "must be a plain file name, without folders")
        out.append(
            {
                "vendor": vendor,
                "slot": slot,
                "addendum": addendum,
                "filename": filename,
                "type": c.choice(d.get("type"), f"{path}.type", TYPES),
                "size": _positive_int(c, d.get("size"), f"{path}.size"),
                "sha256": sha,
                "uploaded_at": _when(c, d.get("uploaded_at"), f"{path}.uploaded_at"),
                "removed_at": _when(c, d.get("removed_at"), f"{path}.removed_at"),
            }
        )
    return out


def _clarifications(
    c: Checker, value: Any, vendors: set[str], questions: Mapping[str, Any]
) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(c.array(value, "clarifications")):
        path = f"clarifications[{i}]"
        q = c.obj(
            item,
            path,
            allowed=(
                "number",
                "vendor",
                "question",
                "text",
                "asked_at",
                "status",
                "public_text",
                "answer",
                "answered_at",
                "published_at",
            ),
            required=("number", "text", "asked_at"),
        )
        if q is None:
            continue
        if q.get("vendor") is not None:
            c.known(q.get("vendor"), f"{path}.vendor", vendors, "vendor")
        if q.get("question") is not None:
            c.known(q.get("question"), f"{path}.question", questions, "question")
        status = c.choice(q.get("status", "open"), f"{path}.status", CLARIFICATION_STATUSES)
        answer = c.text(q.get("answer", ""), f"{path}.answer")
        if status in ("answered", "published") and not answer:
            c.error(f"{path}.answer", f"is required when the status is {status!r}")
        text = c.text(q.get("text", ""), f"{path}.text", non_empty=True)
        out.append(
            {
                "number": _positive_int(c, q.get("number"), f"{path}.number"),
                "vendor": q.get("vendor"),
                "question": q.get("question"),
                "text": text,
                "asked_at": _when(c, q.get("asked_at"), f"{path}.asked_at"),
                "status": status,
                "public_text": c.text(q.get("public_text", text or ""), f"{path}.public_text"),
                "answer": answer,
                "answered_at": _when(c, q.get("answered_at"), f"{path}.answered_at"),
                "published_at": _when(c, q.get("published_at"), f"{path}.published_at"),
            }
        )
    c.unique(
        ((f"clarifications[{i}].number", str(q["number"])) for i, q in enumerate(out)),
        "clarification number",
    )
    return out


def _addenda(
    c: Checker, value: Any, vendors: set[str], questions: Mapping[str, Any]
) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(c.array(value, "addenda")):
        path = f"addenda[{i}]"
        a = c.obj(
            item,
            path,
            allowed=(
                "number",
                "title",
                "body",
                "published_at",
                "deadline",
                "question",
                "acknowledged_by",
            ),
            required=("number", "title", "published_at"),
        )
        if a is None:
            continue
        deadline = None
        if a.get("deadline") is not None:
            d = c.obj(a["deadline"], f"{path}.deadline", allowed=("old", "new"), required=("new",))
            if d is not None:
                deadline = {
                    "old": _when(c, d.get("old"), f"{path}.deadline.old"),
                    "new": _when(c, d.get("new"), f"{path}.deadline.new"),
                }
        question = None
        if a.get("question") is not None:
            q = c.obj(
                a["question"],
                f"{path}.question",
                allowed=("key", "old_text", "new_text"),
                required=("key", "new_text"),
            )
            if q is not None:
                c.known(q.get("key"), f"{path}.question.key", questions, "question")
                question = {
                    "key": q.get("key"),
                    "old_text": c.text(q.get("old_text", ""), f"{path}.question.old_text"),
                    "new_text": c.text(q.get("new_text", ""), f"{path}.question.new_text"),
                }
        acknowledgements = []
        for j, ack in enumerate(c.array(a.get("acknowledged_by", []), f"{path}.acknowledged_by")):
            at = f"{path}.acknowledged_by[{j}]"
            entry = c.obj(ack, at, allowed=("vendor", "at"), required=("vendor", "at"))
            if entry is None:
                continue
            c.known(entry.get("vendor"), f"{at}.vendor", vendors, "vendor")
            acknowledgements.append(
                {"vendor": entry.get("vendor"), "at": _when(c, entry.get("at"), f"{at}.at")}
            )
        c.unique(
            (
                (f"{path}.acknowledged_by[{j}]", str(ack["vendor"]))
                for j, ack in enumerate(acknowledgements)
            ),
            "acknowledgement by vendor",
        )
        out.append(
            {
                "number": _positive_int(c, a.get("number"), f"{path}.number"),
                "title": c.text(
                    a.get("title", ""), f"{path}.title", non_empty=True, max_length=200
                ),
                "body": c.text(a.get("body", ""), f"{path}.body"),
                "published_at": _when(c, a.get("published_at"), f"{path}.published_at"),
                "deadline": deadline,
                "question": question,
                # In the order they came in, as the database gives them back.
                "acknowledged_by": sorted(acknowledgements, key=lambda ack: ack["at"] or ""),
            }
        )
    c.unique(
        ((f"addenda[{i}].number", str(a["number"])) for i, a in enumerate(out)), "addendum number"
    )
    return out
