"""The ERP's entry forms: field definitions per layout, parsing and server-side checks.

Layout 2 renames every id and field name and reorders the header; the labels stay, as
they did when the old vendors shipped a "new look" release.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sandbox._erp_store import ErpStore, Line, NewDocument

CURRENCIES = ("EUR", "USD", "GBP", "CHF", "SEK", "PLN")
_AMOUNT = re.compile(r"^-?\d{1,12}([.,]\d{1,2})?$")
_NUMBER = re.compile(r"^\d{1,9}([.,]\d{1,3})?$")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str
    v2_name: str
    kind: str = "text"  # text | date | amount | currency | vendor | textarea
    required: bool = False

    def name(self, layout: int) -> str:
        return self.v2_name if layout == 2 else self.key

    def ident(self, layout: int) -> str:
        return f"ctl00_{self.v2_name}" if layout == 2 else f"f_{self.key}"


INVOICE_FIELDS = (
    FieldDef("vendor_no", "Vendor no.", "supplierId", "vendor", True),
    FieldDef("inv_no", "Invoice number", "extDocRef", required=True),
    FieldDef("inv_date", "Invoice date", "docDt", "date", True),
    FieldDef("due_date", "Due date", "payDt", "date"),
    FieldDef("currency", "Currency", "curr", "currency", True),
    FieldDef("net", "Net amount", "amtNet", "amount", True),
    FieldDef("tax", "Tax amount", "amtVat", "amount", True),
    FieldDef("total", "Total amount", "amtGross", "amount", True),
    FieldDef("po_ref", "PO reference", "ordRef"),
    FieldDef("note", "Internal note", "memo", "textarea"),
)
PO_FIELDS = (
    FieldDef("po_no", "PO number", "ordNo", required=True),
    FieldDef("po_date", "Order date", "ordDt", "date", True),
    FieldDef("buyer", "Buyer", "reqBy", required=True),
    FieldDef("vendor_no", "Vendor no.", "supplierId", "vendor", True),
    FieldDef("currency", "Currency", "curr", "currency", True),
    FieldDef("net", "Net amount", "amtNet", "amount", True),
    FieldDef("tax", "Tax amount", "amtVat", "amount", True),
    FieldDef("total", "Order total", "amtTot", "amount", True),
    FieldDef("note", "Internal note", "memo", "textarea"),
)
_V2_ORDER = {
    "invoice": ("total", "tax", "net", "currency", "inv_no", "vendor_no", "due_date",
                "inv_date", "note", "po_ref"),
    "po": ("total", "tax", "net", "currency", "vendor_no", "buyer", "po_date", "po_no", "note"),
}  # fmt: skip
LINE_COLUMNS = (("desc", "Description", "txt"), ("qty", "Quantity", "q"),
                ("price", "Unit price", "up"), ("amount", "Amount", "amt"))  # fmt: skip


def fields_for(kind: str, layout: int) -> tuple[FieldDef, ...]:
    fields = INVOICE_FIELDS if kind == "invoice" else PO_FIELDS
    if layout != 2:
        return fields
    by_key = {f.key: f for f in fields}
    return tuple(by_key[k] for k in _V2_ORDER[kind])


def line_name(column: str, row: int, layout: int) -> str:
    short = {c: s for c, _, s in LINE_COLUMNS}[column]
    return f"ln{row}_{short}" if layout == 2 else f"line_{column}_{row}"


@dataclass
class FormState:
    kind: str
    values: dict[str, str]
    lines: list[dict[str, str]]

    @classmethod
    def empty(cls, kind: str, rows: int = 1) -> FormState:
        return cls(kind, {}, [{c: "" for c, _, _ in LINE_COLUMNS} for _ in range(rows)])

    @classmethod
    def parse(cls, kind: str, form: Any, layout: int) -> FormState:
        values = {
            f.key: str(form.get(f.name(layout)) or "").strip() for f in fields_for(kind, layout)
        }
        try:
            rows = max(1, min(200, int(str(form.get("rows") or "1"))))
        except ValueError:
            rows = 1
        lines = [
            {c: str(form.get(line_name(c, i, layout)) or "").strip() for c, _, _ in LINE_COLUMNS}
            for i in range(rows)
        ]
        return cls(kind, values, lines)


def parse_date(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%d.%m.%Y").date()
    except ValueError:
        return None


def _amount(text: str) -> Decimal | None:
    if not _AMOUNT.match(text):
        return None
    try:
        return Decimal(text.replace(",", ".")).quantize(CENT)
    except InvalidOperation:
        return None


def validate(state: FormState, store: ErpStore) -> tuple[list[str], NewDocument | None]:
    """Error messages as the ERP shows them, or the document to save."""
    errors: list[str] = []
    v = state.values
    defs = {f.key: f for f in fields_for(state.kind, 1)}
    for key, spec in defs.items():
        if spec.required and not v.get(key):
            errors.append(f"{spec.label} is required.")
    vendor = v.get("vendor_no", "")
    if vendor and store.vendor(vendor) is None:
        errors.append(f"Vendor {vendor} does not exist in the vendor master.")
    dates: dict[str, str] = {}
    for key, spec in defs.items():
        if spec.kind == "date" and v.get(key):
            parsed = parse_date(v[key])
            if parsed is None:
                errors.append(f"{spec.label}: '{v[key]}' is not a valid date (use DD.MM.YYYY).")
            else:
                dates[key] = parsed.isoformat()
    if v.get("currency") and v["currency"] not in CURRENCIES:
        errors.append(f"Currency '{v['currency']}' is not allowed.")
    amounts: dict[str, Decimal] = {}
    for key, spec in defs.items():
        if spec.kind == "amount" and v.get(key):
            parsed_amount = _amount(v[key])
            if parsed_amount is None:
                errors.append(f"{spec.label}: '{v[key]}' is not a valid amount (e.g. 1234.50).")
            else:
                amounts[key] = parsed_amount
    lines: list[Line] = []
    line_sum = Decimal("0.00")
    for i, row in enumerate(state.lines, start=1):
        if not any(row.values()):
            continue
        qty_ok = bool(_NUMBER.match(row["qty"]))
        price, amount = _amount(row["price"]), _amount(row["amount"])
        if not row["desc"] or not qty_ok or price is None or amount is None:
            errors.append(f"Line {i}: description, quantity, unit price and amount are required.")
            continue
        qty = Decimal(row["qty"].replace(",", "."))
        if abs(qty * price - amount) > CENT:
            errors.append(
                f"Line {i}: quantity x unit price = {(qty * price).quantize(CENT)}, "
                f"but the amount is {amount}."
            )
        line_sum += amount
        lines.append(Line(row["desc"], format(qty.normalize(), "f"), str(price), str(amount)))
    if not lines:
        errors.append("At least one line is required.")
    if "net" in amounts and lines and abs(line_sum - amounts["net"]) > CENT:
        errors.append(
            f"{defs['net'].label} {amounts['net']} does not equal the sum of the lines {line_sum}."
        )
    totals = {"net", "tax", "total"} <= amounts.keys()
    if totals and abs(amounts["net"] + amounts["tax"] - amounts["total"]) > CENT:
        errors.append(
            f"Totals do not add up: net {amounts['net']} + tax {amounts['tax']} = "
            f"{amounts['net'] + amounts['tax']}, but the total is {amounts['total']}."
        )
    reference = v.get("inv_no" if state.kind == "invoice" else "po_no", "")
    if not errors and store.search(state.kind, vendor, reference):
        errors.append(f"Document {reference} of vendor {vendor} has already been entered.")
    if errors:
        return errors, None
    return [], NewDocument(
        kind=state.kind,
        vendor_number=vendor,
        reference=reference,
        doc_date=dates.get("inv_date") or dates.get("po_date", ""),
        due_date=dates.get("due_date", ""),
        buyer=v.get("buyer", ""),
        currency=v["currency"],
        net=str(amounts["net"]),
        tax=str(amounts["tax"]),
        total=str(amounts["total"]),
        po_reference=v.get("po_ref", ""),
        note=v.get("note", ""),
        lines=tuple(lines),
    )
