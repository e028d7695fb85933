"""The fields each document type carries: the names shared by the corpus ground truth,
the NER labels, the validators, the review form and the entry robots.

Line items are repeated groups; their fields are flattened as ``<group>.<index>.<name>``
(``line_items.0.amount``), so every field is stored, corrected and audited the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

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
    groups: tuple[GroupSpec, ...] = ()

    def spec(self, name: str) -> FieldSpec | None:
        """The spec for a flat or flattened group field name."""
        cell = group_cell(name)
        if cell is not None:
            for group in self.groups:
                if group.name == cell[0]:
                    return next((f for f in group.fields if f.name == cell[2]), None)
            return None
        return next((f for f in self.fields if f.name == name), None)


_GROUP_CELL = re.compile(r"^([a-z_]+)\.(\d+)\.([a-z_]+)$")


def group_cell(name: str) -> tuple[str, int, str] | None:
    """``("line_items", 0, "amount")`` for the flattened name ``line_items.0.amount``;
    None for a flat field's name. The one place that reads the flattened form."""
    match = _GROUP_CELL.match(name)
    return None if match is None else (match.group(1), int(match.group(2)), match.group(3))


def group_rows(names: Iterable[str], group: str) -> list[int]:
    """The row indexes of ``group`` that ``names`` have a cell of, in order."""
    return sorted({cell[1] for n in names if (cell := group_cell(n)) and cell[0] == group})


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


def group_field(group: str, index: int, name: str) -> str:
    return f"{group}.{index}.{name}"


def entity_labels() -> list[str]:
    """Every flat field name that the NER model may predict (group fields excluded)."""
    names: list[str] = []
    for schema in SCHEMAS.values():
        for spec in schema.fields:
            if spec.name not in names:
                names.append(spec.name)
    return names
