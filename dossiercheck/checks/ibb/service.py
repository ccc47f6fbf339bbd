"""Per-service views for the IBB rules (RULES.md IBB preamble).

A service's appointments (``contacten``) and ``afsprakenbladen`` are those of its client dated
≥ its toeleiding and < the toeleiding of the client's next service. Done with one sort and a
``merge_asof`` by klantnummer over the services that have a toeleiding. The other cases of the
preamble:

- a service *without toeleiding* owns all of its client's rows (a plain merge on klantnummer;
  when a client also has dated services, those rows belong to both);
- *without ``services``*, or for a client that has no service row: all of the client's rows form
  one pseudo-service (identity: the klantnummer); findings then point at the offending row;
- two dated services of a client with the same toeleiding: the later source row owns the rows
  (the earlier one's period is empty);
- rows dated before the client's first toeleiding belong to no service (when the client has no
  undated service).

Every membership row carries ``_svc`` (the service's ``_rid``, or -1 for a pseudo-service),
``_g`` (a group id unique per service) and ``_skey`` (the stable identity
``klantnummer|tender|toeleiding`` used as the fingerprint basis of per-service findings).
Results are cached per run for the exact rows a rule may see.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dossiercheck.checks.rule import Context
from dossiercheck.checks.rule import reindex_lookup as lookup  # noqa: F401 (used by the IBB modules)
from dossiercheck.text import isin, startswith_text

def _fingerprint(frame: pd.DataFrame) -> tuple:
    rid = frame["_rid"].to_numpy()
    return len(rid), int(pd.util.hash_array(rid).sum(dtype="uint64")) if len(rid) else 0, tuple(frame.columns)


def services(ctx: Context) -> pd.DataFrame | None:
    """The services the rule sees, with ``_svc``, ``_g``, ``_skey`` (None without the table)."""
    if not ctx.has("services"):
        return None
    s = ctx.table("services")
    s = s[s["klantnummer"].notna()]
    toel = s["toeleiding"] if "toeleiding" in s.columns else pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    tender = s["tender"].astype("string").fillna("") if "tender" in s.columns else ""
    key = s["klantnummer"].astype("string") + "|" + tender + "|" + toel.dt.strftime("%Y-%m-%d").astype("string").fillna("")
    return s.assign(_svc=s["_rid"].astype("int64"), _g="s" + s["_rid"].astype("string"), _skey=key, _toel=toel)


def members(ctx: Context, name: str) -> pd.DataFrame:
    """Rows of table ``name`` (with a datum) joined to the service(s) they belong to."""
    f = ctx.table(name)
    s = services(ctx)
    ck = ("ibb_members", name, _fingerprint(f), None if s is None else _fingerprint(s))
    if ck in ctx.cache:
        return ctx.cache[ck]
    f = f[f["datum"].notna() & f["klantnummer"].notna()]
    if s is None:
        out = f.assign(_svc=-1, _g="k" + f["klantnummer"].astype("string"), _skey=f["klantnummer"].astype("string"))
    else:
        cols = ["klantnummer", "_svc", "_g", "_skey"]
        dated = s[s["_toel"].notna()].sort_values(["_toel", "_svc"], kind="stable")
        left = f.sort_values(["datum", "_rid"], kind="stable")
        if len(left) and len(dated):
            a = pd.merge_asof(
                left,
                dated[cols + ["_toel"]],
                left_on="datum",
                right_on="_toel",
                by="klantnummer",
                direction="backward",
                allow_exact_matches=True,
            )
            a = a[a["_svc"].notna()].drop(columns="_toel")
        else:  # merge_asof refuses empty string-keyed frames
            a = left.iloc[:0].assign(_svc=np.nan, _g="", _skey="")
        b = f.merge(s.loc[s["_toel"].isna(), cols], on="klantnummer")
        alone = f[~isin(f["klantnummer"], s["klantnummer"])]
        c = alone.assign(_svc=-1, _g="k" + alone["klantnummer"].astype("string"), _skey=alone["klantnummer"].astype("string"))
        out = pd.concat([a, b, c], ignore_index=True)
        out["_svc"] = out["_svc"].astype("int64")
    out = out.sort_values(["_g", "datum", "_rid"], kind="stable").reset_index(drop=True)
    ctx.cache[ck] = out
    return out


def first_appointments(ctx: Context) -> pd.DataFrame:
    """The first appointments of each service, in order (datum, then source order), with
    ``_n`` (1-based position in the service's sequence), ``_absent`` and ``_absno`` (running
    count of absences up to and including this appointment)."""
    m = members(ctx, "contacten")
    fa = m[startswith_text(m["type"], str(ctx.cfg("ibb.first_appointment_type"))).to_numpy()].copy()
    fa["_n"] = fa.groupby("_g", sort=False).cumcount() + 1
    res = fa["resultaat"].astype("string") if "resultaat" in fa.columns else pd.Series(pd.NA, index=fa.index, dtype="string")
    fa["_absent"] = res.str.startswith("Afwezig").fillna(False).astype(bool)
    fa["_absno"] = fa.groupby("_g", sort=False)["_absent"].cumsum()
    return fa


def add_months_each(d: pd.Series, months: pd.Series) -> pd.Series:
    """``d`` plus ``months`` calendar months, per row (RULES.md conventions: 31 August + 6 months
    = 28/29 February; the day is clipped to the target month's end). Missing ``d`` or ``months``
    gives NaT. Vectorised: year/month arithmetic on integer arrays."""
    ok = (d.notna() & months.notna()).to_numpy()
    out = pd.Series(pd.NaT, index=d.index, dtype="datetime64[ns]")
    if not ok.any():
        return out
    dd = d[ok]
    total = dd.dt.year.astype("int64") * 12 + (dd.dt.month.astype("int64") - 1) + months[ok].astype("int64")
    first = pd.to_datetime(pd.DataFrame({"year": total // 12, "month": total % 12 + 1, "day": 1}))
    day = np.minimum(dd.dt.day.astype("int64").to_numpy(), first.dt.days_in_month.astype("int64").to_numpy())
    out[ok] = (first + pd.to_timedelta(day - 1, unit="D")).to_numpy()
    return out


def ordinal_nl(n: pd.Series) -> pd.Series:
    return n.astype("int64").astype("string") + "e"


def ordinal_en(n: pd.Series) -> pd.Series:
    n = n.astype("int64")
    last = n % 10
    teen = (n % 100).between(11, 13)
    suffix = np.where(teen, "th", np.select([last == 1, last == 2, last == 3], ["st", "nd", "rd"], "th"))
    return n.astype("string") + pd.Series(suffix, index=n.index, dtype="string")


def primary(svc: pd.Series, fallback: pd.Series) -> np.ndarray:
    """The row a per-service finding points at: the service row, else ``fallback``."""
    return np.where(svc.to_numpy() >= 0, svc.to_numpy(), fallback.to_numpy()).astype("int64")


def rid_lists(*cols: pd.Series) -> list:
    """Per finding, the list of its source rows (missing and pseudo-service ids left out)."""
    if not cols or len(cols[0]) == 0:
        return []
    arr = np.column_stack([pd.to_numeric(c, errors="coerce").astype("float64").to_numpy() for c in cols])
    long = pd.DataFrame(arr).stack().rename_axis(["i", "j"]).reset_index(name="rid")
    long = long[long["rid"] >= 0].astype({"rid": "int64"}).drop_duplicates(["i", "rid"])
    grouped = long.groupby("i")["rid"].agg(list)
    return grouped.reindex(range(len(cols[0]))).tolist()
