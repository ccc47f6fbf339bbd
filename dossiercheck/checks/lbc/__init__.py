"""LBC — loopbaancheques (RULES.md "LBC", seed 004 "Handleiding registratiemodule Loopbaancheques").

Every rule works per cheque over its conversations that are not ``verwijderd``, in registration
order (TABLES.md: ``registratiedatum`` ascending, ties and a missing column broken by the row's
position in the source). :func:`prepare` derives that order once per run (``common.py``); the
rules live in ``rules.py``.
"""

from __future__ import annotations

from dossiercheck.checks.lbc.common import prepare
from dossiercheck.checks.lbc.rules import RULES
from dossiercheck.tables import DEFAULT_CHEQUE_HOURS

THEMES = [
    "Werkbaar werk",
    "Relaties in de werkcontext",
    "Jobdoelwit",
    "Zingeving",
    "Kwaliteitsreflectie",
    "Groei en uitdaging",
]

CONFIG = {
    "lbc": {
        "min_minutes": 30,  # LBC007: shortest conversation that may be registered
        "max_minutes": 120,  # LBC007: longest conversation (2 hours)
        "max_months_back": 12,  # LBC003: datum at most this many calendar months before registratiedatum
        "default_hours": float(DEFAULT_CHEQUE_HOURS),  # LBC010/LBC011: hours when cheques.uren is empty
        "themes": THEMES,  # LBC013: allowed reden_begeleiding themes
    }
}

__all__ = ["CONFIG", "RULES", "prepare"]
