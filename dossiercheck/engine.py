"""The audit engine: parsed tables in, findings out.

:func:`audit_frames` is the entry point for already-loaded frames (one raw frame per table, as
the readers produce them, or as a Spark/Dask partition hands them over: see docs/scaling.md).
It validates each table (schemas), runs the programme ``prepare`` hooks once, runs every rule on
the rows it may see, and turns the offending rows rules return into findings: code, severity,
source rows, klantnummer, chequenummer, organisation, message and fingerprint are attached
here, once, for every rule.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dossiercheck.checks.registry import PREPARE_HOOKS, RULES
from dossiercheck.checks.rule import Context, Rule
from dossiercheck.schemas import validate
from dossiercheck.tables import TABLES

META = ("_rid", "_file", "_sheet", "_row")


@dataclass
class RuleStatus:
    rule: Rule
    evaluated: bool
    findings: int = 0
    reason: str | None = None
    seconds: float = 0.0


@dataclass
class AuditResult:
    peildatum: dt.date
    config: dict
    tables: dict[str, pd.DataFrame]  # parsed tables
    findings: pd.DataFrame  # one row per finding (see FINDING_COLUMNS)
    rules: list[RuleStatus]
    rows_read: int
    rows_per_table: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)


FINDING_COLUMNS = [
    "rule",
    "severity",
    "table",
    "klantnummer",
    "chequenummer",
    "organisatie",
    "file",
    "sheet",
    "row",
    "rows",
    "sources",
    "message",
    "message_en",
    "fingerprint",
    "details",
    "value",
]


def _fmt(v: Any) -> str:
    """Format a detail value for a message: dates day-first, whole floats without .0."""
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT or v is pd.NA:
        return "—"
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, (float, np.floating)):
        return str(int(v)) if float(v).is_integer() else f"{v:.2f}".replace(".", ",")
    if isinstance(v, (list, tuple, np.ndarray)):
        return ", ".join(_fmt(x) for x in v)
    return str(v)


def _jsonable(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_jsonable(x) for x in v]
    return v


def _identity(frame: pd.DataFrame, table: str) -> pd.Series:
    """The natural key of each row as text (parsed values; dates ISO)."""
    parts = []
    for c in TABLES[table].identity:
        if c in frame.columns:
            s = frame[c]
            if pd.api.types.is_datetime64_any_dtype(s):
                s = s.dt.strftime("%Y-%m-%d")
            parts.append(s.astype("string").fillna(""))
    if not parts:
        return pd.Series("", index=frame.index, dtype="string")
    out = parts[0]
    for p in parts[1:]:
        out = out + "|" + p
    return out


def _with_raw_fallback(typed: pd.DataFrame, raw: pd.DataFrame, cols: Iterable[str]) -> pd.DataFrame:
    """Typed values, with the raw text where a cell could not be parsed (for identities)."""
    out = typed.copy()
    for c in cols:
        if c in raw.columns and c in typed.columns:
            s = typed[c]
            if pd.api.types.is_datetime64_any_dtype(s):
                s = s.dt.strftime("%Y-%m-%d")
            out[c] = s.astype("string").fillna(raw[c].astype("string").str.strip())
    return out


def _raw_values(raw: pd.DataFrame, fails: pd.DataFrame) -> np.ndarray:
    """The raw cell text of each failure (None for row-level failures such as DAT008)."""
    out = np.full(len(fails), None, dtype=object)
    for col, idx in fails.groupby("column", dropna=True).groups.items():
        pos = fails.index.get_indexer(idx)
        out[pos] = raw[col].reindex(fails.loc[idx, "index"]).to_numpy(dtype=object)
    return out


def _first_by(frame: pd.DataFrame, key: str, value: str) -> pd.Series:
    """key -> first non-empty ``value`` in ``frame``."""
    if frame is None or key not in frame.columns or value not in frame.columns:
        return pd.Series(dtype="string")
    sub = frame[[key, value]].dropna()
    return sub.drop_duplicates(key).set_index(key)[value].astype("string")


def _row_meta(tables: Mapping[str, pd.DataFrame], raw_ident: Mapping[str, pd.Series]) -> pd.DataFrame:
    """rid -> table, file, sheet, row, klantnummer, chequenummer, organisatie, identity."""
    dossiers = tables.get("dossiers")
    cheques = tables.get("cheques")
    lijnen = tables.get("lijnen")
    org_by_client = _first_by(dossiers, "klantnummer", "organisatie")
    if lijnen is not None:
        line_org = lijnen.get("organisatie")
        if line_org is None and "uitvoerder" in lijnen.columns:
            line_org = lijnen["uitvoerder"]
        if line_org is not None:
            extra = _first_by(lijnen.assign(_o=line_org), "klantnummer", "_o")
            org_by_client = org_by_client.combine_first(extra)
    client_by_cheque = _first_by(cheques, "chequenummer", "klantnummer")
    org_by_cheque = _first_by(cheques, "chequenummer", "loopbaancentrum")
    parts = []
    for name, f in tables.items():
        m = pd.DataFrame(
            {
                "_rid": f["_rid"].to_numpy(),
                "table": name,
                "file": f["_file"].to_numpy(),
                "sheet": f["_sheet"].to_numpy(),
                "row": f["_row"].to_numpy(),
            }
        )
        klant = f["klantnummer"].astype("string") if "klantnummer" in f.columns else None
        cheque = f["chequenummer"].astype("string") if "chequenummer" in f.columns else None
        if klant is None and cheque is not None:
            klant = cheque.map(client_by_cheque)
        org = None
        for own in ("organisatie", "loopbaancentrum"):
            if own in f.columns:
                org = f[own].astype("string")
                break
        if name == "lijnen" and org is None and "uitvoerder" in f.columns:
            org = f["uitvoerder"].astype("string")
        if cheque is not None:
            by_cheque = cheque.map(org_by_cheque)
            org = by_cheque if org is None else org.fillna(by_cheque)
        if klant is not None:
            by_client = klant.map(org_by_client)
            org = by_client if org is None else org.fillna(by_client)
        m["klantnummer"] = klant.to_numpy() if klant is not None else pd.NA
        m["chequenummer"] = cheque.to_numpy() if cheque is not None else pd.NA
        m["organisatie"] = org.to_numpy() if org is not None else pd.NA
        m["identity"] = raw_ident[name].to_numpy()
        parts.append(m)
    meta = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["_rid"])
    return meta.set_index("_rid")


def _rule_tables(
    rule: Rule, tables: Mapping[str, pd.DataFrame], bad: Mapping[str, pd.DataFrame], memo: dict | None = None
) -> dict:
    """The tables a rule sees: rows with an unparseable (or empty key) cell in a column the rule
    uses are removed, since their DAT finding already reports them.

    ``memo`` (one dict per audit) shares the filtered frames between rules: the rows to drop
    depend only on which of the rule's columns hold a bad cell, and most rules of a table share
    that set. Each rule gets its own shallow copy, so a column it adds stays its own.
    """
    if memo is not None:
        return _rule_tables_memo(rule, tables, bad, memo)
    out = {}
    wanted = {t: set(cols) for t, cols in rule.needs.items()}
    for t, cols in rule.optional.items():
        wanted.setdefault(t, set()).update(cols)
    for t, frame in tables.items():
        cols = wanted.get(t)
        if cols is None:
            out[t] = frame
            continue
        spec = TABLES[t]
        cols = cols | {k for k in ("klantnummer", "chequenummer") if k in spec.column_names and spec.column(k).required}
        b = bad[t]
        use = [c for c in cols if c in b.columns]
        if use:
            drop = b[use].any(axis=1)
            out[t] = frame[~drop.to_numpy()] if drop.any() else frame
        else:
            out[t] = frame
    return out


def _rule_tables_memo(
    rule: Rule, tables: Mapping[str, pd.DataFrame], bad: Mapping[str, pd.DataFrame], memo: dict
) -> dict:
    wanted = {t: set(cols) for t, cols in rule.needs.items()}
    for t, cols in rule.optional.items():
        wanted.setdefault(t, set()).update(cols)
    bad_cols = memo.get("_bad_cols")
    if bad_cols is None:
        bad_cols = memo["_bad_cols"] = {t: {c for c in b.columns if b[c].any()} for t, b in bad.items()}
    out = {}
    for t, frame in tables.items():
        cols = wanted.get(t)
        if cols is None:
            out[t] = frame
            continue
        cols = cols | {k for k in ("klantnummer", "chequenummer") if TABLES[t].column_names.count(k) and TABLES[t].column(k).required}
        use = frozenset(c for c in cols if c in bad_cols.get(t, ()))
        if not use:
            out[t] = frame
            continue
        key = (t, use)
        kept = memo.get(key)
        if kept is None:
            drop = bad[t][sorted(use)].any(axis=1).to_numpy()
            kept = memo[key] = frame[~drop]
        out[t] = kept.copy(deep=False)
    return out


def _fingerprints(rule_codes: pd.Series, tables: pd.Series, basis: pd.Series) -> pd.Series:
    text = rule_codes.astype(str) + "|" + tables.astype(str) + "|" + basis.astype(str)
    # Identical records (DAT008, duplicated lines) get their occurrence number appended.
    occ = text.groupby(text).cumcount()
    text = text.where(occ == 0, text + "#" + (occ + 1).astype(str))
    return text.map(lambda s: hashlib.sha1(s.encode("utf-8")).hexdigest()[:20])


def _sources(out: pd.DataFrame, meta: pd.DataFrame) -> tuple[list, list]:
    """Per finding: the sorted row numbers it rests on, and those rows as {table, file, sheet, row}
    (a finding may rest on rows of several sheets, e.g. a line and a note). Vectorised: explode,
    look up, de-duplicate, aggregate."""
    rids = out["_rids"] if "_rids" in out.columns else pd.Series([None] * len(out))
    own = out["_rid"].reset_index(drop=True)
    listed = rids.reset_index(drop=True).map(lambda r: list(r) if isinstance(r, (list, tuple, np.ndarray)) else [])
    long = pd.concat([own, listed.explode().dropna().astype("int64")]).rename("_rid")
    long = long.reset_index().rename(columns={"index": "_f"}).drop_duplicates()
    m = meta.loc[long["_rid"].to_numpy(), ["table", "file", "sheet", "row"]].reset_index(drop=True)
    long = pd.concat([long[["_f"]].reset_index(drop=True), m], axis=1)
    long["row"] = long["row"].astype("int64")
    long = long.sort_values(["_f", "table", "row"], kind="stable")
    recs = long[["table", "file", "sheet", "row"]].astype(object).where(long[["table", "file", "sheet", "row"]].notna(), None)
    long["_src"] = recs.to_dict("records")
    by_f = long.groupby("_f", sort=True)
    rows = long.drop_duplicates(["_f", "row"]).sort_values(["_f", "row"]).groupby("_f")["row"].agg(list)
    sources = by_f["_src"].agg(list)
    return rows.reindex(range(len(out))).tolist(), sources.reindex(range(len(out))).tolist()


def _findings_for(rule: Rule, out: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    rids = out["_rid"].to_numpy()
    m = meta.loc[rids]
    details_cols = [c for c in out.columns if not c.startswith("_") and c not in ("value", "klantnummer", "chequenummer")]
    f = pd.DataFrame(
        {
            "rule": rule.code,
            "severity": rule.severity.value,
            "table": m["table"].to_numpy(),
            "klantnummer": (out["klantnummer"] if "klantnummer" in out else m["klantnummer"]).to_numpy(),
            "chequenummer": (out["chequenummer"] if "chequenummer" in out else m["chequenummer"]).to_numpy(),
            "organisatie": m["organisatie"].to_numpy(),
            "file": m["file"].to_numpy(),
            "sheet": m["sheet"].to_numpy(),
            "row": m["row"].to_numpy(),
        }
    )
    f["rows"], f["sources"] = _sources(out, meta)
    records = out[details_cols].to_dict("records") if details_cols else [{} for _ in range(len(out))]
    f["message"] = [rule.message_nl.format_map({k: _fmt(v) for k, v in d.items()}) for d in records]
    f["message_en"] = [rule.message_en.format_map({k: _fmt(v) for k, v in d.items()}) for d in records]
    f["details"] = [{k: _jsonable(v) for k, v in d.items()} for d in records]
    f["value"] = out["value"].to_numpy() if "value" in out.columns else None
    if "_key" in out.columns:
        basis = out["_key"].astype(str)
    else:
        basis = m["identity"].astype(str).reset_index(drop=True)
        if "_key_extra" in out.columns:
            basis = basis + "|" + out["_key_extra"].astype(str)
    f["fingerprint"] = _fingerprints(f["rule"], f["table"], pd.Series(basis.to_numpy()))
    return f


def audit_frames(
    raw_tables: Mapping[str, pd.DataFrame],
    config: dict,
    peildatum: dt.date,
    rules: Iterable[Rule] | None = None,
    progress: Callable[[str], None] | None = None,
) -> AuditResult:
    """Audit already-loaded raw tables.

    ``raw_tables`` maps a table name to a frame of raw cell texts with canonical column names
    and the meta columns ``_file``, ``_sheet``, ``_row`` (a ``_rid`` is assigned here when absent).
    """
    timings: dict[str, float] = {}
    rules = list(RULES if rules is None else rules)
    P = pd.Timestamp(peildatum)
    t0 = time.perf_counter()
    tables: dict[str, pd.DataFrame] = {}
    bad: dict[str, pd.DataFrame] = {}
    failures: dict[str, pd.DataFrame] = {}
    raw_ident: dict[str, pd.Series] = {}
    next_rid = 0
    for name in TABLES:
        if name not in raw_tables:
            continue
        raw = raw_tables[name].reset_index(drop=True)
        if "_rid" not in raw.columns:
            raw = raw.assign(_rid=np.arange(next_rid, next_rid + len(raw), dtype="int64"))
        next_rid = int(raw["_rid"].max()) + 1 if len(raw) else next_rid
        for c in ("_file", "_sheet", "_row"):
            if c not in raw.columns:
                raw[c] = None if c != "_row" else np.arange(2, len(raw) + 2)
        v = validate(TABLES[name], raw)
        tables[name], bad[name], failures[name] = v.typed, v.bad, v.failures
        raw_ident[name] = _identity(_with_raw_fallback(v.typed, raw, TABLES[name].identity), name)
        failures[name]["raw"] = _raw_values(raw, failures[name])
    timings["schema"] = time.perf_counter() - t0
    if progress:
        progress("schema")

    t0 = time.perf_counter()
    cache: dict = {"dat_failures": failures, "bad": bad}
    for hook in PREPARE_HOOKS:
        hook(tables, config, P)
    meta = _row_meta(tables, raw_ident)
    timings["prepare"] = time.perf_counter() - t0

    statuses: list[RuleStatus] = []
    frames: list[pd.DataFrame] = []
    per_programme: dict[str, float] = {}
    memo: dict = {}
    for rule in rules:
        t1 = time.perf_counter()
        reason = rule.missing_inputs(tables)
        if reason:
            statuses.append(RuleStatus(rule, False, reason=reason))
            continue
        ctx = Context(tables=_rule_tables(rule, tables, bad, memo), config=config, peildatum=P, cache=cache)
        try:
            out = rule.check(ctx)
            if out is None or not isinstance(out, pd.DataFrame) or "_rid" not in out.columns:
                raise TypeError(f"rule {rule.code} must return a DataFrame with a _rid column")
            f = _findings_for(rule, out.reset_index(drop=True), meta) if len(out) else None
        except Exception as e:  # a rule that cannot run says so; the rest of the audit goes on
            if os.environ.get("DOSSIERCHECK_DEBUG"):
                raise
            first = str(e).splitlines()[0][:200] if str(e) else ""
            statuses.append(RuleStatus(rule, False, reason=f"rule failed: {type(e).__name__}: {first}"))
            continue
        if f is not None:
            frames.append(f)
        dt_s = time.perf_counter() - t1
        statuses.append(RuleStatus(rule, True, findings=0 if f is None else len(f), seconds=dt_s))
        per_programme[rule.programme] = per_programme.get(rule.programme, 0.0) + dt_s
        if progress:
            progress(rule.code)
    for prog, secs in per_programme.items():
        timings[f"rules.{prog}"] = secs
    memo.clear()

    t0 = time.perf_counter()
    findings = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=FINDING_COLUMNS)
    if len(findings):
        sev_rank = findings["severity"].map({"error": 0, "warning": 1, "info": 2})
        findings = (
            findings.assign(_s=sev_rank)
            .sort_values(["_s", "organisatie", "klantnummer", "rule", "file", "row"], na_position="last", kind="stable")
            .drop(columns="_s")
            .reset_index(drop=True)
        )
    rows = {n: len(t) for n, t in tables.items()}
    timings["findings"] = time.perf_counter() - t0
    return AuditResult(
        peildatum=P.date(),
        config=config,
        tables=tables,
        findings=findings[FINDING_COLUMNS] if len(findings) else findings,
        rules=statuses,
        rows_read=sum(rows.values()),
        rows_per_table=rows,
        timings=timings,
    )
