"""Loopbaancheques sample rows: cheques (Overzicht begeleidingen, CSV) and gesprekken
(Financieel overzicht, xlsx). Audit date of the demo: 2025-06-15.

All people, numbers and centres are invented. Klantnummers 64000001-64000999; chequenummers
start with 0, some given as numbers (Excel dropped the leading zeros). Durations in mixed
formats. Every LBC rule fires at least once; the planted problems are listed per cheque.

cheque       client    planted
00007788101  64000001  compliant: 4 x 60 min, synthesis at 240 min, then a follow-up (nazorg)
7788102      64000002  compliant, in use; a deleted 15-minute conversation (ignored); LBC014 phone
00007788103  64000003  compliant: stopped (Stopzetting), deleted conversation after it (ignored)
7788104      64000004  compliant, in use; feedback with a date that is no phone number
00007788105  64000005  LBC001 first conversation is a Verdiepingsgesprek
00007788106  64000006  LBC002 conversation of 24/02 registered after the one of 10/03; LBC014 national number
00007788107  64000007  LBC003 intake more than a year before its registration
00007788108  64000008  LBC004 intake after its registration date; one without registratiedatum after P
00007788109  64000009  LBC005 'wouters sien', 'MAES ILSE'; LBC006 'Sien Wouters' (reverse of 'Wouters Sien')
00007788110  64000010  LBC007 20 minutes and 2u30
00007788111  64000011  LBC008 Verdiepingsgesprek after the synthesis (and LBC010: 1 hour left at closing)
00007788112  64000012  LBC009 Nazorggesprek while the cheque is still in use
00007788113  64000013  LBC010 synthesis after 120 of 240 minutes: 2 hours forfeited
00007788114  64000014  LBC011 300 minutes on a 4-hour cheque; LBC014 e-mail address
00007788115  64000015  LBC012 status in gebruik but closed by a synthesis
00007788116  64000016  LBC012 status afgesloten without a closing conversation
00007788117  64000017  LBC013 no theme
00007788118  64000018  LBC013 unknown theme 'Loopbaanplanning'; LBC014 medical term
00007788119  64000019  LBC013 no beginvraag
00007788120  64000020  LBC015 second intake conversation
"""

from __future__ import annotations

import datetime as dt

D = dt.date

CENTRES = (
    "Loopbaancentrum De Wegwijzer",
    "Loopbaancentrum Koerswijzer",
    "Loopbaanpunt Horizon",
)
WEGWIJZER, KOERS, HORIZON = CENTRES

INTAKE = "Intake gesprek"
INTAKE_ALT = "Intakegesprek"
VERD = "Verdiepingsgesprek"
SYN = "Synthesegesprek"
SYN_ALT = "Synthese gesprek"
NAZORG = "Nazorggesprek"
STOP = "Stopzetting van de begeleiding"

THEME_TEXT = "Jobdoelwit; Zingeving"


def cheque(nr, klant, status, aangevraagd, centre, uren="4", reden=THEME_TEXT, vraag="Welk werk past echt bij mij?", gewijzigd=None):
    return {
        "chequenummer": nr,
        "klantnummer": klant,
        "status": status,
        "aangevraagd_op": aangevraagd,
        "uren": uren,
        "waarde": "679",
        "kost_klant": "€ 40,00",
        "reden_begeleiding": reden,
        "beginvraag": vraag,
        "loopbaancentrum": centre,
        "laatst_gewijzigd": gewijzigd or aangevraagd,
    }


def talk(nr, datum, reg, wie, type_, duur, centre, vorm="Individueel", feedback=None, verwijderd="", bedrag="€ 123,10"):
    return {
        "chequenummer": nr,
        "datum": datum,
        "registratiedatum": reg,
        "begeleider": wie,
        "type": type_,
        "vorm": vorm,
        "duur": duur,
        "feedback": feedback,
        "verwijderd": verwijderd,
        "bedrag": bedrag if type_ != NAZORG else "0",
        "loopbaancentrum": centre,
    }


LOTTE = "Vermeulen Lotte"
JONAS = "Claeys Jonas"
SIEN = "Wouters Sien"
PIETER = "De Backer Pieter"
ILSE = "Maes Ilse"

