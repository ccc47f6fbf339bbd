"""Sample rows for the ABO, OAL and FIN rules (seed 000 and 001).

Klantnummers 62000001-62000999. All people, schools and companies are invented. Demo peildatum
2025-06-15: most youngsters of the school year 2024-2025 have been closed shortly before; each
"problem" youngster is a compliant one with exactly the planted defect (the comment names the
rule that must fire and the row it fires on).
"""

from datetime import date as d
from datetime import timedelta

NOORD = "GO! Campus Noord"
JOZEF = "Sint-Jozefinstituut"
CONTACT = "Verhoeven Sofie (VDAB)"

PROJECT = "Project Leren en Werken"
BEGELEIDING = "Onderwijs alternerende beroepsopl"
OAL = "Onderwijs onderst. alternerend leren"
PHASE = "Alternerende beroepsopl. BuSO OV3"
BLIJFT = "Blijft ingeschreven, geen dienstverlening door VDAB"
ACTIE = "Actiegerichte (her)inschatting"

ROWS: dict[str, list[dict]] = {"dossiers": [], "lijnen": [], "notities": [], "plannen": [], "documenten": []}


def _text_date(day: d) -> str:
    return day.strftime("%d/%m/%Y")


def youngster(
    k,
    naam: str,
    voornaam: str,
    org: str,
    company: str,
    year: int = 2024,
    end: d | None = None,
    text_dates: bool = False,
    proj: dict | None | bool = None,
    beg: dict | None = None,
    c109: dict | None | bool = None,
    warm: dict | None | bool = None,
    reg_plan: dict | None | bool = None,
    close_plan: dict | None | bool = None,
    dossier: dict | None = None,
) -> None:
    """A youngster of school year ``year``-``year+1`` whose ABO guidance was closed correctly:
    project line and begeleidingslijn closed with end date, C109/36 note with attachment (pinned,
    not shared), a shared warm-transfer note, a plan 'Blijft ingeschreven' at the start and a
    closing plan 'Actiegerichte (her)inschatting'. A dict overrides cells of that row; ``False``
    leaves the row out."""
    start = d(year, 9, 2)
    end = end or d(year + 1, 6, 13)
    mid = d(year + 1, 1, 20)
    fmt = _text_date if text_dates else (lambda x: x)
    common = {"klantnummer": k, "aanvrager": org, "uitvoerder": org, "organisatie": org}
    if proj is not False:
        ROWS["lijnen"].append(
            {**common, "stap": PROJECT, "toestand": "Beëindigd", "startdatum": fmt(start), "einddatum": fmt(end),
             "financieringsnummer": "EEWG018 - alternerend leren", "resultaatcode": PHASE,
             "samenvatting": f"{_text_date(start)} start alternerende beroepsopleiding", "laatst_gewijzigd": end,
             **(proj or {})}
        )
    ROWS["lijnen"].append(
        {**common, "stap": BEGELEIDING, "toestand": "Beëindigd", "startdatum": fmt(start), "einddatum": fmt(end),
         "financieringsnummer": "EEWG270", "resultaatcode": "Positief resultaat",
         "samenvatting": (
             f"{_text_date(end)} einde begeleiding, stage afgerond\n"
             f"{mid.strftime('%d/%m')} evaluatie stagegever: positief\n"
             f"{_text_date(start)} start stage bij {company}"
         ),
         "laatst_gewijzigd": end, **(beg or {})}
    )
    if c109 is not False:
        ROWS["notities"].append(
            {"klantnummer": k, "datum": fmt(end - timedelta(days=2)), "reden": "C109/36", "gedeeld_met": None,
             "vastgepind": "ja", "bijlage": f"C109-36_{naam.lower()}.pdf", **(c109 or {})}
        )
    if warm is not False:
        ROWS["notities"].append(
            {"klantnummer": k, "datum": fmt(end), "reden": "Warme overdracht", "gedeeld_met": CONTACT,
             "vastgepind": "ja", "bijlage": None, **(warm or {})}
        )
    if reg_plan is not False:
        ROWS["plannen"].append(
            {"klantnummer": k, "datum": fmt(start), "status": BLIJFT, "reden": "Project alternerend leren",
             "acties": None, **(reg_plan or {})}
        )
    if close_plan is not False:
        ROWS["plannen"].append(
            {"klantnummer": k, "datum": fmt(end), "status": ACTIE, "reden": "Einde project alternerend leren",
             "acties": (
                 f"Werkte met een OAO bij {company}. Werkpunt: verwittigen bij afwezigheid. "
                 "Beschikbaar vanaf 1 juli, rijbewijs B in aanvraag."
             ),
             **(close_plan or {})}
        )
    ROWS["dossiers"].append(
        {"klantnummer": k, "naam": naam, "voornaam": voornaam, "regio": "Vlaanderen",
         "categorie": "Werkzoekende in beroepsinschakelingstijd (02)", "diploma_secundair": "nee",
         "bemiddelaar": f"{org} trajectbegeleiding", "tenderpartner": "nee", "organisatie": org, **(dossier or {})}
    )


