"""Checks as evidence: a field that a passing check ties to other fields, read apart from
it, is confirmed, whatever its own reading's confidence.

A model's confidence says how sure one reading is; two readings that agree by arithmetic
or by a printed rule are far surer, because two wrong values rarely satisfy an equation
together. ``corroborate`` runs after ``extractors.validate`` and lifts only fields that
such a relation covers, and only where the relation is not trivially true:

- ``net_plus_tax_equals_total`` with a tax that is not zero confirms the net, the tax and
  the total (with no tax, net = total holds for any one number read twice).
- ``line_item_amounts`` and ``line_items_sum_to_net`` both passing confirm every row's
  quantity, unit price and amount, and the net (or a purchase order's total) they add up
  to: when there are two rows or more, or the one row's quantity is not 1 (one row of
  quantity 1 repeats one number three times). Descriptions are not numbers: no sum
  confirms them, and a description cut at a wrapped line stays as the table reader rated
  it (``extractors.tables``).
- ``due_date_matches_payment_terms``, added here: the due date lies exactly as many days
  after the issue date as the document's payment terms say (``Payment terms: 30 days``,
  ``Zahlbar innerhalb von 30 Tagen``, ``Net 30``); it confirms both dates. Terms that
  do not match add no check: "30 days end of month" and a due date moved to a workday
  are common, and the dates' own confidence still decides then.

A confirmed field gets at least ``CONFIRMED_CONFIDENCE``, the confidence of a table row
whose header and arithmetic agree (``extractors.tables.CONFIDENCE["header"]``); the
check that confirmed it is in the document's checks, for the reviewer and the audit log.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from clerk.documents import Check, Field
from extractors.tables import CONFIDENCE as TABLE_CONFIDENCE

CONFIRMED_CONFIDENCE = TABLE_CONFIDENCE["header"]
TERMS_CHECK = "due_date_matches_payment_terms"

_ROW = re.compile(r"^line_items\.(\d+)\.(quantity|unit_price|amount)$")
# "30 days", "30 jours", "30 Tagen", "30 dagen", "30 días", "30 giorni", "30 dni",
# "Net 30", "netto 30 dagen": a number of days a payment is due in.
_TERM_DAYS = re.compile(
    r"\b(\d{1,3})\s*-?\s*(?:days?|jours?|tagen?|dagen|d[ií]as|giorni|dni)\b"
    r"|\bnet(?:to)?\s+(\d{1,3})\b",
    re.IGNORECASE,
)


def corroborate(
    doc_type: str, fields: Sequence[Field], checks: Sequence[Check], text: str
) -> tuple[tuple[Field, ...], tuple[Check, ...]]:
    """``fields`` with every field a passing relation covers confirmed, and ``checks``
    with the payment-terms check added where the terms tie the two dates."""
    del doc_type  # the checks already say which relations the type has
    values = {f.name: f.value for f in fields if f.value}
    passed = {c.name for c in checks if c.passed}
    terms = _terms_check(values, text)
    if terms is not None:
        checks = (*checks, terms)
        passed.add(terms.name)
    confirmed = set(_confirmed_names(values, passed))
    lifted = tuple(
        replace(f, confidence=max(f.confidence, CONFIRMED_CONFIDENCE))
        if f.name in confirmed and f.value
        else f
        for f in fields
    )
    return lifted, tuple(checks)


def _confirmed_names(values: Mapping[str, str | None], passed: set[str]) -> Iterable[str]:
    if "net_plus_tax_equals_total" in passed and _nonzero(values.get("tax_amount")):
        yield from ("net_amount", "tax_amount", "total_amount")
    if {"line_item_amounts", "line_items_sum_to_net"} <= passed:
        cells = [name for name in values if _ROW.match(name)]
        rows = {_ROW.match(name).group(1) for name in cells}  # type: ignore[union-attr]
        if len(rows) >= 2 or any(_nonunit(values.get(f"line_items.{r}.quantity")) for r in rows):
            yield from cells
            yield "net_amount" if values.get("net_amount") else "total_amount"
    if TERMS_CHECK in passed:
        yield from ("issue_date", "due_date")


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
