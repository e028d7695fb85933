"""Hard negatives: documents that look commercial but carry no fields.

Kinds (``Sample.layout["variant"]["other"]``): letter, newsletter, meeting_notes,
delivery_note, reminder; held out: quote_request, order_confirmation_email.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from corpus import _blocks as blocks
from corpus import _formats as formats
from corpus import _words as words
from corpus._context import Ctx, make_party
from corpus._layout import cell

_TEXT = {
    "letter": {
        "en": [
            "Dear Sir or Madam,",
            "we are pleased to announce that our offices will move on",
            "Our phone numbers and bank details remain unchanged.",
            "Please update your records accordingly.",
            "Kind regards,",
        ],
        "de": [
            "Sehr geehrte Damen und Herren,",
            "wir freuen uns, Ihnen mitzuteilen, dass wir umziehen am",
            "Telefonnummern und Bankverbindung bleiben unverändert.",
            "Bitte aktualisieren Sie Ihre Stammdaten.",
            "Mit freundlichen Grüßen",
        ],
        "fr": [
            "Madame, Monsieur,",
            "nous avons le plaisir de vous annoncer notre déménagement le",
            "Nos numéros de téléphone et coordonnées bancaires restent inchangés.",
            "Merci de mettre à jour vos fichiers.",
            "Veuillez agréer nos salutations distinguées.",
        ],
    },
    "newsletter": {
        "en": [
            "Newsletter",
            "What's new this month",
            "Our new product line is now available.",
            "Visit us at the trade fair, hall 4, stand 12.",
            "Unsubscribe at any time.",
        ],
        "de": [
            "Newsletter",
            "Neuigkeiten des Monats",
            "Unsere neue Produktlinie ist ab sofort erhältlich.",
            "Besuchen Sie uns auf der Messe, Halle 4, Stand 12.",
            "Abmeldung jederzeit möglich.",
        ],
        "fr": [
            "Lettre d'information",
            "Les nouveautés du mois",
            "Notre nouvelle gamme est disponible.",
            "Retrouvez-nous au salon, hall 4, stand 12.",
            "Désinscription à tout moment.",
        ],
    },
    "meeting_notes": {
        "en": [
            "Meeting notes",
            "Attendees:",
            "1. Budget review: approved for Q3.",
            "2. Supplier evaluation postponed.",
            "3. Next meeting:",
        ],
        "de": [
            "Besprechungsprotokoll",
            "Teilnehmer:",
            "1. Budgetplanung: für Q3 freigegeben.",
            "2. Lieferantenbewertung verschoben.",
            "3. Nächster Termin:",
        ],
        "fr": [
            "Compte rendu de réunion",
            "Participants :",
            "1. Revue budgétaire : validée pour le T3.",
            "2. Évaluation fournisseurs reportée.",
            "3. Prochaine réunion :",
        ],
    },
    "reminder": {
        "en": [
            "Payment reminder",
            "Our records show that the following invoice is still unpaid:",
            "If you have already paid, please disregard this letter.",
            "Open amount",
        ],
        "de": [
            "Zahlungserinnerung",
            "Nach unseren Unterlagen ist folgende Rechnung noch offen:",
            "Falls Sie bereits bezahlt haben, betrachten Sie dies als gegenstandslos.",
            "Offener Betrag",
        ],
        "fr": [
            "Relance de paiement",
            "Sauf erreur de notre part, la facture suivante reste impayée :",
            "Si vous avez déjà réglé, merci de ne pas tenir compte de ce courrier.",
            "Montant dû",
        ],
    },
    "delivery_note": {
        "en": ["Delivery Note", "Packing slip", "Received in good condition:"],
        "de": ["Lieferschein", "Packliste", "Ware in einwandfreiem Zustand erhalten:"],
        "fr": ["Bon de livraison", "Liste de colisage", "Reçu en bon état :"],
    },
    "quote_request": {
        "en": [
            "Request for quotation",
            "Please send us your best offer for the items below.",
            "Quotes are due by",
        ],
        "de": [
            "Angebotsanfrage",
            "Bitte senden Sie uns Ihr Angebot für folgende Positionen.",
            "Angebotsfrist:",
        ],
        "fr": [
            "Demande de devis",
            "Merci de nous faire parvenir votre meilleure offre.",
            "Date limite :",
        ],
    },
}


# Dutch, Spanish, Italian and Polish wordings, in the order of the English ones above.
_MORE = {
    "letter": {
        "nl": ["Geachte heer/mevrouw,", "graag laten wij u weten dat wij verhuizen op",
               "Onze telefoonnummers en bankgegevens blijven ongewijzigd.",
               "Wilt u uw administratie aanpassen?", "Met vriendelijke groet,"],
        "es": ["Estimados señores:", "nos complace comunicarles que trasladamos nuestras "
               "oficinas el", "Nuestros teléfonos y datos bancarios no cambian.",
               "Les rogamos actualicen sus datos.", "Atentamente,"],
        "it": ["Gentili Signori,", "siamo lieti di comunicarvi il trasferimento dei nostri "
               "uffici il", "I numeri di telefono e le coordinate bancarie restano invariati.",
               "Vi preghiamo di aggiornare i vostri archivi.", "Distinti saluti,"],
        "pl": ["Szanowni Państwo,", "uprzejmie informujemy, że przenosimy biuro w dniu",
               "Numery telefonów i dane bankowe pozostają bez zmian.",
               "Prosimy o aktualizację danych.", "Z poważaniem,"],
    },
    "newsletter": {
        "nl": ["Nieuwsbrief", "Nieuw deze maand", "Onze nieuwe productlijn is nu verkrijgbaar.",
               "Bezoek ons op de beurs, hal 4, stand 12.", "Afmelden kan altijd."],
        "es": ["Boletín", "Novedades del mes", "Nuestra nueva gama ya está disponible.",
               "Visítenos en la feria, pabellón 4, stand 12.",
               "Puede darse de baja cuando quiera."],
        "it": ["Newsletter", "Le novità del mese", "La nostra nuova linea è disponibile.",
               "Venite a trovarci in fiera, padiglione 4, stand 12.",
               "Cancellazione in qualsiasi momento."],
        "pl": ["Newsletter", "Nowości miesiąca", "Nasza nowa linia produktów jest już dostępna.",
               "Zapraszamy na targi, hala 4, stoisko 12.", "Możesz zrezygnować w każdej chwili."],
    },
    "meeting_notes": {
        "nl": ["Notulen", "Aanwezig:", "1. Budget: goedgekeurd voor Q3.",
               "2. Leveranciersbeoordeling uitgesteld.", "3. Volgende vergadering:"],
        "es": ["Acta de reunión", "Asistentes:", "1. Presupuesto: aprobado para el T3.",
               "2. Evaluación de proveedores aplazada.", "3. Próxima reunión:"],
        "it": ["Verbale di riunione", "Partecipanti:", "1. Budget: approvato per il Q3.",
               "2. Valutazione fornitori rinviata.", "3. Prossima riunione:"],
        "pl": ["Notatka ze spotkania", "Obecni:", "1. Budżet: zatwierdzony na III kwartał.",
               "2. Ocena dostawców przełożona.", "3. Następne spotkanie:"],
    },
    "reminder": {
        "nl": ["Betalingsherinnering", "Volgens onze administratie staat de volgende factuur "
               "nog open:", "Heeft u inmiddels betaald, dan kunt u deze brief negeren.",
               "Openstaand bedrag"],
        "es": ["Recordatorio de pago", "Según nuestros registros, la siguiente factura sigue "
               "pendiente:", "Si ya ha realizado el pago, ignore esta carta.",
               "Importe pendiente"],
        "it": ["Sollecito di pagamento", "Dai nostri archivi risulta ancora aperta la seguente "
               "fattura:", "Se avete già provveduto al pagamento, ignorate la presente.",
               "Importo scaduto"],
        "pl": ["Przypomnienie o płatności", "Według naszych danych poniższa faktura nie została "
               "jeszcze opłacona:", "Jeśli płatność została już dokonana, prosimy zignorować "
               "to pismo.", "Kwota zaległa"],
    },
    "delivery_note": {
        "nl": ["Pakbon", "Afleverbon", "Goederen in goede staat ontvangen:"],
        "es": ["Albarán de entrega", "Albarán", "Mercancía recibida en buen estado:"],
        "it": ["Documento di trasporto", "DDT", "Merce ricevuta in buono stato:"],
        "pl": ["Dowód dostawy", "WZ - wydanie zewnętrzne", "Towar odebrano bez zastrzeżeń:"],
    },
    "quote_request": {
        "nl": ["Offerteaanvraag", "Graag ontvangen wij uw beste offerte voor onderstaande "
               "artikelen.", "Offertes uiterlijk op"],
        "es": ["Solicitud de presupuesto", "Les rogamos nos envíen su mejor oferta para los "
               "siguientes artículos.", "Plazo de presentación:"],
        "it": ["Richiesta di offerta", "Vi preghiamo di inviarci la vostra migliore offerta per "
               "i seguenti articoli.", "Termine per le offerte:"],
        "pl": ["Zapytanie ofertowe", "Prosimy o przesłanie najlepszej oferty na poniższe "
               "pozycje.", "Termin składania ofert:"],
    },
}  # fmt: skip
for _kind, _by_language in _MORE.items():
    _TEXT[_kind] |= _by_language


def other(ctx: Ctx) -> None:
    rng, b = ctx.rng, ctx.b
    kind = ctx.pick(
        "other",
        ["letter", "newsletter", "meeting_notes", "delivery_note", "reminder"],
        ("quote_request",),
    )
    sender = make_party(rng, ctx.language, ctx.split)
    ctx.dates_of(sender.country)
    recipient = make_party(rng, ctx.language, ctx.split, sender.country)
    t = _TEXT[kind][ctx.language]
    when = formats.random_date(rng)
    b.line(
        cell(0.0, sender.name, bold=True),
        cell(1.0, sender.city_line + ",", ctx.date(when), align="right"),
        size=1.2,
    )
    b.text_line(0.0, sender.street, "·", sender.phone, size=0.8)
    if kind in ("letter", "reminder", "delivery_note", "quote_request"):
        for row in blocks.address_lines(ctx, recipient, None, country=rng.random() < 0.3):
            b.line(cell(0.0, *row))
    if kind == "letter":
        b.text_line(0.0, t[0], gap=1.0)
        b.text_line(0.0, t[1], ctx.date(when + timedelta(days=rng.randint(10, 90))) + ".")
        b.text_line(0.0, t[2])
        b.text_line(0.0, t[3])
        b.text_line(0.0, t[4], gap=0.6)
        b.text_line(0.0, f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.SURNAMES['train'])}")
    elif kind in ("newsletter", "meeting_notes"):
        b.line(cell(0.0, t[0]), size=1.6, gap=0.6)
        b.text_line(
            0.0,
            t[1],
            *([", ".join(rng.sample(words.FIRST_NAMES, 3))] if kind == "meeting_notes" else []),
        )
        b.text_line(0.0, t[2])
        b.text_line(0.0, t[3])
        b.text_line(
            0.0, t[4], ctx.date(when + timedelta(days=14)) if kind == "meeting_notes" else ""
        )
        if rng.random() < 0.5:
            b.text_line(0.0, sender.web, sender.email, gap=0.8, size=0.8)
    elif kind == "reminder":
        number = f"INV-{rng.randint(1000, 99999)}"
        amount = Decimal(rng.randint(1000, 500000)) / 100
        b.line(cell(0.0, t[0]), size=1.4, gap=0.8)
        b.text_line(0.0, t[1])
        b.line(cell(0.0, ctx.label("invoice_number")), cell(0.35, number))
        b.line(cell(0.0, ctx.label("issue_date")), cell(0.35, ctx.date(when - timedelta(days=45))))
        b.line(cell(0.0, t[3]), cell(0.35, *ctx.money_parts(amount, None)))
        b.text_line(0.0, t[2], gap=0.5)
        b.text_line(0.0, ctx.label("iban"), formats.iban_text(sender.iban, True))
    else:  # delivery note or quote request: items and quantities, never prices
        b.line(cell(0.0, t[0]), size=1.4, gap=0.8)
        ref = ctx.label("po_number")
        b.line(cell(0.0, ref), cell(0.35, f"PO-{rng.randint(10000, 99999)}"))
        b.line(cell(0.0, ctx.label("delivery_date")), cell(0.35, ctx.date(when)))
        if kind == "quote_request":
            b.text_line(0.0, t[1])
        b.line(
            cell(0.0, ctx.label("col_pos"), bold=True),
            cell(0.1, ctx.label("col_desc"), bold=True),
            cell(1.0, ctx.label("col_qty"), align="right", bold=True),
            rule=True,
            gap=0.5,
        )
        for n, it in enumerate(blocks.make_items(ctx, rng.randint(1, 8)), 1):
            b.line(
                cell(0.0, str(n)),
                cell(0.1, it.description),
                cell(1.0, formats.quantity_text(it.quantity, ctx.money), align="right"),
            )
        b.text_line(0.0, t[2], gap=1.0)
        if kind == "quote_request":
            b.text_line(0.0, ctx.date(when + timedelta(days=21)))
