"""Dates in Dutch, Spanish, Italian, Portuguese and Polish, and as shop receipts print them."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from extractors.normalize import NormalizeHints, date_is_ambiguous, normalize, normalize_date
from extractors.normalize._dates import _MONTHS, _WEEKDAYS

NL = "januari februari maart april mei juni juli augustus september oktober november december"
NL_ABBR = "jan feb mrt apr mei jun jul aug sep okt nov dec"
ES = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
ES_ABBR = "ene feb mar abr may jun jul ago sep oct nov dic"
IT = "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"
IT_ABBR = "gen feb mar apr mag giu lug ago set ott nov dic"
PT = "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro"
PT_ABBR = "jan fev mar abr mai jun jul ago set out nov dez"
PL_NOMINATIVE = (
    "styczeń luty marzec kwiecień maj czerwiec lipiec sierpień wrzesień październik listopad"
    " grudzień"
)
PL_GENITIVE = (
    "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada"
    " grudnia"
)
# Every word stands for its month; the full names carry their accents.
LANGUAGES = {
    "nl": NL.split(),
    "nl-abbr": NL_ABBR.split(),
    "es": ES.split(),
    "es-abbr": ES_ABBR.split(),
    "it": IT.split(),
    "it-abbr": IT_ABBR.split(),
    "pt": PT.split(),
    "pt-abbr": PT_ABBR.split(),
    "pl-nom": PL_NOMINATIVE.split(),
    "pl-gen": PL_GENITIVE.split(),
}


def _random_dates(count: int, seed: int, start: int = 1970, end: int = 2060) -> list[dt.date]:
    rng = random.Random(seed)
    first, last = dt.date(start, 1, 1).toordinal(), dt.date(end, 12, 31).toordinal()
    return [dt.date.fromordinal(rng.randint(first, last)) for _ in range(count)]


def _strip_accents(text: str) -> str:
    table = str.maketrans("ąćęłńóśźżçãõéèíúì", "acelnoszzcaoeeiui")
    return text.translate(table).translate(str.maketrans("ĄĆĘŁŃÓŚŹŻ", "ACELNOSZZ"))


def _spellings(d: dt.date, names: list[str]) -> list[str]:
    name = names[d.month - 1]
    return [
        f"{d.day} {name} {d.year}",
        f"{d:%d} {name} {d.year}",
        f"{d.day} {name.capitalize()} {d.year}",
        f"{d.day} {name.upper()} {d.year}",
        f"{d.day} {_strip_accents(name)} {d.year}",
        f"{d.day} {_strip_accents(name).upper()} {d.year}",
        f"{d.day} de {name} de {d.year}",  # es, pt; harmless elsewhere
        f"{d.day}. {name} {d.year}",
        f"{d:%d}-{name}-{d.year}",
        f"{d:%d}/{name}/{d.year}",
        f"{name.capitalize()} {d.day}, {d.year}",
        f"{d.day} {name} {d.year} 11:41",
    ]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("d", _random_dates(40, seed=19), ids=str)
def test_round_trip_per_language(language: str, d: dt.date) -> None:
    for text in _spellings(d, LANGUAGES[language]):
        assert normalize_date(text) == d.isoformat(), text


@pytest.mark.parametrize("language", [k for k in sorted(LANGUAGES) if k.endswith("-abbr")])
@pytest.mark.parametrize("d", _random_dates(40, seed=23), ids=str)
def test_abbreviations_with_dots_and_glued(language: str, d: dt.date) -> None:
    name = LANGUAGES[language][d.month - 1]
    for text in (
        f"{d:%d} {name}. {d.year}",
        f"{d:%d}.{name}.{d.year}",
        f"{d:%d}-{name.upper()}-{d:%y}",
        f"{d:%d}{name.upper()}{d:%y}",
        f"{d:%d}{name.capitalize()}{d.year}",
    ):
        assert normalize_date(text) == d.isoformat(), text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Dutch
        ("15 maart 2024", "2024-03-15"),
        ("15 mrt. 2024", "2024-03-15"),
        ("1 mei 2024", "2024-05-01"),
        ("3 okt 2023", "2023-10-03"),
        ("maandag 15 januari 2024", "2024-01-15"),
        ("23-12-2017 om 11:41 uur", "2017-12-23"),
        ("15 sept. 2024", "2024-09-15"),
        # Spanish
        ("15 de marzo de 2024", "2024-03-15"),
        ("15 de marzo del 2024", "2024-03-15"),
        ("martes, 15 de marzo de 2024", "2024-03-15"),
        ("mar 15 de marzo de 2024", "2024-03-15"),  # the weekday, then March
        ("1º de enero de 2024", "2024-01-01"),
        ("7 dic. 2023", "2023-12-07"),
        ("7 set 2023", "2023-09-07"),
        ("7 setiembre 2023", "2023-09-07"),
        ("15 ene 24", "2024-01-15"),
        ("15-AGO-24", "2024-08-15"),
        ("15/03/2024 a las 11:41", "2024-03-15"),
        # Italian
        ("1° gennaio 2024", "2024-01-01"),
        ("lunedì 15 aprile 2024", "2024-04-15"),
        ("15 giu. 2024", "2024-06-15"),
        ("15 lug 2024", "2024-07-15"),
        ("15 ott 2024", "2024-10-15"),
        ("15 mag 2024", "2024-05-15"),
        ("15 agosto 2024", "2024-08-15"),
        ("15 ago 2024", "2024-08-15"),
        # Portuguese
        ("15 de março de 2024", "2024-03-15"),
        ("15 de marco de 2024", "2024-03-15"),
        ("15-março-2024", "2024-03-15"),  # the o after ç is a letter, not an OCR zero
        ("segunda-feira, 15 de abril de 2024", "2024-04-15"),
        ("15 OUT 2024", "2024-10-15"),
        ("15 dez. 2024", "2024-12-15"),
        # Polish
        ("15 marca 2024 r.", "2024-03-15"),
        ("15 marca 2024 roku", "2024-03-15"),
        ("dnia 15 października 2024 r.", "2024-10-15"),
        ("15 pazdziernika 2024", "2024-10-15"),
        ("15 PAŹDZIERNIK 2024", "2024-10-15"),
        ("1 września 2024", "2024-09-01"),
        ("1 wrzesnia 2024", "2024-09-01"),
        ("3 maja 2024", "2024-05-03"),
        ("3 maj 2024", "2024-05-03"),
        ("poniedziałek, 15 stycznia 2024", "2024-01-15"),
        ("2024-03-15 r.", "2024-03-15"),
        ("15.03.2024 r.", "2024-03-15"),
        ("15.03.2024r.", "2024-03-15"),
        ("15.03.2024 r., godz. 11:41", "2024-03-15"),
        # French weekday abbreviation that is also a month abbreviation
        ("mar. 3 mars 2014", "2014-03-03"),
    ],
)
def test_named_formats_per_language(raw: str, expected: str) -> None:
    assert normalize_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("23/12/17", "2017-12-23"),
        ("23-12-2017", "2017-12-23"),
        ("23.12.17", "2017-12-23"),
        ("2017-12-23", "2017-12-23"),
        ("23 Dec 2017", "2017-12-23"),
        ("23DEC17", "2017-12-23"),
        ("23Dec2017", "2017-12-23"),
        ("23-Dec-2017", "2017-12-23"),
        ("23-DEC-17", "2017-12-23"),
        ("Dec 23, 2017", "2017-12-23"),
        ("Dec23, 2017", "2017-12-23"),
        ("DEC 23 2017", "2017-12-23"),
        ("23/12/2017 11:41", "2017-12-23"),
        ("23/12/2017 11:41:05", "2017-12-23"),
        ("23/12/2017 11:41:05 AM", "2017-12-23"),
        ("23/12/17 11:41 PM", "2017-12-23"),
        ("23.12.2017 11:41", "2017-12-23"),
        ("23 DEC 17 11:41", "2017-12-23"),
        ("2017-12-23 11:41:05", "2017-12-23"),
        ("2017-12-23T11:41:05Z", "2017-12-23"),
        ("2017-12-23T11:41:05.123+01:00", "2017-12-23"),
        ("O1DEC2O17", "2017-12-01"),  # OCR zeros around a glued month
        ("23OCT17", "2017-10-23"),  # the O of OCT stays a letter
    ],
)
def test_receipt_dates(raw: str, expected: str) -> None:
    assert normalize_date(raw) == expected


def test_receipt_dates_through_the_dispatcher_with_hints() -> None:
    dmy = NormalizeHints(date_order="DMY")
    assert normalize("date", "23/12/2017 11:41:05 AM", dmy) is not None
    assert normalize_date("12/23/2017 11:41 PM", NormalizeHints(date_order="MDY")) == "2017-12-23"
    assert normalize_date("05/06/17 11:41", dmy) == "2017-06-05"
    assert date_is_ambiguous("05/06/17 11:41")
    assert not date_is_ambiguous("15.03.2024 r.")


@pytest.mark.parametrize(
    "raw",
    [
        "03-6258 7191",  # a phone number
        "0000000111000395667",  # a serial
        "12/34/5678",
        "+48 22 123 45 67",
        "5 out of 10",  # "out" is October in Portuguese, but only beside a date's numbers
        "2 set 20",
        "10 days ago 2020",
        "marzo 2024",  # no day
        "15 marzo",  # no year
        "15 de marzo de",
        "31 kwietnia 2024",  # April has 30 days
        "29 lutego 2023",
        "15 marca 1850",
        "15 mar marzo 2024",  # two months
        "15 Smarzo 2024",
        "ab12may24",  # a code, not a date
        "3rd",
        "r.",
        "2024 r.",
        "mar. 3 2014 4",
    ],
)
def test_non_dates_are_rejected(raw: str) -> None:
    assert normalize_date(raw) is None


def test_month_words_are_whole_tokens() -> None:
    # "mei", "maj", "set", "ago" inside longer words are no months
    for raw in ("15 meisje 2024", "15 majestic 2024", "15 sets 2024", "15 agosti 2024"):
        assert normalize_date(raw) is None, raw


def test_no_month_word_is_also_a_weekday_or_two_letters() -> None:
    assert not set(_MONTHS) & _WEEKDAYS
    assert all(len(name) >= 3 for name in _MONTHS)
