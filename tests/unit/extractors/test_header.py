"""The merchant from a receipt's header lines, by layout (``extractors._header``)."""

from __future__ import annotations

from clerk.documents import Box, Document, Field, Page, Word
from extractors._header import (
    HEADER_CONFIRMED_CONFIDENCE,
    HEADER_ONLY_CONFIDENCE,
    merchant_from_header,
    merge_merchant,
)

LINE_HEIGHT = 20.0


def receipt(*lines: str | tuple[str, float, float]) -> Document:
    """A one-page OCR document: each line a string, or (text, confidence, height factor)."""
    words: list[Word] = []
    y = 10.0
    for number, line in enumerate(lines):
        text, confidence, size = (line, 0.95, 1.0) if isinstance(line, str) else line
        x = 20.0
        for token in text.split():
            width = 9.0 * len(token) * size
            box = Box(x, y, x + width, y + LINE_HEIGHT * size)
            words.append(Word(token, confidence, 1, number, box))
            x += width + 8.0
        y += LINE_HEIGHT * size + 6.0
    return Document("0" * 64, "r.jpg", "image/jpeg", (Page(1, 600.0, y + 10, tuple(words)),), "ocr")


def test_the_name_with_its_legal_form_under_noise_and_a_title() -> None:
    doc = receipt(
        ("aw nO oF ee es", 0.2, 1.0),  # a logo read as letters
        "TAX INVOICE",
        ("SYARIKAT PERNIAGAAN GIN KEE SDN BHD (81109-A)", 0.93, 1.3),
        "NO 290, JALAN AIR PANAS.",
        "53200, KUALA LUMPUR.",
        "Tel: 03-6258 7191",
        "GST Reg No 001269075968",
    )
    found = merchant_from_header(doc)
    assert found is not None
    assert found.text == "SYARIKAT PERNIAGAAN GIN KEE SDN BHD"  # without its registration
    assert found.legal_form and found.page == 1
    assert found.box.y0 >= 2 * LINE_HEIGHT  # drawn over the name's line, not the logo


def test_a_legal_form_on_the_next_line_continues_the_name() -> None:
    doc = receipt("POPULAR BOOK", "CO. (M) SDN BHD", "(Co. No. 113825-W)", "No 8, Jalan 7/118B")
    found = merchant_from_header(doc)
    assert found is not None and found.text == "POPULAR BOOK CO. (M) SDN BHD"


def test_a_name_that_goes_on_below_is_never_cut_at_its_first_line() -> None:
    # "HOLDINGS" scores as a legal form on its own line: the name still goes on below.
    doc = receipt("Cash Sale", "SINNATHAMBY HOLDINGS", "SDN. BHD.", "249336-T", "NO.17, JALAN")
    found = merchant_from_header(doc)
    assert found is not None and found.text == "SINNATHAMBY HOLDINGS SDN. BHD."
    # The registration under the legal form is not part of the name, however misread.
    doc = receipt("POPULAR BOOK", "CO. CM) SDN BHD", "(Co. Nor 113825-W)", "No 8, Jalan 7/118B")
    found = merchant_from_header(doc)
    assert found is not None and found.text == "POPULAR BOOK CO. CM) SDN BHD"


def test_a_name_right_above_its_registration_number_is_confirmed() -> None:
    def found(*lines: str | tuple[str, float, float]) -> bool:
        name = merchant_from_header(receipt(*lines))
        assert name is not None
        return name.confirmed

    assert found("GOLDEN KEY MAKER", "(000760274-K)", "No 5, Jalan Kenari 2")
    assert found("ADVANCO COMPANY", "Company Reg. No. : 725186-V", "NO 1&3, Jalan Wangsa")
    # A branch under the name, or the name read unsure: a person decides.
    assert not found("GOLDEN KEY MAKER", "IKEA Cheras (000760274-K)", "No 5, Jalan Kenari 2")
    assert not found(("GOLDEN KEY MAKER", 0.8, 1.0), "(000760274-K)", "No 5, Jalan Kenari 2")


