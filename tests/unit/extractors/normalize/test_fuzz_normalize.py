"""Property tests (hypothesis) of the normalizers: any text, under any hints, gives a
value or None, never an exception (the only documented error is ``ValueError`` for an
unknown field kind); a normalized value reads back as itself; values Clerk writes
(ISO dates, plain decimals, valid IBANs, ISO currency codes) round-trip.

The bad-input kinds tried here are listed in ``docs/fuzzing.md``. Budget: 150 examples
per property (about 5 s in all).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clerk.schemas import FieldKind
from extractors.normalize import (
    ISO_4217,
    NormalizeHints,
    date_is_ambiguous,
    format_amount,
    hints_from_text,
    iban_check_digits,
    iban_is_valid,
    normalize,
    normalize_amount,
    normalize_currency,
    normalize_date,
    normalize_iban,
    parse_decimal,
)
from extractors.normalize.ids import IBAN_LENGTHS, NUMERIC_BBAN

KINDS: tuple[FieldKind, ...] = get_args(FieldKind)
FUZZ = settings(max_examples=150, deadline=None)

# Any code point, lone surrogates and controls included.
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
# Text made of what the normalizers look for, so the fuzz gets past the first check.
_PIECES = [
    *"0123456789", *".,'’ -−–()/:", "\u00a0", "\u202f", "€", "$", "£", "Fr.", "CHF", "EUR",
    "usd", "O", "l", "I", "x", "kg", "pcs", "Jan", "März", "févr.", "December", "dec",
    "2024", "1e999999", "NaN", "Infinity", "DE", "GB", "CHE-", "MWST", "\x00", "\u0301",
]  # fmt: skip
shaped_text = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)
long_digits = st.integers(min_value=19, max_value=400).map(lambda n: "9" * n)
raw_text = st.one_of(any_text, shaped_text, long_digits)
hints = st.one_of(
    st.none(),
    st.builds(
        NormalizeHints,
        language=st.sampled_from([None, "en", "de", "fr", "xx", ""]),
        date_order=st.sampled_from([None, "DMY", "MDY", "YMD"]),
        decimal_comma=st.sampled_from([None, True, False]),
        default_currency=st.sampled_from([None, "EUR", "USD", "CHF", "", "???"]),
    ),
)


@FUZZ
@given(kind=st.sampled_from(KINDS), raw=raw_text, h=hints)
def test_any_text_gives_a_value_or_none_and_the_value_reads_back_as_itself(
    kind: FieldKind, raw: str, h: NormalizeHints | None
) -> None:
    result = normalize(kind, raw, h)
    if result is None or kind == "text":
        return
    again = normalize(kind, result.value, h)
    assert again is not None and again.value == result.value, (kind, raw, result)


@FUZZ
@given(raw=raw_text, h=hints)
def test_the_helpers_never_raise(raw: str, h: NormalizeHints | None) -> None:
    hints_from_text(raw)
    date_is_ambiguous(raw, h)
    parse_decimal(raw)
    iban_is_valid(raw)


def test_an_unknown_kind_is_the_one_documented_error() -> None:
    with pytest.raises(ValueError, match="unknown field kind"):
        normalize("colour", "red")  # type: ignore[arg-type]


@FUZZ
@given(
    value=st.decimals(
        min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=2, allow_nan=False
    )
)
def test_amounts_round_trip(value: Decimal) -> None:
    written = format_amount(value)
    assert Decimal(written) == value
    result = normalize_amount(written)
    assert result is not None and result.value == written
    # The same amount as a German document prints it: 1.234.567,89
    german = f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    result = normalize_amount(german, NormalizeHints(language="de"))
    assert result is not None and Decimal(result.value) == value, german


@FUZZ
@given(day=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)), h=hints)
def test_dates_round_trip(day: dt.date, h: NormalizeHints | None) -> None:
    assert normalize_date(day.isoformat(), h) == day.isoformat()
    assert normalize_date(day.strftime("%d %B %Y"), h) == day.isoformat()
    assert normalize_date(day.strftime("%d.%m.%Y"), NormalizeHints(date_order="DMY")) == (
        day.isoformat()
    )


@FUZZ
@given(country=st.sampled_from(sorted(IBAN_LENGTHS)), data=st.data())
def test_ibans_built_with_their_check_digits_are_valid_and_one_wrong_digit_is_not(
    country: str, data: st.DataObject
) -> None:
    length = IBAN_LENGTHS[country] - 4
    alphabet = "0123456789" if country in NUMERIC_BBAN else "0123456789ABCDEFGHJKMNPQRSTUVWXYZ"
    bban = data.draw(st.text(alphabet, min_size=length, max_size=length))
    iban = country + iban_check_digits(country, bban) + bban
    spaced = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    assert normalize_iban(spaced) == iban
    position = data.draw(st.integers(4, len(iban) - 1).filter(lambda i: iban[i].isdigit()))
    digit = data.draw(st.sampled_from("0123456789").filter(lambda d: d != iban[position]))
    assert not iban_is_valid(iban[:position] + digit + iban[position + 1 :])


@FUZZ
@given(code=st.sampled_from(sorted(ISO_4217)), h=hints)
def test_currency_codes_round_trip(code: str, h: NormalizeHints | None) -> None:
    assert normalize_currency(code, h) == code
    assert normalize_currency(f" {code.lower()} ", h) == code
