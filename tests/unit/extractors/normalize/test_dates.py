"""Dates: every convention the corpus and real documents use, round-tripped."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from extractors.normalize import NormalizeHints, date_is_ambiguous, normalize_date, parse_date

EN = "January February March April May June July August September October November December"
DE = "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
FR = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
FR_ABBR = "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc."
EN_MONTHS, DE_MONTHS, FR_MONTHS = EN.split(), DE.split(), FR.split()
FR_ABBR_MONTHS = FR_ABBR.split()


def _random_dates(count: int, seed: int, start: int = 1970, end: int = 2060) -> list[dt.date]:
    rng = random.Random(seed)
    first, last = dt.date(start, 1, 1).toordinal(), dt.date(end, 12, 31).toordinal()
    return [dt.date.fromordinal(rng.randint(first, last)) for _ in range(count)]


def _formats(d: dt.date) -> list[str]:
    m = d.month - 1
    return [
        f"{d:%d.%m.%Y}",
        f"{d.day}.{d.month}.{d.year}",
        f"{d:%Y-%m-%d}",
        f"{d:%Y%m%d}",
        f"{d:%Y/%m/%d}",
        f"{d.day} {EN_MONTHS[m]} {d.year}",
        f"{d.day} {EN_MONTHS[m][:3]} {d.year}",
        f"{EN_MONTHS[m]} {d.day}, {d.year}",
        f"{EN_MONTHS[m][:3]} {d.day} {d.year}",
        f"{EN_MONTHS[m][:3]}. {d.day}, {d.year}",
        f"{d:%d}-{EN_MONTHS[m][:3]}-{d.year}",
        f"{d.day}. {DE_MONTHS[m]} {d.year}",
        f"{d:%d}. {DE_MONTHS[m]} {d.year}",
        f"{d.day} {FR_MONTHS[m]} {d.year}",
        f"{d:%d} {FR_ABBR_MONTHS[m]} {d.year}",
        f"{d.year} {EN_MONTHS[m][:3]} {d:%d}",
        f"{d:%A}, {d.day} {EN_MONTHS[m]} {d.year}",
        f"{d:%d.%m.%Y} 14:35",
        f"{d:%Y-%m-%d}T09:05:00",
    ]


@pytest.mark.parametrize("d", _random_dates(300, seed=7), ids=str)
def test_round_trip_over_conventions(d: dt.date) -> None:
    for text in _formats(d):
        assert normalize_date(text) == d.isoformat(), text


@pytest.mark.parametrize("d", _random_dates(200, seed=11), ids=str)
def test_round_trip_slashes_with_order_hints(d: dt.date) -> None:
    us = NormalizeHints(language="en", date_order="MDY")
    uk = NormalizeHints(language="en", date_order="DMY")
    assert normalize_date(f"{d:%m/%d/%Y}", us) == d.isoformat()
    assert normalize_date(f"{d.month}/{d.day}/{d:%y}", us) == d.isoformat()
    assert normalize_date(f"{d:%d/%m/%Y}", uk) == d.isoformat()
    assert normalize_date(f"{d:%d/%m/%y}", uk) == d.isoformat()
    assert normalize_date(f"{d:%d/%m/%Y}") == d.isoformat()  # no hints: day first


@pytest.mark.parametrize("d", _random_dates(100, seed=3), ids=str)
def test_round_trip_through_ocr_slips(d: dt.date) -> None:
    text = f"{d:%d.%m.%Y}"
    slipped = text.replace("0", "O").replace("1", "l")
    assert normalize_date(slipped) == d.isoformat()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03.08.2014", "2014-08-03"),
        ("3.8.2014", "2014-08-03"),
        ("3 August 2014", "2014-08-03"),
        ("3. August 2014", "2014-08-03"),
        ("August 3, 2014", "2014-08-03"),
        ("Aug 3 2014", "2014-08-03"),
        ("3 août 2014", "2014-08-03"),
        ("3 aout 2014", "2014-08-03"),
        ("03 févr. 2014", "2014-02-03"),
        ("3. März 2014", "2014-03-03"),
        ("3. Maerz 2014", "2014-03-03"),
        ("3. Jänner 2014", "2014-01-03"),
        ("1er mars 2014", "2014-03-01"),
        ("Monday, 3rd of August 2014", "2014-08-03"),
        ("lundi 3 août 2014", "2014-08-03"),
        ("Mo., 3. August 2014", "2014-08-03"),
        ("2014-08-03", "2014-08-03"),
        ("20140803", "2014-08-03"),
        ("03082014", "2014-08-03"),  # DDMMYYYY when YYYYMMDD is impossible
        ("O3.O8.2Ol4", "2014-08-03"),
        ("3l.l2.2014", "2014-12-31"),
        ("03.08.14", "2014-08-03"),
        ("03.08.68", "2068-08-03"),  # two-digit pivot: 00-68 -> 20xx
        ("03.08.69", "1969-08-03"),  # 69-99 -> 19xx
        ("08/03/14", "2014-03-08"),  # no hints: day first
        ("12/31/2014", "2014-12-31"),  # only month-first is valid
        ("  03.08.2014.  ", "2014-08-03"),
        ("03 . 08 . 2014", "2014-08-03"),
    ],
)
def test_named_formats(raw: str, expected: str) -> None:
    assert normalize_date(raw) == expected


def test_hints_pick_the_order() -> None:
    assert normalize_date("08/03/14", NormalizeHints(date_order="MDY")) == "2014-08-03"
    assert normalize_date("08/03/14", NormalizeHints(date_order="DMY")) == "2014-03-08"
    # en + USD is the US convention; en alone is British/European
    us = NormalizeHints(language="en", default_currency="USD")
    assert normalize_date("08/03/14", us) == "2014-08-03"
    assert normalize_date("08/03/14", NormalizeHints(language="en")) == "2014-03-08"
    # a hinted order that is impossible yields to the valid one
    assert normalize_date("31/12/2014", NormalizeHints(date_order="MDY")) == "2014-12-31"
    assert normalize_date("14/08/03", NormalizeHints(date_order="YMD")) == "2014-08-03"


@pytest.mark.parametrize(
    ("raw", "ambiguous"),
    [
        ("08/03/14", True),
        ("08/03/2014", True),
        ("13/03/2014", False),
        ("03/03/2014", False),  # both readings give the same day
        ("03.08.2014", False),  # dots are day-first everywhere
        ("3 August 2014", False),
        ("2014-08-03", False),
        ("garbage", False),
    ],
)
def test_ambiguity(raw: str, ambiguous: bool) -> None:
    assert date_is_ambiguous(raw) is ambiguous


def test_an_order_hint_settles_ambiguity() -> None:
    assert not date_is_ambiguous("08/03/14", NormalizeHints(date_order="MDY"))


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "31.02.2014",
        "29.02.2015",
        "32.01.2014",
        "13/13/2014",
        "2014-13-01",
        "2014-02-30",
        "00.01.2014",
        "03.08.1850",
        "03.08.2150",
        "12345678",
        "3 Smarch 2014",
        "August 2014",
        "3 August",
        "August 3 March 2014",
        "Invoice 2014",
        "1.2.3.4",
        "03-08/2014",
        "O3.O8.2O1",
    ],
)
def test_garbage_is_rejected(raw: str) -> None:
    assert normalize_date(raw) is None


def test_leap_day() -> None:
    assert normalize_date("29.02.2016") == "2016-02-29"
    assert parse_date("29 February 2016") == dt.date(2016, 2, 29)


@pytest.mark.parametrize(
    "raw",
    [
        "3.August 2014",
        "3.Aug.2014",
        "03.08.2014 14:30 Uhr",
        "03.08.2014 um 14:30 Uhr",
        "3 août 2014 à 14h30",
        "August 3, 2014 at 2:30 pm",
        "Sunday, August 3, 2014",
    ],
)
def test_glued_dots_and_times(raw: str) -> None:
    assert normalize_date(raw) == "2014-08-03"
