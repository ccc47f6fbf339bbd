"""Which earlier run a run is compared with, and the comparison itself (pure functions, no I/O).

Definitions (the ones the reports and ``dossiercheck diff`` rely on):

**Organisations of a run** (its *scope*): every organisation named in the input data — the
``organisatie`` column of ``dossiers``, ``lijnen`` (or ``uitvoerder`` when ``lijnen`` has no
``organisatie`` column) and ``services``, the ``loopbaancentrum`` of ``cheques`` and ``gesprekken``
— together with the ``organisatie`` of every finding. Taken from the data, not only from the
findings, so that an organisation whose problems were all solved is still known to have been
audited (and its old findings are reported as solved). When the data frames are not available
(runs recorded by older versions or by callers that pass only the payload), the organisations of
the findings are used (``scope_source = "findings"``).

**Order of runs**: by peildatum, then by recording order (run id). "Earlier" is in that order, so
re-auditing last month's export after this month's compares it with older runs, not with this
month's.

**R covers C** (R earlier than C): R audited every organisation of C that had already appeared in
the history by R's time — i.e. every organisation of C that occurs in R or in a run before R is
in R's scope — and at least one organisation of C is in R's scope. So a single-school check made
after the full monthly audit is compared with that full audit; the next full audit skips the
single-school check and is compared with the previous full audit; a partner audited for the first
time does not stop the comparison (its findings are simply all ``nieuw``). Two runs without any
organisation (inputs without an organisation column) cover each other.

**Previous run**: the latest earlier run that covers the current one.

**Comparison of old run A with new run B** (used both for the previous run and ``diff A B``):

- a finding of B is ``blijvend`` when its fingerprint is among A's findings (waived or not), else
  ``nieuw``;
- a finding of A whose fingerprint is not in B is ``opgelost`` when its organisation is in B's
  scope; a finding of A without organisation only when B's scope includes all of A's (B saw at
  least all the data A saw). Other findings of A are *not compared* (counted, not listed): B did
  not audit them.

**first_seen**: the earliest *peildatum* (not the recording date) of any recorded run, whatever
its scope, that had the fingerprint — including the current run. A finding that was solved and
came back is ``nieuw`` but keeps its original first_seen.

**Trend**: the current run and up to 11 runs before it that cover it (same definition), oldest
first, counting only findings of the current run's organisations (and findings without
organisation), waived ones apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

ORG_COLUMNS = ("organisatie", "loopbaancentrum")
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
TREND_RUNS = 12


def _clean_org(v) -> str | None:
    if v is None:
        return None
    if type(v) is str:
        return v.strip() or None
    if v is pd.NA:
        return None
    if isinstance(v, float) and v != v:
        return None
    s = str(v).strip()
    return s or None


def scope_from_tables(tables: Mapping[str, pd.DataFrame]) -> set[str]:
    """Organisations named in the (parsed) input tables — mirrors the engine's attribution."""
    orgs: set[str] = set()
    for name, frame in tables.items():
        col = next((c for c in ORG_COLUMNS if c in frame.columns), None)
        if col is None and name == "lijnen" and "uitvoerder" in frame.columns:
            col = "uitvoerder"
        if col is None:
            continue
        for v in pd.unique(frame[col].dropna()):
            o = _clean_org(v)
            if o:
                orgs.add(o)
    return orgs


def scope_from_findings(findings: Iterable[dict]) -> set[str]:
    return {o for o in (_clean_org(f.get("organisatie")) for f in findings) if o}


def _key(run: Mapping) -> tuple[str, float]:
    return (run["peildatum"], run["run_id"])


@dataclass
class Position:
    """Where a run sits (or would sit) in the history, and which organisations it covered."""

    peildatum: str
    run_id: float  # float("inf") for a run not recorded yet
    scope: frozenset[str]

    @property
    def key(self) -> tuple[str, float]:
        return (self.peildatum, self.run_id)


def covering_runs(runs: list[dict], current: Position) -> list[dict]:
    """The runs before ``current`` that cover it, latest first (``runs`` from store.load_runs)."""
    earlier = sorted((r for r in runs if _key(r) < current.key), key=_key, reverse=True)
    if not current.scope:
        return [r for r in earlier if not r["scope"]]
    first: dict[str, tuple] = {}
    for r in sorted(runs, key=_key):
        for o in r["scope"]:
            if o in current.scope and o not in first:
                first[o] = _key(r)
    out = []
    for r in earlier:
        k = _key(r)
        known = {o for o, fk in first.items() if fk <= k}
        if known and known <= r["scope"]:
            out.append(r)
    return out


def previous_run(runs: list[dict], current: Position) -> dict | None:
    cov = covering_runs(runs, current)
    return cov[0] if cov else None


@dataclass
class Comparison:
    persisting: set[str]  # fingerprints of the new run also in the old one
    resolved: list[int]  # positions in ``old`` of the findings that are gone (in the compared part)
    not_compared: int  # findings of the old run gone but outside the new run's organisations
    compared_organisations: list[str]


def compare(
    old: Sequence[tuple[str | None, str | None]], old_scope: frozenset[str], new_fingerprints: set,
    new_scope: frozenset[str],
) -> Comparison:
    """``old``: (fingerprint, organisatie) of each finding of the old run (waived ones included)."""
    old_fps = {fp for fp, _ in old if fp}
    persisting = old_fps & new_fingerprints
    resolved: list[int] = []
    not_compared = 0
    sees_all_of_old = old_scope <= new_scope
    for i, (fp, org) in enumerate(old):
        if fp and fp in persisting:
            continue
        org = _clean_org(org)
        if (org is not None and org in new_scope) or (org is None and sees_all_of_old):
            resolved.append(i)
        else:
            not_compared += 1
    return Comparison(persisting, resolved, not_compared, sorted(old_scope & new_scope))


def sort_key(f: Mapping) -> tuple:
    return (
        SEVERITY_RANK.get(f.get("severity"), 9),
        f.get("organisatie") or "\uffff",
        f.get("klantnummer") or "\uffff",
        f.get("rule") or "",
        f.get("fingerprint") or "",
    )


def restricted_counts(rows: Iterable[tuple], scope: frozenset[str]) -> dict:
    """Severity counts of store.counts() rows for the organisations in ``scope`` (and none)."""
    out = {"error": 0, "warning": 0, "info": 0, "waived": 0}
    for org, sev, waived, n in rows:
        org = _clean_org(org)
        if org is not None and org not in scope:
            continue
        if waived:
            out["waived"] += n
        elif sev in out:
            out[sev] += n
    return out