def oal_youngster(k, naam: str, voornaam: str, org: str, line: dict, dossier: dict | None = None) -> None:
    ROWS["lijnen"].append(
        {"klantnummer": k, "stap": OAL, "toestand": "Bezig", "startdatum": d(2024, 10, 1),
         "financieringsnummer": "EEWG019 - Onderwijs onders alternerend leren", "aanvrager": org, "uitvoerder": org,
         "samenvatting": "01/10/2024 start begeleidingsovereenkomst", "organisatie": org, **line}
    )
    ROWS["dossiers"].append(
        {"klantnummer": k, "naam": naam, "voornaam": voornaam, "regio": "Vlaanderen", "categorie": 2,
         "diploma_secundair": "nee", "tenderpartner": "nee", "organisatie": org, **(dossier or {})}
    )


# ------------------------------------------------------------------ compliant youngsters
youngster(62000001, "Vermeulen", "Lars", NOORD, "Garage Dewulf")
youngster("62000002", "Lambrechts", "Nora", JOZEF, "Bakkerij Van Acker", text_dates=True)
oal_youngster(62000003, "De Smet", "Yasmine", JOZEF, {})
oal_youngster("62000004", "Wouters", "Milan", NOORD,
              {"toestand": "Beëindigd", "einddatum": d(2025, 5, 30), "resultaatcode": "Positief resultaat",
               "laatst_gewijzigd": d(2025, 5, 30)})

# ------------------------------------------------------------------ ABO rules
# ABO001 (both 2025-26 lines): a new registration for next school year (GEN004 fires too).
youngster(62000010, "Aerts", "Kobe", NOORD, "Schrijnwerkerij Hendrickx")
ROWS["lijnen"] += [
    {"klantnummer": 62000010, "stap": PROJECT, "toestand": "Bezig", "startdatum": d(2025, 9, 1),
     "financieringsnummer": "EEWG018", "resultaatcode": PHASE, "aanvrager": NOORD, "uitvoerder": NOORD,
     "organisatie": NOORD},
    {"klantnummer": 62000010, "stap": BEGELEIDING, "toestand": "Bezig", "startdatum": "01/09/2025",
     "financieringsnummer": "EEWG270", "aanvrager": NOORD, "uitvoerder": NOORD, "organisatie": NOORD},
]
# ABO002 (the begeleidingslijn): still Bezig, started in the school year 2023-2024.
ROWS["lijnen"] += [
    {"klantnummer": 62000011, "stap": PROJECT, "toestand": "Beëindigd", "startdatum": d(2023, 9, 4),
     "einddatum": d(2024, 6, 28), "financieringsnummer": "EEWG018", "resultaatcode": PHASE, "aanvrager": JOZEF,
     "uitvoerder": JOZEF, "laatst_gewijzigd": d(2024, 6, 28), "organisatie": JOZEF},
    {"klantnummer": 62000011, "stap": BEGELEIDING, "toestand": "Bezig", "startdatum": "04/09/2023",
     "financieringsnummer": "EEWG270", "aanvrager": JOZEF, "uitvoerder": JOZEF,
     "samenvatting": "04/09/2023 start stage bij Drukkerij Peeters", "organisatie": JOZEF},
]
ROWS["plannen"].append({"klantnummer": 62000011, "datum": d(2023, 9, 4), "status": BLIJFT,
                        "reden": "Project alternerend leren"})
ROWS["dossiers"].append({"klantnummer": 62000011, "naam": "Jansen", "voornaam": "Ruben", "regio": "Vlaanderen",
                         "categorie": "02", "tenderpartner": "nee", "organisatie": JOZEF})
