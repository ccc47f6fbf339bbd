"""IBB001-IBB004: the absence flow of the first appointments (seed 003 §2.1.1, Bijlage 1 and 2).

The flow runs on the sequence of first appointments of each service (type ``Eerste afspraak
voor bemiddeling bij partner``, ordered by datum, ties by source order). Reading of the manual
(003 §2.1.1 "Klant is afwezig"), which these rules follow:

- 1st absence without (valid) reason -> the next appointment is sent by registered letter;
  absent again without valid reason -> the service stops (Optie 1);
  absent again *with a valid reason* -> recorded as 'afwezig – geldige reden' and a new
  registered appointment follows (Optie 2); absent a third time -> the service stops;
- 1st absence with a valid reason -> a new (ordinary) appointment; absent again (any reason)
  -> a registered appointment; absent on that one (any reason) -> recorded as 'ongeldige
  reden', the service stops.

So the service stops at the first absence on a registered appointment that is without valid
reason or is the third absence (or later); a 'geldige reden' absence on a registered
appointment is correct only while it is the first or second absence.

RULES.md words IBB003 as "absence (any reason)" and IBB004 without a condition; read that way,
the manual's own "Optie 2" flow would be an error. Where the two disagree we follow the manual
(developers' guide: the reading the manual supports), so IBB003/IBB004 exempt a 'geldige reden'
absence on a registered appointment while it is the first or second absence.
"""

from __future__ import annotations

import pandas as pd

from dossiercheck.checks.ibb.service import (
    first_appointments,
    lookup,
    ordinal_en,
    ordinal_nl,
    primary,
    rid_lists,
    services,
)
from dossiercheck.checks.rule import ERROR, WARNING, Context, rule

SRC = "003 §2.1.1 Klant is afwezig"
OPT_SERVICES = {"services": ("tender", "toeleiding")}
GELDIG = "Afwezig - geldige reden"
INVALID = ("Afwezig - ongeldige reden", "Afwezig - geen reden")


def _prev(fa: pd.DataFrame, col: str) -> pd.Series:
    return fa.groupby("_g", sort=False)[col].shift(1)


def _registered(fa: pd.DataFrame) -> pd.Series:
    return fa["aangetekend"].astype("boolean").fillna(False).astype(bool)


def _dedupe(out: pd.DataFrame) -> pd.DataFrame:
    """An appointment-level finding once per appointment (it may belong to two services when one
    of the client's services has no toeleiding)."""
    return out.drop_duplicates("_rid").reset_index(drop=True)


@rule(
    code="IBB001",
    severity=WARNING,
    needs={"contacten": ("datum", "type", "resultaat", "aangemaakt_op")},
    optional=OPT_SERVICES,
    title_nl="Nieuwe eerste afspraak niet binnen 7 kalenderdagen vastgelegd",
    title_en="New first appointment not scheduled within 7 calendar days",
    hint_nl=(
        "Is de klant niet aanwezig op de eerste afspraak, plan dan een nieuw contact in: we streven ernaar om "
        "binnen de 7 kalenderdagen een nieuwe afspraak vast te leggen (de afspraak zelf ligt eventueel buiten "
        "die week)."
    ),
    hint_en=(
        "When the client does not attend the first appointment, schedule a new contact: aim to fix a new "
        "appointment within 7 calendar days (the appointment itself may fall outside that week)."
    ),
    message_nl=(
        "De {nr} eerste afspraak ({datum}) werd pas ingepland op {aangemaakt_op}, {dagen} dagen na de afwezigheid "
        "op de {vorige_nr} eerste afspraak ({vorige_datum}); dat moet binnen {termijn} kalenderdagen."
    ),
    message_en=(
        "The {nr_en} first appointment ({datum}) was only scheduled on {aangemaakt_op}, {dagen} days after the "
        "absence at the {vorige_nr_en} first appointment ({vorige_datum}); it must be within {termijn} calendar days."
    ),
    source=SRC,
    logic=(
        "After a first appointment with resultaat `Afwezig …`, the next first appointment has aangemaakt_op more "
        "than 7 calendar days after the absent one's datum (the new appointment itself may be later)."
    ),
    config_keys=("ibb.first_appointment_type", "ibb.reschedule_days"),
)
def ibb001(ctx: Context) -> pd.DataFrame:
    fa = first_appointments(ctx)
    limit = int(ctx.cfg("ibb.reschedule_days"))
    prev_abs = _prev(fa, "_absent").astype("boolean").fillna(False).astype(bool)
    prev_datum = _prev(fa, "datum")
    days = (fa["aangemaakt_op"] - prev_datum).dt.days
    m = (prev_abs & (days > limit).fillna(False)).to_numpy()
    sub, pd_, pn = fa[m], prev_datum[m], fa["_n"][m] - 1
    out = pd.DataFrame(
        {
            "_rid": sub["_rid"].to_numpy(),
            "_rids": rid_lists(_prev(fa, "_rid")[m], sub["_rid"]),
            "nr": ordinal_nl(sub["_n"]).to_numpy(),
            "nr_en": ordinal_en(sub["_n"]).to_numpy(),
            "datum": sub["datum"].to_numpy(),
            "aangemaakt_op": sub["aangemaakt_op"].to_numpy(),
            "dagen": days[m].astype("int64").to_numpy(),
            "vorige_nr": ordinal_nl(pn).to_numpy(),
            "vorige_nr_en": ordinal_en(pn).to_numpy(),
            "vorige_datum": pd_.to_numpy(),
            "termijn": limit,
        }
    )
    return _dedupe(out)


