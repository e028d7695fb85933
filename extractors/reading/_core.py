"""Any incoming file to ``Document``s: the entry points of the reading layer.

``read_all`` never loses a document for the sake of another: it raises only when the
file itself is bad (empty, damaged, unsupported, over a limit). Inside an e-mail, each
attachment that fails is reported in ``ReadResult.failures`` as ``(name, error)`` and the
body and the other attachments still come back; robots turn each failure into its own
failed work item. ``read`` is the short form for callers that want documents only: it
returns ``read_all(...).documents`` and logs attachment failures as warnings.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from clerk.documents import Document, Page, TextSource, words_from_text
from clerk.errors import ApplicationError, BusinessError, ClerkError
from extractors.reading._mail import parse_mail
from extractors.reading._spreadsheet import read_xlsx
from extractors.reading._text import decode_text
from extractors.reading.images import read_image
from extractors.reading.pdf import read_pdf
from extractors.reading.settings import ReadingSettings
from extractors.reading.sniff import MIME, describe, sniff

log = logging.getLogger(__name__)

# Forwarded mails nest; a hostile chain must end somewhere.
_MAX_MAIL_DEPTH = 5


@dataclass(frozen=True)
class ReadResult:
    documents: tuple[Document, ...]
    failures: tuple[tuple[str, ClerkError], ...] = ()


def read_all(data: bytes, name: str, settings: ReadingSettings | None = None) -> ReadResult:
    """Every document in ``data`` (``name`` is only a label: the type comes from the bytes)."""
    return _read(data, name, settings or ReadingSettings(), depth=0)


def read(data: bytes, name: str, settings: ReadingSettings | None = None) -> list[Document]:
    """The documents in ``data``: one, or for an e-mail its body plus one per attachment."""
    result = read_all(data, name, settings)
    for failed, exc in result.failures:
        log.warning("skipped %s: %s", failed, exc)
    return list(result.documents)


def read_path(path: str | Path, settings: ReadingSettings | None = None) -> list[Document]:
    """``read`` for a file on disk; the size limit is checked before the file is loaded.
    An ``OSError`` (missing file, no permission) propagates: that is the caller's fault,
    not the document's."""
    settings = settings or ReadingSettings()
    path = Path(path)
    _check_size(path.stat().st_size, path.name, settings)
    return read(path.read_bytes(), path.name, settings)


def _read(data: bytes, name: str, settings: ReadingSettings, depth: int) -> ReadResult:
    _check_size(len(data), name, settings)
    kind = sniff(data)
    if kind == "email":
        return _read_mail(data, name, settings, depth)
    return ReadResult((_read_one(data, name, kind, settings),))


def _read_one(data: bytes, name: str, kind: str, settings: ReadingSettings) -> Document:
    if kind not in MIME:
        raise BusinessError(
            "UNSUPPORTED_TYPE",
            f"{name} looks like {describe(data)}, which Clerk does not read; send a PDF, a "
            "PNG/JPEG/TIFF scan, an .xlsx workbook, an e-mail (.eml) or plain text",
        )
    source: TextSource = "text-layer"
    try:
        if kind == "pdf":
            pages, source = read_pdf(data, settings)
        elif kind == "xlsx":
            pages = read_xlsx(data, settings)
        elif kind == "text":
            pages = (Page(1, 0.0, 0.0, words_from_text(decode_text(data, "the text"))),)
        else:
            pages, source = read_image(data, kind, settings), "ocr"
    except ClerkError as exc:
        # The readers know the content, not the name; people need both.
        raise type(exc)(exc.code, f"{name}: {exc.message}") from exc
    return Document(_sha256(data), name, MIME[kind], pages, source)


def _read_mail(data: bytes, name: str, settings: ReadingSettings, depth: int) -> ReadResult:
    if depth >= _MAX_MAIL_DEPTH:
        raise BusinessError(
            "UNSUPPORTED_TYPE",
            f"{name} is an e-mail forwarded inside {depth} others, deeper than the limit of "
            f"{_MAX_MAIL_DEPTH}; forward the innermost message directly",
        )
    mail = parse_mail(data)
    documents: list[Document] = []
    failures: list[tuple[str, ClerkError]] = [(f"{name}/{n}", e) for n, e in mail.failures]
    if mail.body_error is not None:
        if not mail.attachments:
            raise mail.body_error
        failures.append((name, mail.body_error))
    else:
        body = Page(1, 0.0, 0.0, words_from_text(mail.body))
        # A bare cover mail ("see attached") with attachments adds nothing but an empty
        # document that would fail as UNREADABLE; a mail with nothing else is kept.
        if body.words or not mail.attachments:
            documents.append(Document(_sha256(data), name, MIME["email"], (body,), "text-layer"))
    for attachment in mail.attachments:
        label = f"{name}/{attachment.name}"
        try:
            inner = _read(attachment.data, label, settings, depth + 1)
        except ClerkError as exc:
            failures.append((label, exc))
            continue
        except Exception as exc:
            failures.append((label, _internal(label, exc)))
            continue
        documents.extend(inner.documents)
        failures.extend(inner.failures)
    return ReadResult(tuple(documents), tuple(failures))


def _check_size(size: int, name: str, settings: ReadingSettings) -> None:
    if size == 0:
        raise BusinessError(
            "EMPTY_FILE",
            f"{name} has zero bytes; the upload or the scanner stopped early; send it again",
        )
    if size > settings.max_file_bytes:
        raise BusinessError(
            "FILE_TOO_LARGE",
            f"{name} has {size} bytes, more than the limit of {settings.max_file_bytes}; "
            "split it or compress its images, or raise CLERK_MAX_FILE_BYTES",
        )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _internal(name: str, exc: Exception) -> ApplicationError:
    return ApplicationError(
        "INTERNAL",
        f"unexpected {type(exc).__name__} while reading {name}: {exc}; the other documents "
        "were read; report this with the file",
    )
