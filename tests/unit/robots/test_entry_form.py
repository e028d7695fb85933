from __future__ import annotations

from decimal import Decimal

import pytest

from clerk.errors import ApplicationError
from robots.bots._entry_form import compare

EXPECTED = {
    "reference": "A-1",
    "total": Decimal("35.70"),
    "lines": [("Paper  A4", Decimal("2"), Decimal("10"), Decimal("20.00"))],
}


def test_same_document_passes_despite_formatting() -> None:
    compare(
        "INV-1",
        EXPECTED,
        {"reference": "A-1", "total": "35.7", "lines": [("Paper A4", "2", "10.00", "20")]},
    )


def test_differences_are_named() -> None:
    with pytest.raises(ApplicationError) as caught:
        compare(
            "INV-2",
            EXPECTED,
            {"reference": "A-2", "total": "35.70", "lines": [("Paper A4", "3", "10", "20")]},
        )
    assert caught.value.code == "ENTRY_MISMATCH"
    assert "reference: meant 'A-1', saved 'A-2'" in caught.value.message
    assert "line 1" in caught.value.message and "INV-2" in caught.value.message
    with pytest.raises(ApplicationError, match="lines: meant 1, saved 0"):
        compare("INV-3", EXPECTED, {"reference": "A-1", "total": "35.70", "lines": []})
