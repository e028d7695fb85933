"""``generate``: seeded synthetic documents with text, NER spans and normalized truth.

Each sample has its own random source derived from (seed, split, index), so the first
``n`` samples of a larger run are the same as a run of ``n``.

The ``test`` split is a held-out distribution: company stems and surnames come from a
disjoint list (``corpus._words``); label wordings marked held out in ``corpus._labels`` (and
the "!" entries of the lists in ``corpus._receipt`` and ``corpus._product``) appear only
there; so do these layout variants (``Sample.layout["variant"]``, ``HELD_OUT_VARIANTS``):
header ``centered``, meta ``stacked``, table orders ``desc-unit-qty-amount`` and
``pos-desc-qty-unit-vat-amount``, totals ``inline``, receipt ``itemised_vat``, product
``prose``, remittance ``letter``, other ``quote_request``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Literal

from clerk.documents import DOC_TYPES
from corpus import _commercial as commercial
from corpus import _other_docs as other_docs
from corpus import _product as product
from corpus import _receipt as receipt
from corpus import _remittance as remittance
from corpus._context import Ctx
from corpus._layout import Line, cell
from corpus.sample import Sample

HELD_OUT_VARIANTS: dict[str, tuple[str, ...]] = {
    "header": ("centered",),
    "meta": ("stacked",),
    "table": ("desc-unit-qty-amount", "pos-desc-qty-unit-vat-amount"),
    "totals": ("inline",),
    "receipt": ("itemised_vat",),
    "product": ("prose",),
    "remittance": ("letter",),
    "other": ("quote_request",),
}

_WRITERS: dict[str, Callable[[Ctx], None]] = {
    "invoice": commercial.invoice,
    "purchase_order": commercial.purchase_order,
    "receipt": receipt.receipt,
    "product_update": product.product_update,
    "remittance_advice": remittance.remittance_advice,
    "other": other_docs.other,
}

_PAGE_WORD = {"en": ("Page", "of"), "de": ("Seite", "von"), "fr": ("Page", "sur")}


def generate(
    n: int,
    seed: int,
    *,
    doc_types: Sequence[str] | None = None,
    languages: Sequence[str] = ("en", "de", "fr"),
    split: Literal["train", "test"] = "train",
) -> list[Sample]:
    """``n`` samples, cycling through ``doc_types`` so that every type is equally common."""
    types = tuple(doc_types or DOC_TYPES)
    unknown = [t for t in types if t not in _WRITERS]
    if unknown:
        raise ValueError(f"unknown document types {unknown}; choose from {DOC_TYPES}")
    if split not in ("train", "test"):
        raise ValueError(f"split is {split!r}; use 'train' or 'test'")
    bad_lang = [lang for lang in languages if lang not in ("en", "de", "fr")]
    if bad_lang or not languages:
        raise ValueError(f"languages {list(languages)} unsupported; use en, de, fr")
    return [one(seed, i, types[i % len(types)], languages, split) for i in range(n)]


def one(seed: int, index: int, doc_type: str, languages: Sequence[str], split: str) -> Sample:
    rng = random.Random(f"clerk-corpus/{seed}/{split}/{index}")
    language = rng.choice(list(languages))
    ctx = Ctx.new(rng, language, split)
    _WRITERS[doc_type](ctx)
    _page_numbers(ctx)
    text, spans = ctx.b.compose()
    truth = dict(ctx.truth)
    layout = {
        "pages": ctx.b.to_dict(),
        "variant": dict(ctx.variant),
        "date_style": ctx.date_style,
        "money": ctx.money.to_dict(),
        "font": rng.choice(
            ["Helvetica", "Times", "Courier", "DejaVuSans", "Helvetica", "DejaVuSerif"]
        ),
        "size": rng.choice([8.5, 9.0, 9.5, 10.0, 10.5, 11.0]),
        "page": ctx.variant.get("page", "a4"),
    }
    return Sample(
        id=f"{split}-{seed}-{index:05d}-{doc_type}",
        doc_type=doc_type,
        language=language,
        text=text,
        spans=spans,
        truth=truth,
        layout=layout,
    )


def _page_numbers(ctx: Ctx) -> None:
    """Page x of y at the foot of each page, once the page count is known."""
    pages = [p for p in ctx.b.pages if p]
    if ctx.variant.get("page") == "receipt" or ctx.rng.random() < 0.4:
        return
    word, of = _PAGE_WORD[ctx.language]
    short = ctx.rng.random() < 0.3
    for number, page in enumerate(pages, 1):
        text = f"{number}/{len(pages)}" if short else f"{word} {number} {of} {len(pages)}"
        marker = cell(1.0, text, align="right")
        assert marker is not None
        page.append(Line((marker,), gap=1.0, size=0.8))
