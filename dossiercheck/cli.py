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
    },
    "en": {
        "summary": "dossiercheck {version} — reference date {p}",
        "rows": "{rows} rows read from {tables} table(s), {inputs} sheet(s)/file(s); {unrec} not recognised",
        "counts": "Findings: {error} error(s), {warning} warning(s), {info} info",
        "top": "Most frequent:",
        "not_evaluated": "{n} rule(s) not evaluated (table or column missing); see the report",
        "written": "Written: {files}",
        "waived": "{n} finding(s) accepted by waiver",
    },
}


class UsageFailure(Exception):
    """A problem the user can fix; reported in one line, exit 2."""


def _fail(message: str) -> None:
    click.echo(f"dossiercheck: {message}", err=True)
    sys.exit(2)


def _parse_formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise click.BadParameter(f"choose from {', '.join(FORMATS)} (comma-separated)")
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

    try:
        fmts = _parse_formats(formats)
    except click.BadParameter as e:
        _fail(f"--format: {e.message}")
    try:
        p = dt.date.fromisoformat(peildatum) if peildatum else dt.date.today()
    except ValueError:
        _fail(f"--peildatum: {peildatum!r} is not a date (YYYY-MM-DD)")
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
    outcome = run_audit(opts)
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
        _fail(f"unknown rule code {code!r}; see 'dossiercheck rules'")
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

    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("dossiercheck: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        click.echo(f"dossiercheck: {e.format_message()}", err=True)
        sys.exit(2)
    except (InputError, ConfigError, UsageFailure) as e:
        click.echo(f"dossiercheck: {e}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("dossiercheck: interrupted", err=True)
        sys.exit(130)
    except SystemExit:
        raise
    except MemoryError:
        click.echo("dossiercheck: out of memory reading the inputs; audit fewer files at once", err=True)
        sys.exit(2)
    except Exception as e:  # never a traceback for users
        if os.environ.get("DOSSIERCHECK_DEBUG"):
            raise
        click.echo(
            f"dossiercheck: internal error ({type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''}); "
            "rerun with DOSSIERCHECK_DEBUG=1 for details",
            err=True,
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
