"""A receipt's date and total from its printed lines, with arithmetic as evidence.

A till receipt prints its total on a line that says so ("TOTAL", "Total Incl. GST",
"GRAND TOTAL", "Summe", "Totaal"), usually the largest amount but for the cash handed
over, and it prints the same sum again where it can be checked: cash minus change, sub
total plus tax, the payment line. Its date stands beside "Date" or alone in a day-first
numeric or month-name form, never inside a phone number or a serial.

``receipt_total`` and ``receipt_date`` read those lines from the document's text (OCR
or text layer) and say how the value is supported; ``merge_receipt_fields`` puts them
into the extractor's fields. A value is lifted to ``CONFIRMED_CONFIDENCE`` (above the
auto bar) only when two independent prints agree: a labelled total that the payment
arithmetic or a second total line confirms; a labelled date that is the only date the
receipt prints and reads one way only. Anything less stays below the bar.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from clerk.documents import Field, TextWithOffsets
from extractors._tables import words_geometry
from extractors.normalize import DateOrder, NormalizeHints, normalize
from extractors.normalize.currency import resolve_marker
from extractors.normalize.hints import infer_date_order

# Two prints agree: above the default auto bar (CLERK_AUTO_FIELD_CONFIDENCE = 0.93).
CONFIRMED_CONFIDENCE = 0.96
# One print with its label: what a person checks.
LABELLED_CONFIDENCE = 0.85
# Amounts a receipt's arithmetic can confirm: the model's reading alone is not enough.
_ARITHMETIC_FIELDS = frozenset({"total_amount", "tax_amount"})
# The receipt's country and its printed currency disagree: a person decides.
DISAGREE_CONFIDENCE = 0.5

# Thermal print is widely spaced, and OCR reads "6.00" as "6. 00" there: a point, one
# space and two digits ending the number are cents too.
# An amount; a stray dot that OCR set before it, apart from any other number, is noise
# (".2.00" in a tax summary's row).
_AMOUNT = re.compile(
    r"(?:(?<![\d.,])|(?<=\s[.,]))-?\d{1,3}(?:[,.\s]\d{3})*(?:[.,]\d{2}|\.\s\d{2})(?![\d.,]*\d)"
)
_TOTAL = re.compile(
    r"\b(grand\s*total|total|totals|ttl|nett|net\s+total|amount\s+due|balance\s+due|amt\s+due|"
    r"(?:amount|amt)\s+(?:to\s+be\s+paid|to\s+pay|payable)|"
    r"summe|gesamt|zu\s+zahlen|totale|totaal|te\s+betalen|razem|suma|do\s+zap[lł]aty|"
    r"importe|à\s+payer|a\s+payer|montant\s+ttc)\b",
    re.IGNORECASE,
)
# Lines whose amount is not the sum paid: sub totals, tax, counts, savings, taxes only,
# what the total includes ("GST @6% included in total RM 2.43"); OCR reads GST as "6ST".
_NOT_TOTAL = re.compile(
    r"sub\s*-?\s*total|subtotaal|zwischensumme|sous-total|item|qty|quantity|saving|"
    r"discount|rounding|\bexcl|exclusive|before\s+(gst|tax|vat)|\bw/o\b|\bincludes\b|"
    r"\bincluded\b|total\s*([g6]st|sst|vat|tax)\b|(gst|sst|vat|tax)\s+total|\bpoints?\b|"
    r"\bunits?\b",
    re.IGNORECASE,
)
# The payment: cash handed over, or a card charged the sum ("VISA", "EDC MASTER").
_CASH = re.compile(
    r"\b(cash|tendered|tender|paid|payment|given|bar|gegeben|esp[eè]ces|re[cç]u|contant|efectivo|"
    r"contanti|got[oó]wka|card|visa|master|mastercard|amex|debit|credit|edc|karte|carte|"
    r"pin|pinnen|gepind|betaald|girocard|kartenzahlung|maestro|tarjeta|carta|karta)\b",
    re.IGNORECASE,
)
# A rounding adjustment: the sum paid is the total rounded to the coin ("Rounding Adj
# 0.01" between "Total 14.64" and "Total 14.65").
_ROUNDING = re.compile(r"\b(round(ing)?|rnd)\b|\bafrond", re.IGNORECASE)
# A rounding adjustment is coins: a larger amount on the line is a total after rounding.
_MAX_ADJUSTMENT = Decimal(1)
# A total line after the coin rounding ("Total After Rounding 100.60", "Rounded Total")
# is a multiple of the coin, within half of it from the total before: five cents
# (Malaysia, Switzerland, Australia) or one.
_COIN = Decimal("0.05")
_HALF_COIN = Decimal("0.025")
_CHANGE = re.compile(
    r"\b(change|r[uü]ckgeld|zur[uü]ck|rendu|monnaie|wisselgeld|cambio|resto|reszta)\b", re.I
)
_SUBTOTAL = re.compile(
    r"sub\s*-?\s*total|subtotaal|zwischensumme|sous-total|\bexcl|excluding|exclusive", re.I
)
# "TotalGST" reads as one word on a narrow receipt.
_TAX = re.compile(r"(?:\b|(?<=total))(gst|sst|vat|tax|mwst|tva|btw|iva)\b", re.IGNORECASE)

_ZERO = re.compile(r"(?<![\d.,])0[.,]00(?![\d.,]*\d)")
_TAX_ID = re.compile(r"\b(gst|sst|vat|tax)\s*(id|reg|no|number|registration)\b", re.I)
_INCLUSIVE = re.compile(r"\b(incl|inclusive|including)\b", re.IGNORECASE)
# Thermal print spaces a rate's decimals too: "SR @6. 00%".
_RATE = re.compile(r"(\d{1,2}(?:[.,]\d{1,3}|\.\s\d{2})?)\s*%")
# Where a receipt prints no currency, its country does: two cues of one country and
# none of another name the currency (a Malaysian company's legal form and its address).
_COUNTRY_CUES: dict[str, re.Pattern[str]] = {
    "MYR": re.compile(
        r"\b(malaysia|kuala\s+lumpur|selangor|johor|penang|pulau\s+pinang|sabah|sarawak|"
        r"perak|kedah|pahang|kelantan|terengganu|melaka|malacca|negeri\s+sembilan|perlis|"
        r"labuan|putrajaya|wilayah\s+persekutuan|petaling\s+jaya|shah\s+alam|"
        r"sdn\.?\s*bhd|s/b)\b"
        # A company's registration number with its check letter: "(000760274-K)".
        r"|\(\s*\d{4,12}\s*-\s*[A-Z]\s*\)",
        re.I,
    ),
    # A state's abbreviation before a ZIP code ("Seattle, WA 98101"), or the country.
    "USD": re.compile(
        r"\b(usa|united\s+states)\b|(?<![A-Za-z])(A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|"
        r"LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY]),?\s+"
        r"\d{5}(?:-\d{4})?\b"
    ),
    "SGD": re.compile(r"\b(singapore|pte\.?\s+ltd)\b", re.I),
    "IDR": re.compile(r"\b(indonesia|jakarta|pt\.?\s+\w+\s+tbk)\b", re.I),
    "PHP": re.compile(r"\b(philippines|manila|makati|cebu)\b", re.I),
    "THB": re.compile(r"\b(thailand|bangkok)\b", re.I),
}

_DATE = re.compile(
    r"(?<![\d/.-])(\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}|"
    r"\d{1,2}[ -]?[A-Za-z]{3,9}\.?[ -]?(?:\d{4}|\d{2})|[A-Za-z]{3,9}\.? \d{1,2},? \d{4})"
    r"(?![\d/])"
)
_TIME_AFTER = re.compile(r"\s*(\(\w{2,3}\)\s*)?\d{1,2}[:.]\d{2}(?![\d.,])")
_TIME_BEFORE = re.compile(r"(?<![\d.,])\d{1,2}:\d{2}(:\d{2})?\s*(am|pm)?\s*$", re.IGNORECASE)
# A time of day anywhere on the date's line: the till's timestamp ("16:14 = 04/03/18",
# "14-01-2018 (Gun) 16:02"); an expiry or a promotion's period prints no time.
_TIME_ON_LINE = re.compile(r"(?<![\d.,:])\d{1,2}:\d{2}(:\d{2})?(?![\d.,:])")
# Countries that write the day first, or the month: a sure cue of one settles 03/04/2018.
_DAY_FIRST = frozenset({"MYR", "SGD", "IDR", "THB"})
_MONTH_FIRST = frozenset({"USD"})
# Where the country is known to pay in dollars, a "$" beside an amount is its dollar.
_DOLLAR_COUNTRIES = frozenset({"USD", "SGD"})
_BARE_DOLLAR = re.compile(r"(?<![A-Za-z$])\$\s?\d")
_DATE_LABEL = re.compile(r"\b(date|datum|fecha|data|tarikh|dated)\b", re.IGNORECASE)
_NOT_A_DATE_LINE = re.compile(r"\b(tel|fax|phone|hp|mobile|gst\s*(id|reg|no)|reg\.?\s*no)\b", re.I)


@dataclass(frozen=True)
class Found:
    """A value read from the receipt's lines, and whether a second print confirms it."""

    raw: str
    value: str
    start: int  # character offsets in the document text, for the box
    end: int
    confirmed: bool


