"""IBB005-IBB008: first agreement sheet and start of the mediation process (003 §2.2, §2.3)."""

from __future__ import annotations

import pandas as pd

from dossiercheck.checks.ibb.service import (
    first_appointments,
    lookup,
    members,
    ordinal_en,
    ordinal_nl,
    primary,
    rid_lists,
    services,
)
from dossiercheck.checks.rule import ERROR, WARNING, Context, rule
from dossiercheck.text import isin

OPT_SERVICES = {"services": ("tender", "toeleiding")}
FIRST = ("datum", "type", "resultaat")


def first_present(ctx: Context) -> pd.DataFrame:
    """Per service, its first first appointment with resultaat ``Aanwezig``."""
    fa = first_appointments(ctx)
    pres = fa[(fa["resultaat"].astype("string") == "Aanwezig").fillna(False).to_numpy()]
    return pres.drop_duplicates("_g").reset_index(drop=True)


def _sheets_after(ctx: Context, a: pd.DataFrame) -> pd.DataFrame:
    """The service's afsprakenbladen dated on or after its first ``Aanwezig`` appointment, in order,
    with ``_dagen`` (days after that appointment)."""
    ab = members(ctx, "afsprakenbladen")
    j = a[["_g", "datum", "_rid"]].rename(columns={"datum": "_a_datum", "_rid": "_a_rid"}).merge(ab, on="_g")
    j["_dagen"] = (j["datum"] - j["_a_datum"]).dt.days
    return j[j["_dagen"] >= 0].sort_values(["_g", "datum", "_rid"], kind="stable")


@rule(
    code="IBB005",
    severity=ERROR,
    needs={"contacten": FIRST, "afsprakenbladen": ("datum",)},
    optional=OPT_SERVICES,
    title_nl="Eerste afsprakenblad niet binnen 15 kalenderdagen",
    title_en="First agreement sheet not within 15 calendar days",
    hint_nl=(
        "Het eerste afsprakenblad tussen partner-bemiddelaar en deelnemer wordt ten laatste 15 kalenderdagen na "
        "aanwezigheid op het eerste contact afgesloten: maak het op via 'werkpunten' en 'mail afsprakenblad' of "
        "'print afsprakenblad'."
    ),
    hint_en=(
        "The first agreement sheet between partner mediator and participant is concluded at the latest 15 calendar "
        "days after attendance at the first contact: draw it up via 'werkpunten' and 'mail/print afsprakenblad'."
    ),
    message_nl=(
        "Geen afsprakenblad binnen {termijn} kalenderdagen na de aanwezigheid op de {nr} eerste afspraak "
        "({datum}): {toelichting}."
    ),
    message_en=(
        "No agreement sheet within {termijn} calendar days after attendance at the {nr_en} first appointment "
        "({datum}): {explanation}."
    ),
    source="003 §2.2",
    logic=(
        "Service whose first `Aanwezig` first appointment has no afsprakenblad dated within 15 calendar days after "
        "it (same day counts; an afsprakenblad dated later than that counts as late and is named in the message)."
    ),
    config_keys=("ibb.first_appointment_type", "ibb.afsprakenblad_days"),
)
def ibb005(ctx: Context) -> pd.DataFrame:
    """Not yet a finding while the 15 days are still running (P ≤ appointment + 15 days and no
    sheet yet): the deadline has not passed."""
    limit = int(ctx.cfg("ibb.afsprakenblad_days"))
    a = first_present(ctx)
    j = _sheets_after(ctx, a)
    in_time = j.loc[j["_dagen"] <= limit, "_g"].unique()
    late = j[j["_dagen"] > limit].drop_duplicates("_g").set_index("_g")
    due = (ctx.peildatum - a["datum"]).dt.days > limit
    a = a[~isin(a["_g"], pd.Series(in_time, dtype=a["_g"].dtype)) & due.to_numpy()]
    l_datum, l_dagen, l_rid = (lookup(late[c], a["_g"]) for c in ("datum", "_dagen", "_rid"))
    has_late = l_datum.notna()
    ltxt = l_datum.dt.strftime("%d/%m/%Y").astype("string").fillna("")
    dtxt = l_dagen.astype("Int64").astype("string").fillna("")
    nl = ("het eerste afsprakenblad daarna dateert pas van " + ltxt + " (" + dtxt + " dagen, te laat)").where(
        has_late, "er is geen afsprakenblad op of na die dag"
    )
    en = ("the first agreement sheet after it is only dated " + ltxt + " (" + dtxt + " days, late)").where(
        has_late, "there is no agreement sheet on or after that day"
    )
    return pd.DataFrame(
        {
            "_rid": primary(a["_svc"], a["_rid"]),
            "_rids": rid_lists(a["_svc"], a["_rid"], l_rid),
            "_key": a["_skey"].to_numpy(),
            "nr": ordinal_nl(a["_n"]).to_numpy(),
            "nr_en": ordinal_en(a["_n"]).to_numpy(),
            "datum": a["datum"].to_numpy(),
            "termijn": limit,
            "laat": l_datum.to_numpy(),
            "dagen": l_dagen.astype("Int64").to_numpy(),
            "toelichting": nl.to_numpy(),
            "explanation": en.to_numpy(),
        }
    )


