from __future__ import annotations

import random
from pathlib import Path

import pytest

import corpus
from clerk.documents import Box, Field, Word, document_text
from clerk.errors import ApplicationError
from clerk.registry import ModelCard, Registry
from clerk.schemas import SCHEMAS
from corpus.sample import Sample
from extractors.extraction import (
    FieldExtractor,
    currency_as_printed,
    drop_misread_spans,
    extract_fields,
)
from tests.unit.extractors.ner_support import SEED, make_document, trained_registry

Trained = tuple[Registry, ModelCard]


@pytest.fixture(scope="session")
def trained() -> Trained:
    return trained_registry()


@pytest.fixture(scope="module")
def extractor(trained: Trained) -> FieldExtractor:
    return FieldExtractor.load(trained[0])


@pytest.fixture(scope="module")
def invoices() -> list[Sample]:
    # the training split: the small test model knows these layouts well
    return corpus.generate(12, SEED, doc_types=["invoice"], split="train")


def test_load_is_once_per_process_and_version(trained: Trained) -> None:
    registry, card = trained
    first = FieldExtractor.load(registry)
    assert FieldExtractor.load(Registry(registry.root)) is first
    assert first.model_version == card.version


def test_missing_model_is_an_application_error(tmp_path: Path) -> None:
    with pytest.raises(ApplicationError) as raised:
        FieldExtractor.load(Registry(tmp_path))
    assert raised.value.code == "MODEL_MISSING"


def test_fields_carry_page_and_the_union_of_their_words_boxes(
    extractor: FieldExtractor, invoices: list[Sample]
) -> None:
    checked = 0
    for sample in invoices:
        pages = sample.text.split("\f")
        document = make_document(pages)
        source = document_text(document)
        assert source.text == sample.text
        for field in extractor.extract(document, "invoice"):
            if field.source != "model":
                continue
            # the field's words are one of the places its raw text occurs
            placements = []
            start = source.text.find(field.raw)
            while start >= 0:
                words: list[Word] = source.words_in(start, start + len(field.raw))
                expected: Box | None = None
                for word in words:
                    assert word.box is not None
                    expected = word.box if expected is None else expected.union(word.box)
                placements.append((words[0].page, expected))
                start = source.text.find(field.raw, start + 1)
            assert (field.page, field.box) in placements
            checked += 1
    assert checked >= 20


def test_a_multi_word_value_gets_one_box_around_all_its_words(
    extractor: FieldExtractor, invoices: list[Sample]
) -> None:
    spanning = 0
    for sample in invoices:
        document = make_document(sample.text.split("\f"))
        for field in extractor.extract(document, "invoice"):
            if field.source == "model" and " " in field.raw and field.box is not None:
                # several words on one line: one box, one line high, over every word (a
                # span that ends inside a word gets that whole word's box)
                assert field.box.y1 - field.box.y0 == pytest.approx(10.0)
                assert field.box.x1 - field.box.x0 >= 6.0 * len(field.raw) - 1e-6
                assert len(field.raw.split(" ")) > 1
                spanning += 1
    assert spanning >= 5


def test_only_the_document_types_fields_are_returned(
    extractor: FieldExtractor, invoices: list[Sample]
) -> None:
    document = make_document(invoices[0].text.split("\f"))
    fields, rows = extractor.extract_with_rows(document, "invoice")
    as_invoice = {f.name for f in fields}
    as_receipt = {f.name for f in extractor.extract(document, "receipt")}
    receipt_names = {s.name for s in SCHEMAS["receipt"].fields}
    assert as_receipt <= receipt_names
    assert as_invoice <= {s.name for s in SCHEMAS["invoice"].fields}  # flat fields only
    assert "invoice_number" in as_invoice and "invoice_number" not in as_receipt
    assert rows and extractor.extract(document, "invoice") == fields
    assert extractor.extract_with_rows(document, "receipt")[1] == ()
    assert extractor.extract(document, "other") == ()


def test_values_are_normalized(extractor: FieldExtractor, invoices: list[Sample]) -> None:
    right = total = 0
    for sample in invoices:
        document = make_document(sample.text.split("\f"))
        for field in extractor.extract(document, "invoice"):
            if field.name in sample.truth:
                total += 1
                right += field.value == sample.truth[field.name]
    assert total >= 100
    assert right / total >= 0.8


