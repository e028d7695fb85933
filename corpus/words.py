"""Word lists for invented companies, people, places and goods.

Company names are combinatorial; the stems and surnames used by the ``train`` split and the
``test`` split are disjoint, so a held-out benchmark never meets a vendor it trained on.
"""

from __future__ import annotations

STEMS = {
    "train": (
        "Nord", "Alpen", "Rhein", "Elb", "Isar", "Baltic", "Meridian", "Blue", "Silver", "Oak",
        "Cedar", "Falcon", "Harbor", "Summit", "Pioneer", "Atlas", "Vertex", "Quantum", "Lumen",
        "Orion", "Nova", "Helio", "Terra", "Aqua", "Crest", "Granite", "Maple", "Willow", "Iron",
        "Copper", "Delta", "Sigma", "Polar", "Sun", "Star", "Bright", "Clear", "Swift", "Prime",
        "Loire", "Seine", "Rhone", "Azur", "Bel", "Mont", "Val", "Clair", "Roche", "Pont",
        "Stern", "Berg", "Wald", "Feld", "Hansa", "Tal", "Brücken", "Sonnen", "Linden", "Falken",
    ),
    "test": (
        "Zenit", "Kobalt", "Aurora", "Borealis", "Cobalt", "Juniper", "Osprey", "Redwood",
        "Sapphire", "Tundra", "Vortex", "Pinnacle", "Kestrel", "Marlin", "Obsidian", "Sierra",
        "Garonne", "Vosges", "Lumière", "Etoile", "Colline", "Eichen", "Donau", "Main", "Mosel",
        "Adler", "Kranich", "Quell", "Fjord", "Heron",
    ),
}  # fmt: skip

CORES = (
    "Tech", "Logistik", "Logistics", "Systems", "Solutions", "Trading", "Handel", "Bau",
    "Print", "Data", "Office", "Supply", "Medical", "Foods", "Services", "Consulting",
    "Engineering", "Industries", "Werkzeuge", "Papier", "Energie", "Electronics", "Textil",
    "Transports", "Distribution", "Conseil", "Industrie", "Metall", "Design", "Software",
)  # fmt: skip

SURNAMES = {
    "train": (
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
        "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Zimmermann", "Martin",
        "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel",
        "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas", "Clarke",
        "Walker", "Wright", "Hughes", "Green", "Baker", "Hall", "Lewis",
    ),
    "test": (
        "Hartmann", "Krüger", "Lehmann", "Schwarz", "Petit", "Roux", "Fournier", "Girard",
        "Fletcher", "Harrison", "Morgan", "Palmer", "Sutton", "Vogel", "Brandt", "Keller",
        "Mercier", "Blanc", "Chevalier", "Ellis",
    ),
}  # fmt: skip

FIRST_NAMES = (
    "Anna", "Thomas", "Julia", "Michael", "Sophie", "Lukas", "Marie", "Pierre", "Claire",
    "Nicolas", "Emma", "James", "Oliver", "Sarah", "Laura", "Jan", "Paul", "Lena", "Hugo",
    "Camille", "David", "Eva", "Felix", "Isabelle", "Karl", "Nina", "Robert", "Sandra",
)  # fmt: skip

SUFFIXES = {
    "DE": ("GmbH", "AG", "GmbH & Co. KG", "KG", "e.K."),
    "AT": ("GmbH", "AG", "KG"),
    "CH": ("AG", "GmbH", "SA"),
    "FR": ("SARL", "SAS", "S.A.", "SA", "EURL"),
    "BE": ("SA", "SRL", "NV", "BV"),
    "NL": ("B.V.", "BV", "N.V."),
    "GB": ("Ltd.", "Ltd", "Limited", "PLC", "LLP"),
    "US": ("Inc.", "LLC", "Corp.", "Inc", "Co."),
}

STREETS = {
    "DE": ("Hauptstraße", "Bahnhofstr.", "Industriestraße", "Gartenweg", "Lindenallee",
           "Am Markt", "Schillerstraße", "Goethestr.", "Ringstraße", "Hafenstraße"),
    "AT": ("Mariahilfer Straße", "Landstraße", "Ringstraße", "Kaiserstraße"),
    "CH": ("Bahnhofstrasse", "Seestrasse", "Dorfstrasse", "Industriestrasse"),
    "FR": ("rue de la Paix", "avenue Victor Hugo", "boulevard Voltaire", "rue du Commerce",
           "rue des Lilas", "place de la République", "chemin des Vignes"),
    "BE": ("rue Neuve", "avenue Louise", "rue Royale"),
    "NL": ("Keizersgracht", "Stationsweg", "Dorpsstraat", "Kerkstraat"),
    "GB": ("High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane",
           "Park Avenue", "King Street"),
    "US": ("Main Street", "Oak Avenue", "Maple Drive", "Market Street", "Elm Street",
           "Industrial Parkway"),
}  # fmt: skip

