"""Remittance advices: payer, payment date, the invoices paid with amounts, total.

Layout variants (``remittance``): table | list, held out: letter.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from clerk.schemas import cell_address
from corpus import _blocks as blocks
from corpus import _formats as formats
from corpus._context import Ctx, make_party
from corpus._layout import cell


def remittance_advice(ctx: Ctx) -> None:
    rng, b, lab = ctx.rng, ctx.b, ctx.label
    style = ctx.pick("remittance", ["table", "list"], ("letter",))
    payer = make_party(rng, ctx.language, ctx.split)
    ctx.dates_of(payer.country)
    payee = make_party(rng, ctx.language, ctx.split, payer.country)
    ctx.set("payer_name", payer.name)
    title = {
        "en": ["Remittance Advice", "Payment Advice", "REMITTANCE ADVICE"],
        "de": ["Zahlungsavis", "Zahlungsavis", "Überweisungsavis"],
        "fr": ["Avis de paiement", "Avis de virement"],
        "nl": ["Betalingsadvies", "Betalingsspecificatie", "BETAALADVIES"],
        "es": ["Aviso de pago", "Notificación de transferencia"],
        "it": ["Avviso di pagamento", "Avviso di bonifico"],
        "pl": ["Awizo płatności", "Potwierdzenie przelewu", "Specyfikacja płatności"],
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
        "nl": ["Betaaldatum", "Valutadatum", "Betaald op"],
        "es": ["Fecha de pago", "Fecha valor", "Pagado el"],
        "it": ["Data pagamento", "Data valuta", "Pagato il"],
        "pl": ["Data płatności", "Data przelewu", "Zapłacono dnia"],
    }[ctx.language]
    ref_label = {
        "en": "Payment reference",
        "de": "Zahlungsreferenz",
        "fr": "Référence du paiement",
        "nl": "Betalingskenmerk",
        "es": "Referencia del pago",
        "it": "Riferimento pagamento",
        "pl": "Tytuł przelewu",
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
        ctx.set(cell_address("paid_invoices", i, "invoice_number"), number)
        ctx.set(cell_address("paid_invoices", i, "amount"), formats.money(amount))
    ctx.set("currency", ctx.currency)
    ctx.set("total_amount", formats.money(total))
    inv_l, amount_l = lab("invoice_number"), lab("col_amount")
    if style == "letter":
        intro = {
            "en": "we have today transferred the following amount to your account:",
            "de": "wir haben heute folgenden Betrag an Sie überwiesen:",
            "fr": "nous avons procédé ce jour au virement suivant :",
            "nl": "wij hebben vandaag het volgende bedrag naar u overgemaakt:",
            "es": "les comunicamos que hoy hemos realizado la siguiente transferencia:",
            "it": "Vi comunichiamo di aver disposto in data odierna il seguente bonifico:",
            "pl": "uprzejmie informujemy, że dziś przelaliśmy następującą kwotę:",
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
            "nl": "Neem bij vragen contact op met onze administratie.",
            "es": "Para cualquier consulta, contacte con nuestro departamento de contabilidad.",
            "it": "Per qualsiasi chiarimento contattate la nostra amministrazione.",
            "pl": "W razie pytań prosimy o kontakt z naszym działem księgowości.",
        }[ctx.language],
        gap=0.5,
    )
