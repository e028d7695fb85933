"""Samples as e-mails (RFC 822 ``.eml``): the document in the body, or a short cover note
with the document attached as a text-layer PDF. Headers and MIME boundaries derive from
the sample, so the same sample always gives the same bytes."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Literal

from corpus.sample import Sample

_SUBJECT = {
    "invoice": {
        "en": "Invoice",
        "de": "Rechnung",
        "fr": "Facture",
        "nl": "Factuur",
        "es": "Factura",
        "it": "Fattura",
        "pl": "Faktura",
    },
    "purchase_order": {
        "en": "Purchase order",
        "de": "Bestellung",
        "fr": "Bon de commande",
        "nl": "Inkooporder",
        "es": "Pedido",
        "it": "Ordine d'acquisto",
        "pl": "Zamówienie",
    },
    "receipt": {
        "en": "Your receipt",
        "de": "Ihr Kassenbon",
        "fr": "Votre ticket",
        "nl": "Uw kassabon",
        "es": "Su ticket",
        "it": "Il suo scontrino",
        "pl": "Twój paragon",
    },
    "product_update": {
        "en": "Product update",
        "de": "Produktänderung",
        "fr": "Mise à jour produit",
        "nl": "Productwijziging",
        "es": "Actualización de producto",
        "it": "Aggiornamento prodotto",
        "pl": "Zmiana produktu",
    },
    "remittance_advice": {
        "en": "Remittance advice",
        "de": "Zahlungsavis",
        "fr": "Avis de paiement",
        "nl": "Betalingsadvies",
        "es": "Aviso de pago",
        "it": "Avviso di pagamento",
        "pl": "Awizo płatności",
    },
    "other": {
        "en": "Information",
        "de": "Information",
        "fr": "Information",
        "nl": "Informatie",
        "es": "Información",
        "it": "Informazioni",
        "pl": "Informacja",
    },
}
_NOTE = {
    "en": "Hello,\n\nplease find the document attached.\n\nKind regards",
    "de": "Guten Tag,\n\nanbei erhalten Sie das Dokument.\n\nMit freundlichen Grüßen",
    "fr": "Bonjour,\n\nveuillez trouver le document en pièce jointe.\n\nCordialement",
    "nl": "Geachte heer/mevrouw,\n\nin de bijlage vindt u het document.\n\nMet vriendelijke groet",
    "es": "Estimados señores:\n\nadjuntamos el documento.\n\nUn saludo",
    "it": "Buongiorno,\n\nin allegato trovate il documento.\n\nCordiali saluti",
    "pl": "Dzień dobry,\n\nw załączniku przesyłamy dokument.\n\nZ poważaniem",
}
_SENDER_FIELDS = ("vendor_name", "buyer_name", "merchant_name", "payer_name")
_REFERENCE_FIELDS = ("invoice_number", "po_number", "sku")


def _slug(text: str) -> str:
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum())[:20] or "sender"


def attachment_name(sample: Sample) -> str:
    """The file name under which ``render_email(..., attach="pdf")`` attaches the PDF."""
    reference = next((sample.truth[f] for f in _REFERENCE_FIELDS if f in sample.truth), "")
    digest = hashlib.sha256(sample.id.encode()).hexdigest()
    return f"{sample.doc_type}_{_slug(reference) or digest[:8]}.pdf"


def render_email(sample: Sample, *, attach: Literal["pdf", "none"]) -> bytes:
    if attach not in ("pdf", "none"):
        raise ValueError(f"attach is {attach!r}; use 'pdf' or 'none'")
    digest = hashlib.sha256(sample.id.encode()).hexdigest()
    sender = next((sample.truth[f] for f in _SENDER_FIELDS if f in sample.truth), "Office")
    reference = next((sample.truth[f] for f in _REFERENCE_FIELDS if f in sample.truth), "")
    when = next((sample.truth[f] for f in sample.truth if f.endswith("_date")), "2024-01-15")
    sent = datetime.combine(date.fromisoformat(when), datetime.min.time(), UTC)
    message = EmailMessage()
    message["From"] = f"{sender} <{_slug(sender)}@mail.example>"
    message["To"] = "accounts-payable@clerk.example"
    message["Subject"] = f"{_SUBJECT[sample.doc_type][sample.language]} {reference}".strip()
    message["Date"] = format_datetime(sent.replace(hour=9, minute=int(digest[:2], 16) % 60))
    message["Message-ID"] = f"<{digest[:24]}@mail.example>"
    if attach == "none":
        message.set_content(sample.text.replace("\f", "\n") + "\n")
        return message.as_bytes()
    from corpus._render_pdf import render_pdf

    message.set_content(_NOTE[sample.language] + "\n")
    name = attachment_name(sample)
    message.add_attachment(render_pdf(sample), maintype="application", subtype="pdf", filename=name)
    message.set_boundary(f"=_clerk_{digest[:32]}")
    return message.as_bytes()
