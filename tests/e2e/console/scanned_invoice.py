"""A scanned invoice of 40 lines over two pages, and what the understand step makes of it.

The page images are drawn here with the corpus's DejaVu fonts and degraded by the
corpus's scanner model (``corpus._render_scan.degrade``: skew, blur, noise, JPEG), then
put into an image-only PDF, so the review screen shows a real scan. Each value is drawn
at a known place, which gives every field and cell its box; the checks are the real
``extractors.validate`` on those values and the reasons the real ``clerk.policy.decide``,
so the screen sees what the pipeline would have written. Two slips a scan gives
(``190.43`` read as ``196.43`` on line 8; a shaky quantity) make the line arithmetic fail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import TYPE_CHECKING

from clerk.documents import Box, Field, LineItem, Understanding
from clerk.policy import PolicySettings, decide
from corpus import _goods as goods
from corpus._render_pdf import DEJAVU
from corpus._render_scan import degrade
from extractors.validate import validate

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

DPI = 150
SCALE = DPI / 72
WIDTH, HEIGHT = 595.28, 841.89  # A4 in points
LINES = 40
FIRST_PAGE_ROWS = 34
ROW_STEP = 14.0
# Right edges of the number columns and the left edge of the description (points).
X_DESC, X_QTY, X_UNIT, X_AMOUNT = 56.0, 360.0, 450.0, 540.0


@cache
def _font(bold: bool, size: float) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(DEJAVU / name), round(size * SCALE))


@dataclass
class _Page:
    image: Image.Image
    draw: ImageDraw.ImageDraw

    def text(self, x: float, baseline: float, text: str, size: float = 9, **how: bool) -> Box:
        """Draw ``text`` (left edge at ``x``, or right edge with ``right=True``; ``bold``);
        return its box."""
        font = _font(how.get("bold", False), size)
        width = font.getlength(text) / SCALE
        left = x - width if how.get("right") else x
        self.draw.text((left * SCALE, baseline * SCALE), text, font=font, fill=20, anchor="ls")
        top, bottom = baseline - 0.8 * size, baseline + 0.25 * size
        return Box(round(left - 1, 1), round(top, 1), round(left + width + 1, 1), round(bottom, 1))


def _page() -> _Page:
    from PIL import Image, ImageDraw

    image = Image.new("L", (round(WIDTH * SCALE), round(HEIGHT * SCALE)), 255)
    return _Page(image, ImageDraw.Draw(image))


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP):.2f}"


def _lines() -> list[tuple[str, Decimal, Decimal]]:
    rng = random.Random("clerk-review-station/40")
    names = goods.ITEMS["en"]
    out = []
    for i in range(LINES):
        name = names[i % len(names)] + (" & fittings" if i == 12 else "")
        quantity = Decimal(rng.choice([1, 1, 2, 3, 4, 5, 10, 12, 20, 25]))
        price = Decimal(rng.randint(150, 60000)) / 100
        out.append((name, quantity, price))
    out[7] = (out[7][0], Decimal(1), Decimal("190.43"))
    return out


def build() -> tuple[bytes, Understanding]:
    """The scanned PDF and its understanding (decision ``review``)."""
    # A seed whose skew is under 0.1 degree on both pages: the boxes stay on their words.
    rng = random.Random("clerk-review-station/scan/74")
    conf = random.Random("clerk-review-station/confidence")
    first, second = _page(), _page()
    fields: list[Field] = []

    def field(name: str, page: int, box: Box, raw: str, value: str, c: float = 0.0) -> None:
        confidence = c or round(conf.uniform(0.94, 0.99), 3)
        fields.append(Field(name, raw, value, confidence, page, box))

    vendor = "Harbour Office Supplies Ltd"
    field("vendor_name", 1, first.text(56, 70, vendor, 15, bold=True), vendor, vendor)
    for n, line in enumerate(("14 Quay Street", "Bristol BS1 4DJ", "United Kingdom")):
        first.text(56, 88 + 12 * n, line)
    first.text(540, 70, "INVOICE", 18, right=True, bold=True)
    meta = (
        ("invoice_number", "Invoice no.", "HOS-26-0412", "HOS-26-0412", 0.0),
        ("issue_date", "Invoice date", "17.03.2026", "2026-03-17", 0.0),
        ("due_date", "Due date", "16.04.2026", "2026-04-16", 0.0),
        ("po_number", "Your order", "PO-7781", "PO-7781", 0.874),
    )
    for n, (name, label, raw, value, c) in enumerate(meta):
        y = 130 + 13 * n
        first.text(340, y, label)
        field(name, 1, first.text(540, y, raw, right=True), raw, value, c)
    first.text(56, 150, "Bill to: Linden Metall GmbH, Werkstr. 5, 80331 München")
    label = first.text(56, 162, "Currency:")
    field("currency", 1, first.text(label.x1 + 3, 162, "EUR"), "EUR", "EUR")

    rows: list[LineItem] = []
    net = Decimal(0)
    for i, (name, quantity, price) in enumerate(_lines()):
        page, index = (first, i) if i < FIRST_PAGE_ROWS else (second, i - FIRST_PAGE_ROWS)
        top = 214 if page is first else 86
        if index == 0:
            page.text(X_DESC, top, "Description", 8.5, bold=True)
            for x, label in ((X_QTY, "Qty"), (X_UNIT, "Unit price"), (X_AMOUNT, "Amount")):
                page.text(x, top, label, 8.5, right=True, bold=True)
            rule = (top + 4) * SCALE
            page.draw.line([(X_DESC * SCALE, rule), (X_AMOUNT * SCALE, rule)], fill=40, width=2)
        y = top + 18 + ROW_STEP * index
        amount = (quantity * price).quantize(Decimal("0.01"), ROUND_HALF_UP)
        net += amount
        number = 1 if page is first else 2
        shaky = i % 6 == 2
        printed = (name, f"{quantity}", _money(price), _money(amount))
        read = list(printed)
        if i == 7:
            read[3] = "196.43"  # the scanner's 0 for a 6: the row arithmetic fails
        confidences = [round(conf.uniform(0.94, 0.99), 3) for _ in range(4)]
        if shaky:
            confidences[1 + (i // 6) % 3] = round(conf.uniform(0.62, 0.9), 3)
        if i == 7:
            confidences[3] = 0.955  # sure of the wrong digit: only arithmetic finds it
        boxes = (
            page.text(X_DESC, y, printed[0]),
            page.text(X_QTY, y, printed[1], right=True),
            page.text(X_UNIT, y, printed[2], right=True),
            page.text(X_AMOUNT, y, printed[3], right=True),
        )
        columns = ("description", "quantity", "unit_price", "amount")
        cells = tuple(
            Field(column, raw, raw, c, number, box)
            for column, raw, c, box in zip(columns, read, confidences, boxes, strict=True)
        )
        rows.append(LineItem(cells))

    tax = (net * Decimal("0.19")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    y = 86 + 18 + ROW_STEP * (LINES - FIRST_PAGE_ROWS) + 16
    totals = (
        ("net_amount", "Net", net),
        ("tax_amount", "VAT 19%", tax),
        ("total_amount", "Total EUR", net + tax),
    )
    for n, (name, label, value) in enumerate(totals):
        second.text(400, y + 14 * n, label, bold=name == "total_amount")
        box = second.text(
            X_AMOUNT, y + 14 * n, _money(value), right=True, bold=name == "total_amount"
        )
        field(name, 2, box, _money(value), _money(value))
    foot = 760
    second.text(56, foot, vendor, 7.5)
    iban = "GB33BUKB20201555555555"
    second.text(56, foot + 10, "IBAN", 7.5)
    field("iban", 2, second.text(80, foot + 10, iban, 7.5), iban, iban)
    second.text(56, foot + 20, "VAT reg. no.", 7.5)
    vat = "GB123456789"
    field("vendor_vat_id", 2, second.text(108, foot + 20, vat, 7.5), vat, vat, 0.902)

    data = _pdf([degrade(p.image, rng, clean=True) for p in (first, second)])
    values = {f.name: f.value for f in fields}
    checks = validate("invoice", values, dt.date(2026, 3, 20), rows=[r.values() for r in rows])
    decision, reasons = decide("invoice", 0.97, fields, checks, PolicySettings(), rows)
    understanding = Understanding(
        document_sha256=hashlib.sha256(data).hexdigest(),
        document_name="scan_invoice_40_lines.pdf",
        doc_type="invoice",
        type_confidence=0.97,
        top3=(("invoice", 0.97), ("purchase_order", 0.02), ("receipt", 0.01)),
        fields=tuple(fields),
        checks=checks,
        decision=decision,
        reasons=reasons,
        text_source="ocr",
        pages=2,
        line_items=tuple(rows),
    )
    return data, understanding


def _pdf(images: list[Image.Image]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_creation_date(dt.datetime(2026, 3, 17, tzinfo=dt.UTC))
    for image in images:
        pdf.add_page()
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80)
        pdf.image(io.BytesIO(buffer.getvalue()), x=0, y=0, w=WIDTH, h=HEIGHT)
    return bytes(pdf.output())
