"""Shared facts about loopbaancheque conversations (RULES.md "LBC", TABLES.md ``gesprekken``).

:func:`prepare` runs once per audit and adds to ``gesprekken`` (columns prefixed ``_lbc_`` so
they never clash with export columns and never reach findings):

- ``_lbc_live``: the conversation is not ``verwijderd`` (a missing or unreadable flag counts as
  not deleted). Deleted conversations are ignored by every LBC rule;
- ``_lbc_cq``: an integer code of the chequenummer (-1 when missing), for fast grouping;
- ``_lbc_pos``: the row's position in the global registration order — chequenummer, then
  ``registratiedatum`` ascending, ties (and a missing column) broken by the row's position in
  the source (``_rid``, assigned in source order). Sorting any subset by ``_lbc_pos`` gives every
  cheque's conversations in registration order: the one sort of the run is done here;
- ``_lbc_seq``: 0-based registration rank among the cheque's live conversations (<NA> for deleted
  rows and rows without a chequenummer);
- ``_lbc_dur_unknown``: number of live conversations of the cheque, registered up to and
  including this one, whose used minutes are unknown (duur empty or unreadable on a conversation
  that is not a ``Nazorggesprek``, or type unreadable). A rule that concludes from a *low* sum of
  minutes (LBC010) skips cheques where this is not 0;
- ``_lbc_type_unknown``: likewise, the number of live conversations of the cheque, registered up
  to and including this one, whose type is empty or unreadable. A rule that concludes from the
  *absence* of a closing conversation before a row (LBC009) skips rows where this is not 0.

And, when ``cheques`` is given, to ``cheques``:

- ``_lbc_type_unknown``: the cheque has a live conversation whose type is empty or unreadable
  (LBC012 does not conclude "no closing conversation" for it). Computed here on the whole
  table, because the engine removes such rows from the rules that declare ``type``.

Rules that depend on the order declare ``registratiedatum`` (and ``verwijderd``) as optional, so
the engine leaves out a conversation whose registration date cannot be read (DAT002 reports it);
the order of the remaining ones is unaffected.

An empty (or unreadable) ``registratiedatum`` on some rows only: the row keeps its place among its
source neighbours of the same cheque (the date of the previous row of that cheque in source order
is carried forward, the first rows take the next known date), which is what "ties broken by the
row's position in the source" gives when the column is absent altogether.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dossiercheck.checks.rule import Context

LIVE = "_lbc_live"
CQ = "_lbc_cq"
POS = "_lbc_pos"
SEQ = "_lbc_seq"
DUR_UNKNOWN = "_lbc_dur_unknown"
TYPE_UNKNOWN = "_lbc_type_unknown"

INTAKE = "Intake gesprek"
VERDIEPING = "Verdiepingsgesprek"
SYNTHESE = "Synthesegesprek"
NAZORG = "Nazorggesprek"
STOPZETTING = "Stopzetting van de begeleiding"
CLOSING = (SYNTHESE, STOPZETTING)

IN_GEBRUIK = "Cheque in gebruik"
AFGESLOTEN = "Cheque afgesloten"
STOPGEZET = "Cheque stopgezet"

NAT = np.iinfo("int64").min


def day_numbers(s: pd.Series) -> np.ndarray:
    """Dates as int64 day numbers (calendar dates; NaT -> int64 min)."""
    arr = pd.to_datetime(s).to_numpy().astype("datetime64[D]")
    out = arr.astype("int64")
    out[np.isnat(arr)] = NAT
    return out


def prepare(tables: dict[str, pd.DataFrame], config: dict, P: pd.Timestamp) -> None:
    g = tables.get("gesprekken")
    if g is None:
        return
    g = tables["gesprekken"] = with_order(g)
    ch = tables.get("cheques")
    if ch is not None and "chequenummer" in ch.columns and "type" in g.columns:
        unknown = g.loc[g[LIVE].to_numpy(dtype=bool) & g["type"].isna().to_numpy(dtype=bool), "chequenummer"]
        tables["cheques"] = ch.assign(**{TYPE_UNKNOWN: ch["chequenummer"].isin(unknown.dropna()).to_numpy(dtype=bool)})


def with_order(g: pd.DataFrame) -> pd.DataFrame:
    """``g`` with the ``_lbc_*`` columns (see the module docstring)."""
    n = len(g)
    rid = g["_rid"].to_numpy(dtype="int64")
    if "verwijderd" in g.columns:
        live = ~g["verwijderd"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    else:
        live = np.ones(n, dtype=bool)
    if "chequenummer" in g.columns:
        cq = pd.factorize(g["chequenummer"], use_na_sentinel=True)[0].astype("int64")
    else:
        cq = np.full(n, -1, dtype="int64")

    # Registration date, missing cells filled from source neighbours of the same cheque.
    if "registratiedatum" in g.columns:
        reg = day_numbers(g["registratiedatum"]).astype("float64")
        reg[reg == NAT] = np.nan
        src = np.lexsort((rid, cq))
        r = pd.Series(reg[src])
        grp = cq[src]
        r = r.groupby(grp).ffill().groupby(grp).bfill()
        filled = np.empty(n)
        filled[src] = r.fillna(0).to_numpy()
        regkey = filled.astype("int64")
    else:
        regkey = np.zeros(n, dtype="int64")

    order = np.lexsort((rid, regkey, cq))
    pos = np.empty(n, dtype="int64")
    pos[order] = np.arange(n, dtype="int64")

    live_o = live[order]
    cq_o = cq[order]
    seq_o = pd.Series(live_o.astype("int64")).groupby(cq_o).cumsum().to_numpy() - 1
    seq = np.empty(n, dtype="int64")
    seq[order] = seq_o
    seq_s = pd.array(seq, dtype="Int64")
    seq_s[(~live) | (cq < 0)] = pd.NA

    def running(flags: np.ndarray) -> np.ndarray:
        """Per row: how many flagged rows of its cheque are registered up to and including it."""
        out = np.empty(n, dtype="int64")
        out[order] = pd.Series(flags[order].astype("int64")).groupby(cq_o).cumsum().to_numpy()
        return out

    t = g["type"].astype("string") if "type" in g.columns else None
    type_unknown = t.isna().to_numpy(dtype=bool) & live if t is not None else np.zeros(n, dtype=bool)
    if "duur" in g.columns and t is not None:
        dur_unknown = (t.isna() | ((t != NAZORG) & g["duur"].isna())).fillna(True).to_numpy(dtype=bool) & live
    else:
        dur_unknown = np.zeros(n, dtype=bool)

    return g.assign(
        **{LIVE: live, CQ: cq, POS: pos, SEQ: seq_s, DUR_UNKNOWN: running(dur_unknown), TYPE_UNKNOWN: running(type_unknown)}
    )


KEEP = ("_rid", "chequenummer", LIVE, CQ, POS, SEQ, DUR_UNKNOWN, TYPE_UNKNOWN)


def conversations(ctx: Context, *present: str, extra: tuple[str, ...] = (), ordered: bool = True) -> pd.DataFrame:
    """The live conversations the rule sees that have a chequenummer and a value in each of
    ``present``: the columns ``present`` + ``extra`` (those that exist) and the ``_lbc_*``
    columns, in registration order (sorted by ``_lbc_pos``) unless ``ordered`` is False."""
    g = ctx.table("gesprekken")
    if POS not in g.columns:  # rule called outside the engine: derive the order here
        g = with_order(g)
    cols = list(dict.fromkeys(c for c in (*KEEP, *present, *extra) if c in g.columns))
    m = g[LIVE].to_numpy(dtype=bool) & (g[CQ].to_numpy() >= 0)
    for c in present:
        m &= g[c].notna().to_numpy(dtype=bool)
    idx = np.flatnonzero(m)
    if ordered:
        idx = idx[np.argsort(g[POS].to_numpy()[idx], kind="stable")]
    return g[cols].iloc[idx]


def group_shift(values: np.ndarray, groups: np.ndarray, fill) -> np.ndarray:
    """``values`` shifted down by one within runs of equal ``groups`` (rows sorted by group)."""
    out = np.empty_like(values)
    if len(values) == 0:
        return out
    out[1:] = values[:-1]
    first = np.ones(len(values), dtype=bool)
    first[1:] = groups[1:] != groups[:-1]
    out[first] = fill
    return out


def cheque_hours(ctx: Context) -> pd.Series:
    """chequenummer -> hours the cheque buys (``uren``; empty or absent column: the configured
    default). Cheques not in ``cheques`` are absent from the result."""
    ch = ctx.table("cheques")
    ch = ch[ch["chequenummer"].notna()].drop_duplicates("chequenummer")
    default = float(ctx.cfg("lbc.default_hours"))
    if "uren" in ch.columns:
        hours = ch["uren"].astype("Float64").fillna(default).astype("float64")
    else:
        hours = pd.Series(default, index=ch.index, dtype="float64")
    return pd.Series(hours.to_numpy(), index=pd.Index(ch["chequenummer"].to_numpy(dtype=object)))


def hours_of(ctx: Context, cheques: pd.Series) -> np.ndarray:
    """Hours of each cheque in ``cheques`` (NaN when the cheque is not in ``cheques``)."""
    hours = cheque_hours(ctx)
    pos = hours.index.get_indexer(cheques.to_numpy(dtype=object))
    vals = np.append(hours.to_numpy(dtype="float64"), np.nan)
    return vals[np.where(pos < 0, len(hours), pos)]


def list_column(*cols: np.ndarray) -> list[list[int]]:
    """Row-wise lists of ints from parallel arrays (for ``_rids``)."""
    if not len(cols) or len(cols[0]) == 0:
        return []
    return np.column_stack([np.asarray(c, dtype="int64") for c in cols]).tolist()


def cheque_rids(ctx: Context, cheques: pd.Series) -> np.ndarray:
    """``_rid`` of the ``cheques`` row of each chequenummer in ``cheques`` (the first row when the
    number is duplicated; -1 when the cheque is not in ``cheques``)."""
    ch = ctx.table("cheques")
    ch = ch[ch["chequenummer"].notna()].drop_duplicates("chequenummer")
    pos = pd.Index(ch["chequenummer"].to_numpy(dtype=object)).get_indexer(cheques.to_numpy(dtype=object))
    vals = np.append(ch["_rid"].to_numpy(dtype="int64"), -1)
    return vals[np.where(pos < 0, len(ch), pos)]


def rid_lists(keys: np.ndarray, rids: np.ndarray, wanted: np.ndarray, extra: np.ndarray) -> list[list[int]]:
    """For each key in ``wanted``: the ``rids`` whose ``keys`` equal it, plus its ``extra`` rid
    (left out when -1). Used for ``_rids`` of per-cheque findings (the conversations a finding
    rests on and the cheque's own row)."""
    keys, wanted = np.asarray(keys), np.asarray(wanted)
    rids, extra = np.asarray(rids, dtype="int64"), np.asarray(extra, dtype="int64")
    sel = np.isin(keys, wanted)
    k, r = keys[sel], rids[sel]
    order = np.argsort(k, kind="stable")
    k, r = k[order], r[order]
    uniq, start = np.unique(k, return_index=True)
    chunks = [c.tolist() for c in np.split(r, start[1:])] if len(uniq) else []
    at = np.searchsorted(uniq, wanted)
    hit = at < len(uniq)
    hit[hit] = uniq[at[hit]] == wanted[hit]
    return [
        (chunks[a] if h else []) + ([int(e)] if e >= 0 else [])
        for a, h, e in zip(at.tolist(), hit.tolist(), extra.tolist())
    ]
