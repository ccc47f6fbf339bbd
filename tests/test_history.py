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
    # what the database holds about the run: time, inputs (names, rows, content hash), config
    conn = sqlite3.connect(db)
    run = conn.execute("SELECT peildatum, recorded_at, config_json FROM runs WHERE run_id = 2").fetchone()
    assert run[0] == "2025-06-15" and run[1] == h["recorded_at"] and json.loads(run[2]) == p2["config"]
    import hashlib

    digest = hashlib.sha256((june / "klantendossiers.csv").read_bytes()).hexdigest()
    assert conn.execute("SELECT file, sha256 FROM run_files WHERE run_id = 2").fetchall() == [
        ("klantendossiers.csv", digest)]
    assert conn.execute("SELECT file, table_name, rows FROM run_inputs WHERE run_id = 2").fetchall() == [
        ("klantendossiers.csv", "dossiers", 4)]
    assert conn.execute("SELECT COUNT(*) FROM findings WHERE run_id = 2").fetchone()[0] == 3
    conn.close()


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
    """A school checking itself after the province-wide audit, then the next province-wide audit:
    each organisation is compared with its own latest run, never the others' findings "solved"."""
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
    # run 3: the next full audit. Org A is compared with its self-check (run 2), Org B with run 1;
    # a new partner (Org C) has nothing to compare with. Client 2 was solved in run 2 and is back.
    _, p3 = audit(tmp_path, write_dossiers(tmp_path / "m6", [*full, ("61000009", BAD, "Org C")]), "2025-06-15", db)
    h3 = p3["history"]
    assert h3["previous_run"]["run_id"] == 2
    assert [(c["run_id"], c["organisations"]) for c in h3["compared_with"]] == [(2, ["Org A"]), (1, ["Org B"])]
    st = {k: f["status"] for k, f in by_klant(p3["findings"]).items()}
    assert st == {"61000001": "blijvend", "61000002": "nieuw", "61000003": "blijvend", "61000009": "nieuw"}
    assert by_klant(p3["findings"])["61000002"]["first_seen"] == "2025-05-15"
    assert p3["resolved"] == [] and h3["not_compared"] == 0
    assert [t["run_id"] for t in p3["trend"]] == [1, 3]  # the partial run is no dip in the trend
    # run 4 (full, without Org C's export) compares with run 3; Org C's finding is not compared.
    _, p4 = audit(tmp_path, write_dossiers(tmp_path / "m7", full[1:]), "2025-07-15", db)
    assert p4["history"]["previous_run"]["run_id"] == 3
    assert [r["klantnummer"] for r in p4["resolved"]] == ["61000001"]  # no longer in Org A's data
    assert p4["history"]["not_compared"] == 1
    # run 5: Org C's export is back; A and B are compared with run 4, C with run 3 (its last run).
    _, p5 = audit(tmp_path, write_dossiers(tmp_path / "m8", [("61000003", GOOD, "Org B"), ("61000009", GOOD, "Org C"),
                                                            ("61000002", BAD, "Org A")]), "2025-08-15", db)
    h5 = p5["history"]
    assert [(c["run_id"], c["organisations"]) for c in h5["compared_with"]] == [
        (4, ["Org A", "Org B"]), (3, ["Org C"])]
    assert sorted(r["klantnummer"] for r in p5["resolved"]) == ["61000003", "61000009"]
    assert {r["klantnummer"]: r["last_seen_run"] for r in p5["resolved"]} == {"61000003": 4, "61000009": 3}
    assert by_klant(p5["findings"])["61000002"]["status"] == "blijvend"
    # `diff RUN` makes exactly the audit's comparison, baseline runs included
    for n, p in ((3, p3), (5, p5)):
        res = CliRunner().invoke(cli, ["diff", str(n), "--history", str(db), "--out", str(tmp_path / f"d{n}")])
        assert res.exit_code == 0, res.output
        d = json.loads((tmp_path / f"d{n}" / "diff.json").read_text(encoding="utf-8"))
        assert {f["fingerprint"]: (f["status"], f["first_seen"]) for f in d["findings"]} == {
            f["fingerprint"]: (f["status"], f["first_seen"]) for f in p["findings"]}
        assert [(r["fingerprint"], r["last_seen_run"]) for r in d["resolved"]] == [
            (r["fingerprint"], r["last_seen_run"]) for r in p["resolved"]]
        assert d["compared_with"] == p["history"]["compared_with"]
        assert d["summary"] == {k: p["history"][k] for k in ("nieuw", "blijvend", "opgelost", "not_compared")}
    assert "met run 3 (peildatum 15/06/2025): 1 organisatie(s)" in res.output


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
    assert res.exit_code == 2 and "geen historiekdatabank in" in res.stderr
    res = runner.invoke(cli, ["diff", "1", "2", "--history", str(db), "--lang", "en"])
    assert res.exit_code == 2 and "no history database at" in res.stderr
    assert not db.exists()  # diff never creates a database
    audit(tmp_path, write_dossiers(tmp_path / "1", [("61000001", BAD, "Org A")]), "2025-05-15", db)
    res = runner.invoke(cli, ["diff", "1", "7", "--history", str(db), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "onbekende run '7'" in res.stderr
    res = runner.invoke(cli, ["diff", "1", "7", "--history", str(db), "--out", str(tmp_path / "o"), "--lang", "en"])
    assert res.exit_code == 2 and "unknown run '7'" in res.stderr
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


@pytest.mark.parametrize("exc", [OSError, KeyboardInterrupt])
def test_run_is_recorded_only_when_its_reports_were_written(tmp_path, monkeypatch, exc):
    """The history transaction stays open while the reports are written: a failure or Ctrl-C
    while writing rapport.html leaves no run behind, so the next run is not compared with a run
    whose report nobody saw."""
    import datetime as dt

    from dossiercheck.reports import html as html_mod
    from dossiercheck.run import RunOptions, run_audit

    db = tmp_path / "h.sqlite"
    data = write_dossiers(tmp_path / "d", [("61000001", BAD, "Org A")])
    audit(tmp_path, data, "2025-05-15", db)

    def boom(*a, **k):
        raise exc("disk full")

    monkeypatch.setattr(html_mod, "write_html", boom)
    opts = RunOptions(paths=[str(data)], peildatum=dt.date(2025, 6, 15), out_dir=tmp_path / "o", no_history=False,
                      history_path=str(db))
    with pytest.raises(exc):
        run_audit(opts)
    monkeypatch.undo()
    ok, runs, orphans, _ = db_state(db)
    assert ok and runs == [1] and orphans == 0
    _, p = audit(tmp_path, data, "2025-06-15", db)
    assert p["history"]["run_id"] == 2 and p["history"]["previous_run"]["run_id"] == 1


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


def test_writers_in_threads(tmp_path):
    """Threads of one process, each with its own connection, wait for each other's transaction."""
    import threading

    db = tmp_path / "h.sqlite"
    errors: list[BaseException] = []

    def work(w: int) -> None:
        try:
            for k in range(3):
                history.record(synthetic(500, f"2025-0{k + 1}-15", start=w * 1000, orgs=5), db)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    ok, runs, orphans, nfind = db_state(db)
    assert ok and runs == list(range(1, 13)) and orphans == 0 and nfind == 12 * 500


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


def test_v1_migration_derives_first_seen_from_the_earliest_peildatum(tmp_path):
    """Runs recorded out of order in v1 (a re-audit of April after May): first_seen is April's
    peildatum and first_run April's run, not the lowest run id."""
    db = tmp_path / "h.sqlite"
    conn = sqlite3.connect(db)
    conn.executescript(V1_SCHEMA)
    conn.execute("INSERT INTO runs VALUES (1, '2025-05-15', '2025-05-16T10:00:00', '0.0.9', NULL, '{}', '[]', 1, 0, 0)")
    conn.execute("INSERT INTO runs VALUES (2, '2025-04-15', '2025-05-17T10:00:00', '0.0.9', NULL, '{}', '[]', 1, 0, 0)")
    conn.executemany("INSERT INTO findings (run_id, fingerprint, rule, severity, organisatie) VALUES (?, 'fp1', "
                     "'DAT003', 'error', 'Org A')", [(1,), (2,)])
    conn.commit()
    conn.close()
    conn = store.connect(db)
    assert conn.execute("SELECT first_seen, first_run FROM fingerprints").fetchall() == [("2025-04-15", 2)]
    assert conn.execute("SELECT run_id, organisatie FROM run_orgs ORDER BY run_id").fetchall() == [
        (1, "Org A"), (2, "Org A")]
    conn.close()


def test_newer_version_database_is_refused_untouched(tmp_path):
    db = tmp_path / "h.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE runs (x)")
    conn.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(store.HistoryError, match="nieuwere dossiercheck") as e:
        history.record(synthetic(5, "2025-06-15"), db)
    assert "was written by a newer dossiercheck" in e.value.render("en")
    assert db.read_bytes() == before
    # through the CLI: exit 2, one line, no traceback, in the --lang language
    data = write_dossiers(tmp_path / "d", [("61000001", BAD, "Org A")])
    for lang, needle in ((None, "is geschreven door een nieuwere dossiercheck"), ("nl", "werk dossiercheck bij"),
                         ("en", "was written by a newer dossiercheck")):
        proc = subprocess.run(
            [sys.executable, "-m", "dossiercheck", "audit", str(data), "--peildatum", "2025-06-15", "--out",
             str(tmp_path / "o"), "--format", "json", "--history", str(db), "-q", *(["--lang", lang] if lang else [])],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )
        assert proc.returncode == 2
        assert proc.stderr.count("\n") == 1 and needle in proc.stderr and "Traceback" not in proc.stderr
    assert db.read_bytes() == before


def test_foreign_sqlite_file_is_refused(tmp_path):
    db = tmp_path / "other.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE klanten (x)")
    conn.commit()
    conn.close()
    with pytest.raises(store.HistoryError, match="geen historiekdatabank van dossiercheck") as e:
        history.record(synthetic(5, "2025-06-15"), db)
    assert e.value.render("en").endswith("is not a dossiercheck history database (it holds other tables)")
    conn = sqlite3.connect(db)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["klanten"]
    conn.close()
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database at all, but some notes\n", encoding="utf-8")
    with pytest.raises(store.HistoryError, match="kan niet gebruikt worden") as e:
        history.record(synthetic(5, "2025-06-15"), text)
    assert "cannot be used" in e.value.render("en")
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


