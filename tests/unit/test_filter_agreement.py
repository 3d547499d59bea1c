"""One filter, every back-end: eager NumPy, DuckDB SQL, polars, Ibis and Spark select the same rows.

Random tables hold text with quotes, markup, unicode and spaces at the
ends, dates, timestamps at several units and zones, booleans, decimals and
integers as dimensions, and a float measure with nulls and NaN; random
filters combine ``in`` (over the labels a viewer sees, the null label
included), ``range``, ``not``, ``and`` and ``or``. The player's compiler and
ipyvizzu's JavaScript form keep the same rows on cases drawn from the same
strategy: the conformance fixture ``tests/conformance/filters.json``.
"""

import datetime as dt
import shutil

import ibis
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipyreport import Filter, Slide, Story, presets
from ipyreport.lazy import lazy
from tests.filter_cases import DIMENSIONS_FORCED, NULL_LABEL, Case, cases, eager_rows

OPTIONS = {"null_label": NULL_LABEL, "dimensions": list(DIMENSIONS_FORCED)}
ENGINES = {
    "duckdb": lambda table: lazy(table, **OPTIONS),
    "polars": lambda table: lazy(pl.from_arrow(table), **OPTIONS),
    "ibis": lambda table: lazy(ibis.memtable(table), **OPTIONS),
}
# The same engines reading a table of any columns, each with the role it has.
PLAIN = {
    "duckdb": lazy,
    "polars": lambda table: lazy(pl.from_arrow(table)),
    "ibis": lambda table: lazy(ibis.memtable(table)),
}
DIMENSIONS = ["text", "day", "moment", "flag", "price", "size"]


def lazy_rows(source, case: Case) -> list[int]:
    table = source.aggregate(["__row"], {}, where=case.filter)
    return sorted(table.column("__row").to_pylist())


