"""Invoices as billing systems send them (``corpus._bill``): every kind in every language
prints its truth, its sums hold, and the look-alike numbers and dates are not annotated."""

from __future__ import annotations

import random
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest

from clerk.schemas import SCHEMAS, split_addressed
from corpus import _bill as bill
from corpus import _bill_words as bw
from corpus import _formats as formats
from corpus import _layout as layout
from corpus._context import Ctx
from tests.unit.corpus.spans import truth_value


def _bills(kind: str, language: str, split: str, n: int = 30) -> list[tuple[Ctx, str]]:
    out: list[tuple[Ctx, str]] = []
    seed = 0
    while len(out) < n:
        ctx = Ctx.new(random.Random(f"bill/{kind}/{language}/{split}/{seed}"), language, split)
        seed += 1
        bill.bill_invoice(ctx)
        if ctx.variant["bill"] == kind:
            out.append((ctx, ctx.b.compose()[0]))
    return out


KINDS = ("hosting", "utility", "shop")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", sorted(bill.LANGUAGES & {"en", "de", "fr"}))
def test_every_span_prints_its_truth_and_sums_hold(kind: str, language: str) -> None:
    schema = SCHEMAS["invoice"]
    for ctx, text in _bills(kind, language, "train"):
        _, spans = layout.compose(ctx.b.pages)
        for spec in schema.fields:
            if spec.required:
                assert spec.name in ctx.truth, (kind, spec.name)
        for span in spans:
            found = schema.spec(span.label)
            assert found is not None
            assert (
                truth_value(ctx, text[span.start : span.end], found.kind) == ctx.truth[span.label]
            )
        # every flat field the truth holds is printed somewhere, except a net a TOTAL row
        # leaves to the sum of the net column and a currency glued to its amounts ($9.99)
        printed = {span.label for span in spans}
        unprinted = {"net_amount"} | (
            {"currency"} if ctx.money.position == "glued_prefix" else set()
        )
        assert set(ctx.truth) - printed - unprinted <= {
            k for k in ctx.truth if k.startswith("line_items.")
        }
        flat, rows = split_addressed(ctx.truth)
        assert rows
        for row in rows:
            line = Decimal(row["quantity"]) * Decimal(row["unit_price"])
            assert line.quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal(row["amount"])
            assert row["description"] in text
        net, tax, total = (Decimal(flat[k]) for k in ("net_amount", "tax_amount", "total_amount"))
        assert sum(Decimal(r["amount"]) for r in rows) == net
        assert net + tax == total


def test_distractors_are_printed_but_not_annotated() -> None:
    seen = Counter[str]()
    for kind in KINDS:
        for ctx, text in _bills(kind, "en", "train", 60):
            labelled = {text[s.start : s.end] for s in layout.compose(ctx.b.pages)[1]}
            if "ending" in text or "**** " in text:
                seen["card"] += 1
            if "Amount due" in text and formats.money_parts(Decimal("0"), ctx.money)[-1][1] in text:
                seen["zero_due"] += 1
            for label in ("Account number", "Order Number", "Customer ID"):
                line = next((x for x in text.split("\n") if label in x), None)
                if line:
                    seen[label] += 1
                    value = line.split(label)[1].lstrip(":# ").split(" ")[0]
                    assert value not in labelled
    assert seen["card"] and seen["zero_due"] and seen["Order Number"] and seen["Account number"]


def test_paid_by_card_keeps_the_invoice_total() -> None:
    for ctx, text in _bills("hosting", "en", "train", 60):
        if "ending" in text or "****" in text:
            total = Decimal(ctx.truth["total_amount"])
            assert total == Decimal(ctx.truth["net_amount"]) + Decimal(ctx.truth["tax_amount"])
            assert total > 0


def test_held_out_wordings_only_in_test_split() -> None:
    held = {w for by_lang in bw.held_out_words().values() for ws in by_lang.values() for w in ws}
    train_text = "\n".join(t for k in KINDS for _, t in _bills(k, "en", "train", 40))
    test_text = "\n".join(t for k in KINDS for _, t in _bills(k, "en", "test", 40))
    plain = [w for w in held if "{" not in w and len(w) > 6]
    starts = [re.compile(rf"(^|\n){re.escape(w)}(\W|$)") for w in plain]
    assert not [p.pattern for p in starts if p.search(train_text)]
    assert any(w in test_text for w in plain)


def test_every_table_speaks_the_corpus_languages() -> None:
    assert {"en", "de", "fr"} <= bw.languages()
