"""The one registry: joins the rule lists of the programme packages, explicitly.

Each programme package (``dossiercheck.checks.<programme>``) exposes:

- ``RULES``: the list of its :class:`~dossiercheck.checks.rule.Rule` objects, in catalogue order;
- optionally ``CONFIG``: ``{section: {key: default}}`` — its configurable values;
- optionally ``prepare(tables, config, P)``: adds derived columns to the parsed tables once per
  run, before any rule runs (e.g. the programme of a line), so rules share that work.

A duplicate code is refused at import; a meta-test checks that no Rule defined in a programme
module is left off its package's ``RULES``.
"""

from __future__ import annotations

from dossiercheck.checks import abo, dat, fin, gen, ibb, lbc, oal, out
from dossiercheck.checks.rule import Rule

PACKAGES = (dat, gen, abo, oal, fin, out, ibb, lbc)


def _join() -> tuple[Rule, ...]:
    seen: dict[str, Rule] = {}
    for pkg in PACKAGES:
        for r in pkg.RULES:
            if not isinstance(r, Rule):
                raise TypeError(f"{pkg.__name__}.RULES holds a non-rule: {r!r}")
            if r.code in seen:
                raise ValueError(f"duplicate rule code {r.code} in {pkg.__name__}")
            seen[r.code] = r
    return tuple(seen.values())


RULES: tuple[Rule, ...] = _join()
BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
PREPARE_HOOKS = tuple(pkg.prepare for pkg in PACKAGES if hasattr(pkg, "prepare"))

PROGRAMME_CONFIG: dict = {}
for _pkg in PACKAGES:
    for _section, _values in getattr(_pkg, "CONFIG", {}).items():
        PROGRAMME_CONFIG.setdefault(_section, {}).update(_values)
