from __future__ import annotations

import pytest

from clerk.documents import Box, Field, LineItem, document_text
from extractors._tables import header_roles, parse_tables
from extractors.ner.hints import infer_hints
from tests.unit.extractors.ner_support import CHAR_WIDTH, LINE_HEIGHT, make_document


def values(page: str, doc_type: str = "invoice") -> list[dict[str, str | None]]:
    """Each row's values by column."""
    source = document_text(make_document([page]))
    return [row.values() for row in parse_tables(source, doc_type, infer_hints(source.text))]


def items(found: list[dict[str, str | None]]) -> list[tuple[str | None, ...]]:
    return [tuple(row.values()) for row in found]


def cell(rows: tuple[LineItem, ...], row: int, column: str) -> Field:
    found = rows[row].cell(column)
    assert found is not None, f"line {row + 1} has no {column}"
    return found


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "Pos. Bezeichnung Menge E-Preis G-Preis",
            ["position", "description", "quantity", "unit_price", "amount"],
        ),
        ("Qty Description Unit Price Amount", ["quantity", "description", "unit_price", "amount"]),
        (
            "Réf. Désignation Qté P.U. HT TVA Montant HT",
            ["sku", "description", "quantity", "unit_price", "tax_rate", "amount"],
        ),
        ("Description Rate Units Ext. Price", ["description", "unit_price", "quantity", "amount"]),
        ("Bill to: ACME Ltd.", []),
        # time billed: hours (or days) times a rate
        (
            "Description Heures Prix/h Début Fin Montant",
            ["description", "quantity", "unit_price", "amount"],
        ),
        (
            "Leistung Stunden Stundensatz Betrag",
            ["description", "quantity", "unit_price", "amount"],
        ),
        ("Service Hours Hourly rate Amount", ["description", "quantity", "unit_price", "amount"]),
    ],
)
def test_header_roles_in_three_languages(header: str, expected: list[str]) -> None:
    assert header_roles(header) == expected


def test_english_table_description_first() -> None:
    page = (
        "INVOICE\nInvoice No. INV-1\n"
        "Description Qty Unit Price Amount\n"
        "Office chair 2 149.00 298.00\n"
        "Coffee beans 1 kg 3 12.50 37.50\n"
        "A4 copy paper, 500 sheets 10 4.99 49.90\n"
        "Subtotal 385.40\nVAT 73.23\nTotal 458.63"
    )
    assert items(values(page)) == [
        ("Office chair", "2", "149.00", "298.00"),
        ("Coffee beans 1 kg", "3", "12.50", "37.50"),
        ("A4 copy paper, 500 sheets", "10", "4.99", "49.90"),
    ]


def test_german_table_with_position_and_thousands() -> None:
    page = (
        "RECHNUNG\n"
        "Pos. Bezeichnung Menge Einzelpreis Gesamtpreis\n"
        "1 Bürostuhl 2 1.249,00 2.498,00\n"
        "2 Kaffeebohnen 1 kg 2,5 18,40 46,00\n"
        "Zwischensumme 2.544,00 €"
    )
    assert items(values(page)) == [
        ("Bürostuhl", "2", "1249.00", "2498.00"),
        ("Kaffeebohnen 1 kg", "2.5", "18.40", "46.00"),
    ]


def test_a_price_per_unit_of_usage_is_the_unit_price() -> None:
    page = (
        "Position Verbrauch Arbeitspreis Netto\n"
        "Verbindungen außerhalb des Tarifs 165 Min. 0,11/Min. 18,15\n"
        "Beratung vor Ort 3,5 Std. 85,00/h 297,50\n"
        "Zwischensumme 315,65 €"
    )
    assert items(values(page)) == [
        ("Verbindungen außerhalb des Tarifs", "165", "0.11", "18.15"),
        ("Beratung vor Ort", "3.5", "85.00", "297.50"),
    ]


