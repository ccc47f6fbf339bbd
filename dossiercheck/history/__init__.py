"""Monthly-audit history: record every run, compare with the previous one, apply waivers.

:func:`apply` is called by :func:`dossiercheck.run.run_audit` after the payload is built (when
history is on or a waivers file is given). It

1. applies ``--waivers`` (:mod:`dossiercheck.waivers`): waived findings move to ``waived``;
2. unless ``--no-history``: in one transaction, finds the baseline (per organisation of this run,
   its latest earlier run), records this run (inputs with content hashes, config, organisations,
   every finding — waived ones flagged), and annotates the payload:

   - every finding (and waived finding): ``status`` ``nieuw`` | ``blijvend`` and ``first_seen``
     (ISO date: the earliest *peildatum* of a recorded run that had its fingerprint);
   - ``resolved``: findings of the baseline that are gone, each with ``status: "opgelost"``,
     ``last_seen_run`` (run id), ``last_seen`` (that run's peildatum) and ``first_seen``;
   - ``trend``: ``[{run_id, peildatum, recorded_at, error, warning, info, waived}]``, up to 12
     runs covering the same organisations, oldest first, this run last;
   - ``history``: ``{run_id, path, recorded_at, previous_run, compared_with, organisations,
     scope_source, compared_organisations, nieuw, blijvend, opgelost, not_compared}``;
     ``compared_with`` lists each baseline run with the organisations compared with it,
     ``previous_run`` is the latest of them (``None`` on a first run).

   The transaction stays open while the caller writes the reports (:func:`apply` returns a context
   manager) and commits at the end: a run is in the history exactly when its reports were written.

With ``--no-history`` no database is opened: findings get ``status``/``first_seen`` ``None`` and
``resolved``/``trend`` are empty. The definitions (covered, previous run, first_seen, trend) are
in :mod:`dossiercheck.history.compare`; the database and its guarantees in
:mod:`dossiercheck.history.store`. ``dossiercheck diff`` is :data:`diff_command`.

The database is ``--history PATH``, else ``$DOSSIERCHECK_HISTORY``, else ``history.sqlite`` in
``platformdirs.user_data_dir("dossiercheck")``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from pathlib import Path

from dossiercheck import __version__
from dossiercheck.history import compare as cmp
from dossiercheck.history import store
from dossiercheck.history.store import HistoryError, default_path

__all__ = ["HistoryError", "apply", "default_path", "diff_command", "hash_inputs", "record", "recording"]


def hash_inputs(paths: list[str]) -> list[dict]:
    """Every input file the readers would read: shown name, path, size and sha256 of its content."""
    from dossiercheck.io import discover

    out = []
    for path, shown in discover(paths):
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        out.append(
            {"file": shown, "path": str(Path(path).resolve()), "bytes": path.stat().st_size, "sha256": h.hexdigest()}
        )
    return out


def _empty_history(payload: dict) -> None:
    for f in payload.get("findings", []):
        f.setdefault("status", None)
        f.setdefault("first_seen", None)
    for f in payload.get("waived", []):
        f.setdefault("status", None)
        f.setdefault("first_seen", None)
    payload.setdefault("resolved", [])
    payload.setdefault("trend", [])


def apply(payload: dict, opts, tables: Mapping | None = None):
    """Waivers, then history (see the module docstring); returns a context manager to write the
    outputs in: the run is committed to the history when its body ends without an exception
    (:func:`recording`). ``tables``: the parsed input tables, used for the organisations a run
    covered; without them the findings' organisations are used."""
    from dossiercheck import waivers as wmod

    if opts.waivers_file:
        wmod.apply(payload, wmod.load(opts.waivers_file), opts.peildatum)
    else:
        payload.setdefault("waived", [])
        payload.setdefault("waiver_problems", [])
        payload.setdefault("summary", {}).setdefault("waived", len(payload["waived"]))
    if getattr(opts, "no_history", False):
        _empty_history(payload)
        return nullcontext(None)
    files = hash_inputs(opts.paths)
    by_file = {f["file"]: f["sha256"] for f in files}
    for i in payload.get("inputs", []):
        if i.get("file") in by_file:
            i["sha256"] = by_file[i["file"]]
    return recording(
        payload,
        opts.history_path or default_path(),
        files=files,
        paths=[str(p) for p in opts.paths],
        tables=tables,
        config_file=opts.config_file,
        waivers_file=opts.waivers_file,
    )


