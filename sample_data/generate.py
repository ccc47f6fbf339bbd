"""Write the sample exports in sample_data/ from the rows in sample_data/parts/*.py.

    python sample_data/generate.py [OUTDIR]     (default: sample_data/ itself)

Each part module (``core``, ``abo``, ``out_ibb``, ``lbc``) defines ``ROWS = {table: [row, ...]}``
with canonical column names (TABLES.md). A cell value may be text (written as is), a
``datetime.date`` (an Excel date cell in xlsx, ``dd/mm/yyyy`` in CSV), or a number (a numeric
cell). All people are invented (pseudonymous); the audit date of the demo is 2025-06-15
(``dossiercheck audit sample_data --peildatum 2025-06-15``).

The files are messy on purpose, as real exports are: title and date rows above the header,
Dutch header aliases, a cp1252 CSV with ``;``, Excel date cells beside text dates, numeric
klantnummers, chequenummers that lost their leading zeros, and a sheet that is no table.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import sys
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
PARTS = ("core", "abo", "out_ibb", "lbc")

# table -> (relative file, sheet or None for CSV, header per canonical column, title rows)
LAYOUT = {
    "dossiers": ("school/klantendossiers.xlsx", "Klanten", {
        "klantnummer": "Klantnr", "naam": "Familienaam", "voornaam": "Voornaam",
        "rijksregisternummer": "INSZ", "regio": "Woonregio", "categorie": "Inschrijvingscategorie",
        "diploma_secundair": "Diploma SO", "diploma_datum": "Datum diploma", "bemiddelaar": "Trajectbegeleider",
        "tenderpartner": "Roze banner", "organisatie": "School"}, ["Export klantendossiers", "Aangemaakt op 14/06/2025"]),
    "lijnen": ("school/klantendossiers.xlsx", "Stappen naar werk", {
        "klantnummer": "Klantnummer", "stap": "Stap", "toestand": "Toestand", "startdatum": "Startdatum",
        "einddatum": "Einddatum", "financieringsnummer": "Financieringsnummer", "resultaatcode": "Resultaat",
        "opleidingscode": "Code opleiding", "aanvrager": "Aanvrager", "uitvoerder": "Uitvoerder",
        "samenvatting": "Samenvatting", "laatst_gewijzigd": "Laatst gewijzigd", "organisatie": "Organisatie"},
        ["Stappen naar werk", ""]),
    "notities": ("school/klantendossiers.xlsx", "Verslaggeving", {
        "klantnummer": "Klantnummer", "datum": "Aangemaakt op", "reden": "Reden", "gedeeld_met": "Gedeeld met",
        "vastgepind": "Bovenaan vastgepind", "bijlage": "Bijlage"}, []),
    "plannen": ("school/plan_van_aanpak.csv", None, {
        "klantnummer": "Klantnummer", "datum": "Datum", "status": "Status dienstverlening",
        "reden": "Waarom kies je deze status", "acties": "Welke acties voorzie je"}, ["Plan van aanpak;;;;", ";;;;"]),
    "documenten": ("outplacement/documenten_overzicht.csv", None, {
        "klantnummer": "Klantnummer", "publicatienaam": "Publicatienaam", "datum": "Datum toevoegen"}, []),
    "contacten": ("tender/intensieve_bemiddeling.xlsx", "Afspraken", {
        "klantnummer": "Klantnummer", "datum": "Wanneer", "type": "Type afspraak",
        "aangetekend": "Per aangetekende brief", "resultaat": "Resultaat", "aangemaakt_op": "Ingepland op"},
        ["Geplande contacten"]),
    "afsprakenbladen": ("tender/intensieve_bemiddeling.xlsx", "Afsprakenbladen", {
        "klantnummer": "Klantnummer", "datum": "Datum", "ondertekend": "Getekend"}, []),
    "services": ("tender/intensieve_bemiddeling.xlsx", "Tender", {
        "klantnummer": "Klantnummer", "tender": "Perceel", "toeleiding": "Datum toeleiding",
        "start_bemiddeling": "Start bemiddelingsproces", "einde_bemiddeling": "Einde bemiddeling",
        "reden_afsluiting": "Reden afsluiting", "wijze_afsluiting": "Wijze afsluiting", "eindadvies": "Eindadvies",
        "eindadvies_datum": "Datum eindadvies", "organisatie": "Partner"}, []),
    "categorieen": ("tender/catwz_historiek.csv", None, {
        "klantnummer": "Klantnummer", "maand": "Periode", "categorie": "Catwz", "passief": "Passieve categorie"}, []),
    "cheques": ("loopbaancheques/overzicht_begeleidingen.csv", None, {
        "chequenummer": "Cheque nr", "klantnummer": "Klantnummer", "status": "Status",
        "aangevraagd_op": "Aanvraagdatum", "uren": "Goed voor", "waarde": "Ter waarde van",
        "kost_klant": "Kost voor de klant", "reden_begeleiding": "Reden van begeleiding",
        "beginvraag": "Loopbaanvraag", "loopbaancentrum": "Loopbaancentrum",
        "laatst_gewijzigd": "Datum laatst gewijzigd"}, []),
    "gesprekken": ("loopbaancheques/financieel_overzicht.xlsx", "Financieel overzicht", {
        "chequenummer": "Cheque nr", "datum": "Datum gesprek", "registratiedatum": "Geregistreerd op",
        "begeleider": "Naam begeleider", "type": "Type gesprek", "vorm": "Vorm gesprek", "duur": "Duurtijd",
        "feedback": "Feedback", "verwijderd": "Verwijderd", "bedrag": "Waarde van het gesprek",
        "loopbaancentrum": "Centrum"}, ["Financieel overzicht loopbaancheques"]),
}


def collect() -> dict[str, list[dict]]:
    sys.path.insert(0, str(HERE / "parts"))
    rows: dict[str, list[dict]] = {t: [] for t in LAYOUT}
    for name in PARTS:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for table, trs in mod.ROWS.items():
            rows[table].extend(trs)
    return rows


def _csv_cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y")
    return str(v)


def write(out: Path = HERE) -> list[Path]:
    rows = collect()
    books: dict[str, list[tuple[str, dict, list[str], list[dict]]]] = {}
    written = []
    for table, (rel, sheet, headers, titles) in LAYOUT.items():
        trs = rows[table]
        if not trs:
            continue
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if sheet is None:
            with path.open("w", encoding="cp1252", newline="") as fh:
                for t in titles:
                    fh.write(t + "\r\n")
                w = csv.writer(fh, delimiter=";", lineterminator="\r\n")
                w.writerow(headers.values())
                for r in trs:
                    w.writerow([_csv_cell(r.get(c)) for c in headers])
            written.append(path)
        else:
            books.setdefault(rel, []).append((sheet, headers, titles, trs))
    for rel, sheets in books.items():
        path = out / rel
        wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
        datef = wb.add_format({"num_format": "dd/mm/yyyy"})
        bold = wb.add_format({"bold": True})
        for sheet, headers, titles, trs in sheets:
            ws = wb.add_worksheet(sheet)
            r0 = 0
            for t in titles:
                if t:
                    ws.write(r0, 0, t, bold)
                r0 += 1
            ws.write_row(r0, 0, list(headers.values()), bold)
            for i, r in enumerate(trs, start=r0 + 1):
                for j, c in enumerate(headers):
                    v = r.get(c)
                    if v is None:
                        continue
                    if isinstance(v, dt.date):
                        ws.write_datetime(i, j, dt.datetime(v.year, v.month, v.day), datef)
                    elif isinstance(v, (int, float)) and not isinstance(v, bool):
                        ws.write_number(i, j, v)
                    else:
                        ws.write_string(i, j, str(v))
        if rel.startswith("school/"):
            ws = wb.add_worksheet("Toelichting")
            ws.write(0, 0, "Deze werkmap bevat een export van de klantendossiers van de school.")
            ws.write(1, 0, "Vragen? Contacteer de provinciale coach.")
        wb.close()
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else HERE
    for p in write(target):
        print(p)
