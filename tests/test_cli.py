"""The CLI end to end: sample data, JSON contract, exit codes, one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from dossiercheck.checks.registry import RULES

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"


def run(*args, cwd=ROOT, env=None):
    return subprocess.run([sys.executable, "-m", "dossiercheck", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300, env=env)


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
        (["audit", "sample_data", "--peildatum", "15/06/2025"], "--peildatum: '15/06/2025' is geen datum (JJJJ-MM-DD)"),
        (["audit", "sample_data", "--peildatum", "15/06/2025", "--lang", "en"], "is not a date (YYYY-MM-DD)"),
        (["audit", "sample_data", "--format", "pdf"], "--format: kies uit html, xlsx, json"),
        (["audit", "sample_data", "--format", "pdf", "--lang", "en"], "--format: choose from html, xlsx, json"),
        (["audit", "sample_data", "--bestaat-niet"], "ongeldige opdracht (No such option"),
        (["audit", "sample_data", "--bestaat-niet", "--lang", "en"], "bad command (No such option"),
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
    assert proc.returncode == 2 and "configuratie: onbekende instelling gen.edit_grace_dayz" in proc.stderr


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
    assert proc.stdout.splitlines()[0].split() == ["code", "ernst", "tabellen", "titel"]
    assert "waarschuwing" in proc.stdout and "elke tabel" in proc.stdout
    proc = run("rules", "--lang", "en")
    assert proc.stdout.splitlines()[0].split() == ["code", "severity", "tables", "title"]
    assert "warning" in proc.stdout and "any table" in proc.stdout
    proc = run("explain", "gen005", "--lang", "en")
    assert proc.returncode == 0 and "laatst_gewijzigd" in proc.stdout and "source" in proc.stdout
    labels = [line.split(":")[0] for line in proc.stdout.splitlines()[1:6]]
    assert labels == ["severity", "tables", "logic", "what to do", "source"]
    proc = run("explain", "gen005")
    labels = [line.split(":")[0] for line in proc.stdout.splitlines()[1:6]]
    assert labels == ["ernst", "tabellen", "logica", "wat moet je doen", "bron"]


# --- language: every error line, the summary, the progress and --help in Dutch or English ---------


def _lang_args(lang):
    return ["--lang", lang] if lang else []


@pytest.mark.parametrize("lang", [None, "nl", "en"])
def test_config_error_follows_lang(tmp_path, lang):
    bad = tmp_path / "b.toml"
    bad.write_text("[abo]\nwarn_days = \"drie\"\n", encoding="utf-8")
    proc = run("audit", str(SAMPLE), "--out", str(tmp_path / "o"), "--config", str(bad), "--no-history",
               *_lang_args(lang))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    if lang == "en":
        assert "dossiercheck: config abo.warn_days: expected a whole number, got 'drie'" in proc.stderr
    else:
        assert "dossiercheck: configuratie abo.warn_days: verwacht een geheel getal, niet 'drie'" in proc.stderr


def test_config_file_problems_in_both_languages(tmp_path):
    from dossiercheck import config

    latin = tmp_path / "latin.toml"
    latin.write_bytes("[gen]\n# caf\u00e9\nedit_grace_days = 4\n".encode("cp1252"))
    broken = tmp_path / "kapot.toml"
    broken.write_text("[gen\n", encoding="utf-8")
    expected = {
        tmp_path / "nope.toml": ("configuratiebestand niet gevonden", "config file not found"),
        latin: ("is geen UTF-8-tekst", "is not UTF-8 text"),  # cp1252 text: a ConfigError, not a crash
        broken: ("is geen geldige TOML", "is not valid TOML"),
        tmp_path: ("kan niet gelezen worden", "cannot be read"),
    }
    for cfg, (nl, en) in expected.items():
        with pytest.raises(config.ConfigError) as e:
            config.load(cfg)
        assert nl in str(e.value) and en in e.value.render("en")
        assert "\n" not in str(e.value) and "\n" not in e.value.render("en")


@pytest.mark.parametrize("lang", [None, "en"])
def test_history_error_follows_lang(tmp_path, lang):
    folder = tmp_path / "map"
    folder.mkdir()
    proc = run("audit", str(SAMPLE), "--out", str(tmp_path / "o"), "--format", "json", "--history", str(folder),
               *_lang_args(lang))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    if lang == "en":
        assert f"--history {folder} is a folder; give a file path" in proc.stderr
    else:
        assert f"--history {folder} is een map; geef een bestandspad" in proc.stderr


def test_every_message_exists_in_both_languages():
    from dossiercheck import catalogue, cli, config, run as runmod, waivers
    from dossiercheck.history import diff, store

    for table in (cli.TEXT, cli.HELP, catalogue.TEXT, runmod.PHASES, diff.TEXT):
        assert set(table["nl"]) == set(table["en"])
    for messages in (config.MESSAGES, waivers.MESSAGES, store.MESSAGES):
        for key, m in messages.items():
            assert set(m) == {"nl", "en"} and m["nl"] != m["en"], key
    with pytest.raises(KeyError):
        config.ConfigError("no-such-message")


def test_error_classes_render_one_line_in_either_language(tmp_path):
    from dossiercheck.cli import UsageFailure
    from dossiercheck.config import ConfigError
    from dossiercheck.history.store import HistoryError
    from dossiercheck.waivers import WaiverError

    e = ConfigError("file_not_found", file=tmp_path / "a\nb.toml")
    assert str(e) == f"configuratiebestand niet gevonden: {tmp_path}/a b.toml"
    assert e.render("en") == f"config file not found: {tmp_path}/a b.toml"
    assert e.render("fr") == str(e)  # an unknown language falls back to Dutch
    w = WaiverError("no_reason", file="w.csv", line=3)
    assert (str(w), w.render("en")) == ("uitzonderingenbestand w.csv, rij 3: reden ontbreekt (reason of reden)",
                                        "waivers file w.csv, line 3: reason is missing")
    h = HistoryError("bad_ref", ref="7")
    assert isinstance(h, ConfigError) and "onbekende run '7'" in str(h) and "unknown run '7'" in h.render("en")
    u = UsageFailure("err_peildatum", value="morgen")
    assert (str(u), u.render("en")) == ("--peildatum: 'morgen' is geen datum (JJJJ-MM-DD)",
                                        "--peildatum: 'morgen' is not a date (YYYY-MM-DD)")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_progress_labels_follow_lang(tmp_path, monkeypatch, lang):
    import contextlib
    import datetime as dt

    from dossiercheck import run as runmod

    seen = []

    class Bar:
        def add_task(self, description, **kw):
            seen.append(description)
            return 0

        def update(self, task, description=None, **kw):
            if description:
                seen.append(description)

    monkeypatch.setattr(runmod, "_progress", lambda enabled: contextlib.nullcontext(Bar() if enabled else None))
    f = tmp_path / "lijnen.csv"
    f.write_text("klantnummer;stap;toestand;startdatum\n61000001;Jobclub;Bezig;01/03/2025\n", encoding="utf-8")
    runmod.run_audit(runmod.RunOptions(paths=[str(f)], peildatum=dt.date(2025, 6, 15), out_dir=tmp_path / "o",
                                       formats=["json"], lang=lang, progress=True))
    assert seen == (["Lezen", "Controleren"] if lang == "nl" else ["Reading", "Checking"])


@pytest.mark.parametrize("lang", [None, "en"])
def test_summary_follows_lang(tmp_path, lang):
    f = tmp_path / "lijnen.csv"
    f.write_text("klantnummer;stap;toestand;startdatum;einddatum\n61000001;Jobclub;Bezig;01/03/2025;30/06/2025\n",
                 encoding="utf-8")
    proc = run("audit", str(f), "--peildatum", "2025-06-15", "--out", str(tmp_path / "o"), "--format", "json",
               "--no-history", *_lang_args(lang))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    if lang == "en":
        assert lines[0].endswith("reference date 2025-06-15") and lines[2].startswith("Findings: 0 error(s)")
        assert "Open line with an end date" in proc.stdout and lines[-1].startswith("Written: ")
    else:
        assert lines[0].endswith("peildatum 2025-06-15") and lines[2].startswith("Bevindingen: 0 fout(en)")
        assert "Lopende lijn met einddatum" in proc.stdout and lines[-1].startswith("Geschreven: ")


def test_help_is_dutch_by_default_and_english_with_the_environment_variable():
    import os

    env = {k: v for k, v in os.environ.items() if k != "DOSSIERCHECK_LANG"}
    nl = run("audit", "--help", env=env)
    assert nl.returncode == 0
    assert nl.stdout.startswith("Gebruik: ") and "Opties:" in nl.stdout
    assert "--peildatum JJJJ-MM-DD" in nl.stdout and "Toon deze hulp en stop." in nl.stdout
    en = run("audit", "--help", env={**env, "DOSSIERCHECK_LANG": "en"})
    assert en.stdout.startswith("Usage: ") and "Options:" in en.stdout
    assert "--peildatum YYYY-MM-DD" in en.stdout and "Show this message and exit." in en.stdout
    top = run("--help", env=env)
    assert "Opdrachten:" in top.stdout and "Vergelijk twee opgenomen controles" in top.stdout  # diff too
    top_en = run("--help", env={**env, "DOSSIERCHECK_LANG": "en"})
    assert "Commands:" in top_en.stdout and "Compare two recorded audit runs" in top_en.stdout
    assert run("--version", env=env).stdout.strip().startswith("dossiercheck, versie ")
    # --lang does not change --help (it is parsed later); the variable does not change the output
    assert run("audit", "--help", "--lang", "en", env=env).stdout == nl.stdout


def test_every_command_and_option_has_help_in_both_languages():
    from dossiercheck.cli import HELP, cli, help_lang, localise_help

    try:
        for lang in ("nl", "en"):
            localise_help(cli, lang)
            for name, cmd in [("dossiercheck", cli), *cli.commands.items()]:
                assert cmd.help == HELP[lang][name]
                for p in cmd.params:
                    if isinstance(p, click.Option):
                        assert p.help, f"{name} {p.opts} has no help"
            assert CliRunner().invoke(cli, ["diff", "--help"]).output.startswith(HELP[lang]["usage"])
    finally:
        localise_help(cli, help_lang())
    assert help_lang({"DOSSIERCHECK_LANG": "EN "}) == "en" and help_lang({}) == "nl"
    assert help_lang({"DOSSIERCHECK_LANG": "fr"}) == "nl"


def test_no_arguments_shows_the_help():
    proc = run()
    assert proc.returncode == 2 and "audit" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("lang, needle", [(None, "is een bestand, geen map"), ("en", "is a file, not a folder")])
def test_out_that_is_a_file_is_one_line(tmp_path, lang, needle):
    f = tmp_path / "rapport"
    f.write_text("", encoding="utf-8")
    proc = run("audit", str(SAMPLE), "--out", str(f), "--no-history", *_lang_args(lang))
    assert proc.returncode == 2 and needle in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
