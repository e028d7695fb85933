"""Month names and the date styles each document language uses.

Polish dates take the genitive ("15 marca 2026"), so its names here are genitive; Spanish
links day, month and year with "de" ("15 de marzo de 2026", style ``d_de_month_de_y``).
"""

from __future__ import annotations

MONTHS: dict[str, list[str]] = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"],
    "pl": ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
           "września", "października", "listopada", "grudnia"],
}  # fmt: skip

# Date styles per language; a document uses one style for all its dates, as real ones do.
# A style listed twice is twice as common.
DATE_STYLES: dict[str, tuple[str, ...]] = {
    "en": (
        "dmy_slash",
        "mdy_slash_short",
        "d_month_y",
        "month_d_y",
        "iso",
        "d_mon_y",
        "dmy_dot",
        "mdy_slash",
        "d_ord_month_y",
        "mon_d_y",
    ),
    "de": ("dmy_dot", "d_dot_month_y", "iso", "dmy_dot_short", "d_month_y"),
    "fr": ("dmy_slash", "d_month_y", "dmy_dot", "iso", "dmy_dash"),
    "nl": ("dmy_dash", "dmy_dash", "d_month_y", "dmy_slash", "iso"),
    "es": ("dmy_slash", "dmy_slash", "d_de_month_de_y", "dmy_dash", "dmy_slash_short"),
    "it": ("dmy_slash", "dmy_slash", "d_month_y", "dmy_dot", "dmy_dash"),
    "pl": ("dmy_dot", "dmy_dot", "d_month_y", "iso", "dmy_dot_r"),
}
