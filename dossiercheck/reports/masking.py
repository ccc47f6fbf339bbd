"""Personal data masked in findings.json, as the HTML and Excel reports mask it.

Every text that comes from the input (finding messages and their details, raw klant- and
chequenummers, organisation, file and sheet names, header texts, notes, waiver and history texts)
goes through :func:`dossiercheck.checks.pii.mask_pii` before it is written: national numbers,
e-mail addresses and phone numbers become ``***``. Values the tool itself makes are kept exact:
fingerprints (hex: an 11-digit run in one could pass the national-number check), rule codes,
dates, the configuration, and klant/chequenummers of their valid shape (the keys users look a
client up by; 7-10 digits cannot be a national number).

The in-memory payload is not changed: fingerprints, history and waivers work on the raw values.

Speed (100,000 findings): the payload is walked column by column, not value by value. The values
found under one key in a list of dicts (every finding's ``message``, every ``details`` dict, ...)
are handled as one list: the texts of a list are masked once per *distinct* text, and the
exact pre-check of :mod:`dossiercheck.checks.pii` (``may_mask``: an ``@`` or the shape of a
national or phone number) rules out the texts ``mask_pii`` would return unchanged, so only the
few others reach :func:`~dossiercheck.checks.pii.mask_pii`; the memo and pre-checks are the
reports' own (:class:`dossiercheck.reports.viewmodel.Masker`). Containers in which nothing
changed are shared with the payload rather than copied (the result is only read, then encoded).
"""

from __future__ import annotations

import re

from dossiercheck.forking import collector_paused
from dossiercheck.reports import viewmodel as vm
from dossiercheck.reports.viewmodel import CHEQUE_RE, KLANT_RE

# keys whose values the tool makes (kept as they are, with everything below them)
KEEP = frozenset({
    "tool", "version", "peildatum", "config", "rules", "rule", "code", "severity", "table", "fingerprint",
    "fingerprints", "first_seen", "recorded_at", "status", "rows_per_table", "trend", "lang",
    "row", "rows", "header_row",  # row numbers (a finding's, its sources', an input's header row; row counts)
})
# For a masker other than the PII module's own: a text with no '@' and no run of 8 digits (with
# separators) is not passed to it. The PII module's mask_pii has an exact pre-check of its own
# (dossiercheck.checks.pii._MAY_MASK, which also sees a tab between the groups of a phone number).
_MAYBE = re.compile(r"@|\d(?:[ \t./\-()+\u00a0]{0,3}\d){7}")
_SHAPE = {"klantnummer": KLANT_RE, "chequenummer": CHEQUE_RE}
# the valid shapes of _SHAPE in ASCII digits only, for RE2 (each a subset of its Python pattern)
_ASCII_SHAPE = {"klantnummer": "^[0-9]{7,10}$", "chequenummer": "^[0-9]{11}$"}
_ARROW_FROM = 1000  # from this many values a column of texts is masked through Arrow (_arrow_candidates)


def _any_sub(types: set, base: type) -> bool:
    return any(issubclass(t, base) for t in types)


