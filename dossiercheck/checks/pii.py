"""The one PII detector: personal data in free text (RULES.md "PII — personal data in free text").

Used by OUT008 and LBC014 (and reusable): a text holds personal data when it contains

- a Belgian **national number** (rijksregisternummer): 11 digits, plain or written
  ``YY.MM.DD-XXX.CC`` / with spaces, ``-`` or ``.`` between the groups, that pass DAT006's
  checksum (:func:`dossiercheck.schemas.rrn_valid`). An 11-digit cheque number is therefore not
  a national number unless it happens to pass the checksum;
- an **e-mail address**;
- a Belgian **phone number**: ``0`` followed by 8–9 more digits, or ``+32``/``0032`` followed by
  8–9 digits without the leading 0 (``+32 (0)475 ...`` is accepted too), with spaces, ``/``,
  ``.`` or ``-`` allowed between digit groups. Date-shaped tokens (``dd/mm/yyyy``,
  ``dd-mm-yyyy``, ``dd.mm.yyyy``, ``yyyy-mm-dd``; one-digit day/month too) are removed first, so
  a date is never a phone number;
- a **medical term** of ``privacy.medical_terms`` (whole words/phrases on normalised text, via
  :func:`dossiercheck.text.term_pattern`).

Findings name the *kinds* found, never the value itself: ``rijksregisternummer``,
``e-mailadres``, ``telefoonnummer``, ``medische term (autisme)`` (a medical term's name is not
personal data). :func:`kinds_en` translates labels to English. :func:`mask_pii` replaces national
numbers, e-mail addresses and phone numbers in a text by ``***`` (for reports).

Decisions where the catalogue leaves room:

- National form of a phone number: the digit after the leading ``0`` must be 1–9 (``00`` starts an
  international prefix, handled as ``0032``), so zero-padded identifiers such as ``0000123456``
  are not phone numbers.
- A phone number must be a whole run of digits: it may not continue with a digit directly or
  after ``.``, ``/``, ``-`` (``0475.12.34.56.78`` is a number of another shape), nor be preceded
  by one that way. A digit after a plain space starts a new token (``0475 12 34 56 2x per week``
  still holds a phone number). Separators are single (optionally padded by one space:
  ``0475 / 12 34 56``); a newline never joins groups.
- The national-number groups allow the separators the catalogue names (space, ``-``, ``.``).

Everything runs once per *distinct* text (as :func:`dossiercheck.text.map_unique` does) with compiled
regexes; rows sharing a text share its result. A vectorised pyarrow pass first rules out the
texts that cannot hold any kind (no ``@``, no run of 9+ digits, no medical term as a substring),
so only the few remaining texts reach the Python detector.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterable

import numpy as np
import pandas as pd

from dossiercheck.schemas import rrn_valid
from dossiercheck.text import normalise, term_pattern

KIND_RRN = "rijksregisternummer"
KIND_EMAIL = "e-mailadres"
KIND_PHONE = "telefoonnummer"
KIND_MEDICAL = "medische term"

PII_KINDS_EN = {
    KIND_RRN: "national number",
    KIND_EMAIL: "e-mail address",
    KIND_PHONE: "phone number",
    KIND_MEDICAL: "medical term",
}

MASK = "***"

_EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")

_RSEP = r"[ .\-]?"
_RRN = re.compile(rf"(?<![+\d])(?<!\d[.\-])\d\d{_RSEP}\d\d{_RSEP}\d\d{_RSEP}\d{{3}}{_RSEP}\d\d(?!\d)(?![.\-/]\d)")

_DATE = re.compile(
    r"(?<!\d)(?:\d{1,2}/\d{1,2}/\d{4}|\d{1,2}-\d{1,2}-\d{4}|\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{1,2}-\d{1,2})(?!\d)"
)

_SP = r"[ \t\u00a0]"
_PSEP = rf"(?:{_SP}?[./\-]{_SP}?|{_SP})?"
_PHONE = re.compile(
    r"(?<![\d+])(?<!\d[./\-])"
    rf"(?:0{_PSEP}[1-9]|(?:\+{_SP}?32|0032){_PSEP}(?:\(0\){_PSEP})?[1-9])"
    rf"(?:{_PSEP}\d){{7,8}}"
    r"(?!\d)(?![ \t\u00a0]?[./\-][ \t\u00a0]?\d)"
)

# What mask_pii can change, as one regex: an '@' (every e-mail address has one), or the shape of
# a national or phone number, i.e. _RRN and _PHONE without their lookarounds and with the
# shortest length. It is a superset: mask_pii finds its numbers in the text with e-mail addresses
# (and, for phone numbers, dates) blanked, and each such match is a run of digits and
# separators of the text itself, which this pattern matches too. A text it does not match is
# returned unchanged by mask_pii (tested on random texts), so the reports call mask_pii only for
# the texts it matches: a date or a klantnummer in a message no longer sends it to the detector.
_MAY_MASK = re.compile(
    rf"@|\d\d{_RSEP}\d\d{_RSEP}\d\d{_RSEP}\d{{3}}{_RSEP}\d\d"
    rf"|(?:0{_PSEP}[1-9]|(?:\+{_SP}?32|0032){_PSEP}(?:\(0\){_PSEP})?[1-9])(?:{_PSEP}\d){{7}}"
)


def may_mask(text: str) -> bool:
    """False when :func:`mask_pii` certainly returns ``text`` unchanged (a cheap pre-check)."""
    return _MAY_MASK.search(text) is not None


@functools.cache
def _may_mask_re2() -> str:
    """_MAY_MASK for RE2 (pyarrow). Python's ``\\d`` on text is a Unicode decimal digit by this
    Python's tables (which need not be RE2's): it becomes the class of exactly the characters
    ``re`` itself matches with ``\\d`` (found once, over every code point but the surrogates)."""
    every = np.r_[0:0xD800, 0xE000 : sys.maxunicode + 1].astype("<u4").tobytes().decode("utf-32-le")
    runs = [(m.start(), m.end() - 1) for m in re.finditer(r"\d+", every)]  # re's own \d
    skip = 0xE000 - 0xD800  # positions after the surrogates left out
    digit = "[" + "".join(
        f"\\x{{{a + (skip if a >= 0xD800 else 0):x}}}-\\x{{{b + (skip if b >= 0xD800 else 0):x}}}" for a, b in runs
    ) + "]"
    return _MAY_MASK.pattern.replace("\\d", digit).replace("\\u00a0", "\\x{a0}")


# from this many texts may_mask_many asks pyarrow (below, the Python regex text by text is faster)
MANY_FROM = 100


def may_mask_many(texts: list[str]) -> np.ndarray:
    """:func:`may_mask` of each text, in one vectorised pyarrow pass (20x faster than the Python
    regex on the messages of a large audit; equal to ``may_mask``, tested)."""
    if len(texts) >= MANY_FROM:  # fewer: pyarrow compiles the pattern on each call (about 1 ms)
        import pyarrow as pa

        try:
            arr = pa.array(texts, type=pa.large_string())
        except (pa.ArrowException, UnicodeEncodeError):  # e.g. a lone surrogate: one by one
            arr = None
        if arr is not None:
            return may_mask_arrow(arr).to_numpy(zero_copy_only=False).astype(bool)
    return np.fromiter((may_mask(t) for t in texts), dtype=bool, count=len(texts))


def may_mask_arrow(texts):
    """:func:`may_mask` of each text of an Arrow string array, as an Arrow boolean array (null
    where the text is missing)."""
    import pyarrow.compute as pc

    return pc.match_substring_regex(texts, _may_mask_re2())


_BLANK = "\x00"
_FOLD = re.compile(r"[\s_.\-]+")  # as dossiercheck.text.normalise folds separators


def _normalise_fast(text: str) -> str:
    """:func:`dossiercheck.text.normalise`, skipping accent stripping for ASCII text."""
    return _FOLD.sub(" ", text.casefold()).strip() if text.isascii() else normalise(text)


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with each span overwritten by NULs (same length, so positions stay valid)."""
    for a, b in spans:
        text = text[:a] + _BLANK * (b - a) + text[b:]
    return text


