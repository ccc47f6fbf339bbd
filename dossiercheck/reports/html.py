"""rapport.html: one self-contained page (CSS, script and SVG charts inline), readable offline and
printable.

Safety: the Jinja environment autoescapes everything, data is never marked safe, the only JSON
in the page is a data block written with ``tojson`` (``<``, ``>``, ``&`` and ``'`` escaped),
and a Content-Security-Policy allows no network access and runs only the page's own script
(by its SHA-256 hash), so even text that slipped through could not load or run anything.

Size: the finding rows are capped at ``max_rows`` (most severe first) with a visible notice;
counts, charts and filters always cover every finding.

Speed (20,000 rows open in about a second): every finding row is rendered here, escaped, but
inside ``<noscript id="all-rows">``. A browser that runs the page script parses that element's
content as one raw text, so the rows cost no DOM nodes and no layout; the script splits the
text at its row starts (``<tr class="``, which escaped data can never contain), filters and sorts
plain arrays, and puts one page (``PAGE_SIZE`` rows) of those pre-escaped rows in the visible
table. The only markup it parses is this module's own escaped output; data it adds itself (hints,
organisation names) goes in through ``textContent``. A reader without scripting (a mail preview)
gets the same element as an ordinary table of every row.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from itertools import groupby
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from dossiercheck import __version__
from dossiercheck.reports import charts, i18n
from dossiercheck.reports import viewmodel as vm

TEMPLATES = Path(__file__).parent / "templates"
SCRIPT_TEMPLATE = "report.js.j2"
# Above this many finding rows the "what to do" texts are not repeated in every row: they travel
# once per rule in the page's data block and the page script fills them in (a 20,000-row page
# would otherwise carry the same hints 20,000 times: a third of its size and load time).
INLINE_HINTS_MAX = 2000
# Finding rows the page shows at a time (the reader can pick another of PAGE_SIZES).
PAGE_SIZE = 200
PAGE_SIZES = (50, 100, 200, 500, 1000)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its extension
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


@lru_cache(maxsize=1)
def script_hash() -> str:
    """CSP source for the page script: the hash of exactly what the template includes."""
    js = environment().get_template(SCRIPT_TEMPLATE).render()
    return "'sha256-" + base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii") + "'"


class ClientGroup:
    __slots__ = ("gid", "klant", "findings")

    def __init__(self, gid: int, klant: str, findings: list[vm.Finding]):
        self.gid, self.klant, self.findings = gid, klant, findings


class OrgGroup:
    __slots__ = ("index", "label", "counts", "clients")

    def __init__(self, index: int, label: str, counts: dict[str, int], clients: list[ClientGroup]):
        self.index, self.label, self.counts, self.clients = index, label, counts, clients


def _display_key(f: dict) -> tuple:
    org, klant, row = f.get("organisatie"), f.get("klantnummer"), f.get("row")
    return (
        org is None,
        str(org or "").casefold(),
        str(org or ""),
        klant is None,
        str(klant or ""),
        vm.RANK.get(f.get("severity"), len(vm.RANK)),
        str(f.get("rule") or ""),
        str(f.get("file") or ""),
        str(f.get("sheet") or ""),
        row if isinstance(row, int) else 0,
    )


def build_context(payload: dict, lang: str = "nl", max_rows: int = 20000, title: str | None = None) -> dict:
    """Everything the template shows, computed once (linear in the findings, plus sorts)."""
    lang = i18n.norm_lang(lang)
    T = i18n.text(lang)
    mask = vm.make_masker()
    rules = vm.RuleTexts(lang)
    findings = payload.get("findings") or []

    # Counts over every finding.
    sev_total = vm.severity_counts(findings)
    rule_sev = vm.rule_severity_counts(findings)
    by_rule = {code: sum(c.values()) for code, c in rule_sev.items()}
    by_org = vm.org_counts(findings)
    orgs = vm.org_order(by_org)
    org_index = {o: i for i, o in enumerate(orgs)}
    org_labels = {o: vm.org_label(mask(o), lang) for o in orgs}

    # The rows shown: the max_rows most severe, then grouped by organisation and client.
    cap = max(0, int(max_rows))
    shown = vm.in_report_order(findings)[:cap] if len(findings) > cap else list(findings)
    shown.sort(key=_display_key)
    vm.prime_messages(mask, shown, lang)
    groups: list[OrgGroup] = []
    gid = 0
    for org, in_org in groupby(shown, key=lambda f: f.get("organisatie")):
        clients = []
        for klant, in_client in groupby(in_org, key=lambda f: f.get("klantnummer")):
            views = [vm.Finding(f, lang, rules, mask) for f in in_client]
            clients.append(ClientGroup(gid, views[0].klant, views))
            gid += 1
        groups.append(OrgGroup(org_index[org], org_labels[org], by_org[org], clients))

    capped = None
    if len(shown) < len(findings):
        sev_shown = vm.severity_counts(shown)
        capped = {
            "shown": len(shown),
            "total": len(findings),
            "hidden": len(findings) - len(shown),
            "per_severity": [(s, sev_shown[s], sev_total[s]) for s in vm.SEVERITIES if sev_total[s]],
        }

    rule_rows = vm.rule_rows(payload, by_rule, rules, lang)
    known = {r.code for r in rule_rows}
    # Findings of a rule missing from payload["rules"] still get a filter entry and a bar.
    extra = [c for c in sorted(by_rule) if c and c not in known]
    rule_options = [(r.code, r.title, by_rule[r.code]) for r in rule_rows if by_rule.get(r.code)]
    rule_options += [(c, rules[c].title, by_rule[c]) for c in extra]
    rule_chart = charts.bar_chart(
        [(f"{code} {title}", rule_sev[code]) for code, title, _ in rule_options],
        T["chart_other_rules"],
        max_bars=25,
        width=1000,
        label_w=520,
    )
    org_chart = charts.bar_chart([(org_labels[o], by_org[o]) for o in orgs], T["chart_other_orgs"], max_bars=20)
    inline_hints = len(shown) <= INLINE_HINTS_MAX
    hints = {}
    if not inline_hints:
        for g in groups:
            for c in g.clients:
                for f in c.findings:
                    if f.rule not in hints:
                        hints[f.rule] = [f.hint, f.source]

    hist = vm.history(payload, lang, rules, mask)
    statuses = sorted({f.get("status") for f in findings if f.get("status")}, key=lambda s: (s != "nieuw", s))
    summary = payload.get("summary") or {}

    return {
        "lang": lang,
        "T": T,
        "title": title or T["doc_title"],
        "tool": payload.get("tool") or "dossiercheck",
        "version": payload.get("version") or __version__,
        "peildatum": payload.get("peildatum") or "",
        "peildatum_text": i18n.fmt_date(payload.get("peildatum"), lang),
        "csp_script": script_hash(),
        "js_text": {k: T[k] for k in i18n.JS_KEYS}
        | {"lang": lang, "hints": hints, "page_size": PAGE_SIZE, "org_none": org_index.get(None, -1)},
        "page_size": PAGE_SIZE,
        "page_sizes": sorted({*PAGE_SIZES, PAGE_SIZE}),
        "findings_columns": _columns(T, hist["has_status"]),
        "inline_hints": inline_hints,
        "sev_total": sev_total,
        "total": len(findings),
        "rows_read": summary.get("rows_read"),
        "groups": groups,
        "shown": len(shown),
        "capped": capped,
        "severities": [(s, sev_total[s]) for s in vm.SEVERITIES],
        "rule_options": rule_options,
        "org_options": [(org_index[o], org_labels[o], by_org[o]["total"]) for o in orgs],
        "statuses": statuses,
        "has_status": hist["has_status"],
        "hist": hist,
        "rule_rows": rule_rows,
        "not_evaluated": [r for r in rule_rows if not r.evaluated],
        "inputs": vm.inputs(payload, mask),
        "unrecognised": vm.unrecognised(payload, mask),
        "config": vm.flatten_config(payload.get("config") or {}),
        "rule_chart": rule_chart,
        "org_chart": org_chart,
        "trend_chart": charts.trend_chart(hist["trend"]),
        "compared": _compared(payload, lang),
    }


def _columns(T: dict, has_status: bool) -> list[tuple[str, str]]:
    """The findings table's columns: (sort key the page script knows, header)."""
    cols = [("sev", T["col_severity"])]
    if has_status:
        cols.append(("status", T["col_status"]))
    cols += [("rule", T["col_rule"]), ("klant", T["col_klant"]), ("org", T["col_org"]),
             ("msg", T["col_message"]), ("src", T["col_source"]), ("todo", T["col_todo"])]
    return cols


