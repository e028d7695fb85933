"""RFC 822 e-mails: the body as text and the attachments as named bytes.

The body is the text/plain part (several inline ones are joined); an HTML-only mail is
converted to text. Every other leaf part is an attachment, including forwarded messages
(``message/rfc822``) and inline images, because a scan pasted into a mail is still a
document to read. Charsets are guesses by the sender's mailer: wrong or missing labels
are decoded as well as possible (see ``_text.decode_declared``) instead of failing.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import quopri
from dataclasses import dataclass
from email.message import Message

from clerk.errors import BusinessError, ClerkError
from extractors.reading._htmltext import html_to_text
from extractors.reading._names import safe_name, unique
from extractors.reading._text import decode_declared


@dataclass(frozen=True)
class Attachment:
    name: str  # sanitized and unique within the mail
    data: bytes


@dataclass(frozen=True)
class ParsedMail:
    body: str
    body_error: ClerkError | None  # the body could not be decoded
    attachments: tuple[Attachment, ...]
    failures: tuple[tuple[str, ClerkError], ...]  # attachments lost before reading


def parse_mail(data: bytes) -> ParsedMail:
    message = email.message_from_bytes(data, policy=email.policy.default)
    plain: list[Message] = []
    html: list[Message] = []
    attachments: list[Attachment] = []
    failures: list[tuple[str, ClerkError]] = []
    taken: set[str] = set()
    for index, part in enumerate(_leaves(message), start=1):
        filename = _filename(part)
        content_type = part.get_content_type()
        if filename is None and part.get_content_disposition() != "attachment":
            if content_type == "text/plain":
                plain.append(part)
                continue
            if content_type == "text/html":
                html.append(part)
                continue
        raw_name = filename or _generated_name(index, content_type)
        try:
            name = unique(safe_name(raw_name), taken)
        except ClerkError as exc:
            # The raw name is unsafe by definition; the failure carries a generated one
            # (the message quotes the raw name for people).
            failures.append((_generated_name(index, content_type), exc))
            continue
        try:
            attachments.append(Attachment(name, _payload(part)))
        except ClerkError as exc:
            failures.append((name, exc))
    body, body_error = _body(plain, html)
    return ParsedMail(body, body_error, tuple(attachments), tuple(failures))


def _leaves(part: Message) -> list[Message]:
    # A forwarded message is one attachment (read recursively as an e-mail), not parts
    # of this one, so recursion stops at message/rfc822.
    if part.is_multipart() and part.get_content_maintype() == "multipart":
        subparts = part.get_payload()
        if isinstance(subparts, list):
            return [leaf for sub in subparts if isinstance(sub, Message) for leaf in _leaves(sub)]
        return []
    return [part]


def _body(plain: list[Message], html: list[Message]) -> tuple[str, ClerkError | None]:
    parts, convert = (plain, False) if plain else (html, True)
    texts: list[str] = []
    for part in parts:
        raw = part.get_payload(decode=True)
        if not isinstance(raw, bytes):
            continue
        try:
            text = decode_declared(raw, part.get_content_charset(), "the e-mail body")
        except ClerkError as exc:
            return "", exc
        texts.append(html_to_text(text) if convert else text)
    return "\n".join(texts), None


def _payload(part: Message) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            try:
                message = inner[0].as_bytes(policy=email.policy.SMTP)
                # RFC 2046 forbids encoding message/rfc822, but mailers (and Python's own
                # EmailMessage) do it; the parser then sees the encoded text as a body.
                encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
                if encoding == "base64":
                    return base64.b64decode(message)
                if encoding == "quoted-printable":
                    return quopri.decodestring(message)
                return message
            except (UnicodeError, ValueError, TypeError, binascii.Error) as exc:
                raise _broken("the forwarded message", exc) from exc
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        raise _broken("the attachment", TypeError("no payload"))
    return payload


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except (ValueError, LookupError, UnicodeError, TypeError, IndexError):
        # A hostile or garbled RFC 2231/2047 name: treat the part as unnamed; its bytes
        # still get read under a generated name.
        return None
    return str(name) if name is not None else None


def _generated_name(index: int, content_type: str) -> str:
    if content_type == "message/rfc822":
        return f"message-{index}.eml"
    return f"attachment-{index}"


def _broken(what: str, exc: Exception) -> BusinessError:
    return BusinessError(
        "TRUNCATED_FILE",
        f"{what} in the e-mail could not be extracted ({type(exc).__name__}: {exc}); ask the "
        "sender to attach the file again",
    )
