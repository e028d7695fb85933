import pytest
from pydantic import ValidationError

from clerk.documents import Understanding
from clerk.payloads import ITEM_SCHEMA, DocumentRef, EntryRef, ItemPayload, storable

DOC = DocumentRef(sha256="ab", name="a.pdf", mime="application/pdf", source="api", file="a.pdf")


def test_round_trip_with_understanding_and_entry() -> None:
    u = Understanding("ab", "a.pdf", "invoice", 0.9, (("invoice", 0.9),), (), (), "auto", ())
    payload = ItemPayload(document=DOC).with_understanding(u)
    payload = payload.model_copy(
        update={"entry": EntryRef(system="erp", document_number="INV-1", created=True)}
    )
    data = payload.dump()
    assert data["schema"] == ITEM_SCHEMA
    again = ItemPayload.parse(data)
    assert again == payload
    assert again.get_understanding() == u


def test_bad_payloads_are_refused_readably() -> None:
    with pytest.raises(ValueError, match="JSON object"):
        ItemPayload.parse([1, 2])
    with pytest.raises(ValueError, match="is not"):
        ItemPayload.parse({"schema": "other/9", "document": DOC.model_dump()})
    with pytest.raises(ValidationError):
        ItemPayload.parse({"document": {"name": "x"}})


@pytest.mark.parametrize(
    "reasons",
    [
        None,  # missing
        "field total = 1 is not a number",  # not a list
        [{"kind": "field", "name": "total"}],  # a /2 record without its message
        [1, 2],  # not sentences
    ],
)
def test_a_broken_v1_understanding_is_a_value_error(reasons: object) -> None:
    """Found by the payload fuzz: a ``clerk.understanding/1`` whose reasons were not a
    list of sentences raised KeyError or TypeError, which no caller turns into BAD_PAYLOAD."""
    u = Understanding("ab", "a.pdf", "invoice", 0.9, (("invoice", 0.9),), (), (), "auto", ())
    data = ItemPayload(document=DOC).with_understanding(u).dump()
    data["understanding"]["schema"] = "clerk.understanding/1"
    if reasons is None:
        del data["understanding"]["reasons"]
    else:
        data["understanding"]["reasons"] = reasons
    with pytest.raises(ValueError):
        ItemPayload.parse(data).get_understanding()


def test_a_reviewer_s_type_travels_on_the_payload_and_must_be_known() -> None:
    from clerk.payloads import TypeOverride

    override = TypeOverride(doc_type="invoice", set_by="rita", document_sha256="ab")
    payload = ItemPayload(document=DOC, doc_type_override=override)
    assert ItemPayload.parse(payload.dump()).doc_type_override == override
    assert ItemPayload(document=DOC).dump()["doc_type_override"] is None
    with pytest.raises(ValueError, match="document type must be one of"):
        TypeOverride(doc_type="memo", set_by="rita", document_sha256="ab")


def test_who_set_the_type_is_kept_and_absent_when_the_classifier_did() -> None:
    from clerk.documents import understanding_from_json, understanding_to_json

    u = Understanding("ab", "a.pdf", "invoice", 0.9, (("invoice", 0.9),), (), (), "auto", ())
    assert "type_set_by" not in understanding_to_json(u)  # stored items stay as they were
    person = Understanding(
        "ab", "a.pdf", "receipt", 1.0, (("invoice", 0.9),), (), (), "auto", (), type_set_by="rita"
    )
    assert understanding_from_json(understanding_to_json(person)) == person


def test_a_nul_in_a_document_s_text_still_gives_a_storable_payload() -> None:
    """A NUL (PostgreSQL's text refuses it) or a lone surrogate in a document's name or
    text becomes U+FFFD in the dumped payload, so the Control Room stores it."""
    from controlroom.services.validation import check_payload

    doc = DocumentRef(
        sha256="ab", name="a\x00.pdf", mime="application/pdf", source="api", file="a.pdf"
    )
    u = Understanding("ab", "a\x00.pdf", "invoice", 0.9, (("invoice", 0.9),), (), (), "auto", ())
    data = ItemPayload(document=doc).with_understanding(u).dump()
    check_payload(data, 10**6)
    assert data["document"]["name"] == "a\ufffd.pdf"
    assert storable({"k\x00": ["x\ud800y", 1, None]}) == {"k\ufffd": ["x\ufffdy", 1, None]}
