"""The engine without the CLI: findings attached once, bad cells hidden, failures reported."""

import datetime as dt
import time

import pandas as pd

from dossiercheck import config as cfgmod
from dossiercheck.checks.registry import BY_CODE
from dossiercheck.checks.rule import ERROR, Rule, offending
from dossiercheck.engine import audit_frames

P = dt.date(2025, 6, 15)


def frame(rows, name):
    df = pd.DataFrame(rows, dtype=object)
    df["_file"] = f"{name}.csv"
    df["_sheet"] = None
    df["_row"] = range(2, len(df) + 2)
    return df


def make_rule(check, needs=None, code="GEN901"):
    return Rule(code=code, severity=ERROR, needs=needs or {"lijnen": ("startdatum",)}, title_nl="t", title_en="t e",
                hint_nl="h", hint_en="h e", message_nl="m {x}", message_en="m {x}", source="RULES.md",
                logic="test", check=check)


def test_a_rule_that_crashes_is_reported_not_evaluated():
    def boom(ctx):
        raise ZeroDivisionError("oops")

    lijnen = frame([{"klantnummer": "61000001", "stap": "x", "toestand": "Bezig", "startdatum": "01/02/2025"}], "lijnen")
    res = audit_frames({"lijnen": lijnen}, cfgmod.defaults(), P, rules=[make_rule(boom), BY_CODE["GEN004"]])
    st = {s.rule.code: s for s in res.rules}
    assert not st["GEN901"].evaluated and "ZeroDivisionError" in st["GEN901"].reason
    assert st["GEN004"].evaluated


def test_rules_never_see_unparseable_cells_but_other_rules_do():
    seen = {}

    def spy(ctx):
        seen["rows"] = ctx.table("lijnen")["_row"].tolist()
        return offending(ctx.table("lijnen").iloc[:0])

    lijnen = frame(
        [
            {"klantnummer": "61000001", "stap": "x", "toestand": "Bezig", "startdatum": "01/02/2025", "einddatum": "02/11/15"},
            {"klantnummer": "61000001", "stap": "x", "toestand": "Bezig", "startdatum": "31/02/2025"},
            {"klantnummer": "61A", "stap": "x", "toestand": "Bezig", "startdatum": "01/02/2025"},
        ],
        "lijnen",
    )
    audit_frames({"lijnen": lijnen}, cfgmod.defaults(), P, rules=[make_rule(spy)])
    # row 3 has a bad startdatum, row 4 a bad key; the bad einddatum of row 2 is not this rule's column
    assert seen["rows"] == [2]


def test_organisation_and_klantnummer_are_attached_once():
    def every_row(ctx):
        t = ctx.table("gesprekken")
        return offending(t, x=t["begeleider"])

    cheques = frame([{"chequenummer": "1234567", "klantnummer": "61000001", "status": "in gebruik",
                      "loopbaancentrum": "Centrum A"}], "cheques")
    gesprekken = frame([{"chequenummer": "00001234567", "datum": "01/02/2025", "begeleider": "Janssens Thomas",
                         "type": "Intake gesprek", "duur": "60"}], "gesprekken")
    rule = make_rule(every_row, needs={"gesprekken": ("begeleider",)}, code="LBC901")
    res = audit_frames({"cheques": cheques, "gesprekken": gesprekken}, cfgmod.defaults(), P, rules=[rule])
    f = res.findings.iloc[0]
    assert (f["klantnummer"], f["chequenummer"], f["organisatie"]) == ("61000001", "00001234567", "Centrum A")
    assert (f["file"], f["row"], f["rows"], f["message"]) == ("gesprekken.csv", 2, [2], "m Janssens Thomas")


