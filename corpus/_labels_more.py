"""Label wordings in Dutch, Spanish, Italian and Polish (``corpus._labels`` merges them).

The wordings are those real invoices, orders and receipts of each country print; the ones
that start with ``!`` are held out, as in ``corpus._labels``: only the ``test`` split
prints them.
"""

from __future__ import annotations

_Wordings = dict[str, tuple[str, ...]]

_DOCUMENT: dict[str, _Wordings] = {
    "invoice_title": {
        "nl": ("FACTUUR", "Factuur", "Factuur", "!Verkoopfactuur", "!Nota"),
        "es": ("FACTURA", "Factura", "Factura", "!Factura ordinaria", "!Factura comercial"),
        "it": ("FATTURA", "Fattura", "Fattura", "!Fattura di vendita", "!Fattura immediata"),
        "pl": ("FAKTURA VAT", "Faktura VAT", "Faktura", "FAKTURA", "!Faktura nr", "!Rachunek"),
    },
    "invoice_number": {
        "nl": (
            "Factuurnummer",
            "Factuurnr.",
            "Factuur nr.",
            "Factuurnr:",
            "!Notanummer",
            "!Documentnummer",
        ),
        "es": (
            "Nº factura",
            "Número de factura",
            "Factura nº",
            "Nº de factura",
            "Núm. factura",
            "!Factura número",
            "!Nº documento",
        ),
        "it": (
            "Fattura n.",
            "Numero fattura",
            "N. fattura",
            "Fattura nr.",
            "Nr. documento",
            "!Documento n.",
            "!Num. fattura",
        ),
        "pl": (
            "Faktura nr",
            "Numer faktury",
            "Nr faktury",
            "Faktura VAT nr",
            "!Nr dokumentu",
            "!Numer dokumentu",
        ),
    },
    "issue_date": {
        "nl": ("Factuurdatum", "Datum", "Factuurdatum:", "!Datum factuur"),
        "es": (
            "Fecha",
            "Fecha de factura",
            "Fecha de emisión",
            "Fecha factura",
            "!Fecha de expedición",
        ),
        "it": ("Data", "Data fattura", "Data documento", "Data emissione", "!Data di emissione"),
        "pl": ("Data wystawienia", "Data wystawienia:", "Data faktury", "!Wystawiono dnia"),
    },
    "due_date": {
        "nl": ("Vervaldatum", "Uiterste betaaldatum", "Te betalen voor", "!Vervaldag"),
        "es": ("Fecha de vencimiento", "Vencimiento", "Fecha vencimiento", "!Vence el"),
        "it": ("Scadenza", "Data scadenza", "Scadenza pagamento", "!Data di scadenza"),
        "pl": ("Termin płatności", "Termin zapłaty", "Termin płatności:", "!Płatne do"),
    },
    "order_date": {
        "nl": ("Besteldatum", "Datum", "Orderdatum", "!Besteld op"),
        "es": ("Fecha de pedido", "Fecha", "Fecha pedido", "!Fecha del pedido"),
        "it": ("Data ordine", "Data", "Ordinato il", "!Data dell'ordine"),
        "pl": ("Data zamówienia", "Data", "!Zamówiono dnia"),
    },
    "delivery_date": {
        "nl": ("Leverdatum", "Afleverdatum", "Leveringsdatum"),
        "es": ("Fecha de entrega", "Fecha de envío", "Fecha de servicio"),
        "it": ("Data consegna", "Data spedizione", "Data DDT"),
        "pl": ("Data sprzedaży", "Data dostawy", "Data wykonania usługi"),
    },
    "po_number": {
        "nl": (
            "Ordernummer",
            "Bestelnummer",
            "Uw bestelling",
            "Inkoopordernr.",
            "!Uw ordernummer",
            "!Inkoopnummer",
        ),
        "es": (
            "Nº de pedido",
            "Su pedido",
            "Número de pedido",
            "Pedido nº",
            "!Ref. pedido",
            "!Referencia de pedido",
        ),
        "it": (
            "Vs. ordine",
            "Ordine n.",
            "Numero ordine",
            "Rif. ordine",
            "!Vostro ordine",
            "!N. ordine cliente",
        ),
        "pl": (
            "Numer zamówienia",
            "Nr zamówienia",
            "Zamówienie nr",
            "!Państwa zamówienie",
            "!Nr zlecenia",
        ),
    },
    "po_title": {
        "nl": ("INKOOPORDER", "Inkooporder", "Bestelling", "!Bestelbon"),
        "es": ("PEDIDO", "Pedido", "Orden de compra", "!Hoja de pedido"),
        "it": ("ORDINE", "Ordine d'acquisto", "Ordine", "!Ordine fornitore"),
        "pl": ("ZAMÓWIENIE", "Zamówienie", "Zamówienie zakupu", "!Zlecenie zakupu"),
    },
    "customer_number": {
        "nl": ("Klantnummer", "Klantnr.", "Debiteurnummer"),
        "es": ("Nº cliente", "Código cliente", "Cliente nº"),
        "it": ("Cod. cliente", "Codice cliente", "Cliente n."),
        "pl": ("Nr klienta", "Numer klienta", "Kod klienta"),
    },
}

