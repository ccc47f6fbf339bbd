"""Build the bad-input corpus (tests/corpus/cases.yaml says what each file must do).

    python tests/corpus/make_corpus.py OUTDIR

Everything is generated, deterministically, so that nothing large or binary is committed: the
zip bombs are a few MB on disk but declare or expand to gigabytes, and are written in 64 MB
pieces (a pre-compressed block repeated, so neither the expanded part nor its compressed form
is ever held whole in memory, and the build takes seconds). Text files are built from bytes so
that their encodings and line endings are exactly what the case says.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import xlsxwriter

VERSION = "5"  # bump when a case changes (the test cache is keyed on this file's content anyway)

# --- minimal xlsx parts, for the hand-made (hostile) workbooks -----------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS}><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"
EMPTY_SST = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {NS} count="0" uniqueCount="0"></sst>'
# billion laughs: lol9 expands to 10^9 "lol"s
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "' + f"&lol{i - 1 if i > 1 else ''};" * 10 + '">' for i in range(1, 10))
    + "]>"
)


def workbook_xml(sheet: str = "Verslaggeving") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def istr(ref: str, text: str) -> str:
    esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{esc}</t></is></c>'


def num(ref: str, value: float) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


def hand_xlsx(path: Path, sheet_xml: str, sst: str = EMPTY_SST, sheet: str = "Verslaggeving") -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", workbook_xml(sheet))
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr("xl/sharedStrings.xml", sst)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)


NOTITIES_HEADER = ["Klantnummer", "Aangemaakt op", "Reden"]


def notities_sheet(rows: list[list[str]], extra: str = "") -> str:
    """A notities sheet: header in row 1, the given rows below (texts as inline strings)."""
    out = [SHEET_HEAD, '<row r="1">' + "".join(istr(f"{c}1", h) for c, h in zip("ABC", NOTITIES_HEADER)) + "</row>"]
    for i, r in enumerate(rows, start=2):
        out.append(f'<row r="{i}">' + "".join(istr(f"{c}{i}", v) for c, v in zip("ABC", r)) + "</row>")
    out.append(extra + SHEET_TAIL)
    return "".join(out)


# --- zip bombs, written in pre-compressed pieces ---------------------------------------------------


def _gf2_times(mat: list[int], vec: int) -> int:
    s, i = 0, 0
    while vec:
        if vec & 1:
            s ^= mat[i]
        vec >>= 1
        i += 1
    return s


def _gf2_square(mat: list[int]) -> list[int]:
    return [_gf2_times(mat, mat[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """zlib's crc32_combine: the CRC of A+B from crc(A), crc(B) and len(B)."""
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


class _RepeatCompressor:
    """Stands in for zipfile's deflate compressor while one known block is written many times:
    each write of the block yields the same pre-compressed bytes (a full flush resets deflate, so
    the pieces concatenate into one valid stream)."""

    def __init__(self, pieces: dict[int, bytes]):
        self.pieces = pieces  # id(block) -> its deflate bytes ending in a full flush
        self.real = zlib.compressobj(9, zlib.DEFLATED, -15)

    def compress(self, data: bytes) -> bytes:
        piece = self.pieces.get(id(data))
        if piece is not None:
            return piece
        return self.real.compress(data) + self.real.flush(zlib.Z_FULL_FLUSH)

    def flush(self) -> bytes:
        return self.real.flush()


