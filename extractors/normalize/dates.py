"""Dates as printed on invoices, receipts and letters -> ISO ``YYYY-MM-DD``.

Rules (the tests pin each one):
- Numeric day/month forms (``03.08.2014``, ``08/03/14``) are read in the order the hints
  give (``date_order``, or ``MDY`` for ``language="en"`` with ``default_currency="USD"``),
  otherwise day-first. If the preferred order is impossible (``12/31/2014`` read DMY)
  and the other order is valid, the other order wins. ``date_is_ambiguous`` tells the
  caller when both orders are valid and differ, so it can lower its confidence; dotted
  dates (``03.08.2014``) are never ambiguous because no month-first convention uses dots.
  ``date_order="YMD"`` reads ``14/08/03`` as 2014-08-03.
- A leading four-digit year means year-month-day (``2014-08-03``, ``2014/8/3``); eight
  bare digits are ``YYYYMMDD`` (or ``DDMMYYYY`` when that is the only valid reading).
- Two-digit years pivot like POSIX ``strptime``: 00-68 -> 2000-2068, 69-99 -> 1969-1999.
- Month names and abbreviations in English, German and French, with or without accents,
  ordinal suffixes (``3rd``, ``1er``) and weekday names (``Monday,``) are understood.
- OCR slips inside digit groups are repaired: ``O``/``o`` -> ``0``, ``l``/``I``/``|`` -> ``1``
  (only in tokens that already contain a digit, and never inside a word, so ``Oct`` and
  ``04-Nov-2014`` keep their months).
- Impossible dates (``31.02.2014``) and years outside 1900-2099 give ``None``.
- A trailing time of day (``14:30``, ``14:30:05``) is ignored.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from extractors.normalize.base import DateOrder, NormalizeHints

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan januar janner jaenner janvier janv",
        "february feb februar feber fevrier fevr fev",
        "march mar marz maerz mrz mars",
        "april apr avril avr",
        "may mai",
        "june jun juni juin",
        "july jul juli juillet juil",
        "august aug aout",
        "september sep sept septembre",
        "october oct oktober okt octobre",
        "november nov novembre",
        "december dec dezember dez decembre",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_WEEKDAY_TEXT = """
