"""The vendor search popup window: opened from a form with window.open, it hands the
chosen vendor back to the opener's form through JavaScript."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from clerk.errors import BusinessError
from robots.bots.screens import await_screen


@dataclass(frozen=True)
class VendorChoice:
    number: str
    name: str


def _norm_vat(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def _norm_name(text: str) -> str:
    return " ".join(text.casefold().split())


class VendorPopup:
    def __init__(self, context: Any, form: Any) -> None:
        self.context = context
        self.form = form  # the frame whose "Search vendor..." button opens the popup

    def choose(self, name: str, vat_id: str | None) -> VendorChoice:
        with self.context.expect_page() as opened:
            self.form.get_by_role("button", name="Search vendor...").click()
        popup = opened.value
        try:
            # The context's init script misses some window.open popups (seen in tests);
            # a locator handler is cheap here, the popup has only a few actions.
            modal = popup.get_by_test_id("system-message")
            popup.add_locator_handler(
                modal, lambda found: found.get_by_role("button", name="OK").click()
            )
            choice = self._pick(popup, name, vat_id)
        except BaseException:
            if not popup.is_closed():
                popup.close()
            raise
        field = self.form.get_by_label("Vendor no.")
        from playwright.sync_api import expect

        expect(field).to_have_value(choice.number)
        return choice

    def _pick(self, popup: Any, name: str, vat_id: str | None) -> VendorChoice:
        box = popup.get_by_label("Search vendor (name, VAT id or number)")
        await_screen(popup, {"form": box})
        # The old search is a plain LIKE: send the VAT id without spaces, the name with
        # single spaces.
        queries = [("vat", _norm_vat(vat_id or "")), ("name", " ".join(name.split()))]
        for kind, query in (q for q in queries if q[1]):
            box.fill(query)
            popup.get_by_role("button", name="Find").click()
            echo = popup.get_by_text(f"Results for: {query}", exact=True)
            await_screen(popup, {"echo": echo})
            rows = (
                popup.get_by_test_id("vendor-results")
                .get_by_role("row")
                .filter(has=popup.get_by_role("button", name=re.compile(r"^Select ")))
            )
            matches = []
            for row in rows.all():
                number, vendor, vat = row.get_by_role("cell").all_inner_texts()[:3]
                if (kind == "vat" and _norm_vat(vat) == query) or (
                    kind == "name" and _norm_name(vendor) == _norm_name(name)
                ):
                    matches.append((row, VendorChoice(number.strip(), vendor.strip())))
            if len(matches) == 1:
                row, choice = matches[0]
                from playwright.sync_api import Error as PlaywrightError

                try:
                    with popup.expect_event("close"):
                        row.get_by_role("button", name=f"Select {choice.number}").click()
                except PlaywrightError:
                    # The window may close while the click is still being reported.
                    if not popup.is_closed():
                        raise
                return choice
            if len(matches) > 1:
                raise BusinessError(
                    "UNKNOWN_VENDOR",
                    f"{len(matches)} vendors in the ERP match {query!r}; pick the right one "
                    "in review (add the VAT id)",
                )
        raise BusinessError(
            "UNKNOWN_VENDOR",
            f"vendor {name!r} (VAT id {vat_id or 'none'}) is not in the ERP vendor master; "
            "add the vendor to the ERP or correct the document",
        )
