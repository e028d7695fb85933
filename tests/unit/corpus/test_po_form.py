"""Purchase-order forms (``corpus._po_form``): every language prints its truth, the sums
hold with and without a shipping line, the look-alikes are not annotated, about 30% of
purchase orders are forms, and the other documents are drawn as before."""

from __future__ import annotations

import io
import random
from decimal import ROUND_HALF_UP, Decimal

import pdfplumber
import pytest
from PIL import Image

import corpus
from clerk.schemas import SCHEMAS, split_addressed
from corpus import _formats as formats
from corpus import _layout as layout
from corpus import _po_form as po_form
from corpus import _po_form_words as pw
from corpus._context import Ctx
from tests.unit.corpus.spans import truth_value


def _forms(language: str, split: str, n: int = 30) -> list[tuple[Ctx, str]]:
    out: list[tuple[Ctx, str]] = []
    for seed in range(n):
        ctx = Ctx.new(random.Random(f"po-form/{language}/{split}/{seed}"), language, split)
        po_form.po_form(ctx)
        out.append((ctx, ctx.b.compose()[0]))
    return out


@pytest.mark.parametrize("split", ["train", "test"])
@pytest.mark.parametrize("language", sorted(pw.languages()))
def test_every_span_prints_its_truth_and_sums_hold(language: str, split: str) -> None:
    schema = SCHEMAS["purchase_order"]
    shipped = 0
    for ctx, text in _forms(language, split):
        _, spans = layout.compose(ctx.b.pages)
        for spec in schema.fields:
            assert spec.name in ctx.truth, spec.name
        for span in spans:
            found = schema.spec(span.label)
            assert found is not None
            assert (
                truth_value(ctx, text[span.start : span.end], found.kind) == ctx.truth[span.label]
            )
        printed = {span.label for span in spans}
        unprinted = {"currency"} if ctx.money.position == "glued_prefix" else set()
        flat, rows = split_addressed(ctx.truth)
        assert set(flat) - printed - unprinted == set()
        assert rows
        for row in rows:
            line = Decimal(row["quantity"]) * Decimal(row["unit_price"])
            assert line.quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal(row["amount"])
            assert row["description"] in text
        net, tax, total = (Decimal(flat[k]) for k in ("net_amount", "tax_amount", "total_amount"))
        assert sum(Decimal(r["amount"]) for r in rows) == net
        shipping = total - net - tax
        assert shipping >= 0
        if shipping:  # the shipping line prints exactly what the total adds to net + tax
            shipped += 1
            assert formats.format_number(shipping, ctx.money) in text
        assert ctx.variant["po"] == "form"
    assert 0 < shipped < 30


def test_distractors_are_printed_but_not_annotated() -> None:
    seen = {"Vendor ID": 0, "Requisition #": 0, "Required By": 0}
    for ctx, text in _forms("en", "train", 80):
        spans = layout.compose(ctx.b.pages)[1]
        labelled = {text[s.start : s.end] for s in spans}
        lines = text.split("\n")
        for label in ("Vendor ID", "Requisition #"):
            line = next((x for x in lines if f" {label} " in x), None)
            if line:
                seen[label] += 1
                assert line.split(f" {label} ")[1].strip() not in labelled
        if any(x.startswith("Requisitioner ") for x in lines) and "Required By" in text:
            seen["Required By"] += 1
        signature = next(x for x in lines if "______" in x)
        signed = signature.rsplit("Date:", 1)[1].strip()
        signed_day = formats.parse_date(signed, ctx.date_style, ctx.language).isoformat()
        assert signed_day >= ctx.truth["order_date"]
        if signed_day != ctx.truth["order_date"]:
            assert signed not in labelled
        # the VENDOR block's company is the vendor; the issuing company heads the form
        assert text.startswith(ctx.truth["buyer_name"])
        assert ctx.truth["vendor_name"] in labelled
    assert all(seen.values()), seen


def test_english_forms_are_mostly_american_and_in_dollars() -> None:
    forms = _forms("en", "train", 60)
    dollars = sum(ctx.currency == "USD" for ctx, _ in forms)
    assert 35 <= dollars <= 55
    for ctx, text in forms:
        assert ctx.truth["currency"] == ctx.currency
        assert text.split("\n")[0].rstrip().endswith(("PURCHASE ORDER", "Purchase Order"))


def test_about_30_percent_of_purchase_orders_are_forms_in_every_language() -> None:
    samples = corpus.generate(700, 5, doc_types=["purchase_order"])
    forms = [s for s in samples if s.layout["variant"].get("po") == "form"]
    assert 0.22 <= len(forms) / len(samples) <= 0.38
    assert {s.language for s in forms} == set(pw.languages())


def test_held_out_wordings_only_in_test_split() -> None:
    held = {w for by_lang in pw.held_out_words().values() for ws in by_lang.values() for w in ws}
    train = "\n".join(t for lang in ("en", "de", "fr") for _, t in _forms(lang, "train", 40))
    test = "\n".join(t for lang in ("en", "de", "fr") for _, t in _forms(lang, "test", 40))
    assert not [w for w in held if w in train]
    assert any(w in test for w in held)


def test_pdf_and_scan_render_a_form() -> None:
    samples = corpus.generate(40, 11, doc_types=["purchase_order"], languages=["en"])
    form = next(s for s in samples if s.layout["variant"].get("po") == "form")
    with pdfplumber.open(io.BytesIO(corpus.render_pdf(form))) as pdf:
        words = pdf.pages[0].extract_text().split()
    assert form.truth["po_number"] in words
    image = Image.open(io.BytesIO(corpus.render_scan(form, random.Random(1))))
    assert image.format == "PNG" and image.width > 2000
