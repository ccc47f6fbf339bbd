"""What the HTML and Excel reports share: the findings in report order, the counts, rule texts,
and the masking of personal data.

Everything here is plain Python over the payload (CONTRACT.md) and linear in the number of
findings, apart from one sort.

Personal data: every text taken from the input that a report shows (messages, organisation,
file and sheet names, unrecognised headers, waiver texts, and klant/chequenummers that are not
of their valid shape) goes through ``dossiercheck.checks.pii.mask_pii`` when that module
exists; when it exists without ``mask_pii`` the report is refused rather than written unmasked.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from dossiercheck.reports import i18n

SEVERITIES = ("error", "warning", "info")
RANK = {s: i for i, s in enumerate(SEVERITIES)}
PII_MODULE = "dossiercheck.checks.pii"
KLANT_RE = re.compile(r"\d{7,10}")  # TABLES.md: a valid klantnummer
CHEQUE_RE = re.compile(r"\d{11}")  # TABLES.md: a valid (normalised) chequenummer


# --------------------------------------------------------------------------- personal data


def _load_masker() -> Callable[[str], str] | None:
    try:
        mod = importlib.import_module(PII_MODULE)
    except ModuleNotFoundError as e:
        if e.name == PII_MODULE:
            return None
        raise
    fn = getattr(mod, "mask_pii", None)
    if not callable(fn):
        raise ImportError(f"{PII_MODULE} has no mask_pii(text); refusing to write a report unmasked")
    return fn


def _pre_checks(fn: Callable[[str], str]) -> tuple[Callable | None, Callable | None, Callable | None]:
    """For the PII module's own ``mask_pii``: its exact pre-checks, one text, many at once and an
    Arrow array at once (``may_mask``, ``may_mask_many``, ``may_mask_arrow``: False where
    ``mask_pii`` certainly returns the text unchanged); None for any other masker."""
    mod = importlib.import_module(PII_MODULE)
    if fn is not getattr(mod, "mask_pii", None):
        return None, None, None
    return getattr(mod, "may_mask", None), getattr(mod, "may_mask_many", None), getattr(mod, "may_mask_arrow", None)


class Masker:
    """Masks personal data in a text (memoised; None and non-text pass through). :meth:`prime`
    checks many texts at once, ahead of their calls, with the PII module's vectorised pre-check
    (``may_mask_many``): those ``mask_pii`` would return unchanged are memoised as they are."""

    def __init__(self) -> None:
        self.fn = _load_masker()
        self.cache: dict[str, str] = {}
        self.maybe, self.batch, self.arrow = _pre_checks(self.fn) if self.fn is not None else (None, None, None)

    def __call__(self, v: Any) -> Any:
        if self.fn is None or not isinstance(v, str) or not v:
            return v
        out = self.cache.get(v)
        if out is None:
            maybe = self.maybe
            out = self.cache[v] = self.fn(v) if maybe is None or maybe(v) else v
        return out

    def prime(self, values: Iterable[Any]) -> None:
        if self.batch is None:
            return
        cache = self.cache
        todo = [v for v in set(values) if isinstance(v, str) and v and v not in cache]
        for v, maybe in zip(todo, self.batch(todo)):
            if not maybe:
                cache[v] = v


def make_masker() -> Masker:
    """A function masking personal data in a text (see :class:`Masker`)."""
    return Masker()


# --------------------------------------------------------------------------- rules


class RuleText:
    """Title, hint, manual section, severity and logic of a rule code in one language.

    A code the registry does not know (a newer findings file) shows its code as title.
    """

    __slots__ = ("code", "title", "hint", "source", "logic", "severity")

    def __init__(self, code: str, lang: str):
        from dossiercheck.checks.registry import BY_CODE

        r = BY_CODE.get(code)
        self.code = code
        self.title = r.title(lang) if r else code
        self.hint = r.hint(lang) if r else ""
        self.source = manual_ref(r.source) if r else ""
        self.logic = r.logic if r else ""
        self.severity = r.severity.value if r else ""


class RuleTexts(dict):
    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def __missing__(self, code: str) -> RuleText:
        rt = self[code] = RuleText(code, self.lang)
        return rt


# --------------------------------------------------------------------------- manual references

# The rule catalogue cites the partner manuals by their number (the seed files 000-004); a reader
# knows them by their title. The titles are the documents' own (Dutch) names, in both languages.
MANUALS = {
    "000": "Afsluit klantendossier ABO (BuSO OV3)",
    "001": "Klantendossier ondersteuning alternerend leren",
    "002": "Begeleiding Outplacement",
    "003": "Intensieve bemiddeling en begeleiding (TIBB4, SCRABA, WIJ3, SAB3)",
    "004": "Registratiemodule loopbaancheques",
}
_MANUAL_NO = re.compile(r"(?:(?<=^)|(?<=[,;] ))(00[0-4])\b")
_SPEC_ONLY = re.compile(r"^(?:TABLES\.md|RULES\.md)(?: [A-Z]{3}\d{3})?(?:;\s*|$)")


def manual_ref(source: str | None) -> str:
    """A rule's ``source`` as a reader can look it up: ``000 §2.3.4`` becomes
    ``Afsluit klantendossier ABO (BuSO OV3) §2.3.4``. References to the tool's own specification
    (``TABLES.md``, ``RULES.md``), which no partner has, are left out; "" when nothing is left."""
    s = _SPEC_ONLY.sub("", (source or "").strip())
    if not s:
        return ""
    return _MANUAL_NO.sub(lambda m: MANUALS[m.group(1)], s)


# --------------------------------------------------------------------------- findings


class Finding:
    """One finding as the reports show it: texts in the report language, masked."""

    __slots__ = (
        "severity", "rank", "rule", "title", "hint", "source", "klant", "cheque", "org", "file", "sheet",
        "row", "rows", "message", "status", "first_seen", "last_seen", "fingerprint",
    )

    def __init__(self, f: dict, lang: str, rules: RuleTexts, mask: Callable[[Any], Any]):
        rt = rules[f.get("rule") or ""]
        self.severity = f.get("severity") or ""
        self.rank = RANK.get(self.severity, len(RANK))
        self.rule = f.get("rule") or ""
        self.title = rt.title
        self.hint = rt.hint
        self.source = rt.source
        self.klant = _ident(_str(f.get("klantnummer")), KLANT_RE, mask)
        self.cheque = _ident(_str(f.get("chequenummer")), CHEQUE_RE, mask)
        self.org = mask(_str(f.get("organisatie")))  # None: no organisation
        self.file = _s(mask(_str(f.get("file"))))
        self.sheet = _s(mask(_str(f.get("sheet"))))
        row = f.get("row")
        self.row = row if isinstance(row, int) else None
        rows = f.get("rows") or []
        self.rows = [r for r in rows if isinstance(r, int)]
        self.message = _s(mask(_str(_in_lang(f, "message", lang))))
        self.status = _str(f.get("status"))
        self.first_seen = _str(f.get("first_seen"))
        self.last_seen = _str(f.get("last_seen"))
        self.fingerprint = _s(_str(f.get("fingerprint")))

    @property
    def other_rows(self) -> list[int]:
        return [r for r in self.rows if r != self.row]


def _ident(v: str | None, shape: re.Pattern, mask: Callable[[Any], Any]) -> str:
    """A klant- or chequenummer. One of valid shape (7-10 digits, 11 digits) is shown as it is:
    it is the key users look a client up by, and a 7-10 digit klantnummer cannot be a national
    number. Anything else (DAT004 carries the raw cell) is masked like any other text."""
    if not v:
        return ""
    return v if shape.fullmatch(v) else _s(mask(v))


def _str(v: Any) -> str | None:
    if v is None:
        return None
    return v if isinstance(v, str) else str(v)


def _s(v: str | None) -> str:
    return v or ""


def report_key(f: dict) -> tuple:
    """Most severe first; then organisation (none last), client, rule, file, sheet, row."""
    org = f.get("organisatie")
    row = f.get("row")
    return (
        RANK.get(f.get("severity"), len(RANK)),
        org is None,
        str(org or "").casefold(),
        str(f.get("klantnummer") or ""),
        str(f.get("rule") or ""),
        str(f.get("file") or ""),
        str(f.get("sheet") or ""),
        row if isinstance(row, int) else 0,
    )


def in_report_order(findings: Iterable[dict]) -> list[dict]:
    return sorted(findings, key=report_key)


def severity_counts(findings: Iterable[dict]) -> dict[str, int]:
    c = Counter(f.get("severity") for f in findings)
    return {s: c.get(s, 0) for s in SEVERITIES}


def rule_severity_counts(findings: Iterable[dict]) -> dict[str, dict[str, int]]:
    """Per rule code the findings per severity (a rule has one severity, but stay general)."""
    out: dict[str, dict[str, int]] = {}
    for f in findings:
        c = out.setdefault(f.get("rule") or "", {})
        sev = f.get("severity")
        c[sev] = c.get(sev, 0) + 1
    return out


def org_counts(findings: Iterable[dict]) -> dict[str | None, dict[str, int]]:
    """Per organisation (None: without) the findings per severity, plus ``total``."""
    out: dict[str | None, dict[str, int]] = {}
    for f in findings:
        org = f.get("organisatie")
        c = out.get(org)
        if c is None:
            c = out[org] = {"error": 0, "warning": 0, "info": 0, "total": 0}
        sev = f.get("severity")
        if sev in c:
            c[sev] += 1
        c["total"] += 1
    return out


def org_order(orgs: Iterable[str | None]) -> list[str | None]:
    """Organisations alphabetically, the findings without one last."""
    return sorted(orgs, key=lambda o: (o is None, str(o or "").casefold(), str(o or "")))


def org_label(org: str | None, lang: str) -> str:
    return org if org else "(" + i18n.text(lang)["no_org"] + ")"


# --------------------------------------------------------------------------- rules, inputs, config


class RuleRow:
    __slots__ = ("code", "severity", "title", "hint", "source", "logic", "evaluated", "findings", "reason")

    def __init__(self, entry: dict, counts: dict[str, int], rules: RuleTexts, lang: str):
        rt = rules[entry.get("code") or ""]
        self.code = entry.get("code") or ""
        self.severity = entry.get("severity") or rt.severity
        self.title = rt.title
        self.hint = rt.hint
        self.source = rt.source
        self.logic = rt.logic
        self.evaluated = bool(entry.get("evaluated"))
        self.findings = counts.get(self.code, 0)
        self.reason = i18n.reason(entry.get("reason"), lang)


def rule_rows(payload: dict, counts: dict[str, int], rules: RuleTexts, lang: str) -> list[RuleRow]:
    return [RuleRow(e, counts, rules, lang) for e in payload.get("rules") or []]


def flatten_config(config: Any, prefix: str = "") -> list[tuple[str, str]]:
    """``{"abo": {"warn_days": 21}}`` -> ``[("abo.warn_days", "21")]``; lists joined by commas."""
    out: list[tuple[str, str]] = []
    if isinstance(config, dict):
        for k in config:
            out.extend(flatten_config(config[k], f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(config, (list, tuple)):
        out.append((prefix, ", ".join(_scalar(v) for v in config)))
    else:
        out.append((prefix, _scalar(config)))
    return out


def _scalar(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list, tuple)):
        return "; ".join(f"{k} = {val}" for k, val in flatten_config(v))
    return str(v)


def inputs(payload: dict, mask: Callable[[Any], Any]) -> list[dict]:
    rows = []
    for i in payload.get("inputs") or []:
        rows.append(
            {
                "file": _s(mask(_str(i.get("file")))),
                "sheet": _s(mask(_str(i.get("sheet")))),
                "table": _s(_str(i.get("table"))),
                "header_row": i.get("header_row"),
                "rows": i.get("rows"),
            }
        )
    return rows


def unrecognised(payload: dict, mask: Callable[[Any], Any]) -> list[dict]:
    rows = []
    for u in payload.get("unrecognised") or []:
        headers = [_s(mask(_str(h))) for h in (u.get("headers") or []) if h is not None]
        rows.append(
            {"file": _s(mask(_str(u.get("file")))), "sheet": _s(mask(_str(u.get("sheet")))), "headers": headers}
        )
    return rows


class Waived:
    """A waived finding: the finding plus its waiver."""

    __slots__ = ("finding", "reason", "accepted_by", "expires")

    def __init__(self, f: dict, lang: str, rules: RuleTexts, mask: Callable[[Any], Any]):
        self.finding = Finding(f, lang, rules, mask)
        w = f.get("waiver") or {}
        self.reason = _s(mask(_str(w.get("reason"))))
        self.accepted_by = _s(mask(_str(w.get("accepted_by"))))
        self.expires = _s(_str(w.get("expires")))


def _in_lang(d: dict, key: str, lang: str) -> Any:
    """``d[key + "_en"]`` in English when there is one, else ``d[key]``."""
    return d.get(f"{key}_en") if lang == "en" and d.get(f"{key}_en") else d.get(key)


def prime_messages(mask: Masker, findings: Iterable[dict], lang: str) -> None:
    """Check the messages the report shows in one batch, ahead of the rows (see
    :meth:`Masker.prime`)."""
    mask.prime([_in_lang(f, "message", lang) for f in findings])


def history(payload: dict, lang: str, rules: RuleTexts, mask: Callable[[Any], Any]) -> dict:
    """The history parts of the payload (each None when absent)."""
    resolved = payload.get("resolved")
    waived = payload.get("waived")
    problems = payload.get("waiver_problems")
    findings = payload.get("findings") or []
    has_status = any(f.get("status") for f in findings)
    return {
        "has_status": has_status,
        "new": sum(1 for f in findings if f.get("status") == "nieuw") if has_status else None,
        "resolved": None if resolved is None else [Finding(f, lang, rules, mask) for f in in_report_order(resolved)],
        "waived": None if waived is None else [Waived(f, lang, rules, mask) for f in in_report_order(waived)],
        "waiver_problems": [_s(mask(_str(_in_lang(p or {}, "message", lang)))) for p in problems or []],
        "trend": list(payload.get("trend") or []),
    }
