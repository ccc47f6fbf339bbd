"""Every fixed text of the HTML and Excel reports, one dict per language.

Templates and writers take their words from here only (``TEXT[lang][key]``); rule titles, hints
and messages come from the rule registry and the payload. Dutch is the default language; an
unknown ``lang`` falls back to Dutch.
"""

from __future__ import annotations

import datetime as dt
import re

TEXT: dict[str, dict[str, str]] = {
    "nl": {
        # page
        "doc_title": "Uitzonderingsrapport dossiercontrole",
        "doc_title_org": "Uitzonderingsrapport dossiercontrole — {org}",
        "peildatum": "Peildatum",
        "generated_by": "Gemaakt met {tool} {version}",
        "nav_summary": "Samenvatting",
        "nav_findings": "Bevindingen",
        "nav_resolved": "Opgelost",
        "nav_waived": "Aanvaard",
        "nav_rules": "Regels",
        "nav_inputs": "Invoer",
        "nav_config": "Instellingen",
        # inputs
        "inputs_title": "Gelezen invoer",
        "inputs_summary": "{n} blad(en) of bestand(en) gelezen, {rows} rijen; {unrec} niet herkend",
        "inputs_summary_short": "{n} blad(en) of bestand(en) gelezen; {unrec} niet herkend",
        "inputs_details": "toon welke",
        "unrecognised_intro": "Deze bladen en bestanden werden niet gelezen: hun kolomkoppen passen bij geen enkele gekende tabel.",
        "col_file": "Bestand",
        "col_sheet": "Blad",
        "col_table": "Tabel",
        "col_header_row": "Kopregel",
        "col_rows": "Rijen",
        "col_headers": "Kolomkoppen",
        "unrecognised_title": "Niet herkende bladen en bestanden",
        "unrecognised_none": "Alle bladen en bestanden werden herkend.",
        "no_inputs": "Geen invoer vermeld.",
        # summary
        "summary_title": "Samenvatting",
        "card_error": "Fouten",
        "card_warning": "Waarschuwingen",
        "card_info": "Info",
        "card_rows": "Rijen gelezen",
        "card_new": "Nieuw sinds de vorige controle",
        "card_resolved": "Opgelost sinds vorige controle",
        "card_waived": "Aanvaard (uitzondering)",
        "chart_rules": "Bevindingen per regel",
        "chart_orgs": "Bevindingen per organisatie",
        "chart_trend": "Verloop over de laatste controles",
        "chart_other_rules": "{n} andere regels samen",
        "chart_other_orgs": "{n} andere organisaties samen",
        "history_first": "Eerste controle voor deze organisaties: er is geen vorige controle om mee te vergelijken, dus alle bevindingen zijn nieuw.",
        "history_compared": "Status vergeleken met de vorige controle (peildatum {date}).",
        "chart_none": "Geen bevindingen.",
        "waiver_problems_title": "Problemen met het uitzonderingenbestand",
        # findings
        "findings_title": "Bevindingen per organisatie en klant",
        "filter_label": "Zoeken",
        "filter_placeholder": "klantnummer, regel, tekst…",
        "filter_severity": "Ernst",
        "filter_rule": "Regel",
        "filter_org": "Organisatie",
        "filter_status": "Status",
        "filter_all": "alle",
        "filter_reset": "Filters wissen",
        "regroup": "Opnieuw groeperen per organisatie en klant",
        "visible_count": "{shown} van {total} rijen zichtbaar",
        "page_range": "rijen {first}–{last} van {shown} gevonden (van {total})",
        "page_range_all": "rijen {first}–{last} van {total}",
        "page_of": "pagina {page} van {pages}",
        "page_first": "« Eerste",
        "page_prev": "‹ Vorige",
        "page_next": "Volgende ›",
        "page_last": "Laatste »",
        "page_size": "Per pagina",
        "pager_label": "Pagina's van de lijst",
        "print_note": (
            "Deze afdruk toont één pagina van de lijst: {range}. Kies een andere pagina, een filter of "
            "meer rijen per pagina om andere bevindingen af te drukken; rapport.xlsx bevat de volledige lijst."
        ),
        "no_match": "Geen bevindingen voor deze filter.",
        "no_findings": "Geen bevindingen: alle geëvalueerde regels zijn in orde.",
        "cap_notice": (
            "Deze lijst toont de {shown} meest ernstige van {total} bevindingen; {hidden} staan er niet in. "
            "Tellingen en grafieken omvatten alle bevindingen; rapport.xlsx bevat de volledige lijst."
        ),
        "cap_per_severity": "{label}: {shown} van {total} getoond",
        "sort_hint": "Klik op een kolomkop om te sorteren.",
        "col_severity": "Ernst",
        "col_status": "Status",
        "col_first_seen": "Eerst gezien",
        "col_last_seen": "Laatst gezien",
        "since": "sinds {date}",
        "col_rule": "Regel",
        "col_title": "Titel",
        "col_klant": "Klant",
        "col_klantnummer": "Klantnummer",
        "col_chequenummer": "Chequenummer",
        "col_org": "Organisatie",
        "col_source": "Bron",
        "col_row": "Rij",
        "col_message": "Bevinding",
        "col_todo": "Wat moet je doen",
        "col_hint": "Wat moet je doen",
        "col_section": "Handleiding",
        "col_fingerprint": "Vingerafdruk",
        "col_count": "Aantal",
        "col_total": "Totaal",
        "manual": "Handleiding",
        "row_short": "rij",
        "rows_short": "rijen",
        "cheque": "cheque",
        "client": "Klant",
        "no_client": "zonder klantnummer",
        "no_org": "zonder organisatie",
        "findings_n": "{n} bevinding(en)",
        # history
        "status_nieuw": "nieuw",
        "status_blijvend": "blijvend",
        "resolved_title": "Opgelost sinds de vorige controle",
        "resolved_none": "Geen bevindingen opgelost sinds de vorige controle.",
        "waived_title": "Aanvaarde bevindingen (uitzonderingen)",
        "col_waiver_reason": "Reden",
        "col_accepted_by": "Aanvaard door",
        "col_expires": "Vervalt",
        "trend_run": "Controle",
        # rules
        "rules_title": "Regels",
        "not_evaluated_title": "Regels die niet geëvalueerd werden",
        "not_evaluated_intro": (
            "Deze regels konden niet gecontroleerd worden omdat een tabel of kolom ontbreekt in de "
            "aangeleverde export. Ze zijn dus niet ‘in orde’, maar niet nagekeken."
        ),
        "all_evaluated": "Alle regels werden geëvalueerd.",
        "catalogue_title": "Alle regels",
        "col_evaluated": "Geëvalueerd",
        "col_reason": "Waarom niet",
        "col_logic": "Logica",
        "yes": "ja",
        "no": "nee",
        "reason_table": "tabel {what} niet aangeleverd",
        "reason_column": "kolom {what} ontbreekt",
        # config
        "config_title": "Gebruikte instellingen",
        "col_setting": "Instelling",
        "col_value": "Waarde",
        # severities
        "sev_error": "fout",
        "sev_warning": "waarschuwing",
        "sev_info": "info",
        # xlsx
        "sheet_summary": "Samenvatting",
        "sheet_findings": "Bevindingen",
        "sheet_rules": "Regels",
        "sheet_resolved": "Opgelost",
        "sheet_waived": "Aanvaard",
        "xlsx_counts_severity": "Bevindingen per ernst",
        "xlsx_counts_rule": "Bevindingen per regel",
        "xlsx_counts_org": "Bevindingen per organisatie",
        "xlsx_continued": "Vervolg van het blad {sheet}",
        "xlsx_findings_sheets": "Bevindingen staan op de bladen: {sheets}",
        # split
        "split_title": "Rapporten per organisatie",
        "split_intro": "Eén rapport per organisatie, om elke organisatie enkel haar eigen bevindingen te bezorgen.",
        "split_html": "HTML",
        "split_xlsx": "Excel",
        "split_total": "Totaal",
    },
    "en": {
        "doc_title": "Dossier check exception report",
        "doc_title_org": "Dossier check exception report — {org}",
        "peildatum": "Reference date",
        "generated_by": "Made with {tool} {version}",
        "nav_summary": "Summary",
        "nav_findings": "Findings",
        "nav_resolved": "Resolved",
        "nav_waived": "Waived",
        "nav_rules": "Rules",
        "nav_inputs": "Inputs",
        "nav_config": "Settings",
        "inputs_title": "Inputs read",
        "inputs_summary": "{n} sheet(s) or file(s) read, {rows} rows; {unrec} not recognised",
        "inputs_summary_short": "{n} sheet(s) or file(s) read; {unrec} not recognised",
        "inputs_details": "show which",
        "unrecognised_intro": "These sheets and files were not read: their column headers match no known table.",
        "col_file": "File",
        "col_sheet": "Sheet",
        "col_table": "Table",
        "col_header_row": "Header row",
        "col_rows": "Rows",
        "col_headers": "Column headers",
        "unrecognised_title": "Sheets and files not recognised",
        "unrecognised_none": "Every sheet and file was recognised.",
        "no_inputs": "No inputs listed.",
        "summary_title": "Summary",
        "card_error": "Errors",
        "card_warning": "Warnings",
        "card_info": "Info",
        "card_rows": "Rows read",
        "card_new": "New since the previous check",
        "card_resolved": "Resolved since the previous check",
        "card_waived": "Waived",
        "chart_rules": "Findings per rule",
        "chart_orgs": "Findings per organisation",
        "chart_trend": "Trend over the last checks",
        "chart_other_rules": "{n} other rules together",
        "chart_other_orgs": "{n} other organisations together",
        "history_first": "First check of these organisations: there is no previous check to compare with, so every finding is new.",
        "history_compared": "Status compared with the previous check (reference date {date}).",
        "chart_none": "No findings.",
        "waiver_problems_title": "Problems with the waivers file",
        "findings_title": "Findings per organisation and client",
        "filter_label": "Search",
        "filter_placeholder": "client number, rule, text…",
        "filter_severity": "Severity",
        "filter_rule": "Rule",
        "filter_org": "Organisation",
        "filter_status": "Status",
        "filter_all": "all",
        "filter_reset": "Clear filters",
        "regroup": "Group by organisation and client again",
        "visible_count": "{shown} of {total} rows shown",
        "page_range": "rows {first}–{last} of {shown} found (of {total})",
        "page_range_all": "rows {first}–{last} of {total}",
        "page_of": "page {page} of {pages}",
        "page_first": "« First",
        "page_prev": "‹ Previous",
        "page_next": "Next ›",
        "page_last": "Last »",
        "page_size": "Per page",
        "pager_label": "Pages of the list",
        "print_note": (
            "This printout shows one page of the list: {range}. Choose another page, a filter or more "
            "rows per page to print other findings; rapport.xlsx holds the full list."
        ),
        "no_match": "No findings match this filter.",
        "no_findings": "No findings: every evaluated rule passed.",
        "cap_notice": (
            "This list shows the {shown} most severe of {total} findings; {hidden} are left out. "
            "Counts and charts cover every finding; rapport.xlsx holds the full list."
        ),
        "cap_per_severity": "{label}: {shown} of {total} shown",
        "sort_hint": "Click a column header to sort.",
        "col_severity": "Severity",
        "col_status": "Status",
        "col_first_seen": "First seen",
        "col_last_seen": "Last seen",
        "since": "since {date}",
        "col_rule": "Rule",
        "col_title": "Title",
        "col_klant": "Client",
        "col_klantnummer": "Client number",
        "col_chequenummer": "Cheque number",
        "col_org": "Organisation",
        "col_source": "Source",
        "col_row": "Row",
        "col_message": "Finding",
        "col_todo": "What to do",
        "col_hint": "What to do",
        "col_section": "Manual",
        "col_fingerprint": "Fingerprint",
        "col_count": "Count",
        "col_total": "Total",
        "manual": "Manual",
        "row_short": "row",
        "rows_short": "rows",
        "cheque": "cheque",
        "client": "Client",
        "no_client": "no client number",
        "no_org": "no organisation",
        "findings_n": "{n} finding(s)",
        "status_nieuw": "new",
        "status_blijvend": "persisting",
        "resolved_title": "Resolved since the previous check",
        "resolved_none": "No findings resolved since the previous check.",
        "waived_title": "Waived findings",
        "col_waiver_reason": "Reason",
        "col_accepted_by": "Accepted by",
        "col_expires": "Expires",
        "trend_run": "Check",
        "rules_title": "Rules",
        "not_evaluated_title": "Rules not evaluated",
        "not_evaluated_intro": (
            "These rules could not be checked because a table or column is missing from the exports "
            "given. They did not pass: they were not checked."
        ),
        "all_evaluated": "Every rule was evaluated.",
        "catalogue_title": "All rules",
        "col_evaluated": "Evaluated",
        "col_reason": "Why not",
        "col_logic": "Logic",
        "yes": "yes",
        "no": "no",
        "reason_table": "table {what} not given",
        "reason_column": "column {what} not given",
        "config_title": "Settings used",
        "col_setting": "Setting",
        "col_value": "Value",
        "sev_error": "error",
        "sev_warning": "warning",
        "sev_info": "info",
        "sheet_summary": "Summary",
        "sheet_findings": "Findings",
        "sheet_rules": "Rules",
        "sheet_resolved": "Resolved",
        "sheet_waived": "Waived",
        "xlsx_counts_severity": "Findings per severity",
        "xlsx_counts_rule": "Findings per rule",
        "xlsx_counts_org": "Findings per organisation",
        "xlsx_continued": "Continued from sheet {sheet}",
        "xlsx_findings_sheets": "Findings are on the sheets: {sheets}",
        "split_title": "Reports per organisation",
        "split_intro": "One report per organisation, so each organisation receives only its own findings.",
        "split_html": "HTML",
        "split_xlsx": "Excel",
        "split_total": "Total",
    },
}

