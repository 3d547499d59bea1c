"""Vizzu itself receives exactly the values and order of the source."""

import datetime as dt
import math

import pyarrow as pa

from ipyreport import samples
from ipyreport.data import Dimension, encode

from .harness import LOAD_DATA


def load(vizzu, data):
    return vizzu.page.evaluate(LOAD_DATA, data.to_json().decode("utf-8"))


def expected_rows(data):
    rows = []
    for index in range(data.num_rows):
        row = {}
        for series in data.series:
            if isinstance(series, Dimension):
                row[series.name] = series.categories[series.codes[index]]
            else:
                value = series.values[index]
                row[series.name] = (
                    "NaN" if isinstance(value, float) and math.isnan(value) else value
                )
        rows.append(row)
    return rows


def test_sample_sales_reach_vizzu_record_for_record(vizzu):
    data = encode(samples.sales())
    result = load(vizzu, data)
    assert result["records"] == expected_rows(data)
    meta = {series["name"]: series for series in result["meta"]}
    assert meta["Month"]["categories"] == list(data["Month"].categories)
    assert meta["Region"]["categories"] == [
        "Americas",
        "Europe",
        "Asia Pacific",
        "Africa",
    ]


def test_missing_measures_reach_vizzu_as_missing_not_zero(vizzu):
    data = encode(pa.table({"d": ["a", "b", "c"], "m": [4.0, None, 2.0]}))
    result = load(vizzu, data)
    assert [row["m"] for row in result["records"]] == [4, "NaN", 2]
    meta = {series["name"]: series for series in result["meta"]}
    # Read as 0, the missing value would pull the minimum down to 0.
    assert meta["m"]["range"] == {"min": 2, "max": 4}


def test_every_type_reaches_vizzu_as_its_text(vizzu):
    table = pa.table(
        {
            "text": ["x", None, "a</script><script>alert(1)</script>"],
            "flag": [True, False, None],
            "day": [dt.date(2024, 2, 1), dt.date(2023, 1, 1), None],
            "when": pa.array(
                [dt.datetime(2024, 1, 1, 9, 30), None, dt.datetime(2024, 1, 1)],
                pa.timestamp("ms"),
            ),
            "big": pa.array([2**60, 1, 2], pa.int64()),
            "n": pa.array([1, None, 3], pa.int32()),
        }
    )
    data = encode(table, dimensions=["big"])
    result = load(vizzu, data)
    assert result["records"] == expected_rows(data)
    assert result["records"][0]["big"] == str(2**60)