def test_a_shop_name_without_a_legal_form_is_the_first_name_like_line() -> None:
    doc = receipt("Welcome", "Chili's Grill & Bar", "12 Market Street", "Phone: 555 0101")
    found = merchant_from_header(doc)
    assert found is not None and found.text == "Chili's Grill & Bar"


def test_a_chains_store_number_and_the_street_below_do_not_hide_its_name() -> None:
    doc = receipt("TRADER JOE'S #552", "1440 Broadway", "Seattle, WA 98122", "BANANAS $0.99")
    found = merchant_from_header(doc)
    assert found is not None and found.text == "TRADER JOE'S"
    doc = receipt("99 SPEED MART S/B", "LOT P.T. 2811, JALAN ANGSA")  # digits, then a name
    found = merchant_from_header(doc)
    assert found is not None and found.text == "99 SPEED MART S/B"


def test_a_name_printed_again_below_the_header_is_confirmed() -> None:
    lines = ("TRADER JOE'S #552", "1440 Broadway", "TOTAL $18.46", "THANK YOU FOR SHOPPING AT")
    found = merchant_from_header(receipt(*lines, "TRADER JOE'S"))
    assert found is not None and found.repeated and found.confirmed
    found = merchant_from_header(receipt(*lines, "OUR STORE"))
    assert found is not None and not found.confirmed
    # One word is no second print: "SUBWAY" in "SUBWAY CARD" may be anything.
    found = merchant_from_header(receipt("SUBWAY", "1440 Broadway", "SUBWAY CARD 12.00"))
    assert found is not None and not found.confirmed


def test_addresses_phones_and_numbers_are_never_the_name() -> None:
    doc = receipt("12 Market Street", "Phone: 555 0101", "Date: 02/12/2017", "0000000111000395")
    assert merchant_from_header(doc) is None


def test_a_text_without_geometry_has_no_header() -> None:
    page = Page(1, 600.0, 800.0, (Word("ACME", 1.0, 1, 0, None),))
    assert (
        merchant_from_header(Document("0" * 64, "a.txt", "text/plain", (page,), "text-layer"))
        is None
    )


def test_the_header_name_replaces_a_disagreeing_model_reading_below_the_auto_bar() -> None:
    doc = receipt(("IKANO HANDEL SDN BHD", 0.7, 1.2), "No 2A Jalan Cochrane")  # read unsure
    model = Field("merchant_name", "Cochrane", "Cochrane", 0.97)
    (merged,) = merge_merchant([model], merchant_from_header(doc))
    assert (merged.value, merged.source) == ("IKANO HANDEL SDN BHD", "rule")
    assert merged.confidence == HEADER_ONLY_CONFIDENCE < 0.93
    assert merged.box is not None and merged.page == 1


def test_an_agreeing_model_reading_keeps_its_confidence() -> None:
    doc = receipt(("IKANO HANDEL SDN BHD", 0.95, 1.2), "No 2A Jalan Cochrane")
    model = Field("merchant_name", "IKANO HANDEL SDN", "IKANO HANDEL SDN", 0.97)
    (merged,) = merge_merchant([model], merchant_from_header(doc))
    assert merged.value == "IKANO HANDEL SDN BHD" and merged.confidence == 0.97
    assert merge_merchant([model], None) == (model,)


def test_only_a_registered_name_read_clearly_near_the_top_is_confirmed() -> None:
    def found(*lines: str | tuple[str, float, float]) -> bool:
        name = merchant_from_header(receipt(*lines))
        assert name is not None
        return name.confirmed

    assert found(("IKANO HANDEL SDN BHD", 0.95, 1.2), "No 2A Jalan Cochrane")
    assert found("Welcome", ("Acme Trading Ltd", 0.9, 1.0), "1 High Street")
    assert not found(("IKANO HANDEL SDN BHD", 0.7, 1.2))  # a word read unsure
    assert not found(("KIKU JAPANESE RESTAURANT", 0.95, 1.2))  # a kind of shop, no company
    assert found(("SYARIKAT PERNIAGAAN GIN KEE", 0.9, 1.2))  # Malay: a registered company
    assert not found("Chili's Grill & Bar", "Acme", "Zeta", "Omega", "Acme Trading Ltd")
    (merged,) = merge_merchant([], merchant_from_header(receipt("ACME TRADING LTD")))
    assert merged.confidence == HEADER_CONFIRMED_CONFIDENCE > 0.93


