"""What a file is, decided by its bytes; the name and extension are never consulted.

A PDF attached as ``scan.txt`` is still a PDF, and a PNG named ``invoice.pdf`` is still
a PNG: senders rename files, and trusting the name would route them to the wrong reader.
"""

from __future__ import annotations

import io
import mimetypes
import re
import zipfile
from typing import Literal

Kind = Literal["pdf", "png", "jpeg", "tiff", "xlsx", "email", "text", "unknown"]

MIME: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "tiff": "image/tiff",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "email": "message/rfc822",
    "text": "text/plain",
}

# The PDF spec lets a header sit anywhere in the first 1024 bytes (some scanners prepend junk).
_PDF_WINDOW = 1024
_TIFF_MAGIC = (b"II*\x00", b"MM\x00*")
# Headers that mark an RFC 822 message; one of these alone is too weak a signal for a text
# file that happens to start with "Subject:", so ``_looks_like_email`` wants two.
_MAIL_HEADERS = frozenset(
    {
        "from",
        "to",
        "cc",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "received",
        "return-path",
        "content-type",
        "reply-to",
        "sender",
        "delivered-to",
        "x-mailer",
        "dkim-signature",
        "content-transfer-encoding",
    }
)
_HEADER_LINE = re.compile(rb"^([!-9;-~]+):[ \t]?")
# Known binary formats Clerk does not read, named so the error says what the file looks like.
_OTHER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office (OLE2) file such as .doc or .xls"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"{\\rtf", "an RTF document"),
)


def sniff(data: bytes) -> Kind:
    head = data[:_PDF_WINDOW]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(_TIFF_MAGIC):
        return "tiff"
    if data.startswith(b"PK\x03\x04"):
        return "xlsx" if "xl/workbook.xml" in _zip_names(data) else "unknown"
    if _looks_like_email(data):
        return "email"
    if looks_like_text(data):
        return "text"
    return "unknown"


def mime_of(data: bytes, name: str) -> str:
    """The MIME type a document reference records: by content for what Clerk reads (a PNG
    named ``invoice.pdf`` is ``image/png``); for text and unknown bytes, which content
    alone does not name, the name's type (``.eml``, ``.csv``), else octet-stream."""
    kind = sniff(data)
    if kind not in ("text", "unknown"):
        return MIME[kind]
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def describe(data: bytes) -> str:
    """A few words on what unreadable content looks like, for the error message."""
    if data.startswith(b"PK\x03\x04"):
        names = _zip_names(data)
        if any(n.startswith("word/") for n in names):
            return "a Word document (.docx)"
        if any(n.startswith("ppt/") for n in names):
            return "a PowerPoint presentation (.pptx)"
        if "mimetype" in names:
            return "an OpenDocument file"
        return "a ZIP archive"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP image"
    for magic, what in _OTHER_MAGIC:
        if data.startswith(magic):
            return what
    return f"binary data starting with {data[:8].hex(' ')}"


def looks_like_text(data: bytes) -> bool:
    """True if ``data`` decodes as text: BOM-marked UTF-16, UTF-8, or 8-bit without control
    bytes (cp1252/latin-1). NUL bytes or many control bytes mean binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return len(data) % 2 == 0
    sample = data[:65536]
    if b"\x00" in sample:
        return False
    controls = sum(1 for b in sample if b < 0x20 and b not in b"\t\n\r\f\x1a\x1b")
    return controls <= len(sample) // 100


def _zip_names(data: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    # NotImplementedError: a central directory that declares a zip version zipfile does
    # not know (found by the reader fuzz).
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        return set()


def _looks_like_email(data: bytes) -> bool:
    lines = data[:16384].splitlines()
    if lines and lines[0].startswith(b"From "):  # mbox separator line
        lines = lines[1:]
    if not lines or not _HEADER_LINE.match(lines[0]):
        return False
    known: set[str] = set()
    for line in lines:
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t"):  # folded continuation of the previous header
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            return False
        name = match.group(1).decode("ascii").lower()
        if name in _MAIL_HEADERS:
            known.add(name)
    return len(known) >= 2
