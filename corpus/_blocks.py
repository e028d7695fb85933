"""Blocks that many document types share: address blocks, label/value blocks, item tables,
totals and footers. Each writes lines into the context's builder and truth."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from clerk.schemas import cell_address
from corpus import _formats as formats
from corpus import _goods as goods
from corpus import _words as words
from corpus._context import Ctx, Party
from corpus._layout import Part, cell

TAX_RATES = {
    "DE": ("19", "19", "7"),
    "AT": ("20", "10"),
    "CH": ("8.1", "2.6"),
    "FR": ("20", "10", "5.5"),
    "BE": ("21", "6"),
    "NL": ("21", "9"),
    "ES": ("21", "21", "10"),
    "IT": ("22", "22", "10"),
    "PL": ("23", "23", "8"),
    "GB": ("20", "5"),
    "US": ("8.25", "6", "7.5"),
}


@dataclass(frozen=True)
class Item:
    description: str
    quantity: Decimal
    unit_price: Decimal
    sku: str

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"), ROUND_HALF_UP)


def make_items(ctx: Ctx, count: int) -> list[Item]:
    rng = ctx.rng
    names = list(goods.ITEMS[ctx.language])
    out: list[Item] = []
    for _ in range(count):
        index = rng.randrange(len(names))
        desc = names[index]
        low, high, hourly = goods.ITEM_PRICES[index]
        if rng.random() < 0.3:
            desc = f"{desc} {rng.choice(goods.PRODUCT_ADJECTIVES)}"
        if hourly or rng.random() < 0.1:
            qty = Decimal(rng.randint(1, 32)) / 2
        elif high < 3:
            qty = Decimal(rng.choice([50, 100, 200, 250, 500, 1000]))
        else:
            qty = Decimal(rng.choice([1, 1, 1, 2, 3, 4, 5, 6, 10, 12, 20, 25, 50]))
        price = Decimal(round(rng.uniform(low, high) * 100)) / 100
        if price >= 20 and rng.random() < 0.4:  # list prices often end in .00, .50 or .90
            price = price.to_integral_value() - Decimal(rng.choice(["0", "0.5", "0.1"]))
        sku = f"{rng.choice(['A', 'B', 'K', 'P', 'X'])}{rng.randint(1000, 99999)}"
        out.append(Item(desc, qty, price, sku))
    return out


def items_truth(ctx: Ctx, items: list[Item]) -> None:
    """The items as ground truth, each cell under its address (``line_items.0.amount``)."""
    for i, it in enumerate(items):
        ctx.set(cell_address("line_items", i, "description"), it.description)
        ctx.set(cell_address("line_items", i, "quantity"), formats.quantity_truth(it.quantity))
        ctx.set(cell_address("line_items", i, "unit_price"), formats.money(it.unit_price))
        ctx.set(cell_address("line_items", i, "amount"), formats.money(it.amount))


def address_lines(
    ctx: Ctx, party: Party, name_field: str | None, *, country: bool
) -> list[list[Part]]:
    lines: list[list[Part]] = [[(party.name, name_field)]]
    if ctx.rng.random() < 0.35:
        from corpus._words import FIRST_NAMES, SURNAMES

        person = f"{ctx.rng.choice(FIRST_NAMES)} {ctx.rng.choice(SURNAMES['train'])}"
        prefix = _ATTENTION[ctx.language]
        lines.append([prefix, person] if ctx.rng.random() < 0.5 else [person])
    lines.append([party.street])
    lines.append([party.city_line])
    if country:
        lines.append([words.COUNTRY_NAMES[ctx.language][party.country]])
    return lines


def _kvk(ctx: Ctx) -> str:
    return f"KvK {ctx.rng.randint(10000000, 99999999)}"


def _registro_mercantil(ctx: Ctx) -> str:
    city = ctx.rng.choice(["Madrid", "Barcelona", "Valencia"])
    return f"Inscrita en el Registro Mercantil de {city}, Tomo {ctx.rng.randint(1000, 40000)}"


def _rea(ctx: Ctx) -> str:
    return f"REA {ctx.rng.choice(['MI', 'RM', 'TO', 'BO'])}-{ctx.rng.randint(100000, 2999999)}"


def _krs(ctx: Ctx) -> str:
    return f"KRS {ctx.rng.randint(1, 999999):010d}, REGON {ctx.rng.randint(10**8, 10**9 - 1)}"


# Company registrations the footers of Dutch, Spanish, Italian and Polish documents print.
_REGISTRIES = {"nl": _kvk, "es": _registro_mercantil, "it": _rea, "pl": _krs}

_ATTENTION = {
    "en": "Attn:",
    "de": "z. Hd.",
    "fr": "À l'attention de",
    "nl": "T.a.v.",
    "es": "A la atención de",
    "it": "Alla c.a. di",
    "pl": "Do rąk",
}


def columns(
    ctx: Ctx,
    left: list[list[Part]],
    right: list[list[Part]],
    x_right: float,
    right_align: bool = False,
) -> None:
    """Two blocks side by side, line by line (the reader sees them interleaved)."""
    for i in range(max(len(left), len(right))):
        a = cell(0.0, *left[i]) if i < len(left) else None
        if i < len(right):
            b = cell(
                1.0 if right_align else x_right, *right[i], align="right" if right_align else "left"
            )
        else:
            b = None
        ctx.b.line(a, b)


def kv_rows(ctx: Ctx, pairs: list[tuple[str, list[Part]]], style: str) -> list[list[Part]]:
    """Label/value pairs as the rows of one column: "label: value", or label above value."""
    rows: list[list[Part]] = []
    for label, value in pairs:
        if style == "above":
            rows.extend([[label], value])
            continue
        lab = label if label.endswith((":", ".", "#", "°")) else f"{label}:"
        rows.append([lab, *value])
    return rows


def kv_block(
    ctx: Ctx,
    pairs: list[tuple[str, list[Part]]],
    style: str,
    x_label: float,
    x_value: float,
    bold_labels: bool,
) -> None:
    """A label/value block: on one line at two x positions, or label above its value."""
    if style == "stacked":
        step = (1.0 - x_label) / max(len(pairs), 1)
        ctx.b.line(*[cell(x_label + i * step, p[0], bold=bold_labels) for i, p in enumerate(pairs)])
        ctx.b.line(*[cell(x_label + i * step, *p[1]) for i, p in enumerate(pairs)])
        return
    for label, value in pairs:
        if style == "colon":
            lab = label if label.endswith((":", "#", "°")) else f"{label}:"
            ctx.b.line(cell(x_label, lab, bold=bold_labels), cell(x_value, *value))
        else:
            ctx.b.line(cell(x_label, label, bold=bold_labels), cell(x_value, *value, align="right"))


def table(ctx: Ctx, items: list[Item], order: str, with_currency_header: bool) -> None:
    """An item table; ``order`` names the column order (one of ``TABLE_ORDERS``)."""
    lab = ctx.label
    cur = f"({ctx.currency})" if with_currency_header else ""
    cols = {
        "pos": (lab("col_pos"), 0.0, "left"),
        "sku": (lab("col_sku"), 0.0, "left"),
        "desc": (lab("col_desc"), 0.0, "left"),
        "qty": (lab("col_qty"), 0.0, "right"),
        "unit": (f"{lab('col_unit')} {cur}".strip(), 0.0, "right"),
        "vat": (lab("col_vat"), 0.0, "right"),
        "amount": (f"{lab('col_amount')} {cur}".strip(), 0.0, "right"),
    }
    keys = order.split("-")
    widths = {"pos": 0.06, "sku": 0.12, "qty": 0.1, "unit": 0.16, "vat": 0.09, "amount": 0.17}
    widths["desc"] = 1.0 - sum(widths[k] for k in keys if k != "desc")
    xs: dict[str, float] = {}
    start = 0.0
    for k in keys:
        xs[k] = start if cols[k][2] == "left" else min(1.0, start + widths[k])
        start += widths[k]
    bold = ctx.rng.random() < 0.6
    header = [cell(xs[k], cols[k][0], align=cols[k][2], bold=bold) for k in keys]
    ctx.b.line(*header, gap=0.6, rule=True)
    rate = ctx.variant.get("tax_rate", "")
    # Some tables wrap long descriptions onto a second line, some print a detail line
    # (article number) under each item: both are common on real invoices.
    extra = ctx.rng.choice(["none"] * 8 + ["wrap", "detail"])
    ctx.variant["table_extra"] = extra
    for n, it in enumerate(items, 1):
        first, rest = it.description, ""
        words = it.description.split()
        if extra == "wrap" and len(words) > 2:
            cut = len(words) // 2
            first, rest = " ".join(words[:cut]), " ".join(words[cut:])
        if extra == "detail" and "sku" not in keys:
            rest = f"{lab('col_sku')} {it.sku}"
        if len(ctx.b.pages[-1]) >= ctx.b.page_lines - (2 if rest else 1):
            ctx.b.break_page()  # the table goes on over the page, under its header again
            ctx.b.line(*header, rule=True)
        values = {
            "pos": str(n),
            "sku": it.sku,
            "desc": first,
            "qty": formats.quantity_text(it.quantity, ctx.money),
            "unit": ctx.number(it.unit_price),
            "vat": f"{rate.replace('.', ctx.money.decimal)}%" if rate else "",
            "amount": ctx.number(it.amount),
        }
        ctx.b.line(*[cell(xs[k], values[k], align=cols[k][2]) for k in keys])
        if rest:
            ctx.b.line(cell(xs["desc"], rest, bold=False))


TABLE_ORDERS = (
    "pos-desc-qty-unit-amount",
    "desc-qty-unit-amount",
    "pos-sku-desc-qty-unit-amount",
    "qty-desc-unit-amount",
    "sku-desc-qty-unit-vat-amount",
)
HELD_OUT_TABLE_ORDERS = ("desc-unit-qty-amount", "pos-desc-qty-unit-vat-amount")


def rate_text(ctx: Ctx, rate: str) -> str:
    shown = rate.replace(".", ctx.money.decimal)
    return f"{shown}%" if ctx.rng.random() < 0.7 else f"{shown} %"


def totals(
    ctx: Ctx,
    net: Decimal,
    tax: Decimal,
    total: Decimal,
    rate: str,
    style: str,
    *,
    total_label: str | None = None,
) -> None:
    """Net, tax and total, stacked right or in one line (the held-out ``inline`` style)."""
    net_l, tax_l = ctx.label("net"), ctx.label("tax")
    total_l = total_label or ctx.label("total")
    rate_s = rate_text(ctx, rate)
    net_p = ctx.money_parts(net, "net_amount")
    tax_p = ctx.money_parts(tax, "tax_amount")
    total_p = ctx.money_parts(total, "total_amount")
    if style == "inline":
        ctx.b.line(
            cell(0.0, net_l, *net_p),
            cell(0.36, tax_l, rate_s, *tax_p),
            cell(1.0, total_l, *total_p, align="right"),
            gap=0.8,
            rule=False,
        )
        return
    x_label = ctx.rng.choice([0.55, 0.6, 0.65])
    bold = ctx.rng.random() < 0.5
    ctx.b.line(cell(x_label, net_l), cell(1.0, *net_p, align="right"), gap=0.6)
    tax_label: list[str] = [tax_l, rate_s] if ctx.rng.random() < 0.5 else [f"{rate_s} {tax_l}"]
    ctx.b.line(cell(x_label, *tax_label), cell(1.0, *tax_p, align="right"), rule=True)
    ctx.b.line(cell(x_label, total_l, bold=bold), cell(1.0, *total_p, align="right", bold=bold))


def footer(
    ctx: Ctx,
    party: Party,
    *,
    with_iban: bool,
    with_vat: bool,
    name_field: str | None,
    vat_field: str | None,
) -> None:
    """Bank details, tax id and registration in one to three columns at the bottom."""
    lab = ctx.label
    first: list[list[Part]] = [[(party.name, name_field)], [party.street], [party.city_line]]
    second: list[list[Part]] = [[lab("phone"), party.phone], [party.email], [party.web]]
    third: list[list[Part]] = []
    if with_iban:
        spaced = ctx.rng.random() < 0.6
        third.append([lab("bank"), party.bank] if ctx.rng.random() < 0.5 else [party.bank])
        third.append([lab("iban"), (formats.iban_text(party.iban, spaced), "iban")])
        third.append([lab("bic"), party.bic])
        ctx.set("iban", party.iban)
    if with_vat and party.vat_id:
        second.append([lab("vat_id"), (party.vat_print, vat_field)])
        if vat_field:
            ctx.set(vat_field, party.vat_id)
    if party.country in ("DE", "AT") and ctx.rng.random() < 0.5:
        court = ctx.rng.choice(["Amtsgericht München", "AG Hamburg", "Amtsgericht Köln", "FN"])
        first.append([f"{court} HRB {ctx.rng.randint(10000, 199999)}"])
    if party.country == "FR" and ctx.rng.random() < 0.5:
        first.append([f"RCS Paris {ctx.rng.randint(100, 999)} {ctx.rng.randint(100, 999)} 123"])
    if ctx.language in _REGISTRIES and ctx.rng.random() < 0.5:
        first.append([_REGISTRIES[ctx.language](ctx)])
    blocks = [first, second, third] if third else [first, second]
    xs = [0.0, 0.36, 0.68] if third else [0.0, 0.5]
    depth = max(len(b) for b in blocks)
    for i in range(depth):
        ctx.b.line(
            *[
                cell(x, *blk[i]) if i < len(blk) else None
                for x, blk in zip(xs, blocks, strict=True)
            ],
            gap=1.5 if i == 0 else 0.0,
            size=0.8,
        )
