"""``services.vendor_memory``: teach (roles, versions, guards), forget, and reading it
back as a pipeline does, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clerk.documents import Document, Field, Understanding
from clerk.paths import PROJECT_ROOT
from controlroom.db import transaction
from controlroom.models import AuditEntry
from controlroom.services import vendor_memory
from controlroom.services.errors import Forbidden, InvalidInput, NotFound
from controlroom.services.processes import ensure_workspace
from extractors import read_all

SAMPLE = PROJECT_ROOT / "samples" / "inbox" / "invoice_en.pdf"
TRUTH = PROJECT_ROOT / "samples" / "expected" / "invoice_en.pdf.json"


@pytest.fixture(scope="module")
def document() -> Document:
    return read_all(SAMPLE.read_bytes(), SAMPLE.name).documents[0]


@pytest.fixture(scope="module")
def confirmed(document: Document) -> Understanding:
    """The invoice with its true values, as a reviewer confirms them."""
    fields = json.loads(TRUTH.read_text())["fields"]
    flat = tuple(Field(k, v, v, 1.0) for k, v in fields.items() if "." not in k)
    return Understanding(
        document.sha256, document.name, "invoice", 0.99, (), flat, (), "review", ()
    )


@pytest.fixture()
def ws(factory: sessionmaker[Session], request: pytest.FixtureRequest) -> str:
    with transaction(factory) as s:
        return ensure_workspace(s, f"memory-{request.node.name[:40]}").id


def _teach(factory: sessionmaker[Session], ws: str, document: Document, u: Understanding,
           role: str = "reviewer") -> vendor_memory.Taught:  # fmt: skip
    with transaction(factory) as s:
        return vendor_memory.teach(s, ws, document, u, actor="user:rita", role=role)


def test_each_teach_raises_the_version_and_is_audited(
    factory: sessionmaker[Session], ws: str, document: Document, confirmed: Understanding
) -> None:
    first = _teach(factory, ws, document, confirmed)
    assert first.created and first.entry.version == 1 and first.entry.confirmations == 1
    assert first.entry.vendor_key == "vendor_vat_id:GB276233299"
    again = _teach(factory, ws, document, confirmed, role="admin")
    assert not again.created and again.entry.version == 2 and again.entry.confirmations == 2
    assert {f.confirmations for f in again.entry.fields} == {2}
    with transaction(factory) as s:
        (row,) = vendor_memory.rows(s, ws)
        assert vendor_memory.summary(row)["version"] == 2
        audits = list(
            s.scalars(
                select(AuditEntry).where(AuditEntry.entity_id == row.id).order_by(AuditEntry.seq)
            )
        )
    assert [a.action for a in audits] == ["memory.teach", "memory.teach"]
    assert audits[0].before is None and (audits[1].before or {})["version"] == 1


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_who_may_not_teach_teaches_nothing(
    factory: sessionmaker[Session], ws: str, document: Document, confirmed: Understanding, role: str
) -> None:
    with pytest.raises(Forbidden, match=f"a {role} may not teach"):
        _teach(factory, ws, document, confirmed, role=role)
    with transaction(factory) as s:
        assert vendor_memory.rows(s, ws) == []


def test_one_reviewer_confirming_a_total_that_breaks_the_arithmetic_cannot_poison_it(
    factory: sessionmaker[Session], ws: str, document: Document, confirmed: Understanding
) -> None:
    wrong = confirmed.corrected([Field("total_amount", "4827.17", "4827.17", 1.0)])
    with pytest.raises(InvalidInput, match="contradict its own checks") as caught:
        _teach(factory, ws, document, wrong)
    assert caught.value.code == "MEMORY_CONTRADICTS_CHECKS"
    with transaction(factory) as s:
        assert vendor_memory.rows(s, ws) == []


def test_values_not_printed_and_documents_without_a_vendor_teach_nothing(
    factory: sessionmaker[Session], ws: str, document: Document, confirmed: Understanding
) -> None:
    ids = ("vendor_name", "vendor_vat_id", "iban")
    nameless = replace(confirmed, fields=tuple(f for f in confirmed.fields if f.name not in ids))
    with pytest.raises(InvalidInput) as caught:
        _teach(factory, ws, document, nameless)
    assert caught.value.code == "MEMORY_NO_VENDOR"
    elsewhere = replace(confirmed, fields=(Field("vendor_name", "Nobody Ltd", "Nobody Ltd", 1.0),))
    with pytest.raises(InvalidInput) as caught:
        _teach(factory, ws, document, elsewhere)
    assert caught.value.code == "MEMORY_NOTHING_PRINTED"


def test_forget_removes_the_vendor_and_is_audited(
    factory: sessionmaker[Session], ws: str, document: Document, confirmed: Understanding
) -> None:
    _teach(factory, ws, document, confirmed)
    with transaction(factory) as s, pytest.raises(NotFound, match="no vendor 'Acme'"):
        vendor_memory.forget(s, ws, "Acme", actor="cli:ops")
    with transaction(factory) as s:
        assert vendor_memory.forget(s, ws, "WILSON SOFTWARE LTD", actor="cli:ops") == 1
    with transaction(factory) as s:
        assert vendor_memory.rows(s, ws) == []
        actions = [
            a.action for a in s.scalars(select(AuditEntry).where(AuditEntry.actor == "cli:ops"))
        ]
    assert actions == ["memory.forget"]


def test_a_pipeline_reads_the_database_memory(
    factory: sessionmaker[Session], db_url: str, document: Document, confirmed: Understanding
) -> None:
    with transaction(factory) as s:
        ws = ensure_workspace(s, "memory-read").id
    _teach(factory, ws, document, confirmed)
    memory = vendor_memory.DatabaseMemory.load(db_url, "memory-read")
    assert memory is not None
    (entry,) = memory.entries("invoice")
    assert entry.vendor_name == "Wilson Software Ltd." and memory.entries("receipt") == []
    missing = f"sqlite:///{PROJECT_ROOT}/no/such.db"
    assert vendor_memory.DatabaseMemory.load(missing, "memory-read") is None
