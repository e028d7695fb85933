"""The merchant of a receipt from its header: the name printed at the top, by layout.

A shop prints its name first, often larger, often with its legal form ("SDN BHD",
"Ltd", "GmbH"), then its address, phone and tax registration. The NER, trained on
synthetic text, reads the header of a real thermal receipt poorly (OCR noise, shop
names it never saw); the header's layout is the same everywhere. So the merchant is the
best-scoring of the first few text lines of page 1 that look like a name: mostly
letters, read with confidence, not an address, phone, registration or title line.

``merchant_from_header`` gives that line as a ``HeaderName`` with the evidence that
chose it; ``extractors.extraction`` merges it with the NER's reading.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from clerk.documents import Box, Document, Field, Word
from extractors.normalize import normalize

MERCHANT = "merchant_name"

# Lines of page 1 considered: a name stands above the address, before the items.
HEADER_LINES = 10
# A word's OCR confidence below this is noise (stains, logos read as letters); a line
# whose words average below the second bar is a logo or a smudge, not a name.
MIN_WORD_CONFIDENCE = 0.5
MIN_LINE_CONFIDENCE = 0.6

_LEGAL_FORM = re.compile(
    r"\b(sdn\.?\s*bhd|bhd|sdn|ltd|limited|llc|l\.l\.c|inc|corp|corporation|co|company|"
    r"s/b|gmbh|ag|kg|ohg|ug|e\.?k|sarl|sas|sa|s\.a|srl|s\.r\.l|spa|s\.p\.a|bv|b\.v|nv|n\.v|"
    r"pte|plc|pty|enterprises?|trading|restaurants?|cafe|café|bakery|bakeries|store|stores|"
    r"mart|market|supermarket|hypermarket|hardware|pharmacy|stationery|bookstore|"
    r"electrical|motor|industries|holdings|group|sp\.?\s*z\.?\s*o\.?\s*o)(?![\w/])\.?",
    re.IGNORECASE,
)
# Registered legal forms, not kinds of shop: with one, a name is a company's name
# ("Syarikat", Malay for a registered company, as in "Syarikat Perniagaan ...").
_REGISTERED = re.compile(
    r"\b(sdn\.?\s*bhd|bhd|s/b|syarikat|ltd|limited|llc|inc|corp|gmbh|pte|plc|pty|co\.|s\.?a\.?r\.?l|"
    r"b\.?v|n\.?v|s\.?r\.?l|s\.?p\.?a|sp\.?\s*z\.?\s*o\.?\s*o)(?![\w/])",
    re.IGNORECASE,
)
# The lowest word confidence of a confirmed name. On the 100 real tuning receipts every
# registered name near the top read at 0.75 or more was right (25 of 25); the two
# wrong ones ("MR. (M) SON BHD" for "MR. D. I. Y. (M) SDN BHD") read at 0.67 and 0.69.
CONFIRMED_OCR = 0.75
# A kind of shop is weaker evidence than a legal form (a branch or a brand can carry one),
# so a name confirmed by its kind must read more clearly and stand right above the shop's
# details (``_details``).
CONFIRMED_KIND_OCR = 0.85
# Kinds of shop, in the languages Clerk reads: a name with one that stands first, above
# the address or the registration, is the business's own name ("KEDAI PAPAN YEW CHUAN",
# "SWEET FOREST CAFE"). Malay "kedai" (shop) and "restoran" are as generic as "store".
_SHOP_KIND = re.compile(
    r"\b(restaurants?|restoran|ristorante|trattoria|pizzeria|cafe|café|coffee|kaffee|"
    r"bakery|bakeries|bäckerei|boulangerie|bakkerij|panader[ií]a|piekarnia|kedai|store|"
    r"stores|shop|mart|market|supermarket|hypermarket|supermercado|hardware|pharmacy|"
    r"farmasi|apotheke|pharmacie|farmacia|apteka|apotheek|stationery|bookstore|florist|"
    r"fleuriste|trading|enterprises?|electrical|cash\s*&\s*carry)\b",
    re.IGNORECASE,
)
CONFIRMED_RANK = 2  # how far down the name-like lines a confirmed name may stand
# A line that continues the name above it: it starts with the legal form ("CO. (M) SDN
# BHD" under "POPULAR BOOK").
# The line holds nothing but legal form: "(Co. No 113825-W)" under it is no part of it.
_CONTINUATION = re.compile(
    r"^(?:(?:[(c]m\)|\(?(?:co|sdn|bhd|s/b|ltd|limited|inc|gmbh|llc|pte|plc|pty)\b\.?\)?),?\s*)+$",
    re.I,
)
# A registration number beside the name: "(519537-X)", "(1074617K)".
_REGISTRATION = re.compile(r"\(?\b[\dA-Z]*\d{4,}[\dA-Z-]*\b\)?")
# A house number, then the street: "1440 Broadway", "20 Main Street", "12A High St".
_HOUSE_NUMBER = re.compile(r"^\d{1,5}[A-Za-z]?,?\s+[^\W\d_]{3,}")
# A chain's store number after its name: "TRADER JOE'S #552", "STORE # 0123".
_STORE_NUMBER = re.compile(r"(?<!\S)#\s?\d+\b")
# Punctuation names carry: "MR. D.I.Y.", "T.A.S", "CASH & CARRY", "KING'S", "S/B".
_NAME_PUNCTUATION = set(".,&'’()/-")

# Lines that say something else than the name: contact, registration, titles, labels.
_NOT_A_NAME = re.compile(
    r"\b(tel|telephone|phone|fax|hp|mobile|e-?mail|www|http|gst|sst|vat|tax|reg|regn|"
    r"registration|company\s+no|co\.?\s*no|roc|abn|nip|siret|ust|mwst|btw|iva|invoice|"
    r"receipt|cash\s+bill|bill|date|time|cashier|table|order|slip|trans|welcome|thank|"
    r"tax\s+invoice|member|counter|pos|terminal|page)\b|@|\.com\b|\.my\b",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"\b(jalan|jln|lorong|taman|lot|no\.?\s*\d|street|st\.|road|rd\.?|avenue|ave\.?|"
    r"blvd|boulevard|lane|drive|highway|floor|suite|unit|block|blok|level|strasse|"
    r"straße|str\.|rue|avenida|calle|via|piazza|ul\.|straat|weg|plein|laan|"
    r"kuala\s+lumpur|selangor|johor|singapore|malaysia)\b|\b\d{5}\b"
    # German streets are compounds: "Hauptstraße", "Bahnhofstr.", "Marktplatz".
    r"|(?<=[a-zäöü])(strasse|straße|str\.|gasse|allee|platz)(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class HeaderName:
    """The name a header prints, with what made it the choice."""

    text: str
    page: int
    box: Box
    line_rank: int  # 0 for the first text line of the page
    legal_form: bool  # the line names a legal form or kind of shop
    ocr: float  # the lowest word confidence on the line (1.0 for a text layer)
    # Another name-like line stands right above (a brand, a branch, a site): which of
    # the two a person calls the merchant, the layout does not say.
    contested: bool = False
    # The line right below gives the business's details: its address, registration
    # number or contact, so no other name stands between the name and them.
    detailed: bool = False
    # The line right below is the business's registration number and nothing else
    # ("(000760274-K)", "Company Reg. No. : 725186-V"): the name is a registered one.
    registered_below: bool = False
    # The whole name is printed again below the header ("THANK YOU FOR SHOPPING AT
    # TRADER JOE'S"): a second print of it.
    repeated: bool = False

    @property
    def confirmed(self) -> bool:
        """A business's name at the top, every word read clearly, that says what it is:
        - a registered company's name: the name and its legal form confirm each other.
          On the real tuning receipts, 25 of 25 such names were right
          (bench/bench_realdocs.py);
        - a kind of shop ("RESTORAN", "CAFE"), read at ``CONFIRMED_KIND_OCR`` and right
          above the shop's details. A kind alone is not enough: a brand or a branch
          above the company's name carries one too, with another name below it;
        - a name right above its registration number, read at ``CONFIRMED_KIND_OCR``:
          the number is the company's, printed under its registered name;
        - a name printed again, whole, below the header, read at ``CONFIRMED_OCR``:
          two prints agree, and OCR seldom misreads two prints of a name alike."""
        registered = bool(_REGISTERED.search(self.text)) and self.ocr >= CONFIRMED_OCR
        clear = self.ocr >= CONFIRMED_KIND_OCR
        kind = bool(_SHOP_KIND.search(self.text)) and self.detailed and clear
        numbered = self.registered_below and clear
        # Two prints that read alike letter for letter are their own check on misreads.
        printed_twice = self.repeated and self.ocr >= CONFIRMED_OCR
        return (
            (registered or kind or numbered or printed_twice)
            and self.line_rank <= CONFIRMED_RANK
            and not self.contested
        )


def merchant_from_header(document: Document) -> HeaderName | None:
    """The merchant's name from the top of page 1, or None when no line looks like one."""
    if not document.pages:
        return None
    page = document.pages[0]
    if not page.words or any(w.box is None for w in page.words):
        return None
    lines = [
        line
        for line in _text_lines(page.words)
        if sum(w.confidence for w in line) / len(line) >= MIN_LINE_CONFIDENCE
    ][:HEADER_LINES]
    heights = sorted(_height(line) for line in lines)
    median = heights[len(heights) // 2] if heights else 1.0
    names: list[tuple[list[Word], str] | None] = []
    texts: list[str] = []
    raw = [" ".join(w.text for w in line) for line in lines]
    for line in lines:
        words = _trimmed([w for w in line if w.confidence >= MIN_WORD_CONFIDENCE])
        text = _REGISTRATION.sub(" ", " ".join(w.text for w in words))
        text = _STORE_NUMBER.sub(" ", text)
        # The name's own dots stay ("Inc.", "B.V.", "& Co."): a cut one is a wrong name.
        # No name prints an underscore: OCR reads one from a smudge ("HANDEL _SDN BHD").
        text = " ".join(text.replace("_", " ").split()).strip(" ,:;-*|")
        texts.append(text)
        # "99 SPEED MART S/B" is a name: its legal form or kind says so.
        street = bool(_HOUSE_NUMBER.match(" ".join(w.text for w in words))) and not (
            _LEGAL_FORM.search(text) or _SHOP_KIND.search(text)
        )
        names.append((words, text) if words and not street and _looks_like_a_name(text) else None)
    best: tuple[float, HeaderName] | None = None
    for rank, found in enumerate(names):
        if found is None:
            continue
        words, text = found
        following = names[rank + 1] if rank + 1 < len(names) else None
        if following is not None and _CONTINUATION.match(following[1]):
            continue  # the name goes on below ("POPULAR BOOK" over "CO. (M) SDN BHD")
        joined = bool(_CONTINUATION.match(text))
        if joined:  # a legal form alone names nobody
            above = names[rank - 1] if rank else None
            if above is None:
                continue
            words, text = above[0] + words, f"{above[1]} {text}"
        legal = bool(_LEGAL_FORM.search(text))
        score = (
            3.0 * legal
            + 1.0 * (_height(lines[rank]) > 1.2 * median)
            + 0.5 * (sum(c.isupper() for c in text) > 0.7 * sum(c.isalpha() for c in text))
            - 0.4 * rank
        )
        box = words[0].box
        assert box is not None
        for w in words[1:]:
            assert w.box is not None
            box = box.union(w.box)
        contested = (
            rank > 0
            and not joined
            and _says_something(texts[rank - 1])
            and not _part_of(texts[rank - 1], text)
        )
        ocr = min(w.confidence for w in words)
        below = raw[rank + 1] if rank + 1 < len(raw) else ""
        name = HeaderName(
            text,
            page.number,
            box,
            rank,
            legal,
            ocr,
            contested,
            detailed=_details(below),
            registered_below=_registration_alone(below),
            repeated=_printed_again(text, below, document.text),
        )
        if best is None or score > best[0]:
            best = (score, name)
    return best[1] if best is not None else None


def _says_something(text: str) -> bool:
    """A line with a word in it that is no label, title, contact or address: a site's,
    a brand's or a branch's name ("Ampang 210"), which may be what a person calls the
    merchant."""
    return bool(re.search(r"[^\W\d_]{4,}", text)) and not (
        _NOT_A_NAME.search(text) or _ADDRESS.search(text)
    )


# What a shop prints under its name: contact and registration labels.
_DETAILS_LABEL = re.compile(
    r"\b(tel|telephone|phone|fax|gst|sst|vat|reg|regn|registration|company\s+no|"
    r"co\.?\s*no|roc|abn|nip|siret|ust|mwst|btw|iva)\b|www|@",
    re.IGNORECASE,
)


def _details(text: str) -> bool:
    """A line of a business's details: an address, a contact or registration label, or
    a registration number alone ("(002043319-W)")."""
    if _ADDRESS.search(text) or _DETAILS_LABEL.search(text):
        return True
    return bool(_REGISTRATION.search(text)) and not re.search(
        r"[^\W\d_]{3,}", _REGISTRATION.sub(" ", text)
    )


_REGISTRATION_LABEL = re.compile(
    r"\b(company|co|business|reg|regn|registration|roc|no|number)\b\.?", re.IGNORECASE
)


def _printed_again(name: str, below: str, text: str) -> bool:
    """Whether ``name`` (at least two words, eight letters) stands whole in ``text`` a
    second time, not on the line right ``below`` it (a logo's caption, the same print)."""
    key = _letters_key(name)
    if len(key) < 8 or len(name.split()) < 2:
        return False
    skipped = _letters_key(below)
    lines = [_letters_key(line) for line in text.split("\n")]
    return sum(key in line for line in lines if line != skipped) >= 2


def _part_of(above: str, name: str) -> bool:
    """The line above is the name's own first words, as a logo prints them ("PREMIO"
    over "PREMIO STATIONERY SDN BHD"): one name, not a brand and a company."""
    key = _letters_key(above)
    return len(key) >= 3 and _letters_key(name).startswith(key)


def _letters_key(text: str) -> str:
    return re.sub(r"[\W\d_]", "", text).upper()


def _registration_alone(text: str) -> bool:
    """A company registration number, labelled or not, and nothing else on the line."""
    if not _REGISTRATION.search(text):
        return False
    rest = _REGISTRATION_LABEL.sub(" ", _REGISTRATION.sub(" ", text))
    return not re.search(r"[^\W\d_]{2,}", rest)


def _trimmed(words: list[Word]) -> list[Word]:
    """Without the stray marks OCR reads at a line's ends ("u", "|", "h")."""

    def stray(word: Word) -> bool:
        text = word.text
        return len(text) <= 2 and not (text.isupper() and text.isalpha()) and not text.isdigit()

    while words and stray(words[0]):
        words = words[1:]
    while words and stray(words[-1]):
        words = words[:-1]
    return words


def _looks_like_a_name(text: str) -> bool:
    letters = sum(c.isalpha() for c in text)
    visible = sum(not c.isspace() and c not in _NAME_PUNCTUATION for c in text)
    words = re.findall(r"[^\W\d_]{2,}", text)
    return (
        letters >= 4
        and letters >= 0.75 * visible
        and bool(words)
        and not _NOT_A_NAME.search(text)
        and not _ADDRESS.search(text)
    )


def _text_lines(words: Sequence[Word]) -> list[list[Word]]:
    """The page's lines top to bottom, each left to right; lines without letters dropped."""
    rows: dict[int, list[Word]] = {}
    for word in words:
        rows.setdefault(word.line, []).append(word)
    lines = [sorted(row, key=lambda w: _x(w)) for row in rows.values()]
    lines = [line for line in lines if any(c.isalpha() for w in line for c in w.text)]
    return sorted(lines, key=lambda line: min(_y(w) for w in line))


def _x(word: Word) -> float:
    return word.box.x0 if word.box is not None else 0.0


def _y(word: Word) -> float:
    return word.box.y0 if word.box is not None else 0.0


def _height(line: Sequence[Word]) -> float:
    heights = sorted(w.box.y1 - w.box.y0 for w in line if w.box is not None)
    return heights[len(heights) // 2] if heights else 0.0


# A header name the NER's reading agrees with, or the header's name alone: both below the
# auto bar (bench/bench_realdocs.py); the header's layout says where a name is, not that
# OCR spelled it right. Only a confirmed name (``HeaderName.confirmed``) clears it.
HEADER_AGREE_CONFIDENCE = 0.9
HEADER_ONLY_CONFIDENCE = 0.85
HEADER_CONFIRMED_CONFIDENCE = 0.94  # HeaderName.confirmed: above the auto bar
_SIMILAR = 0.85


def merge_merchant(fields: Sequence[Field], header: HeaderName | None) -> tuple[Field, ...]:
    """The fields with the receipt's merchant taken from its header when there is one:
    the NER's own reading stays only where the header shows no name."""
    if header is None:
        return tuple(fields)
    value = normalize("text", header.text)
    if value is None:
        return tuple(fields)
    out = list(fields)
    index = next((i for i, f in enumerate(out) if f.name == MERCHANT), None)
    current = out[index] if index is not None else None
    agrees = current is not None and _similar(current.value or current.raw, value.value)
    confidence = HEADER_AGREE_CONFIDENCE if agrees else HEADER_ONLY_CONFIDENCE
    if header.confirmed:
        confidence = HEADER_CONFIRMED_CONFIDENCE
    if current is not None and agrees:
        confidence = max(confidence, current.confidence)
    field = Field(MERCHANT, header.text, value.value, confidence, header.page, header.box, "rule")
    if index is None:
        out.append(field)
    else:
        out[index] = field
    return tuple(out)


def _similar(a: str, b: str) -> bool:
    def key(text: str) -> str:
        return " ".join(re.sub(r"[^0-9A-Z ]", "", text.upper()).split())

    return difflib.SequenceMatcher(None, key(a), key(b)).ratio() >= _SIMILAR
