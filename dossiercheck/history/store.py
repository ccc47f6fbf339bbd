"""The history database: SQLite (stdlib), schema versions, migrations, recording one run.

Trust rules:

- One transaction per run (``BEGIN IMMEDIATE`` … ``COMMIT``), kept open until the run's reports
  are written: a crash, SIGKILL, error or Ctrl-C before that leaves the database as it was before
  the run (SQLite rolls the half-written transaction back on the next open), never half a run.
- Two runs at once: WAL journal mode (readers never block) and a busy timeout, and the write lock
  is taken at the start of the transaction, so the second run waits (up to
  :data:`BUSY_TIMEOUT_S`) for the first and then sees it.
  WAL needs a local disk; on a network share SQLite may refuse WAL and the default rollback
  journal is kept (still safe, just more blocking).
- The schema version lives in ``PRAGMA user_version``. A database of an older version is migrated
  step by step (:data:`MIGRATIONS`, each step in its own transaction, after a backup copy
  ``<file>.v<old>.bak``), never wiped. A database of a newer version than this program knows is
  refused (a one-line error), never touched.

Schema (version 2)::

    runs(run_id, peildatum, recorded_at, tool_version, config_file, config_json, paths_json,
         n_error, n_warning, n_info, n_waived, waivers_file, scope_source)
    run_files(run_id, file, path, bytes, sha256)        -- every input file, content hash
    run_inputs(run_id, file, sheet, table_name, header_row, rows)  -- every sheet/CSV read
    findings(run_id, fingerprint, rule, severity, klantnummer, chequenummer, organisatie,
             message, message_en, table_name, file, sheet, row, waived)
    run_orgs(run_id, organisatie)                       -- the organisations the run covered
    run_counts(run_id, organisatie, severity, waived, n) -- for the trend
    fingerprints(fingerprint, first_seen, first_run)   -- earliest peildatum per fingerprint
                                                        -- (derived from findings + runs)

Version 1 had no ``waived``/``run_orgs``/``run_counts``/``fingerprints``/``scope_source`` and an
index on ``findings(fingerprint)`` instead; the v1→v2 step adds them, derives the organisations of
old runs from their findings (``scope_source = 'findings'``) and the fingerprint table from the
findings, and drops the index (the fingerprint table is smaller and faster to keep up to date).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from dossiercheck.config import ConfigError

SCHEMA_VERSION = 2
BUSY_TIMEOUT_S = 300.0  # a run holds the write lock while it writes its reports


MESSAGES: dict[str, dict[str, str]] = {
    "newer_schema": {
        "nl": "historiekdatabank {file} is geschreven door een nieuwere dossiercheck (schema {found} > {known}); "
        "werk dossiercheck bij of gebruik een ander --history-bestand",
        "en": "history database {file} was written by a newer dossiercheck (schema {found} > {known}); "
        "update dossiercheck or use another --history file",
    },
    "foreign": {
        "nl": "{file} is geen historiekdatabank van dossiercheck (het bevat andere tabellen)",
        "en": "{file} is not a dossiercheck history database (it holds other tables)",
    },
    "busy": {
        "nl": "historiekdatabank is bezet of alleen-lezen ({detail}); probeer opnieuw",
        "en": "history database is busy or read-only ({detail}); try again",
    },
    "missing": {
        "nl": "geen historiekdatabank in {file} (voer eerst 'dossiercheck audit' uit, of geef --history)",
        "en": "no history database at {file} (run 'dossiercheck audit' first, or give --history)",
    },
    "is_folder": {
        "nl": "--history {file} is een map; geef een bestandspad",
        "en": "--history {file} is a folder; give a file path",
    },
    "cannot_open": {
        "nl": "historiekdatabank {file} kan niet geopend worden: {detail}",
        "en": "cannot open history database {file}: {detail}",
    },
    "unusable": {
        "nl": "historiekdatabank {file} kan niet gebruikt worden: {detail}",
        "en": "history database {file} cannot be used: {detail}",
    },
    "not_written": {
        "nl": "historiekdatabank {file} kon niet geschreven worden ({detail}); er is niets opgenomen",
        "en": "history database {file} could not be written ({detail}); nothing was recorded",
    },
    "bad_ref": {
        "nl": "onbekende run {ref!r}; geef een run-nummer of 'laatste' ('dossiercheck diff' toont de lijst)",
        "en": "unknown run {ref!r}; give a run number or 'latest' ('dossiercheck diff' lists them)",
    },
}


class HistoryError(ConfigError):
    """The history database cannot be used: one line for the user (Dutch ``str(e)``, English
    ``e.render("en")``), a key of :data:`MESSAGES` and its parameters; the CLI exits 2."""

    MESSAGES = MESSAGES


# ------------------------------------------------------------------------------------ migrations


def _script(conn: sqlite3.Connection, sql: str) -> None:
    """Run DDL statements one by one (``executescript`` would COMMIT the open transaction)."""
    for stmt in sql.split(";"):
        if stmt.strip():
            conn.execute(stmt)


def _v0_to_v1(conn: sqlite3.Connection) -> None:
    _script(
        conn,
        """
        CREATE TABLE runs (
            run_id INTEGER PRIMARY KEY AUTOINCREMENT,
            peildatum TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            tool_version TEXT NOT NULL,
            config_file TEXT,
            config_json TEXT NOT NULL,
            paths_json TEXT NOT NULL,
            n_error INTEGER NOT NULL,
            n_warning INTEGER NOT NULL,
            n_info INTEGER NOT NULL
        );
        CREATE INDEX runs_by_peildatum ON runs(peildatum, run_id);
        CREATE TABLE run_files (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            file TEXT NOT NULL,
            path TEXT NOT NULL,
            bytes INTEGER,
            sha256 TEXT
        );
        CREATE INDEX run_files_by_run ON run_files(run_id);
        CREATE TABLE run_inputs (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            file TEXT NOT NULL,
            sheet TEXT,
            table_name TEXT,
            header_row INTEGER,
            rows INTEGER
        );
        CREATE INDEX run_inputs_by_run ON run_inputs(run_id);
        CREATE TABLE findings (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            fingerprint TEXT,
            rule TEXT NOT NULL,
            severity TEXT NOT NULL,
            klantnummer TEXT,
            chequenummer TEXT,
            organisatie TEXT,
            message TEXT,
            message_en TEXT,
            table_name TEXT,
            file TEXT,
            sheet TEXT,
            row INTEGER
        );
        CREATE INDEX findings_by_run ON findings(run_id);
        CREATE INDEX findings_by_fingerprint ON findings(fingerprint);
        """
    )


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    _script(
        conn,
        """
        ALTER TABLE runs ADD COLUMN n_waived INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE runs ADD COLUMN waivers_file TEXT;
        ALTER TABLE runs ADD COLUMN scope_source TEXT NOT NULL DEFAULT 'findings';
        ALTER TABLE findings ADD COLUMN waived INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE run_orgs (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            organisatie TEXT NOT NULL,
            PRIMARY KEY (run_id, organisatie)
        ) WITHOUT ROWID;
        CREATE TABLE run_counts (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            organisatie TEXT,
            severity TEXT NOT NULL,
            waived INTEGER NOT NULL,
            n INTEGER NOT NULL
        );
        CREATE INDEX run_counts_by_run ON run_counts(run_id);
        CREATE TABLE fingerprints (
            fingerprint TEXT PRIMARY KEY,
            first_seen TEXT NOT NULL,
            first_run INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO fingerprints (fingerprint, first_seen, first_run)
            SELECT f.fingerprint, MIN(r.peildatum), r.run_id FROM findings f JOIN runs r ON r.run_id = f.run_id
            WHERE f.fingerprint IS NOT NULL GROUP BY f.fingerprint;
        -- (the bare r.run_id is taken from the row with the MIN peildatum: SQLite's documented rule)
        DROP INDEX IF EXISTS findings_by_fingerprint;
        INSERT INTO run_orgs (run_id, organisatie)
            SELECT DISTINCT run_id, organisatie FROM findings WHERE organisatie IS NOT NULL AND organisatie <> '';
        INSERT INTO run_counts (run_id, organisatie, severity, waived, n)
            SELECT run_id, organisatie, severity, 0, COUNT(*) FROM findings GROUP BY run_id, organisatie, severity;
        """
    )


# version reached -> step from the version before it
MIGRATIONS = {1: _v0_to_v1, 2: _v1_to_v2}
assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _backup(conn: sqlite3.Connection, path: Path, version: int) -> None:
    target = path.with_name(f"{path.name}.v{version}.bak")
    if target.exists():
        return
    dst = sqlite3.connect(target)
    try:
        conn.backup(dst)
    finally:
        dst.close()


def _refuse_foreign(conn: sqlite3.Connection, path: Path | None) -> int:
    """The schema version, after refusing (before any write) a database that is not ours to touch."""
    # One statement, so one snapshot: read separately, a concurrent first run could commit its
    # tables and version between the two reads and make a fresh database look foreign.
    found, has_tables = conn.execute(
        "SELECT (SELECT user_version FROM pragma_user_version),"
        " EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%')"
    ).fetchone()
    found = int(found)
    if found > SCHEMA_VERSION:
        raise HistoryError("newer_schema", file=path, found=found, known=SCHEMA_VERSION)
    if found == 0 and has_tables:
        raise HistoryError("foreign", file=path)
    return found


def _has_tables(conn: sqlite3.Connection) -> bool:
    q = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    return conn.execute(q).fetchone() is not None


def migrate(conn: sqlite3.Connection, path: Path | None = None) -> int:
    """Bring the schema to :data:`SCHEMA_VERSION`; returns the version found before."""
    found = _refuse_foreign(conn, path)
    if found == SCHEMA_VERSION:
        return found
    if found >= 1 and path is not None:
        _backup(conn, path, found)
    for target in range(found + 1, SCHEMA_VERSION + 1):
        with transaction(conn):
            if _version(conn) >= target:  # another process migrated meanwhile
                continue
            if target == 1 and _has_tables(conn):
                raise HistoryError("foreign", file=path)
            MIGRATIONS[target](conn)
            conn.execute(f"PRAGMA user_version = {int(target)}")
    return found


# ------------------------------------------------------------------------------------ connection


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` (the write lock, waiting up to the busy timeout) … ``COMMIT``; any
    exception, KeyboardInterrupt included, rolls everything back."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as e:
        raise HistoryError("busy", detail=e) from None
    try:
        yield conn
    except BaseException:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        raise
    else:
        conn.execute("COMMIT")


def connect(path: str | Path, create: bool = True) -> sqlite3.Connection:
    """Open (creating if allowed) and migrate the history database at ``path``."""
    p = Path(path).expanduser()
    if not create and not p.exists():
        raise HistoryError("missing", file=p)
    if p.exists() and p.is_dir():
        raise HistoryError("is_folder", file=p)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(p, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except (OSError, sqlite3.Error) as e:
        raise HistoryError("cannot_open", file=p, detail=e) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        _refuse_foreign(conn, p)  # before anything is written (WAL mode changes the file header)
        _set_wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MB: the fingerprint B-tree stays in memory
        migrate(conn, p)
    except sqlite3.DatabaseError as e:
        conn.close()
        raise HistoryError("unusable", file=p, detail=e) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _set_wal(conn: sqlite3.Connection) -> None:
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as e:
            if ("locked" not in str(e) and "busy" not in str(e)) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


# ------------------------------------------------------------------------------------ reading


def load_runs(conn: sqlite3.Connection) -> list[dict]:
    """Every recorded run (without findings), with its organisations as a frozenset ``scope``."""
    runs = [
        dict(
            run_id=r[0], peildatum=r[1], recorded_at=r[2], tool_version=r[3], n_error=r[4], n_warning=r[5],
            n_info=r[6], n_waived=r[7], scope_source=r[8], scope=set(),
        )
        for r in conn.execute(
            "SELECT run_id, peildatum, recorded_at, tool_version, n_error, n_warning, n_info, n_waived, scope_source "
            "FROM runs ORDER BY peildatum, run_id"
        )
    ]
    by_id = {r["run_id"]: r for r in runs}
    for run_id, org in conn.execute("SELECT run_id, organisatie FROM run_orgs"):
        if run_id in by_id:
            by_id[run_id]["scope"].add(org)
    for r in runs:
        r["scope"] = frozenset(r["scope"])
    return runs


FINDING_COLS = (
    "fingerprint", "rule", "severity", "klantnummer", "chequenummer", "organisatie", "message", "message_en",
    "table_name", "file", "sheet", "row", "waived",
)
_SELECT = f"SELECT {', '.join(FINDING_COLS)} FROM findings"


def _as_dict(r: tuple) -> dict:
    d = dict(zip(FINDING_COLS, r))
    d["table"] = d.pop("table_name")
    d["waived"] = bool(d["waived"])
    return d


def load_findings(conn: sqlite3.Connection, run_id: int) -> list[dict]:
    """Every finding recorded for ``run_id`` (waived ones with ``waived: True``)."""
    return [_as_dict(r) for r in conn.execute(f"{_SELECT} WHERE run_id = ?", (run_id,))]


def load_keys(conn: sqlite3.Connection, run_id: int) -> list[tuple[int, str | None, str | None]]:
    """(rowid, fingerprint, organisatie) of every finding of ``run_id`` — cheap, for comparing."""
    return conn.execute(
        "SELECT rowid, fingerprint, organisatie FROM findings WHERE run_id = ?", (run_id,)
    ).fetchall()


def load_rows(conn: sqlite3.Connection, rowids: Iterable[int]) -> list[dict]:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _rowids (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM _rowids")
    conn.executemany("INSERT OR IGNORE INTO _rowids VALUES (?)", ((i,) for i in rowids))
    out = [_as_dict(r) for r in conn.execute(f"{_SELECT} WHERE rowid IN (SELECT id FROM _rowids)")]
    conn.execute("DELETE FROM _rowids")
    return out


def first_seen(conn: sqlite3.Connection, run_id: int) -> dict[str, str]:
    """fingerprint -> the earliest peildatum of any recorded run having it, for the fingerprints of
    ``run_id``."""
    return dict(
        conn.execute(
            "SELECT p.fingerprint, p.first_seen FROM findings f JOIN fingerprints p ON p.fingerprint = f.fingerprint "
            "WHERE f.run_id = ?",
            (run_id,),
        )
    )


def first_seen_of(conn: sqlite3.Connection, fingerprints: Iterable[str]) -> dict[str, str]:
    """fingerprint -> the earliest peildatum of any recorded run having it (any set of fingerprints)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _want (fp TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.execute("DELETE FROM _want")
    conn.executemany("INSERT OR IGNORE INTO _want VALUES (?)", ((f,) for f in fingerprints if f))
    out = dict(
        conn.execute("SELECT p.fingerprint, p.first_seen FROM _want w JOIN fingerprints p ON p.fingerprint = w.fp")
    )
    conn.execute("DELETE FROM _want")
    return out


def counts(conn: sqlite3.Connection, run_ids: Iterable[int]) -> dict[int, list[tuple]]:
    """run_id -> [(organisatie, severity, waived, n)]."""
    ids = list(run_ids)
    out: dict[int, list[tuple]] = {i: [] for i in ids}
    if not ids:
        return out
    q = f"SELECT run_id, organisatie, severity, waived, n FROM run_counts WHERE run_id IN ({','.join('?' * len(ids))})"
    for run_id, org, sev, waived, n in conn.execute(q, ids):
        out[run_id].append((org, sev, bool(waived), n))
    return out


# ------------------------------------------------------------------------------------ recording


_ROW_KEYS = ("fingerprint", "rule", "severity", "klantnummer", "chequenummer", "organisatie", "message",
             "message_en", "table", "file", "sheet", "row")
_STORABLE = frozenset((str, int, float, type(None)))


def _storable(v):
    if type(v) in _STORABLE:
        return v
    if hasattr(v, "__index__"):  # numpy integers
        return int(v)
    try:
        if v != v:  # NaN, NA
            return None
    except (TypeError, ValueError):
        return None
    return str(v)


def _finding_row(run_id: int, f: dict, waived: int) -> tuple:
    vals = tuple(map(f.get, _ROW_KEYS))
    if not _STORABLE.issuperset(map(type, vals)):
        vals = tuple(map(_storable, vals))
    return (run_id, *vals, waived)


def finding_rows(run_id: int, findings: Iterable[dict], waived: Iterable[dict]) -> Iterator[tuple]:
    for f in findings:
        yield _finding_row(run_id, f, 0)
    for f in waived:
        yield _finding_row(run_id, f, 1)


def insert_run(
    conn: sqlite3.Connection,
    *,
    peildatum: str,
    recorded_at: str,
    tool_version: str,
    config_file: str | None,
    config: dict,
    paths: list[str],
    summary: dict,
    waivers_file: str | None,
    scope: Iterable[str],
    scope_source: str,
    files: list[dict],
    inputs: list[dict],
    findings: list[dict],
    waived: list[dict],
) -> int:
    """Insert one run and everything belonging to it. Call inside :func:`transaction`."""
    cur = conn.execute(
        "INSERT INTO runs (peildatum, recorded_at, tool_version, config_file, config_json, paths_json, n_error, "
        "n_warning, n_info, n_waived, waivers_file, scope_source) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            peildatum, recorded_at, tool_version, config_file,
            json.dumps(config, ensure_ascii=False, sort_keys=True, default=str),
            json.dumps(paths, ensure_ascii=False), int(summary.get("error", 0)), int(summary.get("warning", 0)),
            int(summary.get("info", 0)), len(waived), waivers_file, scope_source,
        ),
    )
    run_id = int(cur.lastrowid)
    conn.executemany(
        "INSERT INTO run_files (run_id, file, path, bytes, sha256) VALUES (?,?,?,?,?)",
        [(run_id, f["file"], f["path"], f.get("bytes"), f.get("sha256")) for f in files],
    )
    conn.executemany(
        "INSERT INTO run_inputs (run_id, file, sheet, table_name, header_row, rows) VALUES (?,?,?,?,?,?)",
        [(run_id, i.get("file"), i.get("sheet"), i.get("table"), i.get("header_row"), i.get("rows")) for i in inputs],
    )
    conn.executemany(
        "INSERT INTO run_orgs (run_id, organisatie) VALUES (?, ?)", [(run_id, o) for o in sorted(set(scope))]
    )
    conn.executemany(
        "INSERT INTO findings (run_id, fingerprint, rule, severity, klantnummer, chequenummer, organisatie, message, "
        "message_en, table_name, file, sheet, row, waived) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        finding_rows(run_id, findings, waived),
    )
    conn.execute(
        "INSERT INTO fingerprints (fingerprint, first_seen, first_run) "
        "SELECT fingerprint, ?, ? FROM findings WHERE run_id = ? AND fingerprint IS NOT NULL AND true "
        "ON CONFLICT (fingerprint) DO UPDATE SET "
        "first_run = CASE WHEN excluded.first_seen < first_seen THEN excluded.first_run ELSE first_run END, "
        "first_seen = MIN(first_seen, excluded.first_seen)",
        (peildatum, run_id, run_id),
    )
    tally = Counter((f.get("organisatie"), f.get("severity"), 0) for f in findings)
    tally.update((f.get("organisatie"), f.get("severity"), 1) for f in waived)
    conn.executemany(
        "INSERT INTO run_counts (run_id, organisatie, severity, waived, n) VALUES (?,?,?,?,?)",
        [(run_id, _storable(org), sev, w, n) for (org, sev, w), n in tally.items()],
    )
    return run_id


def default_path() -> Path:
    """``$DOSSIERCHECK_HISTORY`` if set, else ``history.sqlite`` in the user data folder."""
    env = os.environ.get("DOSSIERCHECK_HISTORY")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("dossiercheck", appauthor=False)) / "history.sqlite"
