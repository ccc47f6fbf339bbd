"""LBC001–LBC015: the loopbaancheque rules (RULES.md "LBC", seed 004).

Every rule works per cheque over its conversations that are not ``verwijderd``, in registration
order (``common.prepare``). Closing conversation = ``Synthesegesprek`` or ``Stopzetting van de
begeleiding``; used minutes = sum of duur of the conversations that are not ``Nazorggesprek``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dossiercheck.checks.lbc.common import (
    AFGESLOTEN,
    CLOSING,
    CQ,
    DUR_UNKNOWN,
    IN_GEBRUIK,
    INTAKE,
    NAZORG,
    SEQ,
    STOPGEZET,
    SYNTHESE,
    TYPE_UNKNOWN,
    cheque_rids,
    conversations,
    day_numbers,
    group_shift,
    hours_of,
    list_column,
    rid_lists,
)
from dossiercheck.checks.pii import find_pii, kinds_en_series
from dossiercheck.checks.rule import ERROR, WARNING, Context, offending, rule
from dossiercheck.text import normalise

ORDER_OPT = ("registratiedatum", "verwijderd")  # used when present by every order-based rule

_EMPTY = pd.DataFrame({"_rid": pd.Series(dtype="int64")})


def _empty() -> pd.DataFrame:
    return _EMPTY.copy()


# --------------------------------------------------------------------------------------------
@rule(
    code="LBC001",
    severity=ERROR,
    needs={"gesprekken": ("chequenummer", "type")},
    optional={"gesprekken": ORDER_OPT},
    title_nl="Eerste gesprek is geen intakegesprek",
    title_en="First conversation is not an intake conversation",
    hint_nl=(
        "Registreer de cheque, de beginvraag én het intakegesprek als eerste gesprek in één beweging "
        "(Stap 3 van 3: Registreer het eerste gesprek, type 'Intake gesprek'). Let op: het intakegesprek is "
        "niet het kennismakingsgesprek. Controleer het type van het eerste gesprek."
    ),
    hint_en=(
        "Register the cheque, the initial question and the intake conversation as the first conversation in "
        "one go (Step 3 of 3: register the first conversation, type 'Intake gesprek'). The intake is not the "
        "introductory meeting. Check the type of the first conversation."
    ),
    message_nl="Het eerste geregistreerde gesprek van de cheque ({datum}) is een '{type}', geen intakegesprek.",
    message_en="The first registered conversation of the cheque ({datum}) is a '{type}', not an intake conversation.",
    source="004 §4 \"Stap 3 van 3: Registreer het eerste gesprek\"",
    logic="The first conversation of a cheque is not `Intake gesprek`.",
)
def lbc001(ctx: Context) -> pd.DataFrame:
    g = conversations(ctx, "type", extra=("datum",), ordered=False)
    first = g[(g[SEQ] == 0).fillna(False).to_numpy(dtype=bool)]
    m = first["type"] != INTAKE
    out = offending(first, m, type=first["type"], datum=first.get("datum"))
    out["_key"] = first.loc[m.to_numpy(dtype=bool), "chequenummer"].astype(str).to_numpy()
    return out


# --------------------------------------------------------------------------------------------
@rule(
    code="LBC002",
    severity=ERROR,
    needs={"gesprekken": ("chequenummer", "datum")},
    optional={"gesprekken": ("type", *ORDER_OPT)},
    title_nl="Gesprekken niet in chronologische volgorde geregistreerd",
    title_en="Conversations not registered in chronological order",
    hint_nl=(
        "Voer je meerdere gespreksmomenten tegelijk in, respecteer dan de chronologie van de gesprekken. "
        "Zoniet zal het systeem je cheque onterecht willen afsluiten, omdat je een gesprek 'in het verleden' "
        "ingeeft dat doorging vóór het laatst geregistreerde gesprek. Controleer of de cheque niet onterecht "
        "werd afgesloten; zolang ze niet afgesloten is kan je gesprekken verwijderen (altijd eerst het meest "
        "recente) en in de juiste volgorde opnieuw registreren."
    ),
    hint_en=(
        "When entering several conversations at once, respect their chronology; otherwise the system wrongly "
        "closes the cheque because a conversation 'in the past' is entered that took place before the last "
        "registered one. Check that the cheque was not wrongly closed; while it is open you can delete "
        "conversations (most recent first) and register them again in the right order."
    ),
    message_nl=(
        "Gesprek van {datum} ({type}) werd geregistreerd na het gesprek van {datum_eerder} ({type_eerder}) "
        "maar vond eerder plaats."
    ),
    message_en=(
        "Conversation of {datum} ({type}) was registered after the conversation of {datum_eerder} "
        "({type_eerder}) but took place before it."
    ),
    source="004 \"Hoe vermijd je onterechte afsluiting van de loopbaancheque? — Respecteer de chronologie van de gesprekken\"",
    logic=(
        "Out-of-order conversation: its datum is earlier than the latest datum among the conversations "
        "registered before it on the same cheque (the system then wrongly closes the cheque). One finding per "
        "such conversation; the message names the earlier-registered conversation it conflicts with."
    ),
)
def lbc002(ctx: Context) -> pd.DataFrame:
    """The conflicting conversation named is the earliest-registered one holding that latest
    datum (the one the out-of-order conversation is 'in the past' of)."""
    g = conversations(ctx, "datum", extra=("type",))
    if g.empty:
        return _empty()
    cq = g[CQ].to_numpy()
    d = day_numbers(g["datum"])
    n = len(g)
    run_max = pd.Series(d).groupby(cq).cummax().to_numpy()
    prev_max = group_shift(run_max, cq, np.iinfo("int64").min)
    new_max = d > prev_max
    idx = np.where(new_max, np.arange(n, dtype="float64"), np.nan)
    holder = pd.Series(idx, dtype="float64").groupby(cq).ffill().to_numpy(dtype="float64")
    prev_holder = group_shift(holder, cq, np.nan)
    m = d < prev_max
    if not m.any():
        return _empty()
    at = np.flatnonzero(m)
    other = prev_holder[at].astype("int64")
    cur, prv = g.iloc[at], g.iloc[other]
    types = g["type"] if "type" in g.columns else pd.Series(pd.NA, index=g.index)
    out = pd.DataFrame(
        {
            "_rid": cur["_rid"].to_numpy(),
            "datum": cur["datum"].to_numpy(),
            "type": types.iloc[at].to_numpy(),
            "datum_eerder": prv["datum"].to_numpy(),
            "type_eerder": types.iloc[other].to_numpy(),
        }
    )
    out["_rids"] = list_column(cur["_rid"].to_numpy(), prv["_rid"].to_numpy())
    return out


# --------------------------------------------------------------------------------------------
@rule(
    code="LBC003",
    severity=ERROR,
    needs={"gesprekken": ("chequenummer", "datum", "registratiedatum")},
    optional={"gesprekken": ("verwijderd",)},
    title_nl="Gespreksdatum meer dan een jaar voor de registratie",
    title_en="Conversation date more than a year before its registration",
    hint_nl=(
        "Het systeem laat niet toe om een datum langer dan een jaar in het verleden te selecteren. Controleer "
        "de datum waarop het gesprek plaatsvond: gebruik de kalender en werk steeds in het formaat dd/mm/jjjj "
        "(02/11/2015, niet 02/11/15)."
    ),
    hint_en=(
        "The system does not allow selecting a date more than a year in the past. Check the date the "
        "conversation took place: use the calendar and always write dd/mm/yyyy (02/11/2015, not 02/11/15)."
    ),
    message_nl="Gesprek van {datum} ligt meer dan een jaar voor de registratiedatum {registratiedatum} (vroegst toegelaten: {grens}).",
    message_en="Conversation of {datum} is more than a year before its registration date {registratiedatum} (earliest allowed: {grens}).",
    source="004 §4 Datum \"Het systeem laat niet toe om een datum langer dan een jaar in het verleden te selecteren\"",
    logic="datum < registratiedatum − 1 year (calendar year; exactly one year back is allowed). Needs registratiedatum.",
    config_keys=("lbc.max_months_back",),
)
def lbc003(ctx: Context) -> pd.DataFrame:
    g = conversations(ctx, "datum", "registratiedatum", ordered=False)
    limit = g["registratiedatum"] + pd.DateOffset(months=-int(ctx.cfg("lbc.max_months_back")))
    m = g["datum"] < limit
    return offending(g, m, datum=g["datum"], registratiedatum=g["registratiedatum"], grens=limit)


# --------------------------------------------------------------------------------------------
@rule(
    code="LBC004",
    severity=ERROR,
    needs={"gesprekken": ("chequenummer", "datum")},
    optional={"gesprekken": ("registratiedatum", "verwijderd")},
    title_nl="Gespreksdatum na de registratiedatum",
    title_en="Conversation date after its registration",
    hint_nl=(
        "De datum is de datum waarop het gesprek plaatsvond: registreer een gesprek pas nadat het heeft "
        "plaatsgevonden. Controleer de datum (gebruik de kalender, formaat dd/mm/jjjj)."
    ),
    hint_en=(
        "The date is the day the conversation took place: register a conversation only after it happened. "
        "Check the date (use the calendar, format dd/mm/yyyy)."
    ),
    message_nl="Gesprek van {datum} ligt na de {vergeleken_met} {grens}.",
    message_en="Conversation of {datum} is after the {compared_with} {grens}.",
    source="004 §4 Datum \"dit is de datum waarop het gesprek plaatsvond\"",
    logic="datum after registratiedatum; where registratiedatum is empty or the column absent, datum after P.",
)
def lbc004(ctx: Context) -> pd.DataFrame:
    g = conversations(ctx, "datum", extra=("registratiedatum",), ordered=False)
    P = ctx.peildatum.normalize()
    if "registratiedatum" in g.columns:
        has_reg = g["registratiedatum"].notna()
        ref = g["registratiedatum"].where(has_reg, P)
    else:
        has_reg = pd.Series(False, index=g.index)
        ref = pd.Series(P, index=g.index)
    m = g["datum"] > ref
    return offending(
        g,
        m,
        datum=g["datum"],
        grens=ref,
        vergeleken_met=pd.Series(np.where(has_reg, "registratiedatum", "peildatum"), index=g.index),
        compared_with=pd.Series(np.where(has_reg, "registration date", "reference date"), index=g.index),
    )


# --------------------------------------------------------------------------------------------
_NAME_REASONS = {
    "words": ("minder dan twee woorden", "fewer than two words"),
    "caps": ("volledig in hoofdletters", "all in capitals"),
    "nocap": ("geen enkele hoofdletter", "no capital letter at all"),
    "initial": (
        "het eerste of laatste woord begint niet met een hoofdletter",
        "the first or last word does not start with a capital",
    ),
}


def _name_problem(name: str) -> str | None:
    words = name.split()
    if len(words) < 2:
        return "words"
    if any(c.isalpha() for c in name) and not any(c.islower() for c in name):
        return "caps"
    if not any(c.isupper() for c in name):
        return "nocap"
    if not (words[0][0].isupper() and words[-1][0].isupper()):
        return "initial"
    return None


@rule(
    code="LBC005",
    severity=WARNING,
    needs={"gesprekken": ("chequenummer", "begeleider")},
    optional={"gesprekken": ("verwijderd",)},
    title_nl="Naam begeleider niet in het formaat 'Familienaam Voornaam'",
    title_en="Counsellor name not written 'Surname Firstname'",
    hint_nl=(
        "Vul de naam van de begeleider in het formaat 'Familienaam Voornaam' in: in die volgorde, met telkens "
        "de eerste letter van de familienaam en de voornaam in hoofdletters (bv. 'Janssens Thomas')."
    ),
    hint_en=(
        "Write the counsellor's name as 'Surname Firstname': in that order, each starting with a capital "
        "letter (e.g. 'Janssens Thomas')."
    ),
    message_nl="Naam begeleider '{begeleider}' volgt het formaat 'Familienaam Voornaam' niet: {reden}.",
    message_en="Counsellor name '{begeleider}' does not follow 'Surname Firstname': {reason}.",
    source="004 §4 Naam begeleider",
    logic=(
        "begeleider not in the form `Familienaam Voornaam`: fewer than two words; or the whole name in capitals "
        "(letters present, no lower case); or no capital at all; or its first or last word not starting with a "
        "capital."
    ),
)
def lbc005(ctx: Context) -> pd.DataFrame:
    g = conversations(ctx, "begeleider", ordered=False)
    codes, uniques = pd.factorize(g["begeleider"].astype("string"), use_na_sentinel=True)
    problems = [_name_problem(u) for u in uniques]  # once per distinct name
    bad_u = np.array([p is not None for p in problems] + [False])
    nl_u = np.array([_NAME_REASONS[p][0] if p else None for p in problems] + [None], dtype=object)
    en_u = np.array([_NAME_REASONS[p][1] if p else None for p in problems] + [None], dtype=object)
    take = np.where(codes < 0, len(uniques), codes)
    m = bad_u[take]
    sub = g[m]
    return pd.DataFrame(
        {
            "_rid": sub["_rid"].to_numpy(),
            "begeleider": sub["begeleider"].to_numpy(dtype=object),
            "reden": nl_u[take[m]],
            "reason": en_u[take[m]],
        }
    )


# --------------------------------------------------------------------------------------------
def _name_key(name: str) -> tuple[str, bool] | None:
    """(the two distinct words in sorted order, whether they are written in that order) for a
    name of exactly two words (separated by white space, as LBC005 counts them), each compared
    after normalisation; None for other names. A hyphenated surname stays one word:
    ``Dubois-Janssens Marie`` and ``Marie Dubois-Janssens`` are the same two words."""
    words = name.split()
    if len(words) != 2:
        return None
    w = [normalise(x) for x in words]
    if not w[0] or not w[1] or w[0] == w[1]:
        return None
    return f"{min(w)}\x1f{max(w)}", w[0] < w[1]


@rule(
    code="LBC006",
    severity=WARNING,
    needs={"gesprekken": ("chequenummer", "begeleider")},
    optional={"gesprekken": ("verwijderd",)},
    title_nl="Naam begeleider in beide volgordes geregistreerd",
    title_en="Counsellor name registered in both orders",
    hint_nl=(
        "Registreer de naam van de begeleider altijd als 'Familienaam Voornaam', in die volgorde "
        "(bv. 'Janssens Thomas', niet 'Thomas Janssens'), zodat alle gesprekken van dezelfde begeleider "
        "onder dezelfde naam staan."
    ),
    hint_en=(
        "Always register the counsellor as 'Surname Firstname', in that order (e.g. 'Janssens Thomas', not "
        "'Thomas Janssens'), so all conversations of one counsellor carry the same name."
    ),
    message_nl="Begeleider '{begeleider}' komt ook in de omgekeerde volgorde voor als '{andere_volgorde}' ({aantal_andere}×).",
    message_en="Counsellor '{begeleider}' also appears in the reverse order as '{andere_volgorde}' ({aantal_andere}×).",
    source="004 §4 Naam begeleider \"in dié volgorde\"",
    logic=(
        "The same two words (compared after normalisation) appear as begeleider in both orders across the data "
        "(`Janssens Thomas` and `Thomas Janssens`): one finding per row of the less frequent order; on a tie, per "
        "row of both."
    ),
)
def lbc006(ctx: Context) -> pd.DataFrame:
    """Only names of exactly two (distinct) words take part; "across the data" is the whole
    audit (all centres and cheques), live conversations only."""
    g = conversations(ctx, "begeleider", ordered=False)
    codes, uniques = pd.factorize(g["begeleider"].astype("string"), use_na_sentinel=True)
    pairs = [_name_key(u) for u in uniques]  # once per distinct name
    u_ok = np.array([p is not None for p in pairs] + [False])
    u_fwd = np.array([bool(p and p[1]) for p in pairs] + [False])
    u_key = pd.factorize(np.array([p[0] if p else "" for p in pairs] + [""], dtype=object))[0]
    take = np.where(codes < 0, len(uniques), codes)
    ok = u_ok[take]
    if not ok.any():
        return _empty()
    sub = g[ok]
    key, fwd = u_key[take[ok]], u_fwd[take[ok]]
    nk = int(u_key.max()) + 1
    n_fwd = np.bincount(key[fwd], minlength=nk)
    n_rev = np.bincount(key[~fwd], minlength=nk)
    mine = np.where(fwd, n_fwd[key], n_rev[key])
    theirs = np.where(fwd, n_rev[key], n_fwd[key])
    both = theirs > 0  # the pair is written in both orders
    if not both.any():
        return _empty()
    frame = pd.DataFrame(
        {
            "key": key[both],
            "fwd": fwd[both],
            "raw": sub["begeleider"].to_numpy(dtype=object)[both],
            "_rid": sub["_rid"].to_numpy()[both],
            "aantal_andere": theirs[both],
            "flag": (mine <= theirs)[both],
        }
    )
    # The most frequent spelling of each order of a pair, named in the other order's message.
    spell = (
        frame.groupby(["key", "fwd", "raw"]).size().rename("n").reset_index()
        .sort_values(["key", "fwd", "n", "raw"], ascending=[True, True, False, True])
        .drop_duplicates(["key", "fwd"])
    )
    spell = pd.DataFrame({"key": spell["key"], "fwd": ~spell["fwd"].astype(bool), "andere_volgorde": spell["raw"]})
    out = frame[frame["flag"]].merge(spell, on=["key", "fwd"], how="left")
    return pd.DataFrame(
        {
            "_rid": out["_rid"].to_numpy(),
            "begeleider": out["raw"].to_numpy(),
            "andere_volgorde": out["andere_volgorde"].to_numpy(),
            "aantal_andere": out["aantal_andere"].astype("int64").to_numpy(),
        }
    )


# --------------------------------------------------------------------------------------------
@rule(
    code="LBC007",
    severity=ERROR,
    needs={"gesprekken": ("chequenummer", "duur")},
    optional={"gesprekken": ("verwijderd",)},
    title_nl="Duur van het gesprek buiten 30 minuten – 2 uur",
    title_en="Conversation length outside 30 minutes – 2 hours",
    hint_nl="Je kan van 30 minuten tot 2 uur per gesprek registreren. Controleer en corrigeer de duur van het gesprek.",
    hint_en="A conversation can be registered from 30 minutes up to 2 hours. Check and correct its length.",
    message_nl="Duur {duur} minuten ligt buiten {min_minuten}–{max_minuten} minuten.",
    message_en="Length {duur} minutes is outside {min_minuten}–{max_minuten} minutes.",
    source="004 §4 Duur van het gesprek \"Je kan van 30 minuten tot 2 uur per gesprek registreren\"",
    logic="duur < 30 or > 120 minutes.",
    config_keys=("lbc.min_minutes", "lbc.max_minutes"),
)
def lbc007(ctx: Context) -> pd.DataFrame:
    g = conversations(ctx, "duur", ordered=False)
    lo, hi = ctx.cfg("lbc.min_minutes"), ctx.cfg("lbc.max_minutes")
    d = g["duur"].astype("float64")
    m = (d < lo) | (d > hi)
    return offending(g, m, duur=d, min_minuten=lo, max_minuten=hi)


# --------------------------------------------------------------------------------------------
def _closing_state(g: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """For conversations sorted in registration order: whether a closing conversation was
    registered before each one, and the position (in ``g``) of the cheque's first closing
    conversation (-1 when none)."""
    cq = g[CQ].to_numpy()
    closing = g["type"].isin(CLOSING).to_numpy(dtype=bool)
    cs = pd.Series(closing.astype("int64")).groupby(cq).cumsum().to_numpy()
    before = (cs - closing) > 0
    first_pos = np.where(closing & (cs == 1), np.arange(len(g)), -1)
    first_of_cheque = pd.Series(first_pos).groupby(cq).transform("max").to_numpy()
    return before, first_of_cheque


@rule(
    code="LBC008",
    severity=ERROR,
    needs={"gesprekken": ("chequenummer", "type")},
    optional={"gesprekken": ORDER_OPT},
    title_nl="Gesprek geregistreerd na de afsluiting van de cheque",
    title_en="Conversation registered after the cheque was closed",
    hint_nl=(
        "Een synthesegesprek of een stopzetting van de begeleiding sluit de cheque automatisch af; daarna "
        "verschijnt enkel nog het nazorggesprek als optie. Controleer of de cheque niet onterecht werd "
        "afgesloten (chronologie van de gesprekken) en of het type van het gesprek klopt."
    ),
    hint_en=(
        "A synthesis conversation or a stop of the guidance closes the cheque automatically; after that only "
        "a follow-up conversation (Nazorggesprek) can be registered. Check whether the cheque was closed "
        "wrongly (chronology) and whether the conversation type is right."
    ),
    message_nl="{type} van {datum} werd geregistreerd na de afsluiting van de cheque door {afsluiting} van {afsluiting_datum}.",
    message_en="{type} of {datum} was registered after the cheque was closed by {afsluiting} of {afsluiting_datum}.",
    source="004 Gesprekken registreren \"Nazorggesprek: Dit type gesprek verschijnt als enige optie nadat de cheque afgesloten is\"",
    logic="A conversation other than `Nazorggesprek` registered after a closing conversation.",
)
def lbc008(ctx: Context) -> pd.DataFrame:
    g = conversations(ctx, "type", extra=("datum",))
    if g.empty:
        return _empty()
    before, first_close = _closing_state(g)
    m = before & (g["type"] != NAZORG).to_numpy(dtype=bool)
    at = np.flatnonzero(m)
    cur, cl = g.iloc[at], g.iloc[first_close[at]]
    out = pd.DataFrame(
        {
            "_rid": cur["_rid"].to_numpy(),
            "type": cur["type"].to_numpy(),
            "datum": cur["datum"].to_numpy() if "datum" in g.columns else None,
            "afsluiting": cl["type"].to_numpy(),
            "afsluiting_datum": cl["datum"].to_numpy() if "datum" in g.columns else None,
        }
    )
    out["_rids"] = list_column(cur["_rid"].to_numpy(), cl["_rid"].to_numpy())
    return out


# --------------------------------------------------------------------------------------------
@rule(
    code="LBC009",
    severity=ERROR,
    needs={"gesprekken": ("chequenummer", "type")},
    optional={"gesprekken": ORDER_OPT},
    title_nl="Nazorggesprek vóór de afsluiting van de cheque",
    title_en="Follow-up conversation before the cheque was closed",
    hint_nl=(
        "Een nazorggesprek verschijnt pas als enige optie nadat de cheque afgesloten is (door een "
        "synthesegesprek of een stopzetting van de begeleiding) en leidt niet tot uitbetaling. Registreer "
        "gesprekken vóór de afsluiting met het juiste type (bv. verdiepingsgesprek)."
    ),
    hint_en=(
        "A follow-up conversation (Nazorggesprek) only becomes available once the cheque is closed (by a "
        "synthesis conversation or a stop of the guidance) and is not paid. Register conversations before "
        "closure with the right type (e.g. Verdiepingsgesprek)."
    ),
    message_nl="Nazorggesprek van {datum} werd geregistreerd terwijl de cheque nog niet afgesloten was (geen synthesegesprek of stopzetting ervoor).",
    message_en="Follow-up conversation of {datum} was registered while the cheque was not closed yet (no synthesis or stop before it).",
    source="004 Gesprekken registreren \"Nazorggesprek\"",
    logic="`Nazorggesprek` registered while no closing conversation was registered before it (also when the cheque has none at all).",
)
def lbc009(ctx: Context) -> pd.DataFrame:
    """A Nazorggesprek with a conversation of unknown type (empty or unreadable, DAT001/DAT003)
    registered before it is skipped: that one may have been the closing conversation."""
    g = conversations(ctx, "type", extra=("datum",))
    if g.empty:
        return _empty()
    before, _ = _closing_state(g)
    known = g[TYPE_UNKNOWN].to_numpy() == 0
    m = pd.Series(~before & known & (g["type"] == NAZORG).to_numpy(dtype=bool), index=g.index)
    return offending(g, m, datum=g.get("datum"))


# --------------------------------------------------------------------------------------------
def _used_minutes(g: pd.DataFrame) -> np.ndarray:
    """Cumulative used minutes per cheque in registration order (Nazorggesprek and empty duur
    count 0)."""
    d = g["duur"].astype("float64").fillna(0.0).to_numpy()
    d = np.where((g["type"] == NAZORG).to_numpy(dtype=bool), 0.0, d)
    return pd.Series(d).groupby(g[CQ].to_numpy()).cumsum().to_numpy()


@rule(
    code="LBC010",
    severity=WARNING,
    needs={"gesprekken": ("chequenummer", "type", "duur"), "cheques": ("chequenummer",)},
    optional={"gesprekken": ORDER_OPT, "cheques": ("uren",)},
    title_nl="Cheque afgesloten met een synthesegesprek terwijl er nog uren resten",
    title_en="Cheque closed by a synthesis conversation with hours left",
    hint_nl=(
        "Een synthesegesprek sluit de cheque automatisch af; zijn er nog resterende uren, dan kunnen die niet "
        "meer opgenomen worden (waarschuwing bij het opslaan). Registreer het synthesegesprek pas wanneer de "
        "begeleiding afgerond is en let op die waarschuwing."
    ),
    hint_en=(
        "A synthesis conversation closes the cheque automatically; remaining hours can no longer be used (the "
        "system warns on saving). Register the synthesis only when the guidance is complete and heed the warning."
    ),
    message_nl=(
        "Synthesegesprek van {datum} sloot de cheque af na {gebruikte_minuten} van {beschikbare_minuten} minuten: "
        "{verbeurde_uren} uur kan niet meer opgenomen worden."
    ),
    message_en=(
        "Synthesis conversation of {datum} closed the cheque after {gebruikte_minuten} of {beschikbare_minuten} "
        "minutes: {verbeurde_uren} hour(s) can no longer be used."
    ),
    source="004 Gesprekken registreren, Scherm 15 \"Hierdoor zal 3 uur niet meer opgenomen kunnen worden\"",
    logic=(
        "Closing by `Synthesegesprek` while the used minutes of the conversations registered up to and "
        "including it < uren × 60: remaining hours are forfeited (message states how many)."
    ),
    config_keys=("lbc.default_hours",),
)
def lbc010(ctx: Context) -> pd.DataFrame:
    """The cheque is closed by its *first* closing conversation: a Synthesegesprek registered after
    a Stopzetting closes nothing (that is LBC008). Cheques not in ``cheques`` are skipped (their
    hours are unknown; DAT007 reports them), and so are cheques with a conversation of unknown
    length registered up to the synthesis (the sum would only be a lower bound)."""
    g = conversations(ctx, "type", extra=("duur", "datum"))
    if g.empty:
        return _empty()
    used = _used_minutes(g)
    _, first_close = _closing_state(g)
    at = np.unique(first_close[first_close >= 0])
    syn = g.iloc[at]
    keep = (syn["type"] == SYNTHESE).to_numpy(dtype=bool) & (syn[DUR_UNKNOWN].to_numpy() == 0)
    at, syn = at[keep], syn[keep]
    hours = hours_of(ctx, syn["chequenummer"])
    avail = hours * 60.0
    u = used[at]
    m = ~np.isnan(avail) & (u < avail)
    syn = syn[m]
    rest = avail[m] - u[m]
    # Rows the finding rests on: the counted conversations up to the synthesis and the cheque.
    cq = g[CQ].to_numpy()
    close_at = first_close  # per row: position of its cheque's first closing conversation
    counted = (np.arange(len(g)) <= close_at) & (g["type"] != NAZORG).to_numpy(dtype=bool)
    rids = rid_lists(cq[counted], g["_rid"].to_numpy()[counted], syn[CQ].to_numpy(), cheque_rids(ctx, syn["chequenummer"]))
    return pd.DataFrame(
        {
            "_rid": syn["_rid"].to_numpy(),
            "_rids": rids,
            "_key": syn["chequenummer"].astype(str).to_numpy(),
            "datum": syn["datum"].to_numpy() if "datum" in syn.columns else None,
            "uren": hours[m],
            "beschikbare_minuten": avail[m],
            "gebruikte_minuten": u[m],
            "resterende_minuten": rest,
            "verbeurde_uren": np.round(rest / 60.0, 2),
        }
    )


# --------------------------------------------------------------------------------------------
@rule(
    code="LBC011",
    severity=ERROR,
    needs={"gesprekken": ("chequenummer", "type", "duur"), "cheques": ("chequenummer",)},
    optional={"gesprekken": ORDER_OPT, "cheques": ("uren",)},
    title_nl="Meer gesprekstijd geregistreerd dan de cheque toelaat",
    title_en="More conversation time registered than the cheque allows",
    hint_nl=(
        "Een loopbaancheque is goed voor een vast aantal uren begeleiding (standaard 4 uur). Controleer de "
        "duur van de geregistreerde gesprekken en corrigeer de registraties die te veel zijn; een nazorggesprek "
        "telt niet mee."
    ),
    hint_en=(
        "A career-guidance cheque buys a fixed number of hours (4 by default). Check the lengths of the "
        "registered conversations and correct the excess; follow-up conversations do not count."
    ),
    message_nl=(
        "Cheque goed voor {uren} uur ({beschikbare_minuten} minuten), maar er werd {gebruikte_minuten} minuten "
        "geregistreerd: {overschrijding_minuten} minuten ({overschrijding_uren} uur) te veel; overschreden vanaf het gesprek van {datum}."
    ),
    message_en=(
        "Cheque buys {uren} hours ({beschikbare_minuten} minutes) but {gebruikte_minuten} minutes were "
        "registered: {overschrijding_minuten} minutes ({overschrijding_uren} hours) too many; exceeded from the conversation of {datum}."
    ),
    source="004 Detail bestelling en begeleiding \"Goed voor 4 uur begeleiding\"",
    logic="Used minutes > uren × 60.",
    config_keys=("lbc.default_hours",),
)
def lbc011(ctx: Context) -> pd.DataFrame:
    """One finding per cheque, pointing at the conversation with which the registered minutes
    first exceed the cheque's hours; the excess is over all its (live, non-Nazorg) conversations.
    Cheques not in ``cheques`` are skipped (hours unknown)."""
    g = conversations(ctx, "type", "duur", extra=("datum",))
    if g.empty:
        return _empty()
    used = _used_minutes(g)
    cq = g[CQ].to_numpy()
    total = pd.Series(used).groupby(cq).transform("max").to_numpy()
    hours = hours_of(ctx, g["chequenummer"])
    avail = hours * 60.0
    over = used > avail  # NaN hours -> False
    prev_used = group_shift(used, cq, 0.0)
    crossing = over & ~(prev_used > avail)
    at = np.flatnonzero(crossing)
    sub = g.iloc[at]
    excess = total[at] - avail[at]
    # Rows the finding rests on: every counted conversation of the cheque and the cheque itself.
    counted = (g["type"] != NAZORG).to_numpy(dtype=bool)
    rids = rid_lists(cq[counted], g["_rid"].to_numpy()[counted], cq[at], cheque_rids(ctx, sub["chequenummer"]))
    return pd.DataFrame(
        {
            "_rid": sub["_rid"].to_numpy(),
            "_rids": rids,
            "_key": sub["chequenummer"].astype(str).to_numpy(),
            "datum": sub["datum"].to_numpy() if "datum" in sub.columns else None,
            "uren": hours[at],
            "beschikbare_minuten": avail[at],
            "gebruikte_minuten": total[at],
            "overschrijding_minuten": excess,
            "overschrijding_uren": np.round(excess / 60.0, 2),
        }
    )


# --------------------------------------------------------------------------------------------
@rule(
    code="LBC012",
    severity=ERROR,
    needs={"cheques": ("chequenummer", "status"), "gesprekken": ("chequenummer", "type")},
    optional={"gesprekken": ("verwijderd",)},
    title_nl="Status van de cheque klopt niet met de gesprekken",
    title_en="Cheque status does not match its conversations",
    hint_nl=(
        "Een synthesegesprek of een stopzetting van de begeleiding sluit de cheque automatisch af. Een cheque "
        "'in gebruik' hoort geen afsluitend gesprek te hebben; een afgesloten of stopgezette cheque hoort er "
        "een te hebben. Controleer de geregistreerde gesprekken (type, verwijderde gesprekken) en de status."
    ),
    hint_en=(
        "A synthesis conversation or a stop of the guidance closes the cheque automatically. A cheque 'in use' "
        "should have no closing conversation; a closed or stopped cheque should have one. Check the registered "
        "conversations (type, deleted ones) and the status."
    ),
    message_nl="Cheque met status '{status}': {probleem}.",
    message_en="Cheque with status '{status}': {problem}.",
    source="004 Gesprekken registreren: Synthesegesprek \"leidt automatisch tot een afsluiting\", Stopzetting \"geldt als een afsluiting\"",
    logic="Status `in gebruik` while the cheque has a closing conversation, or status `afgesloten`/`stopgezet` without one.",
)
def lbc012(ctx: Context) -> pd.DataFrame:
    """Whether a cheque has a closing conversation does not depend on the order, so
    registratiedatum is not declared: a closing conversation whose registration date is
    unreadable still counts (the prepared order only picks which one the message names). A
    closed or stopped cheque with a live conversation of unknown type (empty or unreadable) is
    not reported as lacking a closing conversation: that one may be it."""
    ch = ctx.table("cheques")
    g = conversations(ctx, "type", extra=("datum",))
    closing = g[g["type"].isin(CLOSING).to_numpy(dtype=bool)].drop_duplicates(CQ)  # first, in order
    first = closing.set_index(pd.Index(closing["chequenummer"].to_numpy(dtype=object)))
    where = first.index.get_indexer(ch["chequenummer"].to_numpy(dtype=object))
    has = where >= 0
    status = ch["status"].astype("string")
    in_use = (status == IN_GEBRUIK).fillna(False).to_numpy(dtype=bool)
    done = status.isin([AFGESLOTEN, STOPGEZET]).fillna(False).to_numpy(dtype=bool)
    if TYPE_UNKNOWN in ch.columns:
        done = done & ~ch[TYPE_UNKNOWN].to_numpy(dtype=bool)
    m = (in_use & has) | (done & ~has)
    sub = ch[m]
    at = where[m]
    ok = at >= 0
    safe = np.where(ok, at, 0)
    ctype = np.full(len(at), None, dtype=object)
    cdate = pd.Series(pd.NaT, index=range(len(at)), dtype="datetime64[ns]")
    if len(first):
        ctype = np.where(ok, first["type"].to_numpy(dtype=object)[safe], None)
        if "datum" in first.columns:
            cdate = pd.Series(first["datum"].to_numpy()[safe]).where(ok)
    fmt = cdate.dt.strftime("%d/%m/%Y").fillna("—").to_numpy(dtype=object)
    has_m = has[m]
    probleem = np.where(
        has_m,
        np.char.add(np.char.add("toch afgesloten door ", ctype.astype(str)), np.char.add(" van ", fmt.astype(str))),
        "geen synthesegesprek of stopzetting van de begeleiding geregistreerd",
    )
    problem = np.where(
        has_m,
        np.char.add(np.char.add("yet closed by ", ctype.astype(str)), np.char.add(" of ", fmt.astype(str))),
        "no synthesis conversation or stop of the guidance registered",
    )
    closing_rid = np.where(ok, first["_rid"].to_numpy(dtype="int64")[safe] if len(first) else -1, -1)
    rids = [[int(r), int(c)] if c >= 0 else [int(r)] for r, c in zip(sub["_rid"].to_numpy(), closing_rid)]
    return pd.DataFrame(
        {
            "_rid": sub["_rid"].to_numpy(),
            "_rids": rids,
            "_key": sub["chequenummer"].astype(str).to_numpy(),
            "status": sub["status"].to_numpy(),
            "afsluiting": np.where(has_m, ctype, None),
            "afsluiting_datum": cdate.to_numpy(),
            "probleem": probleem.astype(object),
            "problem": problem.astype(object),
        }
    )


# --------------------------------------------------------------------------------------------
_THEME_SPLIT = r"[;,\n\r]+"


@rule(
    code="LBC013",
    severity=ERROR,
    needs={"cheques": ("chequenummer", "reden_begeleiding", "beginvraag")},
    title_nl="Reden loopbaanbegeleiding of beginvraag ontbreekt of is ongeldig",
    title_en="Reason for career guidance or initial question missing or invalid",
    hint_nl=(
        "Duid bij 'Reden loopbaanbegeleiding' minstens één thema aan (Werkbaar werk, Relaties in de werkcontext, "
        "Jobdoelwit, Zingeving, Kwaliteitsreflectie, Groei en uitdaging) en noteer verplicht de beginvraag van de "
        "klant, kort en bondig en zoals de klant ermee akkoord is. Een aangepaste loopbaanvraag noteer je via Wijzig."
    ),
    hint_en=(
        "Tick at least one theme under 'Reden loopbaanbegeleiding' (Werkbaar werk, Relaties in de werkcontext, "
        "Jobdoelwit, Zingeving, Kwaliteitsreflectie, Groei en uitdaging) and always record the client's initial "
        "question, briefly and as agreed with the client. Record a changed question via Wijzig."
    ),
    message_nl="Cheque: {problemen}.",
    message_en="Cheque: {problems}.",
    source="004 §3.1 Reden loopbaanbegeleiding aanvinken, §3.2 Beginvraag noteren",
    logic=(
        "reden_begeleiding empty, or one of its themes not in: `Werkbaar werk`, `Relaties in de werkcontext`, "
        "`Jobdoelwit`, `Zingeving`, `Kwaliteitsreflectie`, `Groei en uitdaging`; or beginvraag empty."
    ),
    config_keys=("lbc.themes",),
)
def lbc013(ctx: Context) -> pd.DataFrame:
    """Themes are split on ``;``, ``,`` and newlines (TABLES.md) and compared after
    normalisation; empty pieces (a trailing ``;``) are ignored, and a text of separators only
    (``;``) names no theme: it counts as empty."""
    import re

    ch = ctx.table("cheques")
    allowed = {normalise(t) for t in ctx.cfg("lbc.themes")}
    splitter = re.compile(_THEME_SPLIT)

    def themes(text: str) -> list[str]:
        return [p.strip() for p in splitter.split(str(text)) if normalise(p)]

    reden = ch["reden_begeleiding"].astype("string")
    codes, uniques = pd.factorize(reden, use_na_sentinel=True)
    u_themes = [themes(u) for u in uniques]  # once per distinct text
    u_bad = np.empty(len(uniques) + 1, dtype=object)
    u_bad[: len(uniques)] = [[t for t in ts if normalise(t) not in allowed] for ts in u_themes]
    u_bad[len(uniques)] = []
    u_none = np.array([not ts for ts in u_themes] + [True], dtype=bool)
    u_txt = np.array([", ".join(f"'{x}'" for x in b) for b in u_bad], dtype=object)
    take = np.where(codes < 0, len(uniques), codes)
    no_reden = u_none[take]
    bad = pd.Series(u_bad[take], index=ch.index, dtype="object")
    bad_text = u_txt[take].astype(str)
    has_bad = (bad_text != "")
    no_vraag = ch["beginvraag"].astype("string").isna().to_numpy(dtype=bool)
    m = no_reden | has_bad | no_vraag
    if not m.any():
        return _empty()
    sub = ch[m]

    def join(*parts: np.ndarray) -> np.ndarray:
        text = pd.Series(parts[0], dtype="string")
        for p in parts[1:]:
            text = text + "; " + pd.Series(p, dtype="string")
        return text.str.replace(r"(?:; )+", "; ", regex=True).str.strip("; ").to_numpy(dtype=object)

    quoted = bad_text[m]
    nl = join(
        np.where(no_reden[m], "geen reden loopbaanbegeleiding (thema) aangeduid", ""),
        np.where(has_bad[m], np.char.add("onbekend thema ", quoted), ""),
        np.where(no_vraag[m], "geen beginvraag genoteerd", ""),
    )
    en = join(
        np.where(no_reden[m], "no reason for guidance (theme) ticked", ""),
        np.where(has_bad[m], np.char.add("unknown theme ", quoted), ""),
        np.where(no_vraag[m], "no initial question recorded", ""),
    )
    return pd.DataFrame(
        {
            "_rid": sub["_rid"].to_numpy(),
            "_key": sub["chequenummer"].astype(str).to_numpy(),
            "onbekende_themas": bad.to_numpy(dtype=object)[m],
            "problemen": nl,
            "problems": en,
        }
    )


# --------------------------------------------------------------------------------------------
@rule(
    code="LBC014",
    severity=WARNING,
    needs={"gesprekken": ("chequenummer", "feedback")},
    optional={"gesprekken": ("verwijderd",)},
    title_nl="Persoonlijke info van de klant in de feedback",
    title_en="Client's personal data in the feedback",
    hint_nl=(
        "Feedback is geen verplicht veld; vul je het in, noteer dan enkel algemene stappen in het traject en "
        "geen persoonlijke info van de klant (geen rijksregisternummer, e-mailadres, telefoonnummer of medische "
        "gegevens). Haal deze gegevens uit de feedback."
    ),
    hint_en=(
        "Feedback is optional; if you fill it in, note only general steps of the guidance and no personal "
        "information about the client (no national number, e-mail, phone number or medical data). Remove it."
    ),
    message_nl="Feedback bevat persoonlijke info van de klant: {soorten}.",
    message_en="Feedback contains personal data of the client: {kinds}.",
    source="004 §4 Feedback \"geen persoonlijke info van de klant\"",
    logic="Feedback contains personal data per `PII` below.",
    config_keys=("privacy.medical_terms",),
)
def lbc014(ctx: Context) -> pd.DataFrame:
    g = conversations(ctx, "feedback", ordered=False)
    codes, uniques = pd.factorize(g["feedback"].astype("string"))
    kinds = find_pii(pd.Series(uniques, dtype="string"), list(ctx.cfg("privacy.medical_terms")))
    has = kinds.str.len().gt(0).to_numpy(dtype=bool)
    nl = kinds.to_numpy(dtype=object)
    en = kinds_en_series(kinds).to_numpy(dtype=object)
    m = has[codes]
    sub = g[m]
    return pd.DataFrame({"_rid": sub["_rid"].to_numpy(), "soorten": nl[codes[m]], "kinds": en[codes[m]]})


# --------------------------------------------------------------------------------------------
@rule(
    code="LBC015",
    severity=WARNING,
    needs={"gesprekken": ("chequenummer", "type")},
    optional={"gesprekken": ORDER_OPT},
    title_nl="Meer dan één intakegesprek op de cheque",
    title_en="More than one intake conversation on the cheque",
    hint_nl=(
        "Het intakegesprek registreer je één keer, als eerste gesprek bij de registratie van de cheque. De "
        "gesprekken die daarop volgen registreer je als verdiepingsgesprek, synthesegesprek, stopzetting van de "
        "begeleiding of nazorggesprek."
    ),
    hint_en=(
        "The intake conversation is registered once, as the first conversation when registering the cheque. "
        "Later conversations are Verdiepingsgesprek, Synthesegesprek, Stopzetting van de begeleiding or "
        "Nazorggesprek."
    ),
    message_nl="Extra intakegesprek van {datum}; de cheque heeft al een intakegesprek van {eerste_intake}.",
    message_en="Extra intake conversation of {datum}; the cheque already has an intake of {eerste_intake}.",
    source="004 Gesprekken registreren \"Het intakegesprek registreer je als eerste gesprek\"",
    logic="More than one `Intake gesprek` on a cheque (one finding per extra).",
)
def lbc015(ctx: Context) -> pd.DataFrame:
    g = conversations(ctx, "type", extra=("datum",))
    if g.empty:
        return _empty()
    cq = g[CQ].to_numpy()
    intake = (g["type"] == INTAKE).to_numpy(dtype=bool)
    cs = pd.Series(intake.astype("int64")).groupby(cq).cumsum().to_numpy()
    first_pos = pd.Series(np.where(intake & (cs == 1), np.arange(len(g)), -1)).groupby(cq).transform("max").to_numpy()
    at = np.flatnonzero(intake & (cs > 1))
    cur, first = g.iloc[at], g.iloc[first_pos[at]]
    has_d = "datum" in g.columns
    out = pd.DataFrame(
        {
            "_rid": cur["_rid"].to_numpy(),
            "datum": cur["datum"].to_numpy() if has_d else None,
            "eerste_intake": first["datum"].to_numpy() if has_d else None,
        }
    )
    out["_rids"] = list_column(cur["_rid"].to_numpy(), first["_rid"].to_numpy())
    return out


RULES = [
    lbc001,
    lbc002,
    lbc003,
    lbc004,
    lbc005,
    lbc006,
    lbc007,
    lbc008,
    lbc009,
    lbc010,
    lbc011,
    lbc012,
    lbc013,
    lbc014,
    lbc015,
]
