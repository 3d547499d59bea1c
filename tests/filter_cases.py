"""Random tables and random filters, shared by the tests that run one filter through every back-end.

A case is an Arrow table with a row id (``__row``), the dimensions an
eager story encodes it with, and a filter whose labels come from the
encoded categories (the labels a viewer sees, the null label included).
:func:`eager_rows` is what an in-memory story selects; every other
back-end must select exactly the same rows.
"""

import datetime as dt
import decimal
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from hypothesis import strategies as st

from ipyreport._filters import Filter, mask
from ipyreport.data import Dimension, VizzuData, encode

NULL_LABEL = "(missing)"
# Numeric columns the cases read as dimensions.
DIMENSIONS_FORCED = ("price", "size")
ZONES = [None, "UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"]
# Text that has broken filters before: quotes, markup, unicode, spaces at the ends.
TEXT = st.sampled_from(
    [
        "Europe",
        "europe",
        "Europe ",
        " Europe",
        "O'Brien",
        'say "hi"',
        "a</script>",
        "Zürich",
        "東京",
        "",
        "NULL",
        "1",
    ]
) | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=5)


@dataclass(frozen=True)
class Case:
    table: pa.Table
    dimensions: tuple[str, ...]
    filter: Filter

    def encoded(self) -> VizzuData:
        return encode(
            self.table, dimensions=list(self.dimensions), null_label=NULL_LABEL, max_rows=None
        )


def _maybe_null(values, draw):
    return [None if draw(st.integers(0, 5)) == 0 else value for value in values]


@st.composite
def tables(draw) -> tuple[pa.Table, tuple[str, ...]]:
    rows = draw(st.integers(1, 12))
    columns: dict[str, pa.Array] = {"__row": pa.array(range(rows), pa.int64())}
    text = [draw(TEXT) for _ in range(3)]
    columns["text"] = pa.array(
        _maybe_null([draw(st.sampled_from(text)) for _ in range(rows)], draw)
    )
    days = [dt.date(2021, 1, 1) + dt.timedelta(days=draw(st.integers(0, 400))) for _ in range(3)]
    columns["day"] = pa.array(_maybe_null([draw(st.sampled_from(days)) for _ in range(rows)], draw))
    unit = draw(st.sampled_from(["s", "ms", "us"]))
    zone = draw(st.sampled_from(ZONES))
    step = {"s": 1, "ms": 10**3, "us": 10**6}[unit]
    base = 1_609_459_200 * step  # 2021-01-01T00:00:00Z
    grain = draw(st.sampled_from([86_400 * step, 3_600 * step, 60 * step, step, 1]))
    ticks = [base + grain * draw(st.integers(0, 50)) for _ in range(3)]
    columns["moment"] = pa.array(
        _maybe_null([draw(st.sampled_from(ticks)) for _ in range(rows)], draw),
        pa.timestamp(unit, tz=zone),
    )
    columns["flag"] = pa.array(_maybe_null([draw(st.booleans()) for _ in range(rows)], draw))
    cents = [decimal.Decimal(draw(st.integers(-9999, 9999))) / 100 for _ in range(3)]
    columns["price"] = pa.array(
        _maybe_null([draw(st.sampled_from(cents)) for _ in range(rows)], draw), pa.decimal128(6, 2)
    )
    columns["size"] = pa.array(
        _maybe_null([draw(st.integers(-3, 3)) for _ in range(rows)], draw), pa.int64()
    )
    values = [
        draw(st.one_of(st.floats(-100, 100, allow_nan=False), st.just(float("nan"))))
        for _ in range(rows)
    ]
    columns["value"] = pa.array(_maybe_null(values, draw), pa.float64())
    return pa.table(columns), DIMENSIONS_FORCED


def _leaf(draw, data: VizzuData) -> Filter:
    dimensions = [s for s in data.series if isinstance(s, Dimension)]
    if draw(st.integers(0, 3)) == 0:
        low = draw(st.one_of(st.none(), st.floats(-120, 120)))
        high = draw(st.one_of(st.none(), st.floats(-120, 120)))
        return Filter.between("value", low, high)
    series = draw(st.sampled_from(dimensions))
    labels = draw(st.lists(st.sampled_from(series.categories), max_size=3, unique=True))
    return Filter.isin(series.name, labels)


def _filter(draw, data: VizzuData, depth: int) -> Filter:
    choice = draw(st.integers(0, 5)) if depth else 0
    if choice <= 2:
        return _leaf(draw, data)
    if choice == 3:
        return ~_filter(draw, data, depth - 1)
    parts = [_filter(draw, data, depth - 1) for _ in range(draw(st.integers(1, 3)))]
    return Filter.all_of(*parts) if choice == 4 else Filter.any_of(*parts)


@st.composite
def cases(draw) -> Case:
    table, dimensions = draw(tables())
    data = encode(table, dimensions=list(dimensions), null_label=NULL_LABEL, max_rows=None)
    return Case(table, dimensions, _filter(draw, data, 3))


def eager_rows(case: Case) -> list[int]:
    """The row ids an in-memory story keeps."""
    data = case.encoded()
    kept = mask(case.filter, data)
    return [int(row) for row in np.asarray(case.table["__row"])[kept]]
