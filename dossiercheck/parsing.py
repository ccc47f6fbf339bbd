"""Cell parsers for the formats of TABLES.md "Cell formats".

Each ``parse_<type>`` takes one raw cell text (already ``str``, trimmed, non-empty) and returns
``(value, error)`` where ``error`` is ``None`` or ``(code, reason)``. They never raise.

:func:`parse_series` applies a parser to the *distinct* values of a column and broadcasts the
results back, so a column of a million cells costs one call per distinct text: that is what
keeps reading vectorised without a per-row Python loop.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dossiercheck.tables import Column
from dossiercheck.text import nearest, normalise

Error = tuple[str, str] | None

EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_MIN, SERIAL_MAX = 20000, 80000

_TIME = r"(?:\s*(?:om\s+)?\d{1,2}[:u.h]\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY = re.compile(rf"^(\d{{1,2}})([/.\-])(\d{{1,2}})\2(\d+){_TIME}$", re.IGNORECASE)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")
_INTEGRAL_FLOAT = re.compile(r"^(\d+)\.0+$")


def _mkdate(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def parse_date(text: str) -> tuple[dt.date | None, Error]:
    """Day-first date; ISO; Excel serial (20000-80000); optional time part (dropped)."""
    s = text.strip()
    m = _ISO.match(s)
    if m:
        d = _mkdate(int(m[1]), int(m[2]), int(m[3]))
        return (d, None) if d else (None, ("DAT002", "impossible_date"))
    m = _DMY.match(s)
    if m:
        year = m[4]
        if len(year) == 2:
            return None, ("DAT002", "two_digit_year")
        if len(year) != 4:
            return None, ("DAT002", "not_a_date")
        d = _mkdate(int(year), int(m[3]), int(m[1]))
        return (d, None) if d else (None, ("DAT002", "impossible_date"))
    m = _SERIAL.match(s)
    if m and SERIAL_MIN <= int(m[1]) <= SERIAL_MAX:
        return EXCEL_EPOCH + dt.timedelta(days=int(m[1])), None
    return None, ("DAT002", "not_a_date")


_MONTH_YM = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MONTH_MY = re.compile(r"^(\d{1,2})[-/.](\d{4})$")


def parse_month(text: str) -> tuple[dt.date | None, Error]:
    """A calendar month, returned as its first day."""
    s = text.strip()
    for pat, yi, mi in ((_MONTH_YM, 1, 2), (_MONTH_MY, 2, 1)):
        m = pat.match(s)
        if m:
            d = _mkdate(int(m[yi]), int(m[mi]), 1)
            return (d, None) if d else (None, ("DAT002", "not_a_month"))
    d, err = parse_date(s)
    if err:
        return None, ("DAT002", "not_a_month" if err[1] == "not_a_date" else err[1])
    return d.replace(day=1), None


_TRUE = {"ja", "j", "yes", "y", "true", "waar", "1", "x", "1 0", "true()", "v"}
_FALSE = {"nee", "n", "no", "false", "onwaar", "0", "0 0", "false()"}


def parse_bool(text: str, extra_true: tuple[str, ...] = ()) -> tuple[bool | None, Error]:
    n = normalise(text)
    if n in _TRUE or n in {normalise(t) for t in extra_true}:
        return True, None
    if n in _FALSE or n == "":
        return False, None
    return None, ("DAT002", "not_a_bool")


_DIGITS = re.compile(r"^\d+$")


def parse_klantnummer(text: str) -> tuple[str | None, Error]:
    s = text.strip()
    m = _INTEGRAL_FLOAT.match(s)
    if m:
        s = m[1]
    if _DIGITS.match(s) and 7 <= len(s) <= 10:
        return s, None
    return None, ("DAT004", "bad_klantnummer")


_CHEQUE_SEP = re.compile(r"[\s/\-.]")


def parse_chequenummer(text: str) -> tuple[str | None, Error]:
    s = text.strip()
    m = _INTEGRAL_FLOAT.match(s)
    if m:
        s = m[1]
    s = _CHEQUE_SEP.sub("", s)
    if not _DIGITS.match(s) or len(s) > 11:
        return None, ("DAT004", "bad_chequenummer")
    return s.zfill(11), None


_NUM = r"(\d+(?:[.,]\d+)?)"
_DUR_MIN = re.compile(rf"^{_NUM}\s*(?:m|min|mins|minuut|minuten|minutes)?\.?$", re.IGNORECASE)
_DUR_HM = re.compile(r"^(\d+)\s*(?:u|h|uur)\s*(\d{1,2})\s*(?:m|min|minuten)?\.?$", re.IGNORECASE)
_DUR_CLOCK = re.compile(r"^(\d{1,3}):(\d{2})(?::(\d{2}))?$")
_DUR_H = re.compile(rf"^{_NUM}\s*(?:u|h|uur|uren|hours?)\.?$", re.IGNORECASE)


def _num(s: str) -> float:
    return float(s.replace(",", "."))


class _NotFinite(ValueError):
    """A number too large for a float (``9`` x 400 is inf): a finding, not a value."""


def _finite(v: float) -> float:
    if not math.isfinite(v):
        raise _NotFinite
    return v


def parse_duration(text: str) -> tuple[float | None, Error]:
    """Minutes from ``90``, ``90 min``, ``1u30``, ``1 u 30``, ``1:30``, ``01:30``, ``1,5 u``,
    ``1.5 h``, ``2 uur``."""
    try:
        return _parse_duration(text.strip())
    except (ValueError, OverflowError):  # too many digits for an int or a float
        return None, ("DAT002", "not_a_duration")


def _parse_duration(s: str) -> tuple[float | None, Error]:
    if m := _DUR_MIN.match(s):
        return _finite(_num(m[1])), None
    if m := _DUR_HM.match(s):
        if int(m[2]) >= 60:
            return None, ("DAT002", "not_a_duration")
        return _finite(float(int(m[1]) * 60 + int(m[2]))), None
    if m := _DUR_CLOCK.match(s):
        return int(m[1]) * 60 + int(m[2]) + (int(m[3]) / 60 if m[3] else 0), None
    if m := _DUR_H.match(s):
        return _finite(_num(m[1]) * 60), None
    return None, ("DAT002", "not_a_duration")


_MONEY_STRIP = re.compile(r"(?:€|eur(?:o)?)", re.IGNORECASE)
# thousands dots: a first group without a leading zero (``0.001`` is a decimal number, not 1)
_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2}(?:\.\d{3})+$")
_PLAIN = re.compile(r"^-?\d+(?:\.\d+)?$")
_BELGIAN = re.compile(r"^-?\d{1,3}(?:\.\d{3})*,\d+$|^-?\d+,\d+$")


def parse_money(text: str) -> tuple[float | None, Error]:
    """``679``, ``679,00``, ``€ 679,00``, ``1.234,50`` (Belgian thousands dot)."""
    s = _MONEY_STRIP.sub("", text)
    s = re.sub(r"[\s\u00a0\u202f]", "", s)
    if _BELGIAN.match(s):
        v = float(s.replace(".", "").replace(",", "."))
    elif _THOUSANDS.match(s):
        v = float(s.replace(".", ""))
    elif _PLAIN.match(s):
        v = float(s)
    else:
        return None, ("DAT002", "not_a_number")
    return (v, None) if math.isfinite(v) else (None, ("DAT002", "not_a_number"))


def parse_number(text: str) -> tuple[float | None, Error]:
    v, err = parse_money(text)
    if v is not None and not math.isfinite(v):
        return None, ("DAT002", "not_a_number")
    return v, err


def parse_code(text: str) -> tuple[str, Error]:
    s = text.strip()
    m = _INTEGRAL_FLOAT.match(s)
    return (m[1] if m else s), None


_CAT_BRACKET = re.compile(r"\((\d{1,2})\)\s*$")


def parse_categorie(text: str) -> tuple[str, Error]:
    s = text.strip()
    if m := _CAT_BRACKET.search(s):
        return m[1].zfill(2), None
    code, _ = parse_code(s)
    if _DIGITS.match(code) and len(code) <= 2:
        return code.zfill(2), None
    return code, None


def parse_fincode(text: str) -> tuple[str, Error]:
    code = text.split(" - ", 1)[0].strip()
    return parse_code(code)


def parse_text(text: str) -> tuple[str, Error]:
    return text.strip(), None


def enum_parser(col: Column):
    lookup = {normalise(v): v for v in col.values}
    lookup.update({normalise(k): v for k, v in col.value_aliases.items()})

    def parse_enum(text: str) -> tuple[str | None, Error]:
        v = lookup.get(normalise(text))
        if v is not None:
            return v, None
        return None, ("DAT003", nearest(text, col.values))

    return parse_enum


DATE_TYPES = {"date", "datetime", "month"}
FLOAT_TYPES = {"duration", "money", "number"}


def parser_for(col: Column):
    t = col.type
    if t == "enum":
        return enum_parser(col)
    if t == "bool":
        return lambda s: parse_bool(s, col.true_values)
    return {
        "klantnummer": parse_klantnummer,
        "chequenummer": parse_chequenummer,
        "text": parse_text,
        "rrn": parse_text,
        "code": parse_code,
        "categorie": parse_categorie,
        "fincode": parse_fincode,
        "date": parse_date,
        "datetime": parse_date,
        "month": parse_month,
        "duration": parse_duration,
        "money": parse_money,
        "number": parse_number,
    }[t]


@dataclass
class ParsedColumn:
    values: pd.Series  # typed values; missing where empty or unparseable
    empty: pd.Series  # bool: the raw cell was empty
    error: pd.Series  # string: DAT code where the cell could not be parsed, else <NA>
    reason: pd.Series  # string: short reason (or nearest enum value for DAT003)
    clean: pd.Series | None = None  # the raw cells as parsed: trimmed, empty -> missing (clean_raw)
    # Per row, integer codes of ``clean`` and of ``values`` (-1 where missing): equal codes, equal
    # texts (values). Computed on distinct values, so callers compare rows without hashing again.
    clean_codes: np.ndarray | None = None
    value_codes: np.ndarray | None = None

    @property
    def bad(self) -> pd.Series:
        return self.error.notna()


def clean_raw(series: pd.Series) -> pd.Series:
    """Raw cells as trimmed strings; empty and whitespace-only cells become missing."""
    s = series.astype("string").str.strip()
    return s.mask(s == "")


# Text-valued column types whose parser returns a distinct value unchanged, without error, when it
# matches these tests (run vectorised by pyarrow on the distinct values): such values skip the
# per-value Python parser. Each test accepts only texts the parser provably leaves as they are:
# first and last character printable ASCII (so ``str.strip()`` changes nothing), ASCII digits for
# keys, no ``.`` for codes (``61.0`` -> ``61``), no `` - `` for financing codes.
_EDGES_OK = r"(?s)^[!-~](?:.*[!-~])?$"
_IDENTITY_TYPES = {
    "text": (_EDGES_OK, ()),
    "rrn": (_EDGES_OK, ()),
    "klantnummer": (r"^[0-9]{7,10}$", ()),
    "chequenummer": (r"^[0-9]{11}$", ()),
    "code": (_EDGES_OK, (".",)),
    "fincode": (_EDGES_OK, (".", " - ")),
}


def _identity_mask(uniques, ctype: str) -> np.ndarray | None:
    """Per distinct value: True where the parser of ``ctype`` would return it unchanged."""
    spec = _IDENTITY_TYPES.get(ctype)
    if spec is None or not len(uniques):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    pattern, forbidden = spec
    arr = pa.array(uniques, type=pa.large_string()) if not isinstance(uniques, pa.Array) else uniques
    ok = pc.match_substring_regex(arr, pattern)
    for sub in forbidden:
        ok = pc.and_(ok, pc.invert(pc.match_substring(arr, sub)))
    return ok.fill_null(False).to_numpy(zero_copy_only=False)


_NULLS: dict[int, object] = {}  # the last length asked -> all-null Arrow column (immutable, so shared)


def _missing_strings(index: pd.Index) -> pd.Series:
    """An all-missing string column (Arrow nulls: nothing is repeated per row). Columns of one
    length share their Arrow data; setting cells of one gives it new data, never the others'."""
    import pyarrow as pa

    n = len(index)
    if n not in _NULLS:  # one table's columns share a length: keep only the last one
        _NULLS.clear()
        _NULLS[n] = pa.chunked_array([pa.nulls(n, pa.large_string())])
    return pd.Series(pd.arrays.ArrowStringArray(_NULLS[n]), index=index)


