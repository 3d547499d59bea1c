"""How each Arrow type becomes a Vizzu series."""

import datetime as dt
import decimal
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from ipyreport.data import (
    DataError,
    Dimension,
    Measure,
    encode,
    to_vizzu_data,
    to_vizzu_json,
)


def single(values, arrow_type=None, **options):
    return encode(pa.table({"c": pa.array(values, arrow_type)}), **options)["c"]


def test_strings_become_index_form_in_order_of_first_appearance():
    series = single(["b", "a", "b", "c"])
    assert series.to_dict() == {
        "name": "c",
        "type": "dimension",
        "categories": ["b", "a", "c"],
        "values": [0, 1, 0, 2],
    }


@pytest.mark.parametrize("arrow_type", [pa.string(), pa.large_string(), pa.string_view()])
def test_every_string_type_is_a_dimension(arrow_type):
    series = single(["x", None, "y"], arrow_type)
    assert series.labels() == ["x", "(missing)", "y"]


def test_pandas_categorical_keeps_its_category_order_and_nulls():
    frame = pd.DataFrame(
        {"size": pd.Categorical(["M", None, "S", "L"], categories=["S", "M", "L"], ordered=True)}
    )
    series = encode(frame)["size"]
    assert series.categories == ("S", "M", "L", "(missing)")
    assert series.labels() == ["M", "(missing)", "S", "L"]


def test_dictionary_chunks_with_different_dictionaries_are_unified():
    first = pa.DictionaryArray.from_arrays(pa.array([0, 1]), pa.array(["a", "b"]))
    second = pa.DictionaryArray.from_arrays(pa.array([0, 1]), pa.array(["c", "a"]))
    table = pa.Table.from_batches(
        [pa.record_batch([first], names=["c"]), pa.record_batch([second], names=["c"])]
    )
    assert encode(table)["c"].labels() == ["a", "b", "c", "a"]


def test_booleans_are_dimensions_ordered_false_then_true():
    series = single([True, None, False, True])
    assert series.categories == ("false", "true", "(missing)")
    assert series.labels() == ["true", "(missing)", "false", "true"]


def test_integers_are_measures_written_as_integers():
    assert to_vizzu_json(pa.table({"n": [3, -1, 0]})) == (
        b'{"series":[{"name":"n","type":"measure","values":[3,-1,0]}]}'
    )


def test_integer_nulls_stay_missing():
    series = single([3, None, 5], pa.int32())
    assert series.to_list() == [3, None, 5]
    assert b'"values":[3,null,5]' in encode(pa.table({"c": pa.array([3, None, 5])})).to_json()


def test_integer_beyond_2_53_is_an_error_that_names_the_fix():
    with pytest.raises(DataError) as caught:
        single([1, 2**53 + 1])
    assert str(caught.value) == (
        "column 'c' holds 9007199254740993, beyond ±2**53, which JavaScript numbers "
        "cannot hold exactly; pass dimensions=['c'] to keep it as exact text (an id, "
        "say), or scale it down before charting"
    )


def test_big_integers_forced_to_dimension_stay_exact_and_sorted():
    series = single([2**63 - 1, 5, 2**53 + 1], pa.int64(), dimensions=["c"])
    assert series.categories == ("5", "9007199254740993", "9223372036854775807")
    assert series.labels() == ["9223372036854775807", "5", "9007199254740993"]


def test_uint64_beyond_2_53_is_an_error():
    with pytest.raises(DataError, match="beyond ±2\\*\\*53"):
        single([2**64 - 1], pa.uint64())


def test_float_nulls_and_nans_are_missing_not_zero():
    table = pa.table({"m": pa.array([1.5, None, float("nan"), 2.0])})
    assert encode(table)["m"].to_list() == [1.5, None, None, 2.0]
    assert (
        to_vizzu_json(table)
        == b'{"series":[{"name":"m","type":"measure","values":[1.5,null,null,2.0]}]}'
    )


def test_whole_number_float_columns_are_written_as_integers():
    assert b'"values":[1,null,-3]' in to_vizzu_json(pa.table({"m": [1.0, None, -3.0]}))
    assert b'"values":[1,2]' in to_vizzu_json(pa.table({"m": [1.0, 2.0]}))


def test_pandas_nan_measure_is_missing():
    assert to_vizzu_data(pd.DataFrame({"m": [np.nan, 1.0]}))["series"][0]["values"] == [
        None,
        1.0,
    ]


def test_infinity_is_an_error_with_the_row():
    with pytest.raises(DataError) as caught:
        single([1.0, 2.0, float("inf")])
    assert str(caught.value) == (
        "column 'c' has 1 infinite value(s), the first at row 2; charts cannot draw "
        "infinity, so replace them with null (missing) or a finite number"
    )


def test_float32_values_keep_the_decimal_users_see():
    assert single([0.1, 2.5], pa.float32()).to_list() == [0.1, 2.5]


