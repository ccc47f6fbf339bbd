"""OUT001-OUT007: the line 'Outplacement', its documents and its periods (seed 002)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dossiercheck.checks.lines import add_months
from dossiercheck.checks.rule import ERROR, WARNING, Context, offending, rule
from dossiercheck.checks.rule import reindex_lookup as lookup
from dossiercheck.text import contains_text

SOURCE_MANDATORY = '002 §2 "Alle velden met een sterretje zijn verplicht in te geven"'


def outplacement(lijnen: pd.DataFrame) -> pd.Series:
    """Active Outplacement lines (cancelled lines are ignored by every programme rule)."""
    return (lijnen["programme"] == "outplacement").fillna(False).astype(bool) & lijnen["active"].astype(bool)


def outplacement_lines(ctx: Context) -> pd.DataFrame:
    """The active Outplacement lines of the rule's ``lijnen``, selected once for the rules that
    see the same lines."""

    def build() -> pd.DataFrame:
        l = ctx.table("lijnen")
        return l[outplacement(l).to_numpy()]

    return ctx.shared("out_lines", ("lijnen",), build)


# --------------------------------------------------------------------------------------------
# OUT001


@rule(
    code="OUT001",
    severity=ERROR,
    needs={"lijnen": ("stap", "toestand", "aanvrager", "uitvoerder")},
    title_nl="Verplicht veld aanvrager of uitvoerder ontbreekt",
    title_en="Mandatory field requester or executor missing",
    hint_nl=(
        "Vul op de lijn 'Outplacement' de aanvrager en de uitvoerder in: alle velden met een sterretje "
        "zijn verplicht in te geven."
    ),
    hint_en="Fill in the requester and the executor on the 'Outplacement' line: all fields marked with an asterisk are mandatory.",
    message_nl="Lijn Outplacement van {startdatum}: {ontbreekt} niet ingevuld.",
    message_en="Outplacement line of {startdatum}: {missing} not filled in.",
    source=SOURCE_MANDATORY,
    logic="Active Outplacement line missing aanvrager or uitvoerder (mandatory fields).",
)
def out001(ctx: Context) -> pd.DataFrame:
    l = ctx.table("lijnen")
    no_req, no_exe = l["aanvrager"].isna(), l["uitvoerder"].isna()
    m = (outplacement(l) & (no_req | no_exe)).to_numpy()
    l, no_req, no_exe = l[m], no_req.to_numpy()[m], no_exe.to_numpy()[m]  # the texts of offending rows only
    nl = np.select([no_req & no_exe, no_req], ["aanvrager en uitvoerder", "aanvrager"], "uitvoerder")
    en = np.select([no_req & no_exe, no_req], ["requester and executor", "requester"], "executor")
    return offending(
        l, None, startdatum=l.get("startdatum"), ontbreekt=pd.Series(nl, index=l.index), missing=pd.Series(en, index=l.index)
    )


# --------------------------------------------------------------------------------------------
# OUT002

_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
_MON = r"(?:0?[1-9]|1[0-2])"
_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|febr|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
DATE_IN_TEXT = re.compile(
    rf"(?<![0-9]){_DAY}/{_MON}/[0-9]{{4}}(?![0-9])"
    rf"|(?<![0-9]){_DAY}-{_MON}-[0-9]{{4}}(?![0-9])"
    rf"|(?<![0-9]){_DAY}\.{_MON}\.[0-9]{{4}}(?![0-9])"
    rf"|(?<![0-9])[0-9]{{4}}-{_MON}-{_DAY}(?![0-9])"
    rf"|(?<![0-9]){_DAY}\s*(?:{_MONTHS})\.?\s+[0-9]{{4}}(?![0-9])",
    re.IGNORECASE,
)


def has_date(text: pd.Series) -> pd.Series:
    """Whether a free text holds a numeric or a Dutch written date (RULES.md OUT002).
    Searched once per distinct text (the pattern's lookarounds need Python's ``re``)."""
    codes, uniques = pd.factorize(text.astype("string"), use_na_sentinel=True)
    hit = np.array([DATE_IN_TEXT.search(u) is not None for u in uniques] + [False], dtype=bool)
    return pd.Series(hit[np.where(codes < 0, len(uniques), codes)], index=text.index)


@rule(
    code="OUT002",
    severity=WARNING,
    needs={"lijnen": ("stap", "toestand", "samenvatting")},
    title_nl="Vermoedelijke einddatum ontbreekt in de samenvatting",
    title_en="Expected end date missing from the summary",
    hint_nl=(
        "Schrijf in het tekstveld 'Samenvatting' van de lijn 'Outplacement' de vermoedelijke einddatum van de "
        "begeleiding outplacement (bv. 31/03/2025)."
    ),
    hint_en="Write the expected end date of the outplacement guidance in the 'Samenvatting' field of the line (e.g. 31/03/2025).",
    message_nl="Lijn Outplacement van {startdatum}: de samenvatting vermeldt geen (vermoedelijke) einddatum.",
    message_en="Outplacement line of {startdatum}: the summary states no (expected) end date.",
    source="002 §2 Samenvatting",
    logic=(
        "Active Outplacement line whose samenvatting contains no date (the expected end date must be written "
        "there). A date is a numeric date (`dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`, `yyyy-mm-dd`) "
        "or a Dutch written date (`31 maart 2025`)."
    ),
)
def out002(ctx: Context) -> pd.DataFrame:
    """An empty samenvatting holds no date and fires. Day and month must be in range (``45/13/2025``
    is no date). A written date also accepts the usual Dutch month abbreviations (``31 mrt 2025``,
    ``1 sept. 2025``): such a text does state the end date the manual asks for."""
    l = ctx.table("lijnen")
    m = outplacement(l).to_numpy(copy=True)
    m[m] = ~has_date(l.loc[m, "samenvatting"]).to_numpy()  # only the outplacement lines' texts are searched
    return offending(l, pd.Series(m, index=l.index), startdatum=l.get("startdatum"))


# --------------------------------------------------------------------------------------------
# OUT003


@rule(
    code="OUT003",
    severity=WARNING,
    needs={"lijnen": ("stap", "toestand")},
    title_nl="Lijn 'Outplacement' stopgezet",
    title_en="'Outplacement' line stopped",
    hint_nl=(
        "Als begeleider mag je de registratie 'outplacement' niet zelf afwerken met toestand 'Stopgezet'. Bij "
        "iedere stopzetting contacteer je de lokale sociale interventieadviseur, die de registratie in "
        "samenspraak met jou afwerkt. Ga na of dat zo gebeurd is."
    ),
    hint_en=(
        "As counsellor you may not set the 'outplacement' registration to 'Stopgezet' yourself. For every stop, "
        "contact the local social intervention adviser, who completes the registration together with you. "
        "Check that this is how it was done."
    ),
    message_nl="Lijn Outplacement van {startdatum} staat op Stopgezet (einde {einddatum}): enkel de sociale interventieadviseur mag stopzetten.",
    message_en="Outplacement line of {startdatum} is Stopgezet (ended {einddatum}): only the social intervention adviser may stop it.",
    source="002 §4.1",
    logic=(
        "Outplacement line with toestand `Stopgezet`: only the local social intervention adviser may stop it; "
        "confirm it was done with them."
    ),
)
def out003(ctx: Context) -> pd.DataFrame:
    l = ctx.table("lijnen")
    m = outplacement(l) & (l["toestand"] == "Stopgezet").fillna(False)
    return offending(l, m, startdatum=l.get("startdatum"), einddatum=l.get("einddatum"))


# --------------------------------------------------------------------------------------------
# OUT004


@rule(
    code="OUT004",
    severity=WARNING,
    needs={"lijnen": ("stap", "toestand", "einddatum", "laatst_gewijzigd")},
    title_nl="Lijn 'Outplacement' zelf op Uitgevoerd gezet",
    title_en="'Outplacement' line set to Uitgevoerd by hand",
    hint_nl=(
        "Je hoeft de lijn 'Outplacement' niet zelf af te sluiten: die komt 1 maand na de einddatum automatisch "
        "op toestand 'Uitgevoerd'. Kies dus ook geen alternatieve optie."
    ),
    hint_en=(
        "You need not close the 'Outplacement' line yourself: it is set to 'Uitgevoerd' automatically one month "
        "after the end date. Do not choose another option either."
    ),
    message_nl=(
        "Lijn Outplacement (einde {einddatum}) staat op Uitgevoerd maar werd gewijzigd op {laatst_gewijzigd}, "
        "voor {automatisch} (einddatum + 1 maand): manueel afgesloten."
    ),
    message_en=(
        "Outplacement line (ended {einddatum}) is Uitgevoerd but was edited on {laatst_gewijzigd}, before "
        "{automatisch} (end date + 1 month): closed by hand."
    ),
    source="002 §4.1",
    logic=(
        "Outplacement line `Uitgevoerd` with laatst_gewijzigd < einddatum + 1 month: set by hand (the system "
        "sets it one month after the end date)."
    ),
    config_keys=("out.auto_uitgevoerd_months",),
)
def out004(ctx: Context) -> pd.DataFrame:
    l = ctx.table("lijnen")
    auto = add_months(l["einddatum"], int(ctx.cfg("out.auto_uitgevoerd_months")))
    m = outplacement(l) & (l["toestand"] == "Uitgevoerd").fillna(False) & (l["laatst_gewijzigd"] < auto)
    return offending(l, m, einddatum=l["einddatum"], laatst_gewijzigd=l["laatst_gewijzigd"], automatisch=auto)


# --------------------------------------------------------------------------------------------
# OUT005 / OUT006: documents


def latest_document(ctx: Context, term: str) -> pd.Series:
    """klantnummer -> the latest datum of a document whose publicatienaam contains ``term``."""
    docs = ctx.table("documenten")
    docs = docs[contains_text(docs["publicatienaam"], term) & docs["datum"].notna()]
    return docs.groupby("klantnummer")["datum"].max()


@rule(
    code="OUT005",
    severity=ERROR,
    needs={"lijnen": ("stap", "toestand", "startdatum"), "documenten": ("publicatienaam", "datum")},
    title_nl="Actieplan ontbreekt",
    title_en="Action plan missing",
    hint_nl=(
        "Maak tijdens de begeleiding een individueel actieplan op en voeg het als bijlage toe in het VDAB-dossier: "
        "'Begeleiding' > 'Traject' > 'Documenten overzicht' > 'Voeg toe' (publicatienaam bv. 'Actieplan OP-211118')."
    ),
    hint_en=(
        "Draw up an individual action plan during the guidance and attach it to the VDAB dossier: 'Begeleiding' > "
        "'Traject' > 'Documenten overzicht' > 'Voeg toe' (publication name e.g. 'Actieplan OP-211118')."
    ),
    message_nl="Lijn Outplacement van {startdatum}: geen document '{term}' toegevoegd sinds de start.",
    message_en="Outplacement line of {startdatum}: no '{term}' document added since the start.",
    source="002 §2",
    logic="Active Outplacement line with no document whose publicatienaam contains `actieplan` dated ≥ the line's startdatum.",
    config_keys=("out.action_plan_term",),
)
def out005(ctx: Context) -> pd.DataFrame:
    l = outplacement_lines(ctx)
    term = str(ctx.cfg("out.action_plan_term"))
    last = lookup(latest_document(ctx, term), l["klantnummer"])
    m = l["startdatum"].notna() & ~(last >= l["startdatum"]).fillna(False)
    return offending(l, m, startdatum=l["startdatum"], term=term)


@rule(
    code="OUT006",
    severity=ERROR,
    needs={"lijnen": ("stap", "toestand", "startdatum"), "documenten": ("publicatienaam", "datum")},
    optional={"lijnen": ("einddatum",)},
    title_nl="Eindverslag outplacement ontbreekt",
    title_en="Final outplacement report missing",
    hint_nl=(
        "Voeg op het einde van de begeleiding het eindverslag 'outplacement' toe aan het VDAB-dossier van de "
        "burger: 'Begeleiding' > 'Traject' > 'Documenten overzicht' > 'Voeg toe', net zoals het actieplan."
    ),
    hint_en=(
        "At the end of the guidance, add the final 'outplacement' report to the citizen's VDAB dossier: "
        "'Begeleiding' > 'Traject' > 'Documenten overzicht' > 'Voeg toe', as for the action plan."
    ),
    message_nl="Lijn Outplacement van {startdatum} ({toestand}, einde {einddatum}): geen document '{term}' toegevoegd sinds de start.",
    message_en="Outplacement line of {startdatum} ({toestand}, ended {einddatum}): no '{term}' document added since the start.",
    source="002 §4.2",
    logic=(
        "Outplacement line `Uitgevoerd`, or `Bezig` with einddatum < P, with no document whose publicatienaam "
        "contains `eindverslag` dated ≥ the line's startdatum."
    ),
    config_keys=("out.final_report_term",),
)
def out006(ctx: Context) -> pd.DataFrame:
    """Without an ``einddatum`` column only the ``Uitgevoerd`` lines are judged."""
    l = outplacement_lines(ctx)
    term = str(ctx.cfg("out.final_report_term"))
    end = l["einddatum"] if "einddatum" in l.columns else pd.Series(pd.NaT, index=l.index, dtype="datetime64[ns]")
    ended = (l["toestand"] == "Uitgevoerd").fillna(False) | (
        (l["toestand"] == "Bezig").fillna(False) & (end < ctx.peildatum)
    )
    last = lookup(latest_document(ctx, term), l["klantnummer"])
    m = ended & l["startdatum"].notna() & ~(last >= l["startdatum"]).fillna(False)
    return offending(l, m, startdatum=l["startdatum"], toestand=l["toestand"], einddatum=end, term=term)


# --------------------------------------------------------------------------------------------
# OUT007


@rule(
    code="OUT007",
    severity=ERROR,
    needs={"lijnen": ("stap", "toestand", "startdatum", "einddatum")},
    title_nl="Overlappende lijnen 'Outplacement'",
    title_en="Overlapping 'Outplacement' lines",
    hint_nl=(
        "Bij verlenging van de begeleiding blijf je verder werken met de bestaande registratie: de toestand mag op "
        "'Bezig' blijven, het gaat nog steeds om dezelfde begeleiding. Maak geen nieuwe lijn aan; laat de "
        "overbodige lijn corrigeren of annuleren."
    ),
    hint_en=(
        "When the guidance is extended, keep working with the existing registration: its state may stay 'Bezig', "
        "it is still the same guidance. Do not add a new line; have the superfluous line corrected or cancelled."
    ),
    message_nl="Lijn Outplacement van {startdatum} overlapt met de lijn van {eerdere_start} tot {eerdere_einde}: een verlenging loopt verder op de bestaande lijn.",
    message_en="Outplacement line of {startdatum} overlaps the line of {eerdere_start} to {eerdere_einde}: an extension continues on the existing line.",
    source="002 §3",
    logic=(
        "Two active Outplacement lines of one client whose periods overlap, end dates inclusive (a later line "
        "starting on the day the earlier one ends overlaps it; an open line runs to P): an extension continues "
        "the existing line. One finding per later line (by startdatum)."
    ),
)
def out007(ctx: Context) -> pd.DataFrame:
    """A line's period is startdatum..einddatum. Without einddatum an open line (Bezig) runs to P;
    a closed line without einddatum (GEN002's finding) is taken to end on its startdatum, so it
    only overlaps a line starting that same day. An open line with an einddatum (the system sets
    'Uitgevoerd' a month after it) runs to that einddatum. Lines starting the same day are
    ordered by source row; the later one is the finding, naming the latest-starting earlier line
    it overlaps (all overlapped lines are in its rows)."""
    l = outplacement_lines(ctx)
    l = l[l["startdatum"].notna().to_numpy()]
    end = l["einddatum"].where(l["einddatum"].notna(), l["startdatum"].where(~l["open"].astype(bool), ctx.peildatum))
    lines = pd.DataFrame(
        {"_rid": l["_rid"], "klantnummer": l["klantnummer"], "start": l["startdatum"], "end": end}
    ).sort_values(["klantnummer", "start", "_rid"], kind="stable")
    lines["order"] = lines.groupby("klantnummer").cumcount()
    pairs = lines.merge(lines, on="klantnummer", suffixes=("_a", "_b"))
    pairs = pairs[(pairs["order_a"] < pairs["order_b"]) & (pairs["start_b"] <= pairs["end_a"])]
    if pairs.empty:
        return pd.DataFrame(columns=["_rid", "startdatum", "eerdere_start", "eerdere_einde"])
    pairs = pairs.sort_values(["_rid_b", "order_a"], kind="stable")
    earlier = pairs.groupby("_rid_b", sort=False).agg(
        startdatum=("start_b", "first"), eerdere_start=("start_a", "last"), eerdere_einde=("end_a", "last")
    )
    # every row the finding rests on: the later line itself, then the lines it overlaps
    rows = pd.concat(
        [
            pd.DataFrame({"_rid_b": earlier.index, "_o": -1, "_rid_a": earlier.index}),
            pairs[["_rid_b", "order_a", "_rid_a"]].rename(columns={"order_a": "_o"}),
        ]
    ).sort_values(["_rid_b", "_o"], kind="stable")
    rids = rows.groupby("_rid_b", sort=False)["_rid_a"].agg(list)
    out = earlier.reset_index().rename(columns={"_rid_b": "_rid"})
    out["_rids"] = lookup(rids, out["_rid"]).to_numpy()
    return out
