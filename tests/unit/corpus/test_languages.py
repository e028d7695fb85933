"""Dutch, Spanish, Italian and Polish documents: every type, in the country's wording,
dates, numbers and currency, readable by the extractor's normalizers."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

import corpus
from clerk.documents import DOC_TYPES
from clerk.schemas import SCHEMAS
from corpus import _formats as formats
from corpus import _labels as labels
from corpus import _words as words
from extractors.normalize import hints_from_text, normalize

NEW = ("nl", "es", "it", "pl")


@pytest.fixture(scope="module")
def by_language() -> dict[str, list[corpus.Sample]]:
    return {
        lang: corpus.generate(120, 5, languages=[lang])
        + corpus.generate(60, 5, languages=[lang], split="test")
        for lang in NEW
    }


@pytest.mark.parametrize("language", NEW)
def test_every_document_type_is_written_in_the_language(
    by_language: dict[str, list[corpus.Sample]], language: str
) -> None:
    samples = by_language[language]
    assert {s.doc_type for s in samples} == set(DOC_TYPES)
    assert all(s.language == language for s in samples)
    # Billing-system invoices print their own wording (corpus._bill_words, test_bill).
    invoices = [s for s in samples if s.doc_type == "invoice" and "bill" not in s.layout["variant"]]
    own_labels = {w.lstrip("!") for w in labels._L["invoice_number"][language]}
    assert invoices and all(any(w in s.text for w in own_labels) for s in invoices)
    # no English, German or French label strays into them
    for s in invoices:
        assert not re.search(r"\b(Invoice No\.|Rechnungsnummer|Numéro de facture)\b", s.text)


@pytest.mark.parametrize("language", NEW)
def test_spans_normalize_to_the_truth_as_the_extractor_reads_them(
    by_language: dict[str, list[corpus.Sample]], language: str
) -> None:
    """The extractor's own normalizers, with hints read from the text as the pipeline
    reads them, give back the truth of every date, amount, currency, IBAN and VAT id."""
    checked = Counter[str]()
    for s in by_language[language]:
        hints = hints_from_text(s.text, s.language)
        for span in s.spans:
            spec = SCHEMAS[s.doc_type].spec(span.label)
            assert spec is not None
            if spec.kind == "text":
                continue
            raw = s.text[span.start : span.end]
            got = normalize(spec.kind, raw, hints)
            assert got is not None and got.value == s.truth[span.label], (s.id, span.label, raw)
            checked[spec.kind] += 1
    assert all(checked[k] > 20 for k in ("date", "amount", "currency", "iban", "vat_id"))


def test_dates_as_each_country_writes_them() -> None:
    day = date(2026, 3, 15)
    written = {
        ("nl", "dmy_dash"): "15-03-2026",
        ("nl", "d_month_y"): "15 maart 2026",
        ("es", "dmy_slash"): "15/03/2026",
        ("es", "d_de_month_de_y"): "15 de marzo de 2026",
        ("it", "dmy_slash"): "15/03/2026",
        ("it", "d_month_y"): "15 marzo 2026",
        ("pl", "dmy_dot"): "15.03.2026",
        ("pl", "d_month_y"): "15 marca 2026",
        ("pl", "dmy_dot_r"): "15.03.2026 r.",
    }
    for (language, style), text in written.items():
        assert style in formats.DATE_STYLES[language]
        assert formats.format_date(day, style, language) == text
        assert formats.parse_date(text, style, language) == day
        assert normalize("date", text, hints_from_text(text, language)) is not None
        assert normalize("date", text, hints_from_text(text, language)).value == "2026-03-15"  # type: ignore[union-attr]


def test_polish_money_is_zloty_with_space_thousands() -> None:
    rng = random.Random(3)
    styles = [formats.money_style(rng, "pl", "PLN") for _ in range(200)]
    assert {s.decimal for s in styles} == {","} and {s.thousands for s in styles} <= {" ", ""}
    assert all(s.position != "prefix" for s in styles if s.symbol == "zł")
    zloty = next(
        s for s in styles if s.symbol == "zł" and s.thousands == " " and s.position == "suffix"
    )
    parts = formats.money_parts(Decimal("1234.56"), zloty)
    assert " ".join(text for _, text in parts) == "1 234,56 zł"
    amount = normalize("amount", "1 234,56 zł", hints_from_text("1 234,56 zł", "pl"))
    assert amount is not None and amount.value == "1234.56"
    assert normalize("currency", "zł") is not None


@pytest.mark.parametrize("language", ["nl", "es", "it"])
def test_dutch_spanish_italian_group_thousands_with_a_dot(language: str) -> None:
    rng = random.Random(language)
    styles = [formats.money_style(rng, language, "EUR") for _ in range(100)]
    assert {s.decimal for s in styles} == {","} and {s.thousands for s in styles} == {".", ""}


@pytest.mark.parametrize(
    ("country", "pattern"),
    [("ES", r"ES[AB]\d{8}"), ("IT", r"IT\d{11}"), ("PL", r"PL\d{10}"), ("NL", r"NL\d{9}B\d{2}")],
)
def test_vat_ids_of_the_new_countries(country: str, pattern: str) -> None:
    rng = random.Random(country)
    for _ in range(30):
        truth, printed = formats.make_vat_id(rng, country)
        assert re.fullmatch(pattern, truth)
        assert formats.vat_normalize(printed) == truth
        got = normalize("vat_id", printed)
        assert got is not None and got.value == truth


def test_polish_ibans_pass_mod97() -> None:
    rng = random.Random(9)
    assert all(formats.iban_is_valid(formats.make_iban(rng, "PL")) for _ in range(30))


def test_default_mix_has_all_languages_and_keeps_english_german_french_ahead() -> None:
    samples = corpus.generate(1400, 8)
    share = Counter(s.language for s in samples)
    assert set(share) == set(corpus.LANGUAGES)
    assert sum(share[lang] for lang in ("en", "de", "fr")) / len(samples) > 0.5
    assert all(share[lang] > 0.05 * len(samples) for lang in NEW)


def test_naming_languages_keeps_them_uniform_and_rejects_unknown_ones() -> None:
    share = Counter(s.language for s in corpus.generate(600, 8, languages=["pl", "en"]))
    assert set(share) == {"pl", "en"} and abs(share["pl"] - share["en"]) < 100
    with pytest.raises(ValueError, match="unsupported"):
        corpus.generate(3, 1, languages=["pt"])
    with pytest.raises(ValueError, match="unsupported"):
        corpus.generate(3, 1, languages=[])


def test_spanish_and_polish_companies_carry_local_legal_forms(
    by_language: dict[str, list[corpus.Sample]],
) -> None:
    for language, country in (("es", "ES"), ("pl", "PL")):
        names = [s.truth["vendor_name"] for s in by_language[language] if s.doc_type == "invoice"]
        assert names and all(n.endswith(words.SUFFIXES[country]) for n in names), language