CITIES = {
    "DE": (("10115", "Berlin"), ("20095", "Hamburg"), ("80331", "München"), ("50667", "Köln"),
           ("60311", "Frankfurt am Main"), ("70173", "Stuttgart"), ("04109", "Leipzig"),
           ("28195", "Bremen"), ("90402", "Nürnberg"), ("01067", "Dresden")),
    "AT": (("1010", "Wien"), ("8010", "Graz"), ("4020", "Linz"), ("5020", "Salzburg")),
    "CH": (("8001", "Zürich"), ("3011", "Bern"), ("4051", "Basel"), ("1201", "Genève")),
    "FR": (("75008", "Paris"), ("69002", "Lyon"), ("13001", "Marseille"), ("31000", "Toulouse"),
           ("33000", "Bordeaux"), ("59000", "Lille"), ("44000", "Nantes"), ("67000", "Strasbourg")),
    "BE": (("1000", "Bruxelles"), ("4000", "Liège"), ("2000", "Antwerpen")),
    "NL": (("1012 AB", "Amsterdam"), ("3011 AD", "Rotterdam"), ("3511 LX", "Utrecht")),
    "GB": (("EC1A 1BB", "London"), ("M1 1AE", "Manchester"), ("B1 1AA", "Birmingham"),
           ("LS1 4AP", "Leeds"), ("BS1 4DJ", "Bristol"), ("EH1 1YZ", "Edinburgh")),
    "US": (("NY 10001", "New York"), ("IL 60601", "Chicago"), ("CA 94105", "San Francisco"),
           ("TX 73301", "Austin"), ("MA 02108", "Boston"), ("WA 98101", "Seattle")),
}  # fmt: skip

COUNTRY_NAMES = {
    "en": {"DE": "Germany", "AT": "Austria", "CH": "Switzerland", "FR": "France",
           "BE": "Belgium", "NL": "Netherlands", "GB": "United Kingdom", "US": "USA"},
    "de": {"DE": "Deutschland", "AT": "Österreich", "CH": "Schweiz", "FR": "Frankreich",
           "BE": "Belgien", "NL": "Niederlande", "GB": "Großbritannien", "US": "USA"},
    "fr": {"DE": "Allemagne", "AT": "Autriche", "CH": "Suisse", "FR": "France",
           "BE": "Belgique", "NL": "Pays-Bas", "GB": "Royaume-Uni", "US": "États-Unis"},
}  # fmt: skip

# Countries a document's parties come from, by document language.
COUNTRIES = {
    "en": ("GB", "GB", "US", "US", "DE", "NL", "FR"),
    "de": ("DE", "DE", "DE", "AT", "CH"),
    "fr": ("FR", "FR", "FR", "BE", "CH"),
}

ITEMS = {
    "en": ("Office chair", "Laser printer toner", "A4 copy paper, 500 sheets", "USB-C cable",
           "Consulting services", "Software licence", "Monitor 27 inch", "Desk lamp",
           "Maintenance contract", "Shipping and handling", "Steel bolts M8", "Safety gloves",
           "Cleaning service", "Project management", "Network switch", "Hosting (monthly)",
           "Training workshop", "Wooden pallet", "Label roll", "Coffee beans 1 kg"),
    "de": ("Bürostuhl", "Tonerkartusche schwarz", "Kopierpapier A4, 500 Blatt", "USB-C Kabel",
           "Beratungsleistung", "Softwarelizenz", "Monitor 27 Zoll", "Schreibtischlampe",
           "Wartungsvertrag", "Versandkosten", "Schrauben M8 verzinkt", "Arbeitshandschuhe",
           "Gebäudereinigung", "Projektmanagement", "Netzwerk-Switch", "Hosting (monatlich)",
           "Schulung vor Ort", "Europalette", "Etikettenrolle", "Kaffeebohnen 1 kg"),
    "fr": ("Chaise de bureau", "Cartouche de toner noir", "Papier A4, 500 feuilles",
           "Câble USB-C", "Prestation de conseil", "Licence logicielle", "Écran 27 pouces",
           "Lampe de bureau", "Contrat de maintenance", "Frais de port", "Boulons acier M8",
           "Gants de sécurité", "Nettoyage des locaux", "Gestion de projet", "Switch réseau",
           "Hébergement (mensuel)", "Atelier de formation", "Palette bois",
           "Rouleau d'étiquettes", "Café en grains 1 kg"),
}  # fmt: skip

RECEIPT_ITEMS = {
    "en": ("Coffee", "Latte", "Croissant", "Sandwich", "Water 0.5l", "Muffin", "Tea", "Bagel",
           "Orange juice", "Salad", "Milk 1l", "Bread", "Apples", "Batteries AA", "Notebook"),
    "de": ("Kaffee", "Cappuccino", "Brezel", "Brötchen", "Wasser 0,5l", "Apfelschorle",
           "Croissant", "Milch 1l", "Butter", "Käse", "Äpfel", "Batterien AA", "Heft A5"),
    "fr": ("Café", "Croissant", "Baguette", "Pain au chocolat", "Eau 50cl", "Thé", "Jus d'orange",
           "Salade", "Lait 1l", "Fromage", "Pommes", "Piles AA", "Cahier A5"),
}  # fmt: skip

PRODUCTS = {
    "en": ("Wireless Mouse", "Ergonomic Keyboard", "Standing Desk", "LED Panel Light",
           "Stainless Water Bottle", "Noise-Cancelling Headset", "Laptop Stand", "Webcam HD"),
    "de": ("Funkmaus", "Ergonomische Tastatur", "Stehschreibtisch", "LED-Panelleuchte",
           "Edelstahl-Trinkflasche", "Headset mit Geräuschunterdrückung", "Laptopständer"),
    "fr": ("Souris sans fil", "Clavier ergonomique", "Bureau assis-debout", "Panneau LED",
           "Gourde inox", "Casque anti-bruit", "Support pour ordinateur portable"),
}  # fmt: skip

PRODUCT_ADJECTIVES = ("Pro", "Plus", "Compact", "XL", "Eco", "Mini", "Max", "S2", "2024")