@rule(
    code="IBB002",
    severity=ERROR,
    needs={"contacten": ("datum", "type", "resultaat", "aangetekend")},
    optional=OPT_SERVICES,
    title_nl="Eerste afspraak niet aangetekend verstuurd",
    title_en="First appointment not sent by registered letter",
    hint_nl=(
        "Daagt de burger zonder te verwittigen of zonder geldige reden niet op, of is hij 2 maal afwezig ongeacht "
        "de reden, dan verstuur je binnen de 7 dagen een nieuwe, aangetekende afspraak (het gaat nog steeds om een "
        "toeleidingsafspraak)."
    ),
    hint_en=(
        "When the citizen does not show up without notice or without a valid reason, or has been absent twice "
        "whatever the reason, send a new appointment by registered letter within 7 days (it is still a referral "
        "appointment)."
    ),
    message_nl="De {nr} eerste afspraak ({datum}) is niet aangetekend verstuurd, terwijl dat moet {reden}.",
    message_en="The {nr_en} first appointment ({datum}) was not sent by registered letter, as it must be {reason}.",
    source=SRC,
    logic=(
        "A first appointment that must be registered (aangetekend) is not: the one after an absence `Afwezig - "
        "ongeldige reden` or `Afwezig - geen reden`, and the one after the second absence of any reason."
    ),
    config_keys=("ibb.first_appointment_type",),
)
def ibb002(ctx: Context) -> pd.DataFrame:
    fa = first_appointments(ctx)
    prev_res = _prev(fa, "resultaat").astype("string")
    prev_invalid = prev_res.isin(INVALID).fillna(False).astype(bool)
    prev_second = (
        _prev(fa, "_absent").astype("boolean").fillna(False).astype(bool)
        & (_prev(fa, "_absno").astype("Float64") == 2).fillna(False).astype(bool)
    )
    m = ((prev_invalid | prev_second) & ~_registered(fa)).to_numpy()
    sub = fa[m]
    pn = sub["_n"] - 1
    inv, res = prev_invalid[m], prev_res[m].fillna("")
    nl = ("na de afwezigheid '" + res + "' op de " + ordinal_nl(pn) + " eerste afspraak").where(
        inv, "na de tweede afwezigheid (" + ordinal_nl(pn) + " eerste afspraak)"
    )
    en = ("after the absence '" + res + "' at the " + ordinal_en(pn) + " first appointment").where(
        inv, "after the second absence (" + ordinal_en(pn) + " first appointment)"
    )
    out = pd.DataFrame(
        {
            "_rid": sub["_rid"].to_numpy(),
            "_rids": rid_lists(_prev(fa, "_rid")[m], sub["_rid"]),
            "nr": ordinal_nl(sub["_n"]).to_numpy(),
            "nr_en": ordinal_en(sub["_n"]).to_numpy(),
            "datum": sub["datum"].to_numpy(),
            "reden": nl.to_numpy(),
            "reason": en.to_numpy(),
        }
    )
    return _dedupe(out)


