import re
from pathlib import Path

ROOT = Path(__file__).parents[3]


def test_a_cell_address_is_read_in_one_place() -> None:
    from clerk.schemas import address_rows, cell_address, parse_cell_address

    assert parse_cell_address("line_items.12.unit_price") == ("line_items", 12, "unit_price")
    assert parse_cell_address("total_amount") is None
    assert parse_cell_address("line_items.x.amount") is None
    assert cell_address("line_items", 12, "unit_price") == "line_items.12.unit_price"
    names = ["line_items.2.amount", "line_items.0.amount", "paid_invoices.1.amount", "net_amount"]
    assert address_rows(names, "line_items") == [0, 2]
    assert address_rows(names, "paid_invoices") == [1]


def test_addressed_values_split_into_flat_values_and_rows_and_back() -> None:
    from clerk.schemas import addressed, split_addressed

    truth = {
        "net_amount": "10.00",
        "line_items.0.amount": "4.00",
        "line_items.2.amount": "6.00",
        "line_items.0.description": "Pens",
    }
    flat, rows = split_addressed(truth)
    assert flat == {"net_amount": "10.00"}
    # A row with no cell between two with cells keeps its place: indexes are addresses.
    assert rows == [{"amount": "4.00", "description": "Pens"}, {}, {"amount": "6.00"}]
    assert addressed(flat, rows) == truth


def test_each_type_has_at_most_one_group_of_rows() -> None:
    from clerk.schemas import SCHEMAS

    assert all(len(s.groups) <= 1 for s in SCHEMAS.values())
    invoice_rows = SCHEMAS["invoice"].rows
    assert invoice_rows is not None
    assert [f.name for f in invoice_rows.fields] == [
        "description",
        "quantity",
        "unit_price",
        "amount",
    ]
    assert SCHEMAS["receipt"].rows is None


def test_no_module_but_the_schemas_forms_or_reads_a_cell_address_by_hand() -> None:
    """Issue 11: the flattened names were parsed back in five places. Formatting
    ``f"line_items.{i}.amount"`` or splitting a name on dots to find its row is the
    schema's job (``cell_address``, ``parse_cell_address``)."""
    by_hand = re.compile(
        r"""(line_items|paid_invoices|\{group\})\.\{"""  # f"line_items.{i}..."
        r"""|\.count\("\."\)\s*==\s*2"""  # name.count(".") == 2
        r"""|startswith\(["'](line_items|paid_invoices)"""
    )
    offenders = []
    folders = ("clerk", "extractors", "classifiers", "corpus", "robots", "controlroom", "bench")
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            if path == ROOT / "clerk" / "schemas.py":
                continue
            text = path.read_text(encoding="utf-8")
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in by_hand.finditer(text)]
    assert offenders == []


def test_the_review_form_groups_fields_by_what_they_are() -> None:
    from clerk.schemas import SCHEMAS, SECTIONS, section_of

    groups = {
        name: section_of("invoice", name) for name in (s.name for s in SCHEMAS["invoice"].fields)
    }
    assert [n for n, g in groups.items() if g == "document"] == [
        "invoice_number",
        "issue_date",
        "due_date",
        "po_number",
    ]
    assert [n for n, g in groups.items() if g == "parties"] == [
        "vendor_name",
        "vendor_vat_id",
        "iban",
    ]
    assert [n for n, g in groups.items() if g == "amounts"] == [
        "currency",
        "net_amount",
        "tax_amount",
        "total_amount",
    ]
    assert section_of("invoice", "line_items.3.amount") == "lines"
    assert section_of("product_update", "product_name") == "document"  # a product, no party
    assert section_of("invoice", "total_amount_p2") == "document"  # no schema field
    assert [key for key, _ in SECTIONS] == ["document", "parties", "amounts", "lines"]
