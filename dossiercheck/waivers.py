"""Waivers (``--waivers FILE``): findings a coach has accepted, with a reason and who accepted them.

A waived finding is never dropped: it moves from ``payload["findings"]`` to ``payload["waived"]``
with a ``waiver`` object ``{reason, accepted_by, expires, entry}``, so it counts neither towards the
exit code (``run.Outcome.exit_code`` reads ``payload["findings"]``) nor towards the summary counts
(``summary.waived`` holds how many were waived; ``rules[].findings`` counts what is left in
``findings``, ``rules[].waived`` what was waived).

File formats (chosen by extension):

TOML (``.toml``)::

    [[waiver]]
    fingerprint = "9f2c1a0b7d3e4f5a6b7c"
    reason = "Dossier overgedragen, lijn wordt door VDAB afgesloten"
    accepted_by = "An Peeters"
    expires = 2025-12-31            # optional; a TOML date or "YYYY-MM-DD"

    [[waiver]]
    rule = "ABO009"
    klantnummer = "61000447"        # or chequenummer = "...", or both
    reason = "..."
    accepted_by = "..."

CSV (``.csv``/``.txt``; ``;``, ``,`` or tab; UTF-8 or cp1252), one waiver per row, with a header
naming the same fields (Dutch names accepted: ``regel``, ``reden``, ``aanvaard_door``,
``vervalt``/``vervaldatum``/``geldig_tot``). Dates ``YYYY-MM-DD`` or ``dd/mm/jjjj``. Empty rows and
rows whose first cell starts with ``#`` are skipped.

Matching: an entry selects findings by ``fingerprint``, or by ``rule`` together with
``klantnummer`` and/or ``chequenummer``; every selector given must match (keys are normalised the
way the readers normalise them, so ``61000447.0`` or a chequenummer without its leading zeros
still match). A waiver on a whole rule is refused: that is what ``--config`` is for. When several
entries match one finding, the first in the file is the one applied.

Problems that do not stop the run are listed in ``payload["waiver_problems"]`` (``{kind, entry,
message, message_en, waiver}``): an entry whose ``expires`` date lies before the peildatum
(``expired``; it does not apply), an entry that matches no finding (``unmatched``; the problem it
covered may be solved and the entry can go), an entry naming a rule code that does not exist
(``unknown_rule``). A file that cannot be used (missing, not TOML/CSV, unknown field, entry
without reason/accepted_by/selector, bad date) raises :class:`WaiverError` (a
:class:`dossiercheck.config.ConfigError`) with one line naming the file and the entry, in Dutch or,
with ``--lang en``, in English.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossiercheck.config import ConfigError
from dossiercheck.parsing import parse_chequenummer, parse_date, parse_klantnummer
from dossiercheck.text import normalise

FIELDS = ("fingerprint", "rule", "klantnummer", "chequenummer", "reason", "accepted_by", "expires")

# normalised header/key -> field
ALIASES = {
    "fingerprint": "fingerprint",
    "vingerafdruk": "fingerprint",
    "rule": "rule",
    "regel": "rule",
    "code": "rule",
    "klantnummer": "klantnummer",
    "klantnr": "klantnummer",
    "klant": "klantnummer",
    "chequenummer": "chequenummer",
    "cheque nr": "chequenummer",
    "chequenr": "chequenummer",
    "cheque": "chequenummer",
    "reason": "reason",
    "reden": "reason",
    "motivering": "reason",
    "accepted by": "accepted_by",
    "aanvaard door": "accepted_by",
    "goedgekeurd door": "accepted_by",
    "expires": "expires",
    "vervalt": "expires",
    "vervaldatum": "expires",
    "geldig tot": "expires",
}

SEVERITY_KEYS = ("error", "warning", "info")

# --- user-facing messages ---------------------------------------------------------------------
# ``{where}`` is the file, and the CSV line or the entry number when the problem is in one entry.

MESSAGES: dict[str, dict[str, str]] = {
    "not_found": {"nl": "uitzonderingenbestand niet gevonden: {file}", "en": "waivers file not found: {file}"},
    "is_folder": {"nl": "{where} is een map, geen bestand", "en": "{where} is a folder, not a file"},
    "unreadable": {"nl": "{where} kan niet gelezen worden: {detail}", "en": "{where} cannot be read: {detail}"},
    "bad_type": {"nl": "{where}: gebruik een .toml- of .csv-bestand", "en": "{where}: use a .toml or .csv file"},
    "not_utf8": {"nl": "{where} is geen UTF-8-tekst", "en": "{where} is not UTF-8 text"},
    "not_toml": {"nl": "{where} is geen geldige TOML: {detail}", "en": "{where} is not valid TOML: {detail}"},
    "unknown_key": {
        "nl": "{where}: onbekende sleutel {key!r} (verwacht: [[waiver]]-items)",
        "en": "{where}: unknown key {key!r} (expected [[waiver]] entries)",
    },
    "not_list": {
        "nl": "{where}: '{key}' moet een lijst van tabellen zijn ([[{key}]])",
        "en": "{where}: '{key}' must be a list of tables ([[{key}]])",
    },
    "unknown_column": {
        "nl": "{where}: onbekende kolom {column!r} (verwacht: {fields})",
        "en": "{where}: unknown column {column!r} (expected {fields})",
    },
    "column_twice": {
        "nl": "{where}: kolom {column!r} komt twee keer voor",
        "en": "{where}: column {column!r} appears twice",
    },
    "no_header": {"nl": "{where}: geen kopregel", "en": "{where}: no header row"},
    "extra_cells": {
        "nl": "{where}: meer cellen dan kolommen in de kopregel",
        "en": "{where}: more cells than header columns",
    },
    "unknown_field": {
        "nl": "{where}: onbekend veld {name!r} (verwacht: {fields})",
        "en": "{where}: unknown field {name!r} (expected {fields})",
    },
    "not_text": {
        "nl": "{where}: {field} moet tekst zijn, niet {value!r}",
        "en": "{where}: {field} must be text, got {value!r}",
    },
    "bad_date": {
        "nl": "{where}: expires {value!r} is geen datum (JJJJ-MM-DD of dd/mm/jjjj)",
        "en": "{where}: expires {value!r} is not a date (YYYY-MM-DD or dd/mm/yyyy)",
    },
    "no_selector": {
        "nl": "{where}: geef een fingerprint, of een regel (rule) met een klantnummer of chequenummer",
        "en": "{where}: give a fingerprint, or a rule with a klantnummer or chequenummer",
    },
    "whole_rule": {
        "nl": "{where}: regel {rule} heeft een klantnummer of chequenummer nodig "
        "(een hele regel kan niet aanvaard worden; gebruik --config)",
        "en": "{where}: rule {rule} needs a klantnummer or chequenummer (a whole rule cannot be waived; use --config)",
    },
    "no_reason": {"nl": "{where}: reden ontbreekt (reason of reden)", "en": "{where}: reason is missing"},
    "no_accepted_by": {
        "nl": "{where}: aanvaard door ontbreekt (accepted_by of aanvaard_door)",
        "en": "{where}: accepted_by is missing",
    },
}


class WaiverError(ConfigError):
    """A waivers file that cannot be used. Parameters ``file`` and, for one entry, ``line`` (CSV)
    or ``entry`` (its number in a TOML file) make the ``{where}`` of the message."""

    MESSAGES = MESSAGES

    def _params(self, lang: str) -> dict[str, object]:
        params = super()._params(lang)
        nl = lang != "en"
        where = f"{'uitzonderingenbestand' if nl else 'waivers file'} {params.get('file')}"
        if params.get("line"):
            where += f", {'rij' if nl else 'line'} {params['line']}"
        elif params.get("entry"):
            where += f", {'uitzondering' if nl else 'waiver'} {params['entry']}"
        return {**params, "where": where}


@dataclass(frozen=True)
class Waiver:
    entry: int  # 1-based number of the entry in the file
    line: int | None  # CSV line number (None for TOML)
    fingerprint: str | None
    rule: str | None
    klantnummer: str | None
    chequenummer: str | None
    reason: str
    accepted_by: str
    expires: dt.date | None

    def label(self, lang: str = "nl") -> str:
        where = (f"rij {self.line}" if lang == "nl" else f"line {self.line}") if self.line else f"nr. {self.entry}"
        sel = []
        if self.fingerprint:
            sel.append(f"fingerprint {self.fingerprint}")
        if self.rule:
            sel.append(self.rule)
        if self.klantnummer:
            sel.append(("klant " if lang == "nl" else "client ") + self.klantnummer)
        if self.chequenummer:
            sel.append("cheque " + self.chequenummer)
        noun = "Uitzondering" if lang == "nl" else "Waiver"
        return f"{noun} {where} ({', '.join(sel)})"

    def selectors(self) -> dict:
        return {
            k: v
            for k, v in (
                ("fingerprint", self.fingerprint),
                ("rule", self.rule),
                ("klantnummer", self.klantnummer),
                ("chequenummer", self.chequenummer),
            )
            if v
        }

    def as_dict(self) -> dict:
        return {
            "reason": self.reason,
            "accepted_by": self.accepted_by,
            "expires": self.expires.isoformat() if self.expires else None,
            "entry": self.entry,
            **({"line": self.line} if self.line else {}),
        }

    def matches(self, f: dict) -> bool:
        if self.fingerprint and f.get("fingerprint") != self.fingerprint:
            return False
        if self.rule and f.get("rule") != self.rule:
            return False
        if self.klantnummer and _key(f.get("klantnummer"), parse_klantnummer) != self.klantnummer:
            return False
        if self.chequenummer and _key(f.get("chequenummer"), parse_chequenummer) != self.chequenummer:
            return False
        return True


def _key(value: Any, parser) -> str | None:
    """A klant/chequenummer as the readers normalise it; unparseable text is kept as trimmed text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value).strip()
    if not s:
        return None
    if s.isdigit() and (7 <= len(s) <= 10 if parser is parse_klantnummer else len(s) == 11):
        return s  # already normalised (the common case for findings)
    parsed, err = parser(s)
    return parsed if err is None else s


