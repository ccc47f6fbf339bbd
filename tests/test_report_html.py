"""rapport.html, index.html and the per-organisation split, checked structurally.

The hand-built payloads are in report_fixtures.py (shared with the xlsx and browser tests).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from html.parser import HTMLParser

import pytest

from dossiercheck.checks.registry import RULES
from dossiercheck.reports import html as html_mod
from dossiercheck.reports import i18n
from dossiercheck.reports import viewmodel as vm
from dossiercheck.reports.html import render_html, write_html
from dossiercheck.reports.split import safe_stem, unique_stems, write_split
from report_fixtures import (
    NATNR, XSS_IMG, XSS_SCRIPT, by_severity, make_finding, make_payload,
)

# --------------------------------------------------------------------------- parsing


class Page(HTMLParser):
    """Collects what the tests look at: tags, finding rows, script bodies, text by element id."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.rows: list[dict] = []  # finding rows: attrs + text
        self.seq: list[tuple[str, dict]] = []  # organisation (gh), client (ch) and finding (f) rows in order
        self.scripts: list[tuple[dict, str]] = []
        self.ids: dict[str, dict] = {}
        self._row: dict | None = None
        self._script: tuple[dict, list] | None = None
        self._capture: list[tuple[str, list[str], int]] = []  # (id, text parts, depth)
        self._depth = 0
        self.text_parts: list[str] = []
        self.feed(text)
        self.close()

    VOID = {"meta", "input", "br", "img", "link", "hr", "rect", "circle", "line", "polyline"}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids[a["id"]] = a
        if tag == "tr" and "f" in (a.get("class") or "").split():
            self._row = {"attrs": a, "text": []}
        if tag == "tr" and (a.get("class") or "").split()[:1] in (["gh"], ["ch"], ["f"]):
            self.seq.append((a["class"].split()[0], a))
        if tag in ("script", "style"):
            self._script = (a, [])
        if tag not in self.VOID:
            self._depth += 1
            if "id" in a:
                self._capture.append((a["id"], [], self._depth))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "tr" and self._row is not None:
            self._row["text"] = " ".join(" ".join(self._row["text"]).split())
            self.rows.append(self._row)
            self._row = None
        if tag in ("script", "style") and self._script is not None:
            if tag == "script":
                self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None
        if tag not in self.VOID:
            while self._capture and self._capture[-1][2] >= self._depth:
                cid, parts, _ = self._capture.pop()
                self.ids[cid] = {**self.ids.get(cid, {}), "_text": " ".join(" ".join(parts).split())}
            self._depth -= 1

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)
            return
        self.text_parts.append(data)
        if self._row is not None:
            self._row["text"].append(data)
        for _, parts, _ in self._capture:
            parts.append(data)

    def text(self, element_id: str) -> str:
        return self.ids.get(element_id, {}).get("_text", "")

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())


def page(payload: dict, **kw) -> tuple[str, Page]:
    out = render_html(payload, **kw)
    return out, Page(out)


@pytest.fixture
def no_masking(monkeypatch):
    monkeypatch.setattr(vm, "_load_masker", lambda: None)


# --------------------------------------------------------------------------- content


def test_every_finding_is_a_row_with_its_texts():
    payload = make_payload(n=60)
    _, p = page(payload)
    assert len(p.rows) == len(payload["findings"])
    texts = [r["text"] for r in p.rows]
    mask = vm.make_masker()
    by_rule = {r.code: r for r in RULES}
    for f in payload["findings"]:
        rule = by_rule[f["rule"]]
        hit = [t for t in texts if mask(f["message"]) in t and f["rule"] in t]
        assert hit, f"finding {f['fingerprint']} missing"
        t = hit[0]
        assert rule.title_nl in t and rule.hint_nl in t and vm.manual_ref(rule.source) in t
        assert f"rij {f['row']}" in t and f["file"] in t
    # Each row carries its filter keys.
    sevs = sorted(r["attrs"]["data-s"] for r in p.rows)
    assert sevs == sorted(f["severity"] for f in payload["findings"])
    assert {r["attrs"]["data-r"] for r in p.rows} == {f["rule"] for f in payload["findings"]}


