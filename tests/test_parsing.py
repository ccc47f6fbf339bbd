"""Cell formats of TABLES.md, one parser at a time."""

import datetime as dt

import pandas as pd
import pytest

from dossiercheck.parsing import (
    parse_bool,
    parse_categorie,
    parse_chequenummer,
    parse_date,
    parse_duration,
    parse_fincode,
    parse_klantnummer,
    parse_money,
    parse_month,
    parse_series,
)
from dossiercheck.tables import TABLES


@pytest.mark.parametrize(
    "text,expected",
    [
        ("01/02/2025", dt.date(2025, 2, 1)),
        ("1/2/2025", dt.date(2025, 2, 1)),
        ("01-02-2025", dt.date(2025, 2, 1)),
        ("01.02.2025", dt.date(2025, 2, 1)),
        ("2025-02-01", dt.date(2025, 2, 1)),
        ("2025-02-01 00:00:00", dt.date(2025, 2, 1)),  # an Excel date cell read as text
        ("10/03/2019 09:00", dt.date(2019, 3, 10)),
        ("11/01/2019 om 23:27", dt.date(2019, 1, 11)),
        ("45000", dt.date(2023, 3, 15)),  # Excel serial
        ("45000.0", dt.date(2023, 3, 15)),
    ],
)
def test_date_accepts(text, expected):
    assert parse_date(text) == (expected, None)


@pytest.mark.parametrize(
    "text,reason",
    [("02/11/15", "two_digit_year"), ("31/02/2024", "impossible_date"), ("morgen", "not_a_date"),
     ("19999", "not_a_date"), ("80001", "not_a_date"), ("2024-13-01", "impossible_date")],
)
def test_date_refuses(text, reason):
    assert parse_date(text) == (None, ("DAT002", reason))


@pytest.mark.parametrize("text", ["90", "90 min", "1u30", "1 u 30", "1:30", "01:30", "1,5 u", "1.5 h", "1u30min"])
def test_duration_ninety(text):
    assert parse_duration(text) == (90, None)


def test_duration_hours_and_errors():
    assert parse_duration("2 uur") == (120, None)
    assert parse_duration("anderhalf uur")[1] == ("DAT002", "not_a_duration")
    assert parse_duration("1u75")[1] == ("DAT002", "not_a_duration")


@pytest.mark.parametrize(
    "text,value",
    [("679", 679.0), ("679,00", 679.0), ("€ 679,00", 679.0), ("1.234,50", 1234.5), ("€1.234", 1234.0),
     ("1.001", 1001.0), ("0.001", 0.001), ("0.5", 0.5)],  # thousands dots never follow a lone 0
)
def test_money(text, value):
    assert parse_money(text) == (value, None)


def test_money_refuses_text():
    assert parse_money("zes euro")[1] == ("DAT002", "not_a_number")


@pytest.mark.parametrize(
    "text,value", [("ja", True), ("J", True), ("x", True), ("1", True), ("waar", True), ("nee", False),
                   ("onwaar", False), ("0", False), ("No", False)]
)
def test_bool(text, value):
    assert parse_bool(text) == (value, None)


def test_bool_extra_true_word():
    assert parse_bool("VERWIJDERD", ("verwijderd",)) == (True, None)
    assert parse_bool("misschien")[1] == ("DAT002", "not_a_bool")


def test_klantnummer():
    assert parse_klantnummer("61000447.0") == ("61000447", None)
    assert parse_klantnummer(" 0061000448 ") == ("0061000448", None)
    assert parse_klantnummer("610004")[1][0] == "DAT004"  # 6 digits
    assert parse_klantnummer("61000447/1")[1][0] == "DAT004"
    assert parse_klantnummer("12345678901")[1][0] == "DAT004"  # 11 digits


def test_chequenummer_lost_zeros_and_separators():
    assert parse_chequenummer("1234567") == ("00001234567", None)
    assert parse_chequenummer("123/4567-890.1") == ("12345678901", None)
    assert parse_chequenummer("12345678901.0") == ("12345678901", None)
    assert parse_chequenummer("123456789012")[1][0] == "DAT004"
    assert parse_chequenummer("12345A78901")[1][0] == "DAT004"


