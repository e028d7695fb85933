"""Corrections records -> corrected documents, their hash and the held-back split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clerk.corrections import (
    CorrectionsError,
    corrections_hash,
    documents,
    read_jsonl,
    split,
)


def _record(sha: str, name: str, value: str | None, **extra: object) -> dict[str, object]:
    return {
        "document_sha256": sha,
        "doc_type": "invoice",
        "field": name,
        "corrected_value": value,
        "original_value": "x",
        **extra,
    }


def test_records_of_one_document_become_one_with_the_reviewers_values() -> None:
    records = [
        _record("a" * 64, "invoice_number", "INV-1", text="Invoice INV-1"),
        _record("a" * 64, "invoice_number", "INV-2"),  # later wins
        _record("a" * 64, "total_amount", "10.00"),
        _record("a" * 64, "total_amount", None),  # cleared again: no label
        _record("a" * 64, "line_items.0.amount", "5.00"),  # cells are left out
        _record("b" * 64, "doc_type", "receipt", text="Receipt"),
        _record("c" * 64, "doc_type", "no-such-type", text="?"),
    ]
    docs = documents(records)
    assert [d.sha256[0] for d in docs] == ["a", "b", "c"]
    a, b, c = docs
    assert (a.doc_type, a.text, a.values, a.type_corrected) == (
        "invoice",
        "Invoice INV-1",
        {"invoice_number": "INV-2"},
        False,
    )
    assert (b.doc_type, b.type_corrected, b.values) == ("receipt", True, {})
    assert (c.doc_type, c.type_corrected) == ("invoice", False)  # an unknown type is ignored


def test_split_holds_back_a_quarter_the_same_way_every_time() -> None:
    records = [_record(f"{i:064x}", "invoice_number", f"N{i}", text=f"doc {i}") for i in range(8)]
    records.append(_record("f" * 64, "invoice_number", "N"))  # no text: in neither part
    docs = documents(records)
    train, held = split(docs, seed=7)
    assert len(held) == 2 and len(train) == 6
    assert {d.sha256 for d in train} | {d.sha256 for d in held} == {f"{i:064x}" for i in range(8)}
    assert split(docs, seed=7) == (train, held)
    assert split(docs, seed=8) != (train, held)
    assert split(docs[:1], seed=7) == (docs[:1], [])  # one document: nothing to hold back


def test_hash_changes_with_any_record(tmp_path: Path) -> None:
    records = [_record("a" * 64, "invoice_number", "INV-1")]
    assert corrections_hash(records) == corrections_hash([dict(records[0])])
    assert corrections_hash(records) != corrections_hash([_record("a" * 64, "invoice_number", "X")])


def test_read_jsonl_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    good = json.dumps(_record("a" * 64, "invoice_number", "INV-1"))
    path.write_text(good + "\n\n" + good + "\n")
    assert len(read_jsonl(path)) == 2
    path.write_text(good + "\n{not json\n")
    with pytest.raises(CorrectionsError, match=r"c.jsonl:2: not JSON"):
        read_jsonl(path)
    path.write_text(json.dumps({"document_sha256": "a"}) + "\n")
    with pytest.raises(CorrectionsError, match=r":1: .*missing doc_type, field, corrected_value"):
        read_jsonl(path)
    with pytest.raises(CorrectionsError, match="cannot read corrections file"):
        read_jsonl(tmp_path / "missing.jsonl")
