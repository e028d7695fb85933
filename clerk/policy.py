"""The auto-vs-review decision: when may a machine's reading go on without a person?

A wrong field entered automatically costs more than a review, so every gate must pass
for ``auto``; each gate that fails adds a reason a reviewer can read.

Settings (environment):
- ``CLERK_AUTO_TYPE_CONFIDENCE`` (default 0.90): minimum classifier confidence.
- ``CLERK_AUTO_FIELD_CONFIDENCE`` (default 0.93): minimum confidence of every extracted
  field of the document type (required or not: a shaky optional field is still entered).
- ``CLERK_AUTO_TYPES`` (default all but ``other``): the types that may pass without review.
- ``CLERK_AUTO_MEMORY_CONFIRMATIONS`` (default 1): how many people's confirmations a
  vendor memory entry needs before it may confirm fields (``extractors.memory.lift``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic_settings import BaseSettings, SettingsConfigDict

from clerk.documents import Check, Decision, Field, LineItem, Reason
from clerk.schemas import SCHEMAS


class PolicySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLERK_AUTO_")

    type_confidence: float = 0.90
    field_confidence: float = 0.93
    memory_confirmations: int = 1
    types: tuple[str, ...] = (
        "invoice",
        "purchase_order",
        "receipt",
        "product_update",
        "remittance_advice",
    )


def decide(
    doc_type: str,
    type_confidence: float,
    fields: Sequence[Field],
    checks: Sequence[Check],
    settings: PolicySettings,
    line_items: Sequence[LineItem] = (),
) -> tuple[Decision, tuple[Reason, ...]]:
    """``auto`` when every gate passes, else ``review`` and a reason per failed gate: the
    type, each flat field read below the bar, one reason for all line items that hold a
    cell read below it (naming the rows), and each failed check (with the rows it names)."""
    reasons: list[Reason] = []
    if doc_type not in settings.types:
        reasons.append(
            Reason("type", doc_type, f"documents of type '{doc_type}' always go to a person")
        )
    if type_confidence < settings.type_confidence:
        message = (
            f"document type '{doc_type}' has confidence {_shown(type_confidence)}, "
            f"below {settings.type_confidence}"
        )
        reasons.append(Reason("type", doc_type, message))
    for f in fields:
        if f.confidence < settings.field_confidence:
            message = (
                f"field {f.name} = {f.raw!r} has confidence {_shown(f.confidence)}, "
                f"below {settings.field_confidence}"
            )
            reasons.append(Reason("field", f.name, message))
    shaky = _shaky_rows(line_items, settings.field_confidence)
    if shaky:
        reasons.append(_rows_reason(doc_type, shaky, len(line_items), settings.field_confidence))
    reasons.extend(
        Reason("check", c.name, f"check {c.name} failed: {c.message}", c.rows)
        for c in checks
        if not c.passed
    )
    return ("review" if reasons else "auto"), tuple(reasons)


_LISTED = 8  # rows spelled out in a reason; the rest are counted


def _shaky_rows(line_items: Sequence[LineItem], bar: float) -> dict[int, list[str]]:
    """The columns read below ``bar``, by row (0-based)."""
    out: dict[int, list[str]] = {}
    for index, row in enumerate(line_items):
        low = [c.name.replace("_", " ") for c in row.cells if c.confidence < bar]
        if low:
            out[index] = low
    return out


def _rows_reason(doc_type: str, shaky: dict[int, list[str]], count: int, bar: float) -> Reason:
    schema = SCHEMAS.get(doc_type)
    group = schema.rows.name if schema is not None and schema.rows is not None else "line_items"
    listed = [f"line {i + 1} ({', '.join(cols)})" for i, cols in list(shaky.items())[:_LISTED]]
    more = len(shaky) - len(listed)
    tail = f" and {more} more" if more else ""
    message = (
        f"{len(shaky)} of {count} line items have cells read with confidence below {bar}: "
        f"{'; '.join(listed)}{tail}"
    )
    return Reason("rows", group, message, tuple(shaky))


def _shown(confidence: float) -> str:
    """Rounded down, so a value under the bar never reads as equal to it."""
    return f"{math.floor(confidence * 1000) / 1000:.3f}"
