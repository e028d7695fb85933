"""Text fields: whitespace collapsed, label punctuation trimmed."""

from __future__ import annotations

import pytest

from extractors.normalize import normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  INV-2024-001 ", "INV-2024-001"),
        (": INV-001", "INV-001"),
        ("# 4711", "4711"),
        ("ACME   Trading\n GmbH", "ACME Trading GmbH"),
        ("ACME Inc.", "ACME Inc."),  # the abbreviation's dot stays
        ("Müller & Söhne:", "Müller & Söhne"),
        ("- Widget, blue;", "Widget, blue"),
        ("\u00a0PO\u00a0123\u00a0", "PO 123"),
    ],
)
def test_cleaning(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", ": #", "\n\t", "-"])
def test_nothing_left_is_none(raw: str) -> None:
    assert normalize_text(raw) is None
