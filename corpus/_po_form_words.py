"""The words of purchase-order forms (``corpus._po_form``), by key and language.

As in ``corpus._bill_words``, a wording that starts with ``!`` is held out: only the
``test`` split prints it. English follows US and UK forms; the other languages put their
own words into the same form.
"""

from __future__ import annotations

import random

from corpus._wordings import held_out, pick

_W: dict[str, dict[str, tuple[str, ...]]] = {
    "title": {
        "en": ("PURCHASE ORDER", "PURCHASE ORDER", "Purchase Order", "!PURCHASE ORDER FORM"),
        "de": ("BESTELLUNG", "Bestellung", "!BESTELLSCHEIN"),
        "fr": ("BON DE COMMANDE", "Bon de commande", "!ORDRE D'ACHAT"),
        "nl": ("INKOOPORDER", "Inkooporder", "BESTELBON"),
        "es": ("ORDEN DE COMPRA", "Orden de compra", "PEDIDO"),
        "it": ("ORDINE DI ACQUISTO", "Ordine di acquisto", "ORDINE FORNITORE"),
        "pl": ("ZAMÓWIENIE ZAKUPU", "Zamówienie", "ZAMÓWIENIE"),
    },
    "po_no": {
        "en": ("PO Number", "PO #", "P.O. No.", "PO No.", "!Order No."),
        "de": ("Bestell-Nr.", "Bestellnummer", "!Beleg-Nr."),
        "fr": ("N° de commande", "Commande n°", "!N° BC"),
        "nl": ("Ordernummer", "Inkoopordernr."),
        "es": ("N.º de pedido", "Número de orden"),
        "it": ("N. ordine", "Numero ordine"),
        "pl": ("Nr zamówienia", "Numer zamówienia"),
    },
    "po_date": {
        "en": ("PO Date", "Date", "Order Date", "!Date Issued"),
        "de": ("Bestelldatum", "Datum", "!Ausgestellt am"),
        "fr": ("Date", "Date de commande", "!Émis le"),
        "nl": ("Datum", "Orderdatum"),
        "es": ("Fecha", "Fecha de pedido"),
        "it": ("Data", "Data ordine"),
        "pl": ("Data", "Data zamówienia"),
    },
    "vendor_id": {
        "en": ("Vendor ID", "Vendor No.", "Supplier #", "Customer No.", "!Vendor Code"),
        "de": ("Lieferanten-Nr.", "Kunden-Nr.", "!Kreditor"),
        "fr": ("N° fournisseur", "Code fournisseur", "N° client"),
        "nl": ("Leveranciersnr.", "Klantnummer"),
        "es": ("N.º proveedor", "Código de proveedor"),
        "it": ("Cod. fornitore", "Codice cliente"),
        "pl": ("Nr dostawcy", "Kod dostawcy"),
    },
    "requisition": {
        "en": ("Requisition #", "Req. No.", "Requisition No.", "!Request ID"),
        "de": ("Bedarfsmeldung", "Anforderungs-Nr."),
        "fr": ("N° de demande d'achat", "Demande n°"),
        "nl": ("Aanvraagnr.", "Inkoopaanvraag"),
        "es": ("N.º de solicitud", "Solicitud"),
        "it": ("N. richiesta", "Richiesta d'acquisto"),
        "pl": ("Nr zapotrzebowania", "Zapotrzebowanie"),
    },
    "vendor": {
        "en": ("VENDOR", "Vendor", "SUPPLIER", "!SELLER"),
        "de": ("LIEFERANT", "Lieferant"),
        "fr": ("FOURNISSEUR", "Fournisseur"),
        "nl": ("LEVERANCIER", "Leverancier"),
        "es": ("PROVEEDOR", "Proveedor"),
        "it": ("FORNITORE", "Fornitore"),
        "pl": ("DOSTAWCA", "Dostawca"),
    },
    "ship_to": {
        "en": ("SHIP TO", "Ship To", "DELIVER TO", "!DELIVERY ADDRESS"),
        "de": ("LIEFERADRESSE", "Lieferanschrift", "Versand an"),
        "fr": ("ADRESSE DE LIVRAISON", "Livrer à"),
        "nl": ("AFLEVERADRES", "Leveren aan"),
        "es": ("ENVIAR A", "Dirección de entrega"),
        "it": ("CONSEGNA A", "Luogo di consegna"),
        "pl": ("ADRES DOSTAWY", "Dostawa do"),
    },
    # The row of order terms: requisitioner, ship via, F.O.B., shipping terms, payment
    # terms, required-by date.
    "terms": {
        "en": (
            "Requisitioner|Ship Via|F.O.B.|Shipping Terms|Payment Terms|Required By",
            "Requested By|Ship Via|FOB Point|Freight Terms|Terms|Delivery Date",
        ),
        "de": (
            "Besteller|Versandart|Lieferort|Lieferbedingungen|Zahlungsbedingungen|Liefertermin",
        ),
        "fr": ("Demandeur|Transport|Lieu de livraison|Incoterm|Paiement|Livraison souhaitée",),
        "nl": ("Aanvrager|Verzendwijze|Leverplaats|Leveringsvoorwaarden|Betaling|Leverdatum",),
        "es": ("Solicitante|Transporte|Lugar de entrega|Portes|Forma de pago|Fecha de entrega",),
        "it": ("Richiedente|Spedizione|Resa|Porto|Pagamento|Consegna entro",),
        "pl": (
            "Zamawiający|Sposób wysyłki|Miejsce dostawy|Warunki dostawy|Płatność|Termin dostawy",
        ),
    },
    "ship_via": {
        "en": ("UPS Ground", "FedEx Ground", "Vendor truck", "Best Way", "Common carrier", "DHL"),
        "de": ("Spedition", "DHL", "UPS", "Abholung", "Paketdienst"),
        "fr": ("Transporteur", "DHL", "Messagerie", "Enlèvement", "Colissimo"),
        "nl": ("PostNL", "DHL", "Eigen vervoer", "Transporteur"),
        "es": ("SEUR", "MRW", "Transportista", "Recogida"),
        "it": ("Corriere", "BRT", "GLS", "Ritiro"),
        "pl": ("Kurier", "DPD", "InPost", "Odbiór własny"),
    },
    "fob": {
        "en": ("Destination", "Origin", "Shipping Point", "Destination"),
        "de": ("Werk", "Empfänger", "Lager"),
        "fr": ("Usine", "Destination", "Entrepôt"),
        "nl": ("Magazijn", "Bestemming"),
        "es": ("Destino", "Almacén"),
        "it": ("Destino", "Magazzino"),
        "pl": ("Magazyn", "Siedziba odbiorcy"),
    },
    "ship_terms": {
        "en": ("Prepaid & add", "Prepaid", "Collect", "FOB Destination"),
        "de": ("frei Haus", "DAP", "ab Werk", "FCA"),
        "fr": ("franco de port", "DAP", "EXW", "port dû"),
        "nl": ("franco", "DAP", "af fabriek"),
        "es": ("portes pagados", "DAP", "EXW"),
        "it": ("franco destino", "DAP", "franco partenza"),
        "pl": ("DAP", "EXW", "franco odbiorca"),
    },
    "pay_terms": {
        "en": ("Net 30", "Net 45", "Net 60", "2% 10, Net 30", "Due on receipt"),
        "de": ("30 Tage netto", "14 Tage 2% Skonto", "60 Tage netto"),
        "fr": ("30 jours net", "45 jours fin de mois", "à réception"),
        "nl": ("30 dagen netto", "14 dagen"),
        "es": ("30 días", "60 días", "transferencia"),
        "it": ("30 gg d.f.", "60 gg f.m.", "bonifico"),
        "pl": ("przelew 30 dni", "przelew 14 dni"),
    },
    "cols": {
        "en": (
            "#|Item|Description|Qty|UOM|Unit Price|Line Total",
            "Line|Part No.|Description|Qty|Unit|Unit Cost|Extended",
            "#|Item #|Description|Quantity|UOM|Price|Total",
        ),
        "de": ("Pos.|Art.-Nr.|Bezeichnung|Menge|ME|Einzelpreis|Gesamt",),
        "fr": ("N°|Réf.|Désignation|Qté|Unité|Prix unitaire|Montant",),
        "nl": ("#|Artikelnr.|Omschrijving|Aantal|Eenh.|Prijs|Totaal",),
        "es": ("N.º|Ref.|Descripción|Cant.|Ud.|Precio unit.|Importe",),
        "it": ("N.|Cod.|Descrizione|Q.tà|U.M.|Prezzo unit.|Importo",),
        "pl": ("Lp.|Indeks|Nazwa|Ilość|J.m.|Cena jedn.|Wartość",),
    },
    "uom": {
        "en": ("EA", "EA", "PCS", "BX", "RL", "CS"),
        "de": ("Stk", "Stk", "Pck", "Rl", "Kt"),
        "fr": ("U", "pce", "bte", "rlx", "cart."),
        "nl": ("st", "st", "doos", "rol"),
        "es": ("ud", "ud", "caja", "rollo"),
        "it": ("pz", "pz", "cf", "rot"),
        "pl": ("szt.", "szt.", "opak.", "rol."),
    },
    "hours": {
        "en": ("HR",),
        "de": ("Std",),
        "fr": ("h",),
        "nl": ("uur",),
        "es": ("h",),
        "it": ("ore",),
        "pl": ("godz.",),
    },
    "subtotal": {
        "en": ("Subtotal", "Sub-total", "Merchandise Total"),
        "de": ("Zwischensumme", "Warenwert netto"),
        "fr": ("Sous-total", "Total HT"),
        "nl": ("Subtotaal",),
        "es": ("Subtotal", "Base imponible"),
        "it": ("Subtotale", "Imponibile"),
        "pl": ("Razem netto", "Suma netto"),
    },
    "tax": {
        "en": ("Tax", "Sales Tax", "Tax"),
        "de": ("MwSt.", "USt."),
        "fr": ("TVA",),
        "nl": ("btw",),
        "es": ("IVA",),
        "it": ("IVA",),
        "pl": ("VAT",),
    },
    "shipping": {
        "en": ("Shipping", "Freight", "Shipping & Handling"),
        "de": ("Versandkosten", "Fracht"),
        "fr": ("Frais de port", "Transport"),
        "nl": ("Verzendkosten",),
        "es": ("Portes", "Gastos de envío"),
        "it": ("Spese di trasporto",),
        "pl": ("Koszt dostawy", "Transport"),
    },
    "total": {
        "en": ("Total", "TOTAL", "Order Total", "!Grand Total"),
        "de": ("Gesamtbetrag", "Gesamt", "!Bestellwert"),
        "fr": ("Total TTC", "Total", "!Montant total"),
        "nl": ("Totaal",),
        "es": ("Total",),
        "it": ("Totale",),
        "pl": ("Razem", "Do zapłaty"),
    },
    "authorized": {
        "en": ("Authorized by:", "Authorized Signature:", "Approved by:"),
        "de": ("Genehmigt:", "Unterschrift:"),
        "fr": ("Autorisé par :", "Signature :"),
        "nl": ("Goedgekeurd door:", "Handtekening:"),
        "es": ("Autorizado por:", "Firma:"),
        "it": ("Autorizzato da:", "Firma:"),
        "pl": ("Zatwierdził:", "Podpis:"),
    },
    "date": {
        "en": ("Date:",),
        "de": ("Datum:",),
        "fr": ("Date :",),
        "nl": ("Datum:",),
        "es": ("Fecha:",),
        "it": ("Data:",),
        "pl": ("Data:",),
    },
    "role": {
        "en": ("Purchasing Manager", "Operations Manager", "Buyer", "Procurement Lead"),
        "de": ("Einkaufsleiter", "Einkauf", "Geschäftsführer"),
        "fr": ("Responsable achats", "Acheteur", "Directeur"),
        "nl": ("Inkoper", "Hoofd inkoop"),
        "es": ("Jefe de compras", "Comprador"),
        "it": ("Responsabile acquisti", "Buyer"),
        "pl": ("Kierownik zakupów", "Specjalista ds. zakupów"),
    },
}

