"""Command line: parse options, call the engine, write the outputs, return an exit code.

Exit codes (CONTRACT.md): 0 no finding at or above --fail-on; 1 there are; 2 the run could not
be done (one line on stderr, never a traceback; set DOSSIERCHECK_DEBUG=1 to see one).

Language: every line the CLI prints is Dutch by default and English with ``--lang en`` (the
summary, the progress labels, the errors: InputError, ConfigError and its WaiverError and
HistoryError carry a message key and render in either language). ``--help`` is printed before
``--lang`` is parsed, so its texts (:data:`HELP`) follow the environment variable
``DOSSIERCHECK_LANG`` (``en`` for English) instead.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections import Counter
from pathlib import Path

import click

from dossiercheck import __version__
from dossiercheck.errors import UserError

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
        "err_out_not_dir": "--out {path} is een bestand, geen map; geef een map",
        "err_os": "{file}: {detail}; controleer het pad en de rechten",
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
        "err_out_not_dir": "--out {path} is a file, not a folder; give a folder",
        "err_os": "{file}: {detail}; check the path and the permissions",
        "err_interrupted": "interrupted",
        "err_memory": "out of memory reading the inputs; audit fewer files at once",
        "err_internal": "internal error ({detail}); rerun with DOSSIERCHECK_DEBUG=1 for details",
    },
}


class UsageFailure(UserError):
    """A problem the user can fix; reported in one line, exit 2: a message key of :data:`TEXT`
    and its parameters, rendered in the user's language like InputError and ConfigError."""

    MESSAGES = {key: {"nl": TEXT["nl"][key], "en": TEXT["en"][key]} for key in TEXT["nl"]}

    def _params(self, lang: str) -> dict[str, object]:
        return dict(self.params)  # shown with !r; _fail makes the line one line


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


# --- --help -------------------------------------------------------------------------------------
# The help texts of every command and option, Dutch by default, English with DOSSIERCHECK_LANG=en
# (``--lang`` is parsed after ``--help`` is printed). Keys: the command name ("dossiercheck" for the
# group), "command.param" for its parameters (the click parameter name); "metavar:" keys name
# an option's value. :func:`localise_help` applies them to every command, the optional ``diff``
# included; tests/test_cli.py checks that both languages cover every command and option.

HELP_ENV = "DOSSIERCHECK_LANG"

