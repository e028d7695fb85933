"""Cross-field checks on a document's normalized values, for the auto/review decision and
the review screen.

``validate(doc_type, values, rows=..., today=...)`` returns one ``Check`` per rule that had its
inputs. The names are stable (the review screen and the audit log key on them):

- ``required:<field>``: one per required flat field, passed or failed, so the screen can
  mark the missing field.
- ``required:<group>`` (``required:line_items``): one for the document's rows, when it
  has any: every row has each required cell; a failure names the incomplete rows (as
  ``Check.rows`` and in its message), so a table of 40 lines gives one check, not one per
  cell.
- ``net_plus_tax_equals_total``: net + tax = total within the tolerance (types with all
  three); the tolerance (0.01 by default) applies to every sum and product check.
- ``parts_within_total``: where one of net and tax is missing, the other is smaller
  than the total (a tax no larger than it; a net no larger than it).
- ``line_items_sum_to_net``: the line amounts add up to the net amount, or to the total
  on a purchase order that shows no net.
- ``line_item_amounts``: quantity x unit price (rounded to cents) = amount on every line; a
  failure names each line that is off (``Check.rows`` and the message).
- ``paid_invoices_sum_to_total``: remittance advice lines add up to the total.
- ``iban_checksum``, ``vat_id_format``, ``currency_known``: one per field of that kind.
- ``name_shape:<field>``: a name (a party's, a product's) holds letters and no price: an
  amount with cents or a currency sign in it means the reading ran into a price column
  ("Gourde inox 419,66", "77.26 CHF"); it fails only then.
- ``due_date_not_before_issue_date``: invoices.
- ``document_numbers_differ``: an invoice's own number, its order number and the
  sender's VAT id and IBAN are not one value read twice (where two of them are read).
- ``date_plausible``: every date lies between ``today`` minus ``max_past_years`` and
  ``today`` plus ``max_future_years``.

``labelled_but_unread(doc_type, values, text)`` adds ``labelled:<field>`` for an optional
field whose own label (the schema's, "Due date", "IBAN", "Description"; for a VAT id any
of ``extractors._keyvalue_lexicon.VAT_ID_LABELS``, "N° TVA intracom.", "USt-IdNr.") the
document prints while no value was read: a document entered without a value it shows is
incomplete, so a person looks.

Beside these, the pipeline adds ``vendor_master_match`` when a vendor master is configured
(``CLERK_VENDOR_MASTER``, ``extractors/vendor_master.py``).

A check whose inputs are absent is skipped, not failed (only ``required:*`` reports
absence). A present value that cannot be read (``"12,x"`` typed by a person into an
amount) fails the check that needs it, with the value in the message.

Settings (environment):
- ``CLERK_VALIDATE_TOLERANCE`` (default 0.01): the largest difference, in the document's
  currency, that the sum and product checks accept as rounding.
- ``CLERK_VALIDATE_MAX_PAST_YEARS`` (default 10): older dates fail ``date_plausible``
  (archives re-scanned years later may need more).
- ``CLERK_VALIDATE_MAX_FUTURE_YEARS`` (default 1): later dates fail ``date_plausible``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from pydantic_settings import BaseSettings, SettingsConfigDict

from clerk.documents import Check
from clerk.schemas import SCHEMAS, DocSchema
from extractors._keyvalue import prints_any
from extractors._keyvalue_lexicon import VAT_ID_LABELS
from extractors.normalize.currency import ISO_4217
from extractors.normalize.ids import iban_is_valid, vat_id_is_valid


class ValidateSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLERK_VALIDATE_")

    tolerance: Decimal = Decimal("0.01")
    max_past_years: int = 10
    max_future_years: int = 1


Values = Mapping[str, str | None]
Rows = Sequence[Mapping[str, str | None]]  # each line item's values by column
_Present = list[dict[str, str]]  # each row's present values by column
_CENT = Decimal("0.01")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Names of parties and products: text fields that never hold a price.
NAME_FIELDS = frozenset(
    {"vendor_name", "buyer_name", "merchant_name", "payer_name", "product_name"}
)
# An amount with cents ("419,66", "1.234,50"), or a currency sign or code standing alone.
_PRICE_IN_NAME = re.compile(
    r"(?<![\w.,])\d{1,3}(?:[.,' ]\d{3})*[.,]\d{2}(?![\d.,]*\w)"
    r"|[€£$¥]|(?<!\w)(?:EUR|USD|GBP|CHF|PLN)(?!\w)"
)


class _Unreadable(Exception):
    """A present value that is not what its kind promises; becomes a failed check."""

    def __init__(self, message: str, rows: tuple[int, ...] = ()) -> None:
        super().__init__(message)
        self.rows = rows  # the line item that holds the value


def validate(
    doc_type: str,
    values: Values,
    today: dt.date | None = None,
    settings: ValidateSettings | None = None,
    *,
    rows: Rows = (),
) -> tuple[Check, ...]:
    """Every applicable check for a document of ``doc_type`` with normalized flat
    ``values`` (by field name) and ``rows``, its line items' values by column
    (``Understanding.row_values()``). ``today`` defaults to the system date and
    ``settings`` to the environment's ``CLERK_VALIDATE_*``."""
    settings = settings or ValidateSettings()
    schema = SCHEMAS.get(doc_type)
    if schema is None:
        raise ValueError(
            f"cannot validate document type {doc_type!r}; known types: {', '.join(SCHEMAS)}"
        )
    present = _present(values)
    table = [_present(row) for row in rows]
    checks = list(_required(schema, present, table))
    for name, rule in _RULES:
        try:
            check = rule(schema, present, table, settings.tolerance)
        except _Unreadable as exc:
            check = Check(name, False, str(exc), exc.rows)
        if check is not None:
            checks.append(check)
    checks.extend(_per_kind(schema, present))
    plausible = _date_plausible(schema, present, today or dt.date.today(), settings)
    if plausible is not None:
        checks.append(plausible)
    return tuple(checks)


