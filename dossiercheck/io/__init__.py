"""Readers: files and folders in, one raw frame per recognised table out (TABLES.md).

:func:`read_inputs` expands paths (folders recursively), reads every sheet of every workbook and
every CSV, finds the header row (the first of the first 20 rows matching at least two known
columns), recognises the table by name/alias or by header signature, maps header aliases to the
canonical columns, and keeps each row's source file, sheet and spreadsheet row number. Fully
empty rows are skipped (they are not data); every other row is kept, whatever its content.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from dossiercheck.io.workbook import (
    CSV_DELIMITERS,
    Grid,
    InputError,
    prepare_workbook,
    read_csv_grid,
    read_workbook,
)
from dossiercheck.forking import release_free_memory
from dossiercheck.tables import TABLES, table_alias_map
from dossiercheck.text import normalise

WORKBOOK_EXT = {".xlsx", ".xlsm", ".xls"}
TEXT_EXT = {".csv", ".txt"}
HEADER_SCAN_ROWS = 20
READ_THREADS = 2  # files checked and read at once (1: one after the other, in the calling thread)

_HEADER_MAPS = {name: t.header_map() for name, t in TABLES.items()}
_TABLE_NAMES = table_alias_map()


@dataclass
class ReadResult:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # raw cells + _file/_sheet/_row
    inputs: list[dict] = field(default_factory=list)
    unrecognised: list[dict] = field(default_factory=list)


def discover(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """Files to read, with the name shown to users (relative to the folder given)."""
    out: list[tuple[Path, str]] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise InputError("no_such_path", file=raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in WORKBOOK_EXT | TEXT_EXT and not f.name.startswith(("~$", ".")):
                    out.append((f, f.relative_to(p).as_posix()))
        elif p.suffix.lower() in WORKBOOK_EXT | TEXT_EXT:
            out.append((p, p.name))
        else:
            raise InputError("unsupported_type", file=raw)
    return out


def _norm_row(values: Iterable[object]) -> list[str]:
    return [normalise(v) if isinstance(v, str) else "" for v in values]


def _match(table: str, row: list[str]) -> dict[int, str]:
    """Positions of ``row`` that name a known column of ``table`` (first occurrence wins)."""
    hm = _HEADER_MAPS[table]
    out: dict[int, str] = {}
    seen: set[str] = set()
    for i, h in enumerate(row):
        c = hm.get(h)
        if c and c not in seen:
            out[i] = c
            seen.add(c)
    return out


def find_header(head: list[list[str]], name_hint: str | None) -> tuple[str | None, int | None, dict[int, str], str]:
    """(table, header index in head, position -> column, how) for the first HEADER_SCAN_ROWS rows."""
    named = _TABLE_NAMES.get(normalise(name_hint)) if name_hint else None
    if named:
        for i, row in enumerate(head):
            m = _match(named, row)
            if len(m) >= 2:
                return named, i, m, "name"
    for i, row in enumerate(head):
        matches = {t: _match(t, row) for t in TABLES}
        if not any(len(m) >= 2 for m in matches.values()):
            continue
        candidates = []
        for t, m in matches.items():
            req = TABLES[t].required
            if req and all(c in m.values() for c in req):
                candidates.append((len(req), len(m), t))
        if candidates:
            candidates.sort(key=lambda c: (-c[0], -c[1], list(TABLES).index(c[2])))
            t = candidates[0][2]
            return t, i, matches[t], "signature"
    return None, None, {}, ""


def _head_raw(cells: pd.DataFrame) -> list[list[object]]:
    """The first HEADER_SCAN_ROWS rows as they are (a string, or None for an empty cell)."""
    head = cells if len(cells) <= HEADER_SCAN_ROWS else cells.iloc[:HEADER_SCAN_ROWS]
    if not head.shape[1]:
        return [[] for _ in range(len(head))]
    return head.to_numpy(dtype=object, na_value=None).tolist()


def choose_delimiter(heads: dict[str, list[list[str]]]) -> str:
    """The delimiter whose split gives the best header (most known columns), else the most columns."""
    best = (-1, -1, CSV_DELIMITERS[0])
    for d, rows in heads.items():
        norm = [_norm_row(r) for r in rows]
        table, idx, m, _ = find_header(norm, None)
        score = len(m) if table else 0
        width = max((len(r) for r in rows), default=0)
        if (score, width) > best[:2]:
            best = (score, width, d)
    return best[2]


def _max_bytes(s: pd.Series) -> int:
    """The longest cell of an Arrow-backed string column in UTF-8 bytes (>= its length in
    characters), from the offsets alone; for any other column a bound that never skips."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        longest = pc.max(pc.binary_length(pa.array(s.array)))
    except (pa.ArrowException, TypeError, ValueError):
        return 1 << 62
    return int(longest.as_py() or 0)


