"""The bad-input corpus (tests/corpus/): every hostile or broken file ends in findings or in one
clear line and exit 2, never a traceback or a hang; and nothing is lost: the rows read per table
equal the data rows in the source, counted here independently (csv module, openpyxl), and every
cell that fails to parse is a finding at its source row.

The corpus is generated into a temporary folder by tests/corpus/make_corpus.py (the zip bombs are
a few MB on disk but declare gigabytes); tests/corpus/cases.yaml says what each case must do.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from corpus import runner
from dossiercheck.parsing import parser_for
from dossiercheck.schemas import rrn_valid
from dossiercheck.tables import TABLES
from dossiercheck.text import normalise

csv.field_size_limit(1 << 30)  # the corpus holds a 1 MB cell
CASES = runner.cases()
READ = [c for c in CASES if c["exit"] != 2]
ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """(corpus folder, {case id: Run}): every case run once through the CLI, two at a time."""
    root = tmp_path_factory.mktemp("corpus")
    return runner.corpus_dir(root), runner.run_all(root)


def _one_line_no_traceback(run: runner.Run) -> None:
    assert "Traceback" not in run.stderr and "panicked" not in run.stderr, run.stderr[-2000:]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_corpus_case(corpus, case):
    _, runs = corpus
    run = runs[case["id"]]
    assert run.rc is not None, f"no result within {runner.TIMEOUT} s (hang?)"
    assert run.seconds < runner.TIMEOUT
    _one_line_no_traceback(run)
    if case["exit"] == 2:
        assert run.rc == 2, (run.rc, run.stderr, run.stdout[-500:])
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1, run.stderr
        assert lines[0].startswith("dossiercheck: ")
        for fragment in case["error"]:
            assert fragment in lines[0], lines[0]
        assert run.payload is None, "a refused run writes no report"
        return
    assert run.rc == case["exit"], (run.rc, run.stderr)
    assert run.stderr.strip() == "", "a run that reads its input writes nothing on stderr"
    p = run.payload
    assert p is not None
    assert p["summary"]["rows_per_table"] == case["rows"]
    assert p["summary"]["rows_read"] == sum(case["rows"].values()) == sum(i["rows"] for i in p["inputs"])
    several = len({i["file"] for i in p["inputs"]}) > 1
    got = Counter(f"{f['rule']} {f['file'] + ':' if several else ''}{f['row']}" for f in p["findings"])
    assert got == Counter(case["findings"])
    notes = [n for i in p["inputs"] for n in i.get("notes", [])]
    for fragment in case.get("notes", []):
        assert any(fragment in n for n in notes), notes
    assert [u["sheet"] for u in p["unrecognised"]] == case.get("unrecognised", [])


def test_every_corpus_file_has_a_case(corpus):
    root, _ = corpus
    used = set()
    for c in CASES:
        for f in c["file"] if isinstance(c["file"], list) else [c["file"]]:
            used.add(f)
    files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    missing = sorted(u for u in used if not (root / u).exists())
    assert not missing, f"make_corpus.py did not write {missing} (xlwt / msoffcrypto-tool not installed?)"
    covered = {f for f in files if f in used or any(f.startswith(u + "/") for u in used)}
    assert files - covered == set()


# --- nothing lost: rows counted independently ----------------------------------------------------


def _decode(data: bytes) -> str:
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return data.decode("utf-16")
    if b"\x00" in data[:1000]:
        return data.decode("utf-16-le" if data[1] == 0 else "utf-16-be")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _is_header(cells) -> bool:
    return any(normalise(str(v)) in ("klantnummer", "klantnr", "cheque nr", "chequenummer") for v in cells if v is not None)


def _filled(cells) -> bool:
    return any(v is not None and str(v).strip() != "" for v in cells)


def csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    """(line number, fields) of the data rows below the header, with the csv module."""
    text = _decode(path.read_bytes())
    header_line = next(line for line in text.splitlines() if _is_header(line.replace(",", ";").replace("\t", ";").split(";")))
    delimiter = max(";,\t", key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out, seen_header = [], False
    for fields in reader:
        line = reader.line_num - sum(len(re.findall(r"\r\n|\r|\n", f)) for f in fields)  # where the row starts
        if not seen_header:
            seen_header = _is_header(fields)
            continue
        if _filled(fields):
            out.append((line, fields))
    return out


def sheet_rows(path: Path, sheet: str) -> list[tuple[int, tuple]]:
    """(row number, values) of the data rows below the header, with openpyxl."""
    wb = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    try:
        ws = wb[sheet]
        out, seen_header = [], False
        for rownum, values in enumerate(ws.iter_rows(values_only=True), start=1):  # gaps come as empty rows
            if not seen_header:
                seen_header = _is_header(values)
                continue
            if _filled(values):
                out.append((rownum, values))
        return out
    finally:
        wb.close()


def _source(base: Path, shown: str) -> Path:
    p = base / shown
    return p if p.exists() else next(q for q in base.rglob("*") if q.as_posix().endswith("/" + shown))


def source_row_counts(base: Path, inputs: list[dict], given: dict | None = None) -> dict[tuple, int]:
    out = {}
    for i in inputs:
        key = (i["file"], i["sheet"])
        path = _source(base, i["file"])
        if given and i["sheet"] in given:
            out[key] = given[i["sheet"]]
        elif i["sheet"] is None:
            out[key] = len(csv_rows(path))
        else:
            out[key] = len(sheet_rows(path, i["sheet"]))
    return out


@pytest.mark.parametrize("case", READ, ids=[c["id"] for c in READ])
def test_nothing_lost_corpus(corpus, case):
    root, runs = corpus
    p = runs[case["id"]].payload
    assert p is not None
    read = {(i["file"], i["sheet"]): i["rows"] for i in p["inputs"]}
    assert read == source_row_counts(root, p["inputs"], case.get("source_rows"))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    run = runner.run_cli(runner.audit_args([str(SAMPLE)], out, "--format", "json"), out, timeout=120)
    assert run.rc == 1 and run.payload is not None, run.stderr
    return run.payload


def test_nothing_lost_sample_data(sample):
    read = {(i["file"], i["sheet"]): i["rows"] for i in sample["inputs"]}
    assert read == source_row_counts(SAMPLE, sample["inputs"])
    assert sample["summary"]["rows_read"] == sum(read.values())


def _cell_text(v) -> str:
    """An openpyxl value as the text the reader sees (dates as dates, integral numbers as digits)."""
    import datetime as dt

    if isinstance(v, dt.datetime):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def test_every_unparseable_sample_cell_is_a_finding_at_its_row(sample):
    """Each cell of the sample that its column type cannot parse (checked cell by cell here, on
    an independent read) is a DAT002/DAT003/DAT004/DAT006 finding at that file, sheet and row."""
    found = {(f["file"], f["sheet"], f["row"]) for f in sample["findings"] if f["rule"] in ("DAT002", "DAT003", "DAT004", "DAT006")}
    bad = set()
    for i in sample["inputs"]:
        table = TABLES[i["table"]]
        path = _source(SAMPLE, i["file"])
        if i["sheet"] is None:
            text = _decode(path.read_bytes())
            rows = csv_rows(path)
            header = next(r for r in csv.reader(io.StringIO(text, newline=""), delimiter=max(";,\t", key=text.count))
                          if _is_header(r))
        else:
            rows = sheet_rows(path, i["sheet"])
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            header = next(tuple(c.value for c in r) for r in wb[i["sheet"]].iter_rows() if _is_header([c.value for c in r]))
            wb.close()
        pos = {}
        for col, head in i["columns"].items():
            pos[col] = [str(h).strip() if h is not None else "" for h in header].index(head.strip())
        for rownum, values in rows:
            for col, k in pos.items():
                v = values[k] if k < len(values) else None
                if v is None or _cell_text(v) == "":
                    continue
                c = table.column(col)
                if c.type == "rrn":
                    ok = rrn_valid(_cell_text(v))
                elif c.type in ("enum", "klantnummer", "chequenummer", "date", "datetime", "month", "duration",
                                "money", "number", "bool"):
                    ok = parser_for(c)(_cell_text(v))[1] is None
                else:
                    continue
                if not ok:
                    bad.add((i["file"], i["sheet"], rownum))
    assert bad, "the sample plants unparseable cells"
    assert bad <= found, sorted(bad - found)


# --- the refusal messages ---------------------------------------------------------------------------


def test_input_messages_exist_in_dutch_and_english_and_stay_one_line():
    import string

    from dossiercheck.io.workbook import MESSAGES, InputError

    fields = string.Formatter()
    for key, texts in MESSAGES.items():
        assert set(texts) == {"nl", "en"}, key
        names = [{f[1] for f in fields.parse(texts[lang]) if f[1]} for lang in ("nl", "en")]
        assert names[0] == names[1], key
        params = {n: "x\ny" for n in names[0] - {"hint"}} | {"file": "map/a\r\nb.xlsx", "sheet": "Blad\n1"}
        if "hint" in names[0]:
            params["limit_key"] = "max_cells"
        e = InputError(key, **params)
        for lang in ("nl", "en"):
            line = e.render(lang)
            assert "\n" not in line and "\r" not in line and line.startswith("map/a b.xlsx [Blad 1]: "), line
        assert str(e) == e.render("nl")
