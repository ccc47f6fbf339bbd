"""Property-based tests (hypothesis) for the cell parsers and the PII detector: on any text they
never raise, and what they accept round-trips (the canonical form of a parsed value parses back
to the same value; every way of writing a value that TABLES.md allows parses to it)."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from dossiercheck.checks.pii import (
    KIND_EMAIL,
    KIND_PHONE,
    KIND_RRN,
    MASK,
    find_pii,
    mask_pii,
    pii_spans,
)
from dossiercheck.config import MEDICAL_TERMS
from dossiercheck.parsing import (
    EXCEL_EPOCH,
    SERIAL_MAX,
    SERIAL_MIN,
    parse_chequenummer,
    parse_date,
    parse_duration,
    parse_klantnummer,
    parse_money,
)
from dossiercheck.schemas import rrn_valid

settings.register_profile("dossiercheck", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("dossiercheck")

# Any text a cell may hold: every Unicode character, with the ones parsers care about made likely.
cell_text = st.one_of(
    st.text(),
    st.text(alphabet="0123456789/-.:,; uUhHmin€eurEUR+()@\t\n\u00a0", max_size=40),
    st.from_regex(r"\A[0-9 ./\-]{1,30}\Z"),
)

PARSERS = [parse_date, parse_duration, parse_money, parse_klantnummer, parse_chequenummer]


def _never_raises(fn, text):
    value, error = fn(text)
    assert (value is None) != (error is None) or (value is not None and error is None)
    if error is not None:
        code, reason = error
        assert re.fullmatch(r"DAT00\d", code) and isinstance(reason, str)
    return value, error


# --- dates ----------------------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))


@given(cell_text)
@example("31/02/2024")
@example("02/11/15")
@example("0/0/0000")
@example("1/1/" + "9" * 500)
def test_parse_date_never_raises(text):
    value, error = _never_raises(parse_date, text)
    if value is not None:  # what it accepts round-trips through the canonical dd/mm/yyyy
        assert parse_date(f"{value.day:02d}/{value.month:02d}/{value.year:04d}") == (value, None)


@given(dates, st.sampled_from(["/", "-", "."]), st.booleans(),
       st.sampled_from(["", " 09:00", " 9:05:33", " om 23:27", "T10:00"]))
def test_every_allowed_date_form_parses_to_its_date(d, sep, pad, time):
    day, month = (f"{d.day:02d}", f"{d.month:02d}") if pad else (str(d.day), str(d.month))
    if time != "T10:00":
        assert parse_date(f"{day}{sep}{month}{sep}{d.year:04d}{time}") == (d, None)
    iso_time = "" if time in ("", " om 23:27") else time
    assert parse_date(f"{d.year:04d}-{d.month:02d}-{d.day:02d}{iso_time}") == (d, None)


@given(dates)
def test_two_digit_year_is_refused_never_guessed(d):
    assert parse_date(f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}") == (None, ("DAT002", "two_digit_year"))


@given(st.integers(SERIAL_MIN, SERIAL_MAX), st.sampled_from(["", ".0", ".5"]))
def test_excel_serial_dates(n, frac):
    assert parse_date(f"{n}{frac}") == (EXCEL_EPOCH + dt.timedelta(days=n), None)


@given(st.integers(1, 31), st.integers(1, 12), st.integers(1000, 9999))
def test_impossible_dates_are_findings(day, month, year):
    try:
        real = dt.date(year, month, day)
    except ValueError:
        real = None
    got = parse_date(f"{day:02d}/{month:02d}/{year}")
    assert got == ((real, None) if real else (None, ("DAT002", "impossible_date")))


# --- durations ------------------------------------------------------------------------------------


def _positional(v: float) -> str:
    return np.format_float_positional(v, trim="-")


@given(cell_text)
@example("9" * 400)
@example("9" * 400 + " u")
@example("9" * 400 + "u30")
@example("9" * 5000 + " u 30")
def test_parse_duration_never_raises_and_round_trips(text):
    value, _ = _never_raises(parse_duration, text)
    if value is not None:
        assert np.isfinite(float(value)) and value >= 0
        assert parse_duration(_positional(value)) == (value, None)


@given(st.integers(0, 100_000))
def test_every_allowed_duration_form(minutes):
    h, m = divmod(minutes, 60)
    forms = [str(minutes), f"{minutes} min", f"{minutes} minuten", f"{h}u{m:02d}", f"{h} u {m}"]
    if h < 1000:  # the clock form has up to three hour digits
        forms += [f"{h}:{m:02d}", f"{h:02d}:{m:02d}"]
    if m == 0:
        forms += [f"{h} uur", f"{h}u", f"{h} h"]
    if m == 30:
        forms += [f"{h},5 u", f"{h}.5 h", f"{h},5 uur"]
    for f in forms:
        assert parse_duration(f) == (minutes, None), f


# --- money ----------------------------------------------------------------------------------------


@given(cell_text)
@example("9" * 400)
@example("€ " + "9" * 400 + ",00")
@example("0.0010")
@example("1,001")
def test_parse_money_never_raises_and_round_trips(text):
    """The canonical form of an amount has a decimal comma (TABLES.md: the dot groups thousands,
    so ``1.001`` is one thousand and one)."""
    value, _ = _never_raises(parse_money, text)
    if value is not None:
        assert np.isfinite(value)
        assert parse_money(_positional(value).replace(".", ",")) == (value, None)


@given(st.integers(-10**9, 10**9), st.integers(0, 99))
def test_every_allowed_money_form(euros, cents):
    sign = "-" if euros < 0 else ""
    e = abs(euros)
    value = (e + cents / 100) * (-1 if euros < 0 else 1)
    belgian_thousands = f"{e:,}".replace(",", ".")
    forms = [f"{sign}{e},{cents:02d}", f"€ {sign}{e},{cents:02d}", f"{sign}{belgian_thousands},{cents:02d}",
             f"{sign}{e}.{cents:02d}", f"{sign}{e},{cents:02d} EUR", f"{sign}{belgian_thousands},{cents:02d}\u00a0€"]
    for f in forms:
        got, err = parse_money(f)
        assert err is None and abs(got - value) < 1e-6, f
    assert parse_money(f"{sign}{e}") == (float(euros) if e or not sign else 0.0, None)


# --- klantnummer, chequenummer --------------------------------------------------------------------


@given(cell_text)
def test_parse_klantnummer_never_raises_and_is_idempotent(text):
    value, _ = _never_raises(parse_klantnummer, text)
    if value is not None:
        assert re.fullmatch(r"[0-9]{7,10}", value)
        assert parse_klantnummer(value) == (value, None)


@given(st.from_regex(r"\A[0-9]{7,10}\Z"), st.sampled_from(["", ".0", ".00"]), st.sampled_from(["", " ", "\t"]))
def test_klantnummer_forms(digits, suffix, space):
    assert parse_klantnummer(f"{space}{digits}{suffix}{space}") == (digits, None)


@given(st.from_regex(r"\A[0-9]*[A-Za-z/\-][0-9A-Za-z/\-]*\Z"))
def test_klantnummer_with_letters_or_separators_is_refused(text):
    assert parse_klantnummer(text) == (None, ("DAT004", "bad_klantnummer"))


@given(cell_text)
def test_parse_chequenummer_never_raises_and_is_idempotent(text):
    value, _ = _never_raises(parse_chequenummer, text)
    if value is not None:
        assert re.fullmatch(r"[0-9]{11}", value)
        assert parse_chequenummer(value) == (value, None)


@given(st.from_regex(r"\A[0-9]{1,11}\Z"), st.lists(st.sampled_from([" ", "/", "-", "."]), max_size=4), st.data())
def test_chequenummer_separators_and_lost_zeros(digits, seps, data):
    text = digits
    for sep in seps:
        i = data.draw(st.integers(1, max(1, len(text) - 1)))
        text = text[:i] + sep + text[i:]
    assume(not re.fullmatch(r".*\.0+", text))  # "123.0" is a numeric cell: its integer digits
    assert parse_chequenummer(text) == (digits.zfill(11), None)


# --- national number ------------------------------------------------------------------------------


@st.composite
def national_numbers(draw) -> str:
    """A valid Belgian national number (11 digits): born before or from 2000."""
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
    serial = draw(st.integers(1, 998))
    base = f"{born.year % 100:02d}{born.month:02d}{born.day:02d}{serial:03d}"
    number = int(("2" if born.year >= 2000 else "") + base)
    return f"{base}{97 - number % 97:02d}"


def formatted(n: str, style: int) -> str:
    return [n, f"{n[:2]}.{n[2:4]}.{n[4:6]}-{n[6:9]}.{n[9:]}", f"{n[:6]} {n[6:9]} {n[9:]}",
            f"{n[:2]}-{n[2:4]}-{n[4:6]}-{n[6:9]}-{n[9:]}"][style]


@given(cell_text)
def test_rrn_valid_never_raises(text):
    ok = rrn_valid(text)
    assert ok in (True, False)
    if ok:  # 11 digits, or 9-10 bare digits of a number cell that lost its leading zeros
        digits = re.sub(r"[\s.\-/]", "", re.sub(r"\.0$", "", text.strip()))
        assert len(digits) == 11 or (9 <= len(digits) <= 10 and digits.isdigit())


@given(national_numbers(), st.integers(0, 3))
def test_valid_national_numbers_pass_in_every_written_form(n, style):
    assert rrn_valid(formatted(n, style))


@given(national_numbers(), st.integers(1, 96))
def test_a_wrong_check_fails(n, delta):
    base = n[:9]
    check = (int(n[9:]) + delta) % 97 or 97
    valid = {97 - int(base) % 97, 97 - int("2" + base) % 97}
    assume(check not in valid)
    assert not rrn_valid(base + f"{check:02d}")


# --- PII detector ---------------------------------------------------------------------------------

filler = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,ëé", max_size=30)
emails = st.from_regex(r"\A[a-z][a-z0-9._%+-]{0,15}@[a-z][a-z0-9-]{0,10}[a-z0-9]\.(be|com|vlaanderen)\Z")
phones = st.one_of(
    st.from_regex(r"\A04[0-9]{2} [0-9]{2} [0-9]{2} [0-9]{2}\Z"),
    st.from_regex(r"\A0[1-9]{1}[0-9]/[0-9]{3} [0-9]{2} [0-9]{2}\Z"),
    st.from_regex(r"\A\+32 4[0-9]{2} [0-9]{2} [0-9]{2} [0-9]{2}\Z"),
    st.from_regex(r"\A00324[0-9]{8}\Z"),
    st.from_regex(r"\A04[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{2}\Z"),
)


@given(st.text())
@example("0475 12 34 56 7" * 50)
@example("@" * 1000 + ".be")
@example("a@b." + "c" * 10000)
def test_pii_detector_never_raises(text):
    spans = pii_spans(text)
    for a, b, _ in spans:
        assert 0 <= a < b <= len(text)
    masked = mask_pii(text)
    assert mask_pii(masked) == masked, "masking is idempotent"
    kinds = find_pii(pd.Series([text]), MEDICAL_TERMS).iloc[0]
    assert isinstance(kinds, list)


@given(filler, st.one_of(national_numbers().map(lambda n: (n, KIND_RRN)),
                         emails.map(lambda e: (e, KIND_EMAIL)), phones.map(lambda p: (p, KIND_PHONE))),
       filler, st.integers(0, 3))
def test_pii_embedded_in_text_is_found_and_masked(before, item, after, style):
    value, kind = item
    if kind == KIND_RRN:
        value = formatted(value, style)
    text = f"{before} {value} {after}"
    kinds = find_pii(pd.Series([text]), []).iloc[0]
    assert kind in kinds, (text, kinds)
    masked = mask_pii(text)
    assert value not in masked and MASK in masked
    assert mask_pii(masked) == masked
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 8:
        assert digits not in re.sub(r"\D", "", masked)


@given(filler)
def test_text_without_personal_data_is_unchanged(text):
    assert mask_pii(text) == text
    assert find_pii(pd.Series([text]), []).iloc[0] == []


# --- CSV: the pyarrow path reads what pandas' C engine reads, whatever the block boundaries -----

_CELL = st.text(alphabet=st.sampled_from(list("ab;é\"\r\n ")), max_size=6)
_ENDING = st.sampled_from(["\r\n", "\n", "\r"])


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if any(ch in cell for ch in ';"\r\n') else cell


@given(
    rows=st.lists(st.lists(_CELL, min_size=3, max_size=3), min_size=2, max_size=12),
    ending=_ENDING,
    last_break=st.booleans(),
    block=st.integers(min_value=4, max_value=64),
)
def test_csv_arrow_path_equals_pandas_c_engine(rows, ending, last_break, block):
    """Quoted cells with CRLF, CR and LF, split by tiny pyarrow blocks (pyarrow 26 loses the LF of
    a quoted CRLF split by a block boundary: such text is parsed again as one block)."""
    import io

    from dossiercheck.io import workbook

    text = ending.join(";".join(_quoted(c) for c in r) for r in rows) + (ending if last_break else "")
    assume(not any(all(c == "" for c in r) for r in rows))  # a blank line: pandas decides (another path)
    old = workbook._ARROW_BLOCK
    workbook._ARROW_BLOCK = block
    try:
        got = workbook._read_csv_arrow(text, ";", 3)
    finally:
        workbook._ARROW_BLOCK = old
    want = pd.read_csv(io.StringIO(text), sep=";", header=None, dtype=str, keep_default_na=False, na_filter=False,
                       skip_blank_lines=False, engine="c", quotechar='"')
    if got is None:  # declined: pandas reads it (allowed, never wrong)
        return
    cells, inner = got
    assert cells.astype(object).values.tolist() == want.astype(object).values.tolist()
    expected_inner = [sum(workbook._breaks(c) for c in r) for r in want.astype(str).values.tolist()]
    assert (inner.tolist() if inner is not None else [0] * len(cells)) == expected_inner


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(1, 4000), min_size=1, max_size=8),  # the columns' numbers of distinct values
    st.integers(1, 300),
    st.integers(0, 60),
    st.integers(0, 2**32 - 1),
)
def test_two_pass_row_keys_group_rows_as_the_one_pass_key(cards, n, dups, seed):
    """schemas._row_keys (a partial key over the leading columns, the full key for the rows whose
    partial key repeats) puts rows in the same groups as the one-pass key over every column, also
    when the columns do not fit one int64 together (high numbers of distinct values)."""
    from dossiercheck.schemas import _full_row_keys, _row_keys

    rng = np.random.default_rng(seed)
    big = [c ** 4 for c in cards]  # up to 2.6e14 distinct codes per column: the product overflows
    codes = [rng.integers(-1, b, size=n) for b in big]
    # plant whole-row duplicates and rows equal in the leading columns only
    for _ in range(dups):
        a, b = rng.integers(0, n, size=2)
        upto = int(rng.integers(1, len(codes) + 1))
        for c in codes[:upto]:
            c[b] = c[a]
    got, want = _row_keys(codes, n), _full_row_keys(codes, n)
    assert (pd.factorize(got)[0] == pd.factorize(want)[0]).all()