# Strings the page script needs (handed to it as JSON in a data block).
JS_KEYS = ("visible_count", "no_match", "manual", "page_range", "page_range_all", "page_of", "print_note")

_REASONS = (
    (re.compile(r"^tables? (.+) not given$"), "reason_table"),
    (re.compile(r"^columns? (.+) not given$"), "reason_column"),
)


def text(lang: str) -> dict[str, str]:
    """The fixed strings of ``lang`` (Dutch for anything else)."""
    return TEXT.get(lang, TEXT["nl"])


def norm_lang(lang: str | None) -> str:
    return lang if lang in TEXT else "nl"


def fmt_int(n: int | None, lang: str) -> str:
    """A whole number with thousands separators: 20.000 (nl), 20,000 (en)."""
    if n is None:
        return ""
    s = f"{int(n):,}"
    return s.replace(",", ".") if lang == "nl" else s


def fmt_date(value: str | None, lang: str) -> str:
    """An ISO date as users read it: dd/mm/jjjj in Dutch, ISO in English. Other text unchanged."""
    if not value:
        return ""
    try:
        d = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return d.strftime("%d/%m/%Y") if lang == "nl" else d.isoformat()


def severity_label(severity: str, lang: str) -> str:
    return text(lang).get(f"sev_{severity}", str(severity))


def status_label(status: str | None, lang: str) -> str:
    if not status:
        return ""
    return text(lang).get(f"status_{status}", str(status))


def reason(reason: str | None, lang: str) -> str:
    """The engine's reason for a rule not evaluated (English, fixed shapes), in ``lang``."""
    if not reason:
        return ""
    for pattern, key in _REASONS:
        m = pattern.match(reason)
        if m:
            return text(lang)[key].format(what=m.group(1))
    return reason
