"""Waivers: a waived finding leaves the exit code and the counts but is never dropped; expired,
unmatched and unknown-rule entries are reported; a malformed file is exit 2 with one line."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossiercheck import waivers
from dossiercheck.cli import cli
from dossiercheck.config import ConfigError

ROOT = Path(__file__).resolve().parents[1]
BAD, GOOD = "Vlaandren", "Vlaanderen"


@pytest.fixture(autouse=True)
def _isolated_history(tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIERCHECK_HISTORY", str(tmp_path / "env-history.sqlite"))


def write_dossiers(folder: Path, rows: list[tuple[str, str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["Klantnummer;Familienaam;Woonregio;School"] + [f"{k};Naam;{r};{o}" for k, r, o in rows]
    (folder / "klantendossiers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def audit(tmp_path: Path, data: Path, *extra: str, peildatum: str = "2025-06-15", history: Path | None = None):
    out = tmp_path / f"out-{time.monotonic_ns()}"
    args = ["audit", str(data), "--peildatum", peildatum, "--out", str(out), "--format", "json", "-q"]
    args += ["--history", str(history)] if history else ["--no-history"]
    res = CliRunner().invoke(cli, [*args, *extra], catch_exceptions=False)
    assert res.exit_code in (0, 1), res.output
    return res.exit_code, json.loads((out / "findings.json").read_text(encoding="utf-8")), res.output


@pytest.fixture
def one_error(tmp_path):
    """A folder with exactly one error finding (client 61000001, Org A) and its fingerprint."""
    data = write_dossiers(tmp_path / "d", [("61000001", BAD, "Org A"), ("61000002", GOOD, "Org A")])
    code, p, _ = audit(tmp_path, data)
    assert code == 1 and len(p["findings"]) == 1
    return data, p["findings"][0]


def toml(tmp_path: Path, body: str) -> Path:
    f = tmp_path / "waivers.toml"
    f.write_text(body, encoding="utf-8")
    return f


def test_waiver_by_fingerprint_hides_exactly_its_finding_from_the_exit_code(tmp_path, one_error):
    data, finding = one_error
    w = toml(tmp_path, f"""
[[waiver]]
fingerprint = "{finding['fingerprint']}"
reason = "Dossier overgedragen; VDAB past de regio aan"
accepted_by = "An Peeters"
expires = 2025-12-31
""")
    code, p, out = audit(tmp_path, data, "--waivers", str(w))
    assert code == 0
    assert p["findings"] == []
    assert len(p["waived"]) == 1
    wf = p["waived"][0]
    assert wf["fingerprint"] == finding["fingerprint"] and wf["message"] == finding["message"]
    assert wf["waiver"] == {"reason": "Dossier overgedragen; VDAB past de regio aan", "accepted_by": "An Peeters",
                            "expires": "2025-12-31", "entry": 1}
    assert p["summary"]["error"] == 0 and p["summary"]["waived"] == 1
    assert next(r for r in p["rules"] if r["code"] == "DAT003")["waived"] == 1
    assert p["waiver_problems"] == []
    assert "1 bevinding(en) aanvaard via uitzondering" in out


def test_waiver_waives_one_of_two(tmp_path):
    data = write_dossiers(tmp_path / "d", [("61000001", BAD, "Org A"), ("61000002", BAD, "Org A")])
    w = toml(tmp_path, """
[[waiver]]
rule = "dat003"
klantnummer = 61000002
reason = "r"
accepted_by = "a"
""")
    code, p, _ = audit(tmp_path, data, "--waivers", str(w))
    assert code == 1
    assert [f["klantnummer"] for f in p["findings"]] == ["61000001"]
    assert [f["klantnummer"] for f in p["waived"]] == ["61000002"]
    assert (p["summary"]["error"], p["summary"]["waived"]) == (1, 1)


def test_csv_waivers_with_dutch_headers_and_excel_numbers(tmp_path, one_error):
    data, finding = one_error
    w = tmp_path / "uitzonderingen.csv"
    w.write_bytes("Regel;Klantnr;Reden;Aanvaard door;Vervaldatum\n\nDAT003;61000001.0;Overdracht naar ééj;Jan;31/12/2025\n"
                  .encode("cp1252"))
    code, p, _ = audit(tmp_path, data, "--waivers", str(w))
    assert code == 0
    assert p["waived"][0]["waiver"]["expires"] == "2025-12-31"
    assert p["waived"][0]["waiver"]["reason"] == "Overdracht naar ééj"
    assert p["waived"][0]["waiver"]["line"] == 3


def test_expired_waiver_does_not_apply_and_is_reported(tmp_path, one_error):
    data, finding = one_error
    w = toml(tmp_path, f"""
