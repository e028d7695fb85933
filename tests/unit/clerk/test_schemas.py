def test_a_flattened_group_name_is_read_in_one_place() -> None:
    from clerk.schemas import group_cell, group_rows

    assert group_cell("line_items.12.unit_price") == ("line_items", 12, "unit_price")
    assert group_cell("total_amount") is None
    assert group_cell("line_items.x.amount") is None
    names = ["line_items.2.amount", "line_items.0.amount", "paid_invoices.1.amount", "net_amount"]
    assert group_rows(names, "line_items") == [0, 2]
    assert group_rows(names, "paid_invoices") == [1]
