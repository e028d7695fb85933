"""Currency symbols, codes and words -> ISO 4217 codes.

``$`` means USD unless ``NormalizeHints.default_currency`` names another dollar
(CAD, AUD...); ``Fr.``/``SFr.`` mean CHF (the Swiss franc is the only franc still
printed with that abbreviation on business documents); ``kr`` is only resolved through
``default_currency`` (SEK, NOK, DKK, ISK all use it).
"""

from __future__ import annotations

import re
import unicodedata

from extractors.normalize._base import NormalizeHints

# Active ISO 4217 codes (2024 list). Metal and fund codes (XAU, XDR...) are left out: a
# business document that names one of those is almost certainly an OCR slip.
_ISO_TEXT = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP
MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW
ZWL
"""
ISO_4217: frozenset[str] = frozenset(_ISO_TEXT.split())

_DOLLAR_TEXT = "USD CAD AUD NZD HKD SGD TWD MXN BSD BBD BMD BND BZD FJD GYD JMD KYD LRD NAD SBD"
_DOLLARS = frozenset([*_DOLLAR_TEXT.split(), "SRD", "TTD", "XCD"])
_KRONA = frozenset(("SEK", "NOK", "DKK", "ISK"))

# Marker -> code; None means "a currency, resolved by the hints".
_SYMBOLS: dict[str, str | None] = {
    "US$": "USD",
    "USD$": "USD",
    "C$": "CAD",
    "CA$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "S$": "SGD",
    "R$": "BRL",
    "$": None,
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "₽": "RUB",
    "₺": "TRY",
    "₪": "ILS",
    "zł": "PLN",
    "Kč": "CZK",
    "Ft": "HUF",
    "SFr.": "CHF",
    "sFr.": "CHF",
    "Fr.": "CHF",
    "Fr": "CHF",
    # The Malaysian ringgit is printed "RM" before its amounts, not with its ISO code.
    "RM": "MYR",
}
_WORDS: dict[str, str | None] = {
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "dollar": None,
    "dollars": None,
    "us-dollar": "USD",
    "pound": "GBP",
    "pounds": "GBP",
    "pfund": "GBP",
    "sterling": "GBP",
    "livre sterling": "GBP",
    "livres sterling": "GBP",
    "franken": "CHF",
    "schweizer franken": "CHF",
    "franc suisse": "CHF",
    "francs suisses": "CHF",
    "yen": "JPY",
    "kr": None,
    "kr.": None,
}

_MARKER = re.compile(
    "|".join(
        [re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True) if not s[0].isalpha()]
        + [
            r"(?<![A-Za-z])" + re.escape(s) + r"(?![A-Za-z])"
            for s in sorted(
                [s for s in _SYMBOLS if s[0].isalpha()] + list(_WORDS), key=len, reverse=True
            )
        ]
        + [r"(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])"]
    ),
    re.IGNORECASE,
)


_NUMBERISH = re.compile(r"[\d\s.,'’()+\-−–]*")


def resolve_marker(marker: str, hints: NormalizeHints | None = None) -> str | None:
    """The ISO code for one symbol, code or word (``€``, ``usd``, ``Euro``), or None."""
    text = unicodedata.normalize("NFKC", marker).strip()
    if text in _SYMBOLS:
        code = _SYMBOLS[text]
    elif text.lower() in _WORDS:
        code = _WORDS[text.lower()]
    elif text.upper() in ISO_4217:
        return text.upper()
    else:
        return None
    if code is not None:
        return code
    default = hints.default_currency.upper() if hints and hints.default_currency else None
    if text.lower().startswith("kr"):
        return default if default in _KRONA else None
    return default if default in _DOLLARS else "USD"


def normalize_currency(raw: str, hints: NormalizeHints | None = None) -> str | None:
    """A currency field (``€``, ``EUR``, ``Euro``, ``Fr.``) as an ISO 4217 code."""
    text = " ".join(unicodedata.normalize("NFKC", raw).split()).strip(" :;,()[]")
    if not text:
        return None
    code = resolve_marker(text, hints)
    if code is not None:
        return code
    found = split_currency(text, hints)
    # "EUR 12.00" in a currency field is still EUR; "EUR or USD" is not one currency.
    if found is None or found[1] is None or not _NUMBERISH.fullmatch(found[0]):
        return None
    return found[1]


def split_currency(text: str, hints: NormalizeHints | None = None) -> tuple[str, str | None] | None:
    """``text`` without its currency markers, and the one currency they name.

    Returns None when the markers disagree (``USD 12.00 €``): such a value needs a
    person. Three-letter upper-case words that are not ISO codes are left in place so
    the caller sees them and refuses the value."""
    codes: set[str] = set()

    def take(match: re.Match[str]) -> str:
        token = match.group(0)
        # Beside a number only upper-case codes count: "12 pen" is not 12 Peruvian soles.
        not_a_code = not token.isupper() or token not in ISO_4217
        if re.fullmatch(r"[A-Za-z]{3}", token) and not_a_code and token.lower() not in _WORDS:
            return token
        code = resolve_marker(token, hints)
        if code is None:
            return token
        codes.add(code)
        return " "

    rest = _MARKER.sub(take, text)
    if len(codes) > 1:
        return None
    return rest, next(iter(codes), None)