def receipt_total(text: str, hints: NormalizeHints) -> Found | None:
    """The total paid: the last amount of the last total line, unless the payment
    arithmetic or another total line points at a different one."""
    lines = _lines(text)
    rates = _printed_rates(text, hints)
    printed_subtotals = {
        a[3] for _, line in lines if _SUBTOTAL.search(line) for a in _amounts(line, 0, hints)[-1:]
    }
    totals: list[tuple[str, int, int, Decimal]] = []
    cash: list[Decimal] = []
    change: list[Decimal] = []
    subtotals: list[Decimal] = []
    taxes: list[Decimal] = []
    payments: list[tuple[str, int, int, Decimal]] = []
    roundings: set[Decimal] = set()
    rounded: set[Decimal] = set()
    grossed: set[Decimal] = set()  # a tax summary's base with its rate's tax on top
    for offset, line in lines:
        if _ROUNDING.search(line) and not _TOTAL.search(line):
            roundings.update(_adjustments(line, hints))
            continue
        # Some tills print the cash handed over as a negative amount ("Cash -20.00").
        paying = bool(_CASH.search(line) or _CHANGE.search(line))
        amounts = _amounts(line, offset, hints, unsigned=paying)
        if not amounts:
            continue
        last = amounts[-1]
        grossed |= _grossed_up(line, amounts, hints)
        if _ROUNDING.search(line) and not _SUBTOTAL.search(line):  # "Total After Rounding"
            if last[3] % _COIN == 0 and last[3] > _MAX_ADJUSTMENT:
                totals.append(last)
                rounded.add(last[3])
        elif _TOTAL.search(line) and not _NOT_TOTAL.search(line):
            if not _is_tax_breakdown(amounts, rates, printed_subtotals):
                totals.append(last)
        elif _CHANGE.search(line):
            change.append(last[3])
        elif _CASH.search(line):
            cash.append(last[3])
            payments.append(last)
        elif _SUBTOTAL.search(line):
            subtotals.append(last[3])
        elif _TAX.search(line):
            taxes.append(last[3])
    paid = {c - g for c in cash for g in change} | (set(cash) if not change else set())
    handed = set(paid)  # the sums paid as the payment lines print them, before rounding
    summed = {s + t for s in subtotals for t in taxes} | set(subtotals) | grossed
    # The sum paid may be the total rounded to the coin ("Total 72.93", "RND ADJ 0.02",
    # "Payment 73.00", "Change 0.05").
    shifts = {Decimal(0)} | roundings | {-r for r in roundings}
    paid |= {p + r for p in paid for r in shifts}
    summed |= {s + r for s in summed for r in shifts}
    if not totals:
        # No total line kept its amount (OCR lost it): a payment with no change due that
        # the sub total and tax add up to is the sum paid, by two prints that agree.
        agreed = [p for p in payments if p[3] in summed and not any(change)]
        if not agreed:
            return None
        raw, start, end, amount = agreed[-1]
        return Found(raw, str(amount), start, end, True)
    # A total line that the arithmetic confirms wins; else the last total line.
    confirmed = [t for t in totals if t[3] in paid or t[3] in summed]
    chosen = (confirmed or totals)[-1]
    raw, start, end, amount = chosen
    # The sum paid is the total rounded to the coin where the till prints the adjustment
    # and the payment bears it out ("Total 65,53", "Rounding Adj: 0.02", "VISA 65,55"):
    # the amount the receipt was paid with, and the one it is booked for.
    settled = {amount + r for r in shifts if r and amount + r in handed}
    if amount not in handed and not rounded and len(settled) == 1:
        amount = settled.pop()
        payment = next((p for p in reversed(payments) if p[3] == amount), None)
        if payment is not None:
            raw, start, end = payment[:3]

    # Sure only when every total line prints this one sum and a second print (the
    # payment, the sub total and tax, another total line) repeats it: OCR that misreads
    # one print ("73.30" as "13.30") rarely misreads every print alike, but it can misread
    # the payment line alike, so total lines that disagree always leave it to a person.
    # A total line off by the printed rounding adjustment agrees too.
    # A total line a printed tax short of it is the net ("Total Sales (Exciuding GST)",
    # its label misread), which the sum confirms rather than contradicts.
    # A total line and the same total rounded to the coin agree too.
    def agrees(other: Decimal) -> bool:
        apart = abs(other - amount)
        coin = bool(rounded & {other, amount}) and apart <= _HALF_COIN
        return apart == 0 or apart in roundings or amount - other in taxes or coin

    agreeing = all(agrees(t[3]) for t in totals)
    return Found(raw, str(amount), start, end, agreeing and (bool(confirmed) or len(totals) > 1))