def test_baseline_per_organisation():
    def run(i, pd, *orgs):
        return {"run_id": i, "peildatum": pd, "scope": frozenset(orgs)}

    def base(runs, pd, *orgs):
        b = cmp.baseline(runs, cmp.Position(pd, float("inf"), frozenset(orgs)))
        return {o: r["run_id"] for o, r in b.by_org.items()}, (b.unattributed or {}).get("run_id")

    # a month in which Org C's export was missing: A and B compare with last month, C with its last run
    runs = [run(1, "2025-04", "A", "B", "C"), run(2, "2025-05", "A", "B")]
    assert base(runs, "2025-06", "A", "B", "C") == ({"A": 2, "B": 2, "C": 1}, 2)
    # two schools checking themselves, then the province-wide run: each school with its own check
    runs = [run(1, "2025-04", "A"), run(2, "2025-05", "B")]
    assert base(runs, "2025-06", "A", "B") == ({"A": 1, "B": 2}, 2)
    # a school after the province-wide run: its part of it; findings without organisation are not
    # compared (the province run saw data this run did not)
    runs = [run(1, "2025-05", "A", "B", "C")]
    assert base(runs, "2025-06", "A") == ({"A": 1}, None)
    # runs without any organisation match each other only
    runs = [run(1, "2025-04"), run(2, "2025-05", "A")]
    assert base(runs, "2025-06") == ({}, 1)
    assert base(runs, "2025-06", "Z") == ({}, None)


