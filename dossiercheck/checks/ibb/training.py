"""IBB017: a beroepsverkennende stage is registered with training code 953030 (003 §3.4.1)."""

from __future__ import annotations

import pandas as pd

from dossiercheck.checks.rule import WARNING, Context, offending, rule
from dossiercheck.text import contains_text


@rule(
    code="IBB017",
    severity=WARNING,
    needs={"lijnen": ("stap", "toestand", "samenvatting", "opleidingscode")},
    title_nl="Beroepsverkennende stage met verkeerde opleidingscode",
    title_en="Job-exploration internship with the wrong training code",
    hint_nl="Opgelet! Een beroepsverkennende stage wordt geregistreerd met de opleidingscode 953030. Pas de opleidingscode van de lijn 'Opleiding' aan.",
    hint_en="Note: a job-exploration internship (beroepsverkennende stage) is registered with training code 953030. Correct the training code of the 'Opleiding' line.",
    message_nl="Lijn Opleiding van {startdatum} vermeldt een beroepsverkennende stage maar heeft opleidingscode '{opleidingscode}' in plaats van {code}.",
    message_en="Training line of {startdatum} mentions a job-exploration internship but has training code '{opleidingscode}' instead of {code}.",
    source="003 §3.4.1",
    logic="`Opleiding` line whose samenvatting mentions `beroepsverkennende stage` and whose opleidingscode is not `953030`.",
    config_keys=("ibb.stage_terms", "ibb.stage_code"),
)
def ibb017(ctx: Context) -> pd.DataFrame:
    """Cancelled lines are ignored (RULES.md conventions). The terms default to the spelling of
    RULES.md and the manual's own spelling ("beroepsverkennde stage", 003 §3.4.1); an empty
    opleidingscode is not 953030."""
    l = ctx.table("lijnen")
    code = str(ctx.cfg("ibb.stage_code")).strip()
    training = (l["programme"] == "opleiding").fillna(False).astype(bool) & l["active"].astype(bool)
    texts = l.loc[training.to_numpy(), "samenvatting"]  # only the training lines' texts are searched
    hit = pd.Series(False, index=texts.index)
    for term in ctx.cfg("ibb.stage_terms"):  # a configured term list, not rows
        hit |= contains_text(texts, str(term))
    mentions = pd.Series(False, index=l.index)
    mentions[hit.index[hit.to_numpy()]] = True
    wrong = ~(l["opleidingscode"].astype("string").str.strip() == code).fillna(False).astype(bool)
    return offending(
        l,
        training & mentions & wrong,
        startdatum=l.get("startdatum"),
        opleidingscode=l["opleidingscode"].astype("string").fillna("—"),
        code=code,
    )