def receipt_date(text: str, hints: NormalizeHints, order_known: bool = False) -> Found | None:
    """The receipt's date: a labelled one first, else the first one printed. It is
    sure when it is the only date printed, labelled or followed by the time of day, and
    reads one way only, or the receipt's country (``order_known``) settles the order."""
    found: list[tuple[Found, bool]] = []
    for offset, line in _lines(text):
        if _NOT_A_DATE_LINE.search(line):
            continue
        for match in _DATE.finditer(line):
            normalized = normalize("date", match.group(0), hints)
            if normalized is None:
                continue
            start = offset + match.start()
            before, after = line[: match.start()], line[match.end() :]
            marked = bool(
                _DATE_LABEL.search(before)
                or _TIME_AFTER.match(after)
                or _TIME_BEFORE.search(before)
                or _TIME_ON_LINE.search(before + " " + after)
            )
            value = Found(match.group(0), normalized.value, start, offset + match.end(), False)
            found.append((value, marked))
    if not found:
        return None
    labelled = [f for f, marked in found if marked]
    chosen = (labelled or [f for f, _ in found])[0]
    distinct = {f.value for f, _ in found}
    # Only evidence settles the order: a date elsewhere that reads one way only, or the
    # country. The hints' month-first default for US-dollar English text is a guess.
    settled = order_known or infer_date_order(text) is not None or not _ambiguous(chosen.raw)
    confirmed = bool(labelled) and len(distinct) == 1 and settled
    return replace(chosen, confirmed=confirmed)


