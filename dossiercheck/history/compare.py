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

**Baseline of a run** (what the audit compares it with) — *per organisation*:

- each organisation O of the run is compared with the latest earlier run that audited O (had O in
  its scope), whatever else that run covered. So a school checking itself is compared with the
  school's part of the last province-wide audit (the other schools' findings are *not compared*,
  never "solved"); the next province-wide audit compares every school with its own latest run
  (the self-check for that school, the previous province audit for the others); a month in which
  one partner's export was missing does not make the others skip a month; an organisation audited
  for the first time has no baseline (all its findings ``nieuw``);
- findings without organisation are compared with the latest earlier run that shares an
  organisation with this run and audited nothing outside it (its scope is a subset of this run's
  scope; two runs without any organisation match each other): only then did this run see at
  least all the data that run saw.

**Comparison with a baseline** (the same function serves ``diff RUN_A RUN_B``, whose baseline is
run A for every organisation both runs audited, and for findings without organisation when B's
scope includes all of A's):

- a finding is ``blijvend`` when its fingerprint is among the compared findings (waived or not) of
  the baseline — those of each organisation in its baseline run, and those without organisation in
  theirs — else ``nieuw``. A fingerprint is the same problem on the same record, so a client who
  moved from one audited organisation to another keeps a ``blijvend`` problem;
- a finding of a baseline run whose fingerprint is gone is ``opgelost`` when that run is the
  baseline of the finding's organisation (or, without organisation, the baseline for findings
  without organisation). Findings of the baseline runs for organisations this run did not audit
  are *not compared* (counted, not listed).

**first_seen**: the earliest *peildatum* (not the recording date) of any recorded run, whatever
its scope, that had the fingerprint — including the current run. A finding that was solved and
came back is ``nieuw`` but keeps its original first_seen.

**Trend**: the current run and up to 11 runs before it that *cover* it, oldest first, counting
only findings of the current run's organisations (and findings without organisation), waived ones
apart. R covers C when R audited every organisation of C that had appeared in the history by R's
time, and at least one of them (so a partial run is no dip in the trend of a full audit, and a
new partner does not cut the trend off).
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


@dataclass
class Baseline:
    """The earlier runs a run is compared with (see the module docstring)."""

    by_org: dict[str, dict]  # organisation -> its baseline run
    unattributed: dict | None  # baseline run for findings without organisation

    def runs(self) -> list[dict]:
        """The distinct baseline runs, latest first."""
        seen: dict = {}
        for r in [*self.by_org.values(), *([self.unattributed] if self.unattributed else [])]:
            seen[r["run_id"]] = r
        return sorted(seen.values(), key=_key, reverse=True)

    def run_for(self, org: str | None) -> dict | None:
        return self.unattributed if org is None else self.by_org.get(org)


def baseline(runs: list[dict], current: Position) -> Baseline:
    """Per organisation of ``current`` its latest earlier run (``runs`` from store.load_runs)."""
    earlier = sorted((r for r in runs if _key(r) < current.key), key=_key, reverse=True)
    by_org: dict[str, dict] = {}
    unattributed = None
    for r in earlier:
        for o in r["scope"] & current.scope:
            by_org.setdefault(o, r)
        if unattributed is None and r["scope"] <= current.scope and (
            (r["scope"] & current.scope) or not (r["scope"] or current.scope)
        ):
            unattributed = r
    return Baseline(by_org, unattributed)


def pair_baseline(old: Mapping, new_scope: frozenset[str]) -> Baseline:
    """Run ``old`` as the baseline of a run with ``new_scope`` (``diff RUN_A RUN_B``)."""
    by_org = {o: old for o in old["scope"] & new_scope}
    return Baseline(by_org, old if old["scope"] <= new_scope else None)


@dataclass
class Comparison:
    persisting: set[str]  # fingerprints of the new run also in a baseline run
    resolved: list[tuple[int, object]]  # (run_id, key) of the baseline findings that are gone
    not_compared: int  # gone findings of the baseline runs outside the new run's organisations
    compared_organisations: list[str]
    base: Baseline | None = None


def compare(
    base: Baseline, old: Mapping[int, Sequence[tuple]], new_fingerprints: set, new_scope: frozenset[str]
) -> Comparison:
    """``old``: run_id -> (key, fingerprint, organisatie) of each finding of that baseline run
    (waived ones included). A gone fingerprint is listed once, from its latest baseline run."""
    runs = base.runs()
    compared_fps = set()  # fingerprints of the compared part of the baseline runs
    for r in runs:
        for _, fp, org in old.get(r["run_id"], ()):
            mine = base.run_for(_clean_org(org))
            if fp and mine is not None and mine["run_id"] == r["run_id"]:
                compared_fps.add(fp)
    persisting = compared_fps & new_fingerprints
    resolved: list[tuple[int, object]] = []
    done: set = set()
    outside: set = set()
    for r in runs:  # latest first
        for key, fp, org in old.get(r["run_id"], ()):
            if fp and fp in new_fingerprints:
                continue
            ident = fp or ("row", r["run_id"], key)
            org = _clean_org(org)
            mine = base.run_for(org)
            if mine is not None and mine["run_id"] == r["run_id"]:
                if ident not in done:
                    done.add(ident)
                    resolved.append((r["run_id"], key))
            elif org is not None and org not in new_scope:
                outside.add(ident)
            elif org is None and base.unattributed is None:
                outside.add(ident)
    outside -= done
    return Comparison(persisting, resolved, len(outside), sorted(base.by_org), base)


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
