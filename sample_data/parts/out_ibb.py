"""Sample rows for the outplacement (OUT) and intensive-mediation (IBB) rules.

Klantnummers 63000001-63000999 (OUT: 630000xx, IBB: 630001xx). All people and organisations
are invented. Demo peildatum 2025-06-15. Every OUT and IBB rule fires at least once (the
comment above a client names the rule it plants); the other clients are compliant.
"""

from datetime import date as d

OUTPL = "Outplacement Plus bv"
OUTPL2 = "Loopbaanhuis Schelde bv"
TENDER = "Werkpunt vzw"
FA = "Eerste afspraak voor bemiddeling bij partner"
FIN = "OUTPL2025 - Outplacement collectief ontslag"

# --------------------------------------------------------------------------------------------
# dossiers

_PEOPLE = {
    # OUT
    63000001: ("Vermeulen", "Sofie", OUTPL),
    63000002: ("De Smet", "Pieter", OUTPL),
    63000003: ("Wouters", "Nina", OUTPL),
    63000004: ("Lambrechts", "Bram", OUTPL2),
    63000005: ("Hermans", "Ilse", OUTPL),
    63000006: ("Coppens", "Tom", OUTPL2),
    63000007: ("Van Damme", "Eline", OUTPL),
    63000008: ("Verstraeten", "Kobe", OUTPL2),
    63000009: ("Claessens", "Marie", OUTPL),
    63000010: ("Dewulf", "Arne", OUTPL),
    63000011: ("Segers", "Hanne", OUTPL2),
    63000012: ("Aerts", "Wout", TENDER),
    63000013: ("Michiels", "Fien", TENDER),
    63000014: ("Pauwels", "Jens", OUTPL),
    # IBB
    63000101: ("Van Acker", "Lien", TENDER),
    63000102: ("Bogaert", "Karim", TENDER),
    63000103: ("Cools", "Yasmina", TENDER),
    63000104: ("Daems", "Robbe", TENDER),
    63000105: ("Engelen", "Ayla", TENDER),
    63000106: ("Francken", "Milan", TENDER),
    63000107: ("Geerts", "Zoë", TENDER),
    63000108: ("Heylen", "Bilal", TENDER),
    63000109: ("Janssen", "Lore", TENDER),
    63000110: ("Kerckhofs", "Daan", TENDER),
    63000111: ("Leemans", "Amira", TENDER),
    63000112: ("Martens", "Seppe", TENDER),
    63000113: ("Nys", "Elif", TENDER),
    63000114: ("Op de Beeck", "Jonas", TENDER),
    63000115: ("Peeters", "Noor", TENDER),
    63000116: ("Raes", "Viktor", TENDER),
    63000117: ("Stevens", "Ines", TENDER),
    63000118: ("Thys", "Matteo", TENDER),
    63000119: ("Van Hoof", "Sara", TENDER),
    63000120: ("Wuyts", "Rayan", TENDER),
    63000121: ("Yilmaz", "Lotte", TENDER),
}

dossiers = [
    {"klantnummer": k if i % 3 else str(k), "naam": n, "voornaam": v, "regio": "Vlaanderen",
     "categorie": "Uitkeringsgerechtigd volledig werkloos (00)", "organisatie": org}
    for i, (k, (n, v, org)) in enumerate(_PEOPLE.items())
]

# --------------------------------------------------------------------------------------------
# lijnen: Outplacement and Opleiding lines


def _out(k, toestand, start, einde=None, gewijzigd=None, samenvatting="Vermoedelijke einddatum 31/10/2025",
         aanvrager="VDAB HALLE (384)", uitvoerder=OUTPL, fin=FIN):
    return {"klantnummer": k, "stap": "Outplacement", "toestand": toestand, "startdatum": start, "einddatum": einde,
            "financieringsnummer": fin, "aanvrager": aanvrager, "uitvoerder": uitvoerder,
            "samenvatting": samenvatting, "laatst_gewijzigd": gewijzigd or start}


