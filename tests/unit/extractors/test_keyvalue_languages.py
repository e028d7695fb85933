"""Key-value labels beyond EN/DE/FR (Dutch, Spanish, Italian, Polish), tax labels that print
their rate ("Tax 8%"), and the labels that must stop a search: a customer number is not
the invoice number, the cash handed over on a receipt is not its total. Word boxes are
placed by hand as in ``test_keyvalue``."""

from __future__ import annotations

from collections import defaultdict

import pytest

from extractors._keyvalue import _PHRASES, KeyValue, _tokens, key_values
from extractors._keyvalue_lexicon import LEXICON, OTHER
from extractors._reconcile import reconcile
from extractors.normalize import NormalizeHints
from tests.unit.extractors.test_keyvalue import EN, Lines, document, values

NL = NormalizeHints(language="nl", decimal_comma=True)
ES = NormalizeHints(language="es", decimal_comma=True)
IT = NormalizeHints(language="it", decimal_comma=True)
PL = NormalizeHints(language="pl", decimal_comma=True)


def named(found: list[KeyValue], name: str) -> list[str]:
    """Every value found for ``name``: a field must have exactly one."""
    return [kv.value for kv in found if kv.name == name]


# -- the lexicon itself ---------------------------------------------------------------


def test_lexicon_phrases_have_one_role_and_tokenize() -> None:
    roles: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for role, phrases in LEXICON.items():
        for phrase in phrases:
            tokens = _tokens(phrase)
            assert tokens, phrase
            # a rate is not part of a phrase: the matcher reads it after the label
            assert not any(c.isdigit() for c in phrase) and "%" not in phrase, phrase
            roles[tokens].add(role)
    assert {t: r for t, r in roles.items() if len(r) > 1} == {}
    assert set(_PHRASES) == set(roles)


@pytest.mark.parametrize(
    ("printed", "phrase"),
    [
        ("Termin płatności", "termin płatności"),
        ("Termin platnosci", "termin płatności"),
        ("TERMIN PŁATNOŚCI:", "termin płatności"),
        ("Data sprzedaży", "data sprzedazy"),
        ("Łącznie", "lacznie"),
        ("Nº factura", "n° factura"),
        ("N.º factura", "n° factura"),
        ("No. factura", "no factura"),
        ("Fattura n.", "fattura n"),
        ("Factuurnr.:", "factuurnr"),
        ("Fecha de emisión", "fecha de emision"),
        ("P.IVA", "p iva"),
        ("BTW-nummer", "btw nummer"),
    ],
)
def test_printed_labels_fold_to_their_phrases(printed: str, phrase: str) -> None:
    tokens = [t for word in printed.split() for t in _tokens(word)]
    assert tuple(tokens) == _tokens(phrase)
    assert tuple(tokens) in _PHRASES


# -- Dutch ----------------------------------------------------------------------------


def test_dutch_labels_right_of_values() -> None:
    doc = document(
        [
            (100, [(60, "Leverancier"), (330, "Factuurnummer:"), (430, "F2024-0042")]),
            (114, [(60, "Bakkerij De Zon B.V."), (330, "Factuurdatum:"), (430, "15-03-2024")]),
            (128, [(60, "BTW-nummer NL001234567B01"), (330, "Vervaldatum:"), (430, "14-04-2024")]),
            (142, [(330, "Klantnummer:"), (430, "12345")]),
            (300, [(330, "Subtotaal"), (470, "1.000,00")]),
            (314, [(330, "BTW 21%"), (470, "210,00")]),
            (328, [(330, "Totaal incl. BTW"), (470, "€ 1.210,00")]),
        ]
    )
    found = key_values(doc, "invoice", NL)
    assert values(found) == {
        "vendor_name": "Bakkerij De Zon B.V.",
        "invoice_number": "F2024-0042",
        "issue_date": "2024-03-15",
        "due_date": "2024-04-14",
        "net_amount": "1000.00",
        "tax_amount": "210.00",
        "total_amount": "1210.00",
    }
    assert len(found) == len(values(found))


