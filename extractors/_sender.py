"""Who sent an invoice or a purchase order, from the edges of its page.

A business prints its own name where a letter is its own: the letterhead at the top and
the legal footer at the bottom (registered name, registration, bank details). The other
party's name stands once, in the address block. So a registered company's name (one with
a legal form: GmbH, SARL, B.V., Ltd...) printed in the first lines and again in the last
ones is the sender's: on an invoice the vendor, on a purchase order the buyer.

``sender_name`` finds that name in a document's text; ``merge_sender`` puts it into the
extractor's fields where the model read no sender, read the other party's name as the
sender, or read a third name it is unsure of (mostly the customer's, from the address
block); where the model is sure of a third name, ``sender_check`` fails and says why a
person should look. ``extractors.corroborate`` confirms a sender read as printed at the
edges (its ``sender_named_in_letterhead_and_footer`` check).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from clerk.documents import Check, Field, TextWithOffsets
from extractors._tables import words_geometry

EDGE_LINES = 6  # the first and the last lines of a document that count as its edges
# Who sent a document of each type, by the name field that holds it, and the other party.
SENDER_FIELD = {"invoice": "vendor_name", "purchase_order": "buyer_name"}
OTHER_PARTY_FIELD = {"purchase_order": "vendor_name"}
REGISTERED_FORM = re.compile(
    r"(?<!\w)(gmbh|ag|kg|ohg|se|e\.k\.?|sarl|s[àa]rl|s\.\s?[àa]\.?\s?r\.\s?l\.?|sas|sa|s\.a\.?|"
    r"bv|b\.v\.?|nv|n\.v\.?|ltd\.?|limited|pvt\.?|"
    r"llc|llp|inc\.?|corp\.?|plc|pty|pte|srl|s\.r\.l\.?|spa|s\.p\.a\.?|sl|s\.l\.?|"
    r"sp\.\s*z\s*o\.\s*o\.?|sdn\.?\s*bhd|oy|ab|as|a/s|aps)(?!\w)",
    re.IGNORECASE,
)
# A sender proposed from the edges where the model read nothing: below the auto bar
# until ``extractors.corroborate`` confirms it.
SENDER_CONFIDENCE = 0.85
# A registered name printed only in the letterhead, proposed where the model read none.
LETTERHEAD_CONFIDENCE = 0.6
# Where the other party's block starts: no name below it is the sender's.
_ADDRESSEE = re.compile(
    r"^\W*(bill(ed)?\s+to|ship(ped)?\s+to|sold\s+to|invoice\s+to|deliver\s+to|customer|"
    r"buyer|client|kunde|rechnungsempf[aä]nger|lieferadresse|factur[eé]\s+[aà]|klant|"
    r"afnemer|nabywca|odbiorca|destinatario|cliente|an)\b",
    re.IGNORECASE,
)
# Words that join two parts of one name: a name does not start with one or after one.
_JOINER_START = re.compile(r"(&|\+|and|und|et|en|y|e|i)(\s|$)", re.IGNORECASE)
_JOINER_END = re.compile(r"(^|\s)(&|\+|and|und|et|en|y|e|i)\s*$", re.IGNORECASE)
# The lines under an addressee's label that hold the addressee's name.
_ADDRESSEE_LINES = 2
# A document's title before the name on its first line: "Tax Invoice Montprint B.V.".
_TITLE = re.compile(
    r"^\W*((tax\s+)?invoice|rechnung|facture|factuur|faktura(\s+vat)?|fattura|factura|"
    r"purchase\s+order|bestellung|bon\s+de\s+commande)\b\W*",
    re.IGNORECASE,
)
# A model's sender below this gives way to the name at the edges: on held-out synthetic
# invoices the model's unsure senders (0.71) were the customer's name, the edges' right.
MODEL_UNSURE = 0.9
SENDER_DIFFERS_CHECK = "sender_read_as_printed_at_the_edges"
_MAX_NAME_WORDS = 8


@dataclass(frozen=True)
class Sender:
    name: str
    start: int  # offsets of its letterhead print in the document text
    end: int


def sender_name(text: str) -> Sender | None:
    """The longest registered company name printed both in the first and in the last
    ``EDGE_LINES`` non-blank lines of ``text`` (which must not overlap), or None."""
    lines = [(m.start(), m.group(0)) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
    if len(lines) < 2 * EDGE_LINES:
        return None
    footer = [_key(line) for _, line in lines[-EDGE_LINES:]]
    best: Sender | None = None
    for offset, line in lines[:EDGE_LINES]:
        words = list(re.finditer(r"\S+", line))
        for first in range(len(words)):
            for last in range(first, min(len(words), first + _MAX_NAME_WORDS)):
                start, end = words[first].start(), words[last].end()
                name = line[start:end]
                ends_in_form = any(m.end() == len(name) for m in REGISTERED_FORM.finditer(name))
                if not ends_in_form or not re.search(r"[^\W\d_]{3,}", _without_forms(name)):
                    continue
                if _joined(line[:start], name):
                    continue  # "& Simon SARL" of "Müller & Simon SARL"
                longer = best is None or len(name) > len(best.name)
                if longer and any(_key(name) in printed for printed in footer):
                    best = Sender(name, offset + start, offset + end)
    return best


def letterhead_name(text: str) -> Sender | None:
    """The first registered company name in the first ``EDGE_LINES`` non-blank lines of
    ``text``, above any addressee's block ("Bill To:", "Nabywca:"), or None."""
    for match in list(re.finditer(r"[^\n]*\S[^\n]*", text))[:EDGE_LINES]:
        line = match.group(0)
        if _ADDRESSEE.search(line):
            return None
        forms = list(REGISTERED_FORM.finditer(line))
        for index, form in enumerate(forms):
            # "Pvt. Ltd.", "GmbH & Co. KG": forms that follow each other end one name.
            following = forms[index + 1] if index + 1 < len(forms) else None
            if following is not None and following.start() - form.end() <= 4:
                continue
            name = _TITLE.sub("", line[: form.end()]).strip()
            start = match.start() + line.index(name)
            if re.search(r"[^\W\d_]{3,}", _without_forms(name)):
                return Sender(name, start, start + len(name))
    return None


