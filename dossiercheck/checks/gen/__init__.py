"""GEN — every registration line (RULES.md "GEN"), the first cross-row rules."""

from __future__ import annotations

import pandas as pd

from dossiercheck.checks.lines import prepare_lines
from dossiercheck.checks.rule import ERROR, WARNING, Context, offending, rule

CONFIG = {"gen": {"edit_grace_days": 14}}


def prepare(tables: dict[str, pd.DataFrame], config: dict, P: pd.Timestamp) -> None:
    prepare_lines(tables, config, P)


@rule(
    code="GEN001",
    severity=ERROR,
    needs={"lijnen": ("toestand", "startdatum", "einddatum")},
    title_nl="Einddatum ligt voor de startdatum",
    title_en="End date before start date",
    hint_nl="Corrigeer de start- of einddatum van de lijn: de einddatum kan niet voor de startdatum liggen.",
    hint_en="Correct the line's start or end date: the end date cannot precede the start date.",
    message_nl="Lijn '{stap}': einddatum {einddatum} ligt voor startdatum {startdatum}.",
    message_en="Line '{stap}': end date {einddatum} is before start date {startdatum}.",
    source="001 §2",
    logic="Active line with einddatum < startdatum.",
)
def gen001(ctx: Context) -> pd.DataFrame:
    l = ctx.table("lijnen")
    m = l["active"] & (l["einddatum"] < l["startdatum"])
    return offending(l, m, stap=l.get("stap"), einddatum=l["einddatum"], startdatum=l["startdatum"])


@rule(
    code="GEN002",
    severity=ERROR,
    needs={"lijnen": ("toestand", "einddatum")},
    title_nl="Afgesloten lijn zonder einddatum",
    title_en="Closed line without end date",
    hint_nl="Vul de einddatum van de begeleiding in wanneer je de lijn afsluit (toestand Beëindigd).",
    hint_en="Fill in the end date of the guidance when you close the line.",
    message_nl="Lijn '{stap}' staat op {toestand} maar heeft geen einddatum.",
    message_en="Line '{stap}' is {toestand} but has no end date.",
    source="000 §2.3.1, 001 §2.1",
    logic="Closed line without einddatum.",
)
def gen002(ctx: Context) -> pd.DataFrame:
    l = ctx.table("lijnen")
    m = l["closed"] & l["einddatum"].isna()
    return offending(l, m, stap=l.get("stap"), toestand=l["toestand"])


@rule(
    code="GEN003",
    severity=WARNING,
    needs={"lijnen": ("toestand", "einddatum")},
    title_nl="Lopende lijn met einddatum",
    title_en="Open line with an end date",
    hint_nl="Laat de einddatum leeg zolang de begeleiding bezig is; vul ze pas in wanneer je de lijn afsluit.",
    hint_en="Leave the end date empty while the guidance is ongoing; fill it in only when closing the line.",
    message_nl="Lijn '{stap}' staat op Bezig maar heeft al einddatum {einddatum}.",
    message_en="Line '{stap}' is Bezig but already has end date {einddatum}.",
    source="001 §2 \"Laat deze datum staan, zolang de begeleiding bezig is\"",
    logic="Open line (`Bezig`) with an einddatum filled in.",
)
def gen003(ctx: Context) -> pd.DataFrame:
    l = ctx.table("lijnen")
    m = l["open"] & l["einddatum"].notna()
    return offending(l, m, stap=l.get("stap"), einddatum=l["einddatum"])


@rule(
    code="GEN004",
    severity=WARNING,
    needs={"lijnen": ("toestand", "startdatum")},
    title_nl="Startdatum in de toekomst",
    title_en="Start date in the future",
    hint_nl="Registreer een lijn pas met de werkelijke startdatum van de begeleiding; controleer de datum.",
    hint_en="Register a line with the actual start date of the guidance; check the date.",
    message_nl="Lijn '{stap}' start op {startdatum}, na de peildatum {peildatum}.",
    message_en="Line '{stap}' starts on {startdatum}, after the reference date {peildatum}.",
    source="RULES.md GEN004",
    logic="Active line with startdatum > P.",
)
def gen004(ctx: Context) -> pd.DataFrame:
    l = ctx.table("lijnen")
    m = l["active"] & (l["startdatum"] > ctx.peildatum)
    return offending(l, m, stap=l.get("stap"), startdatum=l["startdatum"], peildatum=ctx.peildatum)


@rule(
    code="GEN005",
    severity=WARNING,
    needs={"lijnen": ("toestand", "einddatum", "laatst_gewijzigd")},
    title_nl="Afgesloten lijn later nog gewijzigd",
    title_en="Closed line edited later",
    hint_nl=(
        "Na het afsluiten kan je alleen de samenvatting nog 14 dagen aanvullen. Moet een foutieve, reeds "
        "afgesloten lijn verwijderd worden, neem dan contact op met de provinciale coach klantendossier - partners "
        "via het contactformulier op Extranet."
    ),
    hint_en=(
        "After closing, only the summary may be added to, for 14 days. To have a wrongly closed line removed, "
        "contact the provincial coach (client dossier - partners) through the Extranet contact form."
    ),
    message_nl="Lijn '{stap}' ({toestand}, einde {einddatum}) werd nog gewijzigd op {laatst_gewijzigd}, {dagen} dagen na het einde.",
    message_en="Line '{stap}' ({toestand}, ended {einddatum}) was edited on {laatst_gewijzigd}, {dagen} days after the end.",
    source="000 §2.3.2, 001 §2.1, 002 §4.1",
    logic=(
        "Line with toestand `Beëindigd` or `Stopgezet` and laatst_gewijzigd > einddatum + 14 days. `Uitgevoerd` "
        "is set by the system a month after the end and is left to OUT004."
    ),
    config_keys=("gen.edit_grace_days",),
)
def gen005(ctx: Context) -> pd.DataFrame:
    l = ctx.table("lijnen")
    grace = pd.Timedelta(days=int(ctx.cfg("gen.edit_grace_days")))
    m = l["toestand"].isin(["Beëindigd", "Stopgezet"]) & (l["laatst_gewijzigd"] > l["einddatum"] + grace)
    days = (l["laatst_gewijzigd"] - l["einddatum"]).dt.days
    return offending(
        l,
        m,
        stap=l.get("stap"),
        toestand=l["toestand"],
        einddatum=l["einddatum"],
        laatst_gewijzigd=l["laatst_gewijzigd"],
        dagen=days,
    )


RULES = [gen001, gen002, gen003, gen004, gen005]
