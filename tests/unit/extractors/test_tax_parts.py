"""A tax printed in parts (``extractors._tax_parts``): their sum where net and total agree."""

from __future__ import annotations

from clerk.documents import Field, document_text
from extractors._tax_parts import PARTS_CONFIDENCE, merge_tax_parts
from extractors.normalize import hints_from_text
from tests.unit.extractors.ner_support import make_document

TEXT = "Taxable Value 36,500.00\nCGST @ 9% 3,285.00\nSGST @ 9% 3,285.00\nGrand Total 43,070.00"
NET = Field("net_amount", "36,500.00", "36500.00", 0.85)
TOTAL = Field("total_amount", "43,070.00", "43070.00", 0.97)


def _merged(text: str, fields: list[Field]) -> dict[str, Field]:
    source = document_text(make_document([text]))
    return {f.name: f for f in merge_tax_parts(fields, source, hints_from_text(text))}


def test_the_parts_that_add_up_to_total_minus_net_are_the_tax() -> None:
    tax = _merged(TEXT, [NET, TOTAL])["tax_amount"]
    assert (tax.value, tax.confidence, tax.source) == ("6570.00", PARTS_CONFIDENCE, "rule")
    assert tax.box is not None


def test_parts_that_do_not_add_up_or_a_tax_already_read_propose_nothing() -> None:
    assert "tax_amount" not in _merged(
        TEXT.replace("SGST @ 9% 3,285.00", "SGST @ 9% 3,258.00"), [NET, TOTAL]
    )
    assert "tax_amount" not in _merged(TEXT, [NET])  # no total to check against
    one = TEXT.replace("SGST @ 9% 3,285.00\n", "").replace("43,070.00", "39,785.00")
    assert "tax_amount" not in _merged(one, [NET, Field("total_amount", "", "39785.00", 0.9)])
    read = Field("tax_amount", "6,570.00", "6570.00", 0.9)
    assert _merged(TEXT, [NET, TOTAL, read])["tax_amount"] == read
