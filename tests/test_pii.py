"""The PII detector (dossiercheck.checks.pii): true and false positives."""

from __future__ import annotations

import pandas as pd
import pytest

from dossiercheck.checks.pii import (
    KIND_EMAIL,
    KIND_PHONE,
    KIND_RRN,
    PII_KINDS_EN,
    find_pii,
    kind_en,
    kinds_en,
    kinds_en_series,
    mask_pii,
    medical_kind,
)
from dossiercheck.config import MEDICAL_TERMS
from dossiercheck.schemas import rrn_valid

# Invented national numbers that pass the DAT006 checksum (one born before, one after 2000).
RRN_OLD = "85073003328"
RRN_NEW = "01020345603"  # 2000+ rule: 97 - (2010203456 mod 97) = 3


def kinds(text: str | None, terms=MEDICAL_TERMS) -> list[str]:
    return find_pii(pd.Series([text], dtype="object"), terms).iloc[0]


def test_fixture_numbers_are_valid():
    assert rrn_valid(RRN_OLD) and rrn_valid(RRN_NEW)
    assert not rrn_valid("85073003329")


@pytest.mark.parametrize(
    "text",
    [
        f"rrn {RRN_OLD}",
        "klant 85.07.30-033.28 gebeld",
        "85 07 30 033 28",
        "85-07-30-033-28",
        "85.07.30.033.28",
        f"geboren 2001, {RRN_NEW}",
        "01.02.03-456.03",
    ],
)
def test_national_number_found(text):
    assert kinds(text) == [KIND_RRN]


@pytest.mark.parametrize(
    "text",
    [
        "cheque 00007788152",  # 11 digits, checksum fails: a cheque number
        "85.07.30-033.29",  # checksum fails
        "850730033281",  # 12 digits
        "+85073003328",  # preceded by + : not a national number
    ],
)
def test_national_number_false_positives(text):
    assert KIND_RRN not in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "mail naar jan.peeters@telenet.be a.u.b.",
        "An_De-Smet+lbc@mail.example.org",
        "contact: X.Y@sub.domein.be.",
    ],
)
def test_email_found(text):
    assert kinds(text) == [KIND_EMAIL]


@pytest.mark.parametrize("text", ["bereikbaar @ thuis", "jan@localhost", "mail@", "a @b.be"])
def test_email_false_positives(text):
    assert KIND_EMAIL not in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "tel 0475 12 34 56",
        "0475123456",
        "09 123 45 67",
        "09/123.45.67",
        "050/12.34.56",
        "0475 / 12 34 56",
        "03-123-45-67",
        "+32 475 12 34 56",
        "+32475123456",
        "+32 9 123 45 67",
        "0032 9 123 45 67",
        "0032475123456",
        "+32 (0)475 12 34 56",
        "bel 0475123456 om 14u",
        "bel 0475 12 34 56 2x per week",
        "gsm: 0475.12.34.56.",
        "091234567",  # 0 followed by 8 digits (landline length)
        "+32 0475 12 34 56",  # wrongly keeps the 0 after +32: the national form still matches
    ],
)
def test_phone_found(text):
    assert kinds(text) == [KIND_PHONE]


@pytest.mark.parametrize(
    "text",
    [
        "gesprek op 12/03/2025",
        "gesprek op 12-03-2025",
        "gesprek op 12.03.2025",
        "gesprek op 2025-03-12",
        "van 01/02/2025 tot 02/02/2025",
        "1/2/2025 en 3.4.2025",
        "0000123456",  # zero-padded id: 00 is no national prefix
        "cheque 00007788152",
        "IBAN BE68 5390 0754 7034",
        "0475 12 34",  # too short
        "04751234567",  # too long (0 + 10)
        "0475.12.34.56.78",  # a longer dotted number is not a phone number
        "waarde 123,10 euro, 2 uur, 09:30",
        "postcode 9000 Gent",
    ],
)
def test_phone_false_positives(text):
    got = kinds(text)
    assert KIND_PHONE not in got, got


def test_date_next_to_phone():
    assert kinds("op 12/03/2025 0475 12 34 56 gebeld") == [KIND_PHONE]
    assert kinds("op 12/03/2025 gebeld") == []


