"""DAT — data quality, all tables (RULES.md "DAT").

DAT001–DAT006 and DAT008 are collected by the pandera schemas while the tables are parsed
(:mod:`dossiercheck.schemas`); these rules turn those failures into findings. DAT007 (orphans)
is a cross-table rule.
"""

from __future__ import annotations

import pandas as pd

from dossiercheck.checks.rule import ERROR, WARNING, Context, rule
from dossiercheck.tables import TABLES
from dossiercheck.text import isin_many, value_set

ALL_TABLES = tuple(TABLES)

REASONS = {
    "two_digit_year": ("jaartal met twee cijfers; schrijf de datum als dd/mm/jjjj", "two-digit year; write dd/mm/yyyy"),
    "impossible_date": ("deze datum bestaat niet", "this date does not exist"),
    "not_a_date": ("geen datum; schrijf dd/mm/jjjj", "not a date; write dd/mm/yyyy"),
    "not_a_month": ("geen maand; schrijf mm/jjjj", "not a month; write mm/yyyy"),
    "not_a_duration": ("geen duur; schrijf bv. 90, 1u30 of 01:30", "not a duration; write e.g. 90, 1u30 or 01:30"),
    "not_a_number": ("geen getal", "not a number"),
    "not_a_bool": ("geen ja/nee-waarde", "not a yes/no value"),
    "bad_klantnummer": ("een klantnummer is 7 tot 10 cijfers", "a klantnummer is 7 to 10 digits"),
    "bad_chequenummer": ("een chequenummer is 11 cijfers", "a chequenummer is 11 digits"),
}

MASKED_COLUMNS = {"rijksregisternummer"}


def mask_value(value: object) -> str:
    """A raw value shortened for a message (the rijksregisternummer column is masked whole)."""
    s = "" if value is None or value is pd.NA else str(value).strip()
    if len(s) > 60:
        s = s[:57] + "…"
    return s


def _failures(ctx: Context, code: str) -> pd.DataFrame:
    parts = []
    for table, f in ctx.cache["dat_failures"].items():
        sub = f[f["code"] == code]
        if not len(sub):
            continue
        frame = ctx.tables[table]
        raw = sub["raw"].map(mask_value)
        masked = sub["column"].isin(list(MASKED_COLUMNS)).to_numpy()
        raw = raw.where(~masked, "***********")
        reason = sub["reason"].astype("string")
        parts.append(
            pd.DataFrame(
                {
                    "_rid": frame["_rid"].reindex(sub["index"]).to_numpy(),
                    "_key_extra": sub["column"].fillna("").to_numpy(),
                    "column": sub["column"].fillna("").to_numpy(),
                    "raw": raw.to_numpy(),
                    "why_nl": reason.map(lambda r: REASONS.get(r, (None,))[0] if r in REASONS else None).to_numpy(),
                    "why_en": reason.map(lambda r: REASONS.get(r, (None, None))[1] if r in REASONS else None).to_numpy(),
                    "nearest": reason.to_numpy() if code == "DAT003" else None,
                    "klantnummer": (
                        # DAT004 on the key itself: the finding carries the raw value (TABLES.md).
                        raw.where(sub["column"].eq("klantnummer").to_numpy(), None).to_numpy()
                        if code == "DAT004"
                        else None
                    ),
                }
            )
        )
    if not parts:
        return pd.DataFrame({"_rid": pd.Series(dtype="int64"), "_key_extra": pd.Series(dtype="string")})
    out = pd.concat(parts, ignore_index=True)
    out = out.drop(columns=[c for c in ("nearest", "klantnummer") if out[c].isna().all()])
    if "klantnummer" in out.columns:
        # Keep the row's own klantnummer where the key itself was fine.
        meta_k = pd.concat(
            [f[["_rid", "klantnummer"]] for f in ctx.tables.values() if "klantnummer" in f.columns], ignore_index=True
        ).set_index("_rid")["klantnummer"]
        out["klantnummer"] = out["klantnummer"].fillna(out["_rid"].map(meta_k))
    return out


COMMON = dict(any_of=ALL_TABLES, needs={}, source="TABLES.md")


@rule(
    code="DAT001",
    severity=ERROR,
    title_nl="Verplicht veld is leeg",
    title_en="Required value is empty",
    hint_nl="Vul het verplichte veld in het klantendossier in; alle velden met een sterretje zijn verplicht.",
    hint_en="Fill in the required field in the client dossier; every field marked with an asterisk is mandatory.",
    message_nl="Het verplichte veld '{column}' is leeg.",
    message_en="The required field '{column}' is empty.",
    logic="A required value (TABLES.md `req`) is empty.",
    **{**COMMON, "source": "TABLES.md; 002 §2 \"Alle velden met een sterretje zijn verplicht\""},
)
def dat001(ctx: Context) -> pd.DataFrame:
    return _failures(ctx, "DAT001").drop(columns=["raw", "why_nl", "why_en"], errors="ignore")


