"""Corrected values -> partially labelled extractor samples."""

from __future__ import annotations

from clerk.corrections import CorrectedDocument
from extractors.ner.pipeline import make_nlp
from extractors.training._corrections import find_value, partial_examples, spellings, to_samples

TEXT = (
    "ACME GmbH\nInvoice No. INV-2024-17\nDate 12.03.2026\n"
    "Net 1,200.00\nTotal 1.428,00 EUR\nOrder 2017"
)


def test_spellings_of_dates_and_amounts() -> None:
    assert spellings("2026-03-12")[:2] == ["2026-03-12", "12.03.2026"]
    assert {"1,428.00", "1.428,00", "1428,00"} <= set(spellings("1428.00"))
    assert spellings("INV-7") == ["INV-7"]


def test_find_value_takes_whole_words_only() -> None:
    assert find_value(TEXT, "2026-03-12") == (
        TEXT.index("12.03.2026"),
        TEXT.index("12.03.2026") + 10,
    )
    assert find_value(TEXT, "1428.00") == (TEXT.index("1.428,00"), TEXT.index("1.428,00") + 8)
    assert find_value(TEXT, "201") is None  # inside 2017 and INV-2024-17: no word
    assert find_value(TEXT, "INV-2024-17") is not None
    assert find_value(TEXT, "9999") is None


def test_to_samples_labels_found_values_and_counts_the_rest() -> None:
    docs = [
        CorrectedDocument(
            "a" * 64,
            "invoice",
            TEXT,
            {
                "invoice_number": "INV-2024-17",
                "issue_date": "2026-03-12",
                "total_amount": "1428.00",
                "vendor_name": "Globex",  # not in the text
                "no_such_field": "ACME",
            },
        ),
        CorrectedDocument("b" * 64, "invoice", None, {"invoice_number": "X"}),
        CorrectedDocument("c" * 64, "invoice", "nothing here", {"invoice_number": "X"}),
    ]
    samples, stats = to_samples(docs)
    assert len(samples) == 1
    spans = {(TEXT[s.start : s.end], s.label) for s in samples[0].spans}
    assert spans == {
        ("INV-2024-17", "invoice_number"),
        ("12.03.2026", "issue_date"),
        ("1.428,00", "total_amount"),
    }
    assert (stats.documents, stats.without_text, stats.fields) == (3, 1, 6)
    assert (stats.found, stats.not_found, stats.unknown_field) == (3, 2, 1)


def test_partial_examples_leave_every_other_token_unlabelled() -> None:
    nlp = make_nlp(2, 32)
    docs = [CorrectedDocument("a" * 64, "invoice", TEXT, {"invoice_number": "INV-2024-17"})]
    samples, _ = to_samples(docs)
    (example,) = partial_examples(nlp, samples)
    reference = example.reference
    assert [(e.text, e.label_) for e in reference.ents] == [("INV-2024-17", "invoice_number")]
    # every other token is missing (""), none is taught as "no entity" ("O")
    iob = {t.ent_iob_ for t in reference if not t.ent_type_}
    assert iob == {""}
