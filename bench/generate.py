"""Synthetic benchmark workload: all eleven tables (TABLES.md), scaled by the number of clients.

    python bench/generate.py --clients 200000 --out bench/out/data/200k [--seed 7] [--formats xlsx,csv]

Proportions per client (on average): 1 dossier, 5 registration lines, 3 notes, 2 plans; 20 % are
outplacement clients with their documents; 6 % have an intensive-mediation service with its
appointments, agreement sheet(s) and month-end categories; 10 % hold a loopbaancheque with about
4 conversations. At 200,000 clients that is about 1 M lines and 2.5 M rows over all tables.

The base data is written to be compliant with RULES.md at the peildatum ``PEILDATUM``; then about
``--rate`` (3 %) of the rows of every table are mutated into a planted violation, the kind chosen
among the rules that can apply to that row's role (an ABO begeleidingslijn gets ABO/FIN/GEN/DAT
kinds, a gesprek LBC/DAT kinds, ...), so every rule family is exercised. Some mutations add rows
(duplicates, overlapping lines, extra appointments). ``manifest.json`` lists rows per table and the
planted sites per rule code.

Output, deterministic for a seed:

- ``xlsx/<table>.xlsx``: one workbook per table, written by XlsxWriter with shared strings (as
  Excel writes them), dates as real date cells, klantnummers as text, chequenummers of
  ``gesprekken`` as numbers (Excel drops their leading zero), title rows above some headers.
  XlsxWriter's ``constant_memory`` mode would write inline strings instead, unlike Excel, so it
  is only used with ``--constant-memory`` (low-RAM machines); the default keeps one sheet in
  memory (about 2 GB for 1 M lines).
- ``csv/<table>.csv``: cp1252, ``;``, dates ``dd/mm/yyyy``, as Excel on Windows saves a CSV.

Generation is vectorised with numpy (no per-row Python); only the xlsx writer touches each row
(one or two ``write_row`` calls per row), with the workbooks written in parallel (``--jobs``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

NODATE = -(10**9)
_EPOCH = dt.date(1970, 1, 1)
_EXCEL_EPOCH_DAYS = (dt.date(1899, 12, 30) - _EPOCH).days

PEILDATUM = "2025-06-05"


def D(s: str) -> int:
    return (dt.date.fromisoformat(s) - _EPOCH).days


P = D(PEILDATUM)

# --- pools ----------------------------------------------------------------------------------

FAMILY = np.array(
    "Peeters Janssens Maes Jacobs Mertens Willems Claes Goossens Wouters De_Smet Dubois Lambert Dupont "
    "Martens Vermeulen Pauwels Hermans Aerts Verstraete Van_Damme Michiels Declercq Smets Stevens Bogaerts "
    "Lemmens Desmet Coppens Cools Van_den_Broeck Segers Claeys Leclercq Wuyts Verhoeven Vandenberghe "
    "Thys Hendrickx Vos Vervoort Maenhout Vermeiren Peetermans Moens Baert Verbeke Nys Laenen".replace("_", "~")
    .split(),
    dtype=object,
)
FAMILY = np.array([f.replace("~", " ") for f in FAMILY], dtype=object)
FIRST = np.array(
    "Lotte Jonas Emma Noah Ella Louis Mila Arthur Olivia Lucas Marie Liam Louise Adam Julie Jules Sofie "
    "Victor Nina Finn Elise Mats Lore Wout Hanne Seppe Fien Rune Amber Kobe Ines Lars Febe Thibo Jana Robbe "
    "Yasmine Milan Sara Bram Lien Stan Eva Senne Noor Jasper Aya Matteo".split(),
    dtype=object,
)
CITIES = np.array(
    "Gent Antwerpen Brugge Leuven Hasselt Mechelen Aalst Kortrijk Genk Oostende Sint-Niklaas Roeselare "
    "Turnhout Geel Lier Dendermonde Ieper Vilvoorde Tienen Lokeren".split(),
    dtype=object,
)
COMPANIES = np.array(
    [f"{a} {b}" for a in ("Bakkerij", "Garage", "Schrijnwerkerij", "Kapsalon", "Brasserie", "Drukkerij", "Tuinbouw",
                          "Elektro", "Logistiek", "Zorgcentrum", "Bouwbedrijf", "Hotel")
     for b in ("Verhaeghe", "De Linde", "Noord", "Cools", "Van Acker", "Het Anker", "Zonneveld", "Delta")],
    dtype=object,
)
BEROEPEN = np.array(
    ["kok", "kapper", "schrijnwerker", "magazijnier", "verzorgende", "elektricien", "metselaar", "bakker",
     "onthaalmedewerker", "logistiek assistent", "tuinier", "lasser", "schilder", "verkoper"],
    dtype=object,
)
GENERIC_STAPPEN = np.array(
    ["Sollicitatietraining", "Jobclub", "Opleiding", "Netwerkcafé", "Werkplekleren", "Oriëntatie",
     "Begeleiding naar werk", "Taalcursus Nederlands", "Digitale vaardigheden", "Competentieproef"],
    dtype=object,
)
GENERIC_STAP_P = np.array([0.16, 0.14, 0.16, 0.06, 0.1, 0.1, 0.1, 0.08, 0.06, 0.04])
OPLEIDINGSCODES = np.array(["953010", "953020", "420130", "311070", "510240", "620110", "730050"], dtype=object)
NOTE_REDENEN = np.array(
    ["Opvolging stage", "Telefonisch contact", "Gesprek op school", "Stagebezoek", "Mail werkgever",
     "Evaluatiegesprek", "Afwezigheid gemeld", "Overleg trajectbegeleider"],
    dtype=object,
)
PLAN_STATUSES = np.array(
    ["Persoonlijke dienstverlening", "Actiegerichte (her)inschatting", "Digitale dienstverlening",
     "Blijft ingeschreven, geen dienstverlening door VDAB"],
    dtype=object,
)
PLAN_ACTIES = np.array(
    ["Opvolging sollicitaties via Mijn Loopbaan", "Inschrijving opleiding bekijken", "Netwerkgesprek plannen",
     "CV en motivatiebrief herwerken", "Doorverwijzing naar werkplekleren", None],
    dtype=object,
)
THEMES = np.array(
    ["Werkbaar werk", "Relaties in de werkcontext", "Jobdoelwit", "Zingeving", "Kwaliteitsreflectie",
     "Groei en uitdaging"],
    dtype=object,
)
CENTRA = np.array([f"Loopbaancentrum {c}" for c in CITIES], dtype=object)
PARTNERS = np.array([f"Partner {c} Werkt" for c in CITIES], dtype=object)
TENDERS = np.array(["TIBB4", "TIBB4 anderstaligen", "SCRABA", "SAB3", "WIJ3"], dtype=object)

FIRST_APPT = "Eerste afspraak voor bemiddeling bij partner"


# --- helpers --------------------------------------------------------------------------------


def fmt_days(days: np.ndarray, fmt: str = "%d/%m/%Y", frac: np.ndarray | None = None) -> np.ndarray:
    """Day numbers (NODATE = empty) as text, formatting each distinct value once."""
    days = np.asarray(days, dtype="int64")
    ok = days != NODATE
    out = np.full(len(days), None, dtype=object)
    if frac is not None:
        mins = np.round(np.asarray(frac) * 1440).astype("int64")
        key = days * 1440 + mins
        u, inv = np.unique(key[ok], return_inverse=True)
        us = np.array(
            [(dt.datetime(1970, 1, 1) + dt.timedelta(minutes=int(k))).strftime(fmt) for k in u], dtype=object
        )
    else:
        u, inv = np.unique(days[ok], return_inverse=True)
        us = np.array([(_EPOCH + dt.timedelta(days=int(x))).strftime(fmt) for x in u], dtype=object)
    out[ok] = us[inv]
    return out


def cat(*parts) -> np.ndarray:
    """Element-wise string concatenation of object arrays / scalars (None stays None if any)."""
    out = None
    for p in parts:
        a = np.asarray(p, dtype=object) if not isinstance(p, str) else p
        out = a if out is None else out + a
    return out


def zfill(ints: np.ndarray, width: int) -> np.ndarray:
    """Integers as zero-padded text (object array)."""
    return pd.Series(np.asarray(ints, dtype="int64").astype(str)).str.zfill(width).to_numpy(object)


def pick(rng, pool: np.ndarray, n: int, p=None) -> np.ndarray:
    return pool[rng.choice(len(pool), n, p=p)] if p is not None else pool[rng.integers(0, len(pool), n)]


def per_group_rank(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner, rank) for ``counts[i]`` rows per owner i."""
    owner = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    rank = np.arange(len(owner)) - np.repeat(starts, counts)
    return owner, rank


def names(rng, n: int) -> np.ndarray:
    return cat(pick(rng, FAMILY, n), " ", pick(rng, FIRST, n))


class Tab:
    """A generated table: columns as arrays (text: object, date: int64 day numbers, num: float),
    plus raw text overrides (planted unparseable cells)."""

    def __init__(self, name: str, n: int):
        self.name, self.n = name, n
        self.cols: dict[str, np.ndarray] = {}
        self.kind: dict[str, str] = {}
        self.over: dict[str, np.ndarray] = {}
        self.frac: dict[str, np.ndarray] = {}  # time of day (fraction) for datetime columns

    def text(self, col, arr):
        self.cols[col] = np.asarray(arr, dtype=object).copy()
        self.kind[col] = "text"

    def date(self, col, days, frac=None):
        self.cols[col] = np.asarray(days, dtype="int64").copy()
        self.kind[col] = "date"
        if frac is not None:
            self.frac[col] = np.asarray(frac, dtype="float64").copy()

    def num(self, col, arr):
        self.cols[col] = np.asarray(arr, dtype="float64").copy()
        self.kind[col] = "num"

    def raw(self, col, idx, value):
        o = self.over.setdefault(col, np.full(self.n, None, dtype=object))
        o[idx] = value

    def append(self, idx, **changes) -> np.ndarray:
        """Append copies of rows ``idx`` (with ``changes``: column -> array or scalar); returns
        the new rows' indices."""
        idx = np.asarray(idx, dtype="int64")
        k = len(idx)
        new = np.arange(self.n, self.n + k)
        for c, a in self.cols.items():
            add = a[idx].copy()
            if c in changes:
                add[:] = changes[c]
            self.cols[c] = np.concatenate([a, add])
        for c, a in self.frac.items():
            self.frac[c] = np.concatenate([a, a[idx]])
        for c, o in self.over.items():
            self.over[c] = np.concatenate([o, o[idx]])
        self.n += k
        return new


