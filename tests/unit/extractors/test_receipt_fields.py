"""A receipt's total, date, tax and currency from its printed lines
(``extractors._receipt_fields``): the value, and when a second print confirms it."""

from __future__ import annotations

from clerk.documents import Document, Field, Page, document_text, words_from_text
from extractors._receipt_fields import (
    CONFIRMED_CONFIDENCE,
    LABELLED_CONFIDENCE,
    merge_receipt_fields,
    printed_currencies,
    receipt_currency,
    receipt_date,
    receipt_tax,
    receipt_total,
)
from extractors.normalize import NormalizeHints, hints_from_text

PLAIN = NormalizeHints()


def test_a_total_the_cash_and_change_confirm() -> None:
    text = "ACME MART\nTOTAL 23.30\nCASH 50.00\nCHANGE 26.70\nTotal Items: 3"
    found = receipt_total(text, PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("23.30", True)
    assert text[found.start : found.end] == "23.30"


def test_sub_total_and_tax_confirm_the_total_and_the_tax() -> None:
    text = "Sub Total 28.00\nGST 6% 1.68\nTotal Sales (Inclusive of GST) 29.68\nCASH 29.68"
    total = receipt_total(text, PLAIN)
    assert total is not None and (total.value, total.confirmed) == ("29.68", True)
    tax = receipt_tax(text, PLAIN, total)
    assert tax is not None and (tax.value, tax.confirmed) == ("1.68", True)


def test_a_tax_summarys_total_line_is_not_the_total() -> None:
    # Malaysian receipts close with a GST summary: "Total 28.00 1.68" is base and tax.
    text = (
        "Total Sales (Inclusive of GST) 29.68\nCASH 29.68\n"
        "GST SUMMARY\nSR 6 28.00 1.68\nTotal : 28.00 1.68"
    )
    found = receipt_total(text, PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("29.68", True)


def test_without_a_total_amount_a_payment_the_sub_total_and_tax_add_up_to_is_the_total() -> None:
    # OCR lost the total line's amount: the payment and sub total + tax still agree.
    text = (
        "Total Sales (Excluding GST) : 28.00\nTotal GST : 1.68\n"
        "Total Sales (Inclusive of GST) :\nCASH : 29.68\nChange : 0.00"
    )
    found = receipt_total(text, PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("29.68", True)
    assert text[found.start : found.end] == "29.68"
    # Cash that the sub total and tax do not bear out is no total: change was due.
    assert receipt_total(text.replace("29.68", "50.00"), PLAIN) is None


def test_tax_lines_counts_and_sub_totals_are_not_the_total() -> None:
    text = "SUBTOTAL 40.00\nTotal GST : 2.40\nTotal Qty 4\nTOTAL 42.40"
    found = receipt_total(text, PLAIN)
    assert found is not None and found.value == "42.40"


def test_the_amount_to_be_paid_is_the_total() -> None:
    for label in ("Amount To Be Paid :", "Amt Payable", "Amount to pay"):
        text = f"Discount: 0.06\nRounding Adjustment: 0.01\n{label} 25.45\nCash Received : 25.50"
        found = receipt_total(text, PLAIN)
        assert found is not None and found.value == "25.45", label


def test_a_tax_summarys_base_and_rate_point_at_the_total_line_they_make() -> None:
    """OCR misread the rounded total (109.70 as "(08.70)") and lost the summary's tax;
    its base and rate still make 109.70, so that total line is the one. Two total lines
    disagree, so a person confirms it."""
    text = (
        "Total Inclusive GST 6% : 109.70\nRounded Total(RM): (08.70)\n"
        "GST Summary Amount(RM) Tax(RM)\nSR@6% 103.49 EAU"
    )
    found = receipt_total(text, PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("109.70", False)


def test_total_lines_that_disagree_are_never_sure() -> None:
    """OCR read the second print of 73.30 as 13.30 and the cash line alike: the two
    total lines disagree, so a person decides, whatever the payment says."""
    text = "Total RM including GST 73.30\nTotal Rounded 13.30\nCash 13.30"
    found = receipt_total(text, PLAIN)
    assert found is not None and not found.confirmed


def test_one_total_line_alone_is_not_sure() -> None:
    found = receipt_total("Coffee 4.50\nTOTAL 4.50", PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("4.50", False)
    assert receipt_total("Coffee 4.50\nThank you", PLAIN) is None


def test_a_labelled_unambiguous_date_is_sure_and_phone_numbers_are_no_dates() -> None:
    text = "Tel: 03-6258 7191\nDate: 23/12/2017 11:41\nSlip 0000000111000395667"
    found = receipt_date(text, PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("2017-12-23", True)


def test_a_date_printed_with_the_time_of_day_is_the_tills_timestamp() -> None:
    for line in ("16:14 = 14/03/18", "14-03-2018 (Gun) 16:02", "09:04PM 569319 14/03/18"):
        found = receipt_date(f"KEDAI ABC\n{line}\nTOTAL 3.00", PLAIN)
        assert found is not None and (found.value, found.confirmed) == ("2018-03-14", True), line
    # A date alone on its line, with no label and no time, may be an expiry: not sure.
    found = receipt_date("KEDAI ABC\nPoints expire 31/10/2020\nTOTAL 3.00", PLAIN)
    assert found is not None and not found.confirmed


def test_an_ambiguous_date_is_sure_only_where_the_country_writes_the_day_first() -> None:
    text = "02/12/2017 10:05 Cashier 3"
    found = receipt_date(text, PLAIN)
    assert found is not None and found.value == "2017-12-02" and not found.confirmed
    sure = receipt_date(text, PLAIN, order_known=True)
    assert sure is not None and sure.confirmed


def test_two_different_dates_leave_it_to_a_person() -> None:
    found = receipt_date("Date: 23/12/2017\nValid until 31/01/2018", PLAIN)
    assert found is not None and found.value == "2017-12-23" and not found.confirmed


def test_the_country_names_the_currency_when_two_cues_agree() -> None:
    assert receipt_currency("GIN KEE SDN BHD\n53200 KUALA LUMPUR") == ("MYR", True)
    assert receipt_currency("GIN KEE SDN BHD") == ("MYR", False)
    assert receipt_currency("ACME PTE LTD\nSINGAPORE\nKUALA LUMPUR") is None  # two countries
    assert receipt_currency("Total 3.00") is None


def test_a_malaysian_registration_number_is_a_cue_of_its_country() -> None:
    text = "GOLDEN KEY MAKER\n(000760274-K)\n47100 Puchong, Selangor\nNet Total : 21.00"
    assert receipt_currency(text) == ("MYR", True)
    assert receipt_currency("GOLDEN KEY MAKER\n(000760274-K)") == ("MYR", False)
    assert receipt_currency("Item 33100-K 4.00\n47100 Puchong, Selangor") == ("MYR", False)


def test_a_us_address_makes_a_bare_dollar_the_us_dollar_and_dates_month_first() -> None:
    text = "TRADER JOE'S\n1440 Broadway\nSeattle, WA 98101\n03/04/2018 5:12 PM\nTOTAL $12.50"
    assert receipt_currency(text) == ("USD", True)
    assert receipt_currency(text.replace("$", "")) == ("USD", False)  # one cue alone
    assert receipt_currency("Order 12345\nTOTAL 12.50") is None  # a number is no ZIP code
    fields = merge_receipt_fields((), document_text(_document(text)), hints_from_text(text))
    by_name = {f.name: f for f in fields}
    assert by_name["receipt_date"].value == "2018-03-04"
    assert by_name["receipt_date"].confidence == CONFIRMED_CONFIDENCE
    assert (by_name["currency"].value, by_name["currency"].confidence) == (
        "USD",
        CONFIRMED_CONFIDENCE,
    )


def _document(text: str) -> Document:
    return Document(
        "0" * 64, "r.jpg", "image/jpeg", (Page(1, 600, 800, words_from_text(text)),), "ocr"
    )


def test_merged_fields_replace_the_models_reading_and_say_how_sure_they_are() -> None:
    text = "GIN KEE SDN BHD\nKUALA LUMPUR\nDate: 23/12/2017\nTOTAL 23.30\nCASH 23.30\nGST 6% 1.32"
    source = document_text(_document(text))
    model = [Field("total_amount", "50.00", "50.00", 0.97), Field("currency", "£", "GBP", 0.96)]
    merged = {f.name: f for f in merge_receipt_fields(model, source, hints_from_text(text))}
    assert (merged["total_amount"].value, merged["total_amount"].source) == ("23.30", "rule")
    assert merged["total_amount"].confidence == CONFIRMED_CONFIDENCE
    assert merged["receipt_date"].value == "2017-12-23"
    assert merged["tax_amount"].value == "1.32"  # 23.30 x 6 / 106
    assert merged["currency"].value == "MYR" and merged["currency"].confidence < 0.93
    assert LABELLED_CONFIDENCE < 0.93 < CONFIRMED_CONFIDENCE


def test_a_date_the_lines_agree_with_keeps_the_models_confidence() -> None:
    text = "Le Fournil\nDate: 26/01/2024\nVente 2"
    source = document_text(_document(text))
    model = [Field("receipt_date", "26/01/2024", "2024-01-26", 0.97)]
    (merged,) = merge_receipt_fields(model, source, hints_from_text(text))
    assert (merged.value, merged.confidence) == ("2024-01-26", 0.97)


def test_amounts_the_arithmetic_does_not_bear_out_wait_for_a_person() -> None:
    """One print of the total, and a tax no line shows: however sure the model is, the
    receipt's own arithmetic must agree before either passes the auto bar."""
    text = "Le Fournil\nTOTAL 26,90\nA 7% Netto 79,14"
    source = document_text(_document(text))
    model = [
        Field("total_amount", "26,90", "26.90", 0.97),
        Field("tax_amount", "79,14", "79.14", 0.97),
    ]
    merged = {f.name: f for f in merge_receipt_fields(model, source, hints_from_text(text))}
    assert merged["total_amount"].value == "26.90"
    assert merged["total_amount"].confidence == LABELLED_CONFIDENCE
    assert merged["tax_amount"].confidence == LABELLED_CONFIDENCE


def test_a_vat_line_confirms_its_tax_by_its_rate_and_base() -> None:
    text = "ZU ZAHLEN 84,68 EUR\nA 7% Netto 79,14 5,54"
    tax = receipt_tax(text, hints_from_text(text), None)
    assert tax is not None and (tax.value, tax.confirmed) == ("5.54", True)


def test_french_cash_and_change_and_a_time_before_the_date() -> None:
    text = "21:32 26 janvier 2024 Ticket n° 28738\nTOTAL 26,90 €\nReçu 30,00\nMonnaie 3,10"
    hints = hints_from_text(text)
    total = receipt_total(text, hints)
    assert total is not None and (total.value, total.confirmed) == ("26.90", True)
    date = receipt_date(text, hints)
    assert date is not None and (date.value, date.confirmed) == ("2024-01-26", True)


def test_a_guessed_date_order_does_not_make_an_ambiguous_date_sure() -> None:
    text = "Auroratec Inc.\nSeattle, WA 98101\n11/03/2026 16:59\nTOTAL USD 80.35"
    guessed = NormalizeHints(language="en", date_order="MDY", default_currency="USD")
    found = receipt_date(text, guessed)
    assert found is not None and found.value == "2026-11-03" and not found.confirmed
    shown = receipt_date(text + "\nValid 12/25/2026 16:59", guessed)  # month-first evidence
    assert shown is not None and not shown.confirmed  # two dates: still a person's call


def test_the_printed_currency_is_a_second_cue_to_the_country() -> None:
    assert receipt_currency("GIN KEE SDN BHD\nTOTAL RM 7.42") == ("MYR", True)
    assert receipt_currency("KUALA LUMPUR\nQty Amt(RM) Tax(RM)\nTotal 7.42") == ("MYR", True)
    # "SDN BHD 12345" is a legal form, not Bahraini dinars; one stray "$" is noise.
    assert receipt_currency("GIN KEE SDN BHD 12345\nKUALA LUMPUR\n$3.00") == ("MYR", True)
    # Another currency printed more often than the ringgit is the receipt's, unsure.
    assert receipt_currency("GIN KEE SDN BHD\nKUALA LUMPUR\nUSD 3.00\nUSD 4.00") == (
        "USD",
        False,
    )
    assert receipt_currency("WILSON SDN BHD\nLeeds\nQty Amount ( S$ )") == ("SGD", False)


def test_printed_currencies_are_counted_beside_amounts_and_as_column_units() -> None:
    counts = printed_currencies("TOTAL RM 7.42\nAmt (RM)\n12,00 EUR\nABC 12\nSDN BHD 5")
    assert counts == {"MYR": 2, "EUR": 1}


def test_a_model_currency_that_names_nothing_gives_way_to_the_country() -> None:
    text = "GIN KEE SDN BHD\nKUALA LUMPUR\nTOTAL RM 7.42\nCASH RM 10.00\nCHANGE RM 2.58"
    source = document_text(_document(text))
    model = [Field("currency", "RM:", None, 0.1)]
    merged = {f.name: f for f in merge_receipt_fields(model, source, hints_from_text(text))}
    assert (merged["currency"].value, merged["currency"].confidence) == (
        "MYR",
        CONFIRMED_CONFIDENCE,
    )
    stray = [Field("currency", "$", "USD", 0.9)]  # one "$" against three "RM"
    text += "\nPoints $1"
    source = document_text(_document(text))
    merged = {f.name: f for f in merge_receipt_fields(stray, source, hints_from_text(text))}
    assert (merged["currency"].value, merged["currency"].confidence) == (
        "MYR",
        CONFIRMED_CONFIDENCE,
    )


def test_a_sure_day_first_country_reads_an_ambiguous_date_day_first() -> None:
    """A stray "$" makes English text's hints guess month-first; the country wins."""
    text = "GIN KEE SDN BHD\nKUALA LUMPUR\nDate: 02/03/2018\nTOTAL RM 7.42\n$1"
    source = document_text(_document(text))
    hints = NormalizeHints(date_order="MDY")
    merged = {f.name: f for f in merge_receipt_fields([], source, hints)}
    assert merged["receipt_date"].value == "2018-03-02"
    assert merged["receipt_date"].confidence == CONFIRMED_CONFIDENCE


def test_a_card_payment_of_the_same_sum_confirms_the_total() -> None:
    found = receipt_total("TOTAL INCL. GST@6% RM 45.00\nCARD RM 45.00", PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("45.00", True)
    found = receipt_total("TOTAL SALES 41.95\nEDC MASTER 41.90", PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("41.95", False)


def test_a_line_saying_what_the_total_includes_is_no_total() -> None:
    text = "Total (incl GST) 25.40\nCash Tendered 26.00\nChange 0.60\nTOTAL INCLUDES 6% GST 1.44"
    found = receipt_total(text, PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("25.40", True)


def test_total_lines_apart_by_the_printed_rounding_agree() -> None:
    text = "Total Incl. of GST 14.64\nRounding Adj 0.01\nTotal 14.65\nCash 50.00\nCHANGE 35.35"
    found = receipt_total(text, PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("14.65", True)
    unexplained = "Total Incl. of GST 14.60\nRounding Adj 0.01\nTotal 14.65\nCash 14.65"
    found = receipt_total(unexplained, PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("14.65", False)


def test_a_tax_summary_row_that_adds_up_to_the_total_confirms_its_tax() -> None:
    """The summary's base and tax add up to the confirmed total; the "Total GST" line
    above misread a digit (16.30 for 15.30) and adds up to nothing."""
    text = (
        "Total Sales (Excluding GST) : 255.00\nTotal GST : 16.30\n"
        "Total Sales (Inclusive of GST) : 270.30\nCASH 270.30\nTotal : 255.00 15.30"
    )
    total = receipt_total(text, PLAIN)
    assert total is not None and (total.value, total.confirmed) == ("270.30", True)
    tax = receipt_tax(text, PLAIN, total)
    assert tax is not None and (tax.value, tax.confirmed) == ("15.30", True)


def test_a_stray_dot_before_an_amount_is_noise() -> None:
    """OCR set a dot before the summary row's tax (".2.00"): the row still adds up."""
    text = (
        "SUB TOTAL (INCL. GST) 35.40\nTOTAL RM 35,40\nCASH 50.00\nCHANGE 14.60\n"
        "Tax Code Amt(RM) GST(RM)\nGST (6.000%)\n33.40 .2.00"
    )
    total = receipt_total(text, PLAIN)
    assert total is not None and (total.value, total.confirmed) == ("35.40", True)
    tax = receipt_tax(text, PLAIN, total)
    assert tax is not None and (tax.value, tax.confirmed) == ("2.00", True)


def test_the_rate_the_total_line_prints_confirms_a_tax_whose_own_rate_was_misread() -> None:
    text = (
        "Total Incl. GST@6% RM 28.00\nCASH RM 40.00\nCHANGE RM 12.00\n"
        "GST 86% included in total RM 1.58"
    )
    total = receipt_total(text, PLAIN)
    assert total is not None and (total.value, total.confirmed) == ("28.00", True)
    tax = receipt_tax(text, PLAIN, total)
    assert tax is not None and (tax.value, tax.confirmed) == ("1.58", True)
    misread = receipt_tax(text.replace("1.58", "1.38"), PLAIN, total)
    assert misread is not None and (misread.value, misread.confirmed) == ("1.38", False)


def test_the_total_rounded_by_a_printed_adjustment_is_the_sum_paid() -> None:
    card = "Total (Inclusive of GST): 65.53\nRounding Adj: 0.02\nVISA 65.55"
    found = receipt_total(card, PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("65.55", True)
    assert card[found.start : found.end] == "65.55"  # the payment line's print
    cash = "Total: 72.93\nRND ADJ 0.02\nPayment 73.00\nChange Due 0.05"
    found = receipt_total(cash, PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("72.95", True)
    down = "Total (Inclusive of GST): 31.02\nRounding Adj: -0.02\nCASH : 31.00"
    found = receipt_total(down, PLAIN)
    assert found is not None and found.value == "31.00"
    # no adjustment printed: the total stands, whatever was handed over
    plain = receipt_total("Total: 72.93\nCash 80.00\nChange 7.07", PLAIN)
    assert plain is not None and plain.value == "72.93"


def test_widely_spaced_cents_are_read_as_cents() -> None:
    """OCR of thermal print reads "6.00" as "6. 00": it is still the sum."""
    text = "Total (Inclusive of GST): 6. 00\nTOTAL: 6. 00\nCASH: 6.00"
    found = receipt_total(text, PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("6.00", True)


def test_a_payment_of_the_total_rounded_to_the_coin_confirms_it() -> None:
    text = (
        "Subtotal 62.55\nTotal: 72.93\nRND ADJ 0.02\nTTL ATF RND 72.95\nPayment 73.00\nChange 0.05"
    )
    found = receipt_total(text, PLAIN)
    assert found is not None and found.confirmed
    assert found.value in ("72.93", "72.95")


def test_a_net_total_line_a_printed_tax_short_is_no_disagreement() -> None:
    # "Excluding" misread: the net is a total line, but the tax line explains it.
    text = (
        "Total Sales (Exciuding GST) 439.00\nTotal GST : 26.34\n"
        "Total Sales (Inclusive of GST) : 465.34\nCASH : 465.34\nChange : 0.00"
    )
    found = receipt_total(text, PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("465.34", True)
    # A total line that no printed tax explains still leaves it to a person.
    text = text.replace("Total GST : 26.34", "Service 26.34")
    found = receipt_total(text, PLAIN)
    assert found is not None and not found.confirmed


def test_a_tax_that_adds_up_to_the_total_within_the_rounding_is_confirmed() -> None:
    text = (
        "Sub Total : 234.00\nTotalGST : 14.04\nRounding : 0.01\nTotal : 248.05\n"
        "CASH : 250.00\nChange : 1.95"
    )
    total = receipt_total(text, PLAIN)
    assert total is not None and (total.value, total.confirmed) == ("248.05", True)
    tax = receipt_tax(text, PLAIN, total)
    assert tax is not None and (tax.value, tax.confirmed) == ("14.04", True)


def test_a_tax_summarys_total_row_after_the_sub_total_is_not_the_total() -> None:
    """The summary's total row prints the sub total and the tax; its tax misread (8.60
    for 5.60) matches no rate, and the row still disagrees with nothing."""
    text = (
        "Sub Total : 93.40\nTotal GST : 5.60\nTotal : 99.00\nCASH : 100.00\nChange : 1.00\n"
        "GST SUMMARY\nSR 6 93.40 5.69\nTotal : 93.40 8.60"
    )
    found = receipt_total(text, PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("99.00", True)
    # Without the printed sub total the row is a total line that disagrees.
    found = receipt_total(text.replace("Sub Total : 93.40\n", ""), PLAIN)
    assert found is not None and not found.confirmed


def test_a_widely_spaced_rate_confirms_its_tax() -> None:
    """Thermal print spaces the rate's decimals as it spaces the cents: "6. 00%"."""
    text = "TOTAL (Including GST) 79.35\nNET 79. 35\nSR @6. 00% 68. 25 4.10"
    total = receipt_total(text, PLAIN)
    tax = receipt_tax(text, PLAIN, total)
    assert tax is not None and (tax.value, tax.confirmed) == ("4.10", True)
    # 68.25 at 7 % is 4.78: the printed 4.10 is not its tax.
    tax = receipt_tax(text.replace("@6. 00%", "@7. 00%"), PLAIN, total)
    assert tax is not None and not tax.confirmed


def test_a_total_the_text_says_tax_is_included_in_is_no_second_total() -> None:
    text = (
        "Total Incl. GST@6% RM 42.90\nCASH RM 50.00\nCHANGE RM 7.10\n"
        "GST @6% included in total RM 2.43"
    )
    total = receipt_total(text, PLAIN)
    assert total is not None and (total.value, total.confirmed) == ("42.90", True)
    tax = receipt_tax(text, PLAIN, total)
    assert tax is not None and (tax.value, tax.confirmed) == ("2.43", True)


def test_cash_printed_as_a_negative_amount_is_still_the_payment() -> None:
    text = "Total RM Incl. of GST 9.90\nCash -20.00\nCHANGE 10.10\nTotal Savings -1.10"
    found = receipt_total(text, PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("9.90", True)
    found = receipt_total(text.replace("CHANGE 10.10", "CHANGE 10.20"), PLAIN)
    assert found is not None and not found.confirmed


def test_a_total_rounded_to_the_coin_agrees_with_the_total_before_rounding() -> None:
    text = "Total Sales Incl. GST 100.62\nTotal After Rounding 100.60\nVISA 100.60"
    found = receipt_total(text, PLAIN)
    assert found is not None and (found.value, found.confirmed) == ("100.60", True)
    # Farther apart than half a coin, the two total lines disagree: a digit misread.
    found = receipt_total(text.replace("100.62", "100.66"), PLAIN)
    assert found is not None and not found.confirmed
    # A rounded total that is no multiple of the coin is a misread, not a rounding.
    found = receipt_total(text.replace("100.60", "100.61"), PLAIN)
    assert found is not None and not found.confirmed


def test_a_tax_table_row_of_net_tax_and_gross_confirms_the_middle_amount() -> None:
    """German tills print "Steuer % Netto Steuer Brutto": the tax is the middle amount."""
    text = (
        "SUMME EUR 12,62\nGeg. BAR EUR 20,00\nRückgeld BAR EUR 7,38\n"
        "Steuer % Netto Steuer Brutto\nA= 7,0% 11,79 0,83 12,62"
    )
    hints = hints_from_text(text)
    total = receipt_total(text, hints)
    assert total is not None and (total.value, total.confirmed) == ("12.62", True)
    tax = receipt_tax(text, hints, total)
    assert tax is not None and (tax.value, tax.confirmed) == ("0.83", True)
    # Net and tax that do not add up to the gross are no such row.
    tax = receipt_tax(text.replace("0,83 12,62", "0,88 12,62"), hints, total)
    assert tax is None or not tax.confirmed


def test_a_tax_line_printing_nothing_due_is_a_zero_tax_the_sub_total_confirms() -> None:
    text = "SUBTOTAL $18.46\nTAX 10.1% $0.00\nTOTAL $18.46\nVISA $18.46"
    total = receipt_total(text, PLAIN)
    tax = receipt_tax(text, PLAIN, total)
    assert tax is not None and (tax.value, tax.confirmed) == ("0.00", True)
    # A sub total short of the total means some tax was due: the zero is a misreading.
    text = text.replace("SUBTOTAL $18.46", "SUBTOTAL $17.46")
    assert receipt_tax(text, PLAIN, receipt_total(text, PLAIN)) is None


def test_tax_rows_at_two_rates_add_up_to_the_receipts_tax() -> None:
    text = (
        "SUMME EUR 14,52\nGeg. BAR EUR 20,00\nRückgeld BAR EUR 5,48\n"
        "Steuer % Netto Steuer Brutto\nA= 7,0% 11,79 0,83 12,62\nB= 19,0% 1,60 0,30 1,90"
    )
    hints = hints_from_text(text)
    total = receipt_total(text, hints)
    tax = receipt_tax(text, hints, total)
    assert tax is not None and (tax.value, tax.confirmed) == ("1.13", True)  # never one row's
    # Rows that do not add up to the sum paid leave the sum to a person.
    text = text.replace("SUMME EUR 14,52", "SUMME EUR 14,62").replace("5,48", "5,38")
    tax = receipt_tax(text, hints, receipt_total(text, hints))
    assert tax is not None and (tax.value, tax.confirmed) == ("1.13", False)


def test_a_uk_vat_table_prints_the_tax_before_the_net() -> None:
    text = "TOTAL £6.06\nVISA DEBIT £6.06\nVAT RATE VAT NET TOTAL\nA 20.00% 0.42 2.08 2.50"
    total = receipt_total(text, PLAIN)
    tax = receipt_tax(text, PLAIN, total)
    assert tax is not None and (tax.value, tax.confirmed) == ("0.42", True)
