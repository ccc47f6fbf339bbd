"""Shared, vectorised building blocks of the ABO rules (RULES.md "ABO").

"ABO line" = ABO project line or ABO begeleidingslijn; an **ABO client** has at least one active
ABO begeleidingslijn. Cancelled lines (and lines in no known state) are ignored by every rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from dossiercheck.checks.lines import ABO_KINDS, school_year_start
from dossiercheck.checks.rule import Context, rows_where
from dossiercheck.text import isin, map_unique, normalise, normalise_series, term_pattern

PROJECT = "abo_project"
BEGELEIDING = "abo_begeleiding"


def _shared(ctx: Context | None, lijnen: pd.DataFrame, name: str, build: Callable[[], Any]) -> Any:
    """``build()``, shared between the rules that see the same lines when ``lijnen`` is the
    rule's own table (``ctx``); computed here otherwise."""
    if ctx is not None and ctx.tables.get("lijnen") is lijnen:
        return ctx.shared(name, ("lijnen",), build)
    return build()


def abo_lines(lijnen: pd.DataFrame, ctx: Context | None = None) -> pd.DataFrame:
    """Active ABO lines (either kind)."""
    return _shared(
        ctx, lijnen, "abo_lines",
        lambda: rows_where(lijnen, lijnen["programme"].isin(ABO_KINDS).fillna(False).to_numpy() & lijnen["active"].to_numpy()),
    )


def _of_kind(lijnen: pd.DataFrame, kind: str, ctx: Context | None) -> pd.DataFrame:
    """Active ABO lines of one kind: picked from :func:`abo_lines` (a seventh of all lines), the
    same rows in the same order as from the whole table."""
    abo = abo_lines(lijnen, ctx)
    return rows_where(abo, (abo["programme"] == kind).fillna(False).to_numpy())


def begeleidingslijnen(lijnen: pd.DataFrame, ctx: Context | None = None) -> pd.DataFrame:
    """Active ABO begeleidingslijnen."""
    return _shared(ctx, lijnen, "abo_begeleidingslijnen", lambda: _of_kind(lijnen, BEGELEIDING, ctx))


def project_lines(lijnen: pd.DataFrame, ctx: Context | None = None) -> pd.DataFrame:
    """Active ABO project lines (`Project Leren en Werken`)."""
    return _shared(ctx, lijnen, "abo_project_lines", lambda: _of_kind(lijnen, PROJECT, ctx))


def abo_clients(lijnen: pd.DataFrame, ctx: Context | None = None) -> pd.Index:
    """Klantnummers with at least one active ABO begeleidingslijn."""
    return _shared(
        ctx, lijnen, "abo_clients", lambda: pd.Index(begeleidingslijnen(lijnen, ctx)["klantnummer"].dropna().unique())
    )


def lookup(keys: pd.Series, values: pd.Series, pos: np.ndarray | None = None) -> pd.Series:
    """``values[key]`` for each key (missing where the key is absent), aligned with ``keys``.

    A positional take on ``values.index.get_indexer``: unlike ``map``/``join`` it also works when
    either side is empty (pandas' Arrow-backed strings refuse to join on an empty frame). ``pos``:
    that indexer when already known (several columns of one frame looked up with the same keys).
    """
    if len(keys) == 0 or len(values) == 0:
        out = pd.Series(np.full(len(keys), None, dtype=object), index=keys.index, dtype=object)
        return out.astype(values.dtype) if pd.api.types.is_datetime64_any_dtype(values.dtype) else out
    if pos is None:
        pos = values.index.get_indexer(keys)
    taken = values.iloc[np.where(pos < 0, 0, pos)]
    out = pd.Series(taken.to_numpy(), index=keys.index, dtype=values.dtype)
    return out.where(pd.Series(pos >= 0, index=keys.index))


def of_clients(frame: pd.DataFrame, clients: pd.Index) -> pd.DataFrame:
    """Rows of ``frame`` whose klantnummer is one of ``clients``."""
    # A hash lookup: Series.isin on Arrow-backed strings builds one Arrow scalar per value; the
    # Arrow hash join of text.isin is faster still (missing is never in, as no client is missing).
    clients = pd.Index(clients).unique()
    keys = frame["klantnummer"]
    if isinstance(keys.dtype, pd.StringDtype) and not clients.hasnans:
        return rows_where(frame, isin(keys, pd.Series(clients, dtype="string")))
    return rows_where(frame, clients.get_indexer(keys) >= 0)