def _set_missing(s: pd.Series, rows: np.ndarray) -> pd.Series | None:
    """``s`` (Arrow ``large_string``) with the cells at ``rows`` (bool) missing, sharing its text
    buffers (only validity bitmaps are written); None when ``s`` is not stored that way."""
    import pyarrow as pa

    if not isinstance(s.array, pd.arrays.ArrowStringArray):
        return None
    chunked = s.array.__arrow_array__()
    if not isinstance(chunked, pa.ChunkedArray) or chunked.type != pa.large_string():
        return None
    chunks, start = [], 0
    for chunk in chunked.chunks:
        n = len(chunk)
        valid = ~rows[start : start + n]
        if chunk.null_count:
            valid &= chunk.is_valid().to_numpy(zero_copy_only=False)
        bits = np.packbits(np.concatenate((np.ones(chunk.offset, dtype=bool), valid)), bitorder="little")
        buffers = chunk.buffers()
        chunks.append(pa.LargeStringArray.from_buffers(
            n, buffers[1], buffers[2], pa.py_buffer(bits.tobytes()), int(n - valid.sum()), chunk.offset
        ))
        start += n
    out = pa.chunked_array(chunks, type=pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(out), index=s.index, name=s.name)


def _clean_factorize(series: pd.Series) -> tuple[pd.Series, np.ndarray, pd.api.extensions.ExtensionArray]:
    """:func:`clean_raw` of ``series`` and its factorization, computed on the distinct raw texts:
    the cleaned column, per-row codes (-1 = missing) and the distinct cleaned texts."""
    s = series.astype("string")
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    u_clean = clean_raw(pd.Series(uniques, dtype="string"))
    u_codes, u_uniques = pd.factorize(u_clean, use_na_sentinel=True)
    u_codes = np.append(u_codes.astype(np.int64), -1)  # slot for a missing raw cell
    rows = u_codes[np.where(codes < 0, len(uniques), codes)]
    same = u_clean.eq(pd.Series(uniques, dtype="string")).to_numpy(dtype=bool, na_value=False)
    clean = None
    if same.all():  # every distinct text already trimmed and non-empty: the cleaned column is the column
        return s, rows, pd.array(u_uniques, dtype="string")
    if (same | u_clean.isna().to_numpy()).all():  # only empty or blank cells change: make them missing
        clean = _set_missing(s, rows < 0)
    if clean is None:  # some text trimmed: gather the cleaned texts
        clean = pd.Series(
            pd.array(u_uniques, dtype="string").take(rows, allow_fill=True), index=series.index, name=series.name
        )
    return clean, rows, pd.array(u_uniques, dtype="string")


