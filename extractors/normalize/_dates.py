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
- Month names and abbreviations in English, German, French, Dutch, Spanish, Italian,
  Portuguese and Polish (nominative ``marzec`` and genitive ``marca``), with or without
  accents (OCR drops them), ordinal suffixes (``3rd``, ``1er``, ``1º``), weekday names
  (``Monday,``, ``lunes``), the linking words ``de``/``del``/``dnia`` (``15 de marzo de
  2024``) and the Polish year mark ``r.``/``roku`` (``15.03.2024 r.``) are understood,
  whatever the language hint: a document's language is not always known. A month
  glued to its numbers (``23DEC17``, ``Dec23``) is read as if spaced.
- Month names are whole tokens, never parts of words. Abbreviations that are also
  ordinary words (``set``, ``ago``, ``out``) count only with a four-digit year or when
  dashes, slashes, dots or glue tie them to the numbers (``15-AGO-24``), so ``5 out of
  10`` is no date. A leading ``mar``/``mar.`` followed by a whole date is the weekday
  (``mardi``, ``martes``, ``martedì``), not March.
- OCR slips inside digit groups are repaired: ``O``/``o`` -> ``0``, ``l``/``I``/``|`` -> ``1``
  (only in tokens that already contain a digit, and never inside a word, so ``Oct`` and
  ``04-Nov-2014`` keep their months).
- Impossible dates (``31.02.2014``) and years outside 1900-2099 give ``None``.
- A trailing time of day (``14:30``, ``14:30:05``, ``11:41:05 AM``, ``T09:05:00+01:00``,
  ``om 14:30 uur``, ``godz. 11:41``) is ignored.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from extractors.normalize._base import DateOrder, NormalizeHints

