"""Nothing leaked: an audit of exports seeded with national numbers, e-mail addresses and phone
numbers in free text (and in cells that findings quote) writes none of them unmasked, in the
HTML, the Excel workbook (every sheet, read back with openpyxl) or findings.json; hostile text
(script tags, attribute breakers, spreadsheet formulas) is inert text in every output; and the
audit makes no network connection (it runs here with sockets blocked)."""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from dossiercheck.reports.masking import mask_payload
from dossiercheck.run import RunOptions, run_audit


def national_number(yymmdd: str, serial: int) -> str:
    base = f"{yymmdd}{serial:03d}"
    return f"{base}{97 - int(base) % 97:02d}"


RRN = national_number("850730", 33)
RRN_WRITTEN = f"{RRN[:2]}.{RRN[2:4]}.{RRN[4:6]}-{RRN[6:9]}.{RRN[9:]}"
RRN2 = national_number("020314", 150)  # born in 2002: the check includes a leading 2
RRN2 = f"{RRN2[:9]}{97 - int('2' + RRN2[:9]) % 97:02d}"
EMAIL, EMAIL2, EMAIL3 = "jan.peeters@telenet.be", "an.smet@gmail.com", "info@campus-x.be"
PHONE, PHONE2, PHONE3 = "0475 12 34 56", "+32 475 98 76 54", "09/123 45 67"
PHONE_TABS = "0486\t11\t22\t33"  # groups split by tabs (a paste from a spreadsheet)
PII = [RRN, RRN_WRITTEN, RRN2, EMAIL, EMAIL2, EMAIL3, PHONE, PHONE2, PHONE3, PHONE_TABS]

SCRIPT = '<script>alert("dc-xss")</script>'
IMG = '"><img src=x onerror=alert("dc-img")>'
CMD = "=cmd|' /C calc'!A0"
AT_SUM = "@SUM(1+1)"
HYPERLINK = '=HYPERLINK("http://evil.example","klik")'
PLUS = "+1+cmd|' /C notepad'!A0"
HOSTILE = [SCRIPT, IMG, CMD, AT_SUM, HYPERLINK, PLUS]
SVG_SHEET = '"><svg onload=alert(9)>'