HELP: dict[str, dict[str, str]] = {
    "nl": {
        "dossiercheck": "Controleer de registraties in VDAB-klantendossiers tegen de partnerhandleidingen.\n\n"
        "Deze hulp is in het Nederlands; zet DOSSIERCHECK_LANG=en voor Engels. De uitvoer volgt --lang.",
        "help": "Toon deze hulp en stop.",
        "version": "Toon de versie en stop.",
        "version_message": "%(prog)s, versie %(version)s",
        "usage": "Gebruik: ",
        "options_metavar": "[OPTIES]",
        "subcommand_metavar": "OPDRACHT [ARGUMENTEN]...",
        "heading:Options": "Opties",
        "heading:Commands": "Opdrachten",
        "audit": "Controleer de exports in PAD (bestanden en/of mappen, mappen met submappen).\n\n"
        "Schrijft rapport.html, rapport.xlsx en findings.json in --out. Exitcode 0: geen bevinding op of "
        "boven --fail-on; 1: wel; 2: de controle kon niet gebeuren (één regel op stderr).",
        "audit.paths": "PAD...",
        "audit.peildatum": "Peildatum van de controle; standaard vandaag.",
        "audit.out_dir": "Uitvoermap (standaard: dossiercheck-rapport).",
        "audit.config_file": "TOML-bestand dat instelbare waarden overschrijft, bv. [limits] of [abo].",
        "audit.formats": "Te schrijven uitvoer, gescheiden door komma's: html, xlsx, json (standaard: alle drie).",
        "audit.fail_on": "Exitcode 1 bij een bevinding van deze ernst of hoger (standaard: error).",
        "audit.lang": "Taal van de rapporten, de samenvatting en de meldingen (standaard: nl).",
        "audit.split_by": "Schrijf ook een rapport per organisatie.",
        "audit.history_path": "Historiekdatabank (SQLite); standaard $DOSSIERCHECK_HISTORY of history.sqlite "
        "in de gegevensmap van de gebruiker.",
        "audit.no_history": "Neem deze controle niet op in de historiek.",
        "audit.waivers_file": "Bestand met aanvaarde uitzonderingen (TOML of CSV).",
        "audit.quiet": "Geen voortgangsweergave.",
        "rules": "Toon de regelcatalogus: code, ernst, tabellen, titel.",
        "rules.lang": "Taal van de uitvoer (standaard: nl).",
        "rules.markdown": "Geef de catalogus als Markdown (docs/rules.md, in het Engels en Nederlands).",
        "explain": "Beschrijf één regel CODE (zoals ABO009): logica, wat te doen, bron en instelbare waarden.",
        "explain.lang": "Taal van de uitvoer (standaard: nl).",
        "diff": "Vergelijk twee opgenomen controles: nieuwe, blijvende en opgeloste bevindingen.\n\n"
        "Met één run: vergelijk die met zijn vorige run. Zonder run: toon de opgenomen runs.",
        "diff.history_path": "Historiekdatabank (SQLite); standaard $DOSSIERCHECK_HISTORY of history.sqlite "
        "in de gegevensmap van de gebruiker.",
        "diff.out_dir": "Map voor diff.json (standaard: dossiercheck-rapport).",
        "diff.lang": "Taal van de uitvoer (standaard: nl).",
        "metavar:date": "JJJJ-MM-DD",
        "metavar:dir": "MAP",
        "metavar:file": "BESTAND",
        "metavar:list": "LIJST",
        "metavar:path": "PAD",
    },
    "en": {
        "dossiercheck": "Check registrations in VDAB client dossiers against the partner manuals.\n\n"
        "This help is in English because DOSSIERCHECK_LANG=en; the output follows --lang.",
        "help": "Show this message and exit.",
        "version": "Show the version and exit.",
        "version_message": "%(prog)s, version %(version)s",
        "usage": "Usage: ",
        "options_metavar": "[OPTIONS]",
        "subcommand_metavar": "COMMAND [ARGS]...",
        "heading:Options": "Options",
        "heading:Commands": "Commands",
        "audit": "Audit the exports in PATH (files and/or folders, read recursively).\n\n"
        "Writes rapport.html, rapport.xlsx and findings.json in --out. Exit code 0: no finding at or above "
        "--fail-on; 1: there is; 2: the run could not be done (one line on stderr).",
        "audit.paths": "PATH...",
        "audit.peildatum": "Reference date of the audit; default today.",
        "audit.out_dir": "Output folder (default: dossiercheck-rapport).",
        "audit.config_file": "TOML file overriding configurable values, e.g. [limits] or [abo].",
        "audit.formats": "Outputs to write, comma-separated: html, xlsx, json (default: all three).",
        "audit.fail_on": "Exit 1 when there is a finding at or above this severity (default: error).",
        "audit.lang": "Language of the reports, the summary and the messages (default: nl).",
        "audit.split_by": "Also write one report per organisation.",
        "audit.history_path": "History database (SQLite); default $DOSSIERCHECK_HISTORY or history.sqlite in "
        "the user data folder.",
        "audit.no_history": "Do not record this run in the history.",
        "audit.waivers_file": "Waivers file: accepted exceptions (TOML or CSV).",
        "audit.quiet": "No progress display.",
        "rules": "List the rule catalogue: code, severity, tables, title.",
        "rules.lang": "Output language (default: nl).",
        "rules.markdown": "Render the catalogue as Markdown (docs/rules.md, in English and Dutch).",
        "explain": "Describe one rule CODE (such as ABO009): logic, what to do, source and configurable values.",
        "explain.lang": "Output language (default: nl).",
        "diff": "Compare two recorded audit runs: new, persisting and solved findings.\n\n"
        "With one run: compare it with its previous run. Without: list the recorded runs.",
        "diff.history_path": "History database (SQLite); default $DOSSIERCHECK_HISTORY or history.sqlite in "
        "the user data folder.",
        "diff.out_dir": "Folder for diff.json (default: dossiercheck-rapport).",
        "diff.lang": "Output language (default: nl).",
        "metavar:date": "YYYY-MM-DD",
        "metavar:dir": "DIR",
        "metavar:file": "FILE",
        "metavar:list": "LIST",
        "metavar:path": "PATH",
    },
}

# the kind of value an option takes (its metavar, per language)
METAVARS = {
    "audit.peildatum": "date",
    "audit.out_dir": "dir",
    "audit.config_file": "file",
    "audit.formats": "list",
    "audit.history_path": "path",
    "audit.waivers_file": "file",
    "diff.history_path": "path",
    "diff.out_dir": "dir",
}


def help_lang(environ: dict | None = None) -> str:
    """The language of ``--help``: English when DOSSIERCHECK_LANG is ``en``, else Dutch."""
    value = (os.environ if environ is None else environ).get(HELP_ENV, "")
    return "en" if value.strip().lower() == "en" else "nl"


_help = {"lang": help_lang()}  # the language --help is printed in (localise_help sets it)


