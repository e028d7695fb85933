"""Excel workbooks (.xlsx): each worksheet a page, each non-empty row a line.

Cells have no geometry here (``box=None``); a cell's value becomes one or more words,
split on whitespace, in column order. openpyxl's read-only mode streams rows, so a
large sheet does not build a cell object per cell.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Iterable

from clerk.documents import Page, Word
from clerk.errors import BusinessError
from extractors.reading.settings import ReadingSettings

# An .xlsx is a zip; a few kB can inflate to gigabytes of XML. Refuse an archive whose
# declared content is this many times the file-size limit.
_MAX_INFLATION = 10
# What a damaged workbook raises from zipfile, zlib and the XML parsers (lxml's and the
# stdlib's parse errors are SyntaxErrors, as is lxml's refusal of very deep XML) and
# openpyxl (a TypeError when an element carries an attribute its class does not take), and
# zipfile's RuntimeError for a member marked encrypted and NotImplementedError (a
# RuntimeError) for an unknown compression method. The reader fuzz
# (tests/unit/extractors/test_fuzz_reading.py) found each of these escaping.
_BROKEN: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    SyntaxError,
    EOFError,
    TypeError,
    RuntimeError,
    KeyError,
    ValueError,
    OSError,
)


def read_xlsx(data: bytes, settings: ReadingSettings) -> tuple[Page, ...]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _check_inflated_size(data, settings)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, *_BROKEN) as exc:
        raise _broken(exc) from exc
    try:
        sheets = workbook.worksheets
        if len(sheets) > settings.max_pages:
            raise BusinessError(
                "TOO_MANY_PAGES",
                f"the workbook has {len(sheets)} worksheets, more than the limit of "
                f"{settings.max_pages}; split it, or raise CLERK_MAX_PAGES",
            )
        pages = []
        for number, sheet in enumerate(sheets, start=1):
            rows = sheet.iter_rows(values_only=True)
            pages.append(Page(number, 0.0, 0.0, _words(rows, number)))
        return tuple(pages)
    except _BROKEN as exc:
        raise _broken(exc) from exc
    finally:
        workbook.close()


def _words(rows: Iterable[tuple[object, ...]], page: int) -> tuple[Word, ...]:
    words: list[Word] = []
    line = 0
    for row in rows:
        tokens = [t for cell in row if cell is not None for t in cell_text(cell).split()]
        if tokens:
            words.extend(Word(t, 1.0, page, line) for t in tokens)
            line += 1
    return tuple(words)


def cell_text(value: object) -> str:
    """A cell as a person reads it: 12.0 as ``12``, a midnight datetime as its date."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _check_inflated_size(data: bytes, settings: ReadingSettings) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except _BROKEN as exc:
        raise _broken(exc) from exc
    limit = _MAX_INFLATION * settings.max_file_bytes
    if inflated > limit:
        raise BusinessError(
            "FILE_TOO_LARGE",
            f"the workbook unpacks to {inflated} bytes, more than {limit} "
            f"({_MAX_INFLATION} x CLERK_MAX_FILE_BYTES); it may be a zip bomb; send the "
            "data as a smaller workbook or CSV",
        )


def _broken(exc: Exception) -> BusinessError:
    return BusinessError(
        "TRUNCATED_FILE",
        f"the workbook could not be opened ({type(exc).__name__}: {exc}); it is damaged or "
        "not a real .xlsx; save it again from Excel",
    )