def write_inputs(folder: Path) -> None:
    folder.mkdir()
    wb = xlsxwriter.Workbook(str(folder / "klantendossiers.xlsx"), {"strings_to_formulas": False,
                                                                     "strings_to_numbers": False})
    lijnen = wb.add_worksheet("Stappen naar werk")
    rows = [
        ["Klantnummer", "Stap", "Toestand", "Startdatum", "Einddatum", "Samenvatting", "Organisatie"],
        # free text with personal data: OUT008 (active outplacement line)
        ["61000001", "Outplacement", "Bezig", "03/02/2025", "",
         f"Klant belt vanaf {PHONE}, mail {EMAIL}, rijksregister {RRN_WRITTEN}.", "Outplacement Oost"],
        # cells that findings quote, holding personal data
        [PHONE3, "Outplacement", "Bezig", "03/02/2025", "", "", "Outplacement Oost"],          # DAT004
        ["61000003", "Outplacement", RRN, "03/02/2025", "", "", EMAIL3],                         # DAT003
        ["61000004", "Outplacement", "Bezig", EMAIL2, "", "", "Outplacement Oost"],              # DAT002
        ["61000009", "Outplacement", "Bezig", f"tel {PHONE_TABS}", "", "", "Outplacement Oost"],  # DAT002
        # hostile text
        [SCRIPT, SCRIPT, "Bezig", "03/02/2025", "", SCRIPT, SCRIPT],
        ["61000006", "Outplacement", IMG, CMD, "", IMG, CMD],
        [AT_SUM, "Outplacement", "Bezig", "03/02/2025", PLUS, HYPERLINK, AT_SUM],
        ["61000008", HYPERLINK, "Bezig", "03/02/2025", HYPERLINK, PLUS, HYPERLINK],
    ]
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            lijnen.write_string(r, c, v)
    other = wb.add_worksheet(SVG_SHEET[:31])
    other.write_row(0, 0, ["Contact", f"mail {EMAIL2}", f"tel {PHONE2}", SCRIPT, CMD])
    wb.add_worksheet(EMAIL[:31]).write_row(0, 0, ["Naam", RRN])
    wb.close()
    # gesprekken as a CSV whose name is hostile too: LBC014 on the feedback
    lines = [
        "Cheque nr;Datum gesprek;Naam begeleider;Type gesprek;Duurtijd;Feedback",
        f"12345678901;03/02/2025;Janssens Thomas;Intake gesprek;1u30;Bel {PHONE2} of mail {EMAIL2} ({RRN2})",
        f"12345678902;04/02/2025;{SCRIPT};Intake gesprek;1u;{IMG}",
        f"12345678903;05/02/2025;{CMD};Intake gesprek;{AT_SUM};{HYPERLINK}",
    ]
    (folder / "gesprekken =SUM(1+1) <b>.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))


def _no_network(*args, **kwargs):
    raise AssertionError("dossiercheck tried to open a network connection")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("leaks")
    write_inputs(tmp / "in")
    mp = pytest.MonkeyPatch()
    mp.setattr(socket, "socket", _no_network)
    mp.setattr(socket, "create_connection", _no_network)
    mp.setattr(socket, "getaddrinfo", _no_network)
    try:
        outcome = run_audit(RunOptions(paths=[str(tmp / "in")], peildatum=dt.date(2025, 6, 15), out_dir=tmp / "out",
                                       formats=["html", "xlsx", "json"], lang="nl", no_history=True))
    finally:
        mp.undo()
    return tmp / "out", outcome


def test_audit_runs_with_sockets_blocked(outputs):
    out, outcome = outputs
    assert sorted(p.name for p in outcome.written) == ["findings.json", "rapport.html", "rapport.xlsx"]
    rules = {f["rule"] for f in outcome.payload["findings"]}
    assert {"OUT008", "LBC014", "DAT002", "DAT003", "DAT004"} <= rules, rules


def xlsx_cells(path: Path) -> list[tuple[str, str, object, str]]:
    """(sheet, coordinate, value, data type) of every cell of every sheet."""
    wb = openpyxl.load_workbook(path)
    out = [(ws.title, c.coordinate, c.value, c.data_type) for ws in wb.worksheets for row in ws.iter_rows() for c in row
           if c.value is not None]
    return out


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


@pytest.mark.parametrize("fmt", ["html", "json", "xlsx"])
def test_no_personal_data_unmasked(outputs, fmt):
    out, _ = outputs
    if fmt == "xlsx":
        texts = [str(v) for *_, v, _t in xlsx_cells(out / "rapport.xlsx")]
        wb = openpyxl.load_workbook(out / "rapport.xlsx")
        texts += [ws.title for ws in wb.worksheets]
    else:
        texts = [(out / f"{'rapport.html' if fmt == 'html' else 'findings.json'}").read_text("utf-8")]
        if fmt == "json":  # the decoded strings too (escapes aside)
            texts.append(json.dumps(json.loads(texts[0]), ensure_ascii=False))
    for text in texts:
        for value in PII:
            assert value not in text, f"{value!r} unmasked in {fmt}"
        digit_runs = set(re.findall(r"\d{9,}", _digits(" ".join(re.findall(r"[\d .\-/+]{9,}", text)))))
        for value in (RRN, RRN2, _digits(PHONE2)[2:], _digits(PHONE)):
            assert not any(value in run for run in digit_runs if len(run) <= 13), f"{value} (digits) in {fmt}"
    assert "***" in "".join(texts), "masked values show as ***"


def _strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for x in v.values():
            yield from _strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from _strings(x)


def test_phone_number_with_tabs_is_masked_in_json(outputs):
    """JSON escapes a tab, so the text search above cannot see this one in findings.json: the
    decoded strings are searched. (The JSON masking once skipped texts whose digit groups were
    split by tabs; the reports masked them.)"""
    out, outcome = outputs
    assert any(PHONE_TABS in s for s in _strings(outcome.payload["findings"])), "a finding quotes it"
    found = list(_strings(json.loads((out / "findings.json").read_text("utf-8"))))
    assert not any(PHONE_TABS in s for s in found)
    assert any("tel ***" in s for s in found)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_text.append(data)


def test_hostile_text_is_escaped_in_html(outputs):
    out, _ = outputs
    html = (out / "rapport.html").read_text("utf-8")
    p = _Elements()
    p.feed(html)
    assert not any("dc-xss" in s or "dc-img" in s for s in p.script_text), "input text inside a <script>"
    assert not [t for t, a in p.tags if t == "img"], "an element from the input"
    handlers = [a for _, a in p.tags if any(k.startswith("on") and "alert(" in (v or "") for k, v in a.items())]
    assert not handlers, "an event handler from the input"
    assert SCRIPT not in html and "<img src=x" not in html and "<svg onload" not in html
    assert "&lt;script&gt;alert(" in html, "the script text is shown, escaped"


def test_hostile_text_is_a_string_never_a_formula_in_xlsx(outputs):
    out, _ = outputs
    cells = xlsx_cells(out / "rapport.xlsx")
    formulas = [(s, c, v) for s, c, v, t in cells if t == "f"]
    assert not formulas, formulas[:5]
    shown = {v for *_, v, t in cells if isinstance(v, str)}
    for needle in (CMD, AT_SUM, HYPERLINK, "cmd|' /C calc'"):
        hits = [v for v in shown if needle in v]
        assert hits, f"{needle!r} is shown as text somewhere"
    with zipfile.ZipFile(out / "rapport.xlsx") as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    # a cell that starts like a formula is stored as a string (openpyxl reads it back as text)
    starts = [v for v in shown if v.startswith(("=", "@", "+", "-"))]
    assert all(isinstance(v, str) for v in starts)


def test_hostile_text_is_plain_data_in_json(outputs):
    out, outcome = outputs
    p = json.loads((out / "findings.json").read_text("utf-8"))
    assert p == json.loads(json.dumps(mask_payload(outcome.payload), default=str)), "the payload, masked"
    text = json.dumps(p, ensure_ascii=False)
    assert "dc-xss" in text and "cmd|" in text, "hostile text is kept as data in JSON (it is inert there)"


def _walk_mask(payload):
    """The masking of findings.json as a plain recursive walk, value by value (the reference the
    column-wise :func:`mask_payload` must match exactly)."""
    from dossiercheck.reports.masking import _MAYBE, KEEP
    from dossiercheck.reports.viewmodel import CHEQUE_RE, KLANT_RE, make_masker

    mask = make_masker()

    def text(v, key):
        if key == "klantnummer" and KLANT_RE.fullmatch(v) or key == "chequenummer" and CHEQUE_RE.fullmatch(v):
            return v
        return mask(v) if _MAYBE.search(v) else v

    def walk(v, key):
        if isinstance(v, str):
            return text(v, key)
        if isinstance(v, dict):
            return {k: (x if k in KEEP else walk(x, k)) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x, key) for x in v]
        return v

    return walk(payload, None)


