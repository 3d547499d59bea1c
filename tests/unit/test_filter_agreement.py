"""One filter, every back-end: eager NumPy, DuckDB SQL, polars, Ibis and Spark select the same rows.

Random tables hold text with quotes, markup, unicode and spaces at the
ends, dates, timestamps at several units and zones, booleans, decimals and
integers as dimensions, and a float measure with nulls and NaN; random
filters combine ``in`` (over the labels a viewer sees, the null label
included), ``range``, ``not``, ``and`` and ``or``. The browser test
``tests/browser/test_filter_agreement.py`` runs the same cases through the
player's compiler.
"""

import shutil

import ibis
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings

from ipyreport.lazy import lazy
from tests.filter_cases import NULL_LABEL, Case, cases, eager_rows

ENGINES = {
    "duckdb": lambda table: lazy(table, null_label=NULL_LABEL),
    "polars": lambda table: lazy(pl.from_arrow(table), null_label=NULL_LABEL),
    "ibis": lambda table: lazy(ibis.memtable(table), null_label=NULL_LABEL),
}


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