@rule(
    code="DAT002",
    severity=ERROR,
    title_nl="Waarde kan niet gelezen worden",
    title_en="Value cannot be read",
    hint_nl="Corrigeer de waarde; werk steeds in het formaat dd/mm/jjjj voor datums (jaartal voluit).",
    hint_en="Correct the value; always write dates as dd/mm/yyyy (full year).",
    message_nl="'{raw}' in veld '{column}' kan niet gelezen worden: {why_nl}.",
    message_en="'{raw}' in field '{column}' cannot be read: {why_en}.",
    logic="A date, duration or number cell cannot be parsed, or a date has a two-digit year.",
    **{**COMMON, "source": "004 §Datum \"werk steeds in het formaat dd/mm/jjjj\""},
)
def dat002(ctx: Context) -> pd.DataFrame:
    return _failures(ctx, "DAT002")


@rule(
    code="DAT003",
    severity=ERROR,
    title_nl="Waarde niet toegelaten",
    title_en="Value not allowed",
    hint_nl="Kies een van de toegelaten waarden (zie de keuzelijst in het klantendossier).",
    hint_en="Choose one of the allowed values (see the drop-down list in the client dossier).",
    message_nl="'{raw}' is geen toegelaten waarde voor '{column}'; bedoel je '{nearest}'?",
    message_en="'{raw}' is not an allowed value for '{column}'; did you mean '{nearest}'?",
    logic="An enumerated value is outside its set after normalisation; the message names the nearest allowed value.",
    **COMMON,
)
def dat003(ctx: Context) -> pd.DataFrame:
    return _failures(ctx, "DAT003").drop(columns=["why_nl", "why_en"], errors="ignore")


@rule(
    code="DAT004",
    severity=ERROR,
    title_nl="Klant- of chequenummer ongeldig",
    title_en="Klantnummer or chequenummer malformed",
    hint_nl="Noteer het nummer zonder slashes of streepjes, alleen cijfers (klantnummer 7 tot 10 cijfers, chequenummer 11 cijfers).",
    hint_en="Write the number without slashes or dashes, digits only (klantnummer 7 to 10 digits, chequenummer 11 digits).",
    message_nl="'{raw}' in veld '{column}' is geen geldig nummer: {why_nl}.",
    message_en="'{raw}' in field '{column}' is not a valid number: {why_en}.",
    logic="klantnummer or chequenummer malformed.",
    **{**COMMON, "source": "004 §2.1 \"zonder slashes of streepjes\""},
)
def dat004(ctx: Context) -> pd.DataFrame:
    return _failures(ctx, "DAT004")


@rule(
    code="DAT005",
    severity=ERROR,
    title_nl="Dubbele sleutel",
    title_en="Duplicate key",
    hint_nl="Elk klantnummer staat één keer in de dossiers, elk chequenummer één keer in de cheques: verwijder of corrigeer de dubbele rij.",
    hint_en="Each klantnummer appears once in dossiers and each chequenummer once in cheques: remove or correct the duplicate row.",
    message_nl="Het {column} {waarde} komt al eerder voor in deze tabel; dit is een extra rij met dezelfde sleutel.",
    message_en="The {column} {waarde} already occurs earlier in this table; this is an extra row with the same key.",
    logic="Duplicate key: same klantnummer twice in `dossiers`, same chequenummer twice in `cheques` (one finding per extra row).",
    any_of=("dossiers", "cheques"),
    needs={},
    source="TABLES.md",
)
def dat005(ctx: Context) -> pd.DataFrame:
    """The message names the duplicated key as parsed (``61000001.0`` and ``61000001`` are the same
    klantnummer); a key that could not be parsed is named by its raw text."""
    out = _failures(ctx, "DAT005")
    keys = [
        ctx.tables[t].set_index("_rid")[TABLES[t].unique_key]
        for t in ("dossiers", "cheques")
        if t in ctx.tables and TABLES[t].unique_key in ctx.tables[t].columns
    ]
    if len(out) and keys:
        parsed = out["_rid"].map(pd.concat(keys).astype("string"))
        out["waarde"] = parsed.fillna(out["raw"].astype("string")).to_numpy()
    else:
        out["waarde"] = out.get("raw")
    return out.drop(columns=["raw", "why_nl", "why_en"], errors="ignore")


