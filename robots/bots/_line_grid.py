"""The line-item grid shared by the entry screens. "Add line" posts the page back; the
bot adds all rows first and fills them after, so it never relies on the round trip."""

from __future__ import annotations

from typing import Any

from robots.bots._records import LineRecord
from robots.bots._screens import await_screen


def plain(value: Any) -> str:
    """A Decimal as the ERP expects it: no exponent, no grouping."""
    return format(value, "f")


# exact=True: "line 1" must not also match "line 10".
def fill_lines(content: Any, lines: tuple[LineRecord, ...]) -> None:
    # A fresh form has one row.
    for row in range(2, len(lines) + 1):
        content.get_by_role("button", name="Add line").click()
        await_screen(content, {"row": content.get_by_label(f"Description, line {row}", exact=True)})
    for row, line in enumerate(lines, start=1):
        content.get_by_label(f"Description, line {row}", exact=True).fill(line.description)
        content.get_by_label(f"Quantity, line {row}", exact=True).fill(plain(line.quantity))
        content.get_by_label(f"Unit price, line {row}", exact=True).fill(plain(line.unit_price))
        content.get_by_label(f"Amount, line {row}", exact=True).fill(plain(line.amount))
