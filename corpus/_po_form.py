"""Purchase orders as order FORMS, the way US and UK purchasing systems print them (and,
with their own words, German, French, Dutch, Spanish, Italian and Polish ones).

The issuing company's block top left with the title top right, a key/value box beside it
(PO number, PO date, vendor id, requisition number), VENDOR and SHIP TO blocks side by
side, a row of order terms (requisitioner, ship via, F.O.B., shipping and payment terms,
required-by date), an item table with item numbers and units of measure, then subtotal,
tax, sometimes shipping, and the total; numbered instructions and an "Authorized by" line.

Annotated as every purchase order is: po_number, order_date (the PO date), buyer_name (the
issuing company), vendor_name (the VENDOR block), currency, net_amount (the subtotal),
tax_amount, total_amount (subtotal + tax + shipping) and the line items. The vendor id,
requisition number, required-by date, signature date and ship-to address are printed,
not annotated. ``Sample.layout["variant"]["po"]`` is ``form``.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from corpus import _blocks as blocks
from corpus import _formats as formats
from corpus import _po_form_words as pw
from corpus import _words as words
from corpus._context import Ctx, Party, make_party
from corpus._layout import Part, cell

CENT = Decimal("0.01")
# The share of purchase orders printed as forms.
FORM_SHARE = 0.3


def chosen(ctx: Ctx) -> bool:
    """Whether this purchase order is a form: drawn from a source derived from the sample's
    own random state, without drawing from it, so the other orders stay as they were."""
    if ctx.language not in pw.languages():
        return False
    side = random.Random(f"po-form/{ctx.rng.getstate()!r}")
    return side.random() < FORM_SHARE


def _w(ctx: Ctx, key: str) -> str:
    return pw.word(ctx.rng, key, ctx.language, ctx.split)


def _person(ctx: Ctx) -> str:
    return f"{ctx.rng.choice(words.FIRST_NAMES)} {ctx.rng.choice(words.SURNAMES[ctx.split])}"


def _parties(ctx: Ctx) -> tuple[Party, Party]:
    """The buyer (mostly American on English forms, who pay in dollars) and the vendor."""
    rng = ctx.rng
    country = None
    if ctx.language == "en":
        country = "US" if rng.random() < 0.75 else "GB"
        currency = "USD" if country == "US" else "GBP"
        if currency != ctx.currency:
            ctx.currency = currency
            ctx.money = formats.money_style(rng, "en", currency)
    buyer = make_party(rng, ctx.language, ctx.split, country)
    same = rng.random() < 0.85
    vendor = make_party(rng, ctx.language, ctx.split, buyer.country if same else None)
    return buyer, vendor


def _number(ctx: Ctx, year: int) -> str:
    rng = ctx.rng
    return rng.choice(
        [
            f"PO-{year}-{rng.randint(1, 99999):05d}",
            f"PO{rng.randint(100000, 999999)}",
            f"{year}-{rng.randint(1000, 9999)}",
            f"4500{rng.randint(100000, 999999)}",
            f"P{rng.randint(10000, 99999)}",
            str(rng.randint(10000, 999999)),
        ]
    )


def _box(ctx: Ctx, buyer: Party, rows: list[tuple[str, list[Part]]]) -> None:
    """The company block (name, title) with the key/value box beside its address lines."""
    rng = ctx.rng
    ctx.b.line(
        cell(0.0, (buyer.name, "buyer_name"), bold=True),
        cell(1.0, _w(ctx, "title"), align="right", bold=True),
        size=rng.choice([1.3, 1.5, 1.7]),
    )
    sep = rng.choice(["·", "|", ""])
    phone = f"{ctx.label('phone')} {buyer.phone}"
    left: list[list[Part]] = [[buyer.street], [buyer.city_line]]
    left.append([phone] if rng.random() < 0.5 else [phone, sep, buyer.email])
    if rng.random() < 0.5:
        left.append([buyer.web])
    x_label = rng.choice([0.58, 0.62, 0.66])
    bold = rng.random() < 0.5
    for i in range(max(len(left), len(rows))):
        a = cell(0.0, *left[i]) if i < len(left) else None
        if i < len(rows):
            label, value = rows[i]
            ctx.b.line(a, cell(x_label, label, bold=bold), cell(1.0, *value, align="right"))
        else:
            ctx.b.line(a)


def _addresses(ctx: Ctx, buyer: Party, vendor: Party) -> None:
    """VENDOR and SHIP TO side by side; ship-to is mostly the buyer's own site."""
    rng = ctx.rng
    left: list[list[Part]] = [[_w(ctx, "vendor")]]
    left += blocks.address_lines(ctx, vendor, "vendor_name", country=rng.random() < 0.15)
    right: list[list[Part]] = [[_w(ctx, "ship_to")]]
    r = rng.random()
    if r < 0.85:
        right.append([(buyer.name, "buyer_name")])
    else:  # drop-shipped to someone else
        right.append([make_party(rng, ctx.language, ctx.split, buyer.country).name])
    if rng.random() < 0.5:
        dock = {
            "en": ("Receiving Dock", "Warehouse", "Building", "Dock"),
            "de": ("Warenannahme Tor", "Lager", "Halle"),
            "fr": ("Quai de réception", "Entrepôt", "Bâtiment"),
            "nl": ("Magazijn", "Dock", "Hal"),
            "es": ("Muelle", "Almacén", "Nave"),
            "it": ("Magazzino", "Baia", "Capannone"),
            "pl": ("Magazyn", "Rampa", "Hala"),
        }[ctx.language]
        right.append([f"{rng.choice(dock)} {rng.choice('ABCD123')}"])
    site = buyer if rng.random() < 0.4 else make_party(rng, ctx.language, ctx.split, buyer.country)
    right += [[site.street], [site.city_line]]
    ctx.b.line(cell(0.0, left[0][0], bold=True), cell(0.5, right[0][0], bold=True), gap=0.8)
    blocks.columns(ctx, left[1:], right[1:], 0.5)