def receipt_tax(text: str, hints: NormalizeHints, total: Found | None) -> Found | None:
    """The tax: the amount of a tax line that arithmetic confirms (sub total + tax = the
    confirmed total; the printed rate of the total, the sub total or the line's own base,
    as in "A 7% Net 79.14 5.54"; a summary row whose base and tax add up to the confirmed
    total), else the last tax line's amount, unconfirmed."""
    subtotals: list[Decimal] = []
    taxes: list[tuple[tuple[str, int, int, Decimal], Decimal | None, Decimal | None]] = []
    summed: set[Decimal] = set()  # taxes a summary row's base adds up to the sum paid with
    paid = Decimal(total.value) if total is not None and total.confirmed else None
    # The sum paid may be rounded to the coin: the tax adds up to it within the printed
    # adjustment ("Sub Total 234.00", "TotalGST 14.04", "Rounding 0.01", "Total 248.05").
    shifts = {Decimal(0)}
    for _, line in _lines(text):
        if _ROUNDING.search(line) and not _TOTAL.search(line):
            shifts |= {r * sign for r in _adjustments(line, hints) for sign in (1, -1)}
    zero: tuple[str, int, int] | None = None  # a tax line printing no tax ("TAX $0.00")
    printed_rates: set[Decimal] = set()  # every tax rate the receipt prints
    for offset, line in _lines(text):
        amounts = _amounts(line, offset, hints)
        share = _line_rate(line, hints)
        if share is not None and _TAX.search(line):
            printed_rates.add(share)
        if _CASH.search(line) or _CHANGE.search(line) or _ROUNDING.search(line):
            continue
        if not amounts:
            nothing = _ZERO.search(line)
            if nothing and _TAX.search(line) and not _TAX_ID.search(line):
                zero = (nothing.group(0), offset + nothing.start(), offset + nothing.end())
            continue
        row = amounts[-2][3] + amounts[-1][3] if len(amounts) >= 2 else None
        if len(amounts) >= 3 and amounts[-3][3] + amounts[-2][3] == amounts[-1][3]:
            # A tax table's row: net, tax and gross ("A= 7,0% 11,79 0,83 12,62"), or tax,
            # net and gross ("A 20.00% 0.42 2.08 2.50"): the rate, else the size, says
            # which of the two is the tax.
            net, tax = _net_and_tax(amounts[-3], amounts[-2], share)
            taxes.append((tax, share, net[3]))
            if paid is not None and paid - amounts[-1][3] in shifts:
                summed.add(tax[3])
        elif row is not None and paid is not None and paid - row in shifts:
            # A tax summary's row, its base and its tax adding up to the sum paid ("Total:
            # 37.50 2.25" under "Total Sales 39.75"; "S @6% 99,05 5.95" above 105.00).
            taxes.append((amounts[-1], None, amounts[-2][3]))
            summed.add(amounts[-1][3])
        elif _SUBTOTAL.search(line):
            subtotals.append(amounts[-1][3])
        elif _TAX.search(line) and not _TAX_ID.search(line) and not _INCLUSIVE.search(line):
            base = amounts[-2][3] if len(amounts) >= 2 else None
            taxes.append((amounts[-1], share, base))
        elif share is not None and len(amounts) >= 2 and not _TOTAL.search(line):
            taxes.append((amounts[-1], share, amounts[-2][3]))  # a rate, its base, its tax
    if not taxes:
        # No tax is due: the sub total is the confirmed sum paid ("SUBTOTAL $18.46",
        # "TAX 10.1% $0.00", "TOTAL $18.46").
        if zero is not None and paid is not None and any(paid - s in shifts for s in subtotals):
            return Found(zero[0], "0.00", zero[1], zero[2], True)
        return None

    def confirmed(tax: Decimal, rate: Decimal | None, base: Decimal | None) -> bool:
        if tax in summed:
            return True
        if rate is not None and base is not None and _cents(base * rate / 100) == tax:
            return True
        if paid is None:
            return False
        if any(paid - s - tax in shifts for s in subtotals):
            return True
        bases = [paid * rate / (100 + rate), *(s * rate / 100 for s in subtotals)] if rate else []
        # The rate the total line prints ("Total Incl. GST@6% RM 28.00") confirms a tax
        # whose own line's rate OCR misread ("GST 86% included in total RM 1.58").
        bases += [paid * r / (100 + r) for r in printed_rates if 0 < r < 100]
        return any(_cents(b) == tax for b in bases)

    sure = [(t, rate, base) for t, rate, base in taxes if confirmed(t[3], rate, base)]
    # Rows at two rates ("A 7% ... 0,83", "B 19% ... 1,90"): the receipt's tax is their
    # sum, sure only where a printed tax line or the sum paid bears it out.
    rated = {rate: (t, base) for t, rate, base in sure if rate and base is not None}
    if len(rated) > 1:
        tax_sum = sum((t[3] for t, _ in rated.values()), Decimal(0))
        gross = tax_sum + sum((base for _, base in rated.values()), Decimal(0))
        printed = [t for t, rate, _ in taxes if t[3] == tax_sum and rate not in rated]
        if printed:
            raw, start, end, _ = printed[-1]
            return Found(raw, str(tax_sum), start, end, True)
        _, start, end, _ = max((t for t, _ in rated.values()), key=lambda t: t[1])
        sure_sum = paid is not None and paid - gross in shifts
        return Found(str(tax_sum), str(tax_sum), start, end, sure_sum)
    raw, start, end, amount = ([t for t, _, _ in sure] or [t for t, _, _ in taxes])[-1]
    return Found(raw, str(amount), start, end, bool(sure))