[[waiver]]
fingerprint = "{finding['fingerprint']}"
reason = "tijdelijk"
accepted_by = "An"
expires = "2025-06-14"
""")
    code, p, _ = audit(tmp_path, data, "--waivers", str(w))
    assert code == 1 and len(p["findings"]) == 1 and p["waived"] == []
    [prob] = p["waiver_problems"]
    assert prob["kind"] == "expired" and prob["matches"] == 1
    assert "vervallen op 14/06/2025" in prob["message"] and "expired" in prob["message_en"]
    # expiring on the peildatum itself still applies
    w.write_text(w.read_text().replace("2025-06-14", "2025-06-15"))
    code, p, _ = audit(tmp_path, data, "--waivers", str(w))
    assert code == 0 and p["waiver_problems"] == []


def test_waiver_matching_nothing_and_unknown_rule_are_reported(tmp_path, one_error):
    data, finding = one_error
    w = toml(tmp_path, """
[[waiver]]
rule = "DAT003"
klantnummer = "61000999"
reason = "r"
accepted_by = "a"

[[waiver]]
rule = "XYZ999"
chequenummer = "123"
reason = "r"
accepted_by = "a"
""")
    code, p, _ = audit(tmp_path, data, "--waivers", str(w))
    assert code == 1
    assert [(x["kind"], x["entry"]) for x in p["waiver_problems"]] == [("unmatched", 1), ("unknown_rule", 2)]
    assert "komt met geen enkele bevinding overeen" in p["waiver_problems"][0]["message"]
    assert p["waiver_problems"][1]["waiver"]["chequenummer"] == "00000000123"


@pytest.mark.parametrize(
    "body, needle, needle_en",
    [
        ('[[waiver]]\nfingerprint = "abc"\naccepted_by = "a"\n', "uitzondering 1: reden ontbreekt",
         "waiver 1: reason is missing"),
        ('[[waiver]]\nfingerprint = "abc"\nreason = "r"\n', "aanvaard door ontbreekt", "accepted_by is missing"),
        ('[[waiver]]\nrule = "DAT003"\nreason = "r"\naccepted_by = "a"\n',
         "heeft een klantnummer of chequenummer nodig", "needs a klantnummer or chequenummer"),
        ('[[waiver]]\nreason = "r"\naccepted_by = "a"\n', "geef een fingerprint", "give a fingerprint"),
        ('[[waiver]]\nfingerprint = "abc"\nreason = "r"\naccepted_by = "a"\nexpires = "31/13/2025"\n', "is geen datum",
         "not a date"),
        ('[[waiver]]\nfingerprint = "abc"\nreden = "r"\naccepted_by = "a"\nbij = 1\n', "onbekend veld 'bij'",
         "unknown field 'bij'"),
        ('[[waiver]\nfingerprint = "abc"\n', "geen geldige TOML", "not valid TOML"),
        ('fingerprint = "abc"\n', "onbekende sleutel 'fingerprint'", "unknown key 'fingerprint'"),
    ],
)
def test_malformed_toml_is_a_config_error(tmp_path, body, needle, needle_en):
    with pytest.raises(ConfigError, match=needle.replace("(", r"\(").replace(")", r"\)")) as e:
        waivers.load(toml(tmp_path, body))
    assert isinstance(e.value, waivers.WaiverError)
    assert needle_en in e.value.render("en") and "waivers file" in e.value.render("en")
    assert str(e.value).startswith("uitzonderingenbestand ")


def test_malformed_csv_and_missing_file(tmp_path):
    bad = tmp_path / "w.csv"
    bad.write_text("fingerprint,reason,wie\nabc,r,a\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="onbekende kolom 'wie'") as e:
        waivers.load(bad)
    assert "unknown column 'wie'" in e.value.render("en")
    extra = tmp_path / "x.csv"
    extra.write_text("fingerprint,reason,accepted_by\nabc,r,a,zomaar\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="x.csv, rij 2: meer cellen") as e:
        waivers.load(extra)
    assert "x.csv, line 2: more cells than header columns" in e.value.render("en")
    with pytest.raises(ConfigError, match="uitzonderingenbestand niet gevonden") as e:
        waivers.load(tmp_path / "nope.toml")
    assert e.value.render("en").startswith("waivers file not found: ")
    other = tmp_path / "w.json"
    other.write_text("{}", encoding="utf-8")
    with pytest.raises(ConfigError, match="gebruik een .toml- of .csv-bestand") as e:
        waivers.load(other)
    assert "use a .toml or .csv file" in e.value.render("en")


@pytest.mark.parametrize("lang, needle", [
    (None, "uitzondering 1: aanvaard door ontbreekt (accepted_by of aanvaard_door)"),
    ("nl", "uitzondering 1: aanvaard door ontbreekt (accepted_by of aanvaard_door)"),
    ("en", "waiver 1: accepted_by is missing"),
])
def test_malformed_waivers_file_is_exit_2_one_line(tmp_path, one_error, lang, needle):
    data, _ = one_error
    w = toml(tmp_path, '[[waiver]]\nfingerprint = "abc"\nreason = "r"\n')
    proc = subprocess.run(
        [sys.executable, "-m", "dossiercheck", "audit", str(data), "--peildatum", "2025-06-15", "--out",
         str(tmp_path / "o"), "--format", "json", "--no-history", "--waivers", str(w), "-q",
         *(["--lang", lang] if lang else [])],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and needle in proc.stderr
    assert proc.stderr.startswith("dossiercheck: " + ("waivers file " if lang == "en" else "uitzonderingenbestand "))
    assert "Traceback" not in proc.stderr


def test_waived_findings_are_recorded_and_come_back_when_the_waiver_expires(tmp_path, one_error):
    data, finding = one_error
    db = tmp_path / "h.sqlite"
    w = toml(tmp_path, f"""