lijnen = [
    # compliant: open line, end date in the summary, action plan added
    _out(63000001, "Bezig", d(2025, 2, 3), samenvatting="Intake 03/02/2025. Vermoedelijke einddatum 31/10/2025."),
    # compliant: ended, set to Uitgevoerd by the system one month after the end, final report added
    _out(63000002, "Uitgevoerd", d(2024, 9, 2), d(2025, 2, 28), d(2025, 3, 28),
         samenvatting="Einde voorzien 28 februari 2025"),
    # OUT001: executor missing
    _out(63000003, "Bezig", d(2025, 1, 13), uitvoerder=None, samenvatting="Loopt tot 13/01/2026"),
    # OUT002: no (expected) end date in the summary
    _out(63000004, "Bezig", "10/03/2025", uitvoerder=OUTPL2,
         samenvatting="Loopt nog een paar maanden, jobhunting en netwerken"),
    # OUT003: stopped by the counsellor
    _out(63000005, "Stopgezet", d(2025, 1, 6), d(2025, 3, 14), d(2025, 3, 14),
         samenvatting="Einde voorzien 30/09/2025; klant stopt"),
    # OUT004: Uitgevoerd set by hand ten days after the end
    _out(63000006, "Uitgevoerd", d(2024, 8, 1), d(2025, 1, 31), d(2025, 2, 10), uitvoerder=OUTPL2,
         samenvatting="Einde 31/01/2025"),
    # OUT005: the only action plan predates the line
    _out(63000007, "Bezig", d(2025, 3, 3), samenvatting="Vermoedelijk einde: 03.12.2025"),
    # OUT006: Uitgevoerd without final report
    _out(63000008, "Uitgevoerd", d(2024, 7, 1), d(2024, 12, 31), d(2025, 1, 31), uitvoerder=OUTPL2,
         samenvatting="Einde 2024-12-31"),
    # OUT007: the extension was registered as a new line starting on the day the first one ends
    _out(63000009, "Uitgevoerd", d(2024, 10, 1), d(2025, 3, 31), d(2025, 4, 30), samenvatting="Einde 31/03/2025"),
    _out(63000009, "Bezig", d(2025, 3, 31), samenvatting="Verlenging tot 30/09/2025"),
    # compliant near miss of OUT007: second guidance starts the day after the first ended
    _out(63000010, "Uitgevoerd", d(2024, 9, 1), d(2025, 2, 28), d(2025, 3, 28), samenvatting="Einde 28/02/2025"),
    _out(63000010, "Bezig", d(2025, 3, 1), samenvatting="Nieuwe begeleiding, einde 31/08/2025"),
    # OUT008: phone number and a medical term in the summary
    _out(63000011, "Bezig", d(2025, 4, 7), uitvoerder=OUTPL2,
         samenvatting="Einde 30/09/2025. Klant bereikbaar op 0470 12 34 56, herstelt van een burn-out."),
    # cancelled line: ignored by every OUT rule
    {"klantnummer": 63000014, "stap": "Outplacement", "toestand": "Geannuleerd", "startdatum": d(2025, 5, 5),
     "einddatum": d(2025, 5, 6), "laatst_gewijzigd": d(2025, 5, 6), "samenvatting": "Klant weigert outplacement"},
    # IBB017: job-exploration internship with another training code
    {"klantnummer": 63000012, "stap": "Opleiding", "toestand": "Bezig", "startdatum": d(2025, 4, 22),
     "opleidingscode": "123456", "aanvrager": TENDER, "uitvoerder": TENDER,
     "samenvatting": "Beroepsverkennende stage bij Bakkerij De Korenaar (2 weken)"},
    # compliant: the internship code as a numeric cell
    {"klantnummer": 63000013, "stap": "Opleiding", "toestand": "Bezig", "startdatum": d(2025, 5, 12),
     "opleidingscode": 953030, "aanvrager": TENDER, "uitvoerder": TENDER,
     "samenvatting": "Beroepsverkennende stage magazijn, Logistiek Noord nv"},
]

# --------------------------------------------------------------------------------------------
# documenten

