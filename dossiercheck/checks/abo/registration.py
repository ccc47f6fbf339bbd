"""ABO rules on the lines themselves and the dossier: ABO001-ABO008, ABO019-ABO021 (seed 000)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dossiercheck.checks.abo.common import (
    PROJECT,
    abo_clients,
    abo_lines,
    begeleidingslijnen,
    lookup,
    of_clients,
    pair_lists,
    project_lines,
    school_year_label,
)
from dossiercheck.checks.lines import ABO_KINDS, closing_deadline, school_year_start
from dossiercheck.checks.rule import ERROR, WARNING, Context, offending, rule
from dossiercheck.text import equals_text

LINE_COLS = ("stap", "toestand", "startdatum")

HINT_CLOSE_NL = (
    "Sluit de lijn af: open ze in 'Stappen naar werk', kies de toestand 'Beëindigd' en vul de einddatum in. "
    "De einddatum kan uiterlijk 30 juni van het lopende schooljaar zijn (de projectlijn Leren en Werken "
    "uiterlijk 30 juni 2025). Kies daarna voor de begeleidingslijn het juiste resultaat."
)
HINT_CLOSE_EN = (
    "Close the line: open it in 'Stappen naar werk', choose the state 'Beëindigd' and fill in the end date. "
    "The end date can be 30 June of the current school year at the latest (the project line Leren en Werken "
    "30 June 2025 at the latest). Then choose the right result for the guidance line."
)


# --------------------------------------------------------------------------------------------
# ABO001
# --------------------------------------------------------------------------------------------
@rule(
    code="ABO001",
    severity=ERROR,
    needs={"lijnen": LINE_COLS},
    title_nl="Nieuwe ABO-registratie na het einde van het project",
    title_en="New ABO registration after the end of the project",
    hint_nl=(
        "Vanaf september 2025 zijn er geen nieuwe registraties van het project Alternerende Beroepsopleiding "
        "(ABO) in het VDAB-klantendossier mogelijk. Enkel leerlingen in duaal leren die deelnemen aan het "
        "ESF-project 'ondersteuning alternerend leren' kunnen vanaf 1/9/2025 ingeschreven worden. Zet een "
        "foutief aangemaakte lijn op 'Geannuleerd'."
    ),
    hint_en=(
        "From September 2025 no new registrations of the project Alternerende Beroepsopleiding (ABO) are "
        "possible in the VDAB client dossier. Only pupils in dual learning taking part in the ESF project "
        "'ondersteuning alternerend leren' can be registered from 1/9/2025. Set a line created by mistake to "
        "'Geannuleerd'."
    ),
    message_nl="ABO-lijn '{stap}' start op {startdatum}; vanaf {niet_meer_vanaf} zijn geen nieuwe ABO-registraties mogelijk.",
    message_en="ABO line '{stap}' starts on {startdatum}; no new ABO registrations are possible from {niet_meer_vanaf}.",
    source="000 intro, §2 (titel: geen nieuwe registraties mogelijk vanaf 1/9/2025)",
    logic="Active ABO line (either kind) with startdatum ≥ `abo.no_new_from` (2025-09-01): no new ABO registrations.",
    config_keys=("abo.no_new_from",),
)
def abo001(ctx: Context) -> pd.DataFrame:
    l = abo_lines(ctx.table("lijnen"), ctx)
    cutoff = pd.Timestamp(ctx.cfg("abo.no_new_from"))
    m = l["startdatum"] >= cutoff
    return offending(l, m, stap=l["stap"], startdatum=l["startdatum"], niet_meer_vanaf=cutoff)


# --------------------------------------------------------------------------------------------
# ABO002 / ABO003: open lines and the 30 June deadline
# --------------------------------------------------------------------------------------------
def _open_with_deadline(ctx: Context) -> pd.DataFrame:
    l = abo_lines(ctx.table("lijnen"), ctx)
    l = l[l["open"].to_numpy()]
    return l.assign(_deadline=closing_deadline(l["startdatum"]))


@rule(
    code="ABO002",
    severity=ERROR,
    needs={"lijnen": LINE_COLS},
    title_nl="ABO-lijn nog open na 30 juni",
    title_en="ABO line still open after 30 June",
    hint_nl=HINT_CLOSE_NL,
    hint_en=HINT_CLOSE_EN,
    message_nl=(
        "Lijn '{stap}' (start {startdatum}, schooljaar {schooljaar}) staat nog op Bezig; ze moest uiterlijk "
        "{deadline} afgesloten zijn ({dagen_te_laat} dagen te laat)."
    ),
    message_en=(
        "Line '{stap}' (start {startdatum}, school year {schooljaar}) is still Bezig; it had to be closed by "
        "{deadline} ({dagen_te_laat} days late)."
    ),
    source="000 §2.3.1, §2.3.2",
    logic=(
        "ABO line open (`Bezig`) while P > the closing deadline (30 June) of its startdatum's school year: "
        "open line after 30 June."
    ),
)
def abo002(ctx: Context) -> pd.DataFrame:
    l = _open_with_deadline(ctx)
    P = ctx.peildatum
    m = P > l["_deadline"]
    return offending(
        l,
        m,
        stap=l["stap"],
        startdatum=l["startdatum"],
        schooljaar=school_year_label(l["startdatum"]),
        deadline=l["_deadline"],
        dagen_te_laat=(P - l["_deadline"]).dt.days,
    )


@rule(
    code="ABO003",
    severity=WARNING,
    needs={"lijnen": LINE_COLS},
    title_nl="ABO-lijn afsluiten voor 30 juni",
    title_en="Close the ABO line before 30 June",
    hint_nl=HINT_CLOSE_NL,
    hint_en=HINT_CLOSE_EN,
    message_nl="Lijn '{stap}' (start {startdatum}) staat nog op Bezig: sluit ze af uiterlijk {deadline}, nog {dagen} dagen.",
    message_en="Line '{stap}' (start {startdatum}) is still Bezig: close it by {deadline}, {dagen} days left.",
    source="000 §2.3.2",
    logic=(
        "ABO line open and P is within `abo.warn_days` (30) days before the closing deadline of its "
        "startdatum's school year (0 ≤ deadline − P ≤ warn_days): close it before 30 June."
    ),
    config_keys=("abo.warn_days",),
)
def abo003(ctx: Context) -> pd.DataFrame:
    l = _open_with_deadline(ctx)
    left = (l["_deadline"] - ctx.peildatum).dt.days
    m = (left >= 0) & (left <= int(ctx.cfg("abo.warn_days")))
    return offending(l, m, stap=l["stap"], startdatum=l["startdatum"], deadline=l["_deadline"], dagen=left)


# --------------------------------------------------------------------------------------------
# ABO004
# --------------------------------------------------------------------------------------------
@rule(
    code="ABO004",
    severity=ERROR,
    needs={"lijnen": (*LINE_COLS, "einddatum")},
    title_nl="Einddatum van de ABO-lijn na 30 juni",
    title_en="ABO line ends after 30 June",
    hint_nl=(
        "De einddatum kan uiterlijk 30 juni van het lopende schooljaar zijn; voor de projectlijn Leren en "
        "Werken uiterlijk 30 juni 2025. Beëindigd is een eindtoestand: om een foutief afgesloten lijn te laten "
        "corrigeren of verwijderen neem je contact op met de provinciale coach klantendossier - partner via het "
        "contactformulier op Extranet."
    ),
    hint_en=(
        "The end date can be 30 June of the current school year at the latest; for the project line Leren en "
        "Werken 30 June 2025 at the latest. Beëindigd is a final state: to have a wrongly closed line corrected "
        "or removed, contact the provincial coach (client dossier - partner) through the Extranet contact form."
    ),
    message_nl="Lijn '{stap}' (start {startdatum}) eindigt op {einddatum}, na de uiterste einddatum {uiterlijk}.",
    message_en="Line '{stap}' (start {startdatum}) ends on {einddatum}, after the latest allowed end date {uiterlijk}.",
    source="000 §2.3.1, §2.3.2",
    logic=(
        "Closed ABO line whose einddatum > the closing deadline of its startdatum's school year; for the "
        "project line also einddatum > `abo.project_end` (2025-06-30)."
    ),
    config_keys=("abo.project_end",),
)
def abo004(ctx: Context) -> pd.DataFrame:
    l = abo_lines(ctx.table("lijnen"), ctx)
    l = l[l["closed"].to_numpy()]
    limit = closing_deadline(l["startdatum"])
    project_end = pd.Timestamp(ctx.cfg("abo.project_end"))
    is_project = (l["programme"] == PROJECT).fillna(False)
    limit = limit.where(~is_project | (limit <= project_end), project_end)
    m = l["einddatum"] > limit
    return offending(
        l, m, stap=l["stap"], startdatum=l["startdatum"], einddatum=l["einddatum"], uiterlijk=limit
    )


# --------------------------------------------------------------------------------------------
# ABO005 / ABO006: lines per client and school year
# --------------------------------------------------------------------------------------------
@rule(
    code="ABO005",
    severity=ERROR,
    needs={"lijnen": LINE_COLS},
    title_nl="Begeleidingslijn zonder projectlijn Leren en Werken",
    title_en="Guidance line without a Leren en Werken project line",
    hint_nl=(
        "Duid in het dossier aan dat de jongere deelneemt aan het project Leren en werken: Begeleiding - "
        "Stappen naar werk - Voeg een stap toe, kies 'Project Leren en Werken', toestand 'bezig', de startdatum "
        "van de alternerende beroepsopleiding en financieringsnummer EEWG018. Maak de projectlijn zo snel mogelijk "
        "aan: zo krijgt de jongere geen automatische mails met vacatures."
    ),
    hint_en=(
        "Record in the dossier that the youngster takes part in the Leren en werken project: Begeleiding - "
        "Stappen naar werk - Voeg een stap toe, choose 'Project Leren en Werken', state 'bezig', the start date "
        "of the alternating vocational training and financing code EEWG018. Create the project line as soon as "
        "possible, so the youngster gets no automatic vacancy e-mails."
    ),
    message_nl="Begeleidingslijn '{stap}' (start {startdatum}) heeft geen projectlijn 'Project Leren en Werken' in schooljaar {schooljaar}.",
    message_en="Guidance line '{stap}' (start {startdatum}) has no 'Project Leren en Werken' line in school year {schooljaar}.",
    source="000 §2.2.2",
    logic=(
        "Active ABO begeleidingslijn without a non-cancelled `Project Leren en Werken` line for the same client "
        "whose startdatum falls in the same school year."
    ),
)
def abo005(ctx: Context) -> pd.DataFrame:
    """A begeleidingslijn without startdatum has no school year: left to DAT001."""
    lijnen = ctx.table("lijnen")
    beg = begeleidingslijnen(lijnen, ctx)
    beg = beg[beg["startdatum"].notna().to_numpy()]  # no school year without a startdatum (DAT001)
    proj = project_lines(lijnen, ctx)
    have = pd.MultiIndex.from_arrays(
        [proj["klantnummer"].to_numpy(), school_year_start(proj["startdatum"]).to_numpy()]
    )
    mine = pd.MultiIndex.from_arrays([beg["klantnummer"].to_numpy(), school_year_start(beg["startdatum"]).to_numpy()])
    m = pd.Series(~mine.isin(have), index=beg.index)
    return offending(
        beg, m, stap=beg["stap"], startdatum=beg["startdatum"], schooljaar=school_year_label(beg["startdatum"])
    )


@rule(
    code="ABO006",
    severity=ERROR,
    needs={"lijnen": LINE_COLS},
    title_nl="Meer dan één begeleidingslijn in hetzelfde schooljaar",
    title_en="More than one guidance line in the same school year",
    hint_nl=(
        "Bij elk volgend bezoek of gesprek werk je verder met dezelfde lijn 'Onderwijs alternerende "
        "beroepsopl'; ook bij een stagewissel (dus geen nieuwe lijn aanmaken). Vermeld de nieuwe stageplaats en "
        "de startdatum in de samenvatting. Zet de extra lijn op 'Geannuleerd', of laat een reeds afgesloten "
        "extra lijn verwijderen via de provinciale coach klantendossier - partner (contactformulier op Extranet)."
    ),
    hint_en=(
        "At every further visit or conversation you keep working in the same guidance line; also when the "
        "internship changes (so do not create a new line). Note the new internship and its start date in the "
        "summary. Set the extra line to 'Geannuleerd', or have an already closed extra line removed through the "
        "provincial coach (client dossier - partner, Extranet contact form)."
    ),
    message_nl=(
        "Extra begeleidingslijn '{stap}' (start {startdatum}) in schooljaar {schooljaar}: de klant heeft al een "
        "begeleidingslijn sinds {eerste_start} ({aantal} lijnen dat schooljaar)."
    ),
    message_en=(
        "Extra guidance line '{stap}' (start {startdatum}) in school year {schooljaar}: the client already has a "
        "guidance line since {eerste_start} ({aantal} lines that school year)."
    ),
    source="000 §2.2.3 \"geen nieuwe lijn aanmaken\"",
    logic=(
        "More than one active ABO begeleidingslijn for a client with startdatum in the same school year (a "
        "change of internship continues the same line); one finding per extra line. The first line (earliest "
        "startdatum, then source row) is the line to continue; every later one is an extra."
    ),
)
def abo006(ctx: Context) -> pd.DataFrame:
    """Decision: RULES.md does not say which line is the "extra" one. The manual says to keep
    working in the existing line ("ook bij een stagewissel werk je verder met deze lijn (dus geen
    nieuwe lijn aanmaken)"), so the earliest line of the school year (startdatum, then source row)
    is the one to keep and every later line is a finding; its rows are [first line, extra line].
    Lines without a startdatum have no school year and are left to DAT001."""
    beg = begeleidingslijnen(ctx.table("lijnen"), ctx)
    beg = beg[beg["startdatum"].notna().to_numpy()]  # no school year without a startdatum (DAT001)
    beg = beg.assign(_sy=school_year_start(beg["startdatum"]))
    beg = beg.sort_values(["klantnummer", "_sy", "startdatum", "_rid"], kind="stable")
    grp = beg.groupby(["klantnummer", "_sy"], sort=False)
    pos = grp.cumcount()
    first_rid = grp["_rid"].transform("first")
    first_start = grp["startdatum"].transform("first")
    count = grp["_rid"].transform("size")
    m = pos > 0
    out = offending(
        beg,
        m,
        stap=beg["stap"],
        startdatum=beg["startdatum"],
        schooljaar=school_year_label(beg["startdatum"]),
        eerste_start=first_start,
        aantal=count,
    )
    out["_rids"] = pair_lists(first_rid[m], beg.loc[m, "_rid"])
    return out


# --------------------------------------------------------------------------------------------
# ABO007 / ABO008: result codes
# --------------------------------------------------------------------------------------------
@rule(
    code="ABO007",
    severity=WARNING,
    needs={"lijnen": ("stap", "toestand", "resultaatcode")},
    title_nl="Projectlijn zonder fase 'Alternerende beroepsopl. BuSO OV3'",
    title_en="Project line without phase 'Alternerende beroepsopl. BuSO OV3'",
    hint_nl=(
        "Duid bij de resultaatcode van de projectlijn 'Project Leren en Werken' aan in welke fase het "
        "totaaltraject van de jongere start: kies als fase 'Alternerende beroepsopl. BuSO OV3'."
    ),
    hint_en=(
        "In the result code of the 'Project Leren en Werken' line, indicate the phase in which the youngster's "
        "total trajectory starts: choose the phase 'Alternerende beroepsopl. BuSO OV3'."
    ),
    message_nl="Projectlijn (start {startdatum}) heeft als fase '{resultaatcode}' in plaats van '{verwacht}'.",
    message_en="Project line (start {startdatum}) has phase '{resultaatcode}' instead of '{verwacht}'.",
    source="000 §2.2.2",
    logic=(
        "Active ABO project line whose resultaatcode is not `Alternerende beroepsopl. BuSO OV3` (normalised; "
        "`Alternerende beroepsopleiding BuSO OV3` also accepted; empty fires)."
    ),
    optional={"lijnen": ("startdatum",)},
    config_keys=("abo.project_phase",),
)
def abo007(ctx: Context) -> pd.DataFrame:
    """An empty resultaatcode fires too: the phase is chosen on the second screen right when the
    project line is created (000 §2.2.2 "Kies als fase Alternerende beroepsopl. BuSO OV3")."""
    l = project_lines(ctx.table("lijnen"), ctx)
    allowed = list(ctx.cfg("abo.project_phase"))
    m = ~equals_text(l["resultaatcode"], *allowed)
    return offending(
        l,
        m,
        startdatum=l["startdatum"] if "startdatum" in l.columns else None,
        resultaatcode=l["resultaatcode"],
        verwacht=allowed[0] if allowed else "",
    )


@rule(
    code="ABO008",
    severity=ERROR,
    needs={"lijnen": ("stap", "toestand", "resultaatcode")},
    title_nl="Begeleidingslijn beëindigd zonder resultaat",
    title_en="Guidance line closed without a result",
    hint_nl=(
        "Na 'bevestigen' van de toestand 'Beëindigd' opent een tweede scherm waar je een resultaat moet kiezen: "
        "kies het juiste resultaat en klik op bevestigen. Kan de lijn niet meer gewijzigd worden, neem dan contact "
        "op met de provinciale coach klantendossier - partner via het contactformulier op Extranet."
    ),
    hint_en=(
        "After confirming the state 'Beëindigd' a second screen opens in which you must choose a result: choose "
        "the right result and confirm. If the line can no longer be edited, contact the provincial coach (client "
        "dossier - partner) through the Extranet contact form."
    ),
    message_nl="Begeleidingslijn '{stap}' (start {startdatum}) staat op Beëindigd zonder resultaatcode.",
    message_en="Guidance line '{stap}' (start {startdatum}) is Beëindigd without a result code.",
    source="000 §2.3.2",
    logic="ABO begeleidingslijn `Beëindigd` without resultaatcode.",
    optional={"lijnen": ("startdatum",)},
)
def abo008(ctx: Context) -> pd.DataFrame:
    l = begeleidingslijnen(ctx.table("lijnen"), ctx)
    m = (l["toestand"] == "Beëindigd").fillna(False) & l["resultaatcode"].isna()
    return offending(
        l, m, stap=l["stap"], startdatum=l["startdatum"] if "startdatum" in l.columns else None
    )


# --------------------------------------------------------------------------------------------
# ABO019 / ABO020: the dossier
# --------------------------------------------------------------------------------------------
@rule(
    code="ABO019",
    severity=WARNING,
    needs={"dossiers": ("regio", "categorie"), "lijnen": ("stap", "toestand")},
    subject="dossiers",
    title_nl="Inschrijvingscategorie past niet bij de woonplaats",
    title_en="Registration category does not fit the region of residence",
    hint_nl=(
        "Jongeren die in Vlaanderen wonen, schrijven zich in als 'Ik ben pas van school of pas afgestudeerd, en "
        "start mijn beroepsinschakelingstijd' (categorie 02). Jongeren die in Brussel wonen, schrijven zich in bij "
        "Actiris en kiezen 'Ik ben werkloos en krijg geen werkloosheidsuitkering' (categorie 03); buitenlandse "
        "jongeren of jongeren die niet in Vlaanderen wonen, schrijven zich in onder categorie 03. Help de jongere "
        "de inschrijving te corrigeren."
    ),
    hint_en=(
        "Youngsters living in Flanders register as 'just left school, starting my professional integration "
        "period' (category 02). Youngsters living in Brussels register with Actiris as unemployed without benefit "
        "(category 03); foreign youngsters or youngsters not living in Flanders register under category 03. Help "
        "the youngster correct the registration."
    ),
    message_nl="Woonregio {regio} vraagt categorie {verwacht}, het dossier heeft categorie {categorie}.",
    message_en="Region {regio} requires category {verwacht}, the dossier has category {categorie}.",
    source="000 §2.1",
    logic=(
        "ABO client whose categorie does not fit regio: `Vlaanderen` → `02`; `Brussel`, `Wallonie`, "
        "`Buitenland` → `03` (skipped when either is empty). One finding per dossier row."
    ),
    config_keys=("abo.region_category",),
)
def abo019(ctx: Context) -> pd.DataFrame:
    """The finding points at the dossier row (``subject="dossiers"``); fingerprint = klantnummer."""
    d = of_clients(ctx.table("dossiers"), abo_clients(ctx.table("lijnen"), ctx))
    mapping = {str(k): str(v) for k, v in dict(ctx.cfg("abo.region_category")).items() if not str(k).startswith("__")}
    expected = d["regio"].astype("string").map(mapping).astype("string")
    cat = d["categorie"].astype("string")
    m = expected.notna() & cat.notna() & (cat != expected)
    out = offending(d, m, regio=d["regio"], categorie=cat, verwacht=expected)
    out["_key"] = d.loc[m.fillna(False).astype(bool), "klantnummer"].astype(str).to_numpy()
    return out


@rule(
    code="ABO020",
    severity=ERROR,
    needs={"lijnen": ("stap", "toestand"), "dossiers": ("tenderpartner",)},
    title_nl="Registratie in een dossier van een tenderpartner (roze banner)",
    title_en="Registration in a dossier managed by a tender partner (pink banner)",
    hint_nl=(
        "Als er in het dossier van de klant een roze banner staat, wijzig je niets in dit dossier: de klant wordt "
        "intensief begeleid door een partner van VDAB. Neem contact op met de Afdeling Samenwerking "
        "(Samenwerking@vdab.be), vermeld het klantnummer en vraag om het beheer van dit klantendossier in kader van "
        "het project Leren en werken naar jou over te dragen. Registreer pas wanneer de dienst laat weten dat het kan."
    ),
    hint_en=(
        "When the client's dossier shows a pink banner, change nothing in it: a VDAB partner provides intensive "
        "guidance. Contact Afdeling Samenwerking (Samenwerking@vdab.be) with the client number and ask for the "
        "dossier's management to be transferred to you for the Leren en werken project. Register only when they "
        "confirm you can."
    ),
    message_nl="Lijn '{stap}' (toestand {toestand}) staat in een dossier dat beheerd wordt door een tenderpartner.",
    message_en="Line '{stap}' (state {toestand}) is in a dossier managed by a tender partner.",
    source="000 §1.1",
    logic="Active ABO or OAL line in a dossier with tenderpartner = true (pink banner: change nothing).",
)
def abo020(ctx: Context) -> pd.DataFrame:
    l = ctx.table("lijnen")
    progs = (*ABO_KINDS, "oal")
    l = l[l["programme"].isin(progs).fillna(False).to_numpy() & l["active"].to_numpy()]
    d = ctx.table("dossiers")
    pink = d[d["tenderpartner"].fillna(False).astype(bool).to_numpy()].drop_duplicates("klantnummer")
    drid = lookup(l["klantnummer"], pink.set_index("klantnummer")["_rid"])
    m = drid.notna()
    out = offending(l, m, stap=l["stap"], toestand=l["toestand"])
    out["_rids"] = pair_lists(l.loc[m, "_rid"], drid[m])
    return out


# --------------------------------------------------------------------------------------------
# ABO021: samenvatting entries newest first
# --------------------------------------------------------------------------------------------
# A date opening the text or one of its lines: dd/mm/yyyy, d/m/yyyy or dd/mm (no year), in ASCII
# digits, not followed by another digit or '/'. A two-digit year (12/03/25) is not one of the
# accepted forms and opens no entry; a date in other decimal digits (``١٢/٠٣/٢٠٢٤``) opens none.
# Arrow applies the pattern (RE2 syntax) line by line: RE2 has no lookahead, so the character after
# the date is captured (``n``) and checked instead. The digit groups are greedy and a shorter match
# would leave a digit or '/' next, so a line opens an entry exactly when the greedy match is
# followed by something else (or nothing). ``\p{Nd}`` in that check is any decimal digit.
_ENTRY_DATE_RE2 = r"^[ \t]*(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})(?:/(?P<y>[0-9]{4}))?(?P<n>.?)"


def _entry_matches(text: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(position of the text, match number, day, month, year) of every entry date (see _ENTRY_DATE_RE2), in text
    order, the numbers as floats; the year is NaN where the date has none. Vectorised in Arrow: the texts are split
    into lines (an entry date opens a line) and each line is matched once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow":
        arr = pa.chunked_array(text.array.__arrow_array__()).cast(pa.large_string()).combine_chunks()
    else:
        arr = pa.array(text.astype("string").to_numpy(dtype=object), type=pa.large_string())
    lines = pc.split_pattern(arr, "\n")
    flat = pc.list_flatten(lines)
    owner = pc.list_parent_indices(lines).to_numpy(zero_copy_only=False)
    m = pc.extract_regex(flat, _ENTRY_DATE_RE2)
    nxt = pc.struct_field(m, "n")
    ok = pc.and_kleene(pc.is_valid(m), pc.invert(pc.match_substring_regex(nxt, r"^[\p{Nd}/]$")))
    ok = ok.fill_null(False).to_numpy(zero_copy_only=False)
    idx = np.flatnonzero(ok)
    owner = owner[idx].astype("int64")
    first = np.r_[True, owner[1:] != owner[:-1]] if len(owner) else np.zeros(0, dtype=bool)
    starts = np.flatnonzero(first)
    number = np.arange(len(owner)) - np.repeat(starts, np.diff(np.r_[starts, len(owner)]))
    pick = pa.array(idx, type=pa.int64())

    def field(name: str) -> np.ndarray:
        """The captured digits as numbers (NaN where the group is empty), as ``pd.to_numeric``
        reads them; Arrow casts plain ASCII digits itself."""
        digits = pc.take(pc.struct_field(m, name), pick)
        if pc.all(pc.string_is_ascii(digits)).as_py() is not False:
            digits = pc.if_else(pc.equal(digits, ""), pa.scalar(None, pa.large_string()), digits)
            return pc.cast(digits, pa.float64()).to_numpy(zero_copy_only=False)
        raw = digits.to_numpy(zero_copy_only=False)
        return pd.to_numeric(pd.Series(np.where(raw == "", None, raw), dtype=object)).to_numpy(dtype="float64")

    return owner, number, field("d"), field("m"), field("y")


def entry_dates(text: pd.Series, start: pd.Series) -> pd.DataFrame:
    """Every entry-opening date of each text, in text order: columns ``entry`` (0-based match
    number) and ``date``, indexed by the text's index (repeated). A date without a year takes the
    year that puts it in the school year of ``start`` (the line's startdatum); impossible dates are
    dropped."""
    text = text.dropna()
    empty = pd.DataFrame({"entry": pd.Series(dtype="int64"), "date": pd.Series(dtype="datetime64[ns]")})
    if text.empty:
        return empty
    pos, number, d, mo, y = _entry_matches(text)
    if not len(pos):
        return empty
    owner = text.index[pos]
    sy = school_year_start(start.loc[owner]).to_numpy(dtype="float64")
    day, month, year = d, mo, y
    year = np.where(np.isnan(year), sy + (month < 9), year)
    date = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}), errors="coerce")
    out = pd.DataFrame({"entry": number, "date": date.to_numpy()}, index=owner)
    return out[out["date"].notna().to_numpy()]


@rule(
    code="ABO021",
    severity=WARNING,
    needs={"lijnen": (*LINE_COLS, "samenvatting")},
    title_nl="Samenvatting niet met de recentste datum bovenaan",
    title_en="Summary does not have the newest entry on top",
    hint_nl=(
        "Registreer in de samenvatting altijd eerst de datum, vervolgens het verloop van de actie. Bij een "
        "volgende actie noteer je een nieuwe datum met het verloop; ga altijd bovenaan verder: de meest recente "
        "informatie is dan zichtbaar in het overzicht 'Stappen naar werk'."
    ),
    hint_en=(
        "In the summary always write the date first, then the course of the action. For a next action write a "
        "new date with its course; always continue at the top, so the most recent information shows in the "
        "'Stappen naar werk' overview."
    ),
    message_nl=(
        "Samenvatting van lijn '{stap}' (start {startdatum}): het item van {datum} (item {item}) staat onder een "
        "ouder item van {datum_erboven}; de recentste datum hoort bovenaan."
    ),
    message_en=(
        "Summary of line '{stap}' (start {startdatum}): the entry dated {datum} (entry {item}) stands below an "
        "older entry dated {datum_erboven}; the newest date belongs on top."
    ),
    source="000 §2.2.2 (Samenvatting: \"Ga altijd bovenaan verder\")",
    logic=(
        "Samenvatting of an active ABO line: the dates that open its entries (a date at the start of the text or "
        "of a line, `dd/mm/yyyy`, `d/m/yyyy` or `dd/mm`) are not in descending order: some entry's date is later "
        "than the date of the entry above it (equal dates are fine). A date without a year takes the year that "
        "puts it in the school year of the line's startdatum (September–August). One finding per line, naming "
        "the first entry out of order."
    ),
)
def abo021(ctx: Context) -> pd.DataFrame:
    """Dates are found with one vectorised ``str.extractall`` over all summaries. Only the forms
    RULES.md names open an entry (``/`` separators); a two-digit year (``12/03/25``) opens none,
    and an impossible date (31/02) is skipped. One finding per line, at the first entry that is
    later than the (valid) entry above it."""
    l = abo_lines(ctx.table("lijnen"), ctx)
    e = entry_dates(l["samenvatting"], l["startdatum"])
    if e.empty:
        return offending(l, pd.Series(False, index=l.index))
    e = e.rename_axis("_row").reset_index()
    e["_prev"] = e.groupby("_row", sort=False)["date"].shift(1)
    bad = e[(e["date"] > e["_prev"]).to_numpy()]
    bad = bad.drop_duplicates("_row")
    hit = l.loc[bad["_row"].to_numpy()]
    return offending(
        hit,
        None,
        stap=hit["stap"],
        startdatum=hit["startdatum"],
        datum=pd.Series(bad["date"].to_numpy(), index=hit.index),
        item=pd.Series(bad["entry"].to_numpy() + 1, index=hit.index),
        datum_erboven=pd.Series(bad["_prev"].to_numpy(), index=hit.index),
    )


RULES = [abo001, abo002, abo003, abo004, abo005, abo006, abo007, abo008, abo019, abo020, abo021]