def record(payload: dict, path: str | Path, **kw) -> int:
    """Record ``payload`` as one run in the database at ``path`` and annotate it; returns the run id.
    (:func:`recording` with nothing to do before the commit.)"""
    with recording(payload, path, **kw) as run_id:
        return run_id


@contextmanager
def recording(
    payload: dict,
    path: str | Path,
    *,
    files: list[dict] | None = None,
    paths: list[str] | None = None,
    tables: Mapping | None = None,
    config_file: str | None = None,
    waivers_file: str | None = None,
) -> Iterator[int]:
    """Record ``payload`` as one run and annotate it, in one transaction that stays open (holding
    the write lock) for the body of the ``with`` and commits when the body ends without an
    exception. :func:`dossiercheck.run.run_audit` writes the reports inside, so a run is in the
    history exactly when its reports were written: a crash, error or Ctrl-C anywhere before the
    end leaves no trace of the run. Yields the run id."""
    findings = payload.get("findings", [])
    waived = payload.setdefault("waived", [])
    everything = [*findings, *waived]
    if tables is not None:
        scope = cmp.scope_from_tables(tables) | cmp.scope_from_findings(everything)
        source = "data"
    else:
        scope = cmp.scope_from_findings(everything)
        source = "findings"
    scope = frozenset(scope)
    peildatum = payload["peildatum"]
    recorded_at = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    unrecognised = [
        {"file": u.get("file"), "sheet": u.get("sheet"), "table": None} for u in payload.get("unrecognised", [])
    ]

    conn = store.connect(path)
    try:
        with store.transaction(conn):
            runs = store.load_runs(conn)
            here = cmp.Position(peildatum, float("inf"), scope)
            new_fps = {f.get("fingerprint") for f in everything}
            new_fps.discard(None)
            comp, resolved = compare_with(conn, cmp.baseline(runs, here), new_fps, scope)
            run_id = store.insert_run(
                conn,
                peildatum=peildatum, recorded_at=recorded_at, tool_version=payload.get("version", __version__),
                config_file=str(config_file) if config_file else None, config=payload.get("config", {}),
                paths=list(paths or []), summary=payload.get("summary", {}),
                waivers_file=str(waivers_file) if waivers_file else None, scope=scope, scope_source=source,
                files=files or [], inputs=[*payload.get("inputs", []), *unrecognised],
                findings=findings, waived=waived,
            )
            seen = store.first_seen(conn, run_id)
            seen_resolved = store.first_seen_of(conn, (f["fingerprint"] for _, f in resolved))
            trend_runs = cmp.covering_runs(runs, here)[: cmp.TREND_RUNS - 1]
            tally = store.counts(conn, [r["run_id"] for r in trend_runs] + [run_id])
            _annotate(payload, everything, comp, resolved, seen, seen_resolved, trend_runs, tally,
                      run_id=run_id, path=path, recorded_at=recorded_at, scope=scope, source=source)
            yield run_id
    except sqlite3.Error as e:  # disk full, I/O error...: the transaction was rolled back
        raise HistoryError("not_written", file=path, detail=e) from None
    finally:
        conn.close()