def _constant(value: object, n: int):
    """A column holding ``value`` n times, as assigning the scalar gives (``str`` dtype for a
    string), built by Arrow in one step instead of pandas' broadcast."""
    if isinstance(value, str) and n:
        import pyarrow as pa

        return pd.array(pa.repeat(value, n), dtype="str")
    return value


def _frame(
    grid: Grid, table: str, header_idx: int, mapping: dict[int, str], max_chars: int | None = None
) -> pd.DataFrame:
    body = grid.cells.iloc[header_idx + 1 :]
    # A row is data when any cell is filled: per column, vectorised, and each column only looks at
    # the rows no earlier column has filled (most rows are decided by their first cell).
    keep = np.zeros(len(body), dtype=bool)
    for pos in body.columns:
        undecided = np.flatnonzero(~keep)
        if not len(undecided):
            break
        s = body[pos] if len(undecided) == len(keep) else body[pos].iloc[undecided]
        filled = (s.astype("string").str.strip().fillna("") != "").to_numpy(dtype=bool)
        keep[undecided[filled]] = True
    as_str = {pos: body[pos].astype("string") for pos in mapping}
    if grid.row_numbers is not None:  # CSV with quoted line breaks: the line each row starts on
        rows = np.asarray(grid.row_numbers[header_idx + 1 :])
    else:
        rows = np.arange(len(body)) + grid.first_row + header_idx + 1
    # filtered as Arrow strings (no Python objects per cell)
    everything = bool(keep.all())
    data = {col: (as_str[pos] if everything else as_str[pos][keep]).reset_index(drop=True) for pos, col in mapping.items()}
    frame = pd.DataFrame(data, index=pd.RangeIndex(int(keep.sum())))
    for c in frame.columns:
        # limits.max_cell_chars: an over-long cell is cut, and the input says so (a character
        # takes at least one UTF-8 byte: a column whose longest cell fits in bytes is skipped)
        if max_chars and _max_bytes(frame[c]) > max_chars:
            long = (frame[c].str.len() > max_chars).fillna(False)
            if long.any():
                frame[c] = frame[c].mask(long, frame[c].str.slice(0, max_chars))
                grid.warnings.append(
                    f"{int(long.sum())} cell(s) in column {c} longer than {max_chars} characters cut to that length "
                    "(limits.max_cell_chars)"
                )
    frame["_file"] = _constant(grid.file, len(frame))
    frame["_sheet"] = _constant(grid.sheet, len(frame))
    frame["_row"] = rows[keep]
    return frame


def _header_notes(
    grid: Grid, table: str, header_idx: int, mapping: dict[int, str], header: list[str] | None = None
) -> list[str]:
    """What the header row leaves unread: a known column named twice (the first is read), and
    values in columns without a header (e.g. a row with more fields than the header)."""
    from dossiercheck.io.workbook import col_letters

    notes = []
    if header is None:  # the header row, normalised
        header = _norm_row(grid.cells.iloc[header_idx])
    hm = _HEADER_MAPS[table]
    for pos, h in enumerate(header):
        col = hm.get(h)
        if col and pos not in mapping:
            first = next(p for p, c in mapping.items() if c == col)
            notes.append(f"column {col} named twice (columns {col_letters(first + 1)} and {col_letters(pos + 1)}); "
                         f"column {col_letters(first + 1)} is read, column {col_letters(pos + 1)} ignored")
    body = grid.cells.iloc[header_idx + 1 :]
    blank = [pos for pos, h in enumerate(header) if not h]
    blank = [pos for pos in blank if body[pos].notna().any()] if len(body) else []
    if blank:
        filled = (body[blank].astype("string").apply(lambda c: c.str.strip().fillna("") != "")).any(axis=1)
        n = int(filled.sum())
        if n:
            notes.append(f"{n} row(s) hold values in columns without a header; those values are ignored")
    return notes


