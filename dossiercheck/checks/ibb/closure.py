"""IBB009-IBB016: closure of the service and the final advice (003 §4, Bijlage 3 and 4)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dossiercheck.checks.ibb.service import add_months_each, lookup, members, services
from dossiercheck.checks.lines import add_months
from dossiercheck.checks.rule import ERROR, INFO, WARNING, Context, rule

PASSIEF = "3x passieve categorie"
MAXDUUR = "maximum duur"
NIEUWE = "Nieuwe inschatting nodig"


def _s(frame: pd.DataFrame, col: str) -> pd.Series:
    return frame[col].astype("string")


def _eq(frame: pd.DataFrame, col: str, value: str) -> pd.Series:
    return (_s(frame, col) == value).fillna(False).astype(bool)


def _per_service(s: pd.DataFrame, **details) -> pd.DataFrame:
    """A per-service result: the service row, its stable identity, the details."""
    out = pd.DataFrame({"_rid": s["_rid"].to_numpy(), "_key": s["_skey"].to_numpy()})
    for k, v in details.items():
        out[k] = v.loc[s.index].to_numpy() if isinstance(v, pd.Series) else v
    return out


def _fmt_dates(d: pd.Series) -> pd.Series:
    return d.dt.strftime("%d/%m/%Y").astype("string").fillna("")


def min_months(ctx: Context, s: pd.DataFrame) -> pd.Series:
    """Per service, the minimum months of mediation of its tender (``ibb.min_months``)."""
    table = {str(k): int(v) for k, v in dict(ctx.cfg("ibb.min_months")).items()}
    return _s(s, "tender").map(table).astype("Float64")


@rule(
    code="IBB009",
    severity=ERROR,
    needs={"services": ("tender", "start_bemiddeling", "einde_bemiddeling", "reden_afsluiting")},
    optional={"services": ("toeleiding",)},
    title_nl="Service afgesloten voor 6 maanden bemiddeling",
    title_en="Service closed before 6 months of mediation",
    hint_nl=(
        "Een service TIBB4, TIBB4 anderstaligen, SCRABA of SAB3 kan ten vroegste na 6 maanden bemiddeling "
        "afgesloten worden wegens 3x passieve categorie of maximum duurtijd. Controleer de start- en einddatum "
        "van het bemiddelingsproces en de reden van afsluiting."
    ),
    hint_en=(
        "A TIBB4, TIBB4 anderstaligen, SCRABA or SAB3 service can be closed for 3x passive category or maximum "
        "duration only after at least 6 months of mediation. Check the start and end of the mediation process and "
        "the closing reason."
    ),
    message_nl=(
        "Service {tender} afgesloten met reden '{reden}' op {einde_bemiddeling}, minder dan {maanden} maanden na de "
        "start van de bemiddeling ({start_bemiddeling}; ten vroegste {vroegste})."
    ),
    message_en=(
        "Service {tender} closed with reason '{reden}' on {einde_bemiddeling}, less than {maanden} months after the "
        "start of mediation ({start_bemiddeling}; at the earliest {vroegste})."
    ),
    source="003 §4.1",
    logic=(
        "Service (not WIJ3) closed with reden `3x passieve categorie` or `maximum duur` and einde_bemiddeling < "
        "start_bemiddeling + 6 months."
    ),
    config_keys=("ibb.min_months",),
)
def ibb009(ctx: Context) -> pd.DataFrame:
    """The minimum is read per tender from ``ibb.min_months`` (default 6 for every tender but WIJ3,
    which is IBB011's business)."""
    s = services(ctx)
    months = min_months(ctx, s)
    earliest = add_months_each(s["start_bemiddeling"], months)
    m = (
        ~_eq(s, "tender", "WIJ3")
        & _s(s, "reden_afsluiting").isin([PASSIEF, MAXDUUR]).fillna(False).astype(bool)
        & (s["einde_bemiddeling"] < earliest).fillna(False).astype(bool)
    )
    s = s[m]
    return _per_service(
        s,
        tender=s["tender"],
        reden=s["reden_afsluiting"],
        einde_bemiddeling=s["einde_bemiddeling"],
        start_bemiddeling=s["start_bemiddeling"],
        vroegste=earliest,
        maanden=months.astype("Int64"),
    )


@rule(
    code="IBB010",
    severity=ERROR,
    needs={"services": ("tender", "einde_bemiddeling", "reden_afsluiting"), "categorieen": ("maand", "passief")},
    optional={"services": ("toeleiding",)},
    title_nl="Afsluiting '3x passieve categorie' zonder drie passieve maanden",
    title_en="Closure '3x passive category' without three passive months",
    hint_nl=(
        "Sluit de service wegens 3x passieve categorie enkel af als het dossier 3 maanden na elkaar op de laatste "
        "dag van de maand op een passieve categorie gestaan heeft. Controleer de categorie van de klant."
    ),
    hint_en=(
        "Close the service for 3x passive category only when the dossier was in a passive category on the last day "
        "of the month for 3 months in a row. Check the client's category."
    ),
    message_nl=(
        "Service {tender} afgesloten op {einde_bemiddeling} wegens 3x passieve categorie, maar de categorie was niet "
        "passief op {niet_passief}."
    ),
    message_en=(
        "Service {tender} closed on {einde_bemiddeling} for 3x passive category, but the category was not passive "
        "on {not_passive}."
    ),
    source="003 §4.1",
    logic=(
        "Service (not WIJ3) closed with reden `3x passieve categorie` while the categorieen rows for the last day of "
        "each of the three months before the month of einde_bemiddeling are not all passief (a missing month counts "
        "as not passive)."
    ),
    config_keys=("ibb.passive_months",),
)
def ibb010(ctx: Context) -> pd.DataFrame:
    """A month is passive when it has a categorieen row and all its rows are passief. The message
    names the month-ends (last day of each month) that were not passive, oldest first; the
    finding's rows are the service and the categorieen rows of the months checked."""
    s = services(ctx)
    s = s[~_eq(s, "tender", "WIJ3") & _eq(s, "reden_afsluiting", PASSIEF) & s["einde_bemiddeling"].notna()]
    cat = ctx.table("categorieen")
    cat = cat[cat["maand"].notna() & cat["klantnummer"].notna()]
    cat = cat.assign(_p=cat["passief"].astype("boolean").fillna(False).astype(bool))
    per_month = cat.groupby(["klantnummer", "maand"], as_index=False)["_p"].all()
    month0 = s["einde_bemiddeling"].dt.to_period("M").dt.to_timestamp()
    n = int(ctx.cfg("ibb.passive_months"))
    bad_nl = pd.Series("", index=s.index, dtype="string")
    any_bad = pd.Series(False, index=s.index)
    months = []
    for k in range(n, 0, -1):  # the n months before the closing month, oldest first (n is a setting)
        mk = add_months(month0, -k)
        q = pd.DataFrame({"_svc": s["_svc"].to_numpy(), "klantnummer": s["klantnummer"].to_numpy(), "maand": mk.to_numpy()})
        passive = q.merge(per_month, on=["klantnummer", "maand"], how="left")["_p"].fillna(False).astype(bool).to_numpy()
        months.append(q)
        end = _fmt_dates(add_months(mk, 1) - pd.Timedelta(days=1))
        notp = pd.Series(~passive, index=s.index)
        sep = pd.Series(", ", index=s.index, dtype="string").where(any_bad & notp, "")
        bad_nl = bad_nl + sep + end.where(notp, "")
        any_bad = any_bad | notp
    fires = any_bad.to_numpy()
    s = s[fires]
    # the categorieen rows of the months checked, for the services that fire only
    cat_rows = cat[["klantnummer", "maand", "_rid"]]
    used = [q[fires].merge(cat_rows, on=["klantnummer", "maand"])[["_svc", "_rid"]] for q in months]
    out = _per_service(
        s,
        tender=s["tender"],
        einde_bemiddeling=s["einde_bemiddeling"],
        niet_passief=bad_nl,
        not_passive=bad_nl,
    )
    rows = pd.concat([pd.DataFrame({"_svc": s["_svc"], "_rid": s["_rid"]})] + used, ignore_index=True)
    out["_rids"] = lookup(rows.groupby("_svc", sort=False)["_rid"].agg(list), s["_svc"]).to_numpy()
    return out


@rule(
    code="IBB011",
    severity=ERROR,
    needs={"services": ("tender", "einde_bemiddeling", "reden_afsluiting")},
    optional={"services": ("toeleiding", "start_bemiddeling")},
    title_nl="WIJ3-service onterecht of te vroeg afgesloten",
    title_en="WIJ3 service closed wrongly or too early",
    hint_nl=(
        "WIJ3-trajecten worden niet afgesloten bij een passieve categorie van 3 maanden. Een WIJ3-dossier sluit ten "
        "vroegste na 18 maanden bemiddeling en bij het aflopen van de projecten."
    ),
    hint_en=(
        "WIJ3 trajectories are not closed for a passive category of 3 months. A WIJ3 dossier closes at the earliest "
        "after 18 months of mediation and at the end of the projects."
    ),
    message_nl="WIJ3-service afgesloten op {einde_bemiddeling} met reden '{reden}': {probleem}.",
    message_en="WIJ3 service closed on {einde_bemiddeling} with reason '{reden}': {problem}.",
    source="003 §4.2",
    logic=(
        "WIJ3 service closed with reden `3x passieve categorie`, or closed with reden `maximum duur` before "
        "start_bemiddeling + 18 months."
    ),
    config_keys=("ibb.min_months", "ibb.wij3_project_end"),
)
def ibb011(ctx: Context) -> pd.DataFrame:
    """Also, following the manual (003 §4.2 "Voor WIJ3 zal het dossier ten vroegste na 18 maanden
    bemiddeling EN bij het aflopen van de projecten (30/11/2020) afsluiten"): a `maximum duur`
    closure before the projects' end (``ibb.wij3_project_end``, default 2020-11-30) is too early
    as well. Without a start_bemiddeling (cell or column) only the project end is checked."""
    s = services(ctx)
    months = int(ctx.cfg("ibb.min_months")["WIJ3"])
    project_end = pd.Timestamp(ctx.cfg("ibb.wij3_project_end"))
    start = s["start_bemiddeling"] if "start_bemiddeling" in s.columns else pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    earliest = add_months(start, months)
    end = s["einde_bemiddeling"]
    closed = _eq(s, "tender", "WIJ3") & end.notna()
    passive = closed & _eq(s, "reden_afsluiting", PASSIEF)
    maxd = closed & _eq(s, "reden_afsluiting", MAXDUUR)
    too_short = maxd & (end < earliest).fillna(False).astype(bool)
    before_end = maxd & (end < project_end)
    m = passive | too_short | before_end
    etxt, ptxt = _fmt_dates(earliest), project_end.strftime("%d/%m/%Y")
    nl = pd.Series("", index=s.index, dtype="string")
    en = pd.Series("", index=s.index, dtype="string")
    nl = nl.where(~passive, "WIJ3-trajecten worden niet afgesloten bij een passieve categorie")
    en = en.where(~passive, "WIJ3 trajectories are not closed for a passive category")
    nl = nl.where(~too_short, "minder dan " + str(months) + " maanden bemiddeling (ten vroegste " + etxt + ")")
    en = en.where(~too_short, "less than " + str(months) + " months of mediation (at the earliest " + etxt + ")")
    both = too_short & before_end
    nl = nl.where(~before_end, nl + pd.Series("; ", index=s.index).where(both, "") + "voor het aflopen van de projecten (" + ptxt + ")")
    en = en.where(~before_end, en + pd.Series("; ", index=s.index).where(both, "") + "before the end of the projects (" + ptxt + ")")
    s = s[m]
    return _per_service(s, einde_bemiddeling=s["einde_bemiddeling"], reden=s["reden_afsluiting"], probleem=nl, problem=en)


@rule(
    code="IBB012",
    severity=ERROR,
    needs={"services": ("reden_afsluiting", "eindadvies")},
    optional={"services": ("tender", "toeleiding")},
    title_nl="Eindadvies 'Nieuwe inschatting nodig' bij maximum duur",
    title_en="Final advice 'Nieuwe inschatting nodig' at maximum duration",
    hint_nl=(
        "Bij maximum duurtijd zijn er slechts 3 opties: 'Nieuwe inschatting nodig' valt weg. Kies 'Geen nood aan "
        "persoonlijke dienstverlening', 'Nood aan persoonlijke dienstverlening' of 'Dienstverlening uitgeput'."
    ),
    hint_en=(
        "At maximum duration there are only 3 options: 'Nieuwe inschatting nodig' is not available. Choose 'Geen "
        "nood aan persoonlijke dienstverlening', 'Nood aan persoonlijke dienstverlening' or 'Dienstverlening "
        "uitgeput'."
    ),
    message_nl="Service {tender} afgesloten wegens maximum duur met eindadvies 'Nieuwe inschatting nodig' (advies van {eindadvies_datum}).",
    message_en="Service {tender} closed for maximum duration with final advice 'Nieuwe inschatting nodig' (advice of {eindadvies_datum}).",
    source="003 §4.3",
    logic="Eindadvies `Nieuwe inschatting nodig` on a service closed for `maximum duur` (only 3 options then).",
)
def ibb012(ctx: Context) -> pd.DataFrame:
    s = services(ctx)
    s = s[_eq(s, "reden_afsluiting", MAXDUUR) & _eq(s, "eindadvies", NIEUWE)]
    return _per_service(s, tender=s.get("tender"), eindadvies_datum=s.get("eindadvies_datum"))


@rule(
    code="IBB013",
    severity=ERROR,
    needs={"services": ("wijze_afsluiting", "eindadvies", "eindadvies_datum", "einde_bemiddeling")},
    optional={"services": ("tender", "toeleiding")},
    title_nl="Manuele afsluiting zonder (tijdig) eindadvies",
    title_en="Manual closure without (timely) final advice",
    hint_nl=(
        "Na het einde van het bemiddelingsproces heb je als partner-bemiddelaar nog een maand de tijd om het "
        "eindadvies op te maken: via 'Afspraken' > 'Lopende services' > 'Geef eindadvies' (vink 'Mail eindadvies' "
        "of 'Print eindadvies' aan)."
    ),
    hint_en=(
        "After the end of the mediation process the partner mediator has one more month to give the final advice: "
        "'Afspraken' > 'Lopende services' > 'Geef eindadvies' (tick 'Mail' or 'Print eindadvies')."
    ),
    message_nl="Service {tender} manueel afgesloten (einde bemiddeling {einde_bemiddeling}): {probleem}.",
    message_en="Service {tender} closed manually (end of mediation {einde_bemiddeling}): {problem}.",
    source="003 §4.3, §4.4",
    logic=(
        "wijze_afsluiting `manueel` and (eindadvies empty, or eindadvies_datum empty, or eindadvies_datum > "
        "einde_bemiddeling + 1 month)."
    ),
    config_keys=("ibb.advice_months",),
)
def ibb013(ctx: Context) -> pd.DataFrame:
    s = services(ctx)
    months = int(ctx.cfg("ibb.advice_months"))
    deadline = add_months(s["einde_bemiddeling"], months)
    no_adv = s["eindadvies"].isna()
    no_date = s["eindadvies_datum"].isna()
    late = (s["eindadvies_datum"] > deadline).fillna(False).astype(bool)
    m = _eq(s, "wijze_afsluiting", "manueel") & (no_adv | no_date | late)
    dl, ad = _fmt_dates(deadline), _fmt_dates(s["eindadvies_datum"])
    nl = pd.Series(
        np.select(
            [no_adv & no_date, no_adv, no_date],
            ["geen eindadvies en geen datum eindadvies", "geen eindadvies", "geen datum eindadvies"],
            "",
        ),
        index=s.index,
        dtype="string",
    )
    en = pd.Series(
        np.select(
            [no_adv & no_date, no_adv, no_date],
            ["no final advice and no advice date", "no final advice", "no advice date"],
            "",
        ),
        index=s.index,
        dtype="string",
    )
    nl = nl.where(~late, "eindadvies pas op " + ad + ", na " + dl + " (einde + " + str(months) + " maand)")
    en = en.where(~late, "final advice only on " + ad + ", after " + dl + " (end + " + str(months) + " month)")
    s = s[m]
    return _per_service(s, tender=s.get("tender"), einde_bemiddeling=s["einde_bemiddeling"], probleem=nl, problem=en)


@rule(
    code="IBB014",
    severity=WARNING,
    needs={"services": ("einde_bemiddeling", "eindadvies", "wijze_afsluiting")},
    optional={"services": ("tender", "toeleiding")},
    title_nl="Service automatisch afgesloten zonder eindadvies",
    title_en="Service closed automatically without final advice",
    hint_nl=(
        "Geef binnen de maand na het einde van het bemiddelingsproces een eindadvies: als je na een maand geen "
        "eindadvies gegeven hebt, sluit het systeem de service automatisch af."
    ),
    hint_en=(
        "Give the final advice within a month after the end of the mediation process: without advice after a "
        "month, the system closes the service automatically."
    ),
    message_nl="Service {tender}: einde bemiddeling {einde_bemiddeling}, geen eindadvies en geen wijze van afsluiten na {termijn}: automatisch afgesloten zonder eindadvies.",
    message_en="Service {tender}: mediation ended {einde_bemiddeling}, no final advice and no closing method after {termijn}: closed automatically without advice.",
    source="003 §4.4",
    logic=(
        "Service with einde_bemiddeling, no eindadvies, and P > einde_bemiddeling + 1 month while wijze_afsluiting "
        "is empty: it was closed automatically without advice."
    ),
    config_keys=("ibb.advice_months",),
)
def ibb014(ctx: Context) -> pd.DataFrame:
    """As RULES.md states it, whatever the reden_afsluiting: a service stopped for absence, by
    VDAB or early has no final advice either, but is then expected to carry its wijze_afsluiting
    (``automatisch`` or ``door VDAB``); with that cell empty the warning stands."""
    s = services(ctx)
    months = int(ctx.cfg("ibb.advice_months"))
    deadline = add_months(s["einde_bemiddeling"], months)
    m = (
        s["einde_bemiddeling"].notna()
        & s["eindadvies"].isna()
        & s["wijze_afsluiting"].isna()
        & (ctx.peildatum > deadline).fillna(False).astype(bool)
    )
    s = s[m]
    return _per_service(s, tender=s.get("tender"), einde_bemiddeling=s["einde_bemiddeling"], termijn=deadline)


def open_contacts(ctx: Context) -> pd.DataFrame:
    """The contacts (any type) with resultaat ``Gepland`` dated after einde_bemiddeling of their
    closed service (``_svc``), in order."""
    s = services(ctx)
    s = s[s["einde_bemiddeling"].notna()]
    c = members(ctx, "contacten")
    c = c[c["_svc"] >= 0].merge(s[["_svc", "einde_bemiddeling"]], on="_svc")
    gepland = (c["resultaat"].astype("string") == "Gepland").fillna(False).to_numpy()
    return c[gepland & (c["datum"] > c["einde_bemiddeling"]).fillna(False).to_numpy()]


@rule(
    code="IBB015",
    severity=WARNING,
    needs={"services": ("tender", "einde_bemiddeling"), "contacten": ("datum", "resultaat")},
    optional={"services": ("toeleiding",)},
    title_nl="Openstaande contacten na afsluiting van de service",
    title_en="Open contacts after the service was closed",
    hint_nl=(
        "Indien er openstaande trajectacties of openstaande contacten in het dossier staan, zal de bemiddeling steeds "
        "terug bij VDAB komen, ook al staat er 'Nee' in het schema. Werk openstaande contacten af of annuleer ze."
    ),
    hint_en=(
        "If open trajectory actions or open contacts remain in the dossier, mediation always returns to VDAB, even "
        "when the scheme says 'Nee'. Complete or cancel open contacts."
    ),
    message_nl="Service {tender} afgesloten op {einde_bemiddeling}, maar er staan nog {aantal} geplande contact(en) na die datum (eerste: {eerste}): de bemiddeling komt terug bij VDAB.",
    message_en="Service {tender} closed on {einde_bemiddeling}, but {aantal} planned contact(s) remain after that date (first: {eerste}): mediation returns to VDAB.",
    source="003 Bijlage 3 OPMERKING",
    logic=(
        "Closed service whose client still has a contact (any type) of the service with resultaat `Gepland` dated "
        "after einde_bemiddeling: mediation returns to VDAB whatever the advice."
    ),
)
def ibb015(ctx: Context) -> pd.DataFrame:
    s = services(ctx)
    oc = open_contacts(ctx)
    per = oc.groupby("_svc").agg(aantal=("_rid", "size"), eerste=("datum", "min"))
    s = s[s["_svc"].isin(per.index)]
    out = _per_service(
        s,
        tender=s["tender"],
        einde_bemiddeling=s["einde_bemiddeling"],
        aantal=lookup(per["aantal"], s["_svc"]),
        eerste=lookup(per["eerste"], s["_svc"]),
    )
    # the service row first, then its open contacts
    long = pd.concat(
        [pd.DataFrame({"_svc": s["_svc"], "_r": s["_rid"], "_o": 0}), pd.DataFrame({"_svc": oc["_svc"], "_r": oc["_rid"], "_o": 1})]
    ).sort_values(["_svc", "_o"], kind="stable")
    out["_rids"] = lookup(long.groupby("_svc")["_r"].agg(list), s["_svc"]).to_numpy()
    return out


# Bijlage 3 (TIBB4, TIBB4 anderstaligen, SCRABA, SAB3) and Bijlage 4 (WIJ3) of seed 003, as data:
# schema × reden afsluiting × wijze afsluiten × gekozen eindadvies -> bemiddeling terug bij VDAB.
# "*" matches anything (the scheme leaves the advice cell empty for automatic and VDAB closures).
NEE, CHEF, VDAB = "Nee", "Ja (Chef OE)", "Ja (VDAB-bemiddelaar)"
_NOOD, _GEEN, _UITGEPUT = "Nood aan persoonlijke dienstverlening", "Geen nood aan persoonlijke dienstverlening", "Dienstverlening uitgeput"
_MAXDUUR_ROWS = [
    (MAXDUUR, "manueel", _NOOD, CHEF),
    (MAXDUUR, "manueel", _GEEN, NEE),
    (MAXDUUR, "manueel", _UITGEPUT, NEE),
    (MAXDUUR, "automatisch", "*", CHEF),
    (MAXDUUR, "door VDAB", "*", VDAB),
]
RETURN_TO_VDAB = pd.DataFrame(
    [("bijlage 3", PASSIEF, "manueel", adv, NEE) for adv in (_NOOD, NIEUWE, _GEEN, _UITGEPUT)]
    + [("bijlage 3", PASSIEF, "automatisch", "*", NEE), ("bijlage 3", PASSIEF, "door VDAB", "*", VDAB)]
    + [("bijlage 3", *r) for r in _MAXDUUR_ROWS]
    + [("bijlage 4", *r) for r in _MAXDUUR_ROWS]
    # RULES.md: a service stopped for absence signals the VDAB mediator (003 §2.1.1)
    + [("*", "afwezigheid", "*", "*", VDAB)],
    columns=["schema", "reden", "wijze", "advies", "value"],
)
UNKNOWN = "onbekend"
OPEN_CONTACTS = "Ja (open contacten)"


def return_to_vdab(s: pd.DataFrame) -> pd.Series:
    """Look up each service in :data:`RETURN_TO_VDAB`: one merge per wildcard pattern of the table,
    most specific pattern first; no match -> ``onbekend``."""
    keys = ["schema", "reden", "wijze", "advies"]
    q = pd.DataFrame(
        {
            "schema": np.where(_eq(s, "tender", "WIJ3"), "bijlage 4", "bijlage 3"),
            "reden": _s(s, "reden_afsluiting").fillna("").to_numpy(),
            "wijze": _s(s, "wijze_afsluiting").fillna("").to_numpy(),
            "advies": _s(s, "eindadvies").fillna("").to_numpy(),
        },
        index=s.index,
    )
    value = pd.Series(pd.NA, index=s.index, dtype="string")
    wild = RETURN_TO_VDAB[keys].eq("*")
    pattern = sum(wild[k].astype("int64") * (1 << i) for i, k in enumerate(keys))  # bit i: key i is "*"
    # most specific first: fewest wildcards
    order = sorted(pattern.unique(), key=lambda p: (bin(int(p)).count("1"), int(p)))
    for p in order:  # the table's few wildcard patterns, not data rows
        rows = RETURN_TO_VDAB[pattern == p]
        probe = q.copy()
        for i, k in enumerate(keys):
            if int(p) >> i & 1:
                probe[k] = "*"
        hit = probe.reset_index().merge(rows[keys + ["value"]], on=keys, how="inner").set_index("index")["value"]
        value = value.fillna(hit.reindex(s.index).astype("string"))
    return value.fillna(UNKNOWN)


@rule(
    code="IBB016",
    severity=INFO,
    needs={"services": ("tender", "einde_bemiddeling", "reden_afsluiting", "wijze_afsluiting", "eindadvies")},
    optional={"services": ("toeleiding",), "contacten": ("datum", "resultaat")},
    title_nl="Komt de bemiddeling terug bij VDAB?",
    title_en="Does mediation return to VDAB?",
    hint_nl=(
        "Ter info voor de opvolging: volgens het schema van de afsluiting van de dienstverlening (bijlage 3; voor "
        "WIJ3 bijlage 4) komt de bemiddeling al dan niet terug bij VDAB. Met openstaande contacten komt ze steeds "
        "terug."
    ),
    hint_en=(
        "For the monitor's overview: per the closure scheme (annex 3; for WIJ3 annex 4) mediation does or does not "
        "return to VDAB. With open contacts it always returns."
    ),
    message_nl=(
        "Service {tender} afgesloten op {einde_bemiddeling} (reden '{reden}', wijze '{wijze}', eindadvies "
        "'{eindadvies}'): bemiddeling terug bij VDAB: {terug_bij_vdab}."
    ),
    message_en=(
        "Service {tender} closed on {einde_bemiddeling} (reason '{reden}', method '{wijze}', advice '{eindadvies}'): "
        "mediation returns to VDAB: {terug_bij_vdab}."
    ),
    source="003 Bijlage 3, 4",
    logic=(
        "Closed service: report whether mediation returns to VDAB, one finding per closed service, for the monitor's "
        "overview. Value from Bijlage 3 (not WIJ3) / Bijlage 4 (WIJ3) as a data table over reden × wijze × "
        "eindadvies → `Nee`, `Ja (Chef OE)`, `Ja (VDAB-bemiddelaar)`; plus: reden `afwezigheid` → `Ja "
        "(VDAB-bemiddelaar)` (003 §2.1.1: the signal goes to the VDAB mediator); when IBB015 holds for the service, "
        "`Nee` becomes `Ja (open contacten)`; a combination the tables do not hold (e.g. `vroegtijdig`, `manueel` "
        "without advice) → `onbekend`. The value stands in the message and in a `value` field of the finding."
    ),
)
def ibb016(ctx: Context) -> pd.DataFrame:
    """Without the ``contacten`` table (or its datum/resultaat columns) the open-contacts override
    cannot be judged and the scheme's value stands."""
    s = services(ctx)
    s = s[s["einde_bemiddeling"].notna()]
    value = return_to_vdab(s)
    if ctx.has("contacten", "datum") and ctx.has("contacten", "resultaat"):
        open_ = s["_svc"].isin(open_contacts(ctx)["_svc"])
        value = value.mask((value == NEE) & open_, OPEN_CONTACTS)
    out = _per_service(
        s,
        tender=s["tender"],
        einde_bemiddeling=s["einde_bemiddeling"],
        reden=_s(s, "reden_afsluiting").fillna("—"),
        wijze=_s(s, "wijze_afsluiting").fillna("—"),
        eindadvies=_s(s, "eindadvies").fillna("—"),
        terug_bij_vdab=value,
    )
    out["value"] = value.to_numpy()
    return out