def test_french_table_quantity_first_with_space_thousands() -> None:
    page = (
        "FACTURE\n"
        "Qté Désignation Prix unitaire Montant HT\n"
        "3 Chaise de bureau 1 250,00 3 750,00\n"
        "12 Câble USB-C 9,90 118,80\n"
        "Total HT 3 868,80 €"
    )
    assert items(values(page)) == [
        ("Chaise de bureau", "3", "1250.00", "3750.00"),
        ("Câble USB-C", "12", "9.90", "118.80"),
    ]


def test_unit_price_before_quantity_and_sku_column() -> None:
    page = (
        "Art.-Nr. Bezeichnung Einzelpreis Menge Betrag\n"
        "K12345 Netzwerk-Switch 89,90 4 359,60\n"
        "Summe 359,60"
    )
    assert items(values(page)) == [("Netzwerk-Switch", "4", "89.90", "359.60")]


def test_lines_whose_numbers_do_not_multiply_are_not_rows() -> None:
    page = (
        "Description Qty Unit Price Amount\n"
        "Office chair 2 149.00 300.00\n"
        "Phone 030 1234 5678\n"
        "Total 300.00"
    )
    assert items(values(page)) == []


def test_only_invoices_and_orders_have_line_items() -> None:
    page = "Description Qty Unit Price Amount\nOffice chair 2 149.00 298.00"
    assert items(values(page, "purchase_order")) == [("Office chair", "2", "149.00", "298.00")]
    assert values(page, "receipt") == []


def test_paid_invoices_take_the_paid_column() -> None:
    page = (
        "REMITTANCE ADVICE\n"
        "Invoice No. Date Invoice amount Discount Paid\n"
        "INV-2024-0012 12.03.2024 1,000.00 20.00 980.00\n"
        "INV-2024-0019 15.03.2024 250.00 0.00 250.00\n"
        "Total paid 1,230.00"
    )
    found = values(page, "remittance_advice")
    assert found == [
        {"invoice_number": "INV-2024-0012", "amount": "980.00"},
        {"invoice_number": "INV-2024-0019", "amount": "250.00"},
    ]


def test_row_fields_carry_page_and_the_union_of_their_word_boxes() -> None:
    page = "Description Qty Unit Price Amount\nOffice chair 2 149.00 298.00"
    source = document_text(make_document(["Cover page", page]))
    fields = parse_tables(source, "invoice", infer_hints(source.text))
    description = cell(fields, 0, "description")
    assert description.page == 2
    # "Office chair" spans characters 0..12 of line 1
    assert description.box == Box(0.0, LINE_HEIGHT, 12 * CHAR_WIDTH, LINE_HEIGHT + 10.0)
    amount = cell(fields, 0, "amount")
    assert amount.box == Box(22 * CHAR_WIDTH, LINE_HEIGHT, 28 * CHAR_WIDTH, LINE_HEIGHT + 10.0)


def test_ocr_word_confidence_lowers_row_confidence() -> None:
    page = "Description Qty Unit Price Amount\nOffice chair 2 149.00 298.00"
    clean = make_document([page])
    scanned = make_document([page], confidence=0.7)
    hints = infer_hints(page)
    high = parse_tables(document_text(clean), "invoice", hints)[0].cells[0].confidence
    low = parse_tables(document_text(scanned), "invoice", hints)[0].cells[0].confidence
    assert low < high