def test_dutch_labels_above_values() -> None:
    doc = document(
        [
            (
                100,
                [
                    (60, "Factuurnr."),
                    (170, "Factuurdatum"),
                    (280, "Uiterste betaaldatum"),
                    (420, "Klantnummer"),
                ],
            ),
            (114, [(60, "F2024-0042"), (170, "15.03.2024"), (280, "14.04.2024"), (420, "12345")]),
            (300, [(330, "Totaal excl. BTW"), (470, "200,00")]),
            (314, [(330, "BTW (21%)"), (470, "42,00")]),
            (328, [(330, "Te betalen"), (470, "242,00")]),
        ]
    )
    found = key_values(doc, "invoice", NL)
    assert values(found) == {
        "invoice_number": "F2024-0042",
        "issue_date": "2024-03-15",
        "due_date": "2024-04-14",
        "net_amount": "200.00",
        "tax_amount": "42.00",
        "total_amount": "242.00",
    }
    by_name = {kv.name: kv for kv in found}
    assert by_name["invoice_number"].layout == "below"
    assert by_name["total_amount"].layout == "right"


# -- Spanish --------------------------------------------------------------------------


def test_spanish_labels_right_of_values() -> None:
    doc = document(
        [
            (100, [(60, "Proveedor"), (330, "Nº factura:"), (440, "A-2024/117")]),
            (114, [(60, "Papelería Sol S.L."), (330, "Fecha de emisión:"), (440, "15/03/2024")]),
            (128, [(60, "NIF B12345678"), (330, "Fecha de vencimiento:"), (460, "14/04/2024")]),
            (142, [(330, "Nº de cliente:"), (440, "4471")]),
            (300, [(330, "Base imponible"), (470, "1.000,00")]),
            (314, [(330, "IVA 21%"), (470, "210,00")]),
            (328, [(330, "Total factura"), (470, "1.210,00 €")]),
        ]
    )
    found = key_values(doc, "invoice", ES)
    assert values(found) == {
        "vendor_name": "Papelería Sol S.L.",
        "invoice_number": "A-2024/117",
        "issue_date": "2024-03-15",
        "due_date": "2024-04-14",
        "net_amount": "1000.00",
        "tax_amount": "210.00",
        "total_amount": "1210.00",
    }
    assert len(found) == len(values(found))


def test_spanish_labels_above_values() -> None:
    doc = document(
        [
            (100, [(60, "Número de factura"), (200, "Fecha"), (320, "N.º pedido")]),
            (114, [(60, "2024-0117"), (200, "15.03.2024"), (320, "PED-889")]),
            (300, [(330, "Subtotal"), (470, "80,00")]),
            (314, [(330, "Cuota IVA (21 %)"), (470, "16,80")]),
            (328, [(330, "Importe total"), (470, "96,80")]),
        ]
    )
    found = key_values(doc, "invoice", ES)
    assert values(found) == {
        "invoice_number": "2024-0117",
        "issue_date": "2024-03-15",
        "po_number": "PED-889",
        "net_amount": "80.00",
        "tax_amount": "16.80",
        "total_amount": "96.80",
    }


# -- Italian --------------------------------------------------------------------------


def test_italian_labels_right_of_values() -> None:
    doc = document(
        [
            (100, [(60, "Fornitore"), (330, "Fattura n."), (430, "117/2024")]),
            (114, [(60, "Cartoleria Rossi S.r.l."), (330, "Data fattura"), (430, "15/03/2024")]),
            (128, [(60, "P. IVA 01234567890"), (330, "Scadenza"), (430, "14/04/2024")]),
            (142, [(60, "C.F. 01234567890"), (330, "Codice cliente"), (430, "C-778")]),
            (300, [(330, "Imponibile"), (470, "1.000,00")]),
            (314, [(330, "IVA 22%"), (470, "220,00")]),
            (328, [(330, "Totale documento"), (470, "€ 1.220,00")]),
        ]
    )
    found = key_values(doc, "invoice", IT)
    assert values(found) == {
        "vendor_name": "Cartoleria Rossi S.r.l.",
        "invoice_number": "117/2024",
        "issue_date": "2024-03-15",
        "due_date": "2024-04-14",
        "net_amount": "1000.00",
        "tax_amount": "220.00",
        "total_amount": "1220.00",
    }
    assert named(found, "tax_amount") == ["220.00"]  # "P. IVA" is the VAT id, no tax


