"""Invoices as billing systems send them by e-mail: hosting and SaaS usage invoices,
telecom and energy bills, and e-commerce invoices.

They differ from the order-based invoices of ``corpus._commercial`` in what surrounds the
invoice's own number, date and total: account, customer and order numbers that are not the
invoice number; bill periods, order dates, payment dates and per-row service periods that
are not the issue date; usage quantities, hourly and unit rates, per-row tax and gross
amounts that are not totals; "Paid by Visa ending 4242" and "Amount due 0.00" on invoices
already paid by card (the total is still the invoice's total, as ``clerk.schemas`` defines
it: what the invoice charges, not what is still open).

``Sample.layout["variant"]["bill"]`` names the kind: ``hosting`` | ``utility`` | ``shop``.
Wordings come from ``corpus._bill_words``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from corpus import _bill_rows as rows
from corpus import _bill_words as bw
from corpus import _blocks as blocks
from corpus import _formats as formats
from corpus._context import Ctx, Party, make_party
from corpus._layout import Part, cell

CENT = Decimal("0.01")
LANGUAGES = frozenset(bw.languages())


def _w(ctx: Ctx, key: str) -> str:
    return bw.word(ctx.rng, key, ctx.language, ctx.split)


def _sentence(template: str, **parts: list[Part]) -> list[Part]:
    """A wording with ``{name}`` holes filled by (possibly annotated) parts."""
    out: list[Part] = []
    for piece in re.split(r"(\{\w+\})", template):
        if piece.startswith("{") and piece.endswith("}"):
            out.extend(parts[piece[1:-1]])
        elif piece.strip():
            out.append(piece.strip())
    return out


# --- the document ----------------------------------------------------------------------


def _meta_beside(ctx: Ctx, left: list[list[Part]], meta: list[tuple[str, list[Part]]]) -> None:
    kv = blocks.kv_rows(ctx, meta, ctx.rng.choice(["colon", "colon", "above"]))
    if ctx.rng.random() < 0.5:
        blocks.columns(ctx, left, kv, ctx.rng.choice([0.55, 0.6]))
    else:
        blocks.columns(ctx, left, kv, 0.0, right_align=True)


def _header(ctx: Ctx, vendor: Party, title: str) -> None:
    ctx.b.line(cell(0.0, (vendor.name, "vendor_name"), bold=True), size=ctx.rng.choice([1.4, 1.8]))
    ctx.b.line(cell(0.0, vendor.street), cell(1.0, title, align="right", bold=True))
    ctx.b.text_line(0.0, vendor.city_line)
    if vendor.vat_id and ctx.rng.random() < 0.5:
        ctx.b.text_line(0.0, ctx.label("vat_id"), (vendor.vat_print, "vendor_vat_id"))
        ctx.set("vendor_vat_id", vendor.vat_id)


def _totals(
    ctx: Ctx, net: Decimal, tax: Decimal, rate_label: str, total_key: str, extra: list[Part]
) -> None:
    """Net, tax and total stacked right, then (``extra``) an amount-due line."""
    x = ctx.rng.choice([0.5, 0.55, 0.6])
    ctx.b.line(
        cell(x, _w(ctx, "net")),
        cell(1.0, *ctx.money_parts(net, "net_amount"), align="right"),
        gap=0.6,
    )
    ctx.b.line(cell(x, rate_label), cell(1.0, *ctx.money_parts(tax, "tax_amount"), align="right"))
    total = ctx.money_parts(net + tax, "total_amount")
    ctx.b.line(cell(x, _w(ctx, total_key), bold=True), cell(1.0, *total, align="right", bold=True))
    if extra:
        ctx.b.line(cell(x, extra[0]), cell(1.0, *extra[1:], align="right"))


def _tax_label(ctx: Ctx, vendor: Party, rate: str) -> str:
    if vendor.country == "US" and ctx.language == "en":
        state = ctx.rng.choice(list(bw.US_STATE_TAX))
        return f"{_w(ctx, 'tax')} ({state} {blocks.rate_text(ctx, rate)})"
    word = _w(ctx, "tax")
    shown = blocks.rate_text(ctx, rate)
    if ctx.language == "en" and ctx.rng.random() < 0.5:
        return f"{word} at {shown}"
    return f"{word} {shown}"


def _rate_for(ctx: Ctx, vendor: Party, kind: str) -> str:
    if vendor.country == "US":
        return ctx.rng.choice(list(bw.US_STATE_TAX.values()))
    if kind == "utility" and vendor.country == "GB" and ctx.rng.random() < 0.6:
        return "5"  # domestic energy
    return blocks.TAX_RATES[vendor.country][0]


def bill_invoice(ctx: Ctx) -> None:
    rng = ctx.rng
    kind = ctx.pick("bill", ["hosting", "utility", "shop"])
    vendor = make_party(rng, ctx.language, ctx.split)
    customer = make_party(rng, ctx.language, ctx.split, vendor.country)
    ctx.dates_of(vendor.country)
    ctx.set("vendor_name", vendor.name)
    ctx.set("currency", ctx.currency)
    issue = formats.random_date(rng)
    end = issue - timedelta(days=rng.randint(1, 6))
    start = end - timedelta(days=rng.choice([27, 29, 30]))
    due = issue + timedelta(days=rng.choice([0, 0, 10, 14, 14, 30]))
    number = rows.invoice_number(ctx, issue)
    rate = _rate_for(ctx, vendor, kind)
    ctx.variant["tax_rate"] = rate
    ctx.set("invoice_number", number)
    ctx.set("issue_date", issue.isoformat())
    _header(ctx, vendor, _w(ctx, f"title_{kind}"))

    meta: list[tuple[str, list[Part]]] = [
        (_w(ctx, "invoice_no"), [(number, "invoice_number")]),
        (_w(ctx, "issue"), [(ctx.date(issue), "issue_date")]),
    ]
    if kind == "shop":
        order_day = issue - timedelta(days=rng.choice([0, 1, 2, 5]))
        order_no = "-".join(
            str(rng.randint(low, high))
            for low, high in ((100, 999), (10**6, 10**7 - 1), (10**6, 10**7 - 1))
        )
        meta.insert(0, (_w(ctx, "order_no"), [order_no]))
        meta.insert(1, (_w(ctx, "order_date"), [ctx.date(order_day)]))
        if rng.random() < 0.5:
            meta[:] = [meta[2], meta[3], meta[0], meta[1]]
    else:
        meta.append((_w(ctx, "account"), [rows.account_number(ctx)]))
    due_printed = kind != "shop" and rng.random() < 0.6
    if due_printed:
        meta.append((_w(ctx, "due"), [(ctx.date(due), "due_date")]))
        ctx.set("due_date", due.isoformat())

    person = kind == "utility" or (kind == "shop" and rng.random() < 0.6)
    address = rows.customer_lines(ctx, customer, person)
    if kind != "utility" or rng.random() < 0.5:
        address.insert(0, [_w(ctx, "bill_to")])
    if kind == "shop":
        _shop_parties(ctx, vendor, address)
        blocks.kv_block(ctx, meta, "colon", 0.0, rng.choice([0.3, 0.35]), rng.random() < 0.4)
    else:
        _meta_beside(ctx, address, meta)
    if kind == "utility" or (kind == "hosting" and rng.random() < 0.3):
        ctx.b.text_line(0.0, f"{_w(ctx, 'period')}:", ctx.date(start), "-", ctx.date(end), gap=0.6)
    if kind != "shop" and rng.random() < 0.3:
        ctx.b.text_line(0.0, rng.choice(bw._W["greeting"][ctx.language]), gap=0.5)

    if kind == "hosting":
        items, cells = rows.hosting_rows(ctx, start, end)
        net = sum((it.amount for it in items), Decimal("0"))
        tax = rows.tax_of(net, rate)
    elif kind == "utility":
        items, cells = rows.utility_rows(ctx)
        net = sum((it.amount for it in items), Decimal("0"))
        tax = rows.tax_of(net, rate)
    else:
        items, cells, tax = rows.shop_rows(ctx, rate)
        net = sum((it.amount for it in items), Decimal("0"))
    total = net + tax
    ctx.set("net_amount", formats.money(net))
    ctx.set("tax_amount", formats.money(tax))
    ctx.set("total_amount", formats.money(total))
    blocks.items_truth(ctx, items)

    if due_printed and kind != "shop" and rng.random() < 0.35:
        banner = bw.word(rng, "due_banner", ctx.language, ctx.split)
        parts = _sentence(
            banner,
            amount=ctx.money_parts(total, "total_amount"),
            date=[(ctx.date(due), "due_date")],
        )
        ctx.b.line(cell(0.0, *parts, bold=True), size=1.3, gap=0.8)

    header = _w(ctx, f"cols_{kind}").replace("{currency}", ctx.currency)
    if ctx.money.position == "none":  # amounts without a symbol: the currency is stated once
        ctx.b.text_line(0.0, ctx.label("currency"), (ctx.currency, "currency"), gap=0.3)
    if kind == "shop":
        rows.table(ctx, header, cells, left=2)
        _shop_totals(ctx, net, tax, total)
    else:
        rows.table(ctx, header, cells)
        _payment(ctx, vendor, kind, net, tax, issue, due, due_printed)
    _footer(ctx, vendor)


def _shop_parties(ctx: Ctx, vendor: Party, billing: list[list[Part]]) -> None:
    """The seller ("Sold by") beside the billing address, and sometimes a shipping address."""
    seller: list[list[Part]] = [
        [_w(ctx, "sold_by")],
        [(vendor.name, "vendor_name")],
        [vendor.street],
        [vendor.city_line],
    ]
    blocks.columns(ctx, seller, billing, 0.55)
    if ctx.rng.random() < 0.5:
        other = make_party(ctx.rng, ctx.language, ctx.split, vendor.country)
        ship: list[list[Part]] = [
            [_w(ctx, "ship_to")],
            [billing[1][0]],
            [other.street],
            [other.city_line],
        ]
        blocks.columns(ctx, [], ship, 0.55)
    if vendor.vat_id and "vendor_vat_id" not in ctx.truth:
        ctx.b.text_line(0.0, ctx.label("vat_id"), (vendor.vat_print, "vendor_vat_id"), gap=0.4)
        ctx.set("vendor_vat_id", vendor.vat_id)


def _shop_totals(ctx: Ctx, net: Decimal, tax: Decimal, total: Decimal) -> None:
    """A TOTAL row under the tax and gross columns, or a stack of net, tax and total."""
    if ctx.rng.random() < 0.5:
        ctx.b.line(
            cell(0.0, _w(ctx, "total_shop"), bold=True),
            cell(0.805, *ctx.money_parts(tax, "tax_amount"), align="right"),
            cell(1.0, *ctx.money_parts(total, "total_amount"), align="right", bold=True),
            gap=0.3,
        )
        if ctx.rng.random() < 0.5:  # the net is then only the sum of the net column
            ctx.b.line(
                cell(0.0, _w(ctx, "net")),
                cell(1.0, *ctx.money_parts(net, "net_amount"), align="right"),
            )
        return
    tax_label = _w(ctx, "tax")
    _totals(ctx, net, tax, tax_label, "total_shop", [])


def _payment(
    ctx: Ctx,
    vendor: Party,
    kind: str,
    net: Decimal,
    tax: Decimal,
    issue: date,
    due: date,
    due_printed: bool,
) -> None:
    """Totals and how the bill is paid: by card already, by direct debit, or still open."""
    rng = ctx.rng
    total = net + tax
    how = rng.choice(["card", "card", "open"] if kind == "hosting" else ["debit", "debit", "open"])
    due_label = _w(ctx, "amount_due")
    if how == "card":
        # Paid already: what is open is zero, the invoice's total is still the total.
        zero = rng.random() < 0.5
        extra = [
            due_label,
            *ctx.money_parts(Decimal("0") if zero else total, None if zero else "total_amount"),
        ]
    else:
        extra = [due_label, *ctx.money_parts(total, "total_amount")] if rng.random() < 0.5 else []
    _totals(ctx, net, tax, _tax_label(ctx, vendor, ctx.variant["tax_rate"]), f"total_{kind}", extra)
    if how == "card":
        paid_on = issue + timedelta(days=rng.randint(1, 4))
        text = bw.word(rng, "paid_card", ctx.language, ctx.split).format(
            card=rng.choice(bw.CARDS), last4=f"{rng.randint(0, 9999):04d}", date=ctx.date(paid_on)
        )
        ctx.b.text_line(0.0, text, gap=1.0)
    elif how == "debit":
        wording = bw.word(rng, "direct_debit", ctx.language, ctx.split)
        # The collection date is when payment falls due, printed in the meta or not.
        ctx.set("due_date", due.isoformat())
        when: list[Part] = [(ctx.date(due), "due_date")]
        parts = _sentence(wording, amount=ctx.money_parts(total, "total_amount"), date=when)
        ctx.b.text_line(0.0, *parts, gap=1.0)
        if rng.random() < 0.5:
            mandate = f"{_w(ctx, 'account')}: {rows.account_number(ctx)}"
            ctx.b.text_line(0.0, mandate, size=0.8)


def _footer(ctx: Ctx, vendor: Party) -> None:
    with_iban = ctx.rng.random() < 0.5 and vendor.country != "US"
    blocks.footer(
        ctx,
        vendor,
        with_iban=with_iban,
        with_vat="vendor_vat_id" not in ctx.truth and ctx.rng.random() < 0.8,
        name_field="vendor_name",
        vat_field="vendor_vat_id",
    )
