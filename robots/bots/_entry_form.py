"""What the ERP entry screens share: picking a currency, posting, reading the red
validation messages, and reading the saved document back."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from clerk.errors import ApplicationError, BusinessError
from robots.bots._screens import await_screen, wait_for_screen


def select_currency(content: Any, currency: str) -> None:
    select = content.get_by_label("Currency")
    # One round trip (a locator's evaluate() costs a wait, the call and a release). The
    # screen is shown already; a select that is not there is left to select_option's wait.
    offered = select.evaluate_all("ss => ss.flatMap(s => Array.from(s.options, o => o.value))")
    if offered and currency not in offered:
        raise BusinessError(
            "ERP_VALIDATION",
            f"the ERP does not offer currency {currency!r} (it offers "
            f"{', '.join(o for o in offered if o)}); correct the document or enter it by hand",
        )
    select.select_option(value=currency)


def post(content: Any, button: str) -> str:
    """Press the save button; return the new document number or raise the ERP's
    validation messages."""
    submit(content, button)
    return str(content.get_by_test_id("document-number").inner_text()).strip()


def submit(content: Any, button: str) -> None:
    """Press the save button and wait for the saved document's page, or raise the ERP's
    validation messages."""
    content.get_by_role("button", name=button).click()
    _outcome(content)


def submit_and_read(content: Any, button: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """Press the save button; return the saved document as its page shows it (with its
    ``document_number``), or raise the ERP's validation messages. The read that is needed
    anyway tells the saved page from the others, so only a failure costs a second look."""
    content.get_by_role("button", name=button).click()
    outcomes = {"done": content.get_by_test_id("document-number"),
                "invalid": content.get_by_test_id("validation-errors")}  # fmt: skip
    wait_for_screen(content, outcomes)
    detail = read_detail(content, (*keys, "document_number"))
    if detail["document_number"]:
        return detail
    _outcome(content)  # raises, unless the saved page came after all
    return read_detail(content, (*keys, "document_number"))


def _outcome(content: Any) -> None:
    number = content.get_by_test_id("document-number")
    errors = content.get_by_test_id("validation-errors")
    if await_screen(content, {"done": number, "invalid": errors}) == "done":
        return
    messages = [m.strip() for m in errors.get_by_role("listitem").all_inner_texts()]
    text = "; ".join(messages)
    if any("already been entered" in m for m in messages):
        raise BusinessError("DUPLICATE", f"the ERP says: {text}")
    if any("does not exist in the vendor master" in m for m in messages):
        raise BusinessError("UNKNOWN_VENDOR", f"the ERP says: {text}")
    raise BusinessError("ERP_VALIDATION", f"the ERP refused the entry: {text}")


def read_detail(content: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    """The saved document as its detail page shows it."""
    # One round trip for all fields: the test ids name them.
    pairs = content.get_by_test_id(re.compile(r"^detail-")).evaluate_all(
        "els => els.map(e => [e.dataset.testid, e.innerText,"
        " Array.from(e.cells || []).map(c => c.innerText)])"
    )
    shown = {testid.removeprefix("detail-"): text.strip() for testid, text, _ in pairs}
    detail: dict[str, Any] = {key: shown.get(key) for key in keys}
    detail["lines"] = [
        tuple(cell.strip() for cell in cells[1:5]) for testid, _, cells in pairs
        if testid == "detail-line"
    ]  # fmt: skip
    return detail


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, Decimal):
        try:
            return Decimal(str(actual)) == expected
        except InvalidOperation:
            return False
    # The ERP trims fields and a table cell's text collapses runs of spaces.
    return " ".join(str(expected).split()) == " ".join(str(actual).split())


def compare(document_number: str, expected: dict[str, Any], actual: dict[str, Any]) -> None:
    """Raise ENTRY_MISMATCH naming every field the ERP saved differently."""
    diffs = [
        f"{key}: meant {value!r}, saved {actual.get(key)!r}"
        for key, value in expected.items()
        if key != "lines" and not _same(value, actual.get(key))
    ]
    want, got = expected.get("lines", []), actual.get("lines", [])
    if len(want) != len(got):
        diffs.append(f"lines: meant {len(want)}, saved {len(got)}")
    else:
        for i, (w, g) in enumerate(zip(want, got, strict=True), start=1):
            if not all(_same(a, b) for a, b in zip(w, g, strict=True)):
                diffs.append(f"line {i}: meant {w!r}, saved {g!r}")
    if diffs:
        raise ApplicationError(
            "ENTRY_MISMATCH",
            f"{document_number} was saved but reads back differently ({'; '.join(diffs)}); "
            "check the document in the ERP before retrying",
        )
