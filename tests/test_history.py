"""History: recording runs, new/persisting/solved, diff, trend, crash safety, concurrency, migration.

Every test uses a history file under tmp_path (and DOSSIERCHECK_HISTORY points into tmp_path too),
never the user's data folder. Inputs are small hand-made CSVs: a ``klantendossiers.csv`` whose
misspelt region (``Vlaandren``) gives one DAT003 error per client, attributed to the client's
school — so which findings exist, and for which organisation, is controlled row by row.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossiercheck import history
from dossiercheck.cli import cli
from dossiercheck.history import compare as cmp
from dossiercheck.history import store

ROOT = Path(__file__).resolve().parents[1]
BAD, GOOD = "Vlaandren", "Vlaanderen"


@pytest.fixture(autouse=True)
def _isolated_history(tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIERCHECK_HISTORY", str(tmp_path / "env-history.sqlite"))


def write_dossiers(folder: Path, rows: list[tuple[str, str, str]]) -> Path:
    """rows: (klantnummer, regio, school). A BAD regio is one DAT003 error for that client."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["Klantnummer;Familienaam;Woonregio;School"]
    lines += [f"{k};Naam{k[-2:]};{regio};{org}" for k, regio, org in rows]
    (folder / "klantendossiers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def audit(tmp_path: Path, data: Path, peildatum: str, db: Path | None, *extra: str) -> tuple[int, dict]:
    out = tmp_path / f"out-{time.monotonic_ns()}"
    args = ["audit", str(data), "--peildatum", peildatum, "--out", str(out), "--format", "json", "-q"]
    args += ["--history", str(db)] if db is not None else ["--no-history"]
    res = CliRunner().invoke(cli, [*args, *extra], catch_exceptions=False)
    assert res.exit_code in (0, 1), res.output
    return res.exit_code, json.loads((out / "findings.json").read_text(encoding="utf-8"))


def by_klant(findings: list[dict]) -> dict[str, dict]:
    return {f["klantnummer"]: f for f in findings}


# ------------------------------------------------------------------------------ new / persisting / solved


def test_two_runs_new_persisting_resolved(tmp_path):
    db = tmp_path / "h.sqlite"
    may = write_dossiers(tmp_path / "may", [
        ("61000001", BAD, "Org A"), ("61000002", BAD, "Org A"), ("61000003", BAD, "Org B"), ("61000005", GOOD, "Org A"),
    ])
    _, p1 = audit(tmp_path, may, "2025-05-15", db)
    assert p1["history"]["run_id"] == 1 and p1["history"]["previous_run"] is None
    assert {f["status"] for f in p1["findings"]} == {"nieuw"}
    assert p1["resolved"] == []
    assert p1["history"]["scope_source"] == "data"

    # June: client 1 fixed, 2 and 3 still wrong, 4 new, and the rows are in another order.
    june = write_dossiers(tmp_path / "june", [
        ("61000004", BAD, "Org A"), ("61000003", BAD, "Org B"), ("61000002", BAD, "Org A"), ("61000001", GOOD, "Org A"),
    ])
    _, p2 = audit(tmp_path, june, "2025-06-15", db)
    f = by_klant(p2["findings"])
    assert set(f) == {"61000002", "61000003", "61000004"}
    assert f["61000002"]["status"] == "blijvend" and f["61000002"]["first_seen"] == "2025-05-15"
    assert f["61000003"]["status"] == "blijvend" and f["61000003"]["first_seen"] == "2025-05-15"
    assert f["61000004"]["status"] == "nieuw" and f["61000004"]["first_seen"] == "2025-06-15"
    assert [r["klantnummer"] for r in p2["resolved"]] == ["61000001"]
    r = p2["resolved"][0]
    assert r["status"] == "opgelost" and r["last_seen_run"] == 1 and r["last_seen"] == "2025-05-15"
    assert r["fingerprint"] == by_klant(p1["findings"])["61000001"]["fingerprint"]
    assert r["rule"] == "DAT003" and r["organisatie"] == "Org A" and r["message"]
    h = p2["history"]
    assert (h["run_id"], h["previous_run"]["run_id"]) == (2, 1)
    assert (h["nieuw"], h["blijvend"], h["opgelost"], h["not_compared"]) == (1, 2, 1, 0)
    assert [(t["run_id"], t["error"]) for t in p2["trend"]] == [(1, 3), (2, 3)]
    assert set(p2["trend"][0]) >= {"run_id", "peildatum", "recorded_at", "error", "warning", "info"}
    assert p2["inputs"][0]["sha256"] and len(p2["inputs"][0]["sha256"]) == 64


def test_organisation_with_everything_fixed_is_resolved(tmp_path):
    """Org B has no finding left: it is still in the data, so its old finding is solved."""
    db = tmp_path / "h.sqlite"
    audit(tmp_path, write_dossiers(tmp_path / "a", [("61000001", BAD, "Org A"), ("61000003", BAD, "Org B")]),
          "2025-05-15", db)
    _, p = audit(tmp_path, write_dossiers(tmp_path / "b", [("61000001", BAD, "Org A"), ("61000003", GOOD, "Org B")]),
                 "2025-06-15", db)
    assert [(r["klantnummer"], r["organisatie"]) for r in p["resolved"]] == [("61000003", "Org B")]
    assert p["history"]["organisations"] == ["Org A", "Org B"]


def test_partial_run_compares_with_full_audit_and_is_skipped_afterwards(tmp_path):
    db = tmp_path / "h.sqlite"
    full = [("61000001", BAD, "Org A"), ("61000002", BAD, "Org A"), ("61000003", BAD, "Org B")]
    audit(tmp_path, write_dossiers(tmp_path / "m5", full), "2025-05-15", db)  # run 1: A + B
    # run 2: a check of Org A alone (client 2 fixed). Org B is not audited: nothing of it is "solved".
    _, p2 = audit(tmp_path, write_dossiers(tmp_path / "a", [("61000001", BAD, "Org A"), ("61000002", GOOD, "Org A")]),
                  "2025-05-20", db)
    assert p2["history"]["previous_run"]["run_id"] == 1
    assert [r["klantnummer"] for r in p2["resolved"]] == ["61000002"]
    assert p2["history"]["not_compared"] == 1  # Org B's finding
    assert [t["run_id"] for t in p2["trend"]] == [1, 2]
    assert [t["error"] for t in p2["trend"]] == [2, 1]  # run 1 counted for Org A only
    # run 3: the next full audit is compared with run 1 (run 2 did not audit Org B), and a new
    # partner (Org C) does not stop the comparison.
    _, p3 = audit(tmp_path, write_dossiers(tmp_path / "m6", [*full, ("61000009", BAD, "Org C")]), "2025-06-15", db)
    assert p3["history"]["previous_run"]["run_id"] == 1
    st = {k: f["status"] for k, f in by_klant(p3["findings"]).items()}
    assert st == {"61000001": "blijvend", "61000002": "blijvend", "61000003": "blijvend", "61000009": "nieuw"}
    assert by_klant(p3["findings"])["61000002"]["first_seen"] == "2025-05-15"
    assert [t["run_id"] for t in p3["trend"]] == [1, 3]
    # run 4 (full, same organisations as run 3) compares with run 3.
    _, p4 = audit(tmp_path, write_dossiers(tmp_path / "m7", full), "2025-07-15", db)
    assert p4["history"]["previous_run"]["run_id"] == 3
    assert [r["klantnummer"] for r in p4["resolved"]] == []  # Org C not audited in run 4
    assert p4["history"]["not_compared"] == 1


def test_resolved_finding_that_comes_back_is_new_but_keeps_first_seen(tmp_path):
    db = tmp_path / "h.sqlite"
    audit(tmp_path, write_dossiers(tmp_path / "1", [("61000001", BAD, "Org A"), ("61000002", BAD, "Org A")]),
          "2025-04-15", db)
    audit(tmp_path, write_dossiers(tmp_path / "2", [("61000001", GOOD, "Org A"), ("61000002", BAD, "Org A")]),
          "2025-05-15", db)
    _, p = audit(tmp_path, write_dossiers(tmp_path / "3", [("61000001", BAD, "Org A"), ("61000002", BAD, "Org A")]),
                 "2025-06-15", db)
    f = by_klant(p["findings"])
    assert f["61000001"]["status"] == "nieuw" and f["61000001"]["first_seen"] == "2025-04-15"


def test_rerun_of_an_older_month_compares_with_older_runs_only(tmp_path):
    db = tmp_path / "h.sqlite"
    data = write_dossiers(tmp_path / "d", [("61000001", BAD, "Org A")])
    audit(tmp_path, data, "2025-06-15", db)  # run 1, June
    _, p = audit(tmp_path, data, "2025-05-15", db)  # run 2, May, recorded later
    assert p["history"]["previous_run"] is None
    assert p["findings"][0]["status"] == "nieuw" and p["findings"][0]["first_seen"] == "2025-05-15"
    _, p3 = audit(tmp_path, data, "2025-06-15", db)  # run 3: previous is run 1 (same peildatum, earlier)
    assert p3["history"]["previous_run"]["run_id"] == 1
    assert p3["findings"][0]["first_seen"] == "2025-05-15"


def test_no_history_opens_no_database(tmp_path):
    code, p = audit(tmp_path, write_dossiers(tmp_path / "d", [("61000001", BAD, "Org A")]), "2025-06-15", None)
    assert code == 1
    assert not (tmp_path / "env-history.sqlite").exists()
    assert "history" not in p


def test_default_path_env_and_platformdirs(tmp_path, monkeypatch):
    assert store.default_path() == tmp_path / "env-history.sqlite"
    monkeypatch.delenv("DOSSIERCHECK_HISTORY")
    p = store.default_path()
    assert p.name == "history.sqlite" and "dossiercheck" in str(p.parent)


def test_env_default_used_when_no_history_option(tmp_path):
    out = tmp_path / "o"
    data = write_dossiers(tmp_path / "d", [("61000001", BAD, "Org A")])
    res = CliRunner().invoke(cli, ["audit", str(data), "--peildatum", "2025-06-15", "--out", str(out), "--format", "json"])
    assert res.exit_code == 1
    assert (tmp_path / "env-history.sqlite").exists()


# ------------------------------------------------------------------------------ diff


def test_diff_gives_the_same_comparison(tmp_path):
    db = tmp_path / "h.sqlite"
    audit(tmp_path, write_dossiers(tmp_path / "1", [("61000001", BAD, "Org A"), ("61000002", BAD, "Org B")]),
          "2025-05-15", db)
    _, p2 = audit(tmp_path, write_dossiers(tmp_path / "2", [("61000002", BAD, "Org B"), ("61000003", BAD, "Org A"),
                                                            ("61000001", GOOD, "Org A")]), "2025-06-15", db)
    runner = CliRunner()
    out = tmp_path / "diff"
    res = runner.invoke(cli, ["diff", "1", "2", "--history", str(db), "--out", str(out)])
    assert res.exit_code == 0, res.output
    d = json.loads((out / "diff.json").read_text(encoding="utf-8"))
    assert {f["fingerprint"]: f["status"] for f in d["findings"]} == {f["fingerprint"]: f["status"] for f in p2["findings"]}
    assert {f["fingerprint"]: f["first_seen"] for f in d["findings"]} == {
        f["fingerprint"]: f["first_seen"] for f in p2["findings"]}
    assert [r["fingerprint"] for r in d["resolved"]] == [r["fingerprint"] for r in p2["resolved"]]
    assert d["summary"] == {k: p2["history"][k] for k in ("nieuw", "blijvend", "opgelost", "not_compared")}
    assert (d["run_a"]["run_id"], d["run_b"]["run_id"]) == (1, 2)
    assert "Vergelijking van run 1" in res.output and "opgelost" in res.output and "61000001" in res.output
    assert "Nieuwe bevindingen:" in res.output and "61000003" in res.output

    en = runner.invoke(cli, ["diff", "1", "2", "--history", str(db), "--out", str(out), "--lang", "en"])
    assert en.exit_code == 0 and "Comparison of run 1" in en.output and "solved" in en.output

    one = runner.invoke(cli, ["diff", "laatste", "--history", str(db), "--out", str(tmp_path / "d1")])
    assert one.exit_code == 0, one.output
    d1 = json.loads((tmp_path / "d1" / "diff.json").read_text(encoding="utf-8"))
    assert d1["summary"] == d["summary"] and d1["run_a"]["run_id"] == 1

    listing = runner.invoke(cli, ["diff", "--history", str(db)])
    assert listing.exit_code == 0 and "15/05/2025" in listing.output and "15/06/2025" in listing.output


def test_diff_errors_exit_2(tmp_path):
    db = tmp_path / "h.sqlite"
    runner = CliRunner()
    res = runner.invoke(cli, ["diff", "1", "2", "--history", str(db)])
    assert res.exit_code == 2 and "no history database" in res.stderr
    assert not db.exists()  # diff never creates a database
    audit(tmp_path, write_dossiers(tmp_path / "1", [("61000001", BAD, "Org A")]), "2025-05-15", db)
    res = runner.invoke(cli, ["diff", "1", "7", "--history", str(db), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "onbekende run '7'" in res.stderr
    res = runner.invoke(cli, ["diff", "1", "--history", str(db), "--out", str(tmp_path / "o")])
    assert res.exit_code == 0 and "geen eerdere run" in res.output


# ------------------------------------------------------------------------------ trust: crashes


def synthetic(n: int, peildatum: str, start: int = 0, orgs: int = 20) -> dict:
    findings = [
        {
            "rule": "GEN003", "severity": ("error", "warning", "info")[i % 3], "table": "lijnen",
            "klantnummer": str(61000000 + i), "chequenummer": None, "organisatie": f"Org {i % orgs}",
            "file": "school/lijnen.xlsx", "sheet": "Stappen naar werk", "row": i + 4, "rows": [i + 4],
            "message": f"Lijn 'Jobclub' van klant {61000000 + i} staat op Bezig maar heeft al einddatum 31/08/2025.",
            "message_en": f"Line 'Jobclub' of client {61000000 + i} is open but has end date 31/08/2025.",
            "fingerprint": f"{i:020x}",
        }
        for i in range(start, start + n)
    ]
    summary = {s: sum(1 for f in findings if f["severity"] == s) for s in ("error", "warning", "info")}
    return {"tool": "dossiercheck", "version": "0.1.0", "peildatum": peildatum, "config": {}, "inputs": [],
            "unrecognised": [], "rules": [], "findings": findings, "summary": summary}


def db_state(db: Path) -> tuple[bool, list[int], int, int]:
    conn = sqlite3.connect(db)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        runs = [r[0] for r in conn.execute("SELECT run_id FROM runs ORDER BY run_id")]
        orphans = conn.execute("SELECT COUNT(*) FROM findings WHERE run_id NOT IN (SELECT run_id FROM runs)").fetchone()[0]
        nfind = conn.execute("SELECT COUNT(*) FROM findings").fetchone()[0]
        return ok, runs, orphans, nfind
    finally:
        conn.close()


@pytest.mark.parametrize("exc", [RuntimeError, KeyboardInterrupt])
def test_failure_while_recording_leaves_no_partial_run(tmp_path, monkeypatch, exc):
    db = tmp_path / "h.sqlite"
    history.record(synthetic(300, "2025-05-15"), db)
    real = store.finding_rows

    def broken(run_id, findings, waived):
        for i, row in enumerate(real(run_id, findings, waived)):
            if i == 150:
                raise exc("boom")
            yield row

    monkeypatch.setattr(store, "finding_rows", broken)
    with pytest.raises(exc):
        history.record(synthetic(300, "2025-06-15"), db)
    monkeypatch.undo()
    assert db_state(db) == (True, [1], 0, 300)
    p = synthetic(300, "2025-06-15")
    assert history.record(p, db) == 2  # the database is still usable; the failed run left no trace
    assert p["history"]["previous_run"]["run_id"] == 1 and p["history"]["blijvend"] == 300


def test_sigkill_while_recording_leaves_no_partial_run(tmp_path):
    db = tmp_path / "h.sqlite"
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_history import synthetic
        from dossiercheck import history
        from dossiercheck.history import store
        history.record(synthetic(2000, "2025-05-15"), {str(db)!r})
        real = store.finding_rows
        def killer(run_id, findings, waived):
            for i, row in enumerate(real(run_id, findings, waived)):
                if i == 1500:
                    os.kill(os.getpid(), signal.SIGKILL)
                yield row
        store.finding_rows = killer
        history.record(synthetic(2000, "2025-06-15", start=1000), {str(db)!r})
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert db_state(db) == (True, [1], 0, 2000)
    p = synthetic(2000, "2025-06-15", start=1000)
    assert history.record(p, db) == 2
    assert (p["history"]["blijvend"], p["history"]["nieuw"], p["history"]["opgelost"]) == (1000, 1000, 1000)


# ------------------------------------------------------------------------------ trust: concurrency


def test_two_audits_at_once_are_both_recorded(tmp_path):
    db = tmp_path / "h.sqlite"
    d1 = write_dossiers(tmp_path / "d1", [("61000001", BAD, "Org A"), ("61000002", BAD, "Org A")])
    d2 = write_dossiers(tmp_path / "d2", [("61000003", BAD, "Org B")])
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "dossiercheck", "audit", str(d), "--peildatum", "2025-06-15", "--out",
             str(tmp_path / f"o{i}"), "--format", "json", "--history", str(db), "-q"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for i, d in enumerate((d1, d2))
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [1, 1], results
    conn = sqlite3.connect(db)
    counts = sorted(r[0] for r in conn.execute("SELECT COUNT(*) FROM findings GROUP BY run_id"))
    assert counts == [1, 2]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_many_writers_at_once(tmp_path):
    db = tmp_path / "h.sqlite"
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_history import synthetic
        from dossiercheck import history
        w = int(sys.argv[1])
        for k in range(4):
            history.record(synthetic(3000, f"2025-0{{k + 1}}-15", start=w * 10000), {str(db)!r})
        """
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(w)], stderr=subprocess.PIPE, text=True)
             for w in range(3)]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errs
    ok, runs, orphans, nfind = db_state(db)
    assert ok and len(runs) == 12 and orphans == 0 and nfind == 12 * 3000


# ------------------------------------------------------------------------------ trust: schema versions

V1_SCHEMA = """
CREATE TABLE runs (run_id INTEGER PRIMARY KEY AUTOINCREMENT, peildatum TEXT NOT NULL, recorded_at TEXT NOT NULL,
    tool_version TEXT NOT NULL, config_file TEXT, config_json TEXT NOT NULL, paths_json TEXT NOT NULL,
    n_error INTEGER NOT NULL, n_warning INTEGER NOT NULL, n_info INTEGER NOT NULL);
CREATE INDEX runs_by_peildatum ON runs(peildatum, run_id);
CREATE TABLE run_files (run_id INTEGER NOT NULL, file TEXT NOT NULL, path TEXT NOT NULL, bytes INTEGER, sha256 TEXT);
CREATE TABLE run_inputs (run_id INTEGER NOT NULL, file TEXT NOT NULL, sheet TEXT, table_name TEXT, header_row INTEGER,
    rows INTEGER);
CREATE TABLE findings (run_id INTEGER NOT NULL, fingerprint TEXT, rule TEXT NOT NULL, severity TEXT NOT NULL,
    klantnummer TEXT, chequenummer TEXT, organisatie TEXT, message TEXT, message_en TEXT, table_name TEXT, file TEXT,
    sheet TEXT, row INTEGER);
CREATE INDEX findings_by_run ON findings(run_id);
CREATE INDEX findings_by_fingerprint ON findings(fingerprint);
PRAGMA user_version = 1;
"""


def test_old_version_database_is_migrated_not_wiped(tmp_path):
    db = tmp_path / "h.sqlite"
    data = write_dossiers(tmp_path / "d", [("61000001", BAD, "Org A"), ("61000002", BAD, "Org B")])
    _, ref = audit(tmp_path, data, "2025-06-15", None)  # the fingerprints this data gives
    fp = by_klant(ref["findings"])
    conn = sqlite3.connect(db)
    conn.executescript(V1_SCHEMA)
    conn.execute("INSERT INTO runs VALUES (7, '2025-04-15', '2025-04-16T10:00:00+02:00', '0.0.9', NULL, '{}', '[]', 2, 0, 0)")
    conn.executemany(
        "INSERT INTO findings VALUES (7, ?, 'DAT003', 'error', ?, NULL, ?, 'oud bericht', NULL, 'dossiers', "
        "'klantendossiers.csv', NULL, 2)",
        [(fp["61000001"]["fingerprint"], "61000001", "Org A"), ("0" * 20, "61000099", "Org B")],
    )
    conn.commit()
    conn.close()

    _, p = audit(tmp_path, data, "2025-06-15", db)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert [r[0] for r in conn.execute("SELECT run_id FROM runs ORDER BY run_id")] == [7, 8]
    assert conn.execute("SELECT COUNT(*) FROM findings WHERE run_id = 7").fetchone()[0] == 2
    assert conn.execute("SELECT scope_source FROM runs WHERE run_id = 7").fetchone()[0] == "findings"
    conn.close()
    assert (tmp_path / "h.sqlite.v1.bak").exists()
    assert p["history"]["previous_run"]["run_id"] == 7
    f = by_klant(p["findings"])
    assert f["61000001"]["status"] == "blijvend" and f["61000001"]["first_seen"] == "2025-04-15"
    assert f["61000002"]["status"] == "nieuw"
    assert [r["klantnummer"] for r in p["resolved"]] == ["61000099"]
    assert [t["run_id"] for t in p["trend"]] == [7, 8]


def test_newer_version_database_is_refused_untouched(tmp_path):
    db = tmp_path / "h.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE runs (x)")
    conn.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(store.HistoryError, match="newer dossiercheck"):
        history.record(synthetic(5, "2025-06-15"), db)
    assert db.read_bytes() == before
    # through the CLI: exit 2, one line, no traceback
    data = write_dossiers(tmp_path / "d", [("61000001", BAD, "Org A")])
    proc = subprocess.run(
        [sys.executable, "-m", "dossiercheck", "audit", str(data), "--peildatum", "2025-06-15", "--out",
         str(tmp_path / "o"), "--format", "json", "--history", str(db), "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "newer dossiercheck" in proc.stderr and "Traceback" not in proc.stderr


def test_foreign_sqlite_file_is_refused(tmp_path):
    db = tmp_path / "other.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE klanten (x)")
    conn.commit()
    conn.close()
    with pytest.raises(store.HistoryError, match="not a dossiercheck history"):
        history.record(synthetic(5, "2025-06-15"), db)
    conn = sqlite3.connect(db)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["klanten"]
    conn.close()
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database at all, but some notes\n", encoding="utf-8")
    with pytest.raises(store.HistoryError, match="cannot be used"):
        history.record(synthetic(5, "2025-06-15"), text)
    assert text.read_text(encoding="utf-8") == "not a database at all, but some notes\n"


def test_new_database_walks_every_migration(tmp_path):
    conn = store.connect(tmp_path / "new.sqlite")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"runs", "findings", "run_orgs", "run_counts", "fingerprints", "run_files", "run_inputs"} <= names
    assert "findings_by_fingerprint" not in names
    conn.close()


# ------------------------------------------------------------------------------ definitions, speed


def test_covering_definition():
    def run(i, pd, *orgs):
        return {"run_id": i, "peildatum": pd, "scope": frozenset(orgs)}

    runs = [run(1, "2025-01", "A", "B"), run(2, "2025-02", "A"), run(3, "2025-03", "A", "B", "C"), run(4, "2025-04", "B")]
    ids = lambda cur: [r["run_id"] for r in cmp.covering_runs(runs, cur)]  # noqa: E731
    assert ids(cmp.Position("2025-05", float("inf"), frozenset({"A", "B", "C"}))) == [3, 1]
    assert ids(cmp.Position("2025-05", float("inf"), frozenset({"A"}))) == [3, 2, 1]
    assert ids(cmp.Position("2025-05", float("inf"), frozenset({"A", "B", "D"}))) == [3, 1]
    assert ids(cmp.Position("2025-05", float("inf"), frozenset({"Z"}))) == []
    assert ids(cmp.Position("2025-02", 2, frozenset({"A"}))) == [1]


def test_recording_100k_findings_is_fast(tmp_path):
    db = tmp_path / "h.sqlite"
    history.record(synthetic(100_000, "2025-05-15"), db)
    p = synthetic(100_000, "2025-06-15", start=10_000)
    t0 = time.perf_counter()
    history.record(p, db)
    seconds = time.perf_counter() - t0
    print(f"recording 100k findings against a 100k-finding previous run: {seconds:.2f}s")
    h = p["history"]
    assert (h["nieuw"], h["blijvend"], h["opgelost"]) == (10_000, 90_000, 10_000)
    assert seconds < 30  # ~1 s on an idle laptop; generous for loaded CI machines