def labelled_but_unread(doc_type: str, values: Values, text: str) -> tuple[Check, ...]:
    """A failed ``labelled:<field>`` for each optional field of ``doc_type`` whose label
    the text prints (whole words, any case) and that has no value."""
    schema = SCHEMAS.get(doc_type)
    if schema is None:
        return ()
    checks = []
    for spec in schema.fields:
        if spec.required or (values.get(spec.name) or "").strip():
            continue
        labelled = re.search(rf"(?<!\w){re.escape(spec.label)}(?!\w)", text, re.IGNORECASE)
        if labelled or (spec.kind == "vat_id" and prints_any(text, VAT_ID_LABELS)):
            message = (
                f"the document shows a {spec.label!r} label, but no value was read for it"
                if labelled
                else f"the document prints a VAT id label, but no {spec.label} was read"
            )
            checks.append(Check(f"labelled:{spec.name}", False, message))
    return tuple(checks)


def _present(values: Mapping[str, str | None]) -> dict[str, str]:
    return {k: v.strip() for k, v in values.items() if v is not None and v.strip()}


def _required(schema: DocSchema, present: dict[str, str], table: _Present) -> Iterator[Check]:
    for spec in schema.fields:
        if spec.required:
            yield _presence(spec.name, spec.label, present)
    group = schema.rows
    if group is None or not table:
        return
    wanted = [s for s in group.fields if s.required]
    problems, wrong = [], []
    for index, row in enumerate(table):
        missing = [s.label.lower() for s in wanted if s.name not in row]
        if missing:
            wrong.append(index)
            problems.append(f"line {index + 1} has no {', '.join(missing)}")
    name = f"required:{group.name}"
    if wrong:
        yield Check(name, False, "; ".join(problems), tuple(wrong))
    else:
        yield Check(name, True, f"{len(table)} line(s) have every required cell")


def _presence(name: str, label: str, present: dict[str, str]) -> Check:
    if name in present:
        return Check(f"required:{name}", True, f"{label} is present: {present[name]!r}")
    return Check(f"required:{name}", False, f"{label} ({name}) is required but missing")


def _net_plus_tax(
    schema: DocSchema, present: dict[str, str], table: _Present, tolerance: Decimal
) -> Check | None:
    names = ("net_amount", "tax_amount", "total_amount")
    if not all(schema.spec(n) for n in names) or not all(n in present for n in names):
        return None
    net, tax, total = (_amount(present, n) for n in names)
    difference = net + tax - total
    ok = abs(difference) <= tolerance
    message = f"net {net} + tax {tax} = {net + tax}" + _compared(
        "total", total, difference, tolerance
    )
    return Check("net_plus_tax_equals_total", ok, message)


