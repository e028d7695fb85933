from __future__ import annotations

import time
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest

import corpus
from clerk.documents import DOC_TYPES
from clerk.schemas import SCHEMAS, split_addressed
from corpus import Sample
from corpus import _formats as formats
from corpus import _labels as labels
from corpus import _words as words
from corpus._generate import HELD_OUT_VARIANTS


def test_same_seed_same_samples_and_prefix_stable() -> None:
    a = corpus.generate(60, 7)
    assert a == corpus.generate(60, 7)
    assert a[:25] == corpus.generate(25, 7)
    assert [s.text for s in a] != [s.text for s in corpus.generate(60, 8)]


def test_types_are_balanced_and_filters_apply(train: list[Sample]) -> None:
    counts = Counter(s.doc_type for s in train)
    assert set(counts) == set(DOC_TYPES) and max(counts.values()) - min(counts.values()) <= 1
    only = corpus.generate(30, 1, doc_types=["receipt"], languages=["fr"])
    assert {(s.doc_type, s.language) for s in only} == {("receipt", "fr")}
    with pytest.raises(ValueError, match="unknown document types"):
        corpus.generate(1, 1, doc_types=["memo"])


def test_text_is_rendered_as_the_reader_renders_it(train: list[Sample]) -> None:
    for s in train:
        for page in s.text.split("\f"):
            for line in page.split("\n"):
                assert line and line == " ".join(line.split()), (s.id, line)


def test_spans_sit_on_word_boundaries_and_use_schema_names(train: list[Sample]) -> None:
    for s in train:
        names = {f.name for f in SCHEMAS[s.doc_type].fields}
        for span in s.spans:
            assert span.label in names, (s.id, span)
            assert span.start == 0 or s.text[span.start - 1].isspace()
            assert span.end == len(s.text) or s.text[span.end].isspace()
            assert s.text[span.start : span.end].strip() == s.text[span.start : span.end]


def test_truth_covers_required_fields_with_schema_names(train: list[Sample]) -> None:
    for s in train:
        schema = SCHEMAS[s.doc_type]
        for name in s.truth:
            assert schema.spec(name) is not None, (s.id, name)
        for spec in schema.fields:
            if spec.required:
                assert spec.name in s.truth, (s.id, spec.name)


def _span_value(s: Sample, text: str, kind: str) -> str:
    money = formats.MoneyStyle(**s.layout["money"])
    if kind == "date":
        return formats.parse_date(text, s.layout["date_style"], s.language).isoformat()
    if kind == "amount":
        return formats.money(formats.parse_amount(text, money))
    if kind == "currency":
        return money.currency if text in (money.symbol, money.currency) else f"?{text}"
    if kind == "iban":
        return text.replace(" ", "").upper()
    if kind == "vat_id":
        return formats.vat_normalize(text)
    return text


def test_every_span_normalizes_to_its_truth(train: list[Sample], test_split: list[Sample]) -> None:
    checked = Counter[str]()
    for s in train + test_split:
        for span in s.spans:
            spec = SCHEMAS[s.doc_type].spec(span.label)
            assert spec is not None
            value = _span_value(s, s.text[span.start : span.end], spec.kind)
            assert value == s.truth[span.label], (s.id, span, s.text[span.start : span.end])
            checked[spec.kind] += 1
    assert all(checked[k] > 50 for k in ("date", "amount", "currency", "iban", "vat_id", "text"))


def test_amounts_add_up(train: list[Sample]) -> None:
    for s in train:
        t = {k: Decimal(v) for k, v in s.truth.items() if k.endswith(("amount", "unit_price"))}
        rows = split_addressed(s.truth)[1] if s.doc_type != "remittance_advice" else []
        for row in rows:
            line = Decimal(row["quantity"]) * Decimal(row["unit_price"])
            assert line.quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal(row["amount"])
        if s.doc_type == "invoice":
            assert sum(Decimal(row["amount"]) for row in rows) == t["net_amount"]
            assert t["net_amount"] + t["tax_amount"] == t["total_amount"]
        if s.doc_type == "remittance_advice":
            paid = [Decimal(v) for k, v in s.truth.items() if k.endswith(".amount")]
            assert sum(paid) == t["total_amount"]
        if "iban" in s.truth:
            assert formats.iban_is_valid(s.truth["iban"])


def test_held_out_split_is_disjoint(train: list[Sample], test_split: list[Sample]) -> None:
    name_fields = ("vendor_name", "buyer_name", "merchant_name", "payer_name")
    train_names = {s.truth[f] for s in train for f in name_fields if f in s.truth}
    test_names = {s.truth[f] for s in test_split for f in name_fields if f in s.truth}
    assert train_names and test_names and not train_names & test_names
    assert not set(words.STEMS["train"]) & set(words.STEMS["test"])
    assert not set(words.SURNAMES["train"]) & set(words.SURNAMES["test"])
    for key, held in HELD_OUT_VARIANTS.items():
        assert not {s.layout["variant"].get(key) for s in train} & set(held), key
        assert {s.layout["variant"].get(key) for s in test_split} & set(held), key


def test_held_out_labels_never_print_in_train(
    train: list[Sample], test_split: list[Sample]
) -> None:
    held = labels.held_out_labels()
    seen = labels.train_labels()
    for key, by_language in held.items():
        for language, wordings in by_language.items():
            assert not set(wordings) & set(seen[key][language])
    train_lines = {line for s in train for line in s.text.replace("\f", "\n").split("\n")}
    # A distinctive held-out wording at the start of a line never occurs in train text.
    for wording in ("Bill No.", "Beleg-Nr.", "N° facture", "Invoice total", "Bruttobetrag"):
        assert not any(line.startswith(wording + " ") for line in train_lines), wording
    test_text = "\n".join(s.text for s in test_split)
    assert sum(w in test_text for w in ("Bill No.", "Beleg-Nr.", "N° facture", "Bruttobetrag")) >= 2


def test_two_thousand_samples_take_seconds() -> None:
    start = time.perf_counter()
    samples = corpus.generate(2000, 3)
    assert len(samples) == 2000
    assert time.perf_counter() - start < 5.0


def test_long_documents_span_pages(train: list[Sample]) -> None:
    multi = [s for s in train if "\f" in s.text]
    assert multi and all(len(s.layout["pages"]) == s.text.count("\f") + 1 for s in multi)


def test_goods_lists_line_up_across_languages() -> None:
    from corpus import _goods as goods

    assert {len(v) for v in goods.ITEMS.values()} == {len(goods.ITEM_PRICES)}


def test_text_fits_the_standard_pdf_fonts(train: list[Sample], test_split: list[Sample]) -> None:
    # Helvetica, Times and Courier use WinAnsi (cp1252); a glyph outside it (a bullet was
    # one) comes back from the text layer as an unmapped glyph.
    # Polish needs letters WinAnsi lacks (ł, ś, ż), so its samples use the DejaVu fonts.
    for s in train + test_split:
        if s.layout["font"] in ("Helvetica", "Times", "Courier"):
            s.text.encode("cp1252")
        else:
            assert s.layout["font"].startswith("DejaVu")
        assert "\u2022" not in s.text
    assert all(s.layout["font"].startswith("DejaVu") for s in train if s.language == "pl")