def test_medical_terms_whole_words():
    assert kinds("Klant heeft een burn-out.") == [medical_kind("burn-out")]
    assert kinds("burn out en Autisme") == [medical_kind("autisme"), medical_kind("burn-out")]
    assert kinds("ASS vastgesteld") == [medical_kind("ASS")]
    assert kinds("in de klas passend werk gezocht, assertief") == []
    assert kinds("diagnoses") == []  # whole words only
    assert kinds("Depressie", ["depressie"]) == [medical_kind("depressie")]
    assert kinds("depressie", []) == []


def test_medical_term_inside_email_is_only_an_email():
    assert kinds("mail diabetes@liga.be") == [KIND_EMAIL]


def test_several_kinds_in_fixed_order_without_values():
    text = f"rrn {RRN_OLD}, mail jan@x.be, gsm 0475 12 34 56, autisme"
    got = kinds(text)
    assert got == [KIND_RRN, KIND_EMAIL, KIND_PHONE, medical_kind("autisme")]
    assert not any(RRN_OLD in k or "0475" in k or "jan@" in k for k in got)


def test_series_alignment_missing_and_distinct():
    s = pd.Series(["jan@x.be", None, "", "niets", "jan@x.be", pd.NA], index=[10, 5, 7, 3, 2, 1], dtype="object")
    out = find_pii(s, MEDICAL_TERMS)
    assert list(out.index) == [10, 5, 7, 3, 2, 1]
    assert out.tolist() == [[KIND_EMAIL], [], [], [], [KIND_EMAIL], []]
    assert find_pii(pd.Series([], dtype="object"), MEDICAL_TERMS).tolist() == []
    # string dtype input works as well
    assert find_pii(pd.Series(["0475123456"], dtype="string"), []).tolist() == [[KIND_PHONE]]


@pytest.mark.parametrize("text", ["Burn-Out  bij_klant. ", "a.b-c_d  e", "Dépressie en ÉPILEPSIE", "x\ty\nz", ""])
def test_fast_normalisation_matches_text_normalise(text):
    from dossiercheck.checks.pii import _normalise_fast
    from dossiercheck.text import normalise

    assert _normalise_fast(text) == normalise(text)


def test_english_labels():
    assert set(PII_KINDS_EN) >= {KIND_RRN, KIND_EMAIL, KIND_PHONE}
    assert kind_en(KIND_RRN) == "national number"
    assert kind_en(medical_kind("autisme")) == "medical term (autisme)"
    assert kinds_en([KIND_EMAIL, KIND_PHONE]) == ["e-mail address", "phone number"]
    s = pd.Series([[KIND_EMAIL], []], index=[4, 9])
    assert kinds_en_series(s).tolist() == [["e-mail address"], []]


def test_mask_pii():
    text = f"Klant {RRN_OLD} (85.07.30-033.28) mailt jan.peeters@telenet.be of belt 0475/12.34.56 op 12/03/2025 over autisme."
    masked = mask_pii(text)
    assert masked == "Klant *** (***) mailt *** of belt *** op 12/03/2025 over autisme."
    assert mask_pii("cheque 00007788152 op 2025-03-12") == "cheque 00007788152 op 2025-03-12"
    assert mask_pii("+32 (0)475 12 34 56 of 0032 9 123 45 67") == "*** of ***"
    assert mask_pii(None) is None
    assert mask_pii("") == ""


def test_eleven_digits_that_pass_the_checksum_are_a_national_number_whatever_the_label():
    # "an 11-digit cheque number is not a national number unless it passes the checksum"
    assert kinds(f"cheque {RRN_OLD}") == [KIND_RRN]
    assert kinds(f"chequenummer {RRN_NEW}") == [KIND_RRN]
    assert kinds("chequenummer 00007788152") == []


def test_medical_terms_from_the_config_with_separators_accents_and_punctuation():
    terms = ["burn-out", "Dr. X", "c++", "Dépressie"]
    assert kinds("na zijn burn--out", terms) == [medical_kind("burn-out")]
    assert kinds("BURN_OUT", terms) == [medical_kind("burn-out")]
    assert kinds("depressie", terms) == [medical_kind("Dépressie")]
    assert kinds("dépressie", terms) == [medical_kind("Dépressie")]
    assert kinds("verwezen naar dr x", terms) == [medical_kind("Dr. X")]
    assert kinds("burnout", terms) == []