def test_codes():
    assert parse_categorie("2") == ("02", None)
    assert parse_categorie("2.0") == ("02", None)
    assert parse_categorie("Uitkeringsgerechtigd volledig werkloos (00)") == ("00", None)
    assert parse_fincode("EEWG019 - Onderwijs onders alternerend leren") == ("EEWG019", None)
    assert parse_fincode("EEWG270") == ("EEWG270", None)


def test_month():
    assert parse_month("2019-06") == (dt.date(2019, 6, 1), None)
    assert parse_month("06/2019") == (dt.date(2019, 6, 1), None)
    assert parse_month("30/06/2019") == (dt.date(2019, 6, 1), None)
    assert parse_month("juni")[1][0] == "DAT002"


def test_series_parses_distinct_values_and_marks_errors():
    col = TABLES["lijnen"].column("startdatum")
    raw = pd.Series(["01/02/2025", "01/02/2025", None, "  ", "02/11/15", "2025-02-01 00:00:00"], dtype=object)
    p = parse_series(raw, col)
    assert p.values.iloc[0] == pd.Timestamp("2025-02-01") == p.values.iloc[5]
    assert p.empty.tolist() == [False, False, True, True, False, False]
    assert p.error.fillna("").tolist() == ["", "", "", "", "DAT002", ""]
    assert p.reason.iloc[4] == "two_digit_year"


def test_enum_normalisation_and_nearest():
    col = TABLES["lijnen"].column("toestand")
    p = parse_series(pd.Series(["beeindigd", "BEËINDIGD", " bezig ", "Beeindig"]), col)
    assert p.values.tolist()[:3] == ["Beëindigd", "Beëindigd", "Bezig"]
    assert p.error.iloc[3] == "DAT003" and p.reason.iloc[3] == "Beëindigd"


def test_enum_aliases_and_empty_value():
    typ = TABLES["gesprekken"].column("type")
    assert parse_series(pd.Series(["Intakegesprek", "Stopzetting"]), typ).values.tolist() == [
        "Intake gesprek", "Stopzetting van de begeleiding"]
    status = TABLES["cheques"].column("status")
    assert parse_series(pd.Series(["afgesloten"]), status).values.tolist() == ["Cheque afgesloten"]
    res = TABLES["contacten"].column("resultaat")
    assert parse_series(pd.Series([None], dtype=object), res).values.tolist() == ["Gepland"]


@pytest.mark.parametrize("dtype", ["string", "object"])
def test_isin_with_texts_or_a_value_set(dtype):
    """text.isin: a value set made once (text.value_set, as DAT007 does per parent table) gives
    what the values themselves give; missing is never in."""
    from dossiercheck.text import isin, value_set

    series = pd.Series(["61000001", None, "61000002", "x", "61000003"], dtype=dtype)
    values = pd.Series(["61000003", None, "61000001", "61000001"], dtype="string")
    want = [True, False, False, False, True]
    assert isin(series, values).tolist() == want
    assert isin(series, value_set(values)).tolist() == want
    assert isin(series, value_set(values[:0])).tolist() == [False] * 5


@pytest.mark.parametrize("dtype", ["string", "object"])
def test_isin_many_is_isin_per_part(dtype):
    """text.isin_many (one pyarrow call for several columns, as DAT007 looks up every table's
    klantnummers in the dossiers) gives each part what text.isin gives it, also for an empty
    part, a part read in several chunks and missing values."""
    import pyarrow as pa

    from dossiercheck.text import isin, isin_many, value_set

    values = pd.Series(["61000003", None, "61000001", "61000001"], dtype="string")
    chunked = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["61000001", None], [], ["y", "61000003"]],
                                                                   type=pa.large_string())))
    parts = [
        pd.Series(["61000001", None, "61000002", "x", "61000003"], dtype=dtype),
        pd.Series([], dtype=dtype),
        chunked if dtype == "string" else chunked.astype(object),
        pd.Series([None, "61000003"], dtype=dtype),
    ]
    for vals in (values, value_set(values)):
        got = isin_many(parts, vals)
        assert [g.tolist() for g in got] == [isin(p, vals).tolist() for p in parts]
    assert [g.tolist() for g in isin_many(parts, values)] == [
        [True, False, False, False, True], [], [True, False, False, True], [False, True]]
    assert isin_many([], values) == []
