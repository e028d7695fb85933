"""Money amounts and quantities -> plain decimal strings, parsed with ``Decimal`` only.

Separators (the tests pin each rule):
- Spaces (normal, no-break U+00A0, narrow no-break U+202F, thin U+2009) and apostrophes
  (``'``, ``’``) only ever group thousands; the groups after the first must have three
  digits.
- When both ``.`` and ``,`` appear, the last one is the decimal separator.
- A separator that appears more than once groups thousands (``1.234.567``).
- A single separator followed by anything but exactly three digits is the decimal
  separator (``12,5``, ``1234.56``).
- A single separator followed by exactly three digits (``1,234``, ``1.234``) is
  ambiguous. ``NormalizeHints.decimal_comma`` (or ``language``: de/fr -> comma,
  en -> point) settles it. Without hints, an *amount* reads it as thousands when the
  part before it has one to three digits and is not ``0`` (three-decimal money is rare;
  ``0.125`` stays a fraction), while a *number* (a quantity) reads it as a decimal
  separator, so ``1.000`` kg stays one unless the hints say German.
- Negative: leading ``-``/``−``, trailing ``-`` (``12.00-``, SAP style) or accounting
  parentheses ``(12.00)``. A dash right after a separator (``12.-``, ``12,–``) is the
  Swiss/German way of writing zero cents, not a sign.
- OCR slips inside the digits are repaired: ``O``/``o`` -> ``0``, ``l``/``I`` -> ``1``.

Quantities may carry a unit or a multiplication sign (``3 pcs``, ``2,5 kg``, ``10 Stk.``,
``3x``, ``x 3``); the unit is dropped.

Amounts print at least two decimals (``"1234.50"``, ``"-12.00"``); extra non-zero
decimals are kept (a fuel unit price ``1.459``) rather than rounded away. Numbers print
without trailing zeros (``"2.5"``, ``"3"``).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from extractors.normalize._base import Normalized, NormalizeHints
from extractors.normalize.currency import split_currency

_GROUP_SPACES = "\u0020\u00a0\u202f\u2009\u2007"
_APOSTROPHES = "'’ʼ`´"
_MINUS = frozenset("-−–—")
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"})
_ZERO_CENTS = re.compile(r"([.,])\s*[-−–—]{1,2}$")
_SHAPE = re.compile(r"^[0-9.,]*[0-9][0-9.,]*$")
_CENT = Decimal("0.01")
# No amount on a business document has more digits; a barcode or serial does, and
# quantizing 28 digits to cents overflows Decimal's default precision.
_MAX_DIGITS = 18
# Units printed beside quantities on invoices and delivery notes (EN, DE, FR).
_UNIT_NAMES = (
    "pcs pc pce pces piece pieces pièce pièces stk stück st ea each unit units x h hrs hours "
    "std stunden heures kg g t l ltr m m2 m² m3 m³ km"
)
_UNIT_ALTERNATIVES = sorted(map(re.escape, _UNIT_NAMES.split()), key=len, reverse=True)
_UNIT = re.compile(rf"(?<=[\d\s])(?:{'|'.join(_UNIT_ALTERNATIVES)}|×)\.?\s*$", re.IGNORECASE)
_TIMES = re.compile(r"^\s*[x×]\s*(?=\d)", re.IGNORECASE)


def normalize_amount(raw: str, hints: NormalizeHints | None = None) -> Normalized | None:
    """An amount as a decimal string with two or more decimals, and its currency if the
    raw text names one (``"1.234,56 €"`` -> ``Normalized("1234.56", "EUR")``)."""
    text = unicodedata.normalize("NFC", raw).strip()
    split = split_currency(text, hints)
    if split is None:
        return None
    rest, currency = split
    value = parse_decimal(rest, hints, prefer_grouping=True)
    if value is None:
        return None
    return Normalized(format_amount(value), currency)


def normalize_number(raw: str, hints: NormalizeHints | None = None) -> str | None:
    """A quantity as a plain decimal string without exponent or trailing zeros."""
    text = _TIMES.sub("", _UNIT.sub("", unicodedata.normalize("NFC", raw).strip()))
    value = parse_decimal(text, hints, prefer_grouping=False)
    return None if value is None else format_number(value)


def format_amount(value: Decimal) -> str:
    if value == value.quantize(_CENT):
        return f"{value.quantize(_CENT):f}"
    return f"{value.normalize():f}"


def format_number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def parse_decimal(
    raw: str, hints: NormalizeHints | None = None, *, prefer_grouping: bool = True
) -> Decimal | None:
    """The number in ``raw`` (sign and separators resolved), or None if ``raw`` holds
    anything else. ``prefer_grouping`` decides ``1.234`` without hints (see module doc)."""
    text = raw.strip().strip(":;=").strip()
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    zero_cents = _ZERO_CENTS.search(text)
    if zero_cents:
        text = text[: zero_cents.start()]
    elif text[-1:] in _MINUS:
        negative, text = not negative, text[:-1].strip()
    if text[:1] in _MINUS:
        negative, text = not negative, text[1:].strip()
    elif text[:1] == "+":
        text = text[1:].strip()
    text = text.translate(_OCR_DIGITS)
    digits = _ungroup(text)
    if digits is None or sum(c.isdigit() for c in digits) > _MAX_DIGITS:
        return None
    value = _resolve_separators(digits, hints, prefer_grouping)
    if value is None:
        return None
    return -value if negative and value != 0 else value


def _ungroup(text: str) -> str | None:
    """Drop space and apostrophe thousands separators after checking the groups."""
    groups = re.split(f"[{_GROUP_SPACES}{_APOSTROPHES}]+", text)
    if len(groups) > 1:
        head, *tail = groups
        # "1 234,56": the last group may carry the decimals; every group is 3 digits.
        if not re.fullmatch(r"\d{1,3}", head) or not all(re.match(r"\d{3}(?!\d)", g) for g in tail):
            return None
        if not all(re.fullmatch(r"\d{3}", g) for g in tail[:-1]):
            return None
    joined = "".join(groups)
    return joined if _SHAPE.match(joined) else None


def _resolve_separators(
    text: str, hints: NormalizeHints | None, prefer_grouping: bool
) -> Decimal | None:
    last_dot, last_comma = text.rfind("."), text.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        decimal_sep = "." if last_dot > last_comma else ","
        group_sep = "," if decimal_sep == "." else "."
        integer, _, fraction = text.rpartition(decimal_sep)
        if decimal_sep in integer or not _grouped(integer, group_sep):
            return None
        return _decimal(integer.replace(group_sep, ""), fraction)
    separator = "." if last_dot >= 0 else "," if last_comma >= 0 else ""
    if not separator:
        return _decimal(text, "")
    parts = text.split(separator)
    if len(parts) > 2:
        return _decimal(text.replace(separator, ""), "") if _grouped(text, separator) else None
    integer, fraction = parts
    if len(fraction) == 3 and integer and _is_grouping(separator, integer, hints, prefer_grouping):
        return _decimal(integer + fraction, "") if _grouped(text, separator) else None
    return _decimal(integer, fraction)


def _is_grouping(
    separator: str, integer: str, hints: NormalizeHints | None, prefer_grouping: bool
) -> bool:
    comma = hints.uses_decimal_comma() if hints is not None else None
    if comma is not None:
        return separator == ("." if comma else ",")
    return prefer_grouping and len(integer) <= 3 and integer != "0"


def _grouped(text: str, separator: str) -> bool:
    """``1.234.567``: a 1-3 digit head, then groups of exactly three digits."""
    head, *tail = text.split(separator)
    return bool(re.fullmatch(r"\d{1,3}", head)) and all(re.fullmatch(r"\d{3}", g) for g in tail)


def _decimal(integer: str, fraction: str) -> Decimal | None:
    if not integer and not fraction:
        return None
    if not re.fullmatch(r"\d*", integer) or not re.fullmatch(r"\d*", fraction):
        return None
    try:
        return Decimal(f"{integer or '0'}.{fraction or '0'}")
    except InvalidOperation:  # pragma: no cover - the regexes above admit digits only
        return None
