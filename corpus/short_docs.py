"""Receipts, product change notices and remittance advices.

Layout variants: receipt ``receipt`` classic | compact, held out: itemised_vat; product
update ``product`` kv | table, held out: prose; remittance ``remittance`` table | list,
held out: letter.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from corpus import blocks, formats, words
from corpus.context import Ctx, make_party
from corpus.layout import Part, cell

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
        lines.append((rng.choice(words.RECEIPT_ITEMS[ctx.language]), qty, price))
    total = sum((q * p for _, q, p in lines), Decimal("0"))
    tax = (total * Decimal(rate) / (100 + Decimal(rate))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    when_cells = [cell(0.0, (ctx.date(when), "receipt_date"), clock)]
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
    if rng.random() < 0.5:
        b.text_line(0.0, ctx.label("vat_id"), shop.vat_print, size=0.8)
    b.text_line(0.1, _r(ctx, "thanks"), gap=0.8)
    ctx.variant["page"] = "receipt"


_P = {
    "title": {
        "en": [
            "Product Update",
            "Product Change Notice",
            "Price Change Notification",
            "!Catalogue Update",
        ],
        "de": ["Produktänderung", "Produktinformation", "Preisänderung", "!Artikel-Update"],
        "fr": ["Mise à jour produit", "Avis de modification produit", "!Changement de tarif"],
    },
    "sku": {
        "en": ["SKU", "Item No.", "Article", "!Part No."],
        "de": ["Artikelnummer", "Art.-Nr.", "SKU", "!Materialnr."],
        "fr": ["Référence", "Réf. article", "SKU", "!Code article"],
    },
    "name": {
        "en": ["Product name", "Product", "Name"],
        "de": ["Produktname", "Bezeichnung", "Artikel"],
        "fr": ["Nom du produit", "Désignation", "Produit"],
    },
    "price": {
        "en": ["New price", "Price", "List price", "!Updated price"],
        "de": ["Neuer Preis", "Preis", "Listenpreis", "!VK-Preis"],
        "fr": ["Nouveau prix", "Prix", "Prix catalogue", "!Tarif"],
    },
    "old": {
        "en": ["Old price", "Previous price"],
        "de": ["Alter Preis", "Bisher"],
        "fr": ["Ancien prix", "Prix actuel"],
    },
    "stock": {
        "en": ["Stock", "In stock", "Available qty"],
        "de": ["Bestand", "Lagerbestand", "Verfügbar"],
        "fr": ["Stock", "Quantité disponible", "En stock"],
    },
    "desc": {
        "en": ["Description", "Details"],
        "de": ["Beschreibung", "Details"],
        "fr": ["Description", "Descriptif"],
    },
    "effective": {
        "en": ["Effective from", "Valid from"],
        "de": ["Gültig ab", "Wirksam ab"],
        "fr": ["Applicable au", "Valable à partir du"],
    },
}

_DESCRIPTIONS = {
    "en": [
        "Improved battery life and a new matte finish.",
        "Now available in black and white.",
        "Packaging changed to recycled cardboard.",
        "Replaces the previous model; same dimensions.",
    ],
    "de": [
        "Verbesserte Akkulaufzeit und neue matte Oberfläche.",
        "Jetzt in Schwarz und Weiß erhältlich.",
        "Verpackung auf Recyclingkarton umgestellt.",
        "Ersetzt das Vorgängermodell bei gleichen Maßen.",
    ],
    "fr": [
        "Autonomie améliorée et nouvelle finition mate.",
        "Désormais disponible en noir et blanc.",
        "Emballage en carton recyclé.",
        "Remplace le modèle précédent, mêmes dimensions.",
    ],
}


def _p(ctx: Ctx, key: str) -> str:
    options = _P[key][ctx.language]
    seen = [o for o in options if not o.startswith("!")]
    held = [o[1:] for o in options if o.startswith("!")]
    if ctx.split == "test" and held and ctx.rng.random() < 0.5:
        return ctx.rng.choice(held)
    return ctx.rng.choice(seen)


def product_update(ctx: Ctx) -> None:
    rng, b = ctx.rng, ctx.b
    style = ctx.pick("product", ["kv", "table"], ("prose",))
    maker = make_party(rng, ctx.language, ctx.split)
    sku = rng.choice(
        [
            f"SKU-{rng.randint(10000, 99999)}",
            f"{rng.choice('ABKX')}{rng.randint(100, 999)}-{rng.randint(10, 99)}",
            f"{rng.randint(100000, 9999999)}",
        ]
    )
    product = f"{rng.choice(words.PRODUCTS[ctx.language])} {rng.choice(words.PRODUCT_ADJECTIVES)}"
    price = Decimal(rng.randint(299, 99999)) / 100
    old = (price * Decimal(rng.choice(["0.9", "0.95", "1.05", "1.1"]))).quantize(Decimal("0.01"))
    stock = rng.randint(0, 5000)
    description = rng.choice(_DESCRIPTIONS[ctx.language])
    effective = formats.random_date(rng)
    for name, truth in (
        ("sku", sku),
        ("product_name", product),
        ("price", formats.money(price)),
        ("currency", ctx.currency),
        ("stock", str(stock)),
        ("description", description),
    ):
        ctx.set(name, truth)
    b.line(cell(0.0, maker.name, bold=True), cell(1.0, ctx.date(effective), align="right"))
    b.line(cell(0.0, _p(ctx, "title")), size=1.5, gap=0.6)
    price_parts = ctx.money_parts(price, "price")
    if ctx.money.position == "none":
        price_parts = [*price_parts, (ctx.currency, "currency")]
    rows: list[tuple[str, list[Part]]] = [
        (_p(ctx, "sku"), [(sku, "sku")]),
        (_p(ctx, "name"), [(product, "product_name")]),
        (_p(ctx, "old"), ctx.money_parts(old, None)),
        (_p(ctx, "price"), price_parts),
        (_p(ctx, "stock"), [(str(stock), "stock")]),
        (_p(ctx, "effective"), [ctx.date(effective)]),
    ]
    if rng.random() < 0.4:
        rows.pop(2)  # not every notice shows the old price
    if style == "kv":
        colon = rng.random() < 0.5
        for label, value in rows:
            b.line(
                cell(0.0, f"{label}:" if colon else label, bold=True), cell(0.3, *value), gap=0.2
            )
        b.line(cell(0.0, _p(ctx, "desc"), bold=True), gap=0.5)
        b.text_line(0.0, (description, "description"))
    elif style == "table":
        keep = rows[:-1]  # the effective date goes above the table
        b.line(
            *[cell(i / len(keep), label, bold=True) for i, (label, _) in enumerate(keep)],
            rule=True,
            gap=0.5,
        )
        b.line(*[cell(i / len(keep), *value) for i, (_, value) in enumerate(keep)])
        b.text_line(0.0, _p(ctx, "desc"), (description, "description"), gap=0.5)
    else:
        text = {
            "en": ("We would like to inform you that", "now costs", "Current stock:"),
            "de": ("Wir informieren Sie, dass", "ab sofort", "Aktueller Bestand:"),
            "fr": ("Nous vous informons que", "coûte désormais", "Stock actuel :"),
        }[ctx.language]
        b.text_line(0.0, text[0], (product, "product_name"), gap=0.5)
        b.text_line(0.0, _p(ctx, "sku"), (sku, "sku"))
        b.text_line(0.0, text[1], *price_parts)
        b.text_line(0.0, text[2], (str(stock), "stock"))
        b.text_line(0.0, (description, "description"))
    b.text_line(0.0, maker.email, maker.phone, gap=1.0, size=0.8)


def remittance_advice(ctx: Ctx) -> None:
    rng, b, lab = ctx.rng, ctx.b, ctx.label
    style = ctx.pick("remittance", ["table", "list"], ("letter",))
    payer = make_party(rng, ctx.language, ctx.split)
    payee = make_party(rng, ctx.language, ctx.split, payer.country)
    ctx.set("payer_name", payer.name)
    title = {
        "en": ["Remittance Advice", "Payment Advice", "REMITTANCE ADVICE"],
        "de": ["Zahlungsavis", "Zahlungsavis", "Überweisungsavis"],
        "fr": ["Avis de paiement", "Avis de virement"],
    }[ctx.language]
    b.line(
        cell(0.0, (payer.name, "payer_name"), bold=True),
        cell(1.0, rng.choice(title), align="right"),
        size=1.3,
    )
    b.text_line(0.0, payer.street)
    b.text_line(0.0, payer.city_line)
    for row in blocks.address_lines(ctx, payee, None, country=False):
        b.line(cell(0.0, *row), gap=0.0)
    paid_on = formats.random_date(rng)
    ctx.set("payment_date", paid_on.isoformat())
    pay_label = {
        "en": ["Payment date", "Date paid", "Value date"],
        "de": ["Zahlungsdatum", "Valuta", "Überwiesen am"],
        "fr": ["Date de paiement", "Date de valeur", "Payé le"],
    }[ctx.language]
    ref_label = {
        "en": "Payment reference",
        "de": "Zahlungsreferenz",
        "fr": "Référence du paiement",
    }[ctx.language]
    b.line(
        cell(0.0, rng.choice(pay_label)), cell(0.3, (ctx.date(paid_on), "payment_date")), gap=0.8
    )
    b.line(cell(0.0, ref_label), cell(0.3, f"PAY{rng.randint(100000, 999999)}"))
    count = rng.randint(1, 6)
    paid: list[tuple[str, Decimal]] = []
    for _ in range(count):
        number = rng.choice(
            [
                f"INV-{rng.randint(1000, 99999)}",
                f"{rng.randint(2015, 2025)}-{rng.randint(100, 9999)}",
                f"RE{rng.randint(10000, 99999)}",
                f"F{rng.randint(1000, 99999)}",
            ]
        )
        paid.append((number, Decimal(rng.randint(1000, 900000)) / 100))
    total = sum((a for _, a in paid), Decimal("0"))
    for i, (number, amount) in enumerate(paid):
        ctx.set(f"paid_invoices.{i}.invoice_number", number)
        ctx.set(f"paid_invoices.{i}.amount", formats.money(amount))
    ctx.set("currency", ctx.currency)
    ctx.set("total_amount", formats.money(total))
    inv_l, amount_l = lab("invoice_number"), lab("col_amount")
    if style == "letter":
        intro = {
            "en": "we have today transferred the following amount to your account:",
            "de": "wir haben heute folgenden Betrag an Sie überwiesen:",
            "fr": "nous avons procédé ce jour au virement suivant :",
        }[ctx.language]
        b.text_line(0.0, intro, gap=0.8)
    else:
        date_l = lab("issue_date")
        b.line(
            cell(0.0, inv_l, bold=True),
            cell(0.4, date_l, bold=True),
            cell(1.0, amount_l, align="right", bold=True),
            gap=0.8,
            rule=True,
        )
    for number, amount in paid:
        inv_date = paid_on - timedelta(days=rng.randint(10, 60))
        if style == "list":
            b.line(
                cell(0.0, number),
                cell(0.4, ctx.date(inv_date)),
                cell(1.0, *ctx.money_parts(amount, None), align="right"),
            )
        else:
            b.line(
                cell(0.0, number),
                cell(0.4, ctx.date(inv_date)),
                cell(1.0, ctx.number(amount), align="right"),
            )
    total_parts = ctx.money_parts(total, "total_amount")
    if ctx.money.position == "none":
        total_parts = [*total_parts, (ctx.currency, "currency")]
    b.line(
        cell(0.5, lab("total"), bold=True),
        cell(1.0, *total_parts, align="right", bold=True),
        gap=0.4,
    )
    b.text_line(0.0, lab("iban"), formats.iban_text(payee.iban, True), gap=0.8)
    b.text_line(
        0.0,
        {
            "en": "Please contact our accounts department with any queries.",
            "de": "Bei Rückfragen wenden Sie sich bitte an unsere Buchhaltung.",
            "fr": "Pour toute question, contactez notre service comptable.",
        }[ctx.language],
        gap=0.5,
    )
