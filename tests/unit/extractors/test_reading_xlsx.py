"""Excel workbooks: worksheets as pages, rows as lines, cells as words."""

from __future__ import annotations

import datetime as dt
import io
import struct
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


def _with_member(name: str, content: bytes) -> bytes:
    """A real workbook with one member replaced."""
    with zipfile.ZipFile(io.BytesIO(workbook({"S": [["a", 1]]}))) as source:
        members = {i.filename: source.read(i) for i in source.infolist()}
    members[name] = content
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return buffer.getvalue()


def _bad_deflate() -> bytes:
    """A real workbook whose worksheet's deflate stream starts with a reserved block type."""
    data = bytearray(workbook({"S": [["a", 1]]}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    name_len, extra_len = struct.unpack(
        "<HH", data[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_len + extra_len
    data[start : start + 8] = b"\xff" * 8
    return bytes(data)


def _patched_headers(offset_local: int, offset_central: int, value: bytes) -> bytes:
    """A real workbook with the same bytes patched into every member's local and central
    directory headers (general-purpose flag at 6/8, compression method at 8/10)."""
    data = bytearray(workbook({"S": [["a", 1]]}))
    for signature, offset in ((b"PK\x03\x04", offset_local), (b"PK\x01\x02", offset_central)):
        at = data.find(signature)
        while at >= 0:
            data[at + offset : at + offset + len(value)] = value
            at = data.find(signature, at + 4)
    return bytes(data)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_patched_headers(6, 8, b"\x01\x00"), id="member-marked-encrypted"),
        pytest.param(_patched_headers(8, 10, b"\x63\x00"), id="unknown-compression-method"),
        pytest.param(
            _with_member("xl/workbook.xml", b"<a>" * 5000 + b"</a>" * 5000), id="deep-xml"
        ),
        pytest.param(
            _with_member(
                "[Content_Types].xml",
                b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"'
                b' Extension="rels"/>',
            ),
            id="unexpected-attribute",
        ),
        pytest.param(_bad_deflate(), id="bad-deflate-stream"),
    ],
)
def test_damage_inside_a_sound_zip_is_truncated_file(data: bytes) -> None:
    """Found by the reader fuzz: lxml's XMLSyntaxError (too deep), openpyxl's TypeError
    (an attribute its class does not take), zlib.error and zipfile's RuntimeError and
    NotImplementedError escaped instead of TRUNCATED_FILE."""
    with pytest.raises(BusinessError) as caught:
        read(data, "damaged.xlsx")
    assert caught.value.code == "TRUNCATED_FILE"