@rule(
    code="IBB006",
    severity=ERROR,
    needs={"afsprakenbladen": ("datum", "ondertekend"), "contacten": FIRST},
    optional=OPT_SERVICES,
    title_nl="Eerste afsprakenblad niet ondertekend",
    title_en="First agreement sheet not signed",
    hint_nl=(
        "Het eerste afsprakenblad wordt ondertekend door zowel de opdrachtnemer als de deelnemer (er is geen aparte "
        "ruimte voor de handtekening: plaats ze gewoon onderaan het eerste afsprakenblad)."
    ),
    hint_en=(
        "The first agreement sheet is signed by both the contractor and the participant (there is no separate space "
        "for the signature: put it at the bottom of the first agreement sheet)."
    ),
    message_nl="Het eerste afsprakenblad ({datum}) na de aanwezigheid op de {nr} eerste afspraak ({afspraak}) is niet ondertekend.",
    message_en="The first agreement sheet ({datum}) after attendance at the {nr_en} first appointment ({afspraak}) is not signed.",
    source="003 §2.2",
    logic="The first afsprakenblad after the first `Aanwezig` first appointment is not ondertekend.",
    config_keys=("ibb.first_appointment_type",),
)
def ibb006(ctx: Context) -> pd.DataFrame:
    """"After" includes the day of the appointment itself (as IBB005's window). The finding points
    at the afsprakenblad."""
    a = first_present(ctx)
    j = _sheets_after(ctx, a).drop_duplicates("_g")
    j = j[~j["ondertekend"].astype("boolean").fillna(False).astype(bool).to_numpy()]
    n = lookup(a.set_index("_g")["_n"], j["_g"])
    out = pd.DataFrame(
        {
            "_rid": j["_rid"].to_numpy(),
            "_rids": rid_lists(j["_rid"], j["_a_rid"]),
            "datum": j["datum"].to_numpy(),
            "nr": ordinal_nl(n).to_numpy(),
            "nr_en": ordinal_en(n).to_numpy(),
            "afspraak": j["_a_datum"].to_numpy(),
        }
    )
    return out.drop_duplicates("_rid").reset_index(drop=True)


