"""The words of invoices that billing systems send (``corpus._bill``), by key and language.

Every table is keyed by language, so a new language is one entry per table; a generator
only prints the languages it supports. As in ``corpus._labels``, a wording that starts with
``!`` is held out: only the ``test`` split prints it. Sentences name their parts in braces
(``{amount}``, ``{date}``); an annotated part is never glued to punctuation, so its span
ends at a word boundary.
"""

from __future__ import annotations

import random

from corpus._wordings import held_out, pick

_W: dict[str, dict[str, tuple[str, ...]]] = {
    "title_hosting": {
        "en": ("Invoice", "INVOICE", "Invoice", "!Billing statement"),
        "de": ("Rechnung", "RECHNUNG", "!Abrechnung"),
        "fr": ("Facture", "FACTURE", "!Relevé de facturation"),
        "nl": ("Factuur", "!Afrekening"),
        "es": ("Factura", "!Extracto de facturación"),
    },
    "title_utility": {
        "en": ("Your energy bill", "Your bill", "Your monthly bill", "!Your statement"),
        "de": ("Ihre Rechnung", "Ihre Stromrechnung", "Ihre Mobilfunkrechnung", "!Ihre Abrechnung"),
        "fr": (
            "Votre facture",
            "Votre facture d'électricité",
            "Votre facture mobile",
            "!Votre relevé",
        ),
        "nl": ("Uw factuur", "Uw energierekening", "!Uw afrekening"),
        "es": ("Su factura", "Su factura de luz", "!Su extracto"),
    },
    "title_shop": {
        "en": ("Tax Invoice", "Invoice", "Tax Invoice/Bill of Supply", "!Order invoice"),
        "de": ("Rechnung", "Rechnung / Lieferschein", "!Bestellrechnung"),
        "fr": ("Facture", "Facture / Bon de livraison", "!Facture de commande"),
        "nl": ("Factuur", "!Bestelfactuur"),
        "es": ("Factura", "!Factura de pedido"),
    },
    "invoice_no": {
        "en": ("Invoice number", "Invoice number:", "Invoice No.", "Invoice #", "!Invoice ID"),
        "de": ("Rechnungsnummer", "Rechnungsnummer:", "Rechnungsnr.", "!Rechnungs-ID"),
        "fr": ("Numéro de facture", "N° de facture :", "Facture n°", "!Identifiant facture"),
        "nl": ("Factuurnummer", "Factuurnr.", "!Factuur-ID"),
        "es": ("Número de factura", "N.º de factura", "!ID de factura"),
    },
    "issue": {
        "en": ("Date of issue", "Invoice date", "Bill date", "Invoice Date:", "!Statement date"),
        "de": ("Rechnungsdatum", "Rechnungsdatum:", "Datum", "!Erstellt am"),
        "fr": ("Date de facture", "Date de facture :", "Date d'émission", "!Éditée le"),
        "nl": ("Factuurdatum", "Datum", "!Aangemaakt op"),
        "es": ("Fecha de factura", "Fecha de emisión", "!Emitida el"),
    },
    "due": {
        "en": ("Payment due", "Due date", "Due", "!Amount due by"),
        "de": ("Fällig am", "Zahlbar bis", "!Fälligkeit"),
        "fr": ("Date d'échéance", "À payer avant le", "!Échéance le"),
        "nl": ("Vervaldatum", "Te betalen voor", "!Uiterste betaaldatum"),
        "es": ("Fecha de vencimiento", "Vence el", "!Pagar antes del"),
    },
    "account": {
        "en": (
            "Account number",
            "Account no.",
            "Customer ID",
            "Customer number",
            "!Billing account",
        ),
        "de": ("Kundennummer", "Vertragskonto", "Kundenkonto", "!Vertragsnummer"),
        "fr": ("N° client", "Référence client", "N° de compte", "!Identifiant client"),
        "nl": ("Klantnummer", "Contractnummer", "!Klant-ID"),
        "es": ("Número de cliente", "N.º de contrato", "!ID de cliente"),
    },
    "order_no": {
        "en": ("Order Number", "Order #", "Order ID", "!Purchase ID"),
        "de": ("Bestellnummer", "Bestell-Nr.", "!Auftragsnummer"),
        "fr": ("N° de commande", "Commande n°", "!Référence commande"),
        "nl": ("Bestelnummer", "!Ordernummer"),
        "es": ("Número de pedido", "!N.º de orden"),
    },
    "order_date": {
        "en": ("Order Date", "Order placed", "!Ordered on"),
        "de": ("Bestelldatum", "Bestellt am", "!Auftragsdatum"),
        "fr": ("Date de commande", "Commandé le", "!Passée le"),
        "nl": ("Besteldatum", "!Besteld op"),
        "es": ("Fecha del pedido", "!Pedido el"),
    },
    "period": {
        "en": ("Bill period", "Billing period", "Service period", "!Usage period"),
        "de": ("Abrechnungszeitraum", "Leistungszeitraum", "!Zeitraum"),
        "fr": ("Période de facturation", "Période", "!Période de consommation"),
        "nl": ("Factuurperiode", "!Verbruiksperiode"),
        "es": ("Periodo de facturación", "!Periodo de consumo"),
    },
    "bill_to": {
        "en": ("Bill to", "Billed to", "Billing Address:", "!Invoice to"),
        "de": ("Rechnungsadresse", "Rechnungsempfänger", "!Rechnung an"),
        "fr": ("Adresse de facturation", "Facturé à", "!Client"),
        "nl": ("Factuuradres", "!Gefactureerd aan"),
        "es": ("Dirección de facturación", "!Facturar a"),
    },
    "ship_to": {
        "en": ("Shipping Address:", "Ship to", "Delivery address"),
        "de": ("Lieferadresse", "Versandadresse"),
        "fr": ("Adresse de livraison", "Livré à"),
        "nl": ("Afleveradres",),
        "es": ("Dirección de envío",),
    },
    "sold_by": {
        "en": ("Sold By:", "Sold by", "Seller", "!Dispatched by"),
        "de": ("Verkauft von", "Verkäufer", "!Händler"),
        "fr": ("Vendu par", "Vendeur", "!Expédié par"),
        "nl": ("Verkocht door", "!Verkoper"),
        "es": ("Vendido por", "!Vendedor"),
    },
    "net": {
        "en": ("Subtotal", "Total charges before VAT", "Total excl. tax", "!Net charges"),
        "de": ("Zwischensumme", "Summe netto", "Nettobetrag", "!Summe ohne USt."),
        "fr": ("Sous-total", "Total HT", "Montant HT", "!Total hors taxes"),
        "nl": ("Subtotaal", "Totaal excl. btw", "!Netto"),
        "es": ("Subtotal", "Base imponible", "!Total sin IVA"),
    },
    "tax": {
        "en": ("Tax", "VAT", "Sales tax", "!GST"),
        "de": ("USt.", "MwSt.", "!Umsatzsteuer"),
        "fr": ("TVA", "!T.V.A."),
        "nl": ("Btw", "!BTW"),
        "es": ("IVA", "!I.V.A."),
    },
    "total_hosting": {
        "en": ("Total", "Total", "Total (incl. tax)", "!Invoice total"),
        "de": ("Gesamt", "Rechnungsbetrag", "!Gesamtsumme"),
        "fr": ("Total", "Total TTC", "!Montant total"),
        "nl": ("Totaal", "!Totaalbedrag"),
        "es": ("Total", "!Importe total"),
    },
    "total_utility": {
        "en": ("Total charges this bill", "Total charges", "Total amount", "!This bill's total"),
        "de": ("Rechnungsbetrag", "Gesamtbetrag", "Summe brutto", "!Betrag dieser Rechnung"),
        "fr": ("Total TTC", "Montant total de la facture", "!Total de votre facture"),
        "nl": ("Totaal deze factuur", "!Totaalbedrag"),
        "es": ("Total factura", "!Importe total"),
    },
    "total_shop": {
        "en": ("TOTAL:", "Grand Total", "Order total", "!Invoice Value"),
        "de": ("GESAMT", "Gesamtsumme", "!Endbetrag"),
        "fr": ("TOTAL", "Total TTC", "!Montant TTC"),
        "nl": ("TOTAAL", "!Eindtotaal"),
        "es": ("TOTAL", "!Total pedido"),
    },
    "amount_due": {
        "en": ("Amount due", "Balance due", "!Amount outstanding"),
        "de": ("Offener Betrag", "Zu zahlen", "!Restbetrag"),
        "fr": ("Montant à payer", "Reste à payer", "!Solde dû"),
        "nl": ("Te betalen", "!Openstaand bedrag"),
        "es": ("Importe pendiente", "!Saldo pendiente"),
    },
    "cols_hosting": {  # description, hours, rate, start, end, amount
        "en": (
            "Description|Hours|Rate|Start|End|Amount",
            "Service|Hours|Per hour|From|To|{currency}",
        ),
        "de": ("Beschreibung|Stunden|Preis/h|Von|Bis|Betrag",),
        "fr": ("Description|Heures|Prix/h|Début|Fin|Montant",),
        "nl": ("Omschrijving|Uren|Prijs/u|Van|Tot|Bedrag",),
        "es": ("Descripción|Horas|Precio/h|Desde|Hasta|Importe",),
    },
    "cols_utility": {  # description, quantity, rate, amount
        "en": ("Charges|Quantity|Rate|Amount", "Description|Usage|Unit rate|Cost"),
        "de": ("Leistung|Menge|Preis|Betrag", "Position|Verbrauch|Arbeitspreis|Netto"),
        "fr": ("Détail de vos services|Quantité|Prix unitaire|Montant HT",),
        "nl": ("Omschrijving|Verbruik|Tarief|Bedrag",),
        "es": ("Concepto|Consumo|Precio|Importe",),
    },
    "cols_shop": {  # no, description, unit price, qty, net, tax rate, tax, total
        "en": ("Sl.No|Description|Unit Price|Qty|Net Amount|Tax Rate|Tax Amount|Total Amount",),
        "de": ("Nr.|Artikel|Einzelpreis|Menge|Netto|USt.-Satz|USt.|Brutto",),
        "fr": ("N°|Article|Prix unitaire HT|Qté|Montant HT|Taux TVA|TVA|Montant TTC",),
        "nl": ("Nr.|Artikel|Prijs|Aantal|Netto|Btw %|Btw|Totaal",),
        "es": ("N.º|Artículo|Precio|Cant.|Base|% IVA|IVA|Total",),
    },
    "paid_card": {
        "en": (
            "Paid by {card} ending {last4} on {date}.",
            "Payment received - thank you. Charged to {card} **** {last4} on {date}.",
            "!Your {card} card ending in {last4} was charged on {date}.",
        ),
        "de": (
            "Bezahlt mit {card} endend auf {last4} am {date}.",
            "Zahlung erhalten, vielen Dank. Belastet: {card} **** {last4} am {date}.",
            "!Ihre {card}-Karte ({last4}) wurde am {date} belastet.",
        ),
        "fr": (
            "Payée par {card} se terminant par {last4} le {date}.",
            "Paiement reçu, merci. Carte {card} **** {last4} débitée le {date}.",
            "!Votre carte {card} finissant par {last4} a été débitée le {date}.",
        ),
        "nl": ("Betaald met {card} eindigend op {last4} op {date}.",),
        "es": ("Pagado con {card} terminada en {last4} el {date}.",),
    },
    "direct_debit": {
        "en": (
            "We'll collect {amount} by Direct Debit on or after {date}",
            "{amount} will be taken by Direct Debit on {date}",
            "!Your Direct Debit of {amount} is due on {date}",
        ),
        "de": (
            "Der Betrag von {amount} wird am {date} per SEPA-Lastschrift eingezogen.",
            "Wir buchen {amount} am {date} von Ihrem Konto ab.",
            "!Die Lastschrift über {amount} erfolgt zum {date}",
        ),
        "fr": (
            "Le montant de {amount} sera prélevé le {date} sur votre compte.",
            "Montant à payer {amount} prélevé le {date}",
            "!Prélèvement de {amount} à compter du {date}",
        ),
        "nl": ("Wij schrijven {amount} af op {date} via automatische incasso.",),
        "es": ("Cargaremos {amount} en su cuenta el {date} por domiciliación.",),
    },
    "due_banner": {  # the amount and due date printed big above the rows
        "en": ("{amount} due {date}", "Amount due {amount} by {date}"),
        "de": ("{amount} fällig am {date}", "Zu zahlen {amount} bis {date}"),
        "fr": ("{amount} à payer avant le {date}", "Montant à payer {amount} le {date}"),
        "nl": ("{amount} te betalen voor {date}",),
        "es": ("{amount} a pagar antes del {date}",),
    },
    "greeting": {
        "en": ("Thanks for using our services.", "Hello, here is your bill for this month."),
        "de": (
            "Sehr geehrte Damen und Herren, für die folgenden Leistungen erlauben wir uns, "
            "Ihnen in Rechnung zu stellen:",
            "Vielen Dank, dass Sie unsere Dienste nutzen.",
        ),
        "fr": ("Merci d'avoir choisi nos services.", "Voici le détail de votre facture du mois."),
        "nl": ("Bedankt voor het gebruik van onze diensten.",),
        "es": ("Gracias por utilizar nuestros servicios.",),
    },
}

