"""rapport.xlsx, re-read with openpyxl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from dossiercheck.checks.registry import RULES
from dossiercheck.reports import viewmodel as vm
from dossiercheck.reports import xlsx as xlsx_mod
from dossiercheck.reports.split import write_split
from dossiercheck.reports.xlsx import write_xlsx
from report_fixtures import FORMULA, NATNR, XSS_SCRIPT, by_severity, make_finding, make_payload

NL_HEADERS = ["Ernst", "Regel", "Titel", "Klantnummer", "Chequenummer", "Organisatie", "Bestand", "Blad", "Rij",
              "Bevinding", "Wat moet je doen", "Handleiding", "Vingerafdruk"]
EN_HEADERS = ["Severity", "Rule", "Title", "Client number", "Cheque number", "Organisation", "File", "Sheet", "Row",
              "Finding", "What to do", "Manual", "Fingerprint"]


def write_and_open(payload: dict, tmp_path: Path, **kw) -> openpyxl.Workbook:
    path = tmp_path / "rapport.xlsx"
    write_xlsx(payload, path, **kw)
    return openpyxl.load_workbook(path)


def data_rows(ws) -> list[tuple]:
    return list(ws.iter_rows(min_row=2, values_only=True))


def test_sheets_headers_filter_panes_widths(tmp_path):
    payload = make_payload(n=40)
    wb = write_and_open(payload, tmp_path)
    assert wb.sheetnames == ["Samenvatting", "Bevindingen", "Regels"]
    ws = wb["Bevindingen"]
    assert [c.value for c in ws[1]] == NL_HEADERS
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:M{len(payload['findings']) + 1}"
    assert ws.column_dimensions["J"].width > 50 and ws.column_dimensions["A"].width >= 10
    rows = data_rows(ws)
    assert len(rows) == len(payload["findings"])
    assert {r[12] for r in rows} == {f["fingerprint"] for f in payload["findings"]}


def test_one_row_per_finding_most_severe_first_with_texts(tmp_path):
    payload = make_payload(n=40, hostile=False)
    ws = write_and_open(payload, tmp_path)["Bevindingen"]
    rows = data_rows(ws)
    rank = {"fout": 0, "waarschuwing": 1, "info": 2}
    assert [rank[r[0]] for r in rows] == sorted(rank[r[0]] for r in rows)
    by_rule = {r.code: r for r in RULES}
    by_fp = {f["fingerprint"]: f for f in payload["findings"]}
    for r in rows:
        f = by_fp[r[12]]
        rule = by_rule[f["rule"]]
        assert r[1:4] == (f["rule"], rule.title_nl, f["klantnummer"])
        assert r[5] == (f["organisatie"] or "(zonder organisatie)")
        assert r[6:9] == (f["file"], f["sheet"], f["row"]) and isinstance(r[8], int)
        assert r[9] == f["message"] and r[10] == rule.hint_nl and r[11] == (vm.manual_ref(rule.source) or None)


def test_severity_cells_are_coloured(tmp_path):
    ws = write_and_open(make_payload(n=30), tmp_path)["Bevindingen"]
    fills = {}
    for (cell,) in ws.iter_rows(min_row=2, max_col=1):
        fills.setdefault(cell.value, set()).add(cell.fill.fgColor.rgb)
    assert fills["fout"] == {"FFFDECEB"} and fills["waarschuwing"] == {"FFFFF4DC"}


def test_hostile_cells_are_strings_never_formulas(tmp_path):
    payload = make_payload(n=10)
    payload["findings"][0]["organisatie"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    payload["findings"][1]["message"] = "\t=1+2"
    payload["findings"][2]["message"] = "\r-1"
    payload["findings"][3]["message"] = "Klokje \x07 en \x01 stuurtekens"
    payload["findings"][4]["message"] = "x" * 40000
    payload["config"]["evil"] = {"formula": "+1+1"}
    wb = write_and_open(payload, tmp_path)
    formula_cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formula_cells == []
    ws = wb["Bevindingen"]
    cells = {c.value: c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    cr = "_x000D_-1"  # XlsxWriter stores a CR as Excel's escape, which openpyxl does not decode
    minus = next(v for v in cells if v.startswith("-2+3"))
    for text in (FORMULA, "=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+2", cr, "+32475", minus):
        assert text in cells, text
        assert cells[text].data_type == "s" and cells[text].quotePrefix
    assert cells["Bevinding nummer 5 voor klant 61000005"].quotePrefix is False
    assert any(isinstance(v, str) and len(v) == 32767 for v in cells)  # Excel's cell limit, not a crash
    summary = {c.value: c for row in wb["Samenvatting"].iter_rows() for c in row if isinstance(c.value, str)}
    assert summary["+1+1"].data_type == "s"
    assert XSS_SCRIPT in " ".join(cells)  # stored as plain text: Excel does not render HTML


def test_summary_sheet(tmp_path):
    payload = make_payload(n=40, history=True)
    ws = write_and_open(payload, tmp_path)["Samenvatting"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    flat = [v for r in rows for v in r if v is not None]
    sev = by_severity(payload["findings"])
    counts = {r[0]: r[1] for r in rows if r[0] in ("fout", "waarschuwing", "info", "Totaal")}
    assert counts == {"fout": sev["error"], "waarschuwing": sev["warning"], "info": sev["info"],
                      "Totaal": len(payload["findings"])}
    for title in ("Bevindingen per regel", "Bevindingen per organisatie", "Gelezen invoer",
                  "Regels die niet geëvalueerd werden", "Gebruikte instellingen", "Niet herkende bladen en bestanden"):
        assert title in flat
    assert "15/06/2025" in flat and "lijnen.xlsx" in flat and 1204 in flat
    assert "tabel categorieen niet aangeleverd" in flat and "abo.warn_days" in flat
    org_rows = {r[0]: r[1:5] for r in rows if r[0] == "GO! Campus Noord"}
    mine = [f for f in payload["findings"] if f["organisatie"] == "GO! Campus Noord"]
    assert org_rows["GO! Campus Noord"][3] == len(mine)
    per_rule = {r[0]: r[3] for r in rows if isinstance(r[0], str) and r[0] in {x.code for x in RULES} and len(r) > 3}
    assert sum(v for v in per_rule.values() if isinstance(v, int)) == len(payload["findings"])


def test_rules_sheet(tmp_path):
    payload = make_payload(n=40)
    ws = write_and_open(payload, tmp_path)["Regels"]
    rows = data_rows(ws)
    assert [r[0] for r in rows] == [r.code for r in RULES]
    last = rows[-1]
    assert last[3] == "nee" and last[5] == "tabel categorieen niet aangeleverd" and last[4] is None
    assert all(r[3] == "ja" for r in rows[:-1])
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref


def test_history_sheets_and_columns(tmp_path):
    payload = make_payload(n=20, history=True)
    wb = write_and_open(payload, tmp_path)
    assert wb.sheetnames == ["Samenvatting", "Bevindingen", "Regels", "Opgelost", "Aanvaard"]
    head = [c.value for c in wb["Bevindingen"][1]]
    assert head[:3] == ["Ernst", "Status", "Eerst gezien"]
    assert {r[1] for r in data_rows(wb["Bevindingen"])} == {"nieuw", "blijvend"}
    assert data_rows(wb["Opgelost"])[0][3] == "61555555"
    waived = data_rows(wb["Aanvaard"])[0]
    assert waived[3] == "61444444" and waived[8] == dt.datetime(2025, 12, 31)
    assert wb["Aanvaard"]["I2"].number_format == "dd/mm/yyyy"
    first_seen = [r[2] for r in data_rows(wb["Bevindingen"])]
    assert set(first_seen) == {dt.datetime(2025, 6, 15), dt.datetime(2025, 4, 15)}


def test_english(tmp_path):
    payload = make_payload(n=20, history=True)
    wb = write_and_open(payload, tmp_path, lang="en")
    assert wb.sheetnames == ["Summary", "Findings", "Rules", "Resolved", "Waived"]
    head = [c.value for c in wb["Findings"][1]]
    assert head[0] == "Severity" and head[3:] == EN_HEADERS[1:]
    rows = data_rows(wb["Findings"])
    assert {r[0] for r in rows} <= {"error", "warning", "info"}
    by_rule = {r.code: r for r in RULES}
    assert all(r[4] == by_rule[r[3]].title_en for r in rows)
    assert any(r[11] == "Finding number 0 for client 61000000" for r in rows)


def test_more_rows_than_a_sheet_holds_continue_on_further_sheets(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_mod, "MAX_SHEET_ROWS", 6)  # header + 5 findings per sheet
    payload = make_payload(n=21, hostile=False)
    n = len(payload["findings"])
    wb = write_and_open(payload, tmp_path)
    names = [s for s in wb.sheetnames if s.startswith("Bevindingen")]
    assert names == ["Bevindingen"] + [f"Bevindingen {i}" for i in range(2, len(names) + 1)]
    assert len(names) == -(-n // 5)
    seen = []
    for name in names:
        ws = wb[name]
        assert [c.value for c in ws[1]] == NL_HEADERS and ws.freeze_panes == "A2"
        rows = data_rows(ws)
        assert 1 <= len(rows) <= 5
        assert ws.auto_filter.ref == f"A1:M{len(rows) + 1}"
        seen += [r[12] for r in rows]
    assert sorted(seen) == sorted(f["fingerprint"] for f in payload["findings"])
    summary = [v for r in wb["Samenvatting"].iter_rows(values_only=True) for v in r if isinstance(v, str)]
    assert any("Bevindingen 2" in v for v in summary)
    assert "Regels" in wb.sheetnames and wb.sheetnames[0] == "Samenvatting"


def test_exactly_full_sheet_makes_no_empty_extra_sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_mod, "MAX_SHEET_ROWS", 4)
    payload = make_payload(n=0, hostile=False)
    payload["findings"] = [make_finding(i) for i in range(6)]
    wb = write_and_open(payload, tmp_path)
    assert [s for s in wb.sheetnames if s.startswith("Bevindingen")] == ["Bevindingen", "Bevindingen 2"]


def test_no_findings(tmp_path):
    payload = make_payload(n=0, hostile=False)
    payload["findings"] = []
    wb = write_and_open(payload, tmp_path)
    ws = wb["Bevindingen"]
    assert [c.value for c in ws[1]] == NL_HEADERS and data_rows(ws) == []


def test_personal_data_masked(tmp_path, monkeypatch):
    monkeypatch.setattr(vm, "_load_masker", lambda: (lambda t: t.replace(NATNR, "***")))
    payload = make_payload(n=10)
    payload["findings"][0]["klantnummer"] = NATNR
    payload["unrecognised"][0]["headers"].append(NATNR)
    wb = write_and_open(payload, tmp_path)
    values = [v for ws in wb for r in ws.iter_rows(values_only=True) for v in r if isinstance(v, str)]
    assert not [v for v in values if NATNR in v]
    assert any("***" in v for v in values)


def test_write_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "rapport.xlsx"
    write_xlsx(make_payload(n=5), path)
    first = path.read_bytes()
    assert list(tmp_path.iterdir()) == [path]

    def boom(*a, **k):
        raise RuntimeError("killed")

    monkeypatch.setattr(xlsx_mod, "_summary", boom)
    with pytest.raises(RuntimeError):
        write_xlsx(make_payload(n=5), path)
    assert path.read_bytes() == first and list(tmp_path.iterdir()) == [path]


def test_split_workbooks_hold_only_their_organisation(tmp_path):
    payload = make_payload(n=40)
    write_split(payload, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "Centrum_Oost.xlsx")
    rows = data_rows(wb["Bevindingen"])
    assert rows and {r[5] for r in rows} == {"Centrum Oost"}
    assert len(rows) == sum(1 for f in payload["findings"] if f["organisatie"] == "Centrum Oost")
    assert wb["Samenvatting"]["A1"].value.endswith("Centrum Oost")


# --------------------------------------------------------------------------- written by a child process


def _sheet_values(path: Path) -> dict:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {name: list(wb[name].iter_rows(values_only=True)) for name in wb.sheetnames}
    finally:
        wb.close()


@pytest.mark.skipif(not xlsx_mod.can_fork(), reason="the workbook is forked out on Linux only")
def test_forked_workbook_is_the_in_process_one(tmp_path):
    payload = make_payload(n=60)
    write_xlsx(payload, tmp_path / "a.xlsx")
    job = xlsx_mod.XlsxJob(payload, tmp_path / "b.xlsx", fork=True)
    assert job.pid is not None and not (tmp_path / "b.xlsx").exists()
    rows_dir = job.rows_dir
    job.finish()
    assert not Path(rows_dir).exists()
    assert job.seconds is not None and job.seconds >= 0
    assert _sheet_values(tmp_path / "a.xlsx") == _sheet_values(tmp_path / "b.xlsx")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "in-process"])
def test_an_error_writing_the_workbook_is_raised_by_finish_as_is(tmp_path, monkeypatch, fork):
    """The child's error comes back as the same exception (the CLI shows the same line, exit code
    as for an in-process write); no temporary file stays, nothing is put in place."""
    if fork and not xlsx_mod.can_fork():
        pytest.skip("the workbook is forked out on Linux only")

    def boom(payload, path, *a, **k):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(xlsx_mod, "write_workbook", boom)
    job = xlsx_mod.XlsxJob(make_payload(n=5), tmp_path / "rapport.xlsx", fork=fork)
    with pytest.raises(OSError) as e:
        job.finish()
    assert e.value.errno == 28 and e.value.strerror == "No space left on device"
    assert ".rapport.xlsx." in e.value.filename
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not xlsx_mod.can_fork(), reason="the workbook is forked out on Linux only")
def test_abort_stops_the_child_and_removes_its_file(tmp_path, monkeypatch):
    import os
    import time

    def slow(payload, path, *a, **k):
        Path(path).write_bytes(b"half")
        time.sleep(60)

    monkeypatch.setattr(xlsx_mod, "write_workbook", slow)
    job = xlsx_mod.XlsxJob(make_payload(n=5), tmp_path / "rapport.xlsx", fork=True)
    pid, rows_dir = job.pid, job.rows_dir
    assert Path(rows_dir).is_dir()
    t0 = time.monotonic()
    job.abort()
    assert time.monotonic() - t0 < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped
    assert list(tmp_path.iterdir()) == [] and not Path(rows_dir).exists(), "no file left behind, not even XlsxWriter's"


def test_zip_parts_deflated_at_the_report_level(tmp_path, monkeypatch):
    """rapport.xlsx's parts are deflated by ISA-L at xlsx.ISAL_LEVEL (python-isal), or without it
    by zlib at xlsx.ZIP_LEVEL (XlsxWriter has no option for either); every part reads back whole
    (zipfile checks each one's CRC), and XlsxWriter's own ZipFile is left as it was."""
    import zipfile
    import zlib

    from xlsxwriter import workbook as xw

    from dossiercheck.reports import xlsx

    before = xw.ZipFile
    payload = {"findings": [{"rule": "GEN001", "severity": "error", "message": "m " * 5000}], "rules": []}
    assert xlsx._isal_zlib is not None, "python-isal is a dependency"
    levels = []
    real = xlsx._isal_zlib.compressobj
    monkeypatch.setattr(xlsx._isal_zlib, "compressobj", lambda level, *a: levels.append(level) or real(level, *a))
    xlsx.write_workbook(payload, tmp_path / "isal.xlsx")
    monkeypatch.setattr(xlsx, "_isal_zlib", None)
    xlsx.write_workbook(payload, tmp_path / "zlib.xlsx")
    assert xw.ZipFile is before
    parts = {}
    for name in ("isal", "zlib"):
        with zipfile.ZipFile(tmp_path / f"{name}.xlsx") as z:
            infos = z.infolist()
            assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in infos)
            parts[name] = {i.filename: z.read(i) for i in infos}
            if name == "isal":
                assert levels == [xlsx.ISAL_LEVEL] * len(infos)
            else:
                info = max(infos, key=lambda i: i.file_size)
                comp = zlib.compressobj(xlsx.ZIP_LEVEL, zlib.DEFLATED, -15)
                data = parts[name][info.filename]
                assert info.compress_size == len(comp.compress(data) + comp.flush())
    # the same parts either way (docProps/core.xml holds the time of writing)
    assert parts["isal"].keys() == parts["zlib"].keys()
    same = [n for n in parts["isal"] if n != "docProps/core.xml"]
    assert [parts["isal"][n] for n in same] == [parts["zlib"][n] for n in same]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("history", [False, True])
def test_finding_columns_are_the_finding_rows(lang, history):
    """xlsx._finding_columns (how Bevindingen is written) holds exactly the cells of
    _finding_rows, column by column, also for odd values and an unhashable one."""
    from dossiercheck.reports import viewmodel as vm

    payload = make_payload(n=80, history=history)
    findings = payload["findings"]
    findings[1]["row"] = "7"
    findings[2]["message_en"] = ""
    findings[3]["fingerprint"] = 12
    findings[4]["klantnummer"] = None
    rules, mask = vm.RuleTexts(lang), vm.make_masker()
    rows = list(xlsx_mod._finding_rows(findings, lang, rules, mask, history))
    assert xlsx_mod._finding_columns(findings, lang, rules, mask, history) == [list(c) for c in zip(*rows)]
    findings[5]["organisatie"] = ["a", "list"]  # unhashable: the row-by-row way
    rows = list(xlsx_mod._finding_rows(findings, lang, rules, mask, history))
    assert xlsx_mod._finding_columns(findings, lang, rules, mask, history) == [list(c) for c in zip(*rows)]
    assert xlsx_mod._finding_columns([], lang, rules, mask, history) == [[] for _ in rows[0]]
