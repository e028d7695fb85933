"""Product change notices: SKU, name, new price (beside an old one), stock, description.

Layout variants (``product``): kv | table, held out: prose.
"""

from __future__ import annotations

from decimal import Decimal

from corpus import _formats as formats
from corpus import _goods as goods
from corpus._context import Ctx, make_party
from corpus._layout import Part, cell

_P = {
    "title": {
        "en": [
            "Product Update",
            "Product Change Notice",
            "Price Change Notification",
            "!Catalogue Update",
        ],
        "de": ["Produktänderung", "Produktinformation", "Preisänderung", "!Artikel-Update"],
        "fr": ["Mise à jour produit", "Avis de modification produit", "!Changement de tarif"],
    },
    "sku": {
        "en": ["SKU", "Item No.", "Article", "!Part No."],
        "de": ["Artikelnummer", "Art.-Nr.", "SKU", "!Materialnr."],
        "fr": ["Référence", "Réf. article", "SKU", "!Code article"],
    },
    "name": {
        "en": ["Product name", "Product", "Name"],
        "de": ["Produktname", "Bezeichnung", "Artikel"],
        "fr": ["Nom du produit", "Désignation", "Produit"],
    },
    "price": {
        "en": ["New price", "Price", "List price", "!Updated price"],
        "de": ["Neuer Preis", "Preis", "Listenpreis", "!VK-Preis"],
        "fr": ["Nouveau prix", "Prix", "Prix catalogue", "!Tarif"],
    },
    "old": {
        "en": ["Old price", "Previous price"],
        "de": ["Alter Preis", "Bisher"],
        "fr": ["Ancien prix", "Prix actuel"],
    },
    "stock": {
        "en": ["Stock", "In stock", "Available qty"],
        "de": ["Bestand", "Lagerbestand", "Verfügbar"],
        "fr": ["Stock", "Quantité disponible", "En stock"],
    },
    "desc": {
        "en": ["Description", "Details"],
        "de": ["Beschreibung", "Details"],
        "fr": ["Description", "Descriptif"],
    },
    "effective": {
        "en": ["Effective from", "Valid from"],
        "de": ["Gültig ab", "Wirksam ab"],
        "fr": ["Applicable au", "Valable à partir du"],
    },
}

_DESCRIPTIONS = {
    "en": [
        "Improved battery life and a new matte finish.",
        "Now available in black and white.",
        "Packaging changed to recycled cardboard.",
        "Replaces the previous model; same dimensions.",
    ],
    "de": [
        "Verbesserte Akkulaufzeit und neue matte Oberfläche.",
        "Jetzt in Schwarz und Weiß erhältlich.",
        "Verpackung auf Recyclingkarton umgestellt.",
        "Ersetzt das Vorgängermodell bei gleichen Maßen.",
    ],
    "fr": [
        "Autonomie améliorée et nouvelle finition mate.",
        "Désormais disponible en noir et blanc.",
        "Emballage en carton recyclé.",
        "Remplace le modèle précédent, mêmes dimensions.",
    ],
}


# Dutch, Spanish, Italian and Polish notices.
_MORE = {
    "title": {
        "nl": ["Productwijziging", "Productinformatie", "Prijswijziging", "!Artikelupdate"],
        "es": ["Actualización de producto", "Cambio de precio", "Aviso de producto",
               "!Nueva tarifa"],
        "it": ["Aggiornamento prodotto", "Variazione prezzo", "Comunicazione prodotto",
               "!Nuovo listino"],
        "pl": ["Zmiana produktu", "Informacja o produkcie", "Zmiana ceny", "!Nowy cennik"],
    },
    "sku": {
        "nl": ["Artikelnummer", "Art.nr.", "SKU", "!Productcode"],
        "es": ["Referencia", "Ref.", "SKU", "!Código de artículo"],
        "it": ["Codice articolo", "Cod. art.", "SKU", "!Codice prodotto"],
        "pl": ["Indeks", "Kod produktu", "SKU", "!Nr katalogowy"],
    },
    "name": {
        "nl": ["Productnaam", "Omschrijving", "Artikel"],
        "es": ["Nombre del producto", "Descripción", "Producto"],
        "it": ["Nome prodotto", "Descrizione", "Prodotto"],
        "pl": ["Nazwa produktu", "Nazwa", "Produkt"],
    },
    "price": {
        "nl": ["Nieuwe prijs", "Prijs", "Adviesprijs", "!Verkoopprijs"],
        "es": ["Nuevo precio", "Precio", "Precio de tarifa", "!PVP"],
        "it": ["Nuovo prezzo", "Prezzo", "Prezzo di listino", "!Prezzo al pubblico"],
        "pl": ["Nowa cena", "Cena", "Cena katalogowa", "!Cena sprzedaży"],
    },
    "old": {
        "nl": ["Oude prijs", "Huidige prijs"],
        "es": ["Precio anterior", "Precio actual"],
        "it": ["Prezzo precedente", "Vecchio prezzo"],
        "pl": ["Stara cena", "Dotychczasowa cena"],
    },
    "stock": {
        "nl": ["Voorraad", "Op voorraad", "Beschikbaar"],
        "es": ["Stock", "Existencias", "Disponible"],
        "it": ["Giacenza", "Disponibilità", "Magazzino"],
        "pl": ["Stan magazynowy", "Dostępna ilość", "Na stanie"],
    },
    "desc": {
        "nl": ["Omschrijving", "Details"],
        "es": ["Descripción", "Detalles"],
        "it": ["Descrizione", "Dettagli"],
        "pl": ["Opis", "Szczegóły"],
    },
    "effective": {
        "nl": ["Geldig vanaf", "Ingaande"],
        "es": ["Válido desde", "Aplicable a partir del"],
        "it": ["Valido dal", "In vigore dal"],
        "pl": ["Obowiązuje od", "Ważne od"],
    },
}  # fmt: skip
for _key, _by_language in _MORE.items():
    _P[_key] |= _by_language