@rule(
    code="IBB007",
    severity=ERROR,
    needs={"services": ("tender", "start_bemiddeling"), "contacten": FIRST},
    optional={"services": ("toeleiding",)},
    title_nl="Bemiddelingsproces gestart zonder aanwezigheid op de eerste afspraak",
    title_en="Mediation process started without attendance at the first appointment",
    hint_nl=(
        "Pas als je de eerste afspraak hebt afgewerkt met 'aanwezig', wordt de link 'start bemiddelingsproces' "
        "zichtbaar. Werk de eerste afspraak af met 'aanwezig' voor je het bemiddelingsproces start, en controleer "
        "de startdatum."
    ),
    hint_en=(
        "Only once the first appointment is recorded as 'aanwezig' does the link 'start bemiddelingsproces' appear. "
        "Record the first appointment as attended before starting the mediation process, and check the start date."
    ),
    message_nl="Service {tender}: bemiddelingsproces gestart op {start_bemiddeling}, maar {toelichting}.",
    message_en="Service {tender}: mediation process started on {start_bemiddeling}, but {explanation}.",
    source="003 §2.3",
    logic="Service with start_bemiddeling but no first appointment `Aanwezig` dated ≤ start_bemiddeling.",
    config_keys=("ibb.first_appointment_type",),
)
def ibb007(ctx: Context) -> pd.DataFrame:
    s = services(ctx)
    s = s[s["start_bemiddeling"].notna()]
    a = first_present(ctx)
    a = a[a["_svc"] >= 0].set_index("_svc")
    a_datum, a_rid = lookup(a["datum"], s["_svc"]), lookup(a["_rid"], s["_svc"])
    m = ~(a_datum <= s["start_bemiddeling"]).fillna(False).astype(bool)
    s, a_datum, a_rid = s[m], a_datum[m], a_rid[m]
    has = a_datum.notna()
    dtxt = a_datum.dt.strftime("%d/%m/%Y").astype("string").fillna("")
    nl = ("de eerste aanwezigheid op een eerste afspraak is pas op " + dtxt).where(
        has, "er is geen eerste afspraak afgewerkt met 'Aanwezig'"
    )
    en = ("the first attended first appointment is only on " + dtxt).where(has, "no first appointment is recorded as 'Aanwezig'")
    return pd.DataFrame(
        {
            "_rid": s["_rid"].to_numpy(),
            "_rids": rid_lists(s["_rid"], a_rid),
            "_key": s["_skey"].to_numpy(),
            "tender": s["tender"].to_numpy(),
            "start_bemiddeling": s["start_bemiddeling"].to_numpy(),
            "eerste_aanwezig": a_datum.to_numpy(),
            "toelichting": nl.to_numpy(),
            "explanation": en.to_numpy(),
        }
    )


@rule(
    code="IBB008",
    severity=WARNING,
    needs={"services": ("tender", "start_bemiddeling"), "afsprakenbladen": ("datum",)},
    optional={"services": ("toeleiding",)},
    title_nl="Bemiddelingsproces gestart voor het eerste afsprakenblad",
    title_en="Mediation process started before the first agreement sheet",
    hint_nl=(
        "Klik pas op de link 'start bemiddelingsproces' nadat je het eerste afsprakenblad hebt opgemaakt en een "
        "nieuw contact hebt ingepland."
    ),
    hint_en=(
        "Click 'start bemiddelingsproces' only after drawing up the first agreement sheet and scheduling a new "
        "contact."
    ),
    message_nl="Service {tender}: bemiddelingsproces gestart op {start_bemiddeling}, voor het eerste afsprakenblad van {afsprakenblad}.",
    message_en="Service {tender}: mediation process started on {start_bemiddeling}, before the first agreement sheet of {afsprakenblad}.",
    source="003 §2.3",
    logic=(
        "start_bemiddeling earlier than the service's first afsprakenblad (no afsprakenblad at all is IBB005's "
        "business, not this rule's)."
    ),
)
def ibb008(ctx: Context) -> pd.DataFrame:
    s = services(ctx)
    s = s[s["start_bemiddeling"].notna()]
    ab = members(ctx, "afsprakenbladen")
    first = ab[ab["_svc"] >= 0].drop_duplicates("_g").set_index("_svc")
    f_datum, f_rid = lookup(first["datum"], s["_svc"]), lookup(first["_rid"], s["_svc"])
    m = (s["start_bemiddeling"] < f_datum).fillna(False).astype(bool)
    s, f_datum, f_rid = s[m], f_datum[m], f_rid[m]
    return pd.DataFrame(
        {
            "_rid": s["_rid"].to_numpy(),
            "_rids": rid_lists(s["_rid"], f_rid),
            "_key": s["_skey"].to_numpy(),
            "tender": s["tender"].to_numpy(),
            "start_bemiddeling": s["start_bemiddeling"].to_numpy(),
            "afsprakenblad": f_datum.to_numpy(),
        }
    )