def _compared(payload: dict, lang: str) -> str | None:
    """One sentence on what the statuses were compared with (None without history)."""
    h = payload.get("history")
    if not isinstance(h, dict) or "previous_run" not in h:
        return None
    T = i18n.text(lang)
    prev = h.get("previous_run")
    if not prev:
        return T["history_first"]
    return T["history_compared"].format(date=i18n.fmt_date(prev.get("peildatum"), lang))


def _globals(lang: str) -> dict:
    return {
        "n": lambda x: i18n.fmt_int(x, lang),
        "sev_label": lambda s: i18n.severity_label(s, lang),
        "status_label": lambda s: i18n.status_label(s, lang),
        "date": lambda d: i18n.fmt_date(d, lang),
        "SEVERITIES": vm.SEVERITIES,
    }


def render_html(payload: dict, lang: str = "nl", max_rows: int = 20000, title: str | None = None) -> str:
    ctx = build_context(payload, lang, max_rows, title)
    return environment().get_template("report.html.j2").render(**ctx, **_globals(ctx["lang"]))


def write_html(payload: dict, path: Path, lang: str = "nl", max_rows: int = 20000, rendered: str | None = None) -> None:
    """Render the report and put it in place atomically (temporary file, then rename).

    ``rendered``: the page already rendered by :func:`render_html` with these arguments (the run
    renders it while rapport.xlsx is being written, and puts it in place after the workbook)."""
    from dossiercheck.reports.payload import atomic_write_bytes

    text = rendered if rendered is not None else render_html(payload, lang, max_rows)
    atomic_write_bytes(Path(path), text.encode("utf-8"))
