"""The label lexicon of ``extractors.keyvalue``: the words that name a field on a page.

Phrases in English, German and French, written as real documents print them (not taken
from the synthetic corpus, whose held-out wordings measure how well this generalizes).
They are matched on words' tokens, case- and accent-insensitive, longest phrase first
("Total net" is net, "Total" is total). ``OTHER`` labels name no extracted field: they
end a search (a delivery date's value is not the invoice date) and give nothing.
"""

from __future__ import annotations

# The schema's own document date takes the generic "Date" label.
DOCUMENT_DATES = ("issue_date", "order_date", "receipt_date", "payment_date")
DOCUMENT_DATE = "document_date"
OTHER = "other"  # labels that name no extracted field: they stop a search, give nothing

# Label phrases per role; matched on words' tokens, case- and accent-insensitive, the
# longest phrase first ("Total net" is net, "Total" is total).
LEXICON: dict[str, tuple[str, ...]] = {
    DOCUMENT_DATE: ("date", "datum", "document date", "date du document", "dokumentdatum"),
    "issue_date": (
        "invoice date", "date of invoice", "issue date", "date of issue", "dated", "issued",
        "issued on", "invoice dt", "billing date", "bill date", "tax point", "tax date",
        "rechnungsdatum", "ausstellungsdatum", "ausgestellt am", "rechnungs datum",
        "belegdatum", "date de facture", "date facture", "date de la facture",
        "date d'émission", "date d'emission", "date de facturation", "émise le", "émis le",
        "facturé le", "fait le",
    ),
    "due_date": (
        "due date", "date due", "payment due", "payment due date", "due by", "due on",
        "pay by", "payable by", "payable until", "payment deadline", "due", "fällig am",
        "fällig bis", "fällig", "fälligkeit", "fälligkeitsdatum", "zahlbar bis",
        "zahlbar am", "zahlungsfrist", "date d'échéance", "échéance", "échéance le",
        "à payer avant le", "payable avant le", "à régler avant le", "payable le",
        "date limite de paiement", "date limite de règlement",
    ),
    "order_date": (
        "order date", "date of order", "po date", "purchase order date", "date ordered",
        "ordered on", "bestelldatum", "bestellt am", "auftragsdatum", "bestellungsdatum",
        "date de commande", "date de la commande", "commandé le", "date commande",
    ),
    "receipt_date": (
        "receipt date", "purchase date", "date of purchase", "transaction date", "sale date",
        "kaufdatum", "verkaufsdatum", "date d'achat", "date de vente", "date du ticket",
    ),
    "payment_date": (
        "payment date", "date of payment", "paid on", "value date", "zahlungsdatum",
        "bezahlt am", "überwiesen am", "valuta", "date de paiement", "date de règlement",
        "payé le", "réglé le", "date de valeur",
    ),
    "invoice_number": (
        "invoice no", "invoice #", "invoice number", "invoice nr", "invoice id", "inv no",
        "inv #", "inv number", "bill no", "bill number", "document no", "document number",
        "rechnung nr", "rechnungsnummer", "rechnungs nr", "rechnungsnr", "re nr", "rg nr",
        "beleg nr", "belegnummer", "facture n°", "facture no", "n° de facture",
        "no de facture", "numéro de facture", "n° facture", "no facture", "réf facture",
        "numéro facture",
    ),
    "po_number": (
        "po number", "po #", "po no", "p o no", "p o number", "purchase order no",
        "purchase order number", "purchase order #", "order no", "order number",
        "order #", "order ref", "your order", "your order no", "customer po",
        "bestellnummer", "bestell nr", "ihre bestellung", "ihre bestell nr",
        "auftragsnummer", "auftrag nr", "auftrags nr", "bestellung nr",
        "bon de commande n°", "n° de commande", "numéro de commande", "votre commande",
        "réf commande", "commande n°", "n° bc", "bc n°",
    ),
    "vendor_name": (
        "supplier", "vendor", "seller", "sold by", "lieferant", "verkäufer", "anbieter",
        "auftragnehmer", "fournisseur", "vendeur", "prestataire", "émetteur",
    ),
    "buyer_name": (
        "buyer", "purchaser", "ordered by", "besteller", "käufer", "auftraggeber",
        "acheteur", "commandé par", "donneur d'ordre",
    ),
    "payer_name": ("payer", "paid by", "remitter", "zahler", "zahlungspflichtiger", "payeur"),
    "merchant_name": ("merchant", "store", "shop", "händler", "geschäft", "magasin"),
    "currency": (
        "currency", "all amounts in", "amounts in", "währung", "beträge in", "devise",
        "montants en",
    ),
    "iban": ("iban",),
    "total_amount": (
        "total", "total due", "amount due", "grand total", "total amount", "balance due",
        "invoice total", "total payable", "amount payable", "gesamtbetrag",
        "rechnungsbetrag", "gesamtsumme", "endbetrag", "zu zahlen", "bruttobetrag",
        "gesamt brutto", "summe brutto", "zahlbetrag", "montant ttc", "total ttc",
        "net à payer", "montant total", "total à payer", "montant dû", "à payer",
    ),
    "net_amount": (
        "subtotal", "sub total", "net amount", "total net", "net total", "amount excl vat",
        "total excl vat", "zwischensumme", "nettobetrag", "summe netto", "gesamt netto",
        "netto", "nettosumme", "total ht", "montant ht", "sous total", "total hors taxes",
    ),
    "tax_amount": (
        "vat", "tax", "sales tax", "vat amount", "tax amount", "mwst", "ust",
        "umsatzsteuer", "zzgl mwst", "mehrwertsteuer", "tva", "montant tva", "total tva",
    ),
    OTHER: (
        "delivery date", "ship date", "shipping date", "service date", "service period",
        "delivered on", "customer no", "customer number", "customer id", "account no",
        "lieferdatum", "liefertermin", "leistungsdatum", "versanddatum", "lieferung",
        "kundennummer", "kunden nr", "kd nr", "date de livraison", "livré le",
        "date d'expédition", "n° client", "code client", "page", "seite", "tel", "phone",
        "bic", "swift", "valid until", "gültig bis", "valable jusqu'au",
        # VAT ids: the customer's is printed under the same label as the vendor's, so
        # a label cannot say whose it is; they only stop a search.
        "vat no", "vat id", "vat reg no", "vat number", "vat registration no", "tax id",
        "ust idnr", "ust id", "ust id nr", "umsatzsteuer id", "uid nr", "uid",
        "n° tva", "n° tva intracom", "tva intracommunautaire", "numéro de tva",
        "n° de tva", "identifiant tva",
    ),
}  # fmt: skip