def test_italian_labels_above_values() -> None:
    doc = document(
        [
            (
                100,
                [
                    (60, "N. fattura"),
                    (170, "Data documento"),
                    (290, "Data scadenza"),
                    (410, "Codice cliente"),
                ],
            ),
            (114, [(60, "FT-117"), (170, "15.03.2024"), (290, "14.04.2024"), (410, "C-778")]),
            (300, [(330, "Totale imponibile"), (470, "1.000,00")]),
            (314, [(330, "IVA al 22%"), (470, "220,00")]),
            (328, [(330, "Totale da pagare"), (470, "1.220,00")]),
        ]
    )
    found = key_values(doc, "invoice", IT)
    assert values(found) == {
        "invoice_number": "FT-117",
        "issue_date": "2024-03-15",
        "due_date": "2024-04-14",
        "net_amount": "1000.00",
        "tax_amount": "220.00",
        "total_amount": "1220.00",
    }


# -- Polish ---------------------------------------------------------------------------


def test_polish_labels_right_of_values() -> None:
    doc = document(
        [
            (100, [(60, "Sprzedawca"), (330, "Faktura VAT nr"), (430, "FV/2024/03/117")]),
            (114, [(60, "Papiernik Sp. z o.o."), (330, "Data wystawienia:"), (440, "2024-03-15")]),
            (128, [(60, "NIP 525-000-00-00"), (330, "Termin płatności:"), (440, "2024-04-14")]),
            (142, [(330, "Numer klienta:"), (440, "77801")]),
            (300, [(330, "Wartość netto"), (470, "1 000,00")]),
            (314, [(330, "VAT 23%"), (470, "230,00")]),
            (328, [(330, "Do zapłaty"), (470, "1 230,00 zł")]),
        ]
    )
    found = key_values(doc, "invoice", PL)
    assert values(found) == {
        "vendor_name": "Papiernik Sp. z o.o.",
        "invoice_number": "FV/2024/03/117",
        "issue_date": "2024-03-15",
        "due_date": "2024-04-14",
        "net_amount": "1000.00",
        "tax_amount": "230.00",
        "total_amount": "1230.00",
    }
    assert len(found) == len(values(found))


def test_polish_labels_above_values_without_diacritics() -> None:
    # The date of sale is the supply date on an invoice: not its issue date.
    doc = document(
        [
            (
                100,
                [
                    (60, "Numer faktury"),
                    (170, "Data wystawienia"),
                    (280, "Termin platnosci"),
                    (390, "Data sprzedazy"),
                    (480, "Nr klienta"),
                ],
            ),
            (
                114,
                [
                    (60, "117/03/2024"),
                    (170, "15.03.2024"),
                    (280, "29.03.2024"),
                    (390, "14.03.2024"),
                    (480, "77801"),
                ],
            ),
            (300, [(330, "Netto"), (470, "1000,00")]),
            (314, [(330, "Kwota VAT"), (470, "230,00")]),
            (328, [(330, "Razem do zaplaty"), (470, "1230,00")]),
        ]
    )
    found = key_values(doc, "invoice", PL)
    assert values(found) == {
        "invoice_number": "117/03/2024",
        "issue_date": "2024-03-15",
        "due_date": "2024-03-29",
        "net_amount": "1000.00",
        "tax_amount": "230.00",
        "total_amount": "1230.00",
    }


# -- tax labels with a rate -----------------------------------------------------------


