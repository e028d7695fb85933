"""Product updates as spreadsheets: label/value rows, or a header row over a value row,
as suppliers send them. Labels follow the sample's language; numbers are numeric cells."""

from __future__ import annotations

import io
import random
from datetime import datetime
from decimal import Decimal
from typing import Any

from corpus.sample import Sample

_LABELS = {
    "en": ("SKU", "Product name", "Price", "Currency", "Stock", "Description"),
    "de": ("Artikelnummer", "Produktname", "Preis", "Währung", "Bestand", "Beschreibung"),
    "fr": ("Référence", "Nom du produit", "Prix", "Devise", "Stock", "Description"),
    "nl": ("Artikelnummer", "Productnaam", "Prijs", "Valuta", "Voorraad", "Omschrijving"),
    "es": ("Referencia", "Nombre del producto", "Precio", "Moneda", "Stock", "Descripción"),
    "it": ("Codice articolo", "Nome prodotto", "Prezzo", "Valuta", "Giacenza", "Descrizione"),
    "pl": ("Indeks", "Nazwa produktu", "Cena", "Waluta", "Stan", "Opis"),
}
_FIELDS = ("sku", "product_name", "price", "currency", "stock", "description")

_TITLES = {
    "en": "Product update",
    "de": "Produktänderung",
    "fr": "Mise à jour",
    "nl": "Productwijziging",
    "es": "Actualización",
    "it": "Aggiornamento",
    "pl": "Zmiana produktu",
}


def render_xlsx(sample: Sample) -> bytes:
    if sample.doc_type != "product_update":
        raise ValueError(
            f"sample {sample.id} is a {sample.doc_type}; only product_update samples "
            "are rendered as spreadsheets"
        )
    from openpyxl import Workbook

    rng = random.Random(f"xlsx/{sample.id}")
    values: list[Any] = []
    for name in _FIELDS:
        raw = sample.truth.get(name, "")
        if name == "price" and raw:
            values.append(float(Decimal(raw)))
        elif name == "stock" and raw:
            values.append(int(raw))
        else:
            values.append(raw)
    labels = _LABELS[sample.language]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _TITLES[sample.language]
    if rng.random() < 0.5:
        for label, value in zip(labels, values, strict=True):
            sheet.append([label, value])
        sheet["B3"].number_format = "0.00"
    else:
        sheet.append(list(labels))
        sheet.append(values)
        sheet["C2"].number_format = "0.00"
    fixed = datetime(2024, 1, 1)  # reproducible document properties
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
