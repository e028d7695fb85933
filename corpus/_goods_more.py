"""Goods in Dutch, Spanish, Italian and Polish (``corpus._goods`` merges them); ``ITEMS``
lists the same goods in the same order as ``corpus._goods.ITEMS``."""

from __future__ import annotations

ITEMS = {
    "nl": (
        "Bureaustoel", "Tonercartridge zwart", "Kopieerpapier A4, 500 vel", "USB-C kabel",
        "Advieswerkzaamheden", "Softwarelicentie", "Monitor 27 inch", "Bureaulamp",
        "Onderhoudscontract", "Verzendkosten", "Bouten staal M8", "Werkhandschoenen",
        "Schoonmaakdienst", "Projectmanagement", "Netwerkswitch", "Hosting (maandelijks)",
        "Training op locatie", "Europallet", "Etiketrol", "Koffiebonen 1 kg",
    ),
    "es": (
        "Silla de oficina", "Tóner negro", "Papel A4, 500 hojas", "Cable USB-C",
        "Servicios de consultoría", "Licencia de software", "Monitor 27 pulgadas",
        "Lámpara de escritorio", "Contrato de mantenimiento", "Gastos de envío",
        "Tornillos acero M8", "Guantes de seguridad", "Servicio de limpieza",
        "Gestión de proyectos", "Switch de red", "Hosting (mensual)", "Taller de formación",
        "Palé de madera", "Rollo de etiquetas", "Café en grano 1 kg",
    ),
    "it": (
        "Sedia da ufficio", "Toner nero", "Carta A4, 500 fogli", "Cavo USB-C",
        "Servizi di consulenza", "Licenza software", "Monitor 27 pollici",
        "Lampada da scrivania", "Contratto di manutenzione", "Spese di spedizione",
        "Bulloni acciaio M8", "Guanti di sicurezza", "Servizio di pulizia",
        "Gestione progetto", "Switch di rete", "Hosting (mensile)", "Corso di formazione",
        "Pallet in legno", "Rotolo etichette", "Caffè in grani 1 kg",
    ),
    "pl": (
        "Krzesło biurowe", "Toner czarny", "Papier ksero A4, 500 arkuszy", "Kabel USB-C",
        "Usługi doradcze", "Licencja na oprogramowanie", "Monitor 27 cali", "Lampka biurkowa",
        "Umowa serwisowa", "Koszty wysyłki", "Śruby stalowe M8", "Rękawice ochronne",
        "Usługa sprzątania", "Zarządzanie projektem", "Przełącznik sieciowy",
        "Hosting (miesięcznie)", "Szkolenie stacjonarne", "Paleta drewniana",
        "Rolka etykiet", "Kawa ziarnista 1 kg",
    ),
}  # fmt: skip

RECEIPT_ITEMS = {
    "nl": ("Koffie", "Cappuccino", "Broodje kaas", "Croissant", "Spa blauw 0,5l",
           "Appeltaart", "Thee", "Melk 1l", "Brood", "Appels", "Batterijen AA", "Schrift A5"),
    "es": ("Café con leche", "Cortado", "Bocadillo", "Croissant", "Agua 0,5l", "Zumo de naranja",
           "Magdalena", "Leche 1l", "Pan", "Manzanas", "Pilas AA", "Cuaderno A5"),
    "it": ("Caffè", "Cappuccino", "Cornetto", "Panino", "Acqua 0,5l", "Spremuta d'arancia",
           "Tramezzino", "Latte 1l", "Pane", "Mele", "Batterie AA", "Quaderno A5"),
    "pl": ("Kawa", "Cappuccino", "Drożdżówka", "Kanapka", "Woda 0,5l", "Sok pomarańczowy",
           "Bułka", "Mleko 1l", "Chleb", "Jabłka", "Baterie AA", "Zeszyt A5"),
}  # fmt: skip

PRODUCTS = {
    "nl": ("Draadloze muis", "Ergonomisch toetsenbord", "Zit-sta bureau", "LED-paneel",
           "RVS drinkfles", "Headset met ruisonderdrukking", "Laptopstandaard"),
    "es": ("Ratón inalámbrico", "Teclado ergonómico", "Escritorio elevable", "Panel LED",
           "Botella de acero inoxidable", "Auriculares con cancelación de ruido",
           "Soporte para portátil"),
    "it": ("Mouse wireless", "Tastiera ergonomica", "Scrivania regolabile", "Pannello LED",
           "Borraccia in acciaio", "Cuffie con cancellazione del rumore", "Supporto per laptop"),
    "pl": ("Mysz bezprzewodowa", "Klawiatura ergonomiczna", "Biurko regulowane", "Panel LED",
           "Butelka ze stali nierdzewnej", "Słuchawki z redukcją szumów", "Podstawka pod laptopa"),
}  # fmt: skip
