"""A tax printed in parts: the document's tax is their sum where net and total agree.

An Indian GST invoice prints its tax as a central and a state half ("CGST @ 9% 3,285.00",
"SGST @ 9% 3,285.00") and no line with the whole; a German one may print "MwSt 7%" and
"MwSt 19%" on two lines. No label then points at the tax amount, so the reader finds
none and net + tax = total cannot be checked. ``merge_tax_parts`` adds the parts up and
proposes their sum as the tax only when it is exactly the total minus the net read:
three readings that agree, which ``extractors.corroborate`` then confirms by the same
arithmetic. Anything less proposes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from clerk.documents import Field, TextWithOffsets
from extractors._receipt_fields import _amounts, _lines
from extractors._tables import words_geometry
from extractors.normalize import NormalizeHints

# Below the auto bar: the sum is a proposal until the arithmetic check passes.
PARTS_CONFIDENCE = 0.85
# A line naming a part of the tax: India's GST halves, or a tax with its rate.
_PART = re.compile(
    r"\b(cgst|sgst|utgst)\b|\b(vat|mwst|ust|tva|btw|iva|gst|tax)\b[^\d\n]{0,12}\d{1,2}(?:[.,]\d+)?\s*%",
    re.IGNORECASE,
)
_TAX_FIELD = "tax_amount"


def merge_tax_parts(
    fields: Sequence[Field], source: TextWithOffsets, hints: NormalizeHints
) -> tuple[Field, ...]:
    """``fields`` with the tax as the sum of its printed parts, where no tax was read and
    the parts add up to the total minus the net."""
    by_name = {f.name: f for f in fields}
    if _TAX_FIELD in by_name:
        return tuple(fields)
    net, total = _amount(by_name.get("net_amount")), _amount(by_name.get("total_amount"))
    if net is None or total is None or total <= net:
        return tuple(fields)
    parts = [
        amounts[-1]
        for offset, line in _lines(source.text)
        if _PART.search(line) and (amounts := _amounts(line, offset, hints))
    ]
    tax = sum((amount for *_, amount in parts), Decimal(0))
    if len(parts) < 2 or tax != total - net:
        return tuple(fields)
    page, box = words_geometry(source.words_in(parts[0][1], parts[-1][2]))
    proposed = Field(_TAX_FIELD, str(tax), str(tax), PARTS_CONFIDENCE, page, box, "rule")
    return (*fields, proposed)


def _amount(f: Field | None) -> Decimal | None:
    if f is None or f.value is None:
        return None
    try:
        return Decimal(f.value)
    except InvalidOperation:
        return None
