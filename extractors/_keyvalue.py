"""Key-value pairing by geometry: a printed label and the value beside or under it.

A text-only NER reads ``Invoice No. Invoice date Due date`` / ``INV-7 03.08.2024
02.09.2024`` as two unrelated lines; on the page, each value sits under its label. This
module finds label phrases (EN/DE/FR/NL/ES/IT/PL, ``extractors._keyvalue_lexicon``) in
a document's words and pairs each with the value to its right on the same line or,
failing that, directly below it (the next line's run of words that overlaps the label
horizontally). A value is kept only when the field kind's normalizer accepts it and it
has the field's shape (an id has a digit, a name has letters and is not itself a label).
A tax rate printed with its label ("Tax 8%", "VAT (20%)", "TVA 20 %", "VAT @ 20%",
"GST@6%", "IVA al 22%", and the base it applies to: "VAT 20% on 200.00") belongs to the
label, so the value read is the amount after it.

It needs ``Word.box``: words without geometry (plain text, e-mail, spreadsheets) give no
candidates. ``extractors._reconcile`` merges the candidates into the NER's fields.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from clerk.documents import Box, Document, Word
from clerk.schemas import SCHEMAS, FieldKind
from extractors._keyvalue_lexicon import (
    BUYERS_ORDER,
    DOCUMENT_DATE,
    DOCUMENT_DATES,
    LEXICON,
    SIGNATURE,
)
from extractors.normalize import NormalizeHints, normalize

# Amount labels pair with a value on their own line only: under a table header's
# "Total" or "Net" is a line item, not the document's sum.
_SAME_LINE_ONLY: frozenset[FieldKind] = frozenset({"amount"})
_ID_FIELDS = frozenset({"invoice_number", "po_number"})
_NAME_FIELDS = frozenset({"vendor_name", "buyer_name", "payer_name", "merchant_name"})
_TOKEN = re.compile(r"n°|[^\W_]+|#|°")
# Letters NFKD does not decompose: "płatności" printed without its diacritics matches.
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i"})
_NUMERO = re.compile(r"n\s*\.\s*°")  # Spanish "N.º" is "Nº"
# A tax rate, as a word of its own ("8%", "(20%)", "@6%", "8,25%:") or glued to the end
# of a label's word ("GST@6%", "MwSt.19%", "BTW21%"); and "20" of "20 %".
_RATE = r"[(@]?\d{1,2}(?:[.,]\d{1,3})?%\)?[:.,]?"
_RATE_WORD = re.compile(rf"^{_RATE}$")
_RATE_TAIL = re.compile(rf"(?<!\d)(?<!\d[.,]){_RATE}$")
_RATE_NUMBER = re.compile(r"^\(?\d{1,2}(?:[.,]\d{1,3})?$")
_PERCENT = re.compile(r"^%\)?[:.,]?$")
# Folded words that may stand between a label and its rate ("VAT @ 20%", "TVA à 20%",
# "IVA al 22%"), and those that name the base a rate applies to ("VAT 20% on 200.00").
_RATE_LEADS = frozenset(("@", "(", "at", "a", "al", "zu"))
_BASE_LEADS = frozenset(
    ("of", "on", "over", "op", "van", "auf", "von", "sur", "de", "sobre", "su", "sul", "od")
)
_ROW_LOOKAHEAD = 2  # lines below a label searched for its value
_MAX_DROP = 3.0  # ... no further down than this many label heights


@dataclass(frozen=True)
class KeyValue:
    """A value that a label points at; ``layout`` says where it sat."""

    name: str
    raw: str
    value: str
    label: str
    layout: Literal["right", "below"]
    page: int
    box: Box
    generic: bool = False  # a bare "Date": yields to a label that names the date
    ocr: float = 1.0  # the lowest word confidence under the value; 1.0 for a text layer


@dataclass(frozen=True)
class _Label:
    role: str
    start: int  # word indexes in the line
    end: int
    box: Box


def _fold(text: str) -> str:
    text = text.replace("º", "°").replace("№", "n°").replace("’", "'")
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
    return _NUMERO.sub("n°", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(_fold(text)))


_PHRASES: dict[tuple[str, ...], str] = {
    _tokens(phrase): role for role, phrases in LEXICON.items() for phrase in phrases
}
_LONGEST = max(len(p) for p in _PHRASES)
_BUYERS_ORDER = frozenset(_tokens(phrase) for phrase in BUYERS_ORDER)


def prints_any(text: str, phrases: tuple[str, ...]) -> bool:
    """Whether a line of ``text`` holds one of ``phrases`` as whole words, matched as the
    labels are (case- and accent-insensitive, on tokens: "N° TVA intracom." holds
    "n° tva intracom")."""
    wanted, longest = _phrase_tokens(phrases)
    for line in text.splitlines():
        tokens = _tokens(line)
        for start in range(len(tokens)):
            for end in range(start + 1, min(start + longest, len(tokens)) + 1):
                if tokens[start:end] in wanted:
                    return True
    return False


@functools.cache
def _phrase_tokens(phrases: tuple[str, ...]) -> tuple[frozenset[tuple[str, ...]], int]:
    """``phrases`` as token tuples, and the longest one's length: tokenized once."""
    wanted = frozenset(_tokens(phrase) for phrase in phrases)
    return wanted, max((len(w) for w in wanted), default=0)