def write_bomb_part(
    z: zipfile.ZipFile, name: str, head: bytes, filler: bytes, repeats: int, tail: bytes, zip64: bool = True
) -> None:
    """Stream ``head + filler * repeats + tail`` into the zip as one deflated part."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = comp.compress(filler) + comp.flush(zlib.Z_FULL_FLUSH)
    filler_crc = zlib.crc32(filler)
    real_crc32 = zipfile.crc32
    real_get = zipfile._get_compressor

    def crc32(data: bytes, value: int = 0) -> int:
        if data is filler:
            return crc32_combine(value, filler_crc, len(filler))
        return real_crc32(data, value)

    zipfile.crc32 = crc32
    zipfile._get_compressor = lambda *a, **k: _RepeatCompressor({id(filler): piece})
    try:
        info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=zip64) as fh:
            fh.write(head)
            for _ in range(repeats):
                fh.write(filler)
            fh.write(tail)
    finally:
        zipfile.crc32 = real_crc32
        zipfile._get_compressor = real_get


def bomb_xlsx(path: Path, filler_mb: int, repeats: int, zip64: bool = True) -> None:
    """A workbook whose sheet part is white space between rows: filler_mb * repeats MB expanded."""
    filler = b" " * (filler_mb << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", workbook_xml())
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr("xl/sharedStrings.xml", EMPTY_SST)
        head = notities_sheet([["61000001", "01/02/2025", "C109/36"]]).removesuffix(SHEET_TAIL).encode()
        write_bomb_part(z, "xl/worksheets/sheet1.xml", head, filler, repeats, SHEET_TAIL.encode(), zip64)


def lying_bomb_xlsx(path: Path) -> None:
    """The sheet part declares 1 KB but inflates to 256 MB: calamine trusts the stream, not the size."""
    bomb_xlsx(path, 64, 4, zip64=False)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    pos = data.find(b"PK\x01\x02")  # central directory entries
    while pos >= 0:
        nlen = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + nlen]) == name:
            struct.pack_into("<I", data, pos + 24, 1024)  # uncompressed size
            local = struct.unpack_from("<I", data, pos + 42)[0]
            struct.pack_into("<I", data, local + 22, 1024)
        pos = data.find(b"PK\x01\x02", pos + 4)
    path.write_bytes(bytes(data))


# --- OLE containers -----------------------------------------------------------------------------


def crafted_encrypted(path: Path) -> None:
    """A minimal OLE compound file whose directory names EncryptionInfo and EncryptedPackage:
    what Excel writes for a password-protected .xlsx (the reader looks for that stream name)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9)  # minor, major v3, byte order, 512-byte sectors
    struct.pack_into("<H", header, 0x20, 6)  # 64-byte mini sectors
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *([0xFFFFFFFF] * 126))

    def entry(name: str, etype: int) -> bytes:
        e = bytearray(128)
        raw = (name + "\x00").encode("utf-16-le")
        e[: len(raw)] = raw
        struct.pack_into("<HBB", e, 0x40, len(raw), etype, 1)
        struct.pack_into("<III", e, 0x44, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        struct.pack_into("<II", e, 0x74, 0xFFFFFFFE, 0)
        return bytes(e)

    directory = entry("Root Entry", 5) + entry("EncryptionInfo", 2) + entry("EncryptedPackage", 2) + bytes(128)
    path.write_bytes(bytes(header) + fat + directory)


def encrypted_xlsx(path: Path, plain: Path) -> str:
    """A really encrypted workbook when msoffcrypto-tool is installed, else the crafted container."""
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        crafted_encrypted(path)
        return "crafted"
    with plain.open("rb") as src, path.open("wb") as dst:
        OOXMLFile(src).encrypt("geheim", dst)
    return "msoffcrypto"


def old_xls(path: Path, hostile: bool = False) -> bool:
    """A real BIFF8 .xls (xlwt); ``hostile`` moves one cell to column 65535 (calamine would try to
    allocate 137 GB for the grid). False when xlwt is not installed."""
    try:
        import xlwt
    except ImportError:
        return False
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Stappen naar werk")
    ws.write(0, 0, "Export stappen naar werk")
    for j, h in enumerate(["Klantnummer", "Stap", "Toestand", "Startdatum", "Einddatum"]):
        ws.write(2, j, h)
    datef = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    rows = [
        (61000001, "Sollicitatietraining", "Bezig", dt.date(2025, 2, 3), None),
        ("61000002", "Jobclub", "Beëindigd", "10/01/2025", "31/02/2025"),
        (61000003, "Jobclub", "Stopgezet", dt.date(2025, 1, 13), dt.date(2025, 3, 1)),
    ]
    for i, r in enumerate(rows, start=3):
        for j, v in enumerate(r):
            if v is None:
                continue
            if isinstance(v, dt.date):
                ws.write(i, j, v, datef)
            else:
                ws.write(i, j, v)
    buf = io.BytesIO()
    wb.save(buf)
    data = bytearray(buf.getvalue())
    if hostile:
        i = data.find(struct.pack("<HHHH", 0x027E, 10, 3, 0))  # the RK cell 61000001 at (3, 0)
        assert i >= 0, "RK record not found"
        struct.pack_into("<HH", data, i + 4, 3, 0xFFFF)
    path.write_bytes(bytes(data))
    return True


# --- xlsxwriter workbooks -------------------------------------------------------------------------


def write_book(path: Path, sheets: dict[str, list[list]], vba: bytes | None = None) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    datef = wb.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                if v is None:
                    continue
                if isinstance(v, dt.date):
                    ws.write_datetime(i, j, dt.datetime(v.year, v.month, v.day), datef)
                elif isinstance(v, (int, float)):
                    ws.write_number(i, j, v)
                else:
                    ws.write_string(i, j, v)
    if vba is not None:
        wb.add_vba_project(io.BytesIO(vba), is_stream=True)
        wb.set_vba_name("ThisWorkbook")
    wb.close()


LIJNEN_HEADER = ["Klantnummer", "Stap", "Toestand", "Startdatum", "Einddatum", "Organisatie"]
DOC_HEADER = ["Klantnummer", "Publicatienaam", "Datum toevoegen"]


def csv_bytes(lines: list[str], sep: str = ";", eol: str = "\r\n", encoding: str = "utf-8") -> bytes:
    return "".join(line.replace("|", sep) + eol for line in lines).encode(encoding)


# --- the corpus -------------------------------------------------------------------------------------


def build(out: Path) -> dict[str, str]:
    """Write every corpus file under ``out``; returns notes (e.g. how the encrypted file was made)."""
    out.mkdir(parents=True, exist_ok=True)
    notes: dict[str, str] = {}
    w = lambda name, data: (out / name).write_bytes(data)  # noqa: E731

    # empty and nearly empty
    w("empty.csv", b"")
    w("empty.xlsx", b"")
    w("blank_lines.csv", b"\r\n  \r\n\t\n")
    w("header_only.csv", csv_bytes(["Klantnummer|Aangemaakt op|Reden"]))
    write_book(out / "header_only.xlsx", {"Stappen naar werk": [["Stappen naar werk"], [], LIJNEN_HEADER]})
    w("unrecognised.csv", csv_bytes(["Naam|Adres|Telefoon", "Jan|Straat 1|x"]))
    w("garbage.csv", bytes((i * 7919 + 13) % 256 for i in range(4096)))

    # not the file its name says
    w("csv_as.xlsx", csv_bytes(["Klantnummer|Publicatienaam|Datum toevoegen", "61000001|Actieplan|01/02/2025"]))
    w("html_as.xls", b"<html><body><table><tr><td>Klantnummer</td><td>Stap</td></tr></table></body></html>\n")
    with zipfile.ZipFile(out / "zip_of_text.xlsx", "w") as z:
        z.writestr("leesmij.txt", "Dit is geen werkmap.\n")
    with zipfile.ZipFile(out / "ods_as.xlsx", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    good = out / "_plain.bin"
    write_book(good, {"Documenten": [DOC_HEADER, ["61000001", "Actieplan OP-211118", dt.date(2025, 2, 1)]]})
    plain = good.read_bytes()
    w("xlsx_as.xls", plain)
    w("truncated.xlsx", plain[: len(plain) * 3 // 5])
    corrupt = bytearray(plain)
    zf = zipfile.ZipFile(io.BytesIO(plain))
    info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for k in range(start + 10, start + min(info.compress_size, 60)):
        corrupt[k] ^= 0x5A
    w("corrupt_part.xlsx", bytes(corrupt))

    # password-protected
    notes["encrypted.xlsx"] = encrypted_xlsx(out / "encrypted.xlsx", good)
    crafted_encrypted(out / "encrypted_ole.xlsx")
    good.unlink()

    # old binary .xls, macros
    if old_xls(out / "old.xls"):
        old_xls(out / "hostile_col.xls", hostile=True)
    else:
        notes["old.xls"] = notes["hostile_col.xls"] = "skipped: xlwt not installed"
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name = \"ThisWorkbook\"\nSub Workbook_Open()\n Shell \"calc\"\nEnd Sub\n"
    write_book(
        out / "macros.xlsm",
        {"Documenten": [DOC_HEADER, ["61000001", "Actieplan", dt.date(2025, 2, 1)], ["61000002", "Eindverslag", "03/03/2025"]]},
        vba=vba,
    )
    # chart sheet beside the data
    wb = xlsxwriter.Workbook(str(out / "with_chartsheet.xlsx"))
    ws = wb.add_worksheet("Documenten")
    ws.write_row(0, 0, DOC_HEADER)
    ws.write_row(1, 0, ["61000001", "Actieplan", "01/02/2025"])
    cs = wb.add_chartsheet("Grafiek")
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=Documenten!$A$2:$A$2"})
    cs.set_chart(chart)
    wb.close()

    # bombs
    bomb_xlsx(out / "bomb_5gb.xlsx", 64, 80)  # 5 GB of sheet XML, ~5 MB on disk
    bomb_xlsx(out / "bomb_ratio.xlsx", 64, 4)  # 256 MB at 1000:1: under the size limit, refused by ratio
    lying_bomb_xlsx(out / "bomb_lying.xlsx")
    hand_xlsx(out / "sparse_cols.xlsx", notities_sheet([["61000001", "01/02/2025", "C109/36"]],
                                                       '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))
    hand_xlsx(out / "sparse_cells.xlsx", notities_sheet([["61000001", "01/02/2025", "C109/36"]],
                                                        '<row r="1048576"><c r="GR1048576"><v>1</v></c></row>'))
    # a cell reference that hides a far row inside row 3 (calamine trusts the cell's own r)
    hand_xlsx(out / "sparse_hidden.xlsx", notities_sheet([["61000001", "01/02/2025", "C109/36"]],
                                                         '<row r="3"><c r="GR1048576"><v>1</v></c></row>'))
    # cells without r: calamine places them one after the other (16,384 empty cells, then a value)
    hand_xlsx(out / "rless_wide.xlsx", notities_sheet([["61000001", "01/02/2025", "C109/36"]],
                                                      '<row r="3">' + "<c/>" * 16383 + "<c><v>1</v></c></row>"))
    hand_xlsx(out / "rless_ok.xlsx", SHEET_HEAD
              + "<row>" + "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in NOTITIES_HEADER) + "</row>"
              + '<row><c t="inlineStr"><is><t>61000001</t></is></c><c t="inlineStr"><is><t>01/02/2025</t></is></c>'
              + '<c t="inlineStr"><is><t>C109/36</t></is></c></row>'
              + '<row r="5"><c><v>61000002</v></c><c><v>45689</v></c><c t="inlineStr"><is><t>Intake</t></is></c></row>'
              + SHEET_TAIL)
    far = notities_sheet([["61000001", "01/02/2025", "C109/36"]],
                         '<row r="1000000">' + istr("A1000000", "61000002") + istr("B1000000", "02/02/2025")
                         + istr("C1000000", "Opvolging") + "</row>")
    hand_xlsx(out / "far_row.xlsx", far)

    # entity expansion
    sst = LAUGHS + f'<sst {NS} count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    hand_xlsx(out / "laughs_sst.xlsx", notities_sheet([["61000001", "01/02/2025", "C109/36"]]).replace(
        istr("C2", "C109/36"), '<c r="C2" t="s"><v>0</v></c>'), sst=sst)
    hand_xlsx(out / "laughs_sheet.xlsx", LAUGHS + notities_sheet([["61000001", "01/02/2025", "&lol9;"]]).split("\n", 1)[1]
              .replace("&amp;lol9;", "&lol9;"))
    late = notities_sheet([["61000001", "01/02/2025", "x"]]).split("\n", 1)[1]
    hand_xlsx(out / "laughs_late.xlsx", '<?xml version="1.0"?>\n<!--' + "x" * 200_000 + "-->" + LAUGHS.split("\n", 1)[1] + late)

    # 16,384 columns
    head = NOTITIES_HEADER + [f"kolom {i}" for i in range(4, 16385)]
    wb = xlsxwriter.Workbook(str(out / "wide_16384.xlsx"))
    ws = wb.add_worksheet("Verslaggeving")
    ws.write_row(0, 0, head)
    ws.write_row(1, 0, ["61000001", "01/02/2025", "C109/36"])
    ws.write(1, 16383, "laatste kolom")
    wb.close()
    w("wide_16384.csv", csv_bytes([";".join(head), "61000001;01/02/2025;C109/36" + ";" * 16380 + "x"]))

    # a 1 MB text cell
    big = "Lange notitie " + "x" * (1 << 20)
    w("big_cell.csv", csv_bytes(["Klantnummer|Aangemaakt op|Reden", f"61000001|01/02/2025|{big}", "61000002|02/02/2025|kort"]))
    hand_xlsx(out / "big_cell.xlsx", notities_sheet([["61000001", "01/02/2025", big], ["61000002", "02/02/2025", "kort"]]))

    # CSV encodings and line endings
    docs = ["Klantnummer|Publicatienaam|Datum toevoegen", "61000001|Actieplan OP-211118 ë|01/02/2025",
            "61000002|Eindverslag outplacement|02/02/2025"]
    w("utf16.txt", b"\xff\xfe" + csv_bytes(docs, sep="\t", encoding="utf-16-le"))
    w("utf16_nobom.csv", csv_bytes(docs, sep=";", encoding="utf-16-le"))
    w("utf16_be.csv", b"\xfe\xff" + csv_bytes(docs, sep=",", encoding="utf-16-be"))
    w("cp1252.csv", csv_bytes(["Stappen naar werk||||", "Klantnummer|Stap|Toestand|Startdatum|Einddatum",
                               "61000001|Jobclub|Beëindigd|06/01/2025|28/03/2025",
                               "61000002|Sollicitatietraining|Bezig|03/02/2025|"], encoding="cp1252"))
    w("bom.csv", b"\xef\xbb\xbf" + csv_bytes(docs, sep=","))
    w("mixed_eol.csv", b"Klantnummer;Publicatienaam;Datum toevoegen\r\n61000001;Actieplan;01/02/2025\n"
                       b"61000002;Eindverslag;02/02/2025\r61000003;Actieplan;31/02/2025\r\n61000004;Actieplan;04/02/2025")
    w("quoted_newlines.csv", b'Klantnummer;Reden;Aangemaakt op\r\n61000001;"C109/36\r\nmet tweede regel";01/02/2025\r\n'
                             b'61000002;"een ""quote"" en ;";02/02/2025\r\n61000003;"drie\nregels\nhier";03/02/2025\r\n'
                             b'61000004;gewoon;31/02/2025\r\n')
    w("delimiter_change.csv", b"Klantnummer;Publicatienaam;Datum toevoegen\n61000001;Actieplan;01/02/2025\n"
                              b"61000002;Eindverslag;02/02/2025\n61000003,Actieplan,03/02/2025\n"
                              b"61000004,Actieplan,04/02/2025\n")
    w("more_fields.csv", b"Klantnummer;Publicatienaam;Datum toevoegen\n61000001;Actieplan;01/02/2025\n"
                         b"61000002;Eindverslag;02/02/2025;extra;velden\n61000003;Actieplan;03/02/2025\n")

    # cell formats
    w("dates.csv", csv_bytes(["Klantnummer|Publicatienaam|Datum toevoegen", "61000001|Actieplan|45689",
                              "61000002|Actieplan|31/02/2024", "61000003|Actieplan|02/11/15",
                              "61000004|Actieplan|2025-02-30", "61000005|Actieplan|01/02/2025 09:00",
                              "61000006|Actieplan|1/2/2025", "61000007|Actieplan|morgen"]))
    write_book(out / "dates.xlsx", {"Documenten": [DOC_HEADER, ["61000001", "Actieplan", dt.date(2025, 2, 1)],
                                                   ["61000002", "Actieplan", 45689], ["61000003", "Actieplan", "31/02/2024"],
                                                   ["61000004", "Actieplan", "02/11/15"], ["61000005", "Actieplan", 12.5]]})
    w("klantnummer_letters.csv", csv_bytes(["Klantnummer|Publicatienaam|Datum toevoegen", "61A00001|Actieplan|01/02/2025",
                                            "61000002|Actieplan|02/02/2025", "KL-61000003|Actieplan|03/02/2025",
                                            "610000040000000|Actieplan|04/02/2025", "61000005.0|Actieplan|05/02/2025"]))
    w("duplicate_headers.csv", csv_bytes(["Klantnummer|Publicatienaam|Datum toevoegen|Datum toevoegen|Klantnummer",
                                          "61000001|Actieplan|01/02/2025|99/99/9999|xx", "61000002|Eindverslag|02/02/2025||"]))

    # a table split over two files
    (out / "split").mkdir(exist_ok=True)
    (out / "split" / "documenten_deel1.csv").write_bytes(csv_bytes([*docs, "61000003|Actieplan|31/02/2025"]))
    write_book(out / "split" / "documenten_deel2.xlsx",
               {"Documenten overzicht": [["Documenten (deel 2)"], DOC_HEADER, ["61000004", "Actieplan", dt.date(2025, 3, 1)],
                                         [], ["61000005", "Eindverslag", "02/13/2025"]]})
    return notes


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("corpus-out")
    for k, v in build(target).items():
        print(f"{k}: {v}")
    print(target)