def test_decimals_convert_exactly():
    values = [decimal.Decimal("0.30"), decimal.Decimal("-12345678.91"), None]
    series = single(values, pa.decimal128(12, 2))
    assert series.to_list() == [0.3, -12345678.91, None]


def test_wide_decimals_with_exact_values_are_accepted():
    series = single([decimal.Decimal("1234.50")], pa.decimal128(38, 2))
    assert series.to_list() == [1234.5]


def test_wide_decimals_that_a_float_cannot_hold_are_an_error():
    with pytest.raises(DataError, match="pass precision=\\{'c': 15\\}"):
        single([decimal.Decimal("12345678901234567.25")], pa.decimal128(38, 2))


def test_dates_are_iso_text_in_time_order_whatever_the_row_order():
    series = single([dt.date(2024, 3, 1), dt.date(2023, 12, 1), None, dt.date(2024, 1, 1)])
    assert series.categories == ("2023-12-01", "2024-01-01", "2024-03-01", "(missing)")
    assert series.labels() == ["2024-03-01", "2023-12-01", "(missing)", "2024-01-01"]


def test_date64_is_a_date():
    assert single([dt.date(2020, 2, 29)], pa.date64()).categories == ("2020-02-29",)


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_midnight_timestamps_of_any_unit_read_as_dates(unit):
    series = single([dt.datetime(2024, 1, 2), dt.datetime(2024, 1, 1)], pa.timestamp(unit))
    assert series.categories == ("2024-01-01", "2024-01-02")


def test_timestamps_use_the_coarsest_exact_precision():
    minutes = single([dt.datetime(2024, 1, 1, 9, 30)], pa.timestamp("us"))
    seconds = single([dt.datetime(2024, 1, 1, 9, 30, 5)], pa.timestamp("ns"))
    millis = single([dt.datetime(2024, 1, 1, 9, 30, 5, 250000)], pa.timestamp("ms"))
    assert minutes.categories == ("2024-01-01T09:30",)
    assert seconds.categories == ("2024-01-01T09:30:05",)
    assert millis.categories == ("2024-01-01T09:30:05.250",)


def test_timezone_aware_timestamps_show_local_time_with_offset_in_time_order():
    berlin = pa.timestamp("ns", tz="Europe/Berlin")
    # 00:30 UTC and 01:30 UTC around the October 2024 change from +02:00 to +01:00
    instants = [
        dt.datetime(2024, 10, 27, 1, 30, tzinfo=dt.timezone.utc),
        dt.datetime(2024, 10, 27, 0, 30, tzinfo=dt.timezone.utc),
        None,
    ]
    series = single(instants, berlin)
    assert series.categories == (
        "2024-10-27T02:30+02:00",
        "2024-10-27T02:30+01:00",
        "(missing)",
    )
    assert series.labels() == [
        "2024-10-27T02:30+01:00",
        "2024-10-27T02:30+02:00",
        "(missing)",
    ]


def test_timezone_aware_local_midnights_read_as_dates():
    tokyo = pa.timestamp("s", tz="Asia/Tokyo")
    utc_instant = dt.datetime(
        2024, 5, 31, 15, 0, tzinfo=dt.timezone.utc
    )  # 2024-06-01 00:00 in Tokyo
    assert single([utc_instant], tokyo).categories == ("2024-06-01",)


def test_times_of_day_are_dimensions():
    series = single([dt.time(13, 5), dt.time(9, 0)])
    assert series.categories == ("09:00:00", "13:05:00")


@pytest.mark.parametrize(
    ("values", "arrow_type"),
    [
        ([{"a": 1}], pa.struct([("a", pa.int64())])),
        ([[1, 2]], pa.list_(pa.int64())),
        ([b"\x00"], pa.binary()),
    ],
)
def test_unsupported_types_name_the_column_and_type(values, arrow_type):
    with pytest.raises(DataError) as caught:
        single(values, arrow_type)
    assert str(caught.value).startswith(
        f"column 'c' has type {arrow_type}, which ipyreport cannot chart"
    )


def test_forced_measure_from_text_is_an_error():
    with pytest.raises(DataError, match="column 'c' has type string, which cannot be a measure"):
        single(["1"], measures=["c"])


def test_booleans_can_be_forced_to_measures_as_zero_and_one():
    assert single([True, False, None], measures=["c"]).to_list() == [1, 0, None]


def test_numbers_forced_to_dimensions_sort_numerically():
    series = single([10, 9, 100], dimensions=["c"])
    assert series.categories == ("9", "10", "100")


def test_float_dimension_treats_nan_as_missing():
    series = single([1.5, float("nan")], dimensions=["c"])
    assert series.categories == ("1.5", "(missing)")


def test_a_column_in_both_roles_is_an_error():
    with pytest.raises(DataError, match="column 'c' is listed in both dimensions= and measures="):
        single([1], dimensions=["c"], measures=["c"])