documenten = [
    {"klantnummer": 63000001, "publicatienaam": "Actieplan OP-030225", "datum": d(2025, 2, 10)},
    {"klantnummer": 63000002, "publicatienaam": "Actieplan OP-020924", "datum": "09/09/2024"},
    {"klantnummer": 63000002, "publicatienaam": "Eindverslag outplacement", "datum": "27/02/2025"},
    {"klantnummer": 63000003, "publicatienaam": "Actieplan OP-130125", "datum": "20/01/2025"},
    {"klantnummer": 63000004, "publicatienaam": "Actieplan", "datum": "17/03/2025"},
    {"klantnummer": 63000005, "publicatienaam": "Actieplan OP-060125", "datum": "13/01/2025"},
    {"klantnummer": 63000006, "publicatienaam": "Actieplan OP-010824", "datum": "08/08/2024"},
    {"klantnummer": 63000006, "publicatienaam": "Eindverslag 'outplacement'", "datum": "31/01/2025"},
    {"klantnummer": 63000007, "publicatienaam": "Actieplan OP-200225 (vorige begeleiding)", "datum": "20/02/2025"},
    {"klantnummer": 63000008, "publicatienaam": "Actieplan OP-010724", "datum": "05/07/2024"},
    {"klantnummer": 63000008, "publicatienaam": "Aangepast actieplan", "datum": "02/10/2024"},
    {"klantnummer": 63000009, "publicatienaam": "Actieplan OP-011024", "datum": "07/10/2024"},
    {"klantnummer": 63000009, "publicatienaam": "Eindverslag outplacement", "datum": "31/03/2025"},
    {"klantnummer": 63000009, "publicatienaam": "Actieplan verlenging", "datum": "07/04/2025"},
    {"klantnummer": 63000010, "publicatienaam": "Actieplan OP-010924", "datum": "02/09/2024"},
    {"klantnummer": 63000010, "publicatienaam": "Eindverslag outplacement", "datum": "27/02/2025"},
    {"klantnummer": 63000010, "publicatienaam": "Actieplan OP-010325", "datum": "03/03/2025"},
    {"klantnummer": 63000011, "publicatienaam": "Actieplan OP-070425", "datum": "14/04/2025"},
]

# --------------------------------------------------------------------------------------------
# services, contacten, afsprakenbladen, categorieen

services, contacten, afsprakenbladen, categorieen = [], [], [], []


def _svc(k, tender, toeleiding, start=None, einde=None, reden=None, wijze=None, advies=None, advies_datum=None):
    services.append({"klantnummer": k, "tender": tender, "toeleiding": toeleiding, "start_bemiddeling": start,
                     "einde_bemiddeling": einde, "reden_afsluiting": reden, "wijze_afsluiting": wijze,
                     "eindadvies": advies, "eindadvies_datum": advies_datum, "organisatie": TENDER})


def _fa(k, when, resultaat="Aanwezig", aangetekend=None, aangemaakt=None):
    contacten.append({"klantnummer": k, "datum": when, "type": FA, "aangetekend": aangetekend,
                      "resultaat": resultaat, "aangemaakt_op": aangemaakt})


def _contact(k, when, type_, resultaat=None):
    contacten.append({"klantnummer": k, "datum": when, "type": type_, "resultaat": resultaat})


def _blad(k, when, getekend="ja"):
    afsprakenbladen.append({"klantnummer": k, "datum": when, "ondertekend": getekend})


def _months(k, passief):
    for maand, p in passief:
        categorieen.append({"klantnummer": k, "maand": maand, "categorie": "81" if p else "00",
                            "passief": "ja" if p else "nee"})


def _started(k, tender, toeleiding, fa, blad, start, **closure):
    """A service whose first appointment was attended, with a signed first agreement sheet."""
    _svc(k, tender, toeleiding, start, **closure)
    _fa(k, fa, aangemaakt=toeleiding)
    _blad(k, blad)


# compliant: absent once with a valid reason, attended the next week, signed sheet, process started
_svc(63000101, "TIBB4", d(2025, 1, 6), d(2025, 1, 24))
_fa(63000101, "13/01/2025 om 09:00", "Afwezig - geldige reden", aangemaakt=d(2025, 1, 6))
_fa(63000101, "20/01/2025 om 09:00", "Aanwezig", aangemaakt=d(2025, 1, 15))
_blad(63000101, d(2025, 1, 22))
_contact(63000101, "05/03/2025 om 10:00", "Gesprek: Zoektocht naar werk", "Aanwezig")
_contact(63000101, "20/06/2025 om 10:00", "Gesprek: Zoektocht naar werk")

