"""ABO rules on registration and closure around the lines: notes (C109/36, warm transfer) and
plans van aanpak: ABO009-ABO018 (seed 000 §2.2.1, §2.3.3-§2.3.5)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dossiercheck.checks.abo.common import (
    abo_clients,
    begeleidingslijnen,
    first_per,
    last_per,
    lookup,
    of_clients,
    rid_lists,
    terms_in,
)
from dossiercheck.checks.rule import ERROR, WARNING, Context, offending, rule
from dossiercheck.text import contains_code, contains_text, equals_text

C109_HINT_NL = (
    "Vul voor iedere jongere die de school verlaat het RVA-formulier C109/36 (bewijs van studies) in en laad het "
    "op in een notitie: Dienstverlening > Verslaggeving > Voeg notitie toe. Bij 'Delen met' kies je niets, bij "
    "'Notitie' noteer je de reden C109/36, vink 'Bovenaan verslaggeving vastpinnen' aan en voeg de bijlage toe."
)
C109_HINT_EN = (
    "For every youngster leaving school, fill in the RVA form C109/36 (proof of studies) and upload it in a note: "
    "Dienstverlening > Verslaggeving > Voeg notitie toe. Share it with nobody, write the reason C109/36, tick "
    "'Bovenaan verslaggeving vastpinnen' (pin on top) and add the attachment."
)
PLAN_HINT_NL = (
    "Voeg bij het einde van de begeleiding een plan van aanpak toe (Dienstverlening > Voeg een plan van aanpak "
    "toe): bij status dienstverlening selecteer je 'Actiegerichte (her)inschatting', bij 'Waarom kies je deze "
    "status?' noteer je 'Einde project alternerend leren' en bij 'Welke acties voorzie je voor deze klant?' "
    "noteer je de relevante punten voor warme overdracht."
)
PLAN_HINT_EN = (
    "At the end of the guidance add a plan van aanpak (Dienstverlening > Voeg een plan van aanpak toe): status "
    "'Actiegerichte (her)inschatting', reason 'Einde project alternerend leren', and under 'Welke acties voorzie "
    "je voor deze klant?' the points relevant for the warm transfer."
)


def _c109_notes(ctx: Context) -> pd.DataFrame:
    def build() -> pd.DataFrame:
        n = ctx.table("notities")
        return n[contains_code(n["reden"], str(ctx.cfg("abo.c109_code"))).to_numpy()]

    return ctx.shared("abo_c109_notes", ("notities",), build)


def _abo_c109_notes(ctx: Context) -> pd.DataFrame:
    """C109/36 notes of ABO clients."""
    return ctx.shared(
        "abo_c109_notes_of_clients", ("notities", "lijnen"),
        lambda: of_clients(_c109_notes(ctx), abo_clients(ctx.table("lijnen"), ctx)),
    )


# --------------------------------------------------------------------------------------------
# ABO009-ABO012: the C109/36 note
# --------------------------------------------------------------------------------------------
@rule(
    code="ABO009",
    severity=ERROR,
    needs={"lijnen": ("stap", "toestand", "startdatum"), "notities": ("datum", "reden")},
    title_nl="Notitie C109/36 (bewijs van studies) ontbreekt",
    title_en="C109/36 note (proof of studies) missing",
    hint_nl=C109_HINT_NL,
    hint_en=C109_HINT_EN,
    message_nl=(
        "Afgesloten begeleidingslijn (start {startdatum}) zonder notitie C109/36 vanaf die datum; "
        "laatste notitie C109/36: {laatste_c109}."
    ),
    message_en=(
        "Closed guidance line (start {startdatum}) without a C109/36 note from that date on; "
        "latest C109/36 note: {laatste_c109}."
    ),
    source="000 §2.3.4",
    logic=(
        "Missing C109/36 note: client with a closed ABO begeleidingslijn and no note whose reden contains "
        "`C109/36` dated ≥ that line's startdatum. One finding per client, at the latest-starting closed "
        "begeleidingslijn without such a note (the rows: every such line and the client's earlier C109/36 notes)."
    ),
    config_keys=("abo.c109_code",),
)
def abo009(ctx: Context) -> pd.DataFrame:
    """"No note dated ≥ that line's startdatum" is checked per closed begeleidingslijn and reported
    once per client: the client fires when its latest C109/36 note is older than the startdatum of
    some closed begeleidingslijn (e.g. last year's form). The finding points at the latest such
    line; its rows are those lines and the client's C109/36 notes."""
    beg = begeleidingslijnen(ctx.table("lijnen"), ctx)
    closed = beg[beg["closed"].to_numpy()]
    notes = _c109_notes(ctx)
    c = closed.assign(_latest=lookup(closed["klantnummer"], notes.groupby("klantnummer")["datum"].max()))
    failing = c[(c["_latest"].isna() | (c["_latest"] < c["startdatum"])).to_numpy()]
    pick = last_per(failing, "klantnummer", ["startdatum"])
    rows = rid_lists(failing, of_clients(notes, pd.Index(pick["klantnummer"].unique())))
    out = offending(pick, None, startdatum=pick["startdatum"], laatste_c109=pick["_latest"])
    out["_rids"] = lookup(pick["klantnummer"], rows).to_numpy()
    out["_key"] = pick["klantnummer"].astype(str).to_numpy()
    return out


@rule(
    code="ABO010",
    severity=ERROR,
    needs={"notities": ("datum", "reden", "bijlage"), "lijnen": ("stap", "toestand")},
    title_nl="Notitie C109/36 zonder bijlage",
    title_en="C109/36 note without attachment",
    hint_nl="Laad het ingevulde RVA-formulier C109/36 op als bijlage bij de notitie ('Voeg de bijlage toe').",
    hint_en="Upload the completed RVA form C109/36 as the note's attachment.",
    message_nl="Notitie '{reden}' van {datum} heeft geen bijlage: het formulier C109/36 moet opgeladen worden.",
    message_en="Note '{reden}' of {datum} has no attachment: the C109/36 form must be uploaded.",
    source="000 §2.3.4",
    logic=(
        "C109/36 note (of an ABO client) without bijlage: the form must be uploaded. Needs `lijnen` to know the "
        "ABO clients."
    ),
    config_keys=("abo.c109_code",),
)
def abo010(ctx: Context) -> pd.DataFrame:
    """Decision: RULES.md lists only ``notities`` for ABO010-ABO012, but "of an ABO client" is
    defined on ``lijnen`` (an active ABO begeleidingslijn), so ``lijnen`` is needed too: without
    it the rule is reported not evaluated rather than guessing whose notes are ABO notes."""
    n = _abo_c109_notes(ctx)
    return offending(n, n["bijlage"].isna(), reden=n["reden"], datum=n["datum"])


@rule(
    code="ABO011",
    severity=WARNING,
    needs={"notities": ("datum", "reden", "vastgepind"), "lijnen": ("stap", "toestand")},
    title_nl="Notitie C109/36 niet bovenaan vastgepind",
    title_en="C109/36 note not pinned on top",
    hint_nl="Vink bij de notitie C109/36 'Bovenaan verslaggeving vastpinnen' aan.",
    hint_en="Tick 'Bovenaan verslaggeving vastpinnen' (pin on top) on the C109/36 note.",
    message_nl="Notitie '{reden}' van {datum} is niet bovenaan vastgepind.",
    message_en="Note '{reden}' of {datum} is not pinned on top.",
    source="000 §2.3.4",
    logic="C109/36 note (of an ABO client) not vastgepind (an empty cell is not pinned).",
    config_keys=("abo.c109_code",),
)
def abo011(ctx: Context) -> pd.DataFrame:
    n = _abo_c109_notes(ctx)
    return offending(n, ~n["vastgepind"].fillna(False).astype(bool), reden=n["reden"], datum=n["datum"])


@rule(
    code="ABO012",
    severity=WARNING,
    needs={"notities": ("datum", "reden", "gedeeld_met"), "lijnen": ("stap", "toestand")},
    title_nl="Notitie C109/36 gedeeld",
    title_en="C109/36 note shared",
    hint_nl="Bij 'Delen met' kies je niets voor de notitie C109/36: maak het delen ongedaan.",
    hint_en="Choose nobody under 'Delen met' (share with) for the C109/36 note: undo the sharing.",
    message_nl="Notitie '{reden}' van {datum} is gedeeld met {gedeeld_met}; voor C109/36 kies je niemand.",
    message_en="Note '{reden}' of {datum} is shared with {gedeeld_met}; a C109/36 note is shared with nobody.",
    source="000 §2.3.4",
    logic="C109/36 note (of an ABO client) with gedeeld_met filled in (choose nobody).",
    config_keys=("abo.c109_code",),
)
def abo012(ctx: Context) -> pd.DataFrame:
    n = _abo_c109_notes(ctx)
    return offending(n, n["gedeeld_met"].notna(), reden=n["reden"], datum=n["datum"], gedeeld_met=n["gedeeld_met"])


# --------------------------------------------------------------------------------------------
# ABO013-ABO015: the closing plan van aanpak
# --------------------------------------------------------------------------------------------
def closing_plans(ctx: Context) -> pd.DataFrame:
    """:func:`_closing_plans`, built once for the rules that see the same lines and plans."""
    return ctx.shared("abo_closing_plans", ("lijnen", "plannen"), lambda: _closing_plans(ctx))


def _closing_plans(ctx: Context) -> pd.DataFrame:
    """One row per client whose active ABO begeleidingslijnen are all closed.

    Columns: ``klantnummer``, ``_lrid`` (the begeleidingslijn with the latest einddatum E),
    ``E``, ``grens`` (E − ``abo.closing_plan_days``), ``_prid``/``plan_datum``/``plan_status``
    (the client's latest plan: max datum; among plans on that day one with the expected status
    wins, then the last source row), ``ok`` (ABO013 passes).
    """
    beg = begeleidingslijnen(ctx.table("lijnen"), ctx)[["_rid", "klantnummer", "closed", "einddatum"]]
    done = beg[beg.groupby("klantnummer")["closed"].transform("all").to_numpy(dtype=bool)]
    line = last_per(done, "klantnummer", ["einddatum"])
    res = pd.DataFrame(
        {
            "klantnummer": line["klantnummer"].to_numpy(),
            "_lrid": line["_rid"].to_numpy(),
            "E": line["einddatum"].to_numpy(),
        }
    )
    res["grens"] = res["E"] - pd.Timedelta(days=int(ctx.cfg("abo.closing_plan_days")))
    plannen = ctx.table("plannen")
    used = [c for c in ("_rid", "klantnummer", "datum", "status", "reden", "acties") if c in plannen.columns]
    p = of_clients(plannen[used], pd.Index(res["klantnummer"]))  # only the columns read below are copied
    p = p.assign(_ok_status=equals_text(p["status"], str(ctx.cfg("abo.closing_status"))))
    latest = last_per(p, "klantnummer", ["datum", "_ok_status"]).set_index("klantnummer")
    k = res["klantnummer"]
    at = latest.index.get_indexer(k) if len(k) and len(latest) else None  # one indexer for every column
    res["_prid"] = lookup(k, latest["_rid"], at)
    res["plan_datum"] = lookup(k, latest["datum"], at)
    res["plan_status"] = lookup(k, latest["status"], at)
    res["_ok_status"] = lookup(k, latest["_ok_status"], at)
    for c in ("reden", "acties"):
        if c in latest.columns:
            res[c] = lookup(k, latest[c], at)
    has_plan = res["_prid"].notna()
    in_time = res["E"].isna() | (res["plan_datum"] >= res["grens"])
    res["ok"] = (has_plan & res["_ok_status"].fillna(False).astype(bool) & in_time).astype(bool)
    return res


@rule(
    code="ABO013",
    severity=ERROR,
    needs={"lijnen": ("stap", "toestand", "einddatum"), "plannen": ("datum", "status")},
    title_nl="Plan van aanpak 'Actiegerichte (her)inschatting' bij het einde ontbreekt",
    title_en="Closing plan 'Actiegerichte (her)inschatting' missing",
    hint_nl=PLAN_HINT_NL,
    hint_en=PLAN_HINT_EN,
    message_nl="Begeleiding beëindigd op {einddatum}: {laatste_plan_nl}; verwacht een plan '{verwacht}' van {grens} of later.",
    message_en="Guidance ended on {einddatum}: {laatste_plan_en}; expected a plan '{verwacht}' dated {grens} or later.",
    source="000 §2.3.3",
    logic=(
        "Client whose active ABO begeleidingslijnen are all closed: let E = the latest einddatum of those "
        "begeleidingslijnen; the client's latest `plannen` row (max datum) must have status `Actiegerichte "
        "(her)inschatting` and datum ≥ E − 14 days. One finding per client, at the begeleidingslijn with E "
        "(rows: that line and the latest plan). Plans on the same latest day: one with the expected status "
        "counts as the latest. Without any einddatum (GEN002) only the status is checked."
    ),
    config_keys=("abo.closing_status", "abo.closing_plan_days"),
)
def abo013(ctx: Context) -> pd.DataFrame:
    """Decisions: (1) plans on the same latest day have no order in the export; one with the
    expected status counts as "the latest" (benefit of the doubt), then the last source row.
    (2) With no einddatum on any of the closed lines (GEN002's finding) E is unknown and only the
    status of the latest plan is checked. (3) The finding points at the begeleidingslijn with E;
    its rows add the latest plan; fingerprint = klantnummer."""
    cp = closing_plans(ctx)
    bad = cp[~cp["ok"]].rename(columns={"_lrid": "_rid"})
    no_plan = bad["_prid"].isna().to_numpy()
    when = bad["plan_datum"].dt.strftime("%d/%m/%Y").astype("string")
    status = bad["plan_status"].astype("string")
    latest_nl = ("het laatste plan van aanpak is '" + status + "' van " + when).to_numpy(dtype=object)
    latest_en = ("the latest plan van aanpak is '" + status + "' of " + when).to_numpy(dtype=object)
    out = offending(
        bad,
        None,
        laatste_plan_nl=pd.Series(np.where(no_plan, "er is geen plan van aanpak", latest_nl), index=bad.index),
        laatste_plan_en=pd.Series(np.where(no_plan, "there is no plan van aanpak", latest_en), index=bad.index),
        einddatum=bad["E"],
        plan_datum=bad["plan_datum"],
        plan_status=bad["plan_status"],
        verwacht=str(ctx.cfg("abo.closing_status")),
        grens=bad["grens"],
    )
    plans = bad.loc[bad["_prid"].notna().to_numpy(), ["klantnummer", "_prid"]]
    rows = rid_lists(bad, plans.rename(columns={"_prid": "_rid"}).astype({"_rid": "int64"}))
    out["_rids"] = lookup(bad["klantnummer"], rows).to_numpy()
    out["_key"] = bad["klantnummer"].astype(str).to_numpy()
    return out


@rule(
    code="ABO014",
    severity=WARNING,
    needs={"plannen": ("datum", "status", "reden", "acties"), "lijnen": ("stap", "toestand", "einddatum")},
    title_nl="Afsluitend plan van aanpak onvolledig",
    title_en="Closing plan van aanpak incomplete",
    hint_nl=PLAN_HINT_NL,
    hint_en=PLAN_HINT_EN,
    message_nl="Afsluitend plan van aanpak van {plan_datum}: {probleem_nl}.",
    message_en="Closing plan van aanpak of {plan_datum}: {probleem_en}.",
    source="000 §2.3.3",
    logic=(
        "For a client that passes ABO013, the closing plan is that latest plan: its reden does not contain "
        "`Einde project alternerend leren`, or its acties (warm transfer) is empty. Not evaluated for a client "
        "that fails ABO013."
    ),
    config_keys=("abo.closing_status", "abo.closing_plan_days", "abo.closing_reason"),
)
def abo014(ctx: Context) -> pd.DataFrame:
    """Needs ``lijnen`` (and ``plannen.datum``/``status``) because "the closing plan" only exists
    for a client that passes ABO013; the finding points at that plan."""
    cp = closing_plans(ctx)
    cp = cp[cp["ok"].to_numpy()].reset_index(drop=True)
    reason = str(ctx.cfg("abo.closing_reason"))
    no_reason = ~contains_text(cp["reden"], reason)
    no_actions = cp["acties"].isna()
    nl = np.select(
        [no_reason & no_actions, no_reason],
        [f"de reden bevat geen '{reason}' en de acties (warme overdracht) zijn leeg", f"de reden bevat geen '{reason}'"],
        "de acties (warme overdracht) zijn leeg",
    )
    en = np.select(
        [no_reason & no_actions, no_reason],
        [f"the reason does not contain '{reason}' and the actions (warm transfer) are empty",
         f"the reason does not contain '{reason}'"],
        "the actions (warm transfer) are empty",
    )
    cp = cp.assign(_rid=cp["_prid"].astype("int64"), _nl=nl, _en=en)
    m = no_reason | no_actions
    return offending(cp, m, plan_datum=cp["plan_datum"], probleem_nl=cp["_nl"], probleem_en=cp["_en"])


@rule(
    code="ABO015",
    severity=WARNING,
    needs={"plannen": ("datum", "status", "acties"), "lijnen": ("stap", "toestand", "einddatum")},
    title_nl="Warme overdracht vermeldt geen OAO",
    title_en="Warm transfer does not mention the OAO",
    hint_nl=(
        "Vermeld bij 'Welke acties voorzie je voor deze klant?' of de jongere met een Overeenkomst Alternerende "
        "Opleiding (OAO) gewerkt heeft. Zo kan VDAB nagaan of de jongere recht heeft op een korting op de "
        "beroepsinschakelingstijd."
    ),
    hint_en=(
        "State under 'Welke acties voorzie je voor deze klant?' whether the youngster worked with an alternating "
        "training agreement (Overeenkomst Alternerende Opleiding, OAO), so VDAB can check the right to a reduced "
        "professional integration period."
    ),
    message_nl="De acties van het afsluitend plan van aanpak van {plan_datum} vermelden niet of de jongere met een OAO werkte.",
    message_en="The actions of the closing plan van aanpak of {plan_datum} do not say whether the youngster worked with an OAO.",
    source="000 §2.3.3",
    logic=(
        "The closing plan (as in ABO014) has acties that mention none of `OAO`, `Overeenkomst Alternerende "
        "Opleiding` (whole words); an empty acties fires both ABO014 and ABO015."
    ),
    config_keys=("abo.closing_status", "abo.closing_plan_days", "abo.oao_terms"),
)
def abo015(ctx: Context) -> pd.DataFrame:
    cp = closing_plans(ctx)
    cp = cp[cp["ok"].to_numpy()].reset_index(drop=True)
    found = terms_in(cp["acties"], list(ctx.cfg("abo.oao_terms")))
    m = found.str.len() == 0
    cp = cp.assign(_rid=cp["_prid"].astype("int64"))
    return offending(cp, m, plan_datum=cp["plan_datum"])


# --------------------------------------------------------------------------------------------
# ABO016: medical terms in the warm transfer
# --------------------------------------------------------------------------------------------
@rule(
    code="ABO016",
    severity=WARNING,
    needs={"plannen": ("datum", "acties"), "lijnen": ("stap", "toestand")},
    title_nl="Medische diagnose in de acties van een plan van aanpak",
    title_en="Medical diagnosis in the actions of a plan van aanpak",
    hint_nl=(
        "Noteer geen medische diagnoses, maar vertaal samen met de jongere de diagnose of het ziektebeeld naar de "
        "relevante feiten voor de arbeidsbemiddeling (bv. rugklachten: 'Regelmatige beweging nodig tijdens het "
        "uitoefenen van een job'). De jongere moet op de hoogte zijn dat je deze info deelt."
    ),
    hint_en=(
        "Do not write medical diagnoses; together with the youngster, translate the diagnosis or condition into "
        "the facts relevant for job mediation (e.g. back problems: 'needs regular movement at work'). The "
        "youngster must know you share this information."
    ),
    message_nl="De acties van het plan van aanpak van {datum} bevatten medische termen: {termen}.",
    message_en="The actions of the plan van aanpak of {datum} contain medical terms: {termen}.",
    source="000 §2.3.3 \"Noteer geen medische diagnoses\"",
    logic=(
        "Acties of any plan of an ABO client contain a term from `privacy.medical_terms` (whole words). One "
        "finding per plan, naming every term found (never the text around it)."
    ),
    config_keys=("privacy.medical_terms",),
)
def abo016(ctx: Context) -> pd.DataFrame:
    """Needs ``lijnen`` to know the ABO clients. Terms are reported as spelled in the
    configuration, never the text around them."""
    p = of_clients(ctx.table("plannen"), abo_clients(ctx.table("lijnen"), ctx))
    p = p[p["acties"].notna().to_numpy()]
    found = terms_in(p["acties"], list(ctx.cfg("privacy.medical_terms")))
    return offending(p, found.str.len() > 0, datum=p["datum"], termen=found)


# --------------------------------------------------------------------------------------------
# ABO017: warm-transfer note shared
# --------------------------------------------------------------------------------------------
@rule(
    code="ABO017",
    severity=WARNING,
    needs={"lijnen": ("stap", "toestand", "startdatum"), "notities": ("datum", "gedeeld_met")},
    title_nl="Geen gedeelde notitie voor warme overdracht",
    title_en="No shared note for the warm transfer",
    hint_nl=(
        "Voeg een notitie toe (Dienstverlening > Verslaggeving > Voeg notitie toe): bij 'Delen met' kies je de "
        "naam van de contactpersoon warme overdracht, bij 'Notitie' noteer je de reden en vink 'Bovenaan "
        "verslaggeving vastpinnen' aan."
    ),
    hint_en=(
        "Add a note (Dienstverlening > Verslaggeving > Voeg notitie toe): under 'Delen met' choose the warm "
        "transfer contact person, write the reason and tick 'Bovenaan verslaggeving vastpinnen' (pin on top)."
    ),
    message_nl="Alle begeleidingslijnen zijn afgesloten, maar er is geen gedeelde notitie sinds de start van de begeleiding op {startdatum}.",
    message_en="All guidance lines are closed, but there is no shared note since the guidance started on {startdatum}.",
    source="000 §2.3.5",
    logic=(
        "Client whose active ABO begeleidingslijnen are all closed and no note with gedeeld_met filled in dated ≥ "
        "the first ABO begeleidingslijn's startdatum (warm transfer note). One finding per client, at that first "
        "begeleidingslijn."
    ),
)
def abo017(ctx: Context) -> pd.DataFrame:
    """One finding per client, at the first active begeleidingslijn (the startdatum the rule
    uses); its rows are all of the client's begeleidingslijnen; fingerprint = klantnummer."""
    beg = begeleidingslijnen(ctx.table("lijnen"), ctx)
    done = beg[beg.groupby("klantnummer")["closed"].transform("all").to_numpy(dtype=bool)]
    first = first_per(done, "klantnummer", ["startdatum"])
    n = ctx.table("notities")
    shared = n[n["gedeeld_met"].notna().to_numpy()]
    f = first.assign(_latest=lookup(first["klantnummer"], shared.groupby("klantnummer")["datum"].max()))
    m = f["_latest"].isna() | (f["_latest"] < f["startdatum"])
    ks = f.loc[m.to_numpy(), "klantnummer"]
    rows = rid_lists(of_clients(done, pd.Index(ks)))
    out = offending(f, m, startdatum=f["startdatum"])
    out["_rids"] = lookup(ks, rows).to_numpy()
    out["_key"] = ks.astype(str).to_numpy()
    return out


# --------------------------------------------------------------------------------------------
# ABO018: plan 'Blijft ingeschreven' at registration
# --------------------------------------------------------------------------------------------
@rule(
    code="ABO018",
    severity=WARNING,
    needs={"lijnen": ("stap", "toestand", "startdatum"), "plannen": ("datum", "status")},
    title_nl="Plan van aanpak 'Blijft ingeschreven, geen dienstverlening door VDAB' ontbreekt",
    title_en="Plan 'Blijft ingeschreven, geen dienstverlening door VDAB' missing",
    hint_nl=(
        "Wijzig de dienstverlening: Dienstverlening > Voeg een plan van aanpak toe, selecteer bij status "
        "dienstverlening 'Blijft ingeschreven, geen dienstverlening door VDAB' en noteer bij 'Waarom is op dit "
        "moment geen verdere actie van VDAB meer gewenst' 'Project alternerend leren'. Zo komt het dossier ook op "
        "jouw naam."
    ),
    hint_en=(
        "Change the service status: Dienstverlening > Voeg een plan van aanpak toe, choose 'Blijft ingeschreven, "
        "geen dienstverlening door VDAB' and give the reason 'Project alternerend leren'. This also puts the "
        "dossier in your name."
    ),
    message_nl="Geen plan van aanpak '{verwacht}' uiterlijk {grens} (begeleidingslijn gestart op {startdatum}).",
    message_en="No plan van aanpak '{verwacht}' dated {grens} or earlier (guidance line started on {startdatum}).",
    source="000 §2.2.1",
    logic=(
        "ABO client without a plan with status `Blijft ingeschreven, geen dienstverlening door VDAB` dated ≤ the "
        "latest ABO begeleidingslijn startdatum + 30 days. One finding per client, at that latest begeleidingslijn."
    ),
    config_keys=("abo.registration_status", "abo.registration_plan_days"),
)
def abo018(ctx: Context) -> pd.DataFrame:
    """Read literally: a plan dated any time up to startdatum + 30 days counts (also one from
    before the line, as the manual puts the plan first: §2.2.1 before §2.2.2), and the rule also
    fires while those 30 days are still running when no such plan exists yet."""
    beg = begeleidingslijnen(ctx.table("lijnen"), ctx)
    latest = last_per(beg, "klantnummer", ["startdatum"])
    latest = latest.assign(_grens=latest["startdatum"] + pd.Timedelta(days=int(ctx.cfg("abo.registration_plan_days"))))
    status = str(ctx.cfg("abo.registration_status"))
    p = ctx.table("plannen")
    p = p[equals_text(p["status"], status).to_numpy()]
    f = latest.assign(_first=lookup(latest["klantnummer"], p.groupby("klantnummer")["datum"].min()))
    m = f["_first"].isna() | (f["_first"] > f["_grens"])
    out = offending(f, m, startdatum=f["startdatum"], grens=f["_grens"], verwacht=status)
    out["_key"] = f.loc[m.to_numpy(), "klantnummer"].astype(str).to_numpy()
    return out


RULES = [abo009, abo010, abo011, abo012, abo013, abo014, abo015, abo016, abo017, abo018]
