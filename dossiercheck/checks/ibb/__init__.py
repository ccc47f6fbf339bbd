"""IBB — intensive mediation tenders TIBB4, TIBB4 anderstaligen, SCRABA, SAB3, WIJ3 (seed 003).

Rules work per service (:mod:`.service`): a service's appointments, afsprakenbladen and contacts
are those of its client dated ≥ its toeleiding and < the toeleiding of the client's next service.

Modules: :mod:`.absence` (IBB001-IBB004, the first-appointment absence flow), :mod:`.start`
(IBB005-IBB008, first agreement sheet and start of mediation), :mod:`.closure` (IBB009-IBB016,
closure, final advice, Bijlage 3/4 as a data table), :mod:`.training` (IBB017).
"""

from __future__ import annotations

import datetime as dt

from dossiercheck.checks.ibb.absence import ibb001, ibb002, ibb003, ibb004
from dossiercheck.checks.ibb.closure import ibb009, ibb010, ibb011, ibb012, ibb013, ibb014, ibb015, ibb016
from dossiercheck.checks.ibb.start import ibb005, ibb006, ibb007, ibb008
from dossiercheck.checks.ibb.training import ibb017

CONFIG = {
    "ibb": {
        # the type that marks a first (referral) appointment; normalised prefix comparison
        "first_appointment_type": "Eerste afspraak voor bemiddeling bij partner",
        "reschedule_days": 7,  # IBB001: new appointment fixed within 7 calendar days (§2.1.1)
        "afsprakenblad_days": 15,  # IBB005: first agreement sheet within 15 calendar days (§2.2)
        # IBB009 / IBB011: closure at the earliest after this many calendar months of mediation, per
        # tender: 6 for TIBB4, TIBB4 anderstaligen, SCRABA, SAB3 (§4.1), 18 for WIJ3 (§4.2).
        # Override one tender in TOML with e.g. ``[ibb.min_months]`` ``SCRABA = 9``.
        "min_months": {"TIBB4": 6, "TIBB4 anderstaligen": 6, "SCRABA": 6, "SAB3": 6, "WIJ3": 18},
        "passive_months": 3,  # IBB010: passive category at the end of 3 months in a row (§4.1)
        "wij3_project_end": dt.date(2020, 11, 30),  # IBB011: "bij het aflopen van de projecten (30/11/2020)"
        "advice_months": 1,  # IBB013/IBB014: one month to give the final advice (§4.3, §4.4)
        "stage_terms": ["beroepsverkennende stage", "beroepsverkennde stage"],  # IBB017 (§3.4.1)
        "stage_code": "953030",  # IBB017
    }
}

RULES = [
    ibb001,
    ibb002,
    ibb003,
    ibb004,
    ibb005,
    ibb006,
    ibb007,
    ibb008,
    ibb009,
    ibb010,
    ibb011,
    ibb012,
    ibb013,
    ibb014,
    ibb015,
    ibb016,
    ibb017,
]
