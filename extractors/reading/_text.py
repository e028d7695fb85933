"""Bytes to text for plain-text files and e-mail bodies.

Order of trust: a byte-order mark (UTF-8, UTF-16), then strict UTF-8, then cp1252 (a
superset of latin-1's printable range that Windows mailers and ERPs write), and latin-1
for the five bytes cp1252 leaves undefined. The 8-bit fallbacks decode any byte string,
so they are only taken when the bytes look like text; anything else is binary.
"""

from __future__ import annotations

import codecs

from clerk.errors import BusinessError
from extractors.reading.sniff import looks_like_text

_SINGLE_BYTE = frozenset({"ascii", "latin-1", "mac-roman", "koi8-r", "koi8-u"})
# Above this share of U+FFFD or control characters, "decoded with replacement" is noise.
_MAX_BAD_SHARE = 0.05


def decode_text(data: bytes, what: str) -> str:
    """Decode a plain-text file; ``BAD_ENCODING`` if it is not text in any encoding."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", what)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if not looks_like_text(data):
        raise BusinessError(
            "BAD_ENCODING",
            f"{what} is neither UTF-8 nor 8-bit text (first bytes {data[:8].hex(' ')}); "
            "save it as UTF-8, or send the original file",
        )
    return eight_bit(data)


def decode_declared(data: bytes, charset: str | None, what: str) -> str:
    """Decode text whose charset was declared (an e-mail part). A wrong or unknown label
    is common, so the declaration is a first guess, not the truth; bytes that fit no
    encoding decode with replacement characters, and ``BAD_ENCODING`` is raised only
    when the result is mostly noise.

    UTF-8 goes first when the label names a single-byte charset: mailers often label
    UTF-8 as ISO-8859-1, and valid multi-byte UTF-8 almost never arises by chance from
    8-bit text, while the reverse order would turn every umlaut into mojibake."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data, what)  # a byte-order mark beats any label
    known = _known(charset)
    single_byte = known is None or known in _SINGLE_BYTE or known.startswith(("iso8859", "cp"))
    order = ("utf-8", known) if single_byte else (known, "utf-8")
    for candidate in order:
        if not candidate:
            continue
        try:
            text = data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
        if bad_share(text) <= _MAX_BAD_SHARE:  # control bytes are valid UTF-8, not text
            return text
    if looks_like_text(data):
        return eight_bit(data)
    text = data.decode(known or "utf-8", errors="replace")
    if bad_share(text) > _MAX_BAD_SHARE:
        raise BusinessError(
            "BAD_ENCODING",
            f"{what} could not be decoded as {charset or 'undeclared'} text, UTF-8 or cp1252 "
            f"({bad_share(text):.0%} of characters unreadable); ask the sender to resend it",
        )
    return text


def eight_bit(data: bytes) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # 0x81 0x8d 0x8f 0x90 0x9d: undefined in cp1252
        return data.decode("latin-1")


def bad_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for c in text if c == "\ufffd" or (c < " " and c not in "\t\n\r\f"))
    return bad / len(text)


def _strict(data: bytes, encoding: str, what: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise BusinessError(
            "BAD_ENCODING",
            f"{what} starts with a {encoding.upper()} byte-order mark but is not valid "
            f"{encoding.upper()} ({exc.reason} at byte {exc.start}); save it again as UTF-8",
        ) from exc


def _known(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None
