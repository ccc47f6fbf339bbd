"""Table-driven rule cases: loading and running (used by test_rule_cases.py).

A case file ``tests/cases/<PREFIX>.yaml`` holds a list of cases::

    - id: GEN001-end-before-start          # <CODE>-<slug>: the pytest id
      rule: GEN001
      peildatum: 2025-07-15                # optional (default 2025-07-15)
      config: {abo: {warn_days: 10}}       # optional overrides (as in a --config TOML)
      tables:                              # raw cells per table, as an export would hold them
        lijnen:
          - {klantnummer: "61000001", stap: Outplacement, toestand: Bezig, startdatum: 01/03/2025}
      expect: {lijnen: [1]}                # offending rows: 1-based position in the case's table
      details: [{dagen: 3}]                # optional: subset of each finding's details, in order
      message_contains: ["30/06/2025"]     # optional: text every finding's Dutch message holds
      value: ["Nee"]                       # optional: the findings' values, in order
      sources: [{lijnen: [1, 2]}]          # optional: each finding's source rows, as in expect, in order

``expect: {}`` (or omitted) means the rule must be evaluated and must not fire.
Cells are given as text; YAML dates/numbers/bools are turned into text, so write values that
matter in their raw export form (quoted).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import yaml

from dossiercheck import config as cfgmod
from dossiercheck.checks.registry import BY_CODE
from dossiercheck.engine import audit_frames

CASES_DIR = Path(__file__).parent / "cases"
DEFAULT_P = dt.date(2025, 7, 15)


def load_cases() -> list[dict]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            case["_file"] = path.name
            cases.append(case)
    return cases


def _cell(v) -> object:
    if v is None:
        return None
    if isinstance(v, bool):
        return "ja" if v else "nee"
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y")
    return str(v)


def frames_of(case: dict) -> dict[str, pd.DataFrame]:
    out = {}
    for table, rows in (case.get("tables") or {}).items():
        cols: list[str] = []
        for r in rows:
            for c in r:
                if c not in cols:
                    cols.append(c)
        df = pd.DataFrame([{c: _cell(r.get(c)) for c in cols} for r in rows], columns=cols, dtype=object)
        df["_file"] = f"{table}.xlsx"
        df["_sheet"] = table
        df["_row"] = range(2, len(df) + 2)
        out[table] = df
    return out


def run_case(case: dict):
    rule = BY_CODE[case["rule"]]
    config = cfgmod.merge(cfgmod.defaults(), case.get("config") or {})
    p = case.get("peildatum", DEFAULT_P)
    if isinstance(p, str):
        p = dt.date.fromisoformat(p)
    result = audit_frames(frames_of(case), config, p, rules=[rule])
    return result
