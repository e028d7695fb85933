"""A scanned image whose reading missed a required date or amount, read a second time
with tesseract's automatic page layout.

Tesseract reads a page as one uniform block of text (``ReadingSettings.ocr_psm``, 6),
which reads most receipts best. On some, that layout loses the line a date or a total is
on, or runs it into a neighbouring column; the automatic layout (``--psm 3``: blocks
and columns found first) reads some of those. Measured on the 100 real tuning receipts
(``bench/bench_realdocs.py --split tune``) before this was built: 15 readings missed a
required date or total; keeping, for those 15, the second reading where it found more
of them gave 4 more right dates and 1 more right total, lost no right field and changed
no ``auto`` decision. Read with the automatic layout alone, the same receipts came out
worse (6 right totals fewer), so it is a second reading, not the first. As built, on the
same 100: key fields right 245 -> 248 of 300 (2 dates, 1 total), ``auto`` 39 with 0
wrong either way.

Only dates and amounts start it: they are digits on one line, what a layout loses; a
currency or a name that is missing is usually not printed at all. The second reading is
not classified again: its fields are extracted for the first reading's type, and the
reading that finds more of the missing fields is kept; a tie keeps the first. A document
whose second reading is kept goes to a person (check ``read_again``, failed, saying what
each reading found): the ``auto`` bar was fitted to the first reading's confidences, and
a wrong field typed into an ERP costs more than a review. It costs one more OCR pass,
only for such documents. On the 50 held-out receipts, reported after tuning, it changed
nothing: the same fields right, the same decisions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from clerk.documents import Check, Document, Understanding
from clerk.errors import ClerkError
from clerk.policy import PolicySettings, decide
from clerk.schemas import SCHEMAS

if TYPE_CHECKING:
    from extractors.reading.settings import ReadingSettings

AUTO_LAYOUT_PSM = 3  # tesseract's fully automatic page segmentation, no orientation
CHECK = "read_again"
_KINDS = ("date", "amount")  # what a page layout can lose: digits on one line


def missing_values(understanding: Understanding) -> list[str]:
    """The type's required date and amount fields that the reading did not find."""
    schema = SCHEMAS.get(understanding.doc_type)
    if schema is None:
        return []
    failed = {c.name for c in understanding.checks if not c.passed}
    return [
        spec.name
        for spec in schema.fields
        if spec.required and spec.kind in _KINDS and f"required:{spec.name}" in failed
    ]


def read_again(
    image: bytes,
    document: Document,
    first: Understanding,
    understand: Callable[[Document], Understanding],
    policy: PolicySettings,
    reading: ReadingSettings,
) -> Understanding:
    """``first``, or the understanding of ``image`` read again with the automatic layout
    when that finds more of the required dates and amounts ``first`` missed.
    ``understand`` must extract the second reading's fields for ``first``'s type: a
    reading of another type has other required fields, and would not be comparable
    (classified again, 3 of 50 held-out receipts read again came out as ``other``).
    ``reading``: the first reading's settings, here with the automatic layout."""
    from extractors import read_all

    missing = missing_values(first)
    if not missing or document.text_source != "ocr":
        return first
    settings = reading.model_copy(update={"ocr_psm": AUTO_LAYOUT_PSM})
    try:
        documents = read_all(image, document.name, settings).documents
        if len(documents) != 1 or not documents[0].text.strip():
            return first
        second = understand(documents[0])
    except ClerkError:  # the first reading stands; it already goes to a person
        return first
    still = missing_values(second)
    if len(still) >= len(missing):
        return first
    found = [name for name in missing if name not in still]
    message = (
        f"the page's first reading missed {', '.join(missing)}; read again with "
        f"tesseract's automatic page layout, it found {', '.join(found)}: confirm them "
        "on the page"
    )
    checks = (*second.checks, Check(CHECK, False, message))
    decision, reasons = decide(
        first.doc_type, first.type_confidence, second.fields, checks, policy, second.line_items
    )
    return replace(  # the type stays the first reading's, as classified on it
        second,
        type_confidence=first.type_confidence,
        top3=first.top3,
        type_set_by=first.type_set_by,
        checks=checks,
        decision=decision,
        reasons=reasons,
    )