# IBB001: the new first appointment was only scheduled 11 days after the absence
_svc(63000102, "TIBB4", d(2025, 1, 6), d(2025, 2, 11))
_fa(63000102, "13/01/2025 om 09:00", "Afwezig - geldige reden", aangemaakt=d(2025, 1, 6))
_fa(63000102, "03/02/2025 om 14:00", "Aanwezig", aangemaakt=d(2025, 1, 24))
_blad(63000102, d(2025, 2, 10))

# IBB002: after an absence without valid reason the next appointment was not registered
_svc(63000103, "SCRABA", d(2025, 2, 3), d(2025, 2, 21))
_fa(63000103, "10/02/2025 om 09:30", "Afwezig - ongeldige reden", "nee", d(2025, 2, 3))
_fa(63000103, "17/02/2025 om 09:30", "Aanwezig", "nee", d(2025, 2, 11))
_blad(63000103, d(2025, 2, 20))

# IBB003: absent on the registered appointment, yet a further first appointment was planned
_svc(63000104, "SAB3", d(2025, 2, 3), d(2025, 3, 6))
_fa(63000104, "10/02/2025 om 09:00", "Afwezig - geen reden", "nee", d(2025, 2, 3))
_fa(63000104, "17/02/2025 om 09:00", "Afwezig - ongeldige reden", "x", d(2025, 2, 11))
_fa(63000104, "03/03/2025 om 09:00", "Aanwezig", "x", d(2025, 2, 20))
_blad(63000104, d(2025, 3, 5))

# IBB004: the third absence, on the registered appointment, recorded as 'geldige reden'
# (the service was correctly closed for absence: Bijlage value Ja (VDAB-bemiddelaar))
_svc(63000105, "TIBB4", d(2025, 1, 6), einde=d(2025, 1, 27), reden="afwezigheid", wijze="automatisch")
_fa(63000105, "13/01/2025", "Afwezig - geldige reden", "nee", d(2025, 1, 6))
_fa(63000105, "20/01/2025", "Afwezig - geldige reden", "nee", d(2025, 1, 14))
_fa(63000105, "27/01/2025", "Afwezig - geldige reden", "ja", d(2025, 1, 21))

# compliant near miss of IBB003/IBB004: absent without valid reason, then absent on the registered
# appointment, recorded 'ongeldige reden'; no further first appointment, closed for absence
_svc(63000120, "SCRABA", d(2025, 3, 3), einde=d(2025, 3, 17), reden="afwezigheid", wijze="automatisch")
_fa(63000120, "10/03/2025 om 09:00", "Afwezig - geen reden", "nee", d(2025, 3, 3))
_fa(63000120, "17/03/2025 om 09:00", "Afwezig - ongeldige reden", "ja", d(2025, 3, 10))

# compliant near miss of IBB005: the signed first agreement sheet on day 15 is in time
_started(63000121, "SAB3", d(2025, 1, 27), "03/02/2025 om 10:00", d(2025, 2, 18), d(2025, 2, 19))

# IBB005: first agreement sheet 17 days after the attended first appointment
_started(63000106, "TIBB4", d(2025, 2, 3), "10/02/2025 om 10:00", d(2025, 2, 27), d(2025, 2, 28))

# IBB006: first agreement sheet not signed
_started(63000107, "SCRABA", d(2025, 2, 3), "10/02/2025 om 10:00", d(2025, 2, 14), d(2025, 2, 17))
afsprakenbladen[-1]["ondertekend"] = "nee"
_blad(63000107, d(2025, 3, 14))

# IBB007 (and IBB008): mediation process started before the client ever attended
_started(63000108, "TIBB4 anderstaligen", d(2025, 2, 3), "10/02/2025 om 10:00", d(2025, 2, 12), d(2025, 2, 7))

# IBB008: process started before the first agreement sheet was drawn up
_started(63000109, "SAB3", d(2025, 2, 3), "10/02/2025 om 11:00", d(2025, 2, 14), d(2025, 2, 12))

# IBB009: closed for maximum duration three days before the 6 months were reached
_started(63000110, "TIBB4", d(2024, 9, 2), "09/09/2024", d(2024, 9, 16), d(2024, 9, 17),
         einde=d(2025, 3, 14), reden="maximum duur", wijze="manueel", advies="Dienstverlening uitgeput",
         advies_datum=d(2025, 3, 20))