def test_column_wise_masking_is_the_value_by_value_walk(outputs):
    _, outcome = outputs
    payload = outcome.payload
    odd = {  # nested and mixed shapes the findings do not have today
        "rule": "X", "klantnummer": [RRN, "61000001", None, 3, {"klantnummer": EMAIL}], "chequenummer": RRN,
        "details": {"a": [[PHONE, 1.5, True], {"fingerprint": RRN, "b": (RRN,)}], "status": RRN, "c": ""},
        "value": EMAIL2,
    }
    payload = dict(payload, findings=payload["findings"] + [odd, {"rule": "Y", "message": PHONE2}], extra=[RRN, 1])
    before = json.dumps(payload, default=str)
    masked = mask_payload(payload)
    assert json.dumps(masked, default=str) == json.dumps(_walk_mask(payload), default=str)
    assert json.dumps(payload, default=str) == before, "the payload itself is not changed"
    assert RRN not in json.dumps(masked["findings"][-2]["klantnummer"]) and masked["findings"][-1]["message"] == "***"


def test_long_columns_masked_through_arrow_as_the_walk_does(monkeypatch):
    """From masking._ARROW_FROM values a column of texts is masked through Arrow: the same result
    as the value-by-value walk, for texts with personal data, keys of valid shape (ASCII digits,
    other Unicode digits, too short, too long), missing values, a column that also holds numbers
    (which goes the Python way) and a lone surrogate."""
    from dossiercheck.reports import masking

    monkeypatch.setattr(masking, "_ARROW_FROM", 10)
    arrow_calls = []
    real = masking._Masker._arrow_candidates
    monkeypatch.setattr(masking._Masker, "_arrow_candidates", lambda self, v, k: arrow_calls.append(k) or real(self, v, k))
    keys = ["61000001", "6100000123", "\u0663" * 8, "610000", "61000001234", RRN, "", None, f"klant {EMAIL}"]
    texts = [f"bel {PHONE}", f"rrn {RRN_WRITTEN}", "gewoon", "", None, "0475\t12 34 56", "12/03/2024 en 61020760"]
    findings = [
        {"rule": "X", "klantnummer": keys[i % len(keys)], "chequenummer": (keys[::-1] + ["12345678901"])[i % 10],
         "message": texts[i % len(texts)] if i % 3 == 0 or texts[i % len(texts)] is None else f"{texts[i % len(texts)]} {i}", "details": {"n": [i, texts[i % len(texts)]][i % 2]},
         "value": "bad \ud800 0475123456" if i == 5 else texts[(i + 1) % len(texts)]}
        for i in range(60)
    ]
    payload = {"findings": findings}
    masked = mask_payload(payload)
    assert json.dumps(masked, default=str) == json.dumps(_walk_mask(payload), default=str)
    assert {"klantnummer", "chequenummer", "message"} <= set(arrow_calls), "the long text columns went through Arrow"
    # (an 11-digit chequenummer is kept as it is, even one that passes the national-number check)
    shown = json.dumps([{k: v for k, v in f.items() if k != "chequenummer"} for f in masked["findings"]], default=str)
    assert RRN not in shown and PHONE not in shown and EMAIL not in shown