class _HelpFormatter(click.HelpFormatter):
    """Click's formatter with the usage prefix and section headings in the help language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, HELP[_help["lang"]]["usage"] if prefix is None else prefix)

    def section(self, name: str):
        return super().section(HELP[_help["lang"]].get(f"heading:{name}", name))


class _Context(click.Context):
    formatter_class = _HelpFormatter


def localise_help(group: click.Group, lang: str) -> None:
    """Set the help texts of ``group`` and its commands (and their options) to ``lang``."""
    texts = HELP[lang]
    _help["lang"] = lang
    for name, cmd in [("dossiercheck", group), *group.commands.items()]:
        cmd.help = texts[name]
        cmd.context_class = _Context
        cmd.options_metavar = texts["options_metavar"]
        if isinstance(cmd, click.Group):
            cmd.subcommand_metavar = texts["subcommand_metavar"]
        if not any(p.name == "help" for p in cmd.params):
            click.help_option("-h", "--help")(cmd)
        for p in cmd.params:
            key = f"{name}.{p.name}"
            if p.name in ("help", "version"):
                p.help = texts[p.name]
            elif isinstance(p, click.Option):
                p.help = texts[key]  # the default, when there is one, is in the text
                p.show_default = False
                if key in METAVARS:
                    p.metavar = texts["metavar:" + METAVARS[key]]
            elif key in texts:  # an argument's metavar
                p.metavar = texts[key]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dossiercheck", message=HELP[_help["lang"]]["version_message"])
def cli() -> None:
    """Check registrations in VDAB client dossiers against the partner manuals (help: HELP)."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--peildatum")
@click.option("--out", "out_dir", default="dossiercheck-rapport")
@click.option("--config", "config_file")
@click.option("--format", "formats", default="html,xlsx,json")
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), default="error")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl")
@click.option("--split-by", type=click.Choice(["organisatie"]), default=None)
@click.option("--history", "history_path", default=None)
@click.option("--no-history", is_flag=True)
@click.option("--waivers", "waivers_file", default=None)
@click.option("--quiet", "-q", is_flag=True)
def audit(paths, peildatum, out_dir, config_file, formats, fail_on, lang, split_by, history_path, no_history,
          waivers_file, quiet) -> None:
    """Audit the exports in PATH... (files and/or folders). Help texts: HELP["audit..."]."""
    from dossiercheck.run import RunOptions, run_audit

    from dossiercheck.config import ConfigError
    from dossiercheck.io.workbook import InputError

    try:
        fmts = _parse_formats(formats, lang)
    except click.BadParameter as e:
        _fail(e.message)
    try:
        p = dt.date.fromisoformat(peildatum) if peildatum else dt.date.today()
    except ValueError:
        _fail(TEXT[lang]["err_peildatum"].format(value=peildatum))
    if Path(out_dir).exists() and not Path(out_dir).is_dir():
        _fail(TEXT[lang]["err_out_not_dir"].format(path=out_dir))
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
    except (InputError, ConfigError) as e:  # one line in the user's language (ConfigError: also waivers, history)
        _fail(e.render(lang))
    except OSError as e:  # e.g. a report that cannot be written: the file and the system's reason
        if os.environ.get("DOSSIERCHECK_DEBUG"):
            raise
        _fail(TEXT[lang]["err_os"].format(file=e.filename or out_dir, detail=e.strerror or e))
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
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl")
@click.option("--markdown", is_flag=True)
def rules(lang: str, markdown: bool) -> None:
    """List the rule catalogue: code, severity, tables, title. Help texts: HELP["rules..."]."""
    from dossiercheck.catalogue import render_markdown, render_text

    click.echo(render_markdown() if markdown else render_text(lang), nl=False)


@cli.command()
@click.argument("code")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl")
def explain(code: str, lang: str) -> None:
    """Describe one rule: logic, hint, source and configurable values. Help texts: HELP["explain..."]."""
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
localise_help(cli, _help["lang"])


_NO_ARGS = getattr(click.exceptions, "NoArgsIsHelpError", ())  # click >= 8.2


def main() -> None:
    lang = _argv_lang()
    t = TEXT[lang]
    try:
        cli.main(standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        _fail(t["err_interrupted"], 130)
    except _NO_ARGS as e:  # `dossiercheck` alone: the help, as click shows it
        click.echo(e.format_message(), err=True)
        sys.exit(2)
    except click.ClickException as e:
        _fail(t["err_usage"].format(detail=e.format_message()) if isinstance(e, click.UsageError) else e.format_message())
    except UserError as e:  # InputError, ConfigError (also WaiverError, HistoryError), UsageFailure
        _fail(e.render(lang))
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
