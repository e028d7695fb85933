"""Page images for the review screen and the field overlay drawn on them.

Rendering is ``extractors.render_page`` (PNG); page sizes, in the unit field boxes use
(PDF points, image pixels), are the reader's, kept in the understanding. Rendered pages
are kept in a small in-process LRU cache keyed by (document sha256, page, dpi): a
reviewer flips pages back and forth.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from clerk.documents import Document, LineItem, Reason, Understanding
from clerk.policy import PolicySettings
from controlroom.files import BlobStore
from controlroom.models import File

_CACHE_SIZE = 48
_cache: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()
_cache_lock = threading.Lock()


class PageUnavailable(Exception):
    pass


def page_png(data: bytes, sha256: str, page_number: int, dpi: int) -> bytes:
    key = (sha256, page_number, dpi)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    from clerk.errors import ClerkError
    from extractors import render_page

    try:
        png = render_page(data, page_number, dpi)
    except (ClerkError, ValueError) as exc:
        raise PageUnavailable(str(exc)) from exc
    with _cache_lock:
        _cache[key] = png
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return png


def read_document(data: bytes, name: str, sha256: str | None) -> Document | None:
    """The document of an item's file that an understanding was made of (by its sha256;
    an e-mail holds several), read as the pipeline reads it; None when it cannot be."""
    from clerk.errors import ClerkError
    from extractors import read_all

    try:
        documents = read_all(data, name).documents
    except (ClerkError, ValueError):
        return None
    return next((d for d in documents if d.sha256 == sha256), documents[0] if documents else None)


@dataclass(frozen=True)
class FieldView:
    name: str
    label: str
    value: str
    raw: str
    confidence: float | None
    source: str
    page: int | None
    box: tuple[float, float, float, float] | None
    failed_checks: tuple[str, ...]
    required: bool
    dom_id: str
    flagged: bool = False  # the review policy named this field in its reasons

    @property
    def low_confidence(self) -> bool:
        return self.flagged or (self.confidence is not None and self.confidence < 0.8)


@dataclass(frozen=True)
class PageView:
    number: int
    width: float
    height: float
    fields: tuple[FieldView, ...]


@dataclass(frozen=True)
class ColumnView:
    name: str  # "unit_price"
    label: str  # "Unit price"
    numeric: bool
    required: bool


@dataclass(frozen=True)
class RowView:
    number: int  # 1-based, as the reasons and checks print it
    cells: tuple[FieldView | None, ...]  # by column; None: a column the row has no cell in
    flagged: bool  # the review policy named this row in a reason
    failed_checks: tuple[str, ...]  # names of the failed checks that name this row


@dataclass(frozen=True)
class TableView:
    """The line items as one table: a row per line item, a column per schema column."""

    title: str
    columns: tuple[ColumnView, ...]
    rows: tuple[RowView, ...]
    group: str = "line_items"  # the rows' name in cell addresses
    next_index: int = 0  # the row index a new line gets (removed rows keep theirs)

    def cells(self) -> list[FieldView]:
        return [c for row in self.rows for c in row.cells if c is not None]


def _dom_id(index: int) -> str:
    return f"f{index}"


def _label(name: str, spec_label: str | None) -> str:
    return spec_label or name.replace("_", " ")


# The field a failed check is most likely about, for a check named without a field.
_CHECK_FIELDS = {
    "net_plus_tax_equals_total": "total_amount",
    "parts_within_total": "total_amount",
    "line_items_sum_to_net": "net_amount",
    "paid_invoices_sum_to_total": "total_amount",
    "iban_checksum": "iban",
    "vat_id_format": "vendor_vat_id",
    "currency_known": "currency",
    "due_date_not_before_issue_date": "due_date",
    "document_numbers_differ": "po_number",
    "date_plausible": "issue_date",
}
# The column of a row a check is about, for a check that names rows.
_CHECK_COLUMNS = {"line_item_amounts": "amount"}


def _flagged_columns(
    understanding: Understanding, row_index: int, row: LineItem, bar: float
) -> set[str]:
    """The columns of a row that its reasons are about: a failed check's own column
    (the amount, for the row arithmetic), else the cells read below the policy's bar,
    else the least sure cell."""
    out: set[str] = set()
    for reason in understanding.reasons:
        if row_index not in reason.rows:
            continue
        column = _CHECK_COLUMNS.get(reason.name) if reason.kind == "check" else None
        if column is not None and row.cell(column) is not None:
            out.add(column)
            continue
        low = {c.name for c in row.cells if c.confidence < bar}
        if not low and row.cells:
            low = {min(row.cells, key=lambda c: c.confidence).name}
        out |= low
    return out


def table_view(understanding: Understanding, first_dom_index: int = 0) -> TableView | None:
    """The effective line items (corrections applied) with every schema column, each
    cell an editable field named by its address; None for a type without line items."""
    from clerk.schemas import SCHEMAS

    schema = SCHEMAS.get(understanding.doc_type)
    group = schema.rows if schema is not None else None
    if group is None:
        return None
    columns = tuple(
        ColumnView(s.name, s.label, s.kind in ("amount", "number"), s.required)
        for s in group.fields
    )
    failed = [c for c in understanding.checks if not c.passed]
    bar = PolicySettings().field_confidence
    views, index = [], first_dom_index
    for row_index, row in understanding.indexed_rows():
        flagged = understanding.flags_row(row_index)
        cells: list[FieldView | None] = []
        shaky = _flagged_columns(understanding, row_index, row, bar)
        for column in columns:
            cell = row.cell(column.name)
            address = understanding.address(row_index, column.name)
            box = cell.box if cell and cell.box else None
            cells.append(
                FieldView(
                    name=address,
                    label=f"Line {row_index + 1} · {column.label}",
                    value=(cell.value or "") if cell else "",
                    raw=cell.raw if cell else "",
                    confidence=cell.confidence if cell else None,
                    source=cell.source if cell else "missing",
                    page=cell.page if cell else None,
                    box=(box.x0, box.y0, box.x1, box.y1) if box else None,
                    failed_checks=(),
                    required=column.required,
                    dom_id=_dom_id(index),
                    flagged=cell is not None and column.name in shaky,
                )
            )
            index += 1
        names = tuple(c.name for c in failed if row_index in c.rows)
        views.append(RowView(row_index + 1, tuple(cells), flagged, names))
    title = group.name.replace("_", " ").capitalize()  # "Line items", "Paid invoices"
    return TableView(title, columns, tuple(views), group.name, understanding.row_count())


def field_views(understanding: Understanding) -> list[FieldView]:
    """The schema's header fields first (extracted or missing, in schema order), then any
    other extracted flat field, in extraction order; corrections applied. Line items are
    in ``table_view``."""
    from clerk.schemas import SCHEMAS
    from controlroom.services.review import field_names

    schema = SCHEMAS.get(understanding.doc_type)
    names = field_names(understanding)
    failed = [c for c in understanding.checks if not c.passed]
    views = []
    for index, name in enumerate(names):
        field = understanding.field(name)
        spec = schema.spec(name) if schema else None
        checks = tuple(c.message or c.name for c in failed if name in c.name or name in c.message)
        box = field.box if field and field.box else None
        views.append(
            FieldView(
                name=name,
                label=_label(name, spec.label if spec else None),
                value=(field.value or "") if field else "",
                raw=field.raw if field else "",
                confidence=field.confidence if field else None,
                source=field.source if field else "missing",
                page=field.page if field else None,
                box=(box.x0, box.y0, box.x1, box.y1) if box else None,
                failed_checks=checks,
                required=bool(spec and spec.required),
                dom_id=_dom_id(index),
                flagged=understanding.flags(name),
            )
        )
    return views


@dataclass(frozen=True)
class SectionView:
    key: str  # clerk.schemas.Section
    title: str
    fields: tuple[FieldView, ...]


def sections(understanding: Understanding, fields: list[FieldView]) -> list[SectionView]:
    """The flat fields in the review form's groups (``clerk.schemas.section_of``), in
    the schema's order within each; groups without fields are left out. The line items
    are the ``lines`` group, drawn as ``table_view``."""
    from clerk.schemas import SECTIONS, section_of

    out = []
    for key, title in SECTIONS:
        members = tuple(f for f in fields if section_of(understanding.doc_type, f.name) == key)
        if members:
            out.append(SectionView(key, title, members))
    return out


@dataclass(frozen=True)
class ReasonView:
    """A review reason and where it points: ``target`` is the DOM id of the input to
    focus (a field, or a cell of the row it names), ``anchor`` the link's fragment (the
    input, else the failed check's entry); both empty when it names no place (the type)."""

    reason: Reason
    target: str
    anchor: str


