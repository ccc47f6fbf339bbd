"""rapport.xlsx, written with XlsxWriter in ``constant_memory`` mode (rows stream to disk as they
are written, so a million findings stay lean). The tables' rows are rendered in blocks by
:mod:`dossiercheck.reports.sheetxml` (the XML XlsxWriter writes for the same cells, each distinct
value rendered once; about 5× faster than one XlsxWriter call per cell); single cells (the summary
sheet) are written by XlsxWriter itself.

Sheets: ``Samenvatting`` (counts per severity, rule and organisation; inputs; rules not
evaluated; settings), ``Bevindingen`` (one row per finding, most severe first; header frozen,
autofilter, widths, severity colour; continued on ``Bevindingen 2``, … past Excel's
1,048,576 rows), ``Regels`` (the catalogue), and ``Opgelost``/``Aanvaard`` when the history
feature added resolved or waived findings. In English the sheet names and headers are English.

Formula injection: no formula is ever written. Every text is stored as an (escaped) string cell,
so Excel never evaluates it, whatever it starts with (``=``, ``+``, ``-``, ``@``, tab, CR), and a
text that looks like rich-text XML cannot inject cells (see sheetxml). Texts starting with one of
those characters additionally get a quote-prefix cell format (Excel's leading apostrophe), so the
cell stays text even when someone edits it and presses Enter. The workbook options switch off
XlsxWriter's own conversions of strings to formulas, numbers or links as a second guard.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import xlsxwriter

from dossiercheck import __version__
from dossiercheck.forking import ForkJob, can_fork
from dossiercheck.reports import i18n, sheetxml
from dossiercheck.reports import viewmodel as vm
from dossiercheck.reports.payload import temp_beside

MAX_SHEET_ROWS = 1_048_576  # rows of one Excel sheet, header included (monkeypatched in tests)
BLOCK_ROWS = 20_000  # rows rendered at once (sheetxml)
DANGEROUS_START = sheetxml.DANGEROUS_START
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
SEVERITY_STYLE = {
    "error": {"font_color": "#B3261E", "bg_color": "#FDECEB", "bold": True},
    "warning": {"font_color": "#8A5300", "bg_color": "#FFF4DC", "bold": True},
    "info": {"font_color": "#1F5A9C", "bg_color": "#E8F1FB", "bold": True},
}


# Deflate of the zip parts. The Bevindingen sheet of a province's audit is ~90 MB of XML, and
# deflating it is the workbook's largest single step (the workbook is the last report to finish).
# With ISA-L (python-isal, Intel's deflate in C/assembly) at level 2: 0.15 s for 10.5 MB; with
# zlib (XlsxWriter's, when python-isal is not installed) at level 3: 0.45-0.6 s for 10.2 MB, and
# at zlib's default 6: 1.1 s for 8.6 MB (96,525 findings, measured; docs/performance.md). Either
# is plain deflate: every zip reader reads it.
ISAL_LEVEL = 2
ZIP_LEVEL = 3  # zlib's level, without python-isal

try:
    from isal import isal_zlib as _isal_zlib
except ImportError:  # pragma: no cover - python-isal is a dependency; a platform without its wheel
    _isal_zlib = None


class _ZipFile(zipfile.ZipFile):
    """XlsxWriter's ``ZipFile`` with the deflate above: zlib at :data:`ZIP_LEVEL`, or, with
    python-isal, ISA-L at :data:`ISAL_LEVEL` (set on each part as it is opened for writing: the
    standard library has no option for another deflate, so this uses its ``_open_to_write`` and
    the part's ``_compressor``; tests/test_report_xlsx.py pins both)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("compresslevel", ZIP_LEVEL)
        super().__init__(*args, **kwargs)

    def _open_to_write(self, zinfo, force_zip64=False):
        dest = super()._open_to_write(zinfo, force_zip64)
        if _isal_zlib is not None and zinfo.compress_type == zipfile.ZIP_DEFLATED:
            dest._compressor = _isal_zlib.compressobj(ISAL_LEVEL, _isal_zlib.DEFLATED, -15)
        return dest


class Workbook(xlsxwriter.Workbook):
    """An XlsxWriter workbook whose zip parts are deflated as :class:`_ZipFile` does it.
    XlsxWriter has no option for it: its ``ZipFile`` is swapped while this workbook is stored
    (reports are written one at a time, and by their own process when large)."""

    def _store_workbook(self) -> None:
        from xlsxwriter import workbook as xw

        real = xw.ZipFile
        xw.ZipFile = _ZipFile
        try:
            super()._store_workbook()
        finally:
            xw.ZipFile = real


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` to write to; renamed onto ``path`` when all went well."""
    fd, tmp = temp_beside(path)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Sheets:
    """The workbook's cell formats and a safe cell writer."""

    def __init__(self, wb: xlsxwriter.Workbook):
        self.wb = wb
        self.title = wb.add_format({"bold": True, "font_size": 14, "font_color": "#1F3B57"})
        self.section = wb.add_format({"bold": True, "font_size": 12, "font_color": "#1F3B57"})
        self.header = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F3B57", "border": 1})
        self.text = None
        self.quoted = wb.add_format({"quote_prefix": True})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.wrap_quoted = wb.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})
        self.bold = wb.add_format({"bold": True})
        self.severity = {s: wb.add_format(style) for s, style in SEVERITY_STYLE.items()}
        self.date = wb.add_format({"num_format": "dd/mm/yyyy", "valign": "top", "align": "left"})
        # style indices in creation order, not in order of first use: the same workbook whether
        # cells are written one by one or rendered in bulk (sheetxml)
        for f in (self.title, self.section, self.header, self.quoted, self.wrap, self.wrap_quoted, self.bold,
                  *self.severity.values(), self.date):
            f._get_xf_index()

    def set_lang(self, lang: str) -> None:
        if lang == "en":
            self.date.set_num_format("yyyy-mm-dd")

    def put(self, ws, r: int, c: int, value: Any, fmt=None, wrap: bool = False) -> None:
        """Write one cell: text always as a string (never a formula), numbers as numbers."""
        if value is None or value == "":
            return
        if isinstance(value, bool):
            ws.write_string(r, c, str(value).lower(), fmt)
        elif isinstance(value, (int, float)) and math.isfinite(value):
            ws.write_number(r, c, value, fmt)
        else:
            s = value if isinstance(value, str) else str(value)
            if fmt is None:
                fmt = (self.wrap_quoted if s.startswith(DANGEROUS_START) else self.wrap) if wrap else (
                    self.quoted if s.startswith(DANGEROUS_START) else None
                )
            ws.write_string(r, c, s, fmt)

    def row(self, ws, r: int, values: Sequence[Any], wrap: bool = False) -> None:
        for c, v in enumerate(values):
            self.put(ws, r, c, v, wrap=wrap)

    def header_row(self, ws, r: int, headers: Sequence[str]) -> None:
        for c, h in enumerate(headers):
            ws.write_string(r, c, h, self.header)


def write_table(
    sh: Sheets,
    base: str,
    headers: Sequence[str],
    widths: Sequence[float],
    rows: Iterable[Sequence[Any]] | None,
    severity_col: int | None = None,
    wrap: bool = False,
    columns: Sequence[Sequence[Any]] | None = None,
) -> list:
    """Write ``rows`` under ``headers`` on sheet ``base``, continuing on ``base 2``, ``base 3``, …
    when a sheet is full; return the names of the sheets written.

    Each sheet gets the header row, frozen, an autofilter over its rows and the column widths.
    Column ``severity_col`` holds a severity (as ``(key, label)``) and is coloured. ``columns``
    (instead of ``rows``): the same cells, one sequence per column (the same workbook, tested).
    """
    if columns is not None:
        return _write_columns(sh, base, headers, widths, columns, severity_col, wrap)
    per = MAX_SHEET_ROWS - 1
    sheets: list[str] = []
    ws = None
    r = 0
    renderer = None
    pending: list = []  # rows not yet rendered, the first at 0-based row ``first``
    first = 1

    def close(ws, last_row: int) -> None:
        ws.autofilter(0, 0, max(last_row, 1), len(headers) - 1)

    open_sheet = _table_sheets(sh, base, headers, widths, sheets)

    def flush() -> None:
        if pending:
            last_col = max(len(headers), *map(len, pending)) - 1
            ws.write_rendered_rows(first, first + len(pending) - 1, last_col, renderer.rows_xml(pending, first))
            pending.clear()

    for values in rows:
        if ws is None or r == per:
            if ws is not None:
                flush()
                close(ws, r)
            ws = open_sheet()
            r = 0
            if renderer is None:
                renderer = _renderer(sh, ws, severity_col, wrap)
        if not pending:
            first = r + 1
        r += 1
        pending.append(values)
        if len(pending) == BLOCK_ROWS:
            flush()
    if ws is None:
        ws = open_sheet()
    flush()
    close(ws, r)
    return sheets


def _table_sheets(sh: Sheets, base: str, headers: Sequence[str], widths: Sequence[float], sheets: list):
    """A function opening the next sheet of table ``base`` (its name added to ``sheets``)."""

    def open_sheet():
        name = base if not sheets else f"{base} {len(sheets) + 1}"
        ws = sh.wb.add_worksheet(name, worksheet_class=sheetxml.Worksheet)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.freeze_panes(1, 0)
        ws.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})
        sh.header_row(ws, 0, headers)
        sheets.append(name)
        return ws

    return open_sheet


def _renderer(sh: Sheets, ws, severity_col: int | None, wrap: bool) -> sheetxml.CellRenderer:
    """The cell renderer of one table (its sheets share it: the formats are the workbook's)."""
    return sheetxml.CellRenderer(
        ws, plain=sh.wrap if wrap else None, quoted=sh.wrap_quoted if wrap else sh.quoted,
        date_fmt=sh.date, sev_fmt=sh.severity, severity_col=severity_col,
    )


def _write_columns(sh: Sheets, base: str, headers: Sequence[str], widths: Sequence[float],
                   columns: Sequence[Sequence[Any]], severity_col: int | None, wrap: bool) -> list:
    """:func:`write_table` of ``columns``: the same sheets and blocks, sliced from the columns (no
    list per row, no transposition)."""
    per = MAX_SHEET_ROWS - 1
    sheets: list[str] = []
    open_sheet = _table_sheets(sh, base, headers, widths, sheets)
    n = len(columns[0]) if len(columns) else 0
    last_col = max(len(headers), len(columns)) - 1
    ws = renderer = None
    r = start = 0
    while ws is None or start < n:
        if ws is None or r == per:
            if ws is not None:
                ws.autofilter(0, 0, max(r, 1), len(headers) - 1)
            ws = open_sheet()
            r = 0
            if renderer is None:
                renderer = _renderer(sh, ws, severity_col, wrap)
        take = min(BLOCK_ROWS, per - r, n - start)
        if take > 0:
            block = [c[start : start + take] for c in columns]
            ws.write_rendered_rows(r + 1, r + take, last_col, renderer.columns_xml(block, r + 1, take))
            r += take
            start += take
    ws.autofilter(0, 0, max(r, 1), len(headers) - 1)
    return sheets


def _date(value: str | None) -> dt.date | str | None:
    """An ISO date as a date cell (shown dd/mm/jjjj, sortable and filterable); other text as is."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)


class _Memo(dict):
    """``memo[v]`` is ``fn(v)``, computed once per distinct value."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def __missing__(self, key):
        value = self[key] = self.fn(key)
        return value


class _Cells:
    """The Bevindingen cells of each column as memos: what :class:`viewmodel.Finding` shows,
    computed once per distinct value (a workbook has up to a million rows; most values repeat)."""

    def __init__(self, lang: str, rules: vm.RuleTexts, mask):
        self.label = label = {s: i18n.severity_label(s, lang) for s in vm.SEVERITIES}
        self.sev = _Memo(lambda s: (s, label.get(s, s)))
        self.rule = _Memo(lambda code: (lambda rt: (code, rt.title, rt.hint, rt.source))(rules[code]))
        self.klant = _Memo(lambda v: vm._ident(vm._str(v), vm.KLANT_RE, mask))
        self.cheque = _Memo(lambda v: vm._ident(vm._str(v), vm.CHEQUE_RE, mask))
        self.org = _Memo(lambda v: vm.org_label(mask(vm._str(v)), lang))
        self.text = _Memo(lambda v: vm._s(mask(vm._str(v))))  # file, sheet, message
        self.status = _Memo(lambda v: i18n.status_label(vm._str(v), lang))
        self.seen = _Memo(lambda v: _date(vm._str(v)))


def _finding_columns(findings: list[dict], lang: str, rules: vm.RuleTexts, mask, history: bool) -> list[list]:
    """The Bevindingen cells column by column: :func:`_finding_rows` without a list per row (each
    column one pass over the findings through its memo). Findings with a value that cannot be a
    memo key (not in findings the tool writes) take :func:`_finding_rows` (equal, tested)."""
    m = _Cells(lang, rules, mask)

    def col(key: str) -> list:
        return [f.get(key) for f in findings]

    try:
        rules_of = list(map(m.rule.__getitem__, [f.get("rule") or "" for f in findings]))
        if lang == "en":
            messages = [f.get("message_en") or f.get("message") for f in findings]
        else:
            messages = col("message")
        columns = [list(map(m.sev.__getitem__, [f.get("severity") or "" for f in findings]))]
        if history:
            columns += [list(map(m.status.__getitem__, col("status"))), list(map(m.seen.__getitem__, col("first_seen")))]
        columns += [
            [r[0] for r in rules_of], [r[1] for r in rules_of],
            list(map(m.klant.__getitem__, col("klantnummer"))), list(map(m.cheque.__getitem__, col("chequenummer"))),
            list(map(m.org.__getitem__, col("organisatie"))), list(map(m.text.__getitem__, col("file"))),
            list(map(m.text.__getitem__, col("sheet"))), [r if isinstance(r, int) else None for r in col("row")],
            list(map(m.text.__getitem__, messages)), [r[2] for r in rules_of], [r[3] for r in rules_of],
            [fp if type(fp) is str else vm._s(vm._str(fp)) for fp in col("fingerprint")],
        ]
    except TypeError:  # an unhashable value: row by row, the plain way where needed
        rows = list(_finding_rows(findings, lang, rules, mask, history))
        width = 15 if history else 13
        return [list(c) for c in zip(*rows)] if rows else [[] for _ in range(width)]
    return columns


def _finding_rows(findings: list[dict], lang: str, rules: vm.RuleTexts, mask, history: bool) -> Iterator[list]:
    """The Bevindingen rows (the cells of :class:`_Cells`, row by row)."""
    m = _Cells(lang, rules, mask)
    sev, rule, klant, cheque, org, text, status, seen = (
        m.sev, m.rule, m.klant, m.cheque, m.org, m.text, m.status, m.seen
    )
    english = lang == "en"
    for f in findings:
        get = f.get
        try:
            code, title, hint, source = rule[get("rule") or ""]
            row = [sev[get("severity") or ""]]
            if history:
                row += [status[get("status")], seen[get("first_seen")]]
            r = get("row")
            message = (get("message_en") if english and get("message_en") else None) or get("message")
            fp = get("fingerprint")
            row += [
                code, title, klant[get("klantnummer")], cheque[get("chequenummer")], org[get("organisatie")],
                text[get("file")], text[get("sheet")], r if isinstance(r, int) else None, text[message], hint, source,
                fp if type(fp) is str else vm._s(vm._str(fp)),
            ]
        except TypeError:  # an unhashable value (not in findings the tool writes): the plain way
            row = _finding_row(f, lang, rules, mask, history, m.label)
        yield row


def _finding_row(raw: dict, lang: str, rules: vm.RuleTexts, mask, history: bool, label: dict) -> list:
    f = vm.Finding(raw, lang, rules, mask)
    row = [(f.severity, label.get(f.severity, f.severity))]
    if history:
        row += [i18n.status_label(f.status, lang), _date(f.first_seen)]
    return row + [
        f.rule, f.title, f.klant, f.cheque, vm.org_label(f.org, lang), f.file, f.sheet, f.row,
        f.message, f.hint, f.source, f.fingerprint,
    ]


def write_xlsx(payload: dict, path: Path, lang: str = "nl", title: str | None = None) -> None:
    """Write rapport.xlsx to a temporary file beside ``path`` and rename it into place.

    ``title`` replaces the report title (the per-organisation reports name their organisation).
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        write_workbook(payload, tmp, lang, title)


def write_workbook(payload: dict, path: Path, lang: str = "nl", title: str | None = None,
                   tmpdir: str | None = None) -> None:
    """Write the workbook to ``path`` itself (no temporary file: the caller's). ``tmpdir``: where
    XlsxWriter keeps its row files while it writes (default: the system's temporary folder)."""
    lang = i18n.norm_lang(lang)
    wb = Workbook(str(path), WORKBOOK_OPTIONS | ({"tmpdir": tmpdir} if tmpdir else {}))
    try:
        _fill(wb, payload, lang, title or i18n.text(lang)["doc_title"])
    finally:
        wb.close()


# --------------------------------------------------------------------------- in the background


class XlsxJob:
    """rapport.xlsx being written to a temporary file beside its final name, by a forked child
    process when :func:`can_fork` (the parent meanwhile writes the other reports), else at
    :meth:`finish`.

    The parent owns the temporary file: :meth:`finish` waits for the child, re-raises the child's
    error as its own (the same exception: the CLI shows the same one line and exit code as for an
    in-process write) and renames the file into place; :meth:`abort` (any error, Ctrl-C) kills
    the child and removes the file. How the child behaves (SIGINT ignored, dies with the parent,
    leaves with ``os._exit``) is :class:`dossiercheck.forking.ForkJob`'s; killed with its parent,
    it removes its files first. The child runs only Python code (XlsxWriter, zlib): no pyarrow or
    other thread pools. ``DOSSIERCHECK_NO_FORK=1`` writes the workbook in-process.
    """

    def __init__(self, payload: dict, path: Path, lang: str = "nl", fork: bool | None = None):
        self.payload, self.path, self.lang = payload, Path(path), lang
        self.job: ForkJob | None = None
        self.seconds: float | None = None  # the writing itself (in the child when forked)
        self.rows_dir: str | None = None  # XlsxWriter's row files: removed here even when the child is killed
        fd, self.tmp = temp_beside(self.path)
        os.close(fd)
        try:
            if fork if fork is not None else can_fork():
                self.rows_dir = tempfile.mkdtemp(prefix="dossiercheck-xlsx-")
                self.job = ForkJob(
                    lambda: write_workbook(self.payload, Path(self.tmp), self.lang, tmpdir=self.rows_dir),
                    on_term=self._remove_files,
                )
        except BaseException:
            self.abort()
            raise

    @property
    def pid(self) -> int | None:
        """The writer process, while it runs."""
        return self.job.pid if self.job is not None else None

    def _remove_files(self) -> None:
        """In the child, on SIGTERM (sent when the parent dies): remove the files."""
        shutil.rmtree(self.rows_dir or "", ignore_errors=True)
        Path(self.tmp).unlink(missing_ok=True)

    def finish(self) -> None:
        """Wait for the workbook (or write it now), then rename it into place."""
        try:
            if self.job is None:
                t0 = time.perf_counter()
                write_workbook(self.payload, Path(self.tmp), self.lang)
                self.seconds = time.perf_counter() - t0
            else:
                self.job.result()
                self.seconds = self.job.seconds
                self.job = None
                self._remove_rows_dir()
            os.replace(self.tmp, self.path)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Stop the child (if any) and remove the temporary file."""
        if self.job is not None:
            job, self.job = self.job, None
            job.abort()
        self._remove_rows_dir()
        Path(self.tmp).unlink(missing_ok=True)

    def _remove_rows_dir(self) -> None:
        if self.rows_dir is not None:
            shutil.rmtree(self.rows_dir, ignore_errors=True)
            self.rows_dir = None


def _fill(wb: xlsxwriter.Workbook, payload: dict, lang: str, title: str) -> None:
    T = i18n.text(lang)
    mask = vm.make_masker()
    rules = vm.RuleTexts(lang)
    sh = Sheets(wb)
    sh.set_lang(lang)
    findings = payload.get("findings") or []
    history = any(f.get("status") for f in findings)
    vm.prime_messages(mask, findings, lang)
    wb.set_properties({"title": title, "comments": f"{payload.get('tool', 'dossiercheck')} {__version__}"})

    summary_ws = wb.add_worksheet(T["sheet_summary"], worksheet_class=sheetxml.Worksheet)

    # Bevindingen: one row per finding, most severe first.
    headers = [T["col_severity"]]
    widths: list[float] = [14]
    if history:
        headers += [T["col_status"], T["col_first_seen"]]
        widths += [11, 12]
    headers += [
        T["col_rule"], T["col_title"], T["col_klantnummer"], T["col_chequenummer"], T["col_org"], T["col_file"],
        T["col_sheet"], T["col_row"], T["col_message"], T["col_hint"], T["col_section"], T["col_fingerprint"],
    ]
    widths += [9, 38, 14, 14, 30, 24, 22, 7, 70, 60, 20, 22]
    names = write_table(
        sh, T["sheet_findings"], headers, widths, None, severity_col=0,
        columns=_finding_columns(vm.in_report_order(findings), lang, rules, mask, history),
    )

    # Regels: the catalogue.
    rule_sev = vm.rule_severity_counts(findings)
    counts = {code: sum(c.values()) for code, c in rule_sev.items()}
    rule_rows = vm.rule_rows(payload, counts, rules, lang)
    label = {s: i18n.severity_label(s, lang) for s in vm.SEVERITIES}
    write_table(
        sh,
        T["sheet_rules"],
        [T["col_rule"], T["col_severity"], T["col_title"], T["col_evaluated"], T["col_count"], T["col_reason"],
         T["col_section"], T["col_hint"], T["col_logic"]],
        [9, 14, 40, 12, 12, 40, 24, 70, 70],
        (
            [r.code, (r.severity, label.get(r.severity, r.severity)), r.title, T["yes"] if r.evaluated else T["no"],
             r.findings if r.evaluated else None, r.reason, r.source, r.hint, r.logic]
            for r in rule_rows
        ),
        severity_col=1,
    )

    hist = vm.history(payload, lang, rules, mask)
    if hist["resolved"] is not None:
        write_table(
            sh,
            T["sheet_resolved"],
            [T["col_severity"], T["col_rule"], T["col_title"], T["col_klantnummer"], T["col_chequenummer"],
             T["col_org"], T["col_message"], T["col_first_seen"], T["col_fingerprint"]],
            [14, 9, 38, 14, 14, 30, 70, 12, 22],
            (
                [(f.severity, label.get(f.severity, f.severity)), f.rule, f.title, f.klant, f.cheque,
                 vm.org_label(f.org, lang), f.message, _date(f.first_seen), f.fingerprint]
                for f in hist["resolved"]
            ),
            severity_col=0,
        )
    if hist["waived"] is not None:
        write_table(
            sh,
            T["sheet_waived"],
            [T["col_severity"], T["col_rule"], T["col_title"], T["col_klantnummer"], T["col_org"], T["col_message"],
             T["col_waiver_reason"], T["col_accepted_by"], T["col_expires"], T["col_fingerprint"]],
            [14, 9, 38, 14, 30, 60, 40, 20, 12, 22],
            (
                [(w.finding.severity, label.get(w.finding.severity, w.finding.severity)), w.finding.rule,
                 w.finding.title, w.finding.klant, vm.org_label(w.finding.org, lang), w.finding.message, w.reason,
                 w.accepted_by, _date(w.expires), w.finding.fingerprint]
                for w in hist["waived"]
            ),
            severity_col=0,
        )

    _summary(sh, summary_ws, payload, lang, title, findings, rule_sev, rule_rows, names, hist, mask, rules)


def _summary(sh: Sheets, ws, payload, lang, title, findings, rule_sev, rule_rows, names, hist, mask, rules) -> None:
    T = i18n.text(lang)
    label = {s: i18n.severity_label(s, lang) for s in vm.SEVERITIES}
    for c, w in enumerate([34, 40, 16, 16, 14, 14]):
        ws.set_column(c, c, w)
    ws.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})
    r = 0
    sh.put(ws, r, 0, title, sh.title)
    r += 1
    ws.write_string(r, 0, T["peildatum"], sh.bold)
    sh.put(ws, r, 1, i18n.fmt_date(payload.get("peildatum"), lang))
    r += 1
    sh.put(ws, r, 0, T["generated_by"].format(tool=payload.get("tool") or "dossiercheck",
                                              version=payload.get("version") or __version__))
    r += 2

    def section(title: str, headers: Sequence[str]) -> None:
        nonlocal r
        ws.write_string(r, 0, title, sh.section)
        r += 1
        sh.header_row(ws, r, headers)
        r += 1

    sev = vm.severity_counts(findings)
    section(T["xlsx_counts_severity"], [T["col_severity"], T["col_count"]])
    for s in vm.SEVERITIES:
        ws.write_string(r, 0, label[s], sh.severity[s])
        ws.write_number(r, 1, sev[s])
        r += 1
    ws.write_string(r, 0, T["col_total"], sh.bold)
    ws.write_number(r, 1, len(findings), sh.bold)
    r += 1
    rows_read = (payload.get("summary") or {}).get("rows_read")
    if rows_read is not None:
        sh.put(ws, r, 0, T["card_rows"])
        sh.put(ws, r, 1, rows_read)
        r += 1
    if hist["has_status"]:
        sh.put(ws, r, 0, T["card_new"])
        sh.put(ws, r, 1, hist["new"])
        r += 1
    if hist["resolved"] is not None:
        sh.put(ws, r, 0, T["card_resolved"])
        sh.put(ws, r, 1, len(hist["resolved"]))
        r += 1
    if hist["waived"] is not None:
        sh.put(ws, r, 0, T["card_waived"])
        sh.put(ws, r, 1, len(hist["waived"]))
        r += 1
    if len(names) > 1:
        sh.put(ws, r, 0, T["xlsx_findings_sheets"].format(sheets=", ".join(names)))
        r += 1
    for m in hist["waiver_problems"]:
        sh.put(ws, r, 0, T["waiver_problems_title"], sh.bold)
        sh.put(ws, r, 1, m)
        r += 1
    r += 1

    section(T["xlsx_counts_rule"], [T["col_rule"], T["col_title"], T["col_severity"], T["col_count"]])
    per_rule = sorted(rule_sev.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    for code, c in per_rule:
        sh.row(ws, r, [code, rules[code].title])
        top = max(c, key=c.get)
        ws.write_string(r, 2, label.get(top, str(top)), sh.severity.get(top))
        ws.write_number(r, 3, sum(c.values()))
        r += 1
    r += 1

    section(T["xlsx_counts_org"], [T["col_org"]] + [label[s] for s in vm.SEVERITIES] + [T["col_total"]])
    by_org = vm.org_counts(findings)
    for org in sorted(by_org, key=lambda o: (-by_org[o]["total"], o is None, str(o or ""))):
        c = by_org[org]
        sh.row(ws, r, [vm.org_label(mask(org), lang), c["error"], c["warning"], c["info"], c["total"]])
        r += 1
    r += 1

    section(T["inputs_title"], [T["col_file"], T["col_sheet"], T["col_table"], T["col_header_row"], T["col_rows"]])
    for i in vm.inputs(payload, mask):
        sh.row(ws, r, [i["file"], i["sheet"], i["table"], i["header_row"], i["rows"]])
        r += 1
    r += 1
    unrec = vm.unrecognised(payload, mask)
    if unrec:
        section(T["unrecognised_title"], [T["col_file"], T["col_sheet"], T["col_headers"]])
        for u in unrec:
            sh.row(ws, r, [u["file"], u["sheet"], " · ".join(u["headers"])])
            r += 1
        r += 1

    not_eval = [x for x in rule_rows if not x.evaluated]
    section(T["not_evaluated_title"], [T["col_rule"], T["col_title"], T["col_reason"]])
    if not not_eval:
        sh.put(ws, r, 0, T["all_evaluated"])
        r += 1
    for x in not_eval:
        sh.row(ws, r, [x.code, x.title, x.reason])
        r += 1
    r += 1

    section(T["config_title"], [T["col_setting"], T["col_value"]])
    for k, v in vm.flatten_config(payload.get("config") or {}):
        sh.row(ws, r, [k, v])
        r += 1
