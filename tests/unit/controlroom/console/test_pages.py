"""The review screen's field list and page geometry."""

from __future__ import annotations

import io
from dataclasses import replace

from PIL import Image

from clerk.documents import Box, Field, Reason
from controlroom.console import pages
from tests.unit.controlroom.console.support import make_pdf, understanding_for


def test_header_fields_first_missing_ones_included_line_items_labelled() -> None:
    data, fields = make_pdf()
    line = Field("line_items.1.amount", "9.50", "9.50", 0.99, page=1, box=Box(1, 2, 3, 4))
    understanding = understanding_for(data, "a.pdf", [*fields, line])
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
    views = pages.field_views(understanding)
    names = [v.name for v in views]
    assert names[0] == "invoice_number" and names[-1] == "line_items.1.amount"
    assert names.index("issue_date") < names.index("line_items.1.amount")  # missing, required
    by_name = {v.name: v for v in views}
    assert by_name["line_items.1.amount"].label == "Line 2 · Amount"
    assert by_name["issue_date"].source == "missing" and by_name["issue_date"].required
    assert by_name["invoice_number"].low_confidence  # named by the policy, though 0.97
    assert not by_name["vendor_name"].low_confidence
    assert by_name["total_amount"].failed_checks  # named by the failed sum check
    assert len({v.dom_id for v in views}) == len(views)


def test_corrections_win_and_are_marked_human() -> None:
    data, fields = make_pdf()
    understanding = understanding_for(data, "a.pdf", fields)
    corrected = understanding.corrected([replace(fields[0], value="INV-7", raw="INV-7")])
    view = next(v for v in pages.field_views(corrected) if v.name == "invoice_number")
    assert (view.value, view.source, view.confidence) == ("INV-7", "human", 1.0)
    assert view.box == (fields[0].box.x0, fields[0].box.y0, fields[0].box.x1, fields[0].box.y1)  # type: ignore[union-attr]


def test_page_sizes_in_box_units_and_rendered_pages() -> None:
    data, _ = make_pdf(pages=2)
    sizes = pages.page_sizes(data, 2)
    assert [(round(w), round(h)) for w, h in sizes] == [(595, 842), (595, 842)]  # A4 points
    png = pages.page_png(data, "sha-for-test", 2, 72)
    image = Image.open(io.BytesIO(png))
    # 72 dpi: one pixel per point (rounded up), so boxes scale 1:1.
    assert abs(image.size[0] - 595.28) < 1 and abs(image.size[1] - 841.89) < 1
    buffer = io.BytesIO()
    Image.new("RGB", (1240, 1754), "white").save(buffer, "PNG")
    assert pages.page_sizes(buffer.getvalue(), 1) == [(1240.0, 1754.0)]
    try:
        pages.page_png(data, "sha-for-test", 9, 72)
    except pages.PageUnavailable as exc:
        assert "page 9" in str(exc)
    else:
        raise AssertionError("page 9 of a 2-page PDF rendered")
