"""Typed records the bots enter, built from ``Understanding.values()`` (the flat fields)
and ``Understanding.row_values()`` (the line items, each row's values by column).

Values arrive normalized (ISO dates, plain decimals, ISO currency codes). A missing or
malformed required value is bad data: ``BusinessError("BAD_PAYLOAD")``, so the item
waits for a person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from clerk.errors import BusinessError

Values = Mapping[str, str | None]
Rows = Sequence[Values]  # each line item's values by column


@dataclass(frozen=True)
class LineRecord:
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class InvoiceRecord:
    vendor_name: str
    invoice_number: str
    issue_date: date
    currency: str
    net_amount: Decimal
    tax_amount: Decimal
    total_amount: Decimal
    lines: tuple[LineRecord, ...]
    vendor_vat_id: str | None = None
    iban: str | None = None
    due_date: date | None = None
    po_number: str | None = None


@dataclass(frozen=True)
class PurchaseOrderRecord:
    po_number: str
    order_date: date
    buyer_name: str
    vendor_name: str
    currency: str
    net_amount: Decimal
    tax_amount: Decimal
    total_amount: Decimal
    lines: tuple[LineRecord, ...]


@dataclass(frozen=True)
class ProductRecord:
    sku: str
    product_name: str
    price: Decimal
    currency: str
    stock: int | None = None
    description: str | None = None


def _text(values: Values, name: str, required: bool = True, where: str = "") -> str | None:
    value = (values.get(name) or "").strip()
    if not value and required:
        raise BusinessError(
            "BAD_PAYLOAD", f"the field {name!r}{where} is missing; correct it in review"
        )
    return value or None


def _req(values: Values, name: str, where: str = "") -> str:
    value = _text(values, name, where=where)
    assert value is not None  # _text raised otherwise
    return value


def _date(values: Values, name: str, required: bool = True) -> date | None:
    text = _text(values, name, required)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BusinessError(
            "BAD_PAYLOAD", f"the field {name!r} is {text!r}, not an ISO date (YYYY-MM-DD)"
        ) from None


def _decimal(values: Values, name: str, required: bool = True, where: str = "") -> Decimal | None:
    text = _text(values, name, required, where)
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise BusinessError(
            "BAD_PAYLOAD", f"the field {name!r}{where} is {text!r}, not a decimal number"
        ) from None


def _amount(values: Values, name: str, where: str = "") -> Decimal:
    value = _decimal(values, name, where=where)
    assert value is not None  # required: _text raised otherwise
    return value


def lines_from(rows: Rows) -> tuple[LineRecord, ...]:
    """One record per line item; a row with no value at all (a gap) is skipped."""
    lines = []
    for i, row in enumerate(rows):
        if not any((v or "").strip() for v in row.values()):
            continue
        where = f" on line {i + 1}"
        lines.append(
            LineRecord(
                description=_req(row, "description", where),
                quantity=_amount(row, "quantity", where),
                unit_price=_amount(row, "unit_price", where),
                amount=_amount(row, "amount", where),
            )
        )
    if not lines:
        raise BusinessError("BAD_PAYLOAD", "the document has no line items; correct it in review")
    return tuple(lines)


def invoice_record_from(values: Values, rows: Rows) -> InvoiceRecord:
    issue = _date(values, "issue_date")
    assert issue is not None
    return InvoiceRecord(
        vendor_name=_req(values, "vendor_name"),
        invoice_number=_req(values, "invoice_number"),
        issue_date=issue,
        currency=_req(values, "currency").upper(),
        net_amount=_amount(values, "net_amount"),
        tax_amount=_amount(values, "tax_amount"),
        total_amount=_amount(values, "total_amount"),
        lines=lines_from(rows),
        vendor_vat_id=_text(values, "vendor_vat_id", required=False),
        iban=_text(values, "iban", required=False),
        due_date=_date(values, "due_date", required=False),
        po_number=_text(values, "po_number", required=False),
    )


def purchase_order_record_from(values: Values, rows: Rows) -> PurchaseOrderRecord:
    """A purchase order prints its total and, when it charges tax, its net and tax too.
    One that prints only a total has no tax (the extractor's checks add its lines up to
    the total); one that prints two of the three amounts gives the third."""
    ordered = _date(values, "order_date")
    assert ordered is not None
    total = _amount(values, "total_amount")
    net = _decimal(values, "net_amount", required=False)
    tax = _decimal(values, "tax_amount", required=False)
    if net is None:
        net = total - (tax or Decimal("0"))
    if tax is None:
        tax = total - net
    return PurchaseOrderRecord(
        po_number=_req(values, "po_number"),
        order_date=ordered,
        buyer_name=_req(values, "buyer_name"),
        vendor_name=_req(values, "vendor_name"),
        currency=_req(values, "currency").upper(),
        net_amount=net,
        tax_amount=tax,
        total_amount=total,
        lines=lines_from(rows),
    )


def product_record_from(values: Values) -> ProductRecord:
    stock = _text(values, "stock", required=False)
    if stock is not None:
        try:
            stock_value: int | None = int(Decimal(stock))
        except InvalidOperation:
            raise BusinessError(
                "BAD_PAYLOAD", f"the field 'stock' is {stock!r}, not a number"
            ) from None
    else:
        stock_value = None
    return ProductRecord(
        sku=_req(values, "sku"),
        product_name=_req(values, "product_name"),
        price=_amount(values, "price"),
        currency=_req(values, "currency").upper(),
        stock=stock_value,
        description=_text(values, "description", required=False),
    )
