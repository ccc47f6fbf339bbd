"""The rule catalogue rendered from rule metadata: `dossiercheck rules`, `explain`, docs/rules.md."""

from __future__ import annotations

from dossiercheck import config as cfgmod
from dossiercheck.checks.registry import RULES
from dossiercheck.checks.rule import Rule


# the words of `rules` and `explain` (docs/rules.md is English: render_markdown uses "en")
TEXT = {
    "nl": {
        "head": ("code", "ernst", "tabellen", "titel"),
        "any_table": "elke tabel",
        "or": " of ",
        "severity": {"error": "fout", "warning": "waarschuwing", "info": "info"},
        "explain": ("ernst", "tabellen", "logica", "wat moet je doen", "bron"),
    },
    "en": {
        "head": ("code", "severity", "tables", "title"),
        "any_table": "any table",
        "or": " or ",
        "severity": {"error": "error", "warning": "warning", "info": "info"},
        "explain": ("severity", "tables", "logic", "what to do", "source"),
    },
}


def _text(lang: str) -> dict:
    return TEXT["en" if lang == "en" else "nl"]


def _tables(rule: Rule, lang: str = "en") -> str:
    if rule.needs:
        return ", ".join(rule.needs)
    t = _text(lang)
    return t["any_table"] if len(rule.any_of) > 3 else t["or"].join(rule.any_of)


def render_text(lang: str = "nl") -> str:
    """`dossiercheck rules`: a header line, then one line per rule."""
    t = _text(lang)
    code, sev, tables, title = t["head"]
    lines = [f"{code:6}  {sev:12}  {tables:32}  {title}"]
    for r in RULES:
        lines.append(f"{r.code:6}  {t['severity'][r.severity.value]:12}  {_tables(r, lang):32}  {r.title(lang)}")
    return "\n".join(lines) + "\n"


def _config_value(path: str):
    node = cfgmod.defaults()
    for part in path.split("."):
        node = node[part]
    return node


def explain(rule: Rule, lang: str = "nl") -> str:
    """`dossiercheck explain CODE`: the rule's metadata, one labelled line each."""
    t = _text(lang)
    severity, tables, logic, todo, source = t["explain"]
    lines = [
        f"{rule.code} — {rule.title(lang)}",
        f"{severity}: {t['severity'][rule.severity.value]}",
        f"{tables}: {_tables(rule, lang)}"
        + (" (" + "; ".join(f"{tb}: {', '.join(c)}" for tb, c in rule.needs.items() if c) + ")" if rule.needs else ""),
        f"{logic}: {rule.logic}",
        f"{todo}: {rule.hint(lang)}",
        f"{source}: {rule.source}",
    ]
    for key in rule.config_keys:
        lines.append(f"config {key} = {cfgmod.to_jsonable(_config_value(key))!r}")
    return "\n".join(lines)


def render_markdown() -> str:
    out = [
        "# Rule catalogue",
        "",
        "Generated from the rule metadata by `dossiercheck rules --markdown`; do not edit by hand",
        "(tests/test_catalogue.py fails when this file is stale).",
        "",
        "| code | severity | tables | title (nl) | title (en) | source |",
        "|---|---|---|---|---|---|",
    ]
    for r in RULES:
        out.append(
            f"| [{r.code}](#{r.code.lower()}) | {r.severity.value} | {_tables(r)} | {r.title_nl} | {r.title_en} | {r.source} |"
        )
    for r in RULES:
        out += [
            "",
            f"## {r.code}",
            "",
            f"**{r.title_nl}** / *{r.title_en}* — {r.severity.value}",
            "",
            f"- Logic: {r.logic}",
            f"- Wat moet je doen: {r.hint_nl}",
            f"- What to do: {r.hint_en}",
            f"- Source: {r.source}",
        ]
        if r.config_keys:
            out.append("- Config: " + ", ".join(f"`{k}`" for k in r.config_keys))
    return "\n".join(out) + "\n"
