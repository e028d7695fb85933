"""English documents with their labels in another language, for the classifier's training.

The corpus writes seven languages, but real documents come in more, and mixed: a
Polish "Faktura VAT" with "Razem" and "Do zapłaty", or a Spanish "Factura" with "Base
imponible", shares no word with the training texts and was typed a receipt. The words
that tell a document's type apart are few (invoice, order, receipt, total, due date,
quantity...), so an English training document with those words translated teaches the
classifier the same layout in Dutch, Polish, Spanish, Italian and Portuguese. The rest of
the text (names, items, numbers) stays as it is, as a foreign document mixes both.

Only the classifier's training data is translated: the extractor reads labels with its
own multilingual lexicon (``extractors._keyvalue_lexicon``).
"""

from __future__ import annotations

import random
import re
import unicodedata

LANGUAGES = ("nl", "pl", "es", "it", "pt")

# English label word or phrase -> (nl, pl, es, it, pt). Longest phrases are replaced first.
_WORDS: dict[str, tuple[str, str, str, str, str]] = {
    "purchase order": ("inkooporder", "zamówienie", "pedido de compra", "ordine di acquisto",
                       "ordem de compra"),
    "order number": ("bestelnummer", "numer zamówienia", "número de pedido", "numero ordine",
                     "número do pedido"),
    "order date": ("besteldatum", "data zamówienia", "fecha de pedido", "data ordine",
                   "data do pedido"),
    "invoice number": ("factuurnummer", "numer faktury", "número de factura", "numero fattura",
                       "número da fatura"),
    "invoice no": ("factuurnr", "faktura nr", "factura nº", "fattura n.", "fatura nº"),
    "invoice date": ("factuurdatum", "data wystawienia", "fecha de factura", "data fattura",
                     "data da fatura"),
    "due date": ("vervaldatum", "termin płatności", "fecha de vencimiento", "scadenza",
                 "data de vencimento"),
    "tax invoice": ("factuur", "faktura vat", "factura", "fattura", "fatura"),
    "invoice": ("factuur", "faktura", "factura", "fattura", "fatura"),
    "receipt": ("kassabon", "paragon", "ticket", "scontrino", "recibo"),
    "sub total": ("subtotaal", "suma częściowa", "subtotal", "subtotale", "subtotal"),
    "subtotal": ("subtotaal", "suma częściowa", "subtotal", "subtotale", "subtotal"),
    "amount due": ("te betalen", "do zapłaty", "importe a pagar", "totale da pagare",
                   "valor a pagar"),
    "total": ("totaal", "razem", "total", "totale", "total"),
    "vat": ("btw", "vat", "iva", "iva", "iva"),
    "tax": ("btw", "podatek", "impuesto", "imposta", "imposto"),
    "net amount": ("nettobedrag", "wartość netto", "base imponible", "imponibile",
                   "valor líquido"),
    "total amount": ("totaalbedrag", "wartość brutto", "importe total", "totale documento",
                     "valor total"),
    "total due": ("totaal te betalen", "do zapłaty", "total a pagar", "totale da pagare",
                  "total a pagar"),
    "vat number": ("btw-nummer", "nip", "nif", "partita iva", "nif"),
    "vat id": ("btw-nummer", "nip", "cif", "p. iva", "nif"),
    "gross": ("bruto", "brutto", "bruto", "lordo", "bruto"),
    "net": ("netto", "netto", "neto", "netto", "líquido"),
    "seller": ("verkoper", "sprzedawca", "vendedor", "venditore", "vendedor"),
    "buyer": ("koper", "nabywca", "comprador", "acquirente", "comprador"),
    "document": ("document", "dokument", "documento", "documento", "documento"),
    "date": ("datum", "data", "fecha", "data", "data"),
    "description": ("omschrijving", "nazwa", "descripción", "descrizione", "descrição"),
    "quantity": ("aantal", "ilość", "cantidad", "quantità", "quantidade"),
    "qty": ("aantal", "ilość", "cant.", "q.tà", "qtd."),
    "unit price": ("prijs per stuk", "cena jednostkowa", "precio unitario", "prezzo unitario",
                   "preço unitário"),
    "price": ("prijs", "cena", "precio", "prezzo", "preço"),
    "amount": ("bedrag", "kwota", "importe", "importo", "valor"),
    "customer": ("klant", "nabywca", "cliente", "cliente", "cliente"),
    "bill to": ("factuuradres", "nabywca", "facturar a", "intestatario", "faturar a"),
    "ship to": ("afleveradres", "adres dostawy", "enviar a", "consegna a", "entregar a"),
    "supplier": ("leverancier", "dostawca", "proveedor", "fornitore", "fornecedor"),
    "vendor": ("leverancier", "sprzedawca", "proveedor", "fornitore", "fornecedor"),
    "payment": ("betaling", "płatność", "pago", "pagamento", "pagamento"),
    "remittance advice": ("betalingsadvies", "awizo płatności", "aviso de pago",
                          "avviso di pagamento", "aviso de pagamento"),
    "price list": ("prijslijst", "cennik", "lista de precios", "listino prezzi",
                   "lista de preços"),
    "product": ("product", "produkt", "producto", "prodotto", "produto"),
    "thank you": ("bedankt", "dziękujemy", "gracias", "grazie", "obrigado"),
    "cash": ("contant", "gotówka", "efectivo", "contanti", "dinheiro"),
    "change": ("wisselgeld", "reszta", "cambio", "resto", "troco"),
    "please": ("graag", "prosimy", "por favor", "si prega di", "por favor"),
    "delivery": ("levering", "dostawa", "entrega", "consegna", "entrega"),
}  # fmt: skip
_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in sorted(_WORDS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def translate(text: str, language: str, plain: bool = False) -> str:
    """``text`` with its English label words in ``language`` (one of ``LANGUAGES``),
    upper-case where the original was; ``plain`` drops the diacritics, as ASCII-only
    systems and OCR print them ("Do zaplaty")."""
    column = LANGUAGES.index(language)

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        target = _WORDS[word.lower()][column]
        if plain:
            target = _ascii(target)
        if word.isupper():
            return target.upper()
        return target[:1].upper() + target[1:] if word[:1].isupper() else target

    return _PATTERN.sub(swap, text)


def pick_language(rng: random.Random) -> str:
    return rng.choice(LANGUAGES)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in folded if not unicodedata.combining(c))
