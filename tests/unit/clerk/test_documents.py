import json
from dataclasses import replace

import pytest

from clerk.documents import (
    SCHEMA,
    Box,
    Check,
    Document,
    Field,
    LineItem,
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


def _row(description: str, quantity: str, price: str, amount: str, page: int = 1) -> LineItem:
    return LineItem(
        (
            Field("description", description, description, 0.97, page, Box(10, 100, 200, 110)),
            Field("quantity", quantity, quantity, 0.97, page, Box(210, 100, 230, 110)),
            Field("unit_price", price, price, 0.6, page, Box(240, 100, 280, 110)),
            Field("amount", amount, amount, 0.97, page, Box(290, 100, 330, 110)),
        )
    )


def _with_lines() -> Understanding:
    return replace(
        _understanding(),
        line_items=(_row("Pens", "2", "3.00", "6.00"), _row("Paper", "1", "4.00", "4.00")),
        reasons=(Reason("rows", "line_items", "1 of 2 line items ...", (0,)),),
        checks=(Check("line_item_amounts", False, "line 2: ...", (1,)),),
    )


def test_a_version_3_understanding_keeps_its_line_items_as_rows() -> None:
    u = _with_lines()
    data = understanding_to_json(u)
    assert data["schema"] == "clerk.understanding/3" == SCHEMA
    assert all("." not in f["name"] for f in data["fields"])
    assert [list(row) for row in data["line_items"]] == [
        ["description", "quantity", "unit_price", "amount"]
    ] * 2
    assert data["line_items"][1]["amount"]["value"] == "4.00"
    assert data["reasons"][0]["rows"] == [0] and data["checks"][0]["rows"] == [1]
    assert understanding_from_json(json.loads(json.dumps(data))) == u


def test_a_version_3_payload_whose_rows_are_no_objects_is_refused_readably() -> None:
    data = understanding_to_json(_with_lines()) | {"line_items": [["Pens", "2"]]}
    with pytest.raises(ValueError, match="line_items as a list of objects"):
        understanding_from_json(data)


def test_a_version_2_payload_with_flattened_cells_reads_as_rows() -> None:
    """Items stored by Clerk before /3 kept their cells in ``fields`` under their
    addresses; reading them gives rows, in column order, and keeps row indexes."""
    cell = {"confidence": 0.97, "page": 1, "box": None, "source": "model"}
    data = {
        "schema": "clerk.understanding/2",
        "document_sha256": "abc",
        "document_name": "inv.pdf",
        "doc_type": "invoice",
        "type_confidence": 0.97,
        "top3": [["invoice", 0.97]],
        "fields": [
            {**cell, "name": "total_amount", "raw": "10,00", "value": "10.00"},
            {**cell, "name": "line_items.1.amount", "raw": "4,00", "value": "4.00"},
            {**cell, "name": "line_items.0.amount", "raw": "6,00", "value": "6.00"},
            {**cell, "name": "line_items.0.description", "raw": "Pens", "value": "Pens"},
            {**cell, "name": "line_items.1.quantity", "raw": "1", "value": "1", "confidence": 0.5},
        ],
        "checks": [{"name": "line_item_amounts", "passed": True, "message": "ok"}],
        "decision": "review",
        "reasons": [
            {"kind": "field", "name": "line_items.1.quantity", "message": "field ... below"},
            {"kind": "field", "name": "total_amount", "message": "field total ... below"},
        ],
        "corrections": [
            {**cell, "name": "line_items.1.quantity", "raw": "2", "value": "2", "source": "human"}
        ],
    }
    u = understanding_from_json(data)
    assert u.schema == SCHEMA
    assert [f.name for f in u.fields] == ["total_amount"]
    assert [[c.name for c in row.cells] for row in u.line_items] == [
        ["description", "amount"],
        ["quantity", "amount"],
    ]
    assert u.line_items[1].cell("quantity").confidence == 0.5  # type: ignore[union-attr]
    assert [(r.kind, r.name, r.rows) for r in u.reasons] == [
        ("rows", "line_items", (1,)),
        ("field", "total_amount", ()),
    ]
    assert u.flags_row(1) and not u.flags_row(0) and u.flags("total_amount")
    # The stored correction still addresses its cell.
    assert u.row_values() == [
        {"description": "Pens", "amount": "6.00"},
        {"quantity": "2", "amount": "4.00"},
    ]
    # And the item, written again, is a /3 one that reads back the same.
    assert understanding_from_json(understanding_to_json(u)) == u


def test_a_version_2_field_without_a_string_name_is_a_value_error() -> None:
    """Found by the payload fuzz: moving /2 cells into rows met a name that was null."""
    data = understanding_to_json(_understanding()) | {"schema": "clerk.understanding/2"}
    data["fields"] = [*data["fields"], {**data["fields"][0], "name": None}]
    with pytest.raises(ValueError, match="name"):
        understanding_from_json(data)


def test_an_address_past_the_last_possible_row_is_refused_not_filled_in() -> None:
    """A stored item keeps its row indexes; a forged ``line_items.999999999.amount`` would
    otherwise make a billion empty rows."""
    v2 = understanding_to_json(_understanding()) | {"schema": "clerk.understanding/2"}
    v2["fields"] = [*v2["fields"], {**v2["fields"][0], "name": "line_items.999999999.amount"}]
    with pytest.raises(ValueError, match="past the 10000"):
        understanding_from_json(v2)
    far = Field("line_items.10000.amount", "1", "1.00", 1.0)
    v3 = understanding_to_json(_understanding().corrected([far]))
    with pytest.raises(ValueError, match=r"line_items\.10000\.amount"):
        understanding_from_json(v3)


def test_a_cell_correction_wins_by_its_address() -> None:
    u = _with_lines()
    address = u.address(1, "unit_price")
    assert address == "line_items.1.unit_price"
    fixed = u.corrected([Field(address, "4,10", "4.10", 0.2)])
    cell = fixed.cell(1, "unit_price")
    assert cell is not None and cell.value == "4.10" and cell.source == "human"
    assert cell.name == "unit_price"
    assert fixed.field(address) == cell
    assert fixed.line_items[1].cell("unit_price").value == "4.00"  # type: ignore[union-attr]
    assert fixed.row_values()[1]["unit_price"] == "4.10"
    assert address not in fixed.values()  # flat values stay flat
    assert fixed.addressed_values()[address] == "4.10"
    # A correction past the last row adds a row a person typed.
    more = u.corrected([Field(u.address(2, "amount"), "1", "1.00", 1.0)])
    assert len(more.rows()) == 3 and more.row_values()[2] == {"amount": "1.00"}


def test_document_round_trips_through_json() -> None:
    assert document_from_json(document_to_json(_doc())) == _doc()


def test_a_row_a_person_emptied_is_removed_and_the_other_rows_keep_their_index() -> None:
    u = _with_lines()
    emptied = u.corrected([Field(u.address(0, c), "", None, 1.0) for c in u.columns()])
    assert [i for i, _ in emptied.indexed_rows()] == [1]
    assert [r["description"] for r in emptied.row_values()] == ["Paper"]
    assert emptied.row_count() == 2  # a new row is still index 2
    # One cell emptied is a correction, not a removal; a machine row without values stays.
    one = u.corrected([Field(u.address(0, "description"), "", None, 1.0)])
    assert len(one.rows()) == 2
    bare = replace(u, line_items=(*u.line_items, LineItem()))
    assert len(bare.rows()) == 3
