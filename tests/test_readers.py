"""Readers: every file-format variant of TABLES.md, read from real files on disk."""

import datetime as dt

import pytest
import xlsxwriter

from dossiercheck.config import GENERAL
from dossiercheck.io import find_header, read_inputs
from dossiercheck.io.workbook import InputError

LIMITS = GENERAL["limits"]


def write_xlsx(path, sheets):
    """sheets: {name: [(row_index, [cells])]} — cells may be dates or numbers."""
    wb = xlsxwriter.Workbook(str(path))
    datef = wb.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, cells in rows:
            for c, v in enumerate(cells):
                if v is None:
                    continue
                if isinstance(v, dt.date):
                    ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), datef)
                elif isinstance(v, (int, float)):
                    ws.write_number(r, c, v)
                else:
                    ws.write_string(r, c, v)
    wb.close()


def test_xlsx_title_rows_blank_rows_date_cells_and_numeric_keys(tmp_path):
    path = tmp_path / "export.xlsx"
    write_xlsx(path, {"Stappen naar werk": [
        (2, [None, "Export stappen naar werk"]),            # row 3: title, starts in column B
        (4, [None, "Klantnr", "Stap", "Toestand", "Startdatum", "Opmerking"]),  # row 5: header
        (5, [None, 61000447, "Outplacement", "Bezig", dt.date(2025, 3, 1), "x"]),
        (7, [None, "0061000448", "Jobclub", "beëindigd", "01/03/2025"]),  # row 8 (row 7 blank)
    ]})
    r = read_inputs([path], LIMITS)
    info = r.inputs[0]
    assert (info["table"], info["sheet"], info["header_row"], info["rows"]) == ("lijnen", "Stappen naar werk", 5, 2)
    assert info["ignored_columns"] == ["Opmerking"]
    f = r.tables["lijnen"]
    assert f["_row"].tolist() == [6, 8]
    assert f["klantnummer"].tolist() == ["61000447", "0061000448"]
    assert f["startdatum"].tolist() == ["2025-03-01 00:00:00", "01/03/2025"]
    assert f["_file"].tolist() == ["export.xlsx", "export.xlsx"]


def test_xlsx_every_sheet_signature_and_unrecognised(tmp_path):
    path = tmp_path / "werkmap.xlsx"
    write_xlsx(path, {
        "Blad1": [(0, ["Klantnummer", "Datum", "Reden", "Gedeeld met"]), (1, ["61000447", "01/02/2025", "C109/36", ""])],
        "Blad2": [(0, ["Cheque nr", "Datum gesprek", "Naam begeleider", "Type gesprek", "Duurtijd"]),
                  (1, [1234567890, "01/02/2025", "Janssens Thomas", "Intake gesprek", "1u30"])],
        "Uitleg": [(0, ["Dit is geen tabel"])],
    })
    r = read_inputs([path], LIMITS)
    assert {i["sheet"]: i["table"] for i in r.inputs} == {"Blad1": "notities", "Blad2": "gesprekken"}
    assert all(i["recognised_by"] == "signature" for i in r.inputs)
    assert r.unrecognised == [{"file": "werkmap.xlsx", "sheet": "Uitleg", "headers": ["dit is geen tabel"]}]
    assert r.tables["gesprekken"]["chequenummer"].tolist() == ["1234567890"]


def test_header_signature_prefers_most_required_columns():
    # klantnummer + datum + reden: notities (3 required) beats documenten/afsprakenbladen.
    table, idx, mapping, how = find_header([["titel"], ["klantnummer", "datum", "reden"]], None)
    assert (table, idx, how) == ("notities", 1, "signature")