@rule(
    code="IBB003",
    severity=ERROR,
    needs={"contacten": ("datum", "type", "resultaat", "aangetekend"), "services": ("tender", "reden_afsluiting")},
    optional={"services": ("toeleiding",)},
    subject="services",
    title_nl="Service niet gestopt na afwezigheid op de aangetekende afspraak",
    title_en="Service not stopped after absence at the registered appointment",
    hint_nl=(
        "Daagt de burger niet op voor de aangetekende afspraak, dan stopt de service automatisch en vertrekt er een "
        "signaal naar de VDAB-bemiddelaar dat de service geweigerd is wegens afwezigheid. Plan geen nieuwe eerste "
        "afspraak meer in; de service wordt afgesloten met reden 'afwezigheid'."
    ),
    hint_en=(
        "When the citizen does not show up for the registered appointment, the service stops automatically and the "
        "VDAB mediator is signalled that the service was refused for absence. Do not plan a new first appointment; "
        "the service is closed with reason 'afwezigheid'."
    ),
    message_nl=(
        "Service {tender}: de klant was afwezig op de {stop_nr} eerste afspraak ({stop_datum}, aangetekend, "
        "'{stop_resultaat}'), waar de service stopt, maar {probleem}."
    ),
    message_en=(
        "Service {tender}: the client was absent at the {stop_nr_en} first appointment ({stop_datum}, registered, "
        "'{stop_resultaat}'), where the service stops, but {problem}."
    ),
    source="003 §2.1.1, §4.1",
    logic=(
        "The service has an absence (any reason) on a registered (aangetekend) first appointment, and then either a "
        "further first appointment follows, or the service's reden_afsluiting is not `afwezigheid` (empty "
        "included): the service stops at that absence. One finding per service."
    ),
    config_keys=("ibb.first_appointment_type",),
)
def ibb003(ctx: Context) -> pd.DataFrame:
    """Deviation from RULES.md's wording "absence (any reason)", following the manual (003 §2.1.1
    Optie 2: "Indien de burger niet opdaagt, maar wel een geldige reden heeft voor de
    afwezigheid, wordt de afspraak afgewerkt met 'afwezig – geldige reden' en wordt binnen de 7
    dagen een nieuwe aangetekende afspraak vastgelegd"): an absence with a valid reason on a
    registered appointment does not stop the service while it is the first or second absence.
    The stopping absence is the first absence on a registered appointment that is without valid
    reason, or is the third absence or later. Only services of the ``services`` table (a client
    without a service row has no reden_afsluiting to judge)."""
    fa = first_appointments(ctx)
    fa = fa[fa["_svc"] >= 0]
    res = fa["resultaat"].astype("string")
    stop = fa["_absent"] & _registered(fa) & ((res != GELDIG).fillna(True) | (fa["_absno"] >= 3))
    stops = fa[stop.to_numpy()].drop_duplicates("_g")
    stop_n = lookup(stops.set_index("_g")["_n"], fa["_g"])
    further = fa[(fa["_n"] > stop_n).fillna(False).to_numpy()].drop_duplicates("_g").set_index("_g")
    s = services(ctx)
    sv = stops.merge(s[["_svc", "tender", "reden_afsluiting"]], on="_svc", how="inner", suffixes=("", "_s"))
    f_n = lookup(further["_n"], sv["_g"])
    f_datum = lookup(further["datum"], sv["_g"])
    f_rid = lookup(further["_rid"], sv["_g"])
    reden = sv["reden_afsluiting"].astype("string")
    wrong_reason = (reden != "afwezigheid").fillna(True).astype(bool)
    has_further = f_n.notna()
    fire = (has_further | wrong_reason).to_numpy()
    sv, f_n, f_datum, f_rid, reden, wrong_reason, has_further = (
        x[fire] for x in (sv, f_n, f_datum, f_rid, reden, wrong_reason, has_further)
    )
    fn_i = f_n.fillna(0).astype("int64")
    fdat = f_datum.dt.strftime("%d/%m/%Y").astype("string").fillna("")
    rtxt = reden.fillna("")
    p_further_nl = ("daarna volgt nog de " + ordinal_nl(fn_i) + " eerste afspraak (" + fdat + ")").where(has_further, "")
    p_further_en = ("the " + ordinal_en(fn_i) + " first appointment (" + fdat + ") still follows").where(has_further, "")
    p_reason_nl = ("de reden van afsluiting is '" + rtxt + "' in plaats van 'afwezigheid'").where(
        rtxt != "", "de reden van afsluiting is niet 'afwezigheid' (leeg)"
    ).where(wrong_reason, "")
    p_reason_en = ("the closing reason is '" + rtxt + "' instead of 'afwezigheid'").where(
        rtxt != "", "the closing reason is not 'afwezigheid' (empty)"
    ).where(wrong_reason, "")
    both = has_further & wrong_reason
    nl = p_further_nl + pd.Series(" en ", index=sv.index).where(both, "") + p_reason_nl
    en = p_further_en + pd.Series(" and ", index=sv.index).where(both, "") + p_reason_en
    return pd.DataFrame(
        {
            "_rid": primary(sv["_svc"], sv["_rid"]),
            "_rids": rid_lists(sv["_svc"], sv["_rid"], f_rid),
            "_key": sv["_skey"].to_numpy(),
            "tender": sv["tender"].to_numpy(),
            "stop_nr": ordinal_nl(sv["_n"]).to_numpy(),
            "stop_nr_en": ordinal_en(sv["_n"]).to_numpy(),
            "stop_datum": sv["datum"].to_numpy(),
            "stop_resultaat": sv["resultaat"].to_numpy(),
            "probleem": nl.to_numpy(),
            "problem": en.to_numpy(),
        }
    )