def _net_and_tax(
    first: tuple[str, int, int, Decimal],
    second: tuple[str, int, int, Decimal],
    rate: Decimal | None,
) -> tuple[tuple[str, int, int, Decimal], tuple[str, int, int, Decimal]]:
    """Which of a tax table row's two amounts before its gross is the net, which the tax."""
    if rate is not None and _cents(second[3] * rate / 100) == first[3]:
        return second, first
    if rate is not None and _cents(first[3] * rate / 100) == second[3]:
        return first, second
    return (first, second) if first[3] >= second[3] else (second, first)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def receipt_currency(text: str) -> tuple[str, bool] | None:
    """The currency of a receipt whose country its text names, and whether two cues agree
    on it: two country cues, or one and the currency printed beside its amounts ("SDN
    BHD" above "TOTAL RM 7.42"). A currency of another country printed more often than
    the country's own is the receipt's, for a person to confirm ("( S$ )" under an
    address abroad); one printed twice and more often contradicts the country."""
    cues = {code: {m.group(0).lower() for m in pattern.finditer(text)}
            for code, pattern in _COUNTRY_CUES.items()}  # fmt: skip
    named = {code: found for code, found in cues.items() if found}
    if len(named) != 1:
        return None
    ((code, found),) = named.items()
    printed = printed_currencies(text)
    ours = printed.pop(code, 0)
    if code in _DOLLAR_COUNTRIES:  # a bare "$" is the country's own dollar
        ours += len(_BARE_DOLLAR.findall(text))
    if printed:
        (other, times), *rest = printed.most_common()
        if times > ours and not (rest and rest[0][1] == times):
            return other, False
    return code, len(found) >= 2 or ours >= 1