def read_inputs(
    paths: Iterable[str | Path], limits: dict, progress: Callable[[str], None] | None = None
) -> ReadResult:
    result = ReadResult()
    parts: dict[str, list[pd.DataFrame]] = {}
    files = discover(paths)
    if not files:
        raise InputError("no_files")
    # Files are read by READ_THREADS worker threads, the largest first. Workbooks are checked (zip
    # directory, then a streamed scan of their XML) and read: fastexcel and zlib release the GIL,
    # so two workbooks are checked or read at once. A CSV's decoding holds the GIL, but pyarrow's
    # parsing does not: one file is parsed while the next is decoded (about 0.5 s less on the
    # benchmark's 300 MB of CSV, docs/performance.md). Each workbook is read only after its own
    # checks passed; the results are taken (and errors raised) in file order, so the outcome is
    # the sequential one (tested).
    books = [i for i, (path, _) in enumerate(files) if path.suffix.lower() in WORKBOOK_EXT]
    cancel = threading.Event()
    pool = None
    tasks: dict = {}
    if READ_THREADS > 1 and len(files) > 1:
        pool = ThreadPoolExecutor(max_workers=READ_THREADS, thread_name_prefix="dossiercheck-read")
        for i in sorted(range(len(files)), key=lambda i: -_file_size(files[i][0])):
            fn = _workbook_items if i in books else _text_items
            tasks[i] = pool.submit(fn, *files[i], limits, cancel)
    try:
        for i, (path, shown) in enumerate(files):
            if progress:
                progress(shown)
            if i in tasks:
                items = tasks[i].result()
            elif i in books:
                items = _workbook_items(path, shown, limits)
            else:
                items = _grid_items([_guarded(read_csv_grid, path, shown, limits, choose_delimiter)], limits)
            for kind, a, b, c in items:
                if kind == "unrecognised":
                    result.unrecognised.append(a)
                else:
                    result.inputs.append(c)
                    parts.setdefault(a, []).append(b)
    finally:
        if pool:
            cancel.set()
            pool.shutdown(wait=True, cancel_futures=True)
    for table, frames in parts.items():
        result.tables[table] = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if pool:
        release_free_memory()  # what the reading threads freed (calamine's cells, Arrow batches)
    return result


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _guarded(fn, path: Path, shown: str, *args):
    try:
        return fn(path, shown, *args)
    except OSError as e:  # permission denied, a folder named like a file, a disk error
        raise InputError("unreadable_file", file=shown, detail=e.strerror or type(e).__name__) from None


def _workbook_items(path: Path, shown: str, limits: dict, cancel: threading.Event | None = None) -> list[tuple]:
    """Check, read and recognise one workbook (in a worker thread: see :func:`read_inputs`)."""
    if cancel is not None and cancel.is_set():  # an earlier file failed: nothing more is read
        return []
    prepared = _guarded(prepare_workbook, path, shown, limits, cancel)
    return _grid_items(_guarded(read_workbook, path, shown, limits, prepared), limits)


def _text_items(path: Path, shown: str, limits: dict, cancel: threading.Event | None = None) -> list[tuple]:
    """Read and recognise one CSV/TXT file (in a worker thread: see :func:`read_inputs`)."""
    if cancel is not None and cancel.is_set():  # an earlier file failed: nothing more is read
        return []
    return _grid_items([_guarded(read_csv_grid, path, shown, limits, choose_delimiter)], limits)


def _grid_items(grids: list[Grid], limits: dict) -> list[tuple]:
    """Per sheet: ``("table", table, frame, info)`` or ``("unrecognised", info, None, None)``."""
    items = []
    for g in grids:
        raw = _head_raw(g.cells)
        head = [_norm_row(r) for r in raw]
        table, idx, mapping, how = find_header(head, g.name_hint)
        if table is None:
            headers = [c for c in (head[0] if head else []) if c]
            items.append(("unrecognised", {"file": g.file, "sheet": g.sheet, "headers": headers[:50]}, None, None))
            continue
        frame = _frame(g, table, idx, mapping, limits.get("max_cell_chars"))
        header_cells = raw[idx]
        known = set(mapping)
        ignored = [
            str(v) for i, v in enumerate(header_cells) if i not in known and isinstance(v, str) and v.strip()
        ]
        missing = [c for c in TABLES[table].required if c not in mapping.values()]
        info = {
            "file": g.file,
            "sheet": g.sheet,
            "table": table,
            "header_row": int(g.row_numbers[idx]) if g.row_numbers is not None else int(g.first_row + idx),
            "rows": int(len(frame)),
            "recognised_by": how,
            "columns": {col: str(header_cells[pos]) for pos, col in mapping.items()},
        }
        if ignored:
            info["ignored_columns"] = ignored[:50]
        g.warnings.extend(_header_notes(g, table, idx, mapping, head[idx]))
        if missing:
            info["missing_required"] = missing
        if g.warnings:
            info["notes"] = g.warnings
        items.append(("table", table, frame, info))
        g.cells = None  # the grid's cells are in the frame now
    return items


__all__ = ["InputError", "ReadResult", "discover", "find_header", "read_inputs"]
