"""Document-level hints: a document writes all its dates and amounts one way, so the
unambiguous ones settle the ambiguous ones.

``hints_from_text(text, language)`` looks at every numeric date and every amount-like
number in a document's text once and returns ``NormalizeHints`` for all its fields:

- ``date_order``: ``MDY`` if some slash or dash date can only be month-first
  (``12/31/2014``) and none can only be day-first; ``DMY`` in the opposite case; unset
  when the evidence is absent or contradictory (the normalizer's default applies).
- ``decimal_comma``: from numbers whose last separator is followed by exactly two digits
  (``1.234,56``, ``12.50``), the majority convention; unset on a tie or no evidence.
- ``default_currency``: the one ISO code the document prints beside its numbers
  (``USD 12.00``, ``12,00 €``), so that a bare ``$`` resolves to it; unset when it names
  several or none.
"""

from __future__ import annotations

import re
from collections import Counter

from extractors.normalize._base import DateOrder, NormalizeHints
from extractors.normalize.currency import ISO_4217

_NUMERIC_DATE = re.compile(r"(?<![\d.,/-])(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/-])")
_TWO_DECIMALS = re.compile(r"(?<![\d.,])\d{1,3}(?:[.,' \u00a0\u202f]?\d{3})*([.,])\d{2}(?![\d.,])")
# A code counts only beside a number: upper-case words like ALL, TOP or PEN are codes too.
_EXPLICIT_CURRENCY = re.compile(
    r"(?:(?<![A-Za-z])(€|£|RM|[A-Z]{3})\s?[-(]?\d)"
    r"|(?:\d[\s\u00a0\u202f]?(€|£|[A-Z]{3})(?![A-Za-z]))"
)
_SYMBOL_CODES = {"€": "EUR", "£": "GBP", "RM": "MYR"}


def hints_from_text(text: str, language: str | None = None) -> NormalizeHints:
    """Hints for every field of the document whose full text is ``text``."""
    return NormalizeHints(
        language=language,
        date_order=infer_date_order(text),
        decimal_comma=infer_decimal_comma(text),
        default_currency=infer_currency(text),
    )


def infer_date_order(text: str) -> DateOrder | None:
    day_first = month_first = 0
    for match in _NUMERIC_DATE.finditer(text):
        first, second = int(match.group(1)), int(match.group(3))
        if first > 12 >= second >= 1:
            day_first += 1
        elif second > 12 >= first >= 1:
            month_first += 1
    if month_first and not day_first:
        return "MDY"
    if day_first and not month_first:
        return "DMY"
    return None


def infer_decimal_comma(text: str) -> bool | None:
    votes = Counter(match.group(1) for match in _TWO_DECIMALS.finditer(text))
    if votes[","] == votes["."]:
        return None
    return votes[","] > votes["."]


def infer_currency(text: str) -> str | None:
    tokens = [before or after for before, after in _EXPLICIT_CURRENCY.findall(text)]
    codes = {
        _SYMBOL_CODES.get(token, token)
        for token in tokens
        if token in _SYMBOL_CODES or token in ISO_4217
    }
    return codes.pop() if len(codes) == 1 else None