# ABO003 (both lines): open lines of 2024-2025, 15 days before 30 June.
ROWS["lijnen"] += [
    {"klantnummer": "62000012", "stap": PROJECT, "toestand": "Bezig", "startdatum": "02/09/2024",
     "financieringsnummer": "EEWG018", "resultaatcode": PHASE, "aanvrager": NOORD, "uitvoerder": NOORD,
     "organisatie": NOORD},
    {"klantnummer": "62000012", "stap": BEGELEIDING, "toestand": "Bezig", "startdatum": "02/09/2024",
     "financieringsnummer": "EEWG270", "aanvrager": NOORD, "uitvoerder": NOORD,
     "samenvatting": "12/05 evaluatie: goed\n02/09/2024 start stage bij Tuinaanleg Goossens", "organisatie": NOORD},
]
ROWS["plannen"].append({"klantnummer": 62000012, "datum": "02/09/2024", "status": BLIJFT,
                        "reden": "Project alternerend leren"})
ROWS["dossiers"].append({"klantnummer": 62000012, "naam": "Pauwels", "voornaam": "Lina", "regio": "Vlaanderen",
                         "categorie": "02", "tenderpartner": "nee", "organisatie": NOORD})
# ABO004 (begeleidingslijn): school year 2023-2024 closed with end date 5 July 2024.
youngster(62000013, "Michiels", "Sem", JOZEF, "Slagerij Stevens", year=2023, end=d(2024, 6, 28),
          beg={"einddatum": d(2024, 7, 5), "laatst_gewijzigd": d(2024, 7, 5)})
# ABO005 (begeleidingslijn): the project line was never created.
youngster(62000014, "Dubois", "Amira", NOORD, "Kapsalon Lisa", proj=False)
# ABO006 (the second begeleidingslijn): a change of internship registered as a new line.
youngster(62000015, "Hermans", "Arne", JOZEF, "Garage Dewulf",
          beg={"einddatum": d(2025, 1, 31), "laatst_gewijzigd": d(2025, 1, 31)})
ROWS["lijnen"].append(
    {"klantnummer": 62000015, "stap": BEGELEIDING, "toestand": "Beëindigd", "startdatum": d(2025, 2, 3),
     "einddatum": d(2025, 6, 13), "financieringsnummer": "EEWG270", "resultaatcode": "Positief resultaat",
     "aanvrager": JOZEF, "uitvoerder": JOZEF, "samenvatting": "03/02/2025 stagewissel naar Carrosserie Mertens",
     "laatst_gewijzigd": d(2025, 6, 13), "organisatie": JOZEF})
# ABO007 (project line): phase 'Opleiding' instead of 'Alternerende beroepsopl. BuSO OV3'.
youngster(62000016, "Coppens", "Jade", NOORD, "Bloemen Celis", proj={"resultaatcode": "Opleiding"})
# ABO008 (begeleidingslijn): closed without result code.
youngster(62000017, "Smets", "Wout", JOZEF, "Bouwbedrijf Maes", beg={"resultaatcode": None})
# ABO009 (begeleidingslijn): the only C109/36 note is last year's (dated before the line started).
youngster(62000018, "Van Damme", "Hanne", NOORD, "Restaurant De Linde", c109={"datum": d(2024, 6, 20)})
# ABO010 (the note): C109/36 note without attachment (spelled 'C 109/36').
youngster(62000019, "Declercq", "Zoë", JOZEF, "Drukkerij Peeters", c109={"reden": "C 109/36", "bijlage": None})
# ABO011 (the note): C109/36 note not pinned (spelled 'c109-36').
youngster(62000020, "Martens", "Bram", NOORD, "Garage Dewulf", c109={"reden": "c109-36", "vastgepind": "nee"})
# ABO012 (the note): C109/36 note shared with the VDAB contact.
youngster(62000021, "Leclercq", "Ines", JOZEF, "Bakkerij Van Acker", c109={"gedeeld_met": CONTACT})
# ABO013 (begeleidingslijn): closing plan dated 25/05/2025, more than 14 days before the end (13/06).
youngster(62000022, "Goossens", "Tuur", NOORD, "Tuinaanleg Goossens", close_plan={"datum": d(2025, 5, 25)})
# ABO014 (closing plan): reason 'Einde schooljaar' instead of 'Einde project alternerend leren'.
youngster(62000023, "Willems", "Fien", JOZEF, "Kapsalon Lisa", close_plan={"reden": "Einde schooljaar"})
# ABO015 (closing plan): warm transfer that does not say whether the youngster worked with an OAO.
youngster(62000024, "Janssens", "Matteo", NOORD, "Schrijnwerkerij Hendrickx",
          close_plan={"acties": "Werkpunt: stiptheid. Mist nog VCA-attest voor de bouw."})
