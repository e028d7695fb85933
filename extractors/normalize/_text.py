"""Free text fields (names, numbers like ``INV-2024-001``): whitespace collapsed and stray
label punctuation (``: #``) trimmed. A trailing ``.`` is kept (``ACME Inc.``)."""

from __future__ import annotations

import unicodedata

_LEADING = " \t:;,.#|*-–—•·>"
_TRAILING = " \t:;,#|*-–—•·<"


def normalize_text(raw: str) -> str | None:
    """``raw`` on one line with single spaces, or None if nothing is left."""
    text = " ".join(unicodedata.normalize("NFC", raw).split())
    text = text.lstrip(_LEADING).rstrip(_TRAILING)
    return text or None
