from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

import corpus
from corpus import Sample


def test_spreadsheet_holds_the_product_fields(train: list[Sample]) -> None:
    layouts = set()
    for sample in [s for s in train if s.doc_type == "product_update"][:12]:
        sheet = openpyxl.load_workbook(io.BytesIO(corpus.render_xlsx(sample))).active
        assert sheet is not None
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        values = [v for row in rows for v in row]
        assert sample.truth["sku"] in values and sample.truth["product_name"] in values
        price = next(v for v in values if isinstance(v, float))
        assert Decimal(str(price)).quantize(Decimal("0.01")) == Decimal(sample.truth["price"])
        layouts.add("rows" if len(rows) > 2 else "header")
    assert layouts == {"rows", "header"}


def test_only_product_updates_become_spreadsheets(train: list[Sample]) -> None:
    with pytest.raises(ValueError, match="product_update"):
        corpus.render_xlsx(next(s for s in train if s.doc_type == "invoice"))


@pytest.mark.parametrize(
    ("language", "header"),
    [("nl", "Productnaam"), ("es", "Nombre del producto"), ("it", "Nome prodotto"),
     ("pl", "Nazwa produktu")],
)  # fmt: skip
def test_spreadsheet_labels_follow_the_language(language: str, header: str) -> None:
    sample = corpus.generate(1, 2, doc_types=["product_update"], languages=[language])[0]
    sheet = openpyxl.load_workbook(io.BytesIO(corpus.render_xlsx(sample))).active
    assert sheet is not None
    values = [v for row in sheet.iter_rows(values_only=True) for v in row]
    assert header in values and sample.truth["product_name"] in values