# ABO016 (closing plan): medical diagnoses in the warm transfer.
youngster(62000025, "Peeters", "Elise", JOZEF, "Bloemen Celis",
          close_plan={"acties": "Werkte met OAO. Jongere heeft ADHD en dyslexie: korte, duidelijke instructies."})
# ABO017 (begeleidingslijn): warm-transfer note not shared with anyone.
youngster(62000026, "Claes", "Robbe", NOORD, "Slagerij Stevens", warm={"gedeeld_met": None})
# ABO018 (begeleidingslijn): plan 'Blijft ingeschreven' only on 15/10/2024 (start 02/09/2024 + 30 days = 02/10).
youngster(62000027, "Maes", "Lore", JOZEF, "Restaurant De Linde", reg_plan={"datum": "15/10/2024"})
# ABO019 (dossier): lives in Brussels but registered in category 02.
youngster(62000028, "El Amrani", "Sami", NOORD, "Garage Dewulf", dossier={"regio": "Brussel"})
# ABO020 (both lines): dossier managed by a tender partner (pink banner).
youngster(62000029, "Vandenberghe", "Lotte", JOZEF, "Bakkerij Van Acker", dossier={"tenderpartner": "ja"})
# ABO021 (begeleidingslijn): summary written oldest entry first.
youngster(62000030, "De Backer", "Jonas", NOORD, "Carrosserie Mertens", beg={"samenvatting": (
    "02/09/2024 start stage bij Carrosserie Mertens\n20/01 evaluatie stagegever: positief\n"
    "13/06/2025 einde begeleiding, stage afgerond")})

# ------------------------------------------------------------------ OAL rules
# OAL001 (OAL line): diploma secundair onderwijs obtained before the guidance started.
oal_youngster(62000031, "Verbruggen", "Sara", JOZEF, {},
              dossier={"diploma_secundair": "ja", "diploma_datum": d(2024, 6, 30)})
# OAL002 (OAL line): closed with result 'Geslaagd'.
oal_youngster(62000032, "Segers", "Daan", NOORD,
              {"toestand": "Beëindigd", "einddatum": "30/05/2025", "resultaatcode": "Geslaagd",
               "laatst_gewijzigd": "30/05/2025"})
# OAL003 (OAL line): stopped ('Stopgezet' does not exist for this guidance).
oal_youngster("62000033", "Bogaert", "Lena", JOZEF,
              {"toestand": "Stopgezet", "einddatum": d(2025, 1, 31), "laatst_gewijzigd": d(2025, 1, 31)})

# ------------------------------------------------------------------ FIN rules
# FIN001 (begeleidingslijn): the project line's code EEWG018 chosen on the begeleidingslijn.
youngster(62000034, "Van Hoof", "Nina", NOORD, "Tuinaanleg Goossens", beg={"financieringsnummer": "EEWG018"})
# FIN002 (outplacement line): no financing code.
ROWS["lijnen"].append(
    {"klantnummer": 62000035, "stap": "Outplacement", "toestand": "Bezig", "startdatum": d(2025, 3, 3),
     "aanvrager": "Outplacement Vlaanderen bv", "uitvoerder": "Outplacement Vlaanderen bv",
     "samenvatting": "Einde voorzien op 31/08/2025", "organisatie": "Outplacement Vlaanderen bv"})
ROWS["documenten"].append({"klantnummer": 62000035, "publicatienaam": "Actieplan OP-250303", "datum": d(2025, 3, 10)})
ROWS["dossiers"].append({"klantnummer": 62000035, "naam": "Wuyts", "voornaam": "Dirk", "regio": "Vlaanderen",
                         "categorie": "00", "tenderpartner": "nee", "organisatie": "Outplacement Vlaanderen bv"})
