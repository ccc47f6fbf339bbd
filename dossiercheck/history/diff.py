"""``dossiercheck diff``: compare two recorded runs (the same comparison the audit makes).

    dossiercheck diff RUN_A RUN_B   compare run B (new) with run A (old)
    dossiercheck diff RUN           compare RUN with its previous run (the one the audit used)
    dossiercheck diff               list the recorded runs

A run is given by its id (``findings.json`` → ``history.run_id``, or the list) or ``laatste``/
``latest``. Prints a summary and the new and solved findings (Dutch, ``--lang en`` for English)
and writes ``diff.json`` in ``--out``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path

import click

from dossiercheck import __version__
from dossiercheck.history import compare as cmp
from dossiercheck.history import store
from dossiercheck.reports.payload import atomic_write_bytes

MAX_LISTED = 25

TEXT = {
    "nl": {
        "title": "Vergelijking van run {a} (peildatum {pa}) met run {b} (peildatum {pb})",
        "order": "Let op: run {a} is recenter dan run {b}; de eerste run hoort de oudste te zijn.",
        "no_common": "Let op: de twee runs hebben geen organisatie gemeen; er valt niets op te lossen.",
        "orgs": "Vergeleken organisaties: {n}",
        "per_run": "  met run {run} (peildatum {p}): {n} organisatie(s){none}",
        "per_run_none": " en de bevindingen zonder organisatie",
        "nieuw": "nieuw",
        "blijvend": "blijvend",
        "opgelost": "opgelost",
        "not_compared": "{n} bevinding(en) van run {a} niet vergeleken (organisatie niet in run {b})",
        "new_list": "Nieuwe bevindingen:",
        "resolved_list": "Opgeloste bevindingen:",
        "more": "  … en nog {n} (zie diff.json)",
        "written": "Geschreven: {path}",
        "no_runs": "Nog geen runs in {path}.",
        "no_previous": "Run {b} heeft geen eerdere run met dezelfde organisaties om mee te vergelijken.",
        "list_head": "Run  Peildatum   Opgenomen                  Org.  Fouten  Waarsch.  Info  Aanvaard",
        "sev": {"error": "fout", "warning": "waarsch.", "info": "info"},
        "waived": " [aanvaard]",
        "too_many": "geef hoogstens twee runs: RUN_A RUN_B",
        "cannot_write": "{path} kan niet geschreven worden: {detail}",
    },
    "en": {
        "title": "Comparison of run {a} (reference date {pa}) with run {b} (reference date {pb})",
        "order": "Note: run {a} is more recent than run {b}; the first run should be the older one.",
        "no_common": "Note: the two runs have no organisation in common; nothing can be solved.",
        "orgs": "Organisations compared: {n}",
        "per_run": "  with run {run} (reference date {p}): {n} organisation(s){none}",
        "per_run_none": " and the findings without organisation",
        "nieuw": "new",
        "blijvend": "persisting",
        "opgelost": "solved",
        "not_compared": "{n} finding(s) of run {a} not compared (organisation not in run {b})",
        "new_list": "New findings:",
        "resolved_list": "Solved findings:",
        "more": "  … and {n} more (see diff.json)",
        "written": "Written: {path}",
        "no_runs": "No runs recorded yet in {path}.",
        "no_previous": "Run {b} has no earlier run covering the same organisations to compare with.",
        "list_head": "Run  Ref. date   Recorded                   Org.  Errors  Warnings  Info  Waived",
        "sev": {"error": "error", "warning": "warning", "info": "info"},
        "waived": " [waived]",
        "too_many": "give at most two runs: RUN_A RUN_B",
        "cannot_write": "cannot write {path}: {detail}",
    },
}


def _fail(message: str) -> None:
    click.echo(f"dossiercheck: {' '.join(str(message).split())}", err=True)
    sys.exit(2)


def _date(iso: str | None) -> str:
    if not iso or len(iso) < 10:
        return iso or "—"
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def resolve_run(runs: list[dict], ref: str, lang: str = "nl") -> dict:
    by_id = {r["run_id"]: r for r in runs}
    r = ref.strip().lower()
    if r in ("laatste", "latest", "last") and runs:
        return max(runs, key=lambda x: x["run_id"])
    if r.isdigit() and int(r) in by_id:
        return by_id[int(r)]
    raise store.HistoryError("bad_ref", ref=ref)


def diff_runs(conn, runs: list[dict], a: Mapping | None, b: Mapping, base: cmp.Baseline | None = None) -> dict:
    """The comparison of run ``b`` (new) with run ``a`` (old), as written to diff.json; with
    ``base`` (and ``a`` None), with that baseline instead: the audit's comparison."""
    from dossiercheck.history import compare_with, compared_with

    if base is None:
        base = cmp.pair_baseline(a, b["scope"])
    new = store.load_findings(conn, b["run_id"])
    new_fps = {f["fingerprint"] for f in new if f.get("fingerprint")}
    comp, gone = compare_with(conn, base, new_fps, b["scope"])
    seen = store.first_seen(conn, b["run_id"])
    seen_resolved = store.first_seen_of(conn, (f["fingerprint"] for _, f in gone))
    findings = []
    for f in sorted(new, key=cmp.sort_key):
        fp = f.get("fingerprint")
        findings.append({**f, "status": "blijvend" if fp in comp.persisting else "nieuw",
                         "first_seen": seen.get(fp, b["peildatum"])})
    resolved = [
        {**f, "status": "opgelost", "first_seen": seen_resolved.get(f.get("fingerprint"), r["peildatum"]),
         "last_seen_run": r["run_id"], "last_seen": r["peildatum"]}
        for r, f in gone
    ]
    n_persist = sum(1 for f in findings if f["status"] == "blijvend")
    base_runs = base.runs()
    return {
        "tool": "dossiercheck",
        "version": __version__,
        "run_a": _run_info(a) if a is not None else (_run_info(base_runs[0]) if base_runs else None),
        "run_b": _run_info(b),
        "compared_with": compared_with(base),
        "compared_organisations": comp.compared_organisations,
        "summary": {
            "nieuw": len(findings) - n_persist,
            "blijvend": n_persist,
            "opgelost": len(resolved),
            "not_compared": comp.not_compared,
        },
        "findings": findings,
        "resolved": resolved,
    }