def test_currency_is_derived_from_the_amounts_when_no_entity_names_it(
    extractor: FieldExtractor,
) -> None:
    text = "Total 1.234,56 € Net 1.037,45 € VAT 197,11 €"
    document = make_document([text])
    fields = {f.name: f for f in extractor.extract(document, "receipt")}
    assert fields["currency"].value == "EUR"


def test_confidence_is_lower_on_scan_like_text(
    extractor: FieldExtractor, invoices: list[Sample]
) -> None:
    rng = random.Random(SEED)

    def mean_confidence(samples: list[Sample], ocr: float) -> float:
        values = [
            f.confidence
            for s in samples
            for f in extractor.extract(make_document(s.text.split("\f"), ocr), s.doc_type)
            if f.source == "model"
        ]
        return sum(values) / len(values)

    noisy = [corpus.ocr_noise_sample(s, rng, 0.05) for s in invoices]
    assert mean_confidence(noisy, 0.8) < mean_confidence(invoices, 1.0)


def test_confident_fields_are_right_more_often_than_the_rest(trained: Trained) -> None:
    _, card = trained
    confidence = card.metrics["test_clean"]["confidence"]
    # the fields above 0.90 are right more often than the fields overall; how often is
    # model quality, which differs by a few hundredths between machines' builds of the
    # same model: ``bench/bench_extraction.py`` prints it
    assert confidence["0.90"]["precision"] >= confidence["0.50"]["precision"]


def test_extract_fields_uses_the_registrys_extractor(trained: Trained) -> None:
    registry, _ = trained
    document = make_document(["Total 12,00 €"])
    fields = extract_fields(document, "receipt", registry)
    assert all(f.name in {s.name for s in SCHEMAS["receipt"].fields} for f in fields)


@pytest.mark.parametrize(
    ("text", "code", "kept"),
    [
        ("IKANO HANDEL SDN BHD\nTotal 73.30", "BHD", False),  # a legal form, not a dinar
        ("Total BHD 12.500", "BHD", True),
        ("Currency: EUR\nTotal 10.00", "EUR", True),
        ("All amounts in USD", "USD", True),
    ],
)
def test_a_currency_code_counts_beside_an_amount_or_a_currency_label(
    text: str, code: str, kept: bool
) -> None:
    from extractors.extraction import _names_a_currency
    from extractors.ner.model import Candidate

    start = text.index(code)
    candidate = Candidate(start, start + len(code), "currency", 0.9, False)
    assert _names_a_currency(text, candidate) is kept


def test_a_date_that_reads_two_ways_is_below_the_bar_unless_the_document_settles_it() -> None:
    from extractors.extraction import UNSETTLED_DATE_CONFIDENCE, cap_unsettled_dates

    fields = (
        Field("receipt_date", "03/11/2026", "2026-11-03", 0.99),
        Field("issue_date", "23/11/2026", "2026-11-23", 0.99),  # reads one way only
        Field("due_date", "03.11.2026", "2026-11-03", 0.99),  # dots: day first
    )
    capped = {f.name: f.confidence for f in cap_unsettled_dates(fields, "Date 03/11/2026")}
    assert capped == {
        "receipt_date": UNSETTLED_DATE_CONFIDENCE,
        "issue_date": 0.99,
        "due_date": 0.99,
    }
    # Another date on the page that reads one way only settles the order for all.
    settled = cap_unsettled_dates(fields, "Date 03/11/2026  Printed 23/11/2026")
    assert [f.confidence for f in settled] == [0.99, 0.99, 0.99]


def test_the_label_readers_date_is_sure_when_the_page_has_that_date_only() -> None:
    from extractors._reconcile import AGREE_CONFIDENCE, KV_ONLY_CONFIDENCE
    from extractors.extraction import confirm_the_only_date
    from extractors.ner.hints import infer_hints
    from extractors.ner.model import Candidate

    text = "Bestellt am\n18. Oktober 2025\nLiefertermin 3. November 2025"
    hints = infer_hints(text)
    order = Field("order_date", "18. Oktober 2025", "2025-10-18", KV_ONLY_CONFIDENCE, source="rule")
    as_due = Candidate(12, 28, "due_date", 1.0, False)  # the model's name for it
    (alone,) = confirm_the_only_date([order], text, [as_due], hints)
    assert alone.confidence == AGREE_CONFIDENCE
    # A second date on the page: the label could have meant either.
    other = Candidate(42, 57, "due_date", 0.9, False)
    (two,) = confirm_the_only_date([order], text, [as_due, other], hints)
    assert two.confidence == KV_ONLY_CONFIDENCE
    # The model finds no date there: nothing agrees.
    assert confirm_the_only_date([order], text, [], hints)[0].confidence == KV_ONLY_CONFIDENCE


