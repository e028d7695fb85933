"""The fields each document type carries: the names shared by the corpus ground truth,
the NER labels, the validators, the review form and the entry robots.

Line items are a repeated group: a document type has at most one (``DocSchema.rows``),
and its rows are ``clerk.documents.LineItem`` records. Where one cell must be named by a
string (a reviewer's correction, the corrections table, the audit log, corpus ground
truth) its address is ``<group>.<row>.<column>`` (``line_items.0.amount``): formed by
``cell_address`` and read by ``parse_cell_address``, here and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

V = TypeVar("V")

FieldKind = Literal["text", "date", "amount", "number", "currency", "iban", "vat_id"]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: FieldKind
    required: bool = False
    label: str = ""  # what a reviewer reads


@dataclass(frozen=True)
class GroupSpec:
    name: str  # "line_items"
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True)
class DocSchema:
    doc_type: str
    fields: tuple[FieldSpec, ...]
    groups: tuple[GroupSpec, ...] = ()  # at most one: the rows ``LineItem`` holds

    @property
    def rows(self) -> GroupSpec | None:
        """The type's repeated group (its line items), if it has one."""
        return self.groups[0] if self.groups else None

    def spec(self, name: str) -> FieldSpec | None:
        """The spec for a flat field's name or a cell's address."""
        cell = parse_cell_address(name)
        if cell is not None:
            for group in self.groups:
                if group.name == cell[0]:
                    return next((f for f in group.fields if f.name == cell[2]), None)
            return None
        return next((f for f in self.fields if f.name == name), None)


# The most line items a document may have: an address naming a row past it is refused
# (a stored item keeps its row indexes, so such an address would make that many rows).
MAX_ROWS = 10_000

_CELL_ADDRESS = re.compile(r"^([a-z_]+)\.(\d+)\.([a-z_]+)$")


def cell_address(group: str, row: int, column: str) -> str:
    """The stable string that names one cell in storage: ``line_items.0.amount``."""
    return f"{group}.{row}.{column}"


def parse_cell_address(name: str) -> tuple[str, int, str] | None:
    """``("line_items", 0, "amount")`` for the address ``line_items.0.amount``; None for
    a flat field's name. The one place that reads an address."""
    match = _CELL_ADDRESS.match(name)
    return None if match is None else (match.group(1), int(match.group(2)), match.group(3))


def address_rows(names: Iterable[str], group: str) -> list[int]:
    """The row indexes of ``group`` that the addresses in ``names`` name, in order."""
    return sorted({cell[1] for n in names if (cell := parse_cell_address(n)) and cell[0] == group})


def split_addressed(values: Mapping[str, V]) -> tuple[dict[str, V], list[dict[str, V]]]:
    """A mapping keyed by flat names and cell addresses (corpus ground truth, a sample's
    expected fields) as its flat values and its rows' values by column, rows in index
    order (a row without cells in between stays, empty, so indexes keep)."""
    flat: dict[str, V] = {}
    cells: dict[int, dict[str, V]] = {}
    for name, value in values.items():
        cell = parse_cell_address(name)
        if cell is None:
            flat[name] = value
        else:
            cells.setdefault(cell[1], {})[cell[2]] = value
    return flat, [cells.get(i, {}) for i in range(max(cells, default=-1) + 1)]


def addressed(
    flat: Mapping[str, V], rows: Sequence[Mapping[str, V]], group: str = "line_items"
) -> dict[str, V]:
    """Flat values and rows as one mapping keyed by flat names and cell addresses: the
    inverse of ``split_addressed``, for storage and comparison with ground truth."""
    out = dict(flat)
    for index, row in enumerate(rows):
        out.update({cell_address(group, index, column): v for column, v in row.items()})
    return out


def F(name: str, kind: FieldKind, required: bool = False, label: str = "") -> FieldSpec:
    return FieldSpec(name, kind, required, label or name.replace("_", " ").capitalize())


_LINE_ITEMS = GroupSpec(
    "line_items",
    (
        F("description", "text", True),
        F("quantity", "number", True),
        F("unit_price", "amount", True),
        F("amount", "amount", True),
    ),
)

SCHEMAS: dict[str, DocSchema] = {
    s.doc_type: s
    for s in (
        DocSchema(
            "invoice",
            (
                F("invoice_number", "text", True, "Invoice number"),
                F("issue_date", "date", True),
                F("due_date", "date"),
                F("vendor_name", "text", True),
                F("vendor_vat_id", "vat_id", label="Vendor VAT id"),
                F("iban", "iban", label="IBAN"),
                F("po_number", "text", label="PO reference"),
                F("currency", "currency", True),
                F("net_amount", "amount", True),
                F("tax_amount", "amount", True),
                F("total_amount", "amount", True),
            ),
            (_LINE_ITEMS,),
        ),
        DocSchema(
            "purchase_order",
            (
                F("po_number", "text", True, "PO number"),
                F("order_date", "date", True),
                F("buyer_name", "text", True),
                F("vendor_name", "text", True),
                F("currency", "currency", True),
                F("net_amount", "amount"),
                F("tax_amount", "amount"),
                F("total_amount", "amount", True),
            ),
            (_LINE_ITEMS,),
        ),
        DocSchema(
            "receipt",
            (
                F("merchant_name", "text", True),
                F("receipt_date", "date", True),
                F("currency", "currency", True),
                F("total_amount", "amount", True),
                F("tax_amount", "amount"),
            ),
        ),
        DocSchema(
            "product_update",
            (
                F("sku", "text", True, "SKU"),
                F("product_name", "text", True),
                F("price", "amount", True),
                F("currency", "currency", True),
                F("stock", "number"),
                F("description", "text"),
            ),
        ),
        DocSchema(
            "remittance_advice",
            (
                F("payer_name", "text", True),
                F("payment_date", "date"),
                F("currency", "currency", True),
                F("total_amount", "amount", True),
            ),
            (
                GroupSpec(
                    "paid_invoices",
                    (F("invoice_number", "text", True), F("amount", "amount", True)),
                ),
            ),
        ),
        DocSchema("other", ()),
    )
}


# The review form's groups, in the order it shows them, with their headings.
Section = Literal["document", "parties", "amounts", "lines"]
SECTIONS: tuple[tuple[Section, str], ...] = (
    ("document", "Document"),
    ("parties", "Parties"),
    ("amounts", "Amounts"),
    ("lines", "Line items"),
)
# Names of the parties a document is between (a product's name is not a party).
PARTY_FIELDS = frozenset({"vendor_name", "buyer_name", "merchant_name", "payer_name"})


def section_of(doc_type: str, name: str) -> Section:
    """The group a flat field or a cell (by its address) belongs to on the review form:
    cells are ``lines``; amounts and currencies ``amounts``; party names, IBANs and tax
    ids ``parties``; the rest (numbers, dates, references, fields no schema names)
    ``document``."""
    if parse_cell_address(name) is not None:
        return "lines"
    schema = SCHEMAS.get(doc_type)
    spec = schema.spec(name) if schema is not None else None
    if spec is None:
        return "document"
    if spec.kind in ("amount", "currency"):
        return "amounts"
    if spec.kind in ("iban", "vat_id") or spec.name in PARTY_FIELDS:
        return "parties"
    return "document"


def entity_labels() -> list[str]:
    """Every flat field name that the NER model may predict (group fields excluded)."""
    names: list[str] = []
    for schema in SCHEMAS.values():
        for spec in schema.fields:
            if spec.name not in names:
                names.append(spec.name)
    return names