def test_report_masker_is_mask_pii():
    """The reports' memoised masker (with its cheap pre-check) masks exactly as ``mask_pii``."""
    from dossiercheck.checks.pii import mask_pii
    from dossiercheck.reports.viewmodel import make_masker

    mask = make_masker()
    texts = PII + [f"x {p} y" for p in PII] + [
        "0475\\t12 34 56".replace("\\t", "\t"), "+32 (0)475 12 34 56", "é 0475123456", "0475 / 12 34 56",
        "12345678", "1234 5678 9", "12/05/2025 en 13/06/2025", "cheque 12345678901", "", "gewone tekst",
    ]
    assert [mask(t) for t in texts] == [mask_pii(t) for t in texts]


@pytest.mark.parametrize(
    "odd",
    [None, 2**70, "key", "nested-rule", "first-key"],
    ids=["orjson", "int-beyond-64-bits", "non-text-key", "nested-object-keyed-rule", "first-key-not-rule"],
)
def test_findings_json_is_the_masked_payload_whichever_encoder(tmp_path, odd):
    """payload.write_json encodes the findings with orjson (the whole list at once, split into
    lines where each finding starts; one by one when a finding is shaped otherwise), one per line;
    a value orjson refuses sends them all through json instead. Every way the file reads back as
    the masked payload, one finding per line."""
    from report_fixtures import make_payload

    from dossiercheck.reports import payload as payload_mod

    p = make_payload(n=60)
    if odd == "key":
        p["findings"][3]["details"] = {7: "a key that is a number"}
    elif odd == "nested-rule":  # looks like the start of a finding, inside one
        p["findings"][3]["details"] = {"x": [{"rule": "A"}, {"rule": "B, {\"rule\": C"}]}
    elif odd == "first-key":
        f = p["findings"][3]
        p["findings"][3] = {"message": f["message"], **{k: v for k, v in f.items() if k != "message"}}
    elif odd is not None:
        p["findings"][3]["value"] = odd
    path = tmp_path / "findings.json"
    payload_mod.write_json(p, path)
    text = path.read_text("utf-8")
    want = json.loads(json.dumps(mask_payload(p), ensure_ascii=False, default=str))
    assert json.loads(text) == want
    lines = text.splitlines()
    start = lines.index(' "findings": [')
    assert [json.loads(line.rstrip(",")) for line in lines[start + 1 : start + 1 + len(p["findings"])]] == want["findings"]
    # orjson's compact objects, json's spaced ones
    assert ('{"rule":"' in text or '{"message":"' in text) == (odd in (None, "nested-rule", "first-key"))


def test_findings_lines_come_from_one_orjson_call(monkeypatch):
    """The usual case: the whole list in one orjson call, split into the lines one call per finding
    would give."""
    import types

    import orjson
    from report_fixtures import make_payload

    from dossiercheck.reports import payload as payload_mod

    findings = mask_payload(make_payload(n=60))["findings"]
    one_by_one = b",\n  ".join(orjson.dumps(f, default=str, option=payload_mod._ORJSON_OPTS) for f in findings)
    calls = []

    def dumps(*a, **k):
        calls.append(1)
        return orjson.dumps(*a, **k)

    fake = types.SimpleNamespace(dumps=dumps, JSONEncodeError=orjson.JSONEncodeError)
    monkeypatch.setattr(payload_mod, "orjson", fake)
    assert payload_mod._finding_lines(findings) == one_by_one
    assert len(calls) == 1