def test_csv_cp1252_semicolon_title_rows(tmp_path):
    path = tmp_path / "verslaggeving.csv"
    text = "Verslaggeving;;\r\n;;\r\nKlantnr;Aangemaakt op;Reden\r\n61000447;01/02/2025;Beëindiging C109/36\r\n\r\n61000448;2/2/2025;x\r\n"
    path.write_bytes(text.encode("cp1252"))
    r = read_inputs([path], LIMITS)
    info = r.inputs[0]
    assert (info["table"], info["header_row"], info["rows"], info["recognised_by"]) == ("notities", 3, 2, "name")
    f = r.tables["notities"]
    assert f["reden"].tolist() == ["Beëindiging C109/36", "x"]
    assert f["_row"].tolist() == [4, 6]
    assert any("cp1252" in n for n in info["notes"])


@pytest.mark.parametrize("sep", [",", "\t", ";"])
def test_csv_delimiters_and_utf8_bom(tmp_path, sep):
    path = tmp_path / "data.txt"
    rows = [["Chequenummer", "Klantnummer", "Status"], ["123/4567-890.1", "61000447", "Cheque in gebruik"]]
    path.write_bytes(("\ufeff" + "\n".join(sep.join(r) for r in rows) + "\n").encode("utf-8"))
    r = read_inputs([path], LIMITS)
    assert r.inputs[0]["table"] == "cheques"
    assert r.tables["cheques"]["chequenummer"].tolist() == ["123/4567-890.1"]
    assert list(r.tables["cheques"].columns[:3]) == ["chequenummer", "klantnummer", "status"]


def test_table_split_over_two_files_is_added_up(tmp_path):
    (tmp_path / "a").mkdir()
    for i, name in enumerate(["a/documenten.csv", "documenten_2.csv"]):
        (tmp_path / name).write_text(f"klantnummer;publicatienaam;datum\n6100044{i};Actieplan;01/02/2025\n", "utf-8")
    r = read_inputs([tmp_path], LIMITS)
    assert len(r.tables["documenten"]) == 2
    assert sorted(r.tables["documenten"]["_file"]) == ["a/documenten.csv", "documenten_2.csv"]


def test_missing_path_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="bestaat niet"):
        read_inputs([tmp_path / "nope.xlsx"], LIMITS)


def test_not_a_zip_and_text_named_xlsx(tmp_path):
    p = tmp_path / "kapot.xlsx"
    p.write_bytes(b"\x01\x02garbage" * 10)
    with pytest.raises(InputError, match="geen geldige Excel-werkmap"):
        read_inputs([p], LIMITS)
    p.write_text("klantnummer;stap\n1;2\n")
    with pytest.raises(InputError, match="hernoem het dan naar .csv"):
        read_inputs([p], LIMITS)


def test_password_protected_workbook(tmp_path):
    p = tmp_path / "geheim.xlsx"
    # An encrypted OOXML file is an OLE compound file holding an EncryptionInfo stream.
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64)
    with pytest.raises(InputError, match="wachtwoord") as e:
        read_inputs([p], LIMITS)
    assert e.value.render("en") == "geheim.xlsx: workbook is password-protected; save it without a password and try again"


def test_row_offset_matches_calamine(tmp_path):
    """The streamed XML scan gives the same start row as python-calamine."""
    import python_calamine

    path = tmp_path / "x.xlsx"
    write_xlsx(path, {"S": [(6, [None, None, "titel"]), (9, ["klantnummer", "datum", "reden"])]})
    start = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S").start
    r = read_inputs([path], LIMITS)
    assert r.inputs[0]["header_row"] == 10 and start[0] + 1 == 7


def _folder_of_workbooks(tmp_path, bad: tuple[str, ...] = ()):
    """Workbooks of different sizes (the largest is read first), a CSV between them, one split
    table, one unrecognised sheet; ``bad``: names written as corrupt files."""
    header = ["Klantnummer", "Stap", "Toestand", "Startdatum"]
    for i, n in enumerate([3, 400, 40, 1]):
        rows = [(0, header)] + [(r + 1, [f"{61000000 + 1000 * i + r}", "Jobclub", "Bezig", "01/03/2025"]) for r in range(n)]
        write_xlsx(tmp_path / f"b{i}.xlsx", {"Stappen naar werk": rows, "Uitleg": [(0, [f"uitleg {i}"])]})
    (tmp_path / "c.csv").write_text("Klantnummer;Datum;Reden\n61000447;01/02/2025;C109/36\n", encoding="utf-8")
    for name in bad:
        (tmp_path / name).write_bytes(b"PK\x03\x04 not really a zip " * 10)
    return tmp_path


