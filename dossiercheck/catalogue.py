"""The rule catalogue rendered from rule metadata: `dossiercheck rules`, `explain`, docs/rules.md."""

from __future__ import annotations

from dossiercheck import config as cfgmod
from dossiercheck.checks.registry import RULES
from dossiercheck.checks.rule import Rule


def _tables(rule: Rule) -> str:
    if rule.needs:
        return ", ".join(rule.needs)
    return "any table" if len(rule.any_of) > 3 else " or ".join(rule.any_of)


def render_text(lang: str = "nl") -> str:
    lines = []
    for r in RULES:
        lines.append(f"{r.code}  {r.severity.value:7}  {_tables(r):32}  {r.title(lang)}")
    return "\n".join(lines) + "\n"


def _config_value(path: str):
    node = cfgmod.defaults()
    for part in path.split("."):
        node = node[part]
    return node


def explain(rule: Rule, lang: str = "nl") -> str:
    nl = lang != "en"
    lines = [
        f"{rule.code} — {rule.title(lang)}",
        f"{'ernst' if nl else 'severity'}: {rule.severity.value}",
        f"{'tabellen' if nl else 'tables'}: {_tables(rule)}"
        + (" (" + "; ".join(f"{t}: {', '.join(c)}" for t, c in rule.needs.items() if c) + ")" if rule.needs else ""),
        f"{'logica' if nl else 'logic'}: {rule.logic}",
        f"{'wat moet je doen' if nl else 'what to do'}: {rule.hint(lang)}",
        f"{'bron' if nl else 'source'}: {rule.source}",
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