def at_both_edges(name: str, text: str) -> bool:
    """``name`` (spacing and case aside) is in the first and in the last ``EDGE_LINES``
    lines of ``text``, and those do not overlap."""
    lines = [_key(line) for line in text.splitlines() if line.strip()]
    if len(lines) < 2 * EDGE_LINES:
        return False
    wanted = _key(name)
    return any(wanted in line for line in lines[:EDGE_LINES]) and any(
        wanted in line for line in lines[-EDGE_LINES:]
    )


def merge_sender(
    fields: Sequence[Field], doc_type: str, source: TextWithOffsets
) -> tuple[Field, ...]:
    """``fields`` with the sender's name from the page's edges where the model read none,
    read the other party's name as the sender (a purchase order's vendor as its buyer, or
    a name printed in the addressee's block), or read a third name below
    ``MODEL_UNSURE``. A third name the model is sure of stays as read: ``sender_check``
    fails on it."""
    name_field = SENDER_FIELD.get(doc_type)
    if name_field is None:
        return tuple(fields)
    out = list(fields)
    index = next((i for i, f in enumerate(out) if f.name == name_field), None)
    found = sender_name(source.text)
    if found is None:
        # Printed at the top only: the letterhead's company, proposed where the model
        # read no one, for a person to confirm.
        top = letterhead_name(source.text) if index is None else None
        if top is None:
            return tuple(out)
        page, box = words_geometry(source.words_in(top.start, top.end))
        out.append(Field(name_field, top.name, top.name, LETTERHEAD_CONFIDENCE, page, box, "rule"))
        return tuple(out)
    read = _read(out[index]) if index is not None else None
    other = next((_read(f) for f in out if f.name == OTHER_PARTY_FIELD.get(doc_type)), None)
    unsure = index is not None and out[index].confidence < MODEL_UNSURE
    # The model's name stops at the first legal form: "Johnson & Richter GmbH" of
    # "Johnson & Richter GmbH & Co. KG", the company the edges print whole.
    whole, mine = _key(found.name), _key(read) if read else ""
    cut = bool(mine) and whole != mine and whole.startswith(mine)
    # A name read from the addressee's block is the other party's, however sure.
    addressed = bool(read) and in_addressee_block(read or "", source.text)
    other_party = bool(other) and _key(read or "") == _key(other or "")
    if read and not (other_party or unsure or cut or addressed):
        return tuple(out)  # the model's sure name is a third company's: sender_check
    page, box = words_geometry(source.words_in(found.start, found.end))
    proposed = Field(name_field, found.name, found.name, SENDER_CONFIDENCE, page, box, "rule")
    if index is None:
        out.append(proposed)
    else:
        out[index] = proposed
    return tuple(out)


