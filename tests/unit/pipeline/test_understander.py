"""The understander with a reviewer's type: read as that type, decided on with type
confidence 1.0, the classifier's view kept. Uses the small models the classifier and
extractor tests share (built once per session), not the installed ones."""

from __future__ import annotations

import hashlib

import pytest

import corpus
from clerk.errors import ClerkError
from clerk.payloads import TypeOverride
from clerk.schemas import SCHEMAS
from pipeline.understander import Understander
from tests.unit.extractors.ner_support import SEED, make_document


@pytest.fixture(scope="module")
def invoice_text() -> str:
    (sample,) = corpus.generate(1, SEED, doc_types=["invoice"], languages=["en"])
    return sample.text


def test_without_a_type_the_classifier_decides(
    understander: Understander, invoice_text: str
) -> None:
    u = understander.understand(make_document([invoice_text]))
    assert u.type_set_by is None
    assert (u.doc_type, u.type_confidence) == u.top3[0]


def test_a_person_s_type_is_read_with_full_confidence_and_the_classifier_s_view_kept(
    understander: Understander, invoice_text: str
) -> None:
    document = make_document([invoice_text])
    machine = understander.understand(document)
    person = understander.understand(document, doc_type="receipt", type_set_by="rita")
    assert (person.doc_type, person.type_confidence, person.type_set_by) == (
        "receipt",
        1.0,
        "rita",
    )
    assert person.top3 == machine.top3  # what the classifier thought, for the reviewer
    receipt_fields = {f.name for f in SCHEMAS["receipt"].fields}
    assert {f.name for f in person.fields} <= receipt_fields
    assert person.line_items == ()  # a receipt has no line items
    assert not [r for r in person.reasons if r.kind == "type"]  # the type gate passes


def test_the_same_type_as_the_classifier_s_only_lifts_the_type_gate(
    understander: Understander, invoice_text: str
) -> None:
    document = make_document([invoice_text])
    machine = understander.understand(document)
    confirmed = understander.understand(document, doc_type=machine.doc_type, type_set_by="rita")
    assert confirmed.values() == machine.values()
    assert [c.name for c in confirmed.checks] == [c.name for c in machine.checks]
    assert [r for r in confirmed.reasons if r.kind != "type"] == [
        r for r in machine.reasons if r.kind != "type"
    ]


def test_an_unknown_type_is_a_bad_payload(understander: Understander, invoice_text: str) -> None:
    with pytest.raises(ClerkError) as caught:
        understander.understand(make_document([invoice_text]), doc_type="memo", type_set_by="x")
    assert caught.value.code == "BAD_PAYLOAD" and "'memo'" in caught.value.message


def test_understand_bytes_applies_the_override_to_its_document_only(
    understander: Understander, invoice_text: str
) -> None:
    data = invoice_text.encode()
    sha = hashlib.sha256(data).hexdigest()
    mine = TypeOverride(doc_type="purchase_order", set_by="rita", document_sha256=sha)
    (got,) = understander.understand_bytes(data, "invoice.txt", mine)
    assert (got.doc_type, got.type_confidence, got.type_set_by) == ("purchase_order", 1.0, "rita")
    other = TypeOverride(doc_type="purchase_order", set_by="rita", document_sha256="0" * 64)
    (plain,) = understander.understand_bytes(data, "invoice.txt", other)
    assert plain.type_set_by is None and plain.doc_type == plain.top3[0][0]