def _parts_within_total(
    schema: DocSchema, present: dict[str, str], table: _Present, tolerance: Decimal
) -> Check | None:
    """Where net + tax = total cannot be checked (one of the three is missing, or the
    type has no net: a receipt), the present part is still smaller than the total: a tax
    read as large as the total is the total read twice ("Razem 3 900,67" under both the
    tax and the gross columns)."""
    names = ("net_amount", "tax_amount", "total_amount")
    if not schema.spec("total_amount") or "total_amount" not in present:
        return None
    parts = [n for n in names[:2] if schema.spec(n) and n in present]
    if len(parts) != 1:
        return None  # none to compare, or both: net_plus_tax_equals_total checks them
    part, total = _amount(present, parts[0]), _amount(present, "total_amount")
    label = parts[0].removesuffix("_amount")
    ok = abs(part) < abs(total) if label == "tax" else abs(part) <= abs(total) + tolerance
    relation = "within" if ok else "not within"
    message = f"{label} {part} is {relation} the total {total}"
    return Check("parts_within_total", ok, message)


def _line_items_sum(
    schema: DocSchema, present: dict[str, str], table: _Present, tolerance: Decimal
) -> Check | None:
    if schema.rows is None or schema.rows.name != "line_items":
        return None
    # Lines add up to the net; a purchase order that prints no net (no tax) to its total.
    target = (
        "net_amount" if schema.spec("net_amount") and "net_amount" in present else "total_amount"
    )
    return _group_sum(present, table, target, "line_items_sum_to_net", "line items", tolerance)


def _paid_invoices_sum(
    schema: DocSchema, present: dict[str, str], table: _Present, tolerance: Decimal
) -> Check | None:
    if schema.rows is None or schema.rows.name != "paid_invoices":
        return None
    return _group_sum(
        present, table, "total_amount", "paid_invoices_sum_to_total", "paid invoices", tolerance
    )


def _group_sum(
    present: dict[str, str],
    table: _Present,
    target: str,
    name: str,
    what: str,
    tolerance: Decimal,
) -> Check | None:
    if not table or target not in present or not all("amount" in row for row in table):
        return None
    amounts = [_cell_amount(row, "amount", i) for i, row in enumerate(table)]
    expected = _amount(present, target)
    total = sum(amounts, Decimal(0))
    ok = abs(total - expected) <= tolerance
    label = target.replace("_", " ")
    message = f"{len(table)} {what} add up to {total}" + _compared(
        label, expected, total - expected, tolerance
    )
    return Check(name, ok, message)


def _compared(label: str, expected: Decimal, difference: Decimal, tolerance: Decimal) -> str:
    if difference == 0:
        return f", matches {label} {expected}"
    if abs(difference) <= tolerance:
        return f", within {tolerance} of {label} {expected}"
    return f", but {label} is {expected} (off by {difference})"


def _line_item_amounts(
    schema: DocSchema, present: dict[str, str], table: _Present, tolerance: Decimal
) -> Check | None:
    if schema.rows is None or schema.rows.name != "line_items":
        return None
    checked, wrong, rows = 0, [], []
    columns = ("quantity", "unit_price", "amount")
    for i, row in enumerate(table):
        if not all(c in row for c in columns):
            continue
        quantity, price, amount = (_cell_amount(row, c, i) for c in columns)
        checked += 1
        product = (quantity * price).quantize(_CENT, ROUND_HALF_UP)
        if abs(product - amount) > tolerance:
            rows.append(i)
            wrong.append(f"line {i + 1}: {quantity} x {price} = {product}, but amount is {amount}")
    if not checked:
        return None
    if wrong:
        return Check("line_item_amounts", False, "; ".join(wrong), tuple(rows))
    return Check("line_item_amounts", True, f"quantity x unit price = amount on {checked} line(s)")


def _due_after_issue(
    schema: DocSchema, present: dict[str, str], table: _Present, tolerance: Decimal
) -> Check | None:
    if not (schema.spec("due_date") and schema.spec("issue_date")):
        return None
    if "due_date" not in present or "issue_date" not in present:
        return None
    issue, due = _date(present, "issue_date"), _date(present, "due_date")
    ok = due >= issue
    relation = "on or after" if ok else "before"
    message = f"due date {due} is {relation} issue date {issue}"
    return Check("due_date_not_before_issue_date", ok, message)


# A document's own number, the order it answers and the sender's ids are different
# values: one value read for two of them ("VAT Invoice 3778800" read as the order's
# number too; a VAT id or an IBAN read as the order's number) is a misreading of one.
_NUMBERS = ("invoice_number", "po_number", "vendor_vat_id", "iban")


