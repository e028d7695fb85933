from __future__ import annotations

import io
from email import message_from_bytes, policy
from email.message import EmailMessage

import pdfplumber
import pytest

import corpus
from corpus import Sample


def _parse(data: bytes) -> EmailMessage:
    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_body_carries_the_document(train: list[Sample]) -> None:
    sample = next(s for s in train if s.doc_type == "remittance_advice")
    message = _parse(corpus.render_email(sample, attach="none"))
    body = message.get_body(("plain",))
    assert body is not None
    assert body.get_content().strip() == sample.text.replace("\f", "\n")
    assert sample.truth["payer_name"] in str(message["From"])


def test_cover_note_with_pdf_attachment(train: list[Sample]) -> None:
    sample = next(s for s in train if s.doc_type == "invoice")
    data = corpus.render_email(sample, attach="pdf")
    assert data == corpus.render_email(sample, attach="pdf")
    message = _parse(data)
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1 and attachments[0].get_content_type() == "application/pdf"
    pdf_bytes = attachments[0].get_content()
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        assert sample.truth["invoice_number"] in pdf.pages[0].extract_text()
    assert sample.truth["invoice_number"] in str(message["Subject"])
    with pytest.raises(ValueError, match="attach"):
        corpus.render_email(sample, attach="zip")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("language", "subject", "greeting"),
    [("nl", "Factuur", "Geachte"), ("es", "Factura", "Estimados"),
     ("it", "Fattura", "Buongiorno"), ("pl", "Faktura", "Dzień dobry")],
)  # fmt: skip
def test_cover_note_in_the_documents_language(language: str, subject: str, greeting: str) -> None:
    sample = corpus.generate(1, 3, doc_types=["invoice"], languages=[language])[0]
    message = _parse(corpus.render_email(sample, attach="pdf"))
    assert str(message["Subject"]).startswith(subject)
    body = message.get_body(("plain",))
    assert body is not None and body.get_content().startswith(greeting)
