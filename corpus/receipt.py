"""Till receipts: merchant, date and time, items, total, VAT lines, payment.

Layout variants (``receipt``): classic | compact, held out: itemised_vat.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from corpus import blocks, formats, goods
from corpus.context import Ctx, make_party
from corpus.layout import cell

_R = {
    "total": {
        "en": ["TOTAL", "Total", "AMOUNT DUE", "!BALANCE"],
        "de": ["SUMME", "Summe", "Gesamt", "!ZU ZAHLEN"],
        "fr": ["TOTAL", "Total TTC", "A PAYER", "!NET A PAYER"],
    },
    "paid": {
        "en": ["Card", "Cash", "VISA", "Mastercard"],
        "de": ["Bar", "EC-Karte", "Karte", "Girocard"],
        "fr": ["CB", "Espèces", "Carte bancaire"],
    },
    "thanks": {
        "en": ["Thank you for shopping with us!", "Please keep your receipt.", "Have a nice day"],
        "de": ["Vielen Dank für Ihren Einkauf!", "Bitte Bon aufbewahren.", "Auf Wiedersehen"],
        "fr": ["Merci de votre visite !", "A bientôt", "Conservez votre ticket."],
    },
    "vat": {"en": ["VAT", "Tax"], "de": ["MwSt", "USt"], "fr": ["TVA"]},
    "net": {"en": ["Net"], "de": ["Netto"], "fr": ["HT"]},
    "receipt": {
        "en": ["Receipt", "Receipt No.", "Trans."],
        "de": ["Bon-Nr.", "Beleg", "Bon"],
        "fr": ["Ticket n°", "Ticket", "N° transaction"],
    },
    "given": {
        "en": ["Tendered", "Given"],
        "de": ["Gegeben", "Bar gegeben"],
        "fr": ["Reçu", "Donné"],
    },
    "change": {"en": ["Change"], "de": ["Rückgeld", "Zurück"], "fr": ["Rendu", "Monnaie"]},
    "cashier": {
        "en": ["Cashier", "Server"],
        "de": ["Kasse", "Bediener"],
        "fr": ["Caisse", "Caissier"],
    },
}


def _r(ctx: Ctx, key: str) -> str:
    options = _R[key][ctx.language]
    seen = [o for o in options if not o.startswith("!")]
    held = [o[1:] for o in options if o.startswith("!")]
    if ctx.split == "test" and held and ctx.rng.random() < 0.5:
        return ctx.rng.choice(held)
    return ctx.rng.choice(seen)


def receipt(ctx: Ctx) -> None:
    rng, b = ctx.rng, ctx.b
    style = ctx.pick("receipt", ["classic", "compact"], ("itemised_vat",))
    shop = make_party(rng, ctx.language, ctx.split)
    name = shop.name if rng.random() < 0.6 else " ".join(shop.name.split()[:-1]) or shop.name
    ctx.set("merchant_name", name)
    b.line(cell(0.15, (name, "merchant_name"), bold=True), size=1.2)
    b.text_line(0.15, shop.street)
    b.text_line(0.15, shop.city_line)
    if rng.random() < 0.6:
        b.text_line(0.15, ctx.label("phone"), shop.phone)
    when = formats.random_date(rng)
    ctx.set("receipt_date", when.isoformat())
    clock = f"{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}"
    rate = blocks.TAX_RATES[shop.country][-1 if rng.random() < 0.6 else 0]
    lines = []
    for _ in range(rng.randint(1, 7)):
        qty = rng.choice([1, 1, 1, 2, 3])
        price = Decimal(rng.randint(80, 2500)) / 100
        lines.append((rng.choice(goods.RECEIPT_ITEMS[ctx.language]), qty, price))
    total = sum((q * p for _, q, p in lines), Decimal("0"))
    tax = (total * Decimal(rate) / (100 + Decimal(rate))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    shown = ctx.date(when)
    if rng.random() < 0.3:  # labelled date and time, as some tills print them
        day_label, time_label = {
            "en": ("Date:", "Time:"), "de": ("Datum:", "Uhrzeit:"), "fr": ("Date :", "Heure :")
        }[ctx.language]  # fmt: skip
        when_cells = [cell(0.0, day_label, (shown, "receipt_date"), time_label, clock)]
    elif rng.random() < 0.3:  # time first, then the date at the right
        when_cells = [cell(0.0, clock), cell(1.0, (shown, "receipt_date"), align="right")]
    else:
        when_cells = [cell(0.0, (shown, "receipt_date"), clock)]
    if rng.random() < 0.5:
        when_cells.append(
            cell(1.0, _r(ctx, "receipt"), str(rng.randint(1000, 99999)), align="right")
        )
    b.line(*when_cells, gap=0.8)
    if rng.random() < 0.4:
        b.text_line(0.0, _r(ctx, "cashier"), str(rng.randint(1, 12)))
    for desc, qty, price in lines:
        amount = ctx.number(qty * price)
        if style == "compact" or qty == 1:
            label = desc if qty == 1 else f"{qty} x {desc}"
            b.line(cell(0.0, label), cell(1.0, amount, align="right"))
        else:
            b.text_line(0.0, desc)
            b.line(cell(0.05, f"{qty} x {ctx.number(price)}"), cell(1.0, amount, align="right"))
    ctx.set("currency", ctx.currency)
    ctx.set("total_amount", formats.money(total))
    total_parts = ctx.money_parts(total, "total_amount")
    if ctx.money.position == "none":
        total_parts = [(ctx.currency, "currency"), *total_parts]
    b.line(
        cell(0.0, _r(ctx, "total"), bold=True),
        cell(1.0, *total_parts, align="right", bold=True),
        gap=0.4,
        size=1.2,
    )
    if rng.random() < 0.35:  # cash handed over and change: two more amounts near the total
        step = Decimal(rng.choice([5, 10, 20, 50]))
        given = ((total // step) + 1) * step
        b.line(cell(0.0, _r(ctx, "given")), cell(1.0, ctx.number(given), align="right"))
        b.line(cell(0.0, _r(ctx, "change")), cell(1.0, ctx.number(given - total), align="right"))
    else:
        b.line(cell(0.0, _r(ctx, "paid")), cell(1.0, ctx.number(total), align="right"))
    if rng.random() < 0.85:
        ctx.set("tax_amount", formats.money(tax))
        rate_s = f"{rate.replace('.', ctx.money.decimal)}%"
        if style == "itemised_vat":
            b.line(
                cell(0.0, "A"),
                cell(0.1, rate_s),
                cell(0.35, _r(ctx, "net")),
                cell(0.55, ctx.number(total - tax)),
                cell(1.0, (ctx.number(tax), "tax_amount"), align="right"),
            )
        else:
            b.line(
                cell(0.0, _r(ctx, "vat"), rate_s),
                cell(1.0, (ctx.number(tax), "tax_amount"), align="right"),
                gap=0.3,
            )
            if rng.random() < 0.5:
                b.line(cell(0.0, _r(ctx, "net")), cell(1.0, ctx.number(total - tax), align="right"))
    if shop.vat_id and rng.random() < 0.5:
        b.text_line(0.0, ctx.label("vat_id"), shop.vat_print, size=0.8)
    b.text_line(0.1, _r(ctx, "thanks"), gap=0.8)
    ctx.variant["page"] = "receipt"
