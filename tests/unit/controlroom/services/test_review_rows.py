"""The server's check of the line items a reviewer posts (``services._review_rows``)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clerk.documents import Field, LineItem, Understanding
from controlroom.services._review_rows import (
    CODE,
    checked_cells,
    corrections_from_form,
    split_submitted,
)
from controlroom.services.errors import InvalidInput


def _row(description: str, quantity: str, price: str, amount: str) -> LineItem:
    return LineItem(
        tuple(
            Field(name, value, value, 0.97)
            for name, value in (
                ("description", description),
                ("quantity", quantity),
                ("unit_price", price),
                ("amount", amount),
            )
        )
    )


def _invoice(rows: int = 3) -> Understanding:
    return Understanding(
        document_sha256="0" * 64,
        document_name="scan.pdf",
        doc_type="invoice",
        type_confidence=0.97,
        top3=(("invoice", 0.97),),
        fields=(Field("net_amount", "30.00", "30.00", 0.97),),
        checks=(),
        decision="review",
        reasons=(),
        line_items=tuple(_row(f"Item {i}", "1", "10.00", "10.00") for i in range(rows)),
    )


def _refused(understanding: Understanding, cells: dict[str, str]) -> str:
    with pytest.raises(InvalidInput) as caught:
        checked_cells(understanding, cells)
    assert caught.value.code == CODE
    return caught.value.message


def test_flat_fields_and_cells_are_told_apart_by_their_address() -> None:
    flat, cells = split_submitted({"net_amount": "1", "line_items.2.amount": "2"})
    assert flat == {"net_amount": "1"} and cells == {"line_items.2.amount": "2"}


def test_a_number_cell_that_is_no_number_is_refused_with_line_column_and_value() -> None:
    message = _refused(_invoice(), {"line_items.1.quantity": "2x", "line_items.2.amount": "9,50"})
    assert "line 2 quantity '2x' is not a number" in message
    assert "line 3 amount '9,50' is not a number" in message
    assert "e.g. 1234.50" in message
    # Text columns take any text; numbers may be negative (a credit line) and are stripped.
    ok = checked_cells(
        _invoice(), {"line_items.0.description": "Pens <b>", "line_items.0.amount": " -5.00 "}
    )
    assert ok == {"line_items.0.description": "Pens <b>", "line_items.0.amount": "-5.00"}


def test_an_unknown_column_or_group_is_refused_naming_the_columns() -> None:
    message = _refused(_invoice(), {"line_items.0.colour": "red", "paid_invoices.0.amount": "1"})
    assert "line_items.0.colour names no cell" in message
    assert "description, quantity, unit_price, amount" in message
    assert "paid_invoices.0.amount names no cell" in message
    receipt = replace(_invoice(0), doc_type="receipt")
    assert "has no line items" in _refused(receipt, {"line_items.0.amount": "1.00"})


def test_new_lines_follow_the_last_without_a_gap_and_are_complete() -> None:
    u = _invoice(3)
    new = {
        "line_items.3.description": "Ink",
        "line_items.3.quantity": "2",
        "line_items.3.unit_price": "1.50",
        "line_items.3.amount": "3.00",
    }
    assert checked_cells(u, new) == new
    gap = {k.replace(".3.", ".5."): v for k, v in new.items()}
    assert "line_items.5.description names line 6, but the item has 3 line item(s)" in _refused(
        u, gap
    )
    half = {"line_items.3.description": "Ink", "line_items.3.quantity": "2"}
    assert "new line 4 needs its unit price, amount" in _refused(u, half)
    # A line added and left empty is no line, and no correction.
    empty = {"line_items.3.description": "", "line_items.3.amount": " "}
    assert checked_cells(u, empty) == {}


def test_a_line_posted_empty_is_removed_and_the_others_keep_their_addresses() -> None:
    u = _invoice(3)
    posted = {f"line_items.1.{c}": "" for c in u.columns()}
    fixes = corrections_from_form(u, checked_cells(u, posted))
    assert [(f.name, f.value) for f in fixes] == [(f"line_items.1.{c}", None) for c in u.columns()]
    after = u.corrected(fixes)
    assert [i for i, _ in after.indexed_rows()] == [0, 2]
    assert [r["description"] for r in after.row_values()] == ["Item 0", "Item 2"]
    # The next new line still gets index 3: the removed row keeps its index.
    assert after.row_count() == 3
    assert checked_cells(after, {"line_items.3.description": "", "line_items.3.amount": ""}) == {}