HOSTING_ITEMS = (
    "Droplet s-1vcpu-2gb",
    "Droplet s-2vcpu-4gb",
    "Cloud Server CX22",
    "Dedicated Server AX41-NVMe",
    "Managed Database PostgreSQL",
    "Volumes (100 GiB)",
    "Object Storage 250 GiB",
    "Load Balancer",
    "Backups",
    "Snapshot storage",
    "Kubernetes node pool",
    "Additional IPv4 address",
    "Bandwidth overage",
    "Support plan Business",
)
HOSTING_TAGS = ("web-01", "worker-01", "db-main", "data-01", "api-02", "#1844201", "prod", "")

# Energy first, then telecom (``TELECOM_FROM``): one bill draws from one of the two.
# Names by language, in the order of ``UTILITY_ITEMS``: (unit, price range, quantity range).
UTILITY_NAMES = {
    "en": (
        "Electricity",
        "Gas",
        "Standing charge",
        "Monthly plan Fibre 500",
        "Mobile plan 20 GB",
        "Calls outside plan",
        "TV option",
    ),
    "de": (
        "Strom Arbeitspreis",
        "Gas Arbeitspreis",
        "Grundpreis",
        "Tarif MagentaZuhause L",
        "Mobilfunktarif 20 GB",
        "Verbindungen außerhalb des Tarifs",
        "TV-Option",
    ),
    "fr": (
        "Consommation électricité",
        "Consommation gaz",
        "Abonnement",
        "Forfait Livebox Fibre",
        "Forfait mobile 20 Go",
        "Appels hors forfait",
        "Option TV",
    ),
    "nl": (
        "Elektriciteit",
        "Gas",
        "Vaste kosten",
        "Abonnement Glasvezel",
        "Mobiel abonnement 20 GB",
        "Bellen buiten bundel",
        "TV-pakket",
    ),
    "es": (
        "Energía consumida",
        "Gas natural",
        "Término fijo",
        "Tarifa Fibra 600Mb",
        "Tarifa móvil 20 GB",
        "Llamadas fuera de tarifa",
        "Opción TV",
    ),
}
UTILITY_ITEMS: tuple[tuple[int, str, tuple[float, float], tuple[int, int]], ...] = (
    (0, "kWh", (0.18, 0.36), (120, 900)),
    (1, "kWh", (0.05, 0.12), (300, 2400)),
    (2, "days", (0.25, 0.65), (28, 31)),
    (3, "", (19.0, 59.0), (1, 1)),
    (4, "", (9.0, 35.0), (1, 3)),
    (5, "min", (0.05, 0.20), (10, 240)),
    (6, "", (4.0, 15.0), (1, 1)),
)
TELECOM_FROM = 3
UNIT_WORDS = {
    "days": {"en": "days", "de": "Tage", "fr": "jours", "nl": "dagen", "es": "días"},
    "min": {"en": "min", "de": "Min.", "fr": "min", "nl": "min", "es": "min"},
    "kWh": {"en": "kWh", "de": "kWh", "fr": "kWh", "nl": "kWh", "es": "kWh"},
}
CARDS = ("Visa", "Mastercard", "American Express", "Amex", "VISA")
US_STATE_TAX = {"NY": "8.875", "CA": "7.25", "TX": "8.25", "WA": "10.1", "IL": "6.25"}


def word(rng: random.Random, key: str, language: str, split: str) -> str:
    """One wording of ``key`` (``corpus._wordings.pick``)."""
    return pick(rng, _W[key][language], split)


def held_out_words() -> dict[str, dict[str, tuple[str, ...]]]:
    return held_out(_W)


def languages() -> set[str]:
    """The languages every table speaks."""
    return set(UTILITY_NAMES).intersection(*(set(v) for v in _W.values()))
