"""Workbook and CSV files as grids of cell texts.

A *grid* is one sheet (or one CSV file) as a DataFrame of strings with positional columns, plus
the spreadsheet row number of its first row. xlsx/xlsm/xls are read with fastexcel (Rust,
calamine) with every cell as text, so Excel date cells arrive as ISO text and numbers without
Python objects per cell. calamine starts a sheet at its first used row; the row offset comes
from a streamed look at the sheet XML (a few KB), so no second parse of the sheet is needed.

Refused before any expansion (one clear line, exit 2): a file over the size limit, a zip whose
uncompressed size is over the limit, a password-protected (encrypted OLE) workbook, a file that
is not the workbook its name says, XML with a DTD (entity-expansion attacks).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import struct
import threading
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dossiercheck.errors import UserError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
CSV_DELIMITERS = (";", ",", "\t")


# --- user-facing messages ---------------------------------------------------------------------
# Every refusal is one line, Dutch by default and English with ``--lang en``: an InputError carries
# a message key and its parameters, and is rendered in the user's language by the CLI.

LIMIT_HINT = {
    "nl": "verhoog limits.{limit_key} in de sectie [limits] van een --config-bestand",
    "en": "raise limits.{limit_key} in the [limits] section of a --config file",
}

MESSAGES: dict[str, dict[str, str]] = {
    # files and paths
    "no_such_path": {"nl": "bestand of map bestaat niet", "en": "no such file or folder"},
    "unsupported_type": {
        "nl": "geen ondersteund bestandstype (gebruik .xlsx, .xlsm, .xls, .csv of .txt)",
        "en": "not a supported file type (use .xlsx, .xlsm, .xls, .csv or .txt)",
    },
    "no_files": {
        "nl": "geen .xlsx-, .xlsm-, .xls-, .csv- of .txt-bestand gevonden in de opgegeven paden",
        "en": "no .xlsx, .xlsm, .xls, .csv or .txt file found in the given paths",
    },
    "no_table": {
        "nl": "geen herkenbare tabel gevonden (geen kopregel van een gekende tabel in: {names})",
        "en": "no recognisable table found (no header row of a known table in: {names})",
    },
    "unreadable_file": {"nl": "bestand kan niet gelezen worden ({detail})", "en": "file cannot be read ({detail})"},
    "empty_file": {"nl": "bestand is leeg", "en": "file is empty"},
    "file_too_big": {
        "nl": "bestand is {size} MB, groter dan de limiet van {limit} MB; {hint}",
        "en": "file is {size} MB, over the limit of {limit} MB; {hint}",
    },
    # what a file really is
    "password": {
        "nl": "werkmap is beveiligd met een wachtwoord; bewaar ze zonder wachtwoord en probeer opnieuw",
        "en": "workbook is password-protected; save it without a password and try again",
    },
    "html_as_workbook": {
        "nl": "geen Excel-werkmap maar een HTML-pagina met de naam van een werkmap; open ze in Excel en bewaar als .xlsx",
        "en": "not an Excel workbook but an HTML page saved under a workbook name; open it in Excel and save it as .xlsx",
    },
    "xml2003_as_workbook": {
        "nl": "geen Excel-werkmap maar een Excel 2003 XML-bestand; open het in Excel en bewaar als .xlsx",
        "en": "not an Excel workbook but an Excel 2003 XML spreadsheet; open it in Excel and save it as .xlsx",
    },
    "text_as_workbook": {
        "nl": "geen Excel-werkmap maar een tekstbestand; is het een CSV-export, hernoem het dan naar .csv",
        "en": "not an Excel workbook but a text file; if it is a CSV export, rename it to .csv",
    },
    "not_a_workbook": {
        "nl": "geen geldige Excel-werkmap (beschadigd, afgebroken of een ander bestandstype)",
        "en": "not a valid Excel workbook (corrupt, truncated or another file type)",
    },
    "ods_as_workbook": {
        "nl": "geen Excel-werkmap maar een OpenDocument-bestand; bewaar het als .xlsx",
        "en": "not an Excel workbook but an OpenDocument file; save it as .xlsx",
    },
    "zip_of_other": {
        "nl": "geen Excel-werkmap maar een zip-archief met andere bestanden",
        "en": "not an Excel workbook but a zip archive of other files",
    },
    "xlsb": {
        "nl": "binaire werkmappen (.xlsb) worden niet ondersteund; bewaar als .xlsx",
        "en": "binary workbooks (.xlsb) are not supported; save it as .xlsx",
    },
    "corrupt_xlsx": {
        "nl": "geen geldige xlsx-werkmap (beschadigd of afgebroken: {detail})",
        "en": "not a valid xlsx workbook (corrupt or truncated: {detail})",
    },
    "corrupt_xls": {
        "nl": "geen geldige .xls-werkmap (beschadigd of afgebroken)",
        "en": "not a valid .xls workbook (corrupt or truncated)",
    },
    "ole_not_excel": {
        "nl": "geen Excel-werkmap (een OLE-bestand zonder werkmap, bv. een Word-document)",
        "en": "not an Excel workbook (an OLE file without a Workbook stream, e.g. a Word document)",
    },
    "workbook_unreadable": {
        "nl": "werkmap kan niet gelezen worden ({detail})",
        "en": "workbook cannot be read ({detail})",
    },
    "sheet_unreadable": {"nl": "blad kan niet gelezen worden ({detail})", "en": "sheet cannot be read ({detail})"},
    # hostile workbooks, refused before expansion
    "xml_entities": {
        "nl": "onderdeel {part} declareert XML-entiteiten (mogelijke entity-expansion-aanval); geweigerd",
        "en": "part {part} declares XML entities (possible entity-expansion attack); refused",
    },
    "not_utf8_xml": {
        "nl": "onderdeel {part} is geen UTF-8-XML (gemanipuleerde werkmap?); geweigerd",
        "en": "part {part} is not UTF-8 XML (crafted workbook?); refused",
    },
    "xml_unverifiable": {
        "nl": "onderdeel {part} gebruikt XML die deze controle niet kan nagaan; bewaar de werkmap opnieuw in Excel",
        "en": "part {part} uses XML this checker cannot verify; re-save it in Excel",
    },
    "bad_row_ref": {
        "nl": "rijnummer buiten de grenzen van Excel of misvormd (beschadigde of gemanipuleerde werkmap)",
        "en": "row number beyond Excel's limits or malformed (corrupt or crafted workbook)",
    },
    "bad_cell_ref": {
        "nl": "celverwijzing buiten de grenzen van Excel of misvormd (beschadigde of gemanipuleerde werkmap)",
        "en": "cell reference beyond Excel's limits or malformed (corrupt or crafted workbook)",
    },
    "beyond_excel": {
        "nl": "cel voorbij de laatste rij of kolom van Excel (beschadigde of gemanipuleerde werkmap)",
        "en": "cell beyond Excel's last row or column (corrupt or crafted workbook)",
    },
    "expands_too_much": {
        "nl": "werkmap wordt uitgepakt {size} MB groot, meer dan de limiet van {limit} MB; {hint}",
        "en": "workbook expands to {size} MB, over the limit of {limit} MB; {hint}",
    },
    "expands_over": {
        "nl": "werkmap wordt uitgepakt groter dan {limit} MB; {hint}",
        "en": "workbook expands to over {limit} MB; {hint}",
    },
    "zip_bomb": {
        "nl": "onderdeel {part} wordt {ratio}:1 uitgepakt tot {size} MB (een zipbom?); geweigerd",
        "en": "part {part} expands {ratio}:1 to {size} MB (a zip bomb?); refused",
    },
    "too_many_columns": {
        "nl": "blad gebruikt {cols} kolommen (tot kolom {letter}), meer dan de limiet van {limit}; {hint}",
        "en": "sheet uses {cols} columns (up to column {letter}), over the limit of {limit}; {hint}",
    },
    "too_many_cells": {
        "nl": "blad beslaat {rows} rijen x {cols} kolommen, meer dan de limiet van {limit} cellen; {hint}",
        "en": "sheet spans {rows} rows x {cols} columns, over the limit of {limit} cells; {hint}",
    },
    # CSV
    "workbook_as_csv": {
        "nl": "dit is een Excel-werkmap, geen CSV-bestand; hernoem het naar .xlsx",
        "en": "this is an Excel workbook, not a CSV file; rename it to .xlsx",
    },
    "binary_text": {"nl": "geen tekstbestand (binaire inhoud)", "en": "not a text file (binary content)"},
    "csv_columns": {
        "nl": "{cols} kolommen, meer dan de limiet van {limit}; {hint}",
        "en": "{cols} columns, over the limit of {limit}; {hint}",
    },
    "csv_unreadable": {
        "nl": "kan niet als CSV gelezen worden ({detail})",
        "en": "cannot be read as CSV ({detail})",
    },
}


class InputError(UserError):
    """Bad input: the run cannot be done (see :class:`dossiercheck.errors.UserError`). ``file``,
    ``sheet`` and ``limit_key`` parameters become the ``file [sheet]:`` prefix and the hint saying
    which limit to raise."""

    MESSAGES = MESSAGES

    def _params(self, lang: str) -> dict[str, object]:
        params = super()._params(lang)
        if "limit_key" in params:
            params["hint"] = LIMIT_HINT[lang].format(limit_key=params["limit_key"])
        return params

    def render(self, lang: str = "nl") -> str:
        lang = lang if lang in ("nl", "en") else "nl"
        text = super().render(lang)
        params = self._params(lang)
        where = params.get("file")
        if where and params.get("sheet"):
            where = f"{where} [{params['sheet']}]"
        return f"{where}: {text}" if where else text


@dataclass
class Grid:
    file: str  # as shown to users
    sheet: str | None
    cells: pd.DataFrame  # strings (or missing), positional columns 0..n-1
    first_row: int  # spreadsheet row number of cells' first row (1-based)
    name_hint: str  # sheet name, or file stem for CSV / one-sheet workbooks
    warnings: list[str]
    # CSV: the line number each row of ``cells`` starts on, when a quoted field spans lines
    row_numbers: np.ndarray | None = None


def _mb(n: int) -> str:
    return f"{n / 1_048_576:.0f}"


def check_size(path: Path, limits: dict, shown: str | None = None) -> None:
    size = path.stat().st_size
    if size > limits["max_file_mb"] * 1_048_576:
        raise InputError("file_too_big", file=shown or path, size=_mb(size), limit=limits["max_file_mb"],
                         limit_key="max_file_mb")


# --- xlsx structure -------------------------------------------------------------------------

_SHEET_RE = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"', re.S)
_SHEET_RE2 = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?r:id="([^"]*)"[^>]*?name="([^"]*)"', re.S)
_REL_RE = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"', re.S)
_REL_RE2 = re.compile(rb'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"', re.S)
_ROW_BLOCK = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_ROW_NUM = re.compile(rb'\br="(\d+)"')
_HAS_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]|<(?:\w+:)?is>")


def _xml_unescape(b: bytes) -> str:
    s = b.decode("utf-8", "replace")
    return s.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> part path inside the zip."""
    wb = zf.read("xl/workbook.xml")
    if b"<!DOCTYPE" in wb[:4096] or b"<!ENTITY" in wb:
        raise InputError("xml_entities", part="xl/workbook.xml")
    rels = zf.read("xl/_rels/workbook.xml.rels")
    targets = {m[1]: m[2] for m in _REL_RE.finditer(rels)}
    targets.update({m[2]: m[1] for m in _REL_RE2.finditer(rels)})
    sheets = [(m[1], m[2]) for m in _SHEET_RE.finditer(wb)] or [(m[2], m[1]) for m in _SHEET_RE2.finditer(wb)]
    out = {}
    for name, rid in sheets:
        target = targets.get(rid, b"").decode()
        target = target.lstrip("/")
        if not target.startswith("xl/"):
            target = "xl/" + target
        out[_xml_unescape(name)] = target
    return out