def _value_codes(arr, take: np.ndarray) -> np.ndarray:
    """Per-row codes of the values ``arr[take]`` (``arr`` small: one slot per distinct text)."""
    u_codes, _ = pd.factorize(arr, use_na_sentinel=True)
    return u_codes.astype(np.int64)[take]


def parse_series(raw: pd.Series, col: Column) -> ParsedColumn:
    """Parse a raw column (strings) by its column type, on distinct values only."""
    raw, codes, uniques = _clean_factorize(raw)
    empty = pd.Series(codes < 0, index=raw.index, name=raw.name)
    fn = parser_for(col)
    fast = _identity_mask(uniques, col.type)
    if fast is not None:
        return _parse_identity(raw, empty, fn, codes, uniques, fast)
    results = [fn(u) for u in uniques]
    n = len(results)
    u_vals = [r[0] for r in results]
    u_err = [r[1][0] if r[1] else None for r in results]
    u_reason = [r[1][1] if r[1] else None for r in results]
    # Append one slot for "missing" so codes -1 can index it.
    take = np.where(codes < 0, n, codes)
    empty_val = None
    if col.type == "bool":
        empty_val = False if not col.required else None
    elif col.type == "enum" and col.empty_value is not None:
        empty_val = col.empty_value
    value_codes = None

    def build(vals: list, dtype: str, missing=None, keep_codes: bool = False) -> pd.Series:
        nonlocal value_codes
        if dtype == "datetime64[ns]":
            arr = pd.to_datetime(pd.Series(vals + [missing], dtype="object")).to_numpy("datetime64[ns]")
        else:
            arr = pd.array(vals + [missing], dtype=dtype)
        if keep_codes:
            value_codes = _value_codes(arr, take)
        return pd.Series(arr[take], index=raw.index)

    # an empty cell's value (the "missing" slot) is ``empty_val`` where the type has one
    if col.type in DATE_TYPES:
        values = build(u_vals, "datetime64[ns]", keep_codes=True)
    elif col.type in FLOAT_TYPES:
        values = build([np.nan if v is None else float(v) for v in u_vals], "Float64", keep_codes=True)
    elif col.type == "bool":
        values = build(u_vals, "boolean", empty_val, keep_codes=True)
    else:
        values = build(u_vals, "string", empty_val, keep_codes=True)
    if any(e is not None for e in u_err):
        error = build(u_err, "string")
        reason = build(u_reason, "string")
    else:
        error = _missing_strings(raw.index)
        reason = _missing_strings(raw.index)
    return ParsedColumn(values=values, empty=empty, error=error, reason=reason, clean=raw, clean_codes=codes,
                        value_codes=value_codes)


