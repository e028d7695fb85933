"""Excel workbooks: worksheets as pages, rows as lines, cells as words."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from clerk.errors import BusinessError
from extractors import ReadingSettings, read


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_sheets_are_pages_rows_are_lines_cells_are_words() -> None:
    data = workbook(
        {
            "Products": [
                ["SKU", "Name", "Price"],
                [None, None, None],
                ["A-100", "Copy paper A4", 4.5],
                ["B-200", "Toner", 61.0],
            ],
            "Meta": [["Valid from", dt.datetime(2024, 3, 1)], [None, True]],
        }
    )
    (document,) = read(data, "products.xlsx")
    assert document.mime.endswith("spreadsheetml.sheet")
    assert [p.number for p in document.pages] == [1, 2]
    assert document.pages[0].text == "SKU Name Price\nA-100 Copy paper A4 4.5\nB-200 Toner 61"
    assert document.pages[1].text == "Valid from 2024-03-01\nTRUE"
    assert all(w.box is None for p in document.pages for w in p.words)
    assert [w.line for w in document.pages[0].words][-1] == 2


def test_xlsx_is_detected_by_content_not_name() -> None:
    (document,) = read(workbook({"S": [["only", "cell"]]}), "report.pdf")
    assert document.text == "only cell"


def test_too_many_sheets() -> None:
    data = workbook({f"S{n}": [[n]] for n in range(3)})
    with pytest.raises(BusinessError) as caught:
        read(data, "many.xlsx", ReadingSettings(max_pages=2))
    assert caught.value.code == "TOO_MANY_PAGES"
    assert "3 worksheets" in caught.value.message


def test_broken_workbook_is_truncated_file() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook><sheets>not xml")
    with pytest.raises(BusinessError) as caught:
        read(buffer.getvalue(), "broken.xlsx")
    assert caught.value.code == "TRUNCATED_FILE"


def test_workbook_that_inflates_past_the_limit_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", " " * 2_000_000)
    assert len(buffer.getvalue()) < 20_000
    with pytest.raises(BusinessError) as caught:
        read(buffer.getvalue(), "bomb.xlsx", ReadingSettings(max_file_bytes=100_000))
    assert caught.value.code == "FILE_TOO_LARGE"
    assert "zip bomb" in caught.value.message