class _Masker:
    """Masks lists of values that share one key (see the module doc)."""

    def __init__(self) -> None:
        self.masker = vm.make_masker()  # its fn is None without a PII module: nothing to mask

    # -- texts

    def texts(self, vals: list, key: str | None) -> list:
        """``vals`` (texts and other scalars) with every text masked; ``vals`` itself when none changes."""
        m = self.masker
        if m.fn is None:
            return vals
        cand = self._arrow_candidates(vals, key) if m.arrow is not None and len(vals) >= _ARROW_FROM else None
        if cand is not None:
            changed = {}
            for v in cand:
                out = m(v)
                if out is not v and out != v:
                    changed[v] = out
        else:
            uniq = {v for v in set(vals) if isinstance(v, str)}
            shape = _SHAPE.get(key)
            if shape is not None:
                uniq = {v for v in uniq if not shape.fullmatch(v)}
            if not uniq:
                return vals
            cache = m.cache
            todo = [v for v in uniq if v not in cache]
            if todo:
                m.prime(todo)  # the PII module's own mask_pii: its exact pre-check, in one batch
                for v in todo:
                    if v in cache:
                        continue
                    # another masker gets only the texts the coarse pre-check lets through
                    cache[v] = v if m.batch is None and not _MAYBE.search(v) else m(v)
            changed = {v: cache[v] for v in uniq if cache[v] is not v and cache[v] != v}
        if not changed:
            return vals
        get = changed.get
        return [get(v, v) if isinstance(v, str) else v for v in vals]

    def _arrow_candidates(self, vals: list, key: str | None) -> list | None:
        """For :meth:`texts`, a column of texts (and None) as one Arrow array: its distinct texts
        and the PII module's exact pre-check on them run in pyarrow, and only the texts the
        pre-check lets through (keys of their valid shape left out) are returned, to be masked in
        Python (the benchmark's 96,525 messages: 0.2 s -> 0.1 s, their klantnummers 0.16 s ->
        0.05 s). None when the column holds anything else (numbers, a lone surrogate)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            arr = pa.array(vals, type=pa.large_string())
        except (pa.ArrowException, UnicodeEncodeError):
            return None
        uniq = arr.unique()
        flag = self.masker.arrow(uniq)
        shape = _SHAPE.get(key)
        if shape is not None:  # keys of their valid shape are kept; in ASCII digits that is decided here
            flag = pc.and_(flag, pc.invert(pc.match_substring_regex(uniq, _ASCII_SHAPE[key])))
        cand = uniq.filter(flag).to_pylist()
        if shape is not None:  # the rest by the shape itself (Python's \d is every Unicode digit)
            cand = [v for v in cand if not shape.fullmatch(v)]
        return cand

    # -- any values

    def values(self, vals: list, key: str | None) -> list:
        """``vals`` (any JSON values found under ``key``) masked; ``vals`` itself when none changes."""
        types = set(map(type, vals))
        if types <= {str, type(None), int, float, bool}:
            return self.texts(vals, key)
        out = None
        dict_i = [i for i, v in enumerate(vals) if isinstance(v, dict)] if _any_sub(types, dict) else []
        list_i = [i for i, v in enumerate(vals) if isinstance(v, list)] if _any_sub(types, list) else []
        str_i = [i for i, v in enumerate(vals) if isinstance(v, str)] if _any_sub(types, str) else []
        if str_i:
            got = self.texts([vals[i] for i in str_i], key)
            out = self._put(vals, out, str_i, got, [vals[i] for i in str_i])
        if dict_i:
            sub = [vals[i] for i in dict_i]
            got = self.dicts(sub)
            out = self._put(vals, out, dict_i, got, sub)
        if list_i:
            lists = [vals[i] for i in list_i]
            flat = [x for lst in lists for x in lst]
            got = self.values(flat, key)
            if got is not flat:
                rebuilt, pos = [], 0
                for lst in lists:
                    n = len(lst)
                    part = got[pos : pos + n]
                    rebuilt.append(part if any(a is not b for a, b in zip(part, lst)) else lst)
                    pos += n
                out = self._put(vals, out, list_i, rebuilt, lists)
        return vals if out is None else out

    @staticmethod
    def _put(vals: list, out: list | None, idx: list[int], got: list, old: list) -> list | None:
        if got is old:
            return out
        if out is None:
            out = list(vals)
        for i, v in zip(idx, got):
            out[i] = v
        return out

    def dicts(self, dicts: list[dict]) -> list[dict]:
        """Each dict with its values masked (keys of KEEP as they are); unchanged dicts are shared."""
        groups: dict[tuple, list[int]] = {}
        for i, d in enumerate(dicts):
            groups.setdefault(tuple(d), []).append(i)
        out = None
        for keys, idx in groups.items():
            sub = dicts if len(groups) == 1 else [dicts[i] for i in idx]
            cols = list(zip(*(d.values() for d in sub))) if keys else []
            new_cols, rows = [], set()
            for k, col in zip(keys, cols):
                col = list(col)
                got = col if k in KEEP else self.values(col, k)
                if got is not col:
                    rows.update(j for j, (a, b) in enumerate(zip(got, col)) if a is not b)
                new_cols.append(got)
            if not rows:
                continue
            if out is None:
                out = list(dicts)
            for j in sorted(rows):
                out[idx[j]] = dict(zip(keys, [c[j] for c in new_cols]))
        return dicts if out is None else out


def mask_payload(payload: dict) -> dict:
    """``payload`` with personal data masked in every input-derived text.

    The payload is not changed; the result shares the parts in which nothing was masked."""
    # The walk makes short-lived tuples by the million; with a big heap the cyclic collector
    # would scan it again and again (half the time at 100,000 findings). Nothing here is cyclic.
    with collector_paused():
        return _Masker().dicts([payload])[0]


def mask_texts(texts: list, key: str | None = None) -> list:
    """``texts`` masked as :func:`mask_payload` masks the texts under ``key``."""
    return _Masker().texts(texts, key)


__all__ = ["KEEP", "mask_payload", "mask_texts"]
