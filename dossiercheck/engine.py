"""The audit engine: parsed tables in, findings out.

:func:`audit_frames` is the entry point for already-loaded frames (one raw frame per table, as
the readers produce them, or as a Spark/Dask partition hands them over: see docs/scaling.md and
:func:`partition_frames`). It validates each table (schemas), runs the programme ``prepare``
hooks once, runs every rule on the rows it may see, and turns the offending rows rules return
into findings: code, severity, source rows, klantnummer, chequenummer, organisation, message and
fingerprint are attached here, once, for every rule.

Cost follows the data, not Python loops: a rule's messages and details are built column-wise
(each detail column formatted once per distinct value); the row facts of all findings (file,
sheet, row, klantnummer, organisation, identity, sources) are resolved at the end, in one pass,
for the rows findings point at only (:class:`RowIndex`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import string
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd

from dossiercheck.checks.registry import PREPARE_HOOKS, RULES
from dossiercheck.checks.rule import Context, Rule, reindex_lookup, rows_where
from dossiercheck.forking import release_free_memory
from dossiercheck.schemas import validate
from dossiercheck.tables import TABLES


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
    # each programme's rules, their own time (in a large audit some ran beside the others)
    programme_seconds: dict[str, float] = field(default_factory=dict)
    # other work that ran beside other work, its own time (a large audit builds the findings of
    # each process's rules in that process: "findings.parent", "findings.child")
    own_seconds: dict[str, float] = field(default_factory=dict)


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


# Tables validated at once: parsing and the pandera checks spend most of their time in pyarrow and
# numpy, which release the GIL, so two threads use a laptop's two cores (the largest table on one,
# the others on the other). Results are taken in TABLES order either way (tested).
SCHEMA_THREADS = 2


def _validated(raws: Mapping[str, pd.DataFrame]):
    """``(name, validate(...))`` per table, in the order of ``raws``."""
    if SCHEMA_THREADS < 2 or len(raws) < 2:
        for name, raw in raws.items():
            yield name, validate(TABLES[name], raw)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=SCHEMA_THREADS, thread_name_prefix="dossiercheck-schema") as pool:
        largest_first = sorted(raws, key=lambda n: -len(raws[n]))
        futures = {name: pool.submit(validate, TABLES[name], raws[name]) for name in largest_first}
        try:
            for name in raws:
                yield name, futures[name].result()
        finally:
            for f in futures.values():
                f.cancel()


def _raw_values(raw: pd.DataFrame, fails: pd.DataFrame) -> np.ndarray:
    """The raw cell text of each failure (None for row-level failures such as DAT008)."""
    out = np.full(len(fails), None, dtype=object)
    for col, idx in fails.groupby("column", dropna=True).groups.items():
        pos = fails.index.get_indexer(idx)
        out[pos] = raw[col].reindex(fails.loc[idx, "index"]).to_numpy(dtype=object)
    return out


def _first_values(keys: pd.Series, vals: pd.Series) -> pd.Series:
    """key -> its first non-empty value, over the rows where both are present (in row order)."""
    sel = np.flatnonzero(keys.notna().to_numpy() & vals.notna().to_numpy())
    # factorize numbers the keys in order of first appearance, so a key first appears exactly
    # where its code exceeds every code before it: no sort, no hashing of the texts a second time
    codes = pd.factorize(keys.iloc[sel] if len(sel) < len(keys) else keys)[0]
    new = np.ones(len(codes), dtype=bool)
    if len(codes) > 1:
        top = np.maximum.accumulate(codes)
        new[1:] = top[1:] > top[:-1]
    pos = sel[new]
    return pd.Series(vals.array.take(pos), index=pd.Index(keys.array.take(pos))).astype("string")


def _first_by(frame: pd.DataFrame | None, key: str, value: str | pd.Series) -> pd.Series:
    """key -> first non-empty ``value`` in ``frame`` (``value`` a column name or a Series)."""
    if frame is None or key not in frame.columns:
        return pd.Series(dtype="string")
    vals = frame[value] if isinstance(value, str) else value
    if vals is None:
        return pd.Series(dtype="string")
    return _first_values(frame[key], vals)


def _take(series: pd.Series, pos: np.ndarray) -> np.ndarray:
    """``series`` at positions ``pos`` as an object array, missing values as None."""
    v = series.iloc[pos]
    return v.astype(object).where(v.notna(), None).to_numpy(dtype=object)


class RowIndex:
    """Where each row id (``_rid``) comes from: its table, position, file, sheet, row number,
    klantnummer, chequenummer, organisation and identity, resolved only for the rows findings
    point at (so the cost follows the number of findings, not of rows read).

    ``frames`` are the parsed tables; ``idents`` per table the identity columns as parsed and as
    read (raw text), used for fingerprints.
    """

    def __init__(self, frames: Mapping[str, pd.DataFrame], idents: Mapping[str, tuple[dict, dict]]):
        self.names = list(frames)
        self.frames = dict(frames)
        self.idents = dict(idents)
        rids = [frames[n]["_rid"].to_numpy(dtype="int64") for n in self.names]
        self.sizes = np.array([len(r) for r in rids], dtype="int64")
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)]).astype("int64")
        all_rids = np.concatenate(rids) if rids else np.zeros(0, dtype="int64")
        self.n = len(all_rids)
        self._dense = bool(self.n == 0 or (all_rids[0] == 0 and np.array_equal(all_rids, np.arange(self.n))))
        self._index = None if self._dense else pd.Index(all_rids)
        self._orgs: dict | None = None

    def locate(self, rids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(table number, position in that table) per rid; raises KeyError on an unknown rid."""
        rids = np.asarray(rids)
        if rids.dtype.kind == "f":
            if np.isnan(rids).any():
                raise KeyError("a finding without a source row (_rid is missing)")
            rids = rids.astype("int64")
        rids = rids.astype("int64", copy=False)
        if self._dense:
            g = rids
            if len(g) and (g.min() < 0 or g.max() >= self.n):
                raise KeyError(f"unknown _rid {int(g[(g < 0) | (g >= self.n)][0])}")
        else:
            g = self._index.get_indexer(rids)
            if (g < 0).any():
                raise KeyError(f"unknown _rid {int(rids[g < 0][0])}")
        tab = np.searchsorted(self.offsets, g, side="right") - 1
        return tab, g - self.offsets[tab]

    # -- lookups shared by every finding, built once, on first use ------------------------------

    def _org_maps(self) -> dict:
        if self._orgs is None:
            f = self.frames
            dossiers, cheques, lijnen = f.get("dossiers"), f.get("cheques"), f.get("lijnen")
            # each client's organisation: its dossier's, else its first line's (organisatie, else
            # uitvoerder); one lookup over the dossiers' rows followed by the lines'
            keys: list[pd.Series] = []
            vals: list[pd.Series] = []
            if dossiers is not None and {"klantnummer", "organisatie"} <= set(dossiers.columns):
                keys.append(dossiers["klantnummer"])
                vals.append(dossiers["organisatie"])
            if lijnen is not None and "klantnummer" in lijnen.columns:
                line_org = lijnen.get("organisatie")
                if line_org is None and "uitvoerder" in lijnen.columns:
                    line_org = lijnen["uitvoerder"]
                if line_org is not None:
                    keys.append(lijnen["klantnummer"])
                    vals.append(line_org)
            if keys:
                by_client = _first_values(pd.concat(keys, ignore_index=True), pd.concat(vals, ignore_index=True))
            else:
                by_client = pd.Series(dtype="string")
            client_by_cheque = pd.Series(dtype="string")
            org_by_cheque = pd.Series(dtype="string")
            if cheques is not None and "chequenummer" in cheques.columns:
                if "klantnummer" in cheques.columns:
                    client_by_cheque = _first_by(cheques, "chequenummer", "klantnummer")
                if "loopbaancentrum" in cheques.columns:
                    org_by_cheque = _first_by(cheques, "chequenummer", "loopbaancentrum")
            self._orgs = {"org_by_client": by_client, "client_by_cheque": client_by_cheque, "org_by_cheque": org_by_cheque}
        return self._orgs

    def _table_meta(self, name: str, pos: np.ndarray, facts: bool = True) -> dict[str, np.ndarray]:
        f = self.frames[name]
        k = len(pos)
        out = {
            "file": _take(f["_file"], pos) if "_file" in f.columns else np.full(k, None, dtype=object),
            "sheet": _take(f["_sheet"], pos) if "_sheet" in f.columns else np.full(k, None, dtype=object),
            "row": f["_row"].iloc[pos].to_numpy(),
        }
        if not facts:
            return out
        klant = f["klantnummer"].iloc[pos].astype("string") if "klantnummer" in f.columns else None
        cheque = f["chequenummer"].iloc[pos].astype("string") if "chequenummer" in f.columns else None
        org = None
        if (klant is None and cheque is not None) or "organisatie" not in f.columns:
            maps = self._org_maps()
        if klant is None and cheque is not None:
            klant = reindex_lookup(maps["client_by_cheque"], cheque).astype("string")
        for own in ("organisatie", "loopbaancentrum"):
            if own in f.columns:
                org = f[own].iloc[pos].astype("string")
                break
        if name == "lijnen" and org is None and "uitvoerder" in f.columns:
            org = f["uitvoerder"].iloc[pos].astype("string")
        if org is None or org.isna().any():
            maps = self._org_maps()
            if cheque is not None:
                by_cheque = reindex_lookup(maps["org_by_cheque"], cheque).astype("string")
                org = by_cheque if org is None else org.fillna(by_cheque)
            if klant is not None:
                # a reindex on the lookup's own index, whose hash table is built once (Series.map
                # hashes all 200,000 clients again on every call, however few the keys: 70 ms)
                by_client = reindex_lookup(maps["org_by_client"], klant).astype("string")
                org = by_client if org is None else org.fillna(by_client)

        def obj(s: pd.Series | None) -> np.ndarray:
            if s is None:
                return np.full(k, None, dtype=object)
            return s.astype(object).where(s.notna(), None).to_numpy(dtype=object)

        out["klantnummer"], out["chequenummer"], out["organisatie"] = obj(klant), obj(cheque), obj(org)
        return out

    def meta(self, tab: np.ndarray, pos: np.ndarray, facts: bool = True) -> dict[str, np.ndarray]:
        """table, file, sheet, row, and (``facts``) klantnummer, chequenummer, organisatie of the
        given rows."""
        k = len(tab)
        names = ("file", "sheet", "klantnummer", "chequenummer", "organisatie") if facts else ("file", "sheet")
        cols = {c: np.full(k, None, dtype=object) for c in names}
        cols["row"] = np.zeros(k, dtype="int64")
        cols["table"] = np.array(self.names, dtype=object)[tab] if k else np.zeros(0, dtype=object)
        for t in np.unique(tab):
            sel = np.flatnonzero(tab == t)
            part = self._table_meta(self.names[t], pos[sel], facts)
            for c, v in part.items():
                cols[c][sel] = v
        return cols

    def identity(self, tab: np.ndarray, pos: np.ndarray) -> np.ndarray:
        """The natural key of the given rows as text (parsed values, dates ISO; the raw text where a
        cell could not be parsed)."""
        out = np.full(len(tab), "", dtype=object)
        for t in np.unique(tab):
            sel = np.flatnonzero(tab == t)
            name = self.names[t]
            typed, raw = self.idents.get(name, ({}, {}))
            parts = []
            for c in TABLES[name].identity:
                if c not in typed:
                    continue
                s = typed[c].iloc[pos[sel]]
                if pd.api.types.is_datetime64_any_dtype(s):
                    s = s.dt.strftime("%Y-%m-%d")
                s = s.astype("string")
                if c in raw:
                    s = s.fillna(raw[c].iloc[pos[sel]].astype("string").str.strip())
                parts.append(s.fillna("").to_numpy(dtype=object))
            if parts:
                text = parts[0]
                for p in parts[1:]:
                    text = text + "|" + p
                out[sel] = text
        return out


