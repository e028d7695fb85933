"""The label lexicon of ``extractors._keyvalue``: the words that name a field on a page.

Phrases in English, German, French, Dutch, Spanish, Italian and Polish, written as real
documents and till receipts print them (not taken from the synthetic corpus, whose
held-out wordings measure how well this generalizes). They are matched on words' tokens,
case- and accent-insensitive (``ł`` reads as ``l``), longest phrase first ("Total net"
is net, "Total" is total, "Totaal excl. BTW" is net). A tax rate printed with a label
("Tax 8%", "VAT @ 20%", "IVA al 22%") is part of the label, never its value
(``extractors._keyvalue``), so no phrase here carries one. ``OTHER`` labels name no
extracted field: they end a search (a delivery date's value is not the invoice date, a
customer number is not the invoice number, the cash handed over is not a receipt's
total) and give nothing.

A phrase belongs to one role only (``tests/unit/extractors/test_keyvalue_languages.py``
checks it): where languages disagree, the older entry wins ("Valuta" is German's value
date, not the Dutch or Italian currency; "Data sprzedaży" is a receipt's date).
"""

from __future__ import annotations

# The schema's own document date takes the generic "Date" label.
DOCUMENT_DATES = ("issue_date", "order_date", "receipt_date", "payment_date")
DOCUMENT_DATE = "document_date"
OTHER = "other"  # labels that name no extracted field: they stop a search, give nothing
# A signature's labels: a bare "Date" on their line is the day it was signed, not the
# document's date ("Authorized by: ____  J. Smith, Buyer  Date: 03/14/2026").
SIGNATURE = "signature"

# VAT ids: the customer's is printed under the same label as the vendor's, so a label
# cannot say whose it is. They only stop a search (``OTHER``); an invoice that prints one
# and has no VAT id read goes to a person (``extractors.validate.labelled_but_unread``).
VAT_ID_LABELS: tuple[str, ...] = (
    "vat no", "vat id", "vat reg no", "vat number", "vat registration no", "tax id",
    "ust idnr", "ust id", "ust id nr", "umsatzsteuer id", "uid nr", "uid",
    "n° tva", "n° tva intracom", "tva intracommunautaire", "numéro de tva",
    "n° de tva", "identifiant tva",
    "gst no", "gst reg no", "gst registration no", "gst id", "gst id no", "gst reg",
    "gst reg #", "gst #", "sst id", "sst reg no", "sst no", "sales tax reg no",
    "sales tax registration no", "sales tax id", "tax reg no", "tax registration no",
    "tax no", "steuernummer", "steuer nr", "btw nr", "btw nummer", "btw id",
    "btw identificatienummer", "btw no", "nif", "cif", "n i f", "c i f", "nif cif",
    "dni", "n° iva", "nif iva", "partita iva", "p iva", "p i", "codice fiscale", "c f",
    "cod fisc", "nip", "nip ue", "regon", "krs", "pesel",
)  # fmt: skip

# The ``po_number`` labels that name the buyer's own purchase order ("PO #", "Your
# order", "Ihre Bestellung", "Votre commande"): on an invoice, a plain "Order number" or
# "Auftragsnummer" is as often the seller's or a marketplace's own order number.
BUYERS_ORDER: tuple[str, ...] = (
    "po number", "po #", "po no", "p o no", "p o number", "purchase order no",
    "purchase order number", "purchase order #", "your order", "your order no",
    "customer po", "ihre bestellung", "ihre bestell nr", "bon de commande n°",
    "votre commande", "n° bc", "bc n°",
    # nl, es, it
    "uw bestelnummer", "uw ordernummer", "uw order", "uw bestelling", "inkoopordernummer",
    "inkoopordernr", "inkooporder", "inkoopnummer", "po nummer", "su pedido",
    "orden de compra", "n° orden de compra", "orden de compra n°", "vs ordine",
    "vostro ordine", "ordine di acquisto", "ordine d'acquisto",
)  # fmt: skip