def test_a_receipts_country_settles_a_date_the_cap_would_leave_unsettled(
    extractor: FieldExtractor,
) -> None:
    """03/02/2018 reads two ways; a Malaysian receipt (its legal form and its "RM")
    writes the day first, so the receipt's own reading is sure of 3 February."""
    text = (
        "GIN KEE SDN BHD\nKUALA LUMPUR\nDate: 03/02/2018 15:28\n"
        "TOTAL RM 7.42\nCASH RM 10.00\nCHANGE RM 2.58"
    )
    fields = {f.name: f for f in extractor.extract(make_document([text]), "receipt")}
    assert fields["receipt_date"].value == "2018-02-03"
    assert fields["receipt_date"].confidence > 0.93


def test_a_span_read_as_two_fields_stays_with_the_one_it_reads_as() -> None:
    tax = Field("tax_amount", "1 578,92 €", "1578.92", 0.97)
    misread = Field("due_date", "1 578,92 €", None, 0.3)
    unread = Field("due_date", "30 jours", None, 0.4)  # no other field claims it: kept
    assert drop_misread_spans([tax, misread]) == (tax,)
    assert drop_misread_spans([tax, unread]) == (tax, unread)


def test_values_read_are_each_fields_values_the_model_read_at_even_odds() -> None:
    from extractors.extraction import values_read
    from extractors.ner.hints import infer_hints
    from extractors.ner.model import Candidate

    text = "Rechnungsdatum: 03.02.2026\nFällig am: 13.02.2026"
    hints = infer_hints(text)
    candidates = [
        Candidate(16, 26, "issue_date", 0.9, False),
        Candidate(38, 48, "receipt_date", 0.7, False),  # a document date under another name
        Candidate(38, 48, "due_date", 0.3, False),  # below even odds
    ]
    read = values_read(text, "invoice", hints, candidates)
    assert read["issue_date"] == {"2026-02-03", "2026-02-13"}
    assert read["due_date"] == frozenset()
    assert values_read(text, "nonsense", hints, candidates) == {}


def test_an_id_span_that_ran_on_into_the_next_column_is_cut_to_the_id() -> None:
    from extractors.extraction import _cut_to_id
    from extractors.ner.hints import infer_hints
    from extractors.ner.model import Candidate

    text = "VAT Reg No. GB 262 9421 91 Invoice number: 0193845527"
    hints = infer_hints(text)
    ran_on = Candidate(12, len(text), "vendor_vat_id", 0.9, False)
    assert _cut_to_id(ran_on, "vat_id", text, hints).text(text) == "GB 262 9421 91"
    whole = Candidate(12, 26, "vendor_vat_id", 0.9, False)
    assert _cut_to_id(whole, "vat_id", text, hints) == whole
    nothing = Candidate(0, 11, "vendor_vat_id", 0.9, False)  # no id in it at all: as it was
    assert _cut_to_id(nothing, "vat_id", text, hints) == nothing


def test_the_currency_printed_as_the_columns_unit_fills_a_missing_currency() -> None:
    header = "Pos. Product Qty. Rate (GBP) Tax Ext. Price (GBP)\n1 Freight 20 69.43 21% 1,388.60"
    (currency,) = currency_as_printed((), header)
    assert (currency.value, currency.source) == ("GBP", "rule")
    assert currency.confidence >= 0.93  # printed twice, no other
    (once,) = currency_as_printed((), "Price (CHF)\nCable 7.85")
    assert once.confidence < 0.93
    # Two currencies or a province's "(RM)": nothing changes.
    assert currency_as_printed((), "Price (GBP) Total (EUR)\n1 7.85") == ()
    assert currency_as_printed((), "00184 Roma (RM)\nImporto 12,00 (RM)") == ()
    read = Field("currency", "EUR", "EUR", 0.99)
    (contradicted,) = currency_as_printed((read,), header)  # another: a person looks
    assert (contradicted.value, contradicted.confidence) == ("EUR", once.confidence)
    assert currency_as_printed((read,), "Price (CHF)\nCable 7.85") == (read,)
    unsure = Field("currency", "GBP", "GBP", 0.7)
    (lifted,) = currency_as_printed((unsure,), header)
    assert (lifted.value, lifted.confidence) == ("GBP", currency.confidence)