# --- pre-scan: refuse hostile workbooks before calamine expands them ---------------------------
#
# calamine builds a dense grid from the first to the last used cell and trusts the zip's data
# streams, not its declared sizes. So a 500-byte sheet with one cell in A1 and one in XFD1048576
# (or a .xls with a cell in column 65535) makes it allocate hundreds of GB and abort the process,
# and a zip part that declares 1 KB but inflates to gigabytes is expanded in full. Before fastexcel
# sees a workbook, every XML part is streamed once through Python's zipfile (which stops at the
# declared size and checks the CRC, so a part that lies about its size is refused as corrupt), and
# each sheet's used extent is computed from its cell references with numpy (no per-row Python),
# so the column and cell limits are enforced on what calamine *would* allocate.

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLS = 16_384
_SCAN_CHUNK = 4 << 20
_MAX_PENDING = 64 << 20  # a single tag or text run longer than this is processed as is
_WS = np.zeros(257, dtype=bool)
_WS[[9, 10, 13, 32]] = True
_TAG_END = _WS.copy()
_TAG_END[[ord(">"), ord("/")]] = True
_IS_UPPER = np.zeros(257, dtype=bool)
_IS_UPPER[ord("A") : ord("Z") + 1] = True
_IS_UPPER[ord("a") : ord("z") + 1] = True  # not Excel's, but counted (conservative)
_IS_DIGIT = np.zeros(257, dtype=bool)
_IS_DIGIT[ord("0") : ord("9") + 1] = True
_UPPER_VAL = np.zeros(257, dtype=np.int64)
_UPPER_VAL[ord("A") : ord("Z") + 1] = np.arange(1, 27)
_UPPER_VAL[ord("a") : ord("z") + 1] = np.arange(1, 27)
_REF_WIDTH = 16  # bytes looked at per reference: up to 3 letters and 7 digits are valid
_SHEETDATA = re.compile(rb"<(\w+:)?sheetData[\s>/]")
_PAD = bytes(_REF_WIDTH + 16)
_PREFIXED_CELL = re.compile(rb"<\w+:(?:c|row)[\s>/]")


def col_letters(n: int) -> str:
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


@dataclass
class SheetExtent:
    """What calamine would allocate for one sheet part (upper bounds), and its first used row."""

    first_row: int | None = None
    rows: int = 0  # last used row number (upper bound)
    cols: int = 0  # last used column number (upper bound)
    cells: int = 0  # cell elements seen
    # running state across segments
    _row_no: int = 0  # number of the last <row> seen (calamine: a row without r is previous + 1)
    _rless_in_row: int = 0  # cells without r in the current row so far
    _rless_max: int = 0  # most cells without r in one row
    _cols_any: int = 0  # last column of any explicit reference (also empty styled cells)

    @property
    def width(self) -> int:
        if self._rless_max:  # a cell without r goes right of the previous one, whatever that held
            return max(self.cols, self._cols_any) + self._rless_max
        return self.cols


def _xml_segments(zf: zipfile.ZipFile, info: zipfile.ZipInfo):
    """The inflated part in pieces that never split a tag or a text run (cut before a '<')."""
    with zf.open(info) as fh:
        pending = b""
        while True:
            chunk = fh.read(_SCAN_CHUNK)
            if not chunk:
                if pending:
                    yield pending
                return
            buf = pending + chunk if pending else chunk
            cut = buf.rfind(b"<")
            if cut <= 0 and len(buf) < _MAX_PENDING:
                pending = buf
                continue
            if cut <= 0:
                cut = len(buf)
            yield buf[:cut]
            pending = buf[cut:]


