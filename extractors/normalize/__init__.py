"""Raw field text -> the normalized values stored in ``clerk.documents.Field.value``.

``normalize(kind, raw, hints)`` dispatches on the ``clerk.schemas.FieldKind``; ``None``
means "cannot normalize" and the caller should keep the raw text for a reviewer. The
rules for each kind are in the module doc of ``_dates``, ``_amounts``, ``currency``,
``ids`` and ``_text``. ``hints_from_text`` derives a document's hints (date order,
decimal separator, currency) from its unambiguous values; call it once per document.

Public modules: ``currency``, ``hints`` and ``ids``; ``_base``, ``_amounts``, ``_dates``
and ``_text`` are private (reach them through ``normalize``).
"""

from __future__ import annotations

from clerk.schemas import FieldKind
from extractors.normalize._amounts import (
    format_amount,
    normalize_amount,
    normalize_number,
    parse_decimal,
)
from extractors.normalize._base import DateOrder, Normalized, NormalizeHints
from extractors.normalize._dates import date_is_ambiguous, normalize_date, parse_date
from extractors.normalize._text import normalize_text
from extractors.normalize.currency import ISO_4217, normalize_currency
from extractors.normalize.hints import hints_from_text
from extractors.normalize.ids import (
    iban_check_digits,
    iban_is_valid,
    normalize_iban,
    normalize_vat_id,
    vat_id_is_valid,
)

__all__ = [
    "ISO_4217",
    "DateOrder",
    "NormalizeHints",
    "Normalized",
    "date_is_ambiguous",
    "format_amount",
    "hints_from_text",
    "iban_check_digits",
    "iban_is_valid",
    "normalize",
    "normalize_amount",
    "normalize_currency",
    "normalize_date",
    "normalize_iban",
    "normalize_number",
    "normalize_text",
    "normalize_vat_id",
    "parse_date",
    "parse_decimal",
    "vat_id_is_valid",
]


def normalize(kind: FieldKind, raw: str, hints: NormalizeHints | None = None) -> Normalized | None:
    """The normalized value of ``raw`` read as a ``kind`` field, or None if ``raw`` is
    not one (an impossible date, a failed IBAN checksum, text that is not a number)."""
    if kind == "amount":
        return normalize_amount(raw, hints)
    value: str | None
    if kind == "date":
        value = normalize_date(raw, hints)
    elif kind == "number":
        value = normalize_number(raw, hints)
    elif kind == "currency":
        value = normalize_currency(raw, hints)
    elif kind == "iban":
        value = normalize_iban(raw)
    elif kind == "vat_id":
        value = normalize_vat_id(raw)
    elif kind == "text":
        value = normalize_text(raw)
    else:
        raise ValueError(
            f"unknown field kind {kind!r}; expected one of text, date, amount, number, "
            "currency, iban, vat_id (clerk.schemas.FieldKind)"
        )
    return None if value is None else Normalized(value)