# compliant near miss of IBB009: exactly 6 calendar months (31 Aug -> 28 Feb), closed automatically
_started(63000111, "TIBB4", d(2024, 8, 19), "26/08/2024", d(2024, 8, 29), d(2024, 8, 31),
         einde=d(2025, 2, 28), reden="maximum duur", wijze="automatisch")

# IBB010: closed for 3x passive category, but February was not passive
_started(63000112, "SCRABA", d(2024, 6, 24), "01/07/2024", d(2024, 7, 1), d(2024, 7, 2),
         einde=d(2025, 4, 30), reden="3x passieve categorie", wijze="manueel",
         advies="Geen nood aan persoonlijke dienstverlening", advies_datum=d(2025, 5, 15))
_months(63000112, [("2025-01", True), ("02/2025", False), ("2025-03", True)])

# compliant: three passive month-ends before the closing month, advice within the month
_started(63000113, "TIBB4", d(2024, 6, 24), "01/07/2024", d(2024, 7, 1), d(2024, 7, 2),
         einde=d(2025, 5, 30), reden="3x passieve categorie", wijze="manueel",
         advies="Nood aan persoonlijke dienstverlening", advies_datum=d(2025, 6, 10))
_months(63000113, [("2025-01", False), ("2025-02", True), (d(2025, 3, 31), True), ("2025-04", True)])

# IBB011: WIJ3 closed for maximum duration after 15 months
_started(63000114, "WIJ3", d(2024, 2, 19), "26/02/2024", d(2024, 2, 29), d(2024, 3, 1),
         einde=d(2025, 5, 31), reden="maximum duur", wijze="manueel",
         advies="Nood aan persoonlijke dienstverlening", advies_datum=d(2025, 6, 5))

# IBB012: 'Nieuwe inschatting nodig' is not an option at maximum duration
_started(63000115, "SAB3", d(2024, 5, 27), "03/06/2024", d(2024, 6, 10), d(2024, 6, 11),
         einde=d(2024, 12, 11), reden="maximum duur", wijze="manueel", advies="Nieuwe inschatting nodig",
         advies_datum=d(2024, 12, 20))

# IBB013: manual closure, advice given more than a month after the end
_started(63000116, "TIBB4", d(2024, 6, 24), "01/07/2024", d(2024, 7, 5), d(2024, 7, 8),
         einde=d(2025, 3, 31), reden="maximum duur", wijze="manueel",
         advies="Geen nood aan persoonlijke dienstverlening", advies_datum=d(2025, 5, 2))

# IBB014: mediation ended, no advice and no closing method more than a month later
_started(63000117, "TIBB4", d(2024, 6, 3), "10/06/2024", d(2024, 6, 14), d(2024, 6, 17),
         einde=d(2025, 4, 30), reden="maximum duur")

# IBB015: closed, but a planned conversation after the end is still open (IBB016: Ja (open contacten))
_started(63000118, "SCRABA", d(2024, 6, 24), "01/07/2024", d(2024, 7, 3), d(2024, 7, 4),
         einde=d(2025, 3, 31), reden="3x passieve categorie", wijze="manueel",
         advies="Geen nood aan persoonlijke dienstverlening", advies_datum=d(2025, 4, 15))
_months(63000118, [("2024-12", True), ("2025-01", True), ("2025-02", True)])
_contact(63000118, "10/04/2025 om 14:00", "Gesprek: Zoektocht naar werk")

# compliant, two services: the planned contact of June 2025 belongs to the second (open)
# service, not to the first (closed) one, so no IBB015 for the first
_started(63000119, "TIBB4", d(2024, 3, 4), "11/03/2024", d(2024, 3, 14), d(2024, 3, 15),
         einde=d(2024, 9, 30), reden="maximum duur", wijze="automatisch")
_started(63000119, "SAB3", d(2025, 1, 6), "13/01/2025 om 09:00", d(2025, 1, 20), d(2025, 1, 21))
_contact(63000119, "30/06/2025 om 09:00", "Gesprek: Zoektocht naar werk")

ROWS = {
    "dossiers": dossiers,
    "lijnen": lijnen,
    "documenten": documenten,
    "services": services,
    "contacten": contacten,
    "afsprakenbladen": afsprakenbladen,
    "categorieen": categorieen,
}