def _read(path, monkeypatch, threads):
    import dossiercheck.io as io_mod

    monkeypatch.setattr(io_mod, "READ_THREADS", threads)
    return read_inputs([path], LIMITS)


def test_workbooks_read_on_two_threads_give_the_sequential_result(tmp_path, monkeypatch):
    folder = _folder_of_workbooks(tmp_path)
    seq, par = _read(folder, monkeypatch, 1), _read(folder, monkeypatch, 2)
    assert par.inputs == seq.inputs and par.unrecognised == seq.unrecognised
    assert [i["file"] for i in par.inputs] == ["b0.xlsx", "b1.xlsx", "b2.xlsx", "b3.xlsx", "c.csv"]
    assert sorted(par.tables) == sorted(seq.tables) == ["lijnen", "notities"]
    for name in seq.tables:
        assert par.tables[name].equals(seq.tables[name])
    assert len(par.tables["lijnen"]) == 3 + 400 + 40 + 1


def test_workbooks_read_on_two_threads_raise_the_first_bad_file_in_file_order(tmp_path, monkeypatch):
    folder = _folder_of_workbooks(tmp_path, bad=("b1.xlsx", "b3.xlsx"))  # b1: the largest, read first
    for threads in (1, 2):
        with pytest.raises(InputError) as err:
            _read(folder, monkeypatch, threads)
        assert err.value.params["file"] == "b1.xlsx"


def _folder_of_csvs(tmp_path, bad: tuple[str, ...] = ()):
    """CSV files of different sizes and encodings (the largest is read first), one table split over
    three files, one unrecognised file; ``bad``: names written as files that cannot be read."""
    header = "Klantnummer;Stap;Toestand;Startdatum\r\n"
    for i, n in enumerate([3, 900, 40]):
        body = "".join(f"{61000000 + 1000 * i + r};Jobclub \u00e9\u20ac;Bezig;01/03/2025\r\n" for r in range(n))
        (tmp_path / f"s{i}.csv").write_bytes((header + body).encode("cp1252" if i == 1 else "utf-8"))
    (tmp_path / "n.csv").write_text("Klantnummer;Datum;Reden\n61000447;01/02/2025;C109/36\n", encoding="utf-8")
    (tmp_path / "u.csv").write_text("iets;anders\n1;2\n", encoding="utf-8")
    for name in bad:
        (tmp_path / name).write_bytes(b"PK\x03\x04 not really a zip " * 10)
    return tmp_path


def test_csv_files_read_on_two_threads_give_the_sequential_result(tmp_path, monkeypatch):
    folder = _folder_of_csvs(tmp_path)
    seq, par = _read(folder, monkeypatch, 1), _read(folder, monkeypatch, 2)
    assert par.inputs == seq.inputs and par.unrecognised == seq.unrecognised
    assert [i["file"] for i in par.inputs] == ["n.csv", "s0.csv", "s1.csv", "s2.csv"]
    assert [u["file"] for u in par.unrecognised] == ["u.csv"]
    assert sorted(par.tables) == sorted(seq.tables) == ["lijnen", "notities"]
    for name in seq.tables:
        assert par.tables[name].equals(seq.tables[name])
    assert len(par.tables["lijnen"]) == 3 + 900 + 40
    assert set(par.tables["lijnen"]["stap"]) == {"Jobclub \u00e9\u20ac"}