def test_lines_fall_back_to_uitvoerder_then_dossier_organisation():
    lijnen = frame(
        [
            {"klantnummer": "61000001", "stap": "x", "toestand": "Bezig", "startdatum": "01/07/2025", "uitvoerder": "Partner U"},
            {"klantnummer": "61000002", "stap": "x", "toestand": "Bezig", "startdatum": "01/07/2025"},
        ],
        "lijnen",
    )
    dossiers = frame([{"klantnummer": "61000002", "organisatie": "School D"}], "dossiers")
    res = audit_frames({"lijnen": lijnen, "dossiers": dossiers}, cfgmod.defaults(), P, rules=[BY_CODE["GEN004"]])
    assert sorted(res.findings["organisatie"]) == ["Partner U", "School D"]


def test_organisation_and_client_looked_up_only_where_known():
    """Rows without an organisation of their own take their client's (dossiers first, then the
    client's lines) or their cheque's; an unknown client or cheque leaves it empty."""

    def every_row(ctx):
        t = ctx.table("notities")
        return offending(t, x=t["reden"])

    def every_talk(ctx):
        t = ctx.table("gesprekken")
        return offending(t, x=t["begeleider"])

    notities = frame(
        [
            {"klantnummer": "61000001", "datum": "01/02/2025", "reden": "known"},
            {"klantnummer": "61000002", "datum": "01/02/2025", "reden": "lines only"},
            {"klantnummer": "61000009", "datum": "01/02/2025", "reden": "unknown"},
        ],
        "notities",
    )
    dossiers = frame([{"klantnummer": "61000001", "organisatie": "School D"}, {"klantnummer": "61000002"}], "dossiers")
    lijnen = frame([{"klantnummer": "61000002", "stap": "x", "toestand": "Bezig", "startdatum": "01/07/2025",
                     "organisatie": "Partner L"}], "lijnen")
    cheques = frame([{"chequenummer": "00001234567", "klantnummer": "61000001", "status": "in gebruik",
                      "loopbaancentrum": "Centrum A"}], "cheques")
    gesprekken = frame(
        [
            {"chequenummer": "00001234567", "datum": "01/02/2025", "begeleider": "known", "type": "Intake gesprek", "duur": "60"},
            {"chequenummer": "00007654321", "datum": "01/02/2025", "begeleider": "unknown", "type": "Intake gesprek", "duur": "60"},
        ],
        "gesprekken",
    )
    rules = [make_rule(every_row, needs={"notities": ("reden",)}, code="GEN901"),
             make_rule(every_talk, needs={"gesprekken": ("begeleider",)}, code="LBC901")]
    res = audit_frames({"notities": notities, "dossiers": dossiers, "lijnen": lijnen, "cheques": cheques,
                        "gesprekken": gesprekken}, cfgmod.defaults(), P, rules=rules)
    talks = res.findings[res.findings["rule"] == "LBC901"].set_index("message")
    assert talks.loc["m known", ["klantnummer", "organisatie"]].tolist() == ["61000001", "Centrum A"]
    assert talks.loc["m unknown", ["klantnummer", "organisatie"]].isna().all()
    notes = res.findings[res.findings["rule"] == "GEN901"].set_index("message")
    assert notes.loc["m known", "organisatie"] == "School D"
    assert notes.loc["m lines only", "organisatie"] == "Partner L"
    assert notes.loc["m unknown", "klantnummer"] == "61000009"
    assert pd.isna(notes.loc["m unknown", "organisatie"])


def test_fingerprints_ignore_rows_and_files_and_number_duplicates():
    rows = [{"klantnummer": "61000001", "stap": "x", "toestand": "Bezig", "startdatum": "01/07/2025"}] * 2
    a = audit_frames({"lijnen": frame(rows, "a")}, cfgmod.defaults(), P, rules=[BY_CODE["GEN004"]])
    moved = frame([{"klantnummer": "61000009", "stap": "y", "toestand": "Bezig", "startdatum": "01/01/2025"}] + rows, "b")
    b = audit_frames({"lijnen": moved}, cfgmod.defaults(), P, rules=[BY_CODE["GEN004"]])
    assert a.findings["fingerprint"].nunique() == 2
    assert set(a.findings["fingerprint"]) == set(b.findings["fingerprint"])