[[waiver]]
fingerprint = "{finding['fingerprint']}"
reason = "r"
accepted_by = "a"
expires = 2025-06-30
""")
    code, p1, _ = audit(tmp_path, data, "--waivers", str(w), history=db, peildatum="2025-06-15")
    assert code == 0 and p1["waived"][0]["status"] == "nieuw"
    assert p1["trend"][-1]["error"] == 0 and p1["trend"][-1]["waived"] == 1
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT waived, n_waived FROM findings JOIN runs USING (run_id)").fetchall() == [(1, 1)]
    conn.close()
    # July: the waiver has expired; the finding counts again, as a persisting one (it never went away)
    code, p2, _ = audit(tmp_path, data, "--waivers", str(w), history=db, peildatum="2025-07-15")
    assert code == 1
    assert p2["findings"][0]["status"] == "blijvend" and p2["findings"][0]["first_seen"] == "2025-06-15"
    assert p2["resolved"] == [] and p2["waiver_problems"][0]["kind"] == "expired"


def test_waivers_without_history(tmp_path, one_error):
    data, finding = one_error
    w = toml(tmp_path, f'[[waiver]]\nfingerprint = "{finding["fingerprint"]}"\nreason = "r"\naccepted_by = "a"\n')
    code, p, _ = audit(tmp_path, data, "--waivers", str(w))
    assert code == 0 and len(p["waived"]) == 1
    assert p["waived"][0]["status"] is None and p["resolved"] == [] and p["trend"] == []
    assert not (tmp_path / "env-history.sqlite").exists()


def test_apply_unit_first_matching_entry_wins():
    payload = {
        "findings": [
            {"rule": "LBC001", "severity": "error", "klantnummer": None, "chequenummer": "00001234567",
             "fingerprint": "f1"},
            {"rule": "LBC001", "severity": "warning", "klantnummer": "61000001", "chequenummer": None,
             "fingerprint": "f2"},
        ],
        "rules": [{"code": "LBC001", "evaluated": True, "findings": 2}],
        "summary": {"error": 1, "warning": 1, "info": 0},
    }
    ws = [
        waivers.Waiver(1, None, None, "LBC001", None, "00001234567", "first", "a", None),
        waivers.Waiver(2, None, "f1", None, None, None, "second", "b", None),
        waivers.Waiver(3, None, None, "LBC001", None, "999", "old", "c", dt.date(2020, 1, 1)),
    ]
    waivers.apply(payload, ws, dt.date(2025, 6, 15))
    assert [f["fingerprint"] for f in payload["findings"]] == ["f2"]
    assert payload["waived"][0]["waiver"]["reason"] == "first"
    assert payload["summary"] == {"error": 0, "warning": 1, "info": 0, "waived": 1}
    assert payload["rules"][0] == {"code": "LBC001", "evaluated": True, "findings": 1, "waived": 1}
    assert [p["kind"] for p in payload["waiver_problems"]] == ["expired"]
