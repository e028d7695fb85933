"""Till receipts: merchant, date and time, items, total, VAT lines, payment.

Layout variants (``receipt``): classic | compact | till, held out: itemised_vat.
``till`` is a thermal shop receipt as real ones print it (modelled on the shapes of
real scanned receipts, not on their text): an upper-case merchant with its legal form
and registration number, a "TAX INVOICE" or "CASH BILL" title, a GST/SST/sales-tax
registration, a bill number, cashier, items with tax codes, sub total, rounding, the
total, CASH and CHANGE, a tax summary table and the number of items.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from corpus import _blocks as blocks
from corpus import _formats as formats
from corpus import _goods as goods
from corpus._context import Ctx, make_party
from corpus._layout import Part, cell

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


# Dutch, Spanish, Italian and Polish till words (a Polish receipt's tax is "PTU").
_MORE = {
    "total": {
        "nl": ["TOTAAL", "Totaal", "Te betalen", "!TOTAAL BEDRAG"],
        "es": ["TOTAL", "Total", "TOTAL A PAGAR", "!IMPORTE TOTAL"],
        "it": ["TOTALE", "Totale", "TOTALE COMPLESSIVO", "!IMPORTO PAGATO"],
        "pl": ["SUMA", "RAZEM", "Do zapłaty", "!DO ZAPŁATY"],
    },
    "paid": {
        "nl": ["PINNEN", "Pin", "Contant", "Maestro"],
        "es": ["Tarjeta", "EFECTIVO", "Visa", "Tarjeta crédito"],
        "it": ["CONTANTI", "Bancomat", "Carta di credito", "Pagamento elettronico"],
        "pl": ["GOTÓWKA", "Karta", "KARTA PŁATNICZA", "BLIK"],
    },
    "thanks": {
        "nl": ["Bedankt voor uw bezoek!", "Tot ziens", "Bewaar uw kassabon."],
        "es": ["¡Gracias por su visita!", "Conserve su ticket.", "Hasta pronto"],
        "it": ["Grazie e arrivederci", "Conservare lo scontrino.", "Grazie per l'acquisto!"],
        "pl": ["Dziękujemy za zakupy!", "Zapraszamy ponownie", "Prosimy zachować paragon."],
    },
    "vat": {
        "nl": ["BTW"],
        "es": ["IVA"],
        "it": ["IVA"],
        "pl": ["PTU A", "PTU", "VAT"],
    },
    "net": {
        "nl": ["Excl. BTW", "Netto"],
        "es": ["Base", "Base imp."],
        "it": ["Imponibile"],
        "pl": ["Netto", "Sprzedaż opodatk."],
    },
    "receipt": {
        "nl": ["Bonnr.", "Bon", "Transactie"],
        "es": ["Ticket nº", "Factura simplificada", "Nº ticket"],
        "it": ["Scontrino n.", "Documento commerciale n.", "Doc. n."],
        "pl": ["Paragon nr", "PARAGON FISKALNY nr", "Nr wydruku"],
    },
    "given": {
        "nl": ["Ontvangen", "Contant"],
        "es": ["EFECTIVO", "Entregado"],
        "it": ["CONTANTI", "Ricevuto"],
        "pl": ["GOTÓWKA", "Wpłacono"],
    },
    "change": {
        "nl": ["Wisselgeld", "Terug"],
        "es": ["CAMBIO", "Cambio"],
        "it": ["RESTO", "Resto"],
        "pl": ["RESZTA", "Reszta"],
    },
    "cashier": {
        "nl": ["Kassa", "Kassier"],
        "es": ["Caja", "Cajero"],
        "it": ["Cassa", "Operatore"],
        "pl": ["Kasa", "Kasjer"],
    },
}
for _key, _by_language in _MORE.items():
    _R[_key] |= _by_language

_WHEN_LABELS = {
    "en": ("Date:", "Time:"),
    "de": ("Datum:", "Uhrzeit:"),
    "fr": ("Date :", "Heure :"),
    "nl": ("Datum:", "Tijd:"),
    "es": ("Fecha:", "Hora:"),
    "it": ("Data:", "Ora:"),
    "pl": ("Data:", "Godz.:"),
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
    # Till receipts are English: most real shop receipts are thermal English ones.
    styles = ["classic", "compact", *(["till"] * 4 if ctx.language == "en" else [])]
    style = ctx.pick("receipt", styles, ("itemised_vat",))
    if style == "till":
        till_receipt(ctx)
        return
    shop = make_party(rng, ctx.language, ctx.split)
    ctx.dates_of(shop.country)
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
        day_label, time_label = _WHEN_LABELS[ctx.language]
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


_TILL_FORMS = ("SDN BHD", "SDN. BHD.", "ENTERPRISE", "TRADING", "PTE LTD", "LTD", "INC",
               "LLC", "RESTAURANT", "HARDWARE", "MINI MARKET", "BOOKSTORE", "")  # fmt: skip
_TILL_TITLES = ("TAX INVOICE", "SIMPLIFIED TAX INVOICE", "CASH BILL", "RECEIPT",
                "OFFICIAL RECEIPT", "CASH RECEIPT", "SALES RECEIPT", "INVOICE")  # fmt: skip
# (marker printed, ISO code, tax name, tax rates)
_TILL_MONEY = (("RM", "MYR", "GST", ("6", "0")), ("RM", "MYR", "SST", ("6", "10")),
               ("$", "USD", "Sales Tax", ("8.875", "7", "6.25")), ("S$", "SGD", "GST", ("7",)),
               ("RM", "MYR", "GST", ("6",)), ("$", "USD", "Tax", ("8", "7.5")))  # fmt: skip
# Day first, as most of the world's tills print (corpus._formats styles).
_TILL_DATES = ("dmy_slash", "dmy_dash", "dmy_slash_short", "dmy_dash_short", "dmy_dot",
               "d_mon_y", "iso")  # fmt: skip


def till_receipt(ctx: Ctx) -> None:
    """A thermal till receipt (English), the kind most real receipts are."""
    rng, b = ctx.rng, ctx.b
    ctx.variant["page"] = "receipt"
    shop = make_party(rng, "en", ctx.split)
    form = rng.choice(_TILL_FORMS)
    core = " ".join(shop.name.split()[:-1]) or shop.name
    name = f"{core} {form}".strip().upper() if rng.random() < 0.8 else f"{core} {form}".strip()
    marker, code, tax_name, rates = rng.choice(_TILL_MONEY)
    # What this receipt prints, for the truth's readers (corpus tests, samples).
    ctx.money = formats.MoneyStyle(".", ",", marker, "prefix", code)
    ctx.date_style = rng.choice(_TILL_DATES)
    ctx.dates_of(shop.country)
    ctx.set("merchant_name", name)
    if rng.random() < 0.3:
        b.text_line(0.2, rng.choice(["WELCOME", "Welcome to", "***"]))
    b.line(cell(0.1, (name, "merchant_name"), bold=True), size=rng.choice([1.0, 1.2, 1.4]))
    if rng.random() < 0.6:
        b.text_line(0.25, f"({rng.randint(10000, 1999999)}-{rng.choice('AHKMPTUVWX')})")
    b.text_line(0.1, shop.street.upper() if rng.random() < 0.5 else shop.street)
    b.text_line(0.1, shop.city_line.upper() if rng.random() < 0.5 else shop.city_line)
    if rng.random() < 0.7:
        phone = f"0{rng.randint(3, 9)}-{rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
        b.text_line(0.1, rng.choice(["TEL:", "Tel", "TEL NO:", "Phone:", "Tel & Fax:"]), phone)
    if rng.random() < 0.7:
        reg = f"{rng.randint(0, 9999):04d}{rng.randint(0, 99999999):08d}"
        b.text_line(0.1, rng.choice([f"{tax_name} Reg No:", f"{tax_name} ID:", "GST NO:",
                                     "Co. Reg No:", "TAX ID:"]), reg)  # fmt: skip
    b.line(cell(0.25, rng.choice(_TILL_TITLES), bold=True))
    when = formats.random_date(rng)
    shown = ctx.date(when)
    ctx.set("receipt_date", when.isoformat())
    clock = f"{rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}" + rng.choice(["", ":12", " PM"])
    bill = rng.choice(["Invoice No:", "Inv No:", "Bill No:", "Receipt No:", "Doc No:", "Slip:",
                       "Trans:", "CS No:", "No:"])  # fmt: skip
    bill_no = rng.choice(["CS", "INV", "R", "", "T"]) + str(rng.randint(1000, 99999999))
    date_label = rng.choice(["Date:", "Date", "DATE:", "Date/Time:", ""])
    if rng.random() < 0.5:
        b.text_line(0.0, bill, bill_no)
        b.line(cell(0.0, date_label, (shown, "receipt_date"), clock))
    else:
        b.line(cell(0.0, date_label, (shown, "receipt_date")), cell(0.6, clock))
        b.text_line(0.0, bill, bill_no)
    if rng.random() < 0.6:
        b.text_line(0.0, rng.choice(["Cashier:", "CASHIER", "Staff:", "Served by:"]),
                    rng.choice(["01", "ADMIN", "LEE", "NUR", "JOHN", "A12"]))  # fmt: skip
    pre = rng.random() < 0.5  # the marker before the total, else in the amount column's head
    amount_head: list[Part] = ["Amount"] if pre else ["Amount", "(", (marker, "currency"), ")"]
    b.line(cell(0.0, "Description"), cell(0.55, "Qty"), cell(1.0, *amount_head, align="right"))
    rate = rng.choice(rates)
    lines = []
    for _ in range(rng.randint(1, 9)):
        qty = rng.choice([1, 1, 1, 2, 3, 4])
        price = Decimal(rng.randint(50, 9000)) / 100
        lines.append((rng.choice(goods.RECEIPT_ITEMS["en"]).upper(), qty, price))
    net = sum((q * p for _, q, p in lines), Decimal("0"))
    inclusive = rng.random() < 0.5
    tax = (net * Decimal(rate) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    total = net if inclusive else net + tax
    if inclusive:
        tax = (net * Decimal(rate) / (100 + Decimal(rate))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    tax_code = rng.choice(["SR", "S", "T", "ZR", ""])
    for desc, qty, price in lines:
        if rng.random() < 0.4:
            b.text_line(0.0, f"{rng.randint(10000000, 99999999)} {desc}")
        else:
            b.text_line(0.0, desc)
        b.line(cell(0.05, f"{qty} x {price:.2f}"), cell(1.0, f"{qty * price:.2f}", tax_code,
                                                         align="right"))  # fmt: skip
    b.line(cell(0.0, rng.choice(["Sub Total", "SUBTOTAL", "Sub-Total", "Total Excl. " + tax_name])),
           cell(1.0, f"{net if not inclusive else total - tax:.2f}", align="right"))  # fmt: skip
    if not inclusive or rng.random() < 0.5:
        b.line(cell(0.0, f"{tax_name} {rate}%" if rng.random() < 0.6 else tax_name),
               cell(1.0, (f"{tax:.2f}", "tax_amount"), align="right"))  # fmt: skip
        ctx.set("tax_amount", formats.money(tax))
    if rng.random() < 0.5:
        b.line(cell(0.0, rng.choice(["Rounding", "Rounding Adj", "ROUNDING ADJUSTMENT"])),
               cell(1.0, "0.00", align="right"))  # fmt: skip
    total_label = rng.choice(["TOTAL", "Total", "GRAND TOTAL", "Total Amount", "NETT TOTAL",
                              f"Total Incl. {tax_name}", f"TOTAL ({marker or code})",
                              "Total Sales (Inclusive of GST)", "AMOUNT DUE"])  # fmt: skip
    total_cells: list[Part] = [(f"{total:.2f}", "total_amount")]
    if pre:
        total_cells = [(marker, "currency"), (f"{total:.2f}", "total_amount")]
    b.line(cell(0.0, total_label, bold=True), cell(1.0, *total_cells, align="right", bold=True),
           size=rng.choice([1.0, 1.2]))  # fmt: skip
    ctx.set("total_amount", formats.money(total))
    ctx.set("currency", code)
    step = Decimal(rng.choice([1, 5, 10, 20, 50, 100]))
    given = ((total // step) + 1) * step
    pay = rng.choice(["CASH", "Cash", "Cash Tendered", "VISA", "Payment", "Tendered"])
    b.line(cell(0.0, pay), cell(1.0, f"{given if pay != 'VISA' else total:.2f}", align="right"))
    if pay != "VISA":
        b.line(cell(0.0, rng.choice(["CHANGE", "Change", "Change Due"])),
               cell(1.0, f"{given - total:.2f}", align="right"))  # fmt: skip
    if rng.random() < 0.5:
        b.line(
            cell(0.0, f"{tax_name} Summary"), cell(0.45, "Amount"), cell(1.0, "Tax", align="right")
        )
        b.line(cell(0.0, f"{tax_code or 'S'} @ {rate}%"), cell(0.45, f"{total - tax:.2f}"),
               cell(1.0, f"{tax:.2f}", align="right"))  # fmt: skip
    if rng.random() < 0.5:
        count = sum(q for _, q, _ in lines)
        b.text_line(0.0, rng.choice(["Total Items:", "No. of Items:", "Total Qty:"]), str(count))
    b.text_line(0.1, rng.choice(["THANK YOU", "Thank you. Please come again.",
                                 "GOODS SOLD ARE NOT RETURNABLE", "Thank You & Have A Nice Day",
                                 "*** THANK YOU ***"]), gap=0.6)  # fmt: skip