def names_the_buyers_order(kv: KeyValue) -> bool:
    """An order reference whose label names the buyer's purchase order ("PO #", "Ihre
    Bestellung"), not any order ("Order number", "Auftragsnummer")."""
    return kv.name == "po_number" and _tokens(kv.label) in _BUYERS_ORDER


def key_values(document: Document, doc_type: str, hints: NormalizeHints) -> list[KeyValue]:
    """Every label-value pair for ``doc_type``'s flat fields, in reading order."""
    schema = SCHEMAS.get(doc_type)
    if schema is None:
        return []
    kinds = {spec.name: spec.kind for spec in schema.fields}
    document_date = next((d for d in DOCUMENT_DATES if d in kinds), None)
    out: list[KeyValue] = []
    for page in document.pages:
        if not page.words or any(w.box is None for w in page.words):
            continue
        lines = _lines(page.words)
        labels = [_find_labels(line) for line in lines]
        for index, found in enumerate(labels):
            signed = any(label.role == SIGNATURE for label in found)
            for label in found:
                if label.role == DOCUMENT_DATE and signed:
                    continue  # the day a signature was made
                name = document_date if label.role == DOCUMENT_DATE else label.role
                if name is None or name not in kinds:
                    continue
                pair = _pair(name, kinds[name], label, index, lines, labels, hints)
                if pair is not None:
                    out.append(replace(pair, generic=label.role == DOCUMENT_DATE))
    named = {kv.name for kv in out if not kv.generic}
    return [kv for kv in out if not (kv.generic and kv.name in named)]


def _lines(words: Sequence[Word]) -> list[list[Word]]:
    rows: dict[int, list[Word]] = {}
    for word in words:
        rows.setdefault(word.line, []).append(word)
    return [sorted(rows[k], key=lambda w: _box(w).x0) for k in sorted(rows)]


def _box(word: Word) -> Box:
    assert word.box is not None  # pages without boxes are skipped before
    return word.box


