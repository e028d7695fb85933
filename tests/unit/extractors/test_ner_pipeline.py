from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from clerk.documents import document_text
from corpus.sample import Sample, Span
from extractors.ner.data import document_from_text, to_example, to_examples
from extractors.ner.hints import infer_hints, infer_language
from extractors.ner.pipeline import RULES_KEY, add_rules, make_nlp, mark_lines


def tokens(text: str) -> list[str]:
    return [t.text for t in make_nlp().make_doc(text)]


def test_tokenizer_splits_values_glued_to_labels_and_currencies() -> None:
    assert tokens("Nr.:4711") == ["Nr.", ":", "4711"]
    assert tokens("#4711") == ["#", "4711"]
    assert tokens("EUR1,234.56") == ["EUR", "1,234.56"]
    assert tokens("1.234,56EUR") == ["1.234,56", "EUR"]
    # the multilingual tokenizer has no English "Ltd." exception: a name may end before the dot
    assert tokens("ACME Ltd.") == ["ACME", "Ltd", "."]


def test_rules_survive_initialize_and_a_round_trip_to_disk(tmp_path: Path) -> None:
    nlp = make_nlp()
    nlp.initialize()
    add_rules(nlp)  # after initialize, which would clear them
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    doc = loaded("IBAN DE89 3704 0044 0532 0130 00 USt-IdNr. DE123456789 Total EUR 12.00")
    found = {(s.text, s.label_) for s in doc.spans[RULES_KEY]}
    assert ("DE89 3704 0044 0532 0130 00", "iban") in found
    assert ("DE123456789", "vat_id") in found
    assert ("EUR", "currency") in found
    polish = loaded("NIP PL 123-456-78-90 Razem do zapłaty 1 234,56 zł")
    assert ("zł", "currency") in {(s.text, s.label_) for s in polish.spans[RULES_KEY]}
    # rules only propose shapes; they never claim an entity label
    assert not doc.ents


def test_each_line_is_a_sentence_so_no_entity_crosses_a_line_break() -> None:
    nlp = make_nlp()
    doc = mark_lines(nlp.make_doc("INV-7\nIssue date 12.03.2024\fPage 2"))
    starts = [t.text for t in doc if t.is_sent_start]
    assert starts == ["INV-7", "\n", "Issue", "\x0c", "Page"]
    nlp.initialize()
    loaded_doc = nlp("INV-7\nIssue date 12.03.2024")
    assert all("\n" not in e.text for e in loaded_doc.ents)


def sample(text: str, spans: list[tuple[int, int, str]]) -> Sample:
    return Sample("s", "invoice", "en", text, tuple(Span(*s) for s in spans), {})


def test_spans_on_token_boundaries_align_exactly() -> None:
    text = "Invoice No. INV-7 Total 12.00"
    example, stats = to_example(make_nlp(), sample(text, [(12, 17, "invoice_number")]))
    assert stats.exact == 1 and stats.skipped == 0
    assert [(e.text, e.label_) for e in example.reference.ents] == [("INV-7", "invoice_number")]


def test_misaligned_spans_are_contracted_or_skipped_and_counted() -> None:
    nlp = make_nlp()
    text = "Supplier ACME Ltd. Ref:A1"
    # " ACME Ltd" starts on the space: contracted to the tokens inside it
    contracted, _ = to_example(nlp, sample(text, [(8, 17, "vendor_name")]))
    assert [e.text for e in contracted.reference.ents] == ["ACME Ltd"]
    # "A" is half of the token "A1": nothing sensible is left, so it is skipped
    _, stats = to_example(nlp, sample(text, [(23, 24, "invoice_number")]))
    assert (stats.contracted, stats.skipped) == (0, 1)
    _, total = to_examples(
        nlp, [sample(text, [(8, 17, "vendor_name")]), sample(text, [(23, 24, "po_number")])]
    )
    assert (total.spans, total.contracted, total.skipped) == (2, 1, 1)


def test_overlapping_gold_spans_keep_the_first() -> None:
    text = "Total 12.00 EUR"
    example, stats = to_example(
        make_nlp(), sample(text, [(6, 11, "total_amount"), (6, 15, "net_amount")])
    )
    assert stats.overlapping == 1
    assert [e.label_ for e in example.reference.ents] == ["net_amount"]


def test_sample_text_becomes_a_document_with_the_same_offsets() -> None:
    text = "ACME GmbH\nRechnung Nr. 12\fSeite 2\nSumme 12,00 €"
    document = document_from_text(text)
    assert len(document.pages) == 2
    assert document_text(document).text == text


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Rechnung Datum Summe netto", "de"),
        ("Facture Date Montant TTC", "fr"),
        ("Invoice Date Total due", "en"),
        ("Factuurnummer Factuurdatum Totaal te betalen", "nl"),
        ("Nº factura Fecha Base imponible Importe total", "es"),
        ("Fattura n. Data Imponibile Totale documento", "it"),
        ("Faktura VAT nr Data wystawienia Razem do zapłaty", "pl"),
        ("12345", None),
    ],
)
def test_language_from_keywords(text: str, language: str | None) -> None:
    assert infer_language(text) == language


def test_a_polish_document_reads_comma_decimals_by_its_language() -> None:
    # no number on the page tells the convention; the language does
    hints = infer_hints("Faktura VAT nr 12 Data wystawienia Razem do zapłaty 12,500")
    assert (hints.language, hints.uses_decimal_comma()) == ("pl", True)


def test_hints_read_the_documents_own_conventions() -> None:
    german = infer_hints("Rechnung vom 31.01.2024 Summe 1.234,56 €")
    assert (german.language, german.decimal_comma, german.default_currency) == ("de", True, "EUR")
    us = infer_hints("Invoice date 03/04/2024 Total due $1,234.56")
    assert (us.language, us.date_order, us.decimal_comma) == ("en", "MDY", False)
    british = infer_hints("Invoice date 03/04/2024 Total £1,234.56")
    assert british.date_order is None  # left to the normalizer's DMY default for English
