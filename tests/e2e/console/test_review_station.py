"""The review station in a real browser: a scanned invoice of 40 lines (``scanned_invoice``)
at a laptop's 1366×900. The line table is edited, checked live and posted; Tab visits the
flagged fields only; keys approve and reject; the page image follows the focused field.
``CLERK_CONSOLE_SHOTS=DIR`` keeps ``review-screen.png`` (as it opens) and
``review-station.png`` (at line 8's failed arithmetic): the README's screenshots."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select

from clerk.documents import Understanding, understanding_from_json
from controlroom._console_models import Correction
from controlroom.db import transaction
from controlroom.models import WorkItem
from tests.e2e.console import scanned_invoice
from tests.e2e.console.conftest import Server, sign_in

pytestmark = pytest.mark.browser
COLUMNS = ("description", "quantity", "unit_price", "amount")


@pytest.fixture(scope="module")
def scan() -> tuple[bytes, Understanding]:
    return scanned_invoice.build()


def open_scan(laptop: Any, server: Server, scan: tuple[bytes, Understanding]) -> tuple[Any, str]:
    item_id = server.failed_item(name="scan_invoice_40_lines.pdf", made=scan)
    page = sign_in(laptop, "reviewer")
    page.goto(f"/console/items/{item_id}")
    page.wait_for_selector("[data-keys]:not([hidden])")  # review.js has run
    return page, item_id


def cell(row: int, column: str) -> str:
    return f'input[name="field:line_items.{row}.{column}"]'


def invalid(page: Any, selector: str) -> bool:
    return bool(page.locator(selector).get_attribute("aria-invalid") == "true")


def message(page: Any, selector: str) -> str:
    """What a screen reader reads with the field: its aria-describedby, if shown."""
    text: str = page.locator(selector).evaluate(
        """i => { const m = document.getElementById(i.getAttribute('aria-describedby') || '');
                  return m && m.checkVisibility() ? m.textContent : ''; }"""
    )
    return text


def shown_rows(page: Any) -> int:
    return int(page.locator("table.linetable tbody tr[data-index]:visible").count())


def item_state(server: Server, item_id: str) -> tuple[str, Any, list[tuple[str, Any, Any]]]:
    with transaction(server.factory) as session:
        item = session.get_one(WorkItem, item_id)
        fixes = [
            (c.field_name, c.original_value, c.corrected_value)
            for c in session.scalars(select(Correction).where(Correction.work_item_id == item_id))
        ]
        return item.state, item.rejected_at, fixes


def test_the_table_checks_rows_and_total_live_and_the_server_refuses_a_bad_number(
    laptop: Any, server: Server, scan: tuple[bytes, Understanding]
) -> None:
    page, item_id = open_scan(laptop, server, scan)
    assert shown_rows(page) == 40
    assert page.locator("[data-row-count]").inner_text() == "40"
    # As it arrives: line 8's amount was read as 196.43 (1 × 190.43), marked with a
    # message a person reads, and the lines do not add up to the net amount.
    assert invalid(page, cell(7, "amount")) and not invalid(page, cell(0, "amount"))
    assert message(page, cell(7, "amount")) == (
        "Line 8: 1 × 190.43 = 190.43, but the amount is 196.43."
    )
    assert "invalid" in (page.locator(f"td:has({cell(7, 'amount')})").get_attribute("class") or "")
    total = page.locator("[data-sum-msg]")
    assert total.inner_text() == ("The lines add up to 112891.09, but the net amount is 112885.09.")
    assert invalid(page, 'input[name="field:net_amount"]')
    # The reason's link goes to the cell, and the page to its box (the README's picture).
    page.locator('[data-reason-name="line_item_amounts"] a').click()
    assert page.evaluate("document.activeElement.name") == "field:line_items.7.amount"
    server.shot(page, "review-station", full_page=False)
    # Editing a quantity marks the amount failing at once, and undoing it clears it.
    page.fill(cell(0, "quantity"), "3")
    assert invalid(page, cell(0, "amount"))
    assert message(page, cell(0, "amount")) == (
        "Line 1: 3 × 196.09 = 588.27, but the amount is 392.18."
    )
    page.fill(cell(0, "quantity"), "2")
    assert not invalid(page, cell(0, "amount")) and message(page, cell(0, "amount")) == ""
    # Correcting line 8 fixes its row and the total.
    page.fill(cell(7, "amount"), "190.43")
    assert not invalid(page, cell(7, "amount"))
    assert total.inner_text() == "" and not invalid(page, 'input[name="field:net_amount"]')
    # A number that is no number: marked here, refused by the server, nothing changes.
    page.fill(cell(3, "unit_price"), "189,66")
    assert invalid(page, cell(3, "unit_price"))
    assert message(page, cell(3, "unit_price")).startswith(
        'Line 4: unit price "189,66" is not a number;'
    )
    assert message(page, 'input[name="field:net_amount"]') == ""  # no sum without numbers
    page.keyboard.press("Control+Enter")
    flash = page.locator(".flash")
    flash.wait_for()
    assert flash.inner_text() == (
        "Not done: the line items were not saved: line 4 unit price '189,66' is not a number; "
        "write digits with a dot before the decimals, e.g. 1234.50"
    )
    assert item_state(server, item_id) == ("FAILED", None, [])


def test_lines_are_added_and_removed_and_the_approve_key_stores_them(
    laptop: Any, server: Server, scan: tuple[bytes, Understanding]
) -> None:
    page, item_id = open_scan(laptop, server, scan)
    add = page.get_by_role("button", name="+ Add line")
    add.click()
    assert shown_rows(page) == 41
    assert page.evaluate("document.activeElement.name") == "field:line_items.40.description"
    add.click()
    for column, value in zip(COLUMNS, ("Pallet deposit", "2", "12.50", "25.00"), strict=True):
        page.fill(cell(41, column), value)
    # The first new line, left empty, removed: the second closes up and takes its number.
    page.get_by_role("button", name="Remove line 41", exact=True).click()
    assert shown_rows(page) == 41 and page.locator(cell(41, "description")).count() == 0
    assert page.input_value(cell(40, "description")) == "Pallet deposit"
    assert not invalid(page, cell(40, "amount"))
    # A line the scan gave is removed (undo brings it back), and line 8 corrected.
    page.get_by_role("button", name="Remove line 3", exact=True).click()
    removed = page.locator("tr.removed")
    assert removed.inner_text().startswith("Line 3 will be removed.")
    assert shown_rows(page) == 40  # 40 read + 1 new - 1 removed
    removed.get_by_role("button", name="Undo").click()
    assert (
        shown_rows(page) == 41
        and page.input_value(cell(2, "description")) == "A4 copy paper, 500 sheets"
    )
    page.get_by_role("button", name="Remove line 3", exact=True).click()
    page.fill(cell(7, "amount"), "190.43")
    add.click()  # left empty: dropped before posting
    assert shown_rows(page) == 41
    assert "Ctrl+Enter" in page.locator(".sticky-submit").inner_text()
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("text=Approved with 9 correction(s)")
    state, rejected, fixes = item_state(server, item_id)
    assert (state, rejected) == ("COMPLETED", None)
    line3 = ("A4 copy paper, 500 sheets", "5", "293.32", "1466.60")
    added = ("Pallet deposit", "2", "12.50", "25.00")
    assert sorted(fixes) == sorted(
        [(f"line_items.2.{c}", v, None) for c, v in zip(COLUMNS, line3, strict=True)]
        + [("line_items.7.amount", "196.43", "190.43")]
        + [(f"line_items.40.{c}", None, v) for c, v in zip(COLUMNS, added, strict=True)]
    )
    with transaction(server.factory) as session:
        child = session.scalars(select(WorkItem).where(WorkItem.parent_id == item_id)).one()
        understanding = understanding_from_json(child.payload["understanding"])
    rows = understanding.row_values()
    assert len(rows) == 40 and rows[2]["description"] == "USB-C cable"
    assert rows[-1] == dict(zip(COLUMNS, ("Pallet deposit", "2", "12.50", "25.00"), strict=True))


def test_tab_visits_only_the_flagged_fields_until_all_are_asked_for(
    laptop: Any, server: Server, scan: tuple[bytes, Understanding]
) -> None:
    page, item_id = open_scan(laptop, server, scan)
    stops = page.evaluate(
        """() => Array.from(document.querySelectorAll('#approve-form input[data-field]'))
             .filter(i => i.hasAttribute('data-flagged')
                          || i.getAttribute('aria-invalid') === 'true')
             .map(i => i.name)"""
    )
    # The policy's fields, the shaky cells of 7 lines, line 8's amount, and the net amount.
    assert stops[:3] == ["field:po_number", "field:vendor_vat_id", "field:net_amount"]
    assert "field:line_items.7.amount" in stops and len(stops) == 3 + 7 + 1
    assert page.evaluate("document.activeElement.name") == stops[0]  # landed on the first
    server.shot(page, "review-screen", full_page=False)  # as a reviewer finds it
    visited = []
    for _ in stops[1:]:
        page.keyboard.press("Tab")
        visited.append(page.evaluate("document.activeElement.name"))
    assert visited == stops[1:]
    page.keyboard.press("Tab")  # after the last flagged field: Approve
    assert page.evaluate("document.activeElement.textContent").startswith("Approve and continue")
    # Enter in a field goes on to the next stop too; it does not approve the item.
    page.locator(f'input[name="{stops[0]}"]').focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == stops[1]
    assert item_state(server, item_id)[0] == "FAILED"
    # Alt+T: every field again.
    page.locator(cell(2, "amount")).focus()  # line 3's shaky amount
    page.keyboard.press("Alt+t")
    assert not page.locator("[data-tab-flagged]").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Remove line 3"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "field:line_items.3.description"


def test_the_reject_key_asks_for_a_reason_then_rejects(
    laptop: Any, server: Server, scan: tuple[bytes, Understanding]
) -> None:
    page, item_id = open_scan(laptop, server, scan)
    page.keyboard.press("Alt+r")
    assert page.evaluate("document.activeElement.id") == "reject-reason"
    assert item_state(server, item_id)[0] == "FAILED"
    page.keyboard.type("Duplicate of HOS-26-0411")
    page.keyboard.press("Alt+r")
    page.wait_for_selector("text=Item rejected.")
    state, rejected, fixes = item_state(server, item_id)
    assert state == "FAILED" and rejected is not None and fixes == []


def _box_in_viewer(page: Any) -> dict[str, float]:
    result: dict[str, float] = page.evaluate(
        """async () => {
          await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
          const b = document.querySelector('.box.active').getBoundingClientRect();
          const v = document.querySelector('.viewer').getBoundingClientRect();
          const p = document.querySelector('.page:not([hidden])');
          return {cx: b.left + b.width / 2, cy: b.top + b.height / 2, left: v.left,
                  right: v.right, top: Math.max(v.top, 0),
                  bottom: Math.min(v.bottom, window.innerHeight),
                  zoom: p.getBoundingClientRect().width / v.width, page: +p.dataset.page};
        }"""
    )
    return result


def test_focusing_a_field_zooms_and_scrolls_the_page_to_its_box(
    laptop: Any, server: Server, scan: tuple[bytes, Understanding]
) -> None:
    page, _ = open_scan(laptop, server, scan)
    # The amount of line 33, at the foot of page 1 and the right edge: in the middle.
    page.locator(cell(32, "amount")).focus()
    at = _box_in_viewer(page)
    assert at["page"] == 1 and at["zoom"] > 1.5
    assert at["left"] + 100 < at["cx"] < at["right"] - 100, at
    assert at["top"] + 100 < at["cy"] < at["bottom"] - 100, at
    # A cell on page 2 shows page 2, its box in view.
    page.locator(cell(38, "quantity")).focus()
    at = _box_in_viewer(page)
    assert (
        at["page"] == 2
        and at["left"] < at["cx"] < at["right"]
        and at["top"] < at["cy"] < at["bottom"]
    )
    # A reason's link focuses its field: the failed arithmetic of line 8.
    page.locator('[data-reason-name="line_item_amounts"] a').click()
    assert page.evaluate("document.activeElement.name") == "field:line_items.7.amount"
    assert _box_in_viewer(page)["page"] == 1
    # Fit turns the zoom off.
    page.get_by_role("button", name="Fit").click()
    page.locator(cell(5, "amount")).focus()
    assert _box_in_viewer(page)["zoom"] < 1.05


def test_a_failed_check_s_field_is_a_tab_stop_and_without_any_every_field_is(
    laptop: Any, server: Server
) -> None:
    """make_pdf's invoice: one reason, the failed net + tax = total check; its field (the
    total) is flagged. Without a reason that names a place, Tab visits every field."""
    item_id = server.failed_item()
    plain_id = server.failed_item(adjust=lambda u: replace(u, reasons=()))
    page = sign_in(laptop, "reviewer")
    page.goto(f"/console/items/{item_id}")
    page.wait_for_selector("[data-keys]:not([hidden])")
    assert page.evaluate("document.activeElement.name") == "field:total_amount"
    assert page.locator("[data-flagged-count]").inner_text() == "(1)"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").startswith("Approve and continue")
    page.goto(f"/console/items/{plain_id}")
    page.wait_for_selector("[data-keys]:not([hidden])")
    page.locator('input[name="field:invoice_number"]').focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "field:issue_date"  # not flagged