_PARTIES: dict[str, _Wordings] = {
    "vat_id": {
        "nl": ("BTW-nummer", "BTW nr.", "Btw-id", "BTW-nr.", "!Omzetbelastingnummer"),
        "es": ("NIF", "CIF", "NIF-IVA", "N.I.F.", "!NIF intracomunitario"),
        "it": ("Partita IVA", "P.IVA", "P. IVA", "!Partita I.V.A.", "!Numero IVA"),
        "pl": ("NIP", "NIP:", "NIP UE", "!Nr VAT UE"),
    },
    "iban": {
        "nl": ("IBAN", "IBAN:"),
        "es": ("IBAN", "IBAN:"),
        "it": ("IBAN", "IBAN:"),
        "pl": ("IBAN", "Nr rachunku IBAN"),
    },
    "bic": {
        "nl": ("BIC", "BIC:"),
        "es": ("BIC", "SWIFT"),
        "it": ("BIC", "SWIFT"),
        "pl": ("BIC", "SWIFT"),
    },
    "bank": {
        "nl": ("Bank", "Bankgegevens"),
        "es": ("Banco", "Datos bancarios"),
        "it": ("Banca", "Coordinate bancarie"),
        "pl": ("Bank", "Nazwa banku"),
    },
    "phone": {
        "nl": ("Tel.", "Telefoon", "T"),
        "es": ("Tel.", "Teléfono", "Tlf."),
        "it": ("Tel.", "Telefono", "Tel:"),
        "pl": ("Tel.", "Telefon", "tel."),
    },
    "bill_to": {
        "nl": ("Factuuradres", "Klant", "Aan", "!Gefactureerd aan"),
        "es": ("Cliente", "Facturar a", "Datos del cliente", "!Destinatario"),
        "it": ("Destinatario", "Cliente", "Spett.le", "!Intestatario"),
        "pl": ("Nabywca", "Nabywca:", "Odbiorca", "!Płatnik"),
    },
    "ship_to": {
        "nl": ("Afleveradres", "Leveradres"),
        "es": ("Dirección de entrega", "Enviar a"),
        "it": ("Destinazione merce", "Luogo di consegna"),
        "pl": ("Adres dostawy", "Miejsce dostawy"),
    },
    "vendor": {
        "nl": ("Leverancier", "!Verkoper"),
        "es": ("Proveedor", "!Vendedor"),
        "it": ("Fornitore", "!Cedente"),
        "pl": ("Sprzedawca", "Dostawca", "!Wystawca"),
    },
    "buyer": {
        "nl": ("Besteller", "!Koper"),
        "es": ("Comprador", "!Solicitante"),
        "it": ("Acquirente", "Committente", "!Ordinante"),
        "pl": ("Zamawiający", "Kupujący", "!Zleceniodawca"),
    },
}

