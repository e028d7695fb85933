"""How documents write dates, money, bank accounts and tax ids, and how to read them back.

Every style is a small frozen value kept in ``Sample.layout`` under its name, so a test (or
a curious trainer) can parse a span with the exact convention that produced it.
"""

from __future__ import annotations

import random
import string
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from corpus._calendar import DATE_STYLES as DATE_STYLES
from corpus._calendar import MONTHS as MONTHS

# Numeric day-first styles and how the United States writes the same date.
_MONTH_FIRST = {
    "dmy_slash": "mdy_slash",
    "dmy_dot": "mdy_slash",
    "dmy_dash": "mdy_slash",
    "dmy_slash_short": "mdy_slash_short",
    "dmy_dot_short": "mdy_slash_short",
    "dmy_dash_short": "mdy_slash_short",
}


def country_date_style(style: str, country: str) -> str:
    """``style`` as the country writes it: an American document never puts the day first."""
    return _MONTH_FIRST.get(style, style) if country == "US" else style


def format_date(value: date, style: str, language: str) -> str:
    d, m, y = value.day, value.month, value.year
    month = MONTHS[language][m - 1]
    match style:
        case "dmy_slash":
            return f"{d:02d}/{m:02d}/{y}"
        case "mdy_slash_short":
            return f"{m:02d}/{d:02d}/{y % 100:02d}"
        case "d_month_y":
            return f"{'1er' if language == 'fr' and d == 1 else d} {month} {y}"
        case "month_d_y":
            return f"{month} {d}, {y}"
        case "iso":
            return value.isoformat()
        case "d_mon_y":
            return f"{d:02d} {month[:3]} {y}"
        case "mon_d_y":
            return f"{month[:3]} {d}, {y}"
        case "mdy_slash":
            return f"{m:02d}/{d:02d}/{y}"
        case "d_ord_month_y":
            suffix = "th" if 11 <= d <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
            return f"{d}{suffix} {month} {y}"
        case "dmy_dot":
            return f"{d:02d}.{m:02d}.{y}"
        case "dmy_dot_short":
            return f"{d:02d}.{m:02d}.{y % 100:02d}"
        case "d_dot_month_y":
            return f"{d}. {month} {y}"
        case "dmy_dash":
            return f"{d:02d}-{m:02d}-{y}"
        case "dmy_slash_short":
            return f"{d:02d}/{m:02d}/{y % 100:02d}"
        case "dmy_dash_short":
            return f"{d:02d}-{m:02d}-{y % 100:02d}"
        case "d_de_month_de_y":
            return f"{d} de {month} de {y}"
        case "dmy_dot_r":  # Polish: the year mark "r." (roku) after the year
            return f"{d:02d}.{m:02d}.{y} r."
    raise ValueError(f"unknown date style {style!r}; use one of {DATE_STYLES}")


def parse_date(text: str, style: str, language: str) -> date:
    """The inverse of ``format_date`` for the same style (used by tests and checks)."""
    t = text.replace(",", "").replace("1er", "1").replace(". ", " ").strip()
    if style == "d_de_month_de_y":
        t, style = t.replace(" de ", " "), "d_month_y"
    if style == "dmy_dot_r":
        t, style = t.removesuffix(" r.").removesuffix(" r"), "dmy_dot"
    if style == "d_ord_month_y":
        day, rest = t.split(" ", 1)
        t = f"{day.rstrip('stndrh')} {rest}"
    if style in ("d_month_y", "month_d_y", "d_mon_y", "d_dot_month_y", "mon_d_y", "d_ord_month_y"):
        parts = t.split()
        if style in ("month_d_y", "mon_d_y"):
            parts = [parts[1], parts[0], parts[2]]
        names = MONTHS[language]
        token = parts[1]
        month = next(i + 1 for i, n in enumerate(names) if n == token or n[:3] == token)
        return date(int(parts[2]), month, int(parts[0].rstrip(".")))
    if style == "iso":
        return date.fromisoformat(t)
    sep = {"dmy_slash": "/", "mdy_slash_short": "/", "mdy_slash": "/", "dmy_dot": ".",
           "dmy_dot_short": ".", "dmy_slash_short": "/"}.get(style, "-")  # fmt: skip
    a, b, c = (int(p) for p in t.split(sep))
    if style == "mdy_slash_short":
        return date(2000 + c, a, b)
    if style == "mdy_slash":
        return date(c, a, b)
    if style in ("dmy_dot_short", "dmy_slash_short", "dmy_dash_short"):
        return date(2000 + c, b, a)
    return date(c, b, a)


