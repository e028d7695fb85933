"""Label wordings in English, German and French (Dutch, Spanish, Italian and Polish in
``corpus._labels_more``), and which of them are held out.

A wording that starts with ``!`` is held out: the ``train`` split never prints it, and the
``test`` split prints it about half of the time, so a benchmark on ``test`` measures how
well the models read labels they never saw. ``held_out_labels()`` lists them.
"""

from __future__ import annotations

import random

from corpus._labels_more import LABELS as _MORE

_L: dict[str, dict[str, tuple[str, ...]]] = {
    "invoice_title": {
        "en": ("INVOICE", "Invoice", "Tax Invoice", "VAT Invoice", "!Commercial Invoice", "!Bill"),
        "de": ("RECHNUNG", "Rechnung", "Rechnung", "!Faktura", "!Steuerrechnung"),
        "fr": ("FACTURE", "Facture", "Facture", "!Note d'honoraires", "!Facture de vente"),
    },
    "invoice_number": {
        "en": (
            "Invoice No.",
            "Invoice #",
            "Invoice Number",
            "Inv. Number",
            "Invoice no:",
            "!Inv #",
            "!Bill No.",
            "!Document No.",
        ),
        "de": (
            "Rechnung Nr.",
            "Rechnungsnummer",
            "Rechnungs-Nr.",
            "Re.-Nr.",
            "Rechnungsnr.",
            "!Beleg-Nr.",
            "!Belegnummer",
        ),
        "fr": (
            "Facture n°",
            "N° de facture",
            "Numéro de facture",
            "Facture N°",
            "Réf. facture",
            "!N° facture",
            "!Pièce n°",
        ),
    },
    "issue_date": {
        "en": (
            "Invoice Date",
            "Date",
            "Date of issue",
            "Issue date",
            "Invoice date:",
            "!Billing date",
            "!Dated",
        ),
        "de": ("Rechnungsdatum", "Datum", "Ausstellungsdatum", "Rechnungsdatum:", "!Belegdatum"),
        "fr": (
            "Date de facture",
            "Date",
            "Date d'émission",
            "Date de facturation",
            "!Émise le",
            "!Date facture",
        ),
    },
    "due_date": {
        "en": ("Due Date", "Payment due", "Due by", "Pay by", "!Payable by"),
        "de": ("Fällig am", "Zahlbar bis", "Fälligkeitsdatum", "Zahlungsziel", "!Fällig bis"),
        "fr": ("Date d'échéance", "Échéance", "À payer avant le", "!Payable au"),
    },
    "order_date": {
        "en": ("Order Date", "Date", "PO Date", "Date ordered", "!Ordered on"),
        "de": ("Bestelldatum", "Datum", "Bestellt am", "!Auftragsdatum"),
        "fr": ("Date de commande", "Date", "Commandé le", "!Date du bon"),
    },
    "delivery_date": {
        "en": ("Delivery Date", "Ship Date", "Delivered on", "Service period"),
        "de": ("Lieferdatum", "Leistungsdatum", "Liefertermin", "Versanddatum"),
        "fr": ("Date de livraison", "Livré le", "Date d'expédition"),
    },
    "po_number": {
        "en": (
            "PO Number",
            "PO #",
            "Purchase Order No.",
            "Your order",
            "P.O. No.",
            "!Order Ref.",
            "!Customer PO",
        ),
        "de": (
            "Bestellnummer",
            "Bestell-Nr.",
            "Ihre Bestellung",
            "Auftragsnummer",
            "!Ihre Bestell-Nr.",
            "!Bestellreferenz",
        ),
        "fr": (
            "Bon de commande n°",
            "N° de commande",
            "Votre commande",
            "Réf. commande",
            "!N° BC",
            "!Commande n°",
        ),
    },
    "po_title": {
        "en": ("PURCHASE ORDER", "Purchase Order", "Order", "!Procurement Order"),
        "de": ("BESTELLUNG", "Bestellung", "Auftrag", "!Einkaufsbestellung"),
        "fr": ("BON DE COMMANDE", "Bon de commande", "Commande", "!Ordre d'achat"),
    },
    "customer_number": {
        "en": ("Customer No.", "Account No.", "Customer ID", "Client ref."),
        "de": ("Kundennummer", "Kunden-Nr.", "Kd.-Nr.", "Debitor"),
        "fr": ("N° client", "Code client", "Réf. client"),
    },
    "vat_id": {
        "en": ("VAT Reg. No.", "VAT No.", "VAT ID", "Tax ID", "!VAT number"),
        "de": ("USt-IdNr.", "USt-ID", "Umsatzsteuer-ID", "UID-Nr.", "!Steuer-ID"),
        "fr": ("N° TVA intracom.", "TVA intracommunautaire", "N° TVA", "!Identifiant TVA"),
    },
    "iban": {"en": ("IBAN", "IBAN:"), "de": ("IBAN", "IBAN:"), "fr": ("IBAN", "IBAN :")},
    "bic": {"en": ("BIC", "SWIFT"), "de": ("BIC", "BIC:"), "fr": ("BIC", "Code BIC")},
    "bank": {
        "en": ("Bank", "Bank details"),
        "de": ("Bank", "Bankverbindung"),
        "fr": ("Banque", "Coordonnées bancaires"),
    },
    "phone": {
        "en": ("Phone", "Tel.", "T"),
        "de": ("Tel.", "Telefon", "Fon"),
        "fr": ("Tél.", "Téléphone", "Tél :"),
    },
    "net": {
        "en": (
            "Subtotal",
            "Net amount",
            "Total net",
            "Net total",
            "Amount excl. VAT",
            "!Sub-total",
            "!Goods value",
        ),
        "de": (
            "Zwischensumme",
            "Nettobetrag",
            "Summe netto",
            "Gesamt netto",
            "Netto",
            "!Warenwert",
            "!Nettosumme",
        ),
        "fr": ("Total HT", "Montant HT", "Sous-total", "Total hors taxes", "!Net HT", "!Base HT"),
    },
    "tax": {
        "en": ("VAT", "Tax", "VAT", "Sales tax", "!GST"),
        "de": ("MwSt.", "USt.", "Umsatzsteuer", "zzgl. MwSt.", "!Mehrwertsteuer"),
        "fr": ("TVA", "TVA", "Montant TVA", "!Taxe"),
    },
    "total": {
        "en": (
            "Total",
            "Total due",
            "Amount due",
            "Grand total",
            "Total amount",
            "Balance due",
            "!Invoice total",
            "!Please pay",
        ),
        "de": (
            "Gesamtbetrag",
            "Rechnungsbetrag",
            "Summe",
            "Gesamtsumme",
            "Endbetrag",
            "Zu zahlen",
            "!Bruttobetrag",
            "!Gesamt brutto",
        ),
        "fr": (
            "Montant TTC",
            "Total TTC",
            "Net à payer",
            "Total",
            "Montant total",
            "!À régler",
            "!Total à payer",
        ),
    },
    "bill_to": {
        "en": ("Bill to", "Invoice to", "Customer", "Sold to", "!Billed to"),
        "de": ("Rechnungsempfänger", "Kunde", "An", "!Rechnungsadresse"),
        "fr": ("Facturé à", "Client", "Destinataire", "!Adresse de facturation"),
    },
    "ship_to": {
        "en": ("Ship to", "Deliver to"),
        "de": ("Lieferadresse", "Lieferanschrift"),
        "fr": ("Livré à", "Adresse de livraison"),
    },
    "vendor": {
        "en": ("Supplier", "Vendor", "!Seller"),
        "de": ("Lieferant", "!Auftragnehmer"),
        "fr": ("Fournisseur", "!Prestataire"),
    },
    "buyer": {
        "en": ("Buyer", "Ordered by", "!Purchaser"),
        "de": ("Besteller", "!Käufer"),
        "fr": ("Acheteur", "!Donneur d'ordre"),
    },
    "col_pos": {
        "en": ("Pos.", "#", "Item"),
        "de": ("Pos.", "Pos", "Nr."),
        "fr": ("Pos.", "N°", "Ligne"),
    },
    "col_desc": {
        "en": ("Description", "Item", "Product", "Service", "!Particulars"),
        "de": ("Bezeichnung", "Beschreibung", "Artikel", "Leistung", "!Artikelbezeichnung"),
        "fr": ("Désignation", "Description", "Article", "Libellé", "!Prestation"),
    },
    "col_qty": {
        "en": ("Qty", "Quantity", "Units", "!Qty."),
        "de": ("Menge", "Anz.", "!Stück"),
        "fr": ("Qté", "Quantité", "!Qté."),
    },
    "col_unit": {
        "en": ("Unit Price", "Price", "Rate", "!Unit cost"),
        "de": ("Einzelpreis", "E-Preis", "Preis", "!Stückpreis"),
        "fr": ("Prix unitaire", "P.U. HT", "Prix", "!PU"),
    },
    "col_amount": {
        "en": ("Amount", "Total", "Line Total", "!Ext. Price"),
        "de": ("Gesamtpreis", "Betrag", "G-Preis", "!Positionsbetrag"),
        "fr": ("Montant HT", "Total", "Montant", "!Total ligne"),
    },
    "col_vat": {"en": ("VAT %", "Tax"), "de": ("MwSt.", "USt %"), "fr": ("TVA", "Taux TVA")},
    "col_sku": {
        "en": ("SKU", "Art. No."),
        "de": ("Art.-Nr.", "Artikelnr."),
        "fr": ("Réf.", "Référence"),
    },
    "page": {"en": ("Page",), "de": ("Seite",), "fr": ("Page",)},
    "of": {"en": ("of", "/"), "de": ("von", "/"), "fr": ("sur", "/")},
    "currency": {
        "en": ("Currency", "All amounts in"),
        "de": ("Währung", "Beträge in"),
        "fr": ("Devise", "Montants en"),
    },
}


for _key, _by_language in _MORE.items():
    _L[_key] = {**_L[_key], **_by_language}


def label(rng: random.Random, key: str, language: str, split: str) -> str:
    options = _L[key][language]
    seen = [o for o in options if not o.startswith("!")]
    held = [o[1:] for o in options if o.startswith("!")]
    if split == "test" and held and rng.random() < 0.5:
        return rng.choice(held)
    return rng.choice(seen)


def held_out_labels() -> dict[str, dict[str, tuple[str, ...]]]:
    """The wordings only the ``test`` split prints, by label key and language."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for key, by_language in _L.items():
        for language, options in by_language.items():
            held = tuple(o[1:] for o in options if o.startswith("!"))
            if held:
                out.setdefault(key, {})[language] = held
    return out


def train_labels() -> dict[str, dict[str, tuple[str, ...]]]:
    return {
        key: {lang: tuple(o for o in opts if not o.startswith("!")) for lang, opts in v.items()}
        for key, v in _L.items()
    }