@pytest.mark.parametrize(
    "label",
    [
        "Tax 8%",
        "Sales Tax",
        "Sales Tax (8.25%)",
        "TAX 8.875%:",
        "VAT (20%)",
        "VAT (20 %)",
        "VAT @ 20%",
        "VAT at 20%",
        "VAT 20% on £80.00",
        "GST 6%",
        "GST @6%",
        "GST@6%",
        "SST 6%",
        "BTW 21%",
        "BTW 21% over € 80,00",
        "MwSt. 19%",
        "MwSt.19%",
        "zzgl. 19% MwSt.",
        "IVA 22%",
        "IVA al 21%",
        "TVA 20 %",
        "TVA à 20%",
        "VAT 23%",
    ],
)
def test_a_tax_label_with_its_rate_takes_the_amount(label: str) -> None:
    doc = document([(314, [(330, label), (470, "16.00")])])
    (found,) = key_values(doc, "invoice", EN)
    assert (found.name, found.value, found.layout) == ("tax_amount", "16.00", "right")
    assert found.label == label.removeprefix("zzgl. 19% ")


def test_a_rate_in_its_own_column_is_not_the_tax() -> None:
    doc = document(
        [
            (300, [(330, "Subtotal"), (470, "200.00")]),
            (314, [(330, "Tax"), (400, "8%"), (470, "16.00")]),
            (328, [(330, "Tax (8 %) 16.00")]),  # one run: label, rate and amount
            (342, [(330, "Total"), (470, "216.00")]),
        ]
    )
    found = key_values(doc, "invoice", EN)
    assert named(found, "tax_amount") == ["16.00", "16.00"]
    assert values(found) == {
        "net_amount": "200.00",
        "tax_amount": "16.00",
        "total_amount": "216.00",
    }


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Total", "total_amount"),
        ("TOTAL", "total_amount"),
        ("Grand Total", "total_amount"),
        ("AMOUNT DUE", "total_amount"),
        ("BALANCE DUE", "total_amount"),
        ("NETT TOTAL", "total_amount"),
        ("TOTAL INCL. GST", "total_amount"),
        ("TOTAL SALES (INCLUSIVE OF GST)", "total_amount"),
        ("Total incl. VAT", "total_amount"),
        ("Summe", "total_amount"),
        ("Gesamt", "total_amount"),
        ("Total TTC", "total_amount"),
        ("Totaal", "total_amount"),
        ("Totaalbedrag", "total_amount"),
        ("Totaal incl. BTW", "total_amount"),
        ("Total (IVA incluido)", "total_amount"),
        ("Totale", "total_amount"),
        ("Totale fattura", "total_amount"),
        ("Suma", "total_amount"),
        ("Razem", "total_amount"),
        ("Wartość brutto", "total_amount"),
        ("Net total", "net_amount"),
        ("Subtotal", "net_amount"),
        ("SUB TOTAL", "net_amount"),
        ("Total excl. VAT", "net_amount"),
        ("Total HT", "net_amount"),
        ("TOTAL SALES (EXCLUDING GST)", "net_amount"),
        ("Totaal excl. BTW", "net_amount"),
        ("Subtotaal", "net_amount"),
        ("Base imponible", "net_amount"),
        ("Imponibile", "net_amount"),
        ("Razem netto", "net_amount"),
        ("Total VAT", "tax_amount"),
        ("Totaal BTW", "tax_amount"),
        ("Totale IVA", "tax_amount"),
        ("Summe MwSt.", "tax_amount"),
    ],
)
def test_the_longest_phrase_names_the_amount(label: str, name: str) -> None:
    doc = document([(300, [(330, label), (480, "23.30")])])
    assert values(key_values(doc, "invoice", EN)) == {name: "23.30"}


# -- labels that stop a search --------------------------------------------------------


