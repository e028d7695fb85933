"""Places, legal forms, banks and family names for Dutch, Spanish, Italian and Polish
documents (``corpus._words`` merges them into its tables).

Local family names and name cores make a Polish supplier read like "Kowalski Usługi
sp. z o.o." rather than a German one with a Polish suffix; as in ``corpus._words``, the
``train`` and ``test`` names are disjoint.
"""

from __future__ import annotations

SUFFIXES = {
    "ES": ("S.L.", "S.A.", "SL", "S.L.U.", "S.Coop."),
    "IT": ("S.r.l.", "S.p.A.", "Srl", "S.n.c.", "S.a.s."),
    "PL": ("sp. z o.o.", "Sp. z o.o.", "S.A.", "sp.j.", "sp.k."),
}

STREETS = {
    "ES": (
        "Calle Mayor",
        "Calle de Alcalá",
        "Avenida de la Constitución",
        "Paseo de Gracia",
        "Calle Real",
        "Gran Vía",
        "Calle San Vicente",
        "Avenida Diagonal",
    ),
    "IT": (
        "Via Roma",
        "Via Garibaldi",
        "Corso Italia",
        "Via Mazzini",
        "Viale Europa",
        "Via Dante Alighieri",
        "Piazza della Repubblica",
        "Via Verdi",
    ),
    "PL": (
        "ul. Marszałkowska",
        "ul. Długa",
        "ul. Piłsudskiego",
        "al. Jerozolimskie",
        "ul. Kościuszki",
        "ul. Mickiewicza",
        "ul. Przemysłowa",
        "ul. Polna",
    ),
}

# Dutch documents name more Dutch places than the few the English corpus uses.
NL_MORE_STREETS = ("Herengracht", "Nieuwstraat", "Industrieweg", "Molenweg", "Marktplein")
NL_MORE_CITIES = (
    ("2511 CV", "Den Haag"),
    ("5611 AB", "Eindhoven"),
    ("9711 LM", "Groningen"),
    ("6811 AA", "Arnhem"),
)

CITIES = {
    "ES": (
        ("28013", "Madrid"),
        ("08007", "Barcelona"),
        ("46002", "Valencia"),
        ("41001", "Sevilla"),
        ("48001", "Bilbao"),
        ("50001", "Zaragoza"),
        ("29015", "Málaga"),
    ),
    "IT": (
        ("20121", "Milano (MI)"),
        ("00184", "Roma (RM)"),
        ("10121", "Torino (TO)"),
        ("40121", "Bologna (BO)"),
        ("50123", "Firenze (FI)"),
        ("80133", "Napoli (NA)"),
        ("35121", "Padova PD"),
    ),
    "PL": (
        ("00-001", "Warszawa"),
        ("30-001", "Kraków"),
        ("50-001", "Wrocław"),
        ("60-001", "Poznań"),
        ("80-001", "Gdańsk"),
        ("90-001", "Łódź"),
        ("40-001", "Katowice"),
    ),
}

COUNTRY_NAMES = {
    "nl": {"NL": "Nederland", "BE": "België", "DE": "Duitsland"},
    "es": {"ES": "España"},
    "it": {"IT": "Italia", "CH": "Svizzera"},
    "pl": {"PL": "Polska", "DE": "Niemcy"},
}

COUNTRIES = {
    "nl": ("NL", "NL", "NL", "NL", "BE"),
    "es": ("ES",),
    "it": ("IT", "IT", "IT", "IT", "CH"),
    "pl": ("PL",),
}

BANKS = {
    "NL": ("ING", "Rabobank", "ABN AMRO", "Triodos Bank"),
    "ES": ("Banco Santander", "BBVA", "CaixaBank", "Banco Sabadell", "Bankinter"),
    "IT": ("Intesa Sanpaolo", "UniCredit", "Banco BPM", "BPER Banca", "Monte dei Paschi"),
    "PL": ("PKO Bank Polski", "mBank", "Bank Pekao S.A.", "Santander Bank Polska", "ING Bank"),
}

# Name cores in the country's language ("Bouw", "Suministros", "Forniture", "Usługi").
CORES = {
    "NL": ("Bouw", "Techniek", "Handel", "Groep", "Installatie", "Transport", "Kantoor"),
    "ES": ("Suministros", "Servicios", "Construcciones", "Distribuciones", "Ingeniería"),
    "IT": ("Forniture", "Servizi", "Costruzioni", "Impianti", "Distribuzione", "Tecnologie"),
    "PL": ("Usługi", "Handel", "Serwis", "Budownictwo", "Systemy", "Logistyka", "Technika"),
}

SURNAMES = {
    "NL": {
        "train": ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer"),
        "test": ("van Dijk", "Mulder", "Bos", "Vos"),
    },
    "ES": {
        "train": ("García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez"),
        "test": ("Ruiz", "Hernández", "Jiménez", "Moreno"),
    },
    "IT": {
        "train": ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo"),
        "test": ("Ricci", "Marino", "Greco", "Bruno"),
    },
    "PL": {
        "train": ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski"),
        "test": ("Zieliński", "Szymański", "Woźniak", "Dąbrowski"),
    },
}
