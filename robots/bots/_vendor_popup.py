"""The vendor search popup window: opened from a form with window.open, it hands the
chosen vendor back to the opener's form through JavaScript."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from clerk.errors import BusinessError
from robots.bots._screens import await_screen


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
        """Open the popup, pick the one vendor matching the VAT id (else the name) and
        hand it back to the form, as a person would. The form's "Vendor no." field then
        holds the vendor's number."""
        # The old search is a plain LIKE: send the VAT id without spaces, the name with
        # single spaces.
        queries = [
            (kind, query)
            for kind, query in (("vat", _norm_vat(vat_id or "")), ("name", " ".join(name.split())))
            if query
        ]
        if not queries:
            raise self._unknown(name, vat_id)
        # The popup searches at once for what the field holds: typing the first query
        # there saves the popup a search round trip.
        self.form.get_by_label("Vendor no.").fill(queries[0][1])
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
            return self._pick(popup, name, vat_id, queries)
        except BaseException:
            if not popup.is_closed():
                popup.close()
            raise

    def _pick(
        self, popup: Any, name: str, vat_id: str | None, queries: list[tuple[str, str]]
    ) -> VendorChoice:
        for index, (kind, query) in enumerate(queries):
            if index:  # the popup opened on the first query's results
                popup.get_by_label("Search vendor (name, VAT id or number)").fill(query)
                popup.get_by_role("button", name="Find").click()
            await_screen(popup, {"echo": popup.get_by_text(f"Results for: {query}", exact=True)})
            results = popup.get_by_test_id("vendor-results")
            rows = results.get_by_role("row").filter(
                has=popup.get_by_role("button", name=re.compile(r"^Select "))
            )
            # One round trip for the whole list: number, name and VAT id of each row.
            cells = rows.evaluate_all(
                "rows => rows.map(r => Array.from(r.cells).slice(0, 3).map(c => c.innerText))"
            )
            matches = [
                VendorChoice(number.strip(), vendor.strip())
                for number, vendor, vat in cells
                if (kind == "vat" and _norm_vat(vat) == query)
                or (kind == "name" and _norm_name(vendor) == _norm_name(name))
            ]
            if len(matches) == 1:
                choice = matches[0]
                select = results.get_by_role("button", name=f"Select {choice.number}", exact=True)
                from playwright.sync_api import Error as PlaywrightError

                try:
                    with popup.expect_event("close"):
                        select.click()
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
        raise self._unknown(name, vat_id)

    @staticmethod
    def _unknown(name: str, vat_id: str | None) -> BusinessError:
        return BusinessError(
            "UNKNOWN_VENDOR",
            f"vendor {name!r} (VAT id {vat_id or 'none'}) is not in the ERP vendor master; "
            "add the vendor to the ERP or correct the document",
        )
