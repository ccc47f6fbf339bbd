"""One generic test runs every rule case in tests/cases/*.yaml (see tests/rulecases.py)."""

from __future__ import annotations

import pytest

from dossiercheck.checks.registry import RULES
from rulecases import load_cases, run_case

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_rule_case(case):
    assert case["id"].startswith(case["rule"] + "-"), "case id must start with its rule code"
    result = run_case(case)
    status = {s.rule.code: s for s in result.rules}[case["rule"]]
    assert status.evaluated, f"{case['rule']} not evaluated: {status.reason}"
    f = result.findings
    f = f[f["rule"] == case["rule"]] if len(f) else f
    expected = sorted((t, r + 1) for t, rows in (case.get("expect") or {}).items() for r in rows)
    got = sorted((t, int(r)) for t, r in zip(f["table"], f["row"])) if len(f) else []
    assert got == expected, f"offending rows (table, sheet row): expected {expected}, got {got}\n" + "\n".join(
        f["message"].tolist() if len(f) else []
    )
    if "details" in case:
        ordered = f.sort_values(["table", "row"]) if len(f) else f
        for want, have in zip(case["details"], ordered["details"], strict=True):
            for k, v in want.items():
                assert have.get(k) == v, f"detail {k}: expected {v!r}, got {have.get(k)!r}"
    for text in case.get("message_contains", []):
        for msg in f["message"]:
            assert text in msg, f"{text!r} not in message {msg!r}"
    if "sources" in case:
        ordered = f.sort_values(["table", "row"]) if len(f) else f
        for want, have in zip(case["sources"], ordered["sources"], strict=True):
            got_rows = sorted((src["table"], int(src["row"]) - 1) for src in have)
            assert got_rows == sorted((t, r) for t, rows in want.items() for r in rows), f"source rows: got {got_rows}"
    if "value" in case:
        ordered = f.sort_values(["table", "row"])
        assert list(ordered["value"]) == case["value"]


def test_every_rule_has_firing_and_near_miss_cases():
    by_rule: dict[str, list[dict]] = {}
    for c in CASES:
        by_rule.setdefault(c["rule"], []).append(c)
    problems = []
    for r in RULES:
        cases = by_rule.get(r.code, [])
        if not any(c.get("expect") for c in cases):
            problems.append(f"{r.code}: no case that fires")
        if not any(not c.get("expect") for c in cases):
            problems.append(f"{r.code}: no near-miss case that must not fire")
    assert not problems, "\n".join(problems)


def test_case_ids_unique():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