# Numbered instructions under the table; {number} is the order's number (not annotated
# there: the box above holds the annotated one).
INSTRUCTIONS: dict[str, tuple[str, ...]] = {
    "en": (
        "Please send two copies of your invoice to accounts payable.",
        "Enter this order in accordance with the prices, terms, delivery method and "
        "specifications listed above.",
        "Please notify us immediately if you are unable to ship as specified.",
        "Our PO number must appear on all invoices, packing slips and correspondence.",
        "Deliveries accepted Monday to Friday, 7 am to 3 pm.",
    ),
    "de": (
        "Bitte senden Sie die Rechnung in zweifacher Ausfertigung an die Buchhaltung.",
        "Die Bestellnummer ist auf Lieferschein und Rechnung anzugeben.",
        "Lieferverzögerungen sind uns unverzüglich mitzuteilen.",
        "Es gelten unsere Allgemeinen Einkaufsbedingungen.",
        "Warenannahme Mo-Fr 7-15 Uhr.",
    ),
    "fr": (
        "Merci d'adresser votre facture en deux exemplaires au service comptabilité.",
        "Le numéro de commande doit figurer sur le bon de livraison et la facture.",
        "Tout retard de livraison doit nous être signalé immédiatement.",
        "Nos conditions générales d'achat s'appliquent.",
        "Réception des marchandises du lundi au vendredi, 7 h - 15 h.",
    ),
    "nl": (
        "Stuur uw factuur in tweevoud naar de crediteurenadministratie.",
        "Vermeld ons ordernummer op pakbon en factuur.",
        "Meld vertragingen in de levering direct.",
        "Onze algemene inkoopvoorwaarden zijn van toepassing.",
    ),
    "es": (
        "Envíen la factura por duplicado al departamento de contabilidad.",
        "Indiquen el número de pedido en el albarán y en la factura.",
        "Comuniquen de inmediato cualquier retraso en la entrega.",
        "Se aplican nuestras condiciones generales de compra.",
    ),
    "it": (
        "Inviare la fattura in duplice copia all'ufficio amministrazione.",
        "Riportare il numero d'ordine su DDT e fattura.",
        "Comunicare tempestivamente eventuali ritardi di consegna.",
        "Valgono le nostre condizioni generali di acquisto.",
    ),
    "pl": (
        "Fakturę prosimy przesłać w dwóch egzemplarzach do działu księgowości.",
        "Numer zamówienia należy podać na dokumencie WZ i fakturze.",
        "O opóźnieniach w dostawie prosimy informować niezwłocznie.",
        "Obowiązują nasze ogólne warunki zakupu.",
    ),
}

# What a US form may say on its tax line when it charges no tax.
TAX_EXEMPT = ("Tax", "Sales Tax", "Tax (exempt)")


def word(rng: random.Random, key: str, language: str, split: str) -> str:
    """One wording of ``key`` (``corpus._wordings.pick``)."""
    return pick(rng, _W[key][language], split)


def held_out_words() -> dict[str, dict[str, tuple[str, ...]]]:
    return held_out(_W)


def languages() -> set[str]:
    return set(INSTRUCTIONS).intersection(*(set(v) for v in _W.values()))