def _height(words: Sequence[Word]) -> float:
    heights = sorted(_box(w).y1 - _box(w).y0 for w in words)
    return max(heights[len(heights) // 2], 1e-6)


def _gap_breaks(line: Sequence[Word]) -> list[bool]:
    """For each word, whether a wide gap (a column break) separates it from the previous
    one: wider than the line's text height, while a space is about a third of it."""
    height = _height(line)
    return [i > 0 and _box(w).x0 - _box(line[i - 1]).x1 > 0.9 * height for i, w in enumerate(line)]


def _runs(line: Sequence[Word]) -> list[int]:
    """Each word's run number: runs are separated by column breaks."""
    runs: list[int] = []
    for broken in _gap_breaks(line):
        runs.append(runs[-1] + broken if runs else 0)
    return runs


def _find_labels(line: Sequence[Word]) -> list[_Label]:
    texts = [w.text for w in line]
    # A word's tokens without a rate glued to its end ("GST@6%" is "gst"), and whether
    # it had one: such a word can end a label, not continue it.
    tails = [_RATE_TAIL.search(text) for text in texts]
    tokens = [
        _tokens(text if tail is None else text[: tail.start()])
        for text, tail in zip(texts, tails, strict=True)
    ]
    rated = [tail is not None for tail in tails]
    runs = _runs(line)
    found: list[_Label] = []
    i = 0
    while i < len(line):
        match = _match_at(tokens, rated, runs, i)
        if match is None:
            i += 1
            continue
        role, end = match
        end = _rate_end(texts, rated, runs, end)
        box = _box(line[i])
        for word in line[i + 1 : end]:
            box = box.union(_box(word))
        found.append(_Label(role, i, end, box))
        i = end
    return found


def _match_at(
    tokens: Sequence[tuple[str, ...]], rated: Sequence[bool], runs: Sequence[int], start: int
) -> tuple[str, int] | None:
    """The longest phrase that starts at word ``start`` and ends at a word's end, within
    one run of words (a label does not span a column break) and not past a rate."""
    if not tokens[start]:
        return None
    best: tuple[str, int] | None = None
    joined: tuple[str, ...] = ()
    for end in range(start, len(tokens)):
        if runs[end] != runs[start] or (rated[end] and not tokens[end]):
            break
        joined = joined + tokens[end]
        if len(joined) > _LONGEST:
            break
        role = _PHRASES.get(joined)
        if role is not None:
            best = (role, end + 1)
        if rated[end]:
            break
    return best


def _rate_end(texts: Sequence[str], rated: Sequence[bool], runs: Sequence[int], end: int) -> int:
    """Where a label that ends before word ``end`` ends once the tax rate printed after
    it in its run is counted in ("Tax 8%", "VAT (20 %)", "VAT @ 20%", "IVA al 22%"),
    with the base the rate applies to ("VAT 20% on £200.00", whose amount may sit in the
    next run); ``end`` if no rate follows."""
    run = runs[end - 1]

    def rate_at(i: int) -> int:  # how many words a rate spans from word i, or 0
        if i >= len(texts) or runs[i] != run:
            return 0
        if _RATE_WORD.match(texts[i]):
            return 1
        following = i + 1 < len(texts) and runs[i + 1] == run
        if following and _RATE_NUMBER.match(texts[i]) and _PERCENT.match(texts[i + 1]):
            return 2
        return 0

    if not rated[end - 1]:
        lead = int(end < len(texts) and runs[end] == run and _fold(texts[end]) in _RATE_LEADS)
        span = rate_at(end + lead)
        if not span:
            return end
        end += lead + span
    if end < len(texts) and runs[end] == run and _fold(texts[end]) in _BASE_LEADS:
        base = end + 1
        if base < len(texts) and not _has_digit(texts[base]) and len(texts[base]) <= 3:
            base += 1  # a currency before the amount: "on EUR 200.00"
        if base < len(texts) and _has_digit(texts[base]):
            return base + 1
    return end


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _pair(
    name: str,
    kind: FieldKind,
    label: _Label,
    index: int,
    lines: Sequence[Sequence[Word]],
    labels: Sequence[Sequence[_Label]],
    hints: NormalizeHints,
) -> KeyValue | None:
    line = lines[index]
    label_text = " ".join(w.text for w in line[label.start : label.end])
    right = _right_words(name, kind, line, label, labels[index])
    if right and kind == "amount" and _amounts_in_two_runs(right, hints):
        return None  # "TOTAL: ₹243.76 ₹1,598.00", a table's sums: which one is which?
    if right:
        value = _read(name, kind, right, hints)
        if value is None and kind == "iban":
            value = _read_wrapped(name, kind, right, lines[index + 1 : index + 2], hints)
        if value is not None:
            raw, normalized, box, ocr = value
            return KeyValue(name, raw, normalized, label_text, "right", line[0].page, box, ocr=ocr)
    if kind in _SAME_LINE_ONLY or not _standalone(line, label):
        return None
    height = label.box.y1 - label.box.y0
    for below in range(index + 1, min(index + 1 + _ROW_LOOKAHEAD, len(lines))):
        words = lines[below]
        if _box(words[0]).y0 - label.box.y1 > _MAX_DROP * height:
            return None
        run = _overlapping_run(words, label.box)
        if not run:
            continue
        if any(run[0] is words[lab.start] for lab in labels[below]):
            return None  # the next thing under the label is another label
        if name not in _NAME_FIELDS:
            # Two values set close together read as one run: a date, amount or id
            # starts under its label, not at the run's first word.
            first = next(i for i, w in enumerate(run) if _box(w).x1 > label.box.x0)
            run = run[first:]
        value = _read(name, kind, run, hints)
        if value is None:
            return None
        raw, normalized, box, ocr = value
        return KeyValue(name, raw, normalized, label_text, "below", words[0].page, box, ocr=ocr)
    return None


def _read_wrapped(
    name: str,
    kind: FieldKind,
    words: Sequence[Word],
    below: Sequence[Sequence[Word]],
    hints: NormalizeHints,
) -> tuple[str, str, Box, float] | None:
    """An IBAN the line wrapped ("IBAN NL63 INGB" / "0007 4412 90"): the words after the
    label joined with the next line's run under them or its first run, where the joined
    words pass the IBAN's check digits and the words alone did not; the check digits
    make a chance join all but impossible."""
    if not below:
        return None
    words = _first_run(words)
    nearby = below[0]
    if _box(nearby[0]).y0 - _box(words[0]).y1 > _MAX_DROP * _height(words):
        return None
    start = _box(words[0])
    under = _overlapping_run(nearby, Box(start.x0, start.y0, _box(words[-1]).x1, start.y1))
    for run in (under, _first_run(nearby)):
        if run:
            value = _read(name, kind, [*words, *run], hints)
            if value is not None and value[2].y1 > start.y1:
                return value
    return None


def _first_run(words: Sequence[Word]) -> Sequence[Word]:
    """The words before the first column break."""
    return words[: next((i for i, b in enumerate(_gap_breaks(words)) if b), len(words))]


def _amounts_in_two_runs(words: Sequence[Word], hints: NormalizeHints) -> bool:
    """Amounts stand in two runs of the words after an amount's label: a table's row of
    sums under its columns (the tax and the total), whose order says nothing of which
    column is the label's."""
    runs = 0
    amount_in_run = False
    for i, (word, broken) in enumerate(zip(words, _gap_breaks(words), strict=True)):
        if broken:
            amount_in_run = False
        if amount_in_run or not _has_digit(word.text) or _is_rate(words, i):
            continue
        if normalize("amount", word.text, hints) is not None:
            amount_in_run = True
            runs += 1
    return runs >= 2


def _standalone(line: Sequence[Word], label: _Label) -> bool:
    """The label is a run of its own (a heading over a column), not words in a sentence."""
    runs = _runs(line)
    first = runs[label.start]
    alone_before = label.start == 0 or runs[label.start - 1] != first
    alone_after = label.end == len(line) or runs[label.end] != first
    return alone_before and alone_after


def _right_words(
    name: str, kind: FieldKind, line: Sequence[Word], label: _Label, others: Sequence[_Label]
) -> list[Word]:
    """The words after the label, up to the next label: the rest of the label's run and
    the next run (only the first of these for ids, names and text)."""
    stop = min((o.start for o in others if o.start >= label.end), default=len(line))
    runs = _runs(line)
    words = list(range(label.end, stop))
    if not words:
        return []
    allowed = 1 if name in _ID_FIELDS or name in _NAME_FIELDS or kind == "text" else 2
    first = runs[words[0]]
    return [line[i] for i in words if runs[i] < first + allowed]


def _overlapping_run(words: Sequence[Word], box: Box) -> list[Word]:
    """The run of words (between column breaks) that overlaps ``box`` horizontally."""
    breaks = _gap_breaks(words)
    runs: list[list[Word]] = []
    for word, broken in zip(words, breaks, strict=True):
        if broken or not runs:
            runs.append([])
        runs[-1].append(word)
    best: list[Word] = []
    best_overlap = 0.0
    for run in runs:
        overlap = min(_box(run[-1]).x1, box.x1) - max(_box(run[0]).x0, box.x0)
        if overlap > best_overlap:
            best, best_overlap = run, overlap
    return best


def _read(
    name: str, kind: FieldKind, words: Sequence[Word], hints: NormalizeHints
) -> tuple[str, str, Box, float] | None:
    """The value those words start with, as (raw, normalized, box), or None."""
    if name in _ID_FIELDS:
        # One word, or groups of digits printed apart ("N° de facture : 0412 5570 98").
        groups = 1
        if words and words[0].text.isdigit():
            while groups < len(words) and _digit_group(words[groups].text):
                groups += 1
        spans = [list(words[:groups])]
    elif name in _NAME_FIELDS or kind in ("text", "currency"):
        spans = [list(words)]
    elif kind in ("iban", "vat_id"):
        # Printed in groups ("DE27 7542 5144 ..."): the longest prefix that checks out.
        spans = [list(words[:n]) for n in range(len(words), 0, -1)]
    else:
        # Dates and amounts: the longest normalizable run of up to four words from the
        # first word with a digit ("Jul 19, 2019", "1 234,56 €"); a rate is skipped.
        spans = []
        for first in range(len(words)):
            if not any(c.isdigit() for c in words[first].text) or _is_rate(words, first):
                continue
            # A month name or a currency before the first digits belongs to the value.
            starts = [first - 1, first] if first and _is_word(words[first - 1].text) else [first]
            spans = [list(words[s : s + n]) for s in starts for n in (4, 3, 2, 1)]
            break
    for span in spans:
        raw = " ".join(w.text for w in span)
        if not _shaped(name, kind, raw):
            continue
        normalized = normalize(kind, raw, hints)
        if normalized is not None:
            box = _box(span[0])
            for word in span[1:]:
                box = box.union(_box(word))
            return raw, normalized.value, box, min(w.confidence for w in span)
    return None


def _digit_group(text: str) -> bool:
    """A group of an id printed in parts: two digits or more (a lone digit after an id is
    more often a count or a page than its last part)."""
    return text.isdigit() and len(text) >= 2


def _is_rate(words: Sequence[Word], index: int) -> bool:
    text = words[index].text
    following = words[index + 1].text if index + 1 < len(words) else ""
    return "%" in text or following.startswith("%")


def _is_word(text: str) -> bool:
    return not any(c.isdigit() for c in text) and len(text) <= 10


def _shaped(name: str, kind: FieldKind, raw: str) -> bool:
    tokens = _tokens(raw)
    if not tokens:
        return False
    if name in _ID_FIELDS:
        return any(c.isdigit() for c in raw) and len(raw) <= 40
    if name in _NAME_FIELDS:
        letters = sum(c.isalpha() for c in raw)
        return letters >= 2 and len(tokens) <= 8 and tokens not in _PHRASES
    return kind != "text"
