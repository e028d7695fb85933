"""The sender of an invoice or purchase order from the edges of its page
(``extractors._sender``): the registered name its letterhead and footer both print."""

from __future__ import annotations

from clerk.documents import Field, document_text
from extractors._sender import (
    LETTERHEAD_CONFIDENCE,
    SENDER_CONFIDENCE,
    SENDER_DIFFERS_CHECK,
    in_addressee_block,
    letterhead_name,
    merge_sender,
    only_other_company,
    sender_check,
    sender_name,
)
from tests.unit.extractors.ner_support import make_document

INVOICE = """Tax Invoice Montprint B.V.
Kerkstraat 101
3011 AD Rotterdam
accounts@montprint.nl
Aquatec B.V. Invoice #
Attn: Pierre Neumann 9564939
Total 4872.17
Payment terms: 30 days net.
Thank you for your business!
VAT No. NL276233299B62
Montprint B.V. T +31 (471) 257711 Volksbank
Kerkstraat 101 accounts@montprint.nl IBAN: NL86 GKLV 1083 4415 47
3011 AD Rotterdam www.montprint.nl SWIFT MYPCNLXX"""

ORDER = """Johnson & Richter GmbH & Co. KG Bestellung
Schillerstraße 164
28195 Bremen
Lieferant
Seine Office GmbH
Dorfstrasse 8
Summe 4764,76 €
Bitte bestätigen Sie diese Bestellung.
Johnson & Richter GmbH & Co. KG Tel. +49 83 9868970
Schillerstraße 164 contact@johnson.de
28195 Bremen www.johnson.de
Seite 1 von 1"""


def test_the_longest_registered_name_at_both_edges_is_the_sender() -> None:
    found = sender_name(INVOICE)
    assert found is not None and found.name == "Montprint B.V."
    assert INVOICE[found.start : found.end] == "Montprint B.V."
    found = sender_name(ORDER)
    assert found is not None and found.name == "Johnson & Richter GmbH & Co. KG"


def test_ocr_that_drops_an_accent_at_one_edge_still_names_the_whole_sender() -> None:
    scanned = ORDER.replace("Johnson & Richter", "Müller & Richter", 1).replace(
        "Johnson & Richter", "Muller & Richter"
    )
    found = sender_name(scanned)
    assert found is not None and found.name == "Müller & Richter GmbH & Co. KG"


def test_the_end_of_a_longer_name_is_not_the_sender() -> None:
    # Top and footer differ in the first word (OCR): their common end is no one's name.
    cut = ORDER.replace("Johnson & Richter", "Jonhson & Richter", 1)
    assert sender_name(cut) is None
    # A word before the name is no part of it unless it joins it: a title, any title.
    titled = ORDER.replace(
        "Johnson & Richter GmbH & Co. KG Bestellung", "Order Johnson & Richter GmbH & Co. KG", 1
    )
    found = sender_name(titled)
    assert found is not None and found.name == "Johnson & Richter GmbH & Co. KG"


def test_a_name_printed_once_or_without_a_legal_form_sends_nothing() -> None:
    assert sender_name(INVOICE.replace("Montprint B.V. T", "Montprint T")) is None
    assert sender_name("Acme GmbH\nTotal 3.00\nAcme GmbH") is None  # too short to have edges


def _merged(text: str, doc_type: str, fields: list[Field]) -> dict[str, Field]:
    source = document_text(make_document([text]))
    return {f.name: f for f in merge_sender(fields, doc_type, source)}


def test_a_missing_sender_is_filled_from_the_edges_with_its_box() -> None:
    merged = _merged(INVOICE, "invoice", [])
    vendor = merged["vendor_name"]
    assert (vendor.value, vendor.source, vendor.confidence) == (
        "Montprint B.V.",
        "rule",
        SENDER_CONFIDENCE,
    )
    assert vendor.box is not None and vendor.page == 1


def test_a_purchase_orders_vendor_read_as_its_buyer_gives_way_to_the_sender() -> None:
    vendor = Field("vendor_name", "Seine Office GmbH", "Seine Office GmbH", 0.85)
    buyer = Field("buyer_name", "Seine Office GmbH", "Seine Office GmbH", 0.8)
    merged = _merged(ORDER, "purchase_order", [buyer, vendor])
    assert merged["buyer_name"].value == "Johnson & Richter GmbH & Co. KG"
    assert merged["vendor_name"] == vendor


def test_a_third_name_the_model_is_unsure_of_gives_way_to_the_sender() -> None:
    """The model's unsure sender is mostly the customer's name from the address block."""
    customer = Field("vendor_name", "Aquatec B.V.", "Aquatec B.V.", 0.71)
    vendor = _merged(INVOICE, "invoice", [customer])["vendor_name"]
    assert (vendor.value, vendor.source) == ("Montprint B.V.", "rule")


