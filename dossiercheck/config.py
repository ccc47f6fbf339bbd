"""Configuration: the configurable values of RULES.md, with their defaults, and ``--config``.

Defaults are data. The general sections live here; each programme package adds its own section
through its ``CONFIG`` mapping (``dossiercheck.checks.<programme>.CONFIG``), joined by the
registry. A TOML file given with ``--config`` overrides any value; unknown keys and values of the
wrong type are refused (exit 2) so that a typo never silently leaves a default in force.
"""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from pathlib import Path
from typing import Any, ClassVar

from dossiercheck.errors import UserError

MEDICAL_TERMS = [
    "autisme",
    "ASS",
    "ADHD",
    "ADD",
    "depressie",
    "epilepsie",
    "diabetes",
    "dyslexie",
    "dyscalculie",
    "kanker",
    "psychose",
    "schizofrenie",
    "bipolair",
    "burn-out",
    "diagnose",
]

GENERAL: dict[str, Any] = {
    "privacy": {"medical_terms": MEDICAL_TERMS},
    "report": {"max_html_rows": 20000},
    "limits": {
        "max_file_mb": 1024,
        "max_uncompressed_mb": 4096,
        "max_cells": 200_000_000,
        "max_columns": 200,
        "max_cell_chars": 32767,
    },
}


# --- user-facing messages ---------------------------------------------------------------------
# One line each, Dutch by default and English with ``--lang en``, like the readers' InputError: a
# ConfigError carries a message key and its parameters and is rendered in the user's language.

MESSAGES: dict[str, dict[str, str]] = {
    "file_not_found": {
        "nl": "configuratiebestand niet gevonden: {file}",
        "en": "config file not found: {file}",
    },
    "file_unreadable": {
        "nl": "configuratiebestand {file} kan niet gelezen worden: {detail}",
        "en": "config file {file} cannot be read: {detail}",
    },
    "not_utf8": {
        "nl": "configuratiebestand {file} is geen UTF-8-tekst; bewaar het als UTF-8",
        "en": "config file {file} is not UTF-8 text; save it as UTF-8",
    },
    "not_toml": {
        "nl": "configuratiebestand {file} is geen geldige TOML: {detail}",
        "en": "config file {file} is not valid TOML: {detail}",
    },
    "unknown_setting": {
        "nl": "configuratie: onbekende instelling {path}",
        "en": "config: unknown setting {path}",
    },
    "expected_table": {
        "nl": "configuratie {path}: verwacht een tabel met instellingen ([{path}])",
        "en": "config {path}: expected a table of settings ([{path}])",
    },
    "expected_date": {
        "nl": "configuratie {path}: verwacht een datum (JJJJ-MM-DD), niet {value!r}",
        "en": "config {path}: expected a date (YYYY-MM-DD), got {value!r}",
    },
    "expected_bool": {
        "nl": "configuratie {path}: verwacht true of false, niet {value!r}",
        "en": "config {path}: expected true/false, got {value!r}",
    },
    "expected_int": {
        "nl": "configuratie {path}: verwacht een geheel getal, niet {value!r}",
        "en": "config {path}: expected a whole number, got {value!r}",
    },
    "expected_number": {
        "nl": "configuratie {path}: verwacht een getal, niet {value!r}",
        "en": "config {path}: expected a number, got {value!r}",
    },
    "expected_list": {
        "nl": "configuratie {path}: verwacht een lijst, niet {value!r}",
        "en": "config {path}: expected a list, got {value!r}",
    },
    "expected_text": {
        "nl": "configuratie {path}: verwacht tekst, niet {value!r}",
        "en": "config {path}: expected text, got {value!r}",
    },
}


class ConfigError(UserError, ValueError):
    """A config (or waivers, or history) file that cannot be used (see
    :class:`dossiercheck.errors.UserError`); subclasses bring their own messages
    (:class:`dossiercheck.waivers.WaiverError`, :class:`dossiercheck.history.store.HistoryError`)."""

    MESSAGES: ClassVar[dict[str, dict[str, str]]] = MESSAGES


def defaults() -> dict[str, Any]:
    from dossiercheck.checks.registry import PROGRAMME_CONFIG

    out = copy.deepcopy(GENERAL)
    for section, values in PROGRAMME_CONFIG.items():
        out.setdefault(section, {}).update(copy.deepcopy(values))
    return out


def _coerce(path: str, default: Any, value: Any) -> Any:
    if isinstance(default, dt.date) and not isinstance(default, dt.datetime):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise ConfigError("expected_date", path=path, value=value)
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        raise ConfigError("expected_bool", path=path, value=value)
    if isinstance(default, int) and not isinstance(default, bool):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ConfigError("expected_int", path=path, value=value)
    if isinstance(default, float):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise ConfigError("expected_number", path=path, value=value)
    if isinstance(default, list):
        if isinstance(value, list):
            return value
        raise ConfigError("expected_list", path=path, value=value)
    if isinstance(default, str):
        if isinstance(value, str):
            return value
        raise ConfigError("expected_text", path=path, value=value)
    return value


def merge(base: dict[str, Any], override: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        path = f"{prefix}{key}"
        if key not in out:
            raise ConfigError("unknown_setting", path=path)
        if isinstance(out[key], dict):
            if not isinstance(value, dict):
                raise ConfigError("expected_table", path=path)
            # Free-form tables (a mapping of codes) accept new keys; settings tables do not.
            if out[key].get("__open__"):
                merged = dict(out[key])
                merged.update(value)
                out[key] = merged
            else:
                out[key] = merge(out[key], value, prefix=f"{path}.")
        else:
            out[key] = _coerce(path, out[key], value)
    return out


def load(path: str | Path | None) -> dict[str, Any]:
    """Defaults, overridden by the TOML file at ``path`` when given."""
    base = defaults()
    if path is None:
        return base
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError("file_not_found", file=p) from None
    except UnicodeDecodeError:
        raise ConfigError("not_utf8", file=p) from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError("not_toml", file=p, detail=e) from None
    except OSError as e:
        raise ConfigError("file_unreadable", file=p, detail=e.strerror) from None
    return merge(base, data)


def to_jsonable(cfg: Any) -> Any:
    if isinstance(cfg, dict):
        return {k: to_jsonable(v) for k, v in cfg.items() if k != "__open__"}
    if isinstance(cfg, list):
        return [to_jsonable(v) for v in cfg]
    if isinstance(cfg, (dt.date, dt.datetime)):
        return cfg.isoformat()
    return cfg