def _numbers_differ(
    schema: DocSchema, present: dict[str, str], table: _Present, tolerance: Decimal
) -> Check | None:
    # (field, its label as said in a sentence) of the numbers read
    read = [(n, spec.label.lower()) for n in _NUMBERS if (spec := schema.spec(n)) and n in present]
    if len(read) < 2:
        return None
    for index, (first, said) in enumerate(read):
        for second, other in read[index + 1 :]:
            if _number_key(present[first]) == _number_key(present[second]):
                message = f"the {said} and the {other} are both read as {present[first]!r}"
                return Check("document_numbers_differ", False, message)
    shown = ", ".join(f"{said} {present[n]!r}" for n, said in read)
    return Check("document_numbers_differ", True, shown)


def _number_key(value: str) -> str:
    return re.sub(r"[\W_]", "", value).upper()


def _per_kind(schema: DocSchema, present: dict[str, str]) -> Iterator[Check]:
    for spec in schema.fields:
        value = present.get(spec.name)
        if value is None:
            continue
        if spec.kind == "iban":
            ok = iban_is_valid(value)
            yield Check(
                "iban_checksum",
                ok,
                f"IBAN {value} has a valid checksum and length"
                if ok
                else f"IBAN {value} fails the mod-97 checksum or its country's length; "
                "compare it with the document character by character",
            )
        elif spec.kind == "vat_id":
            ok = vat_id_is_valid(value)
            yield Check(
                "vat_id_format",
                ok,
                f"{spec.label} {value} matches its country's format"
                if ok
                else f"{spec.label} {value} does not match any country's VAT id format "
                "(e.g. DE123456789, ATU12345678, CHE123456789MWST)",
            )
        elif spec.name in NAME_FIELDS:
            yield from _name_shape(spec.name, spec.label, value)
        elif spec.kind == "currency":
            ok = value.upper() in ISO_4217
            yield Check(
                "currency_known",
                ok,
                f"currency {value} is an ISO 4217 code"
                if ok
                else f"currency {value!r} is not an ISO 4217 code (EUR, USD, CHF, GBP...)",
            )


def _name_shape(name: str, label: str, value: str) -> Iterator[Check]:
    price = _PRICE_IN_NAME.search(value)
    if price is not None:
        yield Check(f"name_shape:{name}", False,
                    f"{label} {value!r} holds a price ({price.group(0).strip()!r}); "
                    "the reading probably ran into a price column")  # fmt: skip
    elif not any(ch.isalpha() for ch in value):
        yield Check(f"name_shape:{name}", False, f"{label} {value!r} has no letters")


def _date_plausible(
    schema: DocSchema, present: dict[str, str], today: dt.date, settings: ValidateSettings
) -> Check | None:
    names = [s.name for s in schema.fields if s.kind == "date" and s.name in present]
    if not names:
        return None
    earliest = _shift_years(today, -settings.max_past_years)
    latest = _shift_years(today, settings.max_future_years)
    problems = []
    for name in names:
        try:
            value = _date(present, name)
        except _Unreadable as exc:
            problems.append(str(exc))
            continue
        if not earliest <= value <= latest:
            problems.append(f"{name} {value} is outside {earliest} .. {latest}")
    if problems:
        return Check("date_plausible", False, "; ".join(problems))
    listed = ", ".join(f"{n} {present[n]}" for n in names)
    return Check("date_plausible", True, f"{listed} within {earliest} .. {latest}")


def _shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def _amount(present: Mapping[str, str], name: str) -> Decimal:
    value = present[name]
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise _Unreadable(f"{name} {value!r} is not a plain decimal number like 1234.56")
    return number


def _cell_amount(row: Mapping[str, str], column: str, index: int) -> Decimal:
    try:
        return _amount(row, column)
    except _Unreadable:
        raise _Unreadable(
            f"{column} {row[column]!r} on line {index + 1} is not a plain decimal number "
            "like 1234.56",
            (index,),
        ) from None


def _date(present: Mapping[str, str], name: str) -> dt.date:
    value = present[name]
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Unreadable(f"{name} {value!r} is not an ISO date like 2014-08-03") from None


_Rule = Callable[[DocSchema, dict[str, str], _Present, Decimal], Check | None]
# Name first: a rule that meets an unreadable value fails under its own name.
_RULES: tuple[tuple[str, _Rule], ...] = (
    ("net_plus_tax_equals_total", _net_plus_tax),
    ("parts_within_total", _parts_within_total),
    ("line_items_sum_to_net", _line_items_sum),
    ("line_item_amounts", _line_item_amounts),
    ("paid_invoices_sum_to_total", _paid_invoices_sum),
    ("due_date_not_before_issue_date", _due_after_issue),
    ("document_numbers_differ", _numbers_differ),
)
