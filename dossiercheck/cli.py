"""Command line: parse options, call the engine, write the outputs, return an exit code.

Exit codes (CONTRACT.md): 0 no finding at or above --fail-on; 1 there are; 2 the run could not
be done (one line on stderr, never a traceback; set DOSSIERCHECK_DEBUG=1 to see one).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections import Counter
from pathlib import Path

import click

from dossiercheck import __version__

FORMATS = ("html", "xlsx", "json")

TEXT = {
    "nl": {
        "summary": "dossiercheck {version} — peildatum {p}",
        "rows": "{rows} rijen gelezen uit {tables} tabel(len), {inputs} blad(en)/bestand(en); {unrec} niet herkend",
        "counts": "Bevindingen: {error} fout(en), {warning} waarschuwing(en), {info} info",
        "top": "Meest voorkomend:",
        "not_evaluated": "{n} regel(s) niet geëvalueerd (tabel of kolom ontbreekt); zie het rapport",
        "written": "Geschreven: {files}",
        "waived": "{n} bevinding(en) aanvaard via uitzondering",
        "history": "Sinds de vorige controle: {nieuw} nieuw, {blijvend} blijvend, {opgelost} opgelost, {waived} aanvaard",
        "history_first": "Eerste controle van deze organisatie(s): {nieuw} nieuw, {waived} aanvaard",
        "history_run": "Historiek: run {run} in {path}{prev}",
        "history_prev": " (vergeleken met run {runs})",
        "waiver_problem": "Uitzonderingen: {message}",
        "more_problems": "Uitzonderingen: … en nog {n} (zie het rapport)",
        "err_format": "--format: kies uit {choices} (gescheiden door komma's)",
        "err_peildatum": "--peildatum: {value!r} is geen datum (JJJJ-MM-DD)",
        "err_rule": "onbekende regelcode {code!r}; zie 'dossiercheck rules'",
        "err_usage": "ongeldige opdracht ({detail}); zie 'dossiercheck --help'",
        "err_interrupted": "onderbroken",
        "err_memory": "onvoldoende geheugen om de invoer te lezen; controleer minder bestanden tegelijk",
        "err_internal": "interne fout ({detail}); start opnieuw met DOSSIERCHECK_DEBUG=1 voor details",
    },
    "en": {
        "summary": "dossiercheck {version} — reference date {p}",
        "rows": "{rows} rows read from {tables} table(s), {inputs} sheet(s)/file(s); {unrec} not recognised",
        "counts": "Findings: {error} error(s), {warning} warning(s), {info} info",
        "top": "Most frequent:",
        "not_evaluated": "{n} rule(s) not evaluated (table or column missing); see the report",
        "written": "Written: {files}",
        "waived": "{n} finding(s) accepted by waiver",
        "history": "Since the previous check: {nieuw} new, {blijvend} persisting, {opgelost} resolved, {waived} waived",
        "history_first": "First check of these organisation(s): {nieuw} new, {waived} waived",
        "history_run": "History: run {run} in {path}{prev}",
        "history_prev": " (compared with run {runs})",
        "waiver_problem": "Waivers: {message}",
        "more_problems": "Waivers: … and {n} more (see the report)",
        "err_format": "--format: choose from {choices} (comma-separated)",
        "err_peildatum": "--peildatum: {value!r} is not a date (YYYY-MM-DD)",
        "err_rule": "unknown rule code {code!r}; see 'dossiercheck rules'",
        "err_usage": "bad command ({detail}); see 'dossiercheck --help'",
        "err_interrupted": "interrupted",
        "err_memory": "out of memory reading the inputs; audit fewer files at once",
        "err_internal": "internal error ({detail}); rerun with DOSSIERCHECK_DEBUG=1 for details",
    },
}


class UsageFailure(Exception):
    """A problem the user can fix; reported in one line, exit 2."""


def _one_line(message: str) -> str:
    """Error lines are one line, whatever a file name or a library message holds."""
    return " ".join(str(message).split())


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"dossiercheck: {_one_line(message)}", err=True)
    sys.exit(code)


def _argv_lang(argv: list[str] | None = None) -> str:
    """``--lang`` as given on the command line, for errors raised before or outside a command."""
    argv = sys.argv[1:] if argv is None else argv
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "nl"
        if a.startswith("--lang="):
            return "en" if a.split("=", 1)[1] == "en" else "nl"
    return "nl"


def _parse_formats(value: str, lang: str = "nl") -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise click.BadParameter(TEXT[lang]["err_format"].format(choices=", ".join(FORMATS)))
    return formats


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dossiercheck")
def cli() -> None:
    """Check registrations in VDAB client dossiers against the partner manuals."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--peildatum", help="Reference date P (YYYY-MM-DD); default today.")
