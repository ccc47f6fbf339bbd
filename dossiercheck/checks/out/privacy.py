"""OUT008: personal data in the samenvatting of an Outplacement line (RULES.md "PII").

Uses the one shared detector :func:`dossiercheck.checks.pii.find_pii`; never a second one.
"""

from __future__ import annotations

import pandas as pd

from dossiercheck.checks.out.rules import outplacement_lines
from dossiercheck.checks.pii import find_pii, kinds_en_series
from dossiercheck.checks.rule import WARNING, Context, rule


@rule(
    code="OUT008",
    severity=WARNING,
    needs={"lijnen": ("stap", "toestand", "samenvatting")},
    title_nl="Persoonsgegevens in de samenvatting",
    title_en="Personal data in the summary",
    hint_nl=(
        "Denk aan de privacy van de burger: noteer in de samenvatting geen rijksregisternummer, e-mailadres, "
        "telefoonnummer of medische informatie. Verwijder die gegevens uit de samenvatting."
    ),
    hint_en=(
        "Mind the citizen's privacy: do not write a national number, e-mail address, phone number or medical "
        "information in the summary. Remove that data from the summary."
    ),
    message_nl="Lijn Outplacement van {startdatum}: de samenvatting bevat persoonsgegevens ({soorten}).",
    message_en="Outplacement line of {startdatum}: the summary contains personal data ({kinds}).",
    source='002 §2 "Denk evenwel aan de privacy van de burger!"',
    logic="Samenvatting of an active Outplacement line contains personal data per `PII` below.",
    config_keys=("privacy.medical_terms",),
)
def out008(ctx: Context) -> pd.DataFrame:
    """The finding names the kinds found (from the shared detector), never the value itself."""
    l = outplacement_lines(ctx)
    l = l[l["samenvatting"].notna().to_numpy()]
    kinds = find_pii(l["samenvatting"], list(ctx.cfg("privacy.medical_terms")))
    hit = kinds.str.len().fillna(0).astype("int64") > 0
    sub = l[hit.to_numpy()]
    found = kinds[hit.to_numpy()]
    return pd.DataFrame(
        {
            "_rid": sub["_rid"].to_numpy(),
            "startdatum": sub["startdatum"].to_numpy() if "startdatum" in sub.columns else pd.NaT,
            "soorten": found.to_numpy(),
            "kinds": kinds_en_series(found).to_numpy(),
        }
    )