def _annotate(payload, everything, comp, resolved, seen, seen_resolved, trend_runs, tally, *, run_id, path,
              recorded_at, scope, source) -> None:
    peildatum = payload["peildatum"]
    persisting = comp.persisting
    base_runs = comp.base.runs()
    n_persist = 0
    for f in everything:
        fp = f.get("fingerprint")
        if fp in persisting:
            f["status"] = "blijvend"
            n_persist += 1
        else:
            f["status"] = "nieuw"
        f["first_seen"] = seen.get(fp, peildatum)
    payload["resolved"] = [_resolved_item(f, r, seen_resolved.get(f.get("fingerprint"))) for r, f in resolved]
    trend = []
    for r in sorted(trend_runs, key=lambda r: (r["peildatum"], r["run_id"])):
        trend.append({"run_id": r["run_id"], "peildatum": r["peildatum"], "recorded_at": r["recorded_at"],
                      **cmp.restricted_counts(tally[r["run_id"]], scope)})
    trend.append({"run_id": run_id, "peildatum": peildatum, "recorded_at": recorded_at,
                  **cmp.restricted_counts(tally[run_id], scope)})
    payload["trend"] = trend
    payload["history"] = {
        "run_id": run_id,
        "path": str(Path(path).expanduser()),
        "recorded_at": recorded_at,
        "previous_run": _run_ref(base_runs[0] if base_runs else None),
        "compared_with": compared_with(comp.base),
        "organisations": sorted(scope),
        "scope_source": source,
        "compared_organisations": comp.compared_organisations,
        "nieuw": len(everything) - n_persist,
        "blijvend": n_persist,
        "opgelost": len(resolved),
        "not_compared": comp.not_compared,
    }


def compare_with(
    conn: sqlite3.Connection, base: cmp.Baseline, new_fps: set, scope: frozenset[str]
) -> tuple[cmp.Comparison, list[tuple[dict, dict]]]:
    """Compare with ``base`` (inside an open transaction): the comparison and the gone findings as
    (baseline run, finding) pairs in report order. ``comp.base`` is set to ``base``."""
    runs = base.runs()
    old = {r["run_id"]: store.load_keys(conn, r["run_id"]) for r in runs}
    comp = cmp.compare(base, old, new_fps, scope)
    comp.base = base
    by_id = {r["run_id"]: r for r in runs}
    keys: dict[int, list] = {}
    for run_id, key in comp.resolved:
        keys.setdefault(run_id, []).append(key)
    gone = [(by_id[run_id], f) for run_id, ks in keys.items() for f in store.load_rows(conn, ks)]
    gone.sort(key=lambda rf: cmp.sort_key(rf[1]))
    return comp, gone


def compared_with(base: cmp.Baseline) -> list[dict]:
    """The baseline runs for findings.json/diff.json: which run each organisation was compared with."""
    out = []
    for r in base.runs():
        out.append({
            **_run_ref(r),
            "organisations": sorted(o for o, b in base.by_org.items() if b["run_id"] == r["run_id"]),
            "unattributed": base.unattributed is not None and base.unattributed["run_id"] == r["run_id"],
        })
    return out


def _run_ref(run: Mapping | None) -> dict | None:
    if run is None:
        return None
    return {"run_id": run["run_id"], "peildatum": run["peildatum"], "recorded_at": run["recorded_at"]}


def _resolved_item(f: Mapping, run: Mapping, first: str | None) -> dict:
    return {
        "status": "opgelost",
        "fingerprint": f.get("fingerprint"),
        "rule": f.get("rule"),
        "severity": f.get("severity"),
        "klantnummer": f.get("klantnummer"),
        "chequenummer": f.get("chequenummer"),
        "organisatie": f.get("organisatie"),
        "message": f.get("message"),
        "message_en": f.get("message_en"),
        "table": f.get("table"),
        "file": f.get("file"),
        "sheet": f.get("sheet"),
        "row": f.get("row"),
        "waived": bool(f.get("waived")),
        "first_seen": first or run["peildatum"],
        "last_seen_run": run["run_id"],
        "last_seen": run["peildatum"],
    }


from dossiercheck.history.diff import diff_command  # noqa: E402  (click command, uses the above)
