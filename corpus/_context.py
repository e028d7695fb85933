"""What one synthetic document shares while it is written: its random source, language,
split, conventions for dates and money, and the invented parties that appear on it."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from corpus import _formats as formats
from corpus import _labels as labels
from corpus import _words as words
from corpus import _words_more as more_words
from corpus._layout import Builder, Part


@dataclass(frozen=True)
class Party:
    name: str
    country: str
    street: str
    city_line: str
    vat_print: str
    vat_id: str
    iban: str
    bic: str
    bank: str
    phone: str
    email: str
    web: str


def company_name(rng: random.Random, country: str, split: str, local: bool = False) -> str:
    """With ``local``, a Dutch, Spanish, Italian or Polish company carries its country's
    family names and words (English, German and French documents keep the shared lists)."""
    stems = words.STEMS[split]
    local_names = more_words.SURNAMES.get(country) if local else None
    surnames = local_names[split] if local_names else words.SURNAMES[split]
    cores = more_words.CORES.get(country, words.CORES) if local else words.CORES
    suffix = rng.choice(words.SUFFIXES[country])
    shape = rng.randrange(5)
    if shape == 0:
        core = f"{rng.choice(stems)}{rng.choice(cores).lower()}"
    elif shape == 1:
        core = f"{rng.choice(stems)} {rng.choice(cores)}"
    elif shape == 2:
        core = f"{rng.choice(surnames)} {rng.choice(cores)}"
    elif shape == 3:
        a, b = rng.sample(surnames, 2)
        core = f"{a} & {b}"
    else:
        core = f"{rng.choice(stems)}{rng.choice(['tec', 'ware', 'line', 'max', 'soft', 'net'])}"
    return f"{core} {suffix}"


def make_party(rng: random.Random, language: str, split: str, country: str | None = None) -> Party:
    country = country or rng.choice(words.COUNTRIES[language])
    name = company_name(rng, country, split, local=language in more_words.COUNTRIES)
    cities, streets = words.CITIES[country], words.STREETS[country]
    if language == "nl" and country == "NL":
        cities, streets = cities + more_words.NL_MORE_CITIES, streets + more_words.NL_MORE_STREETS
    postal, city = rng.choice(cities)
    street = rng.choice(streets)
    number = str(rng.randint(1, 180))
    if country in ("FR", "BE", "GB", "US"):
        street_line = f"{number} {street}"
    elif country in ("ES", "IT"):  # "Calle Mayor, 12", "Via Roma, 12"
        street_line = f"{street}, {number}"
    else:
        street_line = f"{street} {number}"
    city_line = f"{city} {postal}" if country == "GB" else f"{postal} {city}"
    if country == "US":
        city_line = f"{city}, {postal}"
    vat_id, vat_print = formats.make_vat_id(rng, country)
    iban_country = country if country != "US" else rng.choice(["GB", "DE", "NL"])
    slug = "".join(ch for ch in name.split()[0].lower() if ch.isascii() and ch.isalnum()) or "co"
    tld = {"DE": "de", "AT": "at", "CH": "ch", "FR": "fr", "BE": "be", "NL": "nl", "ES": "es",
           "IT": "it", "PL": "pl"}  # fmt: skip
    domain = f"{slug}.{tld.get(country, 'com')}"
    bic = "".join(rng.choice("ABCDEFGHKLMNPRSTUVWXYZ") for _ in range(4)) + iban_country + "XX"
    bank = rng.choice(
        more_words.BANKS[country]
        if language in more_words.COUNTRIES and country in more_words.BANKS
        else [
            "Sparkasse",
            "Volksbank",
            "Crédit Agricole",
            "BNP Paribas",
            "Barclays",
            "HSBC",
            "Commerzbank",
            "Deutsche Bank",
            "ING",
            "Raiffeisen",
            "Lloyds Bank",
        ]
    )
    return Party(
        name=name,
        country=country,
        street=street_line,
        city_line=city_line,
        vat_print=vat_print,
        vat_id=vat_id,
        iban=formats.make_iban(rng, iban_country),
        bic=bic,
        bank=bank,
        phone=formats.phone(rng, country),
        email=f"{rng.choice(['info', 'billing', 'accounts', 'contact', 'orders'])}@{domain}",
        web=f"www.{domain}",
    )


# What Dutch, Spanish, Italian and Polish documents bill in (a Polish one mostly złoty).
_CURRENCIES = {
    "nl": ("EUR",),
    "es": ("EUR",),
    "it": ("EUR", "EUR", "EUR", "EUR", "CHF"),
    "pl": ("PLN", "PLN", "PLN", "EUR"),
}


@dataclass
class Ctx:
    rng: random.Random
    language: str
    split: str
    currency: str
    date_style: str
    money: formats.MoneyStyle
    b: Builder = field(default_factory=Builder)
    truth: dict[str, str] = field(default_factory=dict)
    variant: dict[str, str] = field(default_factory=dict)

    @classmethod
    def new(cls, rng: random.Random, language: str, split: str) -> Ctx:
        if language in _CURRENCIES:
            currency = rng.choice(_CURRENCIES[language])
        else:  # draws as it always did, so English, German and French samples stay the same
            currency = {
                "en": rng.choice(["GBP", "USD", "EUR", "USD"]),
                "de": rng.choice(["EUR", "EUR", "EUR", "CHF"]),
                "fr": rng.choice(["EUR", "EUR", "EUR", "CHF"]),
            }[language]
        style = rng.choice(formats.DATE_STYLES[language])
        return cls(
            rng, language, split, currency, style, formats.money_style(rng, language, currency)
        )

    def label(self, key: str) -> str:
        return labels.label(self.rng, key, self.language, self.split)

    def pick(self, name: str, options: list[str], held_out: tuple[str, ...] = ()) -> str:
        """Choose a layout variant; ``held_out`` ones only appear in the test split."""
        seen = [o for o in options if o not in held_out]
        if self.split == "test" and held_out and self.rng.random() < 0.5:
            choice = self.rng.choice(list(held_out))
        else:
            choice = self.rng.choice(seen)
        self.variant[name] = choice
        return choice

    def date(self, value: date) -> str:
        return formats.format_date(value, self.date_style, self.language)

    def dates_of(self, country: str) -> None:
        """Dates as the issuer's country writes them: an American one month first."""
        self.date_style = formats.country_date_style(self.date_style, country)

    def money_parts(self, value: Decimal, name: str | None) -> list[Part]:
        """An amount's tokens; with a name, the amount (and a separate currency) are labelled."""
        out: list[Part] = []
        for kind, text in formats.money_parts(value, self.money):
            if name is None:
                out.append(text)
            else:
                out.append((text, name if kind == "amount" else "currency"))
        return out

    def number(self, value: Decimal) -> str:
        return formats.format_number(value, self.money)

    def set(self, name: str, value: str) -> None:
        self.truth[name] = value
