"""Vendor memory's pure part: layouts, vendor keys, formats, where values stand, and
the evidence it gives (``extractors.memory``), on the bundled text-layer invoice."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from clerk.documents import Check, Document, Field, Page
from clerk.paths import PROJECT_ROOT
from extractors import read_all
from extractors.corroborate import CONFIRMED_CONFIDENCE
from extractors.memory import (
    CHECK,
    MEMORY_CONFIDENCE,
    MemoryEntry,
    Recalled,
    choose,
    entry_from_json,
    entry_to_json,
    layout_of,
    lift,
    merged,
    observe,
    recall,
    shape,
    vendor_keys,
)

SAMPLES = PROJECT_ROOT / "samples"
BAR = CONFIRMED_CONFIDENCE


def _read(name: str) -> Document:
    return read_all((SAMPLES / "inbox" / name).read_bytes(), name).documents[0]


@pytest.fixture(scope="module")
def invoice() -> Document:
    return _read("invoice_en.pdf")


@pytest.fixture(scope="module")
def truth() -> dict[str, str]:
    fields = json.loads((SAMPLES / "expected" / "invoice_en.pdf.json").read_text())["fields"]
    return {k: v for k, v in fields.items() if "." not in k}


def with_words(document: Document, changes: dict[str, str]) -> Document:
    """The same page with some words printed differently: the vendor's next invoice."""
    pages = tuple(
        replace(p, words=tuple(replace(w, text=changes.get(w.text, w.text)) for w in p.words))
        for p in document.pages
    )
    return replace(document, pages=pages, sha256="next")


NEXT = {"1241634": "1241677", "23": "19"}  # a new number, issued on the 19th


@pytest.fixture(scope="module")
def entry(invoice: Document, truth: dict[str, str]) -> MemoryEntry:
    return MemoryEntry(
        vendor_key=vendor_keys("invoice", truth)[0],
        vendor_name=truth["vendor_name"],
        doc_type="invoice",
        layout=layout_of(invoice),
        fields=tuple(observe(invoice, "invoice", truth)),
    )


def test_vendor_keys_are_vat_id_then_iban_then_name() -> None:
    values = {
        "vendor_vat_id": "NL 2762.332.99 B62",
        "iban": "nl86 gklv",
        "vendor_name": "Montprint B.V.",
    }
    assert vendor_keys("invoice", values) == [
        "vendor_vat_id:NL276233299B62",
        "iban:NL86GKLV",
        "name:montprintbv",
    ]
    assert vendor_keys("receipt", {"merchant_name": "MR. D.I.Y. (M) SDN BHD"}) == [
        "name:mrdiymsdnbhd"
    ]
    assert vendor_keys("invoice", {"vendor_name": "  "}) == []


def test_shapes_keep_the_format_and_drop_the_value() -> None:
    assert shape("amount", "RM 1,234.50") == shape("amount", "9.90") == ".2"
    assert shape("amount", "1.234,5") == ",1"
    assert shape("amount", "12") == "int"
    assert shape("date", "25/12/2018") == shape("date", "01/01/2019") == "99/99/9999"
    assert shape("date", "2 March 2025") == "9 a 9999"
    assert shape("date", "2018-12-25") != shape("date", "25/12/2018")
    assert shape("text", "INV-00417") == "AAA-99999"


def test_the_layout_survives_new_values_but_not_another_vendor(invoice: Document) -> None:
    again = layout_of(with_words(invoice, NEXT))
    assert again.signature == layout_of(invoice).signature
    other = layout_of(_read("rechnung_de.pdf"))
    assert other.signature != again.signature
    assert other.similarity(again) < 0.3


def test_observe_finds_each_value_with_its_label(entry: MemoryEntry) -> None:
    by_name = {f.name: f for f in entry.fields}
    assert by_name["invoice_number"].label == "^invoice"  # the value is printed below it
    assert by_name["issue_date"].label == "^date"
    assert by_name["total_amount"].label == "total amount"
    assert by_name["total_amount"].shape == ".2"
    assert by_name["invoice_number"].shape == "9999999"
    assert by_name["vendor_name"].value == "Wilson Software Ltd."  # the vendor's own: by value
    assert by_name["total_amount"].value is None  # an amount changes: by place
    assert 0.9 < by_name["total_amount"].x <= 1.0


def test_a_value_printed_nowhere_is_not_remembered(invoice: Document) -> None:
    assert observe(invoice, "invoice", {"total_amount": "999.99"}) == []


def test_recall_reads_the_next_document_where_the_vendor_prints_it(
    invoice: Document, entry: MemoryEntry
) -> None:
    following = with_words(invoice, NEXT)
    model = [Field("invoice_number", "1241677", "1241677", 0.5)]  # read, but unsure
    fields, recalled = recall(entry, following, "invoice", model)
    values = {f.name: f.value for f in fields}
    assert values["invoice_number"] == "1241677"
    assert values["issue_date"] == "2019-05-19"
    assert values["total_amount"] == "20405.86"
    assert recalled.agree == ("invoice_number",)
    assert "issue_date" in recalled.taken  # the model missed it: memory alone
    taken = next(f for f in fields if f.name == "issue_date")
    assert taken.confidence == MEMORY_CONFIDENCE and taken.box is not None