def _run_info(r: Mapping) -> dict:
    return {
        "run_id": r["run_id"], "peildatum": r["peildatum"], "recorded_at": r["recorded_at"],
        "organisations": sorted(r["scope"]), "scope_source": r["scope_source"],
        "error": r["n_error"], "warning": r["n_warning"], "info": r["n_info"], "waived": r["n_waived"],
    }


def _line(f: Mapping, t: dict, lang: str) -> str:
    msg = (f.get("message_en") if lang == "en" else None) or f.get("message") or ""
    who = f.get("klantnummer") or f.get("chequenummer") or "—"
    org = f.get("organisatie") or "—"
    w = t["waived"] if f.get("waived") else ""
    return f"  {t['sev'].get(f.get('severity'), f.get('severity')):8} {f.get('rule', ''):7} {who:11} {org}: {msg}{w}"


def render(d: dict, lang: str) -> list[str]:
    t = TEXT[lang]
    a, b = d["run_a"], d["run_b"]
    out = [t["title"].format(a=a["run_id"], pa=_date(a["peildatum"]), b=b["run_id"], pb=_date(b["peildatum"]))]
    if (a["peildatum"], a["run_id"]) > (b["peildatum"], b["run_id"]):
        out.append(t["order"].format(a=a["run_id"], b=b["run_id"]))
    if not d["compared_organisations"] and (a["organisations"] or b["organisations"]):
        out.append(t["no_common"])
    out.append(t["orgs"].format(n=len(d["compared_organisations"])))
    if len(d.get("compared_with") or []) > 1:
        for c in d["compared_with"]:
            out.append(t["per_run"].format(run=c["run_id"], p=_date(c["peildatum"]), n=len(c["organisations"]),
                                           none=t["per_run_none"] if c["unattributed"] else ""))
    s = d["summary"]
    width = max(len(t[k]) for k in ("nieuw", "blijvend", "opgelost"))
    for k in ("nieuw", "blijvend", "opgelost"):
        out.append(f"  {t[k]:{width}} {s[k]:7}")
    if s["not_compared"]:
        out.append(t["not_compared"].format(n=s["not_compared"], a=a["run_id"], b=b["run_id"]))
    new = [f for f in d["findings"] if f["status"] == "nieuw"]
    for head, items in ((t["new_list"], new), (t["resolved_list"], d["resolved"])):
        if not items:
            continue
        out.append(head)
        out.extend(_line(f, t, lang) for f in items[:MAX_LISTED])
        if len(items) > MAX_LISTED:
            out.append(t["more"].format(n=len(items) - MAX_LISTED))
    return out


def _write_json(data: dict, path: Path) -> None:
    atomic_write_bytes(path, json.dumps(data, ensure_ascii=False, indent=1, default=str).encode("utf-8"))


def _list_runs(runs: list[dict], path: Path, t: dict) -> None:
    if not runs:
        click.echo(t["no_runs"].format(path=path))
        return
    click.echo(t["list_head"])
    for r in sorted(runs, key=lambda r: r["run_id"]):
        click.echo(
            f"{r['run_id']:>3}  {_date(r['peildatum']):10}  {r['recorded_at'][:25]:25}  {len(r['scope']):>4}  "
            f"{r['n_error']:>6}  {r['n_warning']:>8}  {r['n_info']:>4}  {r['n_waived']:>8}"
        )


@click.command("diff")
@click.argument("runs", nargs=-1, metavar="[RUN_A] [RUN_B]")
@click.option("--history", "history_path", default=None, help="History database (SQLite); default in the user data folder.")
@click.option("--out", "out_dir", default="dossiercheck-rapport", show_default=True, help="Folder for diff.json.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True, help="Output language.")
def diff_command(runs: tuple[str, ...], history_path: str | None, out_dir: str, lang: str) -> None:
    """Compare two recorded audit runs: new, persisting and solved findings.

    With one run: compare it with its previous run. Without: list the recorded runs.
    """
    t = TEXT[lang]
    if len(runs) > 2:
        _fail(t["too_many"])
    path = Path(history_path).expanduser() if history_path else store.default_path()
    try:
        conn = store.connect(path, create=False)
    except store.HistoryError as e:
        _fail(e.render(lang))
    try:
        all_runs = store.load_runs(conn)
        if not runs:
            _list_runs(all_runs, path, t)
            return
        try:
            refs = [resolve_run(all_runs, r, lang) for r in runs]
        except store.HistoryError as e:
            _fail(e.render(lang))
        if len(refs) == 1:
            b = refs[0]
            base = cmp.baseline(all_runs, cmp.Position(b["peildatum"], b["run_id"], b["scope"]))
            if not base.runs():
                click.echo(t["no_previous"].format(b=b["run_id"]))
                return
            d = diff_runs(conn, all_runs, None, b, base)
        else:
            a, b = refs
            d = diff_runs(conn, all_runs, a, b)
    finally:
        conn.close()
    for line in render(d, lang):
        click.echo(line)
    target = Path(out_dir) / "diff.json"
    try:
        _write_json(d, target)
    except OSError as e:
        _fail(t["cannot_write"].format(path=target, detail=e.strerror))
    click.echo(t["written"].format(path=target))