def test_grouped_by_organisation_then_client():
    payload = make_payload(n=40, hostile=False)
    out, p = page(payload)
    # One header row per organisation, alphabetical, "zonder organisatie" last.
    groups = [a for kind, a in p.seq if kind == "gh"]
    assert len(groups) == len({f["organisatie"] for f in payload["findings"]})
    heads = re.findall(r'<tr class="gh" data-o="\d+"><th[^>]*><h3>([^<]*)</h3>', out)
    assert len(heads) == len(groups) and heads[-1] == "(zonder organisatie)"
    assert heads[:-1] == sorted(heads[:-1], key=str.casefold)
    # Each finding sits under its organisation's header and right under its client's header;
    # a client's findings are contiguous.
    org = client = None
    seen = set()
    for kind, a in p.seq:
        if kind == "gh":
            org, client = a["data-o"], None
        elif kind == "ch":
            assert a["data-g"] not in seen, "a client's findings are split"
            seen.add(a["data-g"])
            client = a["data-g"]
        else:
            assert (a["data-o"], a["data-g"]) == (org, client)
    assert sum(1 for kind, _ in p.seq if kind == "f") == len(payload["findings"])


def test_rows_travel_as_raw_text_for_the_page_script():
    """Every row is in <noscript id="all-rows"> (raw text when scripting is on, a table when it is
    off); the page script splits that text at '<tr class="' and each row's first '</tr>', which
    holds only because data never brings a '<' of its own."""
    payload = make_payload(n=40, history=True)
    payload["findings"][0]["message"] = "x </noscript></tr><tr class=\"f\"><img src=x onerror=alert(1)> y"
    out, p = page(payload)
    assert out.count("<noscript") == 1 and out.count("</noscript>") == 1
    start, end = out.index('<noscript id="all-rows">'), out.index("</noscript>")
    inside = out[start:end]
    assert '<tbody id="view"></tbody>' in out[:start]  # the visible table starts empty
    assert '<tr class="' not in out[:start] and '<tr class="' not in out[end:]
    chunks = inside.split('<tr class="')[1:]
    assert len(chunks) == len(p.seq) == len(p.rows) + sum(1 for kind, _ in p.seq if kind != "f")
    for chunk in chunks:
        assert chunk.count("</tr>") == 1 and "<noscript" not in chunk
    assert "x &lt;/noscript&gt;&lt;/tr&gt;&lt;tr class=&#34;f&#34;&gt;&lt;img" in inside
    # the page script's table has the filter keys' columns, with a sort key on each sortable head
    keys = [a.get("data-key") for t, a in p.tags if t == "th" and "data-key" in a]
    assert keys == ["sev", "status", "rule", "klant", "org", "msg", "src"]


def test_summary_cards_charts_inputs_rules_config():
    payload = make_payload(n=40)
    out, p = page(payload)
    sev = by_severity(payload["findings"])
    for s in ("error", "warning", "info"):
        assert p.text(f"card-{s}").startswith(i18n.fmt_int(sev[s], "nl"))
    # inputs: file, sheet, table, header row, rows
    inputs = p.text("inputs")
    assert "lijnen.xlsx" in inputs and "Stappen naar werk" in inputs and "1.204" in inputs and "3" in inputs
    assert "x.csv" in p.text("unrecognised")
    # charts are inline SVG
    assert out.count("<svg") >= 2 and "http" not in re.sub(r'HYPERLINK\(&#34;http://x|xmlns="http://www.w3.org/2000/svg"|http-equiv', "", out)
    # rules not evaluated, with the reason in Dutch
    ne = p.text("not-evaluated")
    last = RULES[-1]
    assert last.code in ne and "tabel categorieen niet aangeleverd" in ne
    # config values
    cfg = p.text("config")
    assert "abo.warn_days" in cfg and "21" in cfg and "report.max_html_rows" in cfg