def test_compare_per_organisation_resolves_only_each_organisations_own_baseline():
    b1 = {"run_id": 1, "peildatum": "2025-04", "scope": frozenset({"A", "B"})}
    b2 = {"run_id": 2, "peildatum": "2025-05", "scope": frozenset({"A"})}
    base = cmp.Baseline({"A": b2, "B": b1}, None)
    old = {
        1: [(10, "a-old", "A"), (11, "b-gone", "B"), (12, "b-stays", "B"), (13, None, None)],
        2: [(20, "a-gone", "A"), (21, "a-stays", "A"), (22, "moved", "A")],
    }
    c = cmp.compare(base, old, {"a-old", "b-stays", "a-stays", "moved"}, frozenset({"A", "B"}))
    # a-old was in run 1 (not A's baseline): not persisting, not resolved
    assert c.persisting == {"b-stays", "a-stays", "moved"}
    assert sorted(c.resolved) == [(1, 11), (2, 20)]
    assert c.not_compared == 1  # the finding without organisation of run 1
    assert c.compared_organisations == ["A", "B"]


def test_recording_100k_findings_against_100k(tmp_path):
    db = tmp_path / "h.sqlite"
    history.record(synthetic(100_000, "2025-05-15"), db)
    p = synthetic(100_000, "2025-06-15", start=10_000)
    history.record(p, db)
    h = p["history"]
    assert (h["nieuw"], h["blijvend"], h["opgelost"]) == (10_000, 90_000, 10_000)