def _terms(ctx: Ctx, required: str) -> None:
    """The row of order terms: labels over values, in one row or two."""
    rng = ctx.rng
    labels = _w(ctx, "terms").split("|")
    values = [
        _person(ctx),
        _w(ctx, "ship_via"),
        _w(ctx, "fob"),
        _w(ctx, "ship_terms"),
        _w(ctx, "pay_terms"),
        required,
    ]
    keep = [i for i in range(6) if i in (0, 4, 5) or rng.random() < 0.7]
    pairs: list[tuple[str, list[Part]]] = [(labels[i], [values[i]]) for i in keep]
    bold = rng.random() < 0.6
    rows = [pairs] if len(pairs) <= 4 or ctx.language == "en" else [pairs[:3], pairs[3:]]
    for n, row in enumerate(rows):
        step = 1.0 / len(row)
        ctx.b.line(
            *[cell(i * step, p[0], bold=bold) for i, p in enumerate(row)],
            gap=0.8 if n == 0 else 0.3,
            rule=True,
            size=0.9,
        )
        ctx.b.line(*[cell(i * step, *p[1]) for i, p in enumerate(row)], size=0.9)


def _items(ctx: Ctx) -> list[blocks.Item]:
    rng = ctx.rng
    count = rng.randint(1, 5) if rng.random() < 0.6 else rng.randint(6, 14)
    items = blocks.make_items(ctx, count)
    if ctx.language == "en" and rng.random() < 0.5:  # part numbers as US systems print them
        prefix = rng.choice(["PKG", "MRO", "OFC", "ELC", "JAN", "IT"])
        items = [
            blocks.Item(it.description, it.quantity, it.unit_price, f"{prefix}-{it.sku[1:]}")
            for it in items
        ]
    return items


def _table(ctx: Ctx, items: list[blocks.Item]) -> None:
    cols = _w(ctx, "cols").split("|")
    xs = (0.0, 0.05, 0.2, 0.64, 0.66, 0.84, 1.0)
    aligns = ("left", "left", "left", "right", "left", "right", "right")
    bold = ctx.rng.random() < 0.7
    header = [cell(x, c, align=a, bold=bold) for x, c, a in zip(xs, cols, aligns, strict=True)]
    ctx.b.line(*header, gap=0.8, rule=True)
    uom = _w(ctx, "uom")
    for n, it in enumerate(items, 1):
        if len(ctx.b.pages[-1]) >= ctx.b.page_lines - 1:
            ctx.b.break_page()
            ctx.b.line(*header, rule=True)
        whole = it.quantity == it.quantity.to_integral_value()
        values = (
            str(n),
            it.sku,
            it.description,
            formats.quantity_text(it.quantity, ctx.money),
            (uom if ctx.rng.random() < 0.6 else _w(ctx, "uom")) if whole else _w(ctx, "hours"),
            ctx.number(it.unit_price),
            ctx.number(it.amount),
        )
        ctx.b.line(*[cell(x, v, align=a) for x, v, a in zip(xs, values, aligns, strict=True)])


