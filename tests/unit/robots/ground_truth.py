"""The bundled samples' ground truth (``samples/expected/*.json``) as understandings, and
a field-by-field check of an ERP ledger document against it."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from clerk.documents import Field, LineItem, Understanding
from clerk.payloads import DocumentRef, ItemPayload
from clerk.schemas import split_addressed

ROOT = Path(__file__).parents[3] / "samples"


def truth(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "expected" / f"{name}.json").read_text())
    return data


def understanding_of(name: str, **changes: str | None) -> Understanding:
    """What a perfect reader would make of sample ``name`` (decision auto). The truth
    keeps cells under their addresses (``line_items.0.amount``); they become rows."""
    t = truth(name)
    flat, rows = split_addressed({**t["fields"], **changes})
    fields = tuple(
        Field(n, raw=v, value=v, confidence=1.0) for n, v in flat.items() if v is not None
    )
    line_items = tuple(
        LineItem(tuple(Field(c, v, v, 1.0) for c, v in row.items() if v is not None))
        for row in rows
    )
    data = (ROOT / "inbox" / name).read_bytes()
    return Understanding(
        hashlib.sha256(data).hexdigest(), name, t["doc_type"], 1.0, ((t["doc_type"], 1.0),),
        fields, (), "auto", (), line_items=line_items,
    )  # fmt: skip


def payload_of_truth(name: str, **changes: str | None) -> dict[str, Any]:
    data = (ROOT / "inbox" / name).read_bytes()
    ref = DocumentRef(sha256=hashlib.sha256(data).hexdigest(), name=name,
                      mime="application/octet-stream", source="api", file=name)  # fmt: skip
    return ItemPayload(document=ref).with_understanding(understanding_of(name, **changes)).dump()


def _amount(text: str | None) -> Decimal | None:
    return None if text in (None, "") else Decimal(str(text))


def assert_erp_matches(doc: dict[str, Any], values: dict[str, str | None], item_id: str) -> None:
    """An ERP ledger document equals the understanding's values, field by field."""
    is_invoice = doc["kind"] == "invoice"
    reference = values["invoice_number" if is_invoice else "po_number"]
    assert doc["reference"] == reference
    assert doc["doc_date"] == values["issue_date" if is_invoice else "order_date"]
    assert doc["currency"] == (values["currency"] or "").upper()
    assert _amount(doc["total"]) == _amount(values["total_amount"])
    assert doc["vendor_name"].casefold() == (values["vendor_name"] or "").casefold()
    assert doc["note"] == f"clerk item {item_id}"
    # A purchase order that prints only its total charges no tax.
    net, tax = _amount(values.get("net_amount")), _amount(values.get("tax_amount"))
    assert _amount(doc["net"]) == (net if net is not None else _amount(values["total_amount"]))
    assert _amount(doc["tax"]) == (tax if tax is not None else Decimal("0"))
    if is_invoice:
        assert doc["due_date"] == (values.get("due_date") or "")
        assert doc["po_reference"] == (values.get("po_number") or "")
    else:
        assert doc["buyer"] == values["buyer_name"]
    lines = split_addressed(values)[1]
    assert len(doc["lines"]) == len(lines), (doc["reference"], len(doc["lines"]), len(lines))
    for i, (saved, row) in enumerate(zip(doc["lines"], lines, strict=True)):
        meant = row["description"]
        assert saved["description"] == meant, (doc["reference"], i, saved["description"], meant)
        for key in ("quantity", "unit_price", "amount"):
            assert _amount(saved[key]) == _amount(row[key]), (i, key)
