"""What a document's own text says about how to read its values.

Normalizers need to know whether ``1.234`` is a thousand or one-point-two, whether
``03/04/2024`` is March or April, and what ``$`` means. ``hints_from_text`` (the
normalizers' own) reads the document's dates, amounts and currency markers; this
module adds the language, from counted keywords, which picks month names and the
separator convention when the numbers themselves do not tell.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from extractors.normalize import NormalizeHints, hints_from_text

_KEYWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "invoice",
            "total",
            "date",
            "due",
            "amount",
            "the",
            "and",
            "of",
            "to",
            "for",
            "order",
            "purchase",
            "receipt",
            "payment",
            "price",
            "quantity",
            "description",
            "subtotal",
            "tax",
            "vat",
            "bill",
            "ship",
            "number",
            "qty",
            "unit",
            "paid",
        ]
    ),
    "de": frozenset(
        [
            "rechnung",
            "datum",
            "betrag",
            "gesamt",
            "summe",
            "und",
            "der",
            "die",
            "das",
            "mwst",
            "ust",
            "netto",
            "brutto",
            "bestellung",
            "menge",
            "preis",
            "beschreibung",
            "zahlung",
            "fällig",
            "nr",
            "rechnungsnummer",
            "einzelpreis",
            "bezahlt",
            "zahlungsavis",
            "artikel",
            "lieferant",
        ]
    ),
    "fr": frozenset(
        [
            "facture",
            "date",
            "montant",
            "total",
            "et",
            "le",
            "la",
            "les",
            "de",
            "du",
            "tva",
            "ht",
            "ttc",
            "commande",
            "quantité",
            "prix",
            "désignation",
            "paiement",
            "échéance",
            "numéro",
            "n°",
            "fournisseur",
            "avis",
            "unitaire",
            "règlement",
            "reçu",
        ]
    ),
}
# Words Dutch, Spanish, Italian and Polish documents print and the others do not (a
# shared word would tie two languages).
_KEYWORDS |= {
    "nl": frozenset(
        [
            "factuur",
            "factuurnummer",
            "factuurdatum",
            "vervaldatum",
            "totaal",
            "btw",
            "bedrag",
            "omschrijving",
            "aantal",
            "prijs",
            "klant",
            "klantnummer",
            "betaling",
            "dagen",
            "bestelling",
            "inkooporder",
            "leverancier",
            "te",
            "betalen",
            "het",
            "een",
            "voor",
            "uw",
            "wij",
            "subtotaal",
            "kassabon",
            "pinnen",
            "wisselgeld",
        ]
    ),
    "es": frozenset(
        [
            "factura",
            "fecha",
            "vencimiento",
            "importe",
            "cantidad",
            "precio",
            "descripción",
            "concepto",
            "cliente",
            "pedido",
            "proveedor",
            "iva",
            "imponible",
            "del",
            "los",
            "su",
            "pago",
            "forma",
            "cuenta",
            "efectivo",
            "cambio",
            "gracias",
            "nº",
            "número",
            "el",
            "las",
            "por",
            "días",
            "transferencia",
            "calle",
            "avenida",
            "cant",
            "uds",
            "gastos",
        ]
    ),
    "it": frozenset(
        [
            "fattura",
            "scadenza",
            "importo",
            "quantità",
            "prezzo",
            "descrizione",
            "ordine",
            "fornitore",
            "via",
            "imponibile",
            "totale",
            "partita",
            "della",
            "di",
            "per",
            "pagamento",
            "bonifico",
            "contanti",
            "resto",
            "grazie",
        ]
    ),
    "pl": frozenset(
        [
            "faktura",
            "faktury",
            "numer",
            "data",
            "wystawienia",
            "płatności",
            "razem",
            "zapłaty",
            "wartość",
            "ilość",
            "cena",
            "nazwa",
            "nabywca",
            "sprzedawca",
            "zamówienie",
            "do",
            "kwota",
            "nip",
            "ul",
            "przelew",
            "paragon",
            "suma",
            "gotówka",
            "reszta",
        ]
    ),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_DOLLAR = re.compile(r"\$\s?\d|\bUSD\b")


def infer_hints(text: str) -> NormalizeHints:
    """The normalizer's document-level hints plus the document's language; a
    US-dollar English document without an unambiguous date reads dates month-first."""
    language = infer_language(text)
    hints = hints_from_text(text, language)
    currency = hints.default_currency or ("USD" if _DOLLAR.search(text) else None)
    if hints.date_order is None and currency == "USD" and language == "en":
        return replace(hints, date_order="MDY")
    return hints


def infer_language(text: str) -> str | None:
    counts: Counter[str] = Counter()
    for word in _WORD.findall(text.lower()):
        for language, words in _KEYWORDS.items():
            if word in words:
                counts[language] += 1
    if not counts:
        return None
    ranked = counts.most_common(2)
    if len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]