cheques = [
    cheque("00007788101", "64000001", "Cheque afgesloten", D(2025, 1, 6), WEGWIJZER, reden="Werkbaar werk"),
    cheque(7788102, 64000002, "in gebruik", D(2025, 3, 3), WEGWIJZER, uren="", reden="Groei en uitdaging\nKwaliteitsreflectie",
           vraag="Ik wil doorgroeien naar een leidinggevende functie. Hoe pak ik dit aan?"),
    cheque("00007788103", "64000003", "Cheque stopgezet", "14/01/2025", KOERS, reden="Relaties in de werkcontext"),
    cheque(7788104, 64000004, "Cheque in gebruik", D(2025, 4, 2), KOERS, uren=4),
    cheque("00007788105", "64000005", "Cheque in gebruik", D(2025, 2, 10), KOERS),
    cheque("00007788106", "64000006", "Cheque in gebruik", D(2025, 1, 20), HORIZON, reden="Zingeving"),
    cheque("00007788107", "64000007", "Cheque in gebruik", D(2024, 1, 30), HORIZON),
    cheque("00007788108", "64000008", "Cheque in gebruik", D(2025, 5, 5), HORIZON),
    cheque("00007788109", "64000009", "Cheque in gebruik", D(2025, 2, 3), WEGWIJZER),
    cheque("00007788110", "64000010", "Cheque in gebruik", D(2025, 3, 10), WEGWIJZER),
    cheque("00007788111", "64000011", "Cheque afgesloten", D(2025, 1, 13), KOERS),
    cheque("00007788112", "64000012", "Cheque in gebruik", D(2025, 2, 17), KOERS),
    cheque("00007788113", "64000013", "afgesloten", D(2025, 2, 24), HORIZON),
    cheque("00007788114", "64000014", "Cheque in gebruik", D(2025, 3, 17), HORIZON),
    cheque("00007788115", "64000015", "Cheque in gebruik", D(2025, 1, 27), WEGWIJZER),
    cheque("00007788116", "64000016", "Cheque afgesloten", D(2025, 3, 24), WEGWIJZER),
    cheque("00007788117", "64000017", "Cheque in gebruik", D(2025, 4, 7), KOERS, reden=""),
    cheque("00007788118", "64000018", "Cheque in gebruik", D(2025, 4, 14), KOERS, reden="Jobdoelwit; Loopbaanplanning"),
    cheque("00007788119", "64000019", "Cheque in gebruik", D(2025, 4, 22), HORIZON, vraag=""),
    cheque("00007788120", "64000020", "Cheque in gebruik", D(2025, 5, 12), HORIZON),
]