def test_partitioned_audit_finds_the_same_as_the_whole():
    """docs/scaling.md: every cross-row rule works within one client (and its cheques), so the
    audit of hash partitions by client finds exactly what the audit of everything finds."""
    from pathlib import Path

    from dossiercheck.engine import DATA_WIDE_RULES, partition_frames
    from dossiercheck.io import read_inputs

    cfg = cfgmod.defaults()
    sample = Path(__file__).resolve().parent.parent / "sample_data"
    raw = read_inputs([sample], cfg["limits"]).tables
    P0 = dt.date(2025, 6, 15)
    whole = audit_frames(raw, cfg, P0).findings

    def key(f):
        f = f[~f["rule"].isin(DATA_WIDE_RULES)]  # these run once on the whole table (docs/scaling.md)
        return sorted(zip(f["fingerprint"], f["rule"], f["file"], f["row"], f["message"], f["organisatie"].fillna("")))

    parts = partition_frames(raw, 3)
    assert sum(len(t) for p in parts for t in p.values()) == sum(len(t) for t in raw.values())
    assert sum(1 for p in parts if any(len(t) for t in p.values())) > 1
    found = pd.concat([audit_frames(p, cfg, P0).findings for p in parts], ignore_index=True)
    assert key(found) == key(whole)


def test_rules_on_two_cores_find_exactly_what_one_process_finds(monkeypatch):
    """A large audit runs its rules on two processes, which take whole programmes from one work
    queue (engine.PROGRAMME_WEIGHT, heaviest first), and each process builds its own rules'
    findings: the same findings in the same order (with the same dtypes and fingerprints), the
    same rule statuses, whichever process ran which programme; a rule that fails is reported
    like one that fails in-process."""
    from pathlib import Path

    import pytest

    from dossiercheck import engine
    from dossiercheck.forking import can_fork
    from dossiercheck.io import read_inputs

    if not can_fork():
        pytest.skip("the rules are forked out on Linux only")
    cfg = cfgmod.defaults()
    sample = Path(__file__).resolve().parent.parent / "sample_data"
    raw = read_inputs([sample], cfg["limits"]).tables
    P0 = dt.date(2025, 6, 15)

    def crash(ctx):
        raise ValueError("boom in IBB")

    failing = make_rule(crash, needs={"services": ("tender",)}, code="IBB901")
    rules = [*engine.RULES, failing]
    monkeypatch.setattr(engine, "RULES", rules)
    monkeypatch.setenv("DOSSIERCHECK_NO_FORK", "1")
    one = audit_frames(raw, cfg, P0)
    monkeypatch.delenv("DOSSIERCHECK_NO_FORK")
    monkeypatch.setattr(engine, "PARALLEL_MIN_ROWS", 0)
    forks = []
    import dossiercheck.forking as forking

    real = forking.ForkJob

    class Counting(real):
        def __init__(self, fn):
            forks.append(1)
            super().__init__(fn)

    monkeypatch.setattr(forking, "ForkJob", Counting)
    import threading

    filtered_on = []
    without = engine._without_bad_rows

    def spy(*a):
        filtered_on.append(threading.current_thread().name)
        return without(*a)

    monkeypatch.setattr(engine, "_without_bad_rows", spy)
    in_parent = []  # per programme the parent ran, its rules (the child ran the others)
    own_columns = engine._own_columns
    monkeypatch.setattr(engine, "_own_columns", lambda ran, *a: in_parent.append({r.code for r in ran}) or own_columns(ran, *a))
    two = audit_frames(raw, cfg, P0)
    assert forks == [1]
    # the filtered tables more than one programme uses were built before the fork, two at a time
    assert sum(n.startswith("dossiercheck-filter") for n in filtered_on) >= 2

    def programme(codes: set) -> set:
        return {BY_CODE[c].programme if c in BY_CODE else "IBB" for c in codes}

    # the parent took the heaviest programme first; the child took at least one
    assert programme(in_parent[0]) == {engine.PROGRAMME_WEIGHT[0]}
    assert set().union(*in_parent) < {s.rule.code for s in two.rules if s.evaluated} | {"IBB901"}
    # another order of the queue: the parent starts on another programme
    in_parent.clear()
    monkeypatch.setattr(engine, "PROGRAMME_WEIGHT", tuple(reversed(engine.PROGRAMME_WEIGHT)))
    three = audit_frames(raw, cfg, P0)
    assert programme(in_parent[0]) == {engine.PROGRAMME_WEIGHT[0]} != {"ABO"}
    for other in (two, three):
        pd.testing.assert_frame_equal(one.findings, other.findings)
        assert [(s.rule.code, s.evaluated, s.findings, s.reason) for s in one.rules] == [
            (s.rule.code, s.evaluated, s.findings, s.reason) for s in other.rules
        ]
        assert any(s.rule.code == "IBB901" and not s.evaluated and "boom in IBB" in s.reason for s in other.rules)
        assert set(other.programme_seconds) >= {"ABO", "IBB", "LBC"}
        assert set(other.own_seconds) == {"findings.parent", "findings.child"}
    assert not one.own_seconds
    assert two.findings["rule"].str.startswith("ABO").any() and two.findings["rule"].str.startswith("IBB").any()


