"""IBANs and VAT identification numbers: cleaned, then accepted only if valid.

IBAN: the ISO 13616 mod-97 checksum, the registry length of the country and, for the
countries whose account part (BBAN) is digits only, that it is digits only. Mod-97
catches every single wrong digit and almost every other slip; in digits-only countries a
look-alike letter (``O``, ``l``, ``I``) is read as the digit it resembles.

VAT ids: the country formats of the EU's VIES service (``EL`` for Greece, ``XI`` for
Northern Ireland), the United Kingdom (``GB``) and Switzerland (UID ``CHE-123.456.789``
with an optional ``MWST``/``TVA``/``IVA`` suffix). Only the format is checked, not the
national check digits: a format slip is what OCR produces, and the check digits of
several states are not public.
"""

from __future__ import annotations

import re
import unicodedata

IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
    "BH": 22, "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24,
    "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
    "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27,
    "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27,
    "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28,
    "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip

# Countries whose BBAN has no letters (SWIFT IBAN registry).
_NUMERIC_BBAN_TEXT = """
AE AT BA BE CZ DE DK EE EG ES FI FO GL HR HU IL IS LT ME NO PL PT RS SE SI SK TN XK
"""
NUMERIC_BBAN = frozenset(_NUMERIC_BBAN_TEXT.split())

_VAT_FORMATS: dict[str, str] = {
    "AT": r"U\d{8}",
    "BE": r"[01]\d{9}",
    "BG": r"\d{9,10}",
    "CY": r"\d{8}[A-Z]",
    "CZ": r"\d{8,10}",
    "DE": r"\d{9}",
    "DK": r"\d{8}",
    "EE": r"\d{9}",
    "EL": r"\d{9}",
    "ES": r"(?=.*[A-Z])[A-Z0-9]\d{7}[A-Z0-9]",
    "FI": r"\d{8}",
    "FR": r"[0-9A-Z]{2}\d{9}",  # VIES: the key may hold any letter
    "HR": r"\d{11}",
    "HU": r"\d{8}",
    "IE": r"\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W]",
    "IT": r"\d{11}",
    "LT": r"\d{9}|\d{12}",
    "LU": r"\d{8}",
    "LV": r"\d{11}",
    "MT": r"\d{8}",
    "NL": r"\d{9}B\d{2}",
    "PL": r"\d{10}",
    "PT": r"\d{9}",
    "RO": r"[1-9]\d{1,9}",
    "SE": r"\d{10}01",
    "SI": r"\d{8}",
    "SK": r"\d{10}",
    "GB": r"\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2}",
    "XI": r"\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2}",
    "CH": r"E\d{9}(?:MWST|TVA|IVA)?",
}
_VAT_PATTERNS = {country: re.compile(f"(?:{body})") for country, body in _VAT_FORMATS.items()}
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})
_SEPARATORS = re.compile(r"[\s.\-/_]+")
_IBAN_LABEL = re.compile(r"^\s*IBAN\s*:?\s*", re.IGNORECASE)
# Labels that OCR or a loose entity span may glue to the id: "USt-IdNr.: DE...".
_VAT_LABEL = re.compile(
    r"^\s*(?:USt\.?-?\s*Id(?:ent)?\.?-?\s*Nr\.?|VAT\s*(?:Reg\.?\s*)?(?:No\.?|Number|ID)?|"
    r"N°\s*TVA|TVA|UID(?:-Nr\.?)?|MwSt\.?-?Nr\.?)\s*:?\s*",
    re.IGNORECASE,
)


def _compact(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).strip().strip(":;,#")
    return _SEPARATORS.sub("", text).upper()


def _vat_compact(raw: str) -> str:
    text = _compact(_VAT_LABEL.sub("", raw))
    # VIES prefixes Greece with EL where ISO 3166 says GR; people write both.
    return "EL" + text[2:] if text.startswith("GR") else text


def normalize_iban(raw: str) -> str | None:
    """``raw`` upper-cased without spaces if it is a valid IBAN, else None. An OCR slip
    (``O`` for ``0``, ``l``/``I`` for ``1``) is repaired in countries whose account part
    is digits only, and the result must still pass mod-97."""
    compact = _compact(_IBAN_LABEL.sub("", raw))
    if iban_is_valid(compact):
        return compact
    repaired = _ocr_repaired(raw, _IBAN_LABEL, skip=2)
    if repaired[:2] in NUMERIC_BBAN and iban_is_valid(repaired):
        return repaired
    return None


def _ocr_repaired(raw: str, label: re.Pattern[str], skip: int) -> str:
    """``raw`` compacted, with look-alike letters after the country code made digits."""
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", label.sub("", raw)).strip(":;,#"))
    return (text[:skip] + text[skip:].translate(_OCR_DIGITS)).upper()


def iban_is_valid(value: str) -> bool:
    """True for a well-formed IBAN (spaces allowed) with a valid mod-97 checksum."""
    text = _compact(value)
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+", text):
        return False
    if IBAN_LENGTHS.get(text[:2]) != len(text):
        return False
    if text[:2] in NUMERIC_BBAN and not text[4:].isdigit():
        return False
    return iban_mod97(text) == 1


def iban_mod97(text: str) -> int:
    """The ISO 7064 mod-97-10 remainder of an IBAN (1 for a valid one)."""
    rearranged = text[4:] + text[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97


def iban_check_digits(country: str, bban: str) -> str:
    """The two check digits that make ``country + digits + bban`` a valid IBAN."""
    remainder = iban_mod97(f"{country}00{bban}".upper())
    return f"{98 - remainder:02d}"


def normalize_vat_id(raw: str) -> str | None:
    """``raw`` upper-cased without spaces, dots or dashes if it matches its country's
    VAT id format (``de 123 456 789`` -> ``DE123456789``), else None."""
    candidate = _vat_compact(raw)
    if vat_id_is_valid(candidate):
        return candidate
    # Formats are mostly digits, so a look-alike letter after the prefix is an OCR slip.
    repaired = _vat_compact(_ocr_repaired(raw, _VAT_LABEL, skip=3 if _is_swiss(raw) else 2))
    return repaired if vat_id_is_valid(repaired) else None


def _is_swiss(raw: str) -> bool:
    return _compact(_VAT_LABEL.sub("", raw)).startswith("CHE")


def vat_id_is_valid(value: str) -> bool:
    """True if ``value`` (spaces, dots and dashes allowed) matches its country's format."""
    text = _vat_compact(value)
    pattern = _VAT_PATTERNS.get(text[:2])
    return pattern is not None and pattern.fullmatch(text[2:]) is not None
