import pytest

from clerk.documents import (
    SCHEMA,
    Box,
    Check,
    Document,
    Field,
    Page,
    Reason,
    Understanding,
    Word,
    document_from_json,
    document_text,
    document_to_json,
    understanding_from_json,
    understanding_to_json,
    words_from_text,
)


def _doc() -> Document:
    page1 = Page(
        1,
        600,
        800,
        (
            Word("Invoice", 1.0, 1, 0, Box(10, 10, 60, 20)),
            Word("No.", 1.0, 1, 0, Box(62, 10, 80, 20)),
            Word("A-17", 1.0, 1, 0, Box(90, 10, 120, 20)),
            Word("Total", 0.8, 1, 1, Box(10, 40, 50, 50)),
            Word("12,50", 0.7, 1, 1, Box(60, 40, 90, 50)),
        ),
    )
    page2 = Page(2, 600, 800, (Word("Thanks", 1.0, 2, 0, Box(10, 10, 50, 20)),))
    return Document("abc", "inv.pdf", "application/pdf", (page1, page2), "text-layer")


def test_text_joins_words_lines_and_pages() -> None:
    assert _doc().text == "Invoice No. A-17\nTotal 12,50\fThanks"


def test_offsets_point_at_their_words() -> None:
    rendered = document_text(_doc())
    for start, end, word in rendered.spans:
        assert rendered.text[start:end] == word.text
    start = rendered.text.index("12,50")
    assert [w.text for w in rendered.words_in(start, start + 5)] == ["12,50"]
    assert [w.text for w in rendered.words_in(0, 11)] == ["Invoice", "No."]


def test_words_from_text_skips_blank_lines() -> None:
    words = words_from_text("a b\n\n  \nc")
    assert [(w.text, w.line) for w in words] == [("a", 0), ("b", 0), ("c", 1)]
    assert all(w.box is None for w in words)


def test_box_union() -> None:
    assert Box(1, 5, 3, 6).union(Box(0, 7, 2, 9)) == Box(0, 5, 3, 9)


def _understanding() -> Understanding:
    return Understanding(
        document_sha256="abc",
        document_name="inv.pdf",
        doc_type="invoice",
        type_confidence=0.97,
        top3=(("invoice", 0.97), ("receipt", 0.02), ("other", 0.01)),
        fields=(Field("total_amount", "12,50", "12.50", 0.93, 1, Box(60, 40, 90, 50)),),
        checks=(Check("net_plus_tax_equals_total", False, "10.00 + 1.90 != 12.50"),),
        decision="review",
        reasons=(
            Reason("check", "net_plus_tax_equals_total", "check net_plus_tax_equals_total failed"),
        ),
        model_versions={"classifier": "c1", "extractor": "e1"},
    )


def test_understanding_round_trips_through_json() -> None:
    u = _understanding()
    data = understanding_to_json(u)
    assert data["schema"] == SCHEMA
    assert understanding_from_json(data) == u


def test_a_payload_of_another_schema_is_refused_with_advice() -> None:
    data = understanding_to_json(_understanding()) | {"schema": "clerk.understanding/0"}
    with pytest.raises(ValueError, match="re-run the understand step"):
        understanding_from_json(data)


def test_a_version_1_payload_reads_with_its_reasons_as_data() -> None:
    data = understanding_to_json(_understanding()) | {"schema": "clerk.understanding/1"}
    data["reasons"] = [
        "field total_amount = '12,50' has confidence 0.500, below 0.93",
        "check net_plus_tax_equals_total failed: 10.00 + 1.90 != 12.50",
        "documents of type 'other' always go to a person",
    ]
    u = understanding_from_json(data)
    assert u.schema == SCHEMA
    assert [(r.kind, r.name) for r in u.reasons] == [
        ("field", "total_amount"),
        ("check", "net_plus_tax_equals_total"),
        ("other", ""),
    ]
    assert u.reasons[1].message == data["reasons"][1]
    assert u.flags("total_amount") and not u.flags("net_amount")


def test_corrections_win_and_keep_the_machine_value() -> None:
    u = _understanding().corrected([Field("total_amount", "11,90", "11.90", 0.1)])
    assert u.field("total_amount") is not None
    assert u.field("total_amount").value == "11.90"  # type: ignore[union-attr]
    assert u.field("total_amount").source == "human"  # type: ignore[union-attr]
    assert u.fields[0].value == "12.50"
    assert u.values()["total_amount"] == "11.90"


def test_document_round_trips_through_json() -> None:
    assert document_from_json(document_to_json(_doc())) == _doc()