@rule(
    code="DAT006",
    severity=ERROR,
    title_nl="Rijksregisternummer ongeldig",
    title_en="National number invalid",
    hint_nl="Controleer het rijksregisternummer (11 cijfers, controlegetal klopt niet).",
    hint_en="Check the national number (11 digits; the check digits do not match).",
    message_nl="Het rijksregisternummer voldoet niet aan de controle (waarde gemaskeerd).",
    message_en="The national number fails the check (value masked).",
    logic=(
        "rijksregisternummer fails the Belgian check (11 digits; check = 97 − (first 9 digits mod 97), "
        "or for births from 2000 on, 97 − ((2 followed by the first 9 digits) mod 97))."
    ),
    any_of=("dossiers",),
    needs={},
    source="TABLES.md",
)
def dat006(ctx: Context) -> pd.DataFrame:
    return _failures(ctx, "DAT006")[["_rid", "_key_extra"]]


ORPHAN_TABLES = ("lijnen", "notities", "plannen", "documenten", "contacten", "afsprakenbladen", "services", "categorieen")


@rule(
    code="DAT007",
    severity=WARNING,
    title_nl="Rij zonder dossier of cheque",
    title_en="Orphan row (no dossier or cheque)",
    hint_nl="Controleer het klant- of chequenummer: het komt niet voor in de dossiers of cheques van deze export.",
    hint_en="Check the klantnummer or chequenummer: it does not occur in the dossiers or cheques of this export.",
    message_nl="Het {key_name} {key} komt niet voor in de tabel {parent}.",
    message_en="The {key_name} {key} does not occur in the table {parent}.",
    logic=(
        "Orphan: a row of `lijnen`, `notities`, `plannen`, `documenten`, `contacten`, `afsprakenbladen`, "
        "`services`, `categorieen` whose klantnummer is not in `dossiers` (only when `dossiers` is given); a "
        "`gesprekken` row whose chequenummer is not in `cheques` (only when `cheques` is given)."
    ),
    any_of=("dossiers", "cheques"),
    needs={},
    source="TABLES.md",
)
def dat007(ctx: Context) -> pd.DataFrame:
    """The key columns of the tables that point at one parent are looked up in its keys at once
    (:func:`~dossiercheck.text.isin_many`)."""
    pairs = [(t, "klantnummer", "dossiers") for t in ORPHAN_TABLES] + [("gesprekken", "chequenummer", "cheques")]
    children: dict[tuple[str, str], list[str]] = {}  # (parent, key) -> the tables pointing at it
    for child, key, parent in pairs:
        if child in ctx.tables and parent in ctx.tables:
            if key in ctx.tables[child].columns and key in ctx.tables[parent].columns:
                children.setdefault((parent, key), []).append(child)
    parts = []
    for (parent, key), tables in children.items():
        keys = ctx.tables[parent][key]
        known = value_set(keys) if isinstance(keys.dtype, pd.StringDtype) else keys
        cols = [ctx.tables[t][key] for t in tables]
        for t, col, hit in zip(tables, cols, isin_many(cols, known)):
            orphan = ctx.tables[t][col.notna().to_numpy() & ~hit]
            parts.append(
                pd.DataFrame({"_rid": orphan["_rid"].to_numpy(), "key_name": key, "key": orphan[key].to_numpy(), "parent": parent})
            )
    if not parts:
        return pd.DataFrame({"_rid": pd.Series(dtype="int64")})
    return pd.concat(parts, ignore_index=True)


@rule(
    code="DAT008",
    severity=WARNING,
    title_nl="Dubbele rij",
    title_en="Duplicate row",
    hint_nl="Deze rij staat er twee keer in (alle velden gelijk): verwijder de dubbele registratie.",
    hint_en="This row occurs twice (all fields equal): remove the duplicate registration.",
    message_nl="Deze rij is een exacte kopie van een eerdere rij in dezelfde tabel.",
    message_en="This row is an exact copy of an earlier row in the same table.",
    logic=(
        "Exact duplicate row within a table (all columns equal after parsing, so `01/02/2025` and a date cell "
        "of that day are equal; one finding per extra row)."
    ),
    **COMMON,
)
def dat008(ctx: Context) -> pd.DataFrame:
    return _failures(ctx, "DAT008")[["_rid", "_key_extra"]]


RULES = [dat001, dat002, dat003, dat004, dat005, dat006, dat007, dat008]