@click.option("--out", "out_dir", default="dossiercheck-rapport", show_default=True, help="Output folder.")
@click.option("--config", "config_file", help="TOML file overriding configurable values.")
@click.option("--format", "formats", default="html,xlsx,json", show_default=True, help="Outputs to write.")
@click.option(
    "--fail-on", type=click.Choice(["error", "warning", "never"]), default="error", show_default=True,
    help="Exit 1 when there is a finding at or above this severity.",
)
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True, help="Report language.")
@click.option("--split-by", type=click.Choice(["organisatie"]), default=None, help="Also write one report per organisation.")
@click.option("--history", "history_path", default=None, help="History database (SQLite); default in the user data folder.")
@click.option("--no-history", is_flag=True, help="Do not record this run in the history.")
@click.option("--waivers", "waivers_file", default=None, help="Waivers file (TOML or CSV).")
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
def audit(paths, peildatum, out_dir, config_file, formats, fail_on, lang, split_by, history_path, no_history,
          waivers_file, quiet) -> None:
    """Audit the exports in PATHS (files and/or folders)."""
    from dossiercheck.run import RunOptions, run_audit

    from dossiercheck.io.workbook import InputError

    try:
        fmts = _parse_formats(formats, lang)
    except click.BadParameter as e:
        _fail(e.message)
    try:
        p = dt.date.fromisoformat(peildatum) if peildatum else dt.date.today()
    except ValueError:
        _fail(TEXT[lang]["err_peildatum"].format(value=peildatum))
    opts = RunOptions(
        paths=list(paths),
        peildatum=p,
        out_dir=Path(out_dir),
        config_file=config_file,
        formats=fmts,
        lang=lang,
        split_by=split_by,
        history_path=history_path,
        no_history=no_history,
        waivers_file=waivers_file,
        progress=not quiet and sys.stderr.isatty(),
    )
    try:
        outcome = run_audit(opts)
    except InputError as e:  # one line in the user's language
        _fail(e.render(lang))
    _print_summary(outcome, lang)
    sys.exit(outcome.exit_code(fail_on))


def _print_summary(outcome, lang: str) -> None:
    t = TEXT[lang]
    payload = outcome.payload
    s = payload["summary"]
    click.echo(t["summary"].format(version=__version__, p=payload["peildatum"]))
    click.echo(
        t["rows"].format(
            rows=s["rows_read"], tables=len(s.get("rows_per_table", {})), inputs=len(payload["inputs"]),
            unrec=len(payload["unrecognised"]),
        )
    )
    click.echo(t["counts"].format(error=s["error"], warning=s["warning"], info=s["info"]))
    if payload.get("waived"):
        click.echo(t["waived"].format(n=len(payload["waived"])))
    _print_history(payload, t, lang)
    top = Counter(f["rule"] for f in payload["findings"]).most_common(5)
    if top:
        from dossiercheck.checks.registry import BY_CODE

        click.echo(t["top"])
        for code, n in top:
            click.echo(f"  {code:7} {n:6}  {BY_CODE[code].title(lang)}")
    not_eval = sum(1 for r in payload["rules"] if not r["evaluated"])
    if not_eval:
        click.echo(t["not_evaluated"].format(n=not_eval))
    click.echo(t["written"].format(files=", ".join(str(p) for p in outcome.written)))


def _print_history(payload: dict, t: dict, lang: str) -> None:
    """History counts (nieuw/blijvend/opgelost/aanvaard) and waiver-file problems, when present."""
    h = payload.get("history")
    if h:
        n_waived = len(payload.get("waived") or [])
        runs = [c["run_id"] for c in h.get("compared_with") or []]
        if runs:
            click.echo(t["history"].format(nieuw=h["nieuw"], blijvend=h["blijvend"], opgelost=h["opgelost"],
                                           waived=n_waived))
        else:
            click.echo(t["history_first"].format(nieuw=h["nieuw"], waived=n_waived))
        prev = t["history_prev"].format(runs=", ".join(map(str, runs))) if runs else ""
        click.echo(t["history_run"].format(run=h["run_id"], path=h["path"], prev=prev))
    problems = payload.get("waiver_problems") or []
    key = "message_en" if lang == "en" else "message"
    for p in problems[:10]:
        click.echo(t["waiver_problem"].format(message=p.get(key) or p.get("message")))
    if len(problems) > 10:
        click.echo(t["more_problems"].format(n=len(problems) - 10))


@cli.command()
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--markdown", is_flag=True, help="Render the catalogue as Markdown (docs/rules.md).")
def rules(lang: str, markdown: bool) -> None:
    """List the rule catalogue: code, severity, tables, title."""
    from dossiercheck.catalogue import render_markdown, render_text

    click.echo(render_markdown() if markdown else render_text(lang), nl=False)


@cli.command()
@click.argument("code")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
def explain(code: str, lang: str) -> None:
    """Describe one rule: logic, hint, source and configurable values."""
    from dossiercheck.catalogue import explain as explain_rule
    from dossiercheck.checks.registry import BY_CODE

    rule = BY_CODE.get(code.upper())
    if rule is None:
        _fail(TEXT[lang]["err_rule"].format(code=code))
    click.echo(explain_rule(rule, lang))


def _register_optional_commands() -> None:
    """Sub-commands contributed by optional modules (history diff, workload generator)."""
    try:
        from dossiercheck.history import diff_command
    except ImportError:
        return
    cli.add_command(diff_command, "diff")


_register_optional_commands()


def main() -> None:
    from dossiercheck.config import ConfigError
    from dossiercheck.io.workbook import InputError

    t = TEXT[_argv_lang()]
    try:
        cli.main(standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        _fail(t["err_interrupted"], 130)
    except click.ClickException as e:
        _fail(t["err_usage"].format(detail=e.format_message()) if isinstance(e, click.UsageError) else e.format_message())
    except InputError as e:
        _fail(e.render(_argv_lang()))
    except (ConfigError, UsageFailure) as e:
        _fail(str(e))
    except SystemExit:
        raise
    except MemoryError:
        _fail(t["err_memory"])
    except Exception as e:  # never a traceback for users
        if os.environ.get("DOSSIERCHECK_DEBUG"):
            raise
        _fail(t["err_internal"].format(detail=f"{type(e).__name__}: {_one_line(str(e))[:200]}"))


if __name__ == "__main__":
    main()