@pytest.mark.parametrize(
    ("invoice_label", "other"),
    [
        ("Invoice No.", "Customer No. 778"),
        ("Invoice No.", "Client No. 778"),
        ("Invoice No.", "Cust. No. 778"),
        ("Factuurnummer", "Klantnummer 12345"),
        ("Rechnungsnummer", "Kundennr. 12345"),
        ("Numer faktury", "Numer klienta 12345"),
        ("Nº factura", "Nº cliente 12345"),
        ("N. fattura", "Codice cliente 12345"),
    ],
)
def test_a_customer_number_is_not_the_invoice_number(invoice_label: str, other: str) -> None:
    # The invoice number's label has no value beside it; right under it, the customer
    # number's line begins further left, so its digits sit under the invoice label.
    label, number = other.rsplit(" ", 1)
    left = 330 - 2.8 - 5.5 * len(label)
    doc = document(
        [
            (100, [(330, invoice_label)]),
            (114, [(left, f"{label} {number}")]),
            (128, [(330, "Invoice date"), (450, "15.03.2024")]),
        ]
    )
    found = key_values(doc, "invoice", EN)
    assert "invoice_number" not in values(found)
    assert all(kv.raw != number for kv in found)


def test_customer_and_order_numbers_beside_the_invoice_number() -> None:
    doc = document(
        [
            (100, [(60, "Klantnummer"), (140, "12345"), (330, "Factuurnummer"), (430, "F-0042")]),
            (114, [(60, "Uw referentie"), (140, "Q-77"), (330, "Ordernummer"), (430, "PO-991")]),
            (128, [(60, "Customer No. 778"), (330, "Invoice No."), (430, "INV-7")]),
        ]
    )
    found = key_values(doc, "invoice", NL)
    assert named(found, "invoice_number") == ["F-0042", "INV-7"]
    assert named(found, "po_number") == ["PO-991"]
    assert not {"12345", "Q-77", "778"} & {kv.raw for kv in found}


def test_receipt_cash_and_change_are_not_the_total() -> None:
    doc = document(
        [
            (100, [(60, "SUBTOTAL"), (200, "23.28")]),
            (114, [(60, "ROUNDING ADJ"), (200, "0.02")]),
            (128, [(60, "TOTAL"), (200, "23.30")]),
            (142, [(60, "CASH"), (200, "50.00")]),
            (156, [(60, "CHANGE"), (200, "26.70")]),
            (170, [(60, "TOTAL QTY: 3")]),
            (184, [(60, "TOTAL SAVINGS"), (200, "1.20")]),
            (198, [(60, "NO. OF ITEMS"), (200, "3")]),
            (212, [(60, "CHANGE DUE"), (200, "26.70")]),
            (226, [(60, "VISA"), (200, "23.30")]),
        ]
    )
    found = key_values(doc, "receipt", EN)
    assert named(found, "total_amount") == ["23.30"]
    assert values(found) == {"total_amount": "23.30"}
    (field,) = reconcile([], found, "receipt")
    assert (field.name, field.value) == ("total_amount", "23.30")


@pytest.mark.parametrize(
    ("total", "others"),
    [
        ("Summe 23,30", ("Gegeben 50,00", "Rückgeld 26,70", "Rundung 0,02")),
        ("Total TTC 23,30", ("Espèces 50,00", "Rendu 26,70", "Remise 1,20")),
        ("Totaal 23,30", ("Contant 50,00", "Wisselgeld 26,70", "Korting 1,20")),
        ("Total 23,30", ("Efectivo 50,00", "Cambio 26,70", "Descuento 1,20")),
        ("Totale 23,30", ("Contanti 50,00", "Resto 26,70", "Sconto 1,20")),
        ("Suma 23,30", ("Gotówka 50,00", "Reszta 26,70", "Rabat 1,20")),
    ],
)
def test_receipt_payment_lines_stop_in_every_language(total: str, others: tuple[str, ...]) -> None:
    rows = [(128.0 + 14 * i, line) for i, line in enumerate((total, *others))]
    doc = document(
        [(top, [(60, text.rsplit(" ", 1)[0]), (200, text.rsplit(" ", 1)[1])]) for top, text in rows]
    )
    found = key_values(doc, "receipt", NormalizeHints(decimal_comma=True))
    assert values(found) == {"total_amount": "23.30"}
    assert len(found) == 1