def test_csv_files_read_on_two_threads_raise_the_first_bad_file_in_file_order(tmp_path, monkeypatch):
    folder = _folder_of_csvs(tmp_path, bad=("s1.csv", "s2.csv"))  # s2 may fail first on two threads
    for threads in (1, 2):
        with pytest.raises(InputError) as err:
            _read(folder, monkeypatch, threads)
        assert err.value.params["file"] == "s1.csv"


@pytest.mark.parametrize(
    "data, encoding",
    [
        pytest.param(b"a" * ((1 << 16) - 1) + "\u00e9;x\n".encode("utf-8"), "utf-8", id="utf8-char-across-probe-end"),
        pytest.param(b"\xef\xbb\xbf" + "caf\u00e9\n".encode("utf-8") * 30000, "utf-8", id="utf8-bom"),
        pytest.param(b"caf\xe9\n" + b"a" * (1 << 17), "cp1252", id="cp1252-in-probe"),
        pytest.param(b"a" * (1 << 17) + b"caf\xe9\n", "cp1252", id="cp1252-after-probe"),
        pytest.param(b"a" * ((1 << 16) - 1) + b"\xc3", "cp1252", id="utf8-cut-at-end-of-file"),
        # cp1252 without a byte in 0x80-0x9F is decoded as Latin-1; with one, by the cp1252 table
        pytest.param(bytes(range(0xA0, 0x100)) * 3 + b"\n" + bytes(range(0x80)), "cp1252", id="cp1252-latin1-part"),
        pytest.param(b"a" * ((1 << 22) + 5) + b"\x80 \x81 \x9f \xe9", "cp1252", id="cp1252-specials-in-last-part"),
        pytest.param(b"\x96 \xe9" + b"a" * (1 << 22), "cp1252", id="cp1252-special-first"),
    ],
)
def test_decode_text_probe_gives_the_whole_file_answer(data, encoding):
    from dossiercheck.io.workbook import decode_text

    text, got = decode_text(data)
    assert got == encoding
    assert text == (data.decode("utf-8-sig") if encoding == "utf-8" else data.decode("cp1252", errors="replace"))


def test_cp1252_specials_found_in_any_part():
    from dossiercheck.io.workbook import _cp1252_specials

    assert not _cp1252_specials(b"") and not _cp1252_specials(bytes(range(0x80)) + bytes(range(0xA0, 0x100)))
    for byte in range(0x80, 0xA0):
        assert _cp1252_specials(b"a" * 10 + bytes([byte]))
    assert _cp1252_specials(b"a" * ((1 << 22) * 2) + b"\x80") and _cp1252_specials(b"\x9f" + b"a" * (1 << 23))


def test_irregular_csv_files_with_huge_cells_read_on_two_threads(tmp_path, monkeypatch):
    """A row with more fields than the header sends a file to pandas' python engine, which uses
    the csv module: its field size limit is one global setting, raised for a 300 KB cell and put
    back after. Files read at once take turns there, so each read sees its raised limit and the
    setting is as before afterwards."""
    import csv

    header = "Klantnummer;Stap;Toestand;Startdatum\n"
    for i in range(6):
        rows = [f"{61000000 + 10 * i + r};Jobclub;Bezig;01/03/2025\n" for r in range(3)]
        rows.append(f"{61000009 + 10 * i};\"{'x' * 300_000}\";Bezig;01/03/2025;extra\n")
        (tmp_path / f"s{i}.csv").write_text(header + "".join(rows), encoding="utf-8")
    before = csv.field_size_limit()
    seq, par = _read(tmp_path, monkeypatch, 1), _read(tmp_path, monkeypatch, 2)
    assert csv.field_size_limit() == before
    assert par.tables["lijnen"].equals(seq.tables["lijnen"]) and len(par.tables["lijnen"]) == 24
    assert par.inputs == seq.inputs
    assert all(any("more fields" in n for n in i["notes"]) for i in par.inputs)