def test_work_queue_gives_each_item_to_exactly_one_process():
    """forking.WorkQueue: a parent and its forked child taking items as they go get every item
    once between them, each in increasing order."""
    import pytest

    from dossiercheck.forking import ForkJob, WorkQueue, can_fork

    if not can_fork():
        pytest.skip("fork: Linux only")
    queue = WorkQueue(200)
    try:
        job = ForkJob(lambda: [i for i in queue if not time.sleep(0.001)])
        mine = [i for i in queue if not time.sleep(0.001)]
        theirs = job.result()
    finally:
        queue.close()
    assert mine and theirs
    assert sorted(mine + theirs) == list(range(200))
    assert mine == sorted(mine) and theirs == sorted(theirs)
    assert list(WorkQueue(0)) == []
    with pytest.raises(ValueError):
        WorkQueue(256)


class _SeesCollector:
    """Records, when unpickled, whether the cyclic garbage collector was running."""

    seen: list = []

    def __reduce__(self):
        return (_sees_collector, ())


def _sees_collector():
    import gc

    _SeesCollector.seen.append(gc.isenabled())
    return "unpickled"


def test_fork_result_unpickled_with_the_collector_paused_then_restored():
    import gc

    import pytest

    from dossiercheck.forking import ForkJob, can_fork

    if not can_fork():
        pytest.skip("fork: Linux only")
    was = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            _SeesCollector.seen.clear()
            assert ForkJob(lambda: [_SeesCollector(), {"k": [1, 2]}]).result() == ["unpickled", {"k": [1, 2]}]
            assert _SeesCollector.seen == [False]  # paused while the result was unpickled
            assert gc.isenabled() is state  # and as it was afterwards
    finally:
        (gc.enable if was else gc.disable)()


def test_tables_validated_on_two_threads_give_the_one_thread_result(monkeypatch):
    """engine.SCHEMA_THREADS: the typed tables, bad rows, DAT findings and every other finding are
    the same whether the tables are validated one after the other or two at a time."""
    from pathlib import Path

    from dossiercheck import engine
    from dossiercheck.io import read_inputs

    cfg = cfgmod.defaults()
    sample = Path(__file__).resolve().parent.parent / "sample_data"
    raw = read_inputs([sample], cfg["limits"]).tables
    assert len(raw) > 2
    monkeypatch.setenv("DOSSIERCHECK_NO_FORK", "1")
    monkeypatch.setattr(engine, "SCHEMA_THREADS", 1)
    one = audit_frames(raw, cfg, dt.date(2025, 6, 15))
    monkeypatch.setattr(engine, "SCHEMA_THREADS", 2)
    two = audit_frames(raw, cfg, dt.date(2025, 6, 15))
    assert list(one.tables) == list(two.tables)
    for name in one.tables:
        pd.testing.assert_frame_equal(one.tables[name], two.tables[name])
    pd.testing.assert_frame_equal(one.findings, two.findings)
    assert any(one.findings["rule"].str.startswith("DAT"))


