"""The rows and numbers of billing-system invoices (``corpus._bill``): usage, utility and
shop rows whose arithmetic holds, the tables that print them, and the invoice, account and
customer numbers that sit beside each other on such invoices."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from corpus import _bill_words as bw
from corpus import _blocks as blocks
from corpus import _formats as formats
from corpus._context import Ctx, Party
from corpus._layout import Part, cell
from corpus._words import FIRST_NAMES, SURNAMES

CENT = Decimal("0.01")


def tax_of(net: Decimal, rate: str) -> Decimal:
    return (net * Decimal(rate) / 100).quantize(CENT, ROUND_HALF_UP)


def invoice_number(ctx: Ctx, issue: date) -> str:
    rng = ctx.rng
    return rng.choice(
        [
            str(rng.randint(1000000, 99999999)),
            f"R{rng.randint(1, 99999999):010d}",
            f"{rng.randint(1, 999999999):010d}",
            f"{rng.choice(['BLR', 'DEL', 'FRA', 'LON'])}{rng.randint(1, 9)}"
            f"-{rng.randint(100000, 9999999)}",
            f"INV-{issue.year}{issue.month:02d}-{rng.randint(1, 99999):05d}",
            f"{issue.year}{issue.month:02d}{rng.randint(1000, 99999)}",
            f"{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        ]
    )


def account_number(ctx: Ctx) -> str:
    """A customer or contract number: a distractor shaped like invoice numbers."""
    rng = ctx.rng
    return rng.choice(
        [
            f"K{rng.randint(1, 999999999):010d}",
            f"A-{rng.randint(0, 0xFFFFFFFF):08X}",
            str(rng.randint(10000000, 9999999999)),
            f"{rng.randint(1, 9)}.{rng.randint(10000, 99999)}.{rng.randint(1000, 9999)}",
            f"{rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        ]
    )


def _person(ctx: Ctx) -> str:
    title = {"en": ["Ms", "Mr", ""], "de": ["Frau", "Herr", ""], "fr": ["Madame", "Monsieur", ""]}
    prefix = ctx.rng.choice(title.get(ctx.language, [""]))
    name = f"{ctx.rng.choice(FIRST_NAMES)} {ctx.rng.choice(SURNAMES[ctx.split])}"
    return f"{prefix} {name}".strip()


def customer_lines(ctx: Ctx, customer: Party, person: bool) -> list[list[Part]]:
    lines: list[list[Part]] = [[_person(ctx)] if person else [customer.name]]
    if not person and ctx.rng.random() < 0.3:
        lines.append([_person(ctx)])
    lines.extend([[customer.street], [customer.city_line]])
    return lines


# --- rows ------------------------------------------------------------------------------


def hosting_rows(ctx: Ctx, start: date, end: date) -> tuple[list[blocks.Item], list[list[str]]]:
    """Usage rows: hours used at an hourly rate in whole cents, with start and end."""
    rng = ctx.rng
    hours_in_period = (end - start).days * 24 + 24
    items: list[blocks.Item] = []
    cells: list[list[str]] = []
    console = rng.random() < 0.5  # billing consoles print "01-01 00:00", others full dates
    for _ in range(rng.randint(1, 7)):
        hours = hours_in_period if rng.random() < 0.7 else rng.randint(5, hours_in_period - 1)
        rate = Decimal(rng.randint(1, 18)) / 100
        desc = f"{rng.choice(bw.HOSTING_ITEMS)} {rng.choice(bw.HOSTING_TAGS)}".strip()
        item = blocks.Item(desc, Decimal(hours), rate, "")
        items.append(item)
        first = start + timedelta(days=0 if hours == hours_in_period else rng.randint(0, 5))
        span = [ctx.date(first), ctx.date(end)]
        if console:
            span = [f"{first:%m-%d} 00:00", f"{end:%m-%d} 23:59"]
        cells.append([desc, str(hours), ctx.number(rate), *span, ctx.number(item.amount)])
    return items, cells


def utility_rows(ctx: Ctx) -> tuple[list[blocks.Item], list[list[str]]]:
    """Metered energy, standing charges, plans and calls: quantity with its unit, a rate."""
    rng = ctx.rng
    energy = rng.random() < 0.5
    family = bw.UTILITY_ITEMS[: bw.TELECOM_FROM] if energy else bw.UTILITY_ITEMS[bw.TELECOM_FROM :]
    chosen = rng.sample(family, rng.randint(2, len(family)))
    if energy and rng.random() < 0.5:  # electricity and gas each with a standing charge
        chosen = [*chosen, family[2]]
    items: list[blocks.Item] = []
    cells: list[list[str]] = []
    for index, unit, (low, high), (q_low, q_high) in chosen:
        qty = Decimal(rng.randint(q_low, q_high))
        rate = Decimal(round(rng.uniform(low, high) * 100)) / 100
        item = blocks.Item(bw.UTILITY_NAMES[ctx.language][index], qty, rate, "")
        items.append(item)
        unit_word = bw.UNIT_WORDS[unit][ctx.language] if unit else ""
        qty_text = f"{formats.quantity_text(qty, ctx.money)} {unit_word}".strip()
        rate_text = f"{ctx.number(rate)}/{unit_word}" if unit_word else ctx.number(rate)
        cells.append([item.description, qty_text, rate_text, ctx.number(item.amount)])
    return items, cells


def shop_rows(ctx: Ctx, rate: str) -> tuple[list[blocks.Item], list[list[str]], Decimal]:
    """Goods with a tax column per row; the invoice's tax is the sum of the rows' taxes."""
    items = blocks.make_items(ctx, ctx.rng.choice([1, 1, 2, 2, 3, 4, 6]))
    cells: list[list[str]] = []
    tax_sum = Decimal("0")
    shown = blocks.rate_text(ctx, rate)
    for n, it in enumerate(items, 1):
        tax = tax_of(it.amount, rate)
        tax_sum += tax
        cells.append(
            [
                str(n),
                it.description,
                ctx.number(it.unit_price),
                formats.quantity_text(it.quantity, ctx.money),
                ctx.number(it.amount),
                shown,
                ctx.number(tax),
                ctx.number(it.amount + tax),
            ]
        )
    return items, cells, tax_sum


def table(ctx: Ctx, header: str, rows: list[list[str]], left: int = 1) -> None:
    """A table whose first ``left`` columns are left-aligned and the rest right-aligned."""
    names = header.split("|")
    width = len(names)
    desc_share = 0.42 if width > 4 else 0.5
    rest = (1.0 - desc_share) / (width - 1)
    xs = [0.0] + [desc_share + rest * (i + 1) for i in range(width - 1)]
    if left == 2:
        xs[1] = 0.06
    align = ["left"] * left + ["right"] * (width - left)
    bold = ctx.rng.random() < 0.6
    ctx.b.line(
        *[cell(x, n, align=a, bold=bold) for x, n, a in zip(xs, names, align, strict=True)],
        gap=0.6,
        rule=True,
    )
    for row in rows:
        ctx.b.line(*[cell(x, v, align=a) for x, v, a in zip(xs, row, align, strict=True)])