def pii_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of every national number, e-mail address and phone number in
    ``text`` (medical terms are not located: they are reported by name and never masked)."""
    if not text:
        return []
    spans: list[tuple[int, int, str]] = []
    emails = [(m.start(), m.end()) for m in _EMAIL.finditer(text)]
    spans += [(a, b, KIND_EMAIL) for a, b in emails]
    work = _blank(text, emails) if emails else text
    rrns = [(m.start(), m.end()) for m in _RRN.finditer(work) if rrn_valid(re.sub(r"\D", "", m.group()))]
    spans += [(a, b, KIND_RRN) for a, b in rrns]
    if rrns:
        work = _blank(work, rrns)
    dates = [(m.start(), m.end()) for m in _DATE.finditer(work)]
    if dates:
        work = _blank(work, dates)
    spans += [(m.start(), m.end(), KIND_PHONE) for m in _PHONE.finditer(work)]
    return sorted(spans)


def medical_kind(term: str) -> str:
    return f"{KIND_MEDICAL} ({term})"


def _detector(medical_terms: Iterable[str]):
    terms = [t for t in medical_terms if normalise(t)]
    pat = term_pattern(terms)
    spelled = {}
    for t in terms:
        spelled.setdefault(normalise(t), t)

    def detect(text: str) -> list[str]:
        text = str(text)
        spans = pii_spans(text)
        found = {k for _, _, k in spans}
        kinds = [k for k in (KIND_RRN, KIND_EMAIL, KIND_PHONE) if k in found]
        # Terms are looked for outside e-mail addresses (jan.diabetes@x.be names no condition).
        rest = _blank(text, [(a, b) for a, b, k in spans if k == KIND_EMAIL]) if KIND_EMAIL in found else text
        rest = rest.replace(_BLANK, " ")
        hits = sorted({spelled.get(h, h) for h in pat.findall(_normalise_fast(rest))}, key=normalise)
        return kinds + [medical_kind(h) for h in hits]

    return detect


def find_pii(texts: pd.Series, medical_terms: list[str]) -> pd.Series:
    """For each text, the list of kinds of personal data it holds (empty list when none).

    Aligned with ``texts`` (same index); missing texts give an empty list. Kinds are labels such
    as ``rijksregisternummer``, ``e-mailadres``, ``telefoonnummer``, ``medische term (autisme)``;
    never the value found. Works once per distinct text; rows with the same text share one list
    object (treat the lists as read-only).
    """
    codes, uniques = pd.factorize(texts.astype("string"), use_na_sentinel=True)
    detect = _detector(medical_terms)
    none: list[str] = []
    found = np.empty(len(uniques) + 1, dtype=object)
    found[:] = [none]
    cand = np.flatnonzero(_candidates(uniques, medical_terms))
    if len(cand):
        found[cand] = [detect(uniques[i]) for i in cand]
    return pd.Series(found[np.where(codes < 0, len(uniques), codes)], index=texts.index, dtype="object")


# Ruling texts out in one vectorised pass: a national or phone number needs at least 9 digits
# joined by separators (a phone number is ``0`` + 8 digits or more, a national number 11
# digits; ``+32 (0)475`` puts at most 4 separator characters between two digits), an e-mail
# address needs an ``@``, and a medical term, in a pure-ASCII text, is a substring of the
# lower-cased text with its separator runs folded (what normalise does to ASCII text).
# Non-ASCII texts (Unicode digits, accents) always go to the exact detector.
_PA_DIGITS = r"[0-9](?:[\t ./()\-]{0,4}[0-9]){8,}"


def _candidates(uniques, medical_terms: Iterable[str]) -> np.ndarray:
    """Per distinct text: True where it may hold personal data (the exact detector decides)."""
    if not len(uniques):
        return np.zeros(0, dtype=bool)
    import pyarrow as pa
    import pyarrow.compute as pc

    from dossiercheck.text import _FOLD_ASCII

    arr = pa.array(pd.array(uniques, dtype="string"))
    maybe = pc.invert(pc.string_is_ascii(arr))
    maybe = pc.or_(maybe, pc.match_substring(arr, "@"))
    maybe = pc.or_(maybe, pc.match_substring_regex(arr, _PA_DIGITS))
    terms = sorted({normalise(t) for t in medical_terms} - {""})
    if terms:
        sep = _FOLD_ASCII  # a space of a normalised term stands for any separator run
        alts = (sep.join(_re2_literal(w) for w in t.split(" ")) for t in terms)
        maybe = pc.or_(maybe, pc.match_substring_regex(arr, "(?i)(?:" + "|".join(alts) + ")"))
    return maybe.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)


def _re2_literal(word: str) -> str:
    """``word`` as a literal in an RE2 pattern (ASCII letters and digits as they are, anything
    else as a ``\\x{..}`` escape)."""
    return "".join(c if c.isascii() and c.isalnum() else "\\x{%x}" % ord(c) for c in word)


def has_pii(texts: pd.Series, medical_terms: list[str]) -> pd.Series:
    """Boolean mask: the text holds at least one kind of personal data."""
    return find_pii(texts, medical_terms).str.len().fillna(0).gt(0)


def kind_en(label: str) -> str:
    """English label of one kind: ``medische term (autisme)`` -> ``medical term (autisme)``."""
    if label.startswith(KIND_MEDICAL + " ("):
        return PII_KINDS_EN[KIND_MEDICAL] + label[len(KIND_MEDICAL) :]
    return PII_KINDS_EN.get(label, label)


def kinds_en(labels: Iterable[str]) -> list[str]:
    return [kind_en(k) for k in labels]


def kinds_en_series(kinds: pd.Series) -> pd.Series:
    """``find_pii`` output translated to English labels (same index). Rows sharing one list
    object (as ``find_pii`` returns them) are translated once."""
    arr = kinds.to_numpy(dtype=object)
    codes = pd.factorize(np.fromiter(map(id, arr), dtype="int64", count=len(arr)))[0]
    _, first = np.unique(codes, return_index=True)
    out = np.empty(len(first), dtype=object)
    out[:] = [kinds_en(arr[i]) if isinstance(arr[i], (list, tuple)) else [] for i in first]
    return pd.Series(out[codes] if len(arr) else out, index=kinds.index, dtype="object")


def mask_pii(text: str) -> str:
    """``text`` with every national number, e-mail address and phone number replaced by ``***``.

    Dates and medical terms are left as they are. ``None`` stays ``None``.
    """
    if text is None or (isinstance(text, float) and text != text) or text is pd.NA:
        return text
    text = str(text)
    spans = pii_spans(text)
    if not spans:
        return text
    out, pos = [], 0
    for a, b, _ in spans:
        if a < pos:
            continue
        out.append(text[pos:a])
        out.append(MASK)
        pos = b
    out.append(text[pos:])
    return "".join(out)


__all__ = [
    "KIND_EMAIL",
    "KIND_MEDICAL",
    "KIND_PHONE",
    "KIND_RRN",
    "MASK",
    "PII_KINDS_EN",
    "find_pii",
    "has_pii",
    "kind_en",
    "kinds_en",
    "kinds_en_series",
    "may_mask",
    "may_mask_many",
    "mask_pii",
    "medical_kind",
    "pii_spans",
]
