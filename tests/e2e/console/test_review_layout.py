"""The review screen's layout in a real browser at a laptop's 1366×900: the sticky
"Approve and continue" bar never covers the field a reviewer is working on."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from clerk.documents import Box, Field, Reason, Understanding
from tests.e2e.console.conftest import Server, sign_in
from tests.unit.controlroom.console.support import with_line_items

pytestmark = pytest.mark.browser

# The README's invoice: every header field read, the tax amount below the auto bar.
HEADER = (
    ("invoice_number", "INV-1001", 0.98),
    ("issue_date", "2025-03-02", 0.97),
    ("due_date", "2025-04-01", 0.96),
    ("vendor_name", "ACME GmbH", 0.97),
    ("vendor_vat_id", "DE123456789", 0.95),
    ("iban", "DE02120300000000202051", 0.97),
    ("po_number", "PO-7781", 0.95),
    ("currency", "EUR", 0.99),
    ("net_amount", "100.00", 0.96),
    ("tax_amount", "19.00", 0.865),
    ("total_amount", "118.00", 0.97),
)


def flagged_tax(understanding: Understanding) -> Understanding:
    fields = tuple(
        Field(
            name,
            raw=value,
            value=value,
            confidence=conf,
            page=1,
            box=Box(72, 60 + 24 * i, 72 + 8 * len(value), 74 + 24 * i),
        )
        for i, (name, value, conf) in enumerate(HEADER)
    )
    reason = Reason("field", "tax_amount", "tax_amount confidence 0.865, below 0.93")
    return dataclasses.replace(understanding, fields=fields, reasons=(reason,))


def review_page(laptop: Any, server: Server) -> Any:
    item_id = server.failed_item(name="invoice_en.pdf", adjust=flagged_tax)
    page = sign_in(laptop, "reviewer")
    page.goto(f"/console/items/{item_id}")
    return page


def _covered(page: Any, selector: str) -> dict[str, float]:
    """The input's box and the bar's; ``hit``: the input is what a click at its middle hits."""
    result: dict[str, float] = page.evaluate(
        """sel => {
          const i = document.querySelector(sel).getBoundingClientRect();
          const b = document.querySelector('.sticky-submit').getBoundingClientRect();
          const top = document.elementFromPoint(i.left + i.width / 2, i.top + i.height / 2);
          return {inputTop: i.top, inputBottom: i.bottom, barTop: b.top, barBottom: b.bottom,
                  viewport: window.innerHeight,
                  hit: top === document.querySelector(sel) ? 1 : 0};
        }""",
        selector,
    )
    return result


def _hide_behind_bar(page: Any, selector: str) -> None:
    """Scroll so that the input sits exactly where the sticky bar is drawn."""
    page.evaluate(
        """sel => {
          // From the top, where the bar is stuck to the window's bottom edge.
          window.scrollTo(0, 0);
          const i = document.querySelector(sel).getBoundingClientRect();
          const b = document.querySelector('.sticky-submit').getBoundingClientRect();
          window.scrollTo(0, i.top - (b.top + 2));
        }""",
        selector,
    )


def test_the_focused_flagged_field_is_not_under_the_approve_bar(
    laptop: Any, server: Server
) -> None:
    page = review_page(laptop, server)
    tax = 'input[name="field:tax_amount"]'
    assert "low" in (page.locator(f"tr:has({tax})").get_attribute("class") or "")
    # On arrival the flagged field has the focus, clear of the bar.
    assert page.evaluate("document.activeElement.name") == "field:tax_amount"
    landed = _covered(page, tax)
    assert landed["inputBottom"] <= landed["barTop"] and landed["hit"] == 1, landed
    page.locator(tax).blur()
    _hide_behind_bar(page, tax)
    before = _covered(page, tax)
    # The set-up really hides it: the bar is at the bottom of the window, over the input.
    assert before["barBottom"] == pytest.approx(before["viewport"], abs=1)
    assert before["hit"] == 0 and before["inputBottom"] > before["barTop"]
    # Tab from the field above, as a reviewer does.
    page.locator('input[name="field:net_amount"]').focus()
    _hide_behind_bar(page, tax)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "field:tax_amount"
    after = _covered(page, tax)
    assert after["inputBottom"] <= after["barTop"], after
    assert after["hit"] == 1, after
    # Clicking the field's box on the page focuses it too, and it is not covered.
    page.locator('input[name="field:total_amount"]').focus()
    _hide_behind_bar(page, tax)
    page.locator('.box[data-field="f9"]').click()
    assert page.evaluate("document.activeElement.name") == "field:tax_amount"
    clicked = _covered(page, tax)
    assert clicked["inputBottom"] <= clicked["barTop"] and clicked["hit"] == 1, clicked
    server.shot(page, "review-flagged-tax", full_page=False)


def test_a_scanned_invoice_s_line_items_are_one_table_beside_the_page(
    laptop: Any, server: Server
) -> None:
    """Issue 11: 40 line items are a table of rows, not 160 fields in one column; a cell
    far down still shows its box on the page, and a corrected cell is approved as one."""
    item_id = server.failed_item(
        name="scan_many_lines.pdf", pages=2, scanned=True, adjust=with_line_items(40)
    )
    page = sign_in(laptop, "reviewer")
    page.goto(f"/console/items/{item_id}")
    table = page.locator("table.linetable")
    assert table.locator("tbody tr[data-line]").count() == 40  # beside: notes under lines
    assert table.locator("thead th").all_inner_texts()[:2] == ["#", "DESCRIPTION *"]
    # The table fits its column: no cell is cut off or scrolled sideways.
    fits = page.evaluate(
        "() => { const w = document.querySelector('.linewrap');"
        " return w.scrollWidth <= w.clientWidth; }"
    )
    assert fits
    # A cell of line 20 (page 1) far down the form: the page keeps its box in view.
    cell = 'input[name="field:line_items.19.amount"]'
    page.locator(cell).focus()
    box = page.locator(".box.active")
    assert box.count() == 1 and box.is_visible()
    in_view = box.evaluate(
        "b => { const r = b.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
    assert in_view
    assert "active" in (page.locator(f"td:has({cell})").get_attribute("class") or "")
    # A cell on page 2 shows page 2.
    page.locator('input[name="field:line_items.35.quantity"]').focus()
    assert page.locator('.page[data-page="2"]').is_visible()
    page.fill('input[name="field:line_items.1.amount"]', "17.00")
    server.shot(page, "review-line-items", full_page=False)
    page.click("text=Approve and continue")
    page.wait_for_selector("text=Approved with 1 correction(s)")


def test_the_run_page_shows_a_step_run_with_a_failed_item_in_the_warning_colour(
    laptop: Any, server: Server
) -> None:
    page = review_page(laptop, server)
    page.click("a:text-matches('^run ')")
    page.wait_for_url("**/console/runs/**")
    outcome = page.locator("td.outcome").first
    assert outcome.inner_text().replace("\xa0", " ") == "COMPLETED · 1 of 1 item failed"
    colours = outcome.evaluate(
        """td => [getComputedStyle(td.querySelector('.badge')).color,
                 getComputedStyle(document.documentElement).getPropertyValue('--warn').trim()]"""
    )
    assert colours[0] == "rgb(161, 92, 0)" and colours[1] == "#a15c00"  # --warn, not green
    server.shot(page, "run-step-outcome", full_page=False)