_MONTHS: dict[str, int] = {}
# Folded (lower case, no accents), one month per entry: English, German, French, then
# Dutch, Spanish, Italian, Portuguese and Polish (nominative, then genitive).
for _number, _names in enumerate(
    (
        "january jan januar janner jaenner janvier janv januari enero ene gennaio gen "
        "janeiro styczen stycznia",
        "february feb februar feber fevrier fevr fev februari febrero febbraio "
        "fevereiro luty lutego",
        "march mar marz maerz mrz mars maart mrt marzo marco marzec marca",
        "april apr avril avr abril abr aprile kwiecien kwietnia",
        "may mai mei mayo maggio mag maio maj maja",
        "june jun juni juin junio giugno giu junho czerwiec czerwca",
        "july jul juli juillet juil julio luglio lug julho lipiec lipca",
        "august aug aout augustus agosto ago sierpien sierpnia",
        "september sep sept septembre septiembre setiembre set settembre setembro "
        "wrzesien wrzesnia",
        "october oct oktober okt octobre octubre ottobre ott outubro out pazdziernik pazdziernika",
        "november nov novembre noviembre novembro listopad listopada",
        "december dec dezember dez decembre diciembre dic dicembre dezembro grudzien grudnia",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number
# Abbreviations that are also everyday words: see ``_textual``.
_WORDLIKE_MONTHS = frozenset(("set", "ago", "out"))
# Weekday abbreviations that are also month abbreviations ("mar." is mardi, martes).
_WEEKDAY_OR_MONTH = frozenset(("mar",))

_WEEKDAY_TEXT = """
monday mon tuesday tue tues wednesday wed thursday thu thur thurs friday fri saturday sat
sunday sun montag mo dienstag di mittwoch mi donnerstag do freitag fr samstag sa sonnabend
sonntag so lundi lun mardi mercredi mer jeudi jeu vendredi ven samedi sam dimanche dim
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
lunes martes miercoles jueves viernes sabado domingo
lunedi martedi mercoledi giovedi venerdi sabato domenica
segunda terca quarta quinta sexta feira
poniedzialek wtorek sroda czwartek piatek sobota niedziela
"""
_WEEKDAYS = frozenset(_WEEKDAY_TEXT.split())
_FILLERS = frozenset(("the", "of", "le", "den", "am", "du", "on", "de", "del", "el", "il", "op"))
_FILLERS_DOTTED = frozenset(("dnia", "dn"))  # Polish "dnia 15 marca 2024", "dn. 15 marca"
# Letters NFKD does not decompose: "poniedziałek" folds to "poniedzialek".
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss"})
# "1º de marzo", "1° gennaio": the ordinal indicator (NFKC would make it an "o", then "10").
_ORDINAL_INDICATOR = re.compile(r"(?<=\d)[º°ª]")
# Polish "15.03.2024 r.", "15 marca 2024 roku": the year mark after the year.
_YEAR_MARK = re.compile(r"(?<=\d)\s*(?:r\.?|roku)$", re.IGNORECASE)

_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})
# A run of look-alikes that is not part of a longer word: "2Ol4" yes, "Nov" and the
# "o" of "15-março-2024" no.
_OCR_RUN = re.compile(r"(?<![^\W\d_])[OolI|]+(?![^\W\d_])")
_TIME = re.compile(
    r"(?:[\sT,]+(?:at|à|às|as|um|a|a\s+las|om|alle|ore|o|godz\.?)?)\s*"
    r"\d{1,2}[:h]\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?"
    r"(?:\s*(?:[ap]\.?m\.?|Uhr|uur|hrs?|h))?\s*$",
    re.IGNORECASE,
)
# "23DEC17", "Dec23": a month name glued to a number (padded only if it is a month).
_LETTERS = re.compile(r"[^\W\d_]{3,}")
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
    text = unicodedata.normalize("NFKC", _ORDINAL_INDICATOR.sub("", raw)).strip()
    text = _TIME.sub("", text).rstrip(" ,;:")
    text = _YEAR_MARK.sub("", text)
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
    folded, glued = _unglue(_fold(text))
    spaced = _GLUED_DOT.sub(". ", folded)
    tokens = [t for t in re.split(r"[\s,/\-]+", spaced) if t]
    tokens = [
        t
        for t in tokens
        if t.rstrip(".") not in _WEEKDAYS
        and t not in _FILLERS
        and t.rstrip(".") not in _FILLERS_DOTTED
    ]
    if len(tokens) == 4 and tokens[0].rstrip(".") in _WEEKDAY_OR_MONTH:
        tokens = tokens[1:]  # "mar. 3 mars 2014", "mar 15 de marzo de 2024": the weekday
    if len(tokens) != 3:
        return None
    month_positions = [i for i, t in enumerate(tokens) if t.rstrip(".") in _MONTHS]
    if len(month_positions) != 1:
        return None
    position = month_positions[0]
    name = tokens[position].rstrip(".")
    month = _MONTHS[name]
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
    year_text = year_match.group(1)
    if name in _WORDLIKE_MONTHS and len(year_text) != 4:
        # "5 out of 10", "2 set 20": words, unless tied to the numbers like a date
        tied = glued or tokens[position].endswith(".") or any(c in text for c in "-/")
        if not tied:
            return None
    return _make(_year(year_text), month, int(day_match.group(1)))


def _unglue(text: str) -> tuple[str, bool]:
    """``text`` with a space between a month name and a number glued to it (``23dec17``
    -> ``23 dec 17``), and whether there was one. Other letters stay glued: ``3rd``."""
    glued = False

    def pad(match: re.Match[str]) -> str:
        nonlocal glued
        word, start, end = match.group(0), match.start(), match.end()
        if word not in _MONTHS:
            return word
        before = start > 0 and text[start - 1].isdigit()
        after = end < len(text) and text[end].isdigit()
        glued = glued or before or after
        return f"{' ' if before else ''}{word}{' ' if after else ''}"

    return _LETTERS.sub(pad, text), glued


def _fold(text: str) -> str:
    """Lower case without accents, so ``févr.``, ``Février`` and ``fevrier`` match (and
    ``Październik`` and ``pazdziernik``)."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_UNDECOMPOSED))
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
