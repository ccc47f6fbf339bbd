"""OAL — ondersteuning alternerend leren (RULES.md "OAL", seed 001)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dossiercheck.checks.abo.common import lookup
from dossiercheck.checks.rule import ERROR, Context, offending, rows_where, rule
from dossiercheck.text import equals_text

CONFIG = {
    "oal": {
        # OAL002: the results a closed OAL line may carry.
        "allowed_results": ["Positief resultaat", "Negatief resultaat"],
        # OAL003: the states an OAL line may take.
        "allowed_states": ["Bezig", "Beëindigd", "Geannuleerd"],
    }
}


def oal_lines(lijnen: pd.DataFrame, active: bool = True) -> pd.DataFrame:
    m = (lijnen["programme"] == "oal").fillna(False).to_numpy()
    if active:
        m &= lijnen["active"].to_numpy()
    return rows_where(lijnen, m)


def active_oal_lines(ctx: Context) -> pd.DataFrame:
    """The active OAL lines of the rule's ``lijnen``, selected once for the rules that see the
    same lines."""
    return ctx.shared("oal_active_lines", ("lijnen",), lambda: oal_lines(ctx.table("lijnen")))


@rule(
    code="OAL001",
    severity=ERROR,
    needs={"lijnen": ("stap", "toestand", "startdatum"), "dossiers": ("diploma_secundair",)},
    optional={"dossiers": ("diploma_datum",)},
    title_nl="Jongere met diploma secundair onderwijs: niet in de doelgroep",
    title_en="Youngster with a secondary-school diploma: not in the target group",
    hint_nl=(
        "Controleer in het klantendossier via het menu 'Profiel' of het diploma secundair onderwijs behaald werd. "
        "De jongere mag bij de start van de begeleiding niet in het bezit zijn van een diploma secundair "
        "onderwijs; jongeren die niet tot de doelgroep behoren, kunnen niet deelnemen aan het ESF-project "
        "'ondersteuning alternerend leren'. Zet een foutief geregistreerde lijn op 'Geannuleerd'."
    ),
    hint_en=(
        "Check in the client dossier (menu 'Profiel') whether the secondary-school diploma was obtained. At the "
        "start of the guidance the youngster may not hold a secondary-school diploma; youngsters outside the "
        "target group cannot take part in the ESF project 'ondersteuning alternerend leren'. Set a wrongly "
        "registered line to 'Geannuleerd'."
    ),
    message_nl=(
        "OAL-lijn '{stap}' (start {startdatum}) voor een jongere met diploma secundair onderwijs "
        "(diplomadatum {diploma_datum})."
    ),
    message_en=(
        "OAL line '{stap}' (start {startdatum}) for a youngster holding a secondary-school diploma "
        "(diploma date {diploma_datum})."
    ),
    source="001 §1.1",
    logic=(
        "Active OAL line for a client with diploma_secundair = true and (diploma_datum empty or diploma_datum ≤ "
        "the line's startdatum): not in the target group. Without a diploma_datum column every diploma counts "
        "as empty. One finding per line (rows: the line and the dossier)."
    ),
)
def oal001(ctx: Context) -> pd.DataFrame:
    """``dossiers.diploma_datum`` is optional: without the column every diploma counts as one with
    an empty date, which RULES.md treats as "not in the target group"."""
    l = active_oal_lines(ctx)
    d = ctx.table("dossiers")
    d = d[d["diploma_secundair"].fillna(False).astype(bool).to_numpy()].drop_duplicates("klantnummer")
    d = d.set_index("klantnummer")
    drid = lookup(l["klantnummer"], d["_rid"])
    if "diploma_datum" in d.columns:
        ddate = lookup(l["klantnummer"], d["diploma_datum"])
    else:
        ddate = pd.Series(pd.NaT, index=l.index, dtype="datetime64[ns]")
    m = drid.notna() & (ddate.isna() | (ddate <= l["startdatum"]))
    out = offending(l, m, stap=l["stap"], startdatum=l["startdatum"], diploma_datum=ddate)
    out["_rids"] = np.stack([l.loc[m, "_rid"].to_numpy("int64"), drid[m].to_numpy("int64")], axis=1).tolist()
    return out


@rule(
    code="OAL002",
    severity=ERROR,
    needs={"lijnen": ("stap", "toestand", "resultaatcode")},
    optional={"lijnen": ("startdatum",)},
    title_nl="OAL-lijn beëindigd zonder positief of negatief resultaat",
    title_en="OAL line closed without a positive or negative result",
    hint_nl=(
        "Kies bij het beëindigen van de begeleiding in het tweede scherm de resultaatcode 'Positief resultaat' "
        "(de jongere zet de opleiding verder of start een andere, is gestopt maar heeft werk, of behaalde een "
        "beroeps- of onderwijskwalificatie) of 'Negatief resultaat' (geen kwalificatie en geen werk, of de "
        "begeleiding wordt stopgezet wegens afwezigheid/onwil/gebrek aan motivatie terwijl de jongere in onderwijs "
        "blijft). Beëindigd is een eindtoestand: laat een foutieve lijn verwijderen via de provinciale coach "
        "klantendossier - partners (contactformulier op Extranet)."
    ),
    hint_en=(
        "When closing the guidance choose the result code 'Positief resultaat' (continues or starts a training, "
        "stopped but has work, or obtained a qualification) or 'Negatief resultaat' (no qualification and no "
        "work, or guidance stopped for absence/unwillingness/lack of motivation while staying in education). "
        "Beëindigd is a final state: have a wrong line removed through the provincial coach (Extranet contact form)."
    ),
    message_nl="OAL-lijn '{stap}' (start {startdatum}) is beëindigd met resultaatcode '{resultaatcode}'; toegelaten: {toegelaten}.",
    message_en="OAL line '{stap}' (start {startdatum}) was closed with result code '{resultaatcode}'; allowed: {toegelaten}.",
    source="001 §2.1",
    logic="OAL line `Beëindigd` whose resultaatcode is not `Positief resultaat` or `Negatief resultaat` (normalised; empty fires).",
    config_keys=("oal.allowed_results",),
)
def oal002(ctx: Context) -> pd.DataFrame:
    l = active_oal_lines(ctx)
    allowed = list(ctx.cfg("oal.allowed_results"))
    m = (l["toestand"] == "Beëindigd").fillna(False) & ~equals_text(l["resultaatcode"], *allowed)
    return offending(
        l,
        m,
        stap=l["stap"],
        startdatum=l["startdatum"] if "startdatum" in l.columns else None,
        resultaatcode=l["resultaatcode"],
        toegelaten=", ".join(allowed),
    )


@rule(
    code="OAL003",
    severity=ERROR,
    needs={"lijnen": ("stap", "toestand")},
    optional={"lijnen": ("startdatum",)},
    title_nl="OAL-lijn met een toestand die niet bestaat voor deze begeleiding",
    title_en="OAL line in a state this guidance does not use",
    hint_nl=(
        "Voor een begeleiding 'Onderwijs ondersteuning alternerend leren' kies je bij toestand uit Bezig, "
        "Beëindigd of Geannuleerd. Bij het beëindigen kies je 'Beëindigd' en vul je de einddatum in. Laat de "
        "foutieve lijn corrigeren of verwijderen via de provinciale coach klantendossier - partners "
        "(contactformulier op Extranet)."
    ),
    hint_en=(
        "For a guidance 'Onderwijs ondersteuning alternerend leren' the state is Bezig, Beëindigd or Geannuleerd. "
        "When ending it choose 'Beëindigd' and fill in the end date. Have the wrong line corrected or removed "
        "through the provincial coach (Extranet contact form)."
    ),
    message_nl="OAL-lijn '{stap}' (start {startdatum}) staat op {toestand}; toegelaten: {toegelaten}.",
    message_en="OAL line '{stap}' (start {startdatum}) is in state {toestand}; allowed: {toegelaten}.",
    source="001 §2",
    logic="OAL line with toestand `Stopgezet` or `Uitgevoerd` (allowed: Bezig, Beëindigd, Geannuleerd).",
    config_keys=("oal.allowed_states",),
)
def oal003(ctx: Context) -> pd.DataFrame:
    l = oal_lines(ctx.table("lijnen"), active=False)
    allowed = list(ctx.cfg("oal.allowed_states"))
    m = l["toestand"].notna() & ~equals_text(l["toestand"], *allowed)
    return offending(
        l,
        m,
        stap=l["stap"],
        startdatum=l["startdatum"] if "startdatum" in l.columns else None,
        toestand=l["toestand"],
        toegelaten=", ".join(allowed),
    )


RULES = [oal001, oal002, oal003]
