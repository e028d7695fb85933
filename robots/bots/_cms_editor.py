"""The CMS's catalogue and product page editor (description in an iframe rich-text
editor; saving makes a draft for human review)."""

from __future__ import annotations

from typing import Any

from clerk.errors import ApplicationError, BusinessError
from robots.bots._line_grid import plain
from robots.bots._records import ProductRecord
from robots.bots._screens import await_screen


def _words(text: str) -> str:
    return " ".join(text.split())


class CmsCatalogue:
    HEADING = "Product catalogue"

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")

    def open(self) -> None:
        self.page.goto(f"{self.base_url}/products")
        await_screen(self.page, {"list": self.page.get_by_role("heading", name=self.HEADING)})

    def pending_draft(self, note: str) -> str | None:
        """The number of a draft awaiting review whose change note is ``note``."""
        page = self.page
        rows = page.get_by_test_id("draft-row").filter(
            has=page.get_by_test_id("draft-row-note").get_by_text(note, exact=True)
        )
        if rows.count() == 0:
            return None
        return str(rows.first.get_by_test_id("draft-row-number").inner_text()).strip()

    def open_editor(self, sku: str) -> CmsEditor:
        edit = self.page.get_by_role("link", name=f"Edit {sku}", exact=True)
        if edit.count():
            edit.click()
        else:
            self.page.get_by_role("link", name="New product").click()
        await_screen(
            self.page, {"editor": self.page.get_by_role("heading", name=CmsEditor.HEADING)}
        )
        return CmsEditor(self.page)


class CmsEditor:
    HEADING = "Product page"

    def __init__(self, page: Any) -> None:
        self.page = page

    def fill(self, record: ProductRecord, note: str) -> None:
        page = self.page
        page.get_by_label("SKU").fill(record.sku)
        page.get_by_label("Title").fill(record.product_name)
        page.get_by_label("Price").fill(plain(record.price))
        select = page.get_by_label("Currency")
        offered = select.evaluate("s => Array.from(s.options).map(o => o.value)")
        if record.currency not in offered:
            raise BusinessError(
                "CMS_VALIDATION", f"the CMS does not offer currency {record.currency!r}"
            )
        select.select_option(value=record.currency)
        if record.stock is not None:
            page.get_by_label("Stock").fill(str(record.stock))
        page.get_by_label("Change note").fill(note)
        if record.description is not None:
            editor = page.get_by_title("Description editor").content_frame
            editor.get_by_role("textbox", name="Product description").fill(record.description)

    def save(self) -> str:
        page = self.page
        page.get_by_role("button", name="Save draft").click()
        number = page.get_by_test_id("draft-number")
        errors = page.get_by_test_id("validation-errors")
        if await_screen(page, {"done": number, "invalid": errors}) == "done":
            return str(number.inner_text()).strip()
        text = "; ".join(m.strip() for m in errors.get_by_role("listitem").all_inner_texts())
        raise BusinessError("CMS_VALIDATION", f"the CMS refused the product page: {text}")

    def verify(self, number: str, record: ProductRecord, note: str) -> None:
        page = self.page

        def shown(key: str) -> str:
            return str(page.get_by_test_id(f"draft-{key}").inner_text()).strip()

        expected = {
            "sku": record.sku,
            "title": record.product_name,
            "price": plain(record.price.quantize(record.price.__class__("0.01"))),
            "currency": record.currency,
            "note": note,
            "status": "draft",
        }
        if record.stock is not None:
            expected["stock"] = str(record.stock)
        diffs = [
            f"{k}: meant {v!r}, saved {shown(k)!r}" for k, v in expected.items() if shown(k) != v
        ]
        if record.description is not None and _words(shown("description")) != _words(
            record.description
        ):
            diffs.append(
                f"description: meant {record.description!r}, saved {shown('description')!r}"
            )
        if diffs:
            raise ApplicationError(
                "ENTRY_MISMATCH",
                f"{number} was saved but reads back differently ({'; '.join(diffs)}); "
                "check the draft in the CMS before retrying",
            )
