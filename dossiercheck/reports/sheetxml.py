"""Rows of a large table rendered as sheet XML in bulk, written into an XlsxWriter worksheet.

Why: XlsxWriter writes a cell in about 5–10 µs (a dozen Python calls: argument conversion,
dimension checks, escaping by regular expression, one file write per cell). The Bevindingen sheet
of a province's audit has ~100,000 rows × 13 columns, so the workbook alone took 6–13 s while every
other report was long done (docs/performance.md). Nearly all of those cells repeat a few hundred
distinct values (severity, rule, title, hint, source, organisation, file, sheet). Here each
distinct value is rendered once, with XlsxWriter's own escaping helpers, and the ``<row>``
elements of a block of rows are joined column-wise by pyarrow; the block is appended to the
worksheet's row data, which XlsxWriter then assembles, styles, filters and zips as usual. The
workbook, its formats and every other sheet stay XlsxWriter's.

The result is the XML XlsxWriter itself writes for the same cells in ``constant_memory`` mode
(inline strings; tested cell by cell against it), with one deliberate difference: XlsxWriter writes
a plain string that starts with ``<r>`` and ends with ``</r>`` unescaped, as if it were rich text,
so such a text from an input file could inject cells or formulas into the report. Here every
string is escaped; :class:`Worksheet` also fixes this for strings written the ordinary way.

This relies on XlsxWriter internals (the worksheet's row-data file and its ``previous_row``
bookkeeping in ``constant_memory`` mode, its escaping helpers); the tests in
``tests/test_report_xlsx_bulk.py`` pin them, so an XlsxWriter upgrade that changes them fails CI
rather than a report.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
from collections.abc import Sequence
from itertools import zip_longest
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from xlsxwriter import worksheet as _xw
from xlsxwriter.utility import _preserve_whitespace, _utf16_len, _utf16_truncate, xl_col_to_name

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
# the texts XlsxWriter's _escape_control_characters changes (RE2 syntax; see CellRenderer._texts)
_SPECIAL_RE = r"[\x00-\x08\x0b-\x1f\x{fffe}\x{ffff}]|_x[0-9a-fA-F]{4}_"
_INT_LIMIT = 2**53  # up to it, an int is exact as a float: f"{n:.16G}" is its decimal digits


def _small_ints(values: Sequence[Any]) -> bool:
    """Whether every int of ``values`` (ints and None) is at most 2**53 in size."""
    ints = [v for v in values if v is not None]
    return -_INT_LIMIT <= min(ints) and max(ints) <= _INT_LIMIT


class Worksheet(_xw.Worksheet):
    """An XlsxWriter worksheet that also takes rows rendered in bulk (:meth:`write_rendered_rows`)
    and never writes a plain string unescaped (see the module docstring)."""

    def write_rendered_rows(self, first: int, last: int, last_col: int, xml: str | bytes | memoryview | pa.Buffer) -> None:
        """Append rows ``first``..``last`` (0-based, after every row written so far), already
        rendered as ``<row>`` elements (text, or its UTF-8 bytes), to the sheet data."""
        if not self.constant_memory:
            raise ValueError("rendered rows need constant_memory mode")
        if first < self.previous_row or (first == self.previous_row and self.table.get(first)):
            raise ValueError(f"row {first} is not after the rows already written")
        if self._check_dimensions(first, 0) or self._check_dimensions(last, last_col):
            raise ValueError(f"rows {first}..{last} are outside the sheet")
        self._write_single_row(first)  # the pending row (the header) goes out first
        if isinstance(xml, str):
            self.fh.write(xml)
        else:  # UTF-8 bytes straight to the (UTF-8) file, after what its text layer holds
            self.fh.flush()
            self.fh.buffer.write(xml)
        self.previous_row = last + 1  # nothing pending; a later write must come after ``last``

    def _write_optimized_sheet_data(self) -> None:
        """XlsxWriter's, copying the row data into the sheet file as bytes (both are UTF-8 text
        files) instead of decoding and encoding it again in 64 KB pieces."""
        if self.dim_rowmin is None or not (hasattr(self.fh, "buffer") and hasattr(self.row_data_fh, "buffer")):
            super()._write_optimized_sheet_data()
            return
        self._xml_start_tag("sheetData")
        self.row_data_fh.flush()
        self.row_data_fh.buffer.seek(0)
        self.fh.flush()
        shutil.copyfileobj(self.row_data_fh.buffer, self.fh.buffer, 1 << 20)
        self.row_data_fh.close()
        os.unlink(self.row_data_filename)
        self._xml_end_tag("sheetData")

    def _write_cell(self, row: int, col: int, cell) -> None:
        if type(cell) is _xw.CellStringTuple and self.constant_memory:
            s = cell.string
            if s.startswith("<r>") and s.endswith("</r>"):  # plain text, not rich text: escape it
                attributes = [("r", _xw.xl_rowcol_to_cell_fast(row, col))]
                if cell.format:
                    attributes.append(("s", cell.format._get_xf_index()))
                s = self._escape_control_characters(s)
                self._xml_inline_string(s, _preserve_whitespace(s), attributes)
                return
        super()._write_cell(row, col, cell)


class CellRenderer:
    """Renders the cells of one worksheet's table the way ``write_table`` writes them one by one:
    text as a string cell (quote-prefixed format when it starts like a formula), ``int`` and
    finite ``float`` as numbers, dates as date cells, the severity column as its label in the
    severity's colours; empty values (``None``, ``""``) as no cell."""

    def __init__(self, ws: Worksheet, plain, quoted, date_fmt, sev_fmt: dict, severity_col: int | None):
        self.ws = ws
        self.plain, self.quoted, self.date_fmt, self.sev_fmt = plain, quoted, date_fmt, sev_fmt
        self.severity_col = severity_col
        self.memo: dict = {}
        self.sev_memo: dict = {}

    @staticmethod
    def _s(fmt) -> str:
        return f' s="{fmt._get_xf_index()}"' if fmt is not None else ""

    def _string(self, s: str, fmt) -> str:
        if len(s) > self.ws.xls_strmax // 2 and _utf16_len(s) > self.ws.xls_strmax:
            s = _utf16_truncate(s, self.ws.xls_strmax)
        s = self.ws._escape_control_characters(s)
        preserve = ' xml:space="preserve"' if _preserve_whitespace(s) else ""
        return f'"{self._s(fmt)} t="inlineStr"><is><t{preserve}>{self.ws._escape_data(s)}</t></is></c>'

    def _number(self, n, fmt) -> str:
        return f'"{self._s(fmt)}><v>{n:.16G}</v></c>'

    def body(self, v: Any) -> str | None:
        """The cell's XML after ``<c r="A1`` (None: no cell)."""
        if v is None or (type(v) is str and v == ""):
            return None
        if type(v) is str:
            return self._string(v, self.quoted if v.startswith(DANGEROUS_START) else self.plain)
        if type(v) is int or (type(v) is float and math.isfinite(v)):
            return self._number(v, self.plain)
        if type(v) is dt.date:
            return self._number(self.ws._convert_date_time(v), self.date_fmt)
        if isinstance(v, bool):  # other types as ``Sheets.put`` writes them: without a format
            return self._string(str(v).lower(), None)
        if isinstance(v, (int, float)) and math.isfinite(v):
            return self._number(v, None)
        s = str(v)
        return self._string(s, self.quoted if s.startswith(DANGEROUS_START) else self.plain) if s else None

    def severity(self, v) -> str | None:
        if v is None or v == "":
            return None
        key, label = v
        return self._string(label, self.sev_fmt.get(key))

    def column(self, values: Sequence[Any], c: int) -> list:
        """The bodies of one column's cells, each distinct value rendered once."""
        sev = c == self.severity_col
        memo, render = (self.sev_memo, self.severity) if sev else (self.memo, self.body)
        out = []
        try:
            get = memo.__getitem__
            for v in values:
                # a type-tagged key: True, 1 and 1.0 are equal as keys but are different cells
                k = v if sev or type(v) is str else (type(v), v)
                try:
                    out.append(get(k))
                except KeyError:
                    memo[k] = b = render(v)
                    out.append(b)
        except TypeError:  # an unhashable value: render this column without the memo
            out = [render(v) for v in values]
        return out

    def column_array(self, values: Sequence[Any], c: int) -> pa.Array:
        """The bodies of one column's cells as an Arrow string array (null: no cell).

        A column of only texts (or only ``int`` up to 2**53 in size) is rendered by pyarrow, each
        distinct text once; any other column goes through :meth:`column`. Same XML (tested)."""
        if c != self.severity_col and len(values):
            types = set(map(type, values))
            if types <= {str, type(None)} and str in types:
                return self._texts(pa.array(values, type=pa.string()))
            if types <= {int, type(None)} and int in types and _small_ints(values):
                digits = pc.cast(pa.array(values, type=pa.int64()), pa.string())
                return pc.binary_join_element_wise(f'"{self._s(self.plain)}><v>', digits, "</v></c>", "")
        return pa.array(self.column(values, c), type=pa.string())

    def _texts(self, arr: pa.Array) -> pa.Array:
        """:meth:`_string` of every text (no cell for ``""``), vectorised over the distinct texts.

        The few texts XlsxWriter treats specially (a control character, a literal ``_xHHHH_``, a
        non-character U+FFFE/U+FFFF, or longer than half the cell limit) go through
        :meth:`_string`; for the others its steps are plain text operations: the quote-prefixed
        format when the text starts like a formula, ``xml:space="preserve"`` when the first or
        last character is whitespace (in the sense of XlsxWriter's regular expressions, asked of
        Python's ``re`` per distinct character), and ``&``, ``<``, ``>`` escaped."""
        enc = arr.dictionary_encode()
        texts = enc.dictionary
        if not len(texts):
            return pa.nulls(len(arr), pa.string())
        special = pc.or_(
            pc.match_substring_regex(texts, _SPECIAL_RE),
            pc.greater(pc.utf8_length(texts), self.ws.xls_strmax // 2),
        )
        first, last = pc.utf8_slice_codeunits(texts, 0, 1), pc.utf8_slice_codeunits(texts, -1)
        ends = pc.unique(pa.concat_arrays([first, last]))
        space = pa.array([ch for ch in ends.to_pylist() if ch and _preserve_whitespace(ch)], type=pa.string())
        preserve = pc.or_(pc.is_in(first, value_set=space), pc.is_in(last, value_set=space))
        quoted = pc.starts_with(texts, DANGEROUS_START[0])
        for prefix in DANGEROUS_START[1:]:
            quoted = pc.or_(quoted, pc.starts_with(texts, prefix))
        escaped = texts
        for ch, ent in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
            escaped = pc.replace_substring(escaped, ch, ent)
        body = pc.binary_join_element_wise(
            pc.if_else(quoted, f'"{self._s(self.quoted)} t="inlineStr"><is><t', f'"{self._s(self.plain)} t="inlineStr"><is><t'),
            pc.if_else(preserve, ' xml:space="preserve">', ">"),
            escaped,
            "</t></is></c>",
            "",
        )
        if pc.any(special).as_py():
            idx = np.flatnonzero(special.to_numpy(zero_copy_only=False))
            rendered = [
                self._string(t, self.quoted if t.startswith(DANGEROUS_START) else self.plain)
                for t in texts.take(pa.array(idx)).to_pylist()
            ]
            body = pc.replace_with_mask(body, special, pa.array(rendered, type=pa.string()))
        body = pc.if_else(pc.equal(texts, ""), pa.scalar(None, pa.string()), body)
        return body.take(enc.indices)

    def rows_xml(self, rows: Sequence[Sequence[Any]], first: int) -> pa.Buffer:
        """``<row>`` elements for ``rows``, the first at 0-based row ``first`` (UTF-8)."""
        return self.columns_xml(list(zip_longest(*rows, fillvalue=None)), first, len(rows))

    def columns_xml(self, columns: Sequence[Sequence[Any]], first: int, n: int | None = None) -> pa.Buffer:
        """``<row>`` elements for the rows whose cells are ``columns`` (one sequence per column,
        all of one length, ``n``), the first at 0-based row ``first``: their UTF-8 bytes, joined by
        pyarrow (no Python string per row, none for the block)."""
        n = len(columns[0]) if n is None else n
        rownum = pc.cast(pa.array(np.arange(first + 1, first + n + 1, dtype=np.int64)), pa.string())
        parts: list = ['<row r="', rownum, '">']
        for c, values in enumerate(columns):
            bodies = self.column_array(values, c)
            if bodies.null_count == n:
                continue
            cells = pc.binary_join_element_wise(f'<c r="{xl_col_to_name(c)}', rownum, bodies, "")
            parts.append(pc.fill_null(cells, "") if bodies.null_count else cells)
        parts.append("</row>")
        rows = pc.binary_join_element_wise(*parts, "")
        block = pc.binary_join(pa.ListArray.from_arrays(pa.array([0, len(rows)], pa.int32()), rows), "")
        return block[0].as_buffer()
