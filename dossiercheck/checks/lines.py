"""Shared facts about registration lines (RULES.md "Programme of a line", conventions).

``prepare_lines`` runs once per audit (registered by the ``gen`` package) and adds to ``lijnen``:

- ``programme``: ``abo_project``, ``abo_begeleiding``, ``oal``, ``outplacement``, ``opleiding``
  or missing (other steps: only the generic rules apply);
- ``active`` (toestand is not Geannuleerd), ``open`` (Bezig), ``closed`` (Beëindigd, Stopgezet,
  Uitgevoerd). A row with an unknown toestand is in no state: all three False.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dossiercheck.text import _distinct, isin, normalise, normalise_series

# (normalised stap prefixes, programme)
PROGRAMMES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("Project Leren en Werken",), "abo_project"),
    (("Onderwijs alternerende beroepsopl",), "abo_begeleiding"),
    (
        (
            "Onderwijs onderst alternerend leren",
            "Onderwijs onderst. alternerend leren",
            "Onderwijs ondersteuning alternerend leren",
        ),
        "oal",
    ),
    (("Outplacement",), "outplacement"),
    (("Opleiding",), "opleiding"),
)

ABO_KINDS = ("abo_project", "abo_begeleiding")
CLOSED = ("Beëindigd", "Stopgezet", "Uitgevoerd")


def _programme_of(stap: pd.Series) -> pd.Series:
    norm = normalise_series(stap)
    out = pd.Series(pd.NA, index=stap.index, dtype="string")
    for prefixes, prog in PROGRAMMES:
        hit = pd.Series(False, index=stap.index)
        for p in prefixes:
            hit |= norm.str.startswith(normalise(p)).fillna(False).astype(bool)
        out = out.mask(hit & out.isna(), prog)
    return out


def programme_of(stap: pd.Series) -> pd.Series:
    """The programme of each line's stap (missing for other steps), decided once per distinct
    stap text when the texts repeat (they do: a handful of steps)."""
    if not isinstance(stap.dtype, pd.StringDtype):
        return _programme_of(stap)
    values, codes = _distinct(stap)
    if codes is None:
        return _programme_of(stap)
    # one slot more for a missing stap; gathered as Arrow strings (no Python object per row)
    prog = pd.array(_programme_of(values).tolist() + [None], dtype="string")
    return pd.Series(prog.take(np.where(codes < 0, len(prog) - 1, codes)), index=stap.index)


def prepare_lines(tables: dict[str, pd.DataFrame], config: dict, P: pd.Timestamp) -> None:
    lijnen = tables.get("lijnen")
    if lijnen is None:
        return
    toestand = lijnen["toestand"] if "toestand" in lijnen.columns else pd.Series(pd.NA, index=lijnen.index)
    t = toestand.astype("string")  # compared as Arrow strings, not as a million Python objects
    known = t.notna().to_numpy()

    def where(m: pd.Series) -> np.ndarray:
        return m.fillna(False).to_numpy(dtype=bool)

    lijnen["active"] = known & ~where(t == "Geannuleerd")
    lijnen["open"] = known & where(t == "Bezig")
    lijnen["closed"] = known & isin(t, CLOSED)
    if "stap" in lijnen.columns:
        lijnen["programme"] = programme_of(lijnen["stap"])
    else:
        lijnen["programme"] = pd.Series(pd.NA, index=lijnen.index, dtype="string")


def school_year_start(d: pd.Series) -> pd.Series:
    """Year Y of the school year (1 Sep Y - 31 Aug Y+1) a date falls in."""
    return (d.dt.year - (d.dt.month < 9).astype("int64")).astype("Int64")


def closing_deadline(d: pd.Series) -> pd.Series:
    """30 June of the school year of each date (RULES.md conventions)."""
    y = school_year_start(d) + 1
    return pd.to_datetime(
        pd.DataFrame({"year": y, "month": 6, "day": 30}).astype("float64"), errors="coerce"
    )


def add_months(d: pd.Series, months: int) -> pd.Series:
    """Calendar months: 31 August + 6 months = 28/29 February (day clipped to month end)."""
    return d + pd.DateOffset(months=months)
