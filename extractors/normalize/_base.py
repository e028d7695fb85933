"""The value types every normalizer shares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DateOrder = Literal["DMY", "MDY", "YMD"]


@dataclass(frozen=True)
class Normalized:
    """A normalized field value; ``currency`` is set only for amounts whose raw text
    carried a currency marker (``€``, ``USD``, ``Fr.``...)."""

    value: str
    currency: str | None = None


@dataclass(frozen=True)
class NormalizeHints:
    """What the caller knows about the document; every hint is optional.

    ``language`` ("en", "de", "fr", "nl", "es", "it", "pl") picks month names and, when
    ``date_order`` or
    ``decimal_comma`` are not given, the conventions: "en" without ``date_order`` still
    means DMY (British and European English) unless ``date_order="MDY"`` is passed,
    because a US document is recognised by its currency or address, not by its language.
    ``decimal_comma`` True means ``1.234`` is one thousand two hundred thirty-four and
    ``12,5`` is twelve and a half. ``default_currency`` resolves ``$`` and bare ``Fr.``.
    """

    language: str | None = None
    date_order: DateOrder | None = None
    decimal_comma: bool | None = None
    default_currency: str | None = None

    def uses_decimal_comma(self) -> bool | None:
        if self.decimal_comma is not None:
            return self.decimal_comma
        if self.language in ("de", "fr", "nl", "es", "it", "pl"):
            return True
        if self.language == "en":
            return False
        return None
