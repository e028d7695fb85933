"""Checks as evidence: a field that a passing check ties to other fields, read apart from
it, is confirmed, whatever its own reading's confidence.

A model's confidence says how sure one reading is; two readings that agree by arithmetic
or by a printed rule are far surer, because two wrong values rarely satisfy an equation
together. ``corroborate`` runs after ``extractors.validate`` and lifts only fields that
such a relation covers, and only where the relation is not trivially true:

- ``net_plus_tax_equals_total`` with a tax that is not zero confirms the net, the tax and
  the total (with no tax, net = total holds for any one number read twice). Where it
  failed, the charges the page prints between the net and the total (shipping, freight)
  may make up the difference to the cent: it passes then (``extractors._charges``).
- ``line_item_amounts`` and ``line_items_sum_to_net`` both passing confirm every row's
  quantity, unit price and amount, and the net (or a purchase order's total) they add up
  to: when there are two rows or more, or the one row's quantity is not 1 (one row of
  quantity 1 repeats one number three times). Descriptions are not numbers: no sum
  confirms them, and a description cut at a wrapped line stays as the table reader rated
  it (``extractors._tables``).
- ``due_date_matches_payment_terms``, added here: the due date lies exactly as many days
  after the issue date as the document's payment terms say (``Payment terms: 30 days``,
  ``Zahlbar innerhalb von 30 Tagen``, ``Net 30``); it confirms both dates. Terms that
  do not match add no check: "30 days end of month" and a due date moved to a workday
  are common, and the dates' own confidence still decides then.

- ``sender_named_in_letterhead_and_footer``, added here: the name read is a registered
  company's (a legal form: GmbH, SARL, B.V., Ltd...) and the page prints it both in its
  first lines and in its last ones, where a business prints its own name (letterhead,
  legal footer, bank details); a customer's name stands in the address block only. On an
  invoice that company sent it: the check confirms ``vendor_name``. On a purchase order
  the sender is the buyer: it confirms ``buyer_name``, and a vendor read as that same
  company fails ``vendor_is_not_the_sender``.
- ``vendor_the_only_other_company``, added here: on a purchase order whose sender check
  passed, the vendor read is a whole registered name and the only company the page
  names besides the buyer (an order has two parties); it confirms ``vendor_name``.

- ``number_printed_again``, added here: the document's number read (an invoice's, a
  purchase order's) is printed on two lines or more that name it as such: its title
  ("VAT Invoice 9564939", "BESTELLUNG BE-9458") and a payment or reply reference
  ("quoting 9564939", "Verwendungszweck"), or two labels. A customer or order number
  the reader took for it is rarely printed that way twice; it confirms the number.
- ``sender_ids_in_footer``, added here: on an invoice whose sender check passed, the
  vendor's VAT id and IBAN read are printed in the last lines, the legal footer where
  the sender prints its own name, registration and bank details (a customer's ids stand
  in its address block); it confirms those of them that are printed there.

A confirmed field gets at least ``CONFIRMED_CONFIDENCE``, the confidence of a table row
whose header and arithmetic agree (``extractors._tables.CONFIDENCE["header"]``); the
check that confirmed it is in the document's checks, for the reviewer and the audit log.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from clerk.documents import Check, Field, LineItem
from extractors._charges import NET_PLUS_TAX, explained_by_charges
from extractors._sender import (
    EDGE_LINES,
    REGISTERED_FORM,
    SENDER_FIELD,
    at_both_edges,
    only_other_company,
    sender_check,
)
from extractors._tables import CONFIDENCE as TABLE_CONFIDENCE
from extractors.normalize import hints_from_text
from extractors.normalize.ids import normalize_vat_id

CONFIRMED_CONFIDENCE = TABLE_CONFIDENCE["header"]
TERMS_CHECK = "due_date_matches_payment_terms"
SENDER_CHECK = "sender_named_in_letterhead_and_footer"
NOT_SENDER_CHECK = "vendor_is_not_the_sender"
OTHER_COMPANY_CHECK = "vendor_the_only_other_company"
FOOTER_IDS_CHECK = "sender_ids_in_footer"
FOOTER_VAT_CHECK = "one_vat_id_in_footer"
NUMBER_CHECK = "number_printed_again"
# A document's own number, and the words of a line that names it as that number: the
# document's name, or a reference to quote with the payment or the reply.
_NUMBER_FIELD = {"invoice": "invoice_number", "purchase_order": "po_number"}
_NUMBER_CONTEXT = {
    "invoice": re.compile(
        r"\b(invoice|inv|rechnung|rechnungs?-?n(r|ummer)|facture|factuur|factuurnummer|fattura|"
        r"factura|faktura|faktury|quot(e|ing)|reference|verwendungszweck|r[ée]f[ée]rence|"
        r"betreft|betalingskenmerk|causale|tytu[lł]em)\b",
        re.IGNORECASE,
    ),
    "purchase_order": re.compile(
        r"\b(purchase\s+order|order|po|bestellung|bestellnummer|auftrag|auftragsnummer|"
        r"commande|bestelling|ordine|pedido|zam[oó]wienie|quot(e|ing)|reference)\b",
        re.IGNORECASE,
    ),
}
# The sender's identifiers a legal footer prints, by document type.
FOOTER_IDS = {"invoice": ("vendor_vat_id", "iban")}


_NUMBERS = ("quantity", "unit_price", "amount")  # the cells a row's arithmetic ties
# "30 days", "30 jours", "30 Tagen", "30 dagen", "30 días", "30 giorni", "30 dni",
# "Net 30", "netto 30 dagen": a number of days a payment is due in.
_TERM_DAYS = re.compile(
    r"\b(\d{1,3})\s*-?\s*(?:days?|jours?|tagen?|dagen|d[ií]as|giorni|dni)\b"
    r"|\bnet(?:to)?\s+(\d{1,3})\b",
    re.IGNORECASE,
)


def corroborate(
    doc_type: str,
    fields: Sequence[Field],
    checks: Sequence[Check],
    text: str,
    line_items: Sequence[LineItem] = (),
) -> tuple[tuple[Field, ...], tuple[Check, ...]]:
    """``fields`` (flat) with every field a passing relation covers confirmed, and
    ``checks`` with the payment-terms check added where the terms tie the two dates.
    ``line_items`` count for the net their sum confirms; ``corroborate_rows`` confirms
    their own cells."""
    values = {f.name: f.value for f in fields if f.value}
    if any(c.name == NET_PLUS_TAX and not c.passed for c in checks):
        explained = explained_by_charges(values, text, hints_from_text(text))
        if explained is not None:  # "Shipping 185.00" between the net and the total
            checks = tuple(explained if c.name == NET_PLUS_TAX else c for c in checks)
    passed = {c.name for c in checks if c.passed}
    added_checks = (
        _terms_check(values, text),
        _number_check(doc_type, values, text),
        *_sender_checks(doc_type, values, text),
        sender_check(doc_type, values, text),
    )
    for added in added_checks:
        if added is not None:
            checks = (*checks, added)
            if added.passed:
                passed.add(added.name)
    confirmed = set(_confirmed_names(values, passed, line_items))
    if SENDER_CHECK in passed:
        confirmed.add(SENDER_FIELD[doc_type])
        if OTHER_COMPANY_CHECK in passed:
            confirmed.add("vendor_name")
        others = _other_vats_in_footer(values.get("vendor_vat_id"), text)
        footer_ids = [
            n
            for n in FOOTER_IDS.get(doc_type, ())
            if _in_footer(values.get(n), text) and not (n == "vendor_vat_id" and others)
        ]
        if others and "vendor_vat_id" in FOOTER_IDS.get(doc_type, ()):
            message = (
                f"vendor_vat_id was read as {values['vendor_vat_id']!r}, but the footer under "
                f"the sender's name also prints {', '.join(sorted(others))}: which one is the "
                "sender's, a person decides"
            )
            checks = (*checks, Check(FOOTER_VAT_CHECK, False, message))
        if footer_ids:
            shown = ", ".join(f"{n} {values[n]}" for n in footer_ids)
            message = f"the footer under the sender's name prints {shown}"
            checks = (*checks, Check(FOOTER_IDS_CHECK, True, message))
            confirmed.update(footer_ids)
    lifted = tuple(
        replace(f, confidence=max(f.confidence, CONFIRMED_CONFIDENCE))
        if f.name in confirmed and f.value
        else f
        for f in fields
    )
    return lifted, tuple(checks)


def corroborate_rows(
    checks: Sequence[Check], line_items: Sequence[LineItem]
) -> tuple[LineItem, ...]:
    """``line_items`` with every row's quantity, unit price and amount confirmed when the
    rows' arithmetic and their sum both pass (see the module's notes)."""
    passed = {c.name for c in checks if c.passed}
    if not _rows_confirmed(passed, line_items):
        return tuple(line_items)
    return tuple(
        LineItem(
            tuple(
                replace(c, confidence=max(c.confidence, CONFIRMED_CONFIDENCE))
                if c.name in _NUMBERS and c.value
                else c
                for c in row.cells
            )
        )
        for row in line_items
    )


def _rows_confirmed(passed: set[str], line_items: Sequence[LineItem]) -> bool:
    if not line_items or not {"line_item_amounts", "line_items_sum_to_net"} <= passed:
        return False
    return len(line_items) >= 2 or any(
        _nonunit(q.value) for row in line_items if (q := row.cell("quantity")) is not None
    )


def _confirmed_names(
    values: Mapping[str, str | None], passed: set[str], line_items: Sequence[LineItem]
) -> Iterable[str]:
    if "net_plus_tax_equals_total" in passed and _nonzero(values.get("tax_amount")):
        yield from ("net_amount", "tax_amount", "total_amount")
    if _rows_confirmed(passed, line_items):
        yield "net_amount" if values.get("net_amount") else "total_amount"
    if TERMS_CHECK in passed:
        yield from ("issue_date", "due_date")
    if NUMBER_CHECK in passed:
        yield from _NUMBER_FIELD.values()


def _number_check(doc_type: str, values: Mapping[str, str | None], text: str) -> Check | None:
    name = _NUMBER_FIELD.get(doc_type)
    number = values.get(name) if name else None
    if not name or not number or not re.search(r"\d", number):
        return None
    printed = re.compile(rf"(?<![\w/.-]){re.escape(number)}(?![\w/-]|\.\w)")
    context = _NUMBER_CONTEXT[doc_type]
    lines = [line for line in text.splitlines() if printed.search(line) and context.search(line)]
    if len(lines) < 2:
        return None
    shown = "; ".join(repr(" ".join(line.split())) for line in lines[:3])
    return Check(NUMBER_CHECK, True, f"{name} {number} is printed as such again: {shown}")


def _terms_check(values: Mapping[str, str | None], text: str) -> Check | None:
    issue, due = _date(values.get("issue_date")), _date(values.get("due_date"))
    if issue is None or due is None:
        return None
    days = (due - issue).days
    printed = {int(a or b) for a, b in _TERM_DAYS.findall(text)}
    if days <= 0 or days not in printed:
        return None
    message = f"due date {due} is {days} days after issue date {issue}, as the terms say"
    return Check(TERMS_CHECK, True, message)


def _sender_checks(doc_type: str, values: Mapping[str, str | None], text: str) -> Iterable[Check]:
    sender = SENDER_FIELD.get(doc_type)
    if sender is None:
        return
    name = values.get(sender)
    if name and REGISTERED_FORM.search(name) and at_both_edges(name, text):
        where = "in its first and in its last lines"
        yield Check(SENDER_CHECK, True, f"the document prints {name!r} {where}, as its sender")
    vendor = values.get("vendor_name")
    if sender != "vendor_name" and vendor and name and only_other_company(vendor, name, text):
        yield Check(OTHER_COMPANY_CHECK, True,
                    f"{vendor!r} is the one company the order names besides its sender "
                    f"{name!r}")  # fmt: skip
    if sender != "vendor_name" and vendor and at_both_edges(vendor, text):
        yield Check(NOT_SENDER_CHECK, False,
                    f"the vendor read, {vendor!r}, is printed in the first and the last lines, "
                    "where the company that sent the order prints its name: it may be the "
                    "buyer; check which company is which")  # fmt: skip


def _in_footer(value: str | None, text: str) -> bool:
    """``value`` (spaces, dots and dashes aside) is printed in the last ``EDGE_LINES``
    lines of ``text``."""
    if not value:
        return False
    lines = [line for line in text.splitlines() if line.strip()][-EDGE_LINES:]
    wanted = _compact(value)
    return bool(wanted) and any(wanted in _compact(line) for line in lines)


# Where a VAT id may start: a country prefix (Switzerland's is three letters).
_VAT_START = re.compile(r"(?<![A-Za-z0-9])(?:CHE|[A-Z]{2})(?=[\s.]?[0-9A-Z])")


def _other_vats_in_footer(read: str | None, text: str) -> set[str]:
    """The VAT ids the footer prints besides the one read: a French invoice prints its
    customer's ("Identifiant TVA FR 32 ...") right above the sender's legal footer, so
    which one is the sender's the footer alone does not say."""
    if not read:
        return set()
    lines = [line for line in text.splitlines() if line.strip()][-EDGE_LINES:]
    return {found for line in lines for found in _vat_ids(line)} - {read}


def _vat_ids(line: str) -> set[str]:
    """The VAT ids printed on ``line``: the longest run of words after a country prefix
    that reads as one."""
    found = set()
    for match in _VAT_START.finditer(line):
        words = line[match.start() : match.start() + 24].split(" ")
        for size in range(len(words), 0, -1):
            vat = normalize_vat_id(" ".join(words[:size]))
            if vat is not None:
                found.add(vat)
                break
    return found


def _compact(text: str) -> str:
    return re.sub(r"[\s.\-]", "", text).casefold()


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _nonzero(value: str | None) -> bool:
    try:
        return value is not None and Decimal(value) != 0
    except InvalidOperation:
        return False


def _nonunit(value: str | None) -> bool:
    try:
        return value is not None and Decimal(value) != 1
    except InvalidOperation:
        return False
