"""Errors the user can fix: the CLI prints them as one line (Dutch by default, English with
``--lang en``) and exits 2. Each carries a message key of its class's ``MESSAGES`` (``{key: {"nl":
..., "en": ...}}``) and the parameters of that message; ``str(e)`` is the Dutch line."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar


def one_line(value: object) -> object:
    """A text parameter as one line (a file name or a library message may hold a line break);
    other values are kept as they are, for ``{value!r}``."""
    if isinstance(value, (str, Path, BaseException)):
        return " ".join(str(value).split())
    return value


class UserError(Exception):
    """Base of InputError, ConfigError (with WaiverError, HistoryError) and the CLI's
    UsageFailure; subclasses set :attr:`MESSAGES` and may add parameters in :meth:`_params`."""

    MESSAGES: ClassVar[dict[str, dict[str, str]]] = {}

    def __init__(self, key: str, /, **params: object):
        if key not in self.MESSAGES:
            raise KeyError(f"unknown {type(self).__name__} message {key!r}")
        self.key = key
        self.params = params
        super().__init__(key)

    def _params(self, lang: str) -> dict[str, object]:
        """The parameters for the message; subclasses add language-dependent ones."""
        return {k: one_line(v) for k, v in self.params.items()}

    def render(self, lang: str = "nl") -> str:
        lang = lang if lang in ("nl", "en") else "nl"
        return self.MESSAGES[self.key][lang].format_map(self._params(lang))

    def __str__(self) -> str:
        return self.render("nl")