def check_anchor(name: str) -> str:
    """The DOM id of a failed check's entry: ``check-required-invoice_number``."""
    return "check-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def _row_target(table: TableView | None, rows: tuple[int, ...], column: str | None) -> str:
    """The input of the first shown row of ``rows``: its ``column``, else a flagged
    cell, else its first cell."""
    shown = {r.number - 1: r for r in table.rows} if table else {}
    for index in rows:
        row = shown.get(index)
        if row is None:
            continue
        cells = [c for c in row.cells if c is not None]
        by_column = [c for c in cells if column and c.name.endswith("." + column)]
        picks = by_column or [c for c in cells if c.flagged] or cells
        if picks:
            return picks[0].dom_id
    return ""


def reason_views(
    understanding: Understanding, fields: list[FieldView], table: TableView | None
) -> list[ReasonView]:
    by_name = {f.name: f.dom_id for f in fields}
    out = []
    for reason in understanding.reasons:
        target, anchor = "", ""
        if reason.kind == "field":
            target = by_name.get(reason.name, "")
        elif reason.kind == "rows":
            target = _row_target(table, reason.rows, None)
        elif reason.kind == "check":
            if reason.rows:
                target = _row_target(table, reason.rows, _CHECK_COLUMNS.get(reason.name))
            else:
                named = reason.name.split(":", 1)[1] if ":" in reason.name else ""
                field = named or _CHECK_FIELDS.get(reason.name, "")
                target = by_name.get(field, "")
            anchor = check_anchor(reason.name)
        out.append(ReasonView(reason, target, target or anchor))
    return out


def page_views(fields: list[FieldView], sizes: list[tuple[float, float]]) -> list[PageView]:
    """One view per page with the fields (flat fields and line item cells) whose box is
    on it."""
    return [
        PageView(
            number=n,
            width=w,
            height=h,
            fields=tuple(f for f in fields if f.page == n and f.box is not None),
        )
        for n, (w, h) in enumerate(sizes, start=1)
    ]


def page_sizes(
    understanding: Understanding | None, file: File, blobs: BlobStore
) -> list[tuple[float, float]]:
    """Page sizes in the unit field boxes use (PDF points, image pixels): the reader's, kept
    in the understanding of this very file; else (an e-mail's attachment, an item written
    before understandings kept them, no understanding) read from the file by the reader
    (``extractors.page_sizes``, under its limits)."""
    kept = understanding.page_sizes if understanding is not None else ()
    if kept and understanding is not None and understanding.document_sha256 == file.sha256:
        return list(kept)
    from extractors import page_sizes as read_sizes

    return read_sizes(blobs.get(file.blob_key))