def test_cap_keeps_most_severe_and_says_so():
    payload = make_payload(n=200, hostile=False)
    total = len(payload["findings"])
    sev = by_severity(payload["findings"])
    cap = sev["error"] + 5  # every error, a few warnings
    out, p = page(payload, max_rows=cap)
    assert len(p.rows) == cap
    shown = by_severity([{"severity": r["attrs"]["data-s"]} for r in p.rows])
    assert shown["error"] == sev["error"] and shown["warning"] == 5 and shown["info"] == 0
    notice = p.text("cap-notice")
    assert i18n.fmt_int(cap, "nl") in notice and i18n.fmt_int(total, "nl") in notice
    assert "rapport.xlsx" in notice
    # counts and charts still cover every finding
    assert p.text("card-warning").startswith(str(sev["warning"]))
    bar_totals = re.findall(r'<text class="val" x="[\d.]+" y="[\d.]+"(?: font-style="italic")?>([\d.]+)</text>', out)
    assert sum(int(v.replace(".", "")) for v in bar_totals) == 2 * total  # rule chart + org chart


def test_no_cap_notice_under_the_limit():
    _, p = page(make_payload(n=20), max_rows=20000)
    assert "cap-notice" not in p.ids


def test_zero_rows_and_no_findings():
    payload = make_payload(n=10)
    _, p = page(payload, max_rows=0)
    assert p.rows == [] and "cap-notice" in p.ids
    empty = make_payload(n=0, hostile=False)
    empty["findings"] = []
    _, p = page(empty)
    assert p.rows == [] and "no-findings" in p.ids and "findings" not in p.ids


def test_unknown_rule_code_and_odd_values_render():
    payload = make_payload(n=5, hostile=False)
    f = make_finding(99)
    f.update(rule="XYZ999", severity="error", row=None, rows=[], file=None, sheet=None, klantnummer=12345678,
             message_en=None)
    payload["findings"].append(f)
    _, p = page(payload, lang="en")
    assert any("XYZ999" in r["text"] for r in p.rows)


# --------------------------------------------------------------------------- safety


def test_hostile_text_is_only_ever_escaped():
    payload = make_payload(n=10, history=True)
    out, p = page(payload)
    assert XSS_SCRIPT not in out and "<img" not in out
    assert not any(t == "img" for t, _ in p.tags)
    # the only scripts are the JSON data block and the page script; neither holds data
    assert [a.get("type") for a, _ in p.scripts] == ["application/json", None]
    assert all("alert" not in body for _, body in p.scripts)
    # no attribute anywhere carries an event handler
    assert not any(k.startswith("on") for _, a in p.tags for k in a)
    # ...and the texts are there, as text
    text = p.all_text
    assert f"Bevat {XSS_SCRIPT}" in text
    assert XSS_IMG in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_templates_never_mark_data_safe():
    env = html_mod.environment()
    assert env.autoescape is True
    for tpl in html_mod.TEMPLATES.glob("*.j2"):
        src = tpl.read_text(encoding="utf-8")
        assert "|safe" not in src.replace(" ", "") and "Markup" not in src and "autoescape false" not in src


def test_json_block_is_escaped_for_a_script_context(monkeypatch):
    evil = "</script><script>alert(1)</script> & ' <!--"
    monkeypatch.setitem(i18n.TEXT["nl"], "no_match", evil)
    out, p = page(make_payload(n=5))
    data = [body for a, body in p.scripts if a.get("type") == "application/json"][0]
    assert "<" not in data and ">" not in data and "&" not in data
    assert json.loads(data)["no_match"] == evil
    assert out.count("<script") == 2