def test_choose_takes_the_vendors_layout_and_nothing_for_another_vendor(
    invoice: Document, entry: MemoryEntry
) -> None:
    following = with_words(invoice, NEXT)
    assert choose([entry], following, "invoice", {}) == entry  # the letterhead names it
    assert choose([entry], following, "receipt", {}) is None
    other = _read("rechnung_de.pdf")
    assert choose([entry], other, "invoice", {"vendor_name": "Wilson Software Ltd."}) is None


def _agreeing(entry: MemoryEntry, document: Document) -> tuple[list[Field], Recalled]:
    values = {f.name: f for f in entry.fields}
    model = [
        Field(n, "", v, 0.5)
        for n, v in {
            "invoice_number": "1241677",
            "issue_date": "2019-05-19",
            "vendor_name": "Wilson Software Ltd.",
            "vendor_vat_id": "GB276233299",
            "iban": "GB47DGKL10834415477812",
            "po_number": "21065",
            "currency": "EUR",
            "net_amount": "17004.88",
            "tax_amount": "3400.98",
            "total_amount": "20405.86",
        }.items()
        if n in values
    ]
    return model, recall(entry, document, "invoice", model)[1]


def test_lift_confirms_agreeing_fields_only_when_every_check_passes(
    invoice: Document, entry: MemoryEntry
) -> None:
    model, recalled = _agreeing(entry, with_words(invoice, NEXT))
    ok = [Check("net_plus_tax_equals_total", True, "")]
    fields, checks = lift(recalled, model, ok, 1, BAR)
    assert all(f.confidence == BAR for f in fields)
    assert checks[-1].name == CHECK and checks[-1].passed
    failed = [Check("net_plus_tax_equals_total", False, "17004.88 + 3400.98 != 20500.00")]
    fields, checks = lift(recalled, model, failed, 1, BAR)
    assert all(f.confidence == 0.5 for f in fields)
    fields, _ = lift(recalled, model, ok, 2, BAR)
    assert all(f.confidence == 0.5 for f in fields), "one confirmation is not two"


def test_a_remembered_place_with_a_value_of_another_format_lifts_nothing(
    invoice: Document, entry: MemoryEntry
) -> None:
    # The vendor's next invoice prints the total with no decimals where it printed 20405.86.
    odd = with_words(invoice, {**NEXT, "20405.86": "20405"})
    model, recalled = _agreeing(entry, odd)
    assert "total_amount" not in recalled.agree and recalled.other_format == ("total_amount",)
    assert "invoice_number" in recalled.agree  # the other places still agree...
    fields, checks = lift(recalled, model, [Check("net_plus_tax_equals_total", True, "")], 1, BAR)
    assert all(f.confidence == 0.5 for f in fields)  # ...and yet nothing is lifted
    assert "total_amount shows a value of another format" in checks[-1].message


def test_a_model_reading_that_differs_from_the_remembered_place_fails_the_check(
    invoice: Document, entry: MemoryEntry
) -> None:
    model = [Field("total_amount", "20402.00", "20402.00", 0.99)]
    fields, recalled = recall(entry, with_words(invoice, NEXT), "invoice", model)
    assert recalled.differ == (("total_amount", "20402.00", "20405.86"),)
    _, checks = lift(recalled, fields, [], 1, BAR)
    assert checks[-1].name == CHECK and not checks[-1].passed
    assert "20402.00" in checks[-1].message


def test_merged_counts_confirmations_of_the_same_place_and_restarts_a_moved_one(
    entry: MemoryEntry,
) -> None:
    again = merged(entry.fields, entry.fields)
    assert {f.confirmations for f in again} == {2}
    moved = [
        replace(f, label="grand total") if f.name == "total_amount" else f for f in entry.fields
    ]
    after = {f.name: f.confirmations for f in merged(again, moved)}
    assert after["total_amount"] == 1 and after["issue_date"] == 3


def test_entries_travel_as_json(entry: MemoryEntry) -> None:
    assert entry_from_json(json.loads(json.dumps(entry_to_json(entry)))) == entry
    with pytest.raises(ValueError, match="not a vendor memory entry"):
        entry_from_json({"vendor_key": "x"})


def test_a_page_without_geometry_still_has_a_layout() -> None:
    from clerk.documents import words_from_text

    page = Page(1, 0, 0, words_from_text("ACME Ltd\nInvoice no 17\nTotal 12.00"))
    document = Document("s", "n.txt", "text/plain", (page,), "text-layer")
    assert layout_of(document).tokens  # words with no place: column "-"
    (total,) = observe(document, "invoice", {"total_amount": "12.00"})
    assert total.label == "total"


def test_an_ocr_slip_in_the_vendors_name_still_finds_and_confirms_it(
    invoice: Document, entry: MemoryEntry
) -> None:
    slipped = with_words(invoice, {**NEXT, "Wilson": "Wi1son"})
    assert choose([entry], slipped, "invoice", {}) == entry
    model = [Field("vendor_name", "Wi1son Software Ltd.", "Wi1son Software Ltd.", 0.6)]
    fields, recalled = recall(entry, slipped, "invoice", model)
    assert "vendor_name" in recalled.agree
    assert next(f for f in fields if f.name == "vendor_name").value == "Wilson Software Ltd."
    other = [
        Field("vendor_name", "Clarke & Hughes Ltd.", "Clarke & Hughes Ltd.", 0.99)
    ]  # the customer
    _, recalled = recall(entry, slipped, "invoice", other)
    assert recalled.differ[0][:2] == ("vendor_name", "Clarke & Hughes Ltd.")
