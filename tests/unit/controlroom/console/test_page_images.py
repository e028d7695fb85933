"""The review screen's field list and page geometry."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from pathlib import Path

from PIL import Image

from clerk.documents import Box, Check, Field, LineItem, Reason
from controlroom.console import _page_images as page_images
from controlroom.files import BlobStore
from controlroom.models import File
from controlroom.services import _review_rows as review_rows
from extractors import page_sizes
from tests.unit.controlroom.console.support import make_pdf, understanding_for


def test_header_fields_first_missing_ones_included() -> None:
    data, fields = make_pdf()
    understanding = understanding_for(data, "a.pdf", fields)
    understanding = replace(
        understanding,
        reasons=(
            Reason(
                "field",
                "invoice_number",
                "field invoice_number = 'INV-1001' has confidence 0.85, below 0.90",
            ),
        ),
    )
    views = page_images.field_views(understanding)
    names = [v.name for v in views]
    assert names[0] == "invoice_number"
    assert names.index("issue_date") < names.index("total_amount")  # missing, required
    by_name = {v.name: v for v in views}
    assert by_name["issue_date"].source == "missing" and by_name["issue_date"].required
    assert by_name["invoice_number"].low_confidence  # named by the policy, though 0.97
    assert not by_name["vendor_name"].low_confidence
    assert by_name["total_amount"].failed_checks  # named by the failed sum check
    assert len({v.dom_id for v in views}) == len(views)


def _cell(column: str, value: str, confidence: float = 0.97, x: float = 0) -> Field:
    return Field(column, value, value, confidence, page=1, box=Box(x, 500, x + 40, 512))


def test_line_items_are_one_table_of_rows_with_every_column() -> None:
    data, fields = make_pdf()
    rows = (
        LineItem((_cell("description", "Pens"), _cell("quantity", "2"), _cell("amount", "6.00"))),
        LineItem(
            (
                _cell("description", "Paper"),
                _cell("quantity", "1", 0.4, 100),
                _cell("unit_price", "4.00"),
                _cell("amount", "5.00"),
            )
        ),
    )
    understanding = replace(
        understanding_for(data, "a.pdf", fields),
        line_items=rows,
        checks=(Check("line_item_amounts", False, "line 2: 1 x 4.00 = 4.00, but ...", (1,)),),
        reasons=(Reason("rows", "line_items", "1 of 2 line items ...", (1,)),),
    )
    flat = page_images.field_views(understanding)
    table = page_images.table_view(understanding, len(flat))
    assert table is not None and table.title == "Line items"
    assert [c.label for c in table.columns] == ["Description", "Quantity", "Unit price", "Amount"]
    assert [c.numeric for c in table.columns] == [False, True, True, True]
    assert [r.number for r in table.rows] == [1, 2]
    first, second = table.rows
    # A column the row has no cell in is an empty, missing input, so a person can fill it.
    missing = first.cells[2]
    assert missing is not None and (missing.value, missing.source) == ("", "missing")
    assert missing.name == "line_items.0.unit_price"  # the address the form posts back
    assert not first.flagged and not first.failed_checks
    assert second.flagged and second.failed_checks == ("line_item_amounts",)
    quantity = second.cells[1]
    assert quantity is not None and quantity.flagged and quantity.low_confidence
    assert quantity.label == "Line 2 · Quantity" and quantity.box == (100, 500, 140, 512)
    # Every input has its own DOM id, after the flat fields'; boxes go on the page.
    ids = [v.dom_id for v in flat] + [c.dom_id for c in table.cells()]
    assert len(set(ids)) == len(ids) == len(flat) + 8
    on_page = page_images.page_views([*flat, *table.cells()], [(595.0, 842.0)])[0].fields
    assert {c.name for c in table.cells() if c.box} <= {v.name for v in on_page}


def test_a_corrected_cell_wins_and_is_marked_human() -> None:
    data, fields = make_pdf()
    row = LineItem((_cell("description", "Pens"), _cell("amount", "6.00")))
    understanding = replace(understanding_for(data, "a.pdf", fields), line_items=(row,))
    submitted = {"line_items.0.amount": " 7.00 ", "line_items.0.description": "Pens"}
    fixes = review_rows.corrections_from_form(understanding, submitted)
    assert [(f.name, f.value, f.source) for f in fixes] == [
        ("line_items.0.amount", "7.00", "human")
    ]
    corrected = understanding.corrected(fixes)
    table = page_images.table_view(corrected)
    assert table is not None
    amount = table.rows[0].cells[3]
    assert amount is not None and (amount.value, amount.source) == ("7.00", "human")
    assert amount.box == (0, 500, 40, 512)  # the machine's box stays


def test_types_without_line_items_have_no_table() -> None:
    data, fields = make_pdf()
    receipt = replace(understanding_for(data, "a.pdf", fields), doc_type="receipt")
    assert page_images.table_view(receipt) is None


def test_corrections_win_and_are_marked_human() -> None:
    data, fields = make_pdf()
    understanding = understanding_for(data, "a.pdf", fields)
    corrected = understanding.corrected([replace(fields[0], value="INV-7", raw="INV-7")])
    view = next(v for v in page_images.field_views(corrected) if v.name == "invoice_number")
    assert (view.value, view.source, view.confidence) == ("INV-7", "human", 1.0)
    assert view.box == (fields[0].box.x0, fields[0].box.y0, fields[0].box.x1, fields[0].box.y1)  # type: ignore[union-attr]


def test_page_sizes_in_box_units_and_rendered_pages() -> None:
    data, _ = make_pdf(pages=2)
    sizes = page_sizes(data)  # what the console falls back to: the reader's measure
    assert [(round(w), round(h)) for w, h in sizes] == [(595, 842), (595, 842)]  # A4 points
    png = page_images.page_png(data, "sha-for-test", 2, 72)
    image = Image.open(io.BytesIO(png))
    # 72 dpi: one pixel per point (rounded up), so boxes scale 1:1.
    assert abs(image.size[0] - 595.28) < 1 and abs(image.size[1] - 841.89) < 1
    buffer = io.BytesIO()
    Image.new("RGB", (1240, 1754), "white").save(buffer, "PNG")
    assert page_sizes(buffer.getvalue()) == [(1240.0, 1754.0)]
    try:
        page_images.page_png(data, "sha-for-test", 9, 72)
    except page_images.PageUnavailable as exc:
        assert "page 9" in str(exc)
    else:
        raise AssertionError("page 9 of a 2-page PDF rendered")


def test_the_console_draws_on_the_page_sizes_the_understanding_kept(tmp_path: Path) -> None:
    """The reader's sizes travel in the understanding; the file is read (by the reader)
    only for an understanding of another document, one written before, or none."""
    data, fields = make_pdf(pages=2)
    blobs = BlobStore(tmp_path)
    blob = blobs.put(data)
    sha = hashlib.sha256(data).hexdigest()
    file = File(name="a.pdf", size=len(data), sha256=sha, blob_key=blob.key)
    kept = ((600.0, 800.0), (600.0, 800.0))  # not A4: only the understanding says so
    understanding = replace(understanding_for(data, "a.pdf", fields, pages=2), page_sizes=kept)
    assert page_images.page_sizes(understanding, file, blobs) == list(kept)
    a4 = [(595, 842), (595, 842)]
    for other in (
        replace(understanding, page_sizes=()),
        replace(understanding, document_sha256="0" * 64),  # an e-mail's attachment, say
        None,
    ):
        sizes = page_images.page_sizes(other, file, blobs)
        assert [(round(w), round(h)) for w, h in sizes] == a4