def test_a_role_given_as_a_bare_string_is_an_error():
    with pytest.raises(DataError, match=r"write dimensions=\['c'\]"):
        single([1], dimensions="c")


def test_forcing_an_unknown_column_suggests_the_closest():
    with pytest.raises(DataError) as caught:
        encode({"Revenue": [1]}, dimensions=["Revenu"])
    assert str(caught.value) == (
        "column 'Revenu' (forced to be a dimension) is not in the data "
        "(did you mean 'Revenue'?); columns are ['Revenue']"
    )


def test_null_label_is_configurable():
    assert single(["a", None], null_label="n/a").categories == ("a", "n/a")


def test_null_label_that_is_also_a_value_is_an_error():
    with pytest.raises(DataError, match="also a real value '\\(missing\\)'"):
        single(["(missing)", None])


def test_an_all_null_column_is_a_dimension_of_missing_values():
    series = single([None, None])
    assert isinstance(series, Dimension)
    assert series.labels() == ["(missing)", "(missing)"]


def test_precision_rounds_to_significant_digits():
    series = single([123456.0, 0.0012345, -98.76, 0.0, None], precision=3)
    assert series.to_list() == [123000.0, 0.00123, -98.8, 0.0, None]


def test_precision_per_measure():
    data = encode({"a": [1.234], "b": [1.234]}, precision={"a": 2})
    assert data["a"].to_list() == [1.2]
    assert data["b"].to_list() == [1.234]


@pytest.mark.parametrize("bad", [0, 16, 2.5, True])
def test_precision_out_of_range_is_an_error(bad):
    with pytest.raises(
        DataError, match="precision must be a number of significant digits from 1 to 15"
    ):
        single([1.0], precision=bad)


def test_precision_for_a_dimension_is_an_error():
    with pytest.raises(DataError, match="precision= names 'd', which is not a measure"):
        encode({"d": ["x"], "m": [1.0]}, precision={"d": 2})


def test_units_are_written_on_measures():
    assert encode({"m": [1.0]}, units={"m": "USD"})["m"].to_dict()["unit"] == "USD"


def test_columns_pick_and_order_series():
    data = encode({"a": [1], "b": ["x"], "c": [2.0]}, columns=["c", "b"])
    assert data.names == ["c", "b"]


def test_unknown_column_suggests_the_closest_name():
    with pytest.raises(DataError) as caught:
        encode(pd.DataFrame({"Region": ["x"], "Revenue": [1.0]}), columns=["Regoin"])
    assert str(caught.value) == (
        "column 'Regoin' is not in the DataFrame (did you mean 'Region'?); columns are ['Region', 'Revenue']"
    )


def test_empty_table_gives_empty_series():
    data = encode(pa.table({"d": pa.array([], pa.string()), "m": pa.array([], pa.float64())}))
    assert data.to_dict() == {
        "series": [
            {"name": "d", "type": "dimension", "categories": [], "values": []},
            {"name": "m", "type": "measure", "values": []},
        ]
    }


def test_json_is_standard_and_equals_to_dict():
    table = pa.table(
        {
            "d": ["a</script>", None, "ü\u2028"],
            "m": [1.0, None, 2.25],
            "n": pa.array([1, None, 3]),
        }
    )
    data = encode(table)

    def reject(token):
        raise AssertionError(token)

    assert json.loads(data.to_json(), parse_constant=reject) == data.to_dict()


def test_whole_number_stripping_never_touches_text():
    data = encode({"d": ["1.0,", "x.0]"], "m": [1.0, None]})
    assert json.loads(data.to_json())["series"][0]["categories"] == ["1.0,", "x.0]"]


def test_series_lookup_suggests_names():
    with pytest.raises(KeyError, match="did you mean 'Revenue'"):
        encode({"Revenue": [1.0]})["revenue"]


def test_measures_keep_numpy_values():
    series = encode({"m": [1.0, 2.0]})["m"]
    assert isinstance(series, Measure)
    assert series.values.tolist() == [1.0, 2.0]


def test_polars_enums_and_categoricals_with_nulls_keep_their_order():
    import polars as pl

    frame = pl.DataFrame(
        {
            "size": pl.Series(["M", None, "S"], dtype=pl.Enum(["S", "M", "L"])),
            "shop": pl.Series(["north", "south", None], dtype=pl.Categorical),
        }
    )
    data = encode(frame)
    assert data["size"].labels() == ["M", "(missing)", "S"]
    assert data["size"].categories[:2] == ("S", "M")  # the enum's own order
    assert data["shop"].labels() == ["north", "south", "(missing)"]


def test_a_timestamp_outside_years_1_to_9999_is_an_error_not_a_garbage_label():
    with pytest.raises(DataError, match="outside the years 1 to 9999"):
        encode(pa.table({"t": pa.array([-(2**62), 0], pa.timestamp("s"))}))