def school_year_label(d: pd.Series) -> pd.Series:
    """`2024-2025` for a date in the school year 1 Sep 2024 - 31 Aug 2025."""
    y = school_year_start(d)
    return (y.astype("string") + "-" + (y + 1).astype("string")).astype("string")


def _ends_per(frame: pd.DataFrame, key: str, order: list[str], na_position: str, last: bool) -> pd.DataFrame:
    """The rows of ``frame`` sorted by ``key``, ``order``, ``_rid`` (stable), keeping the last
    (``last``) or first row of each non-missing ``key``: ``sort_values`` then ``groupby.tail(1)``
    / ``head(1)``, with only the sort columns sorted and one positional take of the whole rows."""
    cols = [key, *order, "_rid"]
    part = frame[cols].reset_index(drop=True)
    sorted_ = part.sort_values(cols, na_position=na_position, kind="stable")
    pos = sorted_.index.to_numpy()
    codes, _ = pd.factorize(sorted_[key], use_na_sentinel=True)
    edge = np.ones(len(codes), dtype=bool)
    if last:
        edge[:-1] = codes[:-1] != codes[1:]
    else:
        edge[1:] = codes[1:] != codes[:-1]
    return frame.iloc[pos[edge & (codes >= 0)]]


def last_per(frame: pd.DataFrame, key: str, order: list[str]) -> pd.DataFrame:
    """One row per ``key``: the last by ``order`` (ascending; missing values sort first), ties
    broken by source row (``_rid``)."""
    if frame.empty:
        return frame
    return _ends_per(frame, key, order, "first", last=True)


def first_per(frame: pd.DataFrame, key: str, order: list[str]) -> pd.DataFrame:
    """One row per ``key``: the first by ``order`` (ascending; missing values sort last)."""
    if frame.empty:
        return frame
    return _ends_per(frame, key, order, "last", last=False)


def rid_lists(*parts: pd.DataFrame, key: str = "klantnummer") -> pd.Series:
    """key -> sorted array of the ``_rid`` of every row in ``parts`` (each has ``key``, ``_rid``).

    One sort and one ``np.split`` at the key boundaries (no per-group Python aggregation)."""
    frames = [p[[key, "_rid"]] for p in parts if p is not None and len(p)]
    if not frames:
        return pd.Series(dtype="object")
    both = pd.concat(frames, ignore_index=True).drop_duplicates().sort_values([key, "_rid"], kind="stable")
    keys = both[key].to_numpy(dtype=object)
    rids = both["_rid"].to_numpy(dtype="int64")
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return pd.Series(np.split(rids, starts[1:]), index=pd.Index(keys[starts]), dtype="object")


def pair_lists(a: pd.Series | np.ndarray, b: pd.Series | np.ndarray) -> list:
    """Row-wise ``[a, b]`` lists of two row ids, built in one numpy step."""
    return np.stack([np.asarray(a, dtype="int64"), np.asarray(b, dtype="int64")], axis=1).tolist()


def terms_in(series: pd.Series, terms: Iterable[str]) -> pd.Series:
    """For each text, the configured ``terms`` found in it as whole words/phrases (spelled as in
    the configuration, in configuration order); an empty list where none is found or the text is
    missing. Computed once per distinct normalised text (:mod:`dossiercheck.text`)."""
    terms = [t for t in terms if normalise(t)]
    pat = term_pattern(terms)
    order = {normalise(t): i for i, t in enumerate(terms)}
    spelled = {normalise(t): t for t in reversed(terms)}

    def found(text: str) -> list[str]:
        hits = {m for m in pat.findall(text)}
        return [spelled[h] for h in sorted(hits, key=lambda h: order.get(h, 0)) if h in spelled]

    norm = normalise_series(series)
    out = map_unique(norm, found, dtype=None)
    empty = pd.Series([[]] * len(out), index=out.index, dtype="object")
    return out.where(norm.notna(), empty)