monday mon tuesday tue tues wednesday wed thursday thu thur thurs friday fri saturday sat
sunday sun montag mo dienstag di mittwoch mi donnerstag do freitag fr samstag sa sonnabend
sonntag so lundi lun mardi mercredi mer jeudi jeu vendredi ven samedi sam dimanche dim
"""
_WEEKDAYS = frozenset(_WEEKDAY_TEXT.split())
_FILLERS = frozenset(("the", "of", "le", "den", "am", "du", "on"))

_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})
# A run of look-alikes that is not part of a longer word: "2Ol4" yes, "Nov" no.
_OCR_RUN = re.compile(r"(?<![A-Za-z])[OolI|]+(?![A-Za-z])")
_TIME = re.compile(
    r"(?:[\sT,]+(?:at|à|um|a)?)\s*\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*(?:[ap]\.?m\.?|Uhr))?\s*$",
    re.IGNORECASE,
)
# "3.August 2014", "3.Aug.2014": a dot glued between a number and a month name.
_GLUED_DOT = re.compile(r"(?<=\d)\.(?=[^\W\d_])|(?<=[^\W\d_])\.(?=\d)")
_ISO = re.compile(r"^(\d{4})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})\.?$")
_NUMERIC = re.compile(r"^(\d{1,2})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})\.?$")
_COMPACT = re.compile(r"^\d{8}$")
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|er|re|e|\.)?$")
_YEAR = re.compile(r"^(\d{2}|\d{4})$")

YEAR_MIN = 1900
YEAR_MAX = 2099


def normalize_date(raw: str, hints: NormalizeHints | None = None) -> str | None:
    """``raw`` as ``YYYY-MM-DD``, or ``None`` if it is not one valid date."""
    found = _parse(raw, hints)
    return found.isoformat() if found is not None else None


def parse_date(raw: str, hints: NormalizeHints | None = None) -> dt.date | None:
    """Like ``normalize_date`` but returns the ``date`` itself."""
    return _parse(raw, hints)


def date_is_ambiguous(raw: str, hints: NormalizeHints | None = None) -> bool:
    """True when ``raw`` is a numeric day/month date that reads as two different valid
    dates (``08/03/14``) and the hints do not settle the order."""
    if hints is not None and _preferred_order(hints) is not None:
        return False
    match = _NUMERIC.match(_clean(raw))
    if match is None:
        return False
    first, separator, second, year_text = match.groups()
    if separator == ".":
        return False  # dotted dates are day-first wherever they are written
    year = _year(year_text)
    dmy = _make(year, int(second), int(first))
    mdy = _make(year, int(first), int(second))
    return dmy is not None and mdy is not None and dmy != mdy


def _parse(raw: str, hints: NormalizeHints | None) -> dt.date | None:
    text = _clean(raw)
    if not text:
        return None
    match = _ISO.match(text)
    if match:
        year, _, month, day = match.groups()
        return _make(int(year), int(month), int(day))
    match = _NUMERIC.match(text)
    if match:
        first, separator, second, year_text = match.groups()
        if _preferred_order(hints) == "YMD" and len(first) == 2:
            return _make(_year(first), int(second), int(year_text))
        if separator == ".":  # no month-first convention writes dots: 07.11.2020 is 7 Nov
            return _make(_year(year_text), int(second), int(first))
        return _numeric(int(first), int(second), _year(year_text), hints)
    if _COMPACT.match(text):
        return _make(int(text[:4]), int(text[4:6]), int(text[6:])) or _make(
            int(text[4:]), int(text[2:4]), int(text[:2])
        )
    return _textual(text)


def _clean(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).strip()
    text = _TIME.sub("", text)
    tokens = [
        _OCR_RUN.sub(lambda m: m.group(0).translate(_OCR_DIGITS), token)
        if any(c.isdigit() for c in token)
        else token
        for token in text.split()
    ]
    return " ".join(tokens).strip(" ,;:")


def _preferred_order(hints: NormalizeHints | None) -> DateOrder | None:
    if hints is None:
        return None
    if hints.date_order is not None:
        return hints.date_order
    if hints.language == "en" and hints.default_currency == "USD":
        return "MDY"
    return None


def _numeric(first: int, second: int, year: int, hints: NormalizeHints | None) -> dt.date | None:
    dmy = _make(year, second, first)
    mdy = _make(year, first, second)
    if _preferred_order(hints) == "MDY":
        return mdy or dmy
    return dmy or mdy


def _textual(text: str) -> dt.date | None:
    spaced = _GLUED_DOT.sub(". ", _fold(text))
    tokens = [t for t in re.split(r"[\s,/\-]+", spaced) if t]
    tokens = [t for t in tokens if t.rstrip(".") not in _WEEKDAYS and t not in _FILLERS]
    if len(tokens) != 3:
        return None
    month_positions = [i for i, t in enumerate(tokens) if t.rstrip(".") in _MONTHS]
    if len(month_positions) != 1:
        return None
    position = month_positions[0]
    month = _MONTHS[tokens[position].rstrip(".")]
    rest = [t for i, t in enumerate(tokens) if i != position]
    if position == 1 and len(rest[0]) == 4 and rest[0].isdigit():
        year_token, day_token = rest  # 2014 Aug 03
    elif position in (0, 1):
        day_token, year_token = rest  # 3 August 2014, August 3 2014
    else:
        return None
    day_match = _ORDINAL.match(day_token)
    year_match = _YEAR.match(year_token.rstrip("."))
    if day_match is None or year_match is None:
        return None
    return _make(_year(year_match.group(1)), month, int(day_match.group(1)))


def _fold(text: str) -> str:
    """Lower case without accents, so ``févr.``, ``Février`` and ``fevrier`` match."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _year(text: str) -> int:
    value = int(text)
    if len(text) == 2:
        return 2000 + value if value <= 68 else 1900 + value
    return value


def _make(year: int, month: int, day: int) -> dt.date | None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