# ------------------------------------------------------------------------------ acceptance: sample audit twice


def _edit_cp1252(path: Path, old: str, new: str) -> None:
    text = path.read_bytes().decode("cp1252")
    assert text.count(old) == 1, old
    path.write_bytes(text.replace(old, new).encode("cp1252"))


def test_sample_audit_twice_shows_new_persisting_resolved_and_waived_in_all_outputs(tmp_path):
    """The issue's acceptance test: the sample audit, then the same exports with one problem fixed
    (cheque 64000018's unknown theme) and one added (cheque 64000001 loses its initial question),
    plus a waiver, an expired waiver and one that matches nothing: JSON, HTML, Excel and console
    all show nieuw, blijvend, opgelost and the waived finding."""
    import shutil

    import openpyxl

    data = tmp_path / "sample"
    shutil.copytree(ROOT / "sample_data", data, ignore=shutil.ignore_patterns("parts", "*.py", "__pycache__"))
    db = tmp_path / "h.sqlite"
    runner = CliRunner()

    def run(out: Path, *extra: str) -> tuple[str, dict]:
        res = runner.invoke(cli, ["audit", str(data), "--peildatum", "2025-06-15", "--out", str(out), "--history",
                                  str(db), "-q", *extra], catch_exceptions=False)
        assert res.exit_code == 1, res.output
        return res.output, json.loads((out / "findings.json").read_text(encoding="utf-8"))

    _, p1 = run(tmp_path / "r1")
    lbc013 = {f["klantnummer"]: f for f in p1["findings"] if f["rule"] == "LBC013"}
    assert "64000018" in lbc013 and "64000001" not in lbc013
    fixed_fp = lbc013["64000018"]["fingerprint"]
    waive = next(f for f in p1["findings"] if f["rule"] == "LBC014")

    csv = data / "loopbaancheques" / "overzicht_begeleidingen.csv"
    _edit_cp1252(csv, '"Jobdoelwit; Loopbaanplanning"', '"Jobdoelwit; Zingeving"')
    _edit_cp1252(csv, "Welk werk past echt bij mij?;Loopbaancentrum De Wegwijzer;06/01/2025",
                 ";Loopbaancentrum De Wegwijzer;06/01/2025")
    waivers = tmp_path / "uitzonderingen.toml"
    waivers.write_text(textwrap.dedent(f"""
        [[waiver]]
        fingerprint = "{waive['fingerprint']}"
        reason = "Klant gaf zelf toestemming"
        accepted_by = "An Peeters"
        [[waiver]]
        rule = "LBC013"
        klantnummer = "64000017"
        reason = "Tijdelijk"
        accepted_by = "Jan"
        expires = 2025-05-31
        [[waiver]]
        rule = "GEN001"
        klantnummer = "61999999"
        reason = "Oud"
        accepted_by = "Jan"
        """), encoding="utf-8")
    out2 = tmp_path / "r2"
    console, p2 = run(out2, "--waivers", str(waivers))

    # findings.json
    st = {f["fingerprint"]: f["status"] for f in p2["findings"]}
    new = [f for f in p2["findings"] if f["status"] == "nieuw"]
    assert [(f["rule"], f["klantnummer"]) for f in new] == [("LBC013", "64000001")]
    assert new[0]["first_seen"] == "2025-06-15"
    assert all(s == "blijvend" for fp, s in st.items() if fp != new[0]["fingerprint"])
    assert [r["fingerprint"] for r in p2["resolved"]] == [fixed_fp]
    assert p2["resolved"][0]["status"] == "opgelost" and p2["resolved"][0]["last_seen_run"] == 1
    assert [w["fingerprint"] for w in p2["waived"]] == [waive["fingerprint"]]
    assert p2["waived"][0]["status"] == "blijvend" and p2["waived"][0]["waiver"]["accepted_by"] == "An Peeters"
    assert {p["kind"] for p in p2["waiver_problems"]} == {"expired", "unmatched"}
    h = p2["history"]
    assert (h["nieuw"], h["blijvend"], h["opgelost"]) == (1, len(p1["findings"]) - 1, 1)
    assert p2["summary"]["waived"] == 1
    assert [t["run_id"] for t in p2["trend"]] == [1, 2]

    # console
    assert "Sinds de vorige controle: 1 nieuw, " in console and "1 opgelost, 1 aanvaard" in console
    assert "is vervallen op 31/05/2025" in console and "komt met geen enkele bevinding overeen" in console

    # rapport.html
    html = (out2 / "rapport.html").read_text(encoding="utf-8")
    for text in ("nieuw", "blijvend", "Opgelost sinds de vorige controle", "Aanvaarde bevindingen",
                 "Klant gaf zelf toestemming", "Verloop over de laatste controles", "vervallen op 31/05/2025"):
        assert text in html, text
    assert lbc013["64000018"]["message"].replace("'", "&#39;") in html  # the resolved finding is listed

    # rapport.xlsx
    wb = openpyxl.load_workbook(out2 / "rapport.xlsx")
    assert {"Opgelost", "Aanvaard"} <= set(wb.sheetnames)
    ws = wb["Bevindingen"]
    header = [c.value for c in ws[1]]
    col = header.index("Status")
    statuses = [r[col] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert statuses.count("nieuw") == 1 and statuses.count("blijvend") == len(statuses) - 1
    fp_col = [c.value for c in wb["Opgelost"][1]].index("Vingerafdruk")
    assert [r[fp_col] for r in wb["Opgelost"].iter_rows(min_row=2, values_only=True)] == [fixed_fp]
    assert len(list(wb["Aanvaard"].iter_rows(min_row=2, values_only=True))) == 1
    cells = " ".join(str(c) for s in wb.worksheets for r in s.iter_rows(values_only=True) for c in r if c)
    assert "vervallen op 31/05/2025" in cells

    # English console
    out3 = tmp_path / "r3"
    res = runner.invoke(cli, ["audit", str(data), "--peildatum", "2025-06-15", "--out", str(out3), "--no-history",
                              "--format", "json", "--waivers", str(waivers), "--lang", "en", "-q"])
    assert "expired on 31/05/2025" in res.output and "Since the previous check" not in res.output
    res = runner.invoke(cli, ["audit", str(data), "--peildatum", "2025-06-15", "--out", str(out3), "--history", str(db),
                              "--format", "json", "--lang", "en", "-q"])
    assert "Since the previous check: 0 new, " in res.output and "0 resolved" in res.output
