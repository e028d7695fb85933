"""Master-data validation of the vendor: the lookup, the fields it adjusts, the CSV file."""

from __future__ import annotations

from pathlib import Path

import pytest

from clerk.documents import Box, Field
from clerk.errors import ApplicationError
from extractors.vendor_master import (
    CHECK,
    IDENTIFIER_AND_NAME,
    IDENTIFIER_SIMILAR_NAME,
    NAME_ONLY,
    MasterVendor,
    VendorMaster,
    VendorMasterSettings,
    check_vendor,
    match_vendor,
    write_vendor_master,
)

MONTPRINT = MasterVendor("10004", "Montprint B.V.", "NL276233299B62", "NL91ABNA0417164300")
RICHTER_SA = MasterVendor("65403", "Johnson & Richter SA", "FRH2256113551", "")
RICHTER_KG = MasterVendor("58402", "Johnson & Richter KG", "DE233299625", "DE21108344154778128411")
SEINE = MasterVendor("24202", "Seine Office GmbH")
MASTER = VendorMaster([MONTPRINT, RICHTER_SA, RICHTER_KG, SEINE], "test")


def test_a_vat_id_and_the_name_of_one_vendor_confirm_it() -> None:
    found = match_vendor("MONTPRINT BV", "NL 276 233 299 B62", None, MASTER)
    assert found.vendor == MONTPRINT and found.confidence == IDENTIFIER_AND_NAME
    assert found.confirmed == ("vendor_name", "vendor_vat_id")
    assert found.check.name == CHECK and found.check.passed
    assert "VAT id" in found.check.message and "10004" in found.check.message


def test_an_iban_and_the_name_confirm_the_vendor() -> None:
    found = match_vendor("Johnson & Richter KG", None, "DE21 1083 4415 4778 1284 11", MASTER)
    assert found.vendor == RICHTER_KG and found.confidence == IDENTIFIER_AND_NAME
    assert found.confirmed == ("vendor_name", "iban")


def test_an_identifier_with_a_misread_or_shortened_name_confirms_at_a_lower_confidence() -> None:
    misread = match_vendor("Montprlnt B.V.", "NL276233299B62", None, MASTER)
    assert misread.vendor == MONTPRINT and misread.confidence == IDENTIFIER_SIMILAR_NAME
    assert misread.confirmed == ("vendor_vat_id",)
    shortened = match_vendor("Montprint", "NL276233299B62", None, MASTER)
    assert shortened.vendor == MONTPRINT


def test_the_name_alone_confirms_a_vendor_when_the_document_shows_no_identifier() -> None:
    found = match_vendor("Seine Office GmbH", None, None, MASTER)
    assert found.vendor == SEINE and found.confidence == NAME_ONLY
    assert found.confirmed == ("vendor_name",)
    assert found.check.passed and "matched by name" in found.check.message


def test_the_legal_form_tells_two_vendors_apart() -> None:
    found = match_vendor("Johnson & Richter GmbH", None, None, MASTER)
    assert found.vendor is None and not found.check.passed
    assert "not in the vendor master" in found.check.message


def test_a_vat_id_of_another_vendor_than_the_name_fails() -> None:
    found = match_vendor("Montprint B.V.", "FRH2256113551", None, MASTER)
    assert found.vendor is None and not found.check.passed
    assert "Johnson & Richter SA (no. 65403)" in found.check.message
    assert "Montprint B.V. (no. 10004)" in found.check.message


def test_a_vat_id_with_an_unrelated_unknown_name_fails() -> None:
    found = match_vendor("Globex Corporation", "NL276233299B62", None, MASTER)
    assert not found.check.passed and "is not that vendor's" in found.check.message


def test_a_vat_id_and_an_iban_of_two_vendors_fail() -> None:
    found = match_vendor("Montprint B.V.", "NL276233299B62", "DE21108344154778128411", MASTER)
    assert not found.check.passed
    assert "Montprint" in found.check.message and "Johnson & Richter KG" in found.check.message