def _format_values(values: pd.Series | np.ndarray, fn: Callable[[Any], Any]) -> np.ndarray:
    """``fn`` of each value, computed once per distinct value (object array)."""
    s = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object if not isinstance(values, np.ndarray) else None)
    try:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
    except TypeError:  # unhashable values (lists): one call per value
        return np.array([fn(v) for v in s.to_numpy(dtype=object)] + [None], dtype=object)[:-1]
    done = np.empty(len(uniques) + 1, dtype=object)
    done[:-1] = [fn(u) for u in uniques]
    done[-1] = fn(None)
    return done[np.where(codes < 0, len(uniques), codes)]


_FORMATTER = string.Formatter()


def _render(template: str, cols: Mapping[str, np.ndarray], n: int) -> np.ndarray:
    """``template.format_map(row)`` for every row, built column-wise from the formatted values
    (the templates hold plain ``{name}`` fields; anything fancier is formatted row by row)."""
    pieces: list[str | np.ndarray] = []
    fancy = False
    for literal, field_name, spec, conv in _FORMATTER.parse(template):
        if literal:
            pieces.append(literal)
        if field_name is None:
            continue
        if spec or conv or not field_name.isidentifier():
            fancy = True
            break
        if field_name not in cols:
            raise KeyError(field_name)
        pieces.append(cols[field_name])
    if fancy:
        names = list(cols)
        return np.array(
            [template.format_map(dict(zip(names, row))) for row in zip(*(cols[c] for c in names))] + [None], dtype=object
        )[:-1] if names else np.full(n, template.format_map({}), dtype=object)
    out = np.full(n, "", dtype=object)
    for p in pieces:
        out = out + p
    return out


