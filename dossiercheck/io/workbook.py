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
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
CSV_DELIMITERS = (";", ",", "\t")


class InputError(Exception):
    """Bad input: the run cannot be done. The message is one line for the user."""


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
    return f"{n / 1_048_576:.0f} MB"


def check_size(path: Path, limits: dict) -> None:
    size = path.stat().st_size
    if size > limits["max_file_mb"] * 1_048_576:
        raise InputError(
            f"{path}: file is {_mb(size)}, over the limit of {limits['max_file_mb']} MB (raise limits.max_file_mb)"
        )


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
        raise InputError("workbook XML declares entities (possible entity-expansion attack); refused")
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


def _limit_hint(key: str) -> str:
    return f"raise limits.{key} in the [limits] section of a --config file"


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
    rows = np.zeros(len(v), dtype=np.int64)
    for i in range(7):  # right-aligned digits, seven vectorised steps
        c = a[e - 1 - i]
        inside = i < ndig
        bad = bad or bool((inside & ~_IS_DIGIT[c]).any())
        rows += np.where(inside, c.astype(np.int64) - 48, 0) * 10**i
    return cols, rows, bad


def _count_tags(seg: bytes, name: bytes) -> int:
    return sum(seg.count(b"<" + name + end) for end in (b" ", b">", b"/", b"\t", b"\n", b"\r"))


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
            raise InputError("row number beyond Excel's limits or malformed (corrupt or crafted workbook)")
        ext.rows = max(ext.rows, int(rows.max()))
        ext._row_no = int(rows[-1])
        ext._rless_in_row = 0
    if len(cell_pos):
        v = cell_pos + len(cname) + 5
        cols, rows, bad = _parse_refs(a, v)
        if bad:
            raise InputError("cell reference beyond Excel's limits or malformed (corrupt or crafted workbook)")
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
                raise InputError("row number beyond Excel's limits or malformed (corrupt or crafted workbook)")
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
            raise InputError("cell reference beyond Excel's limits or malformed (corrupt or crafted workbook)")
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
        raise InputError(
            f"{shown} [{sheet}]: sheet uses {cols} columns (up to column {col_letters(min(cols, EXCEL_MAX_COLS))}), "
            f"over the limit of {limits['max_columns']}; {_limit_hint('max_columns')}"
        )
    if ext.rows > EXCEL_MAX_ROWS or cols > EXCEL_MAX_COLS:
        raise InputError(f"{shown} [{sheet}]: cell beyond Excel's last row or column (corrupt or crafted workbook)")
    if ext.rows * cols > limits["max_cells"] or ext.cells > limits["max_cells"]:
        raise InputError(
            f"{shown} [{sheet}]: sheet spans {ext.rows} rows x {cols} columns, over the limit of "
            f"{limits['max_cells']} cells; {_limit_hint('max_cells')}"
        )


