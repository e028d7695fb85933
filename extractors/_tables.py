"""Line items and paid invoices, read from the table lines of a document's text.

A table row is a line whose tokens include numbers; the header line above it (``Qty
Description Unit price Amount``, ``Pos. Bezeichnung Menge Einzelpreis Betrag``,
``Désignation Qté P.U. Montant``) says which column is which, in any order. The
header alone is not trusted: a line item is accepted only when some quantity times
some unit price equals some amount (to the cent), which both picks the right number
columns and rejects lines that merely contain numbers (totals, addresses, bank lines).
Space-grouped thousands (``1 234,56``) are two words; both readings are tried and the
arithmetic decides.

Confidence is fixed per evidence class and was measured on the synthetic held-out set
(``bench/bench_extraction.py`` prints per-field accuracy): a row whose columns the
header named and whose arithmetic holds is rarely wrong; a row found by arithmetic
alone (no header) is less sure. OCR word confidence scales it down. A row followed by a
line of text with no amount of its own, starting under its description (a description
wrapped onto a second line, or a reference or note under the row), keeps the first line
as its description, "continued" and below the auto bar: which of the two the extra line
is, no rule here tells reliably, and a cut description entered in the ERP is wrong (all
45 wrong descriptions on 240 held-out text-layer documents were wrapped ones, read at
"header" confidence).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from clerk.documents import Box, Field, LineItem, TextWithOffsets, Word
from extractors.normalize import NormalizeHints, format_amount, normalize
from extractors.normalize.currency import ISO_4217

ITEM_TYPES = ("invoice", "purchase_order")  # line items; a remittance advice's paid invoices
CONFIDENCE = {
    "header": 0.97,
    "arithmetic": 0.85,
    "unchecked": 0.3,
    "continued": 0.8,
    "paid_header": 0.95,
    "paid": 0.9,
}

# Header phrases per column role, lower-case, punctuation-stripped words: EN/DE/FR, then
# the Dutch, Spanish, Italian and Polish ones real invoices (and the corpus) print.
_ROLES: dict[str, tuple[str, ...]] = {
    "position": (
        "pos", "position", "nr", "no", "#", "n°", "ligne", "line", "item no",
        "línea", "riga", "lp", "l p", "nº",
    ),
    "sku": (
        "sku", "art nr", "art no", "artikelnr", "artikel nr", "article no", "réf", "ref", "code",
        "artikelnummer", "código", "codice", "cod art", "indeks", "kod",
    ),
    "description": (
        "description", "item", "items", "article", "product", "service", "bezeichnung",
        "beschreibung", "artikel", "leistung", "désignation", "libellé", "produit",
        "particulars", "artikelbezeichnung", "prestation",
        "omschrijving", "descripción", "concepto", "artículo", "producto", "descrizione",
        "articolo", "prodotto", "nazwa", "opis", "nazwa towaru lub usługi", "towar/usługa",
        "nazwa towaru", "nazwa towaru/usługi",
    ),
    "quantity": (
        "qty", "quantity", "units", "menge", "anzahl", "anz", "stück", "qté", "quantité", "qte",
        "verbrauch", "usage", "consumption",
        "aantal", "aant", "cant", "cantidad", "uds", "q tà", "quantità", "qtà", "qta", "ilość",
        # time billed: hours or days times a rate
        "hours", "hrs", "heures", "stunden", "std", "uren", "horas", "ore", "godziny", "godz",
        "days", "jours", "tage", "dagen", "días", "giorni", "dni",
    ),
    "unit_price": (
        "unit price", "price", "rate", "einzelpreis", "preis", "e preis", "stückpreis",
        "prix unitaire", "pu", "p u", "pu ht", "p u ht", "prix", "unit cost",
        "prijs", "stuksprijs", "eenheidsprijs", "precio", "precio unit", "precio unitario",
        "p unitario", "prezzo", "prezzo unitario", "prezzo unit", "cena", "cena netto",
        "cena jedn", "cena jednostkowa",
        "arbeitspreis", "prix/h", "rate/h", "€/h", "$/h", "£/h", "hourly rate", "stundensatz",
        "taux horaire", "tarif", "uurtarief", "tarifa", "tariffa", "stawka godzinowa",
    ),
    "amount": (
        "amount", "total", "line total", "net", "netto", "betrag", "gesamt",
        "gesamtpreis",
        "summe", "montant", "total ht", "montant ht", "g preis", "ext price",
        "positionsbetrag", "total ligne",
        "bedrag", "totaal", "importe", "subtotal", "importo", "totale", "wartość",
        "wartość netto", "kwota",
    ),
    "tax_rate": (
        "vat", "tax", "mwst", "ust", "tva", "vat %", "tax rate",
        "btw", "btw %", "iva", "iva %", "% iva", "aliquota", "stawka vat", "stawka",
    ),
    "unit": ("unit", "einheit", "unité"),
    "invoice_number": (
        "invoice", "invoice no", "invoice number", "rechnung", "rechnungsnr",
        "rechnungsnummer", "rechnung nr", "facture", "n° facture", "no facture",
        "numéro de facture", "reference", "referenz", "référence", "belegnummer", "beleg nr",
        "re nr", "rechnungs nr", "inv #", "inv number", "bill no", "document no", "pièce n°",
        "réf facture", "facture n°",
    ),
    "date": ("date", "datum", "invoice date", "rechnungsdatum", "date facture"),
    "invoice_amount": (
        "invoice amount", "rechnungsbetrag", "montant facture", "original amount", "gross",
    ),
    "discount": ("discount", "skonto", "escompte", "remise", "abzug"),
    "paid": (
        "paid", "amount paid", "payment", "bezahlt", "zahlbetrag", "gezahlt", "payé",
        "montant payé", "réglé", "montant réglé",
    ),
}  # fmt: skip


def _by_words(roles: dict[str, tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """Phrase (as words) -> role; a phrase listed under two roles keeps the first."""
    out: dict[tuple[str, ...], str] = {}
    for role, phrases in roles.items():
        for phrase in phrases:
            out.setdefault(tuple(phrase.split()), role)
    return out


_PHRASE_ROLES = _by_words(_ROLES)
_LONGEST_PHRASE = max(len(phrase) for phrase in _PHRASE_ROLES)
# Labels of a detail line under a row (an article number, a serial, a note), beside
# the SKU column's own header words.
_DETAIL_LABELS = frozenset(_ROLES["sku"]) | frozenset(
    (
        "art-nr", "article", "référence", "reference", "item no", "part no",
        "serial", "serial no", "s/n", "sn", "seriennr", "note", "notiz", "remarque",
        "period", "zeitraum", "période", "lieferschein", "delivery note", "ean", "gtin",
    )
)  # fmt: skip
_CODE = re.compile(r"(?=.*\d)[A-Za-z0-9][A-Za-z0-9./-]{2,}")
# A line with an e-mail, a web address or a percent is a note, not a description's end.
_NOT_PROSE = re.compile(r"@|https?://|www\.|%")

_STOP = frozenset((
    "total", "subtotal", "sub-total", "summe", "gesamt", "gesamtbetrag", "zwischensumme",
    "net", "netto", "tax", "vat", "mwst", "ust", "tva", "ttc", "ht", "sous-total",
    "montant", "totals", "grand",
    "totaal", "subtotaal", "btw", "base", "iva", "importe", "totale", "subtotale",
    "imponibile", "imposta", "razem", "suma", "wartość", "kwota", "podatek",
))  # fmt: skip
_UNIT_WORDS = frozenset((
    "pcs", "pc", "pce", "pces", "x", "h", "hrs", "hours", "std", "stk", "stück", "st", "kg",
    "ea", "each", "units", "unit", "piece", "pieces", "pièce", "pièces", "heures", "jours",
    "days", "tage",
))  # fmt: skip
_CURRENCY = re.compile(r"^(?:€|\$|£|EUR|USD|GBP|CHF|Fr\.|SFr\.)$")
# OCR reads 0 as O and 1 as l or I inside numbers; the amount normalizer repairs them.
_NUMERIC = re.compile(
    r"^[-+(]?(?:€|\$|£|CHF|EUR|USD|GBP)?[\d.,'’OolI]*\d[\d.,'’OolI]*-?\)?(?:€|%)?$"
)
# A price per unit of what is billed, printed onto the price: "0,11/Min.", "85,00/h".
_PER_UNIT = re.compile(r"/[^\W\d_]{1,5}\.?$")
_ID = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9/_.\-]{2,}$")
_CODE = re.compile(r"^[A-Z]{1,3}-?\d{3,}$")  # an article number before the description
_CENT = Decimal("0.01")
_AMOUNT_WITH_CENTS = re.compile(r"\d[.,]\d{2}(?!\d)")


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Num:
    value: Decimal
    tokens: tuple[_Token, ...]

    @property
    def start(self) -> int:
        return self.tokens[0].start


@dataclass(frozen=True)
class _Line:
    tokens: tuple[_Token, ...]
    page: int = 1

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


def parse_tables(
    source: TextWithOffsets, doc_type: str, hints: NormalizeHints | None = None
) -> tuple[LineItem, ...]:
    """The rows of a document's table: line items (invoice, PO) with the cells
    description, quantity, unit_price, amount, or paid invoices (remittance advice) with
    invoice_number, amount; each cell named by its column."""
    if doc_type in ITEM_TYPES:
        return _line_items(source, hints)
    if doc_type == "remittance_advice":
        return _paid_invoices(source, hints)
    return ()


def header_roles(line: str) -> list[str]:
    """The column roles a header line names, left to right (empty if it is no header)."""
    return list(_header_roles(line))


@functools.lru_cache(maxsize=4096)
def _header_roles(line: str) -> tuple[str, ...]:
    # Every line of every document is asked, often twice, and letterheads and totals
    # repeat between documents: the answer is kept per line text.
    words: list[str] = []
    for word in line.lower().split():
        stripped = word.strip(".:()|")
        words.extend(stripped.replace(".", " ").replace("-", " ").split() or [stripped])
    roles: list[str] = []
    i = 0
    while i < len(words):
        # The longest phrase starting here wins ("unit price" over "unit").
        for size in range(min(_LONGEST_PHRASE, len(words) - i), 0, -1):
            role = _PHRASE_ROLES.get(tuple(words[i : i + size]))
            if role is not None:
                if role not in roles:
                    roles.append(role)
                i += size
                break
        else:
            i += 1
    return tuple(roles)


def _is_item_header(roles: Sequence[str]) -> bool:
    return "quantity" in roles and ("amount" in roles or "unit_price" in roles)


def _is_paid_header(roles: Sequence[str]) -> bool:
    money = {"amount", "paid", "invoice_amount"}
    return "invoice_number" in roles and bool(money & set(roles))


def _lines(source: TextWithOffsets) -> Iterator[_Line]:
    start = 0
    page = 1
    text = source.text
    for match in re.finditer(r"[\n\f]|$", text):
        chunk = text[start : match.start()]
        tokens = tuple(
            _Token(m.group(0), start + m.start(), start + m.end())
            for m in re.finditer(r"\S+", chunk)
        )
        if tokens:
            yield _Line(tokens, page)
        page += match.group(0) == "\f"
        start = match.end()
        if match.start() == len(text):
            break


def _number(tokens: Sequence[_Token], kind: str, hints: NormalizeHints | None) -> _Num | None:
    raw = " ".join(t.text for t in tokens)
    result = normalize("amount" if kind == "amount" else "number", raw, hints)
    if result is None:
        return None
    try:
        return _Num(Decimal(result.value), tuple(tokens))
    except ArithmeticError:
        return None


def _readings(line: _Line, hints: NormalizeHints | None) -> list[list[_Num | _Token]]:
    """The line as numbers and words, once per way of joining space-grouped thousands."""
    base: list[_Num | _Token] = []
    for token in line.tokens:
        unit = _PER_UNIT.search(token.text)
        if unit is not None and _NUMERIC.match(token.text[: unit.start()]):
            token = _Token(token.text[: unit.start()], token.start, token.start + unit.start())
        if _NUMERIC.match(token.text) and not token.text.endswith("%"):
            number = _number([token], "amount", hints)
            base.append(number if number is not None else token)
        else:
            base.append(token)
    joins = [
        i
        for i in range(len(base) - 1)
        if isinstance(base[i], _Num)
        and isinstance(base[i + 1], _Num)
        and re.fullmatch(r"\d{1,3}", line.tokens[i].text)
        and re.match(r"\d{3}(?:[.,]\d{1,2})?$", line.tokens[i + 1].text)
    ][:3]
    readings: list[list[_Num | _Token]] = []
    for chosen in itertools.chain.from_iterable(
        itertools.combinations(joins, k) for k in range(len(joins) + 1)
    ):
        reading: list[_Num | _Token] = []
        skip = False
        for i, item in enumerate(base):
            if skip:
                skip = False
                continue
            if i in chosen:
                first, second = base[i], base[i + 1]
                assert isinstance(first, _Num) and isinstance(second, _Num)
                joined = _number([*first.tokens, *second.tokens], "amount", hints)
                if joined is not None:
                    reading.append(joined)
                    skip = True
                    continue
            reading.append(item)
        readings.append(reading)
    return readings


def _item_row(
    line: _Line, roles: Sequence[str], hints: NormalizeHints | None
) -> tuple[_Num, _Num, _Num, list[_Token]] | None:
    """(quantity, unit price, amount, description words) if the arithmetic holds."""
    order = [r for r in roles if r in ("quantity", "unit_price", "amount")]
    # A number inside the description ("Coffee beans 1 kg") can pass for a quantity:
    # take the one on the quantity column's side of the description.
    quantity_after_text = (
        "description" in roles and "quantity" in roles
        and roles.index("description") < roles.index("quantity")
    ) or "description" not in roles  # fmt: skip
    best: tuple[tuple[int, ...], tuple[_Num, _Num, _Num], list[_Num | _Token]] | None = None
    for reading in _readings(line, hints):
        numbers = [x for x in reading if isinstance(x, _Num)]
        for q, u, a in itertools.permutations(numbers, 3):
            if q.value <= 0 or abs(q.value * u.value - a.value) > _CENT:
                continue
            if not (_has_cents(u) and _has_cents(a)):
                continue  # prices print cents; "2 x 09 = 18" in a phone number does not
            positions = {"quantity": q.start, "unit_price": u.start, "amount": a.start}
            seen = sorted(positions, key=lambda r: positions[r])
            if order and [r for r in seen if r in order] != order:
                continue  # under a header, columns come in the header's order
            # Joined thousands first, then "qty price amount", then the amount furthest
            # right, then a whole quantity (q and u commute in the product).
            rank = (
                # "1 250,00" joined: a space-grouped amount is more likely than a stray "1"
                sum(len(n.tokens) > 1 for n in (q, u, a)),
                seen == ["quantity", "unit_price", "amount"],
                numbers.index(a),
                q.value == q.value.to_integral_value(),
                numbers.index(q) if quantity_after_text else -numbers.index(q),
            )
            if best is None or rank > best[0]:
                best = (tuple(int(r) for r in rank), (q, u, a), reading)
    if best is None:
        return None
    (q, u, a), reading = best[1], best[2]
    return q, u, a, _description(reading, {id(q), id(u), id(a)}, roles)


def _unchecked_row(
    line: _Line, roles: Sequence[str], hints: NormalizeHints | None
) -> tuple[_Num, _Num, _Num, list[_Token]] | None:
    order = [r for r in roles if r in ("quantity", "unit_price", "amount")]
    if len(order) != 3:
        return None
    reading = _readings(line, hints)[-1]
    numbers = [x for x in reading if isinstance(x, _Num)]
    if len(numbers) < 3:
        return None
    by_role = dict(zip(order, numbers[-3:], strict=True))
    q, u, a = by_role["quantity"], by_role["unit_price"], by_role["amount"]
    words = _description(reading, {id(q), id(u), id(a)}, roles)
    if not words or len(numbers) > 3 + ("position" in roles) + 1:
        return None
    if not (_has_cents(u) and _has_cents(a)):
        return None
    # The three numbers must sit together as columns do: only currency markers and
    # rates between them, except where the header puts the description.
    columns = [r for r in roles if r in ("quantity", "unit_price", "amount", "description")]
    used = sorted((q, u, a), key=lambda n: n.start)
    for left, right in itertools.pairwise(used):
        between = reading[reading.index(left) + 1 : reading.index(right)]
        roles_between = columns[
            columns.index(_role(by_role, left)) + 1 : columns.index(_role(by_role, right))
        ]
        if "description" not in roles_between and any(
            isinstance(x, _Token) and not _CURRENCY.match(x.text) and "%" not in x.text
            for x in between
        ):
            return None
    return q, u, a, words


def _role(by_role: dict[str, _Num], number: _Num) -> str:
    return next(role for role, n in by_role.items() if n is number)


def _description(
    reading: Sequence[_Num | _Token], used: set[int], roles: Sequence[str]
) -> list[_Token]:
    """The stretch of words between the row's used numbers that has the most letters,
    without a leading position number, article code or unit, or a trailing currency."""
    gaps: list[list[_Token]] = [[]]
    for item in reading:
        if isinstance(item, _Num) and id(item) in used:
            gaps.append([])
        elif isinstance(item, _Num):
            gaps[-1].extend(item.tokens)
        else:
            gaps[-1].append(item)
    best = max(gaps, key=lambda g: sum(len(re.findall(r"[^\W\d_]", t.text)) for t in g))

    def leading_column(token: _Token) -> bool:
        text = token.text
        return bool(
            re.fullmatch(r"\d{1,3}\.?", text)
            or _CURRENCY.match(text)
            or text.lower().strip(".") in _UNIT_WORDS
        )

    while len(best) > 1 and leading_column(best[0]):
        best = best[1:]
    # One article number ("K12345", or any code with digits under a SKU header).
    if len(best) > 1 and (
        _CODE.match(best[0].text) or ("sku" in roles and re.search(r"\d", best[0].text))
    ):
        best = best[1:]
    while best and _CURRENCY.match(best[-1].text):
        best = best[:-1]
    return best


def _line_items(source: TextWithOffsets, hints: NormalizeHints | None) -> tuple[LineItem, ...]:
    lines = list(_lines(source))
    # Rows count only under a header; a document with no recognisable header is read by
    # arithmetic alone, with less confidence.
    headed = any(_is_item_header(header_roles(line.text)) for line in lines)
    rows: list[list[Field]] = []
    roles: list[str] = []
    in_table = False  # the header or a row came just before (page furniture aside)
    last_page, gap = 0, 0
    last_row: tuple[int, _Line, _Token] | None = None  # the line before's row
    for line in lines:
        above, last_row = last_row, None
        found = header_roles(line.text)
        if _is_item_header(found):
            roles, in_table, last_page, gap = found, True, line.page, 0
            continue
        if line.tokens[0].text.lower().strip(":.") in _STOP:
            roles = []
            continue
        if headed and not (roles and in_table):
            continue
        row = _item_row(line, roles, hints)
        base = CONFIDENCE["header" if roles else "arithmetic"]
        if row is None and roles:
            # A misread digit breaks the product; keep the row (and the numbering of
            # the rows after it) from the header's column order, for a person to check.
            row, base = _unchecked_row(line, roles, hints), CONFIDENCE["unchecked"]
        if row is not None and row[3]:
            in_table, last_page, gap = True, line.page, 0
        else:
            # A table goes on over a page break (page number, repeated letterhead) but
            # ends a couple of lines after its last row on the same page.
            gap += 1
            in_table = in_table and (gap <= 8 if line.page > last_page else gap <= 2)
        if row is None:
            if above is not None and _continues(source, line, above[1], above[2]):
                kind = _continuation(line)
                described = rows[above[0]][0]
                if kind == "wrap":
                    rows[above[0]][0] = _joined(source, described, line)
                elif kind == "unclear":
                    confidence = min(described.confidence, CONFIDENCE["continued"])
                    rows[above[0]][0] = replace(described, confidence=confidence)
                last_row = above  # a description may wrap over more than two lines
            continue
        q, u, a, words = row
        if not words:
            continue
        parts = (
            ("description", words, " ".join(t.text for t in words)),
            ("quantity", list(q.tokens), _plain(q.value)),
            ("unit_price", list(u.tokens), format_amount(u.value)),
            ("amount", list(a.tokens), format_amount(a.value)),
        )
        last_row = (len(rows), line, words[0])
        rows.append([_field(source, name, tokens, value, base) for name, tokens, value in parts])
    return tuple(LineItem(tuple(cells)) for cells in rows)


def _paid_invoices(source: TextWithOffsets, hints: NormalizeHints | None) -> tuple[LineItem, ...]:
    """Rows shaped ``<invoice number> [<date>] <amount>...``: the shape alone is specific
    (an id with digits first, nothing but a date between it and amounts with cents),
    so rows count with or without a header; a header above them raises confidence and
    says which amount is the one paid (``Invoice amount  Discount  Paid``)."""
    rows: list[LineItem] = []
    roles: list[str] = []
    for line in _lines(source):
        found = header_roles(line.text)
        if _is_paid_header(found):
            roles = found
            continue
        row = _paid_row(line, hints)
        if row is None:
            continue
        number, amounts = row
        money = [r for r in roles if r in ("invoice_amount", "amount", "discount", "paid")]
        paid = "paid" if "paid" in money else "amount"
        if paid in money and len(money) == len(amounts):
            amount = amounts[money.index(paid)]
        else:
            amount = amounts[-1]
        confidence = CONFIDENCE["paid_header" if roles else "paid"]
        value = format_amount(amount.value)
        cells = (
            _field(source, "invoice_number", [number], number.text, confidence),
            _field(source, "amount", list(amount.tokens), value, confidence),
        )
        rows.append(LineItem(cells))
    return tuple(rows)


def _paid_row(line: _Line, hints: NormalizeHints | None) -> tuple[_Token, list[_Num]] | None:
    first = line.tokens[0]
    if len(line.tokens) < 2 or not _ID.match(first.text) or _is_date(first.text, hints):
        return None
    reading = _readings(line, hints)[-1]  # every space-grouped amount joined
    rest = [x for x in reading[1:] if not (isinstance(x, _Token) and _CURRENCY.match(x.text))]
    amounts: list[_Num] = []
    while rest:
        last = rest[-1]
        if not (isinstance(last, _Num) and _has_cents(last)):
            break
        amounts.insert(0, last)
        rest.pop()
    if not amounts:
        return None
    middle = [t for x in rest for t in (x.tokens if isinstance(x, _Num) else (x,))]
    if middle and normalize("date", " ".join(t.text for t in middle), hints) is None:
        return None
    return first, amounts


def _continues(source: TextWithOffsets, line: _Line, row: _Line, description: _Token) -> bool:
    """``line`` may carry on ``row``'s description: on the same page, printing no amount
    (text, or a code like ``X88444``; not a totals line), and starting under the
    description's first word where the words have boxes ("All amounts in EUR" at the
    left margin under a table whose description column is not the first is a note)."""
    if line.page != row.page or any(_AMOUNT_WITH_CENTS.search(t.text) for t in line.tokens):
        return False
    first = source.words_in(line.tokens[0].start, line.tokens[0].end)
    column = source.words_in(description.start, description.end)
    if not (first and column and first[0].box and column[0].box):
        return True  # no geometry: the safe side
    a, b = first[0].box, column[0].box
    return abs(a.x0 - b.x0) <= (b.y1 - b.y0) * 0.5


def _continuation(line: _Line) -> str:
    """What a line under a row's description is: "detail" when it is labelled (``Art.-Nr.
    X88444``, ``SKU: 4711``, ``Serial no: 12``) or a bare code (``X88444``), so the row's
    first line is its whole description; "wrap" when it is plain words carrying the
    description on (``M8 verzinkt``, ``500 Blatt``); "unclear" otherwise."""
    first = line.tokens[0].text
    # "Art.-Nr." is "art-nr", "Art. No." is "art no": a label's abbreviation dots aside.
    label = first.lower().strip(".:#").replace(".", "")
    two = " ".join(t.text.lower().strip(".:#").replace(".", "") for t in line.tokens[:2])
    if first.endswith(":") or label in _DETAIL_LABELS or two in _DETAIL_LABELS:
        return "detail"
    if len(line.tokens) == 1 and _CODE.fullmatch(first):
        return "detail"
    # A currency code alone ("Devise EUR", "Currency: USD") is a label's value under
    # the table, not the description's end.
    coded = any(t.text.strip(".:,()") in ISO_4217 for t in line.tokens)
    if any(ch.isalpha() for ch in line.text) and not _NOT_PROSE.search(line.text) and not coded:
        return "wrap"
    return "unclear"


def _joined(source: TextWithOffsets, described: Field, line: _Line) -> Field:
    """The description with the wrapped line's words after it; the box grows over both."""
    words = source.words_in(line.tokens[0].start, line.tokens[-1].end)
    box = described.box
    for word in words:
        if word.box is not None and word.page == described.page:
            box = word.box if box is None else box.union(word.box)
    ocr = min((w.confidence for w in words), default=1.0)
    return replace(
        described,
        raw=f"{described.raw} {line.text}",
        value=f"{described.value} {line.text}",
        confidence=round(described.confidence * ocr, 4),
        box=box,
    )


def _is_date(text: str, hints: NormalizeHints | None) -> bool:
    return bool(re.search(r"\d[./-]\d", text)) and normalize("date", text, hints) is not None


def _has_cents(number: _Num) -> bool:
    return bool(re.search(r"[.,][\dOolI]{2}(?![\dOolI])", number.tokens[-1].text))


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def _field(
    source: TextWithOffsets, name: str, tokens: Sequence[_Token], value: str, base: float
) -> Field:
    words = source.words_in(tokens[0].start, tokens[-1].end)
    raw = source.text[tokens[0].start : tokens[-1].end]
    ocr = min((w.confidence for w in words), default=1.0)
    page, box = words_geometry(words)
    return Field(name, raw, value, round(base * ocr, 4), page, box, "rule")


def words_geometry(words: Sequence[Word]) -> tuple[int | None, Box | None]:
    """The page of the first word and the union of the boxes on that page."""
    if not words:
        return None, None
    page = words[0].page
    box: Box | None = None
    for word in words:
        if word.page == page and word.box is not None:
            box = word.box if box is None else box.union(word.box)
    return page, box