def test_rows_without_bad_cells_filtered_column_wise_equal_boolean_indexing():
    """engine._without_bad_rows (checks.rule.rows_where) filters column by column (pyarrow's filter, or a take when
    it keeps under 90 % of the rows): on every
    typed table of the sample data, for the bad cells of each column and of all columns, the
    result equals ``frame[mask]`` exactly (values, dtypes, index, column order)."""
    from pathlib import Path

    import numpy as np

    from dossiercheck.checks.rule import rows_where
    from dossiercheck.engine import _without_bad_rows
    from dossiercheck.io import read_inputs
    from dossiercheck.schemas import validate
    from dossiercheck.tables import TABLES

    cfg = cfgmod.defaults()
    sample = Path(__file__).resolve().parent.parent / "sample_data"
    checked = 0
    for name, raw in read_inputs([sample], cfg["limits"]).tables.items():
        v = validate(TABLES[name], raw.reset_index(drop=True))
        for use in [[c] for c in v.bad.columns] + [list(v.bad.columns)]:
            keep = ~v.bad[sorted(use)].any(axis=1).to_numpy()
            got = _without_bad_rows(v.typed, v.bad, use)
            pd.testing.assert_frame_equal(got, v.typed[keep])
            checked += int(not keep.all())
            # and again on the filtered frame (an index with gaps), as the ABO line kinds are picked:
            # a part of the rows (a take) and nearly all of them (a filter), and none
            for picked in (np.arange(len(got)) % 2 == 0, np.arange(len(got)) % 20 != 0, np.zeros(len(got), dtype=bool)):
                pd.testing.assert_frame_equal(rows_where(got, picked), got[picked])
    assert checked, "the sample data has bad cells, so some rows were really dropped"
    # a frame with a repeated column name is filtered as pandas does it
    dup = pd.DataFrame(np.arange(6).reshape(3, 2), columns=["a", "a"])
    bad = pd.DataFrame({"a": [False, True, False]})
    pd.testing.assert_frame_equal(_without_bad_rows(dup, bad, ["a"]), dup.iloc[[0, 2]])


def test_prepare_lines_states_and_programmes():
    """lines.prepare_lines: the states of each toestand (a missing or unknown one is in none), and
    the programme of each stap the same whether decided per row (a small table) or once per
    distinct text (a large one, gathered as Arrow strings), missing for a missing or other stap."""
    from dossiercheck.checks.lines import prepare_lines

    toestand = ["Bezig", "Geannuleerd", "Beëindigd", "Stopgezet", "Uitgevoerd", "Onbekend", None]
    stap = ["Project Leren en Werken x", "Onderwijs alternerende beroepsopl.", "Onderwijs onderst. alternerend leren",
            "Outplacement", "Opleiding lassen", "Iets anders", None]
    small = pd.DataFrame({"toestand": pd.array(toestand, dtype="string"), "stap": pd.array(stap, dtype="string")})
    prepare_lines({"lijnen": small}, {}, pd.Timestamp("2025-06-05"))
    assert small["active"].tolist() == [True, False, True, True, True, True, False]
    assert small["open"].tolist() == [True, False, False, False, False, False, False]
    assert small["closed"].tolist() == [False, False, True, True, True, False, False]
    programmes = ["abo_project", "abo_begeleiding", "oal", "outplacement", "opleiding", None, None]
    assert small["programme"].astype(object).where(small["programme"].notna(), None).tolist() == programmes
    large = pd.DataFrame({c: pd.array(list(small[c]) * 1000, dtype="string") for c in ("toestand", "stap")})
    prepare_lines({"lijnen": large}, {}, pd.Timestamp("2025-06-05"))
    for c in ("active", "open", "closed"):
        assert large[c].dtype == bool and large[c].tolist() == small[c].tolist() * 1000
    assert large["programme"].dtype == small["programme"].dtype == pd.StringDtype(na_value=pd.NA)
    assert large["programme"].equals(pd.Series(pd.array(programmes * 1000, dtype="string")))