@dataclass(frozen=True)
class MoneyStyle:
    decimal: str  # "." or ","
    thousands: str  # "", ",", ".", " ", "'"
    symbol: str  # what the document prints for the currency: "€", "EUR", "$", "CHF", ...
    position: str  # "glued_prefix" ($1.00) | "prefix" (EUR 1.00) | "suffix" (1,00 €) | "none"
    currency: str  # ISO code of the truth

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF", "PLN": "zł"}

# Thousands separators of the languages that write a decimal comma. Dutch, Spanish and
# Italian group with a dot (1.234,56); Polish with a space (1 234,56), as French does.
_COMMA_THOUSANDS = {
    "de": [".", ".", ""],
    "nl": [".", ".", ""],
    "es": [".", ".", ""],
    "it": [".", ".", ""],
    "pl": [" ", " ", ""],
}


def money_style(rng: random.Random, language: str, currency: str) -> MoneyStyle:
    symbol = rng.choice([SYMBOLS[currency], currency]) if currency != "CHF" else "CHF"
    if currency == "CHF":
        decimal, thousands = ".", rng.choice(["'", "", "'"])
    elif language == "en":
        decimal, thousands = ".", rng.choice([",", ",", ""])
    elif language in _COMMA_THOUSANDS:
        decimal, thousands = ",", rng.choice(_COMMA_THOUSANDS[language])
    else:
        decimal, thousands = ",", rng.choice([" ", " ", ".", ""])
    if language == "en" and symbol in ("$", "£", "€"):
        position = rng.choice(["glued_prefix", "glued_prefix", "none"])
    elif symbol in ("$", "£"):
        position = rng.choice(["glued_prefix", "suffix"])
    elif symbol == "zł":  # Polish złoty: "1 234,56 zł", never in front
        position = rng.choice(["suffix", "suffix", "none"])
    else:
        position = rng.choice(["suffix", "suffix", "prefix", "none"])
    return MoneyStyle(decimal, thousands, symbol, position, currency)


def format_number(value: Decimal, style: MoneyStyle) -> str:
    q = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    negative = q < 0
    whole, frac = f"{abs(q):.2f}".split(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = style.thousands.join(groups) + style.decimal + frac
    return f"-{out}" if negative else out


def money_parts(value: Decimal, style: MoneyStyle) -> list[tuple[str, str]]:
    """The tokens of an amount as ("amount"|"currency", text) pairs in reading order.

    A glued symbol ($1,234.56) is one token that belongs to the amount."""
    number = format_number(value, style)
    if style.position == "glued_prefix":
        return [("amount", f"{style.symbol}{number}")]
    if style.position == "prefix":
        return [("currency", style.symbol), ("amount", number)]
    if style.position == "suffix":
        return [("amount", number), ("currency", style.symbol)]
    return [("amount", number)]


def parse_amount(text: str, style: MoneyStyle) -> Decimal:
    t = text
    for symbol in ("€", "$", "£", style.symbol):
        t = t.replace(symbol, "")
    t = t.replace(" ", "")
    if style.thousands:
        t = t.replace(style.thousands, "")
    return Decimal(t.replace(style.decimal, "."))


def money(value: Decimal) -> str:
    """The normalized truth form of an amount: a plain decimal string with 2 decimals."""
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):.2f}"


def quantity_text(value: Decimal, style: MoneyStyle) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.normalize()}".replace(".", style.decimal)


def quantity_truth(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.normalize()}"


# --- bank accounts and tax ids -------------------------------------------------------

_IBAN_BBAN = {  # country -> (length of BBAN, generator of its characters)
    "DE": "n18",
    "AT": "n16",
    "NL": "a4n10",
    "FR": "n10a11n2",
    "GB": "a4n14",
    "BE": "n12",
    "CH": "n17",
    "ES": "n20",
    "IT": "a1n10a12",
    "PL": "n24",
}


