"""The auto-vs-review decision: when may a machine's reading go on without a person?

A wrong field entered automatically costs more than a review, so every gate must pass
for ``auto``; each gate that fails adds a reason a reviewer can read.

Settings (environment):
- ``CLERK_AUTO_TYPE_CONFIDENCE`` (default 0.90): minimum classifier confidence.
- ``CLERK_AUTO_FIELD_CONFIDENCE`` (default 0.93): minimum confidence of every extracted
  field of the document type (required or not: a shaky optional field is still entered).
- ``CLERK_AUTO_TYPES`` (default all but ``other``): the types that may pass without review.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic_settings import BaseSettings, SettingsConfigDict

from clerk.documents import Check, Decision, Field, Reason


class PolicySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLERK_AUTO_")

    type_confidence: float = 0.90
    field_confidence: float = 0.93
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
) -> tuple[Decision, tuple[Reason, ...]]:
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
    reasons.extend(
        Reason("check", c.name, f"check {c.name} failed: {c.message}")
        for c in checks
        if not c.passed
    )
    return ("review" if reasons else "auto"), tuple(reasons)


def _shown(confidence: float) -> str:
    """Rounded down, so a value under the bar never reads as equal to it."""
    return f"{math.floor(confidence * 1000) / 1000:.3f}"
