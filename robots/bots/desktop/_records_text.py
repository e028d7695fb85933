"""The desktop ERP's texts, read from the clipboard: vendor lookup results and invoice
records (``Name: value`` lines, blank lines between records), and what the bot types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from robots.bots._records import InvoiceRecord


@dataclass(frozen=True)
class VendorRow:
    number: str
    name: str
    vat_id: str


def vendor_rows(text: str) -> list[VendorRow]:
    rows = []
    for line in text.splitlines():
        if line.startswith("Vendor: "):
            parts = line.removeprefix("Vendor: ").split(" | ")
            if len(parts) >= 3:
                rows.append(VendorRow(parts[0].strip(), parts[1].strip(), parts[2].strip()))
    return rows


def records(text: str) -> list[dict[str, str]]:
    """Each record's fields; its lines under ``lines`` as ``"desc | qty | price | amount"``."""
    found = []
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        lines = []
        for row in block.splitlines():
            name, _, value = row.partition(": ")
            if name.startswith("Line "):
                lines.append(value)
            elif name:
                fields[name] = value.strip()
        if "Document" in fields:
            fields["lines"] = "\n".join(lines)
            found.append(fields)
    return found


def dotted(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def plain(number: Decimal) -> str:
    return format(number.normalize(), "f") if number == number.to_integral() else str(number)


def header_values(record: InvoiceRecord, vendor: str, note: str) -> dict[str, str]:
    return {
        "vendor_no": vendor, "inv_no": record.invoice_number,
        "inv_date": dotted(record.issue_date), "due_date": dotted(record.due_date),
        "currency": record.currency, "net": str(record.net_amount),
        "tax": str(record.tax_amount), "total": str(record.total_amount),
        "po_ref": record.po_number or "", "note": note,
    }  # fmt: skip


def line_values(record: InvoiceRecord) -> list[dict[str, str]]:
    return [
        {"desc": ln.description, "qty": plain(ln.quantity), "price": str(ln.unit_price),
         "amount": str(ln.amount)}
        for ln in record.lines
    ]  # fmt: skip


def _same_amount(text: str, meant: Decimal) -> bool:
    try:
        return Decimal(text) == meant
    except InvalidOperation:
        return False


def differences(saved: dict[str, str], record: InvoiceRecord, vendor: str, note: str) -> list[str]:
    """Fields of the record read back that differ from what was meant."""
    meant = {
        "Vendor": vendor, "Invoice no.": record.invoice_number,
        "Invoice date": dotted(record.issue_date), "Due date": dotted(record.due_date),
        "Currency": record.currency, "PO reference": record.po_number or "", "Note": note,
    }  # fmt: skip
    diffs = [f"{k} {saved.get(k)!r} (meant {v!r})" for k, v in meant.items() if saved.get(k) != v]
    for name, amount in (
        ("Net", record.net_amount), ("Tax", record.tax_amount), ("Total", record.total_amount)
    ):  # fmt: skip
        if not _same_amount(saved.get(name, ""), amount):
            diffs.append(f"{name} {saved.get(name)!r} (meant {amount})")
    lines = [ln.rsplit(" | ", 3) for ln in saved.get("lines", "").splitlines()]
    if len(lines) != len(record.lines):
        diffs.append(f"{len(lines)} lines (meant {len(record.lines)})")
        return diffs
    for i, (got, want) in enumerate(zip(lines, record.lines, strict=True), start=1):
        ok = (
            len(got) == 4 and got[0] == want.description
            and all(_same_amount(g, w) for g, w in
                    zip(got[1:], (want.quantity, want.unit_price, want.amount), strict=True))
        )  # fmt: skip
        if not ok:
            diffs.append(f"line {i} {' | '.join(got)!r}")
    return diffs
