"""The findings.json payload (CONTRACT.md): the one structure every report is rendered from."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dossiercheck import __version__
from dossiercheck.config import to_jsonable
from dossiercheck.engine import AuditResult


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


def findings_records(findings: pd.DataFrame) -> list[dict]:
    if not len(findings):
        return []
    f = findings.astype(object).where(findings.notna(), None)
    f["row"] = [int(r) if r is not None else None for r in f["row"]]
    recs = f.to_dict("records")
    for r in recs:
        for k in ("klantnummer", "chequenummer", "organisatie", "sheet", "value"):
            r[k] = _clean(r[k])
    return recs


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


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(payload: dict, path: Path) -> None:
    data = json.dumps(payload, ensure_ascii=False, indent=1, default=str).encode("utf-8")
    atomic_write_bytes(path, data)
