"""Text normalisation and matching shared by readers and rules (TABLES.md "Normalisation").

Normalised text: lower case, accents stripped, trimmed, runs of space, ``_``, ``-`` and ``.``
folded into one space. Series functions work on unique values only, so a column of a million
rows with a few thousand distinct texts costs a few thousand normalisations.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

_FOLD = re.compile(r"[\s_.\-]+")


def normalise(value: object) -> str:
    """Normalise one header or enumerated value. ``None``/NaN becomes ``""``."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _FOLD.sub(" ", text.casefold()).strip()


def map_unique(series: pd.Series, fn, dtype: str | None = "string") -> pd.Series:
    """Apply ``fn`` to each distinct non-missing value of ``series`` and broadcast back."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    mapped = pd.Series([fn(u) for u in uniques], dtype="object")
    if dtype:
        mapped = mapped.astype(dtype)
    out = mapped.take(codes.clip(min=0)) if len(mapped) else pd.Series([pd.NA] * len(series), dtype="object")
    out = pd.Series(out.to_numpy(), index=series.index)
    if dtype:
        out = out.astype(dtype)
    out[codes < 0] = pd.NA
    return out


# ASCII whitespace as Python's ``\s`` and ``str.isspace`` see it (\x1c-\x1f included), plus ``_.-``.
_FOLD_ASCII = r"[\t\n\x0b\x0c\r\x1c-\x1f _.\-]+"


def _arrow(series: pd.Series):
    import pyarrow as pa

    return pa.array(series.array) if isinstance(series.dtype, pd.StringDtype) else pa.array(series.astype("string").array)


def normalise_series(series: pd.Series) -> pd.Series:
    """Vectorised :func:`normalise`: missing stays missing.

    Works on the distinct texts of the column (dictionary-encoded by pyarrow). Pure-ASCII texts
    (NFKD and accent stripping change nothing, ``casefold`` is ``lower``) are normalised by
    pyarrow in one pass; the others go through :func:`normalise`, once per distinct text.
    """
    if not isinstance(series.dtype, pd.StringDtype) or not len(series):
        return map_unique(series, normalise)
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = _arrow(series)
    sample = arr.slice(0, 4096)
    dedup = len(arr) > 4096 and pc.count_distinct(sample).as_py() < 0.5 * len(sample)
    if dedup:  # mostly repeated texts (steps, reasons, codes): normalise each distinct text once
        enc = pc.dictionary_encode(arr)
        if isinstance(enc, pa.ChunkedArray):
            enc = enc.unify_dictionaries().combine_chunks() if enc.num_chunks != 1 else enc.chunk(0)
        uniq = enc.dictionary
    else:
        uniq = arr
    folded = pc.utf8_trim(pc.replace_substring_regex(pc.ascii_lower(uniq), _FOLD_ASCII, " "), " ")
    ascii_ = pc.string_is_ascii(uniq).fill_null(True).to_numpy(zero_copy_only=False)
    if not ascii_.all():
        other = np.flatnonzero(~ascii_)
        fixed = [normalise(v) for v in pc.take(uniq, pa.array(other)).to_pylist()]
        mask = np.zeros(len(uniq), dtype=bool)
        mask[other] = True
        folded = pc.replace_with_mask(folded.cast(pa.large_string()), pa.array(mask), pa.array(fixed, type=pa.large_string()))
    out = pc.take(folded, enc.indices) if dedup else folded
    return pd.Series(pd.array(out, dtype="string"), index=series.index)


def value_set(values) -> Any:
    """The distinct non-missing texts of ``values`` as pyarrow's value set for :func:`isin` (made
    once when several columns are looked up in the same values)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    vals = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="string")
    return pc.unique(pc.drop_null(_arrow(vals.astype("string")))).cast(pa.large_string())


def isin(series: pd.Series, values) -> np.ndarray:
    """Whether each value of ``series`` is one of ``values`` (a hash join in pyarrow for text;
    missing is never in). A boolean numpy array. ``values``: texts, or a :func:`value_set`."""
    if isinstance(series.dtype, pd.StringDtype):
        return isin_many([series], values)[0]
    import pyarrow as pa

    if isinstance(values, pa.Array):  # a value set: of texts
        values = values.to_pylist()
    return series.isin(list(values) if not isinstance(values, pd.Series) else values).fillna(False).to_numpy(dtype=bool) & series.notna().to_numpy()


def isin_many(parts: list[pd.Series], values) -> list[np.ndarray]:
    """:func:`isin` of each of ``parts`` in the same ``values``, text in one pyarrow call over all
    of them: its hash table of the values is built once, not per part (25-35 ms each time for the
    200,000 klantnummers of the benchmark's dossiers). The same arrays as one call per part."""
    if not parts or not all(isinstance(s.dtype, pd.StringDtype) for s in parts):
        return [isin(s, values) for s in parts]
    import pyarrow as pa
    import pyarrow.compute as pc

    vset = values if isinstance(values, pa.Array) else value_set(values)
    chunks = []
    for s in parts:
        arr = _arrow(s).cast(pa.large_string())
        chunks.extend(arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr])
    hit = pc.is_in(pa.chunked_array(chunks, type=pa.large_string()), value_set=vset)
    hit = hit.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
    return np.split(hit, np.cumsum([len(s) for s in parts])[:-1])


