"""Personal data masked in findings.json, as the HTML and Excel reports mask it.

Every text that comes from the input (finding messages and their details, raw klant- and
chequenummers, organisation, file and sheet names, header texts, notes, waiver and history texts)
goes through :func:`dossiercheck.checks.pii.mask_pii` before it is written: national numbers,
e-mail addresses and phone numbers become ``***``. Values the tool itself makes are kept exact:
fingerprints (hex: an 11-digit run in one could pass the national-number check), rule codes,
dates, the configuration, and klant/chequenummers of their valid shape (the keys users look a
client up by; 7-10 digits cannot be a national number).

The in-memory payload is not changed: fingerprints, history and waivers work on the raw values.
"""

from __future__ import annotations

import re
from typing import Any

from dossiercheck.reports.viewmodel import CHEQUE_RE, KLANT_RE, make_masker

# keys whose values the tool makes (kept as they are, with everything below them)
KEEP = frozenset({
    "tool", "version", "peildatum", "config", "rules", "rule", "code", "severity", "table", "fingerprint",
    "fingerprints", "first_seen", "recorded_at", "status", "rows_per_table", "trend", "lang",
})
# a text that cannot hold personal data: no '@' and no run of 8 digits (with separators)
_MAYBE = re.compile(r"@|\d(?:[ ./\-()+\u00a0]{0,3}\d){7}")


def mask_payload(payload: dict) -> dict:
    """A copy of ``payload`` with personal data masked in every input-derived text."""
    mask = make_masker()

    def text(v: str, key: str | None) -> str:
        if key == "klantnummer" and KLANT_RE.fullmatch(v) or key == "chequenummer" and CHEQUE_RE.fullmatch(v):
            return v
        return mask(v) if _MAYBE.search(v) else v

    def walk(v: Any, key: str | None) -> Any:
        if isinstance(v, str):
            return text(v, key)
        if isinstance(v, dict):
            return {k: (x if k in KEEP else walk(x, k)) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x, key) for x in v]
        return v

    return walk(payload, None)


__all__ = ["KEEP", "mask_payload"]
