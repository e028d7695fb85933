"""Charges printed between the net and the total: shipping, freight, handling.

An order or an invoice from a shop often adds a charge that is neither a line item nor
tax: "Subtotal 3,280.80 / Tax 0.00 / Shipping 185.00 / Total $3,465.80". Net + tax =
total then fails, though every number was read right. ``explained_by_charges`` passes
it when the charges the page prints make up the difference to the cent (one of them, or
all of them together): four printed numbers that add up are as strong a relation as
three, and a misread net or total is seldom off by exactly a printed charge.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from clerk.documents import Check
from extractors._receipt_fields import _amounts
from extractors.normalize import NormalizeHints

NET_PLUS_TAX = "net_plus_tax_equals_total"
# A charge's label, in the languages Clerk reads, at the start of its line.
_CHARGE = re.compile(
    r"^\W*(shipping(\s*(&|and)\s*handling)?|freight|delivery(\s+charges?)?|handling|postage|"
    r"carriage|versand(kosten)?|fracht(kosten)?|porto|frais\s+de\s+(port|livraison|transport)|"
    r"verzend(ing|kosten)?|bezorg(ing|kosten)?|env[ií]o|gastos\s+de\s+env[ií]o|transporte|"
    r"spedizione|spese\s+di\s+(spedizione|trasporto)|trasporto|wysy[lł]ka|dostawa|koszt\s+dostawy)"
    r"\b",
    re.IGNORECASE,
)


def explained_by_charges(
    values: Mapping[str, str | None], text: str, hints: NormalizeHints
) -> Check | None:
    """A passed ``net_plus_tax_equals_total`` when the printed charges make up what the
    net and the tax fall short of the total, else None."""
    net, tax, total = (
        _decimal(values.get(n)) for n in ("net_amount", "tax_amount", "total_amount")
    )
    if net is None or tax is None or total is None or total - net - tax <= 0:
        return None
    gap = total - net - tax
    charges = [  # (label, the line's last amount)
        (match.group(1), amounts[-1][3])
        for line in text.splitlines()
        if (match := _CHARGE.match(line)) and (amounts := _amounts(line, 0, hints))
    ]
    matching = [(label, amount) for label, amount in charges if amount == gap]
    if not matching and (len(charges) < 2 or sum(a for _, a in charges) != gap):
        return None
    shown = " + ".join(f"{label.lower()} {amount}" for label, amount in matching[:1] or charges)
    message = f"net {net} + tax {tax} + {shown} = {total}, matches total {total}"
    return Check(NET_PLUS_TAX, True, message)


def _decimal(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None