def _tax(ctx: Ctx, buyer: Party, net: Decimal) -> tuple[str, Decimal]:
    """The tax line's label and amount: on US forms often none (resale, exempt)."""
    rng = ctx.rng
    if buyer.country == "US":
        if rng.random() < 0.45:
            return rng.choice(pw.TAX_EXEMPT), Decimal("0.00")
        rate = rng.choice(blocks.TAX_RATES["US"])
    else:
        rate = rng.choice(blocks.TAX_RATES[buyer.country])
    ctx.variant["tax_rate"] = rate
    tax = (net * Decimal(rate) / 100).quantize(CENT, ROUND_HALF_UP)
    return f"{_w(ctx, 'tax')} ({blocks.rate_text(ctx, rate)})", tax


def _totals(ctx: Ctx, net: Decimal, tax_label: str, tax: Decimal, shipping: Decimal | None) -> None:
    x = ctx.rng.choice([0.6, 0.64, 0.68])
    ctx.b.line(
        cell(x, _w(ctx, "subtotal")),
        cell(1.0, *ctx.money_parts(net, "net_amount"), align="right"),
        gap=0.4,
    )
    ctx.b.line(cell(x, tax_label), cell(1.0, *ctx.money_parts(tax, "tax_amount"), align="right"))
    if shipping is not None:
        ctx.b.line(
            cell(x, _w(ctx, "shipping")), cell(1.0, *ctx.money_parts(shipping, None), align="right")
        )
    total = net + tax + (shipping or Decimal("0"))
    label: list[Part] = [_w(ctx, "total")]
    if ctx.money.position == "none":  # the total's label states the currency
        label.append((ctx.currency, "currency"))
    elif ctx.money.position == "glued_prefix" and ctx.rng.random() < 0.6:
        label.append(f"({ctx.currency})")
    ctx.b.line(
        cell(x, *label, bold=True),
        cell(1.0, *ctx.money_parts(total, "total_amount"), align="right", bold=True),
        rule=False,
    )


def po_form(ctx: Ctx) -> None:
    rng = ctx.rng
    ctx.variant["po"] = "form"
    buyer, vendor = _parties(ctx)
    ctx.dates_of(buyer.country)
    ctx.set("buyer_name", buyer.name)
    ctx.set("vendor_name", vendor.name)
    ctx.set("currency", ctx.currency)
    issue = formats.random_date(rng)
    number = _number(ctx, issue.year)
    ctx.set("po_number", number)
    ctx.set("order_date", issue.isoformat())
    box: list[tuple[str, list[Part]]] = [
        (_w(ctx, "po_no"), [(number, "po_number")]),
        (_w(ctx, "po_date"), [(ctx.date(issue), "order_date")]),
    ]
    if rng.random() < 0.7:
        vid = rng.choice([f"V-{rng.randint(1000, 99999)}", str(rng.randint(10000, 999999))])
        box.append((_w(ctx, "vendor_id"), [vid]))
    if rng.random() < 0.5:
        req = rng.choice([f"REQ-{rng.randint(10000, 99999)}", f"R{rng.randint(100000, 999999)}"])
        box.append((_w(ctx, "requisition"), [req]))
    _box(ctx, buyer, box)
    _addresses(ctx, buyer, vendor)
    required = issue + timedelta(days=rng.choice([7, 10, 14, 14, 21, 30]))
    _terms(ctx, ctx.date(required))

    items = _items(ctx)
    net = sum((it.amount for it in items), Decimal("0"))
    tax_label, tax = _tax(ctx, buyer, net)
    shipping = None
    if rng.random() < 0.45:
        shipping = Decimal(rng.randint(15, 400)) + rng.choice(
            [Decimal("0"), Decimal("0.50"), Decimal("0.95")]
        )
    _table(ctx, items)
    blocks.items_truth(ctx, items)
    _totals(ctx, net, tax_label, tax, shipping)
    ctx.set("net_amount", formats.money(net))
    ctx.set("tax_amount", formats.money(tax))
    ctx.set("total_amount", formats.money(net + tax + (shipping or Decimal("0"))))

    notes = list(pw.INSTRUCTIONS[ctx.language])
    picked = sorted(rng.sample(range(len(notes)), rng.randint(2, min(4, len(notes)))))
    for n, i in enumerate(picked, 1):
        ctx.b.text_line(0.0, f"{n}. {notes[i]}", gap=0.8 if n == 1 else 0.0, size=0.85)
    signed = issue + timedelta(days=rng.choice([0, 0, 0, 1, 2]))
    ctx.b.line(
        cell(0.0, _w(ctx, "authorized"), "______________________"),
        cell(0.45, f"{_person(ctx)}, {_w(ctx, 'role')}"),
        cell(1.0, _w(ctx, "date"), ctx.date(signed), align="right"),
        gap=1.2,
    )