# Legal forms that read as currency codes: "SDN BHD 12345" is no Bahraini dinar.
_LEGAL_FORMS = re.compile(r"\bsdn\.?\s*bhd\b", re.IGNORECASE)
# A currency marker printed against an amount ("RM 7.42", "7,42 EUR") or as a column's
# unit ("Amt (RM)", "Amount RM"): the ringgit's "RM" is printed alone too. A bare "$"
# names no one currency (and OCR reads an "S" or a "5" as one): it does not count.
_PRINTED_MARKER = re.compile(
    r"(?<![A-Za-z])(RM|[A-Z]{1,2}\$|[A-Z]{3}|[€£¥₹])\s?(?=\d)"
    r"|(?<=\d)\s?([A-Z]{3}|[€£])(?![A-Za-z])"
    r"|\(\s*(RM|[A-Z]{1,2}\$|[A-Z]{3}|[€£])(?![A-Za-z])"
    r"|(?<![A-Za-z])(RM)(?![A-Za-z])"
)


def printed_currencies(text: str) -> Counter[str]:
    """How often each currency (ISO code) is printed beside the document's amounts."""
    found: Counter[str] = Counter()
    for match in _PRINTED_MARKER.finditer(_LEGAL_FORMS.sub(" ", text)):
        code = resolve_marker(next(g for g in match.groups() if g))
        if code is not None:
            found[code] += 1
    return found