def _rid_lists(col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(finding position, rid) pairs of a ``_rids`` column of lists (missing entries dropped)."""
    vals = col.to_numpy(dtype=object)
    lens = np.fromiter((len(v) if isinstance(v, (list, tuple, np.ndarray)) else 0 for v in vals), dtype="int64", count=len(vals))
    if not lens.sum():
        return np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64")
    flat = pd.to_numeric(
        pd.Series(list(chain.from_iterable(v for v, n in zip(vals, lens) if n)), dtype=object), errors="coerce"
    ).to_numpy(dtype="float64")
    owner = np.repeat(np.arange(len(vals)), lens)
    keep = ~np.isnan(flat)
    return owner[keep], flat[keep].astype("int64")


@dataclass
class _RuleOutput:
    """One rule's findings before the row facts are attached (see :func:`_build_findings`)."""

    rule: Rule
    tab: np.ndarray  # table number of each finding's row (RowIndex)
    pos: np.ndarray  # position of that row in its table
    extra: tuple[np.ndarray, np.ndarray]  # (finding, rid) of the other rows it rests on (_rids)
    message: np.ndarray
    message_en: np.ndarray
    details: list
    value: np.ndarray | None
    klantnummer: np.ndarray | None  # the rule's own klantnummer/chequenummer (override)
    chequenummer: np.ndarray | None
    key: np.ndarray | None  # fingerprint basis (_key) ...
    key_extra: np.ndarray | None  # ... or the row identity plus this (_key_extra)


def _rule_output(rule: Rule, out: pd.DataFrame, rows: RowIndex) -> _RuleOutput:
    """Check a rule's result and build what depends on the rule alone: messages, details, keys.
    Vectorised per column: each detail column is formatted once per distinct value."""
    tab, pos = rows.locate(out["_rid"].to_numpy())
    n = len(out)
    details_cols = [c for c in out.columns if not c.startswith("_") and c not in ("value", "klantnummer", "chequenummer")]
    shown = {c: _format_values(out[c], _fmt) for c in details_cols}
    jsons = {c: _format_values(out[c], _jsonable) for c in details_cols}
    if details_cols:
        details = [dict(zip(details_cols, vals)) for vals in zip(*(jsons[c] for c in details_cols))]
    else:
        details = [{} for _ in range(n)]
    extra = _rid_lists(out["_rids"]) if "_rids" in out.columns else (np.zeros(0, "int64"), np.zeros(0, "int64"))

    def col(name: str) -> np.ndarray | None:
        if name not in out.columns:
            return None
        s = out[name]
        return s.astype(object).where(s.notna(), None).to_numpy(dtype=object)

    return _RuleOutput(
        rule=rule, tab=tab, pos=pos, extra=extra,
        message=_render(rule.message_nl, shown, n), message_en=_render(rule.message_en, shown, n),
        details=details, value=out["value"].to_numpy() if "value" in out.columns else None,
        klantnummer=col("klantnummer"), chequenummer=col("chequenummer"),
        key=out["_key"].astype(str).to_numpy(dtype=object) if "_key" in out.columns else None,
        key_extra=out["_key_extra"].astype(str).to_numpy(dtype=object) if "_key_extra" in out.columns else None,
    )


def _fingerprint_texts(text: np.ndarray) -> list[str]:
    """sha1 fingerprints; identical texts (DAT008, duplicated lines) get their occurrence number."""
    s = pd.Series(text, dtype=object)
    occ = s.groupby(s, sort=False).cumcount().to_numpy()
    dup = occ > 0
    if dup.any():
        text = text.copy()
        text[dup] = text[dup] + "#" + (occ[dup] + 1).astype(str).astype(object)
    sha1 = hashlib.sha1
    return [sha1(t.encode("utf-8")).hexdigest()[:20] for t in text]


def _sources(
    n: int, tab: np.ndarray, pos: np.ndarray, extra_f: np.ndarray, extra_rid: np.ndarray, rows: RowIndex
) -> tuple[list, list]:
    """Per finding: the sorted row numbers it rests on, and those rows as {table, file, sheet, row}
    (a finding may rest on rows of several sheets, e.g. a line and a note), ordered by table
    name and row. Vectorised: one long (finding, row) array, located, sorted and split."""
    if len(extra_rid):
        etab, epos = rows.locate(extra_rid)
        f_all = np.concatenate([np.arange(n), extra_f])
        t_all = np.concatenate([tab, etab])
        p_all = np.concatenate([pos, epos])
    else:
        f_all, t_all, p_all = np.arange(n), tab, pos
    # one entry per distinct (finding, table, position)
    g = rows.offsets[t_all] + p_all
    order = np.lexsort((g, f_all))
    f_all, t_all, p_all, g = f_all[order], t_all[order], p_all[order], g[order]
    keep = np.ones(len(g), dtype=bool)
    keep[1:] = (f_all[1:] != f_all[:-1]) | (g[1:] != g[:-1])
    f_all, t_all, p_all = f_all[keep], t_all[keep], p_all[keep]
    m = rows.meta(t_all, p_all, facts=False)  # where the rows are; their klantnummer etc. is not needed
    row = m["row"].astype("int64")
    tname = m["table"]
    # sources: by finding, table name, row
    rank = np.argsort(np.argsort(np.array(rows.names, dtype=object)))  # table number -> name order
    order = np.lexsort((row, rank[t_all], f_all))
    fs, tn, fi, sh, rw = f_all[order], tname[order], m["file"][order], m["sheet"][order], row[order]
    recs = [{"table": a, "file": b, "sheet": c, "row": d} for a, b, c, d in zip(tn, fi, sh, rw.tolist())]
    bounds = np.searchsorted(fs, np.arange(n + 1))
    sources = [recs[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    # rows: distinct row numbers per finding, sorted
    order = np.lexsort((row, f_all))
    fr, rr = f_all[order], row[order]
    keep = np.ones(len(rr), dtype=bool)
    keep[1:] = (fr[1:] != fr[:-1]) | (rr[1:] != rr[:-1])
    fr, rr = fr[keep], rr[keep].tolist()
    bounds = np.searchsorted(fr, np.arange(n + 1))
    row_lists = [rr[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    return row_lists, sources


def _build_findings(outputs: list[_RuleOutput], rows: RowIndex) -> pd.DataFrame:
    """All rules' findings at once: attach the row facts, sources and fingerprints."""
    if not outputs:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    return pd.DataFrame(_finding_columns(outputs, rows))


def _own_columns(rules: list[Rule], results: dict, rows: RowIndex) -> dict | None:
    """:func:`_finding_columns` of the outputs of ``rules`` (in their order), None without any."""
    outputs = [o for r in rules if (o := results[r.code][1]) is not None]
    return _finding_columns(outputs, rows) if outputs else None


def _joined_columns(parts: list[dict]) -> dict:
    """The finding columns of several :func:`_finding_columns` results, one after the other."""
    if len(parts) == 1:
        return parts[0]
    out = {}
    for name, first in parts[0].items():
        vals = [p[name] for p in parts]
        out[name] = list(chain.from_iterable(vals)) if isinstance(first, list) else np.concatenate(vals)
    return out


def _finding_columns(outputs: list[_RuleOutput], rows: RowIndex) -> dict:
    """The columns of :func:`_build_findings` (arrays and lists, before they become a frame)."""
    sizes = [len(o.tab) for o in outputs]
    n = sum(sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    tab = np.concatenate([o.tab for o in outputs])
    pos = np.concatenate([o.pos for o in outputs])
    m = rows.meta(tab, pos)
    code = np.repeat(np.array([o.rule.code for o in outputs], dtype=object), sizes)
    severity = np.repeat(np.array([o.rule.severity.value for o in outputs], dtype=object), sizes)
    klant, cheque = m["klantnummer"], m["chequenummer"]
    value = np.full(n, None, dtype=object)
    basis = np.empty(n, dtype=object)
    need_ident = np.zeros(n, dtype=bool)
    for o, a, b in zip(outputs, starts[:-1], starts[1:]):
        if o.klantnummer is not None:
            klant[a:b] = o.klantnummer
        if o.chequenummer is not None:
            cheque[a:b] = o.chequenummer
        if o.value is not None:
            value[a:b] = o.value
        if o.key is not None:
            basis[a:b] = o.key
        else:
            need_ident[a:b] = True
    if need_ident.any():
        sel = np.flatnonzero(need_ident)
        basis[sel] = rows.identity(tab[sel], pos[sel])
    for o, a, b in zip(outputs, starts[:-1], starts[1:]):
        if o.key is None and o.key_extra is not None:
            basis[a:b] = basis[a:b] + "|" + o.key_extra
    extra_f = np.concatenate([o.extra[0] + a for o, a in zip(outputs, starts[:-1])])
    extra_rid = np.concatenate([o.extra[1] for o in outputs])
    row_lists, sources = _sources(n, tab, pos, extra_f, extra_rid, rows)
    text = code + "|" + m["table"] + "|" + basis
    return {
        "rule": code,
        "severity": severity,
        "table": m["table"],
        "klantnummer": klant,
        "chequenummer": cheque,
        "organisatie": m["organisatie"],
        "file": m["file"],
        "sheet": m["sheet"],
        "row": m["row"].astype("int64"),
        "rows": row_lists,
        "sources": sources,
        "message": np.concatenate([o.message for o in outputs]),
        "message_en": np.concatenate([o.message_en for o in outputs]),
        "fingerprint": _fingerprint_texts(text),
        "details": list(chain.from_iterable(o.details for o in outputs)),
        "value": value,
    }


def _bad_columns(bad: Mapping[str, pd.DataFrame]) -> dict[str, set]:
    """Per table, the columns holding at least one bad cell."""
    return {t: {c for c in b.columns if b[c].any()} for t, b in bad.items()}


def _filter_sets(rule: Rule, tables: Mapping[str, pd.DataFrame], bad_cols: Mapping[str, set]) -> dict[str, frozenset]:
    """Per table, the columns whose bad cells remove rows from what ``rule`` sees (empty: the
    rule sees the whole table)."""
    wanted = {t: set(cols) for t, cols in rule.needs.items()}
    for t, cols in rule.optional.items():
        wanted.setdefault(t, set()).update(cols)
    out = {}
    for t in tables:
        cols = wanted.get(t)
        if cols is None:
            out[t] = frozenset()
            continue
        cols = cols | {k for k in ("klantnummer", "chequenummer") if TABLES[t].column_names.count(k) and TABLES[t].column(k).required}
        out[t] = frozenset(c for c in cols if c in bad_cols.get(t, ()))
    return out


def _plan_memo(rules: Iterable[Rule], tables: Mapping[str, pd.DataFrame], bad: Mapping[str, pd.DataFrame], memo: dict) -> None:
    """Tell the memo how many of ``rules`` will ask for each filtered table, so that
    :func:`_rule_tables` keeps each one exactly until its last rule has run (one copy per
    distinct row set, made once)."""
    bad_cols = memo.setdefault("_bad_cols", _bad_columns(bad))
    remaining: dict = {}
    for rule in rules:
        for t, use in _filter_sets(rule, tables, bad_cols).items():
            if use:
                remaining[(t, use)] = remaining.get((t, use), 0) + 1
    memo["_remaining"] = remaining


def _without_bad_rows(frame: pd.DataFrame, bad: pd.DataFrame, use: Iterable[str]) -> pd.DataFrame:
    """``frame`` without the rows holding a bad cell in one of the columns ``use``.

    Filtered column by column (:func:`~dossiercheck.checks.rule.rows_where`: on the 1M-line
    table 0.14-0.21 s against 0.25-0.42 s for ``frame[mask]``). The same frame (tested)."""
    return rows_where(frame, ~bad[sorted(use)].any(axis=1).to_numpy())


def _rule_tables(rule: Rule, tables: Mapping[str, pd.DataFrame], bad: Mapping[str, pd.DataFrame], memo: dict) -> dict:
    """The tables a rule sees: rows with an unparseable (or empty key) cell in a column the rule
    uses are removed, since their DAT finding already reports them.

    ``memo`` (one dict per audit, planned by :func:`_plan_memo`) shares the filtered frames
    between rules: the rows to drop depend only on which of the rule's columns hold a bad cell,
    and most rules of a table share that set. Each filtered frame is made once and dropped after
    its last rule; each rule gets its own shallow copy, so a column it adds stays its own.
    """
    bad_cols, remaining = memo["_bad_cols"], memo["_remaining"]
    variants = {}
    out = {}
    for t, use in _filter_sets(rule, tables, bad_cols).items():
        frame = tables[t]
        variants[t] = (t, use)
        if not use:
            out[t] = frame
            continue
        key = (t, use)
        kept = memo.pop(key, None)
        if kept is None:
            kept = _without_bad_rows(frame, bad[t], use)
        left = remaining.get(key, 0) - 1
        remaining[key] = left
        if left > 0 or key in memo.get("_pinned", ()):
            memo[key] = kept  # kept for the rules still to come, dropped after the last
        out[t] = kept.copy(deep=False)
    memo["_variants"] = variants  # what identifies the rows of each table the rule sees
    return out


# --- running the rules, on one core or two ----------------------------------------------------

# A large audit runs its rules on two processes: the parent and a forked child take whole
# programmes (the rules of one programme share their intermediate frames) from one work queue,
# heaviest first, each its next one when done with the last, so neither waits long for the other
# whatever the data (a fixed split was often 1-2 s off on the benchmark). Each process turns its
# own rules' rows into findings; the tables are shared copy-on-write. Below PARALLEL_MIN_ROWS
# rows (all tables) the fork costs more than it saves and everything runs in-process, as it does
# without fork (:func:`dossiercheck.forking.can_fork`). The results are the same either way and
# whichever process runs which programme (tested).
PROGRAMME_WEIGHT = ("ABO", "IBB", "DAT", "OUT", "LBC", "OAL", "FIN", "GEN")  # heaviest first (bench/run.py)
PARALLEL_MIN_ROWS = 300_000


def _parallel(runnable: list[Rule], tables: Mapping[str, pd.DataFrame]) -> bool:
    from dossiercheck.forking import can_fork

    if not can_fork() or sum(len(t) for t in tables.values()) < PARALLEL_MIN_ROWS:
        return False
    return len({r.programme for r in runnable}) > 1


def _units(runnable: list[Rule]) -> list[list[Rule]]:
    """The rules by programme (registry order within one), heaviest programme first (unknown
    ones last, by name): the items of the rules' work queue."""
    by_prog: dict[str, list[Rule]] = {}
    for r in runnable:
        by_prog.setdefault(r.programme, []).append(r)
    rank = {p: i for i, p in enumerate(PROGRAMME_WEIGHT)}
    return [by_prog[p] for p in sorted(by_prog, key=lambda p: (rank.get(p, len(rank)), p))]


def _prebuild_shared(units: list[list[Rule]], tables, bad, memo: dict, also: Callable[[], Any] | None = None) -> None:
    """Build, before the fork, the filtered tables that more than one programme uses (either
    process may need them; each is built once and shared copy-on-write) and pin them in the memo
    for the whole rules phase. ``also()``: more work for before the fork, done meanwhile."""
    bad_cols = memo.setdefault("_bad_cols", _bad_columns(bad))

    def keys(rules: list[Rule]) -> set:
        return {(t, use) for r in rules for t, use in _filter_sets(r, tables, bad_cols).items() if use}

    seen: dict = {}
    for unit in units:
        for k in keys(unit):
            seen[k] = seen.get(k, 0) + 1
    shared = sorted((k for k, n in seen.items() if n > 1), key=lambda k: (k[0], sorted(k[1])))
    memo["_pinned"] = set(shared)
    if len(shared) + (also is not None) < 2:
        for t, use in shared:
            memo[(t, use)] = _without_bad_rows(tables[t], bad[t], use)
        if also is not None:
            also()
        return
    # Two at a time, on two threads: pyarrow's filter and the copies of the columns release the
    # GIL, and this is the only serial stretch of the rules phase (measured on the 1M-line table,
    # its two variants: 1.2-1.7 s one after the other, 0.4-0.9 s on two threads; the organisation
    # lookups, ``also``, another 0.8 s alone). The pool is gone before the fork.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="dossiercheck-filter") as pool:
        extra = pool.submit(also) if also is not None else None
        built = list(pool.map(lambda k: _without_bad_rows(tables[k[0]], bad[k[0]], k[1]), shared))
        if extra is not None:
            extra.result()
    for key, frame in zip(shared, built):
        memo[key] = frame


class _RuleRun:
    """Runs rules against one audit's tables: ``run(rules)`` returns, per rule code, its
    :class:`RuleStatus` and its output (None without findings)."""

    def __init__(self, tables, bad, config, P, cache, rows, memo):
        self.tables, self.bad, self.config, self.P = tables, bad, config, P
        self.cache, self.rows, self.memo = cache, rows, memo

    def run(self, rules: list[Rule], progress: Callable[[str], None] | None = None) -> dict:
        tables, bad, memo = self.tables, self.bad, self.memo
        _plan_memo(rules, tables, bad, memo)
        results: dict = {}
        for rule in rules:
            t1 = time.perf_counter()
            seen = _rule_tables(rule, tables, bad, memo)
            ctx = Context(tables=seen, config=self.config, peildatum=self.P, cache=self.cache,
                          variants=memo.pop("_variants", None))
            try:
                out = rule.check(ctx)
                if out is None or not isinstance(out, pd.DataFrame) or "_rid" not in out.columns:
                    raise TypeError(f"rule {rule.code} must return a DataFrame with a _rid column")
                o = _rule_output(rule, out.reset_index(drop=True), self.rows) if len(out) else None
            except Exception as e:  # a rule that cannot run says so; the rest of the audit goes on
                if os.environ.get("DOSSIERCHECK_DEBUG"):
                    raise
                first = str(e).splitlines()[0][:200] if str(e) else ""
                results[rule.code] = (RuleStatus(rule, False, reason=f"rule failed: {type(e).__name__}: {first}"), None)
                continue
            dt_s = time.perf_counter() - t1
            results[rule.code] = (RuleStatus(rule, True, findings=0 if o is None else len(o.tab), seconds=dt_s), o)
            if progress:
                progress(rule.code)
        return results


def _detached(results: dict) -> dict:
    """Results without their Rule objects (functions inside do not pickle): for the parent."""
    out = {}
    for code, (status, o) in results.items():
        if o is not None:
            o.rule = None
        out[code] = ((status.evaluated, status.findings, status.reason, status.seconds), o)
    return out


def _attached(detached: dict, by_code: Mapping[str, Rule]) -> dict:
    out = {}
    for code, ((evaluated, findings, reason, seconds), o) in detached.items():
        rule = by_code[code]
        if o is not None:
            o.rule = rule
        out[code] = (RuleStatus(rule, evaluated, findings=findings, reason=reason, seconds=seconds), o)
    return out


# Rules that compare rows of different clients, so they must see all rows of their table at once
# in a partitioned run: LBC006 counts each counsellor name in both word orders across the data.
DATA_WIDE_RULES = ("LBC006",)


def partition_key(raw_tables: Mapping[str, pd.DataFrame]) -> dict[str, np.ndarray]:
    """Per table, the client each raw row belongs to, as text: the parsed klantnummer; for
    ``gesprekken`` the klantnummer of its cheque (from ``cheques``), else ``"cheque:"`` and the
    parsed chequenummer. A key that cannot be parsed is kept as its trimmed raw text (all rows
    holding that text stay together). Every cross-row rule works within one client (and its
    cheques), so rows with the same key must be audited together; see docs/scaling.md. (One rule
    looks across clients: :data:`DATA_WIDE_RULES`.)"""
    from dossiercheck.parsing import parse_series

    def parsed(frame: pd.DataFrame, col: str) -> pd.Series:
        spec = next(c for t in TABLES.values() for c in t.columns if c.name == col)
        p = parse_series(frame[col], spec)
        return p.values.astype("string").fillna(p.clean.fillna(""))

    cheque_client = pd.Series(dtype="string")
    cheques = raw_tables.get("cheques")
    if cheques is not None and {"chequenummer", "klantnummer"} <= set(cheques.columns):
        both = pd.DataFrame({"c": parsed(cheques, "chequenummer").to_numpy(), "k": parsed(cheques, "klantnummer").to_numpy()})
        cheque_client = both[both["c"] != ""].drop_duplicates("c").set_index("c")["k"]
    keys = {}
    for name, frame in raw_tables.items():
        if name == "cheques" and len(cheque_client) and "chequenummer" in frame.columns:
            # every row of a chequenummer with the client of its first row: a duplicated
            # chequenummer (DAT005) stays in one partition even when its rows name two clients
            cheque = parsed(frame, "chequenummer")
            own = parsed(frame, "klantnummer") if "klantnummer" in frame.columns else cheque
            keys[name] = cheque.map(cheque_client).astype("string").fillna(own).to_numpy(dtype=object)
        elif "klantnummer" in frame.columns:
            keys[name] = parsed(frame, "klantnummer").to_numpy(dtype=object)
        elif "chequenummer" in frame.columns:
            cheque = parsed(frame, "chequenummer")
            client = cheque.map(cheque_client).astype("string")
            keys[name] = client.fillna("cheque:" + cheque).to_numpy(dtype=object)
        else:
            keys[name] = np.full(len(frame), "", dtype=object)
    return keys


def partition_frames(raw_tables: Mapping[str, pd.DataFrame], n: int) -> list[dict[str, pd.DataFrame]]:
    """Split raw tables into ``n`` partitions by a stable hash of :func:`partition_key`, each
    auditable on its own with :func:`audit_frames`: the findings of all partitions together are
    the findings of the whole, except those of :data:`DATA_WIDE_RULES`, which run once on the
    whole of their table (the single-process stand-in for a Spark/Dask shuffle on the key).
    Each partition keeps the rows' ``_file``/``_sheet``/``_row``."""
    keys = partition_key(raw_tables)
    parts: list[dict[str, pd.DataFrame]] = [{} for _ in range(n)]
    for name, frame in raw_tables.items():
        h = pd.util.hash_array(keys[name].astype(object), categorize=True).astype("uint64") % np.uint64(n)
        for i in range(n):
            parts[i][name] = frame[h == i]
    return parts


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
    This is the whole engine: a caller that partitions the data (docs/scaling.md) calls it once
    per partition, with every row of a client (and of its cheques) in the same partition.
    """
    timings: dict[str, float] = {}
    rules = list(RULES if rules is None else rules)
    P = pd.Timestamp(peildatum)
    t0 = time.perf_counter()
    tables: dict[str, pd.DataFrame] = {}
    bad: dict[str, pd.DataFrame] = {}
    failures: dict[str, pd.DataFrame] = {}
    idents: dict[str, tuple[dict, dict]] = {}
    next_rid = 0
    raws: dict[str, pd.DataFrame] = {}
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
        raws[name] = raw
    for name, v in _validated(raws):
        raw = raws[name]
        tables[name], bad[name], failures[name] = v.typed, v.bad, v.failures
        ident = [c for c in TABLES[name].identity if c in v.typed.columns]
        idents[name] = ({c: v.typed[c] for c in ident}, {c: raw[c] for c in ident if c in raw.columns})
        failures[name]["raw"] = _raw_values(raw, failures[name])
    del raws
    release_free_memory()  # what the schema threads freed (about 0.1-0.3 GB on a large audit)
    timings["schema"] = time.perf_counter() - t0
    if progress:
        progress("schema")

    t0 = time.perf_counter()
    cache: dict = {"dat_failures": failures, "bad": bad}
    for hook in PREPARE_HOOKS:
        hook(tables, config, P)
    rows = RowIndex(tables, idents)
    timings["prepare"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    runnable = [r for r in rules if not r.missing_inputs(tables)]
    memo: dict = {}
    run = _RuleRun(tables, bad, config, P, cache, rows, memo)
    job = None
    own: dict[str, float] = {}
    queue = None
    finding_parts = None  # a large audit: the finding columns of the parent's and the child's rules
    try:
        if _parallel(runnable, tables):
            from dossiercheck.forking import ForkJob, WorkQueue

            units = _units(runnable)
            # the organisation lookups are built once, before the fork: both processes use them
            _prebuild_shared(units, tables, bad, memo, also=rows._org_maps)
            queue = WorkQueue(len(units))
            take = iter(queue)
            first = next(take)  # the parent starts on the heaviest programme, the child on the next

            def work(items: Iterable[int], side: str, tick) -> tuple[dict, list[dict]]:
                # each programme's rules, then their rows as finding columns (row facts, sources,
                # fingerprints), so the queue shares out both
                got: dict = {}
                parts: list[dict] = []
                own[side] = 0.0
                for i in items:
                    done = run.run(units[i], tick)
                    got.update(done)
                    # what the programme's intermediates freed goes back to the system (a few ms;
                    # the rules phase is the audit's memory peak, both processes together)
                    release_free_memory()
                    t1 = time.perf_counter()
                    cols = _own_columns(units[i], done, rows)
                    own[side] += time.perf_counter() - t1
                    if cols is not None:
                        parts.append(cols)
                return got, parts

            def child() -> tuple[dict, list[dict], dict]:
                got, parts = work(queue, "findings.child", None)
                return _detached({code: (status, None) for code, (status, _) in got.items()}), parts, own

            job = ForkJob(child)
            results, mine_parts = work(chain([first], take), "findings.parent", progress)
            detached, theirs_parts, child_own = job.result()
            own.update(child_own)
            finding_parts = mine_parts + theirs_parts
            results.update(_attached(detached, {r.code: r for r in runnable}))
            if progress:
                for code in detached:
                    progress(code)
        else:
            results = run.run(runnable, progress)
    finally:
        if job is not None:
            job.abort()
        if queue is not None:
            queue.close()
        memo.clear()
    statuses: list[RuleStatus] = []
    outputs: list[_RuleOutput] = []
    per_programme: dict[str, float] = {}
    for rule in rules:  # registry order, wherever a rule ran
        if rule.code not in results:
            statuses.append(RuleStatus(rule, False, reason=rule.missing_inputs(tables)))
            continue
        status, o = results[rule.code]
        statuses.append(status)
        if o is not None:
            outputs.append(o)
        if status.evaluated:
            per_programme[rule.programme] = per_programme.get(rule.programme, 0.0) + status.seconds
    timings["rules"] = time.perf_counter() - t0  # wall time (two processes for a large audit)

    t0 = time.perf_counter()
    if finding_parts is None:
        findings = _build_findings(outputs, rows)
    else:
        # Each rule's findings are in one of the two parts, in the rule's own order; the stable
        # sort below breaks ties only between findings of one rule (its keys include the rule),
        # and the frame is made once from the joined columns (the same dtypes): the result is
        # the one-process result (tested).
        findings = pd.DataFrame(_joined_columns(finding_parts)) if finding_parts else _build_findings([], rows)
    if len(findings):
        sev_rank = findings["severity"].map({"error": 0, "warning": 1, "info": 2})
        findings = (
            findings.assign(_s=sev_rank)
            .sort_values(["_s", "organisatie", "klantnummer", "rule", "file", "row"], na_position="last", kind="stable")
            .drop(columns="_s")
            .reset_index(drop=True)
        )
    counts = {n: len(t) for n, t in tables.items()}
    timings["findings"] = time.perf_counter() - t0
    return AuditResult(
        peildatum=P.date(),
        config=config,
        tables=tables,
        findings=findings[FINDING_COLUMNS] if len(findings) else findings,
        rules=statuses,
        rows_read=sum(counts.values()),
        rows_per_table=counts,
        timings=timings,
        programme_seconds=per_programme,
        own_seconds=own,
    )