def test_unicode_digits_are_left_to_the_exact_detector():
    # the vectorised pre-filter only rules out pure-ASCII texts
    text = "".join(chr(0x0660 + int(d)) for d in "0475123456")  # Arabic-Indic digits
    from dossiercheck.checks.pii import _detector

    assert kinds(text) == _detector(MEDICAL_TERMS)(text)


def test_prefilter_never_changes_the_result():
    """find_pii rules texts out with a vectorised pass first; on random texts built from the
    pieces personal data is made of, it must agree with the exact detector everywhere."""
    import random

    from dossiercheck.checks.pii import _detector

    rng = random.Random(7)
    pieces = list("0123456789 ./-()+@\t_aeBxc\n") + [
        "32", "0475", "depressie", "burn", "-out", "ASS", "klas", "é", "85.07.30-033.28", "jan@x.be",
        "\u00a0", "\u0663", "c++", "dr. x", "\x1c", "\x0b", RRN_NEW,
    ]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 25))) for _ in range(5000)]
    for terms in (MEDICAL_TERMS, ["c++", "Dr. X", "één", "x (y)"], []):
        detect = _detector(terms)
        got = find_pii(pd.Series(texts, dtype="object"), terms).tolist()
        assert got == [detect(t) for t in texts]


def test_may_mask_pre_check_never_skips_a_text_mask_pii_changes():
    """The reports call mask_pii only where may_mask says it may change the text: on random texts
    built from the pieces personal data is made of (separators, tabs, no-break spaces, Unicode
    digits, dates beside numbers, e-mail addresses), every text mask_pii changes passes it."""
    import random

    from dossiercheck.checks.pii import may_mask

    rng = random.Random(11)
    pieces = list("0123456789 ./-()+@\t_aex\n") + [
        "32", "+32", "0032", "(0)", "0475", "04", "85.07.30-033.28", "jan@x.be", "\u00a0", "\u0663", "\u0967",
        "12/03/2024", "2024-03-12", "01.02.2024", " / ", RRN_NEW, RRN_OLD, "é",
    ]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(20000)]
    changed = [t for t in texts if mask_pii(t) != t]
    assert len(changed) > 1000, "the generator makes plenty of texts with something to mask"
    assert [t for t in changed if not may_mask(t)] == []
    # the vectorised form (pyarrow for ASCII texts, Python for the others) agrees everywhere
    from dossiercheck.checks.pii import may_mask_many

    odd = ["", "\u0663" * 11, "0\u0664" + "5" * 8, "bad \ud800 0475123456", "é 0475 12 34 56", "0475\xa012\xa034\xa056"]
    assert may_mask_many(texts + odd).tolist() == [may_mask(t) for t in texts + odd]
    assert may_mask_many(odd + texts[:50]).tolist() == [may_mask(t) for t in odd + texts[:50]]  # few: by Python
    assert may_mask_many([]).tolist() == []
    # and it does rule out what the reports are full of: dates, klantnummers, short codes
    for text in ("Lijn gestart op 28/12/2023, peildatum 05/06/2025", "klant 61020760 (2024-03-12)", "TIBB4 001"):
        assert not may_mask(text) and mask_pii(text) == text
    for text in ("bel 0475\t12\t34\t56", "+32 (0)475 12 34 56", f"rrn {RRN_OLD}", "a@b"):
        assert may_mask(text)


def test_may_mask_digit_class_for_re2_is_pythons_digit():
    """may_mask_many runs _MAY_MASK in RE2 with Python's \\d spelled out as a class: over every
    code point (but the surrogates) RE2 matches a character with it exactly when Python's re
    matches it with \\d."""
    import re

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from dossiercheck.checks.pii import _may_mask_re2

    digit = _may_mask_re2().split("|", 2)[1].split("]", 1)[0] + "]"
    codes = np.r_[0:0xD800, 0xE000:0x110000]
    chars = [chr(c) for c in codes]
    got = pc.match_substring_regex(pa.array(chars), f"^{digit}$").to_numpy(zero_copy_only=False)
    want = np.array([re.fullmatch(r"\d", c) is not None for c in chars])
    assert want.sum() > 600 and (got == want).all()