@rule(
    code="IBB004",
    severity=WARNING,
    needs={"contacten": ("datum", "type", "resultaat", "aangetekend")},
    optional=OPT_SERVICES,
    title_nl="Afwezigheid op aangetekende afspraak afgewerkt met 'geldige reden'",
    title_en="Absence at registered appointment recorded with 'valid reason'",
    hint_nl=(
        "Daagt de burger opnieuw niet op voor de aangetekende afspraak, zowel bij geldige als ongeldige reden, werk "
        "die aangetekende afspraak dan af met 'afwezig – ongeldige reden'. De service stopt automatisch."
    ),
    hint_en=(
        "When the citizen again does not show up for the registered appointment, with or without a valid reason, "
        "record that registered appointment as 'afwezig – ongeldige reden'. The service stops automatically."
    ),
    message_nl=(
        "De {nr} eerste afspraak ({datum}, aangetekend) is de {afwezigheid} afwezigheid en werd afgewerkt met "
        "'geldige reden': werk ze af met 'ongeldige reden'."
    ),
    message_en=(
        "The {nr_en} first appointment ({datum}, registered) is absence no. {absence} and was recorded with "
        "'geldige reden': record it as 'ongeldige reden'."
    ),
    source=SRC,
    logic="A registered (aangetekend) first appointment with resultaat `Afwezig - geldige reden`: it must be recorded as `ongeldige reden`.",
    config_keys=("ibb.first_appointment_type",),
)
def ibb004(ctx: Context) -> pd.DataFrame:
    """Narrowed to the third absence or later, following the manual: 003 §2.1.1 Optie 2 records a
    registered second appointment missed with a valid reason as 'afwezig – geldige reden' and
    sends a new registered appointment; only the registered appointment after two absences is
    recorded as 'ongeldige reden' whatever the reason ("Indien de burger opnieuw niet opdaagt,
    zowel bij geldige als ongeldige reden, werk je die aangetekende afspraak af met 'ongeldige
    reden'")."""
    fa = first_appointments(ctx)
    res = fa["resultaat"].astype("string")
    m = (_registered(fa) & (res == GELDIG).fillna(False).astype(bool) & (fa["_absno"] >= 3)).to_numpy()
    sub = fa[m]
    out = pd.DataFrame(
        {
            "_rid": sub["_rid"].to_numpy(),
            "nr": ordinal_nl(sub["_n"]).to_numpy(),
            "nr_en": ordinal_en(sub["_n"]).to_numpy(),
            "datum": sub["datum"].to_numpy(),
            "afwezigheid": ordinal_nl(sub["_absno"]).to_numpy(),
            "absence": sub["_absno"].astype("int64").to_numpy(),
        }
    )
    return _dedupe(out)
