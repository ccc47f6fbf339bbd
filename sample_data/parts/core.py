"""Sample rows for the data-quality (DAT) and generic line (GEN) rules.

Klantnummers 61000001-61000099. All people are invented. Demo peildatum 2025-06-15.
"""

from datetime import date as d

ORG = "Werkwinkel Zuid vzw"

ROWS = {
    "dossiers": [
        # compliant clients
        {"klantnummer": 61000001, "naam": "Peeters", "voornaam": "Lotte", "rijksregisternummer": "85.07.30-033.28",
         "regio": "Vlaanderen", "categorie": "Werkzoekende (02)", "organisatie": ORG},
        {"klantnummer": "61000002", "naam": "Maes", "voornaam": "Jonas", "regio": "vlaanderen", "categorie": 2,
         "organisatie": ORG},
        # DAT006: national number fails its check
        {"klantnummer": "61000003", "naam": "Claes", "voornaam": "Emma", "rijksregisternummer": "85073003329",
         "regio": "Brussel", "organisatie": ORG},
        # DAT003: region not in the list (nearest: Vlaanderen)
        {"klantnummer": "61000004", "naam": "Jacobs", "voornaam": "Noah", "regio": "Vlaandren", "organisatie": ORG},
        # DAT005: klantnummer twice (the second row is the finding)
        {"klantnummer": "61000005", "naam": "Mertens", "voornaam": "Ella", "organisatie": ORG},
        {"klantnummer": "61000005.0", "naam": "Mertens", "voornaam": "Elle", "organisatie": ORG},
        # DAT004: klantnummer with letters; DAT001: klantnummer empty
        {"klantnummer": "61A00006", "naam": "Willems", "voornaam": "Louis", "organisatie": ORG},
        {"klantnummer": None, "naam": "Goossens", "voornaam": "Mila", "organisatie": ORG},
    ],
    "lijnen": [
        # compliant: an open line without end date, a closed one with end date
        {"klantnummer": 61000001, "stap": "Sollicitatietraining", "toestand": "Bezig", "startdatum": d(2025, 2, 3),
         "organisatie": ORG},
        {"klantnummer": 61000002, "stap": "Sollicitatietraining", "toestand": "Beëindigd", "startdatum": d(2025, 1, 6),
         "einddatum": d(2025, 3, 28), "laatst_gewijzigd": d(2025, 4, 11), "organisatie": ORG},
        # GEN001: end before start
        {"klantnummer": 61000002, "stap": "Jobclub", "toestand": "Beëindigd", "startdatum": "10/03/2025",
         "einddatum": "01/03/2025", "organisatie": ORG},
        # GEN002: closed without end date
        {"klantnummer": 61000003, "stap": "Jobclub", "toestand": "Stopgezet", "startdatum": d(2025, 1, 13),
         "organisatie": ORG},
        # GEN003: open with an end date
        {"klantnummer": 61000004, "stap": "Jobclub", "toestand": "Bezig", "startdatum": d(2025, 2, 10),
         "einddatum": d(2025, 8, 31), "organisatie": ORG},
        # GEN004: starts after the peildatum
        {"klantnummer": 61000004, "stap": "Sollicitatietraining", "toestand": "Bezig", "startdatum": d(2025, 7, 1),
         "organisatie": ORG},
        # GEN005: edited 30 days after the end
        {"klantnummer": 61000001, "stap": "Jobclub", "toestand": "Beëindigd", "startdatum": d(2024, 10, 1),
         "einddatum": d(2025, 1, 31), "laatst_gewijzigd": d(2025, 3, 2), "organisatie": ORG},
        # DAT002: two-digit year; DAT003: unknown toestand
        {"klantnummer": 61000002, "stap": "Jobclub", "toestand": "Bezig", "startdatum": "02/11/24", "organisatie": ORG},
        {"klantnummer": 61000002, "stap": "Jobclub", "toestand": "Afgesloten", "startdatum": d(2024, 11, 4),
         "organisatie": ORG},
        # DAT008: the same line twice (text date and date cell of the same day)
        {"klantnummer": 61000001, "stap": "Netwerkcafé", "toestand": "Bezig", "startdatum": "05/05/2025",
         "organisatie": ORG},
        {"klantnummer": 61000001, "stap": "Netwerkcafé", "toestand": "Bezig", "startdatum": d(2025, 5, 5),
         "organisatie": ORG},
        # DAT007: client not in the dossiers export
        {"klantnummer": 61000099, "stap": "Jobclub", "toestand": "Bezig", "startdatum": d(2025, 4, 1),
         "organisatie": ORG},
    ],
}