def test_an_iban_not_on_record_for_the_named_vendor_fails() -> None:
    """The classic invoice fraud: a known vendor's name with new bank details."""
    found = match_vendor("Johnson & Richter KG", None, "DE44500105175407324931", MASTER)
    assert found.vendor is None and not found.check.passed
    assert "IBAN DE44500105175407324931 is not on record" in found.check.message
    assert "DE21108344154778128411" in found.check.message


def test_an_identifier_the_master_does_not_hold_does_not_contradict() -> None:
    found = match_vendor("Johnson & Richter SA", None, "FR1420041010050500013M02606", MASTER)
    assert found.vendor == RICHTER_SA and found.confidence == NAME_ONLY


def test_two_vendors_of_one_name_without_an_identifier_fail() -> None:
    twins = VendorMaster([SEINE, MasterVendor("24203", "Seine Office GmbH", "DE811569869")])
    found = match_vendor("Seine Office GmbH", None, None, twins)
    assert not found.check.passed and "2 vendors" in found.check.message
    told_apart = match_vendor("Seine Office GmbH", "DE811569869", None, twins)
    assert told_apart.vendor is not None and told_apart.vendor.number == "24203"


def _invoice_fields(name: str, vat: str | None, confidence: float = 0.81) -> list[Field]:
    fields = [
        Field("invoice_number", "9564939", "9564939", 0.95, 1, Box(1, 1, 2, 2)),
        Field("vendor_name", name, name, confidence, 1, Box(3, 3, 4, 4)),
        Field("iban", "NL86 GKLV", "NL86GKLV1083441547", 0.90, 1),
    ]
    if vat:
        fields.append(Field("vendor_vat_id", vat, vat, 0.903, 1))
    return fields


def test_a_confirmed_vendor_raises_the_fields_it_matched_and_uses_the_master_name() -> None:
    fields, check = check_vendor("invoice", _invoice_fields("MONTPRINT BV", "NL276233299B62"),
                                 MASTER)  # fmt: skip
    assert check is not None and check.passed
    by = {f.name: f for f in fields}
    assert by["vendor_name"].value == "Montprint B.V." and by["vendor_name"].raw == "MONTPRINT BV"
    assert by["vendor_name"].confidence == IDENTIFIER_AND_NAME
    assert by["vendor_name"].source == "rule" and by["vendor_name"].box == Box(3, 3, 4, 4)
    assert by["vendor_vat_id"].confidence == IDENTIFIER_AND_NAME
    assert by["iban"].confidence == 0.90, "an IBAN the master does not hold stays as read"
    assert by["invoice_number"] == _invoice_fields("x", None)[0]


def test_a_match_never_lowers_a_confidence() -> None:
    fields, _ = check_vendor("invoice", _invoice_fields("Seine Office GmbH", None, 0.97), MASTER)
    assert next(f for f in fields if f.name == "vendor_name").confidence == 0.97


def test_a_failed_match_leaves_the_fields_alone() -> None:
    given = _invoice_fields("Montprint B.V.", "FRH2256113551")
    fields, check = check_vendor("invoice", given, MASTER)
    assert fields == tuple(given) and check is not None and not check.passed


def test_no_master_no_vendor_or_no_vendor_type_means_no_check() -> None:
    given = _invoice_fields("Montprint B.V.", None)
    assert check_vendor("invoice", given, None) == (tuple(given), None)
    no_name = [f for f in given if f.name != "vendor_name"]
    assert check_vendor("invoice", no_name, MASTER) == (tuple(no_name), None)
    receipt = [Field("merchant_name", "Montprint B.V.", "Montprint B.V.", 0.8)]
    assert check_vendor("receipt", receipt, MASTER) == (tuple(receipt), None)