def test_other_labels_give_nothing() -> None:
    lines: Lines = [
        (100.0 + 14 * i, [(60, phrase), (300, "12345")]) for i, phrase in enumerate(LEXICON[OTHER])
    ]
    for doc_type in ("invoice", "purchase_order", "receipt", "remittance_advice"):
        assert key_values(document(lines), doc_type, EN) == []


# -- ids printed in groups, utility bills ---------------------------------------------


def test_an_invoice_number_printed_in_digit_groups_is_read_whole() -> None:
    doc = document(
        [
            (100, [(330, "N° de facture : 0412 5570 98")]),
            (114, [(330, "Facture n° 2026-0193 1")]),
        ]
    )
    FR = NormalizeHints(language="fr", decimal_comma=True)
    # Digit groups of two or more go on; a lone digit after an id is no part of it.
    assert named(key_values(doc, "invoice", FR), "invoice_number") == ["0412 5570 98", "2026-0193"]


def test_a_bills_totals_before_and_after_vat() -> None:
    doc = document(
        [
            (300, [(330, "Total charges before VAT"), (500, "£169.07")]),
            (314, [(330, "VAT at 5%"), (500, "£8.45")]),
            (328, [(330, "Total charges this bill"), (500, "£177.52")]),
        ]
    )
    found = key_values(doc, "invoice", EN)
    assert values(found) == {"net_amount": "169.07", "tax_amount": "8.45", "total_amount": "177.52"}
    assert len(found) == 3


def test_a_row_of_sums_gives_its_label_no_amount() -> None:
    """Under a table whose last columns are the tax and the total, "TOTAL:" prints both:
    the label cannot say which is its own."""
    doc = document(
        [
            (300, [(60, "TOTAL:"), (400, "₹243.76"), (480, "₹1,598.00")]),
            (314, [(60, "Amount due"), (400, "INR 1,598.00")]),  # a currency, one amount
        ]
    )
    IN = NormalizeHints(language="en")
    assert named(key_values(doc, "invoice", IN), "total_amount") == ["1598.00"]


# -- the corpus's Dutch, Spanish, Italian and Polish labels -----------------------------

# corpus label key -> the roles its trained wordings may take in the lexicon ("Datum" and
# "Data" are the generic document date).
_CORPUS_ROLES = {
    "invoice_number": {"invoice_number"},
    "issue_date": {"issue_date", "document_date"},
    "due_date": {"due_date"},
    "order_date": {"order_date", "document_date"},
    "po_number": {"po_number"},
    "net": {"net_amount"},
    "tax": {"tax_amount"},
    "total": {"total_amount"},
    "customer_number": {OTHER},
    "vendor": {"vendor_name"},
    "buyer": {"buyer_name"},
}


@pytest.mark.parametrize("language", ["nl", "es", "it", "pl"])
def test_lexicon_reads_every_label_the_corpus_trains_on(language: str) -> None:
    """What the synthetic documents print in train is what real ones print; the held-out
    wordings stay out of the lexicon, so the benchmark still measures generalization."""
    from corpus._labels import train_labels

    trained = train_labels()
    missing = [
        (key, wording)
        for key, roles in _CORPUS_ROLES.items()
        for wording in trained[key][language]
        if _PHRASES.get(_tokens(wording)) not in roles
    ]
    assert missing == []


def test_polish_till_reads_ptu_as_the_tax_and_stops_at_the_cash() -> None:
    doc = document(
        [
            (100, [(60, "SUMA"), (400, "24,60")]),
            (114, [(60, "GOTÓWKA"), (400, "50,00")]),
            (128, [(60, "RESZTA"), (400, "25,40")]),
            (142, [(60, "PTU A 23%"), (400, "4,60")]),
        ]
    )
    assert values(key_values(doc, "receipt", PL)) == {
        "total_amount": "24.60",
        "tax_amount": "4.60",
    }