def scan_xlsx(path: Path, shown: str, zf: zipfile.ZipFile, limits: dict) -> dict[str, SheetExtent]:
    """Check every XML part of an xlsx/xlsm; return the extent of each sheet part (by part name)."""
    infos = zf.infolist()
    budget = limits["max_uncompressed_mb"] * 1_048_576
    declared = sum(i.file_size for i in infos)
    if declared > budget:
        raise InputError(
            f"{shown}: workbook expands to {_mb(declared)}, over the limit of {limits['max_uncompressed_mb']} MB; "
            f"{_limit_hint('max_uncompressed_mb')}"
        )
    for i in infos:  # deflate tops out near 1000:1; real sheet XML compresses 5-50:1
        if i.file_size > 50 << 20 and i.file_size > 300 * max(i.compress_size, 1):
            raise InputError(
                f"{shown}: part {i.filename} expands {i.file_size // max(i.compress_size, 1)}:1 to {_mb(i.file_size)} "
                "(a zip bomb?); refused"
            )
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        what = "an OpenDocument file" if "content.xml" in names else "a zip archive of other files"
        raise InputError(f"{shown}: not an Excel workbook but {what}")
    if "xl/workbook.bin" in names:
        raise InputError(f"{shown}: binary workbooks (.xlsb) are not supported; save it as .xlsx")
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
            seen += len(seg)
            if seen > budget:
                raise InputError(
                    f"{shown}: workbook expands to over {limits['max_uncompressed_mb']} MB; {_limit_hint('max_uncompressed_mb')}"
                )
            if start:
                start = False
                if seg[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in seg[:4]:
                    raise InputError(f"{shown}: part {info.filename} is not UTF-8 XML (crafted workbook?); refused")
            if b"<!DOCTYPE" in seg or b"<!ENTITY" in seg:
                raise InputError(
                    f"{shown}: part {info.filename} declares XML entities (possible entity-expansion attack); refused"
                )
            if ext is None:
                m = _SHEETDATA.search(seg)
                if m is None:
                    continue
                prefix = m[1] or b""
                ext = SheetExtent()
                extents[info.filename] = ext
                seg = seg[m.start():]
            if not _scan_sheet_fast(seg, prefix, ext) and not _scan_sheet_segment(seg, prefix, ext):
                raise InputError(f"{shown}: part {info.filename} uses XML this checker cannot verify; re-save it in Excel")
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
        raise InputError(f"{shown}: not a valid .xls workbook (corrupt or truncated)") from None
    if stream is None:
        raise InputError(f"{shown}: not an Excel workbook (an OLE file without a Workbook stream, e.g. a Word document)")
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
    """What a text file named like a workbook most likely is, and what to do."""
    with path.open("rb") as fh:
        head = fh.read(4096).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<table" in head:
        return "an HTML page saved under a workbook name; open it in Excel and save it as .xlsx"
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "an Excel 2003 XML spreadsheet; open it in Excel and save it as .xlsx"
    return "a text file; if it is a CSV export, rename it to .csv"


def read_workbook(path: Path, shown: str, limits: dict) -> list[Grid]:
    import fastexcel

    check_size(path, limits)
    if path.stat().st_size == 0:
        raise InputError(f"{shown}: file is empty")
    kind = sniff_binary(path)
    suffix = path.suffix.lower()
    if kind == "ole-encrypted":
        raise InputError(f"{shown}: workbook is password-protected; save it without a password and try again")
    if kind == "text":
        raise InputError(f"{shown}: not an Excel workbook but {_describe_text(path)}")
    if kind not in ("zip", "ole"):
        raise InputError(f"{shown}: not a valid Excel workbook (corrupt, truncated or another file type)")
    # A workbook whose name says the other format (an .xlsx saved as .xls): read it by content.
    by_content = (kind == "zip") != (suffix in (".xlsx", ".xlsm"))
    offsets: dict[str, int | None] = {}
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as zf:
                extents = scan_xlsx(path, shown, zf, limits)
                parts = _sheet_parts(zf)
        except (zipfile.BadZipFile, KeyError, zlib.error, EOFError, NotImplementedError, OSError, ValueError) as e:
            raise InputError(f"{shown}: not a valid xlsx workbook (corrupt or truncated: {_one_line(e)})") from None
        for part, ext in extents.items():
            sheet = next((n for n, pt in parts.items() if pt == part), part)
            _refuse_extent(shown, sheet, ext, limits)
        offsets = {name: extents[pt].first_row if pt in extents else None for name, pt in parts.items()}
    elif kind == "ole":
        offsets = {name: e.first_row for name, e in scan_xls(path, shown, limits).items()}
    try:
        reader = fastexcel.read_excel(path.read_bytes() if by_content else str(path))
        names = list(reader.sheet_names)
    except Exception as e:  # fastexcel raises its own error types for corrupt files
        raise InputError(f"{shown}: workbook cannot be read ({type(e).__name__}: {_one_line(e)})") from None
    grids = []
    for name in names:
        try:
            sheet = reader.load_sheet(name, header_row=None, dtypes="string")
            if sheet.width > limits["max_columns"] or sheet.width * max(sheet.height, 1) > limits["max_cells"]:
                raise InputError(
                    f"{shown} [{name}]: sheet has {sheet.height} rows x {sheet.width} columns, over the limits "
                    f"({limits['max_columns']} columns, {limits['max_cells']} cells); "
                    f"{_limit_hint('max_columns')} or limits.max_cells"
                )
            cells = sheet.to_pandas()
        except InputError:
            raise
        except Exception as e:
            raise InputError(f"{shown} [{name}]: sheet cannot be read ({_one_line(e)})") from None
        cells.columns = range(cells.shape[1])
        first = offsets.get(name)
        hint = name if len(names) > 1 else name
        grids.append(Grid(shown, name, cells, first or 1, hint, []))
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


def decode_text(data: bytes) -> tuple[str, str]:
    """Text and encoding: UTF-16 (with or without BOM), UTF-8 (with or without BOM), else cp1252."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if enc := _utf16_without_bom(data):
        return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def split_head(text: str, delimiter: str, n: int = 20) -> list[list[str]]:
    head_lines = text[: 1 << 18].splitlines()[: n + 5]  # never split a whole large file
    return [row for row in csv.reader(head_lines, delimiter=delimiter)][:n]


def read_csv_grid(path: Path, shown: str, limits: dict, choose_delimiter) -> Grid:
    """Read a CSV/TXT file; ``choose_delimiter(heads)`` picks among sniffed candidates."""
    check_size(path, limits)
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{shown}: file is empty")
    kind = sniff_binary(path)
    if kind in ("zip", "ole", "ole-encrypted"):
        raise InputError(f"{shown}: this is an Excel workbook, not a CSV file; rename it to .xlsx")
    text, encoding = decode_text(data)
    if "\x00" in text:
        raise InputError(f"{shown}: not a text file (binary content)")
    heads = {d: split_head(text, d) for d in CSV_DELIMITERS}
    delimiter = choose_delimiter(heads)
    warnings: list[str] = []
    bad_lines: list[int] = []

    def on_bad(fields: list[str]) -> list[str] | None:
        bad_lines.append(len(fields))
        return fields[:width]

    width = max((len(r) for r in heads[delimiter]), default=1)
    if width > limits["max_columns"]:
        raise InputError(
            f"{shown}: {width} columns, over the limit of {limits['max_columns']}; {_limit_hint('max_columns')}"
        )
    common = dict(sep=delimiter, header=None, dtype=str, keep_default_na=False, na_filter=False, skip_blank_lines=False)
    try:
        try:
            cells = pd.read_csv(io.StringIO(text), engine="c", quotechar='"', **common)
        except pd.errors.ParserError:  # a row with more fields than the first rows: keep it, cut the extra
            cells = pd.read_csv(
                io.StringIO(text), names=list(range(width)), engine="python", on_bad_lines=on_bad, **common
            )
    except pd.errors.EmptyDataError:
        raise InputError(f"{shown}: file is empty") from None
    except (pd.errors.ParserError, ValueError, csv.Error) as e:
        raise InputError(f"{shown}: cannot be read as CSV ({_one_line(e)})") from None
    if bad_lines:
        warnings.append(f"{len(bad_lines)} row(s) had more fields than the header; extra fields ignored")
    if cells.shape[1] > limits["max_columns"]:
        raise InputError(
            f"{shown}: {cells.shape[1]} columns, over the limit of {limits['max_columns']}; {_limit_hint('max_columns')}"
        )
    cells.columns = range(cells.shape[1])
    cells = cells.astype("string")
    row_numbers = None
    if '"' in text and ("\n" in text or "\r" in text):
        # A quoted field may span lines: each row starts on 1 + (rows before) + (their inner breaks).
        inner = np.zeros(len(cells), dtype=np.int64)
        for c in cells.columns:  # per column, vectorised
            inner += cells[c].str.count(r"\r\n|\r|\n").fillna(0).to_numpy(dtype=np.int64)
        if inner.any():
            row_numbers = 1 + np.arange(len(cells)) + np.concatenate(([0], np.cumsum(inner)[:-1]))
    return Grid(
        shown, None, cells, 1, path.stem, warnings + [f"encoding {encoding}, delimiter {delimiter!r}"], row_numbers
    )