def _parse_identity(raw, empty, fn, codes, uniques, fast: np.ndarray) -> ParsedColumn:
    """A text-valued column where most distinct values parse to themselves (``fast``): start from
    the cleaned column and run the Python parser only on the other distinct values."""
    values = raw
    value_codes = codes
    error = _missing_strings(raw.index)
    reason = _missing_strings(raw.index)
    slow = np.flatnonzero(~fast)
    if len(slow):
        results = [fn(uniques[i]) for i in slow]
        pos = np.full(len(uniques) + 1, -1, dtype="int64")
        pos[slow] = np.arange(len(slow))
        row_pos = pos[np.where(codes < 0, len(uniques), codes)]
        rows = row_pos >= 0
        sel = row_pos[rows]
        vals = np.array([r[0] for r in results] + [None], dtype=object)
        values = raw.copy()
        values[rows] = pd.array(vals[sel], dtype="string")
        # each distinct text's value: itself, or what the parser made of it
        u_vals = np.array(uniques.to_numpy(dtype=object, na_value=None), dtype=object)
        u_vals[slow] = vals[:-1]
        value_codes = _value_codes(pd.array(np.append(u_vals, None), dtype="string"),
                                   np.where(codes < 0, len(uniques), codes))
        errs = [r[1] for r in results]
        if any(e is not None for e in errs):
            e_code = np.array([e[0] if e else None for e in errs], dtype=object)
            e_reason = np.array([e[1] if e else None for e in errs], dtype=object)
            error[rows] = pd.array(e_code[sel], dtype="string")
            reason[rows] = pd.array(e_reason[sel], dtype="string")
    return ParsedColumn(values=values, empty=empty, error=error, reason=reason, clean=raw, clean_codes=codes,
                        value_codes=value_codes)