class Planter:
    """Chooses ``rate`` of the rows of a role and splits them over the role's violation kinds."""

    def __init__(self, rng, rate: float):
        self.rng, self.rate = rng, rate
        self.planted: dict[str, int] = {}

    def sites(self, idx: np.ndarray, kinds: list[str]) -> dict[str, np.ndarray]:
        idx = np.asarray(idx, dtype="int64")
        sel = idx[self.rng.random(len(idx)) < self.rate]
        k = self.rng.integers(0, len(kinds), len(sel))
        out = {}
        for j, kind in enumerate(kinds):
            out[kind] = sel[k == j]
        return out

    def count(self, code: str, n: int) -> None:
        code = code.split(":")[0]
        self.planted[code] = self.planted.get(code, 0) + int(n)


# --- generation -----------------------------------------------------------------------------


def generate(clients: int, seed: int = 7, rate: float = 0.03) -> tuple[dict[str, Tab], dict]:
    rng = np.random.default_rng(seed)
    pl = Planter(rng, rate)
    N = clients
    U = lambda lo, hi, n: rng.integers(lo, hi + 1, n)  # noqa: E731  inclusive
    kn = (61_000_000 + np.arange(N)).astype(str).astype(object)
    orphan_kn = lambda n: (69_000_000 + rng.integers(0, 999_999, n)).astype(str).astype(object)  # noqa: E731
    prof = rng.choice(4, N, p=[0.35, 0.15, 0.20, 0.30])  # 0 ABO, 1 OAL, 2 outplacement, 3 other
    n_orgs = max(20, N // 500)
    org_pool = np.array(
        [f"{('GO! Campus', 'VTI', 'Sint-Jozef', 'Atheneum', 'KTA')[i % 5]} {CITIES[i % len(CITIES)]} {i}" for i in range(n_orgs)],
        dtype=object,
    )
    out_orgs = np.array([f"Outplacementbureau {c}" for c in CITIES], dtype=object)
    vdab_orgs = np.array([f"VDAB {c}" for c in CITIES], dtype=object)
    org = np.where(prof <= 1, org_pool[rng.integers(0, n_orgs, N)],
                   np.where(prof == 2, pick(rng, out_orgs, N), pick(rng, vdab_orgs, N)))

    # client-level dates
    S = D("2024-09-08") + U(0, 83, N)  # ABO start (school year 2024-2025)
    abo_closed = rng.random(N) < 0.92  # in June nearly every school has closed its lines
    E_abo = S + U(60, 150, N)
    oal_start = D("2024-09-01") + U(0, 150, N)
    oal_closed = rng.random(N) < 0.4
    oal_end = oal_start + U(20, 60, N)
    out_state = rng.choice(3, N, p=[0.6, 0.25, 0.15])  # Bezig, Uitgevoerd, Beëindigd
    out_E = P - U(45, 300, N)
    out_start = np.where(out_state == 0, P - U(10, 300, N), out_E - U(60, 300, N))

    # ---- dossiers ------------------------------------------------------------------------
    dos = Tab("dossiers", N)
    dos.text("klantnummer", kn)
    dos.text("naam", pick(rng, FAMILY, N))
    dos.text("voornaam", pick(rng, FIRST, N))
    young = prof <= 1
    by = np.where(young, U(2005, 2009, N), U(1965, 2004, N))
    base = (by % 100) * 10**7 + U(1, 12, N) * 10**5 + U(1, 28, N) * 10**3 + U(1, 997, N)
    chk = 97 - ((base + np.where(by >= 2000, 2 * 10**9, 0)) % 97)
    digits = zfill(base, 9) + zfill(chk, 2)
    s = pd.Series(digits.astype(str))
    dotted = (s.str[0:2] + "." + s.str[2:4] + "." + s.str[4:6] + "-" + s.str[6:9] + "." + s.str[9:11]).to_numpy(object)
    rrn = np.where(rng.random(N) < 0.5, dotted, digits)
    rrn[rng.random(N) < 0.2] = None
    dos.text("rijksregisternummer", rrn)
    regio = np.where(young, np.where(rng.random(N) < 0.9, "Vlaanderen", "Brussel"),
                     pick(rng, np.array(["Vlaanderen", "Brussel", "Wallonie", "Buitenland"], dtype=object), N,
                          p=[0.85, 0.1, 0.03, 0.02])).astype(object)
    code = np.where(regio == "Vlaanderen", "02", "03").astype(object)
    cat_style = rng.integers(0, 3, N)
    categorie = np.where(cat_style == 0, code, np.where(cat_style == 1, cat("Niet-werkende werkzoekende (", code, ")"),
                                                        np.where(code == "02", "2", "3")))
    dos.text("regio", regio)
    dos.text("categorie", categorie)
    dipl = np.where(prof == 1, rng.random(N) < 0.15, np.where(prof == 0, False, rng.random(N) < 0.6))
    dos.text("diploma_secundair", np.where(dipl, "ja", np.where(rng.random(N) < 0.5, "nee", None)))
    dip_date = np.where(prof == 1, oal_start + U(10, 60, N), D("2015-06-30") + 365 * U(0, 7, N))
    dos.date("diploma_datum", np.where(dipl, dip_date, NODATE))
    dos.text("bemiddelaar", names(rng, N))
    dos.text("tenderpartner", np.where(rng.random(N) < 0.5, "nee", None))
    dos.text("organisatie", org)

    # ---- lijnen --------------------------------------------------------------------------
    n_prog = np.array([2, 1, 1, 0])[prof]
    n_gen = np.where(prof == 0, U(1, 5, N), np.where(prof == 3, U(3, 7, N), U(2, 6, N)))
    cl, rank = per_group_rank(n_prog + n_gen)
    L = len(cl)
    p_ = prof[cl]
    kind = np.full(L, 4)  # 0 project, 1 begeleiding, 2 oal, 3 outplacement, 4 generic
    kind[(p_ == 0) & (rank == 0)] = 0
    kind[(p_ == 0) & (rank == 1)] = 1
    kind[(p_ == 1) & (rank == 0)] = 2
    kind[(p_ == 2) & (rank == 0)] = 3
    stap = pick(rng, GENERIC_STAPPEN, L, p=GENERIC_STAP_P)
    stap[kind == 0] = "Project Leren en Werken"
    stap[kind == 1] = np.where(rng.random((kind == 1).sum()) < 0.7, "Onderwijs alternerende beroepsopleiding",
                               "Onderwijs alternerende beroepsopl. BuSO OV3")
    stap[kind == 2] = pick(rng, np.array(["Onderwijs ondersteuning alternerend leren", "Onderwijs onderst. alternerend leren"], dtype=object), (kind == 2).sum())
    stap[kind == 3] = "Outplacement"
    opl = (kind == 4) & (stap == "Opleiding")

    # generic line dates and states
    g_state = rng.choice(5, L, p=[0.45, 0.33, 0.1, 0.05, 0.07])  # Bezig, Beëindigd, Geannuleerd, Stopgezet, Uitgevoerd
    g_end = P - U(1, 300, L)
    g_start = np.where(g_state == 0, P - U(1, 400, L), g_end - U(10, 200, L))
    toestanden = np.array(["Bezig", "Beëindigd", "Geannuleerd", "Stopgezet", "Uitgevoerd"], dtype=object)
    toestand = toestanden[g_state]
    start = g_start.copy()
    einde = np.where(np.isin(g_state, [1, 3, 4]), g_end, NODATE)
    lg = np.where(g_state == 0, np.minimum(g_start + U(0, 60, L), P), np.where(g_state == 4, g_end + U(31, 40, L), g_end + U(0, 14, L)))
    fin = np.full(L, None, dtype=object)
    res = np.full(L, None, dtype=object)
    res[(kind == 4) & (g_state == 1)] = pick(rng, np.array(["Positief afgerond", "Werk gevonden", "Niet afgerond"], dtype=object), ((kind == 4) & (g_state == 1)).sum())
    oplcode = np.full(L, None, dtype=object)
    oplcode[opl] = pick(rng, OPLEIDINGSCODES, opl.sum())
    aanvrager = np.full(L, None, dtype=object)
    uitvoerder = names(rng, L)
    comp = pick(rng, COMPANIES, L)
    ber = pick(rng, BEROEPEN, L)
    samen = cat("Afspraak met ", pick(rng, FIRST, L), " over ", ber, " bij ", comp, ".")
    samen[rng.random(L) < 0.3] = None
    samen[opl] = cat("Opleiding ", ber[opl], " bij VDAB-competentiecentrum ", pick(rng, CITIES, opl.sum()), ".")

    # ABO lines
    for k in (0, 1):
        m = kind == k
        c = cl[m]
        closed = abo_closed[c]
        st = S[c] - (U(0, 7, m.sum()) if k == 0 else 0)
        start[m] = st
        toestand[m] = np.where(closed, "Beëindigd", "Bezig")
        einde[m] = np.where(closed, E_abo[c], NODATE)
        lg[m] = np.where(closed, E_abo[c] + U(0, 10, m.sum()), S[c] + U(0, 60, m.sum()))
        long = rng.random(m.sum()) < 0.2
        fin[m] = np.where(long, "EEWG018 - Project Leren en Werken" if k == 0 else "EEWG270 - Onderwijs alternerende beroepsopleiding",
                          "EEWG018" if k == 0 else "EEWG270")
        res[m] = "Alternerende beroepsopl. BuSO OV3" if k == 0 else np.where(closed, "Positief resultaat", None)
        aanvrager[m] = org[c]
        d2 = S[c] + U(0, 20, m.sum())
        d1 = d2 + U(5, 40, m.sum())
        samen[m] = cat(fmt_days(d1), " Evaluatie stage bij ", comp[m], ": ", ber[m], ", goede inzet.\n",
                       fmt_days(d2), " Start opleiding ", ber[m], " op school.")
    # OAL
    m = kind == 2
    c = cl[m]
    start[m] = oal_start[c]
    toestand[m] = np.where(oal_closed[c], "Beëindigd", "Bezig")
    einde[m] = np.where(oal_closed[c], oal_end[c], NODATE)
    lg[m] = np.where(oal_closed[c], oal_end[c] + U(0, 10, m.sum()), oal_start[c] + U(0, 30, m.sum()))
    fin[m] = np.where(rng.random(m.sum()) < 0.5, "EEWG019 - Onderwijs onders alternerend leren", "EEWG019")
    res[m] = np.where(oal_closed[c], np.where(rng.random(m.sum()) < 0.7, "Positief resultaat", "Negatief resultaat"), None)
    aanvrager[m] = org[c]
    samen[m] = cat("Ondersteuning op de werkplek bij ", comp[m], ".")
    # Outplacement
    m = kind == 3
    c = cl[m]
    stt = out_state[c]
    start[m] = out_start[c]
    toestand[m] = np.array(["Bezig", "Uitgevoerd", "Beëindigd"], dtype=object)[stt]
    einde[m] = np.where(stt == 0, NODATE, out_E[c])
    lg[m] = np.where(stt == 0, np.minimum(out_start[c] + U(0, 30, m.sum()), P), np.where(stt == 1, out_E[c] + U(31, 36, m.sum()), out_E[c] + U(0, 14, m.sum())))
    fin[m] = cat("EEOP", U(100, 999, m.sum()).astype(str).astype(object))
    aanvrager[m] = cat("Werkgever ", comp[m])
    est = np.where(stt == 0, P + U(30, 200, m.sum()), out_E[c])
    samen[m] = cat("Outplacement via ", org[c], ". Verwachte einddatum ", fmt_days(est), ".")

    lij = Tab("lijnen", L)
    lij.text("klantnummer", kn[cl])
    lij.text("stap", stap)
    lij.text("toestand", toestand)
    lij.date("startdatum", start)
    lij.date("einddatum", einde)
    lij.text("financieringsnummer", fin)
    lij.text("resultaatcode", res)
    lij.text("opleidingscode", oplcode)
    lij.text("aanvrager", aanvrager)
    lij.text("uitvoerder", uitvoerder)
    lij.text("samenvatting", samen)
    lij.date("laatst_gewijzigd", lg)
    lij.text("organisatie", org[cl])

    # ---- notities (about 3 per client, dates strictly increasing per client) ------------------
    is_abo_closed = (prof == 0) & abo_closed
    n_fixed = np.where(is_abo_closed, 2, 0)  # C109/36 note + warm-transfer note
    n_gn = np.where(is_abo_closed, U(0, 2, N), U(1, 5, N))
    ncl, nrank = per_group_rank(n_fixed + n_gn)
    NN = len(ncl)
    ndate = np.zeros(NN, dtype="int64")
    # generic notes: from the client's start backwards/forwards in increasing order
    gap = U(3, 25, NN)
    first = np.where(prof[ncl] == 0, S[ncl], P - 200)
    csum = np.cumsum(gap)
    starts = np.cumsum(n_fixed + n_gn) - (n_fixed + n_gn)
    csum_within = csum - np.repeat(np.concatenate([[0], csum])[starts], (n_fixed + n_gn))
    ndate[:] = first + csum_within
    reden = pick(rng, NOTE_REDENEN, NN)
    gedeeld = np.where(rng.random(NN) < 0.1, cat("Trajectbegeleider ", pick(rng, FIRST, NN)), None)
    vast = np.where(rng.random(NN) < 0.05, "ja", np.where(rng.random(NN) < 0.5, "nee", None))
    bijlage = np.where(rng.random(NN) < 0.1, cat("verslag_", kn[ncl], ".pdf"), None)
    fixed_c109 = (nrank == 0) & is_abo_closed[ncl]
    fixed_warm = (nrank == 1) & is_abo_closed[ncl]
    # generic notes of closed ABO clients come before E_abo; the fixed ones after it
    gen_abo = (~fixed_c109) & (~fixed_warm) & is_abo_closed[ncl]
    ndate[gen_abo] = np.minimum(ndate[gen_abo], E_abo[ncl[gen_abo]] - 1 - (nrank[gen_abo]))
    gedeeld[gen_abo] = None  # keeps the warm-transfer check about the fixed note
    c = ncl[fixed_c109]
    ndate[fixed_c109] = E_abo[c] + U(0, 5, len(c))
    reden[fixed_c109] = pick(rng, np.array(["C109/36", "C 109/36 formulier", "c109-36 ingevuld", "Attest C109/36"], dtype=object), len(c))
    bijlage[fixed_c109] = cat("C109-36_", kn[c], ".pdf")
    vast[fixed_c109] = np.where(rng.random(len(c)) < 0.5, "ja", "x")
    gedeeld[fixed_c109] = None
    c = ncl[fixed_warm]
    ndate[fixed_warm] = E_abo[c] + U(6, 10, len(c))
    reden[fixed_warm] = "Warme overdracht VDAB"
    gedeeld[fixed_warm] = cat("VDAB-bemiddelaar ", pick(rng, FAMILY, len(c)))
    vast[fixed_warm] = None
    bijlage[fixed_warm] = None
    ndate = np.minimum(ndate, P)
    # keep dates distinct per client (no accidental exact duplicates)
    notes = Tab("notities", NN)
    notes.text("klantnummer", kn[ncl])
    notes.date("datum", ndate)
    notes.text("reden", reden)
    notes.text("gedeeld_met", gedeeld)
    notes.text("vastgepind", vast)
    notes.text("bijlage", bijlage)

    # ---- plannen (about 2 per client) ------------------------------------------------------
    is_abo = prof == 0
    n_pf = np.where(is_abo, np.where(abo_closed, 2, 1), 0)
    n_pg = np.where(is_abo, U(0, 1, N), U(1, 3, N))
    pcl, prank = per_group_rank(n_pf + n_pg)
    NP = len(pcl)
    pstatus = pick(rng, PLAN_STATUSES, NP)
    preden = pick(rng, np.array(["Opvolging door consulent", "Klant zoekt zelfstandig", "Na heroriëntering", None], dtype=object), NP)
    pacties = pick(rng, PLAN_ACTIES, NP)
    # increasing per client: base + cumulative gaps within the client
    gaps = U(5, 60, NP)
    cs = np.cumsum(gaps)
    pst = np.cumsum(n_pf + n_pg) - (n_pf + n_pg)
    within = cs - np.repeat(np.concatenate([[0], cs])[pst], n_pf + n_pg)
    pdate = P - 400 + within
    blijft = (prank == 0) & is_abo[pcl]
    closing = (prank == 1) & is_abo[pcl] & abo_closed[pcl]
    gen_abo_p = is_abo[pcl] & ~blijft & ~closing
    c = pcl[blijft]
    pdate[blijft] = S[c] + U(0, 20, len(c))
    pstatus[blijft] = "Blijft ingeschreven, geen dienstverlening door VDAB"
    preden[blijft] = "Leerling in alternerende beroepsopleiding"
    pacties[blijft] = np.where(rng.random(len(c)) < 0.5, "Opvolging door de school", None)
    c = pcl[closing]
    pdate[closing] = E_abo[c] + U(0, 5, len(c))
    pstatus[closing] = "Actiegerichte (her)inschatting"
    preden[closing] = np.where(rng.random(len(c)) < 0.5, "Einde project alternerend leren",
                               "Einde project alternerend leren, jongere zoekt werk")
    with_oao = rng.random(len(c)) < 0.6
    pacties[closing] = np.where(
        with_oao,
        cat("Warme overdracht naar VDAB-bemiddelaar ", pick(rng, FAMILY, len(c)), ". Jongere werkte met een OAO bij ",
            pick(rng, COMPANIES, len(c)), "."),
        cat("Warme overdracht naar VDAB-bemiddelaar ", pick(rng, FAMILY, len(c)),
            ". Geen Overeenkomst Alternerende Opleiding; stage op school."),
    )
    # other plans of ABO clients lie between the two fixed ones
    c = pcl[gen_abo_p]
    pdate[gen_abo_p] = S[c] + U(25, 55, len(c))
    pstatus[gen_abo_p] = "Blijft ingeschreven, geen dienstverlening door VDAB"
    plans = Tab("plannen", NP)
    plans.text("klantnummer", kn[pcl])
    plans.date("datum", np.minimum(pdate, P))
    plans.text("status", pstatus)
    plans.text("reden", preden)
    plans.text("acties", pacties)

    # ---- documenten ----------------------------------------------------------------------
    out_c = np.flatnonzero(prof == 2)
    has_eind = out_state[out_c] > 0
    other_docs = np.flatnonzero((prof != 2) & (rng.random(N) < 0.1))
    dcl = np.concatenate([out_c, out_c[has_eind], other_docs])
    drole = np.concatenate([np.zeros(len(out_c), int), np.ones(has_eind.sum(), int), np.full(len(other_docs), 2)])
    ND = len(dcl)
    pub = np.where(drole == 0, cat("Actieplan OP-", fmt_days(out_start[dcl] + 3, "%y%m%d")),
                   np.where(drole == 1, "Eindverslag outplacement",
                            pick(rng, np.array(["Cv", "Attest opleiding", "Inschrijvingsbewijs", "Motivatiebrief"], dtype=object), ND)))
    ddate = np.where(drole == 0, np.minimum(out_start[dcl] + U(0, 9, ND), P), np.where(drole == 1, np.minimum(out_E[dcl] + U(0, 20, ND), P), P - U(1, 300, ND)))
    order = np.argsort(dcl, kind="stable")
    dcl, drole, pub, ddate = dcl[order], drole[order], pub[order], ddate[order]
    docs = Tab("documenten", ND)
    docs.text("klantnummer", kn[dcl])
    docs.text("publicatienaam", pub)
    docs.date("datum", ddate)

    # ---- services, contacten, afsprakenbladen, categorieen -----------------------------------
    sv = np.flatnonzero(rng.random(N) < 0.06)
    NS = len(sv)
    tender = pick(rng, TENDERS, NS, p=[0.35, 0.15, 0.2, 0.2, 0.1])
    wij3 = tender == "WIJ3"
    T = P - U(30, 900, NS)
    F1 = T + U(12, 20, NS)  # first appointment (Aanwezig)
    blad = F1 + U(2, 10, NS)
    sstart = blad.copy()
    dur = np.where(wij3, U(560, 600, NS), U(200, 380, NS))
    closed_s = sstart + dur <= P - 35
    send = np.where(closed_s, sstart + dur, NODATE)
    ckind = rng.choice(4, NS, p=[0.35, 0.25, 0.25, 0.15])  # maximum duur, 3x passieve, vroegtijdig, door VDAB
    ckind[wij3 & (ckind == 1)] = 0
    redenen = np.array(["maximum duur", "3x passieve categorie", "vroegtijdig", "door VDAB"], dtype=object)
    reden_s = np.where(closed_s, redenen[ckind], None)
    manual = rng.random(NS) < 0.7
    wijze = np.where(closed_s, np.where(ckind == 3, "door VDAB", np.where(manual, "manueel", "automatisch")), None)
    adv_pool = np.array(["Geen nood aan persoonlijke dienstverlening", "Nood aan persoonlijke dienstverlening", "Dienstverlening uitgeput"], dtype=object)
    eindadvies = np.where(closed_s & (wijze == "manueel"), pick(rng, adv_pool, NS), None)
    eadate = np.where(closed_s & (wijze == "manueel"), send + U(0, 20, NS), NODATE)
    services = Tab("services", NS)
    services.text("klantnummer", kn[sv])
    services.text("tender", tender)
    services.date("toeleiding", T)
    services.date("start_bemiddeling", sstart)
    services.date("einde_bemiddeling", send)
    services.text("reden_afsluiting", reden_s)
    services.text("wijze_afsluiting", wijze)
    services.text("eindadvies", eindadvies)
    services.date("eindadvies_datum", eadate)
    services.text("organisatie", pick(rng, PARTNERS, NS))

    # contacts: the first appointment + 1..4 follow-ups (before the end, or planned after P when open)
    n_fu = U(1, 4, NS)
    ccs, crank = per_group_rank(1 + n_fu)
    NC = len(ccs)
    last = np.where(closed_s, send - 5, P)
    span = np.maximum(last[ccs] - F1[ccs], 2)
    cdate = F1[ccs] + np.where(crank == 0, 0, (span * crank) // (n_fu[ccs] + 1))
    is_first = crank == 0
    ctype = np.where(is_first, FIRST_APPT, pick(rng, np.array(["Opvolgingsgesprek", "Jobcoaching", "Sollicitatiebegeleiding"], dtype=object), NC))
    cres = np.where(is_first, "Aanwezig", pick(rng, np.array(["Aanwezig", "Aanwezig", "Afwezig - geldige reden"], dtype=object), NC))
    open_planned = (~closed_s[ccs]) & (crank == n_fu[ccs]) & ~is_first
    cdate[open_planned] = P + U(3, 30, open_planned.sum())
    cres[open_planned] = np.where(rng.random(open_planned.sum()) < 0.5, "Gepland", None)
    cfrac = U(16, 34, NC) / 48.0  # 08:00 - 17:00, half hours
    cmade = np.where(is_first, T[ccs] + U(0, 2, NC), cdate - U(3, 14, NC))
    contacten = Tab("contacten", NC)
    contacten.text("klantnummer", kn[sv][ccs])
    contacten.date("datum", cdate, frac=cfrac)
    contacten.text("type", ctype)
    contacten.text("aangetekend", np.where(rng.random(NC) < 0.5, "nee", None))
    contacten.text("resultaat", cres)
    contacten.date("aangemaakt_op", cmade)

    # afsprakenbladen: the first one, sometimes a later revision
    n_bl = 1 + (rng.random(NS) < 0.3)
    bcs, brank = per_group_rank(n_bl)
    NB = len(bcs)
    bdate = np.where(brank == 0, blad[bcs], blad[bcs] + U(60, 120, NB))
    bdate = np.minimum(bdate, P)
    bladen = Tab("afsprakenbladen", NB)
    bladen.text("klantnummer", kn[sv][bcs])
    bladen.date("datum", bdate)
    bladen.text("ondertekend", np.where(rng.random(NB) < 0.5, "ja", "x"))

    # categorieen: month-end category from the toeleiding month to the end (or P) month, last 12
    end_day = np.where(closed_s, send, P)
    mo = lambda d: np.array(d, dtype="datetime64[D]").astype("datetime64[M]").astype("int64")  # noqa: E731
    end_m, start_m = mo(end_day), mo(T)
    n_m = np.clip(end_m - start_m + 1, 4, 12)
    kcs, krank = per_group_rank(n_m)
    NK = len(kcs)
    month = end_m[kcs] - (n_m[kcs] - 1 - krank)  # ascending
    passive = (reden_s[kcs] == "3x passieve categorie") & (month >= end_m[kcs] - 3) & (month <= end_m[kcs] - 1)
    cats = Tab("categorieen", NK)
    cats.text("klantnummer", kn[sv][kcs])
    mdays = month.astype("datetime64[M]").astype("datetime64[D]").astype("int64")
    mstyle = rng.random(NK) < 0.5
    cats.text("maand", np.where(mstyle, fmt_days(mdays, "%Y-%m"), fmt_days(mdays, "%m/%Y")))
    cats.text("categorie", np.where(passive, "30", pick(rng, np.array(["00", "01", "02", "03", "20"], dtype=object), NK)))
    cats.text("passief", np.where(passive, "ja", "nee"))

    # ---- cheques and gesprekken --------------------------------------------------------------
    chq_owner = np.flatnonzero(rng.random(N) < 0.1)
    extra = chq_owner[rng.random(len(chq_owner)) < 0.1]
    chq_owner = np.sort(np.concatenate([chq_owner, extra]))
    NQ = len(chq_owner)
    qnum = zfill(4_000_000_000 + np.arange(NQ) * 7 + rng.integers(0, 7, NQ), 11)
    qstate = rng.choice(3, NQ, p=[0.7, 0.2, 0.1])  # afgesloten, in gebruik, stopgezet
    A = P - U(150, 600, NQ)
    # conversations: afgesloten: Intake, Verdieping, Verdieping, Synthese (+ Nazorg 20 %);
    # in gebruik: Intake + 0..2 Verdieping; stopgezet: Intake, Verdieping, Stopzetting
    nazorg = (qstate == 0) & (rng.random(NQ) < 0.2)
    n_conv = np.where(qstate == 0, 4 + nazorg, np.where(qstate == 1, U(1, 3, NQ), 3))
    gq, grank = per_group_rank(n_conv)
    NG = len(gq)
    gtype = np.full(NG, "Verdiepingsgesprek", dtype=object)
    gtype[grank == 0] = "Intake gesprek"
    gtype[(qstate[gq] == 0) & (grank == 3)] = "Synthesegesprek"
    gtype[(qstate[gq] == 0) & (grank == 4)] = "Nazorggesprek"
    gtype[(qstate[gq] == 2) & (grank == 2)] = "Stopzetting van de begeleiding"
    # durations: afgesloten sum to exactly 4 h over the four, others 60
    pats = np.array([[60, 60, 60, 60], [90, 60, 30, 60], [45, 75, 60, 60], [60, 90, 45, 45], [120, 60, 30, 30]])
    pat = pats[rng.integers(0, len(pats), NQ)]
    gmin = np.where(qstate[gq] == 0, pat[gq, np.minimum(grank, 3)], 60)
    gmin[gtype == "Nazorggesprek"] = 45
    gaps = U(7, 30, NG)
    gaps[grank == 0] = U(5, 20, (grank == 0).sum())
    cs = np.cumsum(gaps)
    gst = np.cumsum(n_conv) - n_conv
    gdate = A[gq] + cs - np.repeat(np.concatenate([[0], cs])[gst], n_conv)
    greg = np.minimum(gdate + U(0, 3, NG), P)
    gdate = np.minimum(gdate, greg)
    centrum = pick(rng, CENTRA, NQ)
    # one begeleider per cheque, Familienaam Voornaam
    qbeg = cat(pick(rng, FAMILY, NQ), " ", pick(rng, FIRST, NQ))
    dstyle = rng.integers(0, 4, NG)
    h, mm = gmin // 60, gmin % 60
    duur_txt = np.where(dstyle == 0, gmin.astype(str), np.where(dstyle == 1, np.char.add(gmin.astype(str), " min"),
                        np.where(dstyle == 2, np.char.add(np.char.add(np.char.zfill(h.astype(str), 2), ":"), np.char.zfill(mm.astype(str), 2)),
                                 np.char.add(np.char.add(h.astype(str), "u"), np.char.zfill(mm.astype(str), 2))))).astype(object)
    feedback = cat("Gesprek over ", pick(rng, THEMES, NG), "; klant ", pick(rng, np.array(["is gemotiveerd", "twijfelt nog", "zoekt richting", "heeft een plan"], dtype=object), NG), ".")
    gesp = Tab("gesprekken", NG)
    gesp.text("chequenummer", qnum[gq])
    gesp.date("datum", gdate)
    gesp.date("registratiedatum", greg)
    gesp.text("begeleider", qbeg[gq])
    gesp.text("type", gtype)
    gesp.text("vorm", pick(rng, np.array(["Individueel", "Individueel", "E-coaching", "Groep"], dtype=object), NG))
    gesp.text("duur", duur_txt)
    gesp.text("feedback", feedback)
    gesp.text("verwijderd", np.where(rng.random(NG) < 0.5, "nee", None))
    gesp.num("bedrag", np.round(gmin * 169.75 / 60, 2))
    gesp.text("loopbaancentrum", centrum[gq])
    gesp._dmin = gmin  # noqa: SLF001  (kept for planting)

    last_conv = np.maximum.reduceat(gdate, gst)
    qstatus = np.array(["Cheque afgesloten", "Cheque in gebruik", "Cheque stopgezet"], dtype=object)[qstate]
    short = rng.random(NQ) < 0.3
    qstatus = np.where(short, pd.Series(qstatus).str.replace("Cheque ", "", regex=False).to_numpy(object), qstatus)
    themes2 = cat(pick(rng, THEMES, NQ), np.where(rng.random(NQ) < 0.4, cat("; ", pick(rng, THEMES, NQ)), ""))
    chq = Tab("cheques", NQ)
    chq.text("chequenummer", qnum)
    chq.text("klantnummer", kn[chq_owner])
    chq.text("status", qstatus)
    chq.date("aangevraagd_op", A)
    chq.num("uren", np.full(NQ, 4.0))
    chq.num("waarde", np.full(NQ, 679.0))
    chq.num("kost_klant", np.full(NQ, 40.0))
    chq.text("reden_begeleiding", themes2)
    chq.text("beginvraag", cat("Ik wil ", pick(rng, np.array(["mijn loopbaan heroriënteren", "weten wat bij mij past", "een nieuwe job zoeken", "mijn talenten ontdekken"], dtype=object), NQ), "."))
    chq.text("loopbaancentrum", centrum)
    chq.date("laatst_gewijzigd", np.minimum(last_conv + U(0, 10, NQ), P))

    tabs = {t.name: t for t in (dos, lij, notes, plans, docs, contacten, bladen, services, cats, chq, gesp)}

    # ==== planted violations ===================================================================
    plant_violations(rng, pl, tabs, dict(
        cl=cl, kind=kind, opl=opl, ncl=ncl, fixed_c109=fixed_c109, fixed_warm=fixed_warm, pcl=pcl, blijft=blijft,
        closing=closing, drole=drole, dcl=dcl, S=S, E_abo=E_abo, closed_s=closed_s, wij3=wij3, reden_s=reden_s,
        sstart=sstart, send=send, F1=F1, T=T, blad=blad, passive=passive, qstate=qstate, gq=gq, grank=grank,
        gtype=gtype, n_conv=n_conv, N=N, orphan_kn=orphan_kn, sv=sv, kn=kn, ccs=ccs, is_first=is_first,
        brank=brank, bcs=bcs, out_state=out_state, nazorg=nazorg, gmin=gmin,
    ))
    manifest = {
        "clients": N,
        "seed": seed,
        "rate": rate,
        "peildatum": PEILDATUM,
        "rows": {t.name: int(t.n) for t in tabs.values()},
        "rows_total": int(sum(t.n for t in tabs.values())),
        "planted": dict(sorted(pl.planted.items())),
    }
    return tabs, manifest


def plant_violations(rng, pl: Planter, tabs: dict[str, Tab], g: dict) -> None:  # noqa: C901 (a catalogue)
    U = lambda lo, hi, n: rng.integers(lo, hi + 1, n)  # noqa: E731
    lij, dos, notes, plans, docs = tabs["lijnen"], tabs["dossiers"], tabs["notities"], tabs["plannen"], tabs["documenten"]
    con, bl, srv, cats, chq, ges = (tabs[t] for t in ("contacten", "afsprakenbladen", "services", "categorieen", "cheques", "gesprekken"))
    kind, cl = g["kind"], g["cl"]
    Lc = lij.cols

    def generic_line(kinds_extra, _idx):
        return kinds_extra + ["GEN001", "GEN002", "GEN003", "GEN004", "GEN005", "DAT001", "DAT002", "DAT003", "DAT004", "DAT007", "DAT008"]

    roles = {
        0: ["ABO001", "ABO004", "ABO007", "FIN001"],
        1: ["ABO002", "ABO004", "ABO005", "ABO006", "ABO008", "ABO019", "ABO020", "ABO021", "FIN001"],
        2: ["OAL001", "OAL002", "OAL003", "FIN001", "ABO020"],
        3: ["FIN002", "OUT001", "OUT002", "OUT003", "OUT004", "OUT005", "OUT006", "OUT007", "OUT008"],
    }
    sites: dict[str, list[np.ndarray]] = {}
    for k, kinds in roles.items():
        for code, idx in pl.sites(np.flatnonzero(kind == k), kinds).items():
            sites.setdefault(code, []).append(idx)
    for code, idx in pl.sites(np.flatnonzero(g["opl"]), ["IBB017"] + generic_line([], None)).items():
        sites.setdefault(code, []).append(idx)
    for code, idx in pl.sites(np.flatnonzero((kind == 4) & ~g["opl"]), generic_line([], None)).items():
        sites.setdefault(code, []).append(idx)
    S_ = {k: np.concatenate(v) for k, v in sites.items()}
    get = lambda code: S_.get(code, np.array([], dtype="int64"))  # noqa: E731
    st, en = Lc["startdatum"], Lc["einddatum"]
    closed_rows = lambda i: i[en[i] != NODATE]  # noqa: E731

    i = get("ABO001"); st[i] = D("2025-09-02") + U(0, 20, len(i)); Lc["toestand"][i] = "Bezig"; en[i] = NODATE; pl.count("ABO001", len(i))
    i = closed_rows(get("ABO004")); en[i] = D("2025-07-01") + U(0, 20, len(i)); Lc["laatst_gewijzigd"][i] = en[i]; pl.count("ABO004", len(i))
    i = get("ABO007"); Lc["resultaatcode"][i] = "Leren en werken"; pl.count("ABO007", len(i))
    i = get("FIN001"); Lc["financieringsnummer"][i] = np.where(kind[i] == 0, "EEWG270", np.where(kind[i] == 1, "EEWG019", "EEWG018")); pl.count("FIN001", len(i))
    i = get("ABO002"); st[i] = st[i] - 365; Lc["toestand"][i] = "Bezig"; en[i] = NODATE; pl.count("ABO002", len(i))
    # ABO005: the begeleidingslijn moves to the next school year's first days (no project line there)
    i = get("ABO005"); st[i] = D("2023-09-04") + U(0, 20, len(i)); en[i] = np.where(en[i] != NODATE, D("2024-06-20"), en[i])
    Lc["laatst_gewijzigd"][i] = np.where(en[i] != NODATE, D("2024-06-25"), Lc["laatst_gewijzigd"][i]); pl.count("ABO005", len(i))
    i = get("ABO006")
    new = lij.append(i, samenvatting=None)
    lij.cols["startdatum"][new] = lij.cols["startdatum"][i] + 14
    pl.count("ABO006", len(i))
    st, en, Lc = lij.cols["startdatum"], lij.cols["einddatum"], lij.cols
    i = closed_rows(get("ABO008")); Lc["resultaatcode"][i] = None; pl.count("ABO008", len(i))
    i = get("ABO019"); dos.cols["regio"][cl[i]] = "Brussel"; dos.cols["categorie"][cl[i]] = "02"; pl.count("ABO019", len(i))
    i = get("ABO020"); dos.cols["tenderpartner"][cl[i]] = "ja"; pl.count("ABO020", len(i))
    i = get("ABO021")
    s = pd.Series(Lc["samenvatting"][i], dtype="object")
    parts = s.str.split("\n", n=1, expand=True) if len(s) else pd.DataFrame({0: [], 1: []})
    if len(s):
        Lc["samenvatting"][i] = (parts[1] + "\n" + parts[0]).to_numpy(object)
    pl.count("ABO021", len(i))
    i = get("OAL001"); dos.cols["diploma_secundair"][cl[i]] = "ja"; dos.cols["diploma_datum"][cl[i]] = np.where(rng.random(len(i)) < 0.5, NODATE, st[i] - U(30, 400, len(i))); pl.count("OAL001", len(i))
    i = closed_rows(get("OAL002")); Lc["resultaatcode"][i] = "Geslaagd"; pl.count("OAL002", len(i))
    i = get("OAL003"); Lc["toestand"][i] = "Stopgezet"; en[i] = np.where(en[i] == NODATE, np.minimum(st[i] + 30, P - 1), en[i]); Lc["laatst_gewijzigd"][i] = en[i]; pl.count("OAL003", len(i))
    i = get("FIN002"); Lc["financieringsnummer"][i] = None; pl.count("FIN002", len(i))
    i = get("OUT001"); Lc["uitvoerder"][i[: len(i) // 2]] = None; Lc["aanvrager"][i[len(i) // 2:]] = None; pl.count("OUT001", len(i))
    i = get("OUT002"); Lc["samenvatting"][i] = cat("Outplacement via ", Lc["organisatie"][i], ", einddatum nog af te spreken."); pl.count("OUT002", len(i))
    i = get("OUT003"); Lc["toestand"][i] = "Stopgezet"; en[i] = np.where(en[i] == NODATE, np.minimum(st[i] + 60, P - 1), en[i]); Lc["laatst_gewijzigd"][i] = en[i] + 3; pl.count("OUT003", len(i))
    i = get("OUT004"); i = i[Lc["toestand"][i] == "Uitgevoerd"]; Lc["laatst_gewijzigd"][i] = en[i] + U(1, 20, len(i)); pl.count("OUT004", len(i))
    i = get("OUT007")
    new = lij.append(i, samenvatting=None)
    lij.cols["startdatum"][new] = lij.cols["startdatum"][i] + 20
    st, en, Lc = lij.cols["startdatum"], lij.cols["einddatum"], lij.cols
    pl.count("OUT007", len(i))
    i = get("OUT008")
    pii = np.array([" Bereikbaar op 0475 12 34 56.", " Mail: jan.peeters@telenet.be", " Klant heeft een burn-out.",
                    " GSM +32 478 11 22 33."], dtype=object)
    Lc["samenvatting"][i] = cat(Lc["samenvatting"][i], pick(rng, pii, len(i))); pl.count("OUT008", len(i))
    # OUT005/OUT006 are planted in documenten (below) through the same clients
    out005_clients = cl[get("OUT005")]
    out006_clients = cl[get("OUT006")]
    i = get("IBB017"); Lc["samenvatting"][i] = cat("Beroepsverkennende stage bij ", pick(rng, COMPANIES, len(i)), "."); Lc["opleidingscode"][i] = "953010"; pl.count("IBB017", len(i))
    # generic line kinds
    i = get("GEN001"); Lc["toestand"][i] = "Beëindigd"; en[i] = st[i] - U(1, 30, len(i)); Lc["laatst_gewijzigd"][i] = st[i]; pl.count("GEN001", len(i))
    i = get("GEN002"); Lc["toestand"][i] = "Beëindigd"; en[i] = NODATE; pl.count("GEN002", len(i))
    i = get("GEN003"); Lc["toestand"][i] = "Bezig"; en[i] = np.minimum(st[i] + 60, P + 30); pl.count("GEN003", len(i))
    i = get("GEN004"); Lc["toestand"][i] = "Bezig"; st[i] = P + U(5, 60, len(i)); en[i] = NODATE; Lc["laatst_gewijzigd"][i] = P; pl.count("GEN004", len(i))
    i = get("GEN005"); Lc["toestand"][i] = "Beëindigd"; en[i] = np.minimum(st[i] + 30, P - 80); st[i] = np.minimum(st[i], en[i] - 10); Lc["laatst_gewijzigd"][i] = en[i] + U(20, 60, len(i)); pl.count("GEN005", len(i))
    i = get("DAT001"); st[i] = NODATE; pl.count("DAT001", len(i))
    i = get("DAT002"); lij.raw("startdatum", i, fmt_days(st[i], "%d/%m/%y")); pl.count("DAT002", len(i))
    i = get("DAT003"); Lc["toestand"][i] = pick(rng, np.array(["Afgesloten", "Bezig?", "Geanulleerd"], dtype=object), len(i)); pl.count("DAT003", len(i))
    i = get("DAT004"); Lc["klantnummer"][i] = cat(Lc["klantnummer"][i].astype(str).astype(object), "/1"); pl.count("DAT004", len(i))
    i = get("DAT007"); Lc["klantnummer"][i] = g["orphan_kn"](len(i)); pl.count("DAT007", len(i))
    i = get("DAT008"); lij.append(i); pl.count("DAT008", len(i))

    # ---- dossiers
    N = g["N"]
    s = pl.sites(np.arange(N), ["DAT006", "DAT003", "DAT005", "DAT002"])
    i = s["DAT006"]; i = i[dos.cols["rijksregisternummer"][i] != None]  # noqa: E711
    r = pd.Series(dos.cols["rijksregisternummer"][i], dtype=object)
    # a wrong check number: the last two digits moved by one (never valid for both centuries)
    last2 = (r.str[-2:].astype(int) + 1) % 100 if len(i) else r
    dos.cols["rijksregisternummer"][i] = (r.str[:-2] + last2.astype(str).str.zfill(2)).to_numpy(object) if len(i) else r.to_numpy(object)
    pl.count("DAT006", len(i))
    i = s["DAT003"]; dos.cols["regio"][i] = "Vlaandren"; pl.count("DAT003", len(i))
    i = s["DAT002"]; dos.raw("diploma_datum", i, "31/02/2024"); pl.count("DAT002", len(i))
    i = s["DAT005"]; dos.append(i, voornaam="Dubbel"); pl.count("DAT005", len(i))

    # ---- notities
    nc = notes.cols
    for code, idx in pl.sites(np.flatnonzero(g["fixed_c109"]), ["ABO009", "ABO010", "ABO011", "ABO012"]).items():
        if code == "ABO009":
            nc["reden"][idx] = "Stageverslag"
        elif code == "ABO010":
            nc["bijlage"][idx] = None
        elif code == "ABO011":
            nc["vastgepind"][idx] = "nee"
        else:
            nc["gedeeld_met"][idx] = "Trajectbegeleider VDAB"
        pl.count(code, len(idx))
    s = pl.sites(np.flatnonzero(g["fixed_warm"]), ["ABO017"])
    nc["gedeeld_met"][s["ABO017"]] = None; pl.count("ABO017", len(s["ABO017"]))
    gen_notes = np.flatnonzero(~g["fixed_c109"] & ~g["fixed_warm"])
    s = pl.sites(gen_notes, ["DAT001", "DAT002", "DAT007", "DAT008"])
    nc["reden"][s["DAT001"]] = None; pl.count("DAT001", len(s["DAT001"]))
    notes.raw("datum", s["DAT002"], fmt_days(nc["datum"][s["DAT002"]], "%-d/%-m/%y")); pl.count("DAT002", len(s["DAT002"]))
    nc["klantnummer"][s["DAT007"]] = g["orphan_kn"](len(s["DAT007"])); pl.count("DAT007", len(s["DAT007"]))
    notes.append(s["DAT008"]); pl.count("DAT008", len(s["DAT008"]))

    # ---- plannen
    pc = plans.cols
    s = pl.sites(np.flatnonzero(g["closing"]), ["ABO013", "ABO013d", "ABO014", "ABO015", "ABO016"])
    pc["status"][s["ABO013"]] = "Persoonlijke dienstverlening"; pl.count("ABO013", len(s["ABO013"]))
    i = s["ABO013d"]; pc["datum"][i] = g["E_abo"][g["pcl"][i]] - 40; pl.count("ABO013", len(i))
    pc["reden"][s["ABO014"]] = "Heroriëntering"; pl.count("ABO014", len(s["ABO014"]))
    pc["acties"][s["ABO015"]] = "Warme overdracht naar VDAB-bemiddelaar."; pl.count("ABO015", len(s["ABO015"]))
    i = s["ABO016"]; pc["acties"][i] = cat(pc["acties"][i], pick(rng, np.array([" Leerling heeft ADHD.", " Diagnose autisme gekend.", " Moeder meldt depressie."], dtype=object), len(i))); pl.count("ABO016", len(i))
    s = pl.sites(np.flatnonzero(g["blijft"]), ["ABO018"])
    pc["status"][s["ABO018"]] = "Persoonlijke dienstverlening"; pl.count("ABO018", len(s["ABO018"]))
    s = pl.sites(np.flatnonzero(~g["closing"] & ~g["blijft"]), ["DAT001", "DAT002", "DAT007", "DAT008"])
    pc["status"][s["DAT001"]] = None; pl.count("DAT001", len(s["DAT001"]))
    plans.raw("datum", s["DAT002"], "2025-13-01"); pl.count("DAT002", len(s["DAT002"]))
    pc["klantnummer"][s["DAT007"]] = g["orphan_kn"](len(s["DAT007"])); pl.count("DAT007", len(s["DAT007"]))
    plans.append(s["DAT008"]); pl.count("DAT008", len(s["DAT008"]))

    # ---- documenten (OUT005/OUT006 for the clients chosen above; DAT on the others)
    dc = docs.cols
    dk = g["dcl"]
    i = np.flatnonzero((g["drole"] == 0) & np.isin(dk, out005_clients)); dc["publicatienaam"][i] = cat("Cv ", pick(rng, FIRST, len(i))); pl.count("OUT005", len(i))
    i = np.flatnonzero((g["drole"] == 1) & np.isin(dk, out006_clients)); dc["publicatienaam"][i] = "Tussentijds verslag"; pl.count("OUT006", len(i))
    s = pl.sites(np.flatnonzero(g["drole"] == 2), ["DAT001", "DAT002", "DAT007"])
    dc["publicatienaam"][s["DAT001"]] = None; pl.count("DAT001", len(s["DAT001"]))
    docs.raw("datum", s["DAT002"], "12-3-2025?"); pl.count("DAT002", len(s["DAT002"]))
    dc["klantnummer"][s["DAT007"]] = g["orphan_kn"](len(s["DAT007"])); pl.count("DAT007", len(s["DAT007"]))

    # ---- services and their appointments / sheets / categories
    sc = srv.cols
    NS = srv.n
    cl_ = g["closed_s"]
    nonw = ~g["wij3"]
    first_row = np.flatnonzero(g["is_first"])  # contacten row of each service's first appointment (service order)
    roles_s = pl.sites(np.arange(NS), ["IBB001", "IBB002", "IBB003", "IBB004", "IBB005", "IBB006", "IBB007", "IBB008",
                                       "IBB009", "IBB010", "IBB011", "IBB012", "IBB013", "IBB014", "IBB015", "DAT003"])
    cc = con.cols
    T = g["T"]
    for code in ("IBB001", "IBB002", "IBB003"):
        i = roles_s[code]
        fr = first_row[i]
        res = {"IBB001": "Afwezig - geldige reden", "IBB002": "Afwezig - ongeldige reden", "IBB003": "Afwezig - geen reden"}[code]
        new = con.append(fr)
        con.cols["datum"][new] = T[i] + 1
        con.cols["resultaat"][new] = res
        con.cols["aangemaakt_op"][new] = T[i]
        con.cols["aangetekend"][new] = "ja" if code == "IBB003" else "nee"
        cc = con.cols
        if code == "IBB001":
            cc["aangemaakt_op"][fr] = T[i] + 10
            cc["aangetekend"][fr] = "ja"
        elif code == "IBB002":
            cc["aangemaakt_op"][fr] = T[i] + 3
            cc["aangetekend"][fr] = "nee"
        else:
            cc["aangemaakt_op"][fr] = T[i] + 3
            cc["aangetekend"][fr] = "ja"
        pl.count(code, len(i))
    i = roles_s["IBB004"]; fr = first_row[i]; cc["resultaat"][fr] = "Afwezig - geldige reden"; cc["aangetekend"][fr] = "ja"; pl.count("IBB004", len(i))
    bfirst = np.flatnonzero(g["brank"] == 0)
    i = roles_s["IBB005"]; bl.cols["datum"][bfirst[i]] = g["F1"][i] + U(20, 40, len(i)); pl.count("IBB005", len(i))
    i = roles_s["IBB006"]; bl.cols["ondertekend"][bfirst[i]] = "nee"; pl.count("IBB006", len(i))
    i = roles_s["IBB007"]; sc["start_bemiddeling"][i] = g["F1"][i] - 3; pl.count("IBB007", len(i))
    i = roles_s["IBB008"]; sc["start_bemiddeling"][i] = g["blad"][i] - 1; pl.count("IBB008", len(i))
    i = roles_s["IBB009"]; i = i[cl_[i] & nonw[i]]; sc["reden_afsluiting"][i] = "maximum duur"; sc["einde_bemiddeling"][i] = sc["start_bemiddeling"][i] + 120; pl.count("IBB009", len(i))
    i = roles_s["IBB010"]; i = i[(g["reden_s"][i] == "3x passieve categorie")]
    pas_rows = np.flatnonzero(g["passive"])
    # one passive month of each chosen service becomes active
    cat_owner = pd.Series(cats.cols["klantnummer"][pas_rows]).to_numpy(object)
    chosen_kn = set(srv.cols["klantnummer"][i])
    flip = pas_rows[np.isin(cat_owner, list(chosen_kn))][::3]
    cats.cols["passief"][flip] = "nee"; cats.cols["categorie"][flip] = "02"; pl.count("IBB010", len(flip))
    i = roles_s["IBB011"]; i = i[cl_[i] & g["wij3"][i]]; sc["reden_afsluiting"][i] = "3x passieve categorie"; pl.count("IBB011", len(i))
    i = roles_s["IBB012"]; i = i[cl_[i]]; sc["reden_afsluiting"][i] = "maximum duur"; sc["wijze_afsluiting"][i] = "manueel"; sc["eindadvies"][i] = "Nieuwe inschatting nodig"; sc["eindadvies_datum"][i] = sc["einde_bemiddeling"][i] + 5
    sc["einde_bemiddeling"][i] = np.maximum(sc["einde_bemiddeling"][i], sc["start_bemiddeling"][i] + np.where(g["wij3"][i], 560, 200)); pl.count("IBB012", len(i))
    i = roles_s["IBB013"]; i = i[cl_[i] & (sc["wijze_afsluiting"][i] == "manueel")]; sc["eindadvies_datum"][i] = NODATE; pl.count("IBB013", len(i))
    i = roles_s["IBB014"]; i = i[cl_[i]]; sc["wijze_afsluiting"][i] = None; sc["eindadvies"][i] = None; sc["eindadvies_datum"][i] = NODATE; pl.count("IBB014", len(i))
    i = roles_s["IBB015"]; i = i[cl_[i]]
    new = con.append(first_row[i], type="Opvolgingsgesprek", resultaat="Gepland")
    con.cols["datum"][new] = sc["einde_bemiddeling"][i] + U(5, 20, len(i))
    con.cols["aangemaakt_op"][new] = sc["einde_bemiddeling"][i] - 10
    pl.count("IBB015", len(i))
    i = roles_s["DAT003"]; sc["tender"][i] = "TIBB 5"; pl.count("DAT003", len(i))
    cc = con.cols
    gen_c = np.flatnonzero(~g["is_first"])
    s = pl.sites(gen_c, ["DAT002", "DAT003", "DAT007", "DAT008"])
    con.raw("datum", s["DAT002"], "31/11/2024 10:00"); pl.count("DAT002", len(s["DAT002"]))
    cc["resultaat"][s["DAT003"]] = "Aanwezig geweest"; pl.count("DAT003", len(s["DAT003"]))
    cc["klantnummer"][s["DAT007"]] = g["orphan_kn"](len(s["DAT007"])); pl.count("DAT007", len(s["DAT007"]))
    con.append(s["DAT008"]); pl.count("DAT008", len(s["DAT008"]))
    s = pl.sites(np.flatnonzero(g["brank"] > 0), ["DAT002"])
    bl.raw("datum", s["DAT002"], "15/09/24"); pl.count("DAT002", len(s["DAT002"]))
    s = pl.sites(np.flatnonzero(~g["passive"]), ["DAT002", "DAT008"])
    cats.raw("maand", s["DAT002"], "2024/13"); pl.count("DAT002", len(s["DAT002"]))
    cats.append(s["DAT008"]); pl.count("DAT008", len(s["DAT008"]))

    # ---- cheques and gesprekken
    qc = chq.cols
    qstate = g["qstate"]
    s = pl.sites(np.arange(chq.n), ["LBC012", "LBC013", "DAT005", "DAT003"])
    i = s["LBC012"]; qc["status"][i] = np.where(qstate[i] == 1, "Cheque afgesloten", "Cheque in gebruik"); pl.count("LBC012", len(i))
    i = s["LBC013"]; h = len(i) // 2; qc["reden_begeleiding"][i[:h]] = "Ontslag"; qc["beginvraag"][i[h:]] = None; pl.count("LBC013", len(i))
    i = s["DAT003"]; qc["status"][i] = "Cheque gebruikt"; pl.count("DAT003", len(i))
    i = s["DAT005"]; chq.append(i, beginvraag="Dubbel ingevoerd"); pl.count("DAT005", len(i))
    gc = ges.cols
    gq, grank, gtype = g["gq"], g["grank"], g["gtype"]
    verd = np.flatnonzero((gtype == "Verdiepingsgesprek") & (grank >= 1))
    s = pl.sites(np.flatnonzero(grank == 0), ["LBC001", "LBC005", "LBC006", "LBC007", "LBC014", "DAT002", "DAT003", "DAT004", "DAT007", "DAT008"])
    s2 = pl.sites(verd, ["LBC002", "LBC003", "LBC004", "LBC009", "LBC010", "LBC011", "LBC015"])
    s3 = pl.sites(np.flatnonzero(gtype == "Nazorggesprek"), ["LBC008"])
    i = s["LBC001"]; gc["type"][i] = "Verdiepingsgesprek"; pl.count("LBC001", len(i))
    i = s["LBC005"]; gc["begeleider"][i] = np.where(rng.random(len(i)) < 0.5, pd.Series(gc["begeleider"][i], dtype=object).str.upper().to_numpy(object), pick(rng, FIRST, len(i))); pl.count("LBC005", len(i))
    i = s["LBC006"]
    b = pd.Series(gc["begeleider"][i], dtype=object).str.split(" ")
    gc["begeleider"][i] = b.map(lambda w: " ".join(w[1:] + w[:1])).to_numpy(object) if len(i) else gc["begeleider"][i]
    pl.count("LBC006", len(i))
    i = s["LBC007"]; gc["duur"][i] = np.where(rng.random(len(i)) < 0.5, "15", "150"); pl.count("LBC007", len(i))
    i = s["LBC014"]; gc["feedback"][i] = cat(gc["feedback"][i], pick(rng, np.array([" Tel 0476/12.34.56.", " mail: an.maes@gmail.com", " Klant kampt met depressie."], dtype=object), len(i))); pl.count("LBC014", len(i))
    i = s["DAT002"]; gc["duur"][i] = "anderhalf uur"; pl.count("DAT002", len(i))
    i = s["DAT003"]; gc["type"][i] = "Intakegsprek"; pl.count("DAT003", len(i))
    i = s["DAT004"]; gc["chequenummer"][i] = cat("A", gc["chequenummer"][i]); pl.count("DAT004", len(i))
    i = s["DAT007"]; gc["chequenummer"][i] = zfill(9_000_000_000 + rng.integers(0, 10**9, len(i)), 11); pl.count("DAT007", len(i))
    gdate, greg = gc["datum"], gc["registratiedatum"]
    i = s2["LBC002"]; gdate[i] = gdate[i - 1] - U(1, 5, len(i)); pl.count("LBC002", len(i))
    i = s2["LBC003"]; gdate[i] = greg[i] - 400; pl.count("LBC003", len(i))
    i = s2["LBC004"]; greg[i] = gdate[i] - 1; pl.count("LBC004", len(i))
    i = s2["LBC009"]; i = i[qstate[gq[i]] == 1]; gc["type"][i] = "Nazorggesprek"; pl.count("LBC009", len(i))
    i = s2["LBC010"]; i = i[qstate[gq[i]] == 0]; gc["duur"][i] = (g["gmin"][i] - 15).astype(str).astype(object); pl.count("LBC010", len(i))
    i = s2["LBC011"]; i = i[qstate[gq[i]] == 0]; gc["duur"][i] = (g["gmin"][i] + 60).astype(str).astype(object); pl.count("LBC011", len(i))
    i = s2["LBC015"]; gc["type"][i] = "Intake gesprek"; pl.count("LBC015", len(i))
    i = s3["LBC008"]; gc["type"][i] = "Verdiepingsgesprek"; pl.count("LBC008", len(i))
    i = s["DAT008"]; ges.append(i); pl.count("DAT008", len(i))


# --- writing --------------------------------------------------------------------------------

# table -> (file stem, sheet, title rows, {column: header})
LAYOUT = {
    "dossiers": ("klantendossiers", "Klanten", ["Export klantendossiers", "Aangemaakt op 04/06/2025"], {
        "klantnummer": "Klantnr", "naam": "Familienaam", "voornaam": "Voornaam", "rijksregisternummer": "INSZ",
        "regio": "Woonregio", "categorie": "Inschrijvingscategorie", "diploma_secundair": "Diploma SO",
        "diploma_datum": "Datum diploma", "bemiddelaar": "Trajectbegeleider", "tenderpartner": "Roze banner",
        "organisatie": "School"}),
    "lijnen": ("stappen_naar_werk", "Stappen naar werk", ["Stappen naar werk", ""], {
        "klantnummer": "Klantnummer", "stap": "Stap", "toestand": "Toestand", "startdatum": "Startdatum",
        "einddatum": "Einddatum", "financieringsnummer": "Financieringsnummer", "resultaatcode": "Resultaat",
        "opleidingscode": "Code opleiding", "aanvrager": "Aanvrager", "uitvoerder": "Uitvoerder",
        "samenvatting": "Samenvatting", "laatst_gewijzigd": "Laatst gewijzigd", "organisatie": "Organisatie"}),
    "notities": ("verslaggeving", "Verslaggeving", [], {
        "klantnummer": "Klantnummer", "datum": "Aangemaakt op", "reden": "Reden", "gedeeld_met": "Gedeeld met",
        "vastgepind": "Bovenaan vastgepind", "bijlage": "Bijlage"}),
    "plannen": ("plan_van_aanpak", "Plan van aanpak", ["Plan van aanpak"], {
        "klantnummer": "Klantnummer", "datum": "Datum", "status": "Status dienstverlening",
        "reden": "Waarom kies je deze status", "acties": "Welke acties voorzie je"}),
    "documenten": ("documenten_overzicht", "Documenten overzicht", [], {
        "klantnummer": "Klantnummer", "publicatienaam": "Publicatienaam", "datum": "Datum toevoegen"}),
    "contacten": ("afspraken", "Afspraken", ["Geplande contacten"], {
        "klantnummer": "Klantnummer", "datum": "Wanneer", "type": "Type afspraak",
        "aangetekend": "Per aangetekende brief", "resultaat": "Resultaat", "aangemaakt_op": "Ingepland op"}),
    "afsprakenbladen": ("afsprakenblad", "Afsprakenblad", [], {
        "klantnummer": "Klantnummer", "datum": "Datum", "ondertekend": "Getekend"}),
    "services": ("tender", "Tender", [], {
        "klantnummer": "Klantnummer", "tender": "Perceel", "toeleiding": "Datum toeleiding",
        "start_bemiddeling": "Start bemiddelingsproces", "einde_bemiddeling": "Einde bemiddeling",
        "reden_afsluiting": "Reden afsluiting", "wijze_afsluiting": "Wijze afsluiting", "eindadvies": "Eindadvies",
        "eindadvies_datum": "Datum eindadvies", "organisatie": "Partner"}),
    "categorieen": ("catwz", "Catwz", [], {
        "klantnummer": "Klantnummer", "maand": "Periode", "categorie": "Catwz", "passief": "Passieve categorie"}),
    "cheques": ("overzicht_begeleidingen", "Overzicht begeleidingen", [], {
        "chequenummer": "Cheque nr", "klantnummer": "Klantnummer", "status": "Status",
        "aangevraagd_op": "Aanvraagdatum", "uren": "Goed voor", "waarde": "Ter waarde van",
        "kost_klant": "Kost voor de klant", "reden_begeleiding": "Reden van begeleiding",
        "beginvraag": "Loopbaanvraag", "loopbaancentrum": "Loopbaancentrum",
        "laatst_gewijzigd": "Datum laatst gewijzigd"}),
    "gesprekken": ("financieel_overzicht", "Financieel overzicht", ["Financieel overzicht loopbaancheques"], {
        "chequenummer": "Cheque nr", "datum": "Datum gesprek", "registratiedatum": "Geregistreerd op",
        "begeleider": "Naam begeleider", "type": "Type gesprek", "vorm": "Vorm gesprek", "duur": "Duurtijd",
        "feedback": "Feedback", "verwijderd": "Verwijderd", "bedrag": "Waarde van het gesprek",
        "loopbaancentrum": "Centrum"}),
}

# numeric xlsx cells for these text columns where the text is all digits (as Excel stores them)
NUMERIC_IN_XLSX = {("gesprekken", "chequenummer"), ("gesprekken", "duur")}


def _money(v: np.ndarray) -> np.ndarray:
    s = pd.Series(v).map(lambda x: f"€ {x:,.2f}".replace(",", "X").replace(".", ",").replace("X", "."))
    return s.to_numpy(object)


def csv_frame(t: Tab) -> pd.DataFrame:
    cols = {}
    for c, header in LAYOUT[t.name][3].items():
        a, k = t.cols[c], t.kind[c]
        if k == "date":
            fmt = "%d/%m/%Y %H:%M" if c in t.frac else "%d/%m/%Y"
            v = fmt_days(a, fmt, t.frac.get(c))
        elif k == "num":
            v = _money(a) if c in ("waarde", "kost_klant", "bedrag") else pd.Series(a).map(lambda x: f"{x:g}").to_numpy(object)
        else:
            v = a.copy()
            if t.name == "gesprekken" and c == "chequenummer":  # Excel's CSV loses the leading zero too
                v = pd.Series(v, dtype=object).str.lstrip("0").to_numpy(object)
        if c in t.over:
            o = t.over[c]
            v = np.where(o != None, o, v)  # noqa: E711
        cols[header] = v
    return pd.DataFrame(cols)


def write_csv(t: Tab, path: Path) -> None:
    df = csv_frame(t)
    title = LAYOUT[t.name][2]
    with path.open("w", encoding="cp1252", newline="", errors="replace") as fh:
        for line in title:
            fh.write(line + ";" * (df.shape[1] - 1) + "\r\n")
        df.to_csv(fh, sep=";", index=False, lineterminator="\r\n")


def write_xlsx(t: Tab, path: Path, constant_memory: bool = False) -> None:
    import xlsxwriter

    _, sheet, title, headers = LAYOUT[t.name]
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory, "strings_to_numbers": False, "strings_to_urls": False,
                                        "strings_to_formulas": False})
    wb.set_properties({"created": dt.datetime(2025, 6, 4, 8, 0, 0), "author": "dossiercheck bench"})
    datef = wb.add_format({"num_format": "dd/mm/yyyy"})
    dtf = wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet(sheet)
    r0 = 0
    for line in title:
        if line:
            ws.write_string(r0, 0, line, bold)
        r0 += 1
    cols = list(headers)
    text_cols = [c for c in cols if t.kind[c] != "date"]
    dt_cols = [c for c in cols if t.kind[c] == "date" and c in t.frac]
    date_cols = [c for c in cols if t.kind[c] == "date" and c not in t.frac]
    order = text_cols + date_cols + dt_cols
    ws.write_row(r0, 0, [headers[c] for c in order], bold)
    ws.freeze_panes(r0 + 1, 0)

    def cells(c: str) -> np.ndarray:
        a, k = t.cols[c], t.kind[c]
        if k == "date":
            v = (a - _EXCEL_EPOCH_DAYS).astype("float64")
            if c in t.frac:
                v = v + t.frac[c]
            v = v.astype(object)
            v[a == NODATE] = None
        elif k == "num":
            v = a.astype(object)
        else:
            v = a.copy()
            if (t.name, c) in NUMERIC_IN_XLSX:
                s = pd.Series(v, dtype=object)
                isnum = s.str.fullmatch(r"\d+").fillna(False).to_numpy(bool)
                v[isnum] = s[isnum].astype("int64").to_numpy(object)
        if c in t.over:
            o = t.over[c]
            v = np.where(o != None, o, v)  # noqa: E711
        return v

    groups = [(0, [cells(c) for c in text_cols], None),
              (len(text_cols), [cells(c) for c in date_cols], datef),
              (len(text_cols) + len(date_cols), [cells(c) for c in dt_cols], dtf)]
    groups = [(c0, list(zip(*arrs)), f) for c0, arrs, f in groups if arrs]
    r = r0 + 1
    if len(groups) == 1:
        c0, rows, f = groups[0]
        for row in rows:
            ws.write_row(r, c0, row, f)
            r += 1
    else:
        for parts in zip(*(rows for _, rows, _ in groups)):
            for (c0, _, f), row in zip(groups, parts):
                ws.write_row(r, c0, row, f)
            r += 1
    wb.close()


_TABS: dict[str, Tab] = {}


def _job(args: tuple[str, str, str, bool]) -> tuple[str, str, float]:
    name, fmt, path, cm = args
    t0 = time.perf_counter()
    if fmt == "xlsx":
        write_xlsx(_TABS[name], Path(path), cm)
    else:
        write_csv(_TABS[name], Path(path))
    return name, fmt, time.perf_counter() - t0


def write_all(tabs: dict[str, Tab], out: Path, formats: list[str], jobs: int = 2, constant_memory: bool = False,
              log=print) -> None:
    global _TABS
    _TABS = tabs
    work = []
    for fmt in formats:
        (out / fmt).mkdir(parents=True, exist_ok=True)
        for name, t in tabs.items():
            stem = LAYOUT[name][0]
            work.append((t.n * (6 if fmt == "xlsx" else 1), (name, fmt, str(out / fmt / f"{stem}.{fmt}"), constant_memory)))
    work = [w for _, w in sorted(work, key=lambda x: -x[0])]
    if jobs <= 1 or len(work) == 1:
        for w in work:
            log("  wrote %s %s in %.1fs" % _job(w))
        return
    ctx = mp.get_context("fork")
    with ctx.Pool(jobs) as pool:
        for res in pool.imap_unordered(_job, work):
            log("  wrote %s %s in %.1fs" % res)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rate", type=float, default=0.03, help="share of rows carrying a planted violation")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--formats", default="xlsx,csv")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--constant-memory", action="store_true", help="XlsxWriter constant_memory (inline strings)")
    a = ap.parse_args(argv)
    out = a.out or Path(__file__).parent / "out" / "data" / f"c{a.clients}"
    t0 = time.perf_counter()
    tabs, manifest = generate(a.clients, a.seed, a.rate)
    print(f"generated {manifest['rows_total']:,} rows in {time.perf_counter() - t0:.1f}s: "
          + ", ".join(f"{k} {v:,}" for k, v in manifest["rows"].items()), file=sys.stderr)
    out.mkdir(parents=True, exist_ok=True)
    write_all(tabs, out, [f.strip() for f in a.formats.split(",") if f.strip()], a.jobs, a.constant_memory,
              log=lambda s: print(s, file=sys.stderr))
    manifest["formats"] = a.formats.split(",")
    manifest["seconds"] = round(time.perf_counter() - t0, 1)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    print(f"done in {manifest['seconds']}s -> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