def test_the_csv_round_trips_and_ignores_other_columns(tmp_path: Path) -> None:
    path = tmp_path / "vendors.csv"
    write_vendor_master(path, MASTER.vendors)
    assert VendorMaster.load(path).vendors == MASTER.vendors
    extra = tmp_path / "export.csv"
    extra.write_text("\ufeffName;City\n", encoding="utf-8")  # not comma-separated: no name
    with pytest.raises(ApplicationError) as bad:
        VendorMaster.load(extra)
    assert bad.value.code == "MASTER_DATA_UNAVAILABLE"
    extra.write_text("Number,Name,City,VAT_ID\n7,Nordlicht Papier AG,Hamburg,DE811569869\n")
    assert VendorMaster.load(extra).vendors == (
        MasterVendor("7", "Nordlicht Papier AG", "DE811569869", ""),
    )


def test_a_missing_file_is_a_clear_application_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(ApplicationError) as raised:
        VendorMaster.load(missing)
    assert raised.value.code == "MASTER_DATA_UNAVAILABLE"
    assert str(missing) in raised.value.message and "does not exist" in raised.value.message
    assert "CLERK_VENDOR_MASTER" in raised.value.message


@pytest.mark.parametrize(
    ("content", "why"),
    [("number,name\n", "no vendor rows"), ("number,name\n1,\n", "line 2 has an empty name")],
)
def test_an_empty_or_nameless_master_is_refused(tmp_path: Path, content: str, why: str) -> None:
    path = tmp_path / "vendors.csv"
    path.write_text(content)
    with pytest.raises(ApplicationError, match=why):
        VendorMaster.load(path)


def test_the_setting_names_the_file_and_blank_means_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLERK_VENDOR_MASTER", raising=False)
    assert VendorMaster.from_settings() is None
    monkeypatch.setenv("CLERK_VENDOR_MASTER", " ")
    assert VendorMasterSettings().vendor_master is None
    path = tmp_path / "vendors.csv"
    write_vendor_master(path, [SEINE])
    monkeypatch.setenv("CLERK_VENDOR_MASTER", str(path))
    loaded = VendorMaster.from_settings()
    assert loaded is not None and loaded.vendors == (SEINE,)


def test_a_name_alone_confirms_nothing_when_the_document_names_another_vendor() -> None:
    """A purchase order from a customer who is also a supplier: both companies are known,
    and the name alone cannot tell whether the reading took the right one."""
    text = "Montprint B.V.\nPurchase order PO-1\nSupplier\nSeine Office GmbH\nTotal 10.00"
    found = match_vendor("Seine Office GmbH", None, None, MASTER, text=text)
    assert found.vendor is None and found.check.passed
    assert "also names Montprint B.V. (no. 10004)" in found.check.message
    read_as_buyer = match_vendor("Seine Office GmbH", None, None, MASTER, text=text,
                                 buyer="MONTPRINT BV")  # fmt: skip
    assert read_as_buyer.vendor == SEINE, "the other company is the buyer the model read"
    alone = match_vendor("Johnson & Richter SA", None, None, MASTER,
                         text="Johnson & Richter SA\nInvoice 7")  # fmt: skip
    assert alone.vendor == RICHTER_SA


def test_a_longer_name_is_not_another_vendor_inside_it() -> None:
    short = MasterVendor("1", "Richter SA")
    master = VendorMaster([RICHTER_SA, short])
    found = match_vendor("Johnson & Richter SA", None, None, master,
                         text="Johnson & Richter SA, 1 rue X")  # fmt: skip
    assert found.vendor == RICHTER_SA


def test_the_buyer_read_as_the_vendor_fails() -> None:
    found = match_vendor("Seine Office GmbH", None, None, MASTER, buyer="Seine Office GmbH")
    assert not found.check.passed and "both read as" in found.check.message


def test_the_pipeline_hook_passes_the_text_on() -> None:
    fields = [Field("vendor_name", "Seine Office GmbH", "Seine Office GmbH", 0.5)]
    text = "Montprint B.V. orders from Seine Office GmbH"
    adjusted, check = check_vendor("purchase_order", fields, MASTER, text)
    assert adjusted == tuple(fields) and check is not None and check.passed
    adjusted, _ = check_vendor("purchase_order", fields, MASTER, "Seine Office GmbH")
    assert adjusted[0].confidence == NAME_ONLY
