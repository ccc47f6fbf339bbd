"""OUT — outplacement (RULES.md "OUT", seed 002 "Handleiding Begeleiding Outplacement").

An *Outplacement line* is a ``lijnen`` row whose ``programme`` (``checks/lines.py``) is
``outplacement``; cancelled lines (``Geannuleerd``) are ignored by every rule (RULES.md
conventions: they vanish from the overview).

Modules: :mod:`.rules` (OUT001-OUT007), :mod:`.privacy` (OUT008, the shared PII detector).
"""

from __future__ import annotations

from dossiercheck.checks.out.privacy import out008
from dossiercheck.checks.out.rules import out001, out002, out003, out004, out005, out006, out007

CONFIG = {
    "out": {
        # OUT004: the system sets 'Uitgevoerd' this many calendar months after the end date.
        "auto_uitgevoerd_months": 1,
        # OUT005 / OUT006: document name terms (normalised substring of publicatienaam).
        "action_plan_term": "actieplan",
        "final_report_term": "eindverslag",
    }
}

RULES = [out001, out002, out003, out004, out005, out006, out007, out008]