@pytest.mark.parametrize("engine", list(ENGINES))
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_every_engine_selects_the_rows_an_eager_story_selects(engine, case):
    source = ENGINES[engine](case.table)
    assert lazy_rows(source, case) == eager_rows(case), case.filter.to_dict()


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java")
    pyspark = pytest.importorskip("pyspark.sql")
    session = (
        pyspark.SparkSession.builder.master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    yield session
    session.stop()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_spark_selects_the_rows_an_eager_story_selects(spark, case):
    frame = spark.createDataFrame(case.table)
    source = lazy(frame, null_label=NULL_LABEL)
    assert lazy_rows(source, case) == eager_rows(case), case.filter.to_dict()


AGGREGATORS = ["sum", "mean", "min", "max", "count"]


@pytest.mark.parametrize("engine", list(ENGINES))
# The same 80 cases every run, so a run's verdict is the code's (the cases it found so far
# are kept below as examples of their own).
@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(case=cases(), dimension=st.sampled_from(DIMENSIONS), aggregator=st.sampled_from(AGGREGATORS))
def test_every_engine_draws_the_numbers_an_eager_story_draws(engine, case, dimension, aggregator):
    """Labels, their order, the null label, NaN as missing: the same table, cell for cell."""
    step = presets.chart(kind="column", x=dimension, y=f"{aggregator}(value)", filter=case.filter)
    eager = Story(case.encoded(), slides=[Slide(step)])
    source = ENGINES[engine](case.table.drop_columns(["__row"]))
    drawn = Story(source, slides=[Slide(step)])
    want, got = eager.plan.steps()[0].table["rows"], drawn.plan.steps()[0].table["rows"]
    if engine == "ibis" and dimension == "text":
        # An Ibis table has no row order: its categories are sorted (documented).
        want = sorted(want, key=lambda row: (row[0] == NULL_LABEL, row[0]))
    assert [row[0] for row in got] == [row[0] for row in want]
    missing = float("nan")  # a group with no values: None in both, compared as NaN
    assert [missing if row[1] is None else row[1] for row in got] == pytest.approx(
        [missing if row[1] is None else row[1] for row in want], rel=1e-9, nan_ok=True
    ), case.filter.to_dict()


@pytest.mark.parametrize("engine", list(ENGINES))
def test_a_time_a_filter_keeps_is_labelled_as_its_whole_column_labels_it(engine):
    """An 01:00 in the column writes midnight with its hour, though the filter keeps only
    midnight: the label of a category does not change with the rows a step reads."""
    table = pa.table(
        {
            "moment": pa.array([1_609_459_200, 1_609_462_800], pa.timestamp("s")),
            "value": [0.0, None],
        }
    )
    step = presets.chart(kind="column", x="moment", y="sum(value)", filter=Filter.between("value"))
    eager = Story(table, slides=[Slide(step)]).plan.steps()[0].table["rows"]
    source = PLAIN[engine](table)
    drawn = Story(source, slides=[Slide(step)]).plan.steps()[0].table["rows"]
    assert [row[0] for row in eager] == ["2021-01-01T00:00"]
    assert [row[0] for row in drawn] == ["2021-01-01T00:00"]


@pytest.mark.parametrize("engine", list(ENGINES))
def test_days_a_filter_lists_are_all_a_chart_draws_though_their_calendar_has_gaps(engine):
    """Three days 34 and 204 days apart: the calendar a chart fills its gaps from would add
    five more, which the filter, listing the three, leaves out in memory and lazily alike."""
    days = [None, dt.date(2021, 1, 2), dt.date(2021, 2, 5), dt.date(2021, 8, 28)]
    table = pa.table({"day": pa.array(days, pa.date32()), "value": [None, 1.0, 2.0, 3.0]})
    listed = ["2021-01-02", "2021-02-05", "2021-08-28"]
    step = presets.chart(kind="column", x="day", y="mean(value)", filter=Filter.isin("day", listed))
    source = PLAIN[engine](table)
    for drawn in (table, source):
        rows = Story(drawn, slides=[Slide(step)]).plan.steps()[0].table["rows"]
        assert [row[0] for row in rows] == listed


@pytest.mark.parametrize("engine", list(ENGINES))
def test_a_filter_on_another_column_keeps_the_whole_calendar_of_days(engine):
    """Four days, the filter keeping only the last's row (by a flag): the chart keeps a
    slot for each day of the column's calendar, read lazily as in memory."""
    days = [dt.date(2021, 1, 1)] * 4 + [dt.date(2021, 1, 2), dt.date(2021, 1, 4)]
    table = pa.table(
        {
            "day": pa.array(days, pa.date32()),
            "flag": pa.array([None] * 5 + [False], pa.bool_()),
            "value": pa.array([None] * 6, pa.float64()),
        }
    )
    step = presets.chart(
        kind="column", x="day", y="mean(value)", filter=Filter.isin("flag", ["false"])
    )
    source = PLAIN[engine](table)
    eager = Story(table, slides=[Slide(step)]).plan.steps()[0].table["rows"]
    drawn = Story(source, slides=[Slide(step)]).plan.steps()[0].table["rows"]
    assert [row[0] for row in drawn] == [row[0] for row in eager]


@pytest.mark.parametrize("engine", list(ENGINES))
def test_a_filter_on_a_measure_keeps_no_slot_for_the_days_it_drops(engine):
    """A day a filter on values drops has data: neither read keeps a "no data" slot for
    it, nor for a day no row holds (the property test's case on polars drew 3 January)."""
    moments = [None, None, dt.datetime(2021, 1, 1), None, dt.datetime(2021, 1, 2)]
    table = pa.table(
        {
            "text": pa.array([None, None, None, None, "Europe", "europe"]),
            "moment": pa.array([*moments, dt.datetime(2021, 1, 4)], pa.timestamp("s")),
            "value": pa.array([None, None, 0, None, 0, None], pa.float64()),
        }
    )
    keep = Filter.isin("text", ["europe"]) | Filter.between("value", None, None)
    step = presets.chart(kind="column", x="moment", y="sum(value)", filter=keep)
    eager = Story(table, slides=[Slide(step)]).plan.steps()[0].table["rows"]
    drawn = Story(PLAIN[engine](table), slides=[Slide(step)]).plan.steps()[0].table["rows"]
    assert [row[0] for row in eager] == ["2021-01-01", "2021-01-02", "2021-01-04"]
    assert [row[0] for row in drawn] == [row[0] for row in eager]
