"""The sourcing record in the scenario file (document slots, documents, Q&A, addenda with
their acknowledgements): the evaluation's export carries it, import and dump are
inverse, a file without it stays valid, and a bad entry is named by its path."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any

import pytest

from rfp.scenario import ScenarioError, normalise_scenario
from rfp.scenario.store import dump_evaluation, import_scenario

SHA = "a" * 64


def sourcing(doc: dict[str, Any]) -> dict[str, Any]:
    doc["document_slots"] = [
        {
            "key": "soc2_report",
            "name": "SOC 2 Type II report",
            "required": True,
            "types": ["pdf"],
            "max_bytes": 1048576,
            "knockout": "soc2",
        },
        {"key": "pricing", "name": "Pricing workbook", "types": ["xlsx"], "max_bytes": 2048,
         "price_envelope": True},
    ]  # fmt: skip
    doc["addenda"] = [
        {
            "number": 1,
            "title": "One more week",
            "published_at": "2026-08-14T12:00:00+00:00",
            "deadline": {"old": "2026-08-28T22:00:00+00:00", "new": "2026-09-04T22:00:00Z"},
            "acknowledged_by": [
                {"vendor": "beta", "at": "2026-08-16T09:00:00+00:00"},
                {"vendor": "alpha", "at": "2026-08-15T09:00:00+00:00"},
            ],
        },
        {
            "number": 2,
            "title": "Time zones",
            "body": "Central time.",
            "published_at": "2026-08-20T12:00:00+00:00",
            "question": {"key": "timezone", "old_text": "Overlap", "new_text": "Time zone overlap"},
        },
    ]
    doc["documents"] = [
        {"vendor": "alpha", "slot": "soc2_report", "filename": "alpha soc2.pdf", "type": "pdf",
         "size": 2048, "sha256": SHA, "uploaded_at": "2026-08-20T10:00:00+00:00"},
        {"vendor": None, "slot": None, "addendum": 2, "filename": "Time zones.pdf",
         "type": "pdf", "size": 100, "sha256": "b" * 64,
         "uploaded_at": "2026-08-20T12:00:00+00:00"},
        {"vendor": "beta", "slot": "soc2_report", "filename": "old.pdf", "type": "pdf",
         "size": 10, "sha256": "c" * 64, "uploaded_at": "2026-08-19T10:00:00+00:00",
         "removed_at": "2026-08-21T10:00:00+00:00"},
    ]  # fmt: skip
    doc["clarifications"] = [
        {"number": 2, "vendor": "beta", "text": "Bogotá?", "asked_at": "2026-08-12T19:05:00+00:00",
         "status": "answered", "answer": "Yes.", "answered_at": "2026-08-13T08:45:00+00:00"},
        {"number": 1, "vendor": "alpha", "question": "timezone", "text": "Saturdays, Alpha here?",
         "asked_at": "2026-08-06T15:12:00+00:00", "status": "published",
         "public_text": "Saturdays?", "answer": "Same hours.",
         "answered_at": "2026-08-07T10:00:00+00:00", "published_at": "2026-08-07T10:00:00+00:00"},
    ]  # fmt: skip
    return doc


def test_a_file_without_the_sourcing_record_is_valid_and_has_empty_sections(make_scenario):
    doc = normalise_scenario(make_scenario())
    assert [doc[k] for k in ("document_slots", "documents", "clarifications", "addenda")] == [
        [],
        [],
        [],
        [],
    ]


def test_the_canonical_form_fills_defaults_and_sorts_by_number_and_time(make_scenario):
    doc = normalise_scenario(sourcing(make_scenario()))
    assert [q["number"] for q in doc["clarifications"]] == [1, 2]
    assert doc["clarifications"][1]["public_text"] == "Bogotá?"  # defaults to the text
    first = doc["addenda"][0]
    assert [a["vendor"] for a in first["acknowledged_by"]] == ["alpha", "beta"]
    assert first["deadline"]["new"] == "2026-09-04T22:00:00+00:00"  # in UTC
    assert doc["document_slots"][1]["required"] is False
    assert doc["documents"][0]["removed_at"] is None


def test_import_and_dump_are_inverse_for_the_sourcing_record(database, make_scenario):
    doc = normalise_scenario(sourcing(make_scenario()))
    with database.transaction() as session:
        evaluation_id = import_scenario(session, doc).id
    with database.session() as session:
        dumped = dump_evaluation(session, evaluation_id)
    assert dumped == doc
    assert json.loads(json.dumps(dumped)) == dumped


BAD = [
    ("document_slots", 0, {"types": ["exe"]}, "document_slots[0].types[0]: must be one of"),
    ("document_slots", 0, {"knockout": "timezone"}, "unknown knockout question 'timezone'"),
    ("document_slots", 0, {"max_bytes": 0}, "document_slots[0].max_bytes: must be an integer"),
    ("documents", 0, {"sha256": "../../etc"}, "documents[0].sha256: must be a SHA-256"),
    ("documents", 0, {"slot": "nope"}, "documents[0].slot: unknown document slot 'nope'"),
    ("documents", 0, {"vendor": None}, "documents[0]: a vendor's document names its vendor"),
    ("documents", 0, {"filename": "../x.pdf"}, "documents[0].filename: must be a plain file"),
    ("documents", 1, {"addendum": 9}, "documents[1].addendum: unknown addendum 9"),
    ("clarifications", 0, {"vendor": "gamma"}, "clarifications[0].vendor: unknown vendor"),
    ("clarifications", 0, {"answer": ""}, "clarifications[0].answer: is required when"),
    ("clarifications", 1, {"number": 2}, "clarifications[1].number: duplicate"),
    ("addenda", 0, {"deadline": {"old": "soon"}}, "addenda[0].deadline.new: is required"),
    ("addenda", 1, {"question": {"key": "x", "new_text": "y"}}, "addenda[1].question.key"),
    (
        "addenda",
        0,
        {"acknowledged_by": [{"vendor": "alpha", "at": "2026-08-15T09:00:00Z"}] * 2},
        "addenda[0].acknowledged_by[1]: duplicate acknowledgement by vendor 'alpha'",
    ),
]


@pytest.mark.parametrize(
    ("section", "index", "change", "error"), BAD, ids=[f"{b[0]}-{b[3][:30]}" for b in BAD]
)
def test_a_bad_entry_is_named_by_its_path(make_scenario, section, index, change, error):
    doc = sourcing(make_scenario())
    doc[section][index].update(change)
    with pytest.raises(ScenarioError) as raised:
        normalise_scenario(doc)
    assert any(error in e for e in raised.value.errors), raised.value.errors


def test_every_document_of_the_demo_has_its_file_shipped_with_the_same_sha256(demo_doc):
    shipped = {}
    for entry in resources.files("rfp.demo").joinpath("documents").iterdir():
        if entry.is_file():
            data = entry.read_bytes()
            shipped[hashlib.sha256(data).hexdigest()] = len(data)
    for document in demo_doc["documents"]:
        assert shipped.get(document["sha256"]) == document["size"], document["filename"]


def test_loading_the_demo_with_a_document_store_puts_its_files_there(database, tmp_path):
    from sqlalchemy import select

    from rfp import models as m
    from rfp.core.document_store import DocumentStore
    from rfp.demo import load_demo

    with database.transaction() as session:
        load_demo(session, document_dir=tmp_path / "documents")
    store = DocumentStore(tmp_path / "documents")
    with database.session() as session:
        documents = session.scalars(select(m.Document)).all()
    assert len(documents) == 14
    assert all(store.found(d.sha256, d.size) for d in documents)