_DESCRIPTIONS |= {
    "nl": [
        "Langere accuduur en een nieuwe matte afwerking.",
        "Nu verkrijgbaar in zwart en wit.",
        "Verpakking omgezet naar gerecycled karton.",
        "Vervangt het vorige model; zelfde afmetingen.",
    ],
    "es": [
        "Mayor autonomía y nuevo acabado mate.",
        "Ahora disponible en negro y blanco.",
        "Embalaje de cartón reciclado.",
        "Sustituye al modelo anterior con las mismas medidas.",
    ],
    "it": [
        "Maggiore autonomia e nuova finitura opaca.",
        "Ora disponibile in nero e bianco.",
        "Imballo in cartone riciclato.",
        "Sostituisce il modello precedente, stesse dimensioni.",
    ],
    "pl": [
        "Dłuższa praca na baterii i nowe matowe wykończenie.",
        "Teraz dostępny w kolorze czarnym i białym.",
        "Opakowanie z kartonu z recyklingu.",
        "Zastępuje poprzedni model; te same wymiary.",
    ],
}

_PROSE = {
    "en": ("We would like to inform you that", "now costs", "Current stock:"),
    "de": ("Wir informieren Sie, dass", "ab sofort", "Aktueller Bestand:"),
    "fr": ("Nous vous informons que", "coûte désormais", "Stock actuel :"),
    "nl": ("Graag informeren wij u dat", "nu kost", "Huidige voorraad:"),
    "es": ("Les informamos de que", "pasa a costar", "Stock actual:"),
    "it": ("Vi informiamo che", "ora costa", "Giacenza attuale:"),
    "pl": ("Uprzejmie informujemy, że", "kosztuje teraz", "Aktualny stan:"),
}


def _p(ctx: Ctx, key: str) -> str:
    options = _P[key][ctx.language]
    seen = [o for o in options if not o.startswith("!")]
    held = [o[1:] for o in options if o.startswith("!")]
    if ctx.split == "test" and held and ctx.rng.random() < 0.5:
        return ctx.rng.choice(held)
    return ctx.rng.choice(seen)


def product_update(ctx: Ctx) -> None:
    rng, b = ctx.rng, ctx.b
    style = ctx.pick("product", ["kv", "table"], ("prose",))
    maker = make_party(rng, ctx.language, ctx.split)
    ctx.dates_of(maker.country)
    sku = rng.choice(
        [
            f"SKU-{rng.randint(10000, 99999)}",
            f"{rng.choice('ABKX')}{rng.randint(100, 999)}-{rng.randint(10, 99)}",
            f"{rng.randint(100000, 9999999)}",
        ]
    )
    product = f"{rng.choice(goods.PRODUCTS[ctx.language])} {rng.choice(goods.PRODUCT_ADJECTIVES)}"
    price = Decimal(rng.randint(299, 99999)) / 100
    old = (price * Decimal(rng.choice(["0.9", "0.95", "1.05", "1.1"]))).quantize(Decimal("0.01"))
    stock = rng.randint(0, 5000)
    description = rng.choice(_DESCRIPTIONS[ctx.language])
    effective = formats.random_date(rng)
    for name, truth in (
        ("sku", sku),
        ("product_name", product),
        ("price", formats.money(price)),
        ("currency", ctx.currency),
        ("stock", str(stock)),
        ("description", description),
    ):
        ctx.set(name, truth)
    b.line(cell(0.0, maker.name, bold=True), cell(1.0, ctx.date(effective), align="right"))
    b.line(cell(0.0, _p(ctx, "title")), size=1.5, gap=0.6)
    price_parts = ctx.money_parts(price, "price")
    if ctx.money.position == "none":
        price_parts = [*price_parts, (ctx.currency, "currency")]
    rows: list[tuple[str, list[Part]]] = [
        (_p(ctx, "sku"), [(sku, "sku")]),
        (_p(ctx, "name"), [(product, "product_name")]),
        (_p(ctx, "old"), ctx.money_parts(old, None)),
        (_p(ctx, "price"), price_parts),
        (_p(ctx, "stock"), [(str(stock), "stock")]),
        (_p(ctx, "effective"), [ctx.date(effective)]),
    ]
    if rng.random() < 0.4:
        rows.pop(2)  # not every notice shows the old price
    if style == "kv":
        colon = rng.random() < 0.5
        for label, value in rows:
            b.line(
                cell(0.0, f"{label}:" if colon else label, bold=True), cell(0.3, *value), gap=0.2
            )
        b.line(cell(0.0, _p(ctx, "desc"), bold=True), gap=0.5)
        b.text_line(0.0, (description, "description"))
    elif style == "table":
        keep = rows[:-1]  # the effective date goes above the table
        b.line(
            *[cell(i / len(keep), label, bold=True) for i, (label, _) in enumerate(keep)],
            rule=True,
            gap=0.5,
        )
        b.line(*[cell(i / len(keep), *value) for i, (_, value) in enumerate(keep)])
        b.text_line(0.0, _p(ctx, "desc"), (description, "description"), gap=0.5)
    else:
        text = _PROSE[ctx.language]
        b.text_line(0.0, text[0], (product, "product_name"), gap=0.5)
        b.text_line(0.0, _p(ctx, "sku"), (sku, "sku"))
        b.text_line(0.0, text[1], *price_parts)
        b.text_line(0.0, text[2], (str(stock), "stock"))
        b.text_line(0.0, (description, "description"))
    b.text_line(0.0, maker.email, maker.phone, gap=1.0, size=0.8)