def test_csp_allows_only_the_page_script():
    out, p = page(make_payload(n=5))
    csp = [a["content"] for t, a in p.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"][0]
    assert "default-src 'none'" in csp and "http" not in csp
    body = [b for a, b in p.scripts if a.get("type") is None][0]
    digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    # self-contained: nothing loaded from elsewhere
    assert not re.search(r'\s(?:src|href)="(?!#)', out.replace('xmlns="http://www.w3.org/2000/svg"', ""))


def test_personal_data_goes_through_mask_pii(monkeypatch):
    calls = []

    def fake(text):
        calls.append(text)
        return text.replace(NATNR, "***")

    monkeypatch.setattr(vm, "_load_masker", lambda: fake)
    payload = make_payload(n=10)
    payload["findings"][0]["klantnummer"] = NATNR  # a national number typed as klantnummer (DAT004)
    out, _ = page(payload)
    assert NATNR not in out and "***" in out
    assert any("Rijksregisternummer" in c for c in calls)


def test_real_pii_module_masks_national_numbers():
    pytest.importorskip("dossiercheck.checks.pii")
    payload = make_payload(n=5)
    out, _ = page(payload)
    assert NATNR not in out


def test_pii_module_without_mask_pii_is_refused(monkeypatch):
    import types

    fake = types.ModuleType(vm.PII_MODULE)
    monkeypatch.setitem(__import__("sys").modules, vm.PII_MODULE, fake)
    with pytest.raises(ImportError):
        render_html(make_payload(n=3))


# --------------------------------------------------------------------------- language


def _fixed_pieces(lang: str) -> list[str]:
    """Fixed strings of ``lang`` that differ in the other language (and are no rule's words)."""
    other = "en" if lang == "nl" else "nl"
    rule_words = " ".join(f"{r.title_nl} {r.title_en} {r.hint_nl} {r.hint_en} {r.source}" for r in RULES)
    pieces = []
    for key, value in i18n.TEXT[lang].items():
        if value == i18n.TEXT[other].get(key):
            continue
        pieces += [x.strip() for x in re.split(r"\{[^}]*\}", value) if len(x.strip()) > 6]
    return [x for x in pieces if x not in rule_words]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_fixed_text_is_in_one_language(lang, no_masking):
    payload = make_payload(n=30, history=True)
    _, p = page(payload, lang=lang, max_rows=10)
    text = p.all_text
    other = "en" if lang == "nl" else "nl"
    leaked = [x for x in _fixed_pieces(other) if x in text]
    assert not leaked, leaked
    assert ("html", {"lang": lang}) in [(t, {"lang": a.get("lang")}) for t, a in p.tags if t == "html"]


def test_english_uses_english_titles_and_messages():
    payload = make_payload(n=20, hostile=False)
    _, p = page(payload, lang="en")
    by_rule = {r.code: r for r in RULES}
    text = " ".join(r["text"] for r in p.rows)
    for f in payload["findings"]:
        assert f["message_en"] in text
        assert by_rule[f["rule"]].title_en in text
    assert "Reference date" in p.all_text and "table categorieen not given" in p.text("not-evaluated")


# --------------------------------------------------------------------------- history


def test_history_parts_render_when_present():
    payload = make_payload(n=30, history=True)
    out, p = page(payload)
    assert "f-status" in p.ids
    assert {r["attrs"]["data-st"] for r in p.rows} == {"nieuw", "blijvend"}
    assert "61555555" in p.text("resolved")
    waived = p.text("waived")
    assert "61444444" in waived and "Akkoord VDAB" in waived and "coach@x" in waived or "***" in waived
    assert "onbekende vingerafdruk" in p.text("waiver-problems")
    assert 'class="ln-error"' in out  # trend chart


def test_history_parts_absent_without_history():
    out, p = page(make_payload(n=30))
    for element_id in ("f-status", "resolved", "waived", "waiver-problems"):
        assert element_id not in p.ids
    assert 'class="ln-error"' not in out and not any("data-st" in a for _, a in p.tags)


# --------------------------------------------------------------------------- files


def test_write_html_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "rapport.html"
    write_html(make_payload(n=5), path)
    first = path.read_bytes()
    assert first.startswith(b"<!DOCTYPE html>") and list(tmp_path.iterdir()) == [path]

    def boom(*a, **k):
        raise RuntimeError("killed")

    monkeypatch.setattr(html_mod, "build_context", boom)
    with pytest.raises(RuntimeError):
        write_html(make_payload(n=5), path)
    assert path.read_bytes() == first and list(tmp_path.iterdir()) == [path]


def test_large_input_is_capped():
    findings = [make_finding(i) for i in range(30000)]
    payload = make_payload(n=0, hostile=False)
    payload["findings"] = findings
    out, p = page(payload, max_rows=500)
    assert len(p.rows) == 500
    assert len(out) < 2_000_000


# --------------------------------------------------------------------------- split


def test_safe_file_names():
    assert safe_stem("GO! Campus Noord") == "GO_Campus_Noord"
    assert safe_stem("École Sint-Jan / Brugge") == "Ecole_Sint-Jan_Brugge"
    assert safe_stem("../../etc/passwd") == "etc_passwd"
    assert safe_stem("..\\..\\Windows\\system32") == "Windows_system32"
    assert safe_stem(XSS_IMG) == "img_src_x_onerror_alert_1"
    assert safe_stem("CON") == "_CON" and safe_stem("nul.txt") == "_nul.txt" and safe_stem("com1") == "_com1"
    assert safe_stem("...") == "organisatie" and safe_stem("") == "organisatie"
    assert len(safe_stem("x" * 500)) == 80
    assert unique_stems(["A_B", "a_b", "A_B", "index"], taken={"index"}) == ["A_B", "a_b_2", "A_B_3", "index_2"]
    for stem in (safe_stem(s) for s in ["a/b", "a\\b", "a:b", "a*b?", "a\x00b", " .x. "]):
        assert not re.search(r'[\\/:*?"<>|\x00-\x1f]', stem) and not stem.startswith(".") and not stem.endswith(".")


def test_write_split(tmp_path):
    payload = make_payload(n=40, history=True)
    payload["findings"].append(make_finding(500, org="A/B"))
    payload["findings"].append(make_finding(501, org="A:B"))
    payload["findings"].append(make_finding(502, org="CON"))
    written = write_split(payload, tmp_path / "per_organisatie")
    names = sorted(p.name for p in written)
    assert "index.html" in names and "zonder_organisatie.html" in names and "zonder_organisatie.xlsx" in names
    assert "A_B.html" in names and "A_B_2.html" in names and "_CON.xlsx" in names
    assert all(p.exists() and p.parent == tmp_path / "per_organisatie" for p in written)
    assert not [p for p in (tmp_path / "per_organisatie").iterdir() if p.name.endswith(".tmp")]

    orgs = {f["organisatie"] for f in payload["findings"]}
    assert len(written) == 2 * len(orgs) + 1
    index = Page((tmp_path / "per_organisatie" / "index.html").read_text(encoding="utf-8"))
    links = {a["href"] for t, a in index.tags if t == "a"}
    assert links == {p.name for p in written if p.name != "index.html"}
    assert XSS_IMG in index.all_text and "<img" not in (tmp_path / "per_organisatie" / "index.html").read_text()

    # Each organisation's report holds only its own findings.
    campus = Page((tmp_path / "per_organisatie" / "GO_Campus_Noord.html").read_text(encoding="utf-8"))
    mine = [f for f in payload["findings"] if f["organisatie"] == "GO! Campus Noord"]
    assert len(campus.rows) == len(mine)
    assert "GO! Campus Noord" in campus.all_text and "Centrum Oost" not in campus.all_text
    assert "resolved" in campus.ids or "61555555" not in campus.all_text
    none = Page((tmp_path / "per_organisatie" / "zonder_organisatie.html").read_text(encoding="utf-8"))
    assert len(none.rows) == sum(1 for f in payload["findings"] if f["organisatie"] is None)


def test_write_split_english(tmp_path):
    written = write_split(make_payload(n=10), tmp_path, lang="en")
    assert "no_organisation.html" in {p.name for p in written}
    assert "Reports per organisation" in (tmp_path / "index.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- self-contained, readable


def test_no_external_reference_anywhere():
    """Mailed and opened offline: nothing in the page points outside it (no URL, no CDN, no font)."""
    payload = make_payload(n=60, hostile=False, history=True)
    for lang in ("nl", "en"):
        out = render_html(payload, lang=lang)
        assert not re.search(r"https?:|ftp:|file:|//[a-z0-9]", out, re.I), re.search(r".{40}(?:https?:|//).{40}", out)
        assert not re.search(r"<(?:link|img|iframe|object|embed|audio|video|source|base|form)\b", out, re.I)
        assert not re.search(r"@import|@font-face|url\(", out, re.I)
        assert not re.search(r"\s(?:src|href|action|srcset|xlink:href)=\"(?!#)", out)
        scripts = re.findall(r"<script\b[^>]*>", out)
        assert scripts == ['<script type="application/json" id="report-text">', "<script>"]


def test_manual_reference_names_the_manual():
    assert vm.manual_ref("000 §2.3.4") == "Afsluit klantendossier ABO (BuSO OV3) §2.3.4"
    assert vm.manual_ref('TABLES.md; 002 §2 "x"') == 'Begeleiding Outplacement §2 "x"'
    assert vm.manual_ref("000 §2.2.2, Bijlage 1; 001 §2") == (
        "Afsluit klantendossier ABO (BuSO OV3) §2.2.2, Bijlage 1; Klantendossier ondersteuning alternerend leren §2")
    assert vm.manual_ref("TABLES.md") == "" and vm.manual_ref("RULES.md GEN004") == "" and vm.manual_ref(None) == ""
    # every rule's reference is readable: no bare manual number, no spec file name
    for r in RULES:
        ref = vm.manual_ref(r.source)
        assert not re.search(r"(?:^|[,;] )00\d\b|TABLES\.md|RULES\.md", ref), (r.code, ref)


def test_many_rows_carry_each_hint_once(monkeypatch):
    """Above INLINE_HINTS_MAX rows the hints travel once per rule in the data block."""
    monkeypatch.setattr(html_mod, "INLINE_HINTS_MAX", 10)
    payload = make_payload(n=40, hostile=False)
    out, p = page(payload)
    assert len(p.rows) == len(payload["findings"])
    by_rule = {r.code: r for r in RULES}
    data = json.loads([b for a, b in p.scripts if a.get("type") == "application/json"][0])
    assert set(data["hints"]) == {f["rule"] for f in payload["findings"]}
    for code, (hint, source) in data["hints"].items():
        assert hint == by_rule[code].hint_nl and source == vm.manual_ref(by_rule[code].source)
        assert out.count(hint) == 0 or hint in data["hints"][code][0]
    assert re.findall(r'<td class="todo"></td>', out) and len(re.findall(r'<td class="todo"></td>', out)) == len(p.rows)
    # under the limit: inline, and no hint in the data block
    out, p = page(make_payload(n=5, hostile=False))
    data = json.loads([b for a, b in p.scripts if a.get("type") == "application/json"][0])
    assert data["hints"] == {} and '<td class="todo"></td>' not in out


def test_english_has_no_dutch_key_labels_and_vice_versa(no_masking):
    """The fixed texts only: data (messages, names) and rule texts (titles, hints, the manuals'
    Dutch section names) are taken out first."""
    payload = make_payload(n=30, hostile=False, history=True)
    for f in payload["findings"] + payload["resolved"] + payload["waived"]:
        f.update(message="x", message_en="x", organisatie="Org A", file="a.xlsx", sheet="S")
    payload["waived"][0]["waiver"].update(reason="x", accepted_by="x")
    payload["waiver_problems"] = [{"message": "x", "message_en": "x"}]
    payload["inputs"][0].update(file="a.xlsx", sheet="S")
    payload["unrecognised"] = [{"file": "b.csv", "sheet": None, "headers": ["H"]}]
    payload["config"] = {"abo": {"warn_days": 21}}
    payload["history"] = {"previous_run": {"peildatum": "2025-05-15"}}

    def fixed(lang):
        text = page(payload, lang=lang)[1].all_text
        for r in sorted(RULES, key=lambda r: -len(r.hint_nl)):
            for t in (r.hint(lang), r.title(lang), vm.manual_ref(r.source)):
                if t:
                    text = text.replace(t, " ")
        return text

    dutch = ["Peildatum", "Wat moet je doen", "Bevindingen", "Ernst", "Regel", "Klant", "Organisatie", "Bron",
             "waarschuwing", "fout", "nieuw", "blijvend", "Zoeken", "Filters wissen", "Handleiding", "Gelezen invoer",
             "Niet herkende", "geëvalueerd", "Gebruikte instellingen", "Opgelost", "Aanvaard", "rij ", "sinds"]
    english = ["Reference date", "What to do", "Findings", "Severity", "Rule", "Client", "Organisation", "Source",
               "warning", "error", "persisting", "Search", "Clear filters", "Manual", "Inputs read",
               "not recognised", "evaluated", "Settings used", "Resolved", "Waived", "row ", "since"]
    en_text, nl_text = fixed("en"), fixed("nl")
    leaked = [w for w in dutch if re.search(rf"(?<!\w){re.escape(w)}", en_text)]
    assert not leaked, leaked
    leaked = [w for w in english if re.search(rf"(?<!\w){re.escape(w)}", nl_text)]
    assert not leaked, leaked


def test_status_since_and_comparison_sentence():
    payload = make_payload(n=12, hostile=False, history=True)
    payload["history"] = {"previous_run": {"run_id": 3, "peildatum": "2025-05-15", "recorded_at": "x"}}
    out, p = page(payload)
    assert "vorige controle (peildatum 15/05/2025)" in p.text("compared")
    persisting = [r for r in p.rows if r["attrs"]["data-st"] == "blijvend"]
    assert persisting and all("sinds 15/04/2025" in r["text"] for r in persisting)
    assert not any("sinds" in r["text"] for r in p.rows if r["attrs"]["data-st"] == "nieuw")
    assert p.text("card-new").startswith(str(sum(1 for f in payload["findings"] if f["status"] == "nieuw")))
    payload["history"] = {"previous_run": None}
    _, p = page(payload, lang="en")
    assert "no previous check" in p.text("compared")
    payload["resolved"][0]["last_seen"] = "2025-05-15"
    _, p = page(payload)
    assert "15/05/2025" in p.text("resolved")


def test_waiver_problems_in_the_report_language():
    payload = make_payload(n=5, hostile=False, history=True)
    payload["waiver_problems"] = [{"message": "Uitzondering 2 past op geen enkele bevinding",
                                   "message_en": "Waiver 2 matches no finding"}]
    assert "Uitzondering 2" in page(payload)[1].text("waiver-problems")
    assert "Waiver 2 matches" in page(payload, lang="en")[1].text("waiver-problems")


# --------------------------------------------------------------------------- end to end


def test_sample_audit_writes_both_reports_and_the_split(tmp_path):
    """`dossiercheck audit sample_data --split-by organisatie`: every finding of findings.json is in
    the HTML and the xlsx, and each organisation gets its own pair plus the index."""
    import datetime as dt

    import openpyxl

    from dossiercheck.run import RunOptions, run_audit

    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "rapport"
    outcome = run_audit(RunOptions(paths=[str(root / "sample_data")], peildatum=dt.date(2025, 6, 15), out_dir=out,
                                   split_by="organisatie", no_history=True))
    payload = json.loads((out / "findings.json").read_text("utf-8"))
    findings = payload["findings"]
    assert findings and {p.name for p in outcome.written} >= {"findings.json", "rapport.html", "rapport.xlsx"}
    text = (out / "rapport.html").read_text("utf-8")
    p = Page(text)
    assert len(p.rows) == len(findings) and "cap-notice" not in p.ids
    ws = openpyxl.load_workbook(out / "rapport.xlsx")["Bevindingen"]
    assert sorted(r[-1] for r in ws.iter_rows(min_row=2, values_only=True)) == sorted(f["fingerprint"] for f in findings)
    orgs = {f["organisatie"] for f in findings}
    split = out / "per_organisatie"
    assert len(list(split.glob("*.html"))) == len(orgs) + 1 and len(list(split.glob("*.xlsx"))) == len(orgs)
    index = Page((split / "index.html").read_text("utf-8"))
    assert sum(len(Page((split / a["href"]).read_text("utf-8")).rows)
               for t, a in index.tags if t == "a" and a["href"].endswith(".html")) == len(findings)
    # no national number (valid checksum) anywhere in a report, in any notation; an 11-digit
    # chequenummer may pass the same checksum by chance and is the cheque's key, shown as it is
    from dossiercheck.checks.pii import KIND_RRN, pii_spans

    cheques = {f["chequenummer"] for f in findings if f.get("chequenummer")}

    cells = [str(v) for ws in openpyxl.load_workbook(out / "rapport.xlsx")
             for r in ws.iter_rows(values_only=True) for v in r if v is not None]
    for t in [p.all_text, " ".join(cells)] + [Page(f.read_text("utf-8")).all_text for f in split.glob("*.html")]:
        assert not [t[a:b] for a, b, kind in pii_spans(t) if kind == KIND_RRN and t[a:b] not in cheques]


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "in-process"])
def test_large_audit_renders_the_page_in_a_child_with_the_same_result(tmp_path, monkeypatch, fork):
    """From FORK_HTML_MIN_FINDINGS findings rapport.html is rendered by a forked child while
    findings.json is written; the page is the in-process one, and an error while rendering is
    raised as the run's own (no report left half-written)."""
    import datetime as dt

    from dossiercheck import run as runmod
    from dossiercheck.reports import html as html_mod

    root = Path(__file__).resolve().parents[1]
    opts = dict(paths=[str(root / "sample_data")], peildatum=dt.date(2025, 6, 15), no_history=True)
    monkeypatch.setenv("DOSSIERCHECK_NO_FORK", "1")
    runmod.run_audit(runmod.RunOptions(out_dir=tmp_path / "ref", **opts))
    if fork:
        monkeypatch.delenv("DOSSIERCHECK_NO_FORK")
    monkeypatch.setattr(runmod, "FORK_HTML_MIN_FINDINGS", 1)
    outcome = runmod.run_audit(runmod.RunOptions(out_dir=tmp_path / "out", **opts))
    assert ("report.html" in outcome.overlapped) is fork
    assert (tmp_path / "out" / "rapport.html").read_bytes() == (tmp_path / "ref" / "rapport.html").read_bytes()

    def boom(*a, **k):
        raise ValueError("render failed")

    monkeypatch.setattr(html_mod, "render_html", boom)
    with pytest.raises(ValueError, match="render failed"):
        runmod.run_audit(runmod.RunOptions(out_dir=tmp_path / "err", **opts))
    assert sorted(p.name for p in (tmp_path / "err").iterdir()) == ["findings.json"]