def test_a_line_under_a_rows_description_is_joined_kept_apart_or_left_to_a_person() -> None:
    """Under a row's description: plain words carry a wrapped description on ("Nettoyage /
    des locaux"); a labelled detail ("Référence X88444") or a bare code is not part of it;
    anything else (here a line with a percent) may be either, so a person looks. A note
    at the left margin, away from the description column, or a totals line changes
    nothing."""
    page = (
        "N° Prestation Qté Prix unitaire Total ligne\n"
        "1 Nettoyage 4 664.97 2659.88\n"
        "  des locaux\n"
        "  et vitres\n"
        "2 Frais de port 1 26.46 26.46\n"
        "  Référence X88444\n"
        "3 Palette bois 3 17.84 53.52\n"
        "All amounts in EUR\n"
        "4 Palette bois 1 17.84 17.84\n"
        "5 Remise 1 -10.00 -10.00\n"
        "  15% sur palettes\n"
        "Net HT 2747.70"
    )
    source = document_text(make_document([page]))
    found = parse_tables(source, "invoice", infer_hints(source.text))
    wrapped = cell(found, 0, "description")
    assert (wrapped.value, wrapped.confidence) == ("Nettoyage des locaux et vitres", 0.97)
    assert wrapped.box is not None and wrapped.box.y1 - wrapped.box.y0 > 20, "three lines"
    detailed = cell(found, 1, "description")
    assert (detailed.value, detailed.confidence) == ("Frais de port", 0.97)
    assert cell(found, 2, "description").confidence == 0.97, "a note at the margin"
    assert cell(found, 3, "description").confidence == 0.97, "the totals line is no text"
    assert cell(found, 4, "description").confidence < 0.93, "unclear: a person looks"
    assert cell(found, 0, "amount").confidence == 0.97, "the numbers are still sure"


@pytest.mark.parametrize(
    ("under", "description"),
    [
        ("X88444", "Frais de port"),  # a bare code: a detail
        ("SKU: 4711-A", "Frais de port"),  # labelled: a detail
        ("Serial no 12345", "Frais de port"),
        ("Art.-Nr. X26003", "Frais de port"),  # an abbreviated label: a detail
        ("Art. No. X26003", "Frais de port"),
        ("express, insured", "Frais de port express, insured"),  # plain words: wrapped
    ],
)
def test_what_stands_under_a_description(under: str, description: str) -> None:
    page = (
        "Pos Description Qty Unit price Amount\n"
        "1 Frais de port 2 26.46 52.92\n"
        f"  {under}\n"
        "2 Palette bois 3 17.84 53.52\n"
        "Net 106.44"
    )
    source = document_text(make_document([page]))
    found = parse_tables(source, "invoice", infer_hints(source.text))
    first = cell(found, 0, "description")
    assert (first.value, first.confidence) == (description, 0.97)


def test_a_currency_line_under_the_last_row_is_no_part_of_its_description() -> None:
    page = (
        "Pos Description Qty Unit price Amount\n"
        "1 Frais de port 2 26.46 52.92\n"
        "2 Boulons acier M8 XL 3 17.84 53.52\n"
        "  Devise EUR\n"
        "Net 106.44"
    )
    source = document_text(make_document([page]))
    found = parse_tables(source, "invoice", infer_hints(source.text))
    last = cell(found, 1, "description")
    assert last.value == "Boulons acier M8 XL" and last.confidence < 0.93


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "FACTUUR\nOmschrijving Aantal Stuksprijs BTW % Bedrag\n"
            "Bureaustoel 2 1.249,00 21% 2.498,00\nVerzendkosten 1 12,50 21% 12,50\n"
            "Subtotaal 2.510,50",
            [("Bureaustoel", "2", "1249.00", "2498.00"), ("Verzendkosten", "1", "12.50", "12.50")],
        ),
        (
            "FACTURA\nConcepto Cant. Precio Importe\nCable USB-C 10 8,95 89,50\n"
            "Base imponible 89,50",
            [("Cable USB-C", "10", "8.95", "89.50")],
        ),
        (
            "FATTURA\nDescrizione Q.tà Prezzo unitario Importo\nToner nero 3 177,90 533,70\n"
            "Imponibile 533,70",
            [("Toner nero", "3", "177.90", "533.70")],
        ),
        (
            "FAKTURA VAT\nLp. Nazwa towaru lub usługi Ilość Cena netto Stawka VAT Wartość netto\n"
            "1 Krzesło biurowe 4 1 249,00 23% 4 996,00\n2 Kabel USB-C 20 12,88 23% 257,60\n"
            "Razem netto 5 253,60",
            [
                ("Krzesło biurowe", "4", "1249.00", "4996.00"),
                ("Kabel USB-C", "20", "12.88", "257.60"),
            ],
        ),
    ],
)
def test_dutch_spanish_italian_polish_tables(
    page: str, expected: list[tuple[str | None, ...]]
) -> None:
    assert items(values(page)) == expected
