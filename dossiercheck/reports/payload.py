"""The findings.json payload (CONTRACT.md): the one structure every report is rendered from."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pandas as pd

from dossiercheck import __version__
from dossiercheck.config import to_jsonable
from dossiercheck.engine import AuditResult
from dossiercheck.forking import collector_paused


def _clean(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v


def _column_values(col: pd.Series) -> list:
    """A findings column as plain Python values, missing values as None."""
    if col.dtype.kind in "iub":  # numpy ints/bools: never missing
        return col.tolist()
    vals = col.to_numpy(dtype=object)
    if col.dtype == object:  # lists, dicts, mixed values: only scalars can be missing
        return [_clean(v) if not isinstance(v, (list, dict, tuple, np.ndarray)) else v for v in vals]
    miss = col.isna().to_numpy()
    out = vals.tolist()
    if miss.any():
        for i in np.flatnonzero(miss):
            out[i] = None
    return [_clean(v) for v in out] if col.dtype.kind == "f" else out


def findings_records(findings: pd.DataFrame) -> list[dict]:
    """One dict per finding (column order kept), built column by column.

    With the cyclic garbage collector paused: it would otherwise run again and again while the
    100,000 dicts are made, each time over the whole heap of a large audit (0.5-1.1 s for the
    benchmark's findings, against 0.33 s without; nothing made here is cyclic)."""
    if not len(findings):
        return []
    with collector_paused():
        names = list(findings.columns)
        cols = [_column_values(findings[c]) for c in names]
        if "row" in names:
            i = names.index("row")
            cols[i] = [int(r) if r is not None else None for r in cols[i]]
        return [dict(zip(names, vals)) for vals in zip(*cols)]


def build_payload(result: AuditResult, inputs: list[dict], unrecognised: list[dict]) -> dict:
    counts = result.findings["severity"].value_counts().to_dict() if len(result.findings) else {}
    rules = []
    for s in result.rules:
        entry = {"code": s.rule.code, "severity": s.rule.severity.value, "evaluated": s.evaluated}
        if s.evaluated:
            entry["findings"] = s.findings
        else:
            entry["reason"] = s.reason
        rules.append(entry)
    return {
        "tool": "dossiercheck",
        "version": __version__,
        "peildatum": result.peildatum.isoformat(),
        "config": to_jsonable(result.config),
        "inputs": inputs,
        "unrecognised": unrecognised,
        "rules": rules,
        "findings": findings_records(result.findings),
        "summary": {
            "error": int(counts.get("error", 0)),
            "warning": int(counts.get("warning", 0)),
            "info": int(counts.get("info", 0)),
            "rows_read": int(result.rows_read),
            "rows_per_table": {k: int(v) for k, v in result.rows_per_table.items()},
        },
    }


def _file_mode() -> int:
    """The mode a plain ``open()`` would give a new file (0o666 minus the umask): reports on a
    shared drive must stay readable for colleagues, unlike mkstemp's private 0o600."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


def temp_beside(path: Path) -> tuple[int, str]:
    """A temporary file in ``path``'s folder (same file system, so the final rename is atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.fchmod(fd, FILE_MODE)
    return fd, tmp


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    fd, tmp = temp_beside(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# orjson's own handling of dates and dataclasses is left to ``default=str``, as json does
_ORJSON_OPTS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


_LEAD = b'{"rule":'  # how an encoded finding begins (findings_records keeps the column order)


def _finding_lines(findings: list[dict]) -> bytes:
    """The findings, one compact JSON object per line (joined by ``,\\n  ``).

    orjson (Rust) encodes the whole list in one call (0.1 s for 100,000 findings, against 0.5 s
    one call per finding and 1.2 s for json's C encoder, measured). The line breaks go in after:
    in an encoded string every quote is escaped, so ``,{"rule":`` can only be structure, and
    where every finding starts with its rule that is exactly where one finding ends and the next
    begins. Otherwise (a finding shaped differently, an object keyed "rule" inside one) each is
    encoded on its own. A value orjson refuses (an int beyond 64 bits, a key that is not a text)
    makes json encode the lot, as before: the same content every way (tested)."""
    try:
        whole = orjson.dumps(findings, default=str, option=_ORJSON_OPTS)
        sep = b"," + _LEAD
        if whole.count(sep) == len(findings) - 1 and all(next(iter(f), None) == "rule" for f in findings):
            return whole[1:-1].replace(sep, b",\n  " + _LEAD)
        return b",\n  ".join([orjson.dumps(f, default=str, option=_ORJSON_OPTS) for f in findings])
    except (orjson.JSONEncodeError, TypeError):
        enc = json.JSONEncoder(ensure_ascii=False, default=str, separators=(", ", ": "))
        return ",\n  ".join(map(enc.encode, findings)).encode("utf-8")


def write_json(payload: dict, path: Path) -> None:
    """findings.json: the payload as JSON (UTF-8), one finding per line.

    The findings by orjson (:func:`_finding_lines`), the rest (small) by :mod:`json`, indented.
    Personal data is masked as in the reports (:mod:`dossiercheck.reports.masking`)."""
    from dossiercheck.reports.masking import mask_payload

    payload = mask_payload(payload)
    parts = []
    for key, value in payload.items():
        if key == "findings" and isinstance(value, list) and value:
            text = b"[\n  " + _finding_lines(value) + b"\n ]"
        else:
            text = json.dumps(value, ensure_ascii=False, indent=1, default=str).replace("\n", "\n ").encode("utf-8")
        parts.append(f" {json.dumps(key)}: ".encode("utf-8") + text)
    atomic_write_bytes(path, b"{\n" + b",\n".join(parts) + b"\n}\n")
