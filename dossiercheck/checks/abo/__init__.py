"""ABO — Alternerende Beroepsopleiding BuSO OV3 (RULES.md "ABO", seed 000).

Rules on the lines and the dossier live in :mod:`.registration` (ABO001-ABO008, ABO019-ABO021),
rules on notes and plans around registration and closure in :mod:`.closure` (ABO009-ABO018).
"""

from __future__ import annotations

import datetime as dt

from dossiercheck.checks.abo import closure, registration

CONFIG = {
    "abo": {
        # ABO001: no new ABO registrations from this date on.
        "no_new_from": dt.date(2025, 9, 1),
        # ABO003: warn this many days before the 30 June closing deadline.
        "warn_days": 30,
        # ABO004: the project line Leren en Werken ends on this date at the latest.
        "project_end": dt.date(2025, 6, 30),
        # ABO009-ABO012: the reason of the proof-of-studies note (spelling variants tolerated).
        "c109_code": "C109/36",
        # ABO007: accepted phases (resultaatcode) of the project line; the first is the one to choose.
        "project_phase": ["Alternerende beroepsopl. BuSO OV3", "Alternerende beroepsopleiding BuSO OV3"],
        # ABO013-ABO015: the closing plan van aanpak.
        "closing_status": "Actiegerichte (her)inschatting",
        "closing_plan_days": 14,
        "closing_reason": "Einde project alternerend leren",
        "oao_terms": ["OAO", "Overeenkomst Alternerende Opleiding"],
        # ABO018: the plan van aanpak at registration.
        "registration_status": "Blijft ingeschreven, geen dienstverlening door VDAB",
        "registration_plan_days": 30,
        # ABO019: the registration category expected per region of residence.
        "region_category": {"Vlaanderen": "02", "Brussel": "03", "Wallonie": "03", "Buitenland": "03"},
    }
}

_BY_CODE = {r.code: r for r in (*registration.RULES, *closure.RULES)}
RULES = [_BY_CODE[c] for c in sorted(_BY_CODE)]
