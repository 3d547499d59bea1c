"""The same spec builds on Spark by naming the engine (engine: spark): a local Spark session
when Java and pyspark are present, else skipped with the reason."""

import shutil
import warnings

import pytest

from ipyreport import samples
from ipyreport._errors import SpecError
from ipyreport.spec import build, load

SPEC = """
title: Orders
data: {{path: orders, {engine}}}
slides:
  - steps:
      - chart: {{kind: stacked_bar, x: Region, y: Revenue, color: Channel}}
  - steps:
      - chart: {{kind: column, x: Channel, y: mean(Units)}}
"""


def marks(story):
    return [
        {tuple(row[:-1]): row[-1] for row in step["table"]["rows"]}
        for slide in story.to_dict()["slides"]
        for step in slide["steps"]
    ]


def test_a_spec_builds_unchanged_on_spark(tmp_path):
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java, which this machine does not have")
    pyspark = pytest.importorskip(
        "pyspark", reason="pyspark is not installed (pip install pyspark)"
    )
    warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
    samples.write_orders(tmp_path / "orders", rows=20_000, parts=2, seed=7)
    on_duckdb = tmp_path / "duckdb.yaml"
    on_duckdb.write_text(SPEC.format(engine="engine: duckdb"))
    on_spark = tmp_path / "spark.yaml"
    on_spark.write_text(SPEC.format(engine="engine: spark"))
    try:
        spark_story = build(load(on_spark))
        assert spark_story.lazy_source is not None
        assert spark_story.lazy_source.engine == "spark"
        mine, theirs = marks(spark_story), marks(build(load(on_duckdb)))
        # Spark keeps no row order, so categories may come in another order; marks are equal.
        assert [sorted(m) for m in mine] == [sorted(t) for t in theirs]
        for step, other in zip(mine, theirs, strict=True):
            assert step == pytest.approx(other, rel=1e-12)
    finally:
        active = pyspark.sql.SparkSession.getActiveSession()
        if active is not None:
            active.stop()


def test_engine_spark_reads_path_data_only(tmp_path):
    spec = tmp_path / "story.yaml"
    spec.write_text(
        "data: {sample: orders, engine: spark}\nslides:\n  - steps:\n      - chart: {kind: column, x: Region, y: Revenue}\n"
    )
    with pytest.raises(SpecError) as error:
        build(load(spec))
    assert str(error.value) == (
        f"{spec}:1:24: data.engine: engine: spark reads path: data, not sample:; "
        "point path: at the files, or remove engine"
    )


@pytest.mark.parametrize(
    ("data", "used"),
    [("{sql: 'select 1 as a', engine: spark}", "sql"), ("{delta: table, engine: spark}", "delta")],
)
def test_engine_spark_refuses_sql_and_lake_data_naming_the_fix(tmp_path, data, used):
    spec = tmp_path / "story.yaml"
    spec.write_text(
        f"data: {data}\nslides:\n  - steps:\n      - chart: {{kind: column, x: a, y: b}}\n"
    )
    with pytest.raises(SpecError) as error:
        build(load(spec))
    assert str(error.value).endswith(
        f"data.engine: engine: spark reads path: data, not {used}:; "
        "point path: at the files, or remove engine"
    )