def test_a_names_own_dots_stay() -> None:
    found = merchant_from_header(receipt("Quellconseil Inc.", "12 Market Street"))
    assert found is not None and found.text == "Quellconseil Inc."


def test_a_name_under_another_name_like_line_is_not_confirmed() -> None:
    """A site or brand above the company ("Ampang 210" over "First City Parking Sdn
    Bhd"): which one is the merchant is a person's call."""
    found = merchant_from_header(receipt("Ampang 210", "First City Parking Sdn Bhd"))
    assert found is not None and found.text == "First City Parking Sdn Bhd"
    assert found.contested and not found.confirmed


def test_a_kind_of_shop_right_above_its_details_is_confirmed() -> None:
    """A name that says what the business is ("CAFE", "KEDAI", "Bäckerei") stands first
    and right above the shop's address or registration: nothing else is the merchant."""

    def found(*lines: str | tuple[str, float, float]) -> bool:
        name = merchant_from_header(receipt(*lines))
        assert name is not None
        return name.confirmed

    assert found(("SWEET FOREST CAFE", 0.92, 1.2), "NO 21, JLN BUNGA KANTAN", "Tel: 03-1234")
    assert found(("KEDAI PAPAN YEW CHUAN", 0.9, 1.0), "(0005583085-K)", "Lot 276 Jalan Kapar")
    assert found(("Bäckerei Schmidt", 0.9, 1.0), "Hauptstraße 12", "USt-IdNr DE123456789")
    assert not found(("SWEET FOREST CAFE", 0.8, 1.2), "NO 21, JLN BUNGA KANTAN")  # unsure
    # A brand with a kind, the company's name below it: which is the merchant is unsaid.
    assert not found("KIKU JAPANESE RESTAURANT", "TK DIVISION KITCHEN SDN BHD", "Tel: 03-1")
    # No kind of shop: a branch's or brand's name above an address may miss its logo.
    assert not found(("Palekbang", 0.95, 1.0), "Lot 1626, Mukim Kampung Laut")


def test_a_logo_printing_the_names_first_word_above_it_is_no_contest() -> None:
    found = merchant_from_header(
        receipt("PREMIO", "PREMIO STATIONERY SDN BHD", "(Co. No. 123769-W)", "Lot 5 Jalan Tun")
    )
    assert found is not None and found.text == "PREMIO STATIONERY SDN BHD"
    assert not found.contested and found.confirmed


def test_a_name_printed_twice_alike_is_confirmed_below_the_clear_read_bar() -> None:
    """Read at 0.8, too unclear for a name confirmed by one print, but the second print
    holds the same letters: OCR seldom misreads two prints alike."""
    lines = (("GOLDEN KEY MAKER", 0.8, 1.0), "(000760274-K)", "TOTAL 12.00")
    found = merchant_from_header(receipt(*lines, "THANK YOU FROM GOLDEN KEY MAKER"))
    assert found is not None and found.repeated and found.confirmed
    blurred = merchant_from_header(
        receipt(("GOLDEN KEY MAKER", 0.6, 1.0), *lines[1:], "GOLDEN KEY MAKER")
    )
    assert blurred is not None and not blurred.confirmed


def test_an_underscore_read_from_a_smudge_is_no_part_of_the_name() -> None:
    found = merchant_from_header(receipt("IKANO HANDEL _SDN BHD", "(1074617K)", "IKEA Cheras"))
    assert found is not None and found.text == "IKANO HANDEL SDN BHD" and found.legal_form
