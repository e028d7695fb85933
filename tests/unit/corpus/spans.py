"""What an annotated span of a generated document says, as its truth value is kept."""

from __future__ import annotations

from corpus import _formats as formats
from corpus._context import Ctx


def truth_value(ctx: Ctx, text: str, kind: str) -> str:
    """The span's ``text`` of a field of ``kind``, normalized the way ``ctx.truth`` holds
    it (ISO dates, plain amounts, currency codes, compact IBANs and VAT ids)."""
    if kind == "date":
        return formats.parse_date(text, ctx.date_style, ctx.language).isoformat()
    if kind == "amount":
        return formats.money(formats.parse_amount(text, ctx.money))
    if kind == "currency":
        return ctx.money.currency if text in (ctx.money.symbol, ctx.money.currency) else text
    if kind in ("iban", "vat_id"):
        return text.replace(" ", "").upper() if kind == "iban" else formats.vat_normalize(text)
    return text
