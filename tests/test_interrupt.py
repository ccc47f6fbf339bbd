"""Interrupted runs: the CLI, killed with SIGINT (Ctrl-C) or SIGKILL while it writes its reports
(half-way through the Excel workbook, or with findings.json / rapport.html written but not yet in
place), leaves no half-written report under a final name, and the history database passes
``PRAGMA integrity_check`` and holds no half run (a killed run is not recorded at all; the
history stays usable).

Each run is a real ``dossiercheck audit`` process. To stop it at a known point, a small wrapper
pauses it there (a test-only patch of ``os.replace`` or of the zip writer, never a hook in the
tool) and leaves a marker file; the test then sends the real signal from outside.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
REPORTS = ("findings.json", "rapport.xlsx", "rapport.html")

WRAPPER = textwrap.dedent(
    """
    import os, signal, sys, time, zipfile
    point, marker = os.environ["DC_PAUSE"], os.environ["DC_MARKER"]
    # Ctrl-C as in a terminal, even when the test run itself was started with SIGINT ignored
    # (a background job of a non-interactive shell), which its subprocesses would inherit
    signal.signal(signal.SIGINT, signal.default_int_handler)

    def pause():
        open(marker, "w").close()
        # short sleeps: a signal the kernel hands to another thread (pyarrow's, for one) does
        # not cut a long sleep short; the main thread raises KeyboardInterrupt between two
        for _ in range(1200):
            time.sleep(0.1)

    real_replace = os.replace

    def replace(src, dst, *a, **k):
        if point.endswith("-rename") and os.path.basename(str(dst)) == point[: -len("-rename")]:
            pause()
        return real_replace(src, dst, *a, **k)

    os.replace = replace
    calls = [0]
    for name in ("write", "writestr"):
        real = getattr(zipfile.ZipFile, name)

        def wrapped(self, *a, _real=real, **k):
            if point == "xlsx-mid" and "rapport.xlsx" in str(self.filename):
                calls[0] += 1
                if calls[0] == 4:  # a few parts of the workbook are in the temporary file
                    pause()
            return _real(self, *a, **k)

        setattr(zipfile.ZipFile, name, wrapped)
    sys.argv = ["dossiercheck", *sys.argv[1:]]
    from dossiercheck.cli import main
    main()
    """
)


def audit_cmd(out: Path, db: Path) -> list[str]:
    return ["audit", str(SAMPLE), "--peildatum", "2025-06-15", "--out", str(out), "--history", str(db), "--quiet"]


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    e.pop("DOSSIERCHECK_DEBUG", None)
    return e


def db_state(db: Path) -> tuple[str, list[tuple]]:
    """(integrity_check result, [(run_id, findings stored, findings counted in the run row)])."""
    conn = sqlite3.connect(db)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        runs = conn.execute(
            "SELECT r.run_id, (SELECT COUNT(*) FROM findings f WHERE f.run_id = r.run_id), "
            "n_error + n_warning + n_info + n_waived, (SELECT COUNT(*) FROM run_inputs i WHERE i.run_id = r.run_id) "
            "FROM runs r ORDER BY r.run_id"
        ).fetchall()
    finally:
        conn.close()
    return ok, runs


def assert_reports_whole(out: Path) -> None:
    """Every report under its final name is complete."""
    for name in REPORTS:
        p = out / name
        if not p.exists():
            continue
        if name.endswith(".json"):
            assert json.loads(p.read_text("utf-8"))["summary"]["rows_read"] > 0
        elif name.endswith(".html"):
            assert p.read_text("utf-8").rstrip().endswith("</html>")
        else:
            wb = openpyxl.load_workbook(p, read_only=True)
            assert wb.sheetnames
            wb.close()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """A complete earlier run: the reports and a history database with one run."""
    base = tmp_path_factory.mktemp("baseline")
    proc = subprocess.run([sys.executable, "-m", "dossiercheck", *audit_cmd(base / "out", base / "h.sqlite")],
                          capture_output=True, text=True, cwd=ROOT, env=env(), timeout=120)
    assert proc.returncode == 1, proc.stderr
    ok, runs = db_state(base / "h.sqlite")
    assert ok == "ok" and len(runs) == 1 and runs[0][1] == runs[0][2] > 0
    return base


# (signal, where the run is stopped): before the first rename, half-way through the workbook, before the last rename
SCENARIOS = [("SIGINT", "findings.json-rename"), ("SIGINT", "xlsx-mid"), ("SIGKILL", "xlsx-mid"),
             ("SIGKILL", "rapport.html-rename")]


@pytest.fixture(scope="module")
def interrupted(baseline, tmp_path_factory):
    """Every scenario started at once (each pays the interpreter start-up), stopped at its point."""
    procs = {}
    for sig, point in SCENARIOS:
        d = tmp_path_factory.mktemp(f"{sig}-{point}".replace(".", "_"))
        shutil.copytree(baseline / "out", d / "out")
        for f in baseline.iterdir():
            if f.name.startswith("h.sqlite"):
                shutil.copy2(f, d / f.name)
        e = env() | {"DC_PAUSE": point, "DC_MARKER": str(d / "paused")}
        p = subprocess.Popen([sys.executable, "-c", WRAPPER, *audit_cmd(d / "out", d / "h.sqlite")], cwd=ROOT, env=e,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs[(sig, point)] = (d, p)
    results = {}
    try:
        for (sig, point), (d, p) in procs.items():
            deadline = time.monotonic() + 120
            while not (d / "paused").exists():
                assert p.poll() is None, f"{sig} {point}: ended before the pause: {p.communicate()[1][-2000:]}"
                assert time.monotonic() < deadline, "never reached the pause"
                time.sleep(0.05)
            p.send_signal(getattr(signal, sig))
        for key, (d, p) in procs.items():
            stdout, stderr = p.communicate(timeout=60)
            results[key] = (d, p.returncode, stderr)
    finally:
        for _, p in procs.values():
            if p.poll() is None:
                p.kill()
    return results


@pytest.mark.parametrize("sig,point", SCENARIOS, ids=[f"{s}-{p}" for s, p in SCENARIOS])
def test_interrupted_run_leaves_whole_reports_and_history(interrupted, baseline, sig, point):
    d, rc, stderr = interrupted[(sig, point)]
    if sig == "SIGKILL":
        assert rc == -signal.SIGKILL
    else:
        assert rc == 130, stderr
        assert stderr.strip().splitlines() == ["dossiercheck: onderbroken"], stderr
        leftovers = [p.name for p in (d / "out").iterdir() if p.name.endswith(".tmp")]
        assert not leftovers, "Ctrl-C removes its temporary files"
    assert_reports_whole(d / "out")
    for name in REPORTS:  # what was not yet renamed into place is the earlier run's report
        pending = {"findings.json-rename": REPORTS, "xlsx-mid": REPORTS[1:], "rapport.html-rename": REPORTS[2:]}[point]
        if name in pending:
            assert (d / "out" / name).read_bytes() == (baseline / "out" / name).read_bytes(), name
    ok, runs = db_state(d / "h.sqlite")
    assert ok == "ok"
    assert runs == db_state(baseline / "h.sqlite")[1], "the interrupted run is not recorded, not even in part"


def test_history_usable_after_a_kill(interrupted):
    d, rc, _ = interrupted[("SIGKILL", "xlsx-mid")]
    assert rc == -signal.SIGKILL
    proc = subprocess.run([sys.executable, "-m", "dossiercheck", *audit_cmd(d / "out", d / "h.sqlite")],
                          capture_output=True, text=True, cwd=ROOT, env=env(), timeout=120)
    assert proc.returncode == 1, proc.stderr
    ok, runs = db_state(d / "h.sqlite")
    assert ok == "ok" and len(runs) == 2 and all(r[1] == r[2] and r[3] > 0 for r in runs)
    assert_reports_whole(d / "out")
