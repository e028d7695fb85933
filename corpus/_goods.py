"""Word lists for the goods on invoices, orders, till receipts and product notices."""

from __future__ import annotations

from corpus import _goods_more as more

ITEMS = {
    "en": (
        "Office chair",
        "Laser printer toner",
        "A4 copy paper, 500 sheets",
        "USB-C cable",
        "Consulting services",
        "Software licence",
        "Monitor 27 inch",
        "Desk lamp",
        "Maintenance contract",
        "Shipping and handling",
        "Steel bolts M8",
        "Safety gloves",
        "Cleaning service",
        "Project management",
        "Network switch",
        "Hosting (monthly)",
        "Training workshop",
        "Wooden pallet",
        "Label roll",
        "Coffee beans 1 kg",
    ),
    "de": (
        "Bürostuhl",
        "Tonerkartusche schwarz",
        "Kopierpapier A4, 500 Blatt",
        "USB-C Kabel",
        "Beratungsleistung",
        "Softwarelizenz",
        "Monitor 27 Zoll",
        "Schreibtischlampe",
        "Wartungsvertrag",
        "Versandkosten",
        "Schrauben M8 verzinkt",
        "Arbeitshandschuhe",
        "Gebäudereinigung",
        "Projektmanagement",
        "Netzwerk-Switch",
        "Hosting (monatlich)",
        "Schulung vor Ort",
        "Europalette",
        "Etikettenrolle",
        "Kaffeebohnen 1 kg",
    ),
    "fr": (
        "Chaise de bureau",
        "Cartouche de toner noir",
        "Papier A4, 500 feuilles",
        "Câble USB-C",
        "Prestation de conseil",
        "Licence logicielle",
        "Écran 27 pouces",
        "Lampe de bureau",
        "Contrat de maintenance",
        "Frais de port",
        "Boulons acier M8",
        "Gants de sécurité",
        "Nettoyage des locaux",
        "Gestion de projet",
        "Switch réseau",
        "Hébergement (mensuel)",
        "Atelier de formation",
        "Palette bois",
        "Rouleau d'étiquettes",
        "Café en grains 1 kg",
    ),
}

# Typical unit price range (low, high) and whether the item is billed by the hour,
# by index into ITEMS (every language lists the same goods in the same order).
ITEM_PRICES: tuple[tuple[float, float, bool], ...] = (
    (80, 600, False), (30, 180, False), (3, 12, False), (5, 25, False), (80, 250, True),
    (50, 2500, False), (150, 600, False), (15, 120, False), (200, 3000, False), (5, 80, False),
    (0.1, 2, False), (2, 15, False), (50, 800, False), (80, 200, True), (60, 1500, False),
    (10, 400, False), (300, 2500, False), (8, 30, False), (2, 20, False), (10, 35, False),
)  # fmt: skip

RECEIPT_ITEMS = {
    "en": (
        "Coffee",
        "Latte",
        "Croissant",
        "Sandwich",
        "Water 0.5l",
        "Muffin",
        "Tea",
        "Bagel",
        "Orange juice",
        "Salad",
        "Milk 1l",
        "Bread",
        "Apples",
        "Batteries AA",
        "Notebook",
    ),
    "de": (
        "Kaffee",
        "Cappuccino",
        "Brezel",
        "Brötchen",
        "Wasser 0,5l",
        "Apfelschorle",
        "Croissant",
        "Milch 1l",
        "Butter",
        "Käse",
        "Äpfel",
        "Batterien AA",
        "Heft A5",
    ),
    "fr": (
        "Café",
        "Croissant",
        "Baguette",
        "Pain au chocolat",
        "Eau 50cl",
        "Thé",
        "Jus d'orange",
        "Salade",
        "Lait 1l",
        "Fromage",
        "Pommes",
        "Piles AA",
        "Cahier A5",
    ),
}

PRODUCTS = {
    "en": (
        "Wireless Mouse",
        "Ergonomic Keyboard",
        "Standing Desk",
        "LED Panel Light",
        "Stainless Water Bottle",
        "Noise-Cancelling Headset",
        "Laptop Stand",
        "Webcam HD",
    ),
    "de": (
        "Funkmaus",
        "Ergonomische Tastatur",
        "Stehschreibtisch",
        "LED-Panelleuchte",
        "Edelstahl-Trinkflasche",
        "Headset mit Geräuschunterdrückung",
        "Laptopständer",
    ),
    "fr": (
        "Souris sans fil",
        "Clavier ergonomique",
        "Bureau assis-debout",
        "Panneau LED",
        "Gourde inox",
        "Casque anti-bruit",
        "Support pour ordinateur portable",
    ),
}

PRODUCT_ADJECTIVES = ("Pro", "Plus", "Compact", "XL", "Eco", "Mini", "Max", "S2", "2024")

# Dutch, Spanish, Italian and Polish goods (``corpus._goods_more``).
ITEMS |= more.ITEMS
RECEIPT_ITEMS |= more.RECEIPT_ITEMS
PRODUCTS |= more.PRODUCTS
