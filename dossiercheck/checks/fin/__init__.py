"""FIN — financing codes of the lines (RULES.md "FIN" and "Programme of a line")."""

from __future__ import annotations

import pandas as pd

from dossiercheck.checks.rule import ERROR, WARNING, Context, offending, rule
from dossiercheck.text import normalise, normalise_series

CONFIG = {
    "fin": {
        # FIN001: the financieringsnummer expected per programme of a line (checks/lines.py).
        "expected_codes": {"abo_project": "EEWG018", "abo_begeleiding": "EEWG270", "oal": "EEWG019"},
    }
}


@rule(
    code="FIN001",
    severity=ERROR,
    needs={"lijnen": ("stap", "toestand", "financieringsnummer")},
    optional={"lijnen": ("startdatum",)},
    title_nl="Verkeerd financieringsnummer",
    title_en="Wrong financing code",
    hint_nl=(
        "Kies het financieringsnummer van het project: projectlijn 'Project Leren en Werken' altijd EEWG018 "
        "(alternerend leren), begeleidingslijn 'Onderwijs alternerende beroepsopl' EEWG270, begeleiding "
        "'Onderwijs ondersteuning alternerend leren' EEWG019 (zie Bijlage 1 Overzicht uitbestedingsnummers)."
    ),
    hint_en=(
        "Choose the project's financing code: project line 'Project Leren en Werken' always EEWG018, guidance "
        "line 'Onderwijs alternerende beroepsopl' EEWG270, guidance 'Onderwijs ondersteuning alternerend leren' "
        "EEWG019 (see Bijlage 1)."
    ),
    message_nl="Lijn '{stap}' (start {startdatum}) heeft financieringsnummer {financieringsnummer}; verwacht {verwacht}.",
    message_en="Line '{stap}' (start {startdatum}) has financing code {financieringsnummer}; expected {verwacht}.",
    source="000 §2.2.2, §2.2.3, Bijlage 1; 001 §2",
    logic=(
        "Wrong financing code: active ABO/OAL line whose financieringsnummer differs from the expected code of its "
        "programme (EEWG018 project line, EEWG270 ABO begeleidingslijn, EEWG019 OAL line), including empty. "
        "Codes compare after normalisation (case-insensitive; `CODE - description` counts as CODE)."
    ),
    config_keys=("fin.expected_codes",),
)
def fin001(ctx: Context) -> pd.DataFrame:
    """Codes compare after normalisation (``eewg270`` = ``EEWG270``; ``CODE - description`` was
    already cut to the code by the parser). Note: the screenshots of seed 001 show ``11TJ007`` /
    ``NTI007`` on an OAL line while its text says "Financieringsnummer EEWG019"; RULES.md's EEWG019
    is kept (configurable as ``fin.expected_codes.oal``)."""
    l = ctx.table("lijnen")
    expected_by_prog = {str(k): str(v) for k, v in dict(ctx.cfg("fin.expected_codes")).items() if not str(k).startswith("__")}
    # the active lines of a programme with an expected code first, then the (much fewer) lookups
    l = l[l["active"].to_numpy() & l["programme"].isin(list(expected_by_prog)).fillna(False).to_numpy()]
    expected = l["programme"].map(expected_by_prog).astype("string")
    l = l[expected.notna().to_numpy()]
    expected = expected.loc[l.index]
    have = normalise_series(l["financieringsnummer"])
    want = l["programme"].map({k: normalise(v) for k, v in expected_by_prog.items()}).astype("string")
    m = have.isna() | (have != want).fillna(True)
    return offending(
        l,
        m,
        stap=l["stap"],
        startdatum=l["startdatum"] if "startdatum" in l.columns else None,
        financieringsnummer=l["financieringsnummer"],
        verwacht=expected,
    )


@rule(
    code="FIN002",
    severity=WARNING,
    needs={"lijnen": ("stap", "toestand", "financieringsnummer")},
    optional={"lijnen": ("startdatum",)},
    title_nl="Outplacementlijn zonder financieringsnummer",
    title_en="Outplacement line without financing code",
    hint_nl=(
        "Vul het financieringsnummer in: het geeft aan in kader van welk project je registreert. Jouw organisatie "
        "is op de hoogte welk financieringsnummer je dient te kiezen."
    ),
    hint_en=(
        "Fill in the financing code: it tells under which project you register. Your organisation knows which "
        "financing code to choose."
    ),
    message_nl="Outplacementlijn (start {startdatum}) heeft geen financieringsnummer.",
    message_en="Outplacement line (start {startdatum}) has no financing code.",
    source="002 §2",
    logic="Active `Outplacement` line without financieringsnummer.",
)
def fin002(ctx: Context) -> pd.DataFrame:
    l = ctx.table("lijnen")
    l = l[(l["programme"] == "outplacement").fillna(False).to_numpy() & l["active"].to_numpy()]
    return offending(
        l, l["financieringsnummer"].isna(), startdatum=l["startdatum"] if "startdatum" in l.columns else None
    )


RULES = [fin001, fin002]