def nearest(value: str, allowed: Iterable[str]) -> str:
    """The allowed value closest to ``value`` (for DAT003 messages)."""
    allowed = list(allowed)
    by_norm = {normalise(a): a for a in allowed}
    match = difflib.get_close_matches(normalise(value), list(by_norm), n=1, cutoff=0.0)
    return by_norm[match[0]] if match else allowed[0]


def term_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """A regex matching any of ``terms`` as a whole word or phrase in normalised text.

    Terms are normalised the same way as the text, so ``burn-out`` matches ``burn out``
    and ``Burn-out``; ``ASS`` matches ``ass`` but not ``klas`` or ``passend``.
    """
    alts = sorted({normalise(t) for t in terms if normalise(t)}, key=len, reverse=True)
    body = "|".join(r"\s".join(re.escape(w) for w in a.split(" ")) for a in alts) or r"(?!x)x"
    return re.compile(rf"(?<![0-9a-z])(?:{body})(?![0-9a-z])")


def _distinct(series: pd.Series) -> tuple[pd.Series, np.ndarray | None]:
    """``(values, codes)``: for a column of mostly repeated texts, its distinct non-missing texts
    and each row's code into them (-1 = missing); otherwise the column itself and ``None``. The
    text predicates below run on ``values`` and are broadcast back with :func:`_spread`."""
    s = series if isinstance(series.dtype, pd.StringDtype) else series.astype("string")
    if len(s) <= 4096:
        return s, None
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = _arrow(s)
    sample = arr.slice(0, 4096)
    if pc.count_distinct(sample).as_py() >= 0.5 * len(sample):
        return s, None
    enc = pc.dictionary_encode(arr)
    if isinstance(enc, pa.ChunkedArray):
        enc = enc.unify_dictionaries().combine_chunks() if enc.num_chunks != 1 else enc.chunk(0)
    codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype("int64")
    return pd.Series(pd.array(enc.dictionary, dtype="string")), codes


def _spread(result: pd.Series, codes: np.ndarray | None, index: pd.Index) -> pd.Series:
    """Broadcast a boolean result on :func:`_distinct` values back to the rows (missing = False)."""
    r = result.fillna(False).to_numpy(dtype=bool)
    if codes is None:
        return pd.Series(r, index=index)
    return pd.Series(np.append(r, False)[codes], index=index)


def contains_code(series: pd.Series, code: str) -> pd.Series:
    """Whether normalised text contains ``code`` (e.g. ``C109/36``), tolerating spaces, ``-``
    and ``/`` between its parts: ``C109/36``, ``C 109/36``, ``c109-36``, ``C109 36`` all match.
    """
    parts = re.findall(r"[A-Za-z]+|\d+", code)
    sep = r"[\s/\-]*"
    pat = sep.join(re.escape(p.lower()) for p in parts)
    # Separators between a letter and a digit are optional; between two number groups one
    # separator (or none) is allowed. Whole-token boundaries keep C1090/365 from matching.
    # Normalised text holds no whitespace but " ", so the boundaries can be written without
    # lookarounds (which pyarrow's RE2 lacks): "preceded by start or a non-[0-9a-z], followed by
    # a non-digit or the end" finds the same texts as (?<![0-9a-z])...(?![0-9]).
    regex = rf"(?:^|[^0-9a-z]){pat}(?:[^0-9]|$)"
    values, codes = _distinct(series)
    norm = normalise_series(values.str.replace("/", " ", regex=False))
    return _spread(norm.str.contains(regex, regex=True), codes, series.index)


def contains_text(series: pd.Series, needle: str) -> pd.Series:
    """Whether normalised text contains normalised ``needle`` (substring)."""
    values, codes = _distinct(series)
    return _spread(normalise_series(values).str.contains(normalise(needle), regex=False), codes, series.index)


def equals_text(series: pd.Series, *options: str) -> pd.Series:
    """Whether normalised text equals one of the normalised ``options``."""
    wanted = {normalise(o) for o in options}
    values, codes = _distinct(series)
    return _spread(normalise_series(values).isin(wanted), codes, series.index)


def startswith_text(series: pd.Series, *prefixes: str) -> pd.Series:
    """Whether normalised text starts with one of the normalised ``prefixes``."""
    values, codes = _distinct(series)
    norm = normalise_series(values)
    out = pd.Series(False, index=values.index)
    for p in prefixes:
        out |= norm.str.startswith(normalise(p)).fillna(False).astype(bool)
    return _spread(out, codes, series.index)
