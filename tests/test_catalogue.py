"""Meta-tests on the rule catalogue: metadata checked, nothing left off, docs not stale."""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

from dossiercheck.catalogue import render_markdown
from dossiercheck.checks import registry
from dossiercheck.checks.rule import Rule, Severity

ROOT = Path(__file__).resolve().parents[1]
RULES_MD = ROOT.parent / "shared" / "domain" / "RULES.md"


def _catalogue_codes() -> dict[str, str]:
    if not RULES_MD.exists():
        pytest.skip("shared/domain/RULES.md not beside the checkout")
    rows = re.findall(r"^\| ([A-Z]{3}\d{3}) \| (error|warning|info) \|", RULES_MD.read_text("utf-8"), re.M)
    return dict(rows)


def test_no_rule_module_left_off_its_package_list():
    missing = []
    for pkg in registry.PACKAGES:
        listed = {id(r) for r in pkg.RULES}
        modules = [pkg]
        if hasattr(pkg, "__path__"):
            modules += [importlib.import_module(f"{pkg.__name__}.{m.name}") for m in pkgutil.iter_modules(pkg.__path__)]
        for mod in modules:
            for name, obj in vars(mod).items():
                if isinstance(obj, Rule) and id(obj) not in listed:
                    missing.append(f"{mod.__name__}.{name}")
    assert not missing, f"rules defined but not listed in RULES: {missing}"


def test_metadata_is_complete():
    for r in registry.RULES:
        assert isinstance(r.severity, Severity)
        assert r.title_nl and r.title_en and r.hint_nl and r.hint_en and r.source and r.logic
        assert r.title_nl != r.title_en or r.title_nl.isupper(), f"{r.code}: English title is the Dutch one"
        assert re.search(r"\b00[0-4]\b|TABLES\.md|RULES\.md", r.source), f"{r.code}: source must cite a seed or spec"
        for key in r.config_keys:
            node = registry.PROGRAMME_CONFIG | __import__("dossiercheck.config", fromlist=["x"]).GENERAL
            for part in key.split("."):
                assert part in node, f"{r.code}: config key {key} has no default"
                node = node[part]


def test_severities_match_rules_md():
    want = _catalogue_codes()
    have = {r.code: r.severity.value for r in registry.RULES}
    wrong = {c: (have[c], want[c]) for c in have if c in want and have[c] != want[c]}
    assert not wrong, f"severity differs from RULES.md: {wrong}"
    unknown = sorted(set(have) - set(want))
    assert not unknown, f"codes not in RULES.md: {unknown}"


def test_every_catalogue_code_is_implemented():
    want = _catalogue_codes()
    missing = sorted(set(want) - {r.code for r in registry.RULES})
    assert not missing, f"not implemented yet: {missing}"


def test_duplicate_codes_are_refused(monkeypatch):
    class Fake:
        RULES = [registry.RULES[0]]

    monkeypatch.setattr(registry, "PACKAGES", registry.PACKAGES + (Fake,))
    with pytest.raises(ValueError, match="duplicate rule code"):
        registry._join()


def test_committed_catalogue_is_not_stale():
    committed = (ROOT / "docs" / "rules.md").read_text("utf-8")
    assert committed == render_markdown(), "docs/rules.md is stale: run `dossiercheck rules --markdown > docs/rules.md`"


def test_rule_metadata_is_checked_at_construction():
    with pytest.raises(ValueError, match="code must look like"):
        Rule(code="X1", severity=Severity.ERROR, needs={"lijnen": ()}, title_nl="a", title_en="b", hint_nl="c",
             hint_en="d", message_nl="e", message_en="f", source="000", logic="g", check=lambda ctx: None)
    with pytest.raises(ValueError, match="unknown column lijnen.nope"):
        Rule(code="GEN999", severity=Severity.ERROR, needs={"lijnen": ("nope",)}, title_nl="a", title_en="b",
             hint_nl="c", hint_en="d", message_nl="e", message_en="f", source="000", logic="g", check=lambda ctx: None)