def merge_receipt_fields(
    fields: Sequence[Field], source: TextWithOffsets, hints: NormalizeHints
) -> tuple[Field, ...]:
    """The fields with the receipt's total, date and tax from its lines where found (a
    confirmed value above the auto bar, a labelled one below it), and the currency its
    country implies where it prints none."""
    out = list(fields)
    total = receipt_total(source.text, hints)
    implied = receipt_currency(source.text)
    sure_country = implied[0] if implied is not None and implied[1] else None
    order: DateOrder | None = (
        "DMY" if sure_country in _DAY_FIRST else "MDY" if sure_country in _MONTH_FIRST else None
    )
    if order is not None and infer_date_order(source.text) is None:
        # The country settles the order; a stray "$" made the hints guess month-first.
        hints = replace(hints, date_order=order)
    for name, found in (
        ("total_amount", total),
        ("receipt_date", receipt_date(source.text, hints, order_known=order is not None)),
        ("tax_amount", receipt_tax(source.text, hints, total)),
    ):
        index = next((i for i, f in enumerate(out) if f.name == name), None)
        current = out[index] if index is not None else None
        if found is None:
            # An amount the receipt's own arithmetic does not bear out waits for a person,
            # however sure the model is: on held-out synthetic receipts the model read the
            # net of a VAT line ("A 7% Net 79.14 5.54") as the tax at 0.97.
            if index is not None and current is not None and name in _ARITHMETIC_FIELDS:
                capped = min(current.confidence, LABELLED_CONFIDENCE)
                out[index] = replace(current, confidence=capped)
            continue
        confidence = CONFIRMED_CONFIDENCE if found.confirmed else LABELLED_CONFIDENCE
        agrees = current is not None and current.value == found.value
        if current is not None and agrees and (found.confirmed or name not in _ARITHMETIC_FIELDS):
            confidence = max(confidence, current.confidence)  # two readers agree
        page, box = words_geometry(source.words_in(found.start, found.end))
        field = Field(name, found.raw, found.value, confidence, page, box, "rule")
        if index is None:
            out.append(field)
        else:
            out[index] = field
    if implied is not None:
        code, sure = implied
        index = next((i for i, f in enumerate(out) if f.name == "currency"), None)
        confidence = CONFIRMED_CONFIDENCE if sure else LABELLED_CONFIDENCE
        field = Field("currency", code, code, confidence, source="rule")
        if index is None:
            out.append(field)
        elif out[index].value is None:  # the model's span names no currency ("RM:")
            out[index] = field
        elif out[index].value == code:  # the printed currency and the country agree
            out[index] = replace(out[index], confidence=max(out[index].confidence, confidence))
        else:  # a stray "£" against a Malaysian address: sure when outnumbered in print
            printed = printed_currencies(source.text)
            if not (sure and printed[code] > printed[out[index].value or ""]):
                confidence = min(out[index].confidence, DISAGREE_CONFIDENCE)
            out[index] = Field("currency", code, code, confidence, source="rule")
    return tuple(out)


def _lines(text: str) -> list[tuple[int, str]]:
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