# ---------------------------------------------------------------------------------------- reading


def load(path: str | Path) -> list[Waiver]:
    """Read and validate a waivers file (TOML or CSV). Raises WaiverError (one line) if unusable."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise WaiverError("not_found", file=p) from None
    except IsADirectoryError:
        raise WaiverError("is_folder", file=p) from None
    except OSError as e:
        raise WaiverError("unreadable", file=p, detail=e.strerror) from None
    ext = p.suffix.lower()
    if ext == ".toml":
        raws = _read_toml(p, data)
    elif ext in (".csv", ".txt"):
        raws = _read_csv(p, data)
    else:
        raise WaiverError("bad_type", file=p)
    return [_validate(p, n, line, raw) for n, (line, raw) in enumerate(raws, start=1)]


def _read_toml(p: Path, data: bytes) -> list[tuple[int | None, dict]]:
    try:
        doc = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise WaiverError("not_utf8", file=p) from None
    except tomllib.TOMLDecodeError as e:
        raise WaiverError("not_toml", file=p, detail=e) from None
    unknown = [k for k in doc if k not in ("waiver", "waivers")]
    if unknown:
        raise WaiverError("unknown_key", file=p, key=unknown[0])
    entries: list = []
    for key in ("waiver", "waivers"):
        value = doc.get(key, [])
        if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
            raise WaiverError("not_list", file=p, key=key)
        entries.extend(value)
    return [(None, e) for e in entries]


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _read_csv(p: Path, data: bytes) -> list[tuple[int | None, dict]]:
    text = _decode(data)
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), None)
    if first is None:
        return []
    delim = max((";", ",", "\t"), key=lambda d: len(next(csv.reader([first], delimiter=d))))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    header: list[str | None] | None = None
    out: list[tuple[int | None, dict]] = []
    for row in reader:
        line = reader.line_num
        if not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = []
            for c in row:
                name = normalise(c).replace("_", " ").replace("-", " ") if c.strip() else ""
                if not name:
                    header.append(None)
                    continue
                field = ALIASES.get(name)
                if field is None:
                    raise WaiverError("unknown_column", file=p, column=c.strip(), fields=", ".join(FIELDS))
                if field in header:
                    raise WaiverError("column_twice", file=p, column=field)
                header.append(field)
            if not any(header):
                raise WaiverError("no_header", file=p)
            continue
        extra = [c for c in row[len(header):] if c.strip()]
        if extra:
            raise WaiverError("extra_cells", file=p, line=line)
        raw = {f: c.strip() for f, c in zip(header, row) if f and c.strip()}
        out.append((line, raw))
    return out


def _text(where: dict, field: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        raise WaiverError("not_text", **where, field=field, value=value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value).strip()
    return s or None


def _date(where: dict, value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        d, err = parse_date(value)
        if err is None:
            return d
    raise WaiverError("bad_date", **where, value=value)


def _validate(p: Path, n: int, line: int | None, raw: dict) -> Waiver:
    where = {"file": p, "line": line} if line else {"file": p, "entry": n}
    fields: dict[str, Any] = {}
    for k, v in raw.items():
        field = ALIASES.get(normalise(str(k)).replace("_", " ").replace("-", " "))
        if field is None:
            raise WaiverError("unknown_field", **where, name=k, fields=", ".join(FIELDS))
        fields[field] = v
    fp = _text(where, "fingerprint", fields.get("fingerprint"))
    rule = _text(where, "rule", fields.get("rule"))
    klant = _key(_text(where, "klantnummer", fields.get("klantnummer")), parse_klantnummer)
    cheque = _key(_text(where, "chequenummer", fields.get("chequenummer")), parse_chequenummer)
    reason = _text(where, "reason", fields.get("reason"))
    by = _text(where, "accepted_by", fields.get("accepted_by"))
    expires = _date(where, fields.get("expires"))
    if not fp and not rule:
        raise WaiverError("no_selector", **where)
    if not fp and not (klant or cheque):
        raise WaiverError("whole_rule", **where, rule=rule)
    if not reason:
        raise WaiverError("no_reason", **where)
    if not by:
        raise WaiverError("no_accepted_by", **where)
    return Waiver(
        entry=n, line=line, fingerprint=fp.lower() if fp else None, rule=rule.upper() if rule else None,
        klantnummer=klant, chequenummer=cheque, reason=reason, accepted_by=by, expires=expires,
    )


# --------------------------------------------------------------------------------------- applying


def _index(waivers: list[Waiver]) -> tuple[dict, dict, dict]:
    by_fp: dict[str, list[Waiver]] = {}
    by_klant: dict[tuple[str, str], list[Waiver]] = {}
    by_cheque: dict[tuple[str, str], list[Waiver]] = {}
    for w in waivers:
        if w.fingerprint:
            by_fp.setdefault(w.fingerprint, []).append(w)
        elif w.klantnummer:
            by_klant.setdefault((w.rule, w.klantnummer), []).append(w)
        else:
            by_cheque.setdefault((w.rule, w.chequenummer), []).append(w)
    return by_fp, by_klant, by_cheque


def _candidates(f: dict, idx: tuple[dict, dict, dict]) -> list[Waiver]:
    by_fp, by_klant, by_cheque = idx
    out: list[Waiver] = []
    fp = f.get("fingerprint")
    if fp and fp in by_fp:
        out.extend(by_fp[fp])
    rule = f.get("rule")
    if by_klant:
        k = _key(f.get("klantnummer"), parse_klantnummer)
        if k:
            out.extend(by_klant.get((rule, k), ()))
    if by_cheque:
        c = _key(f.get("chequenummer"), parse_chequenummer)
        if c:
            out.extend(by_cheque.get((rule, c), ()))
    return [w for w in out if w.matches(f)]


def apply(payload: dict, waivers: list[Waiver], peildatum: dt.date | str) -> None:
    """Move the findings matched by a valid waiver to ``payload["waived"]``; report problems."""
    P = dt.date.fromisoformat(peildatum) if isinstance(peildatum, str) else peildatum
    from dossiercheck.checks.registry import BY_CODE

    idx = _index(waivers)
    hits: dict[int, int] = {w.entry: 0 for w in waivers}
    kept: list[dict] = []
    waived: list[dict] = list(payload.get("waived") or [])
    for f in payload.get("findings", []):
        cands = _candidates(f, idx) if waivers else ()
        chosen = None
        for w in sorted(cands, key=lambda w: w.entry):
            hits[w.entry] += 1
            if chosen is None and (w.expires is None or w.expires >= P):
                chosen = w
        if chosen is None:
            kept.append(f)
        else:
            waived.append({**f, "waiver": chosen.as_dict()})
    problems: list[dict] = list(payload.get("waiver_problems") or [])
    for w in waivers:
        n = hits[w.entry]
        if w.expires is not None and w.expires < P:
            kind = "expired"
            nl = (
                f"{w.label('nl')} is vervallen op {w.expires:%d/%m/%Y} (peildatum {P:%d/%m/%Y}) en geldt niet meer; "
                f"{n} bevinding(en) tellen weer mee."
            )
            en = (
                f"{w.label('en')} expired on {w.expires:%d/%m/%Y} (reference date {P:%d/%m/%Y}) and no longer "
                f"applies; {n} finding(s) count again."
            )
        elif w.rule and w.rule not in BY_CODE:
            kind = "unknown_rule"
            nl = f"{w.label('nl')}: regel {w.rule} bestaat niet (tikfout?); de uitzondering geldt voor niets."
            en = f"{w.label('en')}: rule {w.rule} does not exist (typo?); the waiver matches nothing."
        elif n == 0:
            kind = "unmatched"
            nl = (
                f"{w.label('nl')} komt met geen enkele bevinding overeen; "
                "is het probleem opgelost, dan mag de uitzondering weg."
            )
            en = f"{w.label('en')} matches no finding; if the problem is solved, the waiver can be removed."
        else:
            continue
        problems.append(
            {"kind": kind, "entry": w.entry, "line": w.line, "message": nl, "message_en": en,
             "waiver": {**w.selectors(), **w.as_dict()}, "matches": n}
        )
    payload["findings"] = kept
    payload["waived"] = waived
    payload["waiver_problems"] = problems
    recount(payload)


def recount(payload: dict) -> None:
    """Summary and per-rule counts from what is in ``findings`` (waived ones apart)."""
    summary = payload.setdefault("summary", {})
    for s in SEVERITY_KEYS:
        summary[s] = 0
    per_rule: dict[str, int] = {}
    for f in payload.get("findings", []):
        if f.get("severity") in SEVERITY_KEYS:
            summary[f["severity"]] += 1
        per_rule[f.get("rule")] = per_rule.get(f.get("rule"), 0) + 1
    waived_rule: dict[str, int] = {}
    for f in payload.get("waived", []):
        waived_rule[f.get("rule")] = waived_rule.get(f.get("rule"), 0) + 1
    summary["waived"] = len(payload.get("waived", []))
    for r in payload.get("rules", []):
        if r.get("evaluated"):
            r["findings"] = per_rule.get(r["code"], 0)
            if waived_rule.get(r["code"]):
                r["waived"] = waived_rule[r["code"]]
