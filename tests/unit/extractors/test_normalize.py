"""``normalize(kind, raw, hints)``: the one entry point the field extractor calls."""

from __future__ import annotations

import dataclasses
from typing import get_args

import pytest

from clerk.schemas import SCHEMAS, FieldKind
from extractors.normalize import Normalized, NormalizeHints, normalize

EXAMPLES: dict[str, tuple[str, Normalized]] = {
    "text": (" : INV-2024-001 #", Normalized("INV-2024-001")),
    "date": ("3. März 2014", Normalized("2014-03-03")),
    "amount": ("1.234,56 €", Normalized("1234.56", "EUR")),
    "number": ("2,5", Normalized("2.5")),
    "currency": ("Fr.", Normalized("CHF")),
    "iban": ("de89 3704 0044 0532 0130 00", Normalized("DE89370400440532013000")),
    "vat_id": ("CHE-123.456.789 MWST", Normalized("CHE123456789MWST")),
}


def test_every_field_kind_has_a_normalizer() -> None:
    assert set(EXAMPLES) == set(get_args(FieldKind))
    for kind, (raw, expected) in EXAMPLES.items():
        assert normalize(kind, raw) == expected, kind  # type: ignore[arg-type]


def test_every_schema_field_kind_is_covered() -> None:
    kinds = {spec.kind for schema in SCHEMAS.values() for spec in schema.fields}
    kinds |= {f.kind for s in SCHEMAS.values() for g in s.groups for f in g.fields}
    assert kinds <= set(EXAMPLES)


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("text", "  "),
        ("date", "31.02.2014"),
        ("amount", "twelve"),
        ("number", "a few"),
        ("currency", "XYZ"),
        ("iban", "DE00 3704 0044 0532 0130 00"),
        ("vat_id", "DE12345"),
    ],
)
def test_cannot_normalize_is_none(kind: FieldKind, raw: str) -> None:
    assert normalize(kind, raw) is None


def test_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown field kind 'colour'.*vat_id"):
        normalize("colour", "red")  # type: ignore[arg-type]


def test_hints_reach_the_normalizers() -> None:
    us = NormalizeHints(language="en", date_order="MDY", decimal_comma=False)
    de = NormalizeHints(language="de")
    assert normalize("date", "08/03/14", us) == Normalized("2014-08-03")
    assert normalize("date", "08/03/14", de) == Normalized("2014-03-08")
    assert normalize("number", "1.000", de) == Normalized("1000")
    assert normalize("number", "1.000", us) == Normalized("1")
    assert normalize("currency", "$", NormalizeHints(default_currency="CAD")) == Normalized("CAD")


def test_value_types_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Normalized("1.00").value = "2.00"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        NormalizeHints().language = "de"  # type: ignore[misc]


def test_language_implies_the_decimal_separator() -> None:
    assert NormalizeHints(language="de").uses_decimal_comma() is True
    assert NormalizeHints(language="fr").uses_decimal_comma() is True
    assert NormalizeHints(language="en").uses_decimal_comma() is False
    assert NormalizeHints().uses_decimal_comma() is None
    assert NormalizeHints(language="de", decimal_comma=False).uses_decimal_comma() is False
