"""reports/sheetxml.py: rows rendered in bulk are the sheet XML XlsxWriter writes cell by cell.

The reference below is how rapport.xlsx wrote its tables before the bulk renderer: one XlsxWriter
call per cell. Both writers run on the same workbook layout and the resulting files are compared
byte for byte, sheet by sheet, so an XlsxWriter upgrade that changes what the renderer copies
(escaping, number and date cells, its row bookkeeping in constant_memory mode) fails here.
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from dossiercheck.reports import sheetxml
from dossiercheck.reports import xlsx as xlsx_mod
from report_fixtures import make_payload

HEADERS = ["Ernst", "A", "B", "C", "D"]
WIDTHS = [14, 10, 10, 10, 10]

HOSTILE = [
    "gewoon", "", None, "=1+2", "+32475", "-5", "@SUM(A1)", "\t=cmd", "\r-1", " leading", "trailing ",
    "\u00a0nbsp", "tab\tinside", "line\nbreak", "Klokje \x07 en \x01", "_x0041_ literal escape", "&<>\"'",
    "x" * 40000, "\U0001F600" * 20000, "é" * 16384, "<b>bold</b>", "1e5", "0032475",
]
OTHER = [0, 1, -7, 2**53, 3.25, -0.5, 1e20, 1.0, float("nan"), float("inf"), True, False,
         dt.date(2025, 6, 30), dt.date(1900, 3, 1), np.int64(12), np.float64(2.5), dt.datetime(2025, 1, 2, 3, 4)]
SEVERITIES = [("error", "fout"), ("warning", "waarschuwing"), ("info", "info"), ("other", "anders"), None]


INTS = [0, 1, -7, None, 2**53, -(2**53), 44761]
TEXTS = HOSTILE + ["\ufffe", "a\uffff", "_X00a1_", "_x00G1_", "\u3000ideographic", "end\u2028", "x\x1c"]


def _rows(n: int, kind: str = "mixed") -> list[list]:
    """Rows of hostile values. ``mixed``: every column mixes texts, numbers, dates and empty
    cells (rendered value by value); ``typed``: columns of only texts or only ints (rendered by
    pyarrow, see CellRenderer.column_array), with a column of ints too large for that path."""
    if kind == "typed":
        big = [1, 2**53 + 1, None, 10**16 - 1]
        return [
            [SEVERITIES[i % len(SEVERITIES)], TEXTS[i % len(TEXTS)], INTS[i % len(INTS)],
             big[i % len(big)] if i % 2 else None, f"uniek {i}"]
            for i in range(n)
        ]
    values = HOSTILE + OTHER
    return [
        [SEVERITIES[i % len(SEVERITIES)], values[i % len(values)], values[(3 * i + 1) % len(values)],
         values[(7 * i + 2) % len(values)], f"uniek {i}"]
        for i in range(n)
    ]


def _cellwise_write_table(sh, base, headers, widths, rows, severity_col=None, wrap=False) -> list:
    """The reference: write_table as it was, one XlsxWriter call per cell."""
    per = xlsx_mod.MAX_SHEET_ROWS - 1
    sheets: list[str] = []
    ws = None
    r = 0

    def open_sheet():
        name = base if not sheets else f"{base} {len(sheets) + 1}"
        ws = sh.wb.add_worksheet(name)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.freeze_panes(1, 0)
        ws.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})
        sh.header_row(ws, 0, headers)
        sheets.append(name)
        return ws

    quoted = sh.wrap_quoted if wrap else sh.quoted
    plain = sh.wrap if wrap else None
    for values in rows:
        if ws is None or r == per:
            if ws is not None:
                ws.autofilter(0, 0, max(r, 1), len(headers) - 1)
            ws = open_sheet()
            r = 0
        r += 1
        for c, v in enumerate(values):
            if v is None or v == "":
                continue
            if c == severity_col:
                ws.write_string(r, c, v[1], sh.severity.get(v[0]))
            elif type(v) is str:
                ws.write_string(r, c, v, quoted if v.startswith(xlsx_mod.DANGEROUS_START) else plain)
            elif type(v) is int or (type(v) is float and math.isfinite(v)):
                ws.write_number(r, c, v, plain)
            elif type(v) is dt.date:
                ws.write_datetime(r, c, v, sh.date)
            else:
                sh.put(ws, r, c, v, wrap=wrap)
    if ws is None:
        ws = open_sheet()
    ws.autofilter(0, 0, max(r, 1), len(headers) - 1)
    return sheets


def _write(path: Path, table, rows, wrap=False) -> list:
    wb = xlsxwriter.Workbook(str(path), xlsx_mod.WORKBOOK_OPTIONS)
    wb.set_properties({"created": dt.datetime(2025, 1, 1)})
    sh = xlsx_mod.Sheets(wb)
    names = table(sh, "Bevindingen", HEADERS, WIDTHS, iter(rows), severity_col=0, wrap=wrap)
    wb.close()
    return names


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.mark.parametrize(
    "n,block,sheet_rows,wrap,kind",
    [(60, 20_000, 1_048_576, False, "mixed"), (60, 7, 1_048_576, True, "mixed"), (23, 4, 6, False, "mixed"),
     (10, 5, 6, False, "mixed"), (0, 5, 6, False, "mixed"), (120, 20_000, 1_048_576, False, "typed"),
     (120, 9, 1_048_576, True, "typed"), (23, 4, 6, False, "typed")],
    ids=["one-block", "blocks-wrap", "blocks-across-sheets", "sheet-exactly-full", "no-rows", "typed-one-block",
         "typed-blocks-wrap", "typed-across-sheets"],
)
def test_bulk_rows_are_xlsxwriters_cells_byte_for_byte(tmp_path, monkeypatch, n, block, sheet_rows, wrap, kind):
    monkeypatch.setattr(xlsx_mod, "BLOCK_ROWS", block)
    monkeypatch.setattr(xlsx_mod, "MAX_SHEET_ROWS", sheet_rows)
    rows = _rows(n, kind)
    vectorised = []
    texts = sheetxml.CellRenderer._texts
    monkeypatch.setattr(sheetxml.CellRenderer, "_texts", lambda self, arr: vectorised.append(len(arr)) or texts(self, arr))
    ref_names = _write(tmp_path / "ref.xlsx", _cellwise_write_table, rows, wrap)
    names = _write(tmp_path / "bulk.xlsx", xlsx_mod.write_table, rows, wrap)
    if kind == "typed":  # both text columns took pyarrow's path (a small mixed block may too)
        assert sum(vectorised) == 2 * n
    # and the same cells handed over as columns (write_table(columns=...), as Bevindingen is)
    columns = [list(c) for c in zip(*rows)] if rows else [[] for _ in HEADERS]
    col_names = _write(tmp_path / "cols.xlsx", lambda *a, **k: xlsx_mod.write_table(*a[:4], None, columns=columns, **k),
                       rows, wrap)
    assert names == ref_names == col_names
    ref, bulk, cols = _parts(tmp_path / "ref.xlsx"), _parts(tmp_path / "bulk.xlsx"), _parts(tmp_path / "cols.xlsx")
    assert sorted(bulk) == sorted(ref) == sorted(cols)
    for part in ref:
        assert bulk[part] == ref[part], part
        assert cols[part] == ref[part], part
    if n:
        assert b"inlineStr" in bulk["xl/worksheets/sheet1.xml"]


def test_bulk_rows_read_back_as_written(tmp_path):
    rows = _rows(40)
    _write(tmp_path / "bulk.xlsx", xlsx_mod.write_table, rows)
    got = CalamineWorkbook.from_path(str(tmp_path / "bulk.xlsx")).get_sheet_by_index(0).to_python()
    assert got[0] == HEADERS
    for want, have in zip(rows, got[1:]):
        assert have[4] == want[4]  # the unique text, row for row
        assert have[0] == (want[0][1] if want[0] else "")


@pytest.mark.parametrize("text", ["<r>a</r>", "<r><t>x</t></r>", '<r><t>x</t></r></is></c><c r="Z9"><f>1+1</f></c><is><r>'])
def test_text_that_looks_like_rich_text_stays_text(tmp_path, text):
    """XlsxWriter writes a plain string starting with <r> and ending with </r> unescaped in
    constant_memory mode (as if it were rich text): a cell text from an input file could inject
    cells or formulas. Both the bulk rows and single cells (the summary sheet) escape it."""
    payload = make_payload(n=3)
    payload["findings"][0]["message"] = text
    payload["findings"][1]["organisatie"] = text  # also listed on Samenvatting
    path = tmp_path / "rapport.xlsx"
    xlsx_mod.write_xlsx(payload, path)
    wb = openpyxl.load_workbook(path)
    assert [c for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"] == []
    found = {ws.title: [c.value for row in ws.iter_rows() for c in row] for ws in wb}
    assert text in found["Bevindingen"]
    assert any(isinstance(v, str) and text in v for v in found["Samenvatting"])
    for part, xml in _parts(path).items():
        assert b"<r>" not in xml or part == "xl/styles.xml", part


def test_rendered_rows_must_follow_the_rows_written(tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"constant_memory": True})
    ws = wb.add_worksheet(worksheet_class=sheetxml.Worksheet)
    ws.write_string(0, 0, "kop")
    ws.write_rendered_rows(1, 1, 0, '<row r="2"><c r="A2"><v>1</v></c></row>')
    with pytest.raises(ValueError):
        ws.write_rendered_rows(1, 1, 0, "")
    ws.write_string(2, 0, "na")
    wb.close()
    got = CalamineWorkbook.from_path(str(tmp_path / "x.xlsx")).get_sheet_by_index(0).to_python()
    assert got == [["kop"], [1.0], ["na"]]
    wb = xlsxwriter.Workbook(str(tmp_path / "y.xlsx"))
    with pytest.raises(ValueError):
        wb.add_worksheet(worksheet_class=sheetxml.Worksheet).write_rendered_rows(0, 0, 0, "")
    wb.close()
