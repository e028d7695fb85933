"""Invoices and purchase orders: the two long commercial documents.

Layout variants (``Sample.layout["variant"]``): ``header`` vendor_left | vendor_right |
letterhead, held out: centered; ``meta`` colon | columns, held out: stacked; ``table``
one of ``blocks.TABLE_ORDERS``, held out: ``blocks.HELD_OUT_TABLE_ORDERS``; ``totals``
stack, held out: inline.
"""

from __future__ import annotations

import random
import string
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from corpus import _bill as bill
from corpus import _blocks as blocks
from corpus import _formats as formats
from corpus import _po_form as po_form
from corpus._context import Ctx, Party, make_party
from corpus._layout import Part, cell

# The share of invoices written as billing systems send them (``corpus._bill``): usage,
# utility and shop invoices whose numbers, dates and amounts sit among look-alikes.
BILLING_SYSTEM_SHARE = 0.3


def _items_and_sums(ctx: Ctx, party: Party) -> tuple[list[blocks.Item], Decimal, Decimal, str]:
    r = ctx.rng.random()
    count = (
        ctx.rng.randint(1, 4)
        if r < 0.5
        else ctx.rng.randint(5, 12)
        if r < 0.93
        else ctx.rng.randint(25, 45)
    )
    items = blocks.make_items(ctx, count)
    net = sum((it.amount for it in items), Decimal("0"))
    rate = ctx.rng.choice(blocks.TAX_RATES[party.country])
    tax = (net * Decimal(rate) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    ctx.variant["tax_rate"] = rate
    return items, net, tax, rate


def _letters(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(count))


def _header(ctx: Ctx, vendor: Party, title: str, name_field: str) -> None:
    style = ctx.pick("header", ["vendor_left", "vendor_right", "letterhead"], ("centered",))
    big = ctx.rng.choice([1.3, 1.5, 1.8])
    if style == "vendor_left":
        ctx.b.line(
            cell(0.0, (vendor.name, name_field), bold=True),
            cell(1.0, title, align="right"),
            size=big,
        )
        ctx.b.text_line(0.0, vendor.street)
        ctx.b.text_line(0.0, vendor.city_line)
        if ctx.rng.random() < 0.5:
            ctx.b.text_line(0.0, ctx.label("phone"), vendor.phone)
    elif style == "vendor_right":
        ctx.b.line(
            cell(0.0, title),
            cell(1.0, (vendor.name, name_field), align="right", bold=True),
            size=big,
        )
        ctx.b.line(cell(1.0, vendor.street, align="right"))
        ctx.b.line(cell(1.0, vendor.city_line, align="right"))
        ctx.b.line(cell(1.0, vendor.email, align="right"))
    elif style == "letterhead":
        ctx.b.line(cell(0.0, (vendor.name, name_field), bold=True), size=big)
        sep = ctx.rng.choice(["·", "|", "-", "/"])
        parts: list[Part] = [(vendor.name, name_field), sep, vendor.street, sep, vendor.city_line]
        ctx.b.line(cell(0.0, *parts), size=0.7, gap=0.5)
    else:
        ctx.b.line(cell(0.32, (vendor.name, name_field), bold=True), size=big)
        ctx.b.line(cell(0.32, f"{vendor.street},", vendor.city_line))
        ctx.b.line(cell(0.4, title), size=big, gap=0.5)


def _body(ctx: Ctx, vendor: Party, customer: Party, kind: str) -> None:
    """Everything from the recipient block to the totals, for invoices and orders alike."""
    rng, lab = ctx.rng, ctx.label
    invoice = kind == "invoice"
    items, net, tax, rate = _items_and_sums(ctx, vendor)
    total = net + tax
    issue = formats.random_date(rng)
    number_field = "invoice_number" if invoice else "po_number"
    date_field = "issue_date" if invoice else "order_date"
    if invoice:
        number = rng.choice(
            [
                f"INV-{issue.year}-{rng.randint(1, 9999):04d}",
                f"{issue.year}{rng.randint(100, 99999)}",
                f"RE{rng.randint(10000, 999999)}",
                f"F{issue.year % 100}-{rng.randint(100, 9999)}",
                str(rng.randint(1000, 9999999)),
                f"{rng.randint(10, 99)}/{issue.year}",
                # as billing systems print them: zero-padded, with a series letter or
                # prefix, a branch code, year and month parts
                f"R{rng.randint(1, 99999999):010d}",
                f"{rng.randint(1, 999999999):010d}",
                f"{issue.year}-{rng.randint(1, 99999):05d}",
                f"FV/{issue.year}/{issue.month:02d}/{rng.randint(1, 999):03d}",
                f"{_letters(rng, 3)}{rng.randint(1, 9)}-{rng.randint(1000000, 9999999)}",
                f"INV{rng.randint(1, 9999999):07d}",
            ]
        )
    else:
        number = rng.choice(
            [
                f"PO-{rng.randint(10000, 99999)}",
                f"PO{issue.year}{rng.randint(100, 9999)}",
                f"BE-{rng.randint(1000, 99999)}",
                f"4500{rng.randint(100000, 999999)}",
                f"CMD-{rng.randint(1000, 9999)}",
                f"{rng.randint(1, 9999999):08d}",
                f"ORD-{issue.year}-{rng.randint(1, 999999):06d}",
            ]
        )
    ctx.set(number_field, number)
    ctx.set(date_field, issue.isoformat())
    meta: list[tuple[str, list[Part]]] = [
        (lab(number_field if invoice else "po_number"), [(number, number_field)]),
        (lab("issue_date" if invoice else "order_date"), [(ctx.date(issue), date_field)]),
    ]
    if rng.random() < 0.6:
        meta.append((lab("customer_number"), [str(rng.randint(10000, 999999))]))
    if invoice and rng.random() < 0.5:
        po = rng.choice(
            [
                f"PO-{rng.randint(10000, 99999)}",
                f"4500{rng.randint(100000, 999999)}",
                f"{rng.randint(1000, 99999)}",
            ]
        )
        meta.append((lab("po_number"), [(po, "po_number")]))
        ctx.set("po_number", po)
    if invoice and rng.random() < 0.4:
        order_date = issue - timedelta(days=rng.randint(3, 40))
        order_label = lab("order_date")
        if order_label == meta[1][0]:  # two plain "Date" labels would make the task a guess
            order_label = _ORDER_DATE[ctx.language]
        meta.append((order_label, [ctx.date(order_date)]))
    if rng.random() < 0.45:
        shift = rng.randint(-10, -1) if invoice else rng.randint(5, 30)
        meta.append((lab("delivery_date"), [ctx.date(issue + timedelta(days=shift))]))
    due = issue + timedelta(days=rng.choice([10, 14, 30, 30, 60]))
    due_in_meta = invoice and rng.random() < 0.5
    if due_in_meta:
        meta.append((lab("due_date"), [(ctx.date(due), "due_date")]))
        ctx.set("due_date", due.isoformat())
    tail = meta[2:]
    rng.shuffle(tail)
    meta = meta[:2] + tail

    role = "bill_to" if invoice else "vendor"
    other_party, other_field = (customer, None) if invoice else (vendor, "vendor_name")
    address = blocks.address_lines(ctx, other_party, other_field, country=rng.random() < 0.3)
    if rng.random() < 0.6:
        address.insert(0, [lab(role)])
    ship: list[list[Part]] | None = None
    if invoice and rng.random() < 0.25:
        elsewhere = make_party(rng, ctx.language, ctx.split, customer.country)
        ship = [[lab("ship_to")], [customer.name], [elsewhere.street], [elsewhere.city_line]]
    _addresses_and_meta(ctx, address, meta, ship)
    if rng.random() < 0.5:
        subject = lab("invoice_title" if invoice else "po_title")
        ctx.b.line(cell(0.0, subject, (number, number_field), bold=True), gap=1.0)
    if rng.random() < 0.4:
        intro = {
            "invoice": {
                "en": "Thank you for your order. We invoice you as follows:",
                "de": "Vielen Dank für Ihren Auftrag. Wir berechnen Ihnen folgende Leistungen:",
                "fr": "Nous vous remercions de votre commande et vous facturons :",
                "nl": "Hartelijk dank voor uw opdracht. Wij brengen u het volgende in rekening:",
                "es": "Le agradecemos su pedido. Le facturamos lo siguiente:",
                "it": "La ringraziamo per l'ordine. Le addebitiamo quanto segue:",
                "pl": "Dziękujemy za zamówienie. Fakturujemy następujące pozycje:",
            },
            "po": {
                "en": "Please supply the following items:",
                "de": "Wir bestellen hiermit zu Ihren Bedingungen:",
                "fr": "Merci de nous livrer les articles suivants :",
                "nl": "Gelieve de volgende artikelen te leveren:",
                "es": "Les rogamos nos suministren los siguientes artículos:",
                "it": "Vi preghiamo di fornirci i seguenti articoli:",
                "pl": "Prosimy o dostarczenie następujących towarów:",
            },
        }["invoice" if invoice else "po"][ctx.language]
        ctx.b.text_line(0.0, intro, gap=0.5)
    order = ctx.pick("table", list(blocks.TABLE_ORDERS), blocks.HELD_OUT_TABLE_ORDERS)
    show_currency = ctx.money.position == "none" and rng.random() < 0.5
    blocks.table(ctx, items, order, show_currency)
    blocks.items_truth(ctx, items)
    ctx.set("currency", ctx.currency)
    if ctx.money.position == "none" and not show_currency:
        ctx.b.text_line(0.0, lab("currency"), (ctx.currency, "currency"), gap=0.3)
    totals_style = ctx.pick("totals", ["stack"], ("inline",))
    if invoice or rng.random() < 0.6:
        blocks.totals(ctx, net, tax, total, rate, totals_style)
        ctx.set("total_amount", formats.money(total))
        ctx.set("net_amount", formats.money(net))
        ctx.set("tax_amount", formats.money(tax))
    else:
        ctx.b.line(
            cell(0.6, lab("total"), bold=True),
            cell(1.0, *ctx.money_parts(net, "total_amount"), align="right"),
            gap=0.6,
        )
        ctx.set("total_amount", formats.money(net))
    if invoice:
        days = (due - issue).days
        terms = {
            "en": [f"Payment terms: {days} days net.", "Please pay by"],
            "de": [
                f"Zahlbar innerhalb von {days} Tagen ohne Abzug.",
                "Bitte überweisen Sie bis zum",
            ],
            "fr": [f"Paiement à {days} jours.", "Merci de régler avant le"],
            "nl": [f"Betaling binnen {days} dagen na factuurdatum.", "Gelieve te betalen voor"],
            "es": [f"Forma de pago: transferencia a {days} días.", "Fecha límite de pago:"],
            "it": [f"Pagamento: bonifico bancario a {days} gg.", "Da pagare entro il"],
            "pl": [f"Sposób płatności: przelew {days} dni.", "Termin płatności:"],
        }[ctx.language]
        ctx.b.text_line(0.0, terms[0], gap=1.0)
        if rng.random() < 0.3:
            _transfer_sentence(ctx, vendor, total, number)
        if not due_in_meta and rng.random() < 0.6:
            ctx.b.text_line(0.0, terms[1], (ctx.date(due), "due_date"))
            ctx.set("due_date", due.isoformat())
        if rng.random() < 0.5:
            ctx.b.text_line(
                0.0,
                {
                    "en": "Thank you for your business!",
                    "de": "Vielen Dank für Ihren Einkauf.",
                    "fr": "Merci de votre confiance.",
                    "nl": "Bedankt voor uw vertrouwen.",
                    "es": "Gracias por su confianza.",
                    "it": "Grazie per averci scelto.",
                    "pl": "Dziękujemy za współpracę.",
                }[ctx.language],
            )


def _transfer_sentence(ctx: Ctx, vendor: Party, total: Decimal, number: str) -> None:
    """Payment instructions in running text: the total, the IBAN and the invoice number
    appear in a sentence, not beside labels."""
    words = {
        "en": ("Please transfer", "to IBAN", "quoting"),
        "de": ("Bitte überweisen Sie", "auf das Konto IBAN", "unter Angabe der Rechnungsnummer"),
        "fr": ("Merci de virer", "sur le compte IBAN", "en indiquant la référence"),
        "nl": ("Gelieve", "over te maken op IBAN", "onder vermelding van factuurnummer"),
        "es": ("Rogamos transfieran", "a la cuenta IBAN", "indicando la factura"),
        "it": ("Vi preghiamo di versare", "sul conto IBAN", "indicando la fattura"),
        "pl": ("Prosimy o przelew kwoty", "na rachunek IBAN", "w tytule podając fakturę"),
    }[ctx.language]
    iban = formats.iban_text(vendor.iban, ctx.rng.random() < 0.6)
    ctx.b.text_line(
        0.0,
        words[0],
        *ctx.money_parts(total, "total_amount"),
        words[1],
        (iban, "iban"),
        words[2],
        (number, "invoice_number"),
    )
    ctx.set("iban", vendor.iban)


def _addresses_and_meta(
    ctx: Ctx,
    address: list[list[Part]],
    meta: list[tuple[str, list[Part]]],
    ship: list[list[Part]] | None,
) -> None:
    """The recipient block beside (or above) the document's numbers and dates.

    Meta styles: ``colon`` (label: value), ``columns`` (label left, value right-aligned),
    ``above`` (label on one line, value under it); held out: ``stacked`` (a row of labels
    over a row of values). With a ship-to block the two addresses share the line and the
    meta block moves below them."""
    rng = ctx.rng
    style = ctx.pick("meta", ["colon", "columns", "above"], ("stacked",))
    bold = rng.random() < 0.4
    if ship is not None:
        blocks.columns(ctx, address, ship, rng.choice([0.36, 0.45, 0.5]))
    elif style == "stacked" or rng.random() < 0.25:
        for row in address:
            ctx.b.line(cell(0.0, *row))
    else:
        if style == "columns":
            for i in range(max(len(address), len(meta))):
                a = cell(0.0, *address[i]) if i < len(address) else None
                if i < len(meta):
                    label, value = meta[i]
                    ctx.b.line(a, cell(0.52, label, bold=bold), cell(1.0, *value, align="right"))
                else:
                    ctx.b.line(a)
            return
        blocks.columns(ctx, address, blocks.kv_rows(ctx, meta, style), rng.choice([0.55, 0.6]))
        return
    if style == "stacked":
        blocks.kv_block(ctx, meta[:4], "stacked", 0.0, 1.0, bold)
        for label, value in meta[4:]:
            ctx.b.text_line(0.0, label, *value)
    elif style == "above":
        for label, value in meta:
            ctx.b.line(cell(0.0, label, bold=bold), gap=0.3)
            ctx.b.line(cell(0.0, *value))
    else:
        x_value = rng.choice([0.25, 0.3, 0.35]) if style == "colon" else rng.choice([0.45, 0.55])
        blocks.kv_block(ctx, meta, style, 0.0, x_value, bold)


# A second document date when the order date's label came out as the issue date's.
_ORDER_DATE = {
    "en": "Order date",
    "de": "Bestelldatum",
    "fr": "Commandé le",
    "nl": "Besteldatum",
    "es": "Fecha de pedido",
    "it": "Data ordine",
    "pl": "Data zamówienia",
}


def invoice(ctx: Ctx) -> None:
    if ctx.language in bill.LANGUAGES and ctx.rng.random() < BILLING_SYSTEM_SHARE:
        bill.bill_invoice(ctx)
        return
    vendor = make_party(ctx.rng, ctx.language, ctx.split)
    customer = make_party(
        ctx.rng, ctx.language, ctx.split, vendor.country if ctx.rng.random() < 0.7 else None
    )
    ctx.dates_of(vendor.country)
    ctx.set("vendor_name", vendor.name)
    _header(ctx, vendor, ctx.label("invoice_title"), "vendor_name")
    _body(ctx, vendor, customer, "invoice")
    vat_in_footer = ctx.rng.random() < 0.8
    if not vat_in_footer and vendor.vat_id:
        ctx.b.text_line(0.0, ctx.label("vat_id"), (vendor.vat_print, "vendor_vat_id"))
        ctx.set("vendor_vat_id", vendor.vat_id)
    if (
        customer.vat_id and ctx.rng.random() < 0.15
    ):  # the customer's own VAT id: a distractor, not the vendor's
        ctx.b.text_line(0.0, ctx.label("vat_id"), customer.vat_print)
    blocks.footer(
        ctx,
        vendor,
        with_iban=ctx.rng.random() < 0.8,
        with_vat=vat_in_footer,
        name_field="vendor_name",
        vat_field="vendor_vat_id",
    )


def purchase_order(ctx: Ctx) -> None:
    if po_form.chosen(ctx):  # decided without drawing from ctx.rng: other orders stay as they were
        po_form.po_form(ctx)
        return
    buyer = make_party(ctx.rng, ctx.language, ctx.split)
    vendor = make_party(
        ctx.rng, ctx.language, ctx.split, buyer.country if ctx.rng.random() < 0.7 else None
    )
    ctx.dates_of(buyer.country)
    ctx.set("buyer_name", buyer.name)
    ctx.set("vendor_name", vendor.name)
    _header(ctx, buyer, ctx.label("po_title"), "buyer_name")
    _body(ctx, vendor, buyer, "po")
    rng = ctx.rng
    if rng.random() < 0.6:
        ctx.b.text_line(
            0.0, f"{ctx.label('ship_to')}:", f"{buyer.street},", buyer.city_line, gap=0.8
        )
    note = {
        "en": "Please confirm this order and quote our order number on all documents.",
        "de": "Bitte bestätigen Sie diese Bestellung und geben Sie unsere Bestellnummer an.",
        "fr": "Merci de confirmer cette commande et de rappeler notre numéro de commande.",
        "nl": "Gelieve deze bestelling te bevestigen en ons ordernummer te vermelden.",
        "es": "Rogamos confirmen este pedido e indiquen nuestro número de pedido.",
        "it": "Vi preghiamo di confermare l'ordine e di citare il nostro numero d'ordine.",
        "pl": "Prosimy o potwierdzenie zamówienia i podawanie naszego numeru zamówienia.",
    }[ctx.language]
    ctx.b.text_line(0.0, note, gap=0.5)
    if rng.random() < 0.5:
        terms = {
            "en": (("Delivery terms:", "DAP Incoterms 2020"), ("Payment terms:", "30 days net")),
            "de": (("Lieferbedingungen:", "frei Haus"), ("Zahlungsbedingungen:", "30 Tage netto")),
            "fr": (("Conditions de livraison :", "franco de port"), ("Paiement :", "30 jours net")),
            "nl": (("Leveringsvoorwaarden:", "franco huis"), ("Betaling:", "30 dagen netto")),
            "es": (("Condiciones de entrega:", "portes pagados"), ("Pago:", "30 días")),
            "it": (("Resa:", "franco destino"), ("Pagamento:", "bonifico 30 gg d.f.")),
            "pl": (("Warunki dostawy:", "franco odbiorca"), ("Płatność:", "przelew 30 dni")),
        }[ctx.language]
        for label, value in terms:
            ctx.b.line(cell(0.0, label, bold=True), cell(0.35, value))
    blocks.footer(
        ctx,
        buyer,
        with_iban=False,
        with_vat=rng.random() < 0.5,
        name_field="buyer_name",
        vat_field=None,
    )
