"""E-mails: body, attachments read recursively, wrong charsets, hostile names, failures."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from clerk.errors import BusinessError
from extractors import read, read_all
from extractors.reading._names import safe_name
from tests.unit.extractors.conftest import text_pdf

HEADERS = (
    b"From: Buchhaltung <ap@vendor.example>\r\nTo: ap@clerk.example\r\n"
    b"Subject: Rechnung 17\r\nDate: Mon, 15 Jan 2024 09:00:00 +0100\r\nMIME-Version: 1.0\r\n"
)
BODY = "Grüße – die Rechnung über 12,50 € folgt. Façade Straße"


def raw_mail(body: bytes, content_type: str) -> bytes:
    return (
        HEADERS
        + f"Content-Type: {content_type}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n".encode()
        + body
    )


def mail_with(attachments: list[tuple[str, bytes, str]], body: str = "See attached.") -> bytes:
    message = EmailMessage()
    message["From"] = "ap@vendor.example"
    message["To"] = "ap@clerk.example"
    message["Subject"] = "Documents"
    message.set_content(body)
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return text_pdf([[(60, 100, "Invoice INV-9 total 10.00", "Helvetica", 10)]])


def test_body_and_each_attachment_are_documents(pdf: bytes) -> None:
    data = mail_with(
        [("invoice.pdf", pdf, "application/pdf"), ("notes.txt", b"Order 55\n", "text/plain")],
        body="Hello,\nplease find the invoice attached.",
    )
    documents = read(data, "mail.eml")
    assert [d.name for d in documents] == ["mail.eml", "mail.eml/invoice.pdf", "mail.eml/notes.txt"]
    body, invoice, notes = documents
    assert body.mime == "message/rfc822"
    assert body.text == "Hello,\nplease find the invoice attached."
    assert invoice.mime == "application/pdf" and invoice.text == "Invoice INV-9 total 10.00"
    assert invoice.pages[0].words[0].box is not None
    assert notes.text == "Order 55"


def test_mail_is_detected_by_headers_not_name(pdf: bytes) -> None:
    documents = read(mail_with([("a.pdf", pdf, "application/pdf")]), "upload.bin")
    assert documents[0].mime == "message/rfc822"


def test_cover_mail_without_text_is_not_an_empty_document(pdf: bytes) -> None:
    documents = read(mail_with([("a.pdf", pdf, "application/pdf")], body="\n"), "m.eml")
    assert [d.name for d in documents] == ["m.eml/a.pdf"]


def test_html_only_body_becomes_text_without_tags() -> None:
    html = (
        "<html><head><style>p {color: red}</style><title>x</title></head><body>"
        "<p>Invoice&nbsp;<b>INV-3</b>\n   due</p><table><tr><td>Total</td><td>9.00 &euro;</td>"
        "</tr></table><script>alert(1)</script></body></html>"
    )
    data = raw_mail(html.encode(), "text/html; charset=utf-8")
    (document,) = read(data, "html.eml")
    assert document.text == "Invoice INV-3 due\nTotal 9.00 €"


@pytest.mark.parametrize(
    ("encoding", "content_type"),
    [
        ("cp1252", "text/plain; charset=windows-1252"),  # declared, right
        ("cp1252", "text/plain"),  # undeclared
        ("cp1252", "text/plain; charset=utf-8"),  # declared, wrong
        ("latin-1", "text/plain; charset=iso-8859-1"),
        ("latin-1", "text/plain"),
        ("utf-8", "text/plain; charset=iso-8859-1"),  # UTF-8 mislabelled as latin-1
        ("utf-8", "text/plain; charset=x-no-such-charset"),  # unknown label
    ],
)
def test_non_utf8_bodies_decode(encoding: str, content_type: str) -> None:
    body = BODY if encoding != "latin-1" else BODY.replace("–", "-").replace(" €", " EUR")
    (document,) = read(raw_mail(body.encode(encoding), content_type), "mail.eml")
    assert document.text == body


def test_byte_order_mark_beats_the_declared_charset() -> None:
    data = raw_mail(b"\xef\xbb\xbf" + BODY.encode("utf-8"), "text/plain; charset=iso-8859-1")
    (document,) = read(data, "bom.eml")
    assert document.text == BODY


def test_undecodable_body_is_bad_encoding() -> None:
    junk = bytes(range(0, 32)) * 20 + b"\xff\xfe\x00\x00" * 20
    with pytest.raises(BusinessError) as caught:
        read(raw_mail(junk, "text/plain; charset=utf-8"), "junk.eml")
    assert caught.value.code == "BAD_ENCODING"
    assert "e-mail body" in caught.value.message


def test_path_traversal_names_are_sanitized_and_reading_goes_on(pdf: bytes) -> None:
    data = mail_with(
        [
            ("../../etc/passwd", b"root:x:0:0\n", "text/plain"),
            ("C:\\Windows\\System32\\evil.pdf", pdf, "application/pdf"),
            ("/abs/path/report.txt", b"absolute\n", "text/plain"),
            ("..", b"nothing safe\n", "text/plain"),
            ("invoice.pdf", pdf, "application/pdf"),
            ("invoice.pdf", pdf, "application/pdf"),
        ]
    )
    result = read_all(data, "mail.eml")
    names = [d.name for d in result.documents]
    assert names == [
        "mail.eml",
        "mail.eml/passwd",
        "mail.eml/evil.pdf",
        "mail.eml/report.txt",
        "mail.eml/invoice.pdf",
        "mail.eml/invoice (2).pdf",
    ]
    assert all(".." not in n and "\\" not in n for n in names)
    [(failed, error)] = result.failures
    assert failed == "mail.eml/attachment-5"
    assert error.code == "UNSAFE_NAME" and "'..'" in error.message


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("/etc/shadow", "shadow"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("in\x00voice.pdf", "invoice.pdf"),
        ("  .hidden.pdf ", "hidden.pdf"),
        ("Rechnung: März?.pdf", "Rechnung März.pdf"),
    ],
)
def test_safe_name(raw: str, safe: str) -> None:
    assert safe_name(raw) == safe


@pytest.mark.parametrize("raw", ["..", "/", "\x00\x00", "../..", "CON", "nul.txt"])
def test_nothing_safe_left_is_unsafe_name(raw: str) -> None:
    with pytest.raises(BusinessError) as caught:
        safe_name(raw)
    assert caught.value.code == "UNSAFE_NAME"


def test_bad_attachment_is_a_failure_and_the_others_come_back(pdf: bytes) -> None:
    data = mail_with(
        [
            ("first.pdf", pdf, "application/pdf"),
            ("cut.pdf", pdf[: len(pdf) // 2], "application/pdf"),
            ("empty.txt", b"", "text/plain"),
            ("last.txt", b"still here\n", "text/plain"),
        ]
    )
    result = read_all(data, "mail.eml")
    assert [d.name for d in result.documents] == [
        "mail.eml",
        "mail.eml/first.pdf",
        "mail.eml/last.txt",
    ]
    assert [(n, e.code) for n, e in result.failures] == [
        ("mail.eml/cut.pdf", "TRUNCATED_FILE"),
        ("mail.eml/empty.txt", "EMPTY_FILE"),
    ]
    # read() keeps the simple signature: documents only
    assert [d.name for d in read(data, "mail.eml")] == [d.name for d in result.documents]


def test_undecodable_body_with_attachments_keeps_the_attachments(pdf: bytes) -> None:
    message = EmailMessage()
    message["From"] = "a@b.example"
    message["Subject"] = "x"
    message.set_content(bytes(range(32)) * 10, maintype="text", subtype="plain")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="keep.pdf")
    result = read_all(message.as_bytes(), "m.eml")
    assert [d.name for d in result.documents] == ["m.eml/keep.pdf"]
    assert [(n, e.code) for n, e in result.failures] == [("m.eml", "BAD_ENCODING")]


def test_forwarded_mail_is_read_recursively(pdf: bytes) -> None:
    inner = mail_with([("inner.pdf", pdf, "application/pdf")], body="Forwarded body")
    outer = EmailMessage()
    outer["From"] = "boss@clerk.example"
    outer["To"] = "ap@clerk.example"
    outer.set_content("FYI")
    outer.add_attachment(inner, maintype="message", subtype="rfc822", filename="fwd.eml")
    documents = read(outer.as_bytes(), "outer.eml")
    assert [d.name for d in documents] == [
        "outer.eml",
        "outer.eml/fwd.eml",
        "outer.eml/fwd.eml/inner.pdf",
    ]
    assert documents[1].text == "Forwarded body"
    assert documents[2].text == "Invoice INV-9 total 10.00"