# Label phrases per role; matched on words' tokens, case- and accent-insensitive, the
# longest phrase first ("Total net" is net, "Total" is total). Per role: English, German,
# French, then Dutch, Spanish, Italian, Polish.
LEXICON: dict[str, tuple[str, ...]] = {
    DOCUMENT_DATE: (
        "date", "datum", "document date", "date du document", "dokumentdatum",
        "documentdatum", "fecha", "data",
    ),
    "issue_date": (
        "invoice date", "date of invoice", "issue date", "date of issue", "dated", "issued",
        "issued on", "invoice dt", "billing date", "bill date", "tax point", "tax date",
        "rechnungsdatum", "ausstellungsdatum", "ausgestellt am", "rechnungs datum",
        "belegdatum", "date de facture", "date facture", "date de la facture",
        "date d'émission", "date d'emission", "date de facturation", "émise le", "émis le",
        "facturé le", "fait le",
        # nl
        "factuurdatum", "factuur datum", "datum factuur", "datum van uitgifte",
        # es
        "fecha de factura", "fecha factura", "fecha de la factura", "fecha de emisión",
        "fecha emisión", "fecha de expedición", "fecha expedición",
        # it
        "data fattura", "data della fattura", "data documento", "data emissione",
        "data di emissione", "data doc",
        # pl
        "data wystawienia", "data wystawienia faktury", "wystawiono dnia",
        "data faktury",
    ),
    "due_date": (
        "due date", "date due", "payment due", "payment due date", "due by", "due on",
        "pay by", "payable by", "payable until", "payment deadline", "due", "fällig am",
        "fällig bis", "fällig", "fälligkeit", "fälligkeitsdatum", "zahlbar bis",
        "zahlbar am", "zahlungsfrist", "date d'échéance", "échéance", "échéance le",
        "à payer avant le", "payable avant le", "à régler avant le", "payable le",
        "date limite de paiement", "date limite de règlement",
        "please pay by", "please pay before",
        # nl
        "vervaldatum", "vervaldag", "uiterste betaaldatum", "betalen voor",
        "te betalen voor", "uiterlijk betalen voor",
        # es
        "fecha de vencimiento", "fecha vencimiento", "vencimiento", "vence el",
        "fecha límite de pago",
        # it
        "scadenza", "data scadenza", "data di scadenza", "scadenza pagamento",
        "data scadenza pagamento", "scade il",
        # pl
        "termin płatności", "termin zapłaty", "zapłata do", "płatne do",
    ),
    "order_date": (
        "order date", "date of order", "po date", "purchase order date", "date ordered",
        "ordered on", "bestelldatum", "bestellt am", "auftragsdatum", "bestellungsdatum",
        "date de commande", "date de la commande", "commandé le", "date commande",
        # nl
        "orderdatum", "besteldatum", "datum bestelling", "datum order", "besteld op",
        # es
        "fecha de pedido", "fecha pedido", "fecha del pedido",
        # it
        "data ordine", "data dell'ordine", "ordinato il",
        # pl
        "data zamówienia",
    ),
    "receipt_date": (
        "receipt date", "purchase date", "date of purchase", "transaction date", "sale date",
        "kaufdatum", "verkaufsdatum", "date d'achat", "date de vente", "date du ticket",
        # nl, es, it, pl (on an invoice, the Polish date of sale is the supply date: it
        # stops a search there like a delivery date)
        "aankoopdatum", "fecha de compra", "fecha de venta", "data acquisto",
        "data vendita", "data sprzedaży", "data zakupu",
    ),
    "payment_date": (
        "payment date", "date of payment", "paid on", "value date", "zahlungsdatum",
        "bezahlt am", "überwiesen am", "valuta", "date de paiement", "date de règlement",
        "payé le", "réglé le", "date de valeur",
        "date paid", "paid date",
        # nl, es, it, pl
        "betaaldatum", "datum betaling", "betaald op", "fecha de pago", "fecha pago",
        "data pagamento", "data di pagamento", "data płatności", "data zapłaty",
    ),
    "invoice_number": (
        "invoice no", "invoice #", "invoice number", "invoice nr", "invoice id", "inv no",
        "inv #", "inv number", "bill no", "bill number", "document no", "document number",
        "rechnung nr", "rechnungsnummer", "rechnungs nr", "rechnungsnr", "re nr", "rg nr",
        "beleg nr", "belegnummer", "facture n°", "facture no", "n° de facture",
        "no de facture", "numéro de facture", "n° facture", "no facture", "réf facture",
        "numéro facture",
        "tax invoice no", "tax invoice number", "vat invoice no",
        # nl
        "factuurnummer", "factuurnr", "factuur nr", "factuur nummer", "factuur no",
        "factuur #", "factuur n°", "nummer factuur", "notanummer", "nota nr",
        # es
        "n° factura", "n° de factura", "no factura", "no de factura", "nro factura",
        "núm factura", "num factura", "núm de factura", "nro de factura",
        "número de factura", "número factura", "factura n°", "factura no", "factura núm",
        "factura número", "factura nro", "factura #",
        # it
        "fattura n", "fattura n°", "fattura nr", "fattura num", "fattura numero",
        "fattura no", "fattura #", "numero fattura", "numero della fattura", "n fattura",
        "n° fattura", "nr fattura", "num fattura", "numero documento", "n documento",
        "nr documento",
        "documento n", "documento n°",
        # pl
        "numer faktury", "nr faktury", "faktura nr", "faktura numer", "faktura vat nr",
        "faktura vat numer", "faktura n°", "faktura vat n°",
    ),
    "po_number": (
        "po number", "po #", "po no", "p o no", "p o number", "purchase order no",
        "purchase order number", "purchase order #", "order no", "order number",
        "order #", "order ref", "your order", "your order no", "customer po",
        "bestellnummer", "bestell nr", "ihre bestellung", "ihre bestell nr",
        "auftragsnummer", "auftrag nr", "auftrags nr", "bestellung nr",
        "bon de commande n°", "n° de commande", "numéro de commande", "votre commande",
        "réf commande", "commande n°", "n° bc", "bc n°",
        # nl
        "ordernummer", "ordernr", "order nr", "bestelnummer", "bestelnr", "bestel nr",
        "uw bestelnummer", "uw ordernummer", "uw order", "uw bestelling",
        "inkoopordernummer", "inkoopordernr", "inkooporder", "inkoopnummer", "po nummer",
        # es
        "n° pedido", "n° de pedido", "no pedido", "no de pedido", "número de pedido",
        "número pedido", "pedido n°", "pedido no", "pedido núm", "su pedido",
        "orden de compra", "n° orden de compra", "orden de compra n°",
        # it
        "ordine n", "ordine n°", "ordine nr", "n ordine", "n° ordine", "numero ordine",
        "nr ordine", "vs ordine", "vostro ordine", "rif ordine", "riferimento ordine",
        "ordine di acquisto", "ordine d'acquisto",
        # pl
        "numer zamówienia", "nr zamówienia", "zamówienie nr", "zamówienie numer",
    ),
    "vendor_name": (
        "supplier", "vendor", "seller", "sold by", "lieferant", "verkäufer", "anbieter",
        "auftragnehmer", "fournisseur", "vendeur", "prestataire", "émetteur",
        # nl, es, it, pl
        "leverancier", "verkoper", "proveedor", "vendedor", "emisor", "fornitore",
        "cedente", "cedente prestatore", "venditore", "sprzedawca", "dostawca", "wystawca",
    ),
    "buyer_name": (
        "buyer", "purchaser", "ordered by", "besteller", "käufer", "auftraggeber",
        "acheteur", "commandé par", "donneur d'ordre",
        # nl, es, it, pl
        "koper", "opdrachtgever", "besteld door", "cliente", "comprador", "acquirente",
        "cessionario", "cessionario committente", "committente", "nabywca", "kupujący",
        "zamawiający",
    ),
    "payer_name": (
        "payer", "paid by", "remitter", "zahler", "zahlungspflichtiger", "payeur",
        "betaler", "pagador", "pagatore", "płatnik",
    ),
    "merchant_name": (
        "merchant", "store", "shop", "händler", "geschäft", "magasin",
        "winkel", "tienda", "comercio", "negozio", "esercente", "sklep",
    ),
    "currency": (
        "currency", "all amounts in", "amounts in", "währung", "beträge in", "devise",
        "montants en",
        # nl, es, it, pl
        "munteenheid", "bedragen in", "moneda", "divisa", "importes en", "importi in",
        "waluta", "kwoty w",
    ),
    "iban": ("iban",),
    "total_amount": (
        "total", "total due", "amount due", "grand total", "total amount", "balance due",
        "invoice total", "total payable", "amount payable", "gesamtbetrag",
        "rechnungsbetrag", "gesamtsumme", "endbetrag", "zu zahlen", "bruttobetrag",
        "gesamt brutto", "summe brutto", "zahlbetrag", "montant ttc", "total ttc",
        "net à payer", "montant total", "total à payer", "montant dû", "à payer",
        # en: with the tax named, and as till receipts print them
        "total incl vat", "total inc vat", "total including vat", "total incl tax",
        "total including tax", "total incl gst", "total inc gst", "total including gst",
        "amount incl vat", "total amount due", "total to pay", "please pay", "nett total",
        "total sales inclusive of gst", "total sales inclusive gst", "total sales incl gst",
        "total amount inclusive of gst", "total inclusive of gst", "total inclusive gst",
        "total amount payable", "total incl sst", "total inc sst", "total including sst",
        "total inclusive of sst", "total sales inclusive of sst", "total sales incl sst",
        "total incl sales tax", "total including sales tax", "total paid",
        "total amount paid", "gross amount", "gross total", "total gross",
        # utility and telecom bills
        "total charges", "total charges this bill", "total charges incl vat",
        "total this bill", "total bill", "amount to pay", "total amount to pay",
        # de, fr
        "summe", "gesamt", "total inkl mwst", "gesamtbetrag inkl mwst", "betrag inkl mwst",
        "total tva incluse", "gesamt inkl mwst", "summe inkl mwst", "endbetrag inkl mwst",
        "rechnungsbetrag inkl mwst",
        # nl
        "totaal", "totaalbedrag", "totaal incl btw", "totaal inclusief btw", "totaal incl",
        "bedrag incl btw", "te betalen", "totaal te betalen", "te betalen bedrag",
        "openstaand bedrag", "factuurbedrag", "eindtotaal",
        # es
        "total factura", "importe total", "total a pagar", "total iva incluido",
        "total con iva", "importe a pagar", "total importe",
        # it
        "totale", "totale documento", "totale fattura", "totale da pagare",
        "netto a pagare", "importo totale", "totale complessivo", "totale ivato",
        "importo da pagare", "totale iva inclusa",
        # pl
        "razem", "do zapłaty", "razem do zapłaty", "brutto", "wartość brutto",
        "kwota brutto", "razem brutto", "suma brutto", "suma", "ogółem", "kwota do zapłaty",
        "łącznie",
    ),
    "net_amount": (
        "subtotal", "sub total", "net amount", "total net", "net total", "amount excl vat",
        "total excl vat", "zwischensumme", "nettobetrag", "summe netto", "gesamt netto",
        "netto", "nettosumme", "total ht", "montant ht", "sous total", "total hors taxes",
        # en
        "total excluding vat", "total ex vat", "total excl tax", "total excluding tax",
        "total excl gst", "total excluding gst", "total before tax", "amount before tax",
        # Indian GST invoices: the base the CGST and SGST are charged on
        "taxable value", "total taxable value", "taxable amount", "assessable value",
        "amount excl tax", "total sales excluding gst", "total sales excl gst",
        "total amount excluding gst", "total exclusive of gst", "subtotal excl vat",
        "total excl sst", "total excluding sst", "total sales excluding sst",
        "total sales excl sst", "total excl sales tax", "total excluding sales tax",
        "total before sales tax", "net value", "goods total",
        # utility and telecom bills
        "total before vat", "total charges before vat", "charges before vat",
        "total charges excl vat", "total charges excluding vat", "amount before vat",
        # de, fr
        "gesamt exkl mwst", "betrag exkl mwst", "summe exkl mwst", "warenwert",
        "total hors tva", "net ht", "base ht",
        # nl
        "subtotaal", "totaal excl btw", "totaal exclusief btw", "totaal excl",
        "bedrag excl btw", "netto bedrag", "nettobedrag", "totaal netto",
        "subtotaal excl btw",
        # es
        "base imponible", "importe neto", "total neto", "total sin iva", "neto",
        "suma neta",
        # it
        "imponibile", "totale imponibile", "imponibile totale", "totale netto",
        "totale merce", "importo netto", "subtotale",
        # pl
        "wartość netto", "kwota netto", "razem netto", "suma netto", "netto razem",
    ),
    "tax_amount": (
        "vat", "tax", "sales tax", "vat amount", "tax amount", "mwst", "ust",
        "umsatzsteuer", "zzgl mwst", "mehrwertsteuer", "tva", "montant tva", "total tva",
        # en
        "gst", "hst", "total vat", "total tax", "total gst", "vat total", "tax total",
        "gst amount", "sales tax amount", "plus vat", "add vat", "total sales tax", "sst",
        "service tax",
        # de, fr
        "summe mwst", "gesamt mwst", "mwst betrag", "ust betrag", "enthaltene mwst",
        "inkl mwst", "taxe", "dont tva",
        # nl
        "btw", "btw bedrag", "totaal btw", "btw hoog", "btw laag", "bedrag btw",
        # es
        "iva", "cuota iva", "cuota de iva", "importe iva", "importe de iva", "total iva",
        # it
        "totale iva", "imposta", "importo iva", "iva totale", "totale imposta",
        # pl
        "kwota vat", "wartość vat", "podatek vat", "razem vat", "suma vat", "podatek",
        "ptu", "suma ptu", "kwota ptu",
    ),
    OTHER: (
        "delivery date", "ship date", "shipping date", "service date", "service period",
        "delivered on", "customer no", "customer number", "customer id", "account no",
        "lieferdatum", "liefertermin", "leistungsdatum", "versanddatum", "lieferung",
        "kundennummer", "kunden nr", "kd nr", "date de livraison", "livré le",
        "date d'expédition", "n° client", "code client", "page", "seite", "tel", "phone",
        "bic", "swift", "valid until", "gültig bis", "valable jusqu'au",
        # India's central and state halves of a GST: each a part of the tax, never the
        # whole (``extractors._tax_parts`` adds them up)
        "cgst", "sgst", "utgst",
        # VAT ids (``VAT_ID_LABELS``) only stop a search.
        *VAT_ID_LABELS,
        # company registers, and the heading of a tax table
        "reg no", "company no", "company reg no", "co reg no", "registration no", "kvk",
        "kvk nr", "kvk nummer", "tax summary", "sales tax summary", "vat summary",
        "gst summary", "sst summary", "vat analysis",
        # rates, and what a tax label names that is not the tax: exemptions, stamp duty
        "vat rate", "tax rate", "gst rate", "mwst satz", "steuersatz", "taux tva", "taux",
        "btw tarief", "tarief", "cod iva", "codice iva", "esente iva", "esenzione iva",
        "exento de iva", "exento iva", "imposta di bollo", "bollo", "service charge",
        # a document's title names no field ("Tax Invoice" is not a tax amount)
        "tax invoice", "vat invoice", "faktura vat", "faktura",
        # customer, account and other reference numbers (not the invoice's, nor the PO's)
        "customer #", "customer ref", "customer reference", "customer account", "cust no",
        "cust #", "cust id", "cust ref", "client no", "client number", "client id",
        "client ref", "client code", "account number", "account #", "acct no", "member no",
        "member #", "your ref", "your reference", "our ref", "our reference", "sales order",
        "sales order no", "sales order number", "our order no", "order confirmation",
        "please pay within",
        "delivery note", "delivery note no", "packing slip", "fax", "kundennr", "kunden id",
        "debitor", "debitor nr", "debitorennummer", "ihr zeichen", "unser zeichen",
        "lieferschein", "lieferschein nr", "kontonummer", "konto nr", "telefon",
        "réf client", "numéro client", "n° de client", "compte client", "votre référence",
        "notre référence", "bon de livraison",
        # nl
        "klantnummer", "klantnr", "klant nr", "klant id", "klantcode", "debiteurnummer",
        "debiteurnr", "debiteur nr", "relatienummer", "uw referentie", "onze referentie",
        "ons ordernummer", "pakbon", "pakbonnummer", "rekeningnummer", "leverdatum",
        "leveringsdatum", "afleverdatum", "pagina", "telefoon",
        # es
        "n° cliente", "n° de cliente", "no cliente", "número de cliente", "cliente n°",
        "código cliente", "código de cliente", "cód cliente", "su referencia",
        "fecha de entrega", "fecha entrega", "albarán", "albarán n°", "página", "teléfono",
        "fecha de envío", "fecha de servicio",
        "forma de pago", "tipo iva", "tipo de iva", "retención irpf", "irpf",
        # it
        "codice cliente", "cod cliente", "cliente n", "n cliente", "numero cliente",
        "data consegna", "data di consegna", "ddt", "ddt n", "aliquota", "aliquota iva",
        "data spedizione", "data ddt",
        "ritenuta d'acconto", "telefono", "modalità di pagamento", "riferimento",
        # pl
        "numer klienta", "nr klienta", "kod klienta", "klient nr", "data dostawy",
        "data wykonania usługi", "data zakończenia dostawy", "miejsce wystawienia",
        "sposób płatności", "forma płatności", "numer konta", "nr konta", "konto", "strona",
        "stawka", "stawka vat", "słownie", "zapłacono", "odbiorca",
        # Till receipts: amounts near the total that are not the total (the subtotal is
        # net, above), and counts: "TOTAL QTY 3" is no total.
        "rounding", "rounding adj", "rounding adjustment", "round off", "cash",
        "cash tendered", "tendered", "amount tendered", "total tendered", "given", "change",
        "change due", "paid", "amount paid", "total qty", "total quantity", "total items",
        "total item", "no of items", "no of item", "item count", "total savings",
        "you saved", "savings", "discount", "total discount", "card", "visa", "mastercard",
        "amex", "debit", "credit card", "debit card", "card payment",
        "bar", "bar gegeben", "gegeben", "rückgeld", "zurück", "ec karte", "karte",
        "girocard", "rabatt", "skonto", "rundung", "anzahl artikel",
        "espèces", "rendu", "rendu monnaie", "monnaie rendue", "cb", "carte bancaire",
        "remise", "arrondi",
        "contant", "wisselgeld", "terug", "pin", "pinnen", "korting", "afronding",
        "efectivo", "cambio", "entregado", "tarjeta", "descuento", "redondeo",
        "contanti", "contante", "resto", "sconto", "arrotondamento", "pagamento elettronico",
        "gotówka", "reszta", "karta", "rabat", "zaokrąglenie",
        # the cash handed over and card words of Dutch, Italian and Polish tills
        "ontvangen", "maestro", "ricevuto", "bancomat", "carta di credito", "wpłacono",
        "karta płatnicza", "blik", "tarjeta crédito",
    ),
    SIGNATURE: (
        "authorized by", "authorised by", "authorized signature", "authorised signature",
        "approved by", "signature", "signed", "genehmigt", "genehmigt von", "unterschrift",
        "autorisé par", "approuvé par", "signature autorisée", "goedgekeurd door",
        "handtekening", "autorizado por", "aprobado por", "firma", "autorizzato da",
        "approvato da", "zatwierdził", "zatwierdzil", "podpis",
    ),
}  # fmt: skip