def test_a_third_name_stays_as_read_and_the_check_fails() -> None:
    customer = Field("vendor_name", "Aquatec B.V.", "Aquatec B.V.", 0.97)
    assert _merged(INVOICE, "invoice", [customer])["vendor_name"] == customer
    check = sender_check("invoice", {"vendor_name": "Aquatec B.V."}, INVOICE)
    assert check is not None and check.name == SENDER_DIFFERS_CHECK and not check.passed
    assert "'Montprint B.V.'" in check.message
    assert sender_check("invoice", {"vendor_name": "montprint  b.v."}, INVOICE) is None
    assert sender_check("receipt", {"merchant_name": "X"}, INVOICE) is None


def test_a_name_the_model_is_sure_of_in_the_addressees_block_is_the_customer() -> None:
    billed = INVOICE.replace("Aquatec B.V. Invoice #", "Bill to: Invoice #\nAquatec B.V.")
    customer = Field("vendor_name", "Aquatec B.V.", "Aquatec B.V.", 0.99)
    vendor = _merged(billed, "invoice", [customer])["vendor_name"]
    assert (vendor.value, vendor.source, vendor.confidence) == (
        "Montprint B.V.",
        "rule",
        SENDER_CONFIDENCE,
    )
    assert in_addressee_block("Aquatec B.V.", billed)
    assert in_addressee_block("aquatec  b.v.", "Rechnungsempfänger: Aquatec B.V.")
    assert not in_addressee_block("Aquatec B.V.", INVOICE)  # no addressee's label
    assert not in_addressee_block("Aquatec B.V.", "Bill to:\nAttn: Pierre\nLeeds\nAquatec B.V.")


def test_an_orders_vendor_is_the_one_company_it_names_besides_its_buyer() -> None:
    buyer = "Johnson & Richter GmbH & Co. KG"
    assert only_other_company("Seine Office GmbH", buyer, ORDER)
    assert not only_other_company("Office GmbH", buyer, ORDER)  # the end of a longer name
    assert not only_other_company("Seine Office", buyer, ORDER)  # no legal form
    assert not only_other_company(buyer, buyer, ORDER)
    banked = ORDER.replace("Seite 1 von 1", "Bank: Deutsche Bank AG")
    assert not only_other_company("Seine Office GmbH", buyer, banked)  # a third company
    # "as" is a word, not a Norwegian legal form, where it is not written in capitals
    worded = ORDER.replace("Bitte", "Bitte as agreed")
    assert only_other_company("Seine Office GmbH", buyer, worded)
    labelled = ORDER.replace("Seine Office GmbH", "Lieferant: Seine Office GmbH")
    assert only_other_company("Seine Office GmbH", buyer, labelled)


def test_legal_forms_of_many_countries_end_a_senders_name() -> None:
    for name in ("Amazon EU S.à r.l.", "OVH SAS", "Acme Pvt. Ltd.", "Müller e.K."):
        text = f"{name}\n" + "line\n" * 10 + f"{name} · registered office"
        found = sender_name(text)
        assert found is not None and found.name == name


def test_a_name_printed_only_in_the_letterhead_is_proposed_below_the_bar() -> None:
    text = (
        "TAX INVOICE\nShree Ganesh Furniture Pvt. Ltd.\nPlot 22, MIDC, Pune 411019\n"
        "Bill To: Acme Technologies LLP\nInvoice No.: SGF/1187\nGrand Total 43,070.00\n"
        "Thank you"
    )
    vendor = _merged(text, "invoice", [])["vendor_name"]
    assert (vendor.value, vendor.confidence) == (
        "Shree Ganesh Furniture Pvt. Ltd.",
        LETTERHEAD_CONFIDENCE,
    )
    assert vendor.confidence < SENDER_CONFIDENCE and vendor.box is not None
    assert letterhead_name("Tax Invoice Montprint B.V.\nKerkstraat 1") is not None
    assert letterhead_name("Tax Invoice Montprint B.V.\nKerkstraat 1").name == "Montprint B.V."
    # The addressee's block first: the registered name below it is the customer's.
    assert letterhead_name("INVOICE\nBill To:\nAcme Technologies LLP\nTotal 3.00") is None
    # A sender the model read stays as read.
    read = Field("vendor_name", "Shree Ganesh", "Shree Ganesh", 0.97)
    assert _merged(text, "invoice", [read])["vendor_name"] == read


def test_a_name_the_model_cut_at_its_first_legal_form_gives_way_to_the_whole() -> None:
    cut = Field("buyer_name", "Johnson & Richter GmbH", "Johnson & Richter GmbH", 0.97)
    buyer = _merged(ORDER, "purchase_order", [cut])["buyer_name"]
    assert (buyer.value, buyer.confidence) == ("Johnson & Richter GmbH & Co. KG", SENDER_CONFIDENCE)
    whole = Field("buyer_name", "Johnson & Richter GmbH & Co. KG", "x", 0.97)
    assert _merged(ORDER, "purchase_order", [whole])["buyer_name"] == whole
