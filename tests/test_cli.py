"""The CLI end to end: sample data, JSON contract, exit codes, one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dossiercheck.checks.registry import RULES

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "dossiercheck", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("rapport")
    proc = run("audit", str(SAMPLE), "--peildatum", "2025-06-15", "--out", str(out), "--format", "json",
               "--no-history")
    return proc, json.loads((out / "findings.json").read_text("utf-8"))


def test_sample_exit_code_and_stdout_summary(sample_run):
    proc, payload = sample_run
    assert proc.returncode == 1, proc.stderr
    assert "peildatum 2025-06-15" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_json_contract_shape(sample_run):
    _, p = sample_run
    assert p["tool"] == "dossiercheck" and p["peildatum"] == "2025-06-15"
    assert {"config", "inputs", "unrecognised", "rules", "findings", "summary"} <= set(p)
    for i in p["inputs"]:
        assert {"file", "sheet", "table", "header_row", "rows"} <= set(i)
    assert p["summary"]["rows_read"] == sum(i["rows"] for i in p["inputs"])
    codes = [r["code"] for r in p["rules"]]
    assert codes == [r.code for r in RULES], "every registered rule appears in rules, in catalogue order"
    for r in p["rules"]:
        assert ("findings" in r) if r["evaluated"] else ("reason" in r)
    keys = {"rule", "severity", "table", "klantnummer", "chequenummer", "organisatie", "file", "sheet", "row",
            "rows", "message", "fingerprint"}
    fps = set()
    for f in p["findings"]:
        assert keys <= set(f)
        assert f["row"] in f["rows"]
        fps.add(f["fingerprint"])
    assert len(fps) == len(p["findings"]), "fingerprints are unique within a run"
    counts = {s: sum(1 for f in p["findings"] if f["severity"] == s) for s in ("error", "warning", "info")}
    assert counts == {s: p["summary"][s] for s in counts}


def test_planted_core_problems_at_their_rows(sample_run):
    _, p = sample_run
    got = {(f["rule"], f["sheet"], f["row"]) for f in p["findings"]}
    planted = {  # sample_data/parts/core.py; header on row 3 of both sheets
        ("DAT006", "Klanten", 6), ("DAT003", "Klanten", 7), ("DAT005", "Klanten", 9), ("DAT004", "Klanten", 10),
        ("DAT001", "Klanten", 11), ("GEN001", "Stappen naar werk", 6), ("GEN002", "Stappen naar werk", 7),
        ("GEN003", "Stappen naar werk", 8), ("GEN004", "Stappen naar werk", 9), ("GEN005", "Stappen naar werk", 10),
        ("DAT002", "Stappen naar werk", 11), ("DAT003", "Stappen naar werk", 12), ("DAT008", "Stappen naar werk", 14),
        ("DAT007", "Stappen naar werk", 15),
    }
    assert planted <= got, sorted(planted - got)


def test_every_rule_fires_on_the_sample(sample_run):
    _, p = sample_run
    fired = {f["rule"] for f in p["findings"]}
    silent = [r.code for r in RULES if r.code not in fired]
    assert not silent, f"the demo shows no finding for {silent}"


def test_fingerprints_stable_across_runs_and_file_names(tmp_path, sample_run):
    _, p1 = sample_run
    import shutil

    copy = tmp_path / "elders"
    shutil.copytree(SAMPLE, copy / "hernoemd")
    out = tmp_path / "o"
    run("audit", str(copy), "--peildatum", "2025-06-15", "--out", str(out), "--format", "json", "--no-history")
    p2 = json.loads((out / "findings.json").read_text("utf-8"))
    assert {f["fingerprint"] for f in p1["findings"]} == {f["fingerprint"] for f in p2["findings"]}


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["audit", "bestaat-niet.xlsx"], "bestand of map bestaat niet"),
        (["audit", "bestaat-niet.xlsx", "--lang", "en"], "no such file or folder"),
        (["audit", "sample_data", "--peildatum", "15/06/2025"], "--peildatum"),
        (["audit", "sample_data", "--format", "pdf"], "--format"),
        (["explain", "XYZ123"], "onbekende regelcode"),
        (["explain", "XYZ123", "--lang", "en"], "unknown rule code"),
    ],
)
def test_bad_input_one_line_exit_2(args, fragment, tmp_path):
    proc = run(*args, "--out", str(tmp_path)) if args[0] == "audit" else run(*args)
    assert proc.returncode == 2
    assert fragment in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_csv_without_header_is_exit_2(tmp_path):
    f = tmp_path / "rommel.csv"
    f.write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    proc = run("audit", str(f), "--out", str(tmp_path / "o"), "--no-history")
    assert proc.returncode == 2 and "geen herkenbare tabel" in proc.stderr


def test_config_override_and_unknown_key(tmp_path):
    good = tmp_path / "c.toml"
    good.write_text("[gen]\nedit_grace_days = 40\n", encoding="utf-8")
    out = tmp_path / "o"
    run("audit", str(SAMPLE), "--peildatum", "2025-06-15", "--out", str(out), "--format", "json", "--no-history",
        "--config", str(good))
    p = json.loads((out / "findings.json").read_text("utf-8"))
    assert p["config"]["gen"]["edit_grace_days"] == 40
    assert not [f for f in p["findings"] if f["rule"] == "GEN005" and f["klantnummer"] == "61000001"]
    bad = tmp_path / "b.toml"
    bad.write_text("[gen]\nedit_grace_dayz = 4\n", encoding="utf-8")
    proc = run("audit", str(SAMPLE), "--out", str(out), "--config", str(bad), "--no-history")
    assert proc.returncode == 2 and "unknown setting gen.edit_grace_dayz" in proc.stderr


def test_fail_on_levels(tmp_path):
    f = tmp_path / "lijnen.csv"
    f.write_text("klantnummer;stap;toestand;startdatum;einddatum\n61000001;Jobclub;Bezig;01/03/2025;30/06/2025\n",
                 encoding="utf-8")
    base = ["audit", str(f), "--peildatum", "2025-06-15", "--out", str(tmp_path / "o"), "--format", "json",
            "--no-history"]
    assert run(*base).returncode == 0  # only a GEN003 warning
    assert run(*base, "--fail-on", "warning").returncode == 1
    assert run(*base, "--fail-on", "never").returncode == 0


def test_rules_and_explain_commands():
    proc = run("rules")
    assert proc.returncode == 0 and "GEN005" in proc.stdout
    proc = run("explain", "gen005", "--lang", "en")
    assert proc.returncode == 0 and "laatst_gewijzigd" in proc.stdout and "source" in proc.stdout