gesprekken = [
    # 101 compliant: 4 x 60 min, synthesis uses all 240 minutes, then a follow-up
    talk("00007788101", D(2025, 1, 13), D(2025, 1, 13), LOTTE, INTAKE, "60", WEGWIJZER),
    talk("00007788101", D(2025, 1, 27), D(2025, 1, 28), LOTTE, VERD, "1u", WEGWIJZER, feedback="Sterktes en talenten in kaart gebracht."),
    talk("00007788101", D(2025, 2, 10), D(2025, 2, 10), LOTTE, VERD, "01:00", WEGWIJZER, vorm="E-coaching"),
    talk("00007788101", D(2025, 2, 24), D(2025, 2, 24), LOTTE, SYN, "60 min", WEGWIJZER, feedback="Actieplan opgesteld."),
    talk("00007788101", D(2025, 4, 28), D(2025, 4, 29), LOTTE, NAZORG, "45 min", WEGWIJZER),
    # 102 compliant in use; a deleted conversation that would be too short
    talk(7788102, D(2025, 3, 10), D(2025, 3, 10), LOTTE, INTAKE_ALT, "1u30", WEGWIJZER,
         feedback="Klant is bereikbaar op 0476 98 76 54 na 17u."),
    talk(7788102, D(2025, 3, 24), D(2025, 3, 24), LOTTE, VERD, "15 min", WEGWIJZER, verwijderd="VERWIJDERD"),
    talk(7788102, D(2025, 3, 25), "25/03/2025", LOTTE, VERD, "90 min", WEGWIJZER),
    # 103 compliant: stopped by the client; a deleted verdiepingsgesprek after the stop
    talk("00007788103", D(2025, 1, 20), D(2025, 1, 20), JONAS, INTAKE, "2 uur", KOERS),
    talk("00007788103", D(2025, 2, 3), D(2025, 2, 3), JONAS, STOP, "30", KOERS, feedback="Klant stopt in onderling akkoord."),
    talk("00007788103", D(2025, 2, 17), D(2025, 2, 17), JONAS, VERD, "60", KOERS, verwijderd="VERWIJDERD"),
    # 104 compliant in use
    talk(7788104, D(2025, 4, 9), D(2025, 4, 9), JONAS, INTAKE, "01:30", KOERS,
         feedback="Volgend gesprek op 23/04/2025 (2025-04-23) gepland."),
    # 105 LBC001
    talk("00007788105", D(2025, 2, 17), D(2025, 2, 17), JONAS, VERD, "60", KOERS),
    talk("00007788105", D(2025, 3, 3), D(2025, 3, 3), JONAS, VERD, "60", KOERS),
    # 106 LBC002 (third row) + LBC014 national number (first row)
    talk("00007788106", D(2025, 2, 3), D(2025, 2, 3), PIETER, INTAKE, "1u30", HORIZON,
         feedback="Rijksregisternummer 90.01.01-123.95 nagekeken bij de intake."),
    talk("00007788106", D(2025, 3, 10), D(2025, 3, 10), PIETER, VERD, "60", HORIZON),
    talk("00007788106", D(2025, 2, 24), D(2025, 3, 11), PIETER, VERD, "60", HORIZON),
    # 107 LBC003
    talk("00007788107", D(2024, 2, 13), D(2025, 2, 20), PIETER, INTAKE, "60", HORIZON),
    # 108 LBC004 twice: after its registration; no registratiedatum and after the audit date
    talk("00007788108", D(2025, 5, 20), D(2025, 5, 19), PIETER, INTAKE, "60", HORIZON),
    talk("00007788108", D(2025, 6, 20), None, PIETER, VERD, "60", HORIZON),
    # 109 LBC005 ('wouters sien', 'MAES ILSE'), LBC006 ('Sien Wouters')
    talk("00007788109", D(2025, 2, 10), D(2025, 2, 10), SIEN, INTAKE, "60", WEGWIJZER),
    talk("00007788109", D(2025, 2, 24), D(2025, 2, 24), "wouters sien", VERD, "60", WEGWIJZER),
    talk("00007788109", D(2025, 3, 10), D(2025, 3, 10), "MAES ILSE", VERD, "60", WEGWIJZER),
    talk("00007788109", D(2025, 3, 24), D(2025, 3, 24), "Sien Wouters", VERD, "30 min", WEGWIJZER),
    # 110 LBC007
    talk("00007788110", D(2025, 3, 17), D(2025, 3, 17), SIEN, INTAKE, "20 min", WEGWIJZER),
    talk("00007788110", D(2025, 3, 31), D(2025, 3, 31), SIEN, VERD, "2u30", WEGWIJZER),
    # 111 LBC008 (third row); LBC010 too (180 of 240 minutes at the synthesis)
    talk("00007788111", D(2025, 1, 20), D(2025, 1, 20), ILSE, INTAKE, "60", KOERS),
    talk("00007788111", D(2025, 2, 3), D(2025, 2, 3), ILSE, SYN_ALT, "2 uur", KOERS),
    talk("00007788111", D(2025, 2, 17), D(2025, 2, 17), ILSE, VERD, "60", KOERS),
    # 112 LBC009
    talk("00007788112", D(2025, 2, 24), D(2025, 2, 24), ILSE, INTAKE, "60", KOERS),
    talk("00007788112", D(2025, 3, 10), D(2025, 3, 10), ILSE, NAZORG, "60", KOERS),
    # 113 LBC010: 2 hours forfeited
    talk("00007788113", D(2025, 3, 3), D(2025, 3, 3), SIEN, INTAKE, "60", HORIZON),
    talk("00007788113", D(2025, 3, 17), D(2025, 3, 17), SIEN, SYN, "1 u 0", HORIZON),
    # 114 LBC011: 300 minutes on 4 hours; LBC014 e-mail address
    talk("00007788114", D(2025, 3, 24), D(2025, 3, 24), LOTTE, INTAKE, "2 uur", HORIZON),
    talk("00007788114", D(2025, 4, 7), D(2025, 4, 7), LOTTE, VERD, "02:00", HORIZON,
         feedback="CV doorgestuurd naar klant via lotte.klant@voorbeeld.be"),
    talk("00007788114", D(2025, 4, 21), D(2025, 4, 22), LOTTE, VERD, "1u", HORIZON),
    # 115 LBC012: in use but closed by a synthesis (240 minutes used: no LBC010)
    talk("00007788115", D(2025, 2, 3), D(2025, 2, 3), JONAS, INTAKE, "120", WEGWIJZER),
    talk("00007788115", D(2025, 2, 17), D(2025, 2, 17), JONAS, VERD, "60", WEGWIJZER),
    talk("00007788115", D(2025, 3, 3), D(2025, 3, 3), JONAS, SYN, "60", WEGWIJZER),
    # 116 LBC012: closed without a closing conversation
    talk("00007788116", D(2025, 3, 31), D(2025, 3, 31), JONAS, INTAKE, "60", WEGWIJZER),
    talk("00007788116", D(2025, 4, 14), D(2025, 4, 14), JONAS, VERD, "60", WEGWIJZER),
    # 117-119 LBC013 (cheque fields); 118 LBC014 medical term
    talk("00007788117", D(2025, 4, 14), D(2025, 4, 14), PIETER, INTAKE, "60", KOERS),
    talk("00007788118", D(2025, 4, 22), D(2025, 4, 22), PIETER, INTAKE, "60", KOERS,
         feedback="Klant vertelt uitgebreid over zijn depressie."),
    talk("00007788119", D(2025, 4, 28), D(2025, 4, 28), ILSE, INTAKE, "60", HORIZON),
    # 120 LBC015
    talk("00007788120", D(2025, 5, 19), D(2025, 5, 19), ILSE, INTAKE, "60", HORIZON),
    talk("00007788120", D(2025, 6, 2), D(2025, 6, 2), ILSE, INTAKE, "60", HORIZON),
]

ROWS = {"cheques": cheques, "gesprekken": gesprekken}