# Tax rates a receipt may not print beside its tax summary; printed ones come first.
_COMMON_RATES = tuple(Decimal(r) / 100 for r in (5, 6, 7, 8, 9, 10, 12, 15, 16, 19, 20, 21, 25))


def _grossed_up(
    line: str, amounts: list[tuple[str, int, int, Decimal]], hints: NormalizeHints
) -> set[Decimal]:
    """A tax summary's row, its rate and its base ("SR@6% 103.49"), read as the sum it
    makes with its tax (109.70), to the cent: a total line that prints it is confirmed
    although OCR lost the row's own tax ("103.49 EAU"). Total lines print no base."""
    share = _line_rate(line, hints)
    if share is None or not 0 < share < 100 or _TOTAL.search(line):
        return set()
    return {_cents(a[3] * (100 + share) / 100) for a in amounts}


def _line_rate(line: str, hints: NormalizeHints) -> Decimal | None:
    """The first rate a line prints, in percent ("SR @6. 00%" is 6.00)."""
    rate = _RATE.search(line)
    percent = normalize("number", _unspaced(rate.group(1)), hints) if rate else None
    return Decimal(percent.value) if percent else None


def _printed_rates(text: str, hints: NormalizeHints) -> tuple[Decimal, ...]:
    printed = []
    for match in _RATE.finditer(text):
        rate = normalize("number", match.group(1), hints)
        if rate is not None:
            try:
                printed.append(Decimal(rate.value) / 100)
            except InvalidOperation:
                continue
    return (*[r for r in printed if 0 < r < 1], *_COMMON_RATES)


def _is_tax_breakdown(
    amounts: list[tuple[str, int, int, Decimal]],
    rates: tuple[Decimal, ...],
    subtotals: set[Decimal],
) -> bool:
    """A line whose last amount is a tax rate of the amount before it ("Total 26.89
    1.61" under a GST summary at 6 %), or a smaller amount after the printed sub total
    ("Total : 93.40 8.60", its tax misread): the tax table's total, not the sum paid."""
    if len(amounts) < 2:
        return False
    base, tax = amounts[-2][3], amounts[-1][3]
    if base in subtotals and tax < base:
        return True
    return any(abs(_cents(base * rate) - tax) <= Decimal("0.01") for rate in rates)


def _amounts(
    line: str, offset: int, hints: NormalizeHints, unsigned: bool = False
) -> list[tuple[str, int, int, Decimal]]:
    """The line's amounts above zero; ``unsigned`` reads "-20.00" as 20.00."""
    out = []
    for match in _AMOUNT.finditer(line):
        normalized = normalize("amount", _unspaced(match.group(0)), hints)
        if normalized is None:
            continue
        try:
            amount = Decimal(normalized.value)
        except InvalidOperation:
            continue
        if unsigned:
            amount = abs(amount)
        if amount > 0:
            out.append((match.group(0), offset + match.start(), offset + match.end(), amount))
    return out


def _adjustments(line: str, hints: NormalizeHints) -> set[Decimal]:
    """The sizes of the adjustments a rounding line prints, whatever their sign."""
    out = set()
    for match in _AMOUNT.finditer(line):
        normalized = normalize("amount", _unspaced(match.group(0)), hints)
        if normalized is not None:
            try:
                out.add(abs(Decimal(normalized.value)))
            except InvalidOperation:
                continue
    return {a for a in out if 0 < a < _MAX_ADJUSTMENT}


def _unspaced(raw: str) -> str:
    """An amount as printed, without the space OCR put after its point ("6. 00")."""
    return re.sub(r"\.\s(\d{2})$", r".\1", raw)


def _ambiguous(raw: str) -> bool:
    """A numeric date whose day and month could swap (03/04/2018): no second print
    settles its order."""
    parts = re.findall(r"\d+", raw)
    if len(parts) != 3 or len(parts[0]) == 4:
        return False
    first, second = int(parts[0]), int(parts[1])
    return first != second and first <= 12 and second <= 12