def in_addressee_block(name: str, text: str) -> bool:
    """``name`` is printed in the other party's block: after an addressee's label ("Bill
    to", "Rechnungsempfänger", "Nabywca") on its line, or on one of the two lines under
    it. A sender never stands there: a model that reads the sender from there read the
    customer (on an order, the supplier)."""
    wanted = _key(name)
    if not wanted:
        return False
    lines = text.splitlines()
    for index, line in enumerate(lines):
        label = _ADDRESSEE.search(line)
        if label is None:
            continue
        block = [line[label.end() :], *lines[index + 1 : index + 1 + _ADDRESSEE_LINES]]
        if any(wanted in _key(printed) for printed in block):
            return True
    return False


def only_other_company(name: str, sender: str, text: str) -> bool:
    """``name`` is the one registered company besides ``sender`` that the page prints:
    every line naming a company (a legal form in capitals: GmbH, SARL, Ltd) names one of
    the two, and ``name`` ends in its legal form and starts its line or follows a colon,
    a whole name ("Müller & Simon SARL", not "& Simon SARL"). A purchase order has two
    parties: its buyer, who sent it, and the vendor it is addressed to."""
    wanted, own = _key(name), _key(sender)
    forms = list(REGISTERED_FORM.finditer(name))
    if not wanted or not own or wanted == own or not forms or forms[-1].end() != len(name):
        return False
    whole = False
    for line in text.splitlines():
        if not any(m.group(0)[0].isupper() for m in REGISTERED_FORM.finditer(line)):
            continue
        key = _key(line)
        if wanted in key:
            before = key[: key.index(wanted)].rstrip()
            whole = whole or not before or before.endswith(":")
        elif own not in key:
            return False  # a third company: a bank, a carrier, a second address
    return whole


def sender_check(doc_type: str, values: Mapping[str, str | None], text: str) -> Check | None:
    """A failing ``SENDER_DIFFERS_CHECK`` when the sender read is not the registered name
    the page prints at both edges; None when they agree or the edges name nobody."""
    name_field = SENDER_FIELD.get(doc_type)
    read = values.get(name_field) if name_field else None
    found = sender_name(text) if read else None
    if found is None or read is None or _key(read) == _key(found.name):
        return None
    message = (
        f"{name_field} was read as {read!r}, but the page prints {found.name!r} in its "
        "letterhead and in its footer, where the sender prints its own name; check which "
        "company is which"
    )
    return Check(SENDER_DIFFERS_CHECK, False, message)


def _read(field: Field) -> str | None:
    return field.value or field.raw or None


def _key(text: str) -> str:
    """Spacing, case and accents aside: OCR reads "Müller" as "Muller" now and then."""
    folded = unicodedata.normalize("NFKD", " ".join(text.split()).casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def _joined(before: str, name: str) -> bool:
    """The name is the end of a longer one: it starts with a joiner ("& Simon SARL"), or
    one ends the text before it ("Jonhson & | Richter GmbH")."""
    return bool(_JOINER_START.match(name) or _JOINER_END.search(before))


def _without_forms(name: str) -> str:
    return REGISTERED_FORM.sub(" ", name)