_TOTALS: dict[str, _Wordings] = {
    "net": {
        "nl": (
            "Subtotaal",
            "Totaal excl. BTW",
            "Netto bedrag",
            "Bedrag excl. btw",
            "!Totaal exclusief BTW",
            "!Nettobedrag",
        ),
        "es": (
            "Base imponible",
            "Subtotal",
            "Total neto",
            "Importe neto",
            "!Total base imponible",
            "!Suma neto",
        ),
        "it": (
            "Imponibile",
            "Totale imponibile",
            "Totale netto",
            "Subtotale",
            "!Imponibile netto",
            "!Totale merce",
        ),
        "pl": ("Wartość netto", "Razem netto", "Netto", "Suma netto", "!Kwota netto"),
    },
    "tax": {
        "nl": ("BTW", "Btw", "BTW-bedrag", "!Omzetbelasting"),
        "es": ("IVA", "Cuota IVA", "Importe IVA", "!Impuestos"),
        "it": ("IVA", "Imposta", "Totale IVA", "!IVA dovuta"),
        "pl": ("VAT", "Kwota VAT", "Podatek VAT", "!Wartość VAT"),
    },
    "total": {
        "nl": (
            "Totaal",
            "Totaal incl. BTW",
            "Te betalen",
            "Totaalbedrag",
            "Totaal te betalen",
            "!Factuurbedrag",
            "!Eindtotaal",
        ),
        "es": (
            "Total",
            "Total factura",
            "Importe total",
            "Total a pagar",
            "TOTAL",
            "!Total (IVA incluido)",
            "!Líquido a pagar",
        ),
        "it": (
            "Totale",
            "Totale documento",
            "Totale fattura",
            "Netto a pagare",
            "Totale da pagare",
            "!Importo totale",
            "!Totale a pagare",
        ),
        "pl": (
            "Razem do zapłaty",
            "Do zapłaty",
            "Wartość brutto",
            "Razem brutto",
            "Razem",
            "!Kwota do zapłaty",
            "!Ogółem",
        ),
    },
    "currency": {
        "nl": ("Valuta", "Bedragen in"),
        "es": ("Moneda", "Importes en"),
        "it": ("Valuta", "Importi in"),
        "pl": ("Waluta", "Kwoty w"),
    },
}

_TABLE: dict[str, _Wordings] = {
    "col_pos": {
        "nl": ("Pos.", "Nr.", "#"),
        "es": ("Pos.", "Línea", "Nº"),
        "it": ("Pos.", "N.", "Riga"),
        "pl": ("Lp.", "L.p.", "Nr"),
    },
    "col_desc": {
        "nl": ("Omschrijving", "Artikel", "Product", "!Dienst"),
        "es": ("Descripción", "Concepto", "Artículo", "Producto", "!Detalle"),
        "it": ("Descrizione", "Articolo", "Prodotto", "!Descrizione articolo"),
        "pl": ("Nazwa towaru lub usługi", "Nazwa", "Opis", "Towar/usługa", "!Nazwa towaru"),
    },
    "col_qty": {
        "nl": ("Aantal", "Aant.", "!Hoeveelheid"),
        "es": ("Cant.", "Cantidad", "Uds.", "!Unidades"),
        "it": ("Q.tà", "Quantità", "Qtà", "!Qta"),
        "pl": ("Ilość", "Il.", "!Ilość szt."),
    },
    "col_unit": {
        "nl": ("Prijs", "Stuksprijs", "Eenheidsprijs", "!Prijs per stuk"),
        "es": ("Precio", "Precio unit.", "P. unitario", "!Precio/ud."),
        "it": ("Prezzo", "Prezzo unitario", "Prezzo unit.", "!P.U."),
        "pl": ("Cena netto", "Cena jedn.", "Cena", "!Cena jedn. netto"),
    },
    "col_amount": {
        "nl": ("Bedrag", "Totaal", "!Regeltotaal"),
        "es": ("Importe", "Total", "Subtotal", "!Importe línea"),
        "it": ("Importo", "Totale", "!Importo riga"),
        "pl": ("Wartość netto", "Wartość", "Kwota", "!Wartość pozycji"),
    },
    "col_vat": {
        "nl": ("BTW %", "BTW"),
        "es": ("IVA %", "% IVA"),
        "it": ("IVA %", "Aliquota"),
        "pl": ("Stawka VAT", "VAT %"),
    },
    "col_sku": {
        "nl": ("Art.nr.", "Artikelnummer"),
        "es": ("Ref.", "Código"),
        "it": ("Codice", "Cod. art."),
        "pl": ("Indeks", "Kod"),
    },
    "page": {"nl": ("Pagina",), "es": ("Página",), "it": ("Pagina",), "pl": ("Strona",)},
    "of": {"nl": ("van", "/"), "es": ("de", "/"), "it": ("di", "/"), "pl": ("z", "/")},
}

LABELS: dict[str, _Wordings] = {**_DOCUMENT, **_PARTIES, **_TOTALS, **_TABLE}
