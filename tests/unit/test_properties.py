"""Property tests: any table of supported types encodes exactly or fails loudly."""

import json
import math
import re
from fractions import Fraction

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipyreport.data import DataError, Dimension, encode

MAX_SAFE = 2**53

text_values = st.lists(st.one_of(st.none(), st.text(max_size=8)), min_size=0, max_size=40)
float_values = st.lists(
    st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=False, width=64)),
    max_size=40,
)
int_values = st.lists(st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)), max_size=40)
bool_values = st.lists(st.one_of(st.none(), st.booleans()), max_size=40)


@st.composite
def tables(draw):
    rows = draw(st.integers(0, 30))
    columns = {}
    for index in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["text", "float", "int", "bool"]))
        strategy = {
            "text": text_values,
            "float": float_values,
            "int": int_values,
            "bool": bool_values,
        }[kind]
        values = draw(
            strategy.map(
                lambda v: (v * (rows // max(len(v), 1) + 1))[:rows] if v else [None] * rows
            )
        )
        arrow_type = {
            "text": pa.string(),
            "float": pa.float64(),
            "int": pa.int64(),
            "bool": pa.bool_(),
        }[kind]
        columns[f"{kind}{index}"] = pa.array(values, arrow_type)
    return pa.table(columns)


def source_value(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def documented_failure(table):
    """The only failures documented for these types, predicted from the data."""
    for column in table.columns:
        values = column.to_pylist()
        if pa.types.is_integer(column.type) and any(
            v is not None and abs(v) > MAX_SAFE for v in values
        ):
            return "beyond ±2**53"
        if pa.types.is_string(column.type) and None in values and "(missing)" in values:
            return "also a real value '(missing)'"
    return None


def reject_constant(token):
    msg = f"non-standard JSON token {token}"
    raise AssertionError(msg)


@settings(max_examples=200, deadline=None)
@given(tables())
def test_values_and_order_survive_or_fail_with_a_documented_error(table):
    failure = documented_failure(table)
    if failure is not None:
        with pytest.raises(DataError, match=re.escape(failure)):
            encode(table)
        return
    data = encode(table)
    assert data.num_rows == table.num_rows
    assert json.loads(data.to_json(), parse_constant=reject_constant) == data.to_dict()
    for series, column in zip(data.series, table.columns, strict=True):
        source = [source_value(value) for value in column.to_pylist()]
        if isinstance(series, Dimension):
            assert len(set(series.categories)) == len(series.categories)
            expected = [
                "(missing)"
                if value is None
                else (str(value).lower() if isinstance(value, bool) else value)
                for value in source
            ]
            assert series.labels() == expected
        else:
            assert series.to_list() == source
            present = [value for value in source if value is not None]
            total = sum(Fraction(v) for v in series.to_list() if v is not None)
            assert total == sum(map(Fraction, present))