def _attr_values(a: np.ndarray, n: int, starts: np.ndarray, ends: np.ndarray, name: int) -> tuple[np.ndarray, np.ndarray, int]:
    """For the tags [starts, ends) of a segment: (tag index, value start) of each attribute named by
    the one byte ``name`` (``r``), and how many r-like attributes could not be parsed."""
    q = np.flatnonzero(a[1:n] == name) + 1
    q = q[_WS[a[q - 1]]]
    if not len(q):
        return np.empty(0, np.int64), np.empty(0, np.int64), 0
    t = np.searchsorted(starts, q, side="right") - 1
    inside = (t >= 0) & (q < ends[np.clip(t, 0, None)])
    q, t = q[inside], t[inside]
    j = q + 1
    for _ in range(3):  # r = "..." with a little white space around '='
        j = j + _WS[a[j]]
    eq = a[j] == ord("=")
    rlike = eq | _WS[a[q + 1]]
    j = j + 1
    for _ in range(3):
        j = j + _WS[a[j]]
    quote = (a[j] == ord('"')) | (a[j] == ord("'"))
    ok = eq & quote
    bad = int((rlike & ~ok).sum())
    return t[ok], j[ok] + 1, bad


def _ref_columns(g: np.ndarray, v: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """For references starting at ``v`` and ending before ``e`` (``g``: their leading bytes):
    column numbers (0 where there are no letters), digit counts, and whether any reference has
    more than three letters or not 1–7 digits."""
    up = _IS_UPPER[g[:, :4]]
    lead = up[:, 0].copy()
    nlet = lead.astype(np.int64)
    for k in (1, 2, 3):
        lead &= up[:, k]
        nlet += lead
    ndig = (e - v) - nlet
    bad = bool(((nlet > 3) | (ndig < 1) | (ndig > 7)).any())
    val = _UPPER_VAL[g[:, :3]]
    cols = np.select([nlet == 1, nlet == 2, nlet >= 3],
                     [val[:, 0], val[:, 0] * 26 + val[:, 1], val[:, 0] * 676 + val[:, 1] * 26 + val[:, 2]], 0)
    return cols, ndig, bad


def _parse_refs(a: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """Column and row numbers of the references whose values start at ``v`` (``XFD1048576``; a
    row attribute is digits only), and whether any is malformed or beyond Excel's limits.
    ``a`` ends with at least _REF_WIDTH padding bytes."""
    if not len(v):
        return np.empty(0, np.int64), np.empty(0, np.int64), False
    g = np.lib.stride_tricks.sliding_window_view(a, _REF_WIDTH)[v]
    quote = (g == 34) | (g == 39)
    if not quote.any(axis=1).all():
        return np.empty(0, np.int64), np.empty(0, np.int64), True  # longer than any valid reference
    e = v + np.argmax(quote, axis=1)  # closing quote
    cols, ndig, bad = _ref_columns(g, v, e)
    rows = np.zeros(len(v), dtype=np.int64)
    for i in range(7):  # right-aligned digits, seven vectorised steps
        c = a[e - 1 - i]
        inside = i < ndig
        bad = bad or bool((inside & ~_IS_DIGIT[c]).any())
        rows += np.where(inside, c.astype(np.int64) - 48, 0) * 10**i
    return cols, rows, bad


_WINDOW = 48  # bytes after a cell reference looked at for the end of its tag
_CANON_PAD = bytes(_WINDOW + _REF_WIDTH + 16)
_LT_C = ord("<") | ord("c") << 8  # '<c' read as a little-endian 16-bit word
_LT_R = ord("<") | ord("r") << 8


def _pair_positions(buf: bytes, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions of '<c' and of '<r' in the first ``n`` bytes of ``buf``: 16-bit words compared at
    both alignments, so no array of every '<' (dense in sheet XML) is built."""
    out_c, out_r = [], []
    for k in (0, 1):
        w = np.frombuffer(buf, dtype="<u2", count=(n - k) // 2, offset=k)
        is_c = w == _LT_C
        hits = np.flatnonzero(is_c | (w == _LT_R))
        c = is_c[hits]
        hits = hits * 2 + k
        out_c.append(hits[c])
        out_r.append(hits[~c])
    return np.concatenate(out_c), np.concatenate(out_r)


_HI = np.uint64(0x8080808080808080)
_ZEROS = np.uint64(0x3030303030303030)
_SEVENTY6 = np.uint64(0x7676767676767676)


def _canonical_refs(a: np.ndarray, v: np.ndarray):
    """For references starting at ``v`` (``XFD1048576"``): closing quote, column numbers, digit
    counts and the digits as big-endian integers (right-aligned bytes: equal digit counts compare
    as the numbers do), and whether any is malformed or beyond Excel's limits. Cheaper than
    :func:`_parse_refs`, which gives the row numbers themselves; same verdict on malformed refs."""
    g = np.lib.stride_tricks.sliding_window_view(a, 11)[v]  # a valid reference has at most 10 bytes
    quote = (g == 34) | (g == 39)
    if not quote.any(axis=1).all():
        return None
    e = v + np.argmax(quote, axis=1)
    cols, ndig, bad = _ref_columns(g, v, e)
    w8 = np.lib.stride_tricks.sliding_window_view(a, 8)[np.maximum(e - 8, 0)]
    digits = np.ascontiguousarray(w8).view(">u8").ravel().astype(np.uint64)
    short = e < 8  # a reference at the very start of a segment: the window started at 0
    if short.any():
        digits[short] >>= (np.uint64(8) - e[short].astype(np.uint64)) * np.uint64(8)
    mask = (np.uint64(1) << (np.clip(ndig, 0, 7).astype(np.uint64) * np.uint64(8))) - np.uint64(1)
    digits &= mask
    t = digits ^ (_ZEROS & mask)
    if not bad:
        bad = bool((((t + (_SEVENTY6 & mask)) | t) & (_HI & mask)).any())
    return e, cols, ndig, digits, bad


def _max_row(ndig: np.ndarray, digits: np.ndarray) -> int:
    """The largest row number among references (see :func:`_canonical_refs`)."""
    top = int(ndig.max())
    best = int(digits[ndig == top].max())
    return int(best.to_bytes(8, "big").lstrip(b"\x00"))


def _declares_entities(seg: bytes) -> bool:
    """``b"<!DOCTYPE" in seg or b"<!ENTITY" in seg``, by way of the few '<!' of a large segment."""
    if len(seg) < 1 << 16:
        return b"<!DOCTYPE" in seg or b"<!ENTITY" in seg
    a = np.frombuffer(seg, dtype=np.uint8)
    bang = np.flatnonzero(a[1:] == 33) + 1
    bang = bang[a[bang - 1] == 60]
    if len(bang) > 1000:  # many comments or CDATA sections: let bytes.find look
        return b"<!DOCTYPE" in seg or b"<!ENTITY" in seg
    return any(seg.startswith(b"DOCTYPE", p + 1) or seg.startswith(b"ENTITY", p + 1) for p in bang.tolist())


def _scan_sheet_canonical(seg: bytes, ext: SheetExtent) -> bool:
    """The common case, as :func:`_scan_sheet_fast` (same results), in fewer passes over the
    bytes: every <row> and <c> written as Excel writes them (``<c r="...``, no namespace prefix)
    and every cell tag ending within a few dozen bytes of its reference. False otherwise."""
    n = len(seg)
    buf = seg + _CANON_PAD
    a = np.frombuffer(buf, dtype=np.uint8)
    colon = np.flatnonzero(a[:n] == 58)  # b":c" in seg or b":row" in seg, in one pass
    if len(colon):
        after = a[colon + 1]
        if (after == 99).any() or ((after == 114) & (a[colon + 2] == 111) & (a[colon + 3] == 119)).any():
            return False
    cpos, rpos = _pair_positions(buf, n)
    cells = cpos[_TAG_END[a[cpos + 2]]]
    canon = (a[cells + 2] == 32) & (a[cells + 3] == 114) & (a[cells + 4] == 61) & (a[cells + 5] == 34)
    if not canon.all():
        return False
    rows_all = rpos[(a[rpos + 2] == 111) & (a[rpos + 3] == 119)]  # '<row'
    rows_all = rows_all[_TAG_END[a[rows_all + 4]]]
    rcanon = (a[rows_all + 4] == 32) & (a[rows_all + 5] == 114) & (a[rows_all + 6] == 61) & (a[rows_all + 7] == 34)
    if not rcanon.all():
        return False
    if len(rows_all):
        rcols, rrows, rbad = _parse_refs(a, rows_all + 8)
        if rbad or rcols.any():
            raise InputError("bad_row_ref")
    valued = None
    if len(cells):
        refs = _canonical_refs(a, cells + 6)
        if refs is None or refs[4]:
            raise InputError("bad_cell_ref")
        e, cols, ndig, digits, _ = refs
        # the first '>' within the window after each reference's closing quote
        w = np.lib.stride_tricks.sliding_window_view(a, 16)[e + 1]  # most cells: ' s="12" t="s">'
        is_gt = w == 62
        found = is_gt.any(axis=1)
        k = np.argmax(is_gt, axis=1)
        valued = (k == 0) | (w[np.arange(len(k)), np.maximum(k - 1, 0)] != 47)  # '/>': an empty, formatted cell
        if not found.all():  # longer attribute lists: look further, for those cells only
            far = np.flatnonzero(~found)
            w = np.lib.stride_tricks.sliding_window_view(a, _WINDOW)[e[far] + 1]
            is_gt = w == 62
            if not is_gt.any(axis=1).all():
                return False
            k = np.argmax(is_gt, axis=1)
            valued[far] = (k == 0) | (w[np.arange(len(k)), np.maximum(k - 1, 0)] != 47)
    ext.cells += len(cells)
    if len(rows_all):
        ext.rows = max(ext.rows, int(rrows.max()))
        ext._row_no = int(rrows[int(np.argmax(rows_all))])
        ext._rless_in_row = 0
    if len(cells):
        if valued.any():
            ext.cols = max(ext.cols, int(cols[valued].max()))
            ext.rows = max(ext.rows, _max_row(ndig[valued], digits[valued]))
        ext._cols_any = max(ext._cols_any, int(cols.max()))
        if ext.first_row is None:
            m = re.search(rb"<(?:v>[^<]|is>)", seg)
            if m is not None:
                before_m = cells < m.start()
                if before_m.any():
                    ci = np.flatnonzero(before_m)[np.argmax(cells[before_m])]
                    ext.first_row = _max_row(ndig[ci : ci + 1], digits[ci : ci + 1])
    return True


def _scan_sheet_fast(seg: bytes, prefix: bytes, ext: SheetExtent) -> bool:
    """The common case, every <row> and <c> written as Excel writes them (``<c r="...``): only
    their reference values are looked at. False when the segment is not in that form."""
    if b":c" in seg or b":row" in seg:
        return False
    cname, rname = prefix + b"c", prefix + b"row"
    a = np.frombuffer(seg + _PAD, dtype=np.uint8)
    lt = np.flatnonzero(a[: len(seg)] == 60)
    second = a[lt + 1]

    def tags(name: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(all tags of this name, those whose first attribute is r="...")."""
        pos = lt[second == name[0]]
        for i, ch in enumerate(name[1:], start=2):
            pos = pos[a[pos + i] == ch]
        k = len(name) + 1
        pos = pos[_TAG_END[a[pos + k]]]
        canon = pos
        for i, ch in enumerate(b' r="'):
            canon = canon[a[canon + k + i] == ch]
        return pos, canon

    cells, cell_pos = tags(cname)
    rows_all, row_pos = tags(rname)
    if len(cells) != len(cell_pos) or len(rows_all) != len(row_pos):
        return False
    ext.cells += len(cell_pos)
    if len(row_pos):
        cols, rows, bad = _parse_refs(a, row_pos + len(rname) + 5)
        if bad or cols.any():
            raise InputError("bad_row_ref")
        ext.rows = max(ext.rows, int(rows.max()))
        ext._row_no = int(rows[-1])
        ext._rless_in_row = 0
    if len(cell_pos):
        v = cell_pos + len(cname) + 5
        cols, rows, bad = _parse_refs(a, v)
        if bad:
            raise InputError("bad_cell_ref")
        gt = np.flatnonzero(a[: len(seg)] == 62)
        gi = np.searchsorted(gt, v)
        closed = gi < len(gt)
        valued = np.ones(len(v), dtype=bool)
        valued[closed] = a[gt[gi[closed]] - 1] != 47  # '/>': an empty, formatted cell
        if valued.any():
            ext.cols = max(ext.cols, int(cols[valued].max()))
            ext.rows = max(ext.rows, int(rows[valued].max()))
        ext._cols_any = max(ext._cols_any, int(cols.max()))
        if ext.first_row is None:
            m = re.search(rb"<" + re.escape(prefix) + rb"(?:v>[^<]|is>)", seg)
            if m is not None:
                ci = int(np.searchsorted(cell_pos, m.start())) - 1
                if ci >= 0:
                    ext.first_row = int(rows[ci])
    return True


def _scan_sheet_segment(seg: bytes, prefix: bytes, ext: SheetExtent) -> bool:
    """Update ``ext`` with one segment of sheet XML; False when its syntax is beyond this scanner."""
    if b":c" not in seg and b":row" not in seg and not prefix:
        foreign = None
    elif prefix:
        foreign = re.search(rb"<(?!" + re.escape(prefix) + rb"(?:c|row)[\s>/])(?:\w+:)?(?:c|row)[\s>/]", seg)
    else:
        foreign = _PREFIXED_CELL.search(seg)
    if foreign:
        return False  # cells under another namespace prefix: calamine may read them too
    n = len(seg)
    a = np.frombuffer(seg + _PAD, dtype=np.uint8)
    lt = np.flatnonzero(a[:n] == 60)  # '<'
    if not len(lt):
        return True
    gt = np.flatnonzero(a[:n] == 62)  # '>'
    gi = np.searchsorted(gt, lt)
    ends = np.full(len(lt), n, dtype=np.int64)
    closed = gi < len(gt)
    ends[closed] = gt[gi[closed]]

    def tags(name: bytes) -> np.ndarray:
        m = np.ones(len(lt), dtype=bool)
        for i, ch in enumerate(name):
            m &= a[lt + 1 + i] == ch
        return m & _TAG_END[a[lt + 1 + len(name)]]

    is_row = tags(prefix + b"row")
    is_cell = tags(prefix + b"c")
    row_pos = lt[is_row]
    cell_pos = lt[is_cell]
    ext.cells += len(cell_pos)
    t, v, bad = _attr_values(a, n, lt, ends, 114)  # 'r'
    if bad:
        return False
    # rows: explicit r, or the previous row + 1
    row_nums = np.empty(0, dtype=np.int64)
    if len(row_pos):
        explicit = np.full(len(lt), -1, dtype=np.int64)
        sel = is_row[t]
        if sel.any():
            cols, rr, rbad = _parse_refs(a, v[sel])
            if rbad or cols.any():
                raise InputError("bad_row_ref")
            explicit[t[sel]] = rr
        ex = explicit[is_row]
        k = np.arange(len(row_pos))
        last = np.maximum.accumulate(np.where(ex >= 0, k, -1))
        row_nums = np.where(last >= 0, ex[np.maximum(last, 0)] + (k - last), ext._row_no + k + 1)
        ext.rows = max(ext.rows, int(row_nums.max()))
    # cells with an explicit reference; only those holding a value extend calamine's grid
    sel = is_cell[t]
    ct, cv = t[sel], v[sel]
    has_r = np.zeros(len(lt), dtype=bool)
    has_r[ct] = True
    ref_cols = np.empty(0, dtype=np.int64)
    if len(cv):
        ref_cols, ref_rows, rbad = _parse_refs(a, cv)
        if rbad:
            raise InputError("bad_cell_ref")
        valued = a[np.maximum(ends[ct] - 1, 0)] != 47  # not self-closing ('/>')
        if valued.any():
            ext.cols = max(ext.cols, int(ref_cols[valued].max()))
            ext.rows = max(ext.rows, int(ref_rows[valued].max()))
        ext._cols_any = max(ext._cols_any, int(ref_cols.max()))
    # cells without r: calamine places them one after the other in their row
    rless = is_cell & ~has_r
    if rless.any():
        owner = np.searchsorted(row_pos, lt[rless], side="right") - 1  # -1: the row carried over
        counts = np.bincount(owner + 1, minlength=len(row_pos) + 1)
        counts[0] += ext._rless_in_row
        ext._rless_max = max(ext._rless_max, int(counts.max()))
        ext._rless_in_row = int(counts[-1])
    elif len(row_pos):
        ext._rless_in_row = 0
    if ext.first_row is None:
        m = re.search(rb"<" + re.escape(prefix) + rb"(?:v>[^<]|is>)", seg)
        if m is not None:
            ci = int(np.searchsorted(cell_pos, m.start())) - 1
            if ci >= 0:
                li = int(np.searchsorted(lt, cell_pos[ci]))
                hit = np.flatnonzero(ct == li)
                if len(hit):
                    _, rr, _ = _parse_refs(a, cv[hit[:1]])
                    ext.first_row = int(rr[0])
                else:
                    ri = int(np.searchsorted(row_pos, cell_pos[ci], side="right")) - 1
                    ext.first_row = int(row_nums[ri]) if ri >= 0 else max(ext._row_no, 1)
    if len(row_pos):
        ext._row_no = int(row_nums[-1])
    return True


def _refuse_extent(shown: str, sheet: str, ext: SheetExtent, limits: dict) -> None:
    cols = ext.width
    if cols > limits["max_columns"]:
        raise InputError("too_many_columns", file=shown, sheet=sheet, cols=cols,
                         letter=col_letters(min(cols, EXCEL_MAX_COLS)), limit=limits["max_columns"],
                         limit_key="max_columns")
    if ext.rows > EXCEL_MAX_ROWS or cols > EXCEL_MAX_COLS:
        raise InputError("beyond_excel", file=shown, sheet=sheet)
    if ext.rows * cols > limits["max_cells"] or ext.cells > limits["max_cells"]:
        raise InputError("too_many_cells", file=shown, sheet=sheet, rows=ext.rows, cols=cols,
                         limit=limits["max_cells"], limit_key="max_cells")


def scan_xlsx(
    path: Path, shown: str, zf: zipfile.ZipFile, limits: dict, cancel=None
) -> dict[str, SheetExtent]:
    """Check every XML part of an xlsx/xlsm; return the extent of each sheet part (by part name)."""
    infos = zf.infolist()
    budget = limits["max_uncompressed_mb"] * 1_048_576
    declared = sum(i.file_size for i in infos)
    if declared > budget:
        raise InputError("expands_too_much", file=shown, size=_mb(declared), limit=limits["max_uncompressed_mb"],
                         limit_key="max_uncompressed_mb")
    for i in infos:  # deflate tops out near 1000:1; real sheet XML compresses 5-50:1
        if i.file_size > 50 << 20 and i.file_size > 300 * max(i.compress_size, 1):
            raise InputError("zip_bomb", file=shown, part=i.filename, ratio=i.file_size // max(i.compress_size, 1),
                             size=_mb(i.file_size))
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise InputError("ods_as_workbook" if "content.xml" in names else "zip_of_other", file=shown)
    if "xl/workbook.bin" in names:
        raise InputError("xlsb", file=shown)
    extents: dict[str, SheetExtent] = {}
    seen = 0
    for info in infos:
        low = info.filename.lower()
        if info.is_dir() or not (low.endswith(".xml") or low.endswith(".rels")):
            continue
        ext: SheetExtent | None = None
        prefix = b""
        start = True
        for seg in _xml_segments(zf, info):
            if cancel is not None and cancel.is_set():
                raise ScanCancelled()
            seen += len(seg)
            if seen > budget:
                raise InputError("expands_over", file=shown, limit=limits["max_uncompressed_mb"],
                                 limit_key="max_uncompressed_mb")
            if start:
                start = False
                if seg[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in seg[:4]:
                    raise InputError("not_utf8_xml", file=shown, part=info.filename)
            if _declares_entities(seg):
                raise InputError("xml_entities", file=shown, part=info.filename)
            if ext is None:
                m = _SHEETDATA.search(seg) if b"sheetData" in seg else None
                if m is None:
                    continue
                prefix = m[1] or b""
                ext = SheetExtent()
                extents[info.filename] = ext
                seg = seg[m.start():]
            try:
                if not (not prefix and _scan_sheet_canonical(seg, ext)) and not _scan_sheet_fast(seg, prefix, ext) \
                        and not _scan_sheet_segment(seg, prefix, ext):
                    raise InputError("xml_unverifiable", file=shown, part=info.filename)
            except InputError as e:
                e.params.setdefault("file", shown)
                raise
            if ext.cells > limits["max_cells"]:
                break
    return extents


# --- .xls (BIFF8 in an OLE compound file) --------------------------------------------------------
# calamine allocates the dense grid of an .xls too (a cell in column 65535 is 137 GB). The BIFF
# records are walked once (a plain loop over records: .xls is a legacy format capped at 65,536 rows,
# so this stays well under a second) to get each sheet's extent and first used row.

_FREESECT = 0xFFFFFFFA
# record type -> has a value (BLANK/MULBLANK are formatting only, as calamine treats them)
_BIFF_CELLS = {0x0203: True, 0x027E: True, 0x00FD: True, 0x0204: True, 0x0205: True, 0x0006: True,
               0x00D6: True, 0x00BD: True, 0x0201: False, 0x00BE: False}


def _ole_stream(data: bytes, wanted: tuple[str, ...]) -> bytes | None:
    """The first stream named in ``wanted`` (case-insensitive) of an OLE compound file."""
    if len(data) < 512 or data[:8] != OLE_MAGIC:
        return None
    ss = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    if ss not in (512, 4096):
        raise ValueError("bad sector size")
    n_fat, dir_start, _, cutoff, minifat_start, _, difat_start, n_difat = struct.unpack_from("<8I", data, 0x2C)
    n_sectors = max(0, (len(data) - ss) // ss)

    def sector(s: int) -> bytes:
        if s >= n_sectors:
            raise ValueError("sector out of range")
        return data[(s + 1) * ss : (s + 2) * ss]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    s = difat_start
    for _ in range(min(n_difat, n_sectors)):
        if s >= _FREESECT:
            break
        entries = struct.unpack(f"<{ss // 4}I", sector(s))
        difat.extend(entries[:-1])
        s = entries[-1]
    fat_secs = [x for x in difat if x < _FREESECT][: min(n_fat, n_sectors)]
    fat = struct.unpack(f"<{len(fat_secs) * ss // 4}I", b"".join(sector(x) for x in fat_secs))

    def chain(start: int, table, limit: int) -> list[int]:
        out = []
        while start < _FREESECT:
            if start >= len(table) or len(out) > limit:
                raise ValueError("broken sector chain")
            out.append(start)
            start = table[start]
        return out

    def read(start: int) -> bytes:
        return b"".join(sector(x) for x in chain(start, fat, n_sectors))

    dirs = read(dir_start)
    entries = []
    for off in range(0, len(dirs) - 127, 128):
        nlen = struct.unpack_from("<H", dirs, off + 0x40)[0]
        name = dirs[off : off + max(0, min(nlen, 64) - 2)].decode("utf-16-le", "replace")
        etype = dirs[off + 0x42]
        start, size = struct.unpack_from("<II", dirs, off + 0x74)
        entries.append((name, etype, start, size))
    if not entries:
        return None
    for name, etype, start, size in entries:
        if etype != 2 or name.lower() not in wanted:
            continue
        if size >= cutoff:
            return read(start)[:size]
        root = entries[0]
        mini = read(root[2])
        minifat = struct.unpack(f"<{len(read(minifat_start)) // 4}I", read(minifat_start)) if minifat_start < _FREESECT else ()
        parts = [mini[x * 64 : (x + 1) * 64] for x in chain(start, minifat, len(mini) // 64 + 1)]
        return b"".join(parts)[:size]
    return None


def scan_xls(path: Path, shown: str, limits: dict) -> dict[str, SheetExtent]:
    """Extent and first used row of each worksheet of an .xls, by sheet name."""
    try:
        stream = _ole_stream(path.read_bytes(), ("workbook", "book"))
    except (ValueError, struct.error):
        raise InputError("corrupt_xls", file=shown) from None
    if stream is None:
        raise InputError("ole_not_excel", file=shown)
    names: dict[int, str] = {}
    extents: dict[str, SheetExtent] = {}
    ext: SheetExtent | None = None
    pos, n = 0, len(stream)
    unpack = struct.unpack_from
    while pos + 4 <= n:
        typ, ln = unpack("<HH", stream, pos)
        body = pos + 4
        if typ == 0x0085 and ln >= 8:  # BOUNDSHEET8: where a sheet's BOF is, and its name
            bof, _, kind, cch, high = unpack("<IBBBB", stream, body)
            raw = stream[body + 8 : body + 8 + (cch * 2 if high & 1 else cch)]
            names[bof] = raw.decode("utf-16-le" if high & 1 else "latin-1", "replace")
        elif typ == 0x0809:  # BOF: a substream starts
            ext = None
            if pos in names:
                ext = extents.setdefault(names[pos], SheetExtent())
        elif ext is not None and typ in _BIFF_CELLS and ln >= 4:
            row, col = unpack("<HH", stream, body)
            last = col
            if typ in (0x00BD, 0x00BE) and ln >= 6:  # MULRK/MULBLANK: last column at the end
                last = unpack("<H", stream, body + ln - 2)[0]
            ext.cells += max(1, last - col + 1)
            if _BIFF_CELLS[typ]:
                ext.rows = max(ext.rows, row + 1)
                ext.cols = max(ext.cols, max(col, last) + 1)
                if ext.first_row is None or row + 1 < ext.first_row:
                    ext.first_row = row + 1
        pos = body + ln
    for name, e in extents.items():
        _refuse_extent(shown, name, e, limits)
    return extents


def sniff_binary(path: Path) -> str:
    """'zip', 'ole-encrypted', 'ole', 'text' or 'unknown' from the first bytes."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head == OLE_MAGIC:
        data = path.read_bytes()
        return "ole-encrypted" if ENCRYPTED_MARK in data else "ole"
    try:
        with path.open("rb") as fh:
            sample = fh.read(4096)
        if b"\x00" not in sample:
            sample.decode("utf-8")
            controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
            return "text" if controls == 0 else "unknown"
    except UnicodeDecodeError:
        return "text" if b"\x00" not in sample else "unknown"
    return "unknown"


def _one_line(e: BaseException) -> str:
    text = str(e).strip()
    return (text.splitlines()[0][:200] if text else type(e).__name__)


def _describe_text(path: Path) -> str:
    """The message key saying what a text file named like a workbook most likely is."""
    with path.open("rb") as fh:
        head = fh.read(4096).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<table" in head:
        return "html_as_workbook"
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "xml2003_as_workbook"
    return "text_as_workbook"


class ScanCancelled(Exception):
    """A look-ahead check of a workbook stopped because the run ended (an error, Ctrl-C)."""


@dataclass
class PreparedWorkbook:
    """What the checks before reading found out about a workbook (see :func:`prepare_workbook`)."""

    kind: str  # 'zip' or 'ole'
    by_content: bool  # named as the other format: read from its bytes
    offsets: dict[str, int | None]  # sheet name -> spreadsheet row of its first used row
    skip: set[str]  # chart/dialog/macro sheets: listed, not read
    notes: list[str]


def prepare_workbook(path: Path, shown: str, limits: dict, cancel=None) -> PreparedWorkbook:
    """Every check that must pass before fastexcel may open a workbook: size, what the file really
    is, password, the zip directory (declared sizes and ratios, before anything is inflated), then
    the streamed XML scan (entities, used extent, first used row) or the .xls records. Raises
    InputError; safe to run in a worker thread ahead of the reading (``cancel``: a
    threading.Event that stops a zip scan between segments)."""
    check_size(path, limits, shown)
    if path.stat().st_size == 0:
        raise InputError("empty_file", file=shown)
    kind = sniff_binary(path)
    suffix = path.suffix.lower()
    if kind == "ole-encrypted":
        raise InputError("password", file=shown)
    if kind == "text":
        raise InputError(_describe_text(path), file=shown)
    if kind not in ("zip", "ole"):
        raise InputError("not_a_workbook", file=shown)
    # A workbook whose name says the other format (an .xlsx saved as .xls): read it by content.
    by_content = (kind == "zip") != (suffix in (".xlsx", ".xlsm"))
    offsets: dict[str, int | None] = {}
    skip: set[str] = set()
    notes: list[str] = []
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as zf:
                extents = scan_xlsx(path, shown, zf, limits, cancel)
                parts = _sheet_parts(zf)
                macros = any(n.lower().endswith("vbaproject.bin") for n in zf.namelist())
        except (zipfile.BadZipFile, KeyError, zlib.error, EOFError, NotImplementedError, OSError, ValueError) as e:
            raise InputError("corrupt_xlsx", file=shown, detail=_one_line(e)) from None
        except InputError as e:
            e.params.setdefault("file", shown)
            raise
        for part, ext in extents.items():
            sheet = next((n for n, pt in parts.items() if pt == part), part)
            _refuse_extent(shown, sheet, ext, limits)
        offsets = {name: extents[pt].first_row if pt in extents else None for name, pt in parts.items()}
        # chart, dialog and macro sheets hold no cells (calamine prints a warning for them): listed, not read
        skip = {name for name, pt in parts.items() if re.search(r"(?:chart|dialog|macro)sheets/", pt)}
        if macros:
            notes.append("macros (VBA) present; they are not run")
    elif kind == "ole":
        offsets = {name: e.first_row for name, e in scan_xls(path, shown, limits).items()}
    return PreparedWorkbook(kind, by_content, offsets, skip, notes)


def read_workbook(path: Path, shown: str, limits: dict, prepared: PreparedWorkbook | None = None) -> list[Grid]:
    """Every sheet of a workbook as a Grid; ``prepared``: the result of :func:`prepare_workbook`
    for this file when it was checked ahead (else it is checked here, first)."""
    import fastexcel

    if prepared is None:
        prepared = prepare_workbook(path, shown, limits)
    by_content, offsets, skip, notes = prepared.by_content, prepared.offsets, prepared.skip, prepared.notes
    try:
        reader = fastexcel.read_excel(path.read_bytes() if by_content else str(path))
        names = list(reader.sheet_names)
    except Exception as e:  # fastexcel raises its own error types for corrupt files
        raise InputError("workbook_unreadable", file=shown, detail=f"{type(e).__name__}: {_one_line(e)}") from None
    grids = []
    for name in names:
        if name in skip:
            grids.append(Grid(shown, name, pd.DataFrame(), 1, name, list(notes)))
            continue
        try:
            # eager: calamine's cells straight into an Arrow record batch (no intermediate sheet object)
            batch = reader.load_sheet(name, header_row=None, dtypes="string", eager=True)
            width, height = batch.num_columns, batch.num_rows
            if width > limits["max_columns"] or width * max(height, 1) > limits["max_cells"]:
                if width > limits["max_columns"]:
                    raise InputError("too_many_columns", file=shown, sheet=name, cols=width,
                                     letter=col_letters(min(width, EXCEL_MAX_COLS)),
                                     limit=limits["max_columns"], limit_key="max_columns")
                raise InputError("too_many_cells", file=shown, sheet=name, rows=height, cols=width,
                                 limit=limits["max_cells"], limit_key="max_cells")
            cells = batch.to_pandas()
        except InputError:
            raise
        except Exception as e:
            raise InputError("sheet_unreadable", file=shown, sheet=name, detail=_one_line(e)) from None
        cells.columns = range(cells.shape[1])
        first = offsets.get(name)
        grids.append(Grid(shown, name, cells, first or 1, name, list(notes)))
    if len(grids) == 1:
        grids[0].name_hint = grids[0].sheet or path.stem
    return grids


# --- CSV ------------------------------------------------------------------------------------


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the text is UTF-16 without a BOM (every other byte zero)."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2 or b"\x00" not in sample:
        return None
    even, odd = sample[0 : 2 * half : 2].count(0), sample[1 : 2 * half : 2].count(0)
    if odd >= 0.9 * half and even <= 0.1 * half:
        return "utf-16-le"
    if even >= 0.9 * half and odd <= 0.1 * half:
        return "utf-16-be"
    return None


_UTF8_PROBE = 1 << 16
_FIELD_LIMIT_LOCK = threading.Lock()  # csv.field_size_limit is one setting for the whole process


def decode_text(data: bytes) -> tuple[str, str]:
    """Text and encoding: UTF-16 (with or without BOM), UTF-8 (with or without BOM), else cp1252."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if enc := _utf16_without_bom(data):
        return data.decode(enc, errors="replace"), enc
    try:
        # A file that is not UTF-8 mostly shows it early: its first 64 KB are tried on their own
        # (a character cut at their end is held back, not refused), so the failed attempt on the
        # whole file (0.13 s for 174 MB: Python sizes its buffer first) is left out.
        codecs.getincrementaldecoder("utf-8-sig")().decode(data[:_UTF8_PROBE], final=False)
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        if not _cp1252_specials(data):
            # cp1252 is Latin-1 outside 0x80-0x9F (the euro sign, curly quotes, dashes, ...), and
            # CPython decodes Latin-1 by a widening copy: 0.11 s for the benchmark's 174 MB lines
            # file against 0.35 s by the cp1252 table (the check: 0.03 s). The same text (tested).
            return data.decode("latin-1"), "cp1252"
        return data.decode("cp1252", errors="replace"), "cp1252"


def _cp1252_specials(data: bytes, step: int = 1 << 22) -> bool:
    """Whether ``data`` holds a byte in 0x80-0x9F (numpy, a few MB at a time, stopping at the
    first one)."""
    a = np.frombuffer(data, dtype=np.uint8)
    buf = np.empty(min(step, len(a)), dtype=np.uint8)
    for off in range(0, len(a), step):
        part = a[off : off + step]
        top = buf[: len(part)]
        np.bitwise_and(part, 0xE0, out=top)
        if (top == 0x80).any():
            return True
    return False


_HEAD_LINE_CHARS = 100_000  # under the csv module's field limit (131,072): a 1 MB cell is not a header


def split_head(text: str, delimiter: str, n: int = 20) -> list[list[str]]:
    # never split a whole large file; a very long line is cut (only header candidates are looked at)
    head_lines = [line[:_HEAD_LINE_CHARS] for line in text[: 1 << 18].splitlines()[: n + 5]]
    return [row for row in csv.reader(head_lines, delimiter=delimiter)][:n]


def _breaks(text: str) -> int:
    """Line breaks in ``text``: CRLF, CR and LF each count once."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


# Bytes per pyarrow CSV block (blocks are parsed in parallel). pyarrow 26 loses the LF of a quoted
# CRLF that a block boundary splits: a text whose cells hold a CR is parsed again as one block.
_ARROW_BLOCK = 8 << 20


class _Chained(io.RawIOBase):
    """A read-only stream over several buffers, one after the other (pyarrow reads the file and
    its end-of-file sentinel row without a joined copy of a file of hundreds of MB)."""

    def __init__(self, *parts: bytes | memoryview):
        super().__init__()
        self._parts = [memoryview(p).cast("B") for p in parts]
        self._i = self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while self._i < len(self._parts):
            part = self._parts[self._i]
            if self._pos < len(part):
                n = min(len(b), len(part) - self._pos)
                b[:n] = part[self._pos : self._pos + n]
                self._pos += n
                return n
            self._i += 1
            self._pos = 0
        return 0
_EOF_MARK = b"\x01dossiercheck-end-of-file\x01"


def _inner_breaks(cells: pd.DataFrame) -> np.ndarray:
    """Per row, the line breaks inside its cells (CRLF, CR and LF each count once)."""
    inner = np.zeros(len(cells), dtype=np.int64)
    for c in cells.columns:  # per column, vectorised
        inner += cells[c].str.count(r"\r\n|\r|\n").fillna(0).to_numpy(dtype=np.int64)
    return inner


def _arrow_inner_breaks(columns: list, n_rows: int) -> tuple[np.ndarray, bool]:
    """:func:`_inner_breaks` of pyarrow ``large_string`` columns, from their UTF-8 bytes: per row,
    its LF bytes plus its CR bytes not followed by an LF of the same cell (numpy on the buffers);
    and whether any cell holds a CR."""
    import pyarrow as pa

    inner = np.zeros(n_rows, dtype=np.int64)
    any_cr = False
    for column in columns:
        start = 0
        for chunk in column.chunks:
            n = len(chunk)
            if n and chunk.null_count == 0 and chunk.type == pa.large_string():
                offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64, count=chunk.offset + n + 1)[chunk.offset :]
                data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8, count=offsets[-1])[offsets[0] :]
                lf = np.flatnonzero(data == 10)
                cr = np.flatnonzero(data == 13)
                if len(cr):
                    any_cr = True
                    nxt = np.minimum(cr + 1, len(data) - 1)
                    same = np.searchsorted(offsets, cr + offsets[0], "right") == np.searchsorted(
                        offsets, nxt + offsets[0], "right"
                    )
                    cr = cr[~((data[nxt] == 10) & (cr + 1 < len(data)) & same)]
                hits = np.concatenate((lf, cr)) + offsets[0]
                if len(hits):
                    rows = np.searchsorted(offsets, hits, "right") - 1
                    inner[start : start + n] += np.bincount(rows, minlength=n)
            elif n:
                values = pd.Series(chunk.to_pandas(), dtype="string")
                any_cr = any_cr or bool(values.str.contains("\r", regex=False).fillna(False).any())
                inner[start : start + n] += _inner_breaks(pd.DataFrame({0: values}))
            start += n
    return inner, any_cr


def _read_csv_arrow(
    text: str, delimiter: str, width: int, utf8: tuple[bytes, int] | None = None
) -> tuple[pd.DataFrame, np.ndarray | None] | None:
    """The cells of a regular CSV text read by pyarrow (multi-threaded, no Python object per
    cell) and the line breaks inside each row's cells (None when there are none), or None when
    pandas must decide: a row whose field count differs from ``width``, a blank line, an unclosed
    quote, no rows at all. For a regular file the cells equal pandas'
    C engine's (strings, ``""`` for empty fields). ``utf8``: the file's bytes and where ``text``
    starts in them (after a BOM) when the file was UTF-8 already (saves encoding it again)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [str(i) for i in range(width)]

    def irregular(row) -> str:  # noqa: ARG001 - pandas reads irregular files, with its own rules
        return "error"

    # pyarrow takes a quote left open at the end of the file as closed there, where pandas
    # refuses the row: a sentinel row after the text is read as a row only when every quote closed.
    if utf8 is None:
        whole, start = text.encode("utf-8"), 0
    else:
        whole, start = utf8
    body = memoryview(whole)[start:]
    ends_with_break = text.endswith(("\n", "\r"))
    sentinel = b"".join((b"" if ends_with_break else b"\n", _EOF_MARK, delimiter.encode() * (width - 1)))

    def parse(one_block: bool):
        if one_block:  # a block boundary must not split a quoted CRLF (see _ARROW_BLOCK)
            data = b"".join((body, sentinel))  # one copy
            if len(data) + 1 >= 1 << 31:  # pyarrow's block size is an int32
                return None
            source, block = pa.BufferReader(data), len(data) + 1
        else:
            source, block = _Chained(body, sentinel), _ARROW_BLOCK
        try:
            table = pacsv.read_csv(
                source,
                read_options=pacsv.ReadOptions(column_names=names, block_size=block, use_threads=True),
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter, quote_char='"', double_quote=True, escape_char=False,
                    newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=irregular,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.large_string() for n in names}, strings_can_be_null=False,
                    quoted_strings_can_be_null=False, check_utf8=False,
                ),
            )
        except (pa.ArrowException, ValueError, OverflowError):
            return None
        if table.num_rows < 2 or table.num_columns != width or table.column(0)[-1].as_py() != _EOF_MARK.decode():
            return None
        return table.slice(0, table.num_rows - 1)

    # A blank line is a row of one field to pyarrow (ignore_empty_lines=False), so it declines and
    # pandas keeps the line as a row of its own, as it does. Every row ends with one line break
    # (the last one may not): any other break is inside a quoted cell.
    table = parse(one_block=False)
    if table is None:
        return None
    inner, cr_in_cells = _arrow_inner_breaks(table.columns, table.num_rows)
    if cr_in_cells:  # a quoted CR(LF): parse again as one block (the pyarrow bug above)
        table = parse(one_block=True)
        if table is None:
            return None
        inner, _ = _arrow_inner_breaks(table.columns, table.num_rows)
    if not inner.any():
        inner = None
    cells = pd.DataFrame(
        {i: pd.arrays.ArrowStringArray(table.column(i)) for i in range(width)}, index=pd.RangeIndex(table.num_rows)
    )
    return cells, inner


def read_csv_grid(path: Path, shown: str, limits: dict, choose_delimiter) -> Grid:
    """Read a CSV/TXT file; ``choose_delimiter(heads)`` picks among sniffed candidates."""
    check_size(path, limits, shown)
    data = path.read_bytes()
    if not data or data.isspace():  # (data.strip() without copying the file)
        raise InputError("empty_file", file=shown)
    kind = sniff_binary(path)
    if kind in ("zip", "ole", "ole-encrypted"):
        raise InputError("workbook_as_csv", file=shown)
    text, encoding = decode_text(data)
    if "\x00" in text:
        raise InputError("binary_text", file=shown)
    heads = {d: split_head(text, d) for d in CSV_DELIMITERS}
    delimiter = choose_delimiter(heads)
    warnings: list[str] = []
    bad_lines: list[int] = []

    def on_bad(fields: list[str]) -> list[str] | None:
        bad_lines.append(len(fields))
        return fields[:width]

    width = max((len(r) for r in heads[delimiter]), default=1)
    if width > limits["max_columns"]:
        raise InputError("csv_columns", file=shown, cols=width, limit=limits["max_columns"], limit_key="max_columns")
    common = dict(sep=delimiter, header=None, dtype=str, keep_default_na=False, na_filter=False, skip_blank_lines=False)
    utf8 = None
    if encoding == "utf-8":  # decode_text accepted the bytes as UTF-8: they are the text, after a BOM
        utf8 = (data, len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)
    arrow = _read_csv_arrow(text, delimiter, width, utf8) if width > 1 else None
    cells, inner = arrow if arrow is not None else (None, None)
    try:
        if cells is None:  # pyarrow declined (an irregular file): pandas, as its rules say
            try:
                cells = pd.read_csv(io.StringIO(text), engine="c", quotechar='"', **common)
            except pd.errors.ParserError:  # a row with more fields than the first rows: keep it, cut the extra
                # the python engine uses csv, whose field size limit is global: a 1 MB cell is fine,
                # and two files read at once (io.read_inputs' threads) take turns here
                with _FIELD_LIMIT_LOCK:
                    limit = csv.field_size_limit()
                    csv.field_size_limit(max(limit, len(text) + 1))
                    try:
                        cells = pd.read_csv(
                            io.StringIO(text), names=list(range(width)), engine="python", on_bad_lines=on_bad, **common
                        )
                    finally:
                        csv.field_size_limit(limit)
    except pd.errors.EmptyDataError:
        raise InputError("empty_file", file=shown) from None
    except (pd.errors.ParserError, ValueError, csv.Error) as e:
        raise InputError("csv_unreadable", file=shown, detail=_one_line(e)) from None
    if bad_lines:
        warnings.append(f"{len(bad_lines)} row(s) had more fields than the header; extra fields ignored")
    if cells.shape[1] > limits["max_columns"]:
        raise InputError("csv_columns", file=shown, cols=cells.shape[1], limit=limits["max_columns"],
                         limit_key="max_columns")
    cells.columns = range(cells.shape[1])
    cells = cells.astype("string")
    if cells.shape[1] > 1 and len(cells):  # a delimiter that changes mid-file: say so beside the findings
        first = cells[0]
        for other in CSV_DELIMITERS:
            if other == delimiter:
                continue
            cand = np.flatnonzero(first.str.contains(other, regex=False).fillna(False).to_numpy())
            if not len(cand):
                continue
            rest = cells.iloc[cand, 1:]
            odd = int((rest.fillna("") == "").all(axis=1).sum())
            if odd:
                warnings.append(f"{odd} row(s) hold one field containing {other!r}: another delimiter than {delimiter!r}?")
    if arrow is None and '"' in text and _breaks(text) > len(cells) - (0 if text.endswith(("\n", "\r")) else 1):
        # Every row but an unterminated last one ends with one line break: more breaks than that
        # means some may be inside quoted cells (else the per-cell count is skipped).
        inner = _inner_breaks(cells)
    row_numbers = None
    if inner is not None and inner.any():
        # A quoted field may span lines: each row starts on 1 + (rows before) + (their inner breaks).
        row_numbers = 1 + np.arange(len(cells)) + np.concatenate(([0], np.cumsum(inner)[:-1]))
    return Grid(
        shown, None, cells, 1, path.stem, warnings + [f"encoding {encoding}, delimiter {delimiter!r}"], row_numbers
    )
