"""Hand-built findings.json payloads for the report tests (HTML, xlsx, browser): every rule,
hostile text (script, HTML, formulas), a national number, findings without organisation or
client, and optionally the history parts (status, first_seen, resolved, waived, waiver problems,
trend)."""

from __future__ import annotations

import copy

from dossiercheck.checks.registry import RULES

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://x","y")'
NATNR = "85073003328"  # a made-up national number written into a message

ORGS = ["GO! Campus Noord", "Atheneum Zuid & Co", XSS_IMG, "Centrum Oost", None]


def make_finding(i: int, rule=None, org="__pick__", klant="__pick__", severity=None, message=None) -> dict:
    r = rule or RULES[i % len(RULES)]
    org = ORGS[i % len(ORGS)] if org == "__pick__" else org
    klant = f"61{i % 97:06d}" if klant == "__pick__" else klant
    row = 4 + i
    return {
        "rule": r.code,
        "severity": severity or r.severity.value,
        "table": "lijnen",
        "klantnummer": klant,
        "chequenummer": f"LBC{i:05d}" if r.code.startswith("LBC") else None,
        "organisatie": org,
        "file": "lijnen.xlsx",
        "sheet": "Stappen naar werk",
        "row": row,
        "rows": [row],
        "message": message or f"Bevinding nummer {i} voor klant {klant}",
        "message_en": f"EN: {message}" if message else f"Finding number {i} for client {klant}",
        "fingerprint": f"fp{i:08d}",
        "details": {"n": i},
        "value": None,
    }


def make_payload(n: int = 40, hostile: bool = True, history: bool = False) -> dict:
    findings = [make_finding(i) for i in range(n)]
    if hostile:
        findings += [
            make_finding(n, message=f"Bevat {XSS_SCRIPT}", org=XSS_IMG, klant="61000999"),
            make_finding(n + 1, message=FORMULA, org="=cmd|' /C calc'!A0", klant="+32475"),
            make_finding(n + 2, message=f"Rijksregisternummer {NATNR} in feedback", org="Centrum Oost"),
            make_finding(n + 3, message=f"-2+3 {XSS_IMG}", org=None, klant=None),
        ]
    rules = []
    counts: dict[str, int] = {}
    for f in findings:
        counts[f["rule"]] = counts.get(f["rule"], 0) + 1
    for k, r in enumerate(RULES):
        if k == len(RULES) - 1:
            rules.append({"code": r.code, "severity": r.severity.value, "evaluated": False,
                          "reason": "table categorieen not given"})
            findings = [f for f in findings if f["rule"] != r.code]
        else:
            rules.append({"code": r.code, "severity": r.severity.value, "evaluated": True,
                          "findings": counts.get(r.code, 0)})
    sev = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        sev[f["severity"]] += 1
    payload = {
        "tool": "dossiercheck",
        "version": "0.1.0",
        "peildatum": "2025-06-15",
        "config": {"report": {"max_html_rows": 20000}, "privacy": {"medical_terms": ["autisme", XSS_SCRIPT]},
                   "abo": {"warn_days": 21}},
        "inputs": [
            {"file": "lijnen.xlsx", "sheet": "Stappen naar werk", "table": "lijnen", "header_row": 3, "rows": 1204},
            {"file": f"{XSS_SCRIPT}.csv", "sheet": None, "table": "dossiers", "header_row": 1, "rows": 12},
        ],
        "unrecognised": [{"file": "x.csv", "sheet": None, "headers": ["Naam", XSS_IMG]}],
        "rules": rules,
        "findings": findings,
        "summary": {**sev, "rows_read": 1216},
    }
    if history:
        add_history(payload)
    return payload


def add_history(payload: dict) -> dict:
    for i, f in enumerate(payload["findings"]):
        f["status"] = "nieuw" if i % 3 == 0 else "blijvend"
        f["first_seen"] = "2025-06-15" if i % 3 == 0 else "2025-04-15"
    gone = copy.deepcopy(payload["findings"][0])
    gone.update(fingerprint="gone0001", klantnummer="61555555", message=f"Opgelost {XSS_SCRIPT}")
    gone.pop("status"), gone.pop("first_seen")
    gone["first_seen"] = "2025-03-15"
    payload["resolved"] = [gone]
    waived = copy.deepcopy(payload["findings"][1])
    waived.update(fingerprint="waived01", klantnummer="61444444",
                  waiver={"reason": f"Akkoord VDAB {XSS_IMG}", "accepted_by": "coach@x", "expires": "2025-12-31"})
    payload["waived"] = [waived]
    payload["waiver_problems"] = [{"message": f"Regel 3: onbekende vingerafdruk {XSS_SCRIPT}"}]
    payload["trend"] = [
        {"run_id": k, "peildatum": f"2025-{m:02d}-15", "error": 10 + k, "warning": 20 - k, "info": 3}
        for k, m in enumerate(range(1, 7))
    ]
    return payload


def by_severity(findings: list[dict]) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        out[f["severity"]] += 1
    return out