def _bban(rng: random.Random, pattern: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        kind = pattern[i]
        j = i + 1
        while j < len(pattern) and pattern[j].isdigit():
            j += 1
        count = int(pattern[i + 1 : j])
        pool = string.digits if kind == "n" else string.ascii_uppercase
        if kind == "a" and pattern == _IBAN_BBAN["FR"]:
            pool = string.digits + string.ascii_uppercase
        out.extend(rng.choice(pool) for _ in range(count))
        i = j
    return "".join(out)


def iban_check_digits(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    numeric = "".join(str(int(c, 36)) for c in rearranged)
    return f"{98 - int(numeric) % 97:02d}"


def iban_is_valid(iban: str) -> bool:
    s = iban.replace(" ", "").upper()
    if len(s) < 15 or not s[:2].isalpha() or not s[2:4].isdigit():
        return False
    numeric = "".join(str(int(c, 36)) for c in s[4:] + s[:4])
    return int(numeric) % 97 == 1


def make_iban(rng: random.Random, country: str) -> str:
    pattern = _IBAN_BBAN.get(country, "n18")
    bban = _bban(rng, pattern)
    return country + iban_check_digits(country, bban) + bban


def iban_text(iban: str, spaced: bool) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if spaced else iban


def make_vat_id(rng: random.Random, country: str) -> tuple[str, str]:
    """A VAT id as (normalized truth, printed form) in the country's real shape."""

    def digits(n: int) -> str:
        return "".join(rng.choice(string.digits) for _ in range(n))

    match country:
        case "DE":
            v = "DE" + digits(9)
            return v, rng.choice([v, f"DE {v[2:]}"])
        case "FR":
            key = rng.choice([digits(2), rng.choice(string.ascii_uppercase) + digits(1)])
            siren = digits(9)
            v = f"FR{key}{siren}"
            return v, rng.choice([v, f"FR {key} {siren[:3]} {siren[3:6]} {siren[6:]}"])
        case "GB":
            d = digits(9)
            v = "GB" + d
            return v, rng.choice([v, f"GB {d[:3]} {d[3:7]} {d[7:]}"])
        case "AT":
            v = "ATU" + digits(8)
            return v, v
        case "NL":
            v = f"NL{digits(9)}B{digits(2)}"
            return v, v
        case "BE":
            v = "BE0" + digits(9)
            return v, rng.choice([v, f"BE {v[2:6]}.{v[6:9]}.{v[9:]}"])
        case "CH":
            d = digits(9)
            v = f"CHE{d}MWST"
            return v, f"CHE-{d[:3]}.{d[3:6]}.{d[6:]} MWST"
        case "ES":  # NIF of a company: a letter for its form (B: S.L., A: S.A.), 8 digits
            v = f"ES{rng.choice('AB')}{digits(8)}"
            return v, rng.choice([v, f"ES {v[2:]}", f"ES-{v[2:]}"])
        case "IT":  # partita IVA: 11 digits
            v = "IT" + digits(11)
            return v, rng.choice([v, f"IT {v[2:]}"])
        case "PL":  # NIP with the EU prefix, often grouped 3-3-2-2
            d = digits(10)
            v = "PL" + d
            return v, rng.choice([v, f"PL {d}", f"PL {d[:3]}-{d[3:6]}-{d[6:8]}-{d[8:]}"])
        case "US":
            return "", ""  # US companies have no VAT id; they print none
    raise ValueError(f"no VAT id format for country {country!r}")


def vat_normalize(text: str) -> str:
    return "".join(c for c in text.upper() if c.isalnum())


def random_date(rng: random.Random) -> date:
    # Inside the validators' plausibility window (10 years back, 1 ahead) as of 2026.
    return date(2019, 1, 1) + timedelta(days=rng.randrange(0, 365 * 7 + 300))


def phone(rng: random.Random, country: str) -> str:
    def digits(n: int) -> str:
        return "".join(rng.choice(string.digits) for _ in range(n))

    prefix = {"DE": "+49", "AT": "+43", "FR": "+33", "GB": "+44", "NL": "+31", "BE": "+32",
              "ES": "+34", "IT": "+39", "PL": "+48"}  # fmt: skip
    code = prefix.get(country, "+41")
    if country == "US":
        return rng.choice([f"({digits(3)}) {digits(3)}-{digits(4)}", f"+1 {digits(3)} {digits(7)}"])
    if country == "FR":
        return rng.choice(
            [
                f"+33 {digits(1)} {digits(2)} {digits(2)} {digits(2)} {digits(2)}",
                f"0{digits(1)} {digits(2)} {digits(2)} {digits(2)} {digits(2)}",
            ]
        )
    return rng.choice(
        [
            f"{code} {digits(2)} {digits(7)}",
            f"0{digits(3)} {digits(6)}",
            f"{code} ({digits(3)}) {digits(6)}",
        ]
    )
