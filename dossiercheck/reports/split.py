"""One report per organisation (``--split-by organisatie``), so a coach can mail each school only
its own findings: ``<organisation>.html`` and ``<organisation>.xlsx`` per organisation, the
findings without one in ``zonder_organisatie.*`` (``no_organisation.*`` in English), and an
``index.html`` linking them all.

An organisation's report holds only its own findings, resolved and waived findings; the
overall trend, the waiver-file problems and the rows-read total of the whole run are left out,
and unrecognised sheets are listed without their headers (they may hold another school's data).
Inputs, rules and settings are kept so the report stands on its own.

File names are safe on every system: letters without accents, digits, ``.``, ``_`` and ``-``
only, no leading or trailing dot, at most 80 characters, Windows' reserved names (``CON``,
``NUL``, ``COM1``, …) prefixed with ``_``, and names that collide (case-insensitively, also with
``index``) numbered ``_2``, ``_3``, … Files of earlier runs in the folder are left alone.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from dossiercheck.reports import i18n
from dossiercheck.reports import viewmodel as vm
from dossiercheck.reports.html import environment, render_html
from dossiercheck.reports.xlsx import write_xlsx

MAX_STEM = 80
RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(10)} | {f"LPT{i}" for i in range(10)}
INDEX = "index"


def safe_stem(name: str, fallback: str = "organisatie") -> str:
    """A file name stem for ``name`` that is valid and harmless on Windows, macOS and Linux."""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", text)
    text = re.sub(r"_{2,}", "_", text).strip("._-")
    text = text[:MAX_STEM].rstrip("._-")
    if not text:
        text = fallback
    if text.split(".")[0].upper() in RESERVED:
        text = "_" + text
    return text


def unique_stems(names: list[str], taken: set[str] | None = None) -> list[str]:
    """``names`` made unique, case-insensitively, by numbering repeats (``_2``, ``_3``, …)."""
    seen = {t.casefold() for t in (taken or set())}
    out = []
    for name in names:
        stem, k = name, 1
        while stem.casefold() in seen:
            k += 1
            stem = f"{name[: MAX_STEM - len(str(k)) - 1]}_{k}"
        seen.add(stem.casefold())
        out.append(stem)
    return out


def _by_org(items: list[dict] | None) -> dict[str | None, list[dict]]:
    out: dict[str | None, list[dict]] = {}
    for f in items or []:
        out.setdefault(f.get("organisatie"), []).append(f)
    return out


def org_payload(payload: dict, org: str | None, findings: list[dict], resolved: list[dict] | None,
                waived: list[dict] | None) -> dict:
    """The payload of one organisation's report."""
    counts = {code: sum(c.values()) for code, c in vm.rule_severity_counts(findings).items()}
    rules = [dict(r, findings=counts.get(r.get("code"), 0)) if r.get("evaluated") else dict(r)
             for r in payload.get("rules") or []]
    sub = {
        k: v for k, v in payload.items()
        if k not in ("findings", "rules", "summary", "resolved", "waived", "trend", "waiver_problems", "unrecognised")
    }
    sub.update(
        organisatie=org,
        findings=findings,
        rules=rules,
        summary={**vm.severity_counts(findings), "rows_read": None},
        unrecognised=[{"file": u.get("file"), "sheet": u.get("sheet"), "headers": []}
                      for u in payload.get("unrecognised") or []],
    )
    if resolved is not None:
        sub["resolved"] = resolved
    if waived is not None:
        sub["waived"] = waived
    return sub


def write_split(payload: dict, out_dir: Path, lang: str = "nl", max_rows: int = 20000,
                formats: tuple[str, ...] | list[str] = ("html", "xlsx")) -> list[Path]:
    """Write one HTML and/or xlsx report (``formats``) per organisation plus ``index.html``;
    return the paths."""
    from dossiercheck.reports.payload import atomic_write_bytes

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lang = i18n.norm_lang(lang)
    T = i18n.text(lang)
    mask = vm.make_masker()

    findings = _by_org(payload.get("findings"))
    resolved = _by_org(payload.get("resolved")) if "resolved" in payload else None
    waived = _by_org(payload.get("waived")) if "waived" in payload else None
    orgs = vm.org_order(set(findings) | set(resolved or {}) | set(waived or {}))
    no_org_stem = safe_stem(T["no_org"])
    stems = unique_stems([safe_stem(mask(o)) if o else no_org_stem for o in orgs], taken={INDEX})

    written: list[Path] = []
    entries = []
    for org, stem in zip(orgs, stems):
        fs = findings.get(org, [])
        sub = org_payload(
            payload, org, fs,
            None if resolved is None else resolved.get(org, []),
            None if waived is None else waived.get(org, []),
        )
        label = vm.org_label(mask(org), lang)
        html_path, xlsx_path = out_dir / f"{stem}.html", out_dir / f"{stem}.xlsx"
        title = T["doc_title_org"].format(org=label)
        entry = {"label": label, "html": None, "xlsx": None, "counts": vm.severity_counts(fs), "total": len(fs)}
        if "html" in formats:
            atomic_write_bytes(html_path, render_html(sub, lang, max_rows, title=title).encode("utf-8"))
            written.append(html_path)
            entry["html"] = html_path.name
        if "xlsx" in formats:
            write_xlsx(sub, xlsx_path, lang, title=title)
            written.append(xlsx_path)
            entry["xlsx"] = xlsx_path.name
        entries.append(entry)

    index = out_dir / f"{INDEX}.html"
    page = environment().get_template("index.html.j2").render(
        lang=lang, T=T, entries=entries, peildatum_text=i18n.fmt_date(payload.get("peildatum"), lang),
        peildatum=payload.get("peildatum") or "", totals=vm.severity_counts(payload.get("findings") or []),
        total=len(payload.get("findings") or []), tool=payload.get("tool") or "dossiercheck",
        version=payload.get("version") or "", n=lambda x: i18n.fmt_int(x, lang),
        sev_label=lambda s: i18n.severity_label(s, lang), SEVERITIES=vm.SEVERITIES,
    )
    atomic_write_bytes(index, page.encode("utf-8"))
    written.append(index)
    return written
